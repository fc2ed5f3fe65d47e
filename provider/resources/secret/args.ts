import * as pulumi from "@pulumi/pulumi";
import { RunpodResource, ResourceOutputs } from "../../resource";
import { loose } from "../../schema/fields";
import { spec } from "./fields";
import type { AdoptArgs } from "../../schema/adopt";

/** Inputs of a {@link Secret}. */
export interface SecretArgs extends AdoptArgs {
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

/**
 * A Runpod secret (GraphQL API: Runpod's REST APIs have no secrets). Reference it from template or
 * pod env with {@link secretRef} so the value never appears in the template.
 *
 * The value is always a secret in Pulumi state and is changed in place (`secretValueUpdate`), as is
 * the description (`secretDescriptionUpdate`); a new name replaces the secret. Runpod never returns
 * the value, so `pulumi refresh` detects deletion and description changes made outside Pulumi but
 * **not** a changed value.
 *
 * To take over an existing one, give its id as `adoptId`. Import (once Pulumi supports it for
 * dynamic providers: see the README's known limits) with
 * `ignoreChanges: ["value"]` (the value cannot be read); once `ignoreChanges`
 * is removed, the next `pulumi up` sets the program's value in place.
 */
export class Secret extends RunpodResource implements ResourceOutputs<SecretArgs, object> {
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
