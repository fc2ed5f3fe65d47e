import * as pulumi from "@pulumi/pulumi";
import { providerFor } from "./dynamic";
import { AUTONAME_KEY, Props, ResourceSpec, secretFieldNames } from "./schema/fields";

/**
 * What the program sends for a resource, before secret wrapping: every key the user passed
 * (declared or not, so check can name strays) and, when `name` is omitted, the logical name
 * check auto-names from.
 */
export function programInputs(spec: ResourceSpec, logicalName: string, args: object | undefined): Props {
  const given = (args ?? {}) as Props;
  const inputs: Props = { ...given };
  if (spec.autoName && given.name === undefined) inputs[AUTONAME_KEY] = logicalName;
  return inputs;
}

/** The inputs a dynamic.Resource registers: program inputs, secrets wrapped, output slots. */
export function resourceProps(spec: ResourceSpec, logicalName: string, args: object | undefined): Props {
  const props: Props = {};
  for (const [key, value] of Object.entries(programInputs(spec, logicalName, args))) {
    props[key] = spec.fields[key]?.secret && value !== undefined ? pulumi.secret(value) : value;
  }
  for (const name of [...Object.keys(spec.fields), ...(spec.computedNames ?? [])]) {
    if (!(name in props)) props[name] = undefined; // registers an output slot
  }
  return props;
}

/** Secret fields are secret in state whether or not the program wrapped them. */
export function resourceOptions(spec: ResourceSpec, opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions {
  const secrets = secretFieldNames(spec);
  if (secrets.length === 0) return opts ?? {};
  return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secrets] };
}

/** Base of the six resource classes: one dynamic provider per kind, typed outputs in subclasses. */
export abstract class RunpodResource extends pulumi.dynamic.Resource {
  protected constructor(spec: ResourceSpec, name: string, args: object | undefined, opts?: pulumi.CustomResourceOptions) {
    super(providerFor(spec.kind), name, resourceProps(spec, name, args), resourceOptions(spec, opts), "runpod", spec.typeName);
  }
}
