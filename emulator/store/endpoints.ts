// Serverless endpoints: GPU pools <-> types, rules, releases, bound templates, workers.
import { PodStore } from "./pods";
import { EndpointWorkers, ForcedWorkerStatus, forceWorkers, stepWorkers, stockedPlacement, WorkerTarget } from "./endpoint-workers";
import { findCpuFlavor, findDataCenter, findGpuType, gpuTypesInPool, serverlessPools } from "../catalog";
import { Prng } from "../prng";
import {
  ContainerFields,
  DomainError,
  EndpointCreate,
  EndpointPatch,
  StoredEndpoint,
  StoredTemplate,
  ReleaseRecord,
  clone,
  isPowerOfTwo,
  splitArgs,
} from "./types";

export class EndpointStore extends PodStore {
  /** Each endpoint's workers (see endpoint-workers.ts), kept beside the endpoint so its stored shape stays the API's. */
  protected readonly endpointWorkerSims = new Map<string, EndpointWorkers>();
  /** What the next created endpoint's workers are forced to (the "next" test hook). */
  protected nextEndpointWorkers: ForcedWorkerStatus | null = null;

  getEndpoint(id: string): StoredEndpoint {
    const e = this.endpoints.get(id);
    if (!e) throw new DomainError("notFound", `endpoint ${id} not found`);
    return e;
  }

  override reset(rng: Prng): void {
    super.reset(rng);
    this.endpointWorkerSims.clear();
    this.nextEndpointWorkers = null;
  }

  private workerTarget(e: StoredEndpoint): WorkerTarget {
    const fallback = { gpuTypeId: e.computeType === "GPU" ? (e.gpuTypeIds[0] ?? null) : null, dataCenterId: e.dataCenterIds[0] ?? "EU-RO-1" };
    return { id: e.id, version: e.version, workersMin: e.workersMin, stocked: stockedPlacement(e, this), fallback };
  }

  private workerSim(id: string): EndpointWorkers {
    let sim = this.endpointWorkerSims.get(id);
    if (!sim) {
      sim = { workers: [], forced: null, started: 0 };
      this.endpointWorkerSims.set(id, sim);
    }
    return sim;
  }

  private get workerReadyAfterPolls(): number {
    return this.opts.endpointWorkerReadyAfterPolls ?? 1;
  }

  /**
   * The endpoint's workers as an observer sees them now; `observe` moves them one step first
   * (workers coming up, a release rolling out), as each poll of the worker or release view does.
   */
  endpointWorkers(id: string, observe: boolean): EndpointWorkers {
    const e = this.getEndpoint(id);
    const sim = this.workerSim(id);
    if (observe) stepWorkers(sim, this.workerTarget(e), this.workerReadyAfterPolls, this.opts.now());
    return sim;
  }

  /**
   * Test hook: the endpoint's workers not up yet, and those that start later, go THROTTLED /
   * UNHEALTHY (null: recover). "next": the next endpoint created, from its first worker on.
   */
  forceEndpointWorkers(id: string, status: ForcedWorkerStatus | null): void {
    if (id === "next") {
      this.nextEndpointWorkers = status;
      return;
    }
    const e = this.getEndpoint(id);
    forceWorkers(this.workerSim(id), this.workerTarget(e), status, this.workerReadyAfterPolls, this.opts.now());
  }

  /** v1 gpuTypeIds -> v2 pools/excludedTypes. */
  static poolsFromTypes(gpuTypeIds: string[]): { pools: string[]; excludedTypes: string[] } {
    const pools: string[] = [];
    for (const id of gpuTypeIds) {
      const g = findGpuType(id);
      if (!g || !g.pool) throw new DomainError("invalid", `GPU type ${id} is not offered for serverless`, "gpuTypeIds");
      if (!pools.includes(g.pool)) pools.push(g.pool);
    }
    const excludedTypes = pools.flatMap((p) => gpuTypesInPool(p).map((g) => g.id)).filter((id) => !gpuTypeIds.includes(id));
    return { pools, excludedTypes };
  }

  /** v2 pools/excludedTypes -> v1 gpuTypeIds. */
  static typesFromPools(pools: string[], excludedTypes: string[]): string[] {
    for (const p of pools) {
      if (!serverlessPools().includes(p))
        throw new DomainError("invalid", `unknown serverless GPU pool ${p} (see the pool field of GET /v2/catalog/gpus)`, "gpu.pools");
    }
    for (const t of excludedTypes) {
      if (!findGpuType(t)) throw new DomainError("invalid", `unknown GPU type ${t}`, "gpu.excludedTypes");
    }
    const types = pools.flatMap((p) => gpuTypesInPool(p).map((g) => g.id)).filter((id) => !excludedTypes.includes(id));
    if (!types.length) throw new DomainError("invalid", "gpu.excludedTypes leaves no GPU type in the selected pools", "gpu.excludedTypes");
    return types;
  }

  protected checkEndpointRules(
    e: Pick<
      StoredEndpoint,
      | "type"
      | "scalerType"
      | "workersMin"
      | "workersMax"
      | "cpu"
      | "computeType"
      | "allowedCudaVersions"
      | "minCudaVersion"
      | "dataCenterIds"
      | "networkVolumeIds"
    >,
    idleTimeoutSent: boolean,
    via: "v1" | "v2",
  ): void {
    if (e.type === "LOAD_BALANCER" && e.scalerType === "QUEUE_DELAY") {
      throw new DomainError(
        "invalid",
        "scaling: QUEUE_DELAY is only valid for QUEUE endpoints; LOAD_BALANCER endpoints scale on REQUEST_COUNT",
        "scaling.type",
      );
    }
    if (via === "v2" && idleTimeoutSent && e.type === "QUEUE" && e.scalerType === "REQUEST_COUNT") {
      throw new DomainError("invalid", "workers.idleTimeout is not applicable to queue-based endpoints scaling on REQUEST_COUNT", "workers.idleTimeout");
    }
    if (e.workersMin > e.workersMax) {
      throw new DomainError("invalid", `workers min (${e.workersMin}) must not exceed max (${e.workersMax})`, via === "v2" ? "workers.min" : "workersMin");
    }
    if (e.allowedCudaVersions.length && e.minCudaVersion) {
      throw new DomainError(
        "invalid",
        "gpu.allowedCudaVersions (non-empty) and gpu.minCudaVersion are mutually exclusive",
        via === "v2" ? "gpu.minCudaVersion" : "minCudaVersion",
      );
    }
    for (const c of e.cpu) {
      const f = findCpuFlavor(c.id);
      if (!f) throw new DomainError("invalid", `unknown CPU flavor ${c.id}`, via === "v2" ? "cpu.id" : "cpuFlavorIds");
      if (!isPowerOfTwo(c.vcpuCount) || c.vcpuCount < f.minVcpu || c.vcpuCount > f.maxVcpu) {
        throw new DomainError(
          "invalid",
          `vcpuCount ${c.vcpuCount} is not valid for ${c.id} (power of two within ${f.minVcpu}-${f.maxVcpu})`,
          via === "v2" ? "cpu.vcpuCount" : "vcpuCount",
        );
      }
    }
    for (const id of e.dataCenterIds) {
      if (!findDataCenter(id)) throw new DomainError("invalid", `unknown data center ${id}`, "dataCenterIds");
    }
    for (const vid of e.networkVolumeIds) {
      const v = this.requireVolume(vid, via === "v2" ? "networkVolumes" : "networkVolumeIds");
      if (e.dataCenterIds.length && !e.dataCenterIds.includes(v.dataCenterId)) {
        throw new DomainError(
          "invalid",
          `network volume ${vid} is in ${v.dataCenterId}, which is not among the endpoint's dataCenterIds`,
          via === "v2" ? "networkVolumes" : "networkVolumeIds",
        );
      }
    }
  }

  protected endpointSnapshot(e: StoredEndpoint): Record<string, unknown> {
    return {
      name: e.name,
      image: e.image,
      args: e.args,
      disk: e.disk,
      env: e.env,
      ports: e.ports,
      registry: e.registryId,
      templateId: e.userTemplateId,
      "gpu.pools": e.computeType === "GPU" ? e.pools : undefined,
      "gpu.excludedTypes": e.computeType === "GPU" ? e.excludedTypes : undefined,
      "gpu.count": e.computeType === "GPU" ? e.gpuCount : undefined,
      "gpu.allowedCudaVersions": e.computeType === "GPU" ? e.allowedCudaVersions : undefined,
      "gpu.minCudaVersion": e.computeType === "GPU" ? e.minCudaVersion : undefined,
      cpu: e.computeType === "CPU" ? e.cpu : undefined,
      dataCenterIds: e.dataCenterIds,
      networkVolumes: e.networkVolumeIds,
      "workers.min": e.workersMin,
      "workers.max": e.workersMax,
      "workers.idleTimeout": e.idleTimeout,
      "scaling.type": e.scalerType,
      "scaling.value": e.scalerValue,
      timeout: e.timeoutMs,
      flashboot: e.flashboot,
    };
  }

  protected addRelease(e: StoredEndpoint, before: Record<string, unknown> | null): void {
    const after = this.endpointSnapshot(e);
    const diff: ReleaseRecord["diff"] = [];
    for (const [field, value] of Object.entries(after)) {
      const old = before ? before[field] : null;
      if (JSON.stringify(old ?? null) !== JSON.stringify(value ?? null)) diff.push({ field, old: clone(old ?? null), new: clone(value ?? null) });
    }
    e.releases.unshift({ id: this.rng.id(12), version: e.version, createdAt: this.nowIso(), diff });
  }

  protected templateContainer(t: StoredTemplate): ContainerFields {
    return {
      image: t.image,
      args: t.args,
      dockerEntrypoint: clone(t.dockerEntrypoint),
      dockerStartCmd: clone(t.dockerStartCmd),
      disk: t.disk,
      env: clone(t.env),
      ports: clone(t.ports),
      registryId: t.registryId,
    };
  }

  createEndpoint(input: EndpointCreate): StoredEndpoint {
    const template = input.templateId ? this.requireTemplate(input.templateId, "templateId") : null;
    if (template && !template.serverless) {
      throw new DomainError("schema", `template ${template.id} is not a serverless template (isServerless/serverless must be true)`, "templateId");
    }
    const base: ContainerFields = template ? this.templateContainer(template) : clone(input.defaults);
    const explicit = clone(input.explicit);
    const c: ContainerFields = { ...base, ...explicit, env: { ...base.env, ...(explicit.env ?? {}) } };
    if (explicit.args !== undefined) {
      c.dockerEntrypoint = [];
      c.dockerStartCmd = splitArgs(c.args);
    }
    if (!c.image) throw new DomainError("invalid", "image is required unless templateId is set", "image");
    this.requireRegistry(c.registryId, "registry");

    const allowedCudaVersions =
      input.allowedCudaVersions ?? (input.computeType === "GPU" && !input.minCudaVersion ? clone(template?.allowedCudaVersions ?? []) : []);
    const e: StoredEndpoint = {
      ...c,
      id: this.newId(14, this.endpoints),
      name: input.name,
      type: input.type,
      userTemplateId: template ? template.id : null,
      boundTemplateId: null,
      computeType: input.computeType,
      pools: input.computeType === "GPU" ? clone(input.pools) : [],
      excludedTypes: input.computeType === "GPU" ? clone(input.excludedTypes) : [],
      gpuTypeIds: input.computeType === "GPU" ? clone(input.gpuTypeIds) : [],
      gpuCount: input.computeType === "GPU" ? input.gpuCount : 0,
      allowedCudaVersions: input.computeType === "GPU" ? allowedCudaVersions : [],
      minCudaVersion: input.computeType === "GPU" ? input.minCudaVersion : null,
      cpu: input.computeType === "CPU" ? clone(input.cpu) : [],
      dataCenterIds: clone(input.dataCenterIds),
      networkVolumeIds: clone(input.networkVolumeIds),
      workersMin: input.workersMin,
      workersMax: input.workersMax,
      idleTimeout: input.idleTimeout,
      scalerType: input.scalerType,
      scalerValue: input.scalerValue,
      timeoutMs: input.timeoutMs,
      flashboot: input.flashboot,
      version: 1,
      releases: [],
      createdAt: this.nowIso(),
    };
    this.checkEndpointRules(e, input.idleTimeoutExplicit, input.via);
    if (!template) {
      // Runpod binds a hidden template to an endpoint created from inline container settings.
      const bound = this.createTemplate(
        {
          ...this.containerOf(e),
          name: `${e.name}__template__${this.rng.id(7)}`,
          category: e.computeType === "CPU" ? "CPU" : "NVIDIA",
          serverless: true,
          public: false,
          readme: "",
          volumeInGb: 0,
          volumeMountPath: "/runpod-volume",
          startSsh: false,
          startJupyter: false,
          allowedCudaVersions: [],
        },
        e.id,
      );
      e.boundTemplateId = bound.id;
    }
    this.addRelease(e, null);
    this.endpoints.set(e.id, e);
    if (this.nextEndpointWorkers) {
      this.workerSim(e.id).forced = this.nextEndpointWorkers;
      this.nextEndpointWorkers = null;
    }
    this.markCreated(e.id);
    if (template) this.touchTemplate(template.id);
    return e;
  }

  protected containerOf(e: ContainerFields): ContainerFields {
    return {
      image: e.image,
      args: e.args,
      dockerEntrypoint: clone(e.dockerEntrypoint),
      dockerStartCmd: clone(e.dockerStartCmd),
      disk: e.disk,
      env: clone(e.env),
      ports: clone(e.ports),
      registryId: e.registryId,
    };
  }

  updateEndpoint(id: string, patch: EndpointPatch, via: "v1" | "v2"): StoredEndpoint {
    const e = this.getEndpoint(id);
    const before = this.endpointSnapshot(e);
    const draft: StoredEndpoint = clone(e);

    if (patch.templateId !== undefined) {
      const t = this.requireTemplate(patch.templateId, "templateId");
      if (!t.serverless) throw new DomainError("schema", `template ${t.id} is not a serverless template`, "templateId");
      const tc = this.templateContainer(t);
      const explicitEnv = patch.container?.env;
      Object.assign(draft, tc);
      if (explicitEnv) draft.env = { ...tc.env, ...explicitEnv };
      draft.userTemplateId = t.id;
    }
    if (patch.container) {
      const { env, ...rest } = patch.container;
      for (const [k, v] of Object.entries(rest)) if (v !== undefined) (draft as unknown as Record<string, unknown>)[k] = clone(v);
      if (env !== undefined && patch.templateId === undefined) draft.env = clone(env);
      if (rest.args !== undefined) {
        draft.dockerEntrypoint = [];
        draft.dockerStartCmd = splitArgs(rest.args);
      }
      if (rest.registryId) this.requireRegistry(rest.registryId, "registry");
    }
    if (patch.name !== undefined) draft.name = patch.name;
    if (patch.gpu) {
      if (e.computeType !== "GPU") throw new DomainError("invalid", "gpu cannot be set on a CPU endpoint; the compute family is immutable", "gpu");
      const g = patch.gpu;
      if (g.gpuTypeIds !== undefined) {
        const { pools, excludedTypes } = EndpointStore.poolsFromTypes(g.gpuTypeIds);
        draft.pools = pools;
        draft.excludedTypes = excludedTypes;
        draft.gpuTypeIds = clone(g.gpuTypeIds);
      } else if (g.pools !== undefined || g.excludedTypes !== undefined) {
        const pools = g.pools ?? draft.pools;
        const excluded = g.excludedTypes ?? (g.pools !== undefined ? [] : draft.excludedTypes);
        draft.gpuTypeIds = EndpointStore.typesFromPools(pools, excluded);
        draft.pools = clone(pools);
        draft.excludedTypes = clone(excluded);
      }
      if (g.count !== undefined) draft.gpuCount = g.count;
      if (g.allowedCudaVersions !== undefined) draft.allowedCudaVersions = clone(g.allowedCudaVersions);
      if (g.minCudaVersion !== undefined) draft.minCudaVersion = g.minCudaVersion === "" ? null : g.minCudaVersion;
    }
    if (patch.cpu !== undefined) {
      if (e.computeType !== "CPU") throw new DomainError("invalid", "cpu cannot be set on a GPU endpoint; the compute family is immutable", "cpu");
      draft.cpu = clone(patch.cpu);
    }
    if (patch.cpuFlavorIds !== undefined || patch.vcpuCount !== undefined) {
      if (e.computeType === "CPU") {
        const ids = patch.cpuFlavorIds ?? draft.cpu.map((c) => c.id);
        const vcpu = patch.vcpuCount ?? draft.cpu[0]?.vcpuCount ?? 2;
        draft.cpu = ids.map((cid) => ({ id: cid, vcpuCount: vcpu }));
      }
    }
    if (patch.dataCenterIds !== undefined) draft.dataCenterIds = clone(patch.dataCenterIds);
    if (patch.networkVolumeIds !== undefined) draft.networkVolumeIds = clone(patch.networkVolumeIds);
    if (patch.workersMin !== undefined) draft.workersMin = patch.workersMin;
    if (patch.workersMax !== undefined) draft.workersMax = patch.workersMax;
    if (patch.idleTimeout !== undefined) draft.idleTimeout = patch.idleTimeout;
    if (patch.scalerType !== undefined) draft.scalerType = patch.scalerType;
    if (patch.scalerValue !== undefined) draft.scalerValue = patch.scalerValue;
    if (patch.timeoutMs !== undefined) draft.timeoutMs = patch.timeoutMs;
    if (patch.flashboot !== undefined) draft.flashboot = patch.flashboot;

    this.checkEndpointRules(draft, patch.idleTimeout !== undefined, via);

    const oldTemplate = e.userTemplateId;
    Object.assign(e, draft);
    if (oldTemplate && oldTemplate !== e.userTemplateId) this.touchTemplate(oldTemplate);
    if (e.boundTemplateId) {
      const bound = this.templates.get(e.boundTemplateId);
      if (bound) Object.assign(bound, this.containerOf(e));
    }
    e.version += 1;
    this.addRelease(e, before);
    return e;
  }

  /**
   * REST v1's template update "will trigger a rolling release for any associated endpoints": a
   * v1 endpoint has no container fields of its own, so it takes the template's again, as a new
   * version. (REST v2 documents the opposite for its endpoints, which copy the template once; the
   * v2 template route never calls this.)
   */
  rollTemplateToEndpoints(templateId: string): void {
    const t = this.templates.get(templateId);
    if (!t) return;
    for (const e of this.endpoints.values()) {
      if (e.userTemplateId !== templateId) continue;
      const before = this.endpointSnapshot(e);
      Object.assign(e, this.templateContainer(t));
      if (JSON.stringify(this.endpointSnapshot(e)) === JSON.stringify(before)) continue;
      e.version += 1;
      this.addRelease(e, before);
    }
  }

  deleteEndpoint(id: string): void {
    const e = this.getEndpoint(id);
    if (this.opts.requireScaleToZeroBeforeDelete && e.workersMin > 0) {
      throw new DomainError(
        "invalid",
        `workers must be scaled to zero before deleting endpoint ${id} (workers min is ${e.workersMin}; set it to 0 first)`,
        "workersMin",
      );
    }
    this.endpoints.delete(id);
    this.endpointWorkerSims.delete(id);
    if (e.boundTemplateId) this.templates.delete(e.boundTemplateId);
    this.touchTemplate(e.userTemplateId);
  }
}
