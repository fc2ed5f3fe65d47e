/**
 * Endpoint inputs are validated by Check alone: every bad input below is a CheckFailure naming the
 * property, answered by the real dynamic-provider host without a single request to Runpod —
 * except the ids only Runpod's catalog can judge, which cost catalog reads and nothing else.
 */
import { beyondCatalogReads, startStack, TestStack, Wire } from "./support/stack";

const CATALOG_ROWS = new Set([
  "unknown CUDA version",
  "a pod-only CPU flavor",
  "unknown serverless pool",
  "excluded type that is not a GPU type",
  "unknown GPU type",
]);

type Case = [label: string, news: Record<string, unknown>, property: string, olds?: Record<string, unknown>];

const v2ok = { name: "ep", imageName: "myorg/worker:1", gpuPoolIds: ["AMPERE_24"], workersMin: 0, workersMax: 3 };
const v1ok = { name: "ep", templateId: "tpl123", gpuTypeIds: ["NVIDIA RTX A5000"], workersMin: 0, workersMax: 3 };

const shared: Array<[string, (ok: Record<string, unknown>) => Record<string, unknown>, string]> = [
  ["workersMin above workersMax", (ok) => ({ ...ok, workersMin: 4, workersMax: 2 }), "workersMin"],
  ["negative workersMax", (ok) => ({ ...ok, workersMin: 0, workersMax: -1 }), "workersMax"],
  ["fractional workersMin", (ok) => ({ ...ok, workersMin: 0.5 }), "workersMin"],
  ["idleTimeout of 0", (ok) => ({ ...ok, idleTimeout: 0 }), "idleTimeout"],
  ["idleTimeout above an hour", (ok) => ({ ...ok, idleTimeout: 3601 }), "idleTimeout"],
  ["unknown scaler type", (ok) => ({ ...ok, scalerType: "LATENCY" }), "scalerType"],
  ["scalerValue of 0", (ok) => ({ ...ok, scalerValue: 0 }), "scalerValue"],
  ["scalerValue as a string", (ok) => ({ ...ok, scalerValue: "4" }), "scalerValue"],
  ["negative execution timeout", (ok) => ({ ...ok, executionTimeoutMs: -5 }), "executionTimeoutMs"],
  ["execution timeout over 24 hours", (ok) => ({ ...ok, executionTimeoutMs: 24 * 3600 * 1000 + 1 }), "executionTimeoutMs"],
  ["flashboot as a word", (ok) => ({ ...ok, flashboot: "yes" }), "flashboot"],
  ["unknown data centre", (ok) => ({ ...ok, dataCenterIds: ["MARS-1"] }), "dataCenterIds.0"],
  ["repeated data centre", (ok) => ({ ...ok, dataCenterIds: ["EU-RO-1", "EU-RO-1"] }), "dataCenterIds"],
  ["unknown CUDA version", (ok) => ({ ...ok, allowedCudaVersions: ["10.0"] }), "allowedCudaVersions.0"],
  ["minCudaVersion not a version", (ok) => ({ ...ok, minCudaVersion: "twelve" }), "minCudaVersion"],
  ["gpuCount of 0", (ok) => ({ ...ok, gpuCount: 0 }), "gpuCount"],
  [
    "GPU count on a CPU endpoint",
    (ok) => ({ ...ok, gpuPoolIds: undefined, gpuTypeIds: undefined, computeType: "CPU", cpuFlavorIds: ["cpu3c"], gpuCount: 1 }),
    "gpuCount",
  ],
  ["CPU flavors on a GPU endpoint", (ok) => ({ ...ok, cpuFlavorIds: ["cpu3c"] }), "cpuFlavorIds"],
  ["vcpuCount on a GPU endpoint", (ok) => ({ ...ok, vcpuCount: 4 }), "vcpuCount"],
  ["a pod-only CPU flavor", (ok) => ({ ...ok, computeType: "CPU", gpuPoolIds: undefined, gpuTypeIds: undefined, cpuFlavorIds: ["cpu3m"] }), "cpuFlavorIds.0"],
  ["unknown compute type", (ok) => ({ ...ok, computeType: "TPU" }), "computeType"],
  ["empty name", (ok) => ({ ...ok, name: "" }), "name"],
  ["name over 191 characters", (ok) => ({ ...ok, name: "e".repeat(192) }), "name"],
  ["network volume id with a slash", (ok) => ({ ...ok, networkVolumeIds: ["vol/1"] }), "networkVolumeIds.0"],
  ["misspelt property", (ok) => ({ ...ok, workerMin: 1 }), "workerMin"],
];

const v2Cases: Case[] = [
  ...shared.map(([label, make, property]): Case => [label, make(v2ok), property]),
  ["gpuTypeIds, which v2 cannot express", { ...v2ok, gpuTypeIds: ["NVIDIA RTX A5000"] }, "gpuTypeIds"],
  ["unknown serverless pool", { ...v2ok, gpuPoolIds: ["AMPERE_99"] }, "gpuPoolIds.0"],
  ["empty pool list", { ...v2ok, gpuPoolIds: [] }, "gpuPoolIds"],
  ["GPU count without pools", { name: "ep", imageName: "img", gpuCount: 2 }, "gpuPoolIds"],
  ["excluded type that is not a GPU type", { ...v2ok, excludedGpuTypeIds: ["RTX 9999"] }, "excludedGpuTypeIds.0"],
  ["neither image nor template", { name: "ep", gpuPoolIds: ["AMPERE_24"] }, "imageName"],
  ["unknown routing type", { ...v2ok, type: "BROADCAST" }, "type"],
  ["QUEUE_DELAY on a load balancer", { ...v2ok, type: "LOAD_BALANCER", scalerType: "QUEUE_DELAY" }, "scalerType"],
  ["pools on a CPU endpoint", { ...v2ok, computeType: "CPU", cpuFlavorIds: ["cpu3c"] }, "gpuPoolIds"],
  ["idleTimeout when the endpoint already scales on requests", { ...v2ok, idleTimeout: 30 }, "idleTimeout", { ...v2ok, scalerType: "REQUEST_COUNT" }],
  ["idleTimeout on a queue endpoint scaling on requests", { ...v2ok, scalerType: "REQUEST_COUNT", idleTimeout: 30 }, "idleTimeout"],
  ["queue delay under half a second", { ...v2ok, scalerType: "QUEUE_DELAY", scalerValue: 0.2 }, "scalerValue"],
  ["fractional request count", { ...v2ok, scalerType: "REQUEST_COUNT", scalerValue: 2.5 }, "scalerValue"],
  ["CUDA list and floor together", { ...v2ok, allowedCudaVersions: ["12.4"], minCudaVersion: "12.1" }, "minCudaVersion"],
  ["vCPU count not a power of two", { name: "ep", imageName: "img", computeType: "CPU", cpuFlavorIds: ["cpu3c"], vcpuCount: 6 }, "vcpuCount"],
  ["CPU endpoint without flavors", { name: "ep", imageName: "img", computeType: "CPU" }, "cpuFlavorIds"],
  ["malformed port", { ...v2ok, ports: ["http:8000"] }, "ports.0"],
  ["port out of range", { ...v2ok, ports: ["70000/http"] }, "ports.0"],
  ["env name with a dash", { ...v2ok, env: { "MY-VAR": "1" } }, "env.MY-VAR"],
  ["env value as a number", { ...v2ok, env: { MODEL: 7 } }, "env.MODEL"],
  ["container disk of 0 GB", { ...v2ok, containerDiskInGb: 0 }, "containerDiskInGb"],
];

const v1Cases: Case[] = [
  ...shared.map(([label, make, property]): Case => [label, make(v1ok), property]),
  ["no template (v1 requires one)", { name: "ep", gpuTypeIds: ["NVIDIA RTX A5000"] }, "templateId"],
  ["gpuPoolIds, which v1 cannot express", { ...v1ok, gpuPoolIds: ["AMPERE_24"] }, "gpuPoolIds"],
  ["excludedGpuTypeIds, which v1 cannot express", { ...v1ok, excludedGpuTypeIds: ["NVIDIA L4"] }, "excludedGpuTypeIds"],
  ["routing type, which v1 cannot express", { ...v1ok, type: "QUEUE" }, "type"],
  ["inline image, which v1 cannot express", { ...v1ok, imageName: "myorg/worker:1" }, "imageName"],
  ["inline env, which v1 cannot express", { ...v1ok, env: { A: "1" } }, "env"],
  ["priority FlashBoot, which v1 cannot express", { ...v1ok, flashboot: "PRIORITY_FLASHBOOT" }, "flashboot"],
  ["fractional scaler value (v1 takes whole numbers)", { ...v1ok, scalerValue: 1.5 }, "scalerValue"],
  ["unknown GPU type", { ...v1ok, gpuTypeIds: ["NVIDIA RTX 9999"] }, "gpuTypeIds.0"],
  ["empty GPU type list", { ...v1ok, gpuTypeIds: [] }, "gpuTypeIds"],
  ["CUDA list and floor together", { ...v1ok, allowedCudaVersions: ["12.4"], minCudaVersion: "12.1" }, "minCudaVersion"],
  ["GPU types on a CPU endpoint", { ...v1ok, computeType: "CPU", cpuFlavorIds: ["cpu3c"] }, "gpuTypeIds"],
];

const WIRE_NAME: Record<Wire, RegExp> = { v2: /REST v2/, v1: /REST v1/ };

describe.each<[Wire, Case[]]>([
  ["v2", v2Cases],
  ["v1", v1Cases],
])("Endpoint bad input on REST %s is a CheckFailure naming the property, with zero API requests", (wire, cases) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire });
  });
  afterAll(() => stack?.close());

  test("there are at least 15 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  // Every row has all four entries: jest treats a callback with more parameters than the row as `done`-style.
  const rows = cases.map(([label, news, property, olds]): [string, Record<string, unknown>, string, Record<string, unknown>] => [
    label,
    news,
    property,
    olds ?? {},
  ]);
  test.each(rows)("%s", async (label, news, property, olds) => {
    stack.emulator.clearLog();
    const failures = await stack.check("endpoint", news, olds);
    expect(failures.map((f) => f.property)).toContain(property);
    const failure = failures.find((f) => f.property === property)!;
    expect(failure.reason).toContain(property.split(".")[0]);
    if (/cannot express/.test(failure.reason)) expect(failure.reason).toMatch(WIRE_NAME[wire]);
    if (CATALOG_ROWS.has(label)) expect(beyondCatalogReads(stack.emulator)).toEqual([]);
    else expect(stack.emulator.requests()).toHaveLength(0);
  });

  test("the valid baseline passes, and a preview of it costs only catalog reads", async () => {
    stack.emulator.clearLog();
    const ok = wire === "v2" ? v2ok : v1ok;
    expect(await stack.check("endpoint", ok)).toEqual([]);
    expect(
      await stack.check("endpoint", { ...ok, flashboot: true, scalerType: "REQUEST_COUNT", scalerValue: 2, idleTimeout: wire === "v1" ? 30 : undefined }),
    ).toEqual([]);
    const ep = await stack.resource("endpoint", "baseline");
    expect((await ep.preview(ok)).op).toBe("create");
    expect(beyondCatalogReads(stack.emulator)).toEqual([]);
  });
});
