// REST v1 wire (deprecated upstream, still emulated): v1 field names over the same store.
// Errors are `{"message": "..."}`; every rule violation is a 400, unknown ids a 404.
import {
  ContainerFields,
  DEFAULT_V1_PORTS,
  DomainError,
  EndpointPatch,
  Store,
  StoredEndpoint,
  StoredNetworkVolume,
  StoredPod,
  StoredRegistry,
  StoredTemplate,
  V1_CAPACITY_MESSAGE,
  joinArgs,
} from "./state";
import { DATA_CENTERS, findCpuFlavor, findDataCenter, findGpuType, GpuTypeInfo } from "./catalog";
import { OperationCall, WireResult, asRecord, has } from "./wire";
import { loadSpec } from "./specs";

export function v1Error(status: number, message: string): WireResult {
  return { status, body: { message } };
}

export function domainErrorV1(err: DomainError, operationId: string): WireResult {
  switch (err.kind) {
    case "notFound":
      return v1Error(404, err.message);
    case "capacity":
      return v1Error(400, operationId === "CreatePod" ? V1_CAPACITY_MESSAGE : err.message);
    default:
      return v1Error(400, err.message);
  }
}

// ------------------------------------------------------------------------------ renderers

function gpuInfoV1(g: GpuTypeInfo, count?: number) {
  return {
    id: g.id,
    ...(count !== undefined ? { count } : {}),
    displayName: g.displayName,
    securePrice: g.securePrice,
    communityPrice: g.communityPrice,
    oneMonthPrice: Math.round(g.securePrice * 0.9 * 100) / 100,
    threeMonthPrice: Math.round(g.securePrice * 0.85 * 100) / 100,
    sixMonthPrice: Math.round(g.securePrice * 0.8 * 100) / 100,
    oneWeekPrice: Math.round(g.securePrice * 0.95 * 100) / 100,
    communitySpotPrice: g.communitySpotPrice,
    secureSpotPrice: g.secureSpotPrice,
  };
}

export function renderVolumeV1(v: StoredNetworkVolume) {
  return { id: v.id, name: v.name, size: v.size, dataCenterId: v.dataCenterId };
}

export function renderTemplateV1(t: StoredTemplate) {
  const out: Record<string, unknown> = {
    id: t.id,
    name: t.name,
    imageName: t.image,
    category: t.category,
    isServerless: t.serverless,
    isPublic: t.public,
    isRunpod: t.catalog,
    containerDiskInGb: t.disk,
    volumeInGb: t.volumeInGb,
    volumeMountPath: t.volumeMountPath,
    dockerEntrypoint: t.dockerEntrypoint,
    dockerStartCmd: t.dockerStartCmd,
    env: t.env,
    ports: t.ports,
    readme: t.readme,
    earned: 0,
    runtimeInMin: 0,
  };
  if (t.registryId) out.containerRegistryAuthId = t.registryId;
  return out;
}

export function renderRegistryV1(r: StoredRegistry) {
  return { id: r.id, name: r.name };
}

interface PodIncludes {
  includeMachine?: boolean;
  includeNetworkVolume?: boolean;
  includeSavingsPlans?: boolean;
}

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
      ...(gpu ? { gpuTypeId: gpu.id, gpuType: gpuInfoV1(gpu), gpuDisplayName: gpu.displayName, currentPricePerGpu: gpu.securePrice, gpuAvailable: Math.min(8, store.freeGpus(gpu.id)) } : {}),
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
  if (inc.includeWorkers) out.workers = [];
  return out;
}

// ------------------------------------------------------------------------------ body mapping

function containerPatchV1(b: Record<string, any>): Partial<ContainerFields> {
  const out: Partial<ContainerFields> = {};
  if (has(b, "imageName")) out.image = b.imageName;
  if (has(b, "dockerEntrypoint")) out.dockerEntrypoint = b.dockerEntrypoint;
  if (has(b, "dockerStartCmd")) out.dockerStartCmd = b.dockerStartCmd;
  if (has(b, "containerDiskInGb") && b.containerDiskInGb !== null) out.disk = b.containerDiskInGb;
  // v1 types env as `object` without value types; store strings like the v2 contract requires.
  if (has(b, "env")) out.env = Object.fromEntries(Object.entries(asRecord(b.env)).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  if (has(b, "ports")) out.ports = b.ports;
  if (has(b, "containerRegistryAuthId")) out.registryId = b.containerRegistryAuthId || null;
  return out;
}

/**
 * A v1 update's container fields: v1 keeps entrypoint and command as word lists while the shared
 * model also holds v2's one `args` string, so a change to either list re-derives `args` from the
 * new list and the stored other one.
 */
function containerUpdateV1(b: Record<string, any>, current: ContainerFields): Partial<ContainerFields> {
  const patch = containerPatchV1(b);
  if (patch.dockerEntrypoint !== undefined || patch.dockerStartCmd !== undefined) {
    patch.args = joinArgs(patch.dockerEntrypoint ?? current.dockerEntrypoint, patch.dockerStartCmd ?? current.dockerStartCmd);
  }
  return patch;
}

const V1_CONTAINER_DEFAULTS: ContainerFields = {
  image: "",
  args: "",
  dockerEntrypoint: [],
  dockerStartCmd: [],
  disk: 50,
  env: {},
  ports: DEFAULT_V1_PORTS,
  registryId: null,
};

function q(query: Record<string, unknown>, key: string): unknown {
  return query[key];
}

function qList(query: Record<string, unknown>, key: string): string[] | undefined {
  const v = query[key];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).map(String);
}

// ------------------------------------------------------------------------------ dispatcher

export function handleV1(call: OperationCall): WireResult {
  try {
    return dispatchV1(call);
  } catch (err) {
    if (err instanceof DomainError) return domainErrorV1(err, call.operationId);
    throw err;
  }
}

function dispatchV1(call: OperationCall): WireResult {
  const { store, operationId, params, query } = call;
  const b = asRecord(call.body);
  const decode = (v: string | undefined) => (v !== undefined ? decodeURIComponent(v) : "");

  switch (operationId) {
    case "GetOpenAPI":
      return { status: 200, body: loadSpec("v1") };
    case "GetDocs":
      return {
        status: 200,
        contentType: "text/html; charset=utf-8",
        body: "<!doctype html><title>runpod-emulator v1</title><p>Runpod REST v1 emulator. The spec is at <a href=\"/v1/openapi.json\">/v1/openapi.json</a>.</p>",
      };

    // -------------------------------------------------------------- network volumes
    case "ListNetworkVolumes":
      return { status: 200, body: [...store.volumes.values()].map(renderVolumeV1) };
    case "CreateNetworkVolume":
      return { status: 200, body: renderVolumeV1(store.createVolume({ name: b.name, size: b.size, dataCenterId: b.dataCenterId })) };
    case "GetNetworkVolume":
      return { status: 200, body: renderVolumeV1(store.getVolume(decode(params.networkVolumeId))) };
    case "UpdateNetworkVolume":
      return { status: 200, body: renderVolumeV1(store.updateVolume(decode(params.networkVolumeId), { name: b.name, size: b.size })) };
    case "DeleteNetworkVolume":
      store.deleteVolume(decode(params.networkVolumeId));
      return { status: 204 };

    // -------------------------------------------------------------- templates
    case "ListTemplates": {
      const list = store.listTemplates({
        includeBound: q(query, "includeEndpointBoundTemplates") === true,
        includeCatalog: q(query, "includeRunpodTemplates") === true || q(query, "includePublicTemplates") === true,
      });
      return { status: 200, body: list.map(renderTemplateV1) };
    }
    case "CreateTemplate": {
      const c = { ...V1_CONTAINER_DEFAULTS, ...containerPatchV1(b) };
      c.args = joinArgs(c.dockerEntrypoint, c.dockerStartCmd);
      const t = store.createTemplate({
        ...c,
        name: b.name,
        category: b.category ?? "NVIDIA",
        serverless: b.isServerless ?? false,
        public: b.isPublic ?? false,
        readme: b.readme ?? "",
        volumeInGb: b.volumeInGb ?? 20,
        volumeMountPath: b.volumeMountPath ?? "/workspace",
        startSsh: true,
        startJupyter: true,
        allowedCudaVersions: [],
      });
      return { status: 200, body: renderTemplateV1(t) };
    }
    case "GetTemplate":
      return { status: 200, body: renderTemplateV1(store.getTemplate(decode(params.templateId))) };
    case "UpdateTemplate": {
      const id = decode(params.templateId);
      const current = store.getTemplate(id);
      const patch: Record<string, unknown> = { ...containerUpdateV1(b, current) };
      // category / isServerless are not part of TemplateUpdateInput: not updatable over v1.
      if (has(b, "name")) patch.name = b.name;
      if (has(b, "isPublic")) patch.public = b.isPublic;
      if (has(b, "readme")) patch.readme = b.readme;
      if (has(b, "volumeInGb")) patch.volumeInGb = b.volumeInGb;
      if (has(b, "volumeMountPath")) patch.volumeMountPath = b.volumeMountPath;
      return { status: 200, body: renderTemplateV1(store.updateTemplate(id, patch)) };
    }
    case "DeleteTemplate":
      store.deleteTemplate(decode(params.templateId));
      return { status: 204 };

    // -------------------------------------------------------------- container registry auth
    case "ListContainerRegistryAuths":
      return { status: 200, body: [...store.registries.values()].map(renderRegistryV1) };
    case "CreateContainerRegistryAuth":
      return { status: 200, body: renderRegistryV1(store.createRegistry({ name: b.name, username: b.username, password: b.password })) };
    case "GetContainerRegistryAuth":
      return { status: 200, body: renderRegistryV1(store.getRegistry(decode(params.containerRegistryAuthId))) };
    case "DeleteContainerRegistryAuth":
      store.deleteRegistry(decode(params.containerRegistryAuthId));
      return { status: 204 };

    // -------------------------------------------------------------- pods
    case "ListPods": {
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
      return { status: 200, body: pods.map((p) => renderPodV1(store, p, inc)) };
    }
    case "CreatePod": {
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
        gpuCount: b.gpuCount ?? 1,
        cpuFlavorIds: b.cpuFlavorIds ?? [],
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
    }
    case "GetPod":
      return { status: 200, body: renderPodV1(store, store.getPod(decode(params.podId), { poll: true }), query as PodIncludes) };
    case "UpdatePod": {
      const id = decode(params.podId);
      const current = store.getPod(id);
      const patch: Record<string, unknown> = { ...containerUpdateV1(b, current) };
      if (has(b, "name")) patch.name = b.name;
      if (has(b, "locked")) patch.locked = b.locked;
      if (has(b, "globalNetworking")) patch.globalNetworking = b.globalNetworking;
      if (has(b, "volumeInGb") && b.volumeInGb !== null) patch.volumeInGb = b.volumeInGb;
      if (has(b, "volumeMountPath")) patch.volumeMountPath = b.volumeMountPath;
      return { status: 200, body: renderPodV1(store, store.updatePod(id, patch, { wire: "v1" })) };
    }
    case "DeletePod":
      store.deletePod(decode(params.podId), "v1");
      return { status: 204 };
    case "StartPod":
      store.podAction(decode(params.podId), "start", "v1");
      return { status: 200 };
    case "StopPod":
      store.podAction(decode(params.podId), "stop", "v1");
      return { status: 200 };
    case "ResetPod":
      store.podAction(decode(params.podId), "reset", "v1");
      return { status: 200 };
    case "RestartPod":
      store.podAction(decode(params.podId), "restart", "v1");
      return { status: 200 };

    // -------------------------------------------------------------- endpoints
    case "ListEndpoints":
      return { status: 200, body: [...store.endpoints.values()].map((e) => renderEndpointV1(store, e, query)) };
    case "CreateEndpoint": {
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
    }
    case "GetEndpoint":
      return { status: 200, body: renderEndpointV1(store, store.getEndpoint(decode(params.endpointId)), query) };
    case "UpdateEndpoint": {
      const id = decode(params.endpointId);
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
    }
    case "DeleteEndpoint":
      store.deleteEndpoint(decode(params.endpointId));
      return { status: 204 };

    // -------------------------------------------------------------- billing (no usage is simulated)
    case "PodBilling":
    case "EndpointBilling":
    case "NetworkVolumeBilling":
      return { status: 200, body: [] };

    default:
      return v1Error(501, `${operationId} is not emulated by runpod-emulator`);
  }
}
