import { startEmulator, Emulator } from "runpod-emulator";
import { client, Client } from "./helpers";

let emu: Emulator;
let c: Client;

beforeAll(async () => {
  emu = await startEmulator({ seed: 4242, podReadyAfterPolls: 0 });
  c = client(emu);
});
beforeEach(() => emu.reset());
afterAll(() => emu.close());

const VOL = { name: "v", size: 10, dataCenter: "EU-RO-1" };

describe("faults", () => {
  test("latencyMs is added to every request", async () => {
    emu.faults.set({ latencyMs: 25 });
    const t0 = performance.now();
    expect((await c.get("/v2/pods")).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(24);
    expect(emu.requests()[0].durationMs).toBeGreaterThanOrEqual(24);
  });

  test("status429: the next N requests get 429 + Retry-After in each wire's error shape", async () => {
    emu.faults.set({ status429: 3 });
    const v2 = await c.get("/v2/pods");
    const v1 = await c.get("/v1/pods");
    const g = await c.gql("{ myself { secrets { id } } }");
    for (const r of [v2, v1, g]) {
      expect(r.status).toBe(429);
      expect(r.headers.get("retry-after")).toBe("1");
    }
    expect(v2.body).toMatchObject({ title: "Too Many Requests", status: 429 });
    expect(typeof v1.body.message).toBe("string");
    expect(g.body.errors).toHaveLength(1);
    expect((await c.get("/v2/pods")).status).toBe(200);
    expect(emu.requests().map((e) => e.fault)).toEqual(["429:burst", "429:burst", "429:burst", undefined]);
  });

  test("status429 with every/burst repeats the burst", async () => {
    emu.faults.set({ status429: { every: 3, burst: 2, retryAfterSeconds: 7 } });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await c.get("/v2/network-volumes")).status);
    expect(statuses).toEqual([200, 200, 429, 429, 200, 429, 429, 200]);
    expect(emu.requests()[2].fault).toBe("429:burst");
  });

  test("errorRate fails requests before they mutate state (errorStatus selectable)", async () => {
    emu.faults.set({ errorRate: 1, errorStatus: 502 });
    const r = await c.post("/v2/network-volumes", VOL);
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ status: 502, title: "Bad Gateway" });
    expect((await c.post("/v1/networkvolumes", { name: "v", size: 10, dataCenterId: "EU-RO-1" })).status).toBe(502);
    expect(emu.list("networkVolumes")).toHaveLength(0);
    emu.faults.clear();
    expect((await c.post("/v2/network-volumes", VOL)).status).toBe(201);
  });

  test("dropConnectionRate destroys the socket without a response and without mutating state", async () => {
    emu.faults.set({ dropConnectionRate: 1 });
    await expect(c.post("/v2/network-volumes", VOL)).rejects.toThrow();
    expect(emu.list("networkVolumes")).toHaveLength(0);
    expect(emu.requests()[0]).toMatchObject({ status: 0, fault: "drop-connection", operation: "createNetworkVolume" });
  });

  test("loseCreateResponses: the create is applied, then the client gets a socket error", async () => {
    emu.faults.set({ loseCreateResponses: 2 });
    // reads are not creates: unaffected
    expect((await c.get("/v2/network-volumes")).status).toBe(200);
    await expect(c.post("/v2/network-volumes", VOL)).rejects.toThrow();
    expect(emu.list("networkVolumes")).toHaveLength(1);
    await expect(c.gql(`mutation { secretCreate(input: {name: "S", value: "x"}) { id } }`)).rejects.toThrow();
    expect(emu.list("secrets")).toHaveLength(1);
    // a failed create does not consume the fault budget… and the budget is now spent
    const ok = await c.post("/v1/networkvolumes", { name: "w", size: 10, dataCenterId: "EU-RO-1" });
    expect(ok.status).toBe(200);
    expect(emu.list("networkVolumes")).toHaveLength(2);
    const faults = emu.requests().map((e) => e.fault);
    expect(faults).toEqual([undefined, "lost-response", "lost-response", undefined]);
    expect(emu.requests()[1].status).toBe(201);
  });

  test("outageAfterLostCreate: after a lost create every request fails (5xx) until the faults change", async () => {
    emu.faults.set({ loseCreateResponses: 1, outageAfterLostCreate: true });
    // before the lost create, Runpod answers
    expect((await c.get("/v2/network-volumes")).status).toBe(200);
    await expect(c.post("/v2/network-volumes", VOL)).rejects.toThrow();
    expect(emu.list("networkVolumes")).toHaveLength(1);
    // then it is down on every wire, and nothing is changed
    expect((await c.get("/v2/network-volumes")).status).toBe(503);
    expect((await c.get("/v1/networkvolumes")).status).toBe(503);
    expect((await c.gql("{ myself { secrets { id } } }")).status).toBe(503);
    expect((await c.post("/v2/network-volumes", { ...VOL, name: "w" })).status).toBe(503);
    expect(emu.list("networkVolumes")).toHaveLength(1);
    expect(emu.requests().map((e) => e.fault)).toEqual([undefined, "lost-response", "error:503", "error:503", "error:503", "error:503"]);
    // updating the faults ends the outage
    emu.faults.update({ errorStatus: 502 });
    expect((await c.get("/v2/network-volumes")).status).toBe(200);
    emu.faults.set({ loseCreateResponses: 1, outageAfterLostCreate: true, errorStatus: 502 });
    await expect(c.post("/v1/networkvolumes", { name: "x", size: 10, dataCenterId: "EU-RO-1" })).rejects.toThrow();
    expect((await c.get("/v1/networkvolumes")).status).toBe(502);
    emu.faults.clear();
    expect((await c.get("/v1/networkvolumes")).status).toBe(200);
    expect(emu.list("networkVolumes")).toHaveLength(2);
  });

  test("slowBodyMs delays the body after the head", async () => {
    emu.faults.set({ slowBodyMs: 60 });
    const t0 = performance.now();
    const res = await fetch(`${emu.url}/v2/pods`, { headers: { authorization: "Bearer k" } });
    const headAt = performance.now() - t0;
    const body = await res.json();
    const bodyAt = performance.now() - t0;
    expect(res.status).toBe(200);
    expect(body).toEqual({ pods: [] });
    expect(bodyAt).toBeGreaterThanOrEqual(55);
    expect(headAt).toBeLessThan(bodyAt);
    expect(emu.requests()[0].fault).toBe("slow-body:60ms");
  });

  test("rateLimitPerSecond: token bucket → 429 with Retry-After", async () => {
    emu.faults.set({ rateLimitPerSecond: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await c.get("/v2/templates"));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 429, 429]);
    expect(Number(statuses[2].headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(emu.requests()[2].fault).toBe("429:rate-limit");
  });

  test("fault sequences and ids are reproducible for a seed", async () => {
    const run = async () => {
      const e = await startEmulator({ seed: 777, faults: { errorRate: 0.5 } });
      try {
        const k = client(e);
        const out: string[] = [];
        for (let i = 0; i < 12; i++) {
          const r = await k.post("/v2/network-volumes", VOL);
          out.push(r.status === 201 ? r.body.id : String(r.status));
        }
        return out;
      } finally {
        await e.close();
      }
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a).toContain("503");
    expect(a.some((x) => /^[a-z0-9]{10}$/.test(x))).toBe(true);
  });

  test("admin routes: set/clear faults over HTTP, never faulted, not logged; reset and log", async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${emu.url}/__emulator${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const set = await admin("POST", "/faults", { errorRate: 1 });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ errorRate: 1 });
    expect((await c.get("/v2/pods")).status).toBe(503);
    expect((await admin("GET", "/health")).status).toBe(200); // admin is never faulted
    expect((await admin("POST", "/faults", { errorRate: 3 })).status).toBe(400);
    expect((await admin("POST", "/faults", { nonsense: true })).status).toBe(400);
    expect((await admin("DELETE", "/faults")).status).toBe(204);
    expect((await c.post("/v2/network-volumes", VOL)).status).toBe(201);
    const log = (await (await admin("GET", "/log")).json()) as { requests: Array<{ wire: string; operation: string }> };
    expect(log.requests.map((e) => e.operation)).toEqual(["listPods", "createNetworkVolume"]);
    expect(log.requests.every((e) => e.wire !== "admin")).toBe(true);
    expect((await admin("POST", "/gpu-stock", { gpuTypeId: "NVIDIA A40", units: 0 })).status).toBe(204);
    expect((await c.post("/v2/pods", { name: "p", image: "i", gpu: { id: "NVIDIA A40" } })).status).toBe(400);
    expect((await admin("POST", "/reset")).status).toBe(204);
    expect(emu.list("networkVolumes")).toEqual([]);
    expect(emu.requests()).toEqual([]);
    const pod = await c.post("/v2/pods", { name: "p", image: "i", gpu: { id: "NVIDIA A40" } });
    expect(pod.status).toBe(201); // stock reset too
    expect((await admin("POST", `/pods/${pod.body.id}/status`, { status: "EXITED" })).status).toBe(204);
    expect((await c.get(`/v2/pods/${pod.body.id}`)).body.status).toBe("EXITED");
  });

  test("reset() clears faults", async () => {
    emu.faults.set({ errorRate: 1 });
    emu.reset();
    expect(emu.faults.get()).toEqual({});
    expect((await c.get("/v2/pods")).status).toBe(200);
  });
});
