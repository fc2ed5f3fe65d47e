/**
 * Every kind of resource, written once: dispatch, the fleet, the closure tests and the bench
 * read this list. Modules load when first asked for, so a stack with only volumes never loads
 * the pod code, and a preview never loads more than the kinds it checks.
 */
import type { KindHandler } from "../runtime/handler";
import type { AnySpec } from "../schema/fields";

export interface KindEntry {
  /** The key the serialized provider closure captures, stable across versions. */
  kind: string;
  /** The user-facing type name, `runpod:index:<typeName>`. */
  typeName: string;
  /** The host-side operations (check, diff, create, …). */
  handler(): KindHandler;
  /** The field table. */
  spec(): AnySpec;
  /** The program-side resource class. */
  resourceClass(): new (name: string, args: never, opts?: object) => object;
}

function entry(kind: string, typeName: string): KindEntry {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use by path, so a stack loads only the kinds it has */
  return {
    kind,
    typeName,
    handler: () => (require(`./${kind}/lifecycle`) as { handler: KindHandler }).handler,
    spec: () => (require(`./${kind}/fields`) as { spec: AnySpec }).spec,
    resourceClass: () => (require(`./${kind}/args`) as Record<string, KindEntry["resourceClass"] extends () => infer C ? C : never>)[typeName],
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export const KINDS: readonly KindEntry[] = [
  entry("networkVolume", "NetworkVolume"),
  entry("template", "Template"),
  entry("secret", "Secret"),
  entry("containerRegistryAuth", "ContainerRegistryAuth"),
  entry("pod", "Pod"),
  entry("endpoint", "Endpoint"),
];

export const KIND_NAMES: readonly string[] = KINDS.map((k) => k.kind);

export function kindEntry(kind: string): KindEntry {
  const found = KINDS.find((k) => k.kind === kind);
  if (!found) throw new Error(`pulumi-runpod-dynamic: unknown resource kind "${kind}" (state written by a newer version?)`);
  return found;
}
