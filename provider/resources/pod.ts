import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isNotFound, ResourceInitError, RunpodApiError } from "../client/errors";
import { SingleFlight } from "../client/singleflight";
import { RunpodResource } from "../resource";
import { OperationContext } from "../runtime/context";
import { RestResource } from "../runtime/handler";
import { dataCenterId, envMap, nonEmptyString, port, resourceName, runpodId, wholeNumber } from "../schema/common";
import { followUpBody, outputsFrom } from "../schema/derive";
import { CUDA_VERSIONS, GPU_TYPE_IDS, POD_CPU_FLAVOR_IDS } from "../schema/enums";
import { CheckFailure, FieldSpec, FieldTable, Props, ResourceSpec, Wire, containsUnknown, setPath } from "../schema/fields";
import { commandWords, readContainerDrift, writeV2Args } from "../schema/container";
import { PodStatus, Readiness, desiredStatusOf, isTerminated, isUp, portMappingsOf, publicIpOf, readiness, statusOf } from "./podStatus";

export { PodStatus };

/** How long a create or start waits for the pod to be reachable unless `readyTimeoutSeconds` says otherwise. */
export const DEFAULT_READY_TIMEOUT_SECONDS = 600;

/** Data centres that offer global networking (Runpod docs, pods/networking). */
export const GLOBAL_NETWORKING_DATA_CENTER_IDS = ["CA-MTL-3", "EU-CZ-1", "EU-FR-1", "EU-NL-1", "EU-RO-1", "EU-SE-1", "EUR-IS-2", "OC-AU-1", "US-CA-2", "US-GA-1", "US-GA-2", "US-IL-1", "US-KS-2", "US-NC-1", "US-TX-3", "US-TX-4", "US-WA-1"] as const;

/**
 * Inputs of a {@link Pod}: a Runpod GPU or CPU pod.
 *
 * One flat model serves both wires (`runpod:apiVersion` `v2`, the default, or `v1`). A field the
 * active wire cannot express fails `pulumi preview` naming the field and the wire; nothing is
 * silently dropped.
 *
 * | Flat input | REST v2 (`/v2/pods`) | REST v1 (`/v1/pods`) | Change |
 * |---|---|---|---|
 * | name | `name` | `name` | in place |
 * | imageName | `image` | `imageName` | in place |
 * | templateId | `templateId` | `templateId` | v2 in place (applies the template's container settings), v1 replaces |
 * | computeType | a `gpu` or a `cpu` block | `computeType` | replaces |
 * | gpuTypeIds | `gpu.id` (one type only) | `gpuTypeIds` (priority list) | replaces unless the pod's GPU type is still listed |
 * | gpuTypePriority, cpuFlavorPriority, dataCenterPriority | — | same names | recorded only (placement is done) |
 * | gpuCount | `gpu.count` | `gpuCount` | replaces |
 * | cpuFlavorIds + vcpuCount | `cpu {id, vcpuCount}` (one flavor) | `cpuFlavorIds`, `vcpuCount` | replaces (flavors: unless the pod's flavor is still listed) |
 * | cloudType | `cloud` | `cloudType` | replaces |
 * | dataCenterIds | `dataCenterIds` | `dataCenterIds` | replaces unless the pod's data centre is still listed |
 * | allowedCudaVersions, minCudaVersion | `gpu.allowedCudaVersions`, `gpu.minCudaVersion` | `allowedCudaVersions` (v1 has no minimum) | replaces unless the host's CUDA version still qualifies |
 * | containerDiskInGb | `disk` | `containerDiskInGb` | in place |
 * | volumeInGb + volumeMountPath | `mounts.persistent {size, path}` | `volumeInGb`, `volumeMountPath` | in place (size grows only) |
 * | networkVolumeId (+ volumeMountPath) | `mounts.network[0] {volumeId, path}` | `networkVolumeId` | replaces (path: in place) |
 * | containerRegistryAuthId | `registry` | `containerRegistryAuthId` | in place |
 * | env, ports, globalNetworking, locked | same names | same names | in place |
 * | dockerEntrypoint + dockerStartCmd | `args` (one string, words shell-quoted) | `dockerEntrypoint`, `dockerStartCmd` | in place |
 * | interruptible, countryCodes, minRAMPerGPU, minVCPUPerGPU, minDiskBandwidthMBps, minDownloadMbps, minUploadMbps, supportPublicIp | — | same names | replaces |
 * | startSsh, startJupyter | same names | — | replaces |
 * | desiredStatus | `POST /v2/pods/{id}/action` | `POST /v1/pods/{id}/start` / `stop` | start/stop, never replaces |
 * | waitForReady, readyTimeoutSeconds | provider-side | provider-side | never diffs |
 *
 * **REST v1 updates reset the pod**: Runpod restarts the container, erasing everything outside the
 * volume disk / network volume, and its public port mappings change. Only `name` and `locked`
 * change without a reset. REST v2 applies `globalNetworking` at the next start.
 *
 * Omitted optional inputs take Runpod's defaults and never show up as a diff.
 */
export interface PodArgs {
  /** Pod name (need not be unique). Defaults to the logical name plus a random suffix. In place. */
  name?: pulumi.Input<string>;
  /** Container image, e.g. `runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04`. Required unless `templateId` is given. In place. */
  imageName?: pulumi.Input<string>;
  /** Pod template to start from (its image, env, ports…); explicit inputs override it. REST v2: in place; REST v1: replaces. */
  templateId?: pulumi.Input<string>;
  /** `GPU` (default) or `CPU`. Replaces. */
  computeType?: pulumi.Input<"GPU" | "CPU">;
  /**
   * GPU types, e.g. `["NVIDIA GeForce RTX 4090"]`. Required for GPU pods, not allowed on CPU pods.
   * REST v1 takes a priority list (see `gpuTypePriority`); REST v2 takes exactly one type.
   * A change replaces the pod unless the GPU type it runs on is still in the list.
   */
  gpuTypeIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** REST v1 only: `availability` (default: any listed type that is free) or `custom` (list order). */
  gpuTypePriority?: pulumi.Input<"availability" | "custom">;
  /** GPUs per pod (≥ 1, default 1). GPU pods only. Replaces. */
  gpuCount?: pulumi.Input<number>;
  /** CPU flavors (`cpu3c`, `cpu3g`, `cpu3m`, `cpu5c`, `cpu5g`, `cpu5m`). Required for CPU pods; REST v2 takes one. */
  cpuFlavorIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** REST v1 only: `availability` (default) or `custom` (list order). CPU pods only. */
  cpuFlavorPriority?: pulumi.Input<"availability" | "custom">;
  /** vCPUs of a CPU pod (default 2). REST v2: a power of two, at least 2. Replaces. */
  vcpuCount?: pulumi.Input<number>;
  /** `SECURE` (default; Runpod data centres) or `COMMUNITY`. Replaces. */
  cloudType?: pulumi.Input<"SECURE" | "COMMUNITY">;
  /** REST v1 only: a spot pod, cheaper but stoppable by Runpod at any time. Replaces. */
  interruptible?: pulumi.Input<boolean>;
  /** Data centres the pod may be placed in (default: any). Replaces unless the pod's data centre is still listed. */
  dataCenterIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** REST v1 only: `availability` (default) or `custom` (list order). */
  dataCenterPriority?: pulumi.Input<"availability" | "custom">;
  /** REST v1 only: ISO country codes the machine must be in, e.g. `["US", "CA"]`. Replaces. */
  countryCodes?: pulumi.Input<pulumi.Input<string>[]>;
  /** CUDA versions the host may have, e.g. `["12.8", "12.6"]`. GPU pods only. */
  allowedCudaVersions?: pulumi.Input<pulumi.Input<string>[]>;
  /** REST v2 only: the lowest CUDA version the host may have, e.g. `"12.4"`. GPU pods only. */
  minCudaVersion?: pulumi.Input<string>;
  /** Container disk in GB (ephemeral: wiped on every stop and reset). In place. */
  containerDiskInGb?: pulumi.Input<number>;
  /**
   * Volume disk in GB (REST v2: at least 10, GPU pods only), persisted across restarts on the
   * pod's machine. Grows in place; a smaller value fails the preview (the data would be lost).
   * Mutually exclusive with `networkVolumeId`.
   */
  volumeInGb?: pulumi.Input<number>;
  /** Where the volume disk or network volume is mounted (default `/workspace`). In place. */
  volumeMountPath?: pulumi.Input<string>;
  /**
   * Network volume to attach (Secure Cloud only; it must be in one of `dataCenterIds` when both are
   * given — checked against the volume before the create). Replaces. A pod with a network volume
   * cannot be stopped, only terminated, so `desiredStatus: "EXITED"` is rejected with it.
   */
  networkVolumeId?: pulumi.Input<string>;
  /** Credentials for a private registry (a ContainerRegistryAuth id). In place. */
  containerRegistryAuthId?: pulumi.Input<string>;
  /**
   * Environment variables. Reference Runpod secrets as `{{ RUNPOD_SECRET_<name> }}` rather than
   * putting secret values here; values wrapped in `pulumi.secret` keep the whole map secret in state.
   * In place. `PUBLIC_KEY` and `JUPYTER_PASSWORD`, which Runpod injects, are not reported back.
   */
  env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Exposed ports, e.g. `["8888/http", "22/tcp"]`. A `/tcp` port must be publicly mapped before the pod counts as ready. In place. */
  ports?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Overrides the image's ENTRYPOINT (REST v1). REST v2 has no entrypoint override, only one
   * `args` string: the provider sends `dockerEntrypoint` followed by `dockerStartCmd` as that
   * string, each word shell-quoted. On v2 the image's own ENTRYPOINT, if it has one, therefore
   * still runs and receives these words as arguments; for images that define only CMD (Runpod's
   * official images) the result is the same as on v1. In place.
   */
  dockerEntrypoint?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Overrides the image's start command (CMD). On REST v2 it becomes the `args` string (after
   * `dockerEntrypoint`); an `args` changed outside Pulumi reads back as `dockerStartCmd`. In place.
   */
  dockerStartCmd?: pulumi.Input<pulumi.Input<string>[]>;
  /** A private IP reachable from the account's other pods across data centres. NVIDIA GPU pods in supporting data centres, not interruptible. In place. */
  globalNetworking?: pulumi.Input<boolean>;
  /** REST v1 only: ask for a public IP on Community Cloud (Secure Cloud always has one). Replaces. */
  supportPublicIp?: pulumi.Input<boolean>;
  /**
   * Lock the pod so it cannot be stopped or reset from the console or other tools. In place.
   * It does not stop this stack: an update, stop, replacement or `pulumi destroy` that Pulumi
   * decides on unlocks the pod first (and locks it again afterwards when it stays).
   * Use the `protect` resource option to guard against deletion.
   */
  locked?: pulumi.Input<boolean>;
  /** REST v1 only: minimum system RAM per GPU in GB (Runpod's default 8). Replaces. */
  minRAMPerGPU?: pulumi.Input<number>;
  /** REST v1 only: minimum vCPUs per GPU (Runpod's default 2). Replaces. */
  minVCPUPerGPU?: pulumi.Input<number>;
  /** REST v1 only: minimum disk bandwidth of the machine in MB/s. Replaces. */
  minDiskBandwidthMBps?: pulumi.Input<number>;
  /** REST v1 only: minimum download bandwidth in Mb/s. Replaces. */
  minDownloadMbps?: pulumi.Input<number>;
  /** REST v1 only: minimum upload bandwidth in Mb/s. Replaces. */
  minUploadMbps?: pulumi.Input<number>;
  /** REST v2 only: set up SSH with the account's keys (injects `PUBLIC_KEY`) at create. Replaces. */
  startSsh?: pulumi.Input<boolean>;
  /** REST v2 only: start JupyterLab (injects a generated `JUPYTER_PASSWORD`) at create. Replaces. */
  startJupyter?: pulumi.Input<boolean>;
  /**
   * `RUNNING` (default) or `EXITED`. Changing it starts or stops the same pod (its volume disk
   * survives; the container disk does not) — never a replacement. A refresh shows a pod stopped
   * outside Pulumi as `EXITED`, so the next `up` starts it again.
   */
  desiredStatus?: pulumi.Input<"RUNNING" | "EXITED">;
  /**
   * Wait after a create or start until the pod runs and its public IP and TCP port mappings are
   * known (default true). Provider-side: changing it never updates the pod.
   */
  waitForReady?: pulumi.Input<boolean>;
  /**
   * How long to wait for readiness (default 600 s). When it runs out, the operation fails but the
   * pod stays in the stack's state: the next `up` waits again, `destroy` terminates it.
   */
  readyTimeoutSeconds?: pulumi.Input<number>;
}

// ---- schemas ------------------------------------------------------------------------------

const message = (text: string) => ({ errorMap: () => ({ message: text }) });
const gpuTypeId = z.enum(GPU_TYPE_IDS, message(`must be a Runpod GPU type id, e.g. "NVIDIA GeForce RTX 4090" or "NVIDIA A40" (one of: ${GPU_TYPE_IDS.join(", ")})`));
const cpuFlavorId = z.enum(POD_CPU_FLAVOR_IDS, message(`must be a pod CPU flavor: ${POD_CPU_FLAVOR_IDS.join(", ")}`));
const priority = z.enum(["availability", "custom"], message('must be "availability" or "custom"'));
const cudaVersion = z.string().regex(/^\d+\.\d+$/, 'must be a CUDA version "major.minor", e.g. "12.4"');
const nonNegativeInt = wholeNumber.min(0, "must not be negative");
const positiveInt = wholeNumber.min(1, "must be at least 1");
const nonNegativeNumber = z.number({ invalid_type_error: "must be a number" }).min(0, "must not be negative");
const bool = z.boolean({ invalid_type_error: "must be true or false" });
const absolutePath = nonEmptyString.regex(/^\//, "must be an absolute path, e.g. /workspace");

function uniqueList<T extends z.ZodTypeAny>(item: T) {
  return z
    .array(item, { invalid_type_error: "must be a list" })
    .min(1, "must not be empty")
    .refine((xs) => new Set(xs).size === xs.length, "must not list an entry twice");
}

const onlyOne = (what: string) =>
  z.array(z.any()).max(1, `REST v2 takes exactly one ${what} per pod (no priority list); give one, or use runpod:apiVersion v1 for a priority list`);

const v2PowerOfTwoVcpus = z
  .number()
  .min(2, "must be at least 2")
  .refine((n) => Number.isInteger(Math.log2(n)), "must be a power of two (2, 4, 8, 16, …)");

// ---- reads --------------------------------------------------------------------------------

/** A priority list read back: the API reports the one entry that was used. */
function chosenFrom(actual: unknown, prior: unknown): unknown {
  if (typeof actual !== "string" || actual === "") return undefined;
  if (Array.isArray(prior) && prior.includes(actual)) return prior;
  return [actual];
}

/** A placement filter the current placement (`olds[key]`) still satisfies needs no replacement. */
const unlessStillListed = (key: string) => (_old: unknown, next: unknown, olds: Props) =>
  !(typeof olds[key] === "string" && Array.isArray(next) && next.includes(olds[key]));

function cudaAtLeast(version: unknown, min: unknown): boolean {
  if (typeof version !== "string" || typeof min !== "string") return false;
  const [a, b] = version.split(".").map(Number);
  const [c, d] = min.split(".").map(Number);
  return a > c || (a === c && b >= d);
}

/** Variables Runpod injects (startSsh / startJupyter) are not the program's: never read back. */
const INJECTED_ENV = ["PUBLIC_KEY", "JUPYTER_PASSWORD"];
function readEnv(env: unknown, prior: Props): unknown {
  if (!env || typeof env !== "object" || Array.isArray(env)) return undefined;
  const priorEnv = (prior.env ?? {}) as Props;
  const out: Props = {};
  for (const [k, v] of Object.entries(env)) if (!INJECTED_ENV.includes(k) || k in priorEnv) out[k] = v;
  return out;
}

/** v1's spec gives `ports` a comma-joined string default on an array field: accept both. */
function readPorts(ports: unknown): unknown {
  if (typeof ports === "string") return ports === "" ? [] : ports.split(",").map((p) => p.trim());
  return Array.isArray(ports) ? ports : undefined;
}

// ---- v2 mounts: one field pair expressed by one nested object -------------------------------

function writeMount(body: Props, inputs: Props): void {
  const path = inputs.volumeMountPath ?? "/workspace";
  if (inputs.networkVolumeId !== undefined) setPath(body, "mounts.network", [{ volumeId: inputs.networkVolumeId, path }]);
  else if (inputs.volumeInGb !== undefined) setPath(body, "mounts.persistent", { size: inputs.volumeInGb, path });
}

/** v2: "mount kind is fixed at create" — a PATCH cannot add a mount to a pod created without one. */
const mountAddedAfterCreate = (old: unknown) => old === undefined;

// ---- the field table -------------------------------------------------------------------------

const fields: FieldTable = {
  name: {
    description: "pod name",
    schema: resourceName,
    wires: { v2: { path: "name", inPlace: true }, v1: { path: "name", inPlace: true } },
  },
  imageName: {
    description: "container image",
    schema: nonEmptyString,
    wires: { v2: { path: "image", inPlace: true }, v1: { path: "imageName", inPlace: true, read: (o) => o.image } },
  },
  templateId: {
    description: "pod template id",
    schema: runpodId,
    wires: {
      v2: { path: "templateId", inPlace: true, read: (o) => o.template },
      v1: { path: "templateId", inPlace: false },
    },
  },
  computeType: {
    description: "GPU or CPU pod",
    schema: z.enum(["GPU", "CPU"], message('must be "GPU" or "CPU"')),
    default: "GPU",
    wires: {
      v2: { inPlace: false, read: (o) => (o.cpu ? "CPU" : o.gpu ? "GPU" : undefined) },
      v1: { path: "computeType", inPlace: false, read: (o) => (o.gpu ? "GPU" : o.cpuFlavorId ? "CPU" : undefined) },
    },
  },
  gpuTypeIds: {
    description: "GPU types, in priority order",
    schema: uniqueList(gpuTypeId),
    wires: {
      v2: {
        inPlace: true,
        createOnly: true,
        schema: onlyOne("GPU type"),
        write: (body, value: string[]) => setPath(body, "gpu.id", value[0]),
        read: (o, prior) => chosenFrom(o.gpu?.id, prior.gpuTypeIds),
        replaceIf: unlessStillListed("gpuTypeId"),
      },
      v1: {
        path: "gpuTypeIds",
        inPlace: true,
        createOnly: true,
        read: (o, prior) => chosenFrom(o.gpu?.id ?? o.machine?.gpuTypeId, prior.gpuTypeIds),
        replaceIf: unlessStillListed("gpuTypeId"),
      },
    },
  },
  gpuTypePriority: {
    description: "how the GPU type list is tried",
    schema: priority,
    unsupportedHint: { v2: "REST v2 takes a single GPU type, so there is no priority; remove gpuTypePriority" },
    wires: { v1: { path: "gpuTypePriority", inPlace: true, createOnly: true, read: false, adoptUnknown: true } },
  },
  gpuCount: {
    description: "GPUs per pod",
    schema: positiveInt,
    wires: { v2: { path: "gpu.count", inPlace: false }, v1: { path: "gpuCount", inPlace: false, read: (o) => o.gpu?.count } },
  },
  cpuFlavorIds: {
    description: "CPU flavors, in priority order",
    schema: uniqueList(cpuFlavorId),
    wires: {
      v2: {
        inPlace: true,
        createOnly: true,
        schema: onlyOne("CPU flavor"),
        write: (body, value: string[], inputs) => setPath(body, "cpu", { id: value[0], vcpuCount: inputs.vcpuCount ?? 2 }),
        read: (o, prior) => chosenFrom(o.cpu?.id, prior.cpuFlavorIds),
        replaceIf: unlessStillListed("cpuFlavorId"),
      },
      v1: {
        path: "cpuFlavorIds",
        inPlace: true,
        createOnly: true,
        read: (o, prior) => (o.gpu ? undefined : chosenFrom(o.cpuFlavorId, prior.cpuFlavorIds)),
        replaceIf: unlessStillListed("cpuFlavorId"),
      },
    },
  },
  cpuFlavorPriority: {
    description: "how the CPU flavor list is tried",
    schema: priority,
    unsupportedHint: { v2: "REST v2 takes a single CPU flavor, so there is no priority; remove cpuFlavorPriority" },
    wires: { v1: { path: "cpuFlavorPriority", inPlace: true, createOnly: true, read: false, adoptUnknown: true } },
  },
  vcpuCount: {
    description: "vCPUs of a CPU pod",
    schema: positiveInt,
    wires: {
      v2: { path: "cpu.vcpuCount", inPlace: false, schema: v2PowerOfTwoVcpus, read: (o) => o.cpu?.vcpuCount },
      v1: { path: "vcpuCount", inPlace: false, read: (o) => (o.gpu ? undefined : o.vcpuCount) },
    },
  },
  cloudType: {
    description: "SECURE or COMMUNITY cloud",
    schema: z.enum(["SECURE", "COMMUNITY"], message('must be "SECURE" or "COMMUNITY"')),
    wires: {
      v2: { path: "cloud", inPlace: false },
      v1: {
        path: "cloudType",
        inPlace: false,
        read: (o) => (o.machine?.secureCloud === true ? "SECURE" : o.machine?.secureCloud === false ? "COMMUNITY" : undefined),
      },
    },
  },
  interruptible: {
    description: "spot (interruptible) pod",
    schema: bool,
    unsupportedHint: { v2: "REST v2 has no interruptible (spot) pods; remove it, or use runpod:apiVersion v1 for a spot pod" },
    wires: { v1: { path: "interruptible", inPlace: false } },
  },
  dataCenterIds: {
    description: "allowed data centres",
    schema: uniqueList(dataCenterId),
    wires: {
      v2: { path: "dataCenterIds", inPlace: true, createOnly: true, read: false, adoptUnknown: true, replaceIf: unlessStillListed("dataCenterId") },
      v1: { path: "dataCenterIds", inPlace: true, createOnly: true, read: false, adoptUnknown: true, replaceIf: unlessStillListed("dataCenterId") },
    },
  },
  dataCenterPriority: {
    description: "how the data centre list is tried",
    schema: priority,
    unsupportedHint: { v2: "REST v2 lets the scheduler order dataCenterIds; remove dataCenterPriority" },
    wires: { v1: { path: "dataCenterPriority", inPlace: true, createOnly: true, read: false, adoptUnknown: true } },
  },
  countryCodes: {
    description: "allowed countries",
    schema: uniqueList(z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter ISO country code such as "US"')),
    unsupportedHint: { v2: "REST v2 places by dataCenterIds only; list the data centres instead" },
    wires: { v1: { path: "countryCodes", inPlace: false, read: false, adoptUnknown: true } },
  },
  allowedCudaVersions: {
    description: "CUDA versions the host may have",
    schema: uniqueList(cudaVersion),
    wires: {
      v2: {
        path: "gpu.allowedCudaVersions",
        inPlace: true,
        createOnly: true,
        read: false,
        adoptUnknown: true,
        replaceIf: unlessStillListed("cudaVersion"),
      },
      v1: {
        path: "allowedCudaVersions",
        inPlace: false,
        read: false,
        adoptUnknown: true,
        schema: z.array(z.enum(CUDA_VERSIONS, message(`must be one of REST v1's CUDA versions: ${CUDA_VERSIONS.join(", ")}`))),
      },
    },
  },
  minCudaVersion: {
    description: "lowest CUDA version the host may have",
    schema: cudaVersion,
    unsupportedHint: { v1: "REST v1 has no minimum; list the acceptable versions in allowedCudaVersions" },
    wires: {
      v2: {
        path: "gpu.minCudaVersion",
        inPlace: true,
        createOnly: true,
        read: false,
        adoptUnknown: true,
        replaceIf: (_old, next, olds) => !cudaAtLeast(olds.cudaVersion, next),
      },
    },
  },
  containerDiskInGb: {
    description: "container disk in GB",
    schema: nonNegativeInt,
    wires: {
      v2: { path: "disk", inPlace: true, schema: z.number().min(1, "must be at least 1 GB") },
      v1: { path: "containerDiskInGb", inPlace: true },
    },
  },
  volumeInGb: {
    description: "volume disk in GB",
    schema: nonNegativeInt,
    growOnly: { reason: "Runpod can grow a pod's volume disk but never shrink it, and a replacement would lose its data; create a new pod and copy the data instead" },
    wires: {
      v2: {
        inPlace: true,
        schema: z.number().min(10, "must be at least 10 GB"),
        write: (body, _value, inputs) => writeMount(body, inputs),
        read: (o) => o.mounts?.persistent?.size,
        replaceIf: mountAddedAfterCreate,
      },
      v1: { path: "volumeInGb", inPlace: true },
    },
  },
  volumeMountPath: {
    description: "mount path of the volume disk or network volume",
    schema: absolutePath,
    wires: {
      v2: {
        inPlace: true,
        write: (body, _value, inputs) => writeMount(body, inputs),
        read: (o) => o.mounts?.network?.[0]?.path ?? o.mounts?.persistent?.path,
        replaceIf: mountAddedAfterCreate,
      },
      v1: { path: "volumeMountPath", inPlace: true },
    },
  },
  networkVolumeId: {
    description: "network volume to attach",
    schema: runpodId,
    wires: {
      v2: { inPlace: false, write: (body, _value, inputs) => writeMount(body, inputs), read: (o) => o.mounts?.network?.[0]?.volumeId },
      v1: { path: "networkVolumeId", inPlace: false, read: (o) => o.networkVolume?.id ?? o.networkVolumeId },
    },
  },
  containerRegistryAuthId: {
    description: "registry credentials id",
    schema: runpodId,
    wires: { v2: { path: "registry", inPlace: true }, v1: { path: "containerRegistryAuthId", inPlace: true } },
  },
  env: {
    description: "environment variables",
    schema: envMap,
    wires: {
      v2: { path: "env", inPlace: true, read: (o, prior) => readEnv(o.env, prior) },
      v1: { path: "env", inPlace: true, read: (o, prior) => readEnv(o.env, prior) },
    },
  },
  ports: {
    description: "exposed ports",
    schema: z.array(port, { invalid_type_error: "must be a list of ports" }).refine((ps) => new Set(ps.map((p) => p.split("/")[0])).size === ps.length, "must not expose a port number twice"),
    wires: {
      v2: { path: "ports", inPlace: true, read: (o) => readPorts(o.ports) },
      v1: { path: "ports", inPlace: true, read: (o) => readPorts(o.ports) },
    },
  },
  dockerEntrypoint: {
    description: "image ENTRYPOINT override",
    schema: commandWords,
    // v2: joined into `args` with dockerStartCmd; read back by the handler's outputs().
    wires: { v2: { inPlace: true, write: writeV2Args, read: false }, v1: { path: "dockerEntrypoint", inPlace: true } },
  },
  dockerStartCmd: {
    description: "image CMD override",
    schema: commandWords,
    wires: { v2: { inPlace: true, write: writeV2Args, read: false }, v1: { path: "dockerStartCmd", inPlace: true } },
  },
  globalNetworking: {
    description: "global networking",
    schema: bool,
    wires: {
      v2: { path: "globalNetworking", inPlace: true, read: (o) => o.globalNetworking?.enabled },
      v1: { path: "globalNetworking", inPlace: true, read: false },
    },
  },
  supportPublicIp: {
    description: "public IP on Community Cloud",
    schema: bool,
    unsupportedHint: { v2: "REST v2 has no public-IP request; use cloudType SECURE (always public) or runpod:apiVersion v1" },
    wires: { v1: { path: "supportPublicIp", inPlace: false, read: false, adoptUnknown: true } },
  },
  locked: {
    description: "lock against stop/reset",
    schema: bool,
    wires: { v2: { path: "locked", inPlace: true, updateOnly: true }, v1: { path: "locked", inPlace: true } },
  },
  minRAMPerGPU: {
    description: "minimum RAM per GPU in GB",
    schema: nonNegativeInt,
    unsupportedHint: { v2: "REST v2 has no per-GPU minimums; pick a GPU type whose machines fit" },
    wires: { v1: { path: "minRAMPerGPU", inPlace: false, read: false, adoptUnknown: true } },
  },
  minVCPUPerGPU: {
    description: "minimum vCPUs per GPU",
    schema: nonNegativeInt,
    unsupportedHint: { v2: "REST v2 has no per-GPU minimums; pick a GPU type whose machines fit" },
    wires: { v1: { path: "minVCPUPerGPU", inPlace: false, read: false, adoptUnknown: true } },
  },
  minDiskBandwidthMBps: {
    description: "minimum disk bandwidth in MB/s",
    schema: nonNegativeNumber,
    unsupportedHint: { v2: "REST v2 has no bandwidth minimums" },
    wires: { v1: { path: "minDiskBandwidthMBps", inPlace: false, read: false, adoptUnknown: true } },
  },
  minDownloadMbps: {
    description: "minimum download bandwidth in Mb/s",
    schema: nonNegativeNumber,
    unsupportedHint: { v2: "REST v2 has no bandwidth minimums" },
    wires: { v1: { path: "minDownloadMbps", inPlace: false, read: false, adoptUnknown: true } },
  },
  minUploadMbps: {
    description: "minimum upload bandwidth in Mb/s",
    schema: nonNegativeNumber,
    unsupportedHint: { v2: "REST v2 has no bandwidth minimums" },
    wires: { v1: { path: "minUploadMbps", inPlace: false, read: false, adoptUnknown: true } },
  },
  startSsh: {
    description: "set up SSH at create",
    schema: bool,
    unsupportedHint: { v1: "REST v1 has no startSsh; expose 22/tcp in ports and use an image that starts sshd from PUBLIC_KEY (Runpod's images do)" },
    wires: { v2: { path: "startSsh", inPlace: false, read: false, adoptUnknown: true } },
  },
  startJupyter: {
    description: "start JupyterLab at create",
    schema: bool,
    unsupportedHint: { v1: "REST v1 has no startJupyter; use an image or template that starts JupyterLab and expose 8888/http" },
    wires: { v2: { path: "startJupyter", inPlace: false, read: false, adoptUnknown: true } },
  },
  desiredStatus: {
    description: "RUNNING or EXITED (stopped)",
    schema: z.enum(["RUNNING", "EXITED"], message('must be "RUNNING" or "EXITED" (stopped); to terminate a pod, remove it from the program')),
    default: "RUNNING",
    wires: {
      v2: { inPlace: true, read: (o) => desiredStatusOf("v2", o) },
      v1: { inPlace: true, read: (o) => desiredStatusOf("v1", o) },
    },
  },
  waitForReady: {
    description: "wait for the pod to be reachable",
    schema: bool,
    setting: true,
    wires: { v2: { inPlace: true, read: false }, v1: { inPlace: true, read: false } },
  },
  readyTimeoutSeconds: {
    description: "readiness timeout in seconds",
    schema: z.number({ invalid_type_error: "must be a number" }).positive("must be more than 0 seconds"),
    setting: true,
    wires: { v2: { inPlace: true, read: false }, v1: { inPlace: true, read: false } },
  },
} satisfies Record<keyof PodArgs, FieldSpec>;

// ---- cross-field rules -----------------------------------------------------------------------

const GPU_ONLY = ["gpuCount", "gpuTypePriority", "allowedCudaVersions", "minCudaVersion", "minRAMPerGPU", "minVCPUPerGPU"];
const CPU_ONLY = ["cpuFlavorIds", "cpuFlavorPriority", "vcpuCount"];

function rules(inputs: Props, { wire }: { wire: Wire; olds: Props }): CheckFailure[] {
  // During a preview, values computed by other resources (a volume's id) are unknown: such a
  // value counts as present, but no rule looks at its content.
  const unknown = new Set(Object.keys(inputs).filter((k) => containsUnknown(inputs[k])));
  const known: Props = {};
  for (const [k, v] of Object.entries(inputs)) if (!unknown.has(k)) known[k] = v;
  return rulesFor(known, wire, (k) => known[k] !== undefined || unknown.has(k), unknown.has("computeType"));
}

function rulesFor(inputs: Props, wire: Wire, present: (name: string) => boolean, computeTypeUnknown: boolean): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason: `${property}: ${reason}` });
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
    if (!present("gpuTypeIds")) fail("gpuTypeIds", 'required for a GPU pod, e.g. ["NVIDIA GeForce RTX 4090"] (or set computeType "CPU")');
    for (const name of CPU_ONLY) if (present(name)) fail(name, 'applies to CPU pods only; set computeType "CPU" or remove it');
  }

  if (present("networkVolumeId")) {
    if (present("volumeInGb")) fail("volumeInGb", "a pod has either a volume disk or a network volume; remove volumeInGb or networkVolumeId");
    if (inputs.cloudType === "COMMUNITY") fail("networkVolumeId", "network volumes are only available on Secure Cloud (cloudType SECURE)");
    if (inputs.desiredStatus === "EXITED") fail("desiredStatus", "a pod with a network volume cannot be stopped, only terminated (remove the pod from the program instead)");
  } else if (wire === "v2" && present("volumeMountPath") && !present("volumeInGb")) {
    fail("volumeMountPath", "REST v2 mounts nothing without volumeInGb or networkVolumeId");
  }

  if (inputs.globalNetworking === true && !cpu) {
    const amd = (Array.isArray(inputs.gpuTypeIds) ? (inputs.gpuTypeIds as string[]) : []).filter((g) => g.startsWith("AMD"));
    if (amd.length) fail("globalNetworking", `requires NVIDIA GPUs; not available with ${amd.join(", ")}`);
    const outside = (Array.isArray(inputs.dataCenterIds) ? (inputs.dataCenterIds as string[]) : []).filter((d) => !(GLOBAL_NETWORKING_DATA_CENTER_IDS as readonly string[]).includes(d));
    if (outside.length) fail("globalNetworking", `not offered in ${outside.join(", ")}; global networking data centres: ${GLOBAL_NETWORKING_DATA_CENTER_IDS.join(", ")}`);
    if (inputs.interruptible === true) fail("globalNetworking", "only available for on-demand pods, not interruptible ones");
  }

  if (present("supportPublicIp") && inputs.cloudType !== "COMMUNITY") {
    fail("supportPublicIp", "only applies to cloudType COMMUNITY (Secure Cloud pods always have a public IP)");
  }
  if (Array.isArray(inputs.allowedCudaVersions) && present("minCudaVersion")) {
    fail("minCudaVersion", "Runpod takes either an exact set (allowedCudaVersions) or a floor (minCudaVersion), not both");
  }
  if (present("readyTimeoutSeconds") && inputs.waitForReady === false) fail("readyTimeoutSeconds", "has no effect with waitForReady: false; remove one of them");
  return failures;
}

// ---- computed outputs ------------------------------------------------------------------------

/** GPU display names from the v2 catalog, looked up once per process per GPU type. */
const gpuNames = new Map<string, string>();

function defined(props: Props): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(props)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

function money(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

function sshCommand(wire: Wire, pod: Props): string | undefined {
  if (wire === "v2") return pod.ssh?.direct?.command ?? pod.ssh?.proxy?.command ?? undefined;
  const ip = publicIpOf(wire, pod);
  const sshPort = portMappingsOf(wire, pod)["22"];
  return ip && sshPort ? `ssh root@${ip} -p ${sshPort}` : undefined;
}

const computed: ResourceSpec["computed"] = {
  v2: (o) =>
    defined({
      status: statusOf("v2", o),
      image: o.image,
      costPerHr: money(o.cost),
      adjustedCostPerHr: money(o.cost),
      publicIp: publicIpOf("v2", o),
      portMappings: portMappingsOf("v2", o),
      sshCommand: sshCommand("v2", o),
      gpuTypeId: o.gpu?.id,
      gpuDisplayName: o.gpu ? (o.gpu.displayName ?? gpuNames.get(o.gpu.id) ?? o.gpu.id) : undefined,
      gpuCount: o.gpu ? o.gpu.count : undefined,
      cpuFlavorId: o.cpu?.id,
      vcpuCount: o.cpu?.vcpuCount,
      memoryInGb: o.cpu?.memory,
      dataCenterId: o.dataCenterId,
      cudaVersion: o.cudaVersion,
      lastStartedAt: o.startedAt,
    }),
  v1: (o) =>
    defined({
      status: statusOf("v1", o),
      image: o.image,
      costPerHr: money(o.costPerHr),
      adjustedCostPerHr: money(o.adjustedCostPerHr),
      publicIp: publicIpOf("v1", o),
      portMappings: portMappingsOf("v1", o),
      sshCommand: sshCommand("v1", o),
      gpuTypeId: o.gpu?.id ?? o.machine?.gpuTypeId,
      gpuDisplayName: o.gpu?.displayName ?? o.machine?.gpuDisplayName,
      gpuCount: o.gpu ? o.gpu.count : undefined,
      cpuFlavorId: o.cpuFlavorId,
      vcpuCount: o.vcpuCount,
      memoryInGb: o.memoryInGb,
      dataCenterId: o.machine?.dataCenterId,
      machineId: o.machineId,
      lastStartedAt: o.lastStartedAt,
    }),
};

const COMPUTED_NAMES = [
  "status",
  "image",
  "costPerHr",
  "adjustedCostPerHr",
  "publicIp",
  "portMappings",
  "sshCommand",
  "gpuTypeId",
  "gpuDisplayName",
  "cpuFlavorId",
  "memoryInGb",
  "dataCenterId",
  "cudaVersion",
  "machineId",
  "lastStartedAt",
];

export const spec: ResourceSpec = {
  kind: "pod",
  typeName: "Pod",
  fields,
  computed,
  computedNames: COMPUTED_NAMES,
  autoName: { maxLength: 191 },
  rules,
};

// ---- the lifecycle ---------------------------------------------------------------------------

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A pod failed after Runpod accepted it; carries the last pod object seen. */
class PodNotReady extends Error {
  constructor(
    message: string,
    readonly pod: Props | undefined,
  ) {
    super(message);
  }
}

function capacityLike(e: unknown): boolean {
  return (
    e instanceof RunpodApiError &&
    e.status !== 401 &&
    e.status !== 403 &&
    /no (longer any )?(instances?|machines?|gpus?)( are)?( currently)? available|not enough (free )?(gpus|capacity|resources)|insufficient (capacity|resources|gpus)|out of (capacity|stock)|no capacity|capacity/i.test(e.apiMessage)
  );
}

function describePlacement(inputs: Props): string {
  const dcs = Array.isArray(inputs.dataCenterIds) ? `data centres ${inputs.dataCenterIds.join(", ")}` : "any data centre";
  const cloud = `${inputs.cloudType ?? "SECURE"} cloud${inputs.interruptible ? " (interruptible)" : ""}`;
  if (inputs.computeType === "CPU") {
    return `CPU flavor${inputs.cpuFlavorIds?.length > 1 ? "s" : ""} ${(inputs.cpuFlavorIds ?? []).join(", ")} with ${inputs.vcpuCount ?? 2} vCPUs in ${dcs} on ${cloud}`;
  }
  const types = (inputs.gpuTypeIds ?? []).join(", ");
  return `${inputs.gpuCount ?? 1} × GPU type${inputs.gpuTypeIds?.length > 1 ? "s" : ""} ${types} in ${dcs} on ${cloud}`;
}

function capacityError(e: RunpodApiError, inputs: Props, what: string): Error {
  return new Error(
    `${what}: Runpod has no capacity for ${describePlacement(inputs)} (${e.apiMessage}). ` +
      "List more GPU types or data centres, try another cloudType, or retry later.",
  );
}

class PodHandler extends RestResource {
  // -- plumbing per wire --

  private podPath(id: string): string {
    return `/pods/${encodeURIComponent(id)}`;
  }

  /**
   * Start or stop. Safe to repeat: when Runpod refuses because the pod is already where the action
   * leads (a retried request whose first answer was lost), that counts as done.
   */
  private async action(ctx: OperationContext, id: string, action: "start" | "stop"): Promise<Props | undefined> {
    try {
      if (ctx.wire === "v2") {
        const result = await ctx.http.rest({ method: "POST", path: `${this.podPath(id)}/action`, body: { action }, idempotent: true });
        return result && typeof result === "object" && result.id ? result : undefined;
      }
      await ctx.http.rest({ method: "POST", path: `${this.podPath(id)}/${action}`, idempotent: true });
      return undefined;
    } catch (e) {
      if (!(e instanceof RunpodApiError) || (e.status !== 409 && e.status !== 400)) throw e;
      const pod = await this.fetch(ctx, id);
      if (pod && (action === "start") === isUp(ctx.wire, pod)) return pod;
      throw e;
    }
  }

  /**
   * PATCH. REST v2 refuses (409) while the pod is PROVISIONING or STARTING: then wait until it has
   * settled and send it once more.
   */
  private async patch(ctx: OperationContext, id: string, body: Props, inputs: Props): Promise<Props | undefined> {
    const send = async () => {
      const result = await ctx.http.rest({ method: "PATCH", path: this.podPath(id), body });
      return result && typeof result === "object" && result.id ? (result as Props) : undefined;
    };
    try {
      return await send();
    } catch (e) {
      if (!(e instanceof RunpodApiError) || e.status !== 409) throw e;
      const settled = (pod: Props): Readiness => {
        const status = statusOf(ctx.wire, pod);
        return status === "PROVISIONING" || status === "STARTING" ? { state: "waiting", waitingFor: "the pod to settle before the update" } : { state: "ready" };
      };
      await this.waitFor(ctx, id, inputs, "the pod to settle", settled);
      return send();
    }
  }

  /** Runs `fn` on an unlocked pod (locked pods refuse stops, resets and termination), relocking after if asked. */
  private async unlocked<T>(ctx: OperationContext, id: string, inputs: Props, lockedNow: boolean, relock: boolean, fn: () => Promise<T>): Promise<T> {
    if (!lockedNow) return fn();
    await this.patch(ctx, id, { locked: false }, inputs);
    let ok = false;
    try {
      const result = await fn();
      ok = true;
      return result;
    } finally {
      if (relock) {
        // A failed operation must not leave a pod the program wants locked unlocked.
        try {
          await this.patch(ctx, id, { locked: true }, inputs);
        } catch (e) {
          if (ok) throw e;
        }
      }
    }
  }

  /** Pods created together ask for the same GPU type at once: one catalog request answers them all. */
  private static readonly gpuLookups = new SingleFlight<void>();

  private async gpuName(ctx: OperationContext, pod: Props | undefined): Promise<void> {
    const gpuId = pod?.gpu?.id;
    if (ctx.wire !== "v2" || typeof gpuId !== "string" || pod?.gpu?.displayName || gpuNames.has(gpuId)) return;
    await PodHandler.gpuLookups.do(gpuId, async () => {
      try {
        const type = await ctx.http.rest({ method: "GET", path: `/catalog/gpus/${encodeURIComponent(gpuId)}` });
        if (type && typeof type.name === "string") gpuNames.set(gpuId, type.name);
      } catch {
        // Only a display name: the GPU type id stands in for it.
      }
    });
  }

  // -- hooks --

  protected override async fetch(ctx: OperationContext, id: string): Promise<Props | undefined> {
    let pod: Props | undefined;
    try {
      pod = await ctx.http.rest({
        method: "GET",
        path: this.podPath(id),
        query: ctx.wire === "v1" ? { includeMachine: true, includeNetworkVolume: true } : undefined,
      });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    if (!pod || typeof pod !== "object" || isTerminated(ctx.wire, pod)) return undefined;
    await this.gpuName(ctx, pod);
    return pod;
  }

  protected override async list(ctx: OperationContext): Promise<Props[]> {
    const result = await ctx.http.rest({ method: "GET", path: "/pods" });
    const items = ctx.wire === "v2" ? result?.pods : result;
    return Array.isArray(items) ? items : [];
  }

  /** After a lost create response: the live pod with our (auto-generated, so distinctive) name and image. */
  protected override isCreatedBy(ctx: OperationContext, pod: Props, body: Props): boolean {
    const image = ctx.wire === "v2" ? body.image : body.imageName;
    return pod.name === body.name && !isTerminated(ctx.wire, pod) && (image === undefined || pod.image === image);
  }

  protected override async createRequestBody(ctx: OperationContext, inputs: Props): Promise<Props> {
    const body = await super.createRequestBody(ctx, inputs);
    if (inputs.networkVolumeId !== undefined && Array.isArray(inputs.dataCenterIds)) await this.checkVolumePlacement(ctx, inputs);
    return body;
  }

  /** The one check that needs the API: the network volume must sit in an allowed data centre. */
  private async checkVolumePlacement(ctx: OperationContext, inputs: Props): Promise<void> {
    const path = ctx.wire === "v2" ? "/network-volumes" : "/networkvolumes";
    let volume: Props | undefined;
    try {
      volume = await ctx.http.rest({ method: "GET", path: `${path}/${encodeURIComponent(inputs.networkVolumeId)}` });
    } catch (e) {
      if (isNotFound(e)) throw new Error(`networkVolumeId: network volume ${inputs.networkVolumeId} does not exist`);
      throw e;
    }
    const dc = volume?.dataCenter ?? volume?.dataCenterId;
    if (typeof dc === "string" && !inputs.dataCenterIds.includes(dc)) {
      throw new Error(
        `networkVolumeId: network volume ${inputs.networkVolumeId} is in ${dc}, which is not in dataCenterIds (${inputs.dataCenterIds.join(", ")}); ` +
          `a pod can only mount a volume in its own data centre — add ${dc} or remove dataCenterIds`,
      );
    }
  }

  protected override async createObject(ctx: OperationContext, body: Props, inputs: Props): Promise<Props> {
    try {
      return await super.createObject(ctx, body, inputs);
    } catch (e) {
      if (capacityLike(e)) throw capacityError(e as RunpodApiError, inputs, "cannot create the pod");
      if (e instanceof RunpodApiError && inputs.networkVolumeId !== undefined && e.status >= 400 && e.status < 500) {
        e.message += ` (the pod mounts network volume ${inputs.networkVolumeId}: it must exist and be in a data centre the pod may use)`;
      }
      throw e;
    }
  }

  /**
   * Runpod starts a pod as soon as it is created. Then: stop it if the program wants it stopped,
   * apply what the create could not carry (v2: `locked`), and wait for readiness. Any failure
   * from here on is a ResourceInitError, so the engine keeps the pod in state.
   */
  protected override async afterCreate(ctx: OperationContext, id: string, outs: Props, inputs: Props): Promise<Props> {
    let last: Props | undefined;
    try {
      if (inputs.desiredStatus === "EXITED") {
        // v1 creates a pod locked when asked; v2 locks it by the follow-up PATCH below.
        last = await this.stop(ctx, id, inputs, ctx.wire === "v1" && inputs.locked === true);
      } else if (inputs.waitForReady !== false) {
        last = await this.waitReady(ctx, id, inputs);
      }
      const followUp = followUpBody(this.spec, ctx.wire, inputs);
      if (Object.keys(followUp).length > 0) last = (await this.patch(ctx, id, followUp, inputs)) ?? last;
      // The readiness poll, the stop or the follow-up PATCH already answered with the pod as it is
      // now; only a create that did not wait needs one more read.
      if (!last) last = await this.fetch(ctx, id);
      return last ? this.outputs(ctx, last, inputs) : outs;
    } catch (e) {
      const pod = e instanceof PodNotReady ? (e.pod ?? last) : last;
      throw new ResourceInitError(
        `pod ${id} was created but ${reason(e)}. It is kept in the stack: run \`pulumi up\` to wait for it again, or \`pulumi destroy\` to terminate it`,
        id,
        pod ? this.outputs(ctx, pod, inputs) : outs,
      );
    }
  }

  /** PATCH the changed fields, unlocking around changes a locked pod refuses (anything but a rename). */
  protected override async updateObject(ctx: OperationContext, id: string, body: Props, inputs: Props, _changed: string[], prior: Props): Promise<Props> {
    const { locked, ...rest } = body;
    let last: Props | undefined;
    if (locked === false) last = await this.patch(ctx, id, { locked: false }, inputs);
    if (Object.keys(rest).length > 0) {
      const resets = Object.keys(rest).some((k) => k !== "name");
      const lockedNow = locked === false ? false : prior.locked === true;
      const relock = inputs.locked === true && locked !== true;
      last = (await this.unlocked(ctx, id, inputs, resets && lockedNow, relock, () => this.patch(ctx, id, rest, inputs))) ?? last;
    }
    if (locked === true) last = await this.patch(ctx, id, { locked: true }, inputs);
    return last ?? (await this.fetch(ctx, id)) ?? {};
  }

  /**
   * Brings the pod to `desiredStatus`: stop, or start and wait for readiness (also after a v1
   * update, which resets the pod). A start that fails is a ResourceInitError carrying the pod's
   * state, so the recorded `desiredStatus` shows it is not running and the next `up` tries again.
   */
  protected override async afterUpdate(ctx: OperationContext, id: string, _outs: Props, inputs: Props, prior: Props): Promise<Props> {
    let last: Props | undefined;
    try {
      last = await this.fetch(ctx, id);
      if (!last) throw new Error(`pod ${id} no longer exists (terminated outside Pulumi); run \`pulumi refresh\`, then \`pulumi up\` creates it again`);
      const desired = inputs.desiredStatus ?? "RUNNING";
      if (desired === "EXITED" && isUp(ctx.wire, last)) {
        last = await this.stop(ctx, id, inputs, last.locked === true);
      } else if (desired === "RUNNING") {
        if (!isUp(ctx.wire, last)) {
          try {
            last = (await this.action(ctx, id, "start")) ?? last;
          } catch (e) {
            if (capacityLike(e)) throw capacityError(e as RunpodApiError, inputs, `cannot start pod ${id}`);
            throw e;
          }
        }
        if (inputs.waitForReady !== false) last = await this.waitReady(ctx, id, inputs);
      }
      last = (await this.fetch(ctx, id)) ?? last;
      return this.outputs(ctx, last, inputs);
    } catch (e) {
      if (!last) throw e;
      const pod = e instanceof PodNotReady ? (e.pod ?? last) : ((await this.fetch(ctx, id).catch(() => undefined)) ?? last);
      throw new ResourceInitError(`pod ${id} ${reason(e)}`, id, this.outputs(ctx, pod, { ...prior, ...inputs }));
    }
  }

  protected override outputs(ctx: OperationContext, apiObject: Props, prior: Props): Props {
    const outs = outputsFrom(this.spec, ctx.wire, apiObject, prior);
    if (apiObject?.id === undefined) return outs;
    readContainerDrift(ctx.wire, apiObject, prior, outs);
    return outs;
  }

  override async read(id: string, props: Props) {
    const result = await super.read(id, props);
    // A GPU pod's vCPU count is an output only: as an input it would fail the check.
    if (result.inputs && result.inputs.computeType !== "CPU") delete result.inputs.vcpuCount;
    return result;
  }

  /**
   * Terminate. A locked pod is unlocked first: `locked` guards against stops and resets from
   * outside the stack, while deleting a resource is the stack's own decision (use `protect` to
   * guard against that).
   */
  protected override async deleteObject(ctx: OperationContext, id: string, props: Props): Promise<void> {
    const terminate = () => ctx.http.rest({ method: "DELETE", path: this.podPath(id) });
    if (props.locked === true) {
      await this.unlocked(ctx, id, props, true, false, terminate);
      return;
    }
    try {
      await terminate();
    } catch (e) {
      // Locked outside Pulumi: Runpod refuses (v2 409).
      if (!(e instanceof RunpodApiError) || (e.status !== 409 && e.status !== 400)) throw e;
      const pod = await this.fetch(ctx, id);
      if (!pod) return;
      if (pod.locked !== true) throw e;
      await this.unlocked(ctx, id, props, true, false, terminate);
    }
  }

  // -- status transitions --

  /** Stops the pod (unlocking around it when locked) and waits until it no longer runs. */
  private async stop(ctx: OperationContext, id: string, inputs: Props, lockedNow: boolean): Promise<Props> {
    const result = await this.unlocked(ctx, id, inputs, lockedNow, inputs.locked === true, () => this.action(ctx, id, "stop"));
    return this.waitFor(ctx, id, inputs, "the pod to stop", (pod) => (isUp(ctx.wire, pod) ? { state: "waiting", waitingFor: "EXITED" } : { state: "ready" }), result);
  }

  /** Polls until the pod is ready (running, reachable), failed, or the timeout passes. */
  private waitReady(ctx: OperationContext, id: string, inputs: Props): Promise<Props> {
    return this.waitFor(ctx, id, inputs, "the pod to be ready", (pod) => readiness(ctx.wire, pod, inputs));
  }

  private async waitFor(ctx: OperationContext, id: string, inputs: Props, what: string, verdict: (pod: Props) => Readiness, first?: Props): Promise<Props> {
    const timeoutSeconds = inputs.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS;
    const deadline = Date.now() + timeoutSeconds * 1000;
    let pod = first;
    for (let n = 0; ; n++) {
      if (n > 0 || !pod) {
        pod = await this.fetch(ctx, id);
        if (!pod) throw new PodNotReady("it was terminated (it no longer exists)", undefined);
      }
      const v = verdict(pod);
      if (v.state === "ready") return pod;
      if (v.state === "failed") throw new PodNotReady(`did not become ready: ${v.reason}`, pod);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new PodNotReady(
          `was still waiting for ${v.waitingFor} after ${timeoutSeconds} s (status ${statusOf(ctx.wire, pod) ?? "unknown"}) while waiting for ${what}; ` +
            "raise readyTimeoutSeconds, or set waitForReady: false",
          pod,
        );
      }
      await sleep(Math.min(ctx.settings.pollIntervalMs, left));
    }
  }
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const handler = new PodHandler(spec, {
  v2: { collection: "/pods", listKey: "pods", updatable: true },
  v1: { collection: "/pods", updatable: true },
});

// ---- the resource class ----------------------------------------------------------------------

/**
 * A Runpod pod: a GPU (or CPU) container on a rented machine, billed per hour while it runs.
 *
 * `pulumi up` creates it and, unless `waitForReady: false`, waits until it runs with its public
 * IP and TCP port mappings known. If it does not get there (timeout, failed start), the pod stays
 * in the stack's state so nothing you pay for goes untracked: the next `up` waits again and
 * `destroy` terminates it. `desiredStatus` stops and starts the same pod; fields Runpod cannot
 * change in place replace it (see {@link PodArgs}). `destroy` terminates the pod (a locked pod is
 * unlocked first); a pod already gone counts as deleted.
 *
 * A replacement creates the new pod before terminating the old one (pod names need not be unique),
 * which needs the GPUs of both for a moment; where GPUs are scarce, set the `deleteBeforeReplace`
 * resource option to free the old pod's GPUs first.
 *
 * Reads itself by id for refresh (import awaits Pulumi support for dynamic providers: see the README).
 */
export class Pod extends RunpodResource {
  /** Pod name. */
  declare readonly name: pulumi.Output<string>;
  /** Image as given (or the template's). */
  declare readonly imageName: pulumi.Output<string | undefined>;
  /** The image the pod runs, as Runpod reports it. */
  declare readonly image: pulumi.Output<string | undefined>;
  declare readonly templateId: pulumi.Output<string | undefined>;
  declare readonly computeType: pulumi.Output<"GPU" | "CPU">;
  declare readonly gpuTypeIds: pulumi.Output<string[] | undefined>;
  declare readonly gpuTypePriority: pulumi.Output<string | undefined>;
  /** GPUs attached (0 when the pod came back with zero GPUs after a stop). */
  declare readonly gpuCount: pulumi.Output<number | undefined>;
  declare readonly cpuFlavorIds: pulumi.Output<string[] | undefined>;
  declare readonly cpuFlavorPriority: pulumi.Output<string | undefined>;
  /** vCPUs of the pod (CPU pods; on REST v1 also GPU pods). */
  declare readonly vcpuCount: pulumi.Output<number | undefined>;
  declare readonly cloudType: pulumi.Output<string | undefined>;
  declare readonly interruptible: pulumi.Output<boolean | undefined>;
  declare readonly dataCenterIds: pulumi.Output<string[] | undefined>;
  declare readonly dataCenterPriority: pulumi.Output<string | undefined>;
  declare readonly countryCodes: pulumi.Output<string[] | undefined>;
  declare readonly allowedCudaVersions: pulumi.Output<string[] | undefined>;
  declare readonly minCudaVersion: pulumi.Output<string | undefined>;
  declare readonly containerDiskInGb: pulumi.Output<number | undefined>;
  declare readonly volumeInGb: pulumi.Output<number | undefined>;
  declare readonly volumeMountPath: pulumi.Output<string | undefined>;
  declare readonly networkVolumeId: pulumi.Output<string | undefined>;
  declare readonly containerRegistryAuthId: pulumi.Output<string | undefined>;
  declare readonly env: pulumi.Output<Record<string, string> | undefined>;
  declare readonly ports: pulumi.Output<string[] | undefined>;
  declare readonly dockerEntrypoint: pulumi.Output<string[] | undefined>;
  declare readonly dockerStartCmd: pulumi.Output<string[] | undefined>;
  declare readonly globalNetworking: pulumi.Output<boolean | undefined>;
  declare readonly supportPublicIp: pulumi.Output<boolean | undefined>;
  declare readonly locked: pulumi.Output<boolean | undefined>;
  declare readonly minRAMPerGPU: pulumi.Output<number | undefined>;
  declare readonly minVCPUPerGPU: pulumi.Output<number | undefined>;
  declare readonly minDiskBandwidthMBps: pulumi.Output<number | undefined>;
  declare readonly minDownloadMbps: pulumi.Output<number | undefined>;
  declare readonly minUploadMbps: pulumi.Output<number | undefined>;
  declare readonly startSsh: pulumi.Output<boolean | undefined>;
  declare readonly startJupyter: pulumi.Output<boolean | undefined>;
  /** `RUNNING` or `EXITED`, from the pod's actual state after a refresh. */
  declare readonly desiredStatus: pulumi.Output<"RUNNING" | "EXITED">;
  declare readonly waitForReady: pulumi.Output<boolean | undefined>;
  declare readonly readyTimeoutSeconds: pulumi.Output<number | undefined>;

  /** `PROVISIONING`, `STARTING`, `RUNNING`, `EXITED` or `ERROR` (REST v1's status mapped onto v2's). */
  declare readonly status: pulumi.Output<PodStatus>;
  /** USD per hour (REST v2: the current cost, 0 while stopped). */
  declare readonly costPerHr: pulumi.Output<number | undefined>;
  /** USD per hour after discounts such as savings plans (REST v2 reports one cost: same as costPerHr). */
  declare readonly adjustedCostPerHr: pulumi.Output<number | undefined>;
  /** Public IP once running (TCP ports are reachable on it through `portMappings`). */
  declare readonly publicIp: pulumi.Output<string | undefined>;
  /** Private port → public port, e.g. `{"22": 10341}`; changes whenever the pod resets. */
  declare readonly portMappings: pulumi.Output<Record<string, number>>;
  /** A ready-to-run `ssh` command when SSH is reachable. */
  declare readonly sshCommand: pulumi.Output<string | undefined>;
  /** The GPU type the pod actually got. */
  declare readonly gpuTypeId: pulumi.Output<string | undefined>;
  /** Human-readable GPU name, e.g. `RTX 4090`. */
  declare readonly gpuDisplayName: pulumi.Output<string | undefined>;
  /** The CPU flavor a CPU pod actually got. */
  declare readonly cpuFlavorId: pulumi.Output<string | undefined>;
  /** Memory in GB (REST v1: every pod; REST v2: CPU pods). */
  declare readonly memoryInGb: pulumi.Output<number | undefined>;
  /** Data centre the pod was placed in. */
  declare readonly dataCenterId: pulumi.Output<string | undefined>;
  /** REST v2: the host's CUDA version. */
  declare readonly cudaVersion: pulumi.Output<string | undefined>;
  /** REST v1: the machine the pod is tied to. */
  declare readonly machineId: pulumi.Output<string | undefined>;
  /** When the pod last started. */
  declare readonly lastStartedAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: PodArgs, opts?: pulumi.CustomResourceOptions) {
    super(spec, name, args, opts);
  }
}
