/**
 * An endpoint is reported ready only when it can serve: its release has rolled out and
 * `workersMin` workers are running or idle. Engine-faithful (the real dynamic-provider host over
 * gRPC) against the emulator, on both wires. No sleeps: the emulator moves workers one step per
 * poll of the worker/release views (`endpointWorkerReadyAfterPolls`) and forces worker states per
 * endpoint (`forceEndpointWorkers`); the provider polls every 10 ms.
 */
import { outOfBand, startStack, TestStack, Wire } from "./support/stack";
import { EngineOpError, EngineResource } from "./harness";
import { resourceProps } from "../provider/resource";
import { spec } from "../provider/resources/endpoint";

async function endpoint(stack: TestStack, logicalName: string): Promise<EngineResource> {
  const r = await stack.resource("endpoint", logicalName);
  const props = (inputs: Record<string, unknown>) => resourceProps(spec, logicalName, inputs);
  const [up, preview] = [r.up.bind(r), r.preview.bind(r)];
  r.up = (inputs, opts) => up(props(inputs), opts);
  r.preview = (inputs) => preview(props(inputs));
  return r;
}

/** Worker-view polls the provider made: v2 GET …/workers, v1 GET /endpoints/{id} (with includeWorkers). */
function workerPolls(stack: TestStack, id: string): number {
  const path = stack.wire === "v2" ? `/v2/serverless/${id}/workers` : `/v1/endpoints/${id}`;
  return stack.emulator.requests().filter((r) => r.method === "GET" && String(r.path).split("?")[0] === path).length;
}

describe.each<Wire>(["v2", "v1"])("Endpoint readiness on REST %s", (wire) => {
  let stack: TestStack;
  let templateId: string;
  beforeAll(async () => {
    stack = await startStack({ wire });
    const body =
      wire === "v2"
        ? { name: "ready-worker", image: "myorg/worker:1", serverless: true }
        : { name: "ready-worker", imageName: "myorg/worker:1", isServerless: true };
    templateId = (await outOfBand(stack, "POST", "/templates", body)).id;
  });
  afterAll(() => stack?.close());
  afterEach(() => stack.emulator.configure({ endpointWorkerReadyAfterPolls: 1 }));

  const program = (over: Record<string, unknown> = {}) => ({
    templateId,
    ...(wire === "v2" ? { gpuPoolIds: ["AMPERE_24"] } : { gpuTypeIds: ["NVIDIA RTX A5000"] }),
    dataCenterIds: ["EU-RO-1"],
    workersMin: 1,
    workersMax: 2,
    ...over,
  });

  test("create waits until workersMin workers are up; outputs show the rollout and the ready count", async () => {
    stack.emulator.configure({ endpointWorkerReadyAfterPolls: 6 });
    stack.emulator.clearLog();
    const ep = await endpoint(stack, "patient");
    await ep.up(program());
    const id = ep.state!.id;
    // Six polls of the worker view before the worker was IDLE: the create did wait for it.
    expect(workerPolls(stack, id)).toBeGreaterThanOrEqual(wire === "v2" ? 3 : 6);
    expect(ep.state!.outputs).toMatchObject({
      readyWorkers: 1,
      rollout: { inProgress: false, workersOnLatest: 1, workersTotal: 1, percentOnLatest: 100 },
    });
    await ep.destroy();
  });

  test("stuck THROTTLED: the timeout names the workers and the missing stock, and the endpoint stays in state", async () => {
    stack.emulator.forceEndpointWorkers("next", "THROTTLED");
    const ep = await endpoint(stack, "starved");
    const error = await ep.up(program({ readyTimeoutSeconds: 0.3 })).catch((e) => e);
    expect(error).toBeInstanceOf(EngineOpError);
    const failure = (error as EngineOpError).initFailure!;
    expect(failure.id).toEqual(expect.any(String));
    const id = failure.id;
    expect(error.message).toContain(`endpoint ${id} was created but was still waiting for 1 worker running or idle (now 0) after 0.3 s`);
    const worker = (await outOfBand(stack, "GET", wire === "v2" ? `/serverless/${id}/workers` : `/endpoints/${id}?includeWorkers=true`)).workers[0].id;
    expect(error.message).toContain(wire === "v2" ? `1 worker THROTTLED (${worker})` : `1 worker waiting for a machine (${worker})`);
    const where = wire === "v2" ? "GPU pools AMPERE_24" : "GPU types NVIDIA RTX A5000";
    expect(error.message).toContain(`no stock of ${where} in data centres EU-RO-1`);
    expect(error.message).toMatch(/raise readyTimeoutSeconds, or set waitForReady: false/);
    // Kept in state with its id (nothing paid for goes untracked), and still on Runpod.
    expect(ep.state!.id).toBe(id);
    expect(ep.state!.outputs).toMatchObject({ readyWorkers: 0, rollout: { inProgress: false } });
    expect(ep.state!.outputs.__provider).toBe(ep.providerText);
    expect(stack.emulator.get("endpoints", id)).toBeDefined();

    // Stock comes back: the next up (no change) waits again and succeeds on the same endpoint.
    stack.emulator.forceEndpointWorkers(id, null);
    await ep.up(program({ readyTimeoutSeconds: 0.3 }));
    expect(ep.state!.id).toBe(id);
    expect(ep.state!.outputs.readyWorkers).toBe(1);
    await ep.destroy();
    expect(stack.emulator.get("endpoints", id)).toBeUndefined();
  });

  test("no stock of its pool in its data centres: workers wait THROTTLED, the timeout says so and keeps the endpoint; once stock returns the next up succeeds", async () => {
    // Every type of the pool (v1: the one type) out of stock in EU-RO-1 only, through the admin route.
    const pool: string[] = (await outOfBand(stack, "GET", "/catalog/gpus", undefined, "v2")).gpus
      .filter((g: { pool: string | null }) => g.pool === "AMPERE_24")
      .map((g: { id: string }) => g.id);
    expect(pool).toContain("NVIDIA RTX A5000");
    const stock = async (units: number | null) => {
      for (const gpuTypeId of pool) {
        const res = await fetch(`${stack.emulator.url}/__emulator/gpu-stock`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ gpuTypeId, dataCenterId: "EU-RO-1", units }),
        });
        expect(res.status).toBe(204);
      }
    };
    await stock(0);
    let id: string | undefined;
    try {
      const ep = await endpoint(stack, "out-of-stock");
      const error = await ep.up(program({ readyTimeoutSeconds: 0.3 })).catch((e) => e);
      expect(error).toBeInstanceOf(EngineOpError);
      id = (error as EngineOpError).initFailure!.id;
      expect(error.message).toContain(`endpoint ${id} was created but was still waiting for 1 worker running or idle (now 0) after 0.3 s`);
      expect(error.message).toMatch(wire === "v2" ? /1 worker THROTTLED \(\w+\)/ : /1 worker waiting for a machine \(\w+\)/);
      const where = wire === "v2" ? "GPU pools AMPERE_24" : "GPU types NVIDIA RTX A5000";
      expect(error.message).toContain(`no stock of ${where} in data centres EU-RO-1`);
      expect(ep.state!.id).toBe(id);
      expect(ep.state!.outputs).toMatchObject({ readyWorkers: 0 });
      expect(stack.emulator.get("endpoints", id)).toBeDefined();
      // Stock elsewhere does not help an endpoint held to EU-RO-1: its worker is still unplaced.
      const seen = await outOfBand(stack, "GET", wire === "v2" ? `/serverless/${id}/workers` : `/endpoints/${id}?includeWorkers=true`);
      expect(seen.workers).toHaveLength(1);
      expect(seen.workers[0]).toMatchObject(wire === "v2" ? { status: "THROTTLED", dataCenterId: null } : { desiredStatus: "RUNNING" });
      if (wire === "v1") expect(seen.workers[0].machineId).toBeUndefined();

      // Stock returns: the next up (no change) waits for the worker and succeeds on the same endpoint.
      await stock(null);
      await ep.up(program({ readyTimeoutSeconds: 5 }));
      expect(ep.state!.id).toBe(id);
      expect(ep.state!.outputs.readyWorkers).toBe(1);
      const placed = await outOfBand(stack, "GET", wire === "v2" ? `/serverless/${id}/workers` : `/endpoints/${id}?includeWorkers=true`);
      if (wire === "v2") expect(placed.workers[0]).toMatchObject({ status: "IDLE", dataCenterId: "EU-RO-1", gpuTypeId: expect.any(String) });
      await ep.destroy();
      expect(stack.emulator.get("endpoints", id)).toBeUndefined();
    } finally {
      await stock(null);
    }
  });

  test("an update whose new release cannot start (UNHEALTHY) times out naming the workers; the old worker keeps serving", async () => {
    const ep = await endpoint(stack, "rolling");
    await ep.up(program());
    const id = ep.state!.id;
    const first = ep.state!.outputs.version;
    stack.emulator.forceEndpointWorkers(id, "UNHEALTHY");
    const error = await ep.up(program({ gpuCount: 2, readyTimeoutSeconds: 0.3 })).catch((e) => e);
    expect(error).toBeInstanceOf(EngineOpError);
    expect(error.initFailure.id).toBe(id);
    expect(error.message).toContain(
      `endpoint ${id} was updated but was still waiting for the release to roll out (1 of 2 workers on the current version) after 0.3 s`,
    );
    expect(error.message).toMatch(
      wire === "v2" ? /1 worker UNHEALTHY \(\w+\): the image myorg\/worker:1 may fail to pull/ : /1 worker EXITED \(\w+\): the template's image/,
    );
    // The update is applied and recorded; the rollout it waited on is in the outputs.
    expect(ep.state!.outputs).toMatchObject({ gpuCount: 2, rollout: { inProgress: true, workersOnLatest: 1, workersTotal: 2 } });
    expect(ep.state!.outputs.version).toBeGreaterThan(first);
    expect(ep.state!.outputs.readyWorkers).toBe(0);
    const seen = await outOfBand(stack, "GET", wire === "v2" ? `/serverless/${id}/workers` : `/endpoints/${id}?includeWorkers=true`);
    const serving =
      wire === "v2"
        ? seen.workers.filter((w: any) => w.status === "IDLE" && w.isStale)
        : seen.workers.filter((w: any) => w.lastStartedAt && w.slsVersion < seen.version);
    expect(serving).toHaveLength(1);

    stack.emulator.forceEndpointWorkers(id, null);
    await ep.up(program({ gpuCount: 2, readyTimeoutSeconds: 0.3 }));
    expect(ep.state!.outputs).toMatchObject({ readyWorkers: 1, rollout: { inProgress: false, workersOnLatest: 1, workersTotal: 1 } });
    await ep.destroy();
  });

  test("waitForReady: false returns at once; a refresh reports the workers", async () => {
    stack.emulator.forceEndpointWorkers("next", "THROTTLED");
    stack.emulator.clearLog();
    const ep = await endpoint(stack, "hasty");
    await ep.up(program({ waitForReady: false }));
    const id = ep.state!.id;
    expect(workerPolls(stack, id)).toBe(0);
    expect(ep.state!.outputs.readyWorkers).toBeUndefined();
    await ep.refresh();
    expect(ep.state!.outputs.readyWorkers).toBe(0);
    stack.emulator.forceEndpointWorkers(id, null);
    await ep.refresh();
    await ep.refresh();
    expect(ep.state!.outputs.readyWorkers).toBe(1);
    await ep.destroy();
  });

  test("readyTimeoutSeconds without waiting is a check failure", async () => {
    const failures = await stack.check("endpoint", { ...program(), name: "x", waitForReady: false, readyTimeoutSeconds: 60 });
    expect(failures).toEqual([{ property: "readyTimeoutSeconds", reason: "readyTimeoutSeconds: has no effect with waitForReady: false; remove one of them" }]);
    expect(await stack.check("endpoint", { ...program(), name: "x", readyTimeoutSeconds: 0 })).toEqual([
      expect.objectContaining({ property: "readyTimeoutSeconds", reason: expect.stringMatching(/more than 0 seconds/) }),
    ]);
  });
});

describe("emulator: serverless workers and rollouts (REST v2)", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire: "v2", emulator: { endpointWorkerReadyAfterPolls: 2, validateResponses: true } });
  });
  afterAll(() => stack?.close());

  test("workers come up over polls, a new release replaces them one by one, forced states show in the summary", async () => {
    const ep = await outOfBand(stack, "POST", "/serverless", {
      name: "emu-rollout",
      type: "QUEUE",
      image: "myorg/worker:1",
      gpu: { pools: ["AMPERE_24"] },
      workers: { min: 2, max: 3 },
      scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
    });
    const workers = () => outOfBand(stack, "GET", `/serverless/${ep.id}/workers`);
    const releases = () => outOfBand(stack, "GET", `/serverless/${ep.id}/releases`);
    expect((await workers()).summary).toMatchObject({ initializing: 2, total: 2 });
    expect((await workers()).summary).toMatchObject({ initializing: 2, total: 2 });
    const up = await workers();
    expect(up.summary).toMatchObject({ idle: 2, total: 2 });
    expect(up.workers.every((w: any) => w.version === up.endpointVersion && !w.isStale && w.dataCenterId)).toBe(true);

    await outOfBand(stack, "PATCH", `/serverless/${ep.id}`, { image: "myorg/worker:2" });
    const rolling = await releases();
    expect(rolling.rollout).toEqual({ inProgress: true, workersOnLatest: 2, workersTotal: 4, percentOnLatest: 50 });
    expect(rolling.releases[0]).toMatchObject({ version: rolling.endpointVersion, workerCount: 2 });
    expect((await workers()).workers.filter((w: any) => w.isStale)).toHaveLength(2); // old ones keep serving
    const done = await releases();
    expect(done.rollout).toEqual({ inProgress: false, workersOnLatest: 2, workersTotal: 2, percentOnLatest: 100 });

    // Forcing reaches the workers not up yet: here the next release's (every emulated update is a
    // release); the two serving the previous release stay until replacements are up.
    stack.emulator.forceEndpointWorkers(ep.id, "THROTTLED");
    await outOfBand(stack, "PATCH", `/serverless/${ep.id}`, { workers: { min: 3, max: 3 } });
    const throttled = await workers();
    expect(throttled.summary).toMatchObject({ throttled: 3, idle: 2, total: 5 });
    expect((await releases()).rollout).toMatchObject({ inProgress: true, workersOnLatest: 3, workersTotal: 5 });
    expect(throttled.workers.find((w: any) => w.status === "THROTTLED")).toMatchObject({
      status: "THROTTLED",
      gpuTypeId: null,
      dataCenterId: null,
      startedAt: null,
      uptimeSeconds: null,
    });
    // Through the admin route too (another process's tests use it).
    const res = await fetch(`${stack.emulator.url}/__emulator/endpoints/${ep.id}/workers`, { method: "POST", body: JSON.stringify({ status: "UNHEALTHY" }) });
    expect(res.status).toBe(204);
    expect((await workers()).summary).toMatchObject({ unhealthy: 3, idle: 2 });
    const bad = await fetch(`${stack.emulator.url}/__emulator/endpoints/${ep.id}/workers`, { method: "POST", body: JSON.stringify({ status: "IDLE" }) });
    expect(bad.status).toBe(400);
    expect(stack.emulator.responseViolations()).toEqual([]);
    await outOfBand(stack, "PATCH", `/serverless/${ep.id}`, { workers: { min: 0, max: 0 } });
    expect((await workers()).summary.total).toBe(0);
  });

  test("a CPU endpoint's workers follow the stock of its flavours in its data centres; a forced status still wins", async () => {
    stack.emulator.setCpuStock("cpu3c", 0);
    stack.emulator.setCpuStock("cpu5c", 2, "EU-RO-1"); // fewer than the 4 vCPUs a worker needs
    try {
      const ep = await outOfBand(stack, "POST", "/serverless", {
        name: "emu-cpu-stock",
        type: "QUEUE",
        image: "myorg/worker:1",
        cpu: [
          { id: "cpu3c", vcpuCount: 4 },
          { id: "cpu5c", vcpuCount: 4 },
        ],
        dataCenterIds: ["EU-RO-1"],
        workers: { min: 1, max: 1 },
        scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
      });
      const workers = () => outOfBand(stack, "GET", `/serverless/${ep.id}/workers`);
      expect((await workers()).summary).toMatchObject({ throttled: 1, total: 1 });
      expect((await workers()).summary).toMatchObject({ throttled: 1, total: 1 });
      // Forced THROTTLED holds the worker even once stock is back; lifting it lets it start.
      stack.emulator.forceEndpointWorkers(ep.id, "THROTTLED");
      stack.emulator.setCpuStock("cpu5c", null, "EU-RO-1");
      expect((await workers()).summary).toMatchObject({ throttled: 1 });
      stack.emulator.forceEndpointWorkers(ep.id, null);
      expect((await workers()).summary).toMatchObject({ initializing: 1 });
      const up = await workers();
      expect(up.summary).toMatchObject({ idle: 1, total: 1 });
      expect(up.workers[0]).toMatchObject({ dataCenterId: "EU-RO-1", gpuTypeId: null });
      expect(stack.emulator.responseViolations()).toEqual([]);
      await outOfBand(stack, "PATCH", `/serverless/${ep.id}`, { workers: { min: 0, max: 0 } });
    } finally {
      stack.emulator.setCpuStock("cpu3c", null);
      stack.emulator.setCpuStock("cpu5c", null, "EU-RO-1");
    }
  });
});
