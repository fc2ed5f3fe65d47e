import { Case, fromCatalog, mistakes } from "./table";

const v2ok = { name: "ep", imageName: "myorg/worker:1", gpuPoolIds: ["AMPERE_24"], workersMin: 0, workersMax: 3 };
const v1ok = { name: "ep", templateId: "tpl123", gpuTypeIds: ["NVIDIA RTX A5000"], workersMin: 0, workersMax: 3 };
const v2cpu = { name: "ep", imageName: "myorg/worker:1", computeType: "CPU", cpuFlavorIds: ["cpu3c"] };
const v1cpu = { name: "ep", templateId: "tpl123", computeType: "CPU", cpuFlavorIds: ["cpu3c"] };
const httpPorts = (n: number) => Array.from({ length: n }, (_, i) => `${8000 + i}/http`);

/** Mistakes in fields both wires have, written against either wire's valid inputs. */
function shared(ok: Record<string, unknown>, cpu: Record<string, unknown>): Case[] {
  return [
    fromCatalog(["9 GPUs per worker", { ...ok, gpuCount: 9 }, "gpuCount"]),
    ["GPU count Infinity", { ...ok, gpuCount: Infinity }, "gpuCount"],
    ["101 max workers", { ...ok, workersMax: 101 }, "workersMax"],
    ["500 always-on workers", { ...ok, workersMin: 500, workersMax: 500 }, "workersMin"],
    ["max workers Infinity", { ...ok, workersMax: Infinity }, "workersMax"],
    ["min workers NaN", { ...ok, workersMin: NaN }, "workersMin"],
    ["scaler threshold Infinity", { ...ok, scalerValue: Infinity }, "scalerValue"],
    ["a queue delay of two hours", { ...ok, scalerType: "QUEUE_DELAY", scalerValue: 7200 }, "scalerValue"],
    ["a request count of 5000", { ...ok, scalerType: "REQUEST_COUNT", scalerValue: 5000 }, "scalerValue"],
    ["idle timeout Infinity", { ...ok, idleTimeout: Infinity }, "idleTimeout"],
    ["execution timeout Infinity", { ...ok, executionTimeoutMs: Infinity }, "executionTimeoutMs"],
    ["fractional execution timeout", { ...ok, executionTimeoutMs: 1.5 }, "executionTimeoutMs"],
    ["6 vCPUs per worker (not a power of two)", { ...cpu, vcpuCount: 6 }, "vcpuCount"],
    fromCatalog(["64 vCPUs per worker", { ...cpu, vcpuCount: 64 }, "vcpuCount"]),
    ["1 vCPU per worker", { ...cpu, vcpuCount: 1 }, "vcpuCount"],
    ["a name of only spaces", { ...ok, name: "   " }, "name"],
    ["a name ending in a newline", { ...ok, name: "ep\n" }, "name"],
    ["a name with a leading space", { ...ok, name: " ep" }, "name"],
    ["a name with a NUL", { ...ok, name: "e\u0000p" }, "name"],
    ["a network volume id with a leading space", { ...ok, networkVolumeIds: [" vol1"] }, "networkVolumeIds.0"],
    ["data centres as one string", { ...ok, dataCenterIds: "EU-RO-1" }, "dataCenterIds"],
    ["an empty template id", { ...ok, templateId: "" }, "templateId"],
    ["an empty template revision", { ...ok, templateId: "tpl123", templateRevision: "" }, "templateRevision"],
    ["flashboot as a number", { ...ok, flashboot: 1 }, "flashboot"],
    ["compute type in lower case", { ...ok, computeType: "gpu" }, "computeType"],
    ["CUDA versions as one string", { ...ok, allowedCudaVersions: "12.4" }, "allowedCudaVersions"],
    ["scaler type in lower case", { ...ok, scalerType: "queue_delay" }, "scalerType"],
  ];
}

const v2: Case[] = [
  ...shared(v2ok, v2cpu),
  ["a template revision without a template", { ...v2ok, templateRevision: "0123456789abcdef" }, "templateRevision"],
  fromCatalog(["an excluded type outside the pools", { ...v2ok, excludedGpuTypeIds: ["NVIDIA H100 PCIe"] }, "excludedGpuTypeIds.0"]),
  fromCatalog(["a second excluded type outside the pools", { ...v2ok, excludedGpuTypeIds: ["NVIDIA L4", "NVIDIA A40"] }, "excludedGpuTypeIds.1"]),
  fromCatalog(["an excluded type in no serverless pool", { ...v2ok, excludedGpuTypeIds: ["NVIDIA GeForce RTX 5090"] }, "excludedGpuTypeIds.0"]),
  fromCatalog([
    "excluding every type of the pools",
    { ...v2ok, gpuPoolIds: ["ADA_24"], excludedGpuTypeIds: ["NVIDIA GeForce RTX 4090"] },
    "excludedGpuTypeIds",
  ]),
  fromCatalog([
    "excluding every type of two pools",
    { ...v2ok, gpuPoolIds: ["ADA_24", "HOPPER_141"], excludedGpuTypeIds: ["NVIDIA GeForce RTX 4090", "NVIDIA H200"] },
    "excludedGpuTypeIds",
  ]),
  ["an image with a space", { ...v2ok, imageName: "my worker:1" }, "imageName"],
  ["an image of only spaces", { ...v2ok, imageName: "   " }, "imageName"],
  ["an image ending in a newline", { ...v2ok, imageName: "myorg/worker:1\n" }, "imageName"],
  ["11 HTTP ports", { ...v2ok, ports: httpPorts(11) }, "ports"],
  ["a port repeated with a leading zero", { ...v2ok, ports: ["8000/http", "08000/http"] }, "ports.1"],
  ["a port repeated with another protocol", { ...v2ok, ports: ["8000/http", "8000/tcp"] }, "ports.1"],
  ["a container disk of 2000 GB", { ...v2ok, containerDiskInGb: 2000 }, "containerDiskInGb"],
  ["a container disk Infinity", { ...v2ok, containerDiskInGb: Infinity }, "containerDiskInGb"],
  ["a secret reference missing a brace", { ...v2ok, env: { HF_TOKEN: "{{ RUNPOD_SECRET_hf }" } }, "env.HF_TOKEN"],
  ["a secret reference in lower case", { ...v2ok, env: { HF_TOKEN: "{{ runpod_secret_hf }}" } }, "env.HF_TOKEN"],
  ["a secret reference without a name", { ...v2ok, env: { HF_TOKEN: "Bearer {{RUNPOD_SECRET_}}" } }, "env.HF_TOKEN"],
  ["env as a list", { ...v2ok, env: ["A=1"] }, "env"],
  ["pools as one string", { ...v2ok, gpuPoolIds: "AMPERE_24" }, "gpuPoolIds"],
  ["a pool in lower case", { ...v2ok, gpuPoolIds: ["ampere_24"] }, "gpuPoolIds.0"],
];

const v1: Case[] = [
  ...shared(v1ok, v1cpu),
  ["a GPU type with a leading space", { ...v1ok, gpuTypeIds: [" NVIDIA A40"] }, "gpuTypeIds.0"],
  ["a queue delay of 4000 seconds", { ...v1ok, scalerValue: 4000 }, "scalerValue"],
];

mistakes("endpoint", { both: [], v2, v1 });
