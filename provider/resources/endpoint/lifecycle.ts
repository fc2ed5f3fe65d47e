import { hasCode, hasReadinessCode, isNotFound, NotReadyError, ResourceInitError } from "../../client/errors";
import { OperationContext } from "../../runtime/context";
import { ApiObject, messageOf } from "../../runtime/handler";
import { RestHandler } from "../../runtime/rest";
import { requireReferencedSecrets } from "../../runtime/secretRefs";
import { readContainerDrift } from "../../schema/container";
import { outputsFrom } from "../../schema/derive";
import { JsonObject, Wire, isObject } from "../../schema/fields";
import { EndpointApis, EndpointInputs, spec } from "./fields";
import { EndpointComputed } from "./outputs";
import { Look, readinessOutputs, releasesOf, v2View, waitForEndpoint, workersOf } from "./readiness";
import { idleTimeoutApplies, routingOf, v2Scaling } from "./wire";
import { rollTemplate } from "./templateRoll";

/** The flow hands the active wire's object typed as either wire's; this names which it is. */
function onWire<W extends Wire>(ctx: OperationContext, wire: W, api: ApiObject<EndpointApis>): EndpointApis[W] | undefined {
  return ctx.wire === wire ? (api as EndpointApis[W]) : undefined;
}

const nonEmpty = (list: unknown): boolean => Array.isArray(list) && list.length > 0;

/** The last look a readiness failure saw. */
function lastLook(e: unknown): Look | undefined {
  return e instanceof NotReadyError ? (e.last as Look | undefined) : undefined;
}

/**
 * Serverless endpoint CRUD: the field table does the mapping; this adds v2's required defaults,
 * the release outputs, CUDA-constraint clearing, waiting until the endpoint serves
 * (readiness.ts), and scale-to-zero before delete.
 */
class EndpointHandler extends RestHandler<EndpointInputs, EndpointApis, EndpointComputed> {
  /**
   * Attaches the latest v2 release and rollout (one call), and on a read the workers too;
   * informational, so a failure right after a write is not fatal.
   */
  private async withRelease(ctx: OperationContext, api: ApiObject<EndpointApis>, tolerate: "all" | "notFound"): Promise<ApiObject<EndpointApis>> {
    const v2 = onWire(ctx, "v2", api);
    if (!v2?.id) return api;
    try {
      const releases = await releasesOf(ctx, String(v2.id));
      // After a write the readiness wait looks at the workers; a read (refresh) looks here, and
      // since the count is informational, a refresh never fails on it.
      const workers = tolerate === "notFound" ? await workersOf(ctx, String(v2.id)).catch(() => undefined) : undefined;
      const attached: ApiObject<EndpointApis> = { ...v2, __workers: v2View(releases, workers) };
      if (releases.release) attached.__release = releases.release;
      return attached;
    } catch (e) {
      if (tolerate === "all" || isNotFound(e)) return api;
      throw e;
    }
  }

  private label(id: string, inputs: EndpointInputs): string {
    return `Endpoint${typeof inputs.name === "string" ? ` "${inputs.name}"` : ""} (${id})`;
  }

  /** Outputs after a look at the workers: the rollout, the ready count and the release it saw. */
  private withLook(ctx: OperationContext, outs: JsonObject, seen: Look | undefined, inputs: EndpointInputs): JsonObject {
    if (!seen) return outs;
    const next = seen.endpoint && ctx.wire === "v1" ? this.outputs(ctx, seen.endpoint, inputs) : { ...outs, ...readinessOutputs(seen.view) };
    if (seen.release?.version !== undefined) next.version = seen.release.version;
    if (seen.release?.id !== undefined) next.releaseId = seen.release.id;
    return next;
  }

  /**
   * Runpod accepts an endpoint before it can serve: wait for the rollout and the always-on
   * workers. Any failure here keeps the endpoint in state (a ResourceInitError with its id).
   */
  protected override async afterCreate(ctx: OperationContext, id: string, created: ApiObject<EndpointApis>, inputs: EndpointInputs): Promise<JsonObject> {
    return this.waitUntilServing(ctx, id, this.outputs(ctx, created, inputs), inputs, "created", {
      gone: "It no longer exists on Runpod: run `pulumi refresh` to drop it from the stack (the next `pulumi up` then creates it again), or `pulumi destroy`",
      kept: "It is kept in the stack: run `pulumi up` to wait for it again, or `pulumi destroy` to delete it",
    });
  }

  /** An update rolls out a new release: wait for it as after a create. */
  protected override async afterUpdate(
    ctx: OperationContext,
    id: string,
    outs: JsonObject,
    inputs: EndpointInputs,
    _prior: EndpointInputs,
  ): Promise<JsonObject> {
    return this.waitUntilServing(ctx, id, outs, inputs, "updated", {
      gone: "It no longer exists on Runpod: run `pulumi refresh` to drop it from the stack",
      kept: "The update is applied and kept in the stack: run `pulumi up` to wait for it again",
    });
  }

  /** The wait both share; `advice` is what to do next when the endpoint is gone or still not serving. */
  private async waitUntilServing(
    ctx: OperationContext,
    id: string,
    outs: JsonObject,
    inputs: EndpointInputs,
    done: "created" | "updated",
    advice: { gone: string; kept: string },
  ): Promise<JsonObject> {
    if (inputs.waitForReady === false) return outs;
    try {
      return this.withLook(ctx, outs, await waitForEndpoint(ctx, id, inputs, this.label(id, inputs)), inputs);
    } catch (e) {
      const next = hasReadinessCode(e, "gone") ? advice.gone : advice.kept;
      throw new ResourceInitError(`endpoint ${id} was ${done} but ${messageOf(e)}. ${next}`, id, this.withLook(ctx, outs, lastLook(e), inputs));
    }
  }

  protected override async createRequestBody(ctx: OperationContext, inputs: EndpointInputs): Promise<JsonObject> {
    const body = await super.createRequestBody(ctx, inputs);
    if (ctx.wire === "v2") {
      // v2 requires both on every create; the flat model defaults them (documented on EndpointArgs).
      body.type ??= routingOf(inputs);
      if (body.scaling === undefined) v2Scaling(body, undefined, inputs);
    }
    return body;
  }

  protected override async createObject(ctx: OperationContext, body: JsonObject, inputs: EndpointInputs): Promise<ApiObject<EndpointApis>> {
    await requireReferencedSecrets(ctx, inputs.env, "endpoint");
    return this.withRelease(ctx, await super.createObject(ctx, body, inputs), "all");
  }

  protected override async fetch(ctx: OperationContext, id: string): Promise<ApiObject<EndpointApis> | undefined> {
    const found = await super.fetch(ctx, id);
    return found ? this.withRelease(ctx, found, "notFound") : found;
  }

  /** A new template revision re-applies the template under the endpoint's own fields (./templateRoll). */
  protected override async updateRequestBody(
    ctx: OperationContext,
    id: string,
    program: EndpointInputs,
    merged: EndpointInputs,
    changed: string[],
    prior: EndpointInputs,
  ): Promise<JsonObject> {
    return rollTemplate(ctx, await super.updateRequestBody(ctx, id, program, merged, changed, prior), program, changed, prior);
  }

  protected override async updateObject(
    ctx: OperationContext,
    id: string,
    body: JsonObject,
    inputs: EndpointInputs,
    changed: string[],
    prior: EndpointInputs,
  ): Promise<ApiObject<EndpointApis>> {
    const keepsList = nonEmpty(inputs.allowedCudaVersions) && !changed.includes("allowedCudaVersions");
    if (ctx.wire === "v1" && body.minCudaVersion && keepsList) {
      body.allowedCudaVersions = []; // the list the floor replaces
      inputs.allowedCudaVersions = [];
    }
    const gpu = body.gpu;
    if (ctx.wire === "v2" && isObject(gpu)) {
      // v2 keeps a CUDA constraint the PATCH does not mention, and 400s when a non-empty list
      // meets a floor: switching from one to the other must clear the old one explicitly.
      if (gpu.minCudaVersion && keepsList) {
        gpu.allowedCudaVersions = [];
        inputs.allowedCudaVersions = [];
      }
      if (nonEmpty(gpu.allowedCudaVersions) && inputs.minCudaVersion && !changed.includes("minCudaVersion")) {
        gpu.minCudaVersion = ""; // v2's "no floor"
        delete inputs.minCudaVersion;
      }
    }
    const updated = await super.updateObject(ctx, id, body, inputs, changed, prior);
    return this.withRelease(ctx, updated, "all");
  }

  protected override outputs(ctx: OperationContext, api: ApiObject<EndpointApis>, prior: EndpointInputs): JsonObject {
    const before: JsonObject = prior;
    const outs = outputsFrom(this.spec, ctx.wire, api, before);
    // Release outputs are informational: when the releases call failed, keep what we knew.
    for (const name of Object.keys(this.spec.computed ?? {})) if (outs[name] === undefined && before[name] !== undefined) outs[name] = before[name];
    const v1 = onWire(ctx, "v1", api);
    // v1 omits a GPU endpoint's minCudaVersion when there is none.
    if (v1 && v1.computeType === "GPU" && (v1.minCudaVersion === undefined || v1.minCudaVersion === null)) delete outs.minCudaVersion;
    const v2 = onWire(ctx, "v2", api);
    if (v2) {
      // v2 reports a cleared floor as null and omits idleTimeout where it does not apply: both
      // mean "none", not "unchanged" as the generic fallback to the prior value would assume.
      if (v2.gpu && (v2.gpu.minCudaVersion === null || v2.gpu.minCudaVersion === "")) delete outs.minCudaVersion;
      if (v2.workers && v2.workers.idleTimeout === undefined && !idleTimeoutApplies(outs)) delete outs.idleTimeout;
      readContainerDrift(ctx.wire, v2, prior, outs);
      // v2 merges a template's env with ours: keep to the keys this program manages so the
      // template's own variables do not show up as a perpetual diff.
      const managed = prior.env;
      if (managed && isObject(v2.env)) outs.env = Object.fromEntries(Object.entries(v2.env).filter(([k]) => k in managed));
    }
    return outs;
  }

  protected override async deleteObject(ctx: OperationContext, id: string, props: EndpointInputs): Promise<void> {
    // Runpod refuses to delete an endpoint that still keeps workers; scale to zero first. State
    // may be stale, so a refused delete also scales down and tries once more.
    if (typeof props.workersMin === "number" && props.workersMin > 0) await this.scaleToZero(ctx, id);
    try {
      await super.deleteObject(ctx, id, props);
    } catch (e) {
      if (!hasCode(e, "validation", "conflict", "in_use")) throw e;
      await this.scaleToZero(ctx, id);
      await super.deleteObject(ctx, id, props);
    }
  }

  private async scaleToZero(ctx: OperationContext, id: string): Promise<void> {
    const body = ctx.wire === "v2" ? { workers: { min: 0, max: 0 } } : { workersMin: 0, workersMax: 0 };
    await ctx.http.rest({ method: "PATCH", path: this.itemPath(ctx, id), body });
  }
}

export const handler = new EndpointHandler(spec, {
  v2: { collection: "/serverless", listKey: "endpoints", updatable: true },
  // v1 lists the workers (as Pods) only when asked: the rollout and readyWorkers outputs need them.
  v1: { collection: "/endpoints", updatable: true, getQuery: { includeWorkers: true } },
});
