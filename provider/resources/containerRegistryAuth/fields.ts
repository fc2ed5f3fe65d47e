import type { V1, V2 } from "../../api";
import { nonEmptyString, printable, resourceName } from "../../schema/common";
import { CheckFailure, FieldTable, Plain, ResourceSpec, RuleContext } from "../../schema/fields";
import type { ContainerRegistryAuthArgs } from "./args";
import { ADOPT_FIELDS } from "../../schema/adopt";

/** A registry credential's inputs as check, diff, the table and the handler see them. */
export type ContainerRegistryAuthInputs = Plain<ContainerRegistryAuthArgs>;
/** A registry credential as each REST wire answers it (never with username or password). */
export interface ContainerRegistryAuthApis {
  v2: V2["Registry"];
  v1: V1["ContainerRegistryAuth"];
}

// Runpod has no update operation for a registry credential on either wire: every field replaces.
const fields: FieldTable<ContainerRegistryAuthInputs, ContainerRegistryAuthApis> = {
  ...ADOPT_FIELDS,
  name: {
    description: "credential name (unique in the account)",
    schema: resourceName,
    wires: { v2: { path: "name", change: "replace" }, v1: { path: "name", change: "replace" } },
  },
  username: {
    description: "registry user name",
    schema: printable,
    wires: {
      v2: { path: "username", change: "replace", writeOnly: true },
      v1: { path: "username", change: "replace", writeOnly: true },
    },
  },
  password: {
    description: "registry password",
    schema: nonEmptyString,
    secret: true,
    wires: {
      v2: { path: "password", change: "replace", writeOnly: true },
      v1: { path: "password", change: "replace", writeOnly: true },
    },
  },
};

const CREDENTIALS = ["username", "password"] as const;

/**
 * Required, except after an import: Runpod never returns the credentials, so the engine's import
 * with `ignoreChanges: ["username", "password"]` checks inputs without them (olds = what Read found).
 */
function rules(inputs: ContainerRegistryAuthInputs, { olds }: RuleContext<ContainerRegistryAuthInputs>): CheckFailure[] {
  const imported = Object.keys(olds).length > 0;
  return CREDENTIALS.filter((field) => inputs[field] === undefined && !(imported && olds[field] === undefined)).map((field) => ({
    property: field,
    reason: `${field}: required`,
  }));
}

export const spec: ResourceSpec<ContainerRegistryAuthInputs, ContainerRegistryAuthApis> = {
  kind: "containerRegistryAuth",
  typeName: "ContainerRegistryAuth",
  fields,
  autoName: { maxLength: 191 },
  uniqueNames: true,
  rules,
};
