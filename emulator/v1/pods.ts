// REST v1 /v1/pods (+ /start /stop /reset /restart, POST …/update).
import { Store, StoredPod } from "../state";
import { findCpuFlavor, findDataCenter, findGpuType } from "../catalog";
import { RouteTable, has } from "../wire";
import { PodIncludes, V1_CONTAINER_DEFAULTS, containerPatchV1, containerUpdateV1, gpuInfoV1, qList } from "./common";
import { renderVolumeV1 } from "./network-volumes";

export function renderPodV1(store: Store, p: StoredPod, inc: PodIncludes = {}) {
  const desiredStatus = p.status === "TERMINATED" ? "TERMINATED" : p.status === "EXITED" || p.status === "ERROR" ? "EXITED" : "RUNNING";
  const cost = store.podCost(p);
  const out: Record<string, unknown> = {
    id: p.id,
    name: p.name,
    image: p.image,
    env: p.env,
    ports: p.ports,
    dockerEntrypoint: p.dockerEntrypoint,
    dockerStartCmd: p.dockerStartCmd,
    containerDiskInGb: p.disk,
    volumeInGb: p.volumeInGb,
    volumeMountPath: p.volumeMountPath,
    interruptible: p.interruptible,
    locked: p.locked,
    desiredStatus,
    costPerHr: cost,
    adjustedCostPerHr: cost,
    machineId: p.machineId,
    memoryInGb: p.memoryInGb,
    vcpuCount: p.vcpuCount,
    publicIp: p.publicIp,
    portMappings: p.status === "RUNNING" ? p.portMappings : p.status === "PROVISIONING" || p.status === "STARTING" ? {} : null,
    lastStatusChange: p.lastStatusChange,
    consumerUserId: "user_emulator",
    volumeEncrypted: false,
  };
  if (p.startedAt) out.lastStartedAt = p.startedAt;
  if (p.registryId) out.containerRegistryAuthId = p.registryId;
  if (p.templateId) out.templateId = p.templateId;
  if (p.computeType === "CPU" && p.cpuFlavorId) out.cpuFlavorId = p.cpuFlavorId;
  const gpu = p.gpuTypeId ? findGpuType(p.gpuTypeId) : undefined;
  if (gpu) out.gpu = gpuInfoV1(gpu, p.gpuCount);
  if (inc.includeMachine) {
    const dc = findDataCenter(p.dataCenterId);
    const cpu = p.cpuFlavorId ? findCpuFlavor(p.cpuFlavorId) : undefined;
    out.machine = {
      minPodGpuCount: p.computeType === "GPU" ? 1 : 0,
      ...(gpu
        ? {
            gpuTypeId: gpu.id,
            gpuType: gpuInfoV1(gpu),
            gpuDisplayName: gpu.displayName,
            currentPricePerGpu: gpu.securePrice,
            gpuAvailable: Math.min(8, store.freeGpus(gpu.id)),
          }
        : {}),
      cpuCount: p.computeType === "GPU" ? 64 : p.vcpuCount,
      cpuTypeId: cpu ? cpu.id : "AMD EPYC 7763 64-Core Processor",
      cpuType: cpu
        ? { id: cpu.id, displayName: cpu.name, cores: p.vcpuCount, threadsPerCore: 1, groupId: cpu.group }
        : { id: "AMD EPYC 7763 64-Core Processor", displayName: "AMD EPYC 7763 64-Core Processor", cores: 64, threadsPerCore: 2, groupId: "AMD EPYC 7763" },
      location: dc ? dc.countryCode : "US",
      dataCenterId: p.dataCenterId,
      diskThroughputMBps: 3000,
      maxDownloadSpeedMbps: 5000,
      maxUploadSpeedMbps: 2000,
      supportPublicIp: true,
      secureCloud: p.cloud === "SECURE",
      note: "",
      costPerHr: cost,
    };
  }
  if (inc.includeNetworkVolume && p.networkVolumeId) {
    const v = store.volumes.get(p.networkVolumeId);
    if (v) out.networkVolume = renderVolumeV1(v);
  }
  if (inc.includeSavingsPlans) out.savingsPlans = [];
  return out;
}

export const podRoutesV1: RouteTable = {
  "GET /pods": {
    operationId: "ListPods",
    handle: ({ store, query }) => {
      const inc = query as PodIncludes;
      const gpuTypeIds = qList(query, "gpuTypeId");
      const dcIds = qList(query, "dataCenterId");
      const cpuIds = qList(query, "cpuFlavorId");
      const pods = [...store.pods.values()].filter((p) => {
        const desired = p.status === "TERMINATED" ? "TERMINATED" : p.status === "EXITED" || p.status === "ERROR" ? "EXITED" : "RUNNING";
        return (
          (query.computeType === undefined || p.computeType === query.computeType) &&
          (!cpuIds || (p.cpuFlavorId !== null && cpuIds.includes(p.cpuFlavorId))) &&
          (!dcIds || dcIds.includes(p.dataCenterId)) &&
          (query.desiredStatus === undefined || desired === query.desiredStatus) &&
          (query.endpointId === undefined || false) &&
          (!gpuTypeIds || (p.gpuTypeId !== null && gpuTypeIds.includes(p.gpuTypeId))) &&
          (query.id === undefined || p.id === query.id) &&
          (query.imageName === undefined || p.image === query.imageName) &&
          (query.name === undefined || p.name === query.name) &&
          (query.networkVolumeId === undefined || p.networkVolumeId === query.networkVolumeId) &&
          (query.templateId === undefined || p.templateId === query.templateId)
        );
      });
      return { status: 200, body: store.listed(pods).map((p) => renderPodV1(store, p, inc)) };
    },
  },
  "POST /pods": {
    operationId: "CreatePod",
    handle: ({ store, b }) => {
      const explicit: Record<string, unknown> = { ...containerPatchV1(b) };
      if (has(b, "volumeInGb") && b.volumeInGb !== null) explicit.volumeInGb = b.volumeInGb;
      if (has(b, "volumeMountPath")) explicit.volumeMountPath = b.volumeMountPath;
      const pod = store.createPod({
        via: "v1",
        name: b.name ?? "my pod",
        templateId: b.templateId ?? undefined,
        explicit,
        defaults: { ...V1_CONTAINER_DEFAULTS, volumeInGb: 20, volumeMountPath: "/workspace" },
        computeType: b.computeType ?? "GPU",
        gpuTypeIds: b.gpuTypeIds ?? [],
        gpuTypePriority: b.gpuTypePriority ?? "availability",
        gpuCount: b.gpuCount ?? 1,
        cpuFlavorIds: b.cpuFlavorIds ?? [],
        cpuFlavorPriority: b.cpuFlavorPriority ?? "availability",
        vcpuCount: b.vcpuCount ?? 2,
        cloud: b.cloudType ?? "SECURE",
        dataCenterIds: b.dataCenterIds ?? [],
        interruptible: b.interruptible ?? false,
        locked: b.locked ?? false,
        globalNetworking: b.globalNetworking ?? false,
        allowedCudaVersions: b.allowedCudaVersions ?? [],
        minCudaVersion: null,
        networkVolumeId: b.networkVolumeId ?? null,
      });
      return { status: 201, body: renderPodV1(store, pod) };
    },
  },
  "GET /pods/{podId}": {
    operationId: "GetPod",
    handle: ({ store, query, param }) => {
      return { status: 200, body: renderPodV1(store, store.getPod(param("podId"), { poll: true }), query) };
    },
  },
  "POST /pods/{podId}/update": {
    operationId: "UpdatePod",
    handle: ({ store, b, param }) => {
      const id = param("podId");
      const current = store.getPod(id);
      const patch: Record<string, unknown> = { ...containerUpdateV1(b, current) };
      if (has(b, "name")) patch.name = b.name;
      if (has(b, "locked")) patch.locked = b.locked;
      if (has(b, "globalNetworking")) patch.globalNetworking = b.globalNetworking;
      if (has(b, "volumeInGb") && b.volumeInGb !== null) patch.volumeInGb = b.volumeInGb;
      if (has(b, "volumeMountPath")) patch.volumeMountPath = b.volumeMountPath;
      return { status: 200, body: renderPodV1(store, store.updatePod(id, patch, { wire: "v1" })) };
    },
  },
  "DELETE /pods/{podId}": {
    operationId: "DeletePod",
    handle: ({ store, param }) => {
      store.deletePod(param("podId"), "v1");
      return { status: 204 };
    },
  },
  "POST /pods/{podId}/start": {
    operationId: "StartPod",
    handle: ({ store, param }) => {
      store.podAction(param("podId"), "start", "v1");
      return { status: 200 };
    },
  },
  "POST /pods/{podId}/stop": {
    operationId: "StopPod",
    handle: ({ store, param }) => {
      store.podAction(param("podId"), "stop", "v1");
      return { status: 200 };
    },
  },
  "POST /pods/{podId}/reset": {
    operationId: "ResetPod",
    handle: ({ store, param }) => {
      store.podAction(param("podId"), "reset", "v1");
      return { status: 200 };
    },
  },
  "POST /pods/{podId}/restart": {
    operationId: "RestartPod",
    handle: ({ store, param }) => {
      store.podAction(param("podId"), "restart", "v1");
      return { status: 200 };
    },
  },
};
