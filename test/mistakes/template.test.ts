import { Case, mistakes } from "./table";

const ok = { name: "tpl", imageName: "runpod/base:1" };
const httpPorts = (n: number) => Array.from({ length: n }, (_, i) => `${8000 + i}/http`);

const both: Case[] = [
  ["a name of only spaces", { ...ok, name: "   " }, "name"],
  ["a name ending in a newline", { ...ok, name: "tpl\n" }, "name"],
  ["a name with a leading space", { ...ok, name: " tpl" }, "name"],
  ["a name with a bell character", { ...ok, name: "tpl\u0007" }, "name"],
  ["an image of only spaces", { ...ok, imageName: "  " }, "imageName"],
  ["an image with a space", { ...ok, imageName: "runpod base:1" }, "imageName"],
  ["an image with a tab", { ...ok, imageName: "runpod/base:1\t" }, "imageName"],
  ["a container disk of 2000 GB", { ...ok, containerDiskInGb: 2000 }, "containerDiskInGb"],
  ["a container disk Infinity", { ...ok, containerDiskInGb: Infinity }, "containerDiskInGb"],
  ["a container disk NaN", { ...ok, containerDiskInGb: NaN }, "containerDiskInGb"],
  ["a volume of 5000 GB", { ...ok, volumeInGb: 5000 }, "volumeInGb"],
  ["a volume Infinity", { ...ok, volumeInGb: Infinity }, "volumeInGb"],
  ["a port repeated with a leading zero", { ...ok, ports: ["8888/http", "08888/http"] }, "ports.1"],
  ["a port repeated with another protocol", { ...ok, ports: ["22/tcp", "22/http"] }, "ports.1"],
  ["11 HTTP ports", { ...ok, ports: httpPorts(11) }, "ports"],
  ["port 0", { ...ok, ports: ["0/http"] }, "ports.0"],
  ["a port with a trailing space", { ...ok, ports: ["8888/http "] }, "ports.0"],
  ["a mount path with nothing to mount", { ...ok, volumeMountPath: "/data" }, "volumeMountPath"],
  ["a mount path with a volume of 0", { ...ok, volumeInGb: 0, volumeMountPath: "/data" }, "volumeMountPath"],
  ["a secret reference missing a brace", { ...ok, env: { HF_TOKEN: "{{ RUNPOD_SECRET_hf }" } }, "env.HF_TOKEN"],
  ["a secret reference in lower case", { ...ok, env: { HF_TOKEN: "{{ Runpod_Secret_hf }}" } }, "env.HF_TOKEN"],
  ["a good and a broken reference", { ...ok, env: { A: "{{ RUNPOD_SECRET_a }}", B: "{{ RUNPOD_SECRET_b" } }, "env.B"],
  ["env as a list", { ...ok, env: ["A=1"] }, "env"],
  ["isServerless as a string", { ...ok, isServerless: "true" }, "isServerless"],
  ["a registry credential id of spaces", { ...ok, containerRegistryAuthId: "  " }, "containerRegistryAuthId"],
  ["a category in lower case", { ...ok, category: "nvidia" }, "category"],
];

const v2: Case[] = [
  ["a CUDA version listed twice", { ...ok, allowedCudaVersions: ["12.4", "12.4"] }, "allowedCudaVersions.1"],
  ["startSsh as a string", { ...ok, startSsh: "yes" }, "startSsh"],
];

const v1: Case[] = [["a readme as a number", { ...ok, readme: 5 }, "readme"]];

mistakes("template", { both, v2, v1 });
