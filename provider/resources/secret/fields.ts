import { nonEmptyString, resourceName, text } from "../../schema/common";
import { AUTONAME_KEY, CheckFailure, FieldTable, Plain, PriorState, ResourceSpec, RuleContext, WireBinding } from "../../schema/fields";
import type { SecretArgs } from "./args";
import { ADOPT_FIELDS } from "../../schema/adopt";

/** A secret's inputs as check, diff, the table and the handler see them. */
export type SecretInputs = Plain<SecretArgs>;

/**
 * A secret as Runpod's GraphQL API answers it (`myself { secrets }`, `secretCreate`, the update
 * mutations), with the selection the handler asks for. Runpod never returns the value. GraphQL
 * has no OpenAPI schema to generate this from; its `Secret` type declares `id` and `name`
 * non-null and `description` nullable.
 */
export interface GraphqlSecret {
  id: string;
  name: string;
  description?: string | null;
}

/** Secrets live on Runpod's GraphQL API whatever REST wire is active: the same object on both. */
export interface SecretApis {
  v2: GraphqlSecret;
  v1: GraphqlSecret;
}

const SECRET_NAME = /^[A-Za-z0-9_-]+$/;
const SECRET_NAME_RULE = "may contain only letters, digits, _ and - (it is used as {{ RUNPOD_SECRET_<name> }})";

// Runpod substitutes `{{ RUNPOD_SECRET_<name> }}` in env, so the name must survive in that template.
const secretName = resourceName.refine((s) => SECRET_NAME.test(s), SECRET_NAME_RULE);

/** The one binding of a field, for both wires (both talk GraphQL for secrets). */
function both<K extends keyof SecretInputs>(binding: WireBinding<SecretInputs, K, GraphqlSecret>) {
  return { v2: binding, v1: binding };
}

const fields: FieldTable<SecretInputs, SecretApis> = {
  ...ADOPT_FIELDS,
  name: {
    description: "secret name (unique in the account)",
    schema: secretName,
    // Runpod has no rename mutation for secrets.
    wires: both({ path: "name", change: "replace" }),
  },
  value: {
    description: "secret value",
    schema: nonEmptyString,
    secret: true,
    wires: both({ change: "update", writeOnly: true }),
  },
  description: {
    description: "description",
    schema: text,
    wires: both({ path: "description", change: "update" }),
  },
};

/**
 * Prior inputs that came from a Read of an imported secret: Runpod never returned the value. The
 * engine's import with `ignoreChanges: ["value"]` then checks inputs without a value, which must
 * pass, or no secret could ever be imported.
 */
function importedWithoutValue(olds: PriorState<SecretInputs>): boolean {
  return Object.keys(olds).length > 0 && olds.value === undefined;
}

/** The logical name check auto-named from, which travels beside the declared inputs. */
function autonamePrefix(inputs: SecretInputs): unknown {
  return (inputs as Record<string, unknown>)[AUTONAME_KEY];
}

function rules(inputs: SecretInputs, { olds }: RuleContext<SecretInputs>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (inputs.value === undefined && !importedWithoutValue(olds)) failures.push({ property: "value", reason: "value: required" });
  const prefix = autonamePrefix(inputs);
  if (prefix !== undefined && typeof inputs.name === "string" && !SECRET_NAME.test(inputs.name)) {
    failures.push({
      property: "name",
      reason: `name: the logical name ${JSON.stringify(prefix)} does not make a valid secret name (letters, digits, _ and - only); set name explicitly`,
    });
  }
  return failures;
}

export const spec: ResourceSpec<SecretInputs, SecretApis> = {
  kind: "secret",
  typeName: "Secret",
  fields,
  autoName: { maxLength: 191 },
  uniqueNames: true,
  rules,
};
