// REST v2 wire: converts validated v2 bodies into store inputs and renders stored objects per the
// v2 response schemas. Errors are RFC 9457 problem documents (`application/problem+json`).
import {
  ContainerFields,
  DomainError,
  EndpointCreate,
  EndpointPatch,
  Flashboot,
  ScalerType,
  Store,
  StoredEndpoint,
  StoredNetworkVolume,
  StoredPod,
  StoredRegistry,
  StoredTemplate,
  V2_CAPACITY_TITLE,
  splitArgs,
} from "./state";
import { CPU_FLAVORS, DATA_CENTERS, GPU_TYPES, findCpuFlavor, findDataCenter, findGpuType, GpuTypeInfo, CpuFlavorInfo, DataCenterInfo } from "./catalog";
import { OperationCall, WireResult, asRecord, has } from "./wire";

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function problem(status: number, detail: string, errors?: string[], title?: string): WireResult {
  const body: Record<string, unknown> = { title: title ?? TITLES[status] ?? "Error", status, detail };
  if (errors && errors.length) body.errors = errors;
  return { status, body, contentType: "application/problem+json" };
}

/** Operations whose documented responses include 404 (a referenced id that does not exist → 404). */
const DOCUMENTS_404_FOR_REFS = new Set(["createPod", "updatePod", "createEndpoint", "updateEndpoint"]);

export function domainErrorV2(err: DomainError, operationId: string): WireResult {
  const fieldErrors = err.field ? [err.message.startsWith(err.field) ? err.message : `${err.field}: ${err.message}`] : undefined;
  switch (err.kind) {
    case "notFound":
      return problem(404, err.message);
    case "refNotFound":
      return DOCUMENTS_404_FOR_REFS.has(operationId) ? problem(404, err.message, fieldErrors) : problem(400, err.message, fieldErrors);
    case "schema":
      return problem(422, err.message, fieldErrors);
    case "conflict":
      return problem(409, err.message);
    case "capacity":
      return problem(
        400,
        `${V2_CAPACITY_TITLE} for the requested specification (${err.message}). Try another GPU type or data center.`,
        undefined,
        V2_CAPACITY_TITLE,
      );
    case "inUse":
    case "invalid":
    default:
      return problem(400, err.message, fieldErrors);
  }
}

// ------------------------------------------------------------------------------ renderers

function containerV2(c: ContainerFields) {
  return { image: c.image, args: c.args, disk: c.disk, env: c.env, ports: c.ports, registry: c.registryId };
}

export function renderVolumeV2(v: StoredNetworkVolume) {
  return { id: v.id, name: v.name, size: v.size, dataCenter: v.dataCenterId, type: v.type };
}

export function renderTemplateV2(t: StoredTemplate) {
  return {
    id: t.id,
    name: t.name,
    ...containerV2(t),
    registry: t.catalog ? null : t.registryId,
    mounts: t.volumeInGb >= 10 ? { persistent: { size: t.volumeInGb, path: t.volumeMountPath } } : {},
    serverless: t.serverless,
    public: t.public,
    category: t.category,
    startSsh: t.startSsh,
    startJupyter: t.startJupyter,
    allowedCudaVersions: t.allowedCudaVersions,
  };
}

export function renderRegistryV2(r: StoredRegistry) {
  return { id: r.id, name: r.name };
}

export function renderPodV2(store: Store, p: StoredPod) {
  const running = p.status === "RUNNING";
  const mounts: Record<string, unknown> = {};
  if (p.networkVolumeId) mounts.network = [{ volumeId: p.networkVolumeId, path: p.volumeMountPath }];
  else if (p.volumeInGb >= 10) mounts.persistent = { size: p.volumeInGb, path: p.volumeMountPath };
  const sshPort = p.portMappings?.["22"];
  const proxyUser = `${p.id}-${p.machineId.slice(0, 8)}`;
  const out: Record<string, unknown> = {
    id: p.id,
    name: p.name,
    status: p.status,
    actions: store.podActions(p),
    ...containerV2(p),
    mounts,
    cloud: p.cloud,
    dataCenterId: p.dataCenterId,
    cudaVersion: p.cudaVersion,
    ssh: {
      proxy: running ? { host: "ssh.runpod.io", port: 22, username: proxyUser, command: `ssh ${proxyUser}@ssh.runpod.io -i ~/.ssh/id_ed25519` } : null,
      direct:
        running && p.publicIp && sshPort
          ? { host: p.publicIp, port: sshPort, username: "root", command: `ssh root@${p.publicIp} -p ${sshPort} -i ~/.ssh/id_ed25519` }
          : null,
    },
    template: p.templateId,
    cost: store.podCost(p),
    locked: p.locked,
    globalNetworking: p.globalNetworking && p.globalIp
      ? { enabled: true, ip: p.globalIp, internalDns: `${p.id}.runpod.internal` }
      : { enabled: p.globalNetworking },
    runtime: running
      ? {
          uptime: p.startedAt ? Math.max(0, Math.floor((store.opts.now() - Date.parse(p.startedAt)) / 1000)) : 0,
          gpus: Array.from({ length: p.gpuCount }, () => ({ util: 0, memoryUtil: 0 })),
          cpu: { util: 1 },
          memory: { util: 3 },
          ports: p.ports.map((spec) => {
            const [port, proto] = spec.split("/");
            const isTcp = (proto ?? "http").toLowerCase() === "tcp";
            return {
              private: Number(port),
              public: isTcp ? (p.portMappings?.[port] ?? null) : null,
              type: isTcp ? "tcp" : "http",
              ip: isTcp ? p.publicIp : null,
            };
          }),
        }
      : null,
    createdAt: p.createdAt,
    startedAt: p.startedAt,
  };
  if (p.computeType === "GPU" && p.gpuTypeId) out.gpu = { id: p.gpuTypeId, count: p.gpuCount };
  if (p.computeType === "CPU" && p.cpuFlavorId) out.cpu = { id: p.cpuFlavorId, vcpuCount: p.vcpuCount, memory: p.memoryInGb };
  return out;
}

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

function workerIds(e: StoredEndpoint): string[] {
  // Stable per endpoint without consuming the shared PRNG.
  return Array.from({ length: e.workersMin }, (_, i) => {
    let h = 2166136261;
    for (const ch of `${e.id}:${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    return (h.toString(36) + e.id).slice(0, 14);
  });
}

// ------------------------------------------------------------------------------ catalog

function availabilityLevel(free: number): "NONE" | "LOW" | "MEDIUM" | "HIGH" {
  if (free <= 0) return "NONE";
  if (free < 4) return "LOW";
  if (free < 16) return "MEDIUM";
  return "HIGH";
}

function queryList(q: Record<string, unknown>, key: string): string[] | undefined {
  const v = q[key];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.map(String).flatMap((s) => s.split(",")).filter((s) => s !== "");
  return String(v).split(",").filter((s) => s !== "");
}

function catalogArgErrors(q: Record<string, unknown>, availabilityOnly: string[], productRequired: boolean): WireResult | null {
  const include = queryList(q, "include") ?? [];
  const wantsAvailability = include.includes("AVAILABILITY");
  if (productRequired) {
    if (wantsAvailability && !queryList(q, "product")?.length) {
      return problem(400, "product is required with include=AVAILABILITY", ["product: is required with include=AVAILABILITY"]);
    }
    if (!wantsAvailability && q.product !== undefined) {
      return problem(400, "product is valid only with include=AVAILABILITY", ["product: valid only with include=AVAILABILITY"]);
    }
  }
  for (const k of availabilityOnly) {
    if (q[k] !== undefined && !wantsAvailability) {
      return problem(400, `${k} is valid only with include=AVAILABILITY`, [`${k}: valid only with include=AVAILABILITY`]);
    }
  }
  if (q.cudaVersions !== undefined && q.minCudaVersion !== undefined) {
    return problem(400, "cudaVersions and minCudaVersion are mutually exclusive", ["minCudaVersion: mutually exclusive with cudaVersions"]);
  }
  return null;
}

function renderGpuType(store: Store, g: GpuTypeInfo, q: Record<string, unknown>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {
    id: g.id,
    name: g.displayName,
    pool: g.pool,
    manufacturer: g.manufacturer,
    memory: g.memoryInGb,
    secure: g.secure,
    community: g.community,
    price: { secure: g.securePrice, community: g.communityPrice, ...(g.serverlessPrice !== undefined ? { serverless: g.serverlessPrice } : {}) },
    maxCount: { secure: g.secure ? g.maxCount : 0, community: g.community ? g.maxCount : 0 },
  };
  if ((queryList(q, "include") ?? []).includes("AVAILABILITY")) {
    const count = typeof q.count === "number" ? q.count : 1;
    const countries = queryList(q, "countryCodes");
    const cloud = q.cloud === "COMMUNITY" ? "COMMUNITY" : "SECURE";
    const offered = cloud === "COMMUNITY" ? g.community : g.secure;
    const free = offered && count <= g.maxCount ? store.freeGpus(g.id) / count : 0;
    const level = availabilityLevel(free);
    const dcs = DATA_CENTERS.filter((d) => !countries || countries.includes(d.countryCode));
    if (countries && dcs.length === 0) return null;
    out.availability = level;
    if (level !== "NONE" && dcs.length) out.dataCenters = dcs.map((d) => ({ id: d.id, name: d.name, availability: level }));
    let versions = g.cudaVersions;
    const wanted = queryList(q, "cudaVersions");
    if (wanted) versions = versions.filter((v) => wanted.includes(v));
    if (typeof q.minCudaVersion === "string") {
      const [mm, mn] = q.minCudaVersion.split(".").map(Number);
      versions = versions.filter((v) => {
        const [a, b] = v.split(".").map(Number);
        return a > mm || (a === mm && (mn === undefined || Number.isNaN(mn) || b >= mn));
      });
    }
    if (versions.length) out.cudaVersions = versions.map((v) => ({ version: v, available: level !== "NONE" }));
  }
  return out;
}

function renderCpuType(c: CpuFlavorInfo, q: Record<string, unknown>) {
  const out: Record<string, unknown> = {
    id: c.id,
    name: c.name,
    group: c.group,
    vcpu: { min: c.minVcpu, max: c.maxVcpu },
    ramGbPerVcpu: c.ramGbPerVcpu,
    price: { securePerVcpu: c.securePerVcpu, serverlessPerVcpu: c.serverlessPerVcpu },
  };
  if ((queryList(q, "include") ?? []).includes("AVAILABILITY")) {
    const vcpu = typeof q.vcpuCount === "number" ? q.vcpuCount : c.minVcpu;
    const ok = vcpu >= c.minVcpu && vcpu <= c.maxVcpu;
    out.availability = ok ? "HIGH" : "NONE";
    if (ok) out.dataCenters = DATA_CENTERS.map((d) => ({ id: d.id, name: d.name, availability: "HIGH" }));
  }
  return out;
}

function renderDataCenter(store: Store, d: DataCenterInfo, include: string[]) {
  const out: Record<string, unknown> = {
    id: d.id,
    name: d.name,
    region: d.region,
    globalNetwork: d.globalNetwork,
    networkVolumeTypes: d.networkVolumeTypes,
    compliance: d.compliance,
  };
  if (include.includes("GPU_AVAILABILITY")) {
    out.gpuAvailability = GPU_TYPES.filter((g) => g.secure).map((g) => ({ id: g.id, name: g.displayName, availability: availabilityLevel(store.freeGpus(g.id)) }));
  }
  if (include.includes("CPU_AVAILABILITY")) {
    out.cpuAvailability = CPU_FLAVORS.map((c) => ({ id: c.id, name: c.name, availability: "HIGH" }));
  }
  return out;
}

// ------------------------------------------------------------------------------ body mapping

function containerPatchV2(b: Record<string, any>): Partial<ContainerFields> {
  const out: Partial<ContainerFields> = {};
  if (has(b, "image")) out.image = b.image;
  if (has(b, "args")) {
    out.args = b.args;
    out.dockerEntrypoint = [];
    out.dockerStartCmd = splitArgs(b.args);
  }
  if (has(b, "disk")) out.disk = b.disk;
  if (has(b, "env")) out.env = b.env;
  if (has(b, "ports")) out.ports = b.ports;
  if (has(b, "registry")) out.registryId = b.registry;
  return out;
}

const V2_CONTAINER_DEFAULTS: ContainerFields = {
  image: "",
  args: "",
  dockerEntrypoint: [],
  dockerStartCmd: [],
  disk: 50,
  env: {},
  ports: [],
  registryId: null,
};

function scalingFromV2(s: Record<string, any>): { scalerType: ScalerType; scalerValue: number } {
  return s.type === "QUEUE_DELAY"
    ? { scalerType: "QUEUE_DELAY", scalerValue: Number(s.queueDelay) }
    : { scalerType: "REQUEST_COUNT", scalerValue: Number(s.requestCount) };
}

// ------------------------------------------------------------------------------ dispatcher

export function handleV2(call: OperationCall): WireResult {
  try {
    return dispatchV2(call);
  } catch (err) {
    if (err instanceof DomainError) return domainErrorV2(err, call.operationId);
    throw err;
  }
}

function dispatchV2(call: OperationCall): WireResult {
  const { store, operationId, params, query } = call;
  const b = asRecord(call.body);
  const id = params.id !== undefined ? decodeURIComponent(params.id) : "";

  switch (operationId) {
    // -------------------------------------------------------------- network volumes
    case "listNetworkVolumes":
      return { status: 200, body: { networkVolumes: [...store.volumes.values()].map(renderVolumeV2) } };
    case "createNetworkVolume":
      return { status: 201, body: renderVolumeV2(store.createVolume({ name: b.name, size: b.size, dataCenterId: b.dataCenter, type: b.type })) };
    case "getNetworkVolume":
      return { status: 200, body: renderVolumeV2(store.getVolume(id)) };
    case "updateNetworkVolume":
      return { status: 200, body: renderVolumeV2(store.updateVolume(id, { name: b.name, size: b.size })) };
    case "deleteNetworkVolume":
      store.deleteVolume(id);
      return { status: 204 };

    // -------------------------------------------------------------- templates
    case "listTemplates":
      return { status: 200, body: { templates: store.listTemplates({ includeBound: false }).map(renderTemplateV2) } };
    case "listPublicTemplates": {
      const source = typeof query.source === "string" ? query.source : "official";
      return { status: 200, body: { templates: source === "official" ? store.listCatalogTemplates().map(renderTemplateV2) : [] } };
    }
    case "createTemplate": {
      const c = { ...V2_CONTAINER_DEFAULTS, ...containerPatchV2(b) };
      const persistent = asRecord(asRecord(b.mounts).persistent);
      const t = store.createTemplate({
        ...c,
        name: b.name,
        category: b.category ?? "NVIDIA",
        serverless: b.serverless ?? false,
        public: b.public ?? false,
        readme: "",
        volumeInGb: has(persistent, "size") ? persistent.size : 0,
        volumeMountPath: has(persistent, "path") ? persistent.path : "/workspace",
        startSsh: b.startSsh ?? true,
        startJupyter: b.startJupyter ?? true,
        allowedCudaVersions: b.allowedCudaVersions ?? [],
      });
      return { status: 201, body: renderTemplateV2(t) };
    }
    case "getTemplate":
      return { status: 200, body: renderTemplateV2(store.getTemplate(id)) };
    case "updateTemplate": {
      const patch: Record<string, unknown> = { ...containerPatchV2(b) };
      for (const k of ["name", "category", "serverless", "public", "startSsh", "startJupyter", "allowedCudaVersions"]) {
        if (has(b, k)) patch[k] = b[k];
      }
      const persistent = asRecord(asRecord(b.mounts).persistent);
      if (has(persistent, "size")) {
        patch.volumeInGb = persistent.size;
        patch.volumeMountPath = persistent.path;
      }
      return { status: 200, body: renderTemplateV2(store.updateTemplate(id, patch)) };
    }
    case "deleteTemplate":
      store.deleteTemplate(id);
      return { status: 204 };

    // -------------------------------------------------------------- registries
    case "listRegistries":
      return { status: 200, body: { registries: [...store.registries.values()].map(renderRegistryV2) } };
    case "createRegistry":
      return { status: 201, body: renderRegistryV2(store.createRegistry({ name: b.name, username: b.username, password: b.password })) };
    case "getRegistry":
      return { status: 200, body: renderRegistryV2(store.getRegistry(id)) };
    case "deleteRegistry":
      store.deleteRegistry(id);
      return { status: 204 };

    // -------------------------------------------------------------- pods
    case "listPods":
      return { status: 200, body: { pods: [...store.pods.values()].filter((p) => p.status !== "TERMINATED").map((p) => renderPodV2(store, p)) } };
    case "createPod": {
      if (has(b, "gpu") === has(b, "cpu")) {
        throw new DomainError("invalid", "exactly one of gpu or cpu is required", has(b, "gpu") ? "cpu" : "gpu");
      }
      const mounts = asRecord(b.mounts);
      if (has(mounts, "persistent") && has(mounts, "network")) {
        throw new DomainError("invalid", "persistent and network mounts are mutually exclusive", "mounts");
      }
      const explicit: Record<string, unknown> = { ...containerPatchV2(b) };
      let networkVolumeId: string | null = null;
      if (has(mounts, "persistent")) {
        explicit.volumeInGb = mounts.persistent.size;
        explicit.volumeMountPath = mounts.persistent.path;
      }
      if (Array.isArray(mounts.network) && mounts.network.length) {
        networkVolumeId = mounts.network[0].volumeId;
        explicit.volumeMountPath = mounts.network[0].path;
      }
      const gpu = asRecord(b.gpu);
      const cpu = asRecord(b.cpu);
      const pod = store.createPod({
        via: "v2",
        name: b.name,
        templateId: b.templateId,
        explicit,
        defaults: { ...V2_CONTAINER_DEFAULTS, volumeInGb: 0, volumeMountPath: "/workspace" },
        computeType: has(b, "gpu") ? "GPU" : "CPU",
        gpuTypeIds: has(b, "gpu") ? [gpu.id] : [],
        gpuCount: gpu.count ?? 1,
        cpuFlavorIds: has(b, "cpu") ? [cpu.id] : [],
        vcpuCount: cpu.vcpuCount ?? 2,
        cloud: b.cloud ?? "SECURE",
        dataCenterIds: b.dataCenterIds ?? [],
        interruptible: false,
        locked: false,
        globalNetworking: b.globalNetworking ?? false,
        allowedCudaVersions: gpu.allowedCudaVersions,
        minCudaVersion: gpu.minCudaVersion,
        networkVolumeId,
        startSsh: b.startSsh,
        startJupyter: b.startJupyter,
      });
      return { status: 201, body: renderPodV2(store, pod) };
    }
    case "getPod":
      return { status: 200, body: renderPodV2(store, store.getPod(id, { poll: true })) };
    case "updatePod": {
      const mounts = asRecord(b.mounts);
      if (has(mounts, "persistent") && has(mounts, "network")) {
        throw new DomainError("invalid", "persistent and network mounts are mutually exclusive", "mounts");
      }
      const pod = store.updatePod(
        id,
        {
          ...containerPatchV2(b),
          name: b.name,
          locked: b.locked,
          globalNetworking: b.globalNetworking,
          templateId: b.templateId,
          mounts: has(b, "mounts") ? { persistent: mounts.persistent, network: mounts.network } : undefined,
        },
        { wire: "v2" },
      );
      return { status: 200, body: renderPodV2(store, pod) };
    }
    case "deletePod":
      store.deletePod(id, "v2");
      return { status: 204 };
    case "podAction": {
      const pod = store.podAction(id, b.action, "v2");
      return pod ? { status: 200, body: renderPodV2(store, pod) } : { status: 204 };
    }

    // -------------------------------------------------------------- serverless endpoints
    case "listEndpoints":
      return { status: 200, body: { endpoints: [...store.endpoints.values()].map(renderEndpointV2) } };
    case "createEndpoint": {
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
    }
    case "getEndpoint":
      return { status: 200, body: renderEndpointV2(store.getEndpoint(id)) };
    case "updateEndpoint": {
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
    }
    case "deleteEndpoint":
      store.deleteEndpoint(id);
      return { status: 204 };
    case "listEndpointReleases": {
      const e = store.getEndpoint(id);
      const workers = e.workersMin;
      return {
        status: 200,
        body: {
          endpointVersion: e.version,
          rollout: { inProgress: false, workersOnLatest: workers, workersTotal: workers, percentOnLatest: 100 },
          releases: e.releases.map((r) => ({
            id: r.id,
            version: r.version,
            source: "MANUAL",
            buildId: null,
            createdByUserId: "user_emulator",
            workerCount: r.version === e.version ? workers : 0,
            createdAt: r.createdAt,
            diff: r.diff,
          })),
        },
      };
    }
    case "listEndpointWorkers": {
      const e = store.getEndpoint(id);
      const workers = workerIds(e).map((wid) => ({
        id: wid,
        status: "IDLE",
        isStale: false,
        version: e.version,
        gpuCount: e.computeType === "GPU" ? e.gpuCount : 0,
        image: e.image,
        uptimeSeconds: 0,
        gpuTypeId: e.computeType === "GPU" ? (e.gpuTypeIds[0] ?? null) : null,
        dataCenterId: e.dataCenterIds[0] ?? "EU-RO-1",
        startedAt: e.createdAt,
      }));
      return {
        status: 200,
        body: {
          workers,
          summary: { running: 0, idle: workers.length, initializing: 0, throttled: 0, unhealthy: 0, total: workers.length },
          endpointVersion: e.version,
        },
      };
    }

    // -------------------------------------------------------------- catalog
    case "listGpuTypes": {
      const bad = catalogArgErrors(query, ["count", "cloud", "countryCodes", "cudaVersions", "minCudaVersion"], true);
      if (bad) return bad;
      const gpus = GPU_TYPES.map((g) => renderGpuType(store, g, query)).filter((g): g is Record<string, unknown> => g !== null);
      return { status: 200, body: { gpus } };
    }
    case "getGpuType": {
      const bad = catalogArgErrors(query, ["count", "cloud", "countryCodes", "cudaVersions", "minCudaVersion"], true);
      if (bad) return bad;
      const g = findGpuType(id);
      if (!g) return problem(404, `GPU type ${id} not found`);
      const rendered = renderGpuType(store, g, query) ?? { ...renderGpuType(store, g, {}), availability: "NONE" };
      return { status: 200, body: rendered };
    }
    case "listCpuTypes": {
      const bad = catalogArgErrors(query, ["vcpuCount"], true);
      if (bad) return bad;
      if (typeof query.vcpuCount === "number" && (query.vcpuCount & (query.vcpuCount - 1)) !== 0) {
        return problem(400, "vcpuCount must be a power of two", ["vcpuCount: must be a power of two"]);
      }
      return { status: 200, body: { cpus: CPU_FLAVORS.map((c) => renderCpuType(c, query)) } };
    }
    case "getCpuType": {
      const bad = catalogArgErrors(query, ["vcpuCount"], true);
      if (bad) return bad;
      const c = findCpuFlavor(id);
      if (!c) return problem(404, `CPU type ${id} not found`);
      return { status: 200, body: renderCpuType(c, query) };
    }
    case "listDataCenters": {
      const include = queryList(query, "include") ?? [];
      const regions = queryList(query, "regions");
      const volumeTypes = queryList(query, "networkVolumeTypes");
      const compliance = queryList(query, "compliance");
      const globalNetwork = query.globalNetwork;
      const dcs = DATA_CENTERS.filter(
        (d) =>
          (!regions || regions.includes(d.region)) &&
          (!volumeTypes || volumeTypes.every((t) => (d.networkVolumeTypes as string[]).includes(t))) &&
          (!compliance || compliance.every((c) => d.compliance.includes(c))) &&
          (typeof globalNetwork !== "boolean" || d.globalNetwork === globalNetwork),
      );
      return { status: 200, body: { dataCenters: dcs.map((d) => renderDataCenter(store, d, include)) } };
    }
    case "getDataCenter": {
      const d = findDataCenter(id);
      if (!d) return problem(404, `data center ${id} not found`);
      return { status: 200, body: renderDataCenter(store, d, queryList(query, "include") ?? []) };
    }

    default:
      return problem(501, `${operationId} is part of the Runpod v2 API but is not emulated by runpod-emulator`);
  }
}
