// REST v2 /v2/pods: pods, their lifecycle actions and the v2 Pod rendering.
import { DomainError, Store, StoredPod } from "../state";
import { RouteTable, WireResult, asRecord, has } from "../wire";
import { V2_CONTAINER_DEFAULTS, containerPatchV2, containerV2, problem } from "./common";

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
    globalNetworking:
      p.globalNetworking && p.globalIp ? { enabled: true, ip: p.globalIp, internalDns: `${p.id}.runpod.internal` } : { enabled: p.globalNetworking },
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
  if (p.cluster) out.cluster = { id: p.cluster.id, rank: p.cluster.rank, ...(p.cluster.ip ? { ip: p.cluster.ip } : {}) };
  if (p.computeType === "GPU" && p.gpuTypeId) out.gpu = { id: p.gpuTypeId, count: p.gpuCount };
  if (p.computeType === "CPU" && p.cpuFlavorId) out.cpu = { id: p.cpuFlavorId, vcpuCount: p.vcpuCount, memory: p.memoryInGb };
  return out;
}

/** v2 spec: cluster member pods are managed through /v2/clusters; PATCH/DELETE answer 409 (without RateLimit headers). */
function clusterConflict(store: Store, id: string, verb: "modified" | "terminated"): WireResult | null {
  const pod = store.pods.get(id);
  if (!pod?.cluster) return null;
  return {
    ...problem(409, `Pod belongs to a cluster and cannot be ${verb} via the pod endpoints (cluster ${pod.cluster.id}).`),
    omitRateLimitHeaders: true,
  };
}

export const podRoutes: RouteTable = {
  "GET /v2/pods": {
    operationId: "listPods",
    handle: ({ store, query }) => {
      // Cluster members are left out unless asked for (v2 spec, `includeClusterPods`).
      const pods = [...store.pods.values()].filter((p) => p.status !== "TERMINATED" && (!p.cluster || query.includeClusterPods === true));
      return { status: 200, body: { pods: store.listed(pods).map((p) => renderPodV2(store, p)) } };
    },
  },
  "POST /v2/pods": {
    operationId: "createPod",
    handle: ({ store, b }) => {
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
    },
  },
  "GET /v2/pods/{id}": {
    operationId: "getPod",
    handle: ({ store, id }) => {
      return { status: 200, body: renderPodV2(store, store.getPod(id, { poll: true })) };
    },
  },
  "PATCH /v2/pods/{id}": {
    operationId: "updatePod",
    handle: ({ store, b, id }) => {
      const member = clusterConflict(store, id, "modified");
      if (member) return member;
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
    },
  },
  "DELETE /v2/pods/{id}": {
    operationId: "deletePod",
    handle: ({ store, id }) => {
      const member = clusterConflict(store, id, "terminated");
      if (member) return member;
      store.deletePod(id, "v2");
      return { status: 204 };
    },
  },
  "POST /v2/pods/{id}/action": {
    operationId: "podAction",
    handle: ({ store, b, id }) => {
      // The pod's `actions` list is the contract: an action it does not list is a 409.
      const current = store.getPod(id);
      if (current.status !== "TERMINATED" && !current.locked && !store.podActions(current).includes(b.action)) {
        return problem(409, `Action not valid for current pod status: ${b.action} is not among the actions of a ${current.status} pod`);
      }
      const pod = store.podAction(id, b.action, "v2");
      return pod ? { status: 200, body: renderPodV2(store, pod) } : { status: 204 };
    },
  },
};
