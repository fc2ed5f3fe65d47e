// Shapes of the emulator's in-memory model and of the inputs the wires convert their bodies
// into. Domain rules live in the store layers (core → volumes → templates → registries →
// pod lifecycle → pods → endpoints → secrets), so they hold on every wire.
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
  /** Set for a cluster member pod (managed through /v2/clusters; v2 PATCH/DELETE answer 409). */
  cluster: PodCluster | null;
}

/** A pod's cluster membership, as the v2 `PodCluster` schema describes it. */
export interface PodCluster {
  id: string;
  /** Node rank (0 = the cluster's entry node); null until assigned. */
  rank: number | null;
  /** Address on the cluster's private overlay network, once assigned. */
  ip?: string;
}

/**
 * Eventual consistency of list endpoints: a created object is absent from list answers for its
 * next `lists` list calls of its kind and/or until `ms` of the emulator's clock have passed.
 */
export interface ListingLag {
  lists?: number;
  ms?: number;
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
  listingLag: ListingLag | null;
  /** Observations of an endpoint's workers before a starting worker is IDLE (default 1). */
  endpointWorkerReadyAfterPolls?: number;
  now: () => number;
}

export const DEFAULT_V1_PORTS = ["8888/http", "22/tcp"];
export const V1_CAPACITY_MESSAGE = "There are no longer any instances available with the requested specifications. Please refresh and try again.";
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

export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

export function cudaGte(a: string, b: string): boolean {
  const [am, an] = a.split(".").map(Number);
  const [bm, bn] = b.split(".").map(Number);
  return am > bm || (am === bm && (an ?? 0) >= (bn ?? 0));
}

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
  /** v1: how the candidates are tried (Runpod's default: availability). */
  gpuTypePriority?: "availability" | "custom";
  gpuCount: number;
  cpuFlavorIds: string[];
  /** v1: how the CPU flavours are tried (Runpod's default: availability). */
  cpuFlavorPriority?: "availability" | "custom";
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
