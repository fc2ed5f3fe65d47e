// REST v2 /v2/serverless: endpoints, their releases and workers.
import { DomainError, EndpointCreate, EndpointPatch, Flashboot, Store, StoredEndpoint } from "../state";
import { findCpuFlavor } from "../catalog";
import { RouteTable, asRecord, has } from "../wire";
import { StoredWorker, rolloutSummary, workerSummary } from "../store/endpoint-workers";
import { V2_CONTAINER_DEFAULTS, containerPatchV2, containerV2, scalingFromV2 } from "./common";

function requestUrls(e: StoredEndpoint) {
  if (e.type === "LOAD_BALANCER") {
    const base = `https://${e.id}.api.runpod.ai`;
    return { base, health: `${base}/ping` };
  }
  const base = `https://api.runpod.ai/v2/${e.id}`;
  return {
    run: `${base}/run`,
    runSync: `${base}/runsync`,
    status: `${base}/status`,
    stream: `${base}/stream`,
    cancel: `${base}/cancel`,
    retry: `${base}/retry`,
    purgeQueue: `${base}/purge-queue`,
    health: `${base}/health`,
  };
}

export function renderEndpointV2(e: StoredEndpoint) {
  const out: Record<string, unknown> = {
    id: e.id,
    name: e.name,
    type: e.type,
    ...containerV2(e),
    requestUrls: requestUrls(e),
    gpu:
      e.computeType === "GPU"
        ? {
            pools: e.pools,
            excludedTypes: e.excludedTypes,
            count: e.gpuCount,
            allowedCudaVersions: e.allowedCudaVersions,
            minCudaVersion: e.minCudaVersion,
          }
        : null,
    workers:
      e.type === "QUEUE" && e.scalerType === "REQUEST_COUNT"
        ? { min: e.workersMin, max: e.workersMax }
        : { min: e.workersMin, max: e.workersMax, idleTimeout: e.idleTimeout },
    scaling:
      e.scalerType === "QUEUE_DELAY"
        ? { type: "QUEUE_DELAY", queueDelay: e.scalerValue }
        : { type: "REQUEST_COUNT", requestCount: Math.max(1, Math.round(e.scalerValue)) },
    dataCenterIds: e.dataCenterIds,
    networkVolumes: e.networkVolumeIds,
    timeout: e.timeoutMs,
    flashboot: e.flashboot,
    createdAt: e.createdAt,
  };
  if (e.computeType === "CPU") {
    out.cpu = e.cpu.map((c) => ({ id: c.id, vcpuCount: c.vcpuCount, memory: c.vcpuCount * (findCpuFlavor(c.id)?.ramGbPerVcpu ?? 2) }));
  }
  return out;
}

/** v2 `Worker`: a THROTTLED worker is not placed yet, so its placement and start are null. */
function renderWorkerV2(e: StoredEndpoint, w: StoredWorker) {
  return {
    id: w.id,
    status: w.status,
    isStale: w.version !== e.version,
    version: w.version,
    gpuCount: e.computeType === "GPU" && w.gpuTypeId ? e.gpuCount : 0,
    image: e.image,
    uptimeSeconds: w.startedAt === null || w.status === "THROTTLED" ? null : 0,
    gpuTypeId: w.gpuTypeId,
    dataCenterId: w.dataCenterId,
    startedAt: w.startedAt === null ? null : new Date(w.startedAt).toISOString(),
  };
}

export const endpointRoutes: RouteTable = {
  "GET /v2/serverless": {
    operationId: "listEndpoints",
    handle: ({ store }) => {
      return { status: 200, body: { endpoints: store.listed(store.endpoints.values()).map(renderEndpointV2) } };
    },
  },
  "POST /v2/serverless": {
    operationId: "createEndpoint",
    handle: ({ store, b }) => {
      if (has(b, "gpu") === has(b, "cpu")) {
        throw new DomainError("invalid", "exactly one of gpu or cpu is required", has(b, "gpu") ? "cpu" : "gpu");
      }
      const gpu = asRecord(b.gpu);
      const workers = asRecord(b.workers);
      const isGpu = has(b, "gpu");
      const pools: string[] = isGpu ? gpu.pools : [];
      const excludedTypes: string[] = isGpu ? (gpu.excludedTypes ?? []) : [];
      const input: EndpointCreate = {
        via: "v2",
        name: b.name,
        type: b.type,
        templateId: b.templateId,
        explicit: containerPatchV2(b),
        defaults: V2_CONTAINER_DEFAULTS,
        computeType: isGpu ? "GPU" : "CPU",
        pools,
        excludedTypes,
        gpuTypeIds: isGpu ? Store.typesFromPools(pools, excludedTypes) : [],
        gpuCount: gpu.count ?? 1,
        allowedCudaVersions: gpu.allowedCudaVersions,
        minCudaVersion: gpu.minCudaVersion ?? null,
        cpu: isGpu ? [] : (b.cpu as Array<{ id: string; vcpuCount: number }>).map((c) => ({ id: c.id, vcpuCount: c.vcpuCount })),
        dataCenterIds: b.dataCenterIds ?? [],
        networkVolumeIds: b.networkVolumes ?? [],
        workersMin: workers.min ?? 0,
        workersMax: workers.max ?? 3,
        idleTimeout: workers.idleTimeout ?? 10,
        idleTimeoutExplicit: has(workers, "idleTimeout"),
        ...scalingFromV2(asRecord(b.scaling)),
        timeoutMs: b.timeout ?? 300000,
        flashboot: (b.flashboot ?? "OFF") as Flashboot,
      };
      return { status: 201, body: renderEndpointV2(store.createEndpoint(input)) };
    },
  },
  "GET /v2/serverless/{id}": {
    operationId: "getEndpoint",
    handle: ({ store, id }) => {
      return { status: 200, body: renderEndpointV2(store.getEndpoint(id)) };
    },
  },
  "PATCH /v2/serverless/{id}": {
    operationId: "updateEndpoint",
    handle: ({ store, b, id }) => {
      if (has(b, "gpu") && has(b, "cpu")) throw new DomainError("invalid", "gpu and cpu are mutually exclusive", "cpu");
      const workers = asRecord(b.workers);
      const patch: EndpointPatch = {
        name: b.name,
        templateId: b.templateId,
        container: containerPatchV2(b),
        dataCenterIds: b.dataCenterIds,
        networkVolumeIds: b.networkVolumes,
        workersMin: workers.min,
        workersMax: workers.max,
        idleTimeout: workers.idleTimeout,
        timeoutMs: b.timeout,
        flashboot: b.flashboot,
      };
      if (has(b, "scaling")) Object.assign(patch, scalingFromV2(asRecord(b.scaling)));
      if (has(b, "gpu")) {
        const g = asRecord(b.gpu);
        patch.gpu = {
          pools: g.pools,
          excludedTypes: g.excludedTypes,
          count: g.count,
          allowedCudaVersions: g.allowedCudaVersions,
          minCudaVersion: g.minCudaVersion,
        };
      }
      if (has(b, "cpu")) patch.cpu = (b.cpu as Array<{ id: string; vcpuCount: number }>).map((c) => ({ id: c.id, vcpuCount: c.vcpuCount }));
      return { status: 200, body: renderEndpointV2(store.updateEndpoint(id, patch, "v2")) };
    },
  },
  "DELETE /v2/serverless/{id}": {
    operationId: "deleteEndpoint",
    handle: ({ store, id }) => {
      store.deleteEndpoint(id);
      return { status: 204 };
    },
  },
  "GET /v2/serverless/{id}/releases": {
    operationId: "listEndpointReleases",
    handle: ({ store, id }) => {
      const e = store.getEndpoint(id);
      const { workers } = store.endpointWorkers(id, true);
      return {
        status: 200,
        body: {
          endpointVersion: e.version,
          rollout: rolloutSummary(workers, e.version),
          releases: e.releases.map((r) => ({
            id: r.id,
            version: r.version,
            source: "MANUAL",
            buildId: null,
            createdByUserId: "user_emulator",
            workerCount: workers.filter((w) => w.version === r.version).length,
            createdAt: r.createdAt,
            diff: r.diff,
          })),
        },
      };
    },
  },
  "GET /v2/serverless/{id}/workers": {
    operationId: "listEndpointWorkers",
    handle: ({ store, id }) => {
      const e = store.getEndpoint(id);
      const { workers } = store.endpointWorkers(id, true);
      return { status: 200, body: { workers: workers.map((w) => renderWorkerV2(e, w)), summary: workerSummary(workers), endpointVersion: e.version } };
    },
  },
};
