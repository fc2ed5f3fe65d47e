/**
 * A pod's template roll: Runpod applies a template to a pod only at create, so a new
 * `templateRevision` re-applies it with one update (template/reapply.ts). Both wires' pod updates
 * carry the container fields, and the pod's existing update flow (unlocking, v1's reset, waiting
 * for readiness) takes it from there.
 */
import type { OperationContext } from "../../runtime/context";
import type { JsonObject } from "../../schema/fields";
import { reapplyTemplate } from "../template/reapply";
import { PodInputs, spec } from "./fields";

export function rollTemplate(
  ctx: OperationContext,
  body: JsonObject,
  program: PodInputs,
  changed: string[],
  prior: PodInputs,
  currentEnv: () => Promise<Record<string, string> | undefined>,
): Promise<JsonObject> {
  return reapplyTemplate(ctx, spec, body, { program, changed, prior, wires: ["v2", "v1"], currentEnv });
}
