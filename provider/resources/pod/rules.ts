/**
 * The pod rules that span fields: which inputs go with a GPU or a CPU pod, volume and network
 * volume exclusions, what global networking needs. Checked before any API call.
 */
import { CheckFailure, RuleContext, Wire, containsUnknown } from "../../schema/fields";
import type { PodInputs } from "./fields";

type Field = keyof PodInputs;

const GPU_ONLY: readonly Field[] = ["gpuSelector", "gpuCount", "gpuTypePriority", "allowedCudaVersions", "minCudaVersion", "minRAMPerGPU", "minVCPUPerGPU"];
const CPU_ONLY: readonly Field[] = ["cpuFlavorIds", "cpuFlavorPriority", "vcpuCount"];

export function rules(inputs: PodInputs, { wire }: RuleContext<PodInputs>): CheckFailure[] {
  // During a preview, values computed by other resources (a volume's id) are unknown: such a
  // value counts as present, but no rule looks at its content.
  let unknown: Set<Field> | undefined;
  for (const k of Object.keys(inputs) as Field[]) if (containsUnknown(inputs[k])) (unknown ??= new Set()).add(k);
  if (!unknown) return rulesFor(inputs, wire, (k) => inputs[k] !== undefined, false);
  const pending = unknown;
  const known = Object.fromEntries(Object.entries(inputs).filter(([k]) => !pending.has(k as Field))) as PodInputs;
  return rulesFor(known, wire, (k) => known[k] !== undefined || pending.has(k), pending.has("computeType"));
}

function rulesFor(inputs: PodInputs, wire: Wire, present: (name: Field) => boolean, computeTypeUnknown: boolean): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: Field, reason: string) => failures.push({ property, reason: `${property}: ${reason}` });
  const cpu = inputs.computeType === "CPU";

  if (!present("imageName") && !present("templateId")) fail("imageName", "required unless templateId is given");

  if (computeTypeUnknown) {
    // GPU or CPU is not known yet: the family rules wait for the real value.
  } else if (cpu) {
    if (present("gpuTypeIds")) fail("gpuTypeIds", 'a CPU pod (computeType "CPU") has no GPUs; remove gpuTypeIds or set computeType "GPU"');
    if (!present("cpuFlavorIds")) fail("cpuFlavorIds", 'required for a CPU pod, e.g. ["cpu3c"]');
    for (const name of GPU_ONLY) if (present(name)) fail(name, "applies to GPU pods only; this is a CPU pod");
    if (inputs.globalNetworking === true) fail("globalNetworking", "requires an NVIDIA GPU pod");
    if (wire === "v2" && present("volumeInGb")) fail("volumeInGb", "REST v2 does not allow a volume disk on CPU pods; attach a networkVolumeId instead");
  } else {
    if (!present("gpuTypeIds") && !present("gpuSelector"))
      fail("gpuTypeIds", 'required for a GPU pod, e.g. ["NVIDIA GeForce RTX 4090"], unless gpuSelector describes the GPU (or set computeType "CPU")');
    if (present("gpuTypeIds") && present("gpuSelector"))
      fail("gpuSelector", "a pod names its GPU types (gpuTypeIds) or describes them (gpuSelector), not both; remove one");
    for (const name of CPU_ONLY) if (present(name)) fail(name, 'applies to CPU pods only; set computeType "CPU" or remove it');
  }

  if (present("networkVolumeId")) {
    if (present("volumeInGb")) fail("volumeInGb", "a pod has either a volume disk or a network volume; remove volumeInGb or networkVolumeId");
    if (inputs.cloudType === "COMMUNITY") fail("networkVolumeId", "network volumes are only available on Secure Cloud (cloudType SECURE)");
    if (inputs.desiredStatus === "EXITED")
      fail("desiredStatus", "a pod with a network volume cannot be stopped, only terminated (remove the pod from the program instead)");
  } else if (present("volumeMountPath") && !present("volumeInGb")) {
    // v2 refuses the mount; v1 quietly creates a 20 GB volume disk for it. Either way not what was meant.
    fail(
      "volumeMountPath",
      wire === "v2"
        ? "REST v2 mounts nothing without volumeInGb or networkVolumeId"
        : "mounts nothing without volumeInGb or networkVolumeId (REST v1 would quietly create a 20 GB volume disk for it); set one of them or remove volumeMountPath",
    );
  }

  if (inputs.globalNetworking === true && !cpu) {
    const amd = (inputs.gpuTypeIds ?? []).filter((g) => g.startsWith("AMD"));
    if (amd.length) fail("globalNetworking", `requires NVIDIA GPUs; not available with ${amd.join(", ")}`);
    // Which data centres offer it is the catalog's `globalNetwork` flag (./catalog.ts).
    if (inputs.interruptible === true) fail("globalNetworking", "only available for on-demand pods, not interruptible ones");
  }

  if (present("supportPublicIp") && inputs.cloudType !== "COMMUNITY") {
    fail("supportPublicIp", "only applies to cloudType COMMUNITY (Secure Cloud pods always have a public IP)");
  }
  if (inputs.allowedCudaVersions !== undefined && present("minCudaVersion")) {
    fail("minCudaVersion", "Runpod takes either an exact set (allowedCudaVersions) or a floor (minCudaVersion), not both");
  }
  if (present("readyTimeoutSeconds") && inputs.waitForReady === false)
    fail("readyTimeoutSeconds", "has no effect with waitForReady: false; remove one of them");
  return failures;
}
