import type { Unwrap } from "@pulumi/pulumi";
import type { z } from "zod";
import type { Wire } from "../client/settings";
import type { CatalogView } from "../catalog/validate";

export type { Wire };
export const WIRES: readonly Wire[] = ["v2", "v1"];
export const WIRE_LABEL: Record<Wire, string> = {
  v2: "Runpod REST v2 (runpod:apiVersion=v2)",
  v1: "Runpod REST v1 (runpod:apiVersion=v1)",
};

/** A JSON object: a request body under construction, or an answer not yet interpreted. */
export type JsonObject = { [key: string]: unknown };

/**
 * The flat model a program writes, with Pulumi's `Input` wrappers removed: what check, diff, the
 * field table's readers and writers, the rules and the lifecycle hooks see. Every key is
 * optional because state written by an older version, or an import, may lack any of them.
 */
export type Plain<Args> = { [K in keyof Args]?: Unwrap<NonNullable<Args[K]>> };

/** A value that is set: what a writer receives (absent values are never written). */
export type Present<T> = Exclude<T, undefined | null>;

/**
 * Prior state as the engine hands it back: the inputs plus the computed outputs (a pod's actual
 * GPU type, data centre, CUDA version) that placement rules compare against.
 */
export type PriorState<A> = Readonly<A> & { readonly [output: string]: unknown };

/** The API object types of a resource on each wire (from the generated OpenAPI types). */
export interface WireApis {
  v2: unknown;
  v1: unknown;
}

/**
 * What a changed value does on one wire:
 * - `update`: the wire's update operation carries it; it changes in place.
 * - `replace`: the wire cannot change it; Runpod needs a new object.
 * - `record`: it only matters when the object is created (a placement preference already acted
 *   on); a later change is recorded in state and nothing is sent. Pair it with `replaceIf` when
 *   some new values no longer fit the existing object.
 */
export type Change = "update" | "replace" | "record";

/**
 * A replacement that only some changes need, with the reason the user is shown (as Terraform's
 * `RequiresReplaceIf(…, description)`): Runpod's own rule, in words.
 */
export interface ReplaceIf<A, K extends keyof A> {
  when(old: A[K] | undefined, next: Present<A[K]>, olds: PriorState<A>): boolean;
  /** Why such a change replaces, e.g. "the pod's GPU type is no longer in gpuTypeIds". */
  reason: string;
}

/**
 * How one flat input field travels on one wire: where it goes in the request body, what a change
 * does, and where the API reports it back.
 */
export interface WireBinding<A, K extends keyof A, Api> {
  /** Dotted path in the create/update body and, unless `read` says otherwise, in answers. */
  path?: string;
  change: Change;
  /** Extra wire-specific validation (limits differ between wires), applied after the field schema. */
  schema?: z.ZodTypeAny;
  /** Flat value → body value. Receives all inputs for fields that combine (v2 `args`). */
  toApi?(value: Present<A[K]>, inputs: A): unknown;
  /** Writes the field into a body when a dotted path cannot express it. */
  write?(body: JsonObject, value: Present<A[K]>, inputs: A): void;
  /**
   * Reads the flat value back from an API object (default: the value at `path`). Also gets the
   * prior state, for values only it can interpret (a priority list of which the API reports the
   * entry that was used). A binding with neither `path` nor `write` is never sent: the resource
   * applies it through its own calls (a pod's start/stop actions).
   */
  read?(apiObject: Api, prior: A): A[K] | null | undefined;
  /**
   * Runpod never reports it back (a secret value, a create-time flag): the value is carried from
   * state. After an import, where state has no value to compare, an `update` field is sent with
   * the next update and any other field takes the program's value without a replacement.
   */
  writeOnly?: true;
  /**
   * The wire's create schema lacks the field though its update schema has it (v2 cannot create a
   * pod locked): it is sent by an update right after the create (`followUpBody`).
   */
  afterCreate?: true;
  /** A `record` or `update` field some of whose changes the wire cannot apply. */
  replaceIf?: ReplaceIf<A, K>;
}

export interface FieldSpec<A, K extends keyof A, Apis extends WireApis> {
  /** Validation of the flat input; absence is allowed unless the resource's rules say otherwise. */
  schema: z.ZodTypeAny;
  /** What the field is, in a few words: used in messages ("changing the GPU count replaces …"). */
  description: string;
  /** Marked secret in state, registered for redaction. */
  secret?: boolean;
  /** The wires that can express the field. A wire not listed rejects the field at check time. */
  wires: { [W in Wire]?: WireBinding<A, K, Apis[W]> };
  /** Added to the "cannot express" failure on a wire not listed: what to use there instead. */
  unsupportedHint?: Partial<Record<Wire, string>>;
  /**
   * A numeric field that may only grow (a network volume's size). Shrinking is a check failure,
   * never a replacement, because the replacement would destroy the data.
   */
  growOnly?: { reason: string };
  /** Filled in by check when the program leaves the field out and the active wire has it. */
  default?: Present<A[K]>;
  /**
   * A provider-side setting (how long to wait for readiness), not a property of the Runpod object:
   * never sent, never read back, never diffed — it only shapes the next operation, which receives
   * the program's value anyway. List the wires that accept it with `SETTING` bindings.
   */
  setting?: boolean;
}

/** The binding of a provider-side setting on a wire that accepts it. */
export const SETTING = { change: "record", writeOnly: true } as const;

/** One entry per input of the resource's Args: the compiler rejects a missing or unknown field. */
export type FieldTable<A, Apis extends WireApis> = { [K in keyof A]-?: FieldSpec<A, K, Apis> };

/** How one computed output is read from an API object, per wire. */
export interface ComputedReaders<T, Apis extends WireApis> {
  v2?(apiObject: Apis["v2"]): T | null | undefined;
  v1?(apiObject: Apis["v1"]): T | null | undefined;
}

/** Computed outputs (ids, status, cost…): one reader per output and wire. */
export type ComputedTable<C, Apis extends WireApis> = { [K in keyof C]-?: ComputedReaders<C[K], Apis> };

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface RuleContext<A> {
  wire: Wire;
  olds: PriorState<A>;
}

/** What a catalog rule is told besides the inputs. */
export interface CatalogRuleContext<A> extends RuleContext<A> {
  /** Whether the input differs from the prior state (a new resource: every input does). */
  changed: (field: keyof A) => boolean;
}

/**
 * Rules that need Runpod's live catalog (which GPU types, CPU flavours, data centres, pools and
 * CUDA versions exist today). They run after every field and cross-field rule passed, and only
 * when one of `fields` differs from the prior state: values already applied were checked then.
 */
export interface CatalogRules<A> {
  fields: readonly (keyof A)[];
  check(inputs: A, catalog: CatalogView, ctx: CatalogRuleContext<A>): Promise<CheckFailure[]>;
}

export interface ResourceSpec<A = JsonObject, Apis extends WireApis = WireApis, C = JsonObject> {
  /** Stable key used by the serialized provider closure: "networkVolume". */
  kind: string;
  /** The user-facing type name: "NetworkVolume". */
  typeName: string;
  fields: FieldTable<A, Apis>;
  /** Outputs that are not inputs, read from an API object per wire. */
  computed?: ComputedTable<C, Apis>;
  /** Auto-name the `name` field from the logical name when it is omitted. */
  autoName?: { maxLength: number };
  /**
   * Runpod enforces unique names for this kind: a replacement that keeps an explicit name must
   * delete the old object first.
   */
  uniqueNames?: boolean;
  /** Cross-field rules; return failures naming the property. */
  rules?(inputs: A, ctx: RuleContext<A>): CheckFailure[];
  /** Checks against Runpod's live catalog; see {@link CatalogRules}. */
  catalog?: CatalogRules<A>;
}

/**
 * The machinery's view of any resource's table: field values are opaque. Resource tables are
 * assignable to it because their hooks are declared as methods (bivariant parameters).
 */
export type AnySpec = ResourceSpec<JsonObject, WireApis, JsonObject>;
export type AnyField = FieldSpec<JsonObject, string, WireApis>;
export type AnyBinding = WireBinding<JsonObject, string, unknown>;

/** A typed spec seen through the machinery's untyped view. */
export function loose<A, Apis extends WireApis, C>(spec: ResourceSpec<A, Apis, C>): AnySpec {
  return spec as unknown as AnySpec;
}

/** A table's entries, listed once, and where each name sits among them. */
interface TableIndex {
  entries: readonly [string, AnyField][];
  position: ReadonlyMap<string, number>;
  /** Positions of the fields with a default. */
  defaults: readonly number[];
}

const indexOf = new WeakMap<object, TableIndex>();

function tableIndex(spec: AnySpec): TableIndex {
  let index = indexOf.get(spec.fields);
  if (!index) {
    const entries = Object.entries(spec.fields);
    const defaults = entries.flatMap(([, field], i) => (field.default !== undefined ? [i] : []));
    indexOf.set(spec.fields, (index = { entries, position: new Map(entries.map(([name], i) => [name, i])), defaults }));
  }
  return index;
}

/** Each table's entries, listed once: check, diff and outputs walk them for every resource. */
export function fieldEntries(spec: AnySpec): readonly [string, AnyField][] {
  return tableIndex(spec).entries;
}

/** Whether the table declares `name` (its own field, not one of Object's methods). */
export function isField(spec: AnySpec, name: string): boolean {
  return tableIndex(spec).position.has(name);
}

/**
 * The entries `props` holds a key for (plus, with `withDefaults`, every field that has a default),
 * in table order. Check and diff walk these rather than the whole table: a pod declares 42 fields
 * and a program sets a handful, and a preview runs every check and diff in a freshly started host,
 * before V8 has optimised any of it. There, looking up every absent field by name and walking the
 * table with `for…of` and destructuring cost more than judging the fields present: counted in
 * the host's instructions, check and diff of 300 unchanged resources fell to a fifth.
 */
export function entriesIn(spec: AnySpec, props: JsonObject, withDefaults = false): [string, AnyField][] {
  const { entries, position, defaults } = tableIndex(spec);
  const at: number[] = [];
  let ordered = true;
  const add = (p: number) => {
    if (at.length > 0 && p < at[at.length - 1]) ordered = false;
    at.push(p);
  };
  const keys = Object.keys(props);
  for (let i = 0; i < keys.length; i++) {
    const p = position.get(keys[i]);
    if (p !== undefined) add(p);
  }
  if (withDefaults) for (let i = 0; i < defaults.length; i++) if (!at.includes(defaults[i])) add(defaults[i]);
  if (!ordered) at.sort((a, b) => a - b);
  const found: [string, AnyField][] = [];
  for (let i = 0; i < at.length; i++) found.push(entries[at[i]]);
  return found;
}

export function computedNames(spec: AnySpec): string[] {
  return Object.keys(spec.computed ?? {});
}

/** The hidden input that records the logical-name prefix when `name` was omitted. */
export const AUTONAME_KEY = "__autonamePrefix";
export const PROVIDER_KEY = "__provider";

/** The sentinel the engine sends for values unknown during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) {
    for (const item of value) if (containsUnknown(item)) return true;
    return false;
  }
  for (const key in value) if (containsUnknown((value as JsonObject)[key])) return true;
  return false;
}

export function secretFieldNames(spec: AnySpec): string[] {
  return fieldEntries(spec)
    .filter(([, f]) => f.secret)
    .map(([name]) => name);
}

/** A JSON object (not null, not a list). */
export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (!isObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

export function setPath(obj: JsonObject, path: string, value: unknown): void {
  const parts = path.split(".");
  let cur: JsonObject = obj;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (!isObject(next)) cur[part] = {};
    cur = cur[part] as JsonObject;
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
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  // Absent and undefined are the same value; counted without building key lists.
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  let defined = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    defined++;
    if (!deepEqual(ao[k], bo[k])) return false;
  }
  for (const k in bo) if (bo[k] !== undefined) defined--;
  return defined === 0;
}

/**
 * Only JSON values reach the engine: the host's struct conversion throws on `undefined` (after a
 * create was accepted, which would lose the id), so absent values are dropped, and non-finite
 * numbers, functions and the like become absent too.
 */
export function jsonOnly(value: unknown): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : undefined;
    case "object": {
      if (Array.isArray(value)) return value.map((v) => jsonOnly(v) ?? null);
      const out: JsonObject = {};
      const object = value as JsonObject;
      for (const k of Object.keys(object)) {
        const clean = jsonOnly(object[k]);
        if (clean !== undefined) out[k] = clean;
      }
      return out;
    }
    default:
      return undefined;
  }
}
