/**
 * Ids are checked against Runpod's live catalog, through the real dynamic-provider host: an id the
 * catalog offers passes though no list in the code has it, a misspelt one is refused with the
 * closest ids, GPU counts follow the catalog's `maxCount`, a wrong key fails a preview even when
 * nothing changed, and a catalog outage falls back to the format rules with one note. Both wires:
 * a v1 stack reads the catalog from the v2 API of the same server.
 */
import { startEmulator, Emulator } from "runpod-emulator";
import { beyondCatalogReads, emulatorSetup, startStack, TestStack, TEST_API_KEY, Wire } from "./support/stack";

/** A GPU type no list in the code has, with machines of at most 2 GPUs, in a pool of its own. */
const NEW_GPU = {
  id: "NVIDIA RTX PRO 9000 Test Edition",
  displayName: "RTX PRO 9000",
  pool: "BLACKWELL_TEST_96",
  memoryInGb: 96,
  securePrice: 2.5,
  communityPrice: 2.0,
  serverlessPrice: 3.0,
  maxCount: 2,
  cudaVersions: ["12.8", "13.0"],
};

const pod = (gpuTypeIds: string[], extra: Record<string, unknown> = {}) => ({
  name: "pod",
  imageName: "runpod/pytorch:2.4.0",
  gpuTypeIds,
  waitForReady: false,
  ...extra,
});

describe.each<Wire>(["v2", "v1"])("catalog checks on REST %s", (wire) => {
  let emulator: Emulator;
  let stack: TestStack;
  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: TEST_API_KEY, podReadyAfterPolls: 1 });
    // Before the host's first check: the catalog is read once per host process.
    await emulatorSetup(emulator, "/catalog/gpus", NEW_GPU);
    stack = await startStack({ wire, sharedEmulator: emulator });
  });
  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  test("a GPU type the catalog added passes check (and on v2 creates a pod); reading the catalog sends nothing else", async () => {
    emulator.clearLog();
    expect(await stack.check("pod", pod([NEW_GPU.id], { gpuCount: 2 }))).toEqual([]);
    expect(beyondCatalogReads(emulator)).toEqual([]);
    expect(emulator.requests().length).toBeGreaterThan(0);
    if (wire === "v2") {
      // v1's own spec enumerates GPU type ids (stale since), so only v2 can create on a new type.
      const r = await stack.resource("pod", "new-gpu");
      const created = await r.up(pod([NEW_GPU.id]));
      expect(created.op).toBe("create");
      expect(emulator.list("pods").map((p) => p.gpuTypeId)).toContain(NEW_GPU.id);
      await r.destroy();
    }
  });

  test("a misspelt GPU type is refused, naming the entry and the closest ids", async () => {
    // Every entry of a priority list is checked, on both wires.
    const at = "gpuTypeIds.1";
    const failures = await stack.check("pod", pod(["NVIDIA A40", "NVIDIA RTX 4090"]));
    expect(failures).toEqual([{ property: at, reason: `${at}: "NVIDIA RTX 4090" is not a GPU type Runpod offers; did you mean "NVIDIA GeForce RTX 4090"?` }]);
  });

  test("a GPU count above the type's maxCount fails check; one within it passes", async () => {
    const failures = await stack.check("pod", pod([NEW_GPU.id], { gpuCount: 4 }));
    expect(failures.map((f) => f.property)).toEqual(["gpuCount"]);
    expect(failures[0].reason).toContain(`${NEW_GPU.id} (at most 2)`);
    // Seeded types have machines of 8.
    expect(await stack.check("pod", pod(["NVIDIA A40"], { gpuCount: 8 }))).toEqual([]);
  });

  test("data centres, CPU flavours, CUDA versions and pools are the catalog's", async () => {
    const dc = await stack.check("pod", pod(["NVIDIA A40"], { dataCenterIds: ["EU-RO-1", "EU-RO-9"] }));
    expect(dc).toEqual([expect.objectContaining({ property: "dataCenterIds.1", reason: expect.stringContaining('did you mean "EU-RO-1"') })]);
    const cpu = await stack.check("pod", { name: "pod", imageName: "ubuntu:24.04", computeType: "CPU", cpuFlavorIds: ["cpu3x"], waitForReady: false });
    expect(cpu.map((f) => f.property)).toEqual(["cpuFlavorIds.0"]);
    const cuda = await stack.check("pod", pod(["NVIDIA A40"], { allowedCudaVersions: ["12.8", "14.2"] }));
    expect(cuda.map((f) => f.property)).toEqual(["allowedCudaVersions.1"]);
    const volume = await stack.check("networkVolume", { name: "vol", size: 20, dataCenterId: "EU-RO-9" });
    expect(volume).toEqual([expect.objectContaining({ property: "dataCenterId", reason: expect.stringContaining('did you mean "EU-RO-1"') })]);
    if (wire === "v2") {
      // The new type's pool exists because the catalog says so.
      const ep = { name: "ep", imageName: "myorg/worker:1", gpuPoolIds: [NEW_GPU.pool], workersMin: 0, workersMax: 1 };
      expect(await stack.check("endpoint", ep)).toEqual([]);
      expect((await stack.check("endpoint", { ...ep, gpuPoolIds: ["AMPERE_42"] })).map((f) => f.property)).toEqual(["gpuPoolIds.0"]);
      // EU-SE-1 offers only STANDARD volumes.
      const tier = await stack.check("networkVolume", { name: "vol", size: 20, dataCenterId: "EU-SE-1", type: "HIGH_PERFORMANCE" });
      expect(tier).toEqual([expect.objectContaining({ property: "type", reason: expect.stringContaining("EU-RO-1") })]);
    } else {
      const ep = { name: "ep", templateId: "tpl123", gpuTypeIds: [NEW_GPU.id], gpuCount: 3 };
      expect((await stack.check("endpoint", ep)).map((f) => f.property)).toEqual(["gpuCount"]);
    }
  });

  test("inputs unchanged since they were applied are not read again", async () => {
    const inputs = pod(["NVIDIA A40"], { dataCenterIds: ["EU-RO-1"], gpuCount: 1 });
    emulator.clearLog();
    expect(await stack.check("pod", inputs, inputs)).toEqual([]);
    expect(emulator.requests()).toEqual([]);
  });
});

describe.each<Wire>(["v2", "v1"])("a wrong key on REST %s", (wire) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire, config: { "runpod:apiKey": "rpa_WRONG_KEY_0123456789" } });
  });
  afterAll(() => stack?.close());

  test("fails preview even when nothing changed, naming runpod:apiKey and RUNPOD_API_KEY", async () => {
    const inputs = pod(["NVIDIA A40"]);
    const r = await stack.resource("pod", "unchanged");
    const plan = await r.preview(inputs);
    expect(plan.op).toBe("invalid");
    const failures = await stack.check("pod", inputs, inputs);
    expect(failures).toEqual([expect.objectContaining({ property: "runpod:apiKey", reason: expect.stringMatching(/^runpod:apiKey: .*RUNPOD_API_KEY/) })]);
    expect(JSON.stringify(failures)).not.toContain("rpa_WRONG_KEY");
    expect(beyondCatalogReads(stack.emulator)).toEqual([]);
  });
});

describe.each<Wire>(["v2", "v1"])("a catalog outage on REST %s", (wire) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire, emulator: { faults: { catalogDown: true } } });
  });
  afterAll(() => stack?.close());

  test("falls back to the format rules and says so once; the preview passes and sends nothing else", async () => {
    const r = await stack.resource("pod", "during-outage");
    expect((await r.preview(pod(["NVIDIA A40"]))).op).toBe("create");
    // Only the catalog could tell this id is misspelt: format rules let it through.
    expect(await stack.check("pod", pod(["NVIDIA RTX 4090"]))).toEqual([]);
    // A format mistake is still caught.
    expect((await stack.check("pod", pod(["NVIDIA A40"], { gpuCount: 0 }))).map((f) => f.property)).toEqual(["gpuCount"]);
    // Other kinds in the same host (each configured on its first call) stay on the same fallback.
    expect(await stack.check("networkVolume", { name: "vol", size: 10, dataCenterId: "EU-RO-1" })).toEqual([]);
    expect(await stack.check("template", { name: "tpl", imageName: "runpod/base:0.6.2" })).toEqual([]);
    expect(stack.host.stderr().match(/Runpod's catalog could not be read/g)).toHaveLength(1);
    expect(stack.emulator.requests().every((e) => e.method === "GET" && e.path.startsWith("/v2/catalog/"))).toBe(true);
    // One read (with the client's few retries), then the rest of the run stays on the fallback.
    expect(stack.emulator.requests().length).toBeLessThanOrEqual(3);
  });
});
