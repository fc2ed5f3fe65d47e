/**
 * Re-applying a template to a pod or endpoint made from it. Runpod resolves `templateId` into the
 * pod's or endpoint's own container fields once, at create ("later template edits do not affect
 * the pod"); a template roll reaches them only when they are updated with the template's fields
 * again. The precedence is Runpod's own at create: template < the program's own fields, `env`
 * merged per key with the program's values winning.
 */
import { hasCode } from "../../client/errors";
import type { OperationContext } from "../../runtime/context";
import { updateBody } from "../../schema/derive";
import { CheckFailure, JsonObject, ResourceSpec, Wire, WireApis, isObject } from "../../schema/fields";
import { appliedFields } from "./revision";

/** The inputs of a pod or endpoint that tie it to a template. */
export interface TemplateUse {
  templateId?: string;
  templateRevision?: string;
  env?: Record<string, string>;
}

/** The container inputs a template provides, under the names pods and endpoints share. */
export const CONTAINER_INPUTS = ["imageName", "dockerEntrypoint", "dockerStartCmd", "containerDiskInGb", "env", "ports", "containerRegistryAuthId"] as const;

/** Variables Runpod injects into a pod at create (startSsh / startJupyter): a re-applied env keeps them. */
const INJECTED_ENV = ["PUBLIC_KEY", "JUPYTER_PASSWORD"];

/** `templateRevision` says which template it is the revision of only together with `templateId`. */
export function templateRevisionRule(inputs: TemplateUse): CheckFailure[] {
  if (inputs.templateRevision === undefined || inputs.templateId !== undefined) return [];
  return [
    {
      property: "templateRevision",
      reason:
        "templateRevision: needs templateId: it is the revision (Template.revision) of the template given there, " +
        "and without a template there is nothing to re-apply; set templateId or remove templateRevision",
    },
  ];
}

/** The template by id on the active wire (v1 hides templates bound to endpoints unless asked). */
async function getTemplate(ctx: OperationContext, id: string): Promise<JsonObject> {
  const found = await ctx.http.rest<unknown>({
    method: "GET",
    path: `/templates/${encodeURIComponent(id)}`,
    query: ctx.wire === "v1" ? { includeEndpointBoundTemplates: true } : undefined,
  });
  return isObject(found) ? found : {};
}

export interface Reapply<A extends TemplateUse> {
  /** What the program sets (no values carried from state). */
  program: A;
  changed: string[];
  prior: A;
  /** The wires on which the resource has container fields of its own (v1 endpoints take them from the template). */
  wires: readonly Wire[];
  /** The resource's env as Runpod holds it now, for the variables Runpod injected (pods only). */
  currentEnv?: () => Promise<Record<string, string> | undefined>;
}

/**
 * The update body with the template re-applied under the program's own fields:
 * - a new `templateRevision` (after one was recorded) or a new `templateId`: every container field
 *   the template applies, overridden by the program's;
 * - an `env` change alone: env = template env ∪ the program's, since an update's env replaces the
 *   whole env and would otherwise drop the template's variables.
 * A `templateRevision` seen for the first time (state from before it was set) is only recorded:
 * nothing says the object is out of date, and a re-apply restarts the container.
 */
export async function reapplyTemplate<A extends TemplateUse, Apis extends WireApis, C>(
  ctx: OperationContext,
  spec: ResourceSpec<A, Apis, C>,
  body: JsonObject,
  { program, changed, prior, wires, currentEnv }: Reapply<A>,
): Promise<JsonObject> {
  const templateId = program.templateId;
  if (typeof templateId !== "string" || !wires.includes(ctx.wire)) return body;
  const rolled = (changed.includes("templateRevision") && prior.templateRevision !== undefined) || changed.includes("templateId");
  const envOnly = !rolled && changed.includes("env");
  if (!rolled && !envOnly) return body;

  let template: JsonObject;
  try {
    template = await getTemplate(ctx, templateId);
  } catch (e) {
    // An env change of a pod whose template is gone still goes through: its env is the program's.
    if (envOnly && hasCode(e, "not_found")) return body;
    throw e;
  }
  const fromTemplate = appliedFields(ctx.wire, template);
  const programInputs: JsonObject = Object.fromEntries(Object.entries(program));
  const overrides = updateBody(
    spec,
    ctx.wire,
    programInputs,
    CONTAINER_INPUTS.filter((name) => programInputs[name] !== undefined),
  );
  const templateEnv = isObject(fromTemplate.env) ? fromTemplate.env : {};
  const programEnv = isObject(overrides.env) ? overrides.env : {};
  const live = currentEnv ? ((await currentEnv()) ?? {}) : {};
  const kept = Object.fromEntries(Object.entries(live).filter(([k]) => INJECTED_ENV.includes(k)));
  const env = { ...kept, ...templateEnv, ...programEnv };
  if (envOnly) return { ...body, env };
  return { ...body, ...fromTemplate, ...overrides, env };
}
