import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { RunpodApiError } from "../../client/errors";
import { RunpodResource } from "../../resource";
import { OperationContext } from "../../runtime/context";
import { FieldTableHandler } from "../../runtime/handler";
import { outputsFrom } from "../../schema/derive";
import { AUTONAME_KEY, CheckFailure, FieldTable, ResourceSpec, loose , WireBinding } from "../../schema/fields";

// Legacy, untyped view of this resource until it is split into typed role files.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Props = Record<string, any>;
type LegacyApis = { v2: Props; v1: Props };
type LegacyTable = FieldTable<Props, LegacyApis>;
type LegacySpec = ResourceSpec<Props, LegacyApis, Props>;

/** Inputs of a {@link Secret}. */
export interface SecretArgs {
  /**
   * Secret name, unique in the account; templates and pods reference it as
   * `{{ RUNPOD_SECRET_<name> }}` (use {@link secretRef}). Letters, digits, `_` and `-`.
   * Defaults to the logical name plus a random suffix. Runpod cannot rename a secret: a new name
   * replaces it (deleting the old secret first when the name is explicit).
   */
  name?: pulumi.Input<string>;
  /**
   * The secret value. Always stored as a secret in Pulumi state and never logged. Changed in
   * place. Runpod never returns it, so a value changed outside Pulumi cannot be detected.
   */
  value: pulumi.Input<string>;
  /** Free-text description, changed in place. */
  description?: pulumi.Input<string>;
}

const SECRET_NAME = /^[A-Za-z0-9_-]+$/;
const secretName = z
  .string({ invalid_type_error: "must be a string" })
  .min(1, "must not be empty")
  .max(191, "must be at most 191 characters")
  .regex(SECRET_NAME, "may contain only letters, digits, _ and - (it is used as {{ RUNPOD_SECRET_<name> }})");

// Secrets live on Runpod's GraphQL API whatever REST wire is active, so both wires bind every field.
const both = (binding: WireBinding<Props, string, Props>) => ({ v2: binding, v1: binding });

const fields: LegacyTable = {
  name: {
    description: "secret name (unique in the account)",
    schema: secretName,
    wires: both({ path: "name", change: "replace" }),
  },
  value: {
    description: "secret value",
    schema: z.string({ invalid_type_error: "must be a string" }).min(1, "must not be empty"),
    secret: true,
    wires: both({ change: "update", writeOnly: true }),
  },
  description: {
    description: "description",
    schema: z.string({ invalid_type_error: "must be a string" }),
    wires: both({ path: "description", change: "update" }),
  },
};

/**
 * Prior inputs that came from a Read of an imported secret: Runpod never returned the value. The
 * engine's import with `ignoreChanges: ["value"]` then checks inputs without a value, which must
 * pass, or no secret could ever be imported.
 */
function importedWithoutValue(olds: Props): boolean {
  return Object.keys(olds).length > 0 && olds.value === undefined;
}

function rules(inputs: Props, { olds }: { olds: Props }): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (inputs.value === undefined && !importedWithoutValue(olds)) failures.push({ property: "value", reason: "value: required" });
  if (inputs[AUTONAME_KEY] !== undefined && typeof inputs.name === "string" && !SECRET_NAME.test(inputs.name)) {
    failures.push({
      property: "name",
      reason: `name: the logical name ${JSON.stringify(inputs[AUTONAME_KEY])} does not make a valid secret name (letters, digits, _ and - only); set name explicitly`,
    });
  }
  return failures;
}

export const spec: LegacySpec = {
  kind: "secret",
  typeName: "Secret",
  fields,
  autoName: { maxLength: 191 },
  uniqueNames: true,
  rules,
};

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
 * Secret CRUD over Runpod's GraphQL API: the field-table flow of every resource, with GraphQL
 * hooks. GraphQL errors inside an HTTP 200 are errors (the client throws them), and no message
 * ever carries the value: it is registered for redaction before any request is made.
 */
export class SecretHandler extends FieldTableHandler<Props, LegacyApis> {
  protected override async createRequestBody(_ctx: OperationContext, inputs: Props): Promise<Props> {
    const input: Props = { name: inputs.name, value: inputs.value };
    if (inputs.description !== undefined) input.description = inputs.description;
    return input;
  }

  protected async createObject(ctx: OperationContext, input: Props): Promise<Props> {
    // A lost answer must not create a second secret: look for ours by (unique) name first.
    const data = await ctx.http.graphqlCreate<{ secretCreate?: Props | null }>(CREATE, { input }, "secretCreate", async () => {
      const found = (await this.list(ctx)).find((s) => s.name === input.name);
      return found ? { secretCreate: found } : undefined;
    });
    const created = data?.secretCreate;
    if (!created?.id) throw malformed("secretCreate", "secretCreate.id");
    return created;
  }

  protected async fetch(ctx: OperationContext, id: string): Promise<Props | undefined> {
    return (await this.list(ctx)).find((s) => String(s.id) === id); // gone means gone
  }

  protected async updateObject(ctx: OperationContext, id: string, _body: Props, merged: Props, changed: string[]): Promise<Props> {
    let latest: Props | undefined;
    if (changed.includes("value")) {
      const data = await ctx.http.graphql<{ secretValueUpdate?: Props | null }>(UPDATE_VALUE, { input: { id, value: merged.value } }, "secretValueUpdate");
      latest = data?.secretValueUpdate ?? undefined;
    }
    if (changed.includes("description")) {
      const data = await ctx.http.graphql<{ secretDescriptionUpdate?: Props | null }>(
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
      await ctx.http.graphql(DELETE, { id }, "secretDelete");
    } catch (e) {
      // Already gone meets the goal of a delete; anything else is a real failure.
      if (e instanceof RunpodApiError && e.surface === "graphql" && e.status === 200) {
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
  protected async list(ctx: OperationContext): Promise<Props[]> {
    const data = await ctx.http.graphql<{ myself?: { secrets?: Props[] } | null }>(LIST, {}, "myself.secrets");
    const secrets = data?.myself?.secrets;
    if (!Array.isArray(secrets)) throw malformed("myself.secrets", "myself.secrets list");
    return secrets;
  }

  /** Outputs from a Secret object; the value is carried from state (Runpod never returns it). */
  protected override outputs(ctx: OperationContext, secret: Props, prior: Props): Props {
    const outs = outputsFrom(this.spec, ctx.wire, secret, prior);
    // A description cleared outside Pulumi reads back null: that is drift, not "keep the old one".
    if ((secret.description === null || secret.description === undefined) && prior.description !== undefined) outs.description = "";
    return outs;
  }
}

export const handler = new SecretHandler(spec);

/**
 * A Runpod secret (GraphQL API: Runpod's REST APIs have no secrets). Reference it from template or
 * pod env with {@link secretRef} so the value never appears in the template.
 *
 * The value is always a secret in Pulumi state and is changed in place (`secretValueUpdate`), as is
 * the description (`secretDescriptionUpdate`); a new name replaces the secret. Runpod never returns
 * the value, so `pulumi refresh` detects deletion and description changes made outside Pulumi but
 * **not** a changed value.
 *
 * Import (once Pulumi supports it for dynamic providers: see the README's known limits) with
 * `ignoreChanges: ["value"]` (the value cannot be read); once `ignoreChanges`
 * is removed, the next `pulumi up` sets the program's value in place.
 */
export class Secret extends RunpodResource {
  /** Secret name: use {@link secretRef} to reference it. */
  declare readonly name: pulumi.Output<string>;
  /** The value (secret in state; never returned by Runpod). */
  declare readonly value: pulumi.Output<string>;
  /** Description. */
  declare readonly description: pulumi.Output<string | undefined>;

  constructor(name: string, args: SecretArgs, opts?: pulumi.CustomResourceOptions) {
    super(loose(spec), name, args, opts);
  }
}

/**
 * The `{{ RUNPOD_SECRET_<name> }}` reference Runpod substitutes with the secret's value when a pod
 * or worker starts, as an Output of the secret's name: the template (or pod) that uses it in `env`
 * depends on the secret, and the name is written once.
 *
 * ```ts
 * const hf = new runpod.Secret("hf", { value: cfg.requireSecret("hfToken") });
 * new runpod.Template("app", { imageName: "me/app:1", env: { HF_TOKEN: runpod.secretRef(hf) } });
 * ```
 */
export function secretRef(secret: Secret): pulumi.Output<string> {
  return secret.name.apply((name) => `{{ RUNPOD_SECRET_${name} }}`);
}
