/**
 * When an endpoint can serve: Runpod accepts a create or update at once, then rolls the new
 * release out worker by worker and brings `workersMin` workers up. Workers waiting on capacity
 * (THROTTLED) or failing to start (UNHEALTHY) are invisible until traffic fails, so the
 * lifecycle waits here and names them when it gives up.
 *
 * REST v2 reports both directly: `GET /v2/serverless/{id}/releases` (`rollout`) and
 * `GET /v2/serverless/{id}/workers` (`WorkerStatus` per worker). REST v1 has neither: it lists
 * workers as Pods (`GET /v1/endpoints/{id}?includeWorkers=true`), each with the endpoint version
 * it runs (`slsVersion`), so the rollout and the ready count are derived from those, and a worker
 * without a machine (waiting for capacity) or EXITED (failed to start) stands in for v2's states.
 */
import type { V1, V2 } from "../../api";
import { isNotFound, NotReadyError, ReadinessCode } from "../../client/errors";
import type { OperationContext } from "../../runtime/context";
import { notice } from "../../runtime/notice";
import { JsonObject, isObject } from "../../schema/fields";
import type { AttachedRelease, EndpointInputs } from "./fields";

/** How long a create or update waits for the endpoint to serve unless `readyTimeoutSeconds` says otherwise (as a pod). */
export const DEFAULT_READY_TIMEOUT_SECONDS = 600;

/** The newest release's rollout: v2's `RolloutSummary` (on v1 derived from the workers' versions). */
export type EndpointRollout = V2["RolloutSummary"];

/** What one look at an endpoint's workers tells, in one vocabulary for both wires. */
export interface WorkerView {
  /** The endpoint's current configuration version, when reported. */
  version?: number;
  rollout?: EndpointRollout;
  /** Workers of the current version that are RUNNING or IDLE; undefined when Runpod did not list workers. */
  readyWorkers?: number;
  /** Ids of workers waiting on capacity (v2 THROTTLED; v1: no machine yet). */
  throttled: string[];
  /** Ids of workers failing to start (v2 UNHEALTHY; v1: EXITED). */
  unhealthy: string[];
}

/** The newest release and the rollout, from one `GET /v2/serverless/{id}/releases`. */
export interface ReleasesView {
  release?: AttachedRelease;
  rollout?: EndpointRollout;
}

/**
 * `GET /v2/serverless/{id}/releases` (newest first). Runpod may legally answer without parts
 * (`endpointVersion: null`, `releases: []`, a release whose `version` is null): what is missing
 * stays missing, never `undefined` in state.
 */
export async function releasesOf(ctx: OperationContext, id: string): Promise<ReleasesView> {
  const result = await ctx.http.rest<Partial<V2["ListEndpointReleasesResponse"]> | undefined>({
    method: "GET",
    path: `/serverless/${encodeURIComponent(id)}/releases`,
  });
  const newest = isObject(result) && Array.isArray(result.releases) ? result.releases[0] : undefined;
  const version = typeof result?.endpointVersion === "number" ? result.endpointVersion : typeof newest?.version === "number" ? newest.version : undefined;
  const release: AttachedRelease = {};
  if (typeof newest?.id === "string") release.id = newest.id;
  if (version !== undefined) release.version = version;
  const view: ReleasesView = {};
  if (Object.keys(release).length > 0) view.release = release;
  const rollout = result?.rollout;
  if (isObject(rollout) && typeof rollout.inProgress === "boolean") view.rollout = rollout;
  return view;
}

/** `GET /v2/serverless/{id}/workers`. */
export async function workersOf(ctx: OperationContext, id: string): Promise<Partial<V2["ListEndpointWorkersResponse"]> | undefined> {
  const result = await ctx.http.rest<Partial<V2["ListEndpointWorkersResponse"]> | undefined>({
    method: "GET",
    path: `/serverless/${encodeURIComponent(id)}/workers`,
  });
  return isObject(result) ? result : undefined;
}

const READY_V2: ReadonlySet<string> = new Set(["RUNNING", "IDLE"]);

/** The v2 view: the rollout from the releases answer, worker states from the workers answer. */
export function v2View(releases: ReleasesView, workers: Partial<V2["ListEndpointWorkersResponse"]> | undefined): WorkerView {
  const list = Array.isArray(workers?.workers) ? workers.workers.filter(isObject) : undefined;
  const ids = (status: string) => (list ?? []).filter((w) => w.status === status).map((w) => String(w.id));
  const view: WorkerView = { throttled: ids("THROTTLED"), unhealthy: ids("UNHEALTHY") };
  const version = typeof workers?.endpointVersion === "number" ? workers.endpointVersion : releases.release?.version;
  if (version !== undefined) view.version = version;
  if (releases.rollout) view.rollout = releases.rollout;
  if (list) view.readyWorkers = list.filter((w) => READY_V2.has(w.status) && w.isStale !== true).length;
  return view;
}

/** v1 requires no field of either, and a sparse answer carries none. */
type V1Worker = Partial<V1["Pod"]>;

/** A v1 worker is up once it has a machine and a start and still wants to run. */
const v1Placed = (w: V1Worker) => typeof w.machineId === "string" && w.machineId !== "";
const v1Exited = (w: V1Worker) => w.desiredStatus === "EXITED";

/** The v1 view from an endpoint read with `includeWorkers=true`; without a `workers` list nothing is known. */
export function v1View(api: Partial<V1["Endpoint"]>): WorkerView {
  const version = typeof api.version === "number" ? api.version : undefined;
  const list = Array.isArray(api.workers) ? api.workers.filter(isObject) : undefined;
  const view: WorkerView = { throttled: [], unhealthy: [] };
  if (version !== undefined) view.version = version;
  if (!list) return view;
  const live = list.filter((w) => w.desiredStatus !== "TERMINATED");
  const current = (w: V1Worker) => version === undefined || typeof w.slsVersion !== "number" || w.slsVersion === version;
  view.throttled = live.filter((w) => !v1Placed(w) && !v1Exited(w)).map((w) => String(w.id));
  view.unhealthy = live.filter(v1Exited).map((w) => String(w.id));
  view.readyWorkers = live.filter((w) => current(w) && w.desiredStatus === "RUNNING" && v1Placed(w) && typeof w.lastStartedAt === "string").length;
  const onLatest = live.filter(current).length;
  view.rollout = {
    inProgress: onLatest < live.length,
    workersOnLatest: onLatest,
    workersTotal: live.length,
    percentOnLatest: live.length === 0 ? 0 : Math.floor((onLatest * 100) / live.length),
  };
  return view;
}

/** The outputs a view fills in (what it does not know stays out, so the prior value is kept). */
export function readinessOutputs(view: WorkerView): JsonObject {
  const outs: JsonObject = {};
  if (view.rollout) outs.rollout = { ...view.rollout };
  if (view.readyWorkers !== undefined) outs.readyWorkers = view.readyWorkers;
  return outs;
}

type Verdict = { ready: true } | { ready: false; waitingFor: string };

/** Ready: the newest release has rolled out and, with `workersMin > 0`, that many workers run or idle. */
export function verdict(view: WorkerView, inputs: EndpointInputs): Verdict {
  const rollout = view.rollout;
  if (rollout?.inProgress) {
    return { ready: false, waitingFor: `the release to roll out (${rollout.workersOnLatest} of ${rollout.workersTotal} workers on the current version)` };
  }
  const wanted = typeof inputs.workersMin === "number" ? inputs.workersMin : 0;
  // No worker list (an answer the spec allows to be that sparse) gives nothing to wait on.
  if (wanted > 0 && view.readyWorkers !== undefined && view.readyWorkers < wanted) {
    return { ready: false, waitingFor: `${wanted} worker${wanted === 1 ? "" : "s"} running or idle (now ${view.readyWorkers})` };
  }
  return { ready: true };
}

const listIds = (ids: string[]) => (ids.length > 5 ? `${ids.slice(0, 5).join(", ")}, …` : ids.join(", "));
const workers = (n: number) => `${n} worker${n === 1 ? "" : "s"}`;

/** Where the workers may be placed, as the program chose it. */
function placement(inputs: EndpointInputs, wire: OperationContext["wire"]): string {
  const centres = inputs.dataCenterIds && inputs.dataCenterIds.length > 0 ? `data centres ${inputs.dataCenterIds.join(", ")}` : "any data centre";
  if (inputs.computeType === "CPU") return `CPU flavors ${(inputs.cpuFlavorIds ?? []).join(", ")} in ${centres}`;
  if (wire === "v2" && inputs.gpuPoolIds) {
    const excluded = inputs.excludedGpuTypeIds && inputs.excludedGpuTypeIds.length > 0 ? ` (excluding ${inputs.excludedGpuTypeIds.join(", ")})` : "";
    return `GPU pools ${inputs.gpuPoolIds.join(", ")}${excluded} in ${centres}`;
  }
  if (inputs.gpuTypeIds) return `GPU types ${inputs.gpuTypeIds.join(", ")} in ${centres}`;
  return `the chosen GPUs in ${centres}`;
}

/** Names the workers that keep the endpoint from serving and their likely cause; empty when none stand out. */
export function diagnosis(view: WorkerView, inputs: EndpointInputs, wire: OperationContext["wire"]): string {
  const parts: string[] = [];
  if (view.throttled.length > 0) {
    const state = wire === "v2" ? "THROTTLED" : "waiting for a machine";
    parts.push(
      `${workers(view.throttled.length)} ${state} (${listIds(view.throttled)}): no stock of ${placement(inputs, wire)}; ` +
        "add GPU pools/types or data centres, or retry later",
    );
  }
  if (view.unhealthy.length > 0) {
    const state = wire === "v2" ? "UNHEALTHY" : "EXITED";
    const image = inputs.imageName ? `the image ${inputs.imageName}` : "the template's image";
    parts.push(
      `${workers(view.unhealthy.length)} ${state} (${listIds(view.unhealthy)}): ${image} may fail to pull (name, tag, registry credentials) ` +
        "or the worker fails to start; see the worker logs in the Runpod console",
    );
  }
  return parts.join("; ");
}

/** A timeout's code: the stuck workers' state when they explain it, else `not_ready`. */
function codeOf(view: WorkerView): ReadinessCode {
  if (view.unhealthy.length > 0) return "unhealthy";
  if (view.throttled.length > 0) return "throttled";
  return "not_ready";
}

/** One look at the endpoint's rollout and workers; the release is reported for the version outputs. */
export interface Look {
  view: WorkerView;
  release?: AttachedRelease;
  /** v1: the endpoint as read (it carries the workers). */
  endpoint?: V1["Endpoint"];
}

async function look(ctx: OperationContext, id: string): Promise<Look | undefined> {
  try {
    if (ctx.wire === "v2") {
      const releases = await releasesOf(ctx, id);
      const workers = await workersOf(ctx, id);
      const found: Look = { view: v2View(releases, workers) };
      if (releases.release) found.release = releases.release;
      return found;
    }
    const endpoint = await ctx.http.rest<V1["Endpoint"] | undefined>({
      method: "GET",
      path: `/endpoints/${encodeURIComponent(id)}`,
      query: { includeWorkers: true },
    });
    return isObject(endpoint) ? { view: v1View(endpoint), endpoint } : { view: { throttled: [], unhealthy: [] } };
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls until the endpoint serves, it is gone, or `readyTimeoutSeconds` passes. Failures are
 * `NotReadyError`s carrying the last look: `gone`, or on timeout `throttled` / `unhealthy` when
 * such workers explain it, else `not_ready`. Stuck workers are announced once while waiting.
 */
export async function waitForEndpoint(ctx: OperationContext, id: string, inputs: EndpointInputs, label: string): Promise<Look> {
  const timeoutSeconds = inputs.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS;
  const deadline = Date.now() + timeoutSeconds * 1000;
  let announced = "";
  for (;;) {
    const seen = await look(ctx, id);
    if (!seen) throw new NotReadyError<Look>("gone", "it was deleted (it no longer exists)", undefined);
    const v = verdict(seen.view, inputs);
    if (v.ready) return seen;
    const why = diagnosis(seen.view, inputs, ctx.wire);
    if (why && why !== announced) {
      notice(`${label}: ${why}; still waiting for ${v.waitingFor} (up to ${timeoutSeconds} s)`);
      announced = why;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new NotReadyError<Look>(
        codeOf(seen.view),
        `was still waiting for ${v.waitingFor} after ${timeoutSeconds} s${why ? `: ${why}` : ""}; raise readyTimeoutSeconds, or set waitForReady: false`,
        seen,
      );
    }
    await sleep(Math.min(ctx.settings.pollIntervalMs, left));
  }
}
