import { hasCode, RunpodApiError } from "../../client/errors";
import { OperationContext } from "../../runtime/context";
import { FieldTableHandler } from "../../runtime/handler";
import { outputsFrom } from "../../schema/derive";
import { JsonObject } from "../../schema/fields";
import { GraphqlSecret, SecretApis, SecretInputs, spec } from "./fields";

const SELECTION = "id name description";
const LIST = `query RunpodSecrets { myself { secrets { ${SELECTION} } } }`;
const CREATE = `mutation RunpodSecretCreate($input: SecretCreateInput!) { secretCreate(input: $input) { ${SELECTION} } }`;
const UPDATE_VALUE = `mutation RunpodSecretValueUpdate($input: SecretValueUpdateInput!) { secretValueUpdate(input: $input) { ${SELECTION} } }`;
const UPDATE_DESCRIPTION = `mutation RunpodSecretDescriptionUpdate($input: SecretDescriptionUpdateInput!) { secretDescriptionUpdate(input: $input) { ${SELECTION} } }`;
const DELETE = `mutation RunpodSecretDelete($id: ID!) { secretDelete(id: $id) }`;

function malformed(operation: string, what: string): RunpodApiError {
  return new RunpodApiError({ status: 200, apiMessage: `the answer had no ${what}`, method: "POST", path: operation, surface: "graphql" });
}

/**
 * A GraphQL error a `secretDelete` may have raised because the secret is already gone: Runpod
 * answers such errors inside an HTTP 200 with free text, so the handler lists the secrets to know.
 */
function mayMeanAlreadyDeleted(error: unknown): error is RunpodApiError {
  return hasCode(error, "not_found", "graphql", "validation");
}

/**
 * Secret CRUD over Runpod's GraphQL API: the field-table flow of every resource, with GraphQL
 * hooks. GraphQL errors inside an HTTP 200 are errors (the client throws them), and no message
 * ever carries the value: it is registered for redaction before any request is made.
 */
export class SecretHandler extends FieldTableHandler<SecretInputs, SecretApis> {
  protected override async createRequestBody(_ctx: OperationContext, inputs: SecretInputs): Promise<JsonObject> {
    const input: JsonObject = { name: inputs.name, value: inputs.value };
    if (inputs.description !== undefined) input.description = inputs.description;
    return input;
  }

  protected async createObject(ctx: OperationContext, input: JsonObject): Promise<GraphqlSecret> {
    // A lost answer must not create a second secret: look for ours by (unique) name first.
    const data = await ctx.http.graphqlCreate<{ secretCreate?: GraphqlSecret | null }>(
      CREATE,
      { input },
      "secretCreate",
      async () => {
        const found = (await this.list(ctx)).find((s) => s.name === input.name);
        return found ? { secretCreate: found } : undefined;
      },
      { kind: "secret", name: String(input.name) },
    );
    // An answer without the secret (the schema allows null) is resolved by the shared flow,
    // which looks the secret up by name: Runpod may hold it.
    return data?.secretCreate ?? ({} as GraphqlSecret);
  }

  /** Secret names are unique in an account: the name finds what a create made. */
  protected override async recoverCreated(ctx: OperationContext, body: JsonObject): Promise<GraphqlSecret | undefined> {
    return (await this.list(ctx)).find((s) => s.name === body.name);
  }

  /** A secret is adopted by id or by its (unique) name, the handle people know it by. */
  protected override async findAdoptable(ctx: OperationContext, adoptId: string): Promise<GraphqlSecret | undefined> {
    const all = await this.list(ctx);
    return all.find((s) => String(s.id) === adoptId) ?? all.find((s) => s.name === adoptId);
  }

  protected async fetch(ctx: OperationContext, id: string): Promise<GraphqlSecret | undefined> {
    return (await this.list(ctx)).find((s) => String(s.id) === id); // gone means gone
  }

  protected async updateObject(ctx: OperationContext, id: string, _body: JsonObject, merged: SecretInputs, changed: string[]): Promise<GraphqlSecret> {
    let latest: GraphqlSecret | undefined;
    if (changed.includes("value")) {
      const data = await ctx.http.graphql<{ secretValueUpdate?: GraphqlSecret | null }>(
        UPDATE_VALUE,
        { input: { id, value: merged.value } },
        "secretValueUpdate",
      );
      latest = data?.secretValueUpdate ?? undefined;
    }
    if (changed.includes("description")) {
      const data = await ctx.http.graphql<{ secretDescriptionUpdate?: GraphqlSecret | null }>(
        UPDATE_DESCRIPTION,
        { input: { id, description: merged.description } },
        "secretDescriptionUpdate",
      );
      latest = data?.secretDescriptionUpdate ?? undefined;
    }
    if (latest?.id) return latest;
    const found = await this.fetch(ctx, id);
    if (found) return found;
    throw new RunpodApiError({
      status: 404,
      apiMessage: `secret ${id} no longer exists (deleted outside Pulumi?); run \`pulumi refresh\``,
      method: "POST",
      path: "myself.secrets",
      surface: "graphql",
    });
  }

  protected async deleteObject(ctx: OperationContext, id: string): Promise<void> {
    try {
      await ctx.http.graphql<unknown>(DELETE, { id }, "secretDelete");
    } catch (e) {
      // Already gone meets the goal of a delete; anything else is a real failure.
      if (mayMeanAlreadyDeleted(e)) {
        const stillThere = await this.list(ctx).then(
          (all) => all.some((s) => String(s.id) === id),
          () => true,
        );
        if (!stillThere) return;
      }
      throw e;
    }
  }

  /** `myself { secrets }`: the only way Runpod's GraphQL API lists (and so reads) secrets. */
  protected async list(ctx: OperationContext): Promise<GraphqlSecret[]> {
    const data = await ctx.http.graphql<{ myself?: { secrets?: GraphqlSecret[] | null } | null }>(LIST, {}, "myself.secrets");
    const secrets = data?.myself?.secrets;
    if (!Array.isArray(secrets)) throw malformed("myself.secrets", "myself.secrets list");
    return secrets;
  }

  /** Outputs from a Secret object; the value is carried from state (Runpod never returns it). */
  protected override outputs(ctx: OperationContext, secret: GraphqlSecret, prior: SecretInputs): JsonObject {
    const outs = outputsFrom(this.spec, ctx.wire, secret, prior);
    // A description cleared outside Pulumi reads back null: that is drift, not "keep the old one".
    if ((secret.description === null || secret.description === undefined) && prior.description !== undefined) outs.description = "";
    return outs;
  }
}

export const handler = new SecretHandler(spec);
