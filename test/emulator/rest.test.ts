// The emulator's REST wires: auth, request validation, 404s, volumes, templates and registries.
import { startEmulator, Emulator } from "runpod-emulator";
import { client, Client, serverlessTemplate, v2Pod, v1Pod, volume, validatingEmulator } from "./helpers";

let emu: Emulator;
let c: Client;
validatingEmulator((e, client) => {
  emu = e;
  c = client;
});

describe("auth", () => {
  test("missing or malformed Authorization → 401 in each wire's error shape", async () => {
    const anon = client(emu, null);
    const v2 = await anon.get("/v2/pods");
    expect(v2.status).toBe(401);
    expect(v2.headers.get("content-type")).toContain("application/problem+json");
    expect(v2.body).toMatchObject({ title: "Unauthorized", status: 401 });
    const v1 = await anon.get("/v1/pods");
    expect(v1.status).toBe(401);
    expect(typeof v1.body.message).toBe("string");
    const g = await anon.gql("{ myself { secrets { id } } }");
    expect(g.status).toBe(401);
    expect(g.body.errors[0].message).toBeDefined();
    const basic = await anon.call("GET", "/v2/pods", undefined, { authorization: "Basic abc" });
    expect(basic.status).toBe(401);
  });

  test("a configured key is enforced and never echoed (responses or log)", async () => {
    const locked = await startEmulator({ apiKey: "the-right-key" });
    try {
      const wrongKey = "wrong-key-5up3r-s3cret";
      const bad = await client(locked, wrongKey).get("/v2/network-volumes");
      expect(bad.status).toBe(401);
      expect(bad.text).not.toContain(wrongKey);
      const good = await client(locked, "the-right-key").get("/v2/network-volumes");
      expect(good.status).toBe(200);
      // GraphQL only takes the Bearer header, never ?api_key=
      const viaQuery = await client(locked, null).call("POST", "/graphql?api_key=the-right-key", { query: "{ myself { secrets { id } } }" });
      expect(viaQuery.status).toBe(401);
      const log = JSON.stringify(locked.requests());
      expect(log).not.toContain(wrongKey);
      expect(log).not.toContain("the-right-key");
    } finally {
      await locked.close();
    }
  });
});

describe("request validation against the specs", () => {
  test("v2: schema violations → 422 problem with one errors[] entry per field", async () => {
    const r = await c.post("/v2/network-volumes", { name: "", size: 5, dataCenter: "EU-RO-1", bogus: 1 });
    expect(r.status).toBe(422);
    expect(r.headers.get("content-type")).toContain("application/problem+json");
    expect(r.body.title).toBe("Unprocessable Entity");
    expect(r.body.errors).toEqual(
      expect.arrayContaining([expect.stringMatching(/^bogus: /), expect.stringMatching(/^name: /), expect.stringMatching(/^size: .*>= 10/)]),
    );
    expect(r.body.errors).toHaveLength(3);
    expect(emu.list("networkVolumes")).toHaveLength(0);
  });

  test("v2: nested and conditional rules name the field", async () => {
    const lb = await c.post("/v2/serverless", {
      name: "e",
      type: "LOAD_BALANCER",
      image: "img",
      gpu: { pools: ["ADA_24"] },
      scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
    });
    expect(lb.status).toBe(422);
    expect(lb.body.errors.join("\n")).toMatch(/scaling\.\S+: .*\(when type is LOAD_BALANCER\)/);

    const noImage = await c.post("/v2/pods", { name: "p", gpu: { id: "NVIDIA A40", count: 0 } });
    expect(noImage.status).toBe(422);
    expect(noImage.body.errors).toEqual(expect.arrayContaining(["gpu.count: must be >= 1", "image: is required (when templateId is not set)"]));

    const mounts = await c.post("/v2/templates", { name: "t", image: "i", mounts: { network: [] } });
    expect(mounts.status).toBe(422);
    expect(mounts.body.errors).toEqual([expect.stringMatching(/^mounts\.network: unknown field/)]);
  });

  test("v2: a valid QUEUE endpoint passes validation (Ajv if/unevaluatedProperties workaround)", async () => {
    const r = await c.post("/v2/serverless", {
      name: "q",
      type: "QUEUE",
      image: "img",
      gpu: { pools: ["ADA_24"] },
      scaling: { type: "QUEUE_DELAY", queueDelay: 2.5 },
    });
    expect(r.status).toBe(201);
    expect(r.body.scaling).toEqual({ type: "QUEUE_DELAY", queueDelay: 2.5 });
  });

  test("v2: bad query parameters → 400 (operation documents no 422); malformed JSON → 400", async () => {
    const q = await c.get("/v2/pods?includeClusterPods=maybe");
    expect(q.status).toBe(400);
    expect(q.body.errors).toEqual(["includeClusterPods: must be boolean"]);
    const bad = await c.post("/v2/templates", "{not json");
    expect(bad.status).toBe(400);
    expect(bad.body.status).toBe(400);
  });

  test("v1: invalid input → 400 {message} naming the fields; unknown fields follow the spec (allowed)", async () => {
    const r = await c.post("/v1/networkvolumes", { name: "x", size: 5000 });
    expect(r.status).toBe(400);
    expect(Object.keys(r.body)).toEqual(["message"]);
    expect(r.body.message).toMatch(/size: must be <= 4000/);
    expect(r.body.message).toMatch(/dataCenterId: is required/);
    const extra = await c.post("/v1/networkvolumes", { name: "x", size: 10, dataCenterId: "EU-RO-1", somethingElse: true });
    expect(extra.status).toBe(200);
    const enumErr = await c.post("/v1/pods", { imageName: "i", gpuTypeIds: ["NVIDIA GTX 9000"] });
    expect(enumErr.status).toBe(400);
    expect(enumErr.body.message).toMatch(/gpuTypeIds\[0\]: must be one of/);
  });
});

describe("unknown ids → 404 on both wires", () => {
  test.each([
    ["GET", "/v2/pods/nope", undefined],
    ["PATCH", "/v2/network-volumes/nope", { name: "x" }],
    ["DELETE", "/v2/templates/nope", undefined],
    ["POST", "/v2/pods/nope/action", { action: "stop" }],
    ["GET", "/v2/serverless/nope/releases", undefined],
    ["DELETE", "/v2/registries/nope", undefined],
  ])("v2 %s %s", async (method, path, body) => {
    const r = await c.call(method, path, body);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ title: "Not Found", status: 404 });
  });

  test.each([
    ["GET", "/v1/pods/nope"],
    ["POST", "/v1/pods/nope/stop"],
    ["DELETE", "/v1/endpoints/nope"],
    ["PATCH", "/v1/templates/nope"],
    ["GET", "/v1/containerregistryauth/nope"],
    ["DELETE", "/v1/networkvolumes/nope"],
  ])("v1 %s %s", async (method, path) => {
    const r = await c.call(method, path, method === "PATCH" ? { name: "x" } : undefined);
    expect(r.status).toBe(404);
    expect(typeof r.body.message).toBe("string");
  });
});

describe("network volumes", () => {
  test("size only grows; empty PATCH → 400; type defaults to STANDARD and is immutable", async () => {
    const v = await volume(c);
    expect(v).toEqual({ id: expect.stringMatching(/^[a-z0-9]{10}$/), name: "vol", size: 20, dataCenter: "EU-RO-1", type: "STANDARD" });
    const shrink = await c.patch(`/v2/network-volumes/${v.id}`, { size: 10 });
    expect(shrink.status).toBe(400);
    expect(shrink.body.errors[0]).toMatch(/^size/);
    expect((await c.patch(`/v2/network-volumes/${v.id}`, { size: 30 })).body.size).toBe(30);
    const empty = await c.patch(`/v2/network-volumes/${v.id}`, {});
    expect(empty.status).toBe(400);
    expect((await c.patch(`/v2/network-volumes/${v.id}`, { type: "HIGH_PERFORMANCE" })).status).toBe(422);
    const v1Shrink = await c.patch(`/v1/networkvolumes/${v.id}`, { size: 25 });
    expect(v1Shrink.status).toBe(400);
    const v1Grow = await c.post(`/v1/networkvolumes/${v.id}/update`, { size: 40, name: "renamed" });
    expect(v1Grow.body).toEqual({ id: v.id, name: "renamed", size: 40, dataCenterId: "EU-RO-1" });
    expect((await c.post("/v2/network-volumes", { name: "hp", size: 10, dataCenter: "CA-MTL-1", type: "HIGH_PERFORMANCE" })).status).toBe(400);
  });

  test("visible across wires with mapped field names", async () => {
    const v = await volume(c, { name: "from-v2" });
    expect((await c.get("/v1/networkvolumes")).body).toEqual([{ id: v.id, name: "from-v2", size: 20, dataCenterId: "EU-RO-1" }]);
    const v1 = await c.post("/v1/networkvolumes", { name: "from-v1", size: 50, dataCenterId: "US-KS-2" });
    expect(v1.status).toBe(200);
    const got = await c.get(`/v2/network-volumes/${v1.body.id}`);
    expect(got.body).toEqual({ id: v1.body.id, name: "from-v1", size: 50, dataCenter: "US-KS-2", type: "STANDARD" });
    expect((await c.get("/v2/network-volumes")).body.networkVolumes).toHaveLength(2);
  });

  test("a volume attached to a pod or endpoint cannot be deleted; pods must be in its data centre", async () => {
    const v = await volume(c);
    const wrongDc = await c.post("/v2/pods", {
      name: "p",
      image: "i",
      gpu: { id: "NVIDIA A40" },
      dataCenterIds: ["US-KS-2"],
      mounts: { network: [{ volumeId: v.id, path: "/data" }] },
    });
    expect(wrongDc.status).toBe(400);
    const pod = await v2Pod(c, { mounts: { network: [{ volumeId: v.id, path: "/data" }] } });
    expect(pod.dataCenterId).toBe("EU-RO-1");
    expect((await c.del(`/v2/network-volumes/${v.id}`)).status).toBe(400);
    expect((await c.del(`/v1/networkvolumes/${v.id}`)).status).toBe(400);
    expect((await c.del(`/v2/pods/${pod.id}`)).status).toBe(204);
    const ep = await c.post("/v1/endpoints", { templateId: await serverlessTemplate(c), networkVolumeId: v.id });
    expect(ep.status).toBe(200);
    expect((await c.del(`/v2/network-volumes/${v.id}`)).status).toBe(400);
    expect((await c.del(`/v1/endpoints/${ep.body.id}`)).status).toBe(204);
    expect((await c.del(`/v2/network-volumes/${v.id}`)).status).toBe(204);
  });
});

describe("templates", () => {
  test("names are unique on both wires; fields map across wires", async () => {
    const t = await c.post("/v2/templates", { name: "tpl", image: "img:1", args: "python serve.py", env: { A: "1" }, ports: ["8000/http"] });
    expect(t.status).toBe(201);
    expect(t.body).toMatchObject({
      name: "tpl",
      image: "img:1",
      args: "python serve.py",
      category: "NVIDIA",
      serverless: false,
      public: false,
      startSsh: true,
      startJupyter: true,
      mounts: {},
    });
    expect((await c.post("/v1/templates", { name: "tpl", imageName: "x" })).status).toBe(400);
    expect((await c.post("/v2/templates", { name: "tpl", image: "x" })).status).toBe(400);
    const other = await c.post("/v1/templates", { name: "other", imageName: "x" });
    expect((await c.patch(`/v2/templates/${other.body.id}`, { name: "tpl" })).status).toBe(400);
    const v1 = await c.get(`/v1/templates/${t.body.id}`);
    expect(v1.body).toMatchObject({
      id: t.body.id,
      imageName: "img:1",
      dockerStartCmd: ["python", "serve.py"],
      isServerless: false,
      isPublic: false,
      env: { A: "1" },
    });
    expect((await c.get("/v2/templates")).body.templates.map((x: { name: string }) => x.name).sort()).toEqual(["other", "tpl"]);
  });

  test("v1 PATCH cannot change category or isServerless (not in its schema); v2 PATCH can", async () => {
    const t = await c.post("/v1/templates", { name: "t1", imageName: "x", category: "NVIDIA" });
    const p = await c.patch(`/v1/templates/${t.body.id}`, { category: "CPU", isServerless: true, readme: "hi" });
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ category: "NVIDIA", isServerless: false, readme: "hi" });
    const v2 = await c.patch(`/v2/templates/${t.body.id}`, { category: "CPU", serverless: true });
    expect(v2.body).toMatchObject({ category: "CPU", serverless: true });
  });

  test("in use by a pod or endpoint → 400 until released; holds and release delay", async () => {
    const tid = (await c.post("/v1/templates", { name: "pod-tpl", imageName: "img" })).body.id;
    const pod = await v1Pod(c, { templateId: tid, imageName: undefined });
    expect(pod.templateId).toBe(tid);
    expect(pod.image).toBe("img");
    const busy = await c.del(`/v2/templates/${tid}`);
    expect(busy.status).toBe(400);
    expect(busy.body.detail).toMatch(/in use/);
    expect((await c.del(`/v1/templates/${tid}`)).status).toBe(400);

    emu.configure({ templateReleaseDelayMs: 120000 });
    expect((await c.del(`/v1/pods/${pod.id}`)).status).toBe(204);
    expect((await c.del(`/v2/templates/${tid}`)).status).toBe(400); // recently used
    emu.releaseTemplate(tid);
    emu.holdTemplate(tid);
    expect((await c.del(`/v2/templates/${tid}`)).status).toBe(400);
    emu.releaseTemplate(tid);
    expect((await c.del(`/v2/templates/${tid}`)).status).toBe(204);
    emu.configure({ templateReleaseDelayMs: 0 });

    const st = await serverlessTemplate(c);
    const ep = await c.post("/v2/serverless", {
      name: "e",
      type: "QUEUE",
      templateId: st,
      gpu: { pools: ["AMPERE_24"] },
      scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
    });
    expect(ep.status).toBe(201);
    expect(ep.body.image).toBe("runpod/worker:1");
    expect((await c.del(`/v1/templates/${st}`)).status).toBe(400);
    expect((await c.del(`/v2/serverless/${ep.body.id}`)).status).toBe(204);
    expect((await c.del(`/v1/templates/${st}`)).status).toBe(204);
  });

  test("v2 pods expand a template once (template stays null, env merged); serverless templates are refused", async () => {
    const t = await c.post("/v2/templates", { name: "base", image: "img:2", env: { A: "1", B: "2" }, startJupyter: false });
    const pod = await c.post("/v2/pods", { name: "p", templateId: t.body.id, env: { B: "body" }, gpu: { id: "NVIDIA L4" } });
    expect(pod.status).toBe(201);
    expect(pod.body).toMatchObject({ image: "img:2", env: { A: "1", B: "body" }, template: null });
    expect((await c.del(`/v2/templates/${t.body.id}`)).status).toBe(204);
    const st = await serverlessTemplate(c);
    const refused = await c.post("/v2/pods", { name: "p", templateId: st, gpu: { id: "NVIDIA L4" } });
    expect(refused.status).toBe(422);
    const nonServerless = await c.post("/v1/templates", { name: "pod-only", imageName: "x" });
    expect((await c.post("/v1/endpoints", { templateId: nonServerless.body.id })).status).toBe(400);
    expect((await c.post("/v2/pods", { name: "p", templateId: "doesnotexist", gpu: { id: "NVIDIA L4" } })).status).toBe(404);
  });
});

describe("registries (containerregistryauth)", () => {
  test("credentials are stored but never returned; names unique; no update operation", async () => {
    const r = await c.post("/v2/registries", { name: "ghcr", username: "bot", password: "hunter2-very-secret" });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body).sort()).toEqual(["id", "name"]);
    const v1 = await c.get(`/v1/containerregistryauth/${r.body.id}`);
    expect(v1.body).toEqual({ id: r.body.id, name: "ghcr" });
    expect((await c.get("/v1/containerregistryauth")).text).not.toContain("hunter2");
    expect((await c.get("/v2/registries")).text).not.toContain("hunter2");
    expect(emu.get("registries", r.body.id)).toMatchObject({ username: "bot", password: "hunter2-very-secret" });
    const admin = await fetch(`${emu.url}/__emulator/state`).then((x) => x.text());
    expect(admin).not.toContain("hunter2");
    expect((await c.post("/v1/containerregistryauth", { name: "ghcr", username: "u", password: "p" })).status).toBe(400);
    expect((await c.patch(`/v2/registries/${r.body.id}`, { name: "x" })).status).toBe(405);
    expect((await c.patch(`/v1/containerregistryauth/${r.body.id}`, { name: "x" })).status).toBe(405);
    expect(JSON.stringify(emu.requests())).not.toContain("hunter2");
  });

  test("in use by a pod → delete refused; templates silently lose the reference", async () => {
    const r = await c.post("/v1/containerregistryauth", { name: "reg", username: "u", password: "p" });
    const t = await c.post("/v2/templates", { name: "t", image: "private/img", registry: r.body.id });
    const pod = await v2Pod(c, { registry: r.body.id });
    expect((await c.del(`/v2/registries/${r.body.id}`)).status).toBe(400);
    await c.del(`/v2/pods/${pod.id}`);
    expect((await c.del(`/v1/containerregistryauth/${r.body.id}`)).status).toBe(204);
    expect((await c.get(`/v2/templates/${t.body.id}`)).body.registry).toBeNull();
  });
});
