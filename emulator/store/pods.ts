// Pods: create (template expansion, placement, GPU/CPU choice), update, actions, delete.
import { PodLifecycleStore } from "./pod-lifecycle";
import { CpuFlavorInfo, DATA_CENTERS, DEFAULT_CUDA_VERSION, GpuTypeInfo, findCpuFlavor, findDataCenter, findGpuType, hostingDataCenters } from "../catalog";
import { ContainerFields, DomainError, PodCreate, StoredNetworkVolume, StoredPod, clone, cudaGte, isPowerOfTwo, joinArgs, splitArgs } from "./types";

export class PodStore extends PodLifecycleStore {
  /** The data centres among `requested` (none: all) that host `g` and have `count` of its GPUs free. */
  protected stockedDataCenters(g: GpuTypeInfo, requested: string[], count: number): string[] {
    return hostingDataCenters(g, requested.length ? requested : undefined).filter((dc) => this.freeGpus(g.id, dc) >= count);
  }

  /** The data centres among `requested` (none: all) that have `vcpus` of flavour `c` free. */
  protected stockedCpuDataCenters(c: CpuFlavorInfo, requested: string[], vcpus: number): string[] {
    return hostingDataCenters(null, requested.length ? requested : undefined).filter((dc) => this.freeCpus(c.id, dc) >= vcpus);
  }

  protected chooseDataCenter(
    requested: string[],
    volume: StoredNetworkVolume | null,
    globalNetworking: boolean,
    gpuType: GpuTypeInfo | null = null,
    gpuCount = 0,
    cpu: { flavor: CpuFlavorInfo; vcpus: number } | null = null,
  ): string {
    let candidates = requested.length ? requested : DATA_CENTERS.map((d) => d.id);
    const unknown = candidates.find((id) => !findDataCenter(id));
    if (unknown) throw new DomainError("invalid", `unknown data center ${unknown}`, "dataCenterIds");
    if (volume) {
      if (!candidates.includes(volume.dataCenterId)) {
        throw new DomainError(
          "invalid",
          `network volume ${volume.id} is in ${volume.dataCenterId}; the pod must be placed in the volume's data center (requested: ${requested.join(", ")})`,
          "networkVolumeId",
        );
      }
      candidates = [volume.dataCenterId];
    }
    if (globalNetworking) {
      candidates = candidates.filter((id) => findDataCenter(id)?.globalNetwork);
      if (!candidates.length) {
        throw new DomainError("invalid", "global networking requires a global-networking-enabled data center", "globalNetworking");
      }
    }
    // Only data centres in service that host the chosen GPU type can take the pod (the catalog says the same).
    const hosting = hostingDataCenters(gpuType, candidates);
    if (!hosting.length)
      throw new DomainError("capacity", `no data center among ${candidates.join(", ")} hosts ${gpuType ? gpuType.id : "CPU pods"} right now`);
    // Stock is per GPU type (CPU flavour) and data centre: the pod goes where its GPUs (vCPUs) are free.
    const stocked = gpuType
      ? hosting.filter((dc) => this.freeGpus(gpuType.id, dc) >= gpuCount)
      : cpu
        ? hosting.filter((dc) => this.freeCpus(cpu.flavor.id, dc) >= cpu.vcpus)
        : hosting;
    if (!stocked.length) throw new DomainError("capacity", `no ${gpuType ? gpuType.id : cpu!.flavor.id} free in ${hosting.join(", ")} right now`);
    return stocked[0];
  }

  createPod(input: PodCreate): StoredPod {
    const template = input.templateId ? this.requireTemplate(input.templateId, "templateId") : null;
    if (template && template.serverless) {
      throw new DomainError("schema", `template ${template.id} is a serverless template and cannot be used for a pod`, "templateId");
    }
    const isCpu = input.computeType === "CPU";

    // Container settings: wire defaults < template < explicit body (env merged per key, body wins).
    const base = { ...clone(input.defaults) };
    if (template) {
      Object.assign(base, {
        image: template.image,
        args: template.args,
        dockerEntrypoint: clone(template.dockerEntrypoint),
        dockerStartCmd: clone(template.dockerStartCmd),
        disk: template.disk,
        env: clone(template.env),
        ports: clone(template.ports),
        registryId: template.registryId,
      });
      if (!isCpu && template.volumeInGb > 0) {
        base.volumeInGb = template.volumeInGb;
        base.volumeMountPath = template.volumeMountPath;
      }
    }
    const explicit = clone(input.explicit);
    const env = { ...base.env, ...(explicit.env ?? {}) };
    const c = { ...base, ...explicit, env };
    // A v2 body's `args` string is kept verbatim (its split words are only for v1 rendering);
    // re-joining them would lose the client's quoting.
    if ((explicit.dockerEntrypoint !== undefined || explicit.dockerStartCmd !== undefined) && explicit.args === undefined) {
      c.args = joinArgs(c.dockerEntrypoint, c.dockerStartCmd);
    } else if (explicit.args !== undefined) {
      c.dockerEntrypoint = [];
      c.dockerStartCmd = splitArgs(c.args);
    }
    if (!c.image) {
      throw new DomainError("invalid", `${input.via === "v1" ? "imageName" : "image"} is required unless templateId is set`, "image");
    }
    this.requireRegistry(c.registryId, input.via === "v2" ? "registry" : "containerRegistryAuthId");

    const volume = input.networkVolumeId
      ? this.requireVolume(input.networkVolumeId, input.via === "v2" ? "mounts.network[0].volumeId" : "networkVolumeId")
      : null;
    if (volume) c.volumeInGb = 0;
    if (isCpu && input.via === "v2" && input.explicit.volumeInGb) {
      throw new DomainError("invalid", "persistent mounts are not allowed on CPU pods", "mounts.persistent");
    }
    if (isCpu && input.globalNetworking) {
      throw new DomainError("invalid", "global networking requires an NVIDIA GPU pod", "globalNetworking");
    }

    const allowedCuda = input.allowedCudaVersions ?? (input.minCudaVersion ? [] : (template?.allowedCudaVersions ?? []));
    const minCuda = input.minCudaVersion ?? null;
    if (allowedCuda.length && minCuda) {
      throw new DomainError("invalid", "gpu.allowedCudaVersions (non-empty) and gpu.minCudaVersion are mutually exclusive", "gpu.minCudaVersion");
    }

    let gpuType: GpuTypeInfo | undefined;
    let cpuFlavor: CpuFlavorInfo | undefined;
    let vcpuCount = input.vcpuCount;
    let memoryInGb: number;
    let cudaVersion: string | null = null;
    if (!isCpu) {
      if (input.gpuTypeIds.length === 0) throw new DomainError("invalid", "a GPU type is required for a GPU pod", "gpuTypeIds");
      const known = input.gpuTypeIds.map((id) => findGpuType(id)).filter((g): g is GpuTypeInfo => g !== undefined);
      if (input.via === "v2" && known.length === 0) {
        throw new DomainError("invalid", `unknown GPU type ${input.gpuTypeIds[0]} (see GET /v2/catalog/gpus)`, "gpu.id");
      }
      const cudaFor = (g: GpuTypeInfo): { ok: boolean; version: string | null } => {
        if (!g.cudaVersions.length) return { ok: !allowedCuda.length && !minCuda, version: null };
        let versions = g.cudaVersions;
        if (allowedCuda.length) versions = versions.filter((v) => allowedCuda.includes(v));
        if (minCuda) versions = versions.filter((v) => cudaGte(v, minCuda));
        if (!versions.length) return { ok: false, version: null };
        return { ok: true, version: versions.includes(DEFAULT_CUDA_VERSION) ? DEFAULT_CUDA_VERSION : versions[0] };
      };
      const cloudOk = (g: GpuTypeInfo) => (input.cloud === "COMMUNITY" ? g.community : g.secure);
      // v1's gpuTypePriority "availability" (its default) takes the listed type with the most free
      // GPUs; "custom" (and v2's single type) the list order.
      const free = (g: GpuTypeInfo) => this.stockedDataCenters(g, input.dataCenterIds, 0).reduce((n, dc) => n + this.freeGpus(g.id, dc), 0);
      const ordered = input.gpuTypePriority === "availability" ? [...known].sort((a, b) => (free(b) > free(a) ? 1 : free(b) < free(a) ? -1 : 0)) : known;
      gpuType = ordered.find(
        (g) =>
          cloudOk(g) &&
          g.maxCount >= input.gpuCount &&
          cudaFor(g).ok &&
          // an unknown requested id is reported as such by chooseDataCenter, not as missing capacity
          (input.dataCenterIds.some((id) => !findDataCenter(id)) || this.stockedDataCenters(g, input.dataCenterIds, input.gpuCount).length > 0),
      );
      if (!gpuType) {
        const what = `${input.gpuCount} x ${input.gpuTypeIds.join(" | ")}`;
        throw new DomainError(
          "capacity",
          `no ${input.cloud} capacity for ${what}${allowedCuda.length || minCuda ? " with the requested CUDA constraint" : ""}`,
        );
      }
      cudaVersion = cudaFor(gpuType).version;
      vcpuCount = 8 * input.gpuCount;
      memoryInGb = 31 * input.gpuCount;
    } else {
      const listed = input.cpuFlavorIds.length ? input.cpuFlavorIds : ["cpu3c"];
      const fitting = listed
        .map((id) => findCpuFlavor(id))
        .filter((f): f is CpuFlavorInfo => f !== undefined && vcpuCount >= f.minVcpu && vcpuCount <= f.maxVcpu);
      if (!fitting.length) {
        throw new DomainError(
          "invalid",
          `no CPU flavor among ${input.cpuFlavorIds.join(", ") || "cpu3c"} offers ${vcpuCount} vCPUs`,
          input.via === "v2" ? "cpu.vcpuCount" : "vcpuCount",
        );
      }
      if (!isPowerOfTwo(vcpuCount)) throw new DomainError("invalid", "vcpuCount must be a power of two", input.via === "v2" ? "cpu.vcpuCount" : "vcpuCount");
      // As for GPUs: v1's cpuFlavorPriority "availability" (its default) takes the listed flavour
      // with the most free vCPUs, "custom" (and v2's single flavour) the list order.
      const free = (f: CpuFlavorInfo) => this.stockedCpuDataCenters(f, input.dataCenterIds, 0).reduce((n, dc) => n + this.freeCpus(f.id, dc), 0);
      const ordered = input.cpuFlavorPriority === "availability" ? [...fitting].sort((a, b) => (free(b) > free(a) ? 1 : free(b) < free(a) ? -1 : 0)) : fitting;
      cpuFlavor = ordered.find(
        (f) => input.dataCenterIds.some((id) => !findDataCenter(id)) || this.stockedCpuDataCenters(f, input.dataCenterIds, vcpuCount).length > 0,
      );
      if (!cpuFlavor) throw new DomainError("capacity", `no ${input.cloud} capacity for ${vcpuCount} vCPUs of ${listed.join(" | ")}`);
      memoryInGb = vcpuCount * cpuFlavor.ramGbPerVcpu;
    }

    const dataCenterId = this.chooseDataCenter(
      input.dataCenterIds,
      volume,
      input.globalNetworking,
      gpuType ?? null,
      isCpu ? 0 : input.gpuCount,
      cpuFlavor ? { flavor: cpuFlavor, vcpus: vcpuCount } : null,
    );

    // Create-time flags (v2): startJupyter injects a generated JUPYTER_PASSWORD unless env sets one.
    // startSsh would inject PUBLIC_KEY from the account's SSH keys; the emulated account has none.
    const startJupyter = input.startJupyter ?? template?.startJupyter ?? false;
    if (input.via === "v2" && startJupyter && c.env.JUPYTER_PASSWORD === undefined) {
      c.env.JUPYTER_PASSWORD = this.rng.id(20);
    }

    const pod: StoredPod = {
      id: this.newId(14, this.pods),
      name: input.name,
      image: c.image,
      args: c.args,
      dockerEntrypoint: c.dockerEntrypoint,
      dockerStartCmd: c.dockerStartCmd,
      disk: c.disk,
      env: c.env,
      ports: c.ports,
      registryId: c.registryId,
      templateId: input.via === "v1" && template ? template.id : null,
      computeType: input.computeType,
      gpuTypeId: gpuType ? gpuType.id : null,
      gpuCount: isCpu ? 0 : input.gpuCount,
      cpuFlavorId: cpuFlavor ? cpuFlavor.id : null,
      vcpuCount,
      memoryInGb,
      cloud: input.cloud,
      requestedDataCenterIds: clone(input.dataCenterIds),
      dataCenterId,
      interruptible: input.interruptible,
      locked: input.locked,
      globalNetworking: input.globalNetworking,
      allowedCudaVersions: allowedCuda,
      minCudaVersion: minCuda,
      volumeInGb: c.volumeInGb,
      volumeMountPath: c.volumeMountPath,
      networkVolumeId: volume ? volume.id : null,
      status: "PROVISIONING",
      pollsRemaining: 0,
      failOnReady: false,
      holdsCapacity: false,
      publicIp: null,
      portMappings: null,
      globalIp: null,
      machineId: this.rng.id(12),
      cudaVersion,
      createdAt: this.nowIso(),
      startedAt: null,
      lastStatusChange: "",
      createdVia: input.via,
      cluster: null,
    };
    this.acquireCapacity(pod, false);
    this.pods.set(pod.id, pod);
    this.markCreated(pod.id);
    if (template) this.touchTemplate(template.id);
    this.beginStart(pod, "PROVISIONING");
    return pod;
  }

  /** Fields the v1/v2 update bodies may carry, already in internal names. */
  updatePod(
    id: string,
    patch: Partial<ContainerFields> & {
      name?: string;
      locked?: boolean;
      globalNetworking?: boolean;
      volumeInGb?: number;
      volumeMountPath?: string;
      templateId?: string;
      mounts?: { persistent?: { size: number; path: string }; network?: Array<{ volumeId: string; path: string }> };
    },
    mode: { wire: "v1" | "v2" },
  ): StoredPod {
    const pod = this.getPod(id);
    if (pod.status === "TERMINATED") throw new DomainError("notFound", `pod ${id} not found`);
    const transitioning = pod.status === "PROVISIONING" || pod.status === "STARTING";
    if (mode.wire === "v2" && transitioning) {
      throw new DomainError("conflict", `pod ${id} is ${pod.status}; retry the update once it is RUNNING or EXITED`);
    }

    const next: Partial<ContainerFields> = {};
    if (patch.templateId !== undefined) {
      const t = this.requireTemplate(patch.templateId, "templateId");
      if (t.serverless) throw new DomainError("schema", `template ${t.id} is a serverless template and cannot be applied to a pod`, "templateId");
      Object.assign(next, {
        image: t.image,
        args: t.args,
        dockerEntrypoint: clone(t.dockerEntrypoint),
        dockerStartCmd: clone(t.dockerStartCmd),
        disk: t.disk,
        env: clone(t.env),
        ports: clone(t.ports),
        registryId: t.registryId,
      });
    }
    for (const k of ["image", "args", "dockerEntrypoint", "dockerStartCmd", "disk", "ports", "registryId"] as const) {
      if (patch[k] !== undefined) (next as Record<string, unknown>)[k] = clone(patch[k]);
    }
    if (patch.env !== undefined) next.env = { ...(next.env ?? {}), ...clone(patch.env) };
    if (next.registryId) this.requireRegistry(next.registryId, mode.wire === "v2" ? "registry" : "containerRegistryAuthId");

    // v2 mounts PATCH rules (see the Mounts schema description).
    let volumeInGb = patch.volumeInGb;
    let volumeMountPath = patch.volumeMountPath;
    if (patch.mounts) {
      const m = patch.mounts;
      if (m.persistent && m.network) throw new DomainError("invalid", "mounts: persistent and network are mutually exclusive", "mounts");
      if (m.network) {
        if (m.network.length === 0) throw new DomainError("invalid", "mounts.network: clearing mounts is not supported", "mounts.network");
        if (!pod.networkVolumeId)
          throw new DomainError("invalid", "mounts.network: mount kind is fixed at create; this pod has no network mount", "mounts.network");
        if (m.network[0].volumeId !== pod.networkVolumeId) {
          throw new DomainError("invalid", "mounts.network[0].volumeId: the network volume of a pod is immutable", "mounts.network[0].volumeId");
        }
        volumeMountPath = m.network[0].path;
      }
      if (m.persistent) {
        if (pod.networkVolumeId || pod.volumeInGb <= 0) {
          throw new DomainError("invalid", "mounts.persistent: mount kind is fixed at create; this pod has no persistent mount", "mounts.persistent");
        }
        volumeInGb = m.persistent.size;
        volumeMountPath = m.persistent.path;
      }
    }
    if (volumeInGb !== undefined && volumeInGb < pod.volumeInGb) {
      throw new DomainError(
        "invalid",
        `volume size can be increased but not decreased (current ${pod.volumeInGb} GB)`,
        mode.wire === "v2" ? "mounts.persistent.size" : "volumeInGb",
      );
    }

    // v1: any change other than name/locked resets the pod (the container restarts).
    const resetting =
      mode.wire === "v1" && (Object.keys(next).length > 0 || patch.globalNetworking !== undefined || volumeInGb !== undefined || volumeMountPath !== undefined);
    if (resetting && (patch.locked ?? pod.locked) && pod.status !== "EXITED" && pod.status !== "ERROR") {
      throw new DomainError("conflict", `pod ${id} is locked; locked pods cannot be reset (unlock it first)`);
    }

    Object.assign(pod, next);
    if (next.args !== undefined && patch.dockerEntrypoint === undefined && patch.dockerStartCmd === undefined) {
      pod.dockerEntrypoint = [];
      pod.dockerStartCmd = splitArgs(next.args);
    } else if ((patch.dockerEntrypoint !== undefined || patch.dockerStartCmd !== undefined) && patch.args === undefined) {
      pod.args = joinArgs(pod.dockerEntrypoint, pod.dockerStartCmd);
    }
    if (patch.name !== undefined) pod.name = patch.name;
    if (patch.locked !== undefined) pod.locked = patch.locked;
    if (patch.globalNetworking !== undefined) {
      if (patch.globalNetworking && pod.computeType === "CPU")
        throw new DomainError("invalid", "global networking requires an NVIDIA GPU pod", "globalNetworking");
      pod.globalNetworking = patch.globalNetworking;
      if (!patch.globalNetworking) pod.globalIp = null;
    }
    if (volumeInGb !== undefined) pod.volumeInGb = volumeInGb;
    if (volumeMountPath !== undefined) pod.volumeMountPath = volumeMountPath;

    if (resetting && (pod.status === "RUNNING" || transitioning)) {
      this.beginStart(pod, "STARTING");
    }
    return pod;
  }

  /** v1 /start|/stop|/reset|/restart and v2 action start|stop|restart|terminate. */
  podAction(id: string, action: "start" | "stop" | "restart" | "reset" | "terminate", wire: "v1" | "v2"): StoredPod | null {
    const pod = this.getPod(id);
    if (pod.status === "TERMINATED") throw new DomainError("notFound", `pod ${id} not found`);
    const running = pod.status === "RUNNING";
    const transitioning = pod.status === "PROVISIONING" || pod.status === "STARTING";
    const stopped = pod.status === "EXITED" || pod.status === "ERROR";
    const strict = wire === "v2";

    switch (action) {
      case "terminate":
        this.deletePod(id, wire);
        return null;
      case "stop":
        if (pod.locked) throw new DomainError("conflict", `pod ${id} is locked; locked pods cannot be stopped (unlock it first)`);
        if (stopped) {
          if (strict) throw new DomainError("conflict", `action stop is not valid for a pod in status ${pod.status}`);
          return pod;
        }
        this.goExited(pod, "Exited by User");
        return pod;
      case "start":
        if (running || transitioning) {
          if (strict) throw new DomainError("conflict", `action start is not valid for a pod in status ${pod.status}`);
          return pod;
        }
        this.acquireCapacity(pod, true);
        this.beginStart(pod, "STARTING");
        return pod;
      case "restart":
      case "reset":
        if (pod.locked)
          throw new DomainError("conflict", `pod ${id} is locked; locked pods cannot be ${action === "reset" ? "reset" : "restarted"} (unlock it first)`);
        if (strict && !running) throw new DomainError("conflict", `action restart is not valid for a pod in status ${pod.status}`);
        if (stopped) this.acquireCapacity(pod, true);
        this.beginStart(pod, "STARTING");
        return pod;
    }
  }

  deletePod(id: string, wire: "v1" | "v2"): void {
    const pod = this.getPod(id);
    if (wire === "v2" && pod.locked) {
      throw new DomainError("conflict", `pod ${id} is locked; unlock it (PATCH {"locked": false}) before terminating`);
    }
    this.releaseCapacity(pod);
    pod.status = "TERMINATED";
    this.pods.delete(id);
    this.touchTemplate(pod.templateId);
  }
}
