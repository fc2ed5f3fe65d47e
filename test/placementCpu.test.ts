import { emulatorAdmin, outOfBand, startStack, TestStack, Wire } from "./support/stack";
import { creates, expectAllRefused, refused } from "./support/placement";

/**
 * CPU pods fall back across their flavours as GPU pods do across types, engine-faithful: the real
 * dynamic-provider host against an emulator whose CPU stock (free vCPUs) is set per flavour and
 * per data centre. REST v2 places exactly the flavour it is sent, so the provider tries them in
 * turn; REST v1 takes the ordered list in one create (`cpuFlavorPriority` natively).
 *
 * The provider reads the catalog once per process, so all stock is set before the first read.
 */

const IMAGE = "runpod/base:0.6.2";
// Scenario flavours (all in v1's pod flavour list and the emulator's catalog).
const A = "cpu3c";
const B = "cpu3g";
const C = "cpu5c"; // in stock everywhere but EU-RO-1
const OUT = ["cpu3m", "cpu5g", "cpu5m"];
const VCPUS = 4;

describe.each<Wire>(["v2", "v1"])("CPU pod placement on REST %s", (wire) => {
  let stack: TestStack;
  const cpuPod = (over: Record<string, unknown>) => ({ imageName: IMAGE, computeType: "CPU", vcpuCount: VCPUS, ...over });
  beforeAll(async () => {
    stack = await startStack({ wire });
    for (const id of [A, B, ...OUT]) expect((await emulatorAdmin(stack.emulator, "POST", "/cpu-stock", { cpuFlavorId: id, units: 0 })).status).toBe(204);
    expect((await emulatorAdmin(stack.emulator, "POST", "/cpu-stock", { cpuFlavorId: C, dataCenterId: "EU-RO-1", units: 0 })).status).toBe(204);
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.emulator.clearLog());

  test("A and B have no stock: the pod lands on C, refused exactly twice on v2 (one list on v1), never twice created", async () => {
    const res = await stack.resource("pod", "cpu-fallback");
    await res.up(cpuPod({ cpuFlavorIds: [A, B, C] }));
    expect(res.state!.outputs).toMatchObject({ cpuFlavorId: C, cpuFlavorIds: [A, B, C], status: "RUNNING" });
    expect(res.state!.outputs.dataCenterId).not.toBe("EU-RO-1");
    expect(stack.emulator.list("pods")).toHaveLength(1);
    expect(creates(stack).map((r) => r.status)).toEqual(wire === "v2" ? [400, 400, 201] : [201]);
    expect((await res.preview(cpuPod({ cpuFlavorIds: [A, B, C] }))).op).toBe("same");
    await res.destroy();
    expect(stack.emulator.list("pods")).toEqual([]);
  });

  test("CPU stock per data centre: the pod lands in the allowed data centre that has the flavour free", async () => {
    const res = await stack.resource("pod", "cpu-split");
    await res.up(cpuPod({ cpuFlavorIds: [C], dataCenterIds: ["EU-RO-1", "US-TX-3"] }));
    expect(res.state!.outputs).toMatchObject({ cpuFlavorId: C, dataCenterId: "US-TX-3" });
    expect(refused(stack)).toEqual([]);
    await res.destroy();
  });

  test("every flavour out of stock: one capacity error naming each with Runpod's answer and the catalog's availability; nothing created", async () => {
    const res = await stack.resource("pod", "cpu-unlucky");
    const error = await res.up(cpuPod({ cpuFlavorIds: OUT })).catch((e: unknown) => e);
    const headline = new RegExp(`cannot create the pod: Runpod has no capacity for CPU flavors ${OUT.join(", ")} with ${VCPUS} vCPUs`);
    expectAllRefused(error, headline, OUT, res, stack, wire);
  });

  test('cpuFlavorPriority "availability": the flavour in stock first, no refusal', async () => {
    const res = await stack.resource("pod", "cpu-available");
    await res.up(cpuPod({ cpuFlavorIds: [A, B, C], cpuFlavorPriority: "availability" }));
    expect(res.state!.outputs).toMatchObject({ cpuFlavorId: C, cpuFlavorPriority: "availability" });
    expect(creates(stack).map((r) => r.status)).toEqual([201]);
    expect(stack.emulator.list("pods")).toHaveLength(1);
    await res.destroy();
  });
});

describe("emulator: CPU stock", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire: "v2", emulator: { validateResponses: true } });
  });
  afterAll(() => stack?.close());

  const cpus = async (vcpuCount: number) =>
    (await outOfBand(stack, "GET", `/catalog/cpus?include=AVAILABILITY&product=POD&vcpuCount=${vcpuCount}`)).cpus as Array<Record<string, any>>;

  test("the catalog's CPU availability follows the stock, per flavour and data centre; pods take vCPUs and give them back", async () => {
    stack.emulator.setCpuStock("cpu5g", 4);
    stack.emulator.setCpuStock("cpu5m", 0, "EU-RO-1");
    const four = await cpus(4);
    expect(four.find((c) => c.id === "cpu5g")).toMatchObject({ availability: "LOW" });
    expect(four.find((c) => c.id === "cpu3c")).toMatchObject({ availability: "HIGH" });
    const split = four.find((c) => c.id === "cpu5m")!;
    expect(split.availability).toBe("HIGH");
    expect(split.dataCenters.map((d: { id: string }) => d.id)).not.toContain("EU-RO-1");
    const dc = (await outOfBand(stack, "GET", "/catalog/datacenters/EU-RO-1?include=CPU_AVAILABILITY")).cpuAvailability;
    expect(dc.find((c: { id: string }) => c.id === "cpu5m").availability).toBe("NONE");
    // 8 vCPUs do not fit in 4 free.
    expect((await cpus(8)).find((c) => c.id === "cpu5g")).toMatchObject({ availability: "NONE" });

    const body = { name: "cpu-stock", image: IMAGE, cpu: { id: "cpu5g", vcpuCount: 4 } };
    const pod = await outOfBand(stack, "POST", "/pods", body);
    expect((await cpus(4)).find((c) => c.id === "cpu5g")).toMatchObject({ availability: "NONE" });
    await expect(outOfBand(stack, "POST", "/pods", body)).rejects.toThrow(/-> 400 .*no instances/i);
    await outOfBand(stack, "POST", `/pods/${pod.id}/action`, { action: "stop" });
    expect((await cpus(4)).find((c) => c.id === "cpu5g")).toMatchObject({ availability: "LOW" });
    await outOfBand(stack, "DELETE", `/pods/${pod.id}`);

    expect((await emulatorAdmin(stack.emulator, "POST", "/cpu-stock", { cpuFlavorId: "cpu5g", units: null })).status).toBe(204);
    expect((await cpus(4)).find((c) => c.id === "cpu5g")).toMatchObject({ availability: "HIGH" });
    expect((await emulatorAdmin(stack.emulator, "POST", "/cpu-stock", { gpuTypeId: "cpu5g", units: 1 })).status).toBe(400);
    expect(stack.emulator.responseViolations()).toEqual([]);
  });

  test('v1 cpuFlavorPriority: "custom" walks the list to the first flavour in stock, "availability" (the default) takes the one with the most free vCPUs', async () => {
    stack.emulator.setCpuStock("cpu3g", 8);
    stack.emulator.setCpuStock("cpu3m", 0);
    const create = (cpuFlavorPriority?: string) =>
      outOfBand(
        stack,
        "POST",
        "/pods",
        {
          name: "v1-cpu",
          imageName: IMAGE,
          computeType: "CPU",
          vcpuCount: 2,
          cpuFlavorIds: ["cpu3m", "cpu3g", "cpu5g"],
          ...(cpuFlavorPriority ? { cpuFlavorPriority } : {}),
        },
        "v1",
      );
    const custom = await create("custom");
    expect(custom.cpuFlavorId).toBe("cpu3g");
    expect((await create()).cpuFlavorId).toBe("cpu5g");
    for (const pod of stack.emulator.list("pods")) await outOfBand(stack, "DELETE", `/pods/${pod.id}`);
  });
});
