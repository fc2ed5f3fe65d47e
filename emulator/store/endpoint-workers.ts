// Serverless workers and release rollouts. Runpod keeps `workers.min` workers up on every
// endpoint and replaces them worker by worker when a change creates a new release; a worker
// waits THROTTLED while its pools/data centres have no stock and turns UNHEALTHY when its image
// cannot be pulled or it fails to start. The emulator moves this forward one step per
// observation (a GET of the endpoint's releases or workers, or a v1 GET of the endpoint), like
// the pod polling hook: tests drive it by polling, never by waiting. Whether a worker finds a
// machine follows the GPU/CPU stock pods use (workers do not take from it: the emulator sends no
// traffic, so how many machines an endpoint holds is not modelled); a test can force a status.
import { findGpuType, hostingDataCenters } from "../catalog";

/** v2 `WorkerStatus`. */
export type WorkerStatus = "RUNNING" | "IDLE" | "INITIALIZING" | "THROTTLED" | "UNHEALTHY";
/** What a test can force on an endpoint's (current-release) workers. */
export type ForcedWorkerStatus = "THROTTLED" | "UNHEALTHY";
export const FORCED_WORKER_STATUSES: ForcedWorkerStatus[] = ["THROTTLED", "UNHEALTHY"];

export interface StoredWorker {
  id: string;
  /** The endpoint version (release) this worker runs. */
  version: number;
  status: WorkerStatus;
  /** Observations left before an INITIALIZING worker is IDLE. */
  pollsLeft: number;
  /** Placement (null while THROTTLED: not placed yet). */
  gpuTypeId: string | null;
  dataCenterId: string | null;
  /** Epoch ms of the last start; null until it started. */
  startedAt: number | null;
}

/** The workers of one endpoint and what a test forced on them. */
export interface EndpointWorkers {
  workers: StoredWorker[];
  forced: ForcedWorkerStatus | null;
  /** Workers ever started, for distinct ids. */
  started: number;
}

/** Where a worker can be placed. */
export interface WorkerPlacement {
  gpuTypeId: string | null;
  dataCenterId: string;
}

/** What a step needs to know about the endpoint. */
export interface WorkerTarget {
  id: string;
  version: number;
  /** Always-on workers (the emulator sends no traffic, so no more ever run). */
  workersMin: number;
  /** Where a worker starting now goes; null: no stock anywhere it may go (it waits THROTTLED). */
  stocked: WorkerPlacement | null;
  /** Where a worker forced UNHEALTHY is placed when nothing is stocked. */
  fallback: WorkerPlacement;
}

/** The endpoint's choice of machines, as stored. */
export interface WorkerDemand {
  computeType: "GPU" | "CPU";
  /** Ordered GPU types (v2 pools minus excluded types). */
  gpuTypeIds: string[];
  gpuCount: number;
  cpu: Array<{ id: string; vcpuCount: number }>;
  /** Allowed data centres (none: all). */
  dataCenterIds: string[];
}

/** Free units per GPU type / CPU flavour and data centre (the store's stock). */
export interface StockView {
  freeGpus(gpuTypeId: string, dataCenterId: string): number;
  freeCpus(cpuFlavorId: string, dataCenterId: string): number;
}

/** Where the endpoint's next worker can go: the first of its types (flavours) with stock in an allowed, hosting data centre. */
export function stockedPlacement(d: WorkerDemand, stock: StockView): WorkerPlacement | null {
  const allowed = d.dataCenterIds.length ? d.dataCenterIds : undefined;
  if ((d.computeType === "CPU" ? d.cpu.length : d.gpuTypeIds.length) === 0) {
    // Nothing chosen to run out of: any data centre in service.
    const dc = hostingDataCenters(null, allowed)[0];
    return dc ? { gpuTypeId: null, dataCenterId: dc } : null;
  }
  if (d.computeType === "CPU") {
    for (const c of d.cpu) {
      const dc = hostingDataCenters(null, allowed).find((id) => stock.freeCpus(c.id, id) >= c.vcpuCount);
      if (dc) return { gpuTypeId: null, dataCenterId: dc };
    }
    return null;
  }
  for (const id of d.gpuTypeIds) {
    const g = findGpuType(id);
    const dc = g ? hostingDataCenters(g, allowed).find((dcId) => stock.freeGpus(id, dcId) >= d.gpuCount) : undefined;
    if (dc) return { gpuTypeId: id, dataCenterId: dc };
  }
  return null;
}

const READY: ReadonlySet<WorkerStatus> = new Set<WorkerStatus>(["RUNNING", "IDLE"]);
export const isReadyWorker = (w: StoredWorker): boolean => READY.has(w.status);

/** A worker id stable per endpoint and start, without consuming the shared PRNG (the seed's ids stay put). */
function workerId(endpointId: string, n: number): string {
  let h = 2166136261;
  for (const ch of `${endpointId}:${n}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return (h.toString(36) + endpointId).slice(0, 14);
}

/** Waiting on capacity: not placed, never started. */
function throttle(w: StoredWorker): void {
  Object.assign(w, { status: "THROTTLED", gpuTypeId: null, dataCenterId: null, startedAt: null });
}

/** Placed where there is stock and starting; THROTTLED while there is none. */
function start(w: StoredWorker, t: WorkerTarget, readyAfterPolls: number, now: number): void {
  if (!t.stocked) return throttle(w);
  Object.assign(w, { ...t.stocked, status: readyAfterPolls <= 0 ? "IDLE" : "INITIALIZING", pollsLeft: readyAfterPolls, startedAt: now });
}

/** Puts a worker in the forced status, or (forced = null) back on its way up. */
function applyForced(w: StoredWorker, t: WorkerTarget, forced: ForcedWorkerStatus | null, readyAfterPolls: number, now: number): void {
  if (forced === "THROTTLED") {
    throttle(w);
  } else if (forced === "UNHEALTHY") {
    // Placed and started, but failing health checks (image pull or start failure).
    Object.assign(w, { ...(t.stocked ?? t.fallback), status: "UNHEALTHY", startedAt: w.startedAt ?? now });
  } else if (w.status === "THROTTLED" || w.status === "UNHEALTHY") {
    start(w, t, readyAfterPolls, now);
  }
}

/**
 * One observation: INITIALIZING workers move on, missing current-release workers start, and a
 * worker of an older release stops once a ready one of the current release can take its place
 * (a rolling release: the endpoint keeps serving from old workers until new ones are up).
 */
export function stepWorkers(sim: EndpointWorkers, t: WorkerTarget, readyAfterPolls: number, now: number): void {
  for (const w of sim.workers) {
    if (w.status !== "INITIALIZING") continue;
    w.pollsLeft -= 1;
    if (w.pollsLeft <= 0) w.status = "IDLE";
  }
  // Stock came back: workers waiting on it (and not held there by a test) start.
  if (!sim.forced && t.stocked) for (const w of sim.workers) if (w.status === "THROTTLED") start(w, t, readyAfterPolls, now);
  const current = () => sim.workers.filter((w) => w.version === t.version);
  for (let missing = t.workersMin - current().length; missing > 0; missing--) {
    const w: StoredWorker = {
      id: workerId(t.id, sim.started++),
      version: t.version,
      status: "INITIALIZING",
      pollsLeft: readyAfterPolls,
      gpuTypeId: null,
      dataCenterId: null,
      startedAt: now,
    };
    if (sim.forced) applyForced(w, t, sim.forced, readyAfterPolls, now);
    else start(w, t, readyAfterPolls, now);
    sim.workers.push(w);
  }
  // Scale down the current release beyond workersMin, the ones not ready first.
  const extra = current().length - t.workersMin;
  if (extra > 0) {
    const drop = new Set(
      current()
        .sort((a, b) => Number(isReadyWorker(a)) - Number(isReadyWorker(b)))
        .slice(0, extra),
    );
    sim.workers = sim.workers.filter((w) => !drop.has(w));
  }
  // Old-release workers keep serving until enough current ones are ready.
  const readyCurrent = current().filter(isReadyWorker).length;
  let keepStale = Math.max(0, t.workersMin - readyCurrent);
  sim.workers = sim.workers.filter((w) => w.version === t.version || keepStale-- > 0);
}

/**
 * Force (or stop forcing) a status on the endpoint's workers that are not up yet and on those that
 * start later (a new release's, a scale-up's); workers already serving keep serving.
 */
export function forceWorkers(sim: EndpointWorkers, t: WorkerTarget, forced: ForcedWorkerStatus | null, readyAfterPolls: number, now: number): void {
  sim.forced = forced;
  for (const w of sim.workers) if (w.version === t.version && !isReadyWorker(w)) applyForced(w, t, forced, readyAfterPolls, now);
}

/** v2 `WorkerSummary`: a roll-up of the workers by status. */
export function workerSummary(workers: StoredWorker[]) {
  const count = (s: WorkerStatus) => workers.filter((w) => w.status === s).length;
  return {
    running: count("RUNNING"),
    idle: count("IDLE"),
    initializing: count("INITIALIZING"),
    throttled: count("THROTTLED"),
    unhealthy: count("UNHEALTHY"),
    total: workers.length,
  };
}

/** v2 `RolloutSummary`. */
export function rolloutSummary(workers: StoredWorker[], version: number) {
  const onLatest = workers.filter((w) => w.version === version).length;
  const total = workers.length;
  return {
    inProgress: workers.some((w) => w.version !== version),
    workersOnLatest: onLatest,
    workersTotal: total,
    percentOnLatest: total === 0 ? 0 : Math.floor((onLatest * 100) / total),
  };
}
