import * as pulumi from "@pulumi/pulumi";
import { RunpodResource, ResourceOutputs } from "../../resource";
import { loose } from "../../schema/fields";
import { spec } from "./fields";
import type { AdoptArgs } from "../../schema/adopt";

/** Inputs of a {@link ContainerRegistryAuth}. */
export interface ContainerRegistryAuthArgs extends AdoptArgs {
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
 * To take over an existing one, give its id as `adoptId`. Import (once Pulumi supports it for
 * dynamic providers: see the README's known limits): because
 * username and password cannot be read, import with
 * `ignoreChanges: ["username", "password"]`. Removing `ignoreChanges` afterwards records the
 * program's values in state without replacing the credential.
 */
export class ContainerRegistryAuth extends RunpodResource implements ResourceOutputs<ContainerRegistryAuthArgs, object> {
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
