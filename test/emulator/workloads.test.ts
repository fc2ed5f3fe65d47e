// The emulator's REST wires: pods, serverless endpoints and the catalog.
import { Emulator, V1_CAPACITY_MESSAGE, V2_CAPACITY_TITLE } from "runpod-emulator";
import { Client, pollPod, v2Pod, v1Pod, serverlessTemplate, validatingEmulator } from "./helpers";

let emu: Emulator;
let c: Client;
validatingEmulator((e, client) => {
  emu = e;
  c = client;
});

describe("pods", () => {
  test("lifecycle is driven by polls: PROVISIONING → STARTING → RUNNING with network, cost and GPU details", async () => {
    const p = await v2Pod(c, { gpu: { id: "NVIDIA A40", count: 2 } });
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
    const p = await v1Pod(c, { dataCenterIds: ["US-TX-3", "EU-RO-1"], ports: ["22/tcp"] });
    expect(p.desiredStatus).toBe("RUNNING");
    expect(p.portMappings).toEqual({ "22": expect.any(Number) });
    expect((await c.get(`/v2/pods/${p.id}`)).body.dataCenterId).toBe("US-TX-3");
  });

  test("stop/start on both wires; start needs polls again; cost 0 while stopped", async () => {
    const p = await v2Pod(c);
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
    const p = await v1Pod(c, { locked: true });
    expect((await c.post(`/v1/pods/${p.id}/stop`)).status).toBe(400);
    expect((await c.post(`/v1/pods/${p.id}/reset`)).status).toBe(400);
    expect((await c.post(`/v2/pods/${p.id}/action`, { action: "stop" })).status).toBe(409);
    expect((await c.del(`/v2/pods/${p.id}`)).status).toBe(409);
    expect((await c.get(`/v2/pods/${p.id}`)).body.actions).toEqual([]);
    expect((await c.patch(`/v2/pods/${p.id}`, { locked: false })).body.locked).toBe(false);
    expect((await c.del(`/v2/pods/${p.id}`)).status).toBe(204);
  });

  test("v2 PATCH of a transitioning pod → 409; v1 PATCH resets the pod (name-only does not)", async () => {
    const p = await v2Pod(c);
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
    const first = await v2Pod(c);
    const v1Fail = await c.post("/v1/pods", { imageName: "i", gpuTypeIds: ["NVIDIA A40"] });
    expect(v1Fail.status).toBe(400);
    expect(v1Fail.body).toEqual({ message: V1_CAPACITY_MESSAGE });
    // v1 falls through its gpuTypeIds list to a type with capacity
    const fallback = await v1Pod(c, { gpuTypeIds: ["NVIDIA A40", "NVIDIA L4"] });
    expect(fallback.gpu.id).toBe("NVIDIA L4");
    await c.post(`/v2/pods/${first.id}/action`, { action: "stop" });
    const second = await v2Pod(c);
    expect((await c.post(`/v2/pods/${first.id}/action`, { action: "start" })).status).toBe(400);
    await c.del(`/v2/pods/${second.id}`);
    expect((await c.post(`/v2/pods/${first.id}/action`, { action: "start" })).status).toBe(200);
    emu.setGpuStock("NVIDIA A40", null);
  });

  test("preempt (spot), failPodStart and setPodStatus", async () => {
    emu.configure({ podReadyAfterPolls: 1 });
    const spot = await v1Pod(c, { interruptible: true });
    await pollPod(c, "v1", spot.id);
    emu.preempt(spot.id);
    expect((await c.get(`/v1/pods/${spot.id}`)).body).toMatchObject({ desiredStatus: "EXITED", costPerHr: 0 });
    expect((await c.get(`/v2/pods/${spot.id}`)).body.status).toBe("EXITED");
    const onDemand = await v1Pod(c);
    expect(() => emu.preempt(onDemand.id)).toThrow(/not interruptible/);

    emu.failPodStart("next");
    const doomed = await v2Pod(c);
    expect((await c.get(`/v2/pods/${doomed.id}`)).body).toMatchObject({ status: "ERROR", cost: 0, actions: ["start", "terminate"] });
    expect((await c.get(`/v1/pods/${doomed.id}`)).body.desiredStatus).toBe("EXITED");

    const other = await v2Pod(c);
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
    const tid = await serverlessTemplate(c);
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
