/**
 * How each pod input travels on each wire (see the table on {@link PodArgs}) and what a change
 * does. Check, diff, the request bodies and the outputs are all derived from this table.
 */
import { z } from "zod";
import {
  absolutePath,
  bool,
  catalogId,
  containerDisk,
  cpuFlavorIdFormat,
  cudaVersion,
  dataCenterIdFormat,
  enumOf,
  envMap,
  exposedPorts,
  finiteNumber,
  gpuCountFormat,
  imageRef,
  nonEmptyList,
  nonNegativeInt,
  nonEmptyString,
  nonNegativeNumber,
  positiveInt,
  powerOfTwo,
  resourceName,
  runpodId,
  volumeDisk,
} from "../../schema/common";
import { commandWords, writeV2Args } from "../../schema/container";
import { CUDA_VERSIONS } from "../../schema/enums";
import { FieldTable, Plain, ResourceSpec, setPath } from "../../schema/fields";
import type { PodApis } from "./api";
import type { PodArgs } from "./args";
import { computed, PodComputed } from "./outputs";
import { rules } from "./rules";
import { catalog } from "./catalog";
import {
  chosenFrom,
  readEnv,
  readPorts,
  writeMount,
  unlessStillListed,
  cudaAtLeast,
  GPU_TYPE_KEPT,
  CPU_FLAVOR_KEPT,
  DATA_CENTER_KEPT,
  MOUNT_FIXED,
  SELECTOR_KEPT,
  writeV1Priority,
} from "./bindings";
import { desiredStatusOf } from "./status";
import { ADOPT_FIELDS } from "../../schema/adopt";
import { readinessFields } from "../../schema/readiness";
import { templateRevisionRule } from "../template/reapply";

export type { PodApis };
/** The pod's inputs as check, diff, the table and the lifecycle see them. */
export type PodInputs = Plain<PodArgs>;

const priority = enumOf(["custom", "availability", "price"]);
const dataCenterPriority = enumOf(["availability", "custom"]);
const gpuSelector = z
  .object({
    minMemoryInGb: positiveInt.optional(),
    maxPricePerHr: finiteNumber.refine((n) => n > 0, "must be more than 0 USD per hour").optional(),
  })
  .strict();
// Which GPU types, CPU flavours and data centres exist is the live catalog's answer (./catalog.ts).
const gpuTypeId = catalogId;

// ---- the field table -------------------------------------------------------------------------

const fields: FieldTable<PodInputs, PodApis> = {
  ...ADOPT_FIELDS,
  name: {
    description: "pod name",
    schema: resourceName,
    wires: { v2: { path: "name", change: "update" }, v1: { path: "name", change: "update" } },
  },
  imageName: {
    description: "container image",
    schema: imageRef,
    wires: { v2: { path: "image", change: "update" }, v1: { path: "imageName", change: "update", read: (o) => o.image } },
  },
  templateId: {
    description: "pod template id",
    schema: runpodId,
    wires: { v2: { path: "templateId", change: "update", read: (o) => o.template }, v1: { path: "templateId", change: "replace" } },
  },
  templateRevision: {
    description: "revision of the template (Template.revision)",
    schema: nonEmptyString,
    // Never sent as such: a new revision makes the update re-apply the template (template/reapply.ts).
    wires: { v2: { change: "update", writeOnly: true }, v1: { change: "update", writeOnly: true } },
  },
  computeType: {
    description: "GPU or CPU pod",
    schema: enumOf(["GPU", "CPU"]),
    default: "GPU",
    wires: {
      v2: { change: "replace", read: (o) => (o.cpu ? "CPU" : o.gpu ? "GPU" : undefined) },
      v1: { path: "computeType", change: "replace", read: (o) => (o.gpu ? "GPU" : o.cpuFlavorId ? "CPU" : undefined) },
    },
  },
  gpuTypeIds: {
    description: "GPU types, in priority order",
    schema: nonEmptyList(gpuTypeId),
    wires: {
      // v2 places one type per request: the lifecycle tries the list's candidates in turn.
      v2: {
        change: "record",
        write: (body, value) => setPath(body, "gpu.id", value[0]),
        read: (o, prior) => (prior.gpuSelector ? undefined : chosenFrom(o.gpu?.id, prior.gpuTypeIds)),
        replaceIf: GPU_TYPE_KEPT,
      },
      v1: {
        path: "gpuTypeIds",
        change: "record",
        read: (o, prior) => (prior.gpuSelector ? undefined : chosenFrom(o.gpu?.id ?? o.machine?.gpuTypeId, prior.gpuTypeIds)),
        replaceIf: GPU_TYPE_KEPT,
      },
    },
  },
  gpuSelector: {
    description: "what the pod needs of a GPU type it does not name",
    schema: gpuSelector,
    // Resolved from the catalog by the lifecycle at create; Runpod never reports it.
    wires: {
      v2: { change: "record", read: (_o, prior) => prior.gpuSelector, replaceIf: SELECTOR_KEPT },
      v1: { change: "record", read: (_o, prior) => prior.gpuSelector, replaceIf: SELECTOR_KEPT },
    },
  },
  gpuTypePriority: {
    description: "how the GPU type list is tried",
    schema: priority,
    wires: {
      v2: { change: "record", writeOnly: true },
      v1: { change: "record", writeOnly: true, write: writeV1Priority("gpuTypePriority") },
    },
  },
  gpuCount: {
    description: "GPUs per pod",
    schema: gpuCountFormat,
    wires: { v2: { path: "gpu.count", change: "replace" }, v1: { path: "gpuCount", change: "replace", read: (o) => o.gpu?.count } },
  },
  cpuFlavorIds: {
    description: "CPU flavors, in priority order",
    schema: nonEmptyList(cpuFlavorIdFormat),
    wires: {
      v2: {
        change: "record",
        write: (body, value, inputs) => setPath(body, "cpu", { id: value[0], vcpuCount: inputs.vcpuCount ?? 2 }),
        read: (o, prior) => chosenFrom(o.cpu?.id, prior.cpuFlavorIds),
        replaceIf: CPU_FLAVOR_KEPT,
      },
      v1: {
        path: "cpuFlavorIds",
        change: "record",
        read: (o, prior) => (o.gpu ? undefined : chosenFrom(o.cpuFlavorId, prior.cpuFlavorIds)),
        replaceIf: CPU_FLAVOR_KEPT,
      },
    },
  },
  cpuFlavorPriority: {
    description: "how the CPU flavor list is tried",
    schema: priority,
    wires: {
      v2: { change: "record", writeOnly: true },
      v1: { change: "record", writeOnly: true, write: writeV1Priority("cpuFlavorPriority") },
    },
  },
  vcpuCount: {
    description: "vCPUs of a CPU pod",
    // The power of two is v2's stated rule; the range per flavour is the catalog's `vcpu`.
    schema: powerOfTwo(2),
    wires: {
      v2: { path: "cpu.vcpuCount", change: "replace", read: (o) => o.cpu?.vcpuCount },
      v1: { path: "vcpuCount", change: "replace", read: (o) => (o.gpu ? undefined : o.vcpuCount) },
    },
  },
  cloudType: {
    description: "SECURE or COMMUNITY cloud",
    schema: enumOf(["SECURE", "COMMUNITY"]),
    wires: {
      v2: { path: "cloud", change: "replace" },
      v1: {
        path: "cloudType",
        change: "replace",
        read: (o) => (o.machine?.secureCloud === true ? "SECURE" : o.machine?.secureCloud === false ? "COMMUNITY" : undefined),
      },
    },
  },
  interruptible: {
    description: "spot (interruptible) pod",
    schema: bool,
    unsupportedHint: { v2: "REST v2 has no interruptible (spot) pods; remove it, or use runpod:apiVersion v1 for a spot pod" },
    wires: { v1: { path: "interruptible", change: "replace" } },
  },
  dataCenterIds: {
    description: "allowed data centres",
    schema: nonEmptyList(dataCenterIdFormat),
    wires: {
      v2: { path: "dataCenterIds", change: "record", writeOnly: true, replaceIf: DATA_CENTER_KEPT },
      v1: { path: "dataCenterIds", change: "record", writeOnly: true, replaceIf: DATA_CENTER_KEPT },
    },
  },
  dataCenterPriority: {
    description: "how the data centre list is tried",
    schema: dataCenterPriority,
    unsupportedHint: { v2: "REST v2 lets the scheduler order dataCenterIds; remove dataCenterPriority" },
    wires: { v1: { path: "dataCenterPriority", change: "record", writeOnly: true } },
  },
  countryCodes: {
    description: "allowed countries",
    // Runpod takes ISO 3166-1 alpha-2 codes; no other resource has a country.
    schema: nonEmptyList(z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter ISO country code such as "US"')),
    unsupportedHint: { v2: "REST v2 places by dataCenterIds only; list the data centres instead" },
    wires: { v1: { path: "countryCodes", change: "replace", writeOnly: true } },
  },
  allowedCudaVersions: {
    description: "CUDA versions the host may have",
    schema: nonEmptyList(cudaVersion),
    wires: {
      v2: {
        path: "gpu.allowedCudaVersions",
        change: "record",
        writeOnly: true,
        replaceIf: unlessStillListed("cudaVersion", "Runpod cannot move a pod to another host, and the CUDA version of this pod's host is no longer listed"),
      },
      v1: { path: "allowedCudaVersions", change: "replace", writeOnly: true, schema: z.array(enumOf(CUDA_VERSIONS, "a CUDA version REST v1 lists")) },
    },
  },
  minCudaVersion: {
    description: "lowest CUDA version the host may have",
    schema: cudaVersion,
    unsupportedHint: { v1: "REST v1 has no minimum; list the acceptable versions in allowedCudaVersions" },
    wires: {
      v2: {
        path: "gpu.minCudaVersion",
        change: "record",
        writeOnly: true,
        replaceIf: {
          when: (_old, next, olds) => !cudaAtLeast(olds.cudaVersion, next),
          reason: "Runpod cannot move a pod to another host, and the CUDA version of this pod's host is below the new minimum",
        },
      },
    },
  },
  containerDiskInGb: {
    description: "container disk in GB",
    schema: containerDisk(0),
    wires: { v2: { path: "disk", change: "update", schema: z.number().min(1, "must be at least 1 GB") }, v1: { path: "containerDiskInGb", change: "update" } },
  },
  volumeInGb: {
    description: "volume disk in GB",
    schema: volumeDisk,
    growOnly: {
      reason: "Runpod can grow a pod's volume disk but never shrink it, and a replacement would lose its data; create a new pod and copy the data instead",
    },
    wires: {
      v2: {
        change: "update",
        schema: z.number().min(10, "must be at least 10 GB"),
        write: (body, _value, inputs) => writeMount(body, inputs),
        read: (o) => o.mounts?.persistent?.size,
        replaceIf: MOUNT_FIXED,
      },
      v1: { path: "volumeInGb", change: "update" },
    },
  },
  volumeMountPath: {
    description: "mount path of the volume disk or network volume",
    schema: absolutePath,
    wires: {
      v2: {
        change: "update",
        write: (body, _value, inputs) => writeMount(body, inputs),
        read: (o) => o.mounts?.network?.[0]?.path ?? o.mounts?.persistent?.path,
        replaceIf: MOUNT_FIXED,
      },
      v1: { path: "volumeMountPath", change: "update" },
    },
  },
  networkVolumeId: {
    description: "network volume to attach",
    schema: runpodId,
    wires: {
      v2: { change: "replace", write: (body, _value, inputs) => writeMount(body, inputs), read: (o) => o.mounts?.network?.[0]?.volumeId },
      v1: { path: "networkVolumeId", change: "replace", read: (o) => o.networkVolume?.id },
    },
  },
  containerRegistryAuthId: {
    description: "registry credentials id",
    schema: runpodId,
    wires: { v2: { path: "registry", change: "update" }, v1: { path: "containerRegistryAuthId", change: "update" } },
  },
  env: {
    description: "environment variables",
    schema: envMap,
    wires: {
      v2: { path: "env", change: "update", read: (o, prior) => readEnv(o.env, prior) },
      v1: { path: "env", change: "update", read: (o, prior) => readEnv(o.env, prior) },
    },
  },
  ports: {
    description: "exposed ports",
    schema: exposedPorts,
    wires: {
      v2: { path: "ports", change: "update", read: (o) => readPorts(o.ports) },
      v1: { path: "ports", change: "update", read: (o) => readPorts(o.ports) },
    },
  },
  dockerEntrypoint: {
    description: "image ENTRYPOINT override",
    schema: commandWords,
    // v2: joined into `args` with dockerStartCmd; read back by the handler's outputs().
    wires: { v2: { change: "update", write: writeV2Args, writeOnly: true }, v1: { path: "dockerEntrypoint", change: "update" } },
  },
  dockerStartCmd: {
    description: "image CMD override",
    schema: commandWords,
    wires: { v2: { change: "update", write: writeV2Args, writeOnly: true }, v1: { path: "dockerStartCmd", change: "update" } },
  },
  globalNetworking: {
    description: "global networking",
    schema: bool,
    wires: {
      v2: { path: "globalNetworking", change: "update", read: (o) => o.globalNetworking?.enabled },
      v1: { path: "globalNetworking", change: "update", writeOnly: true },
    },
  },
  supportPublicIp: {
    description: "public IP on Community Cloud",
    schema: bool,
    unsupportedHint: { v2: "REST v2 has no public-IP request; use cloudType SECURE (always public) or runpod:apiVersion v1" },
    wires: { v1: { path: "supportPublicIp", change: "replace", writeOnly: true } },
  },
  locked: {
    description: "lock against stop/reset",
    schema: bool,
    wires: { v2: { path: "locked", change: "update", afterCreate: true }, v1: { path: "locked", change: "update" } },
  },
  minRAMPerGPU: {
    description: "minimum RAM per GPU in GB",
    schema: nonNegativeInt,
    unsupportedHint: { v2: "REST v2 has no per-GPU minimums; pick a GPU type whose machines fit" },
    wires: { v1: { path: "minRAMPerGPU", change: "replace", writeOnly: true } },
  },
  minVCPUPerGPU: {
    description: "minimum vCPUs per GPU",
    schema: nonNegativeInt,
    unsupportedHint: { v2: "REST v2 has no per-GPU minimums; pick a GPU type whose machines fit" },
    wires: { v1: { path: "minVCPUPerGPU", change: "replace", writeOnly: true } },
  },
  minDiskBandwidthMBps: {
    description: "minimum disk bandwidth in MB/s",
    schema: nonNegativeNumber,
    unsupportedHint: { v2: "REST v2 has no bandwidth minimums" },
    wires: { v1: { path: "minDiskBandwidthMBps", change: "replace", writeOnly: true } },
  },
  minDownloadMbps: {
    description: "minimum download bandwidth in Mb/s",
    schema: nonNegativeNumber,
    unsupportedHint: { v2: "REST v2 has no bandwidth minimums" },
    wires: { v1: { path: "minDownloadMbps", change: "replace", writeOnly: true } },
  },
  minUploadMbps: {
    description: "minimum upload bandwidth in Mb/s",
    schema: nonNegativeNumber,
    unsupportedHint: { v2: "REST v2 has no bandwidth minimums" },
    wires: { v1: { path: "minUploadMbps", change: "replace", writeOnly: true } },
  },
  startSsh: {
    description: "set up SSH at create",
    schema: bool,
    unsupportedHint: { v1: "REST v1 has no startSsh; expose 22/tcp in ports and use an image that starts sshd from PUBLIC_KEY (Runpod's images do)" },
    wires: { v2: { path: "startSsh", change: "replace", writeOnly: true } },
  },
  startJupyter: {
    description: "start JupyterLab at create",
    schema: bool,
    unsupportedHint: { v1: "REST v1 has no startJupyter; use an image or template that starts JupyterLab and expose 8888/http" },
    wires: { v2: { path: "startJupyter", change: "replace", writeOnly: true } },
  },
  desiredStatus: {
    description: "RUNNING or EXITED (stopped)",
    schema: enumOf(["RUNNING", "EXITED"], "RUNNING or EXITED (stopped); to terminate a pod, remove it from the program"),
    default: "RUNNING",
    // Applied by the pod's start/stop actions, never by the update body.
    wires: { v2: { change: "update", read: (o) => desiredStatusOf("v2", o) }, v1: { change: "update", read: (o) => desiredStatusOf("v1", o) } },
  },
  ...readinessFields("wait for the pod to be reachable"),
};

export const spec: ResourceSpec<PodInputs, PodApis, PodComputed> = {
  kind: "pod",
  typeName: "Pod",
  fields,
  computed,
  autoName: { maxLength: 191 },
  rules: (inputs, ctx) => [...rules(inputs, ctx), ...templateRevisionRule(inputs)],
  catalog,
};
