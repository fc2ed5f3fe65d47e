import { Case, fromCatalog, mistakes } from "./table";

const gpu = { name: "pod", imageName: "runpod/pytorch:2.4.0", gpuTypeIds: ["NVIDIA GeForce RTX 4090"] };
const cpu = { name: "pod", imageName: "ubuntu:24.04", computeType: "CPU", cpuFlavorIds: ["cpu3c"], vcpuCount: 4 };
const httpPorts = (n: number) => Array.from({ length: n }, (_, i) => `${8000 + i}/http`);

const both: Case[] = [
  fromCatalog(["9 GPUs (machines have at most 8)", { ...gpu, gpuCount: 9 }, "gpuCount"]),
  ["100 GPUs", { ...gpu, gpuCount: 100 }, "gpuCount"],
  ["negative GPU count", { ...gpu, gpuCount: -1 }, "gpuCount"],
  ["GPU count Infinity", { ...gpu, gpuCount: Infinity }, "gpuCount"],
  ["GPU count NaN", { ...gpu, gpuCount: NaN }, "gpuCount"],
  ["GPU count as a string", { ...gpu, gpuCount: "2" }, "gpuCount"],
  ["container disk of 5000 GB", { ...gpu, containerDiskInGb: 5000 }, "containerDiskInGb"],
  ["container disk Infinity", { ...gpu, containerDiskInGb: Infinity }, "containerDiskInGb"],
  ["volume disk of 10000 GB", { ...gpu, volumeInGb: 10000 }, "volumeInGb"],
  ["volume disk Infinity", { ...gpu, volumeInGb: Infinity }, "volumeInGb"],
  ["6 vCPUs (not a power of two)", { ...cpu, vcpuCount: 6 }, "vcpuCount"],
  fromCatalog(["64 vCPUs (flavors have at most 32)", { ...cpu, vcpuCount: 64 }, "vcpuCount"]),
  ["1 vCPU", { ...cpu, vcpuCount: 1 }, "vcpuCount"],
  ["3 vCPUs", { ...cpu, vcpuCount: 3 }, "vcpuCount"],
  ["vCPU count Infinity", { ...cpu, vcpuCount: Infinity }, "vcpuCount"],
  ["a name of only spaces", { ...gpu, name: "   " }, "name"],
  ["a name with a leading space", { ...gpu, name: " pod" }, "name"],
  ["a name ending in a newline", { ...gpu, name: "pod\n" }, "name"],
  ["a name with a tab", { ...gpu, name: "my\tpod" }, "name"],
  ["a name with a NUL", { ...gpu, name: "pod\u0000" }, "name"],
  ["a name with DEL", { ...gpu, name: "pod\u007f" }, "name"],
  ["an image of only spaces", { ...gpu, imageName: "   " }, "imageName"],
  ["an image ending in a newline", { ...gpu, imageName: "ubuntu:24.04\n" }, "imageName"],
  ["an image with a space inside", { ...gpu, imageName: "ubuntu 24.04" }, "imageName"],
  ["an image with a leading space", { ...gpu, imageName: " ubuntu:24.04" }, "imageName"],
  ["an image with an escape sequence", { ...gpu, imageName: "\u001b[31mubuntu" }, "imageName"],
  ["a port repeated with a leading zero", { ...gpu, ports: ["8888/http", "08888/http"] }, "ports.1"],
  ["a port repeated with another protocol", { ...gpu, ports: ["8888/http", "22/tcp", "8888/tcp"] }, "ports.2"],
  ["11 HTTP ports (console: Max 10)", { ...gpu, ports: httpPorts(11) }, "ports"],
  ["port 0", { ...gpu, ports: ["0/tcp"] }, "ports.0"],
  ["a port with a leading space", { ...gpu, ports: [" 22/tcp"] }, "ports.0"],
  ["an upper-case protocol", { ...gpu, ports: ["22/TCP"] }, "ports.0"],
  ["ports as a map", { ...gpu, ports: { ssh: "22/tcp" } }, "ports"],
  ["a port as a number", { ...gpu, ports: [22] }, "ports.0"],
  ["a mount path with nothing to mount", { ...gpu, volumeMountPath: "/data" }, "volumeMountPath"],
  ["a mount path of only spaces", { ...gpu, volumeInGb: 20, volumeMountPath: "   " }, "volumeMountPath"],
  ["a secret reference missing a brace", { ...gpu, env: { HF_TOKEN: "{{ RUNPOD_SECRET_hf }" } }, "env.HF_TOKEN"],
  ["a secret reference without a name", { ...gpu, env: { TOKEN: "{{ RUNPOD_SECRET_ }}" } }, "env.TOKEN"],
  ["a secret reference in lower case", { ...gpu, env: { TOKEN: "{{ runpod_secret_hf }}" } }, "env.TOKEN"],
  ["a bare secret name without braces", { ...gpu, env: { TOKEN: "RUNPOD_SECRET_hf" } }, "env.TOKEN"],
  ["a secret reference with single braces", { ...gpu, env: { TOKEN: "{RUNPOD_SECRET_hf}" } }, "env.TOKEN"],
  ["env as a list", { ...gpu, env: ["A=1"] }, "env"],
  ["readiness timeout Infinity", { ...gpu, readyTimeoutSeconds: Infinity }, "readyTimeoutSeconds"],
  ["readiness timeout NaN", { ...gpu, readyTimeoutSeconds: NaN }, "readyTimeoutSeconds"],
  ["a registry credential id of spaces", { ...gpu, containerRegistryAuthId: "   " }, "containerRegistryAuthId"],
  ["a template id with a space", { ...gpu, templateId: "tpl 1" }, "templateId"],
  ["a template revision without a template", { ...gpu, templateRevision: "0123456789abcdef" }, "templateRevision"],
  ["an empty template revision", { ...gpu, templateId: "tpl1", templateRevision: "" }, "templateRevision"],
  ["a data centre with a leading space", { ...gpu, dataCenterIds: [" EU-RO-1"] }, "dataCenterIds.0"],
  ["a GPU type in lower case", { ...gpu, gpuTypeIds: ["nvidia a40"] }, "gpuTypeIds.0"],
  ["desiredStatus in lower case", { ...gpu, desiredStatus: "running" }, "desiredStatus"],
  ["cloudType in lower case", { ...gpu, cloudType: "secure" }, "cloudType"],
  ["a start command as a map", { ...gpu, dockerStartCmd: { cmd: "python" } }, "dockerStartCmd"],
  ["locked as a number", { ...gpu, locked: 1 }, "locked"],
];

const v1: Case[] = [
  ["minimum download Infinity", { ...gpu, minDownloadMbps: Infinity }, "minDownloadMbps"],
  ["minimum upload -Infinity", { ...gpu, minUploadMbps: -Infinity }, "minUploadMbps"],
  ["minimum disk bandwidth NaN", { ...gpu, minDiskBandwidthMBps: NaN }, "minDiskBandwidthMBps"],
  ["fractional minimum RAM per GPU", { ...gpu, minRAMPerGPU: 1.5 }, "minRAMPerGPU"],
  ["a lower-case country code", { ...gpu, countryCodes: ["us"] }, "countryCodes.0"],
];

const v2: Case[] = [["a second GPU type with a leading space", { ...gpu, gpuTypeIds: [" NVIDIA A40"] }, "gpuTypeIds.0"]];

mistakes("pod", { both, v1, v2 });
