import { AUTONAME_KEY, AnySpec, JsonObject } from "./schema/fields";

/**
 * What the program sends for a resource, before secret wrapping: every key the user passed
 * (declared or not, so check can name strays) and, when `name` is omitted, the logical name
 * check auto-names from. Apart from `resource.ts` because it needs nothing of `@pulumi/pulumi`:
 * the bench and the tests feed the host with it without loading Pulumi's program runtime.
 */
export function programInputs(spec: AnySpec, logicalName: string, args: object | undefined): JsonObject {
  const given = (args ?? {}) as JsonObject;
  const inputs: JsonObject = { ...given };
  if (spec.autoName && given.name === undefined) inputs[AUTONAME_KEY] = logicalName;
  return inputs;
}
