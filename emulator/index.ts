// Runpod API emulator: a real HTTP server on 127.0.0.1 serving REST v2 (/v2), REST v1 (/v1) and
// the GraphQL secret operations (/graphql) over one in-memory state, validated against the
// official OpenAPI specs, with switchable faults and test control hooks.
//
//   const emu = await startEmulator({ seed: 1, podReadyAfterPolls: 2 });
//   fetch(emu.restUrl("v2") + "/pods", { headers: { authorization: "Bearer anything" } });
//   emu.faults.set({ latencyMs: 20 });
//   await emu.close();
import { randomInt } from "node:crypto";
import { deriveSeed, Prng } from "./prng";
import { Faults, FaultConfig } from "./faults";
import { EmulatorServer, RequestLogEntry } from "./server";
import {
  ListingLag,
  PodCluster,
  PodStatus,
  ResourceKind,
  Store,
  StoredEndpoint,
  StoredNetworkVolume,
  StoredPod,
  StoredRegistry,
  StoredSecret,
  StoredTemplate,
} from "./state";
import { getBackend, RestWire } from "./specs";
import { DEFAULT_RATE_LIMIT, RateLimiter, RateLimitPolicy } from "./ratelimit";
import { adminRouter, POD_STATUSES, RESOURCE_KINDS } from "./admin";
import type { ForcedWorkerStatus } from "./store/endpoint-workers";

export type { FaultConfig, Status429Config } from "./faults";
export type { RequestLogEntry, Wire } from "./server";
export type {
  ListingLag,
  PodCluster,
  PodStatus,
  ResourceKind,
  StoredEndpoint,
  StoredNetworkVolume,
  StoredPod,
  StoredRegistry,
  StoredSecret,
  StoredTemplate,
} from "./state";
export { V1_CAPACITY_MESSAGE, V2_CAPACITY_TITLE } from "./state";
export { GPU_TYPES, CPU_FLAVORS, DATA_CENTERS, addGpuType, setDataCenterOnline } from "./catalog";
export { DEFAULT_RATE_LIMIT } from "./ratelimit";
export type { RateLimitPolicy } from "./ratelimit";
export type { ForcedWorkerStatus, WorkerStatus } from "./store/endpoint-workers";
export { sparsify } from "./sparse";
export { V1_ROUTES } from "./rest-v1";
export { V2_ROUTES } from "./rest-v2";
export type { Route, RouteTable } from "./wire";

export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) = random free port. */
  port?: number;
  /** Accepted Bearer key. Unset = any non-empty Bearer key is accepted. */
  apiKey?: string;
  /** PRNG seed for ids, IPs, port mappings and fault decisions. Default: random (see `emulator.seed`). */
  seed?: number;
  /** GETs of a pod needed before it is RUNNING (default 2; 0 = RUNNING immediately). */
  podReadyAfterPolls?: number;
  /** Polls of an endpoint's workers (its releases or workers, v1 its GET) before a starting worker is IDLE (default 1; 0 = at once). */
  endpointWorkerReadyAfterPolls?: number;
  /** Template stays "in use" this long after its last pod/endpoint is gone (default 0). */
  templateReleaseDelayMs?: number;
  /** Refuse to delete endpoints whose workers min > 0 (default true). */
  requireScaleToZeroBeforeDelete?: boolean;
  /** Validate every REST response against the spec's response schema; violations land in the log (default false). */
  validateResponses?: boolean;
  /** Faults active from the start. */
  faults?: FaultConfig;
  /** Print one line per request (default: quiet). */
  quiet?: boolean;
  /** Clock used for timestamps, template holds, rate-limit windows and listing lag (default Date.now). */
  now?: () => number;
  /**
   * Per-user quota per window, announced in `RateLimit` / `RateLimit-Policy` headers on every
   * authenticated answer and enforced (429 + Retry-After). Default: a quota no test meets
   * (`DEFAULT_RATE_LIMIT`); null = a rate-limit-exempt caller (no headers, no quota).
   */
  rateLimit?: RateLimitPolicy | null;
  /** Keys that authenticate (even when `apiKey` is set) but get 403 on every mutation. */
  readOnlyKeys?: string[];
  /** Hide created objects from list answers for a number of list calls and/or clock ms (default: none). */
  listingLag?: ListingLag | null;
  /** Answer only what the spec requires (see README, "Sparse mode"); default false. */
  sparse?: boolean;
}

export interface ResourceMap {
  networkVolumes: StoredNetworkVolume;
  templates: StoredTemplate;
  registries: StoredRegistry;
  pods: StoredPod;
  endpoints: StoredEndpoint;
  secrets: StoredSecret;
}

export type EmulatorState = { [K in ResourceKind]: ResourceMap[K][] };

export interface FaultController {
  /** Replace the fault configuration (counters restart). */
  set(config: FaultConfig): void;
  /** Merge into the current configuration. */
  update(partial: FaultConfig): void;
  clear(): void;
  get(): FaultConfig;
}

/** Behaviour switches; all of them can be changed at runtime (`configure`, `PATCH /__emulator/settings`). */
export interface EmulatorSettings {
  podReadyAfterPolls: number;
  endpointWorkerReadyAfterPolls: number;
  templateReleaseDelayMs: number;
  requireScaleToZeroBeforeDelete: boolean;
  rateLimit: RateLimitPolicy | null;
  readOnlyKeys: string[];
  listingLag: ListingLag | null;
  sparse: boolean;
}

export interface Emulator {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** url + "/graphql" */
  readonly graphqlUrl: string;
  /** The seed in use (pass it back as `seed` to reproduce a run). */
  readonly seed: number;
  /** url + "/v1" or url + "/v2" */
  restUrl(version: "v1" | "v2"): string;
  readonly faults: FaultController;
  /** Request log (admin routes excluded), oldest first. */
  requests(): RequestLogEntry[];
  clearLog(): void;
  /** Empty all state, clear faults, GPU and CPU stock, template holds and the log; re-seed the PRNG. */
  reset(): void;
  close(): Promise<void>;
  /** Snapshot (deep copy) of every stored object, for assertions. */
  readonly state: EmulatorState;
  list<K extends ResourceKind>(kind: K): ResourceMap[K][];
  get<K extends ResourceKind>(kind: K, id: string): ResourceMap[K] | undefined;
  /** Change behaviour switches at runtime. */
  configure(settings: Partial<EmulatorSettings>): void;
  readonly settings: EmulatorSettings;
  setPodStatus(podId: string, status: PodStatus): void;
  /** Interruptible (spot) pod is reclaimed: EXITED outside the user's action. */
  preempt(podId: string): void;
  /** Make a pod a cluster member (v2 PATCH/DELETE → 409, hidden from GET /v2/pods by default); null = standalone. */
  setPodCluster(podId: string, cluster: PodCluster | null): void;
  /** The pod (or the next pod to start, with "next") goes to ERROR (v2) / EXITED (v1) instead of RUNNING. */
  failPodStart(podIdOrNext: string): void;
  /**
   * An endpoint's workers not up yet, and those it starts later (a new release's, a scale-up's),
   * go THROTTLED (waiting on capacity) or UNHEALTHY (image pull / start failure); workers already
   * serving keep serving. null lets them come up again. "next": the next endpoint created.
   */
  forceEndpointWorkers(endpointId: string, status: ForcedWorkerStatus | null): void;
  /**
   * Free units of a GPU type (consumed by running pods); null/undefined = plentiful again. With
   * `dataCenterId`, the stock of that data centre only (the type's own stock still caps it).
   */
  setGpuStock(gpuTypeId: string, units: number | null | undefined, dataCenterId?: string): void;
  /**
   * Free vCPUs of a CPU flavour (consumed by running CPU pods); null/undefined = plentiful again.
   * With `dataCenterId`, the stock of that data centre only (the flavour's own stock still caps it).
   */
  setCpuStock(cpuFlavorId: string, vcpus: number | null | undefined, dataCenterId?: string): void;
  /** Keep a template "in use" (delete → 400) until released, or for `ms`. */
  holdTemplate(templateId: string, ms?: number): void;
  releaseTemplate(templateId: string): void;
  /** Log entries whose responses violated the spec (only with validateResponses). */
  responseViolations(): RequestLogEntry[];
  /** Validate a body against the spec's response schema (empty = conforms). */
  validateResponse(wire: RestWire, operationId: string, status: number, body: unknown): Promise<string[]>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const seed = opts.seed !== undefined ? opts.seed >>> 0 : randomInt(0, 2 ** 31);
  const settings: EmulatorSettings = {
    podReadyAfterPolls: Math.max(0, opts.podReadyAfterPolls ?? 2),
    endpointWorkerReadyAfterPolls: Math.max(0, opts.endpointWorkerReadyAfterPolls ?? 1),
    templateReleaseDelayMs: Math.max(0, opts.templateReleaseDelayMs ?? 0),
    requireScaleToZeroBeforeDelete: opts.requireScaleToZeroBeforeDelete ?? true,
    rateLimit: opts.rateLimit === undefined ? { ...DEFAULT_RATE_LIMIT } : opts.rateLimit,
    readOnlyKeys: [...(opts.readOnlyKeys ?? [])],
    listingLag: opts.listingLag ?? null,
    sparse: opts.sparse ?? false,
  };
  const now = opts.now ?? Date.now;
  const storeOpts = {
    get podReadyAfterPolls() {
      return settings.podReadyAfterPolls;
    },
    get endpointWorkerReadyAfterPolls() {
      return settings.endpointWorkerReadyAfterPolls;
    },
    get templateReleaseDelayMs() {
      return settings.templateReleaseDelayMs;
    },
    get requireScaleToZeroBeforeDelete() {
      return settings.requireScaleToZeroBeforeDelete;
    },
    get listingLag() {
      return settings.listingLag;
    },
    now,
  };
  const store = new Store(new Prng(deriveSeed(seed, 1)), storeOpts);
  const faults = new Faults(new Prng(deriveSeed(seed, 2)));
  if (opts.faults) faults.set(opts.faults);
  let log: RequestLogEntry[] = [];
  const quiet = opts.quiet ?? true;

  const limiter = new RateLimiter(now);
  const reset = () => {
    store.reset(new Prng(deriveSeed(seed, 1)));
    limiter.reset();
    faults.reseed(new Prng(deriveSeed(seed, 2)));
    faults.clear();
    log = [];
  };

  const server = new EmulatorServer({
    store,
    faults,
    apiKey: opts.apiKey !== undefined && opts.apiKey !== "" ? opts.apiKey : undefined,
    quiet,
    validateResponses: opts.validateResponses ?? false,
    admin: (method, path, body) => admin(method, path, body),
    realism: () => settings,
    limiter,
    onLog: (e) => log.push(e),
  });
  const port = await server.listen(opts.port ?? 0);
  const url = `http://127.0.0.1:${port}`;

  const emulator: Emulator = {
    url,
    port,
    graphqlUrl: `${url}/graphql`,
    seed,
    restUrl: (version) => `${url}/${version}`,
    faults: {
      set: (c) => faults.set(c),
      update: (c) => faults.update(c),
      clear: () => faults.clear(),
      get: () => faults.get(),
    },
    requests: () => log.map((e) => ({ ...e })),
    clearLog: () => {
      log = [];
    },
    reset,
    close: () => server.close(),
    get state() {
      const out = {} as Record<ResourceKind, unknown[]>;
      for (const k of RESOURCE_KINDS) out[k] = store.list(k);
      return out as EmulatorState;
    },
    list: (kind) => store.list(kind) as never,
    get: (kind, id) => (store.list(kind) as Array<{ id: string }>).find((o) => o.id === id) as never,
    configure: (s) => {
      if (s.podReadyAfterPolls !== undefined) settings.podReadyAfterPolls = Math.max(0, s.podReadyAfterPolls);
      if (s.endpointWorkerReadyAfterPolls !== undefined) settings.endpointWorkerReadyAfterPolls = Math.max(0, s.endpointWorkerReadyAfterPolls);
      if (s.templateReleaseDelayMs !== undefined) settings.templateReleaseDelayMs = Math.max(0, s.templateReleaseDelayMs);
      if (s.requireScaleToZeroBeforeDelete !== undefined) settings.requireScaleToZeroBeforeDelete = s.requireScaleToZeroBeforeDelete;
      if (s.rateLimit !== undefined) settings.rateLimit = s.rateLimit === null ? null : { ...s.rateLimit };
      if (s.readOnlyKeys !== undefined) settings.readOnlyKeys = [...s.readOnlyKeys];
      if (s.listingLag !== undefined) settings.listingLag = s.listingLag === null ? null : { ...s.listingLag };
      if (s.sparse !== undefined) settings.sparse = s.sparse;
    },
    get settings() {
      return JSON.parse(JSON.stringify(settings)) as EmulatorSettings;
    },
    setPodStatus: (id, status) => {
      if (!POD_STATUSES.includes(status)) throw new Error(`runpod emulator: unknown pod status ${status}`);
      store.setPodStatus(id, status);
    },
    preempt: (id) => void store.preempt(id),
    setPodCluster: (id, cluster) => void store.setPodCluster(id, cluster),
    failPodStart: (id) => store.failPodStart(id),
    forceEndpointWorkers: (id, status) => store.forceEndpointWorkers(id, status),
    setGpuStock: (gpuTypeId, units, dataCenterId) => store.setGpuStock(gpuTypeId, units ?? undefined, dataCenterId),
    setCpuStock: (cpuFlavorId, vcpus, dataCenterId) => store.setCpuStock(cpuFlavorId, vcpus ?? undefined, dataCenterId),
    holdTemplate: (id, ms) => store.holdTemplate(id, ms),
    releaseTemplate: (id) => store.releaseTemplate(id),
    responseViolations: () => log.filter((e) => e.responseErrors && e.responseErrors.length).map((e) => ({ ...e })),
    validateResponse: async (wire, operationId, status, body) => (await getBackend(wire)).validateResponse(operationId, status, body),
  };

  const admin = adminRouter({
    emulator,
    store,
    faults,
    log: () => log,
    clearLog: () => {
      log = [];
    },
  });

  return emulator;
}
