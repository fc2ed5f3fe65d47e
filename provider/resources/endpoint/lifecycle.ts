import type { V2 } from "../../api";
import { hasCode, isNotFound } from "../../client/errors";
import { OperationContext } from "../../runtime/context";
import { ApiObject } from "../../runtime/handler";
import { RestHandler } from "../../runtime/rest";
import { requireReferencedSecrets } from "../../runtime/secretRefs";
import { readContainerDrift } from "../../schema/container";
import { outputsFrom } from "../../schema/derive";
import { JsonObject, Wire, isObject } from "../../schema/fields";
import { AttachedRelease, EndpointApis, EndpointInputs, spec } from "./fields";
import { EndpointComputed } from "./outputs";
import { idleTimeoutApplies, routingOf, v2Scaling } from "./wire";
import { rollTemplate } from "./templateRoll";

/** The flow hands the active wire's object typed as either wire's; this names which it is. */
function onWire<W extends Wire>(ctx: OperationContext, wire: W, api: ApiObject<EndpointApis>): EndpointApis[W] | undefined {
  return ctx.wire === wire ? (api as EndpointApis[W]) : undefined;
}

const nonEmpty = (list: unknown): boolean => Array.isArray(list) && list.length > 0;

/**
 * The latest release of a v2 endpoint: `GET /v2/serverless/{id}/releases` (newest first).
 * Runpod may legally answer without either part (`endpointVersion: null`, `releases: []`, a
 * release whose `version` is null): what is missing stays missing, never `undefined` in state.
 */
async function latestRelease(ctx: OperationContext, id: string): Promise<AttachedRelease | undefined> {
  const result = await ctx.http.rest<Partial<V2["ListEndpointReleasesResponse"]> | undefined>({
    method: "GET",
    path: `/serverless/${encodeURIComponent(id)}/releases`,
  });
  const newest = isObject(result) && Array.isArray(result.releases) ? result.releases[0] : undefined;
  const version = typeof result?.endpointVersion === "number" ? result.endpointVersion : typeof newest?.version === "number" ? newest.version : undefined;
  const release: AttachedRelease = {};
  if (typeof newest?.id === "string") release.id = newest.id;
  if (version !== undefined) release.version = version;
  return Object.keys(release).length > 0 ? release : undefined;
}

/**
 * Serverless endpoint CRUD: the field table does the mapping; this adds v2's required defaults,
 * the release outputs, CUDA-constraint clearing, and scale-to-zero before delete.
 */
class EndpointHandler extends RestHandler<EndpointInputs, EndpointApis, EndpointComputed> {
  /** Attaches the latest v2 release; informational, so a failure right after a write is not fatal. */
  private async withRelease(ctx: OperationContext, api: ApiObject<EndpointApis>, tolerate: "all" | "notFound"): Promise<ApiObject<EndpointApis>> {
    const v2 = onWire(ctx, "v2", api);
    if (!v2?.id) return api;
    try {
      const release = await latestRelease(ctx, String(v2.id));
      return release ? { ...v2, __release: release } : api;
    } catch (e) {
      if (tolerate === "all" || isNotFound(e)) return api;
      throw e;
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
  v1: { collection: "/endpoints", updatable: true },
});
