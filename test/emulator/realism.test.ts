// The realism switches of the emulator: RateLimit headers and quota, 401 before 429, read-only
// keys (403), cluster-member pods (409), pod actions outside the pod's `actions` (409), listing
// lag and sparse answers. The clock is driven, so nothing here sleeps.
import * as fs from "node:fs";
import { startEmulator, Emulator, DEFAULT_RATE_LIMIT, V1_ROUTES, V2_ROUTES } from "runpod-emulator";
import { client, Client, Res } from "./helpers";

let emu: Emulator;
let c: Client;
let clock = Date.UTC(2026, 0, 1, 12, 0, 0);

const spec = (wire: "v1" | "v2") => JSON.parse(fs.readFileSync(require.resolve(`runpod-emulator/spec/runpod-openapi-${wire}.json`), "utf8"));
const V2 = spec("v2");
const V1 = spec("v1");

beforeAll(async () => {
  emu = await startEmulator({ seed: 7, apiKey: "test-key", readOnlyKeys: ["ro-key"], podReadyAfterPolls: 0, now: () => clock });
  c = client(emu);
});
beforeEach(() => {
  emu.reset();
  emu.configure({ rateLimit: { ...DEFAULT_RATE_LIMIT }, listingLag: null, sparse: false });
});
afterAll(() => emu.close());

/** Parse an RFC 9651 list of `"name";k=v;k=v` members (the shape the v2 spec documents). */
function parseSfList(header: string | null): Record<string, Record<string, number>> {
  expect(header).toEqual(expect.any(String));
  const out: Record<string, Record<string, number>> = {};
  for (const member of header!.split(",").map((m) => m.trim())) {
    const [name, ...params] = member.split(";");
    expect(name).toMatch(/^"(minute|hour|day)"$/);
    out[JSON.parse(name)] = Object.fromEntries(
      params.map((p) => {
        const [k, v] = p.split("=");
        expect(v).toMatch(/^\d+$/);
        return [k, Number(v)];
      }),
    );
  }
  return out;
}

async function v2Pod(): Promise<any> {
  const r = await c.post("/v2/pods", { name: "pod", image: "runpod/base:1", gpu: { id: "NVIDIA A40" }, ports: ["22/tcp"] });
  expect(r.status).toBe(201);
  return r.body;
}

describe("route tables", () => {
  test("every route's method + path is the spec's path for its operationId", () => {
    for (const [wire, tables] of [
      ["v2", V2_ROUTES],
      ["v1", V1_ROUTES],
    ] as const) {
      const doc = wire === "v2" ? V2 : V1;
      const keys = tables.flatMap((t) => Object.entries(t));
      expect(keys.length).toBeGreaterThan(20);
      for (const [key, route] of keys) {
        const [method, path] = key.split(" ");
        expect({ key, operationId: doc.paths[path]?.[method.toLowerCase()]?.operationId }).toEqual({ key, operationId: route.operationId });
      }
    }
  });
});

describe("RateLimit headers", () => {
  test("every authenticated answer carries both headers, consistent with the configured quota", async () => {
    emu.configure({ rateLimit: { minute: 50, hour: 500, day: 5000 } });
    const answers: Res[] = [await c.get("/v2/pods"), await c.get("/v1/pods"), await c.gql("query { myself { secrets { id } } }"), await c.get("/v2/pods/nope")];
    answers.forEach((r, i) => {
      const policy = parseSfList(r.headers.get("ratelimit-policy"));
      expect(policy).toEqual({ minute: { q: 50, w: 60 }, hour: { q: 500, w: 3600 }, day: { q: 5000, w: 86400 } });
      const live = parseSfList(r.headers.get("ratelimit"));
      expect(live.minute.r).toBe(50 - (i + 1));
      expect(live.hour.r).toBe(500 - (i + 1));
      expect(live.day.r).toBe(5000 - (i + 1));
      // 12:00:00 sharp: every window resets in its full length.
      expect(live.minute.t).toBe(60);
      expect(live.hour.t).toBe(3600);
    });
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 404]);
  });

  test("a 401 carries no RateLimit headers; a rate-limit-exempt caller (rateLimit null) gets none", async () => {
    const bad = await client(emu, "wrong").get("/v2/pods");
    expect(bad.status).toBe(401);
    expect(bad.headers.get("ratelimit")).toBeNull();
    emu.configure({ rateLimit: null });
    const exempt = await c.get("/v2/pods");
    expect(exempt.status).toBe(200);
    expect(exempt.headers.get("ratelimit")).toBeNull();
    expect(exempt.headers.get("ratelimit-policy")).toBeNull();
  });

  test("over the quota → 429 with Retry-After = the window's t; the window resets on the emulator clock", async () => {
    emu.configure({ rateLimit: { minute: 2, hour: 100, day: 1000 } });
    clock += 15_000; // 15 s into the minute window
    expect((await c.get("/v2/pods")).status).toBe(200);
    expect((await c.get("/v2/pods")).status).toBe(200);
    const limited = await c.get("/v2/pods");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("45");
    expect(parseSfList(limited.headers.get("ratelimit")).minute).toEqual({ r: 0, t: 45 });
    clock += 45_000;
    const again = await c.get("/v2/pods");
    expect(again.status).toBe(200);
    expect(parseSfList(again.headers.get("ratelimit")).minute.r).toBe(1);
  });

  test("the API key is checked before rate limiting: a bad key is 401, never 429", async () => {
    emu.configure({ rateLimit: { minute: 1, hour: 100, day: 1000 } });
    expect((await c.get("/v2/pods")).status).toBe(200);
    expect((await c.get("/v2/pods")).status).toBe(429);
    for (const key of ["wrong", null]) {
      const r = await client(emu, key).get("/v2/pods");
      expect(r.status).toBe(401);
    }
    // A 429 fault burst does not hide a bad key either.
    emu.configure({ rateLimit: null });
    emu.faults.set({ status429: 5 });
    expect((await client(emu, "wrong").get("/v1/pods")).status).toBe(401);
    expect((await c.get("/v1/pods")).status).toBe(429);
    emu.faults.clear();
  });
});

describe("read-only keys", () => {
  test("a read-only key reads (200) but every mutation is 403 on every wire; nothing changes", async () => {
    const ro = client(emu, "ro-key");
    expect((await ro.get("/v2/pods")).status).toBe(200);
    const v2 = await ro.post("/v2/network-volumes", { name: "v", size: 10, dataCenter: "EU-RO-1" });
    expect(v2.status).toBe(403);
    expect(v2.body).toMatchObject({ title: "Forbidden", status: 403 });
    expect(await emu.validateResponse("v2", "createNetworkVolume", 403, v2.body)).toEqual([]);
    expect(parseSfList(v2.headers.get("ratelimit")).minute.r).toBeGreaterThan(0);
    const v1 = await ro.post("/v1/networkvolumes", { name: "v", size: 10, dataCenterId: "EU-RO-1" });
    expect(v1.status).toBe(403);
    expect(v1.body).toEqual({ message: expect.any(String) });
    const gql = await ro.gql('mutation { secretCreate(input: {name: "s", value: "v"}) { id } }');
    expect(gql.body.errors[0].extensions.code).toBe("FORBIDDEN");
    const readQuery = await ro.gql("query { myself { secrets { id } } }");
    expect(readQuery.body.data.myself.secrets).toEqual([]);
    expect(emu.list("networkVolumes")).toEqual([]);
    expect(emu.list("secrets")).toEqual([]);
    expect((await client(emu, "not-a-key").get("/v2/pods")).status).toBe(401);
  });

  test("the set is switchable per test (configure / admin settings)", async () => {
    emu.configure({ readOnlyKeys: [] });
    expect((await client(emu, "ro-key").get("/v2/pods")).status).toBe(401);
    const r = await fetch(`${emu.url}/__emulator/settings`, { method: "PATCH", body: JSON.stringify({ readOnlyKeys: ["ro-key"] }) });
    expect(r.status).toBe(200);
    expect((await client(emu, "ro-key").del("/v2/pods/x")).status).toBe(403);
  });
});

describe("cluster-member pods", () => {
  test("v2 PATCH and DELETE answer the spec's 409 without RateLimit headers; GET /v2/pods hides them by default", async () => {
    const pod = await v2Pod();
    emu.setPodCluster(pod.id, { id: "cluster_1", rank: 0 });
    const patch = await c.patch(`/v2/pods/${pod.id}`, { name: "renamed" });
    const del = await c.del(`/v2/pods/${pod.id}`);
    for (const r of [patch, del]) {
      expect(r.status).toBe(409);
      expect(r.headers.get("content-type")).toMatch(/application\/problem\+json/);
      expect(r.body.detail).toMatch(/belongs to a cluster/);
      expect(r.headers.get("ratelimit")).toBeNull();
    }
    expect(await emu.validateResponse("v2", "updatePod", 409, patch.body)).toEqual([]);
    expect(emu.get("pods", pod.id)!.name).toBe("pod");
    expect((await c.get("/v2/pods")).body.pods).toEqual([]);
    const all = await c.get("/v2/pods?includeClusterPods=true");
    expect(all.body.pods.map((p: any) => [p.id, p.cluster])).toEqual([[pod.id, { id: "cluster_1", rank: 0 }]]);
    expect(await emu.validateResponse("v2", "listPods", 200, all.body)).toEqual([]);
    // Through the admin API, and back to standalone.
    expect((await fetch(`${emu.url}/__emulator/pods/${pod.id}/cluster`, { method: "DELETE" })).status).toBe(204);
    expect((await c.patch(`/v2/pods/${pod.id}`, { name: "renamed" })).status).toBe(200);
    expect((await fetch(`${emu.url}/__emulator/pods/${pod.id}/cluster`, { method: "POST", body: JSON.stringify({ id: "c2" }) })).status).toBe(204);
    expect((await c.del(`/v2/pods/${pod.id}`)).status).toBe(409);
  });
});

describe("pod actions", () => {
  test("an action outside the pod's `actions` list is a 409; a listed one is accepted", async () => {
    for (const status of ["RUNNING", "EXITED", "STARTING"] as const) {
      const pod = await v2Pod();
      emu.setPodStatus(pod.id, status);
      const { actions } = (await c.get(`/v2/pods/${pod.id}`)).body;
      expect(actions.length).toBeGreaterThan(0);
      for (const action of ["start", "stop", "restart", "terminate"].filter((a) => !actions.includes(a))) {
        const r = await c.post(`/v2/pods/${pod.id}/action`, { action });
        expect({ status, action, code: r.status }).toEqual({ status, action, code: 409 });
        expect(await emu.validateResponse("v2", "podAction", 409, r.body)).toEqual([]);
      }
      const allowed = actions.find((a: string) => a !== "terminate");
      expect((await c.post(`/v2/pods/${pod.id}/action`, { action: allowed })).status).toBe(200);
    }
  });
});

describe("listing lag", () => {
  test("a created object is absent from the next N list calls of its kind, while GET by id finds it", async () => {
    emu.configure({ listingLag: { lists: 2 } });
    const vol = (await c.post("/v2/network-volumes", { name: "v", size: 10, dataCenter: "EU-RO-1" })).body;
    expect((await c.get(`/v2/network-volumes/${vol.id}`)).status).toBe(200);
    expect((await c.get("/v2/network-volumes")).body.networkVolumes).toEqual([]);
    expect(await (await c.get("/v1/networkvolumes")).body).toEqual([]);
    expect((await c.get("/v2/network-volumes")).body.networkVolumes.map((v: any) => v.id)).toEqual([vol.id]);
    const secret = await c.gql('mutation { secretCreate(input: {name: "s", value: "v"}) { id } }');
    expect(secret.body.data.secretCreate.id).toEqual(expect.any(String));
    const list = () => c.gql("query { myself { secrets { id } } }");
    expect((await list()).body.data.myself.secrets).toEqual([]);
    expect((await list()).body.data.myself.secrets).toEqual([]);
    expect((await list()).body.data.myself.secrets).toHaveLength(1);
  });

  test("or for N ms of the emulator's clock", async () => {
    emu.configure({ listingLag: { ms: 5000 } });
    const pod = await v2Pod();
    expect((await c.get("/v2/pods")).body.pods).toEqual([]);
    clock += 4999;
    expect((await c.get("/v1/pods")).body).toEqual([]);
    clock += 1;
    expect((await c.get("/v2/pods")).body.pods.map((p: any) => p.id)).toEqual([pod.id]);
  });
});

/** Every property name an object schema requires (through $ref and allOf). */
function requiredOf(doc: any, schema: any): string[] {
  if (schema.$ref)
    return requiredOf(
      doc,
      schema.$ref
        .slice(2)
        .split("/")
        .reduce((o: any, k: string) => o[k], doc),
    );
  return [...(schema.required ?? []), ...(schema.allOf ?? []).flatMap((s: any) => requiredOf(doc, s))];
}

describe("sparse mode", () => {
  test("answers carry only required fields, null where nullable, empty lists where allowed, and still conform", async () => {
    const rich = await v2Pod();
    expect(rich.gpu).toEqual({ id: "NVIDIA A40", count: 1 });
    emu.configure({ sparse: true });
    const pod = (await c.get(`/v2/pods/${rich.id}`)).body;
    expect(Object.keys(pod).sort()).toEqual([...new Set(requiredOf(V2, V2.components.schemas.Pod))].sort());
    expect(pod.gpu).toBeUndefined();
    expect(pod.actions).toEqual([]);
    expect(pod.ports).toEqual([]);
    expect(pod.runtime).toBeNull();
    expect(pod.dataCenterId).toBeNull();
    expect(pod.id).toBe(rich.id);
    expect(await emu.validateResponse("v2", "getPod", 200, pod)).toEqual([]);

    const list = (await c.get("/v2/pods")).body;
    expect(list.pods.map((p: any) => p.id)).toEqual([rich.id]);
    expect(await emu.validateResponse("v2", "listPods", 200, list)).toEqual([]);

    const ep = await c.post("/v2/serverless", {
      name: "ep",
      type: "QUEUE",
      image: "w",
      gpu: { pools: ["AMPERE_80"] },
      scaling: { type: "QUEUE_DELAY", queueDelay: 2 },
    });
    expect(ep.status).toBe(201);
    expect(ep.body.gpu).toBeUndefined();
    expect(ep.body.requestUrls).toBeUndefined();
    expect(ep.body.dataCenterIds).toEqual([]);
    expect(await emu.validateResponse("v2", "createEndpoint", 201, ep.body)).toEqual([]);

    const v1 = (await c.get(`/v1/pods/${rich.id}`)).body;
    expect(await emu.validateResponse("v1", "GetPod", 200, v1)).toEqual([]);
    expect(Object.keys(v1).length).toBeLessThan(Object.keys((emu.configure({ sparse: false }), (await c.get(`/v1/pods/${rich.id}`)).body)).length);

    // Off again: the full answer is back.
    expect((await c.get(`/v2/pods/${rich.id}`)).body.gpu).toEqual({ id: "NVIDIA A40", count: 1 });
  });

  test("switchable through the admin API", async () => {
    const pod = await v2Pod();
    await fetch(`${emu.url}/__emulator/settings`, { method: "PATCH", body: JSON.stringify({ sparse: true }) });
    expect((await c.get(`/v2/pods/${pod.id}`)).body.gpu).toBeUndefined();
  });
});
