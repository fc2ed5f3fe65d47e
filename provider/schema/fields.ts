import { z } from "zod";
import type { Wire } from "../client/settings";

export type { Wire };
export const WIRE_LABEL: Record<Wire, string> = {
  v2: "Runpod REST v2 (runpod:apiVersion=v2)",
  v1: "Runpod REST v1 (runpod:apiVersion=v1)",
};

export type Props = Record<string, any>;

/**
 * How one flat input field travels on one wire. This is the whole per-wire story of a field:
 * where it goes in the request body, whether the wire's update operation can change it, and
 * where the API reports it back.
 */
export interface WireBinding {
  /** Dotted path in the create/update body and, unless `read` says otherwise, in responses. */
  path?: string;
  /** True when the wire's update schema carries the field; a change then updates in place. */
  inPlace: boolean;
  /** Extra wire-specific validation (limits differ between wires), applied after the field schema. */
  schema?: z.ZodTypeAny;
  /** Flat value → body value. Receives all inputs for fields that combine (v2 `args`). */
  toApi?: (value: any, inputs: Props) => unknown;
  /** Writes the field into a body when a dotted path cannot express it (returns nothing). */
  write?: (body: Props, value: any, inputs: Props) => void;
  /**
   * Reads the flat value back from an API object. Default: the value at `path`.
   * `false`: the API never returns it (write-only secret, create-time flag): carry it from state.
   * A function also gets the prior state, for values only it can interpret (a priority list of
   * which the API reports the one entry that was used).
   * A binding with neither `path` nor `write` is never sent: a provider-side setting, or a value
   * the resource applies through its own calls (a pod's start/stop actions).
   */
  read?: ((apiObject: Props, prior: Props) => unknown) | false;
  /** Only sent on create: a create-time flag with no meaning afterwards. */
  createOnly?: boolean;
  /**
   * Only sent in updates: the wire's create schema lacks the field though its update schema has
   * it (v2 cannot create a pod locked). The resource applies it right after the create
   * (`followUpBody`).
   */
  updateOnly?: boolean;
  /**
   * An in-place field whose change the wire's update cannot express for some values (v2 templates
   * cannot remove a persistent mount by PATCH): true for such an (old, new) pair means replace.
   * `olds` is the whole prior state, for placement filters the current placement may satisfy.
   */
  replaceIf?: (oldValue: unknown, newValue: unknown, olds: Props) => boolean;
  /**
   * For a `read: false` field: when the prior state has no value at all (the resource was
   * imported, and the API never returns this field), take the program's value into state with an
   * in-place update that sends nothing, instead of replacing. A later change diffs as usual.
   */
  adoptUnknown?: boolean;
}

export interface FieldSpec {
  /** Validation of the flat input; absence is allowed unless the resource's rules say otherwise. */
  schema: z.ZodTypeAny;
  /** Shown in CheckFailures and docs. */
  description: string;
  /** Marked secret in state, registered for redaction. */
  secret?: boolean;
  /** The wires that can express the field. A wire not listed rejects the field at check time. */
  wires: Partial<Record<Wire, WireBinding>>;
  /** Added to the "cannot express" failure on a wire not listed: what to use there instead. */
  unsupportedHint?: Partial<Record<Wire, string>>;
  /**
   * A numeric field that may only grow (a network volume's size). Shrinking is a check failure,
   * never a replacement, because the replacement would destroy the data.
   */
  growOnly?: { reason: string };
  /** Changing it always replaces, whatever the wire (e.g. a pod's GPU type). */
  replaceAlways?: boolean;
  /** Filled in by check when the program leaves the field out and the active wire has it. */
  default?: unknown;
  /**
   * A provider-side setting (how long to wait for readiness), not a property of the Runpod
   * object: changing it never diffs, because it only shapes the next operation, which receives
   * the program's value anyway. Give it bindings without a path on every wire that accepts it.
   */
  setting?: boolean;
}

export type FieldTable = Record<string, FieldSpec>;

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface ResourceSpec {
  /** Stable key used by the serialized provider closure: "networkVolume". */
  kind: string;
  /** The user-facing type name: "NetworkVolume". */
  typeName: string;
  fields: FieldTable;
  /** Outputs that are not inputs (ids, status, cost…), read from an API object per wire. */
  computed?: Partial<Record<Wire, (apiObject: Props) => Props>>;
  /** Names of computed outputs, so the resource class can declare them. */
  computedNames?: string[];
  /** Auto-name the `name` field from the logical name when it is omitted. */
  autoName?: { maxLength: number };
  /**
   * Runpod enforces unique names for this kind: a replacement that keeps an explicit name
   * must delete the old object first.
   */
  uniqueNames?: boolean;
  /** Cross-field rules; return failures naming the property. */
  rules?: (inputs: Props, ctx: { wire: Wire; olds: Props }) => CheckFailure[];
}

/** The hidden input that records the logical-name prefix when `name` was omitted. */
export const AUTONAME_KEY = "__autonamePrefix";
export const PROVIDER_KEY = "__provider";

/** The sentinel the engine sends for values unknown during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

export function secretFieldNames(spec: ResourceSpec): string[] {
  return Object.entries(spec.fields)
    .filter(([, f]) => f.secret)
    .map(([name]) => name);
}

export function getPath(obj: unknown, path: string): unknown {
  let cur: any = obj;
  for (const part of path.split(".")) {
    if (cur === null || cur === undefined) return undefined;
    cur = cur[part];
  }
  return cur;
}

export function setPath(obj: Props, path: string, value: unknown): void {
  const parts = path.split(".");
  let cur: Props = obj;
  for (const part of parts.slice(0, -1)) {
    if (cur[part] === undefined || cur[part] === null || typeof cur[part] !== "object") cur[part] = {};
    cur = cur[part];
  }
  cur[parts[parts.length - 1]] = value;
}

/** Structural equality for JSON-shaped values; object key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ak = Object.keys(a as object).filter((k) => (a as Props)[k] !== undefined);
  const bk = Object.keys(b as object).filter((k) => (b as Props)[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => deepEqual((a as Props)[k], (b as Props)[k]));
}
