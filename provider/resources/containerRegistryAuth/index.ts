import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { RunpodResource } from "../../resource";
import { RestHandler } from "../../runtime/rest";
import { resourceName } from "../../schema/common";
import { CheckFailure, FieldTable, ResourceSpec, loose } from "../../schema/fields";

// Legacy, untyped view of this resource until it is split into typed role files.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Props = Record<string, any>;
type LegacyApis = { v2: Props; v1: Props };
type LegacyTable = FieldTable<Props, LegacyApis>;
type LegacySpec = ResourceSpec<Props, LegacyApis, Props>;

/** Inputs of a {@link ContainerRegistryAuth}. */
export interface ContainerRegistryAuthArgs {
  /**
   * Name of the credential; Runpod requires it to be unique in the account. Defaults to the
   * logical name plus a random suffix (a replacement then creates the new credential before
   * deleting the old one); with an explicit name a replacement deletes the old credential first.
   */
  name?: pulumi.Input<string>;
  /** Registry user name. Write-only on Runpod: changing it replaces the credential. */
  username: pulumi.Input<string>;
  /**
   * Registry password or access token. Always stored as a secret in state, never logged.
   * Write-only on Runpod: changing it replaces the credential.
   */
  password: pulumi.Input<string>;
}

const credential = z.string({ invalid_type_error: "must be a string" }).min(1, "must not be empty");

const fields: LegacyTable = {
  name: {
    description: "credential name (unique in the account)",
    schema: resourceName,
    wires: { v2: { path: "name", change: "replace" }, v1: { path: "name", change: "replace" } },
  },
  username: {
    description: "registry user name",
    schema: credential,
    wires: {
      v2: { path: "username", change: "replace", writeOnly: true },
      v1: { path: "username", change: "replace", writeOnly: true },
    },
  },
  password: {
    description: "registry password",
    schema: credential,
    secret: true,
    wires: {
      v2: { path: "password", change: "replace", writeOnly: true },
      v1: { path: "password", change: "replace", writeOnly: true },
    },
  },
};

/**
 * Required, except after an import: Runpod never returns the credentials, so the engine's import
 * with `ignoreChanges: ["username", "password"]` checks inputs without them (olds = what Read found).
 */
function rules(inputs: Props, { olds }: { olds: Props }): CheckFailure[] {
  const imported = Object.keys(olds).length > 0;
  const failures: CheckFailure[] = [];
  for (const field of ["username", "password"]) {
    if (inputs[field] === undefined && !(imported && olds[field] === undefined)) failures.push({ property: field, reason: `${field}: required` });
  }
  return failures;
}

export const spec: LegacySpec = {
  kind: "containerRegistryAuth",
  typeName: "ContainerRegistryAuth",
  fields,
  autoName: { maxLength: 191 },
  uniqueNames: true,
  rules,
};

/** No update route on either wire: every change is a replacement (the table says change: "replace"). */
export const handler = new RestHandler(spec, {
  v2: { collection: "/registries", listKey: "registries", updatable: false },
  v1: { collection: "/containerregistryauth", updatable: false },
});

/**
 * Credentials Runpod uses to pull a private container image. Pods and templates reference it by
 * id (`containerRegistryAuthId: auth.id`), never by name.
 *
 * Runpod has no update operation for it, so changing the name, username or password replaces it
 * (deleting first when the name is explicit, since names are unique). Runpod never returns the
 * username or password: `pulumi refresh` sees deletion and renames, but cannot see the username
 * or password being changed outside Pulumi. Deleting it does not block on templates that use it:
 * Runpod clears their reference (a refresh of such a template shows `containerRegistryAuthId: ""`).
 *
 * Import (once Pulumi supports it for dynamic providers: see the README's known limits): because
 * username and password cannot be read, import with
 * `ignoreChanges: ["username", "password"]`. Removing `ignoreChanges` afterwards records the
 * program's values in state without replacing the credential.
 */
export class ContainerRegistryAuth extends RunpodResource {
  /** Credential name. */
  declare readonly name: pulumi.Output<string>;
  /** Registry user name, as configured (Runpod never returns it). */
  declare readonly username: pulumi.Output<string>;
  /** Registry password (secret), as configured (Runpod never returns it). */
  declare readonly password: pulumi.Output<string>;

  constructor(name: string, args: ContainerRegistryAuthArgs, opts?: pulumi.CustomResourceOptions) {
    super(loose(spec), name, args, opts);
  }
}
