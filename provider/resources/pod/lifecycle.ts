/**
 * What a pod does beyond its field table: Runpod starts a pod as soon as it exists, so creates and
 * starts wait for it to be reachable; `desiredStatus` is applied by start/stop actions; a locked
 * pod is unlocked around the changes Runpod refuses on it.
 */
import { hasCode, hasReadinessCode, isNotFound, NotReadyError, ResourceInitError, RunpodApiError } from "../../client/errors";
import type { OperationContext } from "../../runtime/context";
import { idOf, messageOf } from "../../runtime/handler";
import { RestHandler } from "../../runtime/rest";
import { requireReferencedSecrets } from "../../runtime/secretRefs";
import { followUpBody, outputsFrom } from "../../schema/derive";
import { readContainerDrift } from "../../schema/container";
import type { JsonObject } from "../../schema/fields";
import type { PodApis, PodObject } from "./api";
import { PodInputs, spec } from "./fields";
import { lookUpGpuName } from "./gpuNames";
import type { PodComputed } from "./outputs";
import { capacityError, capacityLike, checkVolumePlacement, createPlaced } from "./placement";
import { Readiness, isTerminated, isUp, readiness, statusOf } from "./status";
import { rollTemplate } from "./templateRoll";

/** How long a create or start waits for the pod to be reachable unless `readyTimeoutSeconds` says otherwise. */
export const DEFAULT_READY_TIMEOUT_SECONDS = 600;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The last pod answer a readiness failure saw. */
function lastPod(e: unknown): PodObject | undefined {
  return e instanceof NotReadyError ? (e.last as PodObject | undefined) : undefined;
}

/**
 * v2 answers 409 to a PATCH or DELETE of a pod that belongs to a cluster: such pods are managed
 * through `/v2/clusters/{id}`, never the pod endpoints. Say so instead of Runpod's bare conflict.
 */
function clusterRefusal(e: RunpodApiError, id: string, pod: PodObject | undefined, doing: string): RunpodApiError | undefined {
  const cluster = pod && "cluster" in pod ? pod.cluster : undefined;
  if (!cluster) return undefined;
  return new RunpodApiError({
    status: e.status,
    code: "conflict",
    method: e.method,
    path: e.path,
    apiMessage:
      `pod ${id} belongs to cluster ${cluster.id}${typeof cluster.rank === "number" ? ` (rank ${cluster.rank})` : ""}, and Runpod refuses to ${doing} a cluster's pods ` +
      "through the pod API: manage it through its cluster (the Runpod console or /v2/clusters), and remove it from this stack " +
      "(`pulumi state delete`) rather than managing it as a Pod",
  });
}

/** Runpod refused because of the pod's state (locked, already started or stopped): v2 409, v1 400. */
function refusedInState(e: unknown): e is RunpodApiError {
  return hasCode(e, "conflict", "validation");
}

class PodHandler extends RestHandler<PodInputs, PodApis, PodComputed> {
  private podPath(id: string): string {
    return `/pods/${encodeURIComponent(id)}`;
  }

  // ---- reads ----------------------------------------------------------------------------------

  /** GET; a terminated pod counts as gone (v1 keeps reporting it for a while). */
  protected override async fetch(ctx: OperationContext, id: string): Promise<PodObject | undefined> {
    let pod: PodObject | undefined;
    try {
      pod = await ctx.http.rest<PodObject | undefined>({
        method: "GET",
        path: this.podPath(id),
        query: ctx.wire === "v1" ? { includeMachine: true, includeNetworkVolume: true } : undefined,
      });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    if (!pod || typeof pod !== "object" || isTerminated(ctx.wire, pod)) return undefined;
    await lookUpGpuName(ctx, pod);
    return pod;
  }

  /** After a lost create response: the live pod with our (auto-generated, so distinctive) name and image. */
  protected override isCreatedBy(ctx: OperationContext, pod: PodObject, body: JsonObject): boolean {
    const image = ctx.wire === "v2" ? body.image : body.imageName;
    return pod.name === body.name && !isTerminated(ctx.wire, pod) && (image === undefined || pod.image === image);
  }

  protected override outputs(ctx: OperationContext, apiObject: PodObject, prior: PodInputs): JsonObject {
    const outs = outputsFrom(this.spec, ctx.wire, apiObject, prior);
    if (apiObject.id === undefined) return outs;
    readContainerDrift(ctx.wire, apiObject, prior, outs);
    // The VRAM of the pod's type is known once this process read the catalog; otherwise the
    // state's value stands, for as long as the pod runs on the same type.
    const before = prior as JsonObject;
    if (outs.gpuMemoryInGb === undefined && before.gpuMemoryInGb !== undefined && outs.gpuTypeId === before.gpuTypeId)
      outs.gpuMemoryInGb = before.gpuMemoryInGb;
    return outs;
  }

  override async read(id: string, props: JsonObject) {
    const result = await super.read(id, props);
    // A GPU pod's vCPU count is an output only: as an input it would fail the check.
    if (result.inputs && result.inputs.computeType !== "CPU") delete result.inputs.vcpuCount;
    return result;
  }

  // ---- create -----------------------------------------------------------------------------------

  protected override async createRequestBody(ctx: OperationContext, inputs: PodInputs): Promise<JsonObject> {
    const body = await super.createRequestBody(ctx, inputs);
    await checkVolumePlacement(ctx, inputs);
    return body;
  }

  /** The create, per candidate placement (see createPlaced); each try keeps the client's lost-answer recovery. */
  protected override async createObject(ctx: OperationContext, body: JsonObject, inputs: PodInputs): Promise<PodObject> {
    await requireReferencedSecrets(ctx, inputs.env, "pod");
    try {
      return await createPlaced(ctx, inputs, body, (attempt) => super.createObject(ctx, attempt, inputs));
    } catch (e) {
      if (hasCode(e, "validation", "not_found", "conflict", "in_use", "forbidden") && inputs.networkVolumeId !== undefined) {
        e.message += ` (the pod mounts network volume ${inputs.networkVolumeId}: it must exist and be in a data centre the pod may use)`;
      }
      throw e;
    }
  }

  /**
   * Runpod starts a pod as soon as it is created. Then: stop it if the program wants it stopped,
   * apply what the create could not carry (v2: `locked`), and wait for readiness. Any failure
   * from here on is a ResourceInitError, so the engine keeps the pod in state.
   */
  protected override async afterCreate(ctx: OperationContext, id: string, created: PodObject, inputs: PodInputs): Promise<JsonObject> {
    let last: PodObject | undefined;
    try {
      if (inputs.desiredStatus === "EXITED") {
        // v1 creates a pod locked when asked; v2 locks it by the follow-up PATCH below.
        last = await this.stop(ctx, id, inputs, ctx.wire === "v1" && inputs.locked === true);
      } else if (inputs.waitForReady !== false) {
        last = await this.waitReady(ctx, id, inputs);
      }
      const followUp = followUpBody(this.spec, ctx.wire, inputs);
      if (Object.keys(followUp).length > 0) last = (await this.patch(ctx, id, followUp, inputs)) ?? last;
      // The readiness poll, the stop or the follow-up PATCH already answered with the pod as it is
      // now; only a create that did not wait needs one more read.
      if (!last) last = await this.fetch(ctx, id);
      return this.outputs(ctx, last ?? created, inputs);
    } catch (e) {
      const pod = lastPod(e) ?? last;
      // A pod that no longer exists cannot be waited for: only refresh (which drops it) or destroy help.
      const next = hasReadinessCode(e, "gone")
        ? "It no longer exists on Runpod: run `pulumi refresh` to drop it from the stack (the next `pulumi up` then creates it again), or `pulumi destroy`"
        : "It is kept in the stack: run `pulumi up` to wait for it again, or `pulumi destroy` to terminate it";
      throw new ResourceInitError(`pod ${id} was created but ${messageOf(e)}. ${next}`, id, this.outputs(ctx, pod ?? created, inputs));
    }
  }

  // ---- update -----------------------------------------------------------------------------------

  /** A new template revision re-applies the template under the pod's own fields (./templateRoll). */
  protected override async updateRequestBody(ctx: OperationContext, id: string, program: PodInputs, merged: PodInputs, changed: string[], prior: PodInputs) {
    const body = await super.updateRequestBody(ctx, id, program, merged, changed, prior);
    return rollTemplate(ctx, body, program, changed, prior, async () => (await this.fetch(ctx, id))?.env);
  }

  /** PATCH the changed fields, unlocking around changes a locked pod refuses (anything but a rename). */
  protected override async updateObject(
    ctx: OperationContext,
    id: string,
    body: JsonObject,
    inputs: PodInputs,
    _changed: string[],
    prior: PodInputs,
  ): Promise<PodObject> {
    const { locked, ...rest } = body;
    let last: PodObject | undefined;
    if (locked === false) last = await this.patch(ctx, id, { locked: false }, inputs);
    if (Object.keys(rest).length > 0) {
      const resets = Object.keys(rest).some((k) => k !== "name");
      const lockedNow = locked === false ? false : prior.locked === true;
      const relock = inputs.locked === true && locked !== true;
      last = (await this.unlocked(ctx, id, inputs, resets && lockedNow, relock, () => this.patch(ctx, id, rest, inputs))) ?? last;
    }
    if (locked === true) last = await this.patch(ctx, id, { locked: true }, inputs);
    // Nothing reported (the pod vanished mid-update): afterUpdate reads it again and says so.
    return last ?? (await this.fetch(ctx, id)) ?? {};
  }

  /**
   * Brings the pod to `desiredStatus`: stop, or start and wait for readiness (also after a v1
   * update, which resets the pod). A start that fails is a ResourceInitError carrying the pod's
   * state, so the recorded `desiredStatus` shows it is not running and the next `up` tries again.
   */
  protected override async afterUpdate(ctx: OperationContext, id: string, _outs: JsonObject, inputs: PodInputs, prior: PodInputs): Promise<JsonObject> {
    let last: PodObject | undefined;
    try {
      last = await this.fetch(ctx, id);
      if (!last) throw new Error(`pod ${id} no longer exists (terminated outside Pulumi); run \`pulumi refresh\`, then \`pulumi up\` creates it again`);
      const desired = inputs.desiredStatus ?? "RUNNING";
      if (desired === "EXITED" && isUp(ctx.wire, last)) {
        last = await this.stop(ctx, id, inputs, last.locked === true);
      } else if (desired === "RUNNING" && statusOf(ctx.wire, last) !== undefined) {
        // (An answer without a status — the spec allows it — gives nothing to start or wait on.)
        if (!isUp(ctx.wire, last)) {
          try {
            last = (await this.action(ctx, id, "start")) ?? last;
          } catch (e) {
            if (capacityLike(e)) throw capacityError(e, inputs, `cannot start pod ${id}`);
            throw e;
          }
        }
        if (inputs.waitForReady !== false) last = await this.waitReady(ctx, id, inputs);
      }
      last = (await this.fetch(ctx, id)) ?? last;
      return this.outputs(ctx, last, inputs);
    } catch (e) {
      if (!last) throw e;
      const pod = lastPod(e) ?? (await this.fetch(ctx, id).catch(() => undefined)) ?? last;
      throw new ResourceInitError(`pod ${id} ${messageOf(e)}`, id, this.outputs(ctx, pod, { ...prior, ...inputs }));
    }
  }

  // ---- delete -----------------------------------------------------------------------------------

  /**
   * Terminate. A locked pod is unlocked first: `locked` guards against stops and resets from
   * outside the stack, while deleting a resource is the stack's own decision (use `protect` to
   * guard against that).
   */
  protected override async deleteObject(ctx: OperationContext, id: string, props: PodInputs): Promise<void> {
    const terminate = () => ctx.http.rest<unknown>({ method: "DELETE", path: this.podPath(id) });
    if (props.locked === true) {
      await this.unlocked(ctx, id, props, true, false, terminate);
      return;
    }
    try {
      await terminate();
    } catch (e) {
      // Locked outside Pulumi: Runpod refuses (v2 409).
      if (!refusedInState(e)) throw e;
      const pod = await this.fetch(ctx, id);
      if (!pod) return;
      const refusal = clusterRefusal(e, id, pod, "delete");
      if (refusal) throw refusal;
      if (pod.locked !== true) throw e;
      await this.unlocked(ctx, id, props, true, false, terminate);
    }
  }

  // ---- actions, locks and waiting ---------------------------------------------------------------

  /**
   * Start or stop. Safe to repeat: when Runpod refuses because the pod is already where the action
   * leads (a retried request whose first answer was lost), that counts as done.
   */
  private async action(ctx: OperationContext, id: string, action: "start" | "stop"): Promise<PodObject | undefined> {
    try {
      if (ctx.wire === "v2") {
        const result = await ctx.http.rest<PodObject | undefined>({ method: "POST", path: `${this.podPath(id)}/action`, body: { action }, idempotent: true });
        return idOf(result) !== undefined ? result : undefined;
      }
      await ctx.http.rest<unknown>({ method: "POST", path: `${this.podPath(id)}/${action}`, idempotent: true });
      return undefined;
    } catch (e) {
      if (!refusedInState(e)) throw e;
      const pod = await this.fetch(ctx, id);
      if (pod && (action === "start") === isUp(ctx.wire, pod)) return pod;
      // v2 publishes which actions the pod's status allows: name them rather than a bare 409.
      const allowed = pod && "actions" in pod && Array.isArray(pod.actions) ? pod.actions : undefined;
      if (allowed === undefined) throw e;
      throw new RunpodApiError({
        status: e.status,
        code: e.code,
        method: e.method,
        path: e.path,
        apiMessage:
          `Runpod refused to ${action} pod ${id}: not valid while it is ${(pod && statusOf(ctx.wire, pod)) ?? "in its current status"} ` +
          `(possible now: ${allowed.length > 0 ? allowed.join(", ") : "none"}); run \`pulumi refresh\` and try again once it has settled (${e.apiMessage})`,
      });
    }
  }

  /**
   * PATCH. REST v2 refuses (409) while the pod is PROVISIONING or STARTING: then wait until it has
   * settled and send it once more.
   */
  private async patch(ctx: OperationContext, id: string, body: JsonObject, inputs: PodInputs): Promise<PodObject | undefined> {
    const send = async () => {
      const result = await ctx.http.rest<PodObject | undefined>({ method: "PATCH", path: this.podPath(id), body });
      return idOf(result) !== undefined ? result : undefined;
    };
    try {
      return await send();
    } catch (e) {
      if (!hasCode(e, "conflict")) throw e;
      const refusal = clusterRefusal(e, id, await this.fetch(ctx, id), "change");
      if (refusal) throw refusal;
      const settled = (pod: PodObject): Readiness => {
        const status = statusOf(ctx.wire, pod);
        return status === "PROVISIONING" || status === "STARTING"
          ? { state: "waiting", waitingFor: "the pod to settle before the update" }
          : { state: "ready" };
      };
      await this.waitFor(ctx, id, inputs, "the pod to settle", settled);
      return send();
    }
  }

  /** Runs `fn` on an unlocked pod (locked pods refuse stops, resets and termination), relocking after if asked. */
  private async unlocked<T>(ctx: OperationContext, id: string, inputs: PodInputs, lockedNow: boolean, relock: boolean, fn: () => Promise<T>): Promise<T> {
    if (!lockedNow) return fn();
    await this.patch(ctx, id, { locked: false }, inputs);
    let result: T;
    try {
      result = await fn();
    } catch (e) {
      // A failed operation must not leave a pod the program wants locked unlocked; its own error
      // is the one to report.
      if (relock) await this.patch(ctx, id, { locked: true }, inputs).catch(() => undefined);
      throw e;
    }
    if (relock) await this.patch(ctx, id, { locked: true }, inputs);
    return result;
  }

  /** Stops the pod (unlocking around it when locked) and waits until it no longer runs. */
  private async stop(ctx: OperationContext, id: string, inputs: PodInputs, lockedNow: boolean): Promise<PodObject> {
    const result = await this.unlocked(ctx, id, inputs, lockedNow, inputs.locked === true, () => this.action(ctx, id, "stop"));
    return this.waitFor(
      ctx,
      id,
      inputs,
      "the pod to stop",
      (pod) => (isUp(ctx.wire, pod) ? { state: "waiting", waitingFor: "EXITED" } : { state: "ready" }),
      result,
    );
  }

  /** Polls until the pod is ready (running, reachable), failed, or the timeout passes. */
  private waitReady(ctx: OperationContext, id: string, inputs: PodInputs): Promise<PodObject> {
    return this.waitFor(ctx, id, inputs, "the pod to be ready", (pod) => readiness(ctx.wire, pod, inputs));
  }

  private async waitFor(
    ctx: OperationContext,
    id: string,
    inputs: PodInputs,
    what: string,
    verdict: (pod: PodObject) => Readiness,
    first?: PodObject,
  ): Promise<PodObject> {
    const timeoutSeconds = inputs.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS;
    const deadline = Date.now() + timeoutSeconds * 1000;
    let pod = first;
    for (let n = 0; ; n++) {
      if (n > 0 || !pod) {
        pod = await this.fetch(ctx, id);
        if (!pod) throw new NotReadyError<PodObject>("gone", "it was terminated (it no longer exists)", undefined);
      }
      const v = verdict(pod);
      if (v.state === "ready") return pod;
      if (v.state === "failed") throw new NotReadyError("not_ready", `did not become ready: ${v.reason}`, pod);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new NotReadyError(
          "not_ready",
          `was still waiting for ${v.waitingFor} after ${timeoutSeconds} s (status ${statusOf(ctx.wire, pod) ?? "unknown"}) while waiting for ${what}; ` +
            "raise readyTimeoutSeconds, or set waitForReady: false",
          pod,
        );
      }
      await sleep(Math.min(ctx.settings.pollIntervalMs, left));
    }
  }
}

export const handler = new PodHandler(spec, {
  v2: { collection: "/pods", listKey: "pods", updatable: true },
  v1: { collection: "/pods", updatable: true },
});
