/**
 * An endpoint's template roll. REST v2 applies a template to an endpoint only at create, so a new
 * `templateRevision` re-applies it with one PATCH (template/reapply.ts): a new release that rolls
 * out as workers cycle. REST v1 endpoints have no container fields of their own: Runpod rolls a
 * template edit out to them itself ("Input for updating a Template which will trigger a rolling
 * release for any associated endpoints"), so there the new revision is only recorded.
 */
import type { OperationContext } from "../../runtime/context";
import type { JsonObject } from "../../schema/fields";
import { reapplyTemplate } from "../template/reapply";
import { EndpointInputs, spec } from "./fields";

export function rollTemplate(ctx: OperationContext, body: JsonObject, program: EndpointInputs, changed: string[], prior: EndpointInputs): Promise<JsonObject> {
  return reapplyTemplate(ctx, spec, body, { program, changed, prior, wires: ["v2"] });
}
