import { z } from "zod";
import type { V1, V2 } from "../../api";
import {
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
  gpuPoolIdFormat,
  imageRef,
  nonEmptyList,
  nonEmptyString,
  powerOfTwo,
  resourceName,
  runpodId,
  uniqueList,
  wholeNumber,
  workerCount,
} from "../../schema/common";
import { commandWords, writeV2Args } from "../../schema/container";
import { FieldTable, Plain, ResourceSpec } from "../../schema/fields";
import type { EndpointArgs } from "./args";
import { computed, EndpointComputed } from "./outputs";
import type { WorkerView } from "./readiness";
import { rules } from "./rules";
import { templateRevisionRule } from "../template/reapply";
import { catalog } from "./catalog";
import { listFrom, v1CpuFlavors, v1VcpuCount, v2Cpu, v2CpuFlavors, v2Gpu, v2GpuSelection, v2ScalerValue, v2Scaling, v2Workers } from "./wire";
import { ADOPT_FIELDS } from "../../schema/adopt";
import { readinessFields } from "../../schema/readiness";

/** The flat model check, diff, the writers, the rules and the lifecycle see. */
export type EndpointInputs = Plain<EndpointArgs>;

/**
 * The release a REST v2 endpoint is on. v2 reports it only through a separate call
 * (`GET /v2/serverless/{id}/releases`), never on the endpoint itself, so the lifecycle attaches
 * it to the endpoint under `__release` and the `version`/`releaseId` outputs read it from there.
 * Either part may be missing: a releases answer may carry `endpointVersion: null` and no release.
 */
export interface AttachedRelease {
  id?: string;
  version?: number;
}

/** The endpoint's API objects: v2's with the release, rollout and workers the lifecycle attaches, and v1's. */
export interface EndpointApis {
  v2: V2["Endpoint"] & { __release?: AttachedRelease; __workers?: WorkerView };
  v1: V1["Endpoint"];
}

// Which GPU types, pools, CPU flavours, data centres and CUDA versions exist is the live
// catalog's answer (./catalog.ts); the schemas hold the format only.
const gpuTypeId = catalogId;
const FLASHBOOT_MODES = ["OFF", "FLASHBOOT", "PRIORITY_FLASHBOOT"] as const;

const fields: FieldTable<EndpointInputs, EndpointApis> = {
  ...ADOPT_FIELDS,
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
  templateRevision: {
    description: "revision of the template (Template.revision)",
    schema: nonEmptyString,
    // Never sent as such: a new revision makes the update re-apply the template (template/reapply.ts).
    wires: { v2: { change: "update", writeOnly: true }, v1: { change: "update", writeOnly: true } },
  },
  imageName: {
    description: "container image",
    schema: imageRef,
    wires: { v2: { path: "image", change: "update" } },
    unsupportedHint: { v1: "on REST v1 the image comes from the template (templateId); remove it or switch runpod:apiVersion to v2" },
  },
  dockerEntrypoint: {
    description: "entrypoint override",
    schema: commandWords,
    // Joined into v2's `args` with dockerStartCmd; read back by the handler's outputs().
    wires: { v2: { change: "update", write: writeV2Args, writeOnly: true } },
    unsupportedHint: { v1: "on REST v1 the entrypoint comes from the template (templateId); remove it or switch runpod:apiVersion to v2" },
  },
  dockerStartCmd: {
    description: "start command override",
    schema: commandWords,
    wires: { v2: { change: "update", write: writeV2Args, writeOnly: true } },
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
    schema: exposedPorts,
    wires: { v2: { path: "ports", change: "update" } },
    unsupportedHint: { v1: "on REST v1 ports come from the template (templateId); remove it or switch runpod:apiVersion to v2" },
  },
  containerDiskInGb: {
    description: "container disk in GB",
    schema: containerDisk(1), // v2 spec: disk minimum 1
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
    schema: nonEmptyList(gpuPoolIdFormat),
    wires: { v2: { change: "update", write: v2GpuSelection, read: (api) => api.gpu?.pools } },
    unsupportedHint: { v1: "REST v1 selects GPU types: use gpuTypeIds, or switch runpod:apiVersion to v2" },
  },
  excludedGpuTypeIds: {
    description: "GPU type ids excluded from the pools",
    schema: uniqueList(gpuTypeId),
    wires: { v2: { change: "update", write: v2GpuSelection, read: (api) => api.gpu?.excludedTypes } },
    unsupportedHint: { v1: "REST v1 selects GPU types: list the ones you want in gpuTypeIds, or switch runpod:apiVersion to v2" },
  },
  gpuCount: {
    description: "GPUs per worker",
    schema: gpuCountFormat,
    wires: {
      v2: { change: "update", write: (body, count) => v2Gpu(body, { count }), read: (api) => api.gpu?.count },
      v1: { path: "gpuCount", change: "update" },
    },
  },
  allowedCudaVersions: {
    description: "acceptable CUDA versions",
    schema: uniqueList(cudaVersion),
    wires: {
      v2: { change: "update", write: (body, allowedCudaVersions) => v2Gpu(body, { allowedCudaVersions }), read: (api) => api.gpu?.allowedCudaVersions },
      // v1 cannot clear a CUDA floor (no empty value), so trading the floor for a list replaces.
      v1: {
        path: "allowedCudaVersions",
        change: "update",
        replaceIf: {
          when: (_old, next, olds) => next.length > 0 && !!olds.minCudaVersion,
          reason: "REST v1 cannot clear an endpoint's CUDA floor (minCudaVersion) to go back to a list",
        },
      },
    },
  },
  minCudaVersion: {
    description: "minimum CUDA version",
    schema: cudaVersion,
    wires: {
      v2: { change: "update", write: (body, minCudaVersion) => v2Gpu(body, { minCudaVersion }), read: (api) => api.gpu?.minCudaVersion },
      v1: { path: "minCudaVersion", change: "update" },
    },
  },
  cpuFlavorIds: {
    description: "CPU flavors",
    schema: nonEmptyList(cpuFlavorIdFormat),
    wires: {
      v2: { change: "update", write: v2Cpu, read: v2CpuFlavors },
      v1: { path: "cpuFlavorIds", change: "update", read: v1CpuFlavors },
    },
  },
  vcpuCount: {
    description: "vCPUs per worker",
    // v2 states powers of two per flavor; v1 places the same flavors, so both wires check it. The
    // range per flavour is the catalog's `vcpu`.
    schema: powerOfTwo(2),
    wires: {
      v2: { change: "update", write: v2Cpu, read: (api) => api.cpu?.[0]?.vcpuCount },
      v1: { path: "vcpuCount", change: "update", read: v1VcpuCount },
    },
  },
  workersMin: {
    description: "minimum (always-on) workers",
    schema: workerCount,
    wires: { v2: { change: "update", write: v2Workers, read: (api) => api.workers?.min }, v1: { path: "workersMin", change: "update" } },
  },
  workersMax: {
    description: "maximum workers",
    schema: workerCount,
    wires: { v2: { change: "update", write: v2Workers, read: (api) => api.workers?.max }, v1: { path: "workersMax", change: "update" } },
  },
  idleTimeout: {
    description: "idle worker timeout in seconds",
    // Both specs: idleTimeout minimum 1, maximum 3600.
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
    // Per-type floors and ceilings are cross-field rules (they depend on scalerType).
    schema: finiteNumber.refine((n) => n > 0, "must be greater than 0"),
    wires: {
      v2: { change: "update", write: v2Scaling, read: (api) => v2ScalerValue(api.scaling) },
      v1: { path: "scalerValue", change: "update", schema: wholeNumber.min(1, "must be a whole number of at least 1") },
    },
  },
  executionTimeoutMs: {
    description: "execution timeout in milliseconds",
    // Runpod docs (endpoint configurations): the execution timeout "can be extended up to 24 hours".
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
        toApi: (v) => (typeof v === "boolean" ? v : v !== "OFF"),
        writeOnly: true, // v1 never reports it
        schema: z.enum(["OFF", "FLASHBOOT"], {
          errorMap: () => ({ message: "REST v1 can only turn FlashBoot on or off (PRIORITY_FLASHBOOT needs runpod:apiVersion v2)" }),
        }),
      },
    },
  },
  dataCenterIds: {
    description: "data centres",
    schema: uniqueList(dataCenterIdFormat),
    wires: { v2: { path: "dataCenterIds", change: "update" }, v1: { path: "dataCenterIds", change: "update", read: (api) => listFrom(api.dataCenterIds) } },
  },
  networkVolumeIds: {
    description: "network volume ids",
    schema: uniqueList(runpodId),
    wires: { v2: { path: "networkVolumes", change: "update" }, v1: { path: "networkVolumeIds", change: "update" } },
  },
  ...readinessFields("wait for the endpoint to serve"),
};

export const spec: ResourceSpec<EndpointInputs, EndpointApis, EndpointComputed> = {
  kind: "endpoint",
  typeName: "Endpoint",
  fields,
  autoName: { maxLength: 191 },
  rules: (inputs, ctx) => [...rules(inputs, ctx), ...templateRevisionRule(inputs)],
  catalog,
  computed,
};
