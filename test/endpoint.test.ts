/**
 * Endpoint lifecycle through the real dynamic-provider host, against the emulator, on both wires:
 * create, in-place update rolling out a new release, replacement, refresh after out-of-band
 * changes and deletion, import, and destroy that scales always-on workers to zero first.
 */
import { beyondCatalogReads, outOfBand, startStack, TestStack, Wire } from "./support/stack";
import { EngineResource } from "./harness";
import { resourceProps } from "../provider/resource";
import { spec } from "../provider/resources/endpoint";

/**
 * An engine resource fed what `new Endpoint(name, args)` registers: the args plus the hidden
 * auto-name prefix when `name` is omitted.
 */
async function endpoint(stack: TestStack, logicalName: string): Promise<EngineResource> {
  const r = await stack.resource("endpoint", logicalName);
  const props = (inputs: Record<string, unknown>) => resourceProps(spec, logicalName, inputs);
  const [up, preview, imp] = [r.up.bind(r), r.preview.bind(r), r.import.bind(r)];
  r.up = (inputs) => up(props(inputs));
  r.preview = (inputs) => preview(props(inputs));
  r.import = (id, inputs) => imp(id, props(inputs));
  return r;
}

const collection = (wire: Wire) => (wire === "v2" ? "/serverless" : "/endpoints");

/** A serverless template made directly through the emulator's REST API. */
async function serverlessTemplate(stack: TestStack, name: string, env: Record<string, string> = {}): Promise<string> {
  const body = stack.wire === "v2" ? { name, image: "myorg/worker:1", serverless: true, env } : { name, imageName: "myorg/worker:1", isServerless: true, env };
  return (await outOfBand(stack, "POST", "/templates", body)).id;
}

/** Every request the provider made since the last clearLog was accepted (bodies conform to the wire's spec). */
function expectNoRejections(stack: TestStack): void {
  expect(
    stack.emulator
      .requests()
      .filter((r: any) => r.status >= 400)
      .map((r: any) => `${r.method} ${r.path} -> ${r.status}`),
  ).toEqual([]);
}

function endpointsIn(stack: TestStack): any[] {
  return stack.emulator.list("endpoints");
}

/** Requests the emulator saw, as "METHOD /path" (query strings dropped). */
function calls(stack: TestStack): string[] {
  return stack.emulator.requests().map((r: any) => `${r.method} ${String(r.path).split("?")[0]}`);
}

describe.each<Wire>(["v2", "v1"])("Endpoint lifecycle on REST %s", (wire) => {
  let stack: TestStack;
  let templateId: string;
  beforeAll(async () => {
    stack = await startStack({ wire, emulator: { requireScaleToZeroBeforeDelete: true } });
    templateId = await serverlessTemplate(stack, `worker-${wire}`);
  });
  afterAll(() => stack?.close());

  /** What the endpoint asks for on either wire. */
  const common = {
    gpuCount: 1,
    allowedCudaVersions: ["12.4"],
    workersMin: 1,
    workersMax: 3,
    idleTimeout: 30,
    scalerType: "QUEUE_DELAY",
    scalerValue: 2,
    executionTimeoutMs: 600_000,
    flashboot: true,
    dataCenterIds: ["EU-RO-1", "US-KS-2"],
  };
  /** The same endpoint described on each wire: GPU pools (v2) or GPU types (v1). */
  const program = (over: Record<string, unknown> = {}) =>
    wire === "v2"
      ? {
          imageName: "myorg/worker:1",
          env: { MODEL: "small" },
          ports: ["8000/http"],
          containerDiskInGb: 20,
          gpuPoolIds: ["AMPERE_24"],
          excludedGpuTypeIds: ["NVIDIA L4"],
          ...common,
          ...over,
        }
      : {
          templateId,
          gpuTypeIds: ["NVIDIA RTX A5000", "NVIDIA GeForce RTX 3090"],
          ...common,
          ...over,
        };

  test("create, in-place update with a new release, drift, replacement, destroy scaling to zero", async () => {
    const ep = await endpoint(stack, "inference");

    stack.emulator.clearLog();
    expect((await ep.preview(program())).op).toBe("create");
    expect(beyondCatalogReads(stack.emulator)).toEqual([]); // check reads only the catalog

    // ---- create
    const created = await ep.up(program());
    expect(created.op).toBe("create");
    const id = ep.state!.id;
    const first = ep.state!.outputs;
    expect(first.name).toMatch(/^inference-[0-9a-f]{7}$/);
    expect(first).toMatchObject({
      workersMin: 1,
      workersMax: 3,
      idleTimeout: 30,
      scalerType: "QUEUE_DELAY",
      scalerValue: 2,
      executionTimeoutMs: 600_000,
      flashboot: "FLASHBOOT",
      computeType: "GPU",
      gpuCount: 1,
    });
    expect(typeof first.version).toBe("number");
    if (wire === "v2") {
      expect(first).toMatchObject({
        type: "QUEUE",
        gpuPoolIds: ["AMPERE_24"],
        excludedGpuTypeIds: ["NVIDIA L4"],
        env: { MODEL: "small" },
        containerDiskInGb: 20,
      });
      expect(typeof first.releaseId).toBe("string");
      expect(first.requestUrls).toBeDefined();
    } else {
      expect(first).toMatchObject({ templateId, gpuTypeIds: ["NVIDIA RTX A5000", "NVIDIA GeForce RTX 3090"] });
    }
    expect(endpointsIn(stack)).toEqual([expect.objectContaining({ id, workersMin: 1, workersMax: 3, flashboot: "FLASHBOOT" })]);

    // Unchanged program: nothing to do, and the preview costs no request.
    stack.emulator.clearLog();
    expect((await ep.preview(program())).op).toBe("same");
    expect(stack.emulator.requests()).toHaveLength(0);

    // ---- in-place update: a new release, the version output moves
    const change =
      wire === "v2"
        ? { workersMax: 5, scalerValue: 3, env: { MODEL: "large" }, gpuCount: 2 }
        : { workersMax: 5, scalerValue: 3, gpuTypeIds: ["NVIDIA RTX A5000"], gpuCount: 2 };
    const updated = await ep.up(program(change));
    expect(updated.op).toBe("update");
    expect(updated.diff!.replaces).toEqual([]);
    expect(ep.state!.id).toBe(id);
    expect(ep.state!.outputs).toMatchObject({ ...change, name: first.name });
    expect(ep.state!.outputs.version).toBeGreaterThan(first.version);
    if (wire === "v2") expect(ep.state!.outputs.releaseId).not.toBe(first.releaseId);
    expect(endpointsIn(stack)).toEqual([expect.objectContaining({ id, workersMax: 5, scalerValue: 3, gpuCount: 2 })]);
    expect((await ep.preview(program(change))).op).toBe("same");

    // ---- drift made outside Pulumi shows after refresh, and the program puts it back
    await outOfBand(stack, "PATCH", `${collection(wire)}/${id}`, wire === "v2" ? { workers: { max: 7 } } : { workersMax: 7 });
    const refreshed = await ep.refresh();
    expect(refreshed.outcome).toBe("changed");
    expect(ep.state!.outputs.workersMax).toBe(7);
    const back = await ep.preview(program(change));
    expect(back.op).toBe("update");
    expect(back.diff!.replaces).toEqual([]);
    await ep.up(program(change));
    expect(endpointsIn(stack).find((e) => e.id === id).workersMax).toBe(5);

    // ---- what the wire cannot change replaces: v2 routing type, v1 compute type
    const replacement =
      wire === "v2"
        ? program({ ...change, type: "LOAD_BALANCER", scalerType: "REQUEST_COUNT", idleTimeout: undefined })
        : { templateId, computeType: "CPU", cpuFlavorIds: ["cpu3c"], vcpuCount: 4, workersMin: 1, workersMax: 5 };
    const plan = await ep.preview(replacement);
    expect(plan.op).toBe("replace");
    expect(plan.diff!.replaces).toEqual([wire === "v2" ? "type" : "computeType"]);
    expectNoRejections(stack);
    stack.emulator.clearLog();
    const replaced = await ep.up(replacement);
    expect(replaced.op).toBe("replace");
    const newId = ep.state!.id;
    expect(newId).not.toBe(id);
    expect(ep.state!.outputs.name).toMatch(/^inference-[0-9a-f]{7}$/);
    expect(ep.state!.outputs[wire === "v2" ? "type" : "computeType"]).toBe(wire === "v2" ? "LOAD_BALANCER" : "CPU");
    if (wire === "v1") expect(ep.state!.outputs).toMatchObject({ cpuFlavorIds: ["cpu3c"], vcpuCount: 4 });
    // Create before delete; the old endpoint kept a worker, so it was scaled to zero first.
    const seen = calls(stack);
    const oldPath = `/${wire}${collection(wire)}/${id}`;
    expect(seen.indexOf(`PATCH ${oldPath}`)).toBeGreaterThan(seen.indexOf(`POST /${wire}${collection(wire)}`));
    expect(seen.indexOf(`DELETE ${oldPath}`)).toBeGreaterThan(seen.indexOf(`PATCH ${oldPath}`));
    expect(endpointsIn(stack).map((e) => e.id)).toEqual([newId]);

    // ---- destroy with workersMin > 0: scale to zero, then delete
    expectNoRejections(stack);
    stack.emulator.clearLog();
    await ep.destroy();
    expect(calls(stack)).toEqual([`PATCH /${wire}${collection(wire)}/${newId}`, `DELETE /${wire}${collection(wire)}/${newId}`]);
    expectNoRejections(stack);
    expect(endpointsIn(stack)).toEqual([]);
  });

  test("import an existing endpoint, refresh after it is deleted outside Pulumi, destroy of a gone endpoint", async () => {
    const body =
      wire === "v2"
        ? {
            name: "console-made",
            type: "QUEUE",
            image: "myorg/worker:1",
            gpu: { pools: ["AMPERE_48"], count: 1 },
            scaling: { type: "REQUEST_COUNT", requestCount: 2 },
            workers: { min: 0, max: 2 },
          }
        : { name: "console-made", templateId, gpuTypeIds: ["NVIDIA A40"], scalerType: "REQUEST_COUNT", scalerValue: 2, workersMin: 0, workersMax: 2 };
    const made = await outOfBand(stack, "POST", collection(wire), body);

    const ep = await endpoint(stack, "adopted");
    const inputs =
      wire === "v2"
        ? {
            name: "console-made",
            imageName: "myorg/worker:1",
            gpuPoolIds: ["AMPERE_48"],
            scalerType: "REQUEST_COUNT",
            scalerValue: 2,
            workersMin: 0,
            workersMax: 2,
          }
        : { name: "console-made", templateId, gpuTypeIds: ["NVIDIA A40"], scalerType: "REQUEST_COUNT", scalerValue: 2, workersMin: 0, workersMax: 2 };
    const imp = await ep.import(made.id, inputs);
    expect(imp.checkFailures).toEqual([]);
    expect(imp.diff?.diffs ?? []).toEqual([]);
    expect(imp.imported).toBe(true);
    expect(ep.state!.outputs).toMatchObject({ name: "console-made", workersMax: 2, scalerType: "REQUEST_COUNT" });
    if (wire === "v2") expect(ep.state!.outputs.idleTimeout).toBeUndefined(); // not applicable to REQUEST_COUNT queues
    expect((await ep.preview(inputs)).op).toBe("same");
    expect((await ep.preview({ ...inputs, workersMax: 4 })).op).toBe("update");

    const stale = ep.state!;
    await outOfBand(stack, "DELETE", `${collection(wire)}/${made.id}`);
    expect((await ep.refresh()).outcome).toBe("deleted");
    expect(ep.state).toBeUndefined();
    ep.state = stale; // a stack that never refreshed
    await expect(ep.destroy()).resolves.toBeDefined();
    expect(ep.state).toBeUndefined();
  });

  test("private image: registry credentials → serverless Template → Endpoint (the example's chain)", async () => {
    const registry = await stack.resource("containerRegistryAuth", "ghcr");
    await registry.up({ __autonamePrefix: "ghcr", username: "my-org-bot", password: "ghp_not-a-real-token" });
    const template = await stack.resource("template", "private-worker");
    await template.up({
      __autonamePrefix: "private-worker",
      imageName: "ghcr.io/my-org/private-worker:1.0.0",
      isServerless: true,
      containerRegistryAuthId: registry.state!.id,
      containerDiskInGb: 20,
      env: { MODEL_NAME: "small" },
    });
    const ep = await endpoint(stack, "private-inference");
    stack.emulator.clearLog();
    const gpu =
      wire === "v2"
        ? { gpuPoolIds: ["AMPERE_24", "ADA_24"], excludedGpuTypeIds: ["NVIDIA L4"] }
        : { gpuTypeIds: ["NVIDIA RTX A5000", "NVIDIA GeForce RTX 3090"] };
    const inputs = {
      templateId: template.state!.id,
      ...gpu,
      gpuCount: 1,
      workersMin: 0,
      workersMax: 3,
      idleTimeout: 30,
      scalerType: "QUEUE_DELAY",
      scalerValue: 4,
      executionTimeoutMs: 600_000,
      flashboot: true,
    };
    expect((await ep.up(inputs)).op).toBe("create");
    const stored = endpointsIn(stack).find((e) => e.id === ep.state!.id);
    expect(stored).toMatchObject({ image: "ghcr.io/my-org/private-worker:1.0.0", registryId: registry.state!.id, userTemplateId: template.state!.id });
    expect((await ep.preview(inputs)).op).toBe("same");
    expectNoRejections(stack);
    await ep.destroy();
    await template.destroy();
    await registry.destroy();
  });

  test("a stale workersMin of 0 in state: the refused delete scales to zero and retries", async () => {
    const ep = await endpoint(stack, "stale-min");
    await ep.up(program({ workersMin: 0 }));
    const id = ep.state!.id;
    await outOfBand(stack, "PATCH", `${collection(wire)}/${id}`, wire === "v2" ? { workers: { min: 2, max: 3 } } : { workersMin: 2 });
    await ep.destroy();
    expect(endpointsIn(stack).find((e) => e.id === id)).toBeUndefined();
  });
});

describe("Endpoint on REST v1 only", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire: "v1" });
  });
  afterAll(() => stack?.close());

  test("network volumes; a CUDA floor replaces a list in place, the reverse replaces (v1 cannot clear a floor)", async () => {
    const templateId = await serverlessTemplate(stack, "v1-cuda");
    const volume = await outOfBand(stack, "POST", "/networkvolumes", { name: "weights", size: 50, dataCenterId: "EU-RO-1" });
    const ep = await endpoint(stack, "v1-cuda");
    stack.emulator.clearLog();
    const base = {
      templateId,
      gpuTypeIds: ["NVIDIA A40"],
      dataCenterIds: ["EU-RO-1"],
      networkVolumeIds: [volume.id],
      allowedCudaVersions: ["12.4"],
      workersMax: 1,
    };
    await ep.up(base);
    expect(ep.state!.outputs).toMatchObject({ networkVolumeIds: [volume.id], allowedCudaVersions: ["12.4"] });
    const { allowedCudaVersions: _list, ...others } = base;
    const floor = await ep.up({ ...others, minCudaVersion: "12.1" });
    expect(floor.op).toBe("update");
    expect(ep.state!.outputs).toMatchObject({ allowedCudaVersions: [], minCudaVersion: "12.1" });
    const back = await ep.preview(base);
    expect(back.op).toBe("replace");
    expect(back.diff!.replaces).toEqual(["allowedCudaVersions"]);
    expectNoRejections(stack);
    await ep.destroy();
  });
});

describe("Endpoint on REST v2 only", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire: "v2", emulator: { requireScaleToZeroBeforeDelete: true } });
  });
  afterAll(() => stack?.close());

  test("CPU endpoint: flavors and vCPUs update in place, switching to GPU replaces", async () => {
    const ep = await endpoint(stack, "cpu-worker");
    stack.emulator.clearLog();
    const cpu = { imageName: "myorg/cpu:1", computeType: "CPU", cpuFlavorIds: ["cpu3c", "cpu5c"], vcpuCount: 4, workersMax: 2 };
    await ep.up(cpu);
    expect(ep.state!.outputs).toMatchObject({ computeType: "CPU", cpuFlavorIds: ["cpu3c", "cpu5c"], vcpuCount: 4 });
    expect(endpointsIn(stack).find((e) => e.id === ep.state!.id).cpu).toEqual([
      { id: "cpu3c", vcpuCount: 4 },
      { id: "cpu5c", vcpuCount: 4 },
    ]);
    const more = await ep.up({ ...cpu, vcpuCount: 8 });
    expect(more.op).toBe("update");
    expect(ep.state!.outputs.vcpuCount).toBe(8);
    const toGpu = await ep.preview({ imageName: "myorg/cpu:1", gpuPoolIds: ["ADA_24"], workersMax: 2 });
    expect(toGpu.op).toBe("replace");
    expect(toGpu.diff!.replaces).toEqual(["computeType"]);
    expectNoRejections(stack);
    await ep.destroy();
  });

  test("switching a CUDA list for a floor clears the list; priority FlashBoot; template env is not a diff", async () => {
    const tpl = await serverlessTemplate(stack, "with-env", { FROM_TEMPLATE: "1" });
    const ep = await endpoint(stack, "cuda");
    stack.emulator.clearLog();
    const base = {
      templateId: tpl,
      env: { MINE: "a" },
      gpuPoolIds: ["ADA_80_PRO"],
      allowedCudaVersions: ["12.8", "12.9"],
      flashboot: "PRIORITY_FLASHBOOT",
      workersMax: 1,
    };
    await ep.up(base);
    expect(ep.state!.outputs).toMatchObject({ flashboot: "PRIORITY_FLASHBOOT", env: { MINE: "a" }, templateId: tpl });
    const stored = () => endpointsIn(stack).find((e) => e.id === ep.state!.id);
    expect(stored().env).toEqual({ FROM_TEMPLATE: "1", MINE: "a" }); // Runpod merged them
    expect((await ep.preview(base)).op).toBe("same");
    // A refresh finds nothing new: the template's own variable stays out of the outputs.
    const before = ep.state!.outputs;
    await ep.refresh();
    expect(ep.state!.outputs).toEqual(before);
    expect((await ep.preview(base)).op).toBe("same");

    const { allowedCudaVersions: _dropped, ...others } = base;
    const floor = await ep.up({ ...others, minCudaVersion: "12.1" });
    expect(floor.op).toBe("update");
    expect(ep.state!.outputs.minCudaVersion).toBe("12.1");
    expect(ep.state!.outputs.allowedCudaVersions ?? []).toEqual([]);
    expect(stored()).toMatchObject({ allowedCudaVersions: [], minCudaVersion: "12.1" });

    const list = await ep.up(base);
    expect(list.op).toBe("update");
    expect(ep.state!.outputs.minCudaVersion).toBeUndefined();
    expect(stored()).toMatchObject({ allowedCudaVersions: ["12.8", "12.9"], minCudaVersion: null });
    expectNoRejections(stack);
    await ep.destroy();
  });

  test("switching a queue endpoint to REQUEST_COUNT drops idleTimeout without a perpetual diff", async () => {
    const ep = await endpoint(stack, "scaler-switch");
    stack.emulator.clearLog();
    const delay = { imageName: "img:1", gpuPoolIds: ["AMPERE_16"], scalerType: "QUEUE_DELAY", scalerValue: 0.5, idleTimeout: 60, workersMax: 2 };
    await ep.up(delay);
    expect(ep.state!.outputs).toMatchObject({ scalerValue: 0.5, idleTimeout: 60 });
    const count = { imageName: "img:1", gpuPoolIds: ["AMPERE_16"], scalerType: "REQUEST_COUNT", scalerValue: 3, workersMax: 2 };
    const switched = await ep.up(count);
    expect(switched.op).toBe("update");
    expect(ep.state!.outputs).toMatchObject({ scalerType: "REQUEST_COUNT", scalerValue: 3 });
    expect(ep.state!.outputs.idleTimeout).toBeUndefined();
    expect((await ep.preview(count)).op).toBe("same");
    // Raising workers on it must not resend the idle timeout Runpod rejects there.
    expect((await ep.up({ ...count, workersMax: 4 })).op).toBe("update");
    expectNoRejections(stack);
    await ep.destroy();
  });
});
