// Runpod API emulator: a real HTTP server on 127.0.0.1 serving REST v2 (/v2), REST v1 (/v1) and
// the GraphQL secret operations (/graphql) over one in-memory state, validated against the
// official OpenAPI specs, with switchable faults and test control hooks.
//
//   const emu = await startEmulator({ seed: 1, podReadyAfterPolls: 2 });
//   fetch(emu.restUrl("v2") + "/pods", { headers: { authorization: "Bearer anything" } });
//   emu.faults.set({ latencyMs: 20 });
//   await emu.close();
import { randomInt } from "node:crypto";
import { z } from "zod";
import { deriveSeed, Prng } from "./prng";
import { Faults, FaultConfig } from "./faults";
import { EmulatorServer, RequestLogEntry } from "./server";
import {
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
import { WireResult } from "./wire";
import { getBackend, RestWire } from "./specs";

export type { FaultConfig, Status429Config } from "./faults";
export type { RequestLogEntry, Wire } from "./server";
export type {
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
export { GPU_TYPES, CPU_FLAVORS, DATA_CENTERS } from "./catalog";

export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) = random free port. */
  port?: number;
  /** Accepted Bearer key. Unset = any non-empty Bearer key is accepted. */
  apiKey?: string;
  /** PRNG seed for ids, IPs, port mappings and fault decisions. Default: random (see `emulator.seed`). */
  seed?: number;
  /** GETs of a pod needed before it is RUNNING (default 2; 0 = RUNNING immediately). */
  podReadyAfterPolls?: number;
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
  /** Clock used for timestamps and template holds (default Date.now). */
  now?: () => number;
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

export interface EmulatorSettings {
  podReadyAfterPolls: number;
  templateReleaseDelayMs: number;
  requireScaleToZeroBeforeDelete: boolean;
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
  /** Empty all state, clear faults, GPU stock, template holds and the log; re-seed the PRNG. */
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
  /** The pod (or the next pod to start, with "next") goes to ERROR (v2) / EXITED (v1) instead of RUNNING. */
  failPodStart(podIdOrNext: string): void;
  /** Free units of a GPU type (consumed by running pods); null/undefined = plentiful again. */
  setGpuStock(gpuTypeId: string, units: number | null | undefined): void;
  /** Keep a template "in use" (delete → 400) until released, or for `ms`. */
  holdTemplate(templateId: string, ms?: number): void;
  releaseTemplate(templateId: string): void;
  /** Log entries whose responses violated the spec (only with validateResponses). */
  responseViolations(): RequestLogEntry[];
  /** Validate a body against the spec's response schema (empty = conforms). */
  validateResponse(wire: RestWire, operationId: string, status: number, body: unknown): Promise<string[]>;
}

const POD_STATUSES: PodStatus[] = ["PROVISIONING", "STARTING", "RUNNING", "EXITED", "ERROR", "TERMINATED"];
const RESOURCE_KINDS: ResourceKind[] = ["networkVolumes", "templates", "registries", "pods", "endpoints", "secrets"];

function redactedState(store: Store): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const kind of RESOURCE_KINDS) {
    out[kind] = store.list(kind).map((o) => {
      const copy = { ...(o as Record<string, unknown>) };
      if (kind === "registries") copy.password = "[redacted]";
      if (kind === "secrets") copy.value = "[redacted]";
      return copy;
    });
  }
  return out;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const seed = opts.seed !== undefined ? opts.seed >>> 0 : randomInt(0, 2 ** 31);
  const settings: EmulatorSettings = {
    podReadyAfterPolls: Math.max(0, opts.podReadyAfterPolls ?? 2),
    templateReleaseDelayMs: Math.max(0, opts.templateReleaseDelayMs ?? 0),
    requireScaleToZeroBeforeDelete: opts.requireScaleToZeroBeforeDelete ?? true,
  };
  const now = opts.now ?? Date.now;
  const storeOpts = {
    get podReadyAfterPolls() {
      return settings.podReadyAfterPolls;
    },
    get templateReleaseDelayMs() {
      return settings.templateReleaseDelayMs;
    },
    get requireScaleToZeroBeforeDelete() {
      return settings.requireScaleToZeroBeforeDelete;
    },
    now,
  };
  const store = new Store(new Prng(deriveSeed(seed, 1)), storeOpts);
  const faults = new Faults(new Prng(deriveSeed(seed, 2)));
  if (opts.faults) faults.set(opts.faults);
  let log: RequestLogEntry[] = [];
  const quiet = opts.quiet ?? true;

  const reset = () => {
    store.reset(new Prng(deriveSeed(seed, 1)));
    faults.reseed(new Prng(deriveSeed(seed, 2)));
    faults.clear();
    log = [];
  };

  const admin = (method: string, path: string, body: unknown): WireResult => adminRoute(method, path, body);

  const server = new EmulatorServer({
    store,
    faults,
    apiKey: opts.apiKey !== undefined && opts.apiKey !== "" ? opts.apiKey : undefined,
    quiet,
    validateResponses: opts.validateResponses ?? false,
    admin,
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
      if (s.templateReleaseDelayMs !== undefined) settings.templateReleaseDelayMs = Math.max(0, s.templateReleaseDelayMs);
      if (s.requireScaleToZeroBeforeDelete !== undefined) settings.requireScaleToZeroBeforeDelete = s.requireScaleToZeroBeforeDelete;
    },
    get settings() {
      return { ...settings };
    },
    setPodStatus: (id, status) => {
      if (!POD_STATUSES.includes(status)) throw new Error(`runpod emulator: unknown pod status ${status}`);
      store.setPodStatus(id, status);
    },
    preempt: (id) => void store.preempt(id),
    failPodStart: (id) => store.failPodStart(id),
    setGpuStock: (gpuTypeId, units) => store.setGpuStock(gpuTypeId, units ?? undefined),
    holdTemplate: (id, ms) => store.holdTemplate(id, ms),
    releaseTemplate: (id) => store.releaseTemplate(id),
    responseViolations: () => log.filter((e) => e.responseErrors && e.responseErrors.length).map((e) => ({ ...e })),
    validateResponse: async (wire, operationId, status, body) => (await getBackend(wire)).validateResponse(operationId, status, body),
  };

  // ------------------------------------------------------------------ admin API (/__emulator/*)
  const adminErr = (status: number, message: string): WireResult => ({ status, body: { message } });
  const holdSchema = z.object({ ms: z.number().int().min(0).optional() }).strict();
  const stockSchema = z.object({ gpuTypeId: z.string().min(1), units: z.number().int().min(0).nullable().optional() }).strict();
  const statusSchema = z.object({ status: z.enum(POD_STATUSES as [PodStatus, ...PodStatus[]]) }).strict();
  const settingsSchema = z
    .object({
      podReadyAfterPolls: z.number().int().min(0).optional(),
      templateReleaseDelayMs: z.number().int().min(0).optional(),
      requireScaleToZeroBeforeDelete: z.boolean().optional(),
    })
    .strict();

  function adminRoute(method: string, path: string, body: unknown): WireResult {
    const parts = path.replace(/\/+$/, "").split("/").slice(2).map(decodeURIComponent); // after "/__emulator"
    const route = `${method} /${parts.join("/")}`;
    try {
      if (route === "GET /health" || route === "GET /") {
        return { status: 200, body: { ok: true, url, seed, wires: { v2: `${url}/v2`, v1: `${url}/v1`, graphql: `${url}/graphql` } } };
      }
      if (route === "GET /log") return { status: 200, body: { requests: log } };
      if (route === "DELETE /log" || route === "POST /log/clear") {
        log = [];
        return { status: 204 };
      }
      if (route === "POST /reset") {
        reset();
        return { status: 204 };
      }
      if (route === "GET /faults") return { status: 200, body: faults.get() };
      if (route === "POST /faults" || route === "PUT /faults") {
        faults.set((body ?? {}) as FaultConfig);
        return { status: 200, body: faults.get() };
      }
      if (route === "PATCH /faults") {
        faults.update((body ?? {}) as FaultConfig);
        return { status: 200, body: faults.get() };
      }
      if (route === "DELETE /faults") {
        faults.clear();
        return { status: 204 };
      }
      if (route === "GET /state") return { status: 200, body: redactedState(store) };
      if (route === "GET /settings") return { status: 200, body: { ...settings } };
      if (route === "POST /settings" || route === "PATCH /settings") {
        emulator.configure(settingsSchema.parse(body ?? {}));
        return { status: 200, body: { ...settings } };
      }
      if (route === "POST /gpu-stock") {
        const b = stockSchema.parse(body ?? {});
        store.setGpuStock(b.gpuTypeId, b.units ?? undefined);
        return { status: 204 };
      }
      if (method === "POST" && parts[0] === "pods" && parts.length === 3) {
        const id = parts[1];
        if (parts[2] === "fail-start") {
          store.failPodStart(id);
          return { status: 204 };
        }
        if (!store.pods.has(id)) return adminErr(404, `no pod ${id}`);
        if (parts[2] === "status") {
          emulator.setPodStatus(id, statusSchema.parse(body ?? {}).status);
          return { status: 204 };
        }
        if (parts[2] === "preempt") {
          store.preempt(id);
          return { status: 204 };
        }
      }
      if (method === "POST" && parts[0] === "templates" && parts.length === 3) {
        if (parts[2] === "hold") {
          store.holdTemplate(parts[1], holdSchema.parse(body ?? {}).ms);
          return { status: 204 };
        }
        if (parts[2] === "release") {
          store.releaseTemplate(parts[1]);
          return { status: 204 };
        }
      }
      return adminErr(404, `unknown admin route ${route}`);
    } catch (err) {
      if (err instanceof z.ZodError) {
        return adminErr(400, err.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
      }
      return adminErr(400, (err as Error).message);
    }
  }

  return emulator;
}
