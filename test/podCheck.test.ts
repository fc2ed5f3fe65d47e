import { beyondCatalogReads, startStack, TestStack, Wire } from "./support/stack";

/**
 * Bad pod input fails `pulumi preview` as a CheckFailure naming the property — on the real
 * dynamic-provider host, before any API call (the emulator must see zero requests), except the
 * ids only Runpod's catalog can judge: those cost catalog reads and nothing else.
 */
const CATALOG_ROWS = new Set(["unknown GPU type", "unknown CPU flavor", "global networking outside its data centres"]);
const gpu = { name: "pod", imageName: "runpod/pytorch:2.4.0", gpuTypeIds: ["NVIDIA GeForce RTX 4090"] };
const cpu = { name: "pod", imageName: "ubuntu:24.04", computeType: "CPU", cpuFlavorIds: ["cpu3c"], vcpuCount: 4 };

type Case = [label: string, news: Record<string, unknown>, property: string, olds?: Record<string, unknown>];

const both: Case[] = [
  ["no image and no template", { name: "pod", gpuTypeIds: ["NVIDIA A40"] }, "imageName"],
  ["empty image", { ...gpu, imageName: "" }, "imageName"],
  ["image as a number", { ...gpu, imageName: 42 }, "imageName"],
  ["GPU pod without GPU types", { name: "pod", imageName: "x" }, "gpuTypeIds"],
  ["empty GPU type list", { ...gpu, gpuTypeIds: [] }, "gpuTypeIds"],
  ["unknown GPU type", { ...gpu, gpuTypeIds: ["NVIDIA RTX 9999"] }, "gpuTypeIds.0"],
  ["GPU type as a string, not a list", { ...gpu, gpuTypeIds: "NVIDIA A40" }, "gpuTypeIds"],
  ["zero GPUs", { ...gpu, gpuCount: 0 }, "gpuCount"],
  ["fractional GPU count", { ...gpu, gpuCount: 1.5 }, "gpuCount"],
  ["unknown compute type", { ...gpu, computeType: "TPU" }, "computeType"],
  ["CPU pod with GPU types", { ...cpu, gpuTypeIds: ["NVIDIA A40"] }, "gpuTypeIds"],
  ["CPU pod without CPU flavors", { name: "pod", imageName: "x", computeType: "CPU" }, "cpuFlavorIds"],
  ["unknown CPU flavor", { ...cpu, cpuFlavorIds: ["cpu9z"] }, "cpuFlavorIds.0"],
  ["GPU count on a CPU pod", { ...cpu, gpuCount: 1 }, "gpuCount"],
  ["vCPU count on a GPU pod", { ...gpu, vcpuCount: 4 }, "vcpuCount"],
  ["CPU flavors on a GPU pod", { ...gpu, cpuFlavorIds: ["cpu3c"] }, "cpuFlavorIds"],
  ["unknown cloud type", { ...gpu, cloudType: "PRIVATE" }, "cloudType"],
  ["unknown data centre", { ...gpu, dataCenterIds: ["MARS-1"] }, "dataCenterIds.0"],
  ["a data centre listed twice", { ...gpu, dataCenterIds: ["EU-RO-1", "EU-RO-1"] }, "dataCenterIds"],
  ["malformed CUDA version", { ...gpu, allowedCudaVersions: ["twelve"] }, "allowedCudaVersions.0"],
  ["negative container disk", { ...gpu, containerDiskInGb: -5 }, "containerDiskInGb"],
  ["container disk as a string", { ...gpu, containerDiskInGb: "20" }, "containerDiskInGb"],
  ["relative mount path", { ...gpu, volumeInGb: 20, volumeMountPath: "workspace" }, "volumeMountPath"],
  ["volume disk and network volume together", { ...gpu, volumeInGb: 20, networkVolumeId: "vol123" }, "volumeInGb"],
  ["network volume on Community Cloud", { ...gpu, networkVolumeId: "vol123", cloudType: "COMMUNITY" }, "networkVolumeId"],
  ["stopping a pod that has a network volume", { ...gpu, networkVolumeId: "vol123", desiredStatus: "EXITED" }, "desiredStatus"],
  ["terminating through desiredStatus", { ...gpu, desiredStatus: "TERMINATED" }, "desiredStatus"],
  ["malformed port", { ...gpu, ports: ["8888"] }, "ports.0"],
  ["UDP port", { ...gpu, ports: ["53/udp"] }, "ports.0"],
  ["port out of range", { ...gpu, ports: ["70000/tcp"] }, "ports.0"],
  ["the same port twice", { ...gpu, ports: ["22/tcp", "22/http"] }, "ports.1"],
  ["invalid env variable name", { ...gpu, env: { "1BAD": "x" } }, "env.1BAD"],
  ["env value as a number", { ...gpu, env: { PORT: 8080 } }, "env.PORT"],
  ["entrypoint as a string", { ...gpu, dockerEntrypoint: "bash -c" }, "dockerEntrypoint"],
  ["global networking on a CPU pod", { ...cpu, globalNetworking: true }, "globalNetworking"],
  ["global networking on an AMD GPU", { ...gpu, gpuTypeIds: ["AMD Instinct MI300X OAM"], globalNetworking: true }, "globalNetworking"],
  ["global networking outside its data centres", { ...gpu, dataCenterIds: ["EUR-IS-1"], globalNetworking: true }, "globalNetworking"],
  ["locked as a string", { ...gpu, locked: "yes" }, "locked"],
  ["zero readiness timeout", { ...gpu, readyTimeoutSeconds: 0 }, "readyTimeoutSeconds"],
  ["readiness timeout without waiting", { ...gpu, waitForReady: false, readyTimeoutSeconds: 60 }, "readyTimeoutSeconds"],
  ["name over 191 characters", { ...gpu, name: "p".repeat(192) }, "name"],
  ["unknown property", { ...gpu, gpuType: "NVIDIA A40" }, "gpuType"],
  ["shrinking the volume disk", { ...gpu, volumeInGb: 20 }, "volumeInGb", { ...gpu, volumeInGb: 50 }],
  ["unknown GPU priority", { ...gpu, gpuTypePriority: "cheapest" }, "gpuTypePriority"],
  ["unknown CPU priority", { ...cpu, cpuFlavorPriority: "fastest" }, "cpuFlavorPriority"],
  ["a GPU priority on a CPU pod", { ...cpu, gpuTypePriority: "price" }, "gpuTypePriority"],
  ["GPU types named and described", { ...gpu, gpuSelector: { minMemoryInGb: 24 } }, "gpuSelector"],
  ["a selector on a CPU pod", { ...cpu, gpuSelector: { minMemoryInGb: 24 } }, "gpuSelector"],
  ["a selector with a zero price cap", { name: "pod", imageName: gpu.imageName, gpuSelector: { maxPricePerHr: 0 } }, "gpuSelector.maxPricePerHr"],
  ["a selector with fractional memory", { name: "pod", imageName: gpu.imageName, gpuSelector: { minMemoryInGb: 23.5 } }, "gpuSelector.minMemoryInGb"],
  ["a selector with an unknown bound", { name: "pod", imageName: gpu.imageName, gpuSelector: { vram: 24 } }, "gpuSelector"],
  ["a data centre priority of price", { ...gpu, dataCenterIds: ["EU-RO-1"], dataCenterPriority: "price" }, "dataCenterPriority"],
];

const v2Only: Case[] = [
  ["interruptible (no spot pods on v2)", { ...gpu, interruptible: true }, "interruptible"],
  ["dataCenterPriority", { ...gpu, dataCenterIds: ["EU-RO-1"], dataCenterPriority: "custom" }, "dataCenterPriority"],
  ["countryCodes", { ...gpu, countryCodes: ["US"] }, "countryCodes"],
  ["minRAMPerGPU", { ...gpu, minRAMPerGPU: 16 }, "minRAMPerGPU"],
  ["minVCPUPerGPU", { ...gpu, minVCPUPerGPU: 4 }, "minVCPUPerGPU"],
  ["minDownloadMbps", { ...gpu, minDownloadMbps: 500 }, "minDownloadMbps"],
  ["minUploadMbps", { ...gpu, minUploadMbps: 500 }, "minUploadMbps"],
  ["minDiskBandwidthMBps", { ...gpu, minDiskBandwidthMBps: 500 }, "minDiskBandwidthMBps"],
  ["supportPublicIp", { ...gpu, cloudType: "COMMUNITY", supportPublicIp: true }, "supportPublicIp"],
  ["a vCPU count that is not a power of two", { ...cpu, vcpuCount: 6 }, "vcpuCount"],
  ["a volume disk under 10 GB", { ...gpu, volumeInGb: 5 }, "volumeInGb"],
  ["a volume disk on a CPU pod", { ...cpu, volumeInGb: 20 }, "volumeInGb"],
  ["a mount path with nothing to mount", { ...gpu, volumeMountPath: "/data" }, "volumeMountPath"],
  ["a container disk of 0 GB", { ...gpu, containerDiskInGb: 0 }, "containerDiskInGb"],
  ["an exact CUDA set together with a floor", { ...gpu, allowedCudaVersions: ["12.8"], minCudaVersion: "12.4" }, "minCudaVersion"],
];

const v1Only: Case[] = [
  ["startSsh (create-time flag of v2)", { ...gpu, startSsh: true }, "startSsh"],
  ["startJupyter (create-time flag of v2)", { ...gpu, startJupyter: true }, "startJupyter"],
  ["minCudaVersion (v1 has no floor)", { ...gpu, minCudaVersion: "12.4" }, "minCudaVersion"],
  ["a CUDA version v1 does not list", { ...gpu, allowedCudaVersions: ["12.11"] }, "allowedCudaVersions.0"],
  ["supportPublicIp on Secure Cloud", { ...gpu, supportPublicIp: true }, "supportPublicIp"],
  ["global networking on an interruptible pod", { ...gpu, interruptible: true, globalNetworking: true }, "globalNetworking"],
  ["a country code that is not ISO", { ...gpu, countryCodes: ["USA"] }, "countryCodes.0"],
];

describe.each<[Wire, Case[]]>([
  ["v2", [...both, ...v2Only]],
  ["v1", [...both, ...v1Only]],
])("Pod bad input on REST %s is a CheckFailure naming the property, with no API request", (wire, cases) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire });
  });
  afterAll(() => stack?.close());

  // Every row gets all four arguments: with fewer, jest would take the last parameter for `done`.
  test.each(cases.map(([label, news, property, olds]): Case => [label, news, property, olds ?? {}]))("%s", async (label, news, property, olds) => {
    stack.emulator.clearLog();
    const failures = await stack.check("pod", news, olds);
    expect(failures.map((f) => f.property)).toContain(property);
    const failure = failures.find((f) => f.property === property)!;
    expect(failure.reason).toContain(property);
    if (CATALOG_ROWS.has(label)) expect(beyondCatalogReads(stack.emulator)).toEqual([]);
    else expect(stack.emulator.requests()).toHaveLength(0);
  });

  test("a field the wire cannot express names the field and the wire", async () => {
    const news = wire === "v2" ? { ...gpu, interruptible: true } : { ...gpu, startSsh: true };
    const failures = await stack.check("pod", news);
    expect(failures).toEqual([expect.objectContaining({ reason: expect.stringMatching(new RegExp(`REST ${wire}.*cannot express`)) })]);
    expect(stack.emulator.requests()).toHaveLength(0);
  });

  test("values not known yet during a preview are not judged", async () => {
    const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect(await stack.check("pod", { ...gpu, networkVolumeId: UNKNOWN, dataCenterIds: ["EU-RO-1"] })).toEqual([]);
    expect(await stack.check("pod", { ...gpu, gpuTypeIds: UNKNOWN, globalNetworking: true })).toEqual([]);
    expect(await stack.check("pod", { ...cpu, computeType: UNKNOWN })).toEqual([]);
    expect(await stack.check("pod", { ...gpu, env: { TOKEN: UNKNOWN } })).toEqual([]);
    // …while what is known still counts: a network volume (even an unknown one) excludes a volume disk.
    const failures = await stack.check("pod", { ...gpu, networkVolumeId: UNKNOWN, volumeInGb: 20 });
    expect(failures.map((f) => f.property)).toEqual(["volumeInGb"]);
    expect(beyondCatalogReads(stack.emulator)).toEqual([]);
  });

  test("good input passes, with defaults filled in", async () => {
    stack.emulator.clearLog();
    expect(await stack.check("pod", gpu)).toEqual([]);
    expect(await stack.check("pod", cpu)).toEqual([]);
    expect(await stack.check("pod", { name: "pod", templateId: "tmpl123", gpuTypeIds: ["NVIDIA A40"], waitForReady: false })).toEqual([]);
    // A priority list and its order, and a selector instead of names, on both wires (REST v2 tries the candidates in turn).
    expect(await stack.check("pod", { ...gpu, gpuTypeIds: ["NVIDIA GeForce RTX 4090", "NVIDIA A40"], gpuTypePriority: "price" })).toEqual([]);
    expect(await stack.check("pod", { ...cpu, cpuFlavorIds: ["cpu3c", "cpu5c"], cpuFlavorPriority: "availability" })).toEqual([]);
    expect(await stack.check("pod", { name: "pod", imageName: gpu.imageName, gpuSelector: { minMemoryInGb: 24, maxPricePerHr: 1 }, gpuCount: 2 })).toEqual([]);
    expect(beyondCatalogReads(stack.emulator)).toEqual([]);
  });
});
