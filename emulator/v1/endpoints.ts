// REST v1 /v1/endpoints.
import { EndpointPatch, Store, StoredEndpoint } from "../state";
import { DATA_CENTERS, findCpuFlavor } from "../catalog";
import { RouteTable, has } from "../wire";
import { StoredWorker, isReadyWorker } from "../store/endpoint-workers";
import { V1_CONTAINER_DEFAULTS } from "./common";
import { renderTemplateV1 } from "./templates";

export function renderEndpointV1(store: Store, e: StoredEndpoint, inc: { includeTemplate?: boolean; includeWorkers?: boolean } = {}) {
  const out: Record<string, unknown> = {
    id: e.id,
    name: e.name,
    userId: "user_emulator",
    computeType: e.computeType,
    createdAt: e.createdAt,
    version: e.version,
    env: e.env,
    dataCenterIds: e.dataCenterIds.length ? e.dataCenterIds : DATA_CENTERS.map((d) => d.id),
    networkVolumeIds: e.networkVolumeIds,
    workersMin: e.workersMin,
    workersMax: e.workersMax,
    idleTimeout: e.idleTimeout,
    scalerType: e.scalerType,
    scalerValue: Math.max(1, Math.round(e.scalerValue)),
    executionTimeoutMs: e.timeoutMs,
  };
  const templateId = e.userTemplateId ?? e.boundTemplateId;
  if (templateId) out.templateId = templateId;
  if (e.networkVolumeIds.length) out.networkVolumeId = e.networkVolumeIds[0];
  if (e.computeType === "GPU") {
    out.gpuTypeIds = e.gpuTypeIds;
    out.gpuCount = e.gpuCount;
    out.allowedCudaVersions = e.allowedCudaVersions;
    if (e.minCudaVersion) out.minCudaVersion = e.minCudaVersion;
  } else {
    out.instanceIds = e.cpu.map((c) => `${c.id}-${c.vcpuCount}-${c.vcpuCount * (findCpuFlavor(c.id)?.ramGbPerVcpu ?? 2)}`);
  }
  if (inc.includeTemplate && templateId) {
    const t = store.templates.get(templateId);
    if (t) out.template = renderTemplateV1(t);
  }
  if (inc.includeWorkers === true || String(inc.includeWorkers) === "true") {
    out.workers = store.endpointWorkers(e.id, true).workers.map((w) => renderWorkerV1(e, w));
  }
  return out;
}

/**
 * v1 lists workers as Pods, without v2's worker status: a worker waiting on capacity has no
 * machine yet, one failing to start has exited, one still starting has a machine but no start.
 */
function renderWorkerV1(e: StoredEndpoint, w: StoredWorker) {
  const pod: Record<string, unknown> = {
    id: w.id,
    desiredStatus: w.status === "UNHEALTHY" ? "EXITED" : "RUNNING",
    endpointId: e.id,
    aiApiId: e.id,
    slsVersion: w.version,
    image: e.image,
    lastStatusChange:
      w.status === "THROTTLED"
        ? "Waiting for a machine: no instances available with the requested specifications"
        : w.status === "UNHEALTHY"
          ? "Exited by Runpod: container failed to start"
          : `Rented by Runpod: ${new Date(w.startedAt ?? 0).toUTCString()}`,
  };
  if (w.gpuTypeId || w.dataCenterId) pod.machineId = `m${w.id}`.slice(0, 12);
  if (w.gpuTypeId) pod.gpu = { id: w.gpuTypeId, count: e.gpuCount };
  if (isReadyWorker(w) && w.startedAt !== null) pod.lastStartedAt = new Date(w.startedAt).toISOString();
  return pod;
}

export const endpointRoutesV1: RouteTable = {
  "GET /endpoints": {
    operationId: "ListEndpoints",
    handle: ({ store, query }) => {
      return { status: 200, body: store.listed(store.endpoints.values()).map((e) => renderEndpointV1(store, e, query)) };
    },
  },
  "POST /endpoints": {
    operationId: "CreateEndpoint",
    handle: ({ store, b }) => {
      const isGpu = (b.computeType ?? "GPU") === "GPU";
      const gpuTypeIds: string[] = isGpu ? (b.gpuTypeIds ?? ["NVIDIA RTX A5000", "NVIDIA L4", "NVIDIA GeForce RTX 3090"]) : [];
      const { pools, excludedTypes } = isGpu ? Store.poolsFromTypes(gpuTypeIds) : { pools: [], excludedTypes: [] };
      const vcpu = b.vcpuCount ?? 2;
      const e = store.createEndpoint({
        via: "v1",
        name: b.name ?? "",
        type: "QUEUE",
        templateId: b.templateId,
        explicit: {},
        defaults: V1_CONTAINER_DEFAULTS,
        computeType: isGpu ? "GPU" : "CPU",
        pools,
        excludedTypes,
        gpuTypeIds,
        gpuCount: b.gpuCount ?? 1,
        allowedCudaVersions: b.allowedCudaVersions ?? [],
        minCudaVersion: b.minCudaVersion ?? null,
        cpu: isGpu ? [] : ((b.cpuFlavorIds as string[] | undefined) ?? ["cpu3c"]).map((id) => ({ id, vcpuCount: vcpu })),
        dataCenterIds: b.dataCenterIds ?? [],
        networkVolumeIds: b.networkVolumeIds ?? (b.networkVolumeId ? [b.networkVolumeId] : []),
        workersMin: b.workersMin ?? 0,
        workersMax: b.workersMax ?? 3,
        idleTimeout: b.idleTimeout ?? 5,
        idleTimeoutExplicit: has(b, "idleTimeout"),
        scalerType: b.scalerType ?? "QUEUE_DELAY",
        scalerValue: b.scalerValue ?? 4,
        timeoutMs: b.executionTimeoutMs ?? 600000,
        flashboot: b.flashboot ? "FLASHBOOT" : "OFF",
      });
      return { status: 200, body: renderEndpointV1(store, e) };
    },
  },
  "GET /endpoints/{endpointId}": {
    operationId: "GetEndpoint",
    handle: ({ store, query, param }) => {
      return { status: 200, body: renderEndpointV1(store, store.getEndpoint(param("endpointId")), query) };
    },
  },
  "POST /endpoints/{endpointId}/update": {
    operationId: "UpdateEndpoint",
    handle: ({ store, b, param }) => {
      const id = param("endpointId");
      const patch: EndpointPatch = {
        name: b.name,
        templateId: b.templateId,
        dataCenterIds: b.dataCenterIds,
        workersMin: b.workersMin,
        workersMax: b.workersMax,
        idleTimeout: b.idleTimeout,
        scalerType: b.scalerType,
        scalerValue: b.scalerValue,
        timeoutMs: b.executionTimeoutMs,
        flashboot: has(b, "flashboot") ? (b.flashboot ? "FLASHBOOT" : "OFF") : undefined,
        cpuFlavorIds: b.cpuFlavorIds,
        vcpuCount: b.vcpuCount,
      };
      if (has(b, "networkVolumeIds") || has(b, "networkVolumeId")) {
        patch.networkVolumeIds = b.networkVolumeIds ?? (b.networkVolumeId ? [b.networkVolumeId] : []);
      }
      if (has(b, "gpuTypeIds") || has(b, "gpuCount") || has(b, "allowedCudaVersions") || has(b, "minCudaVersion")) {
        const current = store.getEndpoint(id);
        if (current.computeType === "GPU") {
          patch.gpu = { gpuTypeIds: b.gpuTypeIds, count: b.gpuCount, allowedCudaVersions: b.allowedCudaVersions, minCudaVersion: b.minCudaVersion };
        }
      }
      return { status: 200, body: renderEndpointV1(store, store.updateEndpoint(id, patch, "v1")) };
    },
  },
  "DELETE /endpoints/{endpointId}": {
    operationId: "DeleteEndpoint",
    handle: ({ store, param }) => {
      store.deleteEndpoint(param("endpointId"));
      return { status: 204 };
    },
  },
};
