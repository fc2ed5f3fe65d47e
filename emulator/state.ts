// The emulator's single in-memory model. Both REST wires and GraphQL read and write these
// objects; each wire only converts its request shape into these inputs and renders them back
// (see rest-v1.ts / rest-v2.ts / graphql.ts). Domain rules live here so they hold on every wire.
import { Prng } from "./prng";
import {
  DATA_CENTERS,
  DEFAULT_CUDA_VERSION,
  GpuTypeInfo,
  findCpuFlavor,
  findDataCenter,
  findGpuType,
  gpuTypesInPool,
  SERVERLESS_POOLS,
} from "./catalog";

export type PodStatus = "PROVISIONING" | "STARTING" | "RUNNING" | "EXITED" | "ERROR" | "TERMINATED";
export type VolumeType = "STANDARD" | "HIGH_PERFORMANCE";
export type Flashboot = "OFF" | "FLASHBOOT" | "PRIORITY_FLASHBOOT";
export type ScalerType = "QUEUE_DELAY" | "REQUEST_COUNT";
export type EndpointType = "QUEUE" | "LOAD_BALANCER";
export type Cloud = "SECURE" | "COMMUNITY";

/** Kinds of domain failures; each wire maps them to its own status code and error body. */
export type DomainErrorKind =
  | "invalid" // request breaks a rule (v1 400, v2 400)
  | "schema" // request breaks a rule the v2 spec assigns to 422 (v1 400, v2 422)
  | "notFound" // the addressed object does not exist (404 on both wires)
  | "refNotFound" // an object referenced by the body does not exist (v2 404 where documented, else 400)
  | "conflict" // pod state conflict (v1 400, v2 409)
  | "capacity" // no capacity for the requested GPU (400 on both wires, Runpod-like messages)
  | "inUse"; // object is referenced and cannot be deleted (400 on both wires)

export class DomainError extends Error {
  constructor(
    public readonly kind: DomainErrorKind,
    message: string,
    public readonly field?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export interface ContainerFields {
  image: string;
  /** v2 `args`; kept in sync with the v1 arrays (args = [...dockerEntrypoint, ...dockerStartCmd].join(" ")). */
  args: string;
  dockerEntrypoint: string[];
  dockerStartCmd: string[];
  disk: number;
  env: Record<string, string>;
  ports: string[];
  registryId: string | null;
}

export interface StoredNetworkVolume {
  id: string;
  name: string;
  size: number;
  dataCenterId: string;
  type: VolumeType;
  createdAt: string;
}

/** A template as stored: what a create carries, plus what the store assigns. */
export interface StoredTemplate extends TemplateCreate {
  id: string;
  /** Set for the hidden template Runpod binds to an endpoint created without a templateId. */
  boundEndpointId: string | null;
  /** Built-in public catalog template (read-only, not owned by the user). */
  catalog: boolean;
  createdAt: string;
}

export interface StoredRegistry {
  id: string;
  name: string;
  username: string;
  password: string;
  createdAt: string;
}

export interface StoredPod extends ContainerFields {
  id: string;
  name: string;
  /** Retained template link (v1 pods only; v2 pods keep `template: null` per the v2 spec). */
  templateId: string | null;
  computeType: "GPU" | "CPU";
  gpuTypeId: string | null;
  gpuCount: number;
  cpuFlavorId: string | null;
  vcpuCount: number;
  memoryInGb: number;
  cloud: Cloud;
  requestedDataCenterIds: string[];
  dataCenterId: string;
  interruptible: boolean;
  locked: boolean;
  globalNetworking: boolean;
  allowedCudaVersions: string[];
  minCudaVersion: string | null;
  volumeInGb: number;
  volumeMountPath: string;
  networkVolumeId: string | null;
  status: PodStatus;
  /** GETs of this pod still needed before it becomes RUNNING (the polling hook). */
  pollsRemaining: number;
  /** Next readiness goes to ERROR instead of RUNNING. */
  failOnReady: boolean;
  /** Whether the pod currently holds GPU stock. */
  holdsCapacity: boolean;
  publicIp: string | null;
  portMappings: Record<string, number> | null;
  globalIp: string | null;
  machineId: string;
  cudaVersion: string | null;
  createdAt: string;
  startedAt: string | null;
  lastStatusChange: string;
  createdVia: "v1" | "v2";
}

export interface ReleaseRecord {
  id: string;
  version: number;
  createdAt: string;
  diff: Array<{ field: string; old: unknown; new: unknown }>;
}

export interface StoredEndpoint extends ContainerFields {
  id: string;
  name: string;
  type: EndpointType;
  /** The user's template this endpoint was created from / switched to (marks it in use), if any. */
  userTemplateId: string | null;
  /** Hidden template bound to the endpoint when it was created without a templateId. */
  boundTemplateId: string | null;
  computeType: "GPU" | "CPU";
  pools: string[];
  excludedTypes: string[];
  /** v1 view of the GPU selection (ordered type ids). */
  gpuTypeIds: string[];
  gpuCount: number;
  allowedCudaVersions: string[];
  minCudaVersion: string | null;
  cpu: Array<{ id: string; vcpuCount: number }>;
  dataCenterIds: string[];
  networkVolumeIds: string[];
  workersMin: number;
  workersMax: number;
  idleTimeout: number;
  scalerType: ScalerType;
  scalerValue: number;
  timeoutMs: number;
  flashboot: Flashboot;
  version: number;
  releases: ReleaseRecord[];
  createdAt: string;
}

export interface StoredSecret {
  id: string;
  name: string;
  value: string;
  description: string | null;
  createdAt: string;
  updatedAt: string | null;
}

export interface StoreOptions {
  podReadyAfterPolls: number;
  templateReleaseDelayMs: number;
  requireScaleToZeroBeforeDelete: boolean;
  now: () => number;
}

export const DEFAULT_V1_PORTS = ["8888/http", "22/tcp"];
export const V1_CAPACITY_MESSAGE =
  "There are no longer any instances available with the requested specifications. Please refresh and try again.";
export const V2_CAPACITY_TITLE = "There are no instances currently available";

/** Split a v2 `args` string into the v1 array form (whitespace split, quotes respected). */
export function splitArgs(args: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(args)) !== null) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

export function joinArgs(entrypoint: string[], startCmd: string[]): string {
  return [...entrypoint, ...startCmd].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(" ");
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

function cudaGte(a: string, b: string): boolean {
  const [am, an] = a.split(".").map(Number);
  const [bm, bn] = b.split(".").map(Number);
  return am > bm || (am === bm && (an ?? 0) >= (bn ?? 0));
}

const PUBLIC_CATALOG_TEMPLATES: Array<Omit<StoredTemplate, "createdAt">> = [
  {
    id: "30zmvf89kd",
    name: "PyTorch 2.8",
    image: "runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404",
    args: "",
    dockerEntrypoint: [],
    dockerStartCmd: [],
    disk: 50,
    env: {},
    ports: ["8888/http", "22/tcp"],
    registryId: null,
    category: "NVIDIA",
    serverless: false,
    public: true,
    readme: "",
    volumeInGb: 0,
    volumeMountPath: "/workspace",
    startSsh: true,
    startJupyter: true,
    allowedCudaVersions: [],
    boundEndpointId: null,
    catalog: true,
  },
  {
    id: "runpodvllm",
    name: "vLLM Worker",
    image: "runpod/worker-v1-vllm:v2.7.0",
    args: "",
    dockerEntrypoint: [],
    dockerStartCmd: [],
    disk: 20,
    env: {},
    ports: [],
    registryId: null,
    category: "NVIDIA",
    serverless: true,
    public: true,
    readme: "",
    volumeInGb: 0,
    volumeMountPath: "/runpod-volume",
    startSsh: false,
    startJupyter: false,
    allowedCudaVersions: [],
    boundEndpointId: null,
    catalog: true,
  },
];

// ---------------------------------------------------------------------------------------------
// Inputs (already converted from a wire's body; defaults already applied by the wire).

export interface VolumeCreate {
  name: string;
  size: number;
  dataCenterId: string;
  type?: VolumeType;
}

export interface TemplateCreate extends ContainerFields {
  name: string;
  category: "NVIDIA" | "AMD" | "CPU";
  serverless: boolean;
  public: boolean;
  readme: string;
  volumeInGb: number;
  volumeMountPath: string;
  startSsh: boolean;
  startJupyter: boolean;
  allowedCudaVersions: string[];
}

export interface PodCreate {
  via: "v1" | "v2";
  name: string;
  templateId?: string;
  /** Fields the caller set explicitly (they override the template). */
  explicit: Partial<ContainerFields & { volumeInGb: number; volumeMountPath: string }>;
  /** Wire defaults for fields neither the body nor the template set. */
  defaults: ContainerFields & { volumeInGb: number; volumeMountPath: string };
  computeType: "GPU" | "CPU";
  /** Candidate GPU types in preference order (v2: exactly one). */
  gpuTypeIds: string[];
  gpuCount: number;
  cpuFlavorIds: string[];
  vcpuCount: number;
  cloud: Cloud;
  dataCenterIds: string[];
  interruptible: boolean;
  locked: boolean;
  globalNetworking: boolean;
  /** undefined = inherit from the template (v2) / none. */
  allowedCudaVersions?: string[];
  minCudaVersion?: string | null;
  networkVolumeId: string | null;
  startSsh?: boolean;
  startJupyter?: boolean;
}

export interface EndpointCreate {
  via: "v1" | "v2";
  name: string;
  type: EndpointType;
  templateId?: string;
  explicit: Partial<ContainerFields>;
  defaults: ContainerFields;
  computeType: "GPU" | "CPU";
  pools: string[];
  excludedTypes: string[];
  gpuTypeIds: string[];
  gpuCount: number;
  allowedCudaVersions?: string[];
  minCudaVersion: string | null;
  cpu: Array<{ id: string; vcpuCount: number }>;
  dataCenterIds: string[];
  networkVolumeIds: string[];
  workersMin: number;
  workersMax: number;
  idleTimeout: number;
  idleTimeoutExplicit: boolean;
  scalerType: ScalerType;
  scalerValue: number;
  timeoutMs: number;
  flashboot: Flashboot;
}

export interface EndpointPatch {
  name?: string;
  templateId?: string;
  container?: Partial<ContainerFields>;
  gpu?: { pools?: string[]; excludedTypes?: string[]; gpuTypeIds?: string[]; count?: number; allowedCudaVersions?: string[]; minCudaVersion?: string | null };
  cpu?: Array<{ id: string; vcpuCount: number }>;
  cpuFlavorIds?: string[];
  vcpuCount?: number;
  dataCenterIds?: string[];
  networkVolumeIds?: string[];
  workersMin?: number;
  workersMax?: number;
  idleTimeout?: number;
  scalerType?: ScalerType;
  scalerValue?: number;
  timeoutMs?: number;
  flashboot?: Flashboot;
}

export type ResourceKind = "networkVolumes" | "templates" | "registries" | "pods" | "endpoints" | "secrets";

// ---------------------------------------------------------------------------------------------

export class Store {
  readonly volumes = new Map<string, StoredNetworkVolume>();
  readonly templates = new Map<string, StoredTemplate>();
  readonly registries = new Map<string, StoredRegistry>();
  readonly pods = new Map<string, StoredPod>();
  readonly endpoints = new Map<string, StoredEndpoint>();
  readonly secrets = new Map<string, StoredSecret>();
  /** Free GPU units per type; absent = plentiful. */
  readonly gpuStock = new Map<string, number>();
  /** Template id -> epoch ms until which deletes are refused (Infinity = held until released). */
  readonly templateBusyUntil = new Map<string, number>();
  private failNextStarts = 0;

  constructor(
    public rng: Prng,
    public readonly opts: StoreOptions,
  ) {
    this.installCatalogTemplates();
  }

  reset(rng: Prng): void {
    this.rng = rng;
    this.volumes.clear();
    this.templates.clear();
    this.registries.clear();
    this.pods.clear();
    this.endpoints.clear();
    this.secrets.clear();
    this.gpuStock.clear();
    this.templateBusyUntil.clear();
    this.failNextStarts = 0;
    this.installCatalogTemplates();
  }

  private installCatalogTemplates(): void {
    for (const t of PUBLIC_CATALOG_TEMPLATES) this.templates.set(t.id, { ...clone(t), createdAt: new Date(0).toISOString() });
  }

  private nowIso(): string {
    return new Date(this.opts.now()).toISOString();
  }

  private newId(length: number, taken: Map<string, unknown>): string {
    for (;;) {
      const id = this.rng.id(length);
      if (!taken.has(id)) return id;
    }
  }

  list(kind: ResourceKind): unknown[] {
    switch (kind) {
      case "networkVolumes":
        return [...this.volumes.values()].map(clone);
      case "templates":
        return [...this.templates.values()].filter((t) => !t.catalog).map(clone);
      case "registries":
        return [...this.registries.values()].map(clone);
      case "pods":
        return [...this.pods.values()].map(clone);
      case "endpoints":
        return [...this.endpoints.values()].map(clone);
      case "secrets":
        return [...this.secrets.values()].map(clone);
    }
  }

  // ------------------------------------------------------------------ references

  private requireRegistry(id: string | null | undefined, field: string): void {
    if (id && !this.registries.has(id)) throw new DomainError("refNotFound", `container registry auth ${id} not found`, field);
  }

  private requireVolume(id: string, field: string): StoredNetworkVolume {
    const v = this.volumes.get(id);
    if (!v) throw new DomainError("refNotFound", `network volume ${id} not found`, field);
    return v;
  }

  /** Template usable by a pod/endpoint create (own or public catalog). */
  private requireTemplate(id: string, field: string): StoredTemplate {
    const t = this.templates.get(id);
    if (!t || t.boundEndpointId) throw new DomainError("refNotFound", `template ${id} not found`, field);
    return t;
  }

  // ------------------------------------------------------------------ network volumes

  getVolume(id: string): StoredNetworkVolume {
    const v = this.volumes.get(id);
    if (!v) throw new DomainError("notFound", `network volume ${id} not found`);
    return v;
  }

  createVolume(input: VolumeCreate): StoredNetworkVolume {
    const dc = findDataCenter(input.dataCenterId);
    if (!dc) throw new DomainError("invalid", `unknown data center ${input.dataCenterId}`, "dataCenter");
    const type = input.type ?? "STANDARD";
    if (!dc.networkVolumeTypes.includes(type)) {
      throw new DomainError("invalid", `data center ${dc.id} does not offer ${type} network volumes`, "type");
    }
    const vol: StoredNetworkVolume = {
      id: this.newId(10, this.volumes),
      name: input.name,
      size: input.size,
      dataCenterId: dc.id,
      type,
      createdAt: this.nowIso(),
    };
    this.volumes.set(vol.id, vol);
    return vol;
  }

  updateVolume(id: string, patch: { name?: string; size?: number }): StoredNetworkVolume {
    const vol = this.getVolume(id);
    if (patch.size !== undefined && patch.size < vol.size) {
      throw new DomainError(
        "invalid",
        `size must be greater than or equal to the current size (${vol.size} GB); network volume storage cannot be reduced`,
        "size",
      );
    }
    if (patch.name !== undefined) vol.name = patch.name;
    if (patch.size !== undefined) vol.size = patch.size;
    return vol;
  }

  deleteVolume(id: string): void {
    const vol = this.getVolume(id);
    const pod = [...this.pods.values()].find((p) => p.networkVolumeId === id && p.status !== "TERMINATED");
    if (pod) throw new DomainError("inUse", `network volume ${id} is in use by pod ${pod.id} and cannot be deleted`);
    const ep = [...this.endpoints.values()].find((e) => e.networkVolumeIds.includes(id));
    if (ep) throw new DomainError("inUse", `network volume ${id} is in use by endpoint ${ep.id} and cannot be deleted`);
    this.volumes.delete(vol.id);
  }

  // ------------------------------------------------------------------ templates

  getTemplate(id: string, opts: { includeBound?: boolean } = {}): StoredTemplate {
    const t = this.templates.get(id);
    if (!t || (t.boundEndpointId && opts.includeBound === false)) throw new DomainError("notFound", `template ${id} not found`);
    return t;
  }

  /** Own template that may be modified (public catalog templates are read-only → 404). */
  private ownTemplate(id: string): StoredTemplate {
    const t = this.templates.get(id);
    if (!t || t.catalog) throw new DomainError("notFound", `template ${id} not found`);
    return t;
  }

  listTemplates(opts: { includeBound: boolean; includeCatalog?: boolean }): StoredTemplate[] {
    return [...this.templates.values()].filter(
      (t) => (opts.includeBound || !t.boundEndpointId) && (opts.includeCatalog || !t.catalog),
    );
  }

  listCatalogTemplates(): StoredTemplate[] {
    return [...this.templates.values()].filter((t) => t.catalog);
  }

  private assertTemplateNameFree(name: string, exceptId?: string): void {
    const clash = [...this.templates.values()].find((t) => !t.catalog && t.name === name && t.id !== exceptId);
    if (clash) throw new DomainError("invalid", `template name "${name}" is already in use; template names must be unique`, "name");
  }

  createTemplate(input: TemplateCreate, boundEndpointId: string | null = null): StoredTemplate {
    this.assertTemplateNameFree(input.name);
    this.requireRegistry(input.registryId, "registry");
    const t: StoredTemplate = {
      ...clone(input),
      id: this.newId(10, this.templates),
      boundEndpointId,
      catalog: false,
      createdAt: this.nowIso(),
    };
    this.templates.set(t.id, t);
    return t;
  }

  updateTemplate(id: string, patch: Partial<TemplateCreate>): StoredTemplate {
    const t = this.ownTemplate(id);
    if (patch.name !== undefined) this.assertTemplateNameFree(patch.name, id);
    if (patch.registryId !== undefined) this.requireRegistry(patch.registryId, "registry");
    for (const [k, v] of Object.entries(patch)) {
      if (v !== undefined) (t as unknown as Record<string, unknown>)[k] = clone(v);
    }
    return t;
  }

  /** Why a template cannot be deleted now, or null. */
  templateBusyReason(id: string): string | null {
    const pod = [...this.pods.values()].find((p) => p.templateId === id && p.status !== "TERMINATED");
    if (pod) return `template ${id} is in use by pod ${pod.id} and cannot be deleted`;
    const ep = [...this.endpoints.values()].find((e) => e.userTemplateId === id || e.boundTemplateId === id);
    if (ep) return `template ${id} is in use by serverless endpoint ${ep.id} and cannot be deleted`;
    const until = this.templateBusyUntil.get(id);
    if (until !== undefined && until > this.opts.now()) {
      return `template ${id} is still in use (it can take up to 2 minutes after its most recent use before a template can be deleted)`;
    }
    return null;
  }

  deleteTemplate(id: string): void {
    this.ownTemplate(id);
    const reason = this.templateBusyReason(id);
    if (reason) throw new DomainError("inUse", reason);
    this.templates.delete(id);
    this.templateBusyUntil.delete(id);
  }

  holdTemplate(id: string, ms?: number): void {
    const until = ms === undefined ? Number.POSITIVE_INFINITY : this.opts.now() + ms;
    this.templateBusyUntil.set(id, Math.max(until, this.templateBusyUntil.get(id) ?? 0));
  }

  releaseTemplate(id: string): void {
    this.templateBusyUntil.delete(id);
  }

  /** Record a use of a template: it stays busy for templateReleaseDelayMs after this moment. */
  private touchTemplate(id: string | null): void {
    if (!id || this.opts.templateReleaseDelayMs <= 0) return;
    const until = this.opts.now() + this.opts.templateReleaseDelayMs;
    this.templateBusyUntil.set(id, Math.max(until, this.templateBusyUntil.get(id) ?? 0));
  }

  // ------------------------------------------------------------------ registries

  getRegistry(id: string): StoredRegistry {
    const r = this.registries.get(id);
    if (!r) throw new DomainError("notFound", `container registry auth ${id} not found`);
    return r;
  }

  createRegistry(input: { name: string; username: string; password: string }): StoredRegistry {
    if ([...this.registries.values()].some((r) => r.name === input.name)) {
      throw new DomainError("invalid", `container registry auth name "${input.name}" is already in use; names must be unique`, "name");
    }
    const r: StoredRegistry = { id: this.newId(10, this.registries), ...input, createdAt: this.nowIso() };
    this.registries.set(r.id, r);
    return r;
  }

  deleteRegistry(id: string): void {
    this.getRegistry(id);
    const pod = [...this.pods.values()].find((p) => p.registryId === id && p.status !== "TERMINATED");
    if (pod) throw new DomainError("inUse", `container registry auth ${id} is in use by pod ${pod.id} and cannot be deleted`);
    // Templates referencing it silently lose the reference (v2 spec: `registry` becomes null).
    for (const t of this.templates.values()) if (t.registryId === id) t.registryId = null;
    this.registries.delete(id);
  }

  // ------------------------------------------------------------------ GPU capacity

  setGpuStock(gpuTypeId: string, units: number | undefined): void {
    if (units === undefined || !Number.isFinite(units)) this.gpuStock.delete(gpuTypeId);
    else this.gpuStock.set(gpuTypeId, Math.max(0, Math.floor(units)));
  }

  freeGpus(gpuTypeId: string): number {
    return this.gpuStock.get(gpuTypeId) ?? Number.POSITIVE_INFINITY;
  }

  private takeGpus(gpuTypeId: string, count: number): void {
    const free = this.gpuStock.get(gpuTypeId);
    if (free !== undefined) this.gpuStock.set(gpuTypeId, free - count);
  }

  private releaseCapacity(pod: StoredPod): void {
    if (!pod.holdsCapacity) return;
    pod.holdsCapacity = false;
    if (pod.gpuTypeId && this.gpuStock.has(pod.gpuTypeId)) {
      this.gpuStock.set(pod.gpuTypeId, (this.gpuStock.get(pod.gpuTypeId) ?? 0) + pod.gpuCount);
    }
  }

  private acquireCapacity(pod: StoredPod, messageForStart: boolean): void {
    if (pod.holdsCapacity) return;
    if (pod.computeType === "GPU" && pod.gpuTypeId) {
      if (this.freeGpus(pod.gpuTypeId) < pod.gpuCount) {
        throw new DomainError(
          "capacity",
          messageForStart
            ? `There are not enough free GPUs on the host machine to start this pod (${pod.gpuCount} x ${pod.gpuTypeId} requested).`
            : `no ${pod.gpuTypeId} capacity`,
        );
      }
      this.takeGpus(pod.gpuTypeId, pod.gpuCount);
    }
    pod.holdsCapacity = true;
  }

  // ------------------------------------------------------------------ pods

  getPod(id: string, opts: { poll?: boolean } = {}): StoredPod {
    const pod = this.pods.get(id);
    if (!pod) throw new DomainError("notFound", `pod ${id} not found`);
    if (opts.poll) this.advancePod(pod);
    return pod;
  }

  /** The polling hook: each GET of a transitioning pod moves it one step toward RUNNING. */
  private advancePod(pod: StoredPod): void {
    if (pod.status !== "PROVISIONING" && pod.status !== "STARTING") return;
    pod.pollsRemaining -= 1;
    if (pod.pollsRemaining <= 0) this.becomeReady(pod);
    else pod.status = "STARTING";
  }

  private beginStart(pod: StoredPod, initial: "PROVISIONING" | "STARTING"): void {
    pod.status = initial;
    pod.publicIp = null;
    pod.portMappings = null;
    pod.pollsRemaining = this.opts.podReadyAfterPolls;
    pod.lastStatusChange = `Rented by User: ${new Date(this.opts.now()).toUTCString()}`;
    if (this.failNextStarts > 0) {
      this.failNextStarts -= 1;
      pod.failOnReady = true;
    }
    if (pod.pollsRemaining <= 0) this.becomeReady(pod);
  }

  private becomeReady(pod: StoredPod): void {
    pod.pollsRemaining = 0;
    if (pod.failOnReady) {
      pod.failOnReady = false;
      pod.status = "ERROR";
      pod.publicIp = null;
      pod.portMappings = null;
      this.releaseCapacity(pod);
      pod.lastStatusChange = `Exited with error: container failed to start (${new Date(this.opts.now()).toUTCString()})`;
      return;
    }
    pod.status = "RUNNING";
    pod.startedAt = this.nowIso();
    pod.publicIp = `${this.rng.int(38, 213)}.${this.rng.int(0, 255)}.${this.rng.int(0, 255)}.${this.rng.int(1, 254)}`;
    const mappings: Record<string, number> = {};
    for (const p of pod.ports) {
      const [port, proto] = p.split("/");
      if ((proto ?? "http").toLowerCase() === "tcp" && /^\d+$/.test(port)) mappings[port] = this.rng.int(10000, 49999);
    }
    pod.portMappings = mappings;
    if (pod.globalNetworking && !pod.globalIp) pod.globalIp = `10.${this.rng.int(0, 255)}.${this.rng.int(0, 255)}.${this.rng.int(1, 254)}`;
    pod.lastStatusChange = `Rented by User: ${new Date(this.opts.now()).toUTCString()}`;
  }

  private goExited(pod: StoredPod, why: string): void {
    pod.status = "EXITED";
    pod.pollsRemaining = 0;
    pod.publicIp = null;
    pod.portMappings = null;
    this.releaseCapacity(pod);
    pod.lastStatusChange = `${why}: ${new Date(this.opts.now()).toUTCString()}`;
  }

  podCost(pod: StoredPod): number {
    if (pod.status === "EXITED" || pod.status === "ERROR" || pod.status === "TERMINATED") return 0;
    if (pod.computeType === "GPU" && pod.gpuTypeId) {
      const g = findGpuType(pod.gpuTypeId);
      if (!g) return 0;
      const unit =
        pod.cloud === "COMMUNITY"
          ? pod.interruptible
            ? g.communitySpotPrice
            : g.communityPrice
          : pod.interruptible
            ? g.secureSpotPrice
            : g.securePrice;
      return Math.round(unit * pod.gpuCount * 1000) / 1000;
    }
    const c = pod.cpuFlavorId ? findCpuFlavor(pod.cpuFlavorId) : undefined;
    return c ? Math.round(c.securePerVcpu * pod.vcpuCount * 1000) / 1000 : 0;
  }

  private chooseDataCenter(requested: string[], volume: StoredNetworkVolume | null, globalNetworking: boolean): string {
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
    return candidates[0];
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

    const volume = input.networkVolumeId ? this.requireVolume(input.networkVolumeId, input.via === "v2" ? "mounts.network[0].volumeId" : "networkVolumeId") : null;
    if (volume) c.volumeInGb = 0;
    if (isCpu && input.via === "v2" && input.explicit.volumeInGb) {
      throw new DomainError("invalid", "persistent mounts are not allowed on CPU pods", "mounts.persistent");
    }
    if (isCpu && input.globalNetworking) {
      throw new DomainError("invalid", "global networking requires an NVIDIA GPU pod", "globalNetworking");
    }

    const allowedCuda = input.allowedCudaVersions ?? (input.minCudaVersion ? [] : template?.allowedCudaVersions ?? []);
    const minCuda = input.minCudaVersion ?? null;
    if (allowedCuda.length && minCuda) {
      throw new DomainError("invalid", "gpu.allowedCudaVersions (non-empty) and gpu.minCudaVersion are mutually exclusive", "gpu.minCudaVersion");
    }

    let gpuType: GpuTypeInfo | undefined;
    let cpuFlavorId: string | null = null;
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
      gpuType = known.find(
        (g) => cloudOk(g) && g.maxCount >= input.gpuCount && this.freeGpus(g.id) >= input.gpuCount && cudaFor(g).ok,
      );
      if (!gpuType) {
        const what = `${input.gpuCount} x ${input.gpuTypeIds.join(" | ")}`;
        throw new DomainError("capacity", `no ${input.cloud} capacity for ${what}${allowedCuda.length || minCuda ? " with the requested CUDA constraint" : ""}`);
      }
      cudaVersion = cudaFor(gpuType).version;
      vcpuCount = 8 * input.gpuCount;
      memoryInGb = 31 * input.gpuCount;
    } else {
      const flavors = (input.cpuFlavorIds.length ? input.cpuFlavorIds : ["cpu3c"]).map((id) => findCpuFlavor(id));
      const flavor = flavors.find((f) => f !== undefined && vcpuCount >= f.minVcpu && vcpuCount <= f.maxVcpu);
      if (!flavor) {
        throw new DomainError("invalid", `no CPU flavor among ${input.cpuFlavorIds.join(", ") || "cpu3c"} offers ${vcpuCount} vCPUs`, input.via === "v2" ? "cpu.vcpuCount" : "vcpuCount");
      }
      if (!isPowerOfTwo(vcpuCount)) throw new DomainError("invalid", "vcpuCount must be a power of two", input.via === "v2" ? "cpu.vcpuCount" : "vcpuCount");
      cpuFlavorId = flavor.id;
      memoryInGb = vcpuCount * flavor.ramGbPerVcpu;
    }

    const dataCenterId = this.chooseDataCenter(input.dataCenterIds, volume, input.globalNetworking);

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
      cpuFlavorId,
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
    };
    this.acquireCapacity(pod, false);
    this.pods.set(pod.id, pod);
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
        if (!pod.networkVolumeId) throw new DomainError("invalid", "mounts.network: mount kind is fixed at create; this pod has no network mount", "mounts.network");
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
      throw new DomainError("invalid", `volume size can be increased but not decreased (current ${pod.volumeInGb} GB)`, mode.wire === "v2" ? "mounts.persistent.size" : "volumeInGb");
    }

    // v1: any change other than name/locked resets the pod (the container restarts).
    const resetting =
      mode.wire === "v1" &&
      (Object.keys(next).length > 0 || patch.globalNetworking !== undefined || volumeInGb !== undefined || volumeMountPath !== undefined);
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
      if (patch.globalNetworking && pod.computeType === "CPU") throw new DomainError("invalid", "global networking requires an NVIDIA GPU pod", "globalNetworking");
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
        if (pod.locked) throw new DomainError("conflict", `pod ${id} is locked; locked pods cannot be ${action === "reset" ? "reset" : "restarted"} (unlock it first)`);
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

  /** Pod actions valid for its current status (v2 `actions`). */
  podActions(pod: StoredPod): Array<"start" | "stop" | "restart" | "terminate"> {
    let actions: Array<"start" | "stop" | "restart" | "terminate">;
    switch (pod.status) {
      case "RUNNING":
        actions = ["stop", "restart", "terminate"];
        break;
      case "PROVISIONING":
      case "STARTING":
        actions = ["stop", "terminate"];
        break;
      case "EXITED":
      case "ERROR":
        actions = ["start", "terminate"];
        break;
      default:
        actions = [];
    }
    return pod.locked ? actions.filter((a) => a === "start") : actions;
  }

  // Control hooks (tests / admin routes).
  setPodStatus(id: string, status: PodStatus): StoredPod {
    const pod = this.pods.get(id);
    if (!pod) throw new Error(`runpod emulator: no pod ${id}`);
    switch (status) {
      case "RUNNING":
        if (!pod.holdsCapacity) {
          pod.holdsCapacity = true;
          if (pod.gpuTypeId) this.takeGpus(pod.gpuTypeId, pod.gpuCount);
        }
        pod.failOnReady = false;
        this.becomeReady(pod);
        break;
      case "PROVISIONING":
      case "STARTING":
        if (!pod.holdsCapacity) {
          pod.holdsCapacity = true;
          if (pod.gpuTypeId) this.takeGpus(pod.gpuTypeId, pod.gpuCount);
        }
        pod.status = status;
        pod.publicIp = null;
        pod.portMappings = null;
        pod.pollsRemaining = Math.max(1, this.opts.podReadyAfterPolls);
        break;
      case "EXITED":
        this.goExited(pod, "Exited");
        break;
      case "ERROR":
        this.goExited(pod, "Exited with error");
        pod.status = "ERROR";
        break;
      case "TERMINATED":
        this.releaseCapacity(pod);
        pod.status = "TERMINATED";
        pod.publicIp = null;
        pod.portMappings = null;
        pod.lastStatusChange = `Terminated: ${new Date(this.opts.now()).toUTCString()}`;
        break;
    }
    return pod;
  }

  preempt(id: string): StoredPod {
    const pod = this.pods.get(id);
    if (!pod) throw new Error(`runpod emulator: no pod ${id}`);
    if (!pod.interruptible) throw new Error(`runpod emulator: pod ${id} is not interruptible (only spot pods can be preempted)`);
    this.goExited(pod, "Preempted by Runpod (spot instance reclaimed)");
    return pod;
  }

  failPodStart(target: string): void {
    if (target === "next") {
      this.failNextStarts += 1;
      return;
    }
    const pod = this.pods.get(target);
    if (!pod) throw new Error(`runpod emulator: no pod ${target}`);
    pod.failOnReady = true;
    if (pod.status === "PROVISIONING" || pod.status === "STARTING") {
      if (pod.pollsRemaining <= 0) this.becomeReady(pod);
    }
  }

  // ------------------------------------------------------------------ endpoints

  getEndpoint(id: string): StoredEndpoint {
    const e = this.endpoints.get(id);
    if (!e) throw new DomainError("notFound", `endpoint ${id} not found`);
    return e;
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
      if (!SERVERLESS_POOLS.includes(p)) throw new DomainError("invalid", `unknown serverless GPU pool ${p} (see the pool field of GET /v2/catalog/gpus)`, "gpu.pools");
    }
    for (const t of excludedTypes) {
      if (!findGpuType(t)) throw new DomainError("invalid", `unknown GPU type ${t}`, "gpu.excludedTypes");
    }
    const types = pools.flatMap((p) => gpuTypesInPool(p).map((g) => g.id)).filter((id) => !excludedTypes.includes(id));
    if (!types.length) throw new DomainError("invalid", "gpu.excludedTypes leaves no GPU type in the selected pools", "gpu.excludedTypes");
    return types;
  }

  private checkEndpointRules(e: Pick<StoredEndpoint, "type" | "scalerType" | "workersMin" | "workersMax" | "cpu" | "computeType" | "allowedCudaVersions" | "minCudaVersion" | "dataCenterIds" | "networkVolumeIds">, idleTimeoutSent: boolean, via: "v1" | "v2"): void {
    if (e.type === "LOAD_BALANCER" && e.scalerType === "QUEUE_DELAY") {
      throw new DomainError("invalid", "scaling: QUEUE_DELAY is only valid for QUEUE endpoints; LOAD_BALANCER endpoints scale on REQUEST_COUNT", "scaling.type");
    }
    if (via === "v2" && idleTimeoutSent && e.type === "QUEUE" && e.scalerType === "REQUEST_COUNT") {
      throw new DomainError("invalid", "workers.idleTimeout is not applicable to queue-based endpoints scaling on REQUEST_COUNT", "workers.idleTimeout");
    }
    if (e.workersMin > e.workersMax) {
      throw new DomainError("invalid", `workers min (${e.workersMin}) must not exceed max (${e.workersMax})`, via === "v2" ? "workers.min" : "workersMin");
    }
    if (e.allowedCudaVersions.length && e.minCudaVersion) {
      throw new DomainError("invalid", "gpu.allowedCudaVersions (non-empty) and gpu.minCudaVersion are mutually exclusive", via === "v2" ? "gpu.minCudaVersion" : "minCudaVersion");
    }
    for (const c of e.cpu) {
      const f = findCpuFlavor(c.id);
      if (!f) throw new DomainError("invalid", `unknown CPU flavor ${c.id}`, via === "v2" ? "cpu.id" : "cpuFlavorIds");
      if (!isPowerOfTwo(c.vcpuCount) || c.vcpuCount < f.minVcpu || c.vcpuCount > f.maxVcpu) {
        throw new DomainError("invalid", `vcpuCount ${c.vcpuCount} is not valid for ${c.id} (power of two within ${f.minVcpu}-${f.maxVcpu})`, via === "v2" ? "cpu.vcpuCount" : "vcpuCount");
      }
    }
    for (const id of e.dataCenterIds) {
      if (!findDataCenter(id)) throw new DomainError("invalid", `unknown data center ${id}`, "dataCenterIds");
    }
    for (const vid of e.networkVolumeIds) {
      const v = this.requireVolume(vid, via === "v2" ? "networkVolumes" : "networkVolumeIds");
      if (e.dataCenterIds.length && !e.dataCenterIds.includes(v.dataCenterId)) {
        throw new DomainError("invalid", `network volume ${vid} is in ${v.dataCenterId}, which is not among the endpoint's dataCenterIds`, via === "v2" ? "networkVolumes" : "networkVolumeIds");
      }
    }
  }

  private endpointSnapshot(e: StoredEndpoint): Record<string, unknown> {
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

  private addRelease(e: StoredEndpoint, before: Record<string, unknown> | null): void {
    const after = this.endpointSnapshot(e);
    const diff: ReleaseRecord["diff"] = [];
    for (const [field, value] of Object.entries(after)) {
      const old = before ? before[field] : null;
      if (JSON.stringify(old ?? null) !== JSON.stringify(value ?? null)) diff.push({ field, old: clone(old ?? null), new: clone(value ?? null) });
    }
    e.releases.unshift({ id: this.rng.id(12), version: e.version, createdAt: this.nowIso(), diff });
  }

  private templateContainer(t: StoredTemplate): ContainerFields {
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
    if (template) this.touchTemplate(template.id);
    return e;
  }

  private containerOf(e: ContainerFields): ContainerFields {
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
        const { pools, excludedTypes } = Store.poolsFromTypes(g.gpuTypeIds);
        draft.pools = pools;
        draft.excludedTypes = excludedTypes;
        draft.gpuTypeIds = clone(g.gpuTypeIds);
      } else if (g.pools !== undefined || g.excludedTypes !== undefined) {
        const pools = g.pools ?? draft.pools;
        const excluded = g.excludedTypes ?? (g.pools !== undefined ? [] : draft.excludedTypes);
        draft.gpuTypeIds = Store.typesFromPools(pools, excluded);
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
    if (e.boundTemplateId) this.templates.delete(e.boundTemplateId);
    this.touchTemplate(e.userTemplateId);
  }

  // ------------------------------------------------------------------ secrets

  listSecrets(): StoredSecret[] {
    return [...this.secrets.values()];
  }

  createSecret(input: { name: string; value: string; description?: string | null }): StoredSecret {
    if (!input.name) throw new DomainError("invalid", "Secret name must not be empty", "name");
    if ([...this.secrets.values()].some((s) => s.name === input.name)) {
      throw new DomainError("invalid", `A secret with the name "${input.name}" already exists`, "name");
    }
    const s: StoredSecret = {
      id: "c" + this.newId(24, this.secrets).slice(1),
      name: input.name,
      value: input.value,
      description: input.description ?? null,
      createdAt: this.nowIso(),
      updatedAt: null,
    };
    this.secrets.set(s.id, s);
    return s;
  }

  private getSecret(id: string): StoredSecret {
    const s = this.secrets.get(id);
    if (!s) throw new DomainError("notFound", `Secret ${id} not found`);
    return s;
  }

  updateSecretValue(id: string, value: string): StoredSecret {
    const s = this.getSecret(id);
    s.value = value;
    s.updatedAt = this.nowIso();
    return s;
  }

  updateSecretDescription(id: string, description: string): StoredSecret {
    const s = this.getSecret(id);
    s.description = description;
    s.updatedAt = this.nowIso();
    return s;
  }

  deleteSecret(id: string): void {
    this.getSecret(id);
    this.secrets.delete(id);
  }
}

