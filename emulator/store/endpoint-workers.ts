// Serverless workers and release rollouts. Runpod keeps `workers.min` workers up on every
// endpoint and replaces them worker by worker when a change creates a new release; a worker
// waits THROTTLED while its pools/data centres have no stock and turns UNHEALTHY when its image
// cannot be pulled or it fails to start. The emulator moves this forward one step per
// observation (a GET of the endpoint's releases or workers, or a v1 GET of the endpoint), like
// the pod polling hook: tests drive it by polling, never by waiting.

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

/** What a step needs to know about the endpoint. */
export interface WorkerTarget {
  id: string;
  version: number;
  /** Always-on workers (the emulator sends no traffic, so no more ever run). */
  workersMin: number;
  computeType: "GPU" | "CPU";
  gpuTypeIds: string[];
  dataCenterIds: string[];
}

const READY: ReadonlySet<WorkerStatus> = new Set<WorkerStatus>(["RUNNING", "IDLE"]);
export const isReadyWorker = (w: StoredWorker): boolean => READY.has(w.status);

/** A worker id stable per endpoint and start, without consuming the shared PRNG (the seed's ids stay put). */
function workerId(endpointId: string, n: number): string {
  let h = 2166136261;
  for (const ch of `${endpointId}:${n}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return (h.toString(36) + endpointId).slice(0, 14);
}

function place(w: StoredWorker, t: WorkerTarget): void {
  w.gpuTypeId = t.computeType === "GPU" ? (t.gpuTypeIds[0] ?? null) : null;
  w.dataCenterId = t.dataCenterIds[0] ?? "EU-RO-1";
}

/** Puts a worker in the forced status, or (forced = null) back on its way up. */
function applyForced(w: StoredWorker, t: WorkerTarget, forced: ForcedWorkerStatus | null, readyAfterPolls: number, now: number): void {
  if (forced === "THROTTLED") {
    // Waiting on capacity: not placed, never started.
    Object.assign(w, { status: "THROTTLED", gpuTypeId: null, dataCenterId: null, startedAt: null });
  } else if (forced === "UNHEALTHY") {
    // Placed and started, but failing health checks (image pull or start failure).
    place(w, t);
    Object.assign(w, { status: "UNHEALTHY", startedAt: w.startedAt ?? now });
  } else if (w.status === "THROTTLED" || w.status === "UNHEALTHY") {
    place(w, t);
    Object.assign(w, { status: "INITIALIZING", pollsLeft: readyAfterPolls, startedAt: now });
    if (readyAfterPolls <= 0) w.status = "IDLE";
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
    place(w, t);
    if (readyAfterPolls <= 0) w.status = "IDLE";
    if (sim.forced) applyForced(w, t, sim.forced, readyAfterPolls, now);
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
