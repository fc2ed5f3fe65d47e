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

type Loaded<T> = () => T;

/**
 * Each module is named in full, not built from the kind: the host bundle (scripts/build.js) can
 * only take in the modules it sees. Still loaded on first use, so a stack loads only the kinds it
 * has and a preview no lifecycle.
 */
function entry(kind: string, typeName: string, handler: Loaded<{ handler: KindHandler }>, spec: Loaded<{ spec: AnySpec }>): KindEntry {
  return {
    kind,
    typeName,
    handler: () => handler().handler,
    spec: () => spec().spec,
    // Program side only (it loads @pulumi/pulumi): kept out of the host bundle.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    resourceClass: () => (require(PROGRAM_SIDE + kind + "/args") as Record<string, KindEntry["resourceClass"] extends () => infer C ? C : never>)[typeName],
  };
}

/** A path the bundler does not follow: the resource classes belong to programs, not to the host. */
const PROGRAM_SIDE = "./";

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use */
export const KINDS: readonly KindEntry[] = [
  entry(
    "networkVolume",
    "NetworkVolume",
    () => require("./networkVolume/lifecycle") as typeof import("./networkVolume/lifecycle"),
    () => require("./networkVolume/fields") as typeof import("./networkVolume/fields"),
  ),
  entry(
    "template",
    "Template",
    () => require("./template/lifecycle") as typeof import("./template/lifecycle"),
    () => require("./template/fields") as typeof import("./template/fields"),
  ),
  entry(
    "secret",
    "Secret",
    () => require("./secret/lifecycle") as typeof import("./secret/lifecycle"),
    () => require("./secret/fields") as typeof import("./secret/fields"),
  ),
  entry(
    "containerRegistryAuth",
    "ContainerRegistryAuth",
    () => require("./containerRegistryAuth/lifecycle") as typeof import("./containerRegistryAuth/lifecycle"),
    () => require("./containerRegistryAuth/fields") as typeof import("./containerRegistryAuth/fields"),
  ),
  entry(
    "pod",
    "Pod",
    () => require("./pod/lifecycle") as typeof import("./pod/lifecycle"),
    () => require("./pod/fields") as typeof import("./pod/fields"),
  ),
  entry(
    "endpoint",
    "Endpoint",
    () => require("./endpoint/lifecycle") as typeof import("./endpoint/lifecycle"),
    () => require("./endpoint/fields") as typeof import("./endpoint/fields"),
  ),
];
/* eslint-enable @typescript-eslint/no-require-imports */

export const KIND_NAMES: readonly string[] = KINDS.map((k) => k.kind);

export function kindEntry(kind: string): KindEntry {
  const found = KINDS.find((k) => k.kind === kind);
  if (!found) throw new Error(`pulumi-runpod-dynamic: unknown resource kind "${kind}" (state written by a newer version?)`);
  return found;
}
