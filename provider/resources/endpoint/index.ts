import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isNotFound, RunpodApiError } from "../../client/errors";
import { RunpodResource } from "../../resource";
import { OperationContext } from "../../runtime/context";
import { RestHandler } from "../../runtime/rest";
import { dataCenterId, envMap, nonEmptyString, port, resourceName, runpodId, wholeNumber } from "../../schema/common";
import { outputsFrom } from "../../schema/derive";
import { commandWords, readContainerDrift, writeV2Args } from "../../schema/container";
import { CUDA_VERSIONS, ENDPOINT_CPU_FLAVOR_IDS, GPU_TYPE_IDS, SERVERLESS_GPU_POOL_IDS } from "../../schema/enums";
import { CheckFailure, FieldTable, ResourceSpec, Wire, containsUnknown, loose, computedByWire } from "../../schema/fields";

// Legacy, untyped view of this resource until it is split into typed role files.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Props = Record<string, any>;
type LegacyApis = { v2: Props; v1: Props };
type LegacyTable = FieldTable<Props, LegacyApis>;
type LegacySpec = ResourceSpec<Props, LegacyApis, Props>;

/** Request routing of a REST v2 endpoint. */
export type EndpointType = "QUEUE" | "LOAD_BALANCER";
/** What the autoscaler watches. */
export type EndpointScalerType = "QUEUE_DELAY" | "REQUEST_COUNT";
/** FlashBoot cold-start acceleration (REST v2 names; `true`/`false` are accepted as FLASHBOOT/OFF). */
export type EndpointFlashbootMode = "OFF" | "FLASHBOOT" | "PRIORITY_FLASHBOOT";

/**
 * Inputs of an {@link Endpoint} (a Runpod serverless endpoint).
 *
 * One flat model serves both wires (`runpod:apiVersion` `v2`, the default, or `v1`). A field the
 * active wire cannot express fails `pulumi preview` naming the field and the wire:
 *
 * | Flat input | REST v2 (`/v2/serverless`) | REST v1 (`/v1/endpoints`) |
 * |---|---|---|
 * | type | `type` (replaces) | — |
 * | templateId | `templateId` | `templateId` (required) |
 * | imageName, dockerEntrypoint + dockerStartCmd, env, ports, containerDiskInGb, containerRegistryAuthId | `image`, `args` (one string), `env`, `ports`, `disk`, `registry` | — (come from the template) |
 * | computeType | GPU: a `gpu` block, CPU: a `cpu` list (replaces) | `computeType` (replaces) |
 * | gpuPoolIds, excludedGpuTypeIds | `gpu.pools`, `gpu.excludedTypes` | — (use gpuTypeIds) |
 * | gpuTypeIds | — (use gpuPoolIds + excludedGpuTypeIds) | `gpuTypeIds` |
 * | gpuCount, allowedCudaVersions, minCudaVersion | `gpu.count`, `gpu.allowedCudaVersions`, `gpu.minCudaVersion` | same names |
 * | cpuFlavorIds + vcpuCount | `cpu: [{id, vcpuCount}]`, one entry per flavor | `cpuFlavorIds`, `vcpuCount` |
 * | workersMin, workersMax, idleTimeout | `workers {min, max, idleTimeout}` | same names |
 * | scalerType + scalerValue | `scaling {type: QUEUE_DELAY, queueDelay}` / `{type: REQUEST_COUNT, requestCount}` | same names |
 * | executionTimeoutMs | `timeout` | `executionTimeoutMs` |
 * | flashboot | `flashboot` mode | `flashboot` boolean (no PRIORITY_FLASHBOOT) |
 * | dataCenterIds | `dataCenterIds` | `dataCenterIds` |
 * | networkVolumeIds | `networkVolumes` | `networkVolumeIds` |
 *
 * Everything except `type` and `computeType` changes in place; on Runpod an update rolls out a
 * new release of the endpoint (see the `version` and `releaseId` outputs). Omitted optional
 * inputs take Runpod's defaults and never show up as a diff.
 */
export interface EndpointArgs {
  /** Endpoint name (need not be unique). Defaults to the logical name plus a random suffix. In place. */
  name?: pulumi.Input<string>;
  /**
   * REST v2 only: request routing, `QUEUE` (jobs through the managed queue, `/run`, `/runsync`)
   * or `LOAD_BALANCER` (HTTP straight to workers). Defaults to `QUEUE`. Changing it replaces the
   * endpoint. A LOAD_BALANCER endpoint scales on `REQUEST_COUNT`.
   */
  type?: pulumi.Input<EndpointType>;
  /**
   * Serverless template the workers run. Required on REST v1. On REST v2 give it or `imageName`;
   * inline container fields override the template's (env is merged per key). In place.
   */
  templateId?: pulumi.Input<string>;
  /** REST v2 only: container image, e.g. `myorg/worker:1.2` (required on v2 without `templateId`). */
  imageName?: pulumi.Input<string>;
  /**
   * REST v2 only: entrypoint override words. v2 has one `args` string: `dockerEntrypoint` then
   * `dockerStartCmd`, each word shell-quoted, exactly as the Template resource does.
   */
  dockerEntrypoint?: pulumi.Input<pulumi.Input<string>[]>;
  /** REST v2 only: start command words (see `dockerEntrypoint`); an `args` changed outside Pulumi reads back here. */
  dockerStartCmd?: pulumi.Input<pulumi.Input<string>[]>;
  /** REST v2 only: worker environment variables. On v1 the template's env applies. */
  env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** REST v2 only: exposed ports, e.g. `["8000/http"]`. */
  ports?: pulumi.Input<pulumi.Input<string>[]>;
  /** REST v2 only: container disk in GB (≥ 1). */
  containerDiskInGb?: pulumi.Input<number>;
  /** REST v2 only: id of a ContainerRegistryAuth for a private image. */
  containerRegistryAuthId?: pulumi.Input<string>;
  /**
   * `GPU` (default) or `CPU` workers. GPU fields are rejected on a CPU endpoint and CPU fields on
   * a GPU endpoint. Changing it replaces the endpoint (Runpod cannot switch the compute family).
   */
  computeType?: pulumi.Input<"GPU" | "CPU">;
  /** REST v1 only: GPU type ids in rental-preference order, e.g. `["NVIDIA GeForce RTX 4090"]`. */
  gpuTypeIds?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * REST v2 only: serverless GPU pools workers may use (`AMPERE_16`, `AMPERE_24`, `ADA_24`,
   * `AMPERE_48`, `ADA_48_PRO`, `AMPERE_80`, `ADA_80_PRO`, `HOPPER_141`). Required for a GPU
   * endpoint on v2.
   */
  gpuPoolIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** REST v2 only: GPU type ids to subtract from `gpuPoolIds` (each must belong to one of them). */
  excludedGpuTypeIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** GPUs per worker (≥ 1; Runpod's default 1). */
  gpuCount?: pulumi.Input<number>;
  /** Acceptable CUDA versions (`"12.4"`…). On v2 a non-empty list excludes `minCudaVersion`. */
  allowedCudaVersions?: pulumi.Input<pulumi.Input<string>[]>;
  /** Lowest acceptable CUDA version, e.g. `"12.1"`. */
  minCudaVersion?: pulumi.Input<string>;
  /** CPU flavors (`cpu3c`, `cpu3g`, `cpu5c`, `cpu5g`) for a `computeType: "CPU"` endpoint. Required for CPU on v2. */
  cpuFlavorIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** vCPUs per CPU worker (Runpod's default 2; on v2 a power of two ≥ 2, applied to every flavor). */
  vcpuCount?: pulumi.Input<number>;
  /** Always-on (billed) workers, ≥ 0 and ≤ `workersMax`. Destroy scales them to zero first. */
  workersMin?: pulumi.Input<number>;
  /** Maximum concurrent workers, ≥ 0. */
  workersMax?: pulumi.Input<number>;
  /**
   * Seconds an idle worker stays up, 1–3600. On REST v2 not allowed on a QUEUE endpoint that
   * scales on `REQUEST_COUNT` (Runpod rejects it there).
   */
  idleTimeout?: pulumi.Input<number>;
  /**
   * What the autoscaler watches, with `scalerValue`:
   * - `QUEUE_DELAY`: add a worker when a request waited `scalerValue` seconds in the queue
   *   (v1: whole seconds ≥ 1; v2: ≥ 0.5). QUEUE endpoints only.
   * - `REQUEST_COUNT`: workers = ceil(requests ÷ `scalerValue`) (whole number ≥ 1).
   *
   * On REST v2 the pair becomes the `scaling` union. Defaults: `QUEUE_DELAY` (LOAD_BALANCER
   * endpoints: `REQUEST_COUNT`) with value 4, as Runpod's v1 defaults. In place.
   */
  scalerType?: pulumi.Input<EndpointScalerType>;
  /** The scaler's threshold, see `scalerType`. */
  scalerValue?: pulumi.Input<number>;
  /** Per-request execution timeout in ms (1 ms – 24 h). v2 `timeout`. */
  executionTimeoutMs?: pulumi.Input<number>;
  /**
   * FlashBoot: `true`/`false` on both wires, or a REST v2 mode `OFF` | `FLASHBOOT` |
   * `PRIORITY_FLASHBOOT` (v2 only). State records the mode (`true` → `FLASHBOOT`).
   */
  flashboot?: pulumi.Input<boolean | EndpointFlashbootMode>;
  /** Data centres workers may run in (default: Runpod chooses). */
  dataCenterIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Network volumes mounted at `/runpod-volume` in the workers (one per data centre). */
  networkVolumeIds?: pulumi.Input<pulumi.Input<string>[]>;
}

const enumOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { errorMap: () => ({ message: `must be ${what}: ${values.join(", ")}` }) });

const gpuTypeId = enumOf(GPU_TYPE_IDS, "a Runpod GPU type id");
const cudaVersion = enumOf(CUDA_VERSIONS, "a CUDA version");
const unique = <T extends z.ZodTypeAny>(item: T) =>
  z.array(item).refine((xs) => new Set(xs).size === xs.length, "must not repeat an entry");
const nonEmptyList = <T extends z.ZodTypeAny>(item: T) => unique(item).refine((xs) => xs.length > 0, "must list at least one entry");
const isPowerOfTwo = (n: number) => n >= 2 && (n & (n - 1)) === 0;

const FLASHBOOT_MODES = ["OFF", "FLASHBOOT", "PRIORITY_FLASHBOOT"] as const;
const GPU_FIELDS = ["gpuTypeIds", "gpuPoolIds", "excludedGpuTypeIds", "gpuCount", "allowedCudaVersions", "minCudaVersion"] as const;
const CPU_FIELDS = ["cpuFlavorIds", "vcpuCount"] as const;
const DEFAULT_SCALER_VALUE = 4;
const DEFAULT_V2_VCPU = 2;

const known = (v: unknown) => v !== undefined && v !== null && !containsUnknown(v);
const routingOf = (p: Props): EndpointType => (p.type === "LOAD_BALANCER" ? "LOAD_BALANCER" : "QUEUE");
const scalerOf = (p: Props): EndpointScalerType =>
  p.scalerType === "QUEUE_DELAY" || p.scalerType === "REQUEST_COUNT" ? p.scalerType : routingOf(p) === "LOAD_BALANCER" ? "REQUEST_COUNT" : "QUEUE_DELAY";
/** v2 omits `idleTimeout` for (and rejects it on) queue endpoints scaling on request count. */
const idleTimeoutApplies = (p: Props) => !(routingOf(p) === "QUEUE" && scalerOf(p) === "REQUEST_COUNT");

// ---- REST v2 body writers: flat fields that share one nested object rebuild all of it ----------


function v2Scaling(body: Props, _value: unknown, inputs: Props): void {
  const type = scalerOf(inputs);
  const value = inputs.scalerValue ?? DEFAULT_SCALER_VALUE;
  body.scaling = type === "QUEUE_DELAY" ? { type, queueDelay: value } : { type, requestCount: value };
}

function v2Workers(body: Props, _value: unknown, inputs: Props): void {
  const workers: Props = {};
  if (inputs.workersMin !== undefined) workers.min = inputs.workersMin;
  if (inputs.workersMax !== undefined) workers.max = inputs.workersMax;
  if (inputs.idleTimeout !== undefined && idleTimeoutApplies(inputs)) workers.idleTimeout = inputs.idleTimeout;
  if (Object.keys(workers).length > 0) body.workers = workers;
}

/** `pools` and `excludedTypes` are one selection: sending pools without exclusions clears them. */
function v2GpuSelection(body: Props, _value: unknown, inputs: Props): void {
  if (inputs.gpuPoolIds === undefined) return;
  body.gpu = { ...body.gpu, pools: inputs.gpuPoolIds, excludedTypes: inputs.excludedGpuTypeIds ?? [] };
}

function v2GpuField(key: string) {
  return (body: Props, value: unknown) => {
    body.gpu = { ...body.gpu, [key]: value };
  };
}

function v2Cpu(body: Props, _value: unknown, inputs: Props): void {
  if (!Array.isArray(inputs.cpuFlavorIds)) return;
  const vcpuCount = inputs.vcpuCount ?? DEFAULT_V2_VCPU;
  body.cpu = inputs.cpuFlavorIds.map((id: string) => ({ id, vcpuCount }));
}

// ---- REST v1 readers: what v1 reports in another shape ---------------------------------------

/** v1 documents `dataCenterIds` as an array but shows a comma string in its example. */
function listFrom(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string") return value.split(",").map((s) => s.trim()).filter(Boolean);
  return undefined;
}

/** v1 reports CPU workers only as `instanceIds` such as `cpu3c-8-16` (flavor-vCPUs-memory). */
function v1Instances(api: Props): Array<{ flavor: string; vcpu: number }> | undefined {
  const ids = listFrom(api.instanceIds);
  if (!ids || ids.length === 0) return undefined;
  return ids.map((id) => {
    const [flavor, vcpu] = id.split("-");
    return { flavor, vcpu: Number(vcpu) };
  });
}

const fields: LegacyTable = {
  name: {
    description: "endpoint name",
    schema: resourceName,
    wires: { v2: { path: "name", change: "update" }, v1: { path: "name", change: "update" } },
  },
  type: {
    description: "request routing (QUEUE or LOAD_BALANCER)",
    schema: enumOf(["QUEUE", "LOAD_BALANCER"] as const, "an endpoint type"),
    default: "QUEUE", // v2 requires it on create; omitted means QUEUE, so dropping it later diffs
    wires: { v2: { path: "type", change: "replace" } },
    unsupportedHint: { v1: "REST v1 endpoints are always queue endpoints; remove it or switch runpod:apiVersion to v2" },
  },
  templateId: {
    description: "serverless template id",
    schema: runpodId,
    // v2 resolves the template into container fields at create time and never reports it back.
    wires: { v2: { path: "templateId", change: "update", writeOnly: true }, v1: { path: "templateId", change: "update" } },
  },
  imageName: {
    description: "container image",
    schema: nonEmptyString,
    wires: { v2: { path: "image", change: "update" } },
    unsupportedHint: { v1: "on REST v1 the image comes from the template (templateId); remove it or switch runpod:apiVersion to v2" },
  },
  dockerEntrypoint: {
    description: "entrypoint override",
    schema: commandWords,
    // Joined into v2's `args` with dockerStartCmd; read back by the handler's outputs().
    wires: { v2: { change: "update", write: writeV2Args, writeOnly: true as const } },
    unsupportedHint: { v1: "on REST v1 the entrypoint comes from the template (templateId); remove it or switch runpod:apiVersion to v2" },
  },
  dockerStartCmd: {
    description: "start command override",
    schema: commandWords,
    wires: { v2: { change: "update", write: writeV2Args, writeOnly: true as const } },
    unsupportedHint: { v1: "on REST v1 the start command comes from the template (templateId); remove it or switch runpod:apiVersion to v2" },
  },
  env: {
    description: "worker environment variables",
    schema: envMap,
    wires: { v2: { path: "env", change: "update" } },
    unsupportedHint: { v1: "on REST v1 the env comes from the template (templateId); remove it or switch runpod:apiVersion to v2" },
  },
  ports: {
    description: "exposed ports",
    schema: unique(port),
    wires: { v2: { path: "ports", change: "update" } },
    unsupportedHint: { v1: "on REST v1 ports come from the template (templateId); remove it or switch runpod:apiVersion to v2" },
  },
  containerDiskInGb: {
    description: "container disk in GB",
    schema: wholeNumber.min(1, "must be at least 1 GB"),
    wires: { v2: { path: "disk", change: "update" } },
    unsupportedHint: { v1: "on REST v1 the disk size comes from the template (templateId); remove it or switch runpod:apiVersion to v2" },
  },
  containerRegistryAuthId: {
    description: "container registry credential id",
    schema: runpodId,
    wires: { v2: { path: "registry", change: "update" } },
    unsupportedHint: { v1: "on REST v1 registry credentials come from the template (templateId); remove it or switch runpod:apiVersion to v2" },
  },
  computeType: {
    description: "GPU or CPU workers",
    schema: enumOf(["GPU", "CPU"] as const, "a compute type"),
    // Always in the checked inputs, so a program that moves from CPU flavors to GPU pools without
    // saying computeType still diffs on the compute family (a replacement).
    default: "GPU",
    wires: {
      // v2 has no field: the family is the presence of a `cpu` list (else GPU), fixed at create.
      v2: { change: "replace", read: (api) => (Array.isArray(api.cpu) && api.cpu.length > 0 ? "CPU" : "GPU") },
      v1: { path: "computeType", change: "replace" },
    },
  },
  gpuTypeIds: {
    description: "GPU type ids",
    schema: nonEmptyList(gpuTypeId),
    wires: { v1: { path: "gpuTypeIds", change: "update" } },
    unsupportedHint: { v2: "REST v2 selects serverless GPU pools: use gpuPoolIds (e.g. AMPERE_24) and excludedGpuTypeIds, or switch runpod:apiVersion to v1" },
  },
  gpuPoolIds: {
    description: "serverless GPU pool ids",
    schema: nonEmptyList(enumOf(SERVERLESS_GPU_POOL_IDS, "a serverless GPU pool id")),
    wires: { v2: { change: "update", write: v2GpuSelection, read: (api) => api.gpu?.pools } },
    unsupportedHint: { v1: "REST v1 selects GPU types: use gpuTypeIds, or switch runpod:apiVersion to v2" },
  },
  excludedGpuTypeIds: {
    description: "GPU type ids excluded from the pools",
    schema: unique(gpuTypeId),
    wires: { v2: { change: "update", write: v2GpuSelection, read: (api) => api.gpu?.excludedTypes } },
    unsupportedHint: { v1: "REST v1 selects GPU types: list the ones you want in gpuTypeIds, or switch runpod:apiVersion to v2" },
  },
  gpuCount: {
    description: "GPUs per worker",
    schema: wholeNumber.min(1, "must be at least 1"),
    wires: {
      v2: { change: "update", write: v2GpuField("count"), read: (api) => api.gpu?.count },
      v1: { path: "gpuCount", change: "update" },
    },
  },
  allowedCudaVersions: {
    description: "acceptable CUDA versions",
    schema: unique(cudaVersion),
    wires: {
      v2: { change: "update", write: v2GpuField("allowedCudaVersions"), read: (api) => api.gpu?.allowedCudaVersions },
      // v1 cannot clear a CUDA floor (no empty value), so trading the floor for a list replaces.
      v1: { path: "allowedCudaVersions", change: "update", replaceIf: { when: (_old, next, olds) => Array.isArray(next) && next.length > 0 && !!olds.minCudaVersion, reason: "REST v1 cannot clear an endpoint's CUDA floor (minCudaVersion) to go back to a list" } },
    },
  },
  minCudaVersion: {
    description: "minimum CUDA version",
    schema: cudaVersion,
    wires: {
      v2: { change: "update", write: v2GpuField("minCudaVersion"), read: (api) => api.gpu?.minCudaVersion },
      v1: { path: "minCudaVersion", change: "update" },
    },
  },
  cpuFlavorIds: {
    description: "CPU flavors",
    schema: nonEmptyList(enumOf(ENDPOINT_CPU_FLAVOR_IDS, "a serverless CPU flavor")),
    wires: {
      v2: { change: "update", write: v2Cpu, read: (api) => (Array.isArray(api.cpu) ? [...new Set(api.cpu.map((c: Props) => c.id))] : undefined) },
      v1: { path: "cpuFlavorIds", change: "update", read: (api) => v1Instances(api)?.map((i) => i.flavor).filter((f, i, all) => all.indexOf(f) === i) },
    },
  },
  vcpuCount: {
    description: "vCPUs per worker",
    schema: wholeNumber.min(1, "must be at least 1"),
    wires: {
      v2: {
        change: "update",
        write: v2Cpu,
        read: (api) => (Array.isArray(api.cpu) ? api.cpu[0]?.vcpuCount : undefined),
        schema: z.number().refine(isPowerOfTwo, "must be a power of two, at least 2"),
      },
      v1: { path: "vcpuCount", change: "update", read: (api) => v1Instances(api)?.[0]?.vcpu },
    },
  },
  workersMin: {
    description: "minimum (always-on) workers",
    schema: wholeNumber.min(0, "must be at least 0"),
    wires: { v2: { change: "update", write: v2Workers, read: (api) => api.workers?.min }, v1: { path: "workersMin", change: "update" } },
  },
  workersMax: {
    description: "maximum workers",
    schema: wholeNumber.min(0, "must be at least 0"),
    wires: { v2: { change: "update", write: v2Workers, read: (api) => api.workers?.max }, v1: { path: "workersMax", change: "update" } },
  },
  idleTimeout: {
    description: "idle worker timeout in seconds",
    schema: wholeNumber.min(1, "must be at least 1 second").max(3600, "must be at most 3600 seconds"),
    wires: { v2: { change: "update", write: v2Workers, read: (api) => api.workers?.idleTimeout }, v1: { path: "idleTimeout", change: "update" } },
  },
  scalerType: {
    description: "autoscaler signal",
    schema: enumOf(["QUEUE_DELAY", "REQUEST_COUNT"] as const, "a scaler type"),
    wires: { v2: { change: "update", write: v2Scaling, read: (api) => api.scaling?.type }, v1: { path: "scalerType", change: "update" } },
  },
  scalerValue: {
    description: "autoscaler threshold",
    schema: z.number({ invalid_type_error: "must be a number" }).positive("must be greater than 0"),
    wires: {
      v2: { change: "update", write: v2Scaling, read: (api) => api.scaling?.queueDelay ?? api.scaling?.requestCount },
      v1: { path: "scalerValue", change: "update", schema: wholeNumber.min(1, "must be a whole number of at least 1") },
    },
  },
  executionTimeoutMs: {
    description: "execution timeout in milliseconds",
    schema: wholeNumber.min(1, "must be at least 1 ms").max(24 * 3600 * 1000, "must be at most 24 hours (86400000 ms)"),
    wires: { v2: { path: "timeout", change: "update" }, v1: { path: "executionTimeoutMs", change: "update" } },
  },
  flashboot: {
    description: "FlashBoot mode",
    schema: z
      .union([z.boolean(), z.enum(FLASHBOOT_MODES)], { errorMap: () => ({ message: `must be true, false or one of ${FLASHBOOT_MODES.join(", ")}` }) })
      .transform((v) => (typeof v === "boolean" ? (v ? "FLASHBOOT" : "OFF") : v)),
    wires: {
      v2: { path: "flashboot", change: "update" },
      v1: {
        path: "flashboot",
        change: "update",
        toApi: (v) => v !== "OFF",
        writeOnly: true, // v1 never reports it
        schema: z.enum(["OFF", "FLASHBOOT"], { errorMap: () => ({ message: "REST v1 can only turn FlashBoot on or off (PRIORITY_FLASHBOOT needs runpod:apiVersion v2)" }) }),
      },
    },
  },
  dataCenterIds: {
    description: "data centres",
    schema: unique(dataCenterId),
    wires: { v2: { path: "dataCenterIds", change: "update" }, v1: { path: "dataCenterIds", change: "update", read: (api) => listFrom(api.dataCenterIds) } },
  },
  networkVolumeIds: {
    description: "network volume ids",
    schema: unique(runpodId),
    wires: { v2: { path: "networkVolumes", change: "update" }, v1: { path: "networkVolumeIds", change: "update" } },
  },
};

/** Cross-field rules; `olds` (the previous inputs) fill in what this program leaves to the endpoint. */
function rules(inputs: Props, { wire, olds }: { wire: Wire; olds: Props }): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason: `${property}: ${reason}` });
  // What the program leaves out keeps the endpoint's value, unless the routing changes: that
  // replaces the endpoint, and the new one starts from Runpod's defaults.
  const effective = routingOf(olds) === routingOf(inputs) ? { ...olds, ...inputs } : inputs;
  const has = (name: string) => inputs[name] !== undefined && inputs[name] !== null;

  if (wire === "v1" && !has("templateId")) fail("templateId", "required on Runpod REST v1 (runpod:apiVersion=v1): v1 endpoints run a serverless template");
  if (wire === "v2" && !has("templateId") && !has("imageName")) fail("imageName", "required on Runpod REST v2 unless templateId is set: give the worker image or a serverless template");

  if (known(inputs.workersMin) && known(inputs.workersMax) && inputs.workersMin > inputs.workersMax) {
    fail("workersMin", `must not exceed workersMax (${inputs.workersMin} > ${inputs.workersMax})`);
  }

  const computeType = known(inputs.computeType) ? inputs.computeType : "GPU";
  if (computeType === "CPU") {
    for (const name of GPU_FIELDS) if (has(name)) fail(name, 'is a GPU setting, but computeType is "CPU"; remove it or set computeType "GPU"');
    if (wire === "v2" && !has("cpuFlavorIds")) fail("cpuFlavorIds", 'required for computeType "CPU" on Runpod REST v2 (it decides the CPU workers)');
  } else if (inputs.computeType !== undefined && !known(inputs.computeType)) {
    // unknown during preview: checked again once known
  } else {
    for (const name of CPU_FIELDS) if (has(name)) fail(name, 'is a CPU setting, but computeType is "GPU" (the default); set computeType "CPU" or remove it');
  }

  if (known(inputs.allowedCudaVersions) && inputs.allowedCudaVersions.length > 0 && has("minCudaVersion")) {
    fail("minCudaVersion", "cannot be combined with a non-empty allowedCudaVersions (Runpod rejects both): give an exact list or a floor");
  }

  if (wire === "v2") {
    if (computeType === "GPU" && !has("gpuPoolIds")) {
      fail("gpuPoolIds", 'required for a GPU endpoint on Runpod REST v2: the serverless GPU pools workers may use, e.g. ["AMPERE_24"] (or set computeType "CPU" with cpuFlavorIds)');
    }
    const routing = known(effective.type) ? routingOf(effective) : undefined;
    const scaler = known(effective.scalerType) || effective.scalerType === undefined ? scalerOf(effective) : undefined;
    if (routing === "LOAD_BALANCER" && scaler === "QUEUE_DELAY") {
      fail("scalerType", 'QUEUE_DELAY only works on QUEUE endpoints; a LOAD_BALANCER endpoint scales on "REQUEST_COUNT"');
    }
    if (routing === "QUEUE" && scaler === "REQUEST_COUNT" && has("idleTimeout")) {
      fail("idleTimeout", 'Runpod REST v2 does not allow it on a QUEUE endpoint scaling on "REQUEST_COUNT"; remove it or use scalerType "QUEUE_DELAY"');
    }
    const value = effective.scalerValue;
    if (scaler && known(value) && typeof value === "number") {
      if (scaler === "QUEUE_DELAY" && value < 0.5) fail("scalerValue", `a QUEUE_DELAY threshold must be at least 0.5 seconds (got ${value})`);
      if (scaler === "REQUEST_COUNT" && (!Number.isInteger(value) || value < 1)) fail("scalerValue", `a REQUEST_COUNT threshold must be a whole number of at least 1 (got ${value})`);
    }
  }
  return failures;
}

export const spec: LegacySpec = {
  kind: "endpoint",
  typeName: "Endpoint",
  fields,
  autoName: { maxLength: 191 },
  rules,
  computed: computedByWire<Props, LegacyApis>(["version", "releaseId", "createdAt", "requestUrls"], {
    v2: (api: Props) => ({
      version: api.__release?.version ?? undefined,
      releaseId: api.__release?.id ?? undefined,
      createdAt: api.createdAt,
      requestUrls: api.requestUrls,
    }),
    v1: (api: Props) => ({ version: api.version, createdAt: api.createdAt }),
  }),
};

/** The latest release of a v2 endpoint: `GET /v2/serverless/{id}/releases` (newest first). */
async function latestRelease(ctx: OperationContext, id: string): Promise<{ id?: string; version?: number } | undefined> {
  const result = await ctx.http.rest({ method: "GET", path: `/serverless/${encodeURIComponent(id)}/releases` });
  const newest = Array.isArray(result?.releases) ? result.releases[0] : undefined;
  const version = typeof result?.endpointVersion === "number" ? result.endpointVersion : typeof newest?.version === "number" ? newest.version : undefined;
  if (!newest && version === undefined) return undefined;
  return { id: typeof newest?.id === "string" ? newest.id : undefined, version };
}

/**
 * Serverless endpoint CRUD: the field table does the mapping; this adds v2's required defaults,
 * the release output, CUDA-constraint clearing, and scale-to-zero before delete.
 */
class EndpointHandler extends RestHandler<Props, LegacyApis> {
  /** Attaches the latest v2 release; informational, so a failure right after a write is not fatal. */
  private async withRelease(ctx: OperationContext, api: Props, tolerate: "all" | "notFound"): Promise<Props> {
    if (ctx.wire !== "v2" || !api?.id) return api;
    try {
      const release = await latestRelease(ctx, String(api.id));
      return release ? { ...api, __release: release } : api;
    } catch (e) {
      if (tolerate === "all" || isNotFound(e)) return api;
      throw e;
    }
  }

  protected override async createRequestBody(ctx: OperationContext, inputs: Props): Promise<Props> {
    const body = await super.createRequestBody(ctx, inputs);
    if (ctx.wire === "v2") {
      // v2 requires both on every create; the flat model defaults them (documented on EndpointArgs).
      body.type ??= routingOf(inputs);
      if (body.scaling === undefined) v2Scaling(body, undefined, inputs);
    }
    return body;
  }

  protected override async createObject(ctx: OperationContext, body: Props, inputs: Props): Promise<Props> {
    return this.withRelease(ctx, await super.createObject(ctx, body, inputs), "all");
  }

  protected override async fetch(ctx: OperationContext, id: string): Promise<Props | undefined> {
    const found = await super.fetch(ctx, id);
    return found ? this.withRelease(ctx, found, "notFound") : found;
  }

  protected override async updateObject(ctx: OperationContext, id: string, body: Props, inputs: Props, changed: string[], prior: Props): Promise<Props> {
    if (ctx.wire === "v1" && body.minCudaVersion && Array.isArray(inputs.allowedCudaVersions) && inputs.allowedCudaVersions.length > 0 && !changed.includes("allowedCudaVersions")) {
      body.allowedCudaVersions = []; // the list the floor replaces
      inputs.allowedCudaVersions = [];
    }
    if (ctx.wire === "v2" && body.gpu) {
      // v2 keeps a CUDA constraint the PATCH does not mention, and 400s when a non-empty list
      // meets a floor: switching from one to the other must clear the old one explicitly.
      const allowed = inputs.allowedCudaVersions;
      if (body.gpu.minCudaVersion && Array.isArray(allowed) && allowed.length > 0 && !changed.includes("allowedCudaVersions")) {
        body.gpu.allowedCudaVersions = [];
        inputs.allowedCudaVersions = [];
      }
      if (Array.isArray(body.gpu.allowedCudaVersions) && body.gpu.allowedCudaVersions.length > 0 && inputs.minCudaVersion && !changed.includes("minCudaVersion")) {
        body.gpu.minCudaVersion = "";
        delete inputs.minCudaVersion;
      }
    }
    const updated = await super.updateObject(ctx, id, body, inputs, changed, prior);
    return this.withRelease(ctx, updated, "all");
  }

  protected override outputs(ctx: OperationContext, api: Props, prior: Props): Props {
    const outs = outputsFrom(this.spec, ctx.wire, api, prior);
    // Release outputs are informational: when the releases call failed, keep what we knew.
    for (const name of Object.keys(this.spec.computed ?? {})) if (outs[name] === undefined && prior[name] !== undefined) outs[name] = prior[name];
    // v1 omits a GPU endpoint's minCudaVersion when there is none.
    if (ctx.wire === "v1" && api.computeType === "GPU" && (api.minCudaVersion === undefined || api.minCudaVersion === null)) delete outs.minCudaVersion;
    if (ctx.wire === "v2") {
      // v2 reports a cleared floor as null and omits idleTimeout where it does not apply: both
      // mean "none", not "unchanged" as the generic fallback to the prior value would assume.
      if (api.gpu && (api.gpu.minCudaVersion === null || api.gpu.minCudaVersion === "")) delete outs.minCudaVersion;
      if (api.workers && api.workers.idleTimeout === undefined && !idleTimeoutApplies(outs)) delete outs.idleTimeout;
      readContainerDrift(ctx.wire, api, prior, outs);
      // v2 merges a template's env with ours: keep to the keys this program manages so the
      // template's own variables do not show up as a perpetual diff.
      if (prior.env && api.env && typeof api.env === "object") {
        outs.env = Object.fromEntries(Object.entries(api.env).filter(([k]) => k in prior.env));
      }
    }
    return outs;
  }

  protected override async deleteObject(ctx: OperationContext, id: string, props: Props): Promise<void> {
    // Runpod refuses to delete an endpoint that still keeps workers; scale to zero first. State
    // may be stale, so a refused delete also scales down and tries once more.
    if (typeof props.workersMin === "number" && props.workersMin > 0) await this.scaleToZero(ctx, id);
    try {
      await super.deleteObject(ctx, id, props);
    } catch (e) {
      if (!(e instanceof RunpodApiError) || ![400, 409, 422].includes(e.status)) throw e;
      await this.scaleToZero(ctx, id);
      await super.deleteObject(ctx, id, props);
    }
  }

  private async scaleToZero(ctx: OperationContext, id: string): Promise<void> {
    const body = ctx.wire === "v2" ? { workers: { min: 0, max: 0 } } : { workersMin: 0, workersMax: 0 };
    await ctx.http.rest({ method: "PATCH", path: `${this.routesFor(ctx.wire).collection}/${encodeURIComponent(id)}`, body });
  }
}

export const handler = new EndpointHandler(spec, {
  v2: { collection: "/serverless", listKey: "endpoints", updatable: true },
  v1: { collection: "/endpoints", updatable: true },
});

/**
 * A Runpod serverless endpoint: autoscaled workers running a container image (inline on REST v2,
 * or from a serverless {@link Template}), on GPU pools or CPU flavors. See {@link EndpointArgs} for
 * how each input maps to REST v2 and v1. Changes roll out as a new release in place; only the
 * routing `type` and `computeType` replace the endpoint. Destroy scales always-on workers to zero
 * before deleting, as Runpod requires.
 *
 * Reads itself by id for refresh (import awaits Pulumi support for dynamic providers: see the README).
 */
export class Endpoint extends RunpodResource {
  /** Endpoint name. */
  declare readonly name: pulumi.Output<string>;
  /** Routing type (REST v2): `QUEUE` or `LOAD_BALANCER`. */
  declare readonly type: pulumi.Output<EndpointType | undefined>;
  /** Template the endpoint was created from (REST v2 does not report it back; kept as configured). */
  declare readonly templateId: pulumi.Output<string | undefined>;
  /** Container image (REST v2). */
  declare readonly imageName: pulumi.Output<string | undefined>;
  /** Entrypoint override (REST v2; see {@link EndpointArgs.dockerEntrypoint}). */
  declare readonly dockerEntrypoint: pulumi.Output<string[] | undefined>;
  /** Start command (REST v2). */
  declare readonly dockerStartCmd: pulumi.Output<string[] | undefined>;
  /** Worker environment (REST v2; only the keys this program sets when a template adds more). */
  declare readonly env: pulumi.Output<Record<string, string> | undefined>;
  /** Exposed ports (REST v2). */
  declare readonly ports: pulumi.Output<string[] | undefined>;
  /** Container disk in GB (REST v2). */
  declare readonly containerDiskInGb: pulumi.Output<number | undefined>;
  /** Registry credential id (REST v2). */
  declare readonly containerRegistryAuthId: pulumi.Output<string | undefined>;
  /** `GPU` or `CPU`. */
  declare readonly computeType: pulumi.Output<"GPU" | "CPU">;
  /** GPU type ids (REST v1). */
  declare readonly gpuTypeIds: pulumi.Output<string[] | undefined>;
  /** Serverless GPU pools (REST v2). */
  declare readonly gpuPoolIds: pulumi.Output<string[] | undefined>;
  /** GPU types excluded from the pools (REST v2). */
  declare readonly excludedGpuTypeIds: pulumi.Output<string[] | undefined>;
  /** GPUs per worker. */
  declare readonly gpuCount: pulumi.Output<number | undefined>;
  /** Acceptable CUDA versions. */
  declare readonly allowedCudaVersions: pulumi.Output<string[] | undefined>;
  /** Minimum CUDA version. */
  declare readonly minCudaVersion: pulumi.Output<string | undefined>;
  /** CPU flavors (CPU endpoints). */
  declare readonly cpuFlavorIds: pulumi.Output<string[] | undefined>;
  /** vCPUs per CPU worker. */
  declare readonly vcpuCount: pulumi.Output<number | undefined>;
  /** Always-on workers. */
  declare readonly workersMin: pulumi.Output<number>;
  /** Maximum workers. */
  declare readonly workersMax: pulumi.Output<number>;
  /** Idle timeout in seconds (absent on v2 QUEUE endpoints scaling on REQUEST_COUNT). */
  declare readonly idleTimeout: pulumi.Output<number | undefined>;
  /** Autoscaler signal. */
  declare readonly scalerType: pulumi.Output<EndpointScalerType>;
  /** Autoscaler threshold. */
  declare readonly scalerValue: pulumi.Output<number>;
  /** Execution timeout in ms. */
  declare readonly executionTimeoutMs: pulumi.Output<number | undefined>;
  /** FlashBoot mode (`OFF`, `FLASHBOOT`, `PRIORITY_FLASHBOOT`); REST v1 keeps it as configured. */
  declare readonly flashboot: pulumi.Output<EndpointFlashbootMode | undefined>;
  /** Data centres. */
  declare readonly dataCenterIds: pulumi.Output<string[] | undefined>;
  /** Mounted network volumes. */
  declare readonly networkVolumeIds: pulumi.Output<string[] | undefined>;
  /**
   * The endpoint's configuration version: it moves when an update rolls out a new release
   * (REST v1 `version`; REST v2 the releases' `endpointVersion`).
   */
  declare readonly version: pulumi.Output<number | undefined>;
  /** REST v2: id of the newest release (`GET /v2/serverless/{id}/releases`). */
  declare readonly releaseId: pulumi.Output<string | undefined>;
  /** Creation time (ISO 8601). */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** REST v2: the URLs to send requests to (queue `run`/`runsync`/… or load-balancer `base`/`health`). */
  declare readonly requestUrls: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, args: EndpointArgs, opts?: pulumi.CustomResourceOptions) {
    super(loose(spec), name, args, opts);
  }
}
