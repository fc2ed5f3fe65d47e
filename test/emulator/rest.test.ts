import { startEmulator, Emulator, V1_CAPACITY_MESSAGE, V2_CAPACITY_TITLE } from "runpod-emulator";
import { client, Client, pollPod } from "./helpers";

let emu: Emulator;
let c: Client;

beforeAll(async () => {
  // validateResponses: every response in this file is also checked against the spec (see afterAll).
  emu = await startEmulator({ seed: 1234, validateResponses: true });
  c = client(emu);
});
beforeEach(() => emu.reset());
afterEach(() => {
  emu.configure({ podReadyAfterPolls: 2, templateReleaseDelayMs: 0, requireScaleToZeroBeforeDelete: true });
});
afterAll(async () => {
  const violations = emu.responseViolations();
  await emu.close();
  expect(violations).toEqual([]);
});

async function volume(body: Record<string, unknown> = {}) {
  const r = await c.post("/v2/network-volumes", { name: "vol", size: 20, dataCenter: "EU-RO-1", ...body });
  expect(r.status).toBe(201);
  return r.body;
}

async function v2Pod(body: Record<string, unknown> = {}) {
  const r = await c.post("/v2/pods", { name: "pod", image: "runpod/base:1", gpu: { id: "NVIDIA A40" }, ports: ["22/tcp", "8888/http"], ...body });
  expect(r.status).toBe(201);
  return r.body;
}

async function v1Pod(body: Record<string, unknown> = {}) {
  const r = await c.post("/v1/pods", { name: "pod", imageName: "runpod/base:1", gpuTypeIds: ["NVIDIA A40"], ...body });
  expect(r.status).toBe(201);
  return r.body;
}

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
    const v = await volume();
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
    const v = await volume({ name: "from-v2" });
    expect((await c.get("/v1/networkvolumes")).body).toEqual([{ id: v.id, name: "from-v2", size: 20, dataCenterId: "EU-RO-1" }]);
    const v1 = await c.post("/v1/networkvolumes", { name: "from-v1", size: 50, dataCenterId: "US-KS-2" });
    expect(v1.status).toBe(200);
    const got = await c.get(`/v2/network-volumes/${v1.body.id}`);
    expect(got.body).toEqual({ id: v1.body.id, name: "from-v1", size: 50, dataCenter: "US-KS-2", type: "STANDARD" });
    expect((await c.get("/v2/network-volumes")).body.networkVolumes).toHaveLength(2);
  });

  test("a volume attached to a pod or endpoint cannot be deleted; pods must be in its data centre", async () => {
    const v = await volume();
    const wrongDc = await c.post("/v2/pods", {
      name: "p",
      image: "i",
      gpu: { id: "NVIDIA A40" },
      dataCenterIds: ["US-KS-2"],
      mounts: { network: [{ volumeId: v.id, path: "/data" }] },
    });
    expect(wrongDc.status).toBe(400);
    const pod = await v2Pod({ mounts: { network: [{ volumeId: v.id, path: "/data" }] } });
    expect(pod.dataCenterId).toBe("EU-RO-1");
    expect((await c.del(`/v2/network-volumes/${v.id}`)).status).toBe(400);
    expect((await c.del(`/v1/networkvolumes/${v.id}`)).status).toBe(400);
    expect((await c.del(`/v2/pods/${pod.id}`)).status).toBe(204);
    const ep = await c.post("/v1/endpoints", { templateId: await serverlessTemplate(), networkVolumeId: v.id });
    expect(ep.status).toBe(200);
    expect((await c.del(`/v2/network-volumes/${v.id}`)).status).toBe(400);
    expect((await c.del(`/v1/endpoints/${ep.body.id}`)).status).toBe(204);
    expect((await c.del(`/v2/network-volumes/${v.id}`)).status).toBe(204);
  });
});

async function serverlessTemplate(name = "worker"): Promise<string> {
  const r = await c.post("/v1/templates", { name, imageName: "runpod/worker:1", isServerless: true, volumeInGb: 0, env: { MODEL: "m" } });
  expect(r.status).toBe(200);
  return r.body.id;
}

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
    const pod = await v1Pod({ templateId: tid, imageName: undefined });
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

    const st = await serverlessTemplate();
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
    const st = await serverlessTemplate();
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
    const pod = await v2Pod({ registry: r.body.id });
    expect((await c.del(`/v2/registries/${r.body.id}`)).status).toBe(400);
    await c.del(`/v2/pods/${pod.id}`);
    expect((await c.del(`/v1/containerregistryauth/${r.body.id}`)).status).toBe(204);
    expect((await c.get(`/v2/templates/${t.body.id}`)).body.registry).toBeNull();
  });
});

describe("pods", () => {
  test("lifecycle is driven by polls: PROVISIONING → STARTING → RUNNING with network, cost and GPU details", async () => {
    const p = await v2Pod({ gpu: { id: "NVIDIA A40", count: 2 } });
    expect(p).toMatchObject({ status: "PROVISIONING", runtime: null, startedAt: null, gpu: { id: "NVIDIA A40", count: 2 }, actions: ["stop", "terminate"] });
    expect(p.id).toMatch(/^[a-z0-9]{14}$/);
    expect((await c.get(`/v2/pods/${p.id}`)).body.status).toBe("STARTING");
    const v1Starting = await c.get(`/v1/pods/${p.id}`); // second poll (GETs on either wire count)
    expect(v1Starting.body.desiredStatus).toBe("RUNNING");
    const running = await c.get(`/v2/pods/${p.id}`);
    expect(running.body.status).toBe("RUNNING");
    expect(running.body.cost).toBeCloseTo(0.8);
    const ssh = running.body.runtime.ports.find((x: { private: number }) => x.private === 22);
    expect(ssh).toMatchObject({ type: "tcp", public: expect.any(Number), ip: expect.any(String) });
    expect(running.body.ssh.direct).toMatchObject({ port: ssh.public, username: "root" });
    const v1 = await c.get(`/v1/pods/${p.id}?includeMachine=true`);
    expect(v1.body).toMatchObject({
      desiredStatus: "RUNNING",
      publicIp: running.body.runtime.ports[0].ip,
      portMappings: { "22": ssh.public },
      costPerHr: 0.8,
      gpu: { id: "NVIDIA A40", count: 2, displayName: "A40" },
      machine: { gpuTypeId: "NVIDIA A40", dataCenterId: running.body.dataCenterId },
    });
    expect(v1.body.lastStartedAt).toBe(running.body.startedAt);
  });

  test("podReadyAfterPolls 0 → RUNNING at create; v1 chooses the data centre from the request", async () => {
    emu.configure({ podReadyAfterPolls: 0 });
    const p = await v1Pod({ dataCenterIds: ["US-TX-3", "EU-RO-1"], ports: ["22/tcp"] });
    expect(p.desiredStatus).toBe("RUNNING");
    expect(p.portMappings).toEqual({ "22": expect.any(Number) });
    expect((await c.get(`/v2/pods/${p.id}`)).body.dataCenterId).toBe("US-TX-3");
  });

  test("stop/start on both wires; start needs polls again; cost 0 while stopped", async () => {
    const p = await v2Pod();
    await pollPod(c, "v2", p.id);
    const stopped = await c.post(`/v2/pods/${p.id}/action`, { action: "stop" });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ status: "EXITED", cost: 0, runtime: null, actions: ["start", "terminate"] });
    expect((await c.post(`/v2/pods/${p.id}/action`, { action: "stop" })).status).toBe(409);
    const started = await c.post(`/v1/pods/${p.id}/start`);
    expect(started.status).toBe(200);
    expect(started.text).toBe("");
    expect((await c.get(`/v2/pods/${p.id}`)).body.status).toBe("STARTING");
    expect((await c.get(`/v2/pods/${p.id}`)).body.status).toBe("RUNNING");
    expect((await c.post(`/v1/pods/${p.id}/stop`)).status).toBe(200);
    expect((await c.get(`/v1/pods/${p.id}`)).body).toMatchObject({ desiredStatus: "EXITED", costPerHr: 0, publicIp: null });
    const term = await c.post(`/v2/pods/${p.id}/action`, { action: "terminate" });
    expect(term.status).toBe(204);
    expect((await c.get(`/v2/pods/${p.id}`)).status).toBe(404);
  });

  test("locked pods refuse stop/reset (v1 400, v2 409) and v2 delete (409)", async () => {
    emu.configure({ podReadyAfterPolls: 0 });
    const p = await v1Pod({ locked: true });
    expect((await c.post(`/v1/pods/${p.id}/stop`)).status).toBe(400);
    expect((await c.post(`/v1/pods/${p.id}/reset`)).status).toBe(400);
    expect((await c.post(`/v2/pods/${p.id}/action`, { action: "stop" })).status).toBe(409);
    expect((await c.del(`/v2/pods/${p.id}`)).status).toBe(409);
    expect((await c.get(`/v2/pods/${p.id}`)).body.actions).toEqual([]);
    expect((await c.patch(`/v2/pods/${p.id}`, { locked: false })).body.locked).toBe(false);
    expect((await c.del(`/v2/pods/${p.id}`)).status).toBe(204);
  });

  test("v2 PATCH of a transitioning pod → 409; v1 PATCH resets the pod (name-only does not)", async () => {
    const p = await v2Pod();
    expect((await c.patch(`/v2/pods/${p.id}`, { name: "x" })).status).toBe(409);
    await pollPod(c, "v2", p.id);
    expect((await c.patch(`/v1/pods/${p.id}`, { name: "renamed" })).body.publicIp).toEqual(expect.any(String));
    const reset = await c.patch(`/v1/pods/${p.id}`, { imageName: "img:2", env: { X: "1" } });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ image: "img:2", desiredStatus: "RUNNING", publicIp: null, name: "renamed" });
    expect((await c.get(`/v2/pods/${p.id}`)).body.status).toBe("STARTING");
    expect((await c.get(`/v2/pods/${p.id}`)).body.status).toBe("RUNNING");
  });

  test("GPU stock: capacity errors on both wires, consumed by running pods, returned on stop", async () => {
    emu.setGpuStock("NVIDIA A40", 1);
    const tooMany = await c.post("/v2/pods", { name: "p", image: "i", gpu: { id: "NVIDIA A40", count: 2 } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.title).toBe(V2_CAPACITY_TITLE);
    const first = await v2Pod();
    const v1Fail = await c.post("/v1/pods", { imageName: "i", gpuTypeIds: ["NVIDIA A40"] });
    expect(v1Fail.status).toBe(400);
    expect(v1Fail.body).toEqual({ message: V1_CAPACITY_MESSAGE });
    // v1 falls through its gpuTypeIds list to a type with capacity
    const fallback = await v1Pod({ gpuTypeIds: ["NVIDIA A40", "NVIDIA L4"] });
    expect(fallback.gpu.id).toBe("NVIDIA L4");
    await c.post(`/v2/pods/${first.id}/action`, { action: "stop" });
    const second = await v2Pod();
    expect((await c.post(`/v2/pods/${first.id}/action`, { action: "start" })).status).toBe(400);
    await c.del(`/v2/pods/${second.id}`);
    expect((await c.post(`/v2/pods/${first.id}/action`, { action: "start" })).status).toBe(200);
    emu.setGpuStock("NVIDIA A40", null);
  });

  test("preempt (spot), failPodStart and setPodStatus", async () => {
    emu.configure({ podReadyAfterPolls: 1 });
    const spot = await v1Pod({ interruptible: true });
    await pollPod(c, "v1", spot.id);
    emu.preempt(spot.id);
    expect((await c.get(`/v1/pods/${spot.id}`)).body).toMatchObject({ desiredStatus: "EXITED", costPerHr: 0 });
    expect((await c.get(`/v2/pods/${spot.id}`)).body.status).toBe("EXITED");
    const onDemand = await v1Pod();
    expect(() => emu.preempt(onDemand.id)).toThrow(/not interruptible/);

    emu.failPodStart("next");
    const doomed = await v2Pod();
    expect((await c.get(`/v2/pods/${doomed.id}`)).body).toMatchObject({ status: "ERROR", cost: 0, actions: ["start", "terminate"] });
    expect((await c.get(`/v1/pods/${doomed.id}`)).body.desiredStatus).toBe("EXITED");

    const other = await v2Pod();
    emu.failPodStart(other.id);
    expect((await c.get(`/v2/pods/${other.id}`)).body.status).toBe("ERROR");

    emu.setPodStatus(other.id, "RUNNING");
    expect((await c.get(`/v2/pods/${other.id}`)).body.status).toBe("RUNNING");
  });

  test("exactly one of gpu/cpu; CPU pods; unknown GPU type", async () => {
    expect((await c.post("/v2/pods", { name: "p", image: "i" })).status).toBe(400);
    expect((await c.post("/v2/pods", { name: "p", image: "i", gpu: { id: "NVIDIA A40" }, cpu: { id: "cpu3c", vcpuCount: 2 } })).status).toBe(400);
    expect((await c.post("/v2/pods", { name: "p", image: "i", gpu: { id: "NVIDIA GTX 9000" } })).status).toBe(400);
    const cpu = await c.post("/v2/pods", { name: "p", image: "i", cpu: { id: "cpu3g", vcpuCount: 4 } });
    expect(cpu.status).toBe(201);
    expect(cpu.body.cpu).toEqual({ id: "cpu3g", vcpuCount: 4, memory: 16 });
    expect(cpu.body.gpu).toBeUndefined();
    expect((await c.get(`/v1/pods/${cpu.body.id}`)).body).toMatchObject({ cpuFlavorId: "cpu3g", vcpuCount: 4, memoryInGb: 16 });
    expect((await c.post("/v2/pods", { name: "p", image: "i", cpu: { id: "cpu3g", vcpuCount: 6 } })).status).toBe(400);
  });
});

describe("serverless endpoints", () => {
  const base = {
    name: "ep",
    type: "QUEUE",
    image: "worker:1",
    gpu: { pools: ["ADA_24", "AMPERE_48"], excludedTypes: ["NVIDIA RTX A6000"] },
    scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
  };

  test("releases (v2) and version (v1) advance on every update, newest release first", async () => {
    const e = await c.post("/v2/serverless", { ...base, workers: { min: 0, max: 2 } });
    expect(e.status).toBe(201);
    expect(e.body.id).toMatch(/^[a-z0-9]{14}$/);
    expect((await c.get(`/v2/serverless/${e.body.id}/releases`)).body.releases).toHaveLength(1);
    const up = await c.patch(`/v2/serverless/${e.body.id}`, { workers: { max: 5 }, env: { A: "1" } });
    expect(up.status).toBe(200);
    expect(up.body.workers).toEqual({ min: 0, max: 5, idleTimeout: 10 });
    const v1 = await c.get(`/v1/endpoints/${e.body.id}`);
    expect(v1.body).toMatchObject({
      version: 2,
      workersMax: 5,
      env: { A: "1" },
      scalerType: "QUEUE_DELAY",
      scalerValue: 4,
      gpuTypeIds: ["NVIDIA GeForce RTX 4090", "NVIDIA A40"],
    });
    const v1up = await c.post(`/v1/endpoints/${e.body.id}/update`, { idleTimeout: 30, flashboot: true });
    expect(v1up.body.version).toBe(3);
    const rel = await c.get(`/v2/serverless/${e.body.id}/releases`);
    expect(rel.body.endpointVersion).toBe(3);
    expect(rel.body.releases.map((r: { version: number }) => r.version)).toEqual([3, 2, 1]);
    expect(rel.body.releases[1].diff).toEqual(
      expect.arrayContaining([
        { field: "workers.max", old: 2, new: 5 },
        { field: "env", old: {}, new: { A: "1" } },
      ]),
    );
    expect((await c.get(`/v2/serverless/${e.body.id}`)).body).toMatchObject({ flashboot: "FLASHBOOT", workers: { idleTimeout: 30 } });
  });

  test("workers must be scaled to zero before delete (switchable)", async () => {
    const e = await c.post("/v2/serverless", { ...base, workers: { min: 1, max: 2 } });
    const v2 = await c.del(`/v2/serverless/${e.body.id}`);
    expect(v2.status).toBe(400);
    expect(v2.body.detail).toMatch(/workers must be scaled to zero/);
    expect((await c.del(`/v1/endpoints/${e.body.id}`)).status).toBe(400);
    expect((await c.get(`/v2/serverless/${e.body.id}/workers`)).body.summary.total).toBe(1);
    await c.patch(`/v1/endpoints/${e.body.id}`, { workersMin: 0 });
    expect((await c.del(`/v2/serverless/${e.body.id}`)).status).toBe(204);
    emu.configure({ requireScaleToZeroBeforeDelete: false });
    const e2 = await c.post("/v2/serverless", { ...base, workers: { min: 1, max: 2 } });
    expect((await c.del(`/v2/serverless/${e2.body.id}`)).status).toBe(204);
  });

  test("scaling rules: QUEUE_DELAY not on LOAD_BALANCER, no idleTimeout with REQUEST_COUNT queues, type immutable", async () => {
    const lb = await c.post("/v2/serverless", { ...base, type: "LOAD_BALANCER", scaling: { type: "REQUEST_COUNT", requestCount: 10 } });
    expect(lb.status).toBe(201);
    expect(lb.body.requestUrls).toEqual({ base: expect.stringContaining(lb.body.id), health: expect.any(String) });
    expect((await c.patch(`/v2/serverless/${lb.body.id}`, { scaling: { type: "QUEUE_DELAY", queueDelay: 2 } })).status).toBe(400);
    expect((await c.patch(`/v2/serverless/${lb.body.id}`, { type: "QUEUE" })).status).toBe(422);
    const rc = await c.post("/v2/serverless", { ...base, scaling: { type: "REQUEST_COUNT", requestCount: 3 }, workers: { idleTimeout: 5 } });
    expect(rc.status).toBe(400);
    expect(rc.body.errors).toEqual([expect.stringMatching(/^workers\.idleTimeout/)]);
    const ok = await c.post("/v2/serverless", { ...base, scaling: { type: "REQUEST_COUNT", requestCount: 3 } });
    expect(ok.body.workers).toEqual({ min: 0, max: 3 });
  });

  test("v1 endpoints map to v2 (gpuTypeIds ↔ pools, scaler ↔ scaling, CPU flavors)", async () => {
    const tid = await serverlessTemplate();
    const e = await c.post("/v1/endpoints", {
      templateId: tid,
      name: "v1-ep",
      gpuTypeIds: ["NVIDIA GeForce RTX 4090", "NVIDIA L4"],
      gpuCount: 2,
      scalerType: "REQUEST_COUNT",
      scalerValue: 3,
      workersMax: 4,
      executionTimeoutMs: 60000,
      flashboot: true,
    });
    expect(e.status).toBe(200);
    expect(e.body).toMatchObject({ templateId: tid, version: 1, env: { MODEL: "m" }, gpuCount: 2, executionTimeoutMs: 60000 });
    const v2 = await c.get(`/v2/serverless/${e.body.id}`);
    expect(v2.body).toMatchObject({
      type: "QUEUE",
      image: "runpod/worker:1",
      gpu: { pools: ["ADA_24", "AMPERE_24"], excludedTypes: ["NVIDIA RTX A5000", "NVIDIA GeForce RTX 3090"], count: 2 },
      scaling: { type: "REQUEST_COUNT", requestCount: 3 },
      timeout: 60000,
      flashboot: "FLASHBOOT",
      workers: { min: 0, max: 4 },
    });
    const cpu = await c.post("/v1/endpoints", { templateId: tid, computeType: "CPU", cpuFlavorIds: ["cpu3c", "cpu5g"], vcpuCount: 4 });
    expect(cpu.body.instanceIds).toEqual(["cpu3c-4-8", "cpu5g-4-16"]);
    expect((await c.get(`/v2/serverless/${cpu.body.id}`)).body).toMatchObject({
      gpu: null,
      cpu: [
        { id: "cpu3c", vcpuCount: 4, memory: 8 },
        { id: "cpu5g", vcpuCount: 4, memory: 16 },
      ],
    });
    expect((await c.patch(`/v2/serverless/${cpu.body.id}`, { gpu: { count: 2 } })).status).toBe(400);
  });
});

describe("catalog", () => {
  test("GPU types with pools, CPU flavors and data centres", async () => {
    const gpus = await c.get("/v2/catalog/gpus");
    const ids = gpus.body.gpus.map((g: { id: string }) => g.id);
    expect(ids).toEqual(
      expect.arrayContaining(["NVIDIA GeForce RTX 4090", "NVIDIA A40", "NVIDIA H100 80GB HBM3", "NVIDIA L4", "NVIDIA RTX A5000", "NVIDIA A100 80GB PCIe"]),
    );
    const pool = (id: string) => gpus.body.gpus.find((g: { id: string }) => g.id === id).pool;
    expect([
      pool("NVIDIA GeForce RTX 4090"),
      pool("NVIDIA A40"),
      pool("NVIDIA H100 80GB HBM3"),
      pool("NVIDIA RTX A5000"),
      pool("NVIDIA A100 80GB PCIe"),
    ]).toEqual(["ADA_24", "AMPERE_48", "ADA_80_PRO", "AMPERE_24", "AMPERE_80"]);
    expect((await c.get("/v2/catalog/gpus?include=AVAILABILITY")).status).toBe(400);
    emu.setGpuStock("NVIDIA A40", 0);
    const a40 = await c.get(`/v2/catalog/gpus/${encodeURIComponent("NVIDIA A40")}?include=AVAILABILITY&product=POD`);
    expect(a40.body.availability).toBe("NONE");
    const cpus = await c.get("/v2/catalog/cpus");
    expect(cpus.body.cpus.map((x: { id: string }) => x.id)).toEqual(["cpu3c", "cpu3g", "cpu3m", "cpu5c", "cpu5g", "cpu5m"]);
    const dcs = await c.get("/v2/catalog/datacenters?regions=EUROPE&globalNetwork=true");
    expect(dcs.body.dataCenters.length).toBeGreaterThan(3);
    expect(dcs.body.dataCenters.every((d: { region: string; globalNetwork: boolean }) => d.region === "EUROPE" && d.globalNetwork)).toBe(true);
    expect((await c.get("/v2/catalog/datacenters/NOPE-1")).status).toBe(404);
  });
});
