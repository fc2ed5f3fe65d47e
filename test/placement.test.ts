import { emulatorSetup, startStack, TestStack, Wire } from "./support/stack";
import { EngineOpError } from "./harness";
import { deployFleet, FleetConfigError, validateFleet } from "../provider/fleet";
import { byStep, ProgramEngine } from "./support/program";
import { creates, expectAllRefused, refused } from "./support/placement";

/**
 * Where a pod lands, engine-faithful: the real dynamic-provider host against an emulator whose
 * GPU stock is set per type (and per data centre). REST v2 places exactly the type it is sent,
 * so the provider tries the candidates in turn; REST v1 takes the ordered list in one create.
 *
 * The provider reads the catalog once per process (as every `pulumi up` is a fresh process), so
 * all stock is set before the first read and each scenario uses GPU types of its own.
 */

const IMAGE = "runpod/base:0.6.2";
// Scenario types (all in v1's id list, all in the emulator's catalog).
const A = "NVIDIA RTX A4000";
const B = "NVIDIA RTX A4500";
const C = "NVIDIA RTX 4000 Ada Generation";
const OUT = ["NVIDIA L4", "NVIDIA GeForce RTX 3090", "NVIDIA H100 PCIe"];
const SPLIT = "NVIDIA RTX 2000 Ada Generation"; // stock in one data centre only
const A40 = "NVIDIA A40"; // the cheapest 48 GB type: out of stock, so a selector falls back
const A6000 = "NVIDIA RTX A6000"; // 48 GB at 0.49/h
const A6000_ROW = { id: A6000, displayName: "RTX A6000", pool: "AMPERE_48", memoryInGb: 48, securePrice: 0.49, communityPrice: 0.33, serverlessPrice: 1.22 };

const catalogReads = (stack: TestStack) => stack.emulator.requests().filter((r) => r.path === "/v2/catalog/gpus");

describe.each<Wire>(["v2", "v1"])("Pod placement on REST %s", (wire) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire });
    for (const id of [A, B, A40, ...OUT]) await emulatorSetup(stack.emulator, "/gpu-stock", { gpuTypeId: id, units: 0 });
    await emulatorSetup(stack.emulator, "/gpu-stock", { gpuTypeId: SPLIT, dataCenterId: "EU-RO-1", units: 0 });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.emulator.clearLog());

  test("A and B have no stock: the pod lands on C, refused exactly twice on v2 (once-listed on v1), never twice created", async () => {
    const res = await stack.resource("pod", "fallback");
    await res.up({ imageName: IMAGE, gpuTypeIds: [A, B, C] });
    expect(res.state!.outputs).toMatchObject({ gpuTypeId: C, gpuTypeIds: [A, B, C], status: "RUNNING" });
    expect(res.state!.outputs.dataCenterId).toEqual(expect.any(String));
    expect(stack.emulator.list("pods")).toHaveLength(1);
    if (wire === "v2") {
      expect(refused(stack).length).toBe(2);
      expect(creates(stack).map((r) => r.status)).toEqual([400, 400, 201]);
    } else {
      // v1 takes the list in one create, in the program's order ("custom").
      expect(creates(stack).map((r) => r.status)).toEqual([201]);
    }
    // The program's order needs no catalog read of its own: the one read is check's, which
    // authenticates the key and validates the ids once per host process.
    expect(catalogReads(stack).length).toBeLessThanOrEqual(1);
    // Placement is done: the next up changes nothing.
    expect((await res.preview({ imageName: IMAGE, gpuTypeIds: [A, B, C] })).op).toBe("same");
    await res.destroy();
    expect(stack.emulator.list("pods")).toEqual([]);
  });

  test("stock per data centre: the pod lands in the allowed data centre that has the type free", async () => {
    const res = await stack.resource("pod", "split");
    await res.up({ imageName: IMAGE, gpuTypeIds: [SPLIT], dataCenterIds: ["EU-RO-1", "US-TX-3"] });
    expect(res.state!.outputs).toMatchObject({ gpuTypeId: SPLIT, dataCenterId: "US-TX-3" });
    expect(refused(stack)).toEqual([]);
    await res.destroy();
  });

  test("every candidate out of stock: one capacity error naming each with Runpod's answer and the catalog's availability; nothing created", async () => {
    const res = await stack.resource("pod", "unlucky");
    const error = await res.up({ imageName: IMAGE, gpuTypeIds: OUT }).catch((e: unknown) => e);
    expectAllRefused(error, /cannot create the pod: Runpod has no capacity for 1 × GPU types/, OUT, res, stack, wire);
  });

  test('gpuTypePriority "availability": the available type first, no refusal', async () => {
    const res = await stack.resource("pod", "available");
    await res.up({ imageName: IMAGE, gpuTypeIds: [A, B, C], gpuTypePriority: "availability" });
    expect(res.state!.outputs).toMatchObject({ gpuTypeId: C, gpuTypePriority: "availability" });
    expect(creates(stack).map((r) => r.status)).toEqual([201]);
    expect(stack.emulator.list("pods")).toHaveLength(1);
    await res.destroy();
  });

  // On v1, which has no price order, the provider sorts the list and sends it as the program's
  // order: had it sent the program's order, the first listed type (in stock) would have been taken.
  test('gpuTypePriority "price": the cheapest listed type', async () => {
    const res = await stack.resource("pod", "cheap");
    await res.up({ imageName: IMAGE, gpuTypeIds: ["NVIDIA L40S", "NVIDIA GeForce RTX 4090", A6000], gpuTypePriority: "price" });
    expect(res.state!.outputs.gpuTypeId).toBe(A6000);
    expect(creates(stack).map((r) => r.status)).toEqual([201]);
    await res.destroy();
  });

  test("a selector lands on a type meeting it (falling back past one out of stock); a catalog price change is no diff; a changed selector replaces only when the pod no longer meets it", async () => {
    const res = await stack.resource("pod", "selected");
    const program = { imageName: IMAGE, gpuSelector: { minMemoryInGb: 48, maxPricePerHr: 0.5 } };
    await res.up(program);
    const id = res.state!.id;
    // 48 GB within 0.50/h: A40 (0.40/h, out of stock), then RTX A6000 (0.49/h).
    expect(res.state!.outputs).toMatchObject({ gpuTypeId: A6000, gpuMemoryInGb: 48, gpuSelector: program.gpuSelector });
    expect(res.state!.outputs.gpuTypeIds).toBeUndefined();
    expect(creates(stack).map((r) => r.status)).toEqual(wire === "v2" ? [400, 201] : [201]);

    // Looser, or still met by a 48 GB type at 0.49/h: no new pod.
    const looser = await res.preview({ ...program, gpuSelector: { minMemoryInGb: 40, maxPricePerHr: 1 } });
    expect(looser.diff!.replaces).toEqual([]);
    const stillMet = await res.preview({ ...program, gpuSelector: { minMemoryInGb: 48, maxPricePerHr: 0.49 } });
    expect(stillMet.diff!.replaces).toEqual([]);
    // Stricter than the running type: replaced, saying why.
    const stricter = await res.preview({ ...program, gpuSelector: { minMemoryInGb: 80 } });
    expect(stricter.diff!.replaces).toEqual(["gpuSelector"]);
    expect(stack.host.stderr()).toMatch(/gpuSelector: Runpod cannot move a pod to another GPU type, and the type this pod runs on no longer meets gpuSelector/);

    // The catalog's price rises above the cap: no diff, before or after a refresh.
    await emulatorSetup(stack.emulator, "/catalog/gpus", { ...A6000_ROW, securePrice: 0.95 });
    try {
      expect((await res.preview(program)).op).toBe("same");
      await res.refresh();
      expect((await res.preview(program)).op).toBe("same");
    } finally {
      await emulatorSetup(stack.emulator, "/catalog/gpus", A6000_ROW);
    }
    expect(res.state!.id).toBe(id);

    // Stopped, the pod costs nothing; a price cap below its type's list price (0.49/h) still
    // replaces it, since it would cost that once started. At the list price: still met.
    const stopped = { ...program, desiredStatus: "EXITED" };
    await res.up(stopped);
    expect(res.state!.outputs.costPerHr).toBe(0);
    const capped = await res.preview({ ...stopped, gpuSelector: { minMemoryInGb: 48, maxPricePerHr: 0.3 } });
    expect(capped.diff!.replaces).toEqual(["gpuSelector"]);
    const atList = await res.preview({ ...stopped, gpuSelector: { minMemoryInGb: 48, maxPricePerHr: 0.49 } });
    expect(atList.diff!.replaces).toEqual([]);
    await res.destroy();
  });

  test('cpuFlavorPriority "price": the cheapest listed flavour for the vCPUs asked', async () => {
    const res = await stack.resource("pod", "cpu-cheap");
    await res.up({ imageName: IMAGE, computeType: "CPU", cpuFlavorIds: ["cpu3g", "cpu5c", "cpu3c"], cpuFlavorPriority: "price", vcpuCount: 4 });
    expect(res.state!.outputs).toMatchObject({ cpuFlavorId: "cpu3c", cpuFlavorIds: ["cpu3g", "cpu5c", "cpu3c"] });
    expect(creates(stack).map((r) => r.status)).toEqual([201]);
    await res.destroy();
  });

  test("a selector nothing in the catalog meets fails before any create", async () => {
    const res = await stack.resource("pod", "impossible");
    const error = await res.up({ imageName: IMAGE, gpuSelector: { minMemoryInGb: 1000 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineOpError);
    expect((error as EngineOpError).message).toMatch(/gpuSelector: no GPU type in Runpod's catalog meets at least 1000 GB per GPU/);
    expect(creates(stack)).toEqual([]);
  });
});

describe.each<Wire>(["v2", "v1"])("Pod placement after a lost answer, on REST %s", (wire) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire, config: { "runpod:maxRetries": "1", "runpod:createRecoveryTimeoutSeconds": "0.3" } });
    for (const id of [A, B]) await emulatorSetup(stack.emulator, "/gpu-stock", { gpuTypeId: id, units: 0 });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.emulator.clearLog());
  afterEach(() => stack.emulator.faults.clear());

  test("the answer to the create that found capacity is lost: the pod is looked up and adopted, never sent again", async () => {
    stack.emulator.faults.set({ loseCreateResponses: 1 });
    const res = await stack.resource("pod", "lost");
    await res.up({ imageName: IMAGE, gpuTypeIds: [A, B, C], waitForReady: false });
    expect(stack.emulator.list("pods")).toEqual([expect.objectContaining({ id: res.state!.id, gpuTypeId: C })]);
    const statuses = creates(stack).map((r) => [r.status, r.fault]);
    expect(statuses).toEqual(
      wire === "v2"
        ? [
            [400, undefined],
            [400, undefined],
            [201, "lost-response"],
          ]
        : [[201, "lost-response"]],
    );
    await res.destroy();
  });

  test("Runpod goes down right after accepting the third candidate: kept pending, the next candidate is never tried, refresh adopts the one pod", async () => {
    stack.emulator.faults.set({ loseCreateResponses: 1, outageAfterLostCreate: true });
    const res = await stack.resource("pod", "pending");
    const inputs = { imageName: IMAGE, gpuTypeIds: [A, B, C, "NVIDIA A40"], waitForReady: false };
    const error = await res.up(inputs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineOpError);
    expect((error as EngineOpError).message).toMatch(/may exist/);
    expect(res.state?.id).toMatch(/^pending-create-/);
    // The outcome is unknown, not refused: the fourth candidate is never sent.
    expect(creates(stack)).toHaveLength(wire === "v2" ? 3 : 1);
    stack.emulator.faults.clear();
    const made = stack.emulator.list("pods");
    expect(made).toEqual([expect.objectContaining({ gpuTypeId: C })]);
    await res.refresh();
    expect(res.state!.id).toBe(made[0].id);
    expect((await res.up(inputs)).op).toBe("same");
    expect(stack.emulator.list("pods")).toHaveLength(1);
    await res.destroy();
    expect(stack.emulator.list("pods")).toEqual([]);
  });
});

describe("a fleet pod group may describe its GPU instead of naming it", () => {
  const fleet = (pod: Record<string, unknown>) => ({ pods: { workers: { count: 2, imageName: IMAGE, ...pod } } });

  test("the selector is validated with the fleet, naming its path", () => {
    expect(() => validateFleet(fleet({ gpuSelector: { minMemoryInGb: 48 } }))).not.toThrow();
    let error: unknown;
    try {
      validateFleet(fleet({ gpuSelector: { minMemoryInGb: "lots" } }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetConfigError);
    expect((error as FleetConfigError).problems.some((p) => p.startsWith("fleet.pods.workers.gpuSelector.minMemoryInGb"))).toBe(true);
  });

  test("each pod of the group lands on a type meeting it", async () => {
    const stack = await startStack({ wire: "v2" });
    try {
      stack.emulator.setGpuStock(A40, 0);
      const engine = new ProgramEngine(stack.host);
      const steps = byStep(await engine.run(() => deployFleet(fleet({ gpuSelector: { minMemoryInGb: 48, maxPricePerHr: 0.5 }, waitForReady: false }), {})));
      expect(steps).toEqual({ create: ["workers-0", "workers-1"] });
      expect(stack.emulator.list("pods").map((p) => p.gpuTypeId)).toEqual([A6000, A6000]);
    } finally {
      await stack.close();
    }
  });
});
