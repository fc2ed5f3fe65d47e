import { hasCode, RunpodApiError } from "../../client/errors";
import type { OperationContext } from "../../runtime/context";
import type { ApiObject } from "../../runtime/handler";
import { RestHandler } from "../../runtime/rest";
import { requireReferencedSecrets } from "../../runtime/secretRefs";
import { readContainerDrift } from "../../schema/container";
import { outputsFrom } from "../../schema/derive";
import { JsonObject } from "../../schema/fields";
import { TemplateApis, TemplateInputs, spec } from "./fields";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runpod refuses to delete a template that a pod or endpoint uses (and for ~2 minutes after). */
export function isTemplateInUse(error: unknown): error is RunpodApiError {
  return hasCode(error, "in_use");
}

/** Template CRUD: the field table plus v2's `args`/null-registry reading and the in-use delete retry. */
export class TemplateHandler extends RestHandler<TemplateInputs, TemplateApis> {
  protected override async createObject(ctx: OperationContext, body: JsonObject, inputs: TemplateInputs): Promise<ApiObject<TemplateApis>> {
    await requireReferencedSecrets(ctx, inputs.env, "template");
    return super.createObject(ctx, body, inputs);
  }

  protected override outputs(ctx: OperationContext, apiObject: ApiObject<TemplateApis>, prior: TemplateInputs): JsonObject {
    const outs = outputsFrom(this.spec, ctx.wire, apiObject, prior);
    // A sparse answer (no image) cannot say what the template applies: keep the revision known.
    const before: JsonObject = prior;
    if (outs.revision === undefined && typeof before.revision === "string") outs.revision = before.revision;
    if (apiObject.id === undefined) return outs; // not a template object (empty update answer)
    readContainerDrift(ctx.wire, apiObject, prior, outs);
    return outs;
  }

  /**
   * DELETE, retried with exponential backoff while Runpod answers that the template is in use,
   * for at most `runpod:templateDeleteTimeoutSeconds`; then fails naming the cause.
   */
  protected override async deleteObject(ctx: OperationContext, id: string, _props: TemplateInputs): Promise<void> {
    const path = this.itemPath(ctx, id);
    const bound = ctx.settings.templateDeleteTimeoutMs;
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        await ctx.http.rest<unknown>({ method: "DELETE", path });
        return;
      } catch (e) {
        if (!isTemplateInUse(e)) throw e;
        const remaining = started + bound - Date.now();
        if (remaining <= 0) {
          throw new RunpodApiError({
            status: e.status,
            code: e.code,
            method: "DELETE",
            path,
            apiMessage:
              `template ${id} is still in use by a pod or serverless endpoint; Runpod refused the delete ${attempt + 1} ` +
              `time(s) over ${Math.round((Date.now() - started) / 100) / 10}s (last answer: ${e.apiMessage}). ` +
              `Runpod allows deleting a template only once no pod or endpoint uses it, and up to about 2 minutes after ` +
              `the last use: remove or re-point those pods/endpoints and run again, or raise runpod:templateDeleteTimeoutSeconds ` +
              `(now ${bound / 1000}s).`,
          });
        }
        const base = Math.max(1, ctx.settings.pollIntervalMs) * 2 ** Math.min(attempt, 20);
        const delay = Math.min(ctx.settings.maxRetryDelayMs || base, base) * (0.5 + Math.random() / 2);
        await sleep(Math.min(remaining, delay));
      }
    }
  }
}

export const handler = new TemplateHandler(spec, {
  v2: { collection: "/templates", listKey: "templates", updatable: true },
  // v1 hides templates bound to serverless endpoints unless asked.
  v1: { collection: "/templates", updatable: true, getQuery: { includeEndpointBoundTemplates: true } },
});
