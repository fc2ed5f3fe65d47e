import * as pulumi from "@pulumi/pulumi";
import { providerFor } from "./dynamic";
import { programInputs } from "./inputs";
import { AnySpec, JsonObject, Plain, computedNames, secretFieldNames } from "./schema/fields";

export { programInputs };

type Props = JsonObject;

/** The inputs a dynamic.Resource registers: program inputs, secrets wrapped, output slots. */
export function resourceProps(spec: AnySpec, logicalName: string, args: object | undefined): Props {
  const props: Props = {};
  for (const [key, value] of Object.entries(programInputs(spec, logicalName, args))) {
    props[key] = spec.fields[key]?.secret && value !== undefined ? pulumi.secret(value) : value;
  }
  for (const name of [...Object.keys(spec.fields), ...computedNames(spec)]) {
    if (!(name in props)) props[name] = undefined; // registers an output slot
  }
  return props;
}

/** Secret fields are secret in state whether or not the program wrapped them. */
export function resourceOptions(spec: AnySpec, opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions {
  const secrets = secretFieldNames(spec);
  if (secrets.length === 0) return opts ?? {};
  return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secrets] };
}

/**
 * The outputs a resource class must declare: one per input of its Args and one per computed
 * output of its table. `class Pod extends RunpodResource implements ResourceOutputs<PodArgs,
 * PodComputed>` makes the compiler reject a class that forgets one.
 */
export type ResourceOutputs<Args, Computed> = {
  readonly [K in keyof Args]-?: pulumi.Output<Plain<Args>[K] | undefined> | pulumi.Output<NonNullable<Plain<Args>[K]>>;
} & { readonly [K in keyof Computed]-?: pulumi.Output<Computed[K] | undefined> | pulumi.Output<NonNullable<Computed[K]>> };

/** Base of the resource classes: one dynamic provider per kind, typed outputs in subclasses. */
export abstract class RunpodResource extends pulumi.dynamic.Resource {
  /** The `adoptId` the program gave, if any (`adoptId` on each `…Args`); it has no effect after the create. */
  declare readonly adoptId: pulumi.Output<string | undefined>;
  /** `spec` is the resource's table seen through `loose(spec)`. */
  protected constructor(spec: AnySpec, name: string, args: object | undefined, opts?: pulumi.CustomResourceOptions) {
    super(providerFor(spec.kind), name, resourceProps(spec, name, args), resourceOptions(spec, opts), "runpod", spec.typeName);
  }
}
