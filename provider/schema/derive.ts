import { randomUUID } from "crypto";
import { z } from "zod";
import { registerSensitive } from "../client/redact";
import { ADOPT_KEY } from "./adopt";
import { voice } from "./common";
import {
  AUTONAME_KEY,
  AnySpec,
  CheckFailure,
  JsonObject,
  PROVIDER_KEY,
  ResourceSpec,
  WIRE_LABEL,
  Wire,
  WireApis,
  containsUnknown,
  deepEqual,
  entriesIn,
  fieldEntries,
  getPath,
  isField,
  jsonOnly,
  loose,
  setPath,
} from "./fields";

type Props = JsonObject;
/** Any resource's typed spec: the machinery reads it through its untyped view. */
type Spec<A, Apis extends WireApis, C> = ResourceSpec<A, Apis, C>;

/** Inputs that are not user fields but travel with them. */
const INTERNAL_KEYS = new Set([PROVIDER_KEY, AUTONAME_KEY]);

function zodFailures(property: string, error: z.ZodError): CheckFailure[] {
  return error.issues.map((issue) => {
    const path = [property, ...issue.path.map(String)].join(".");
    return { property: path, reason: `${path}: ${issue.message}` };
  });
}

/**
 * Pulumi's auto-naming convention: the logical name plus a random suffix. The suffix is the first
 * seven hex digits of a random UUID (all random bits): Node draws those from a batch of entropy,
 * where `randomBytes` asks the system for each new pod's few bytes.
 */
export function autoName(prefix: string, maxLength: number): string {
  const suffix = randomUUID().slice(0, 7);
  const head = prefix.slice(0, Math.max(1, maxLength - suffix.length - 1));
  return `${head}-${suffix}`;
}

/**
 * Derived `check`: validates every field with its schema and the active wire's limits, rejects
 * fields the wire cannot express and properties nobody declared, fills in the auto-name, and
 * applies the resource's cross-field rules. Makes no API call.
 */
export function checkInputs<A, Apis extends WireApis, C>(
  typed: Spec<A, Apis, C>,
  wire: Wire,
  olds: Props,
  news: Props,
): { inputs: Props; failures: CheckFailure[] } {
  const spec = loose(typed);
  const failures: CheckFailure[] = [];
  const inputs: Props = {};

  const keys = Object.keys(news);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (!isField(spec, key) && !INTERNAL_KEYS.has(key)) {
      failures.push({ property: key, reason: `${key}: unknown property for ${spec.typeName}; expected one of ${Object.keys(spec.fields).join(", ")}` });
    }
  }

  // Only the fields the program set or that have a default (see entriesIn), in an indexed loop:
  // in the fresh host a preview starts, `for (const [name, field] of …)` pays for the iterator
  // and the destructuring on every field.
  const entries = entriesIn(spec, news, true);
  for (let i = 0; i < entries.length; i++) {
    const name = entries[i][0];
    const field = entries[i][1];
    let value = news[name];
    if ((value === undefined || value === null) && field.default !== undefined && field.wires[wire]) value = field.default;
    if (value === undefined || value === null) continue;
    inputs[name] = value;
    if (field.secret) registerSensitive(value);
    const binding = field.wires[wire];
    if (!binding) {
      failures.push({
        property: name,
        reason:
          `${name}: ${WIRE_LABEL[wire]} cannot express this field; ` +
          (field.unsupportedHint?.[wire] ?? `remove it or switch runpod:apiVersion to ${wire === "v2" ? "v1" : "v2"}`),
      });
      continue;
    }
    // A value equal to what check accepted (and normalised) last time is taken as it is: every
    // preview checks every resource, and most of them changed nothing. The wire's own limits
    // and the rules across fields still run, so a switch of runpod:apiVersion is still judged.
    // State never holds an unknown, so such a value has none either.
    const unchanged = olds[name] !== undefined && deepEqual(value, olds[name]);
    if (!unchanged && containsUnknown(value)) continue; // validated again at update time once known
    const parsed = unchanged ? { success: true as const, data: olds[name] } : field.schema.safeParse(value, { errorMap: voice });
    if (!parsed.success) {
      failures.push(...zodFailures(name, parsed.error));
      continue;
    }
    inputs[name] = parsed.data;
    if (binding.schema) {
      const wireParsed = binding.schema.safeParse(parsed.data, { errorMap: voice });
      if (!wireParsed.success) {
        failures.push(...zodFailures(name, wireParsed.error).map((f) => ({ ...f, reason: `${f.reason} (${WIRE_LABEL[wire]})` })));
      }
    }
    const old = olds[name];
    if (field.growOnly && typeof old === "number" && typeof parsed.data === "number" && parsed.data < old) {
      failures.push({ property: name, reason: `${name}: cannot shrink from ${old} to ${parsed.data}: ${field.growOnly.reason}` });
    }
  }

  if (spec.autoName) {
    const prefix = typeof news[AUTONAME_KEY] === "string" ? news[AUTONAME_KEY] : undefined;
    if (inputs.name === undefined && typeof prefix === "string") {
      inputs[AUTONAME_KEY] = prefix;
      // An adopted object without an explicit name keeps its own: no auto-name, then or later
      // (its prior inputs then hold the prefix without a name). A replacement (no olds) names anew.
      const adopting = news[ADOPT_KEY] !== undefined && news[ADOPT_KEY] !== null && Object.keys(olds).length === 0;
      const ownName = adopting || (olds[AUTONAME_KEY] === prefix && olds.name === undefined);
      // Keep the name chosen earlier; the engine re-runs check with no olds for a replacement,
      // which is exactly when a fresh name is needed.
      if (!ownName) inputs.name = typeof olds.name === "string" && olds[AUTONAME_KEY] === prefix ? olds.name : autoName(prefix, spec.autoName.maxLength);
    } else if (inputs.name === undefined) {
      failures.push({ property: "name", reason: `name: required` });
    }
  }

  if (spec.rules && failures.length === 0) failures.push(...spec.rules(inputs, { wire, olds }));
  return { inputs, failures };
}

export interface ReplaceReason {
  property: string;
  reason: string;
}

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
  /** Fields whose value changes, in-place or not. */
  changed: string[];
  /** Why each replacing field replaces, in words the user is shown. */
  reasons: ReplaceReason[];
}

/**
 * Derived `diff`: compares prior state with the checked new inputs field by field. A changed field
 * updates in place when the active wire's update carries it, is recorded when it only mattered at
 * create, and replaces otherwise — each replacement with its reason. A field the program leaves
 * out keeps the API's value (Runpod fills defaults), so it never diffs.
 */
export function diffInputs<A, Apis extends WireApis, C>(typed: Spec<A, Apis, C>, wire: Wire, olds: Props, news: Props): DiffResult {
  const spec = loose(typed);
  const changed: string[] = [];
  const reasons: ReplaceReason[] = [];
  const stables: string[] = [];
  const entries = entriesIn(spec, news); // see checkInputs
  for (let i = 0; i < entries.length; i++) {
    const name = entries[i][0];
    const field = entries[i][1];
    const next = news[name];
    if (next === undefined || next === null || field.setting) continue;
    const binding = field.wires[wire];
    // Prior state never holds an unknown: a value equal to it is known.
    if (deepEqual(olds[name], next)) {
      if (binding && binding.change === "replace") stables.push(name);
      continue;
    }
    changed.push(name);
    const replace = (reason: string) => reasons.push({ property: name, reason: `${name}: ${reason}` });
    if (!binding) {
      replace(`${WIRE_LABEL[wire]} cannot express ${field.description}`);
      continue;
    }
    // Imported: Runpod never reported this write-only field, so there is nothing to compare with.
    if (binding.writeOnly && olds[name] === undefined) continue;
    if (binding.change === "replace") replace(`${WIRE_LABEL[wire]} cannot change the ${field.description} of an existing ${spec.typeName}`);
    else if (binding.replaceIf?.when(olds[name], next, olds)) replace(binding.replaceIf.reason);
  }
  const replaces = reasons.map((r) => r.property);
  const explicitName = news[AUTONAME_KEY] === undefined;
  return {
    changes: changed.length > 0,
    replaces,
    stables,
    deleteBeforeReplace: replaces.length > 0 && !!spec.uniqueNames && explicitName,
    changed,
    reasons,
  };
}

/** The create body for the active wire: every field set in the inputs, at its wire path. */
export function createBody<A, Apis extends WireApis, C>(typed: Spec<A, Apis, C>, wire: Wire, inputs: Props): Props {
  const spec = loose(typed);
  return buildBody(spec, wire, inputs, Object.keys(spec.fields), "create");
}

/** The update body: only the changed fields the wire updates in place. */
export function updateBody<A, Apis extends WireApis, C>(typed: Spec<A, Apis, C>, wire: Wire, inputs: Props, changed: string[]): Props {
  return buildBody(loose(typed), wire, inputs, changed, "update");
}

/**
 * What a create could not carry: the `afterCreate` fields set in the inputs, as an update body for
 * the resource to send right after the create (empty when there are none).
 */
export function followUpBody<A, Apis extends WireApis, C>(typed: Spec<A, Apis, C>, wire: Wire, inputs: Props): Props {
  const spec = loose(typed);
  const names = fieldEntries(spec)
    .filter(([, field]) => field.wires[wire]?.afterCreate)
    .map(([name]) => name);
  return buildBody(spec, wire, inputs, names, "update");
}

function buildBody(spec: AnySpec, wire: Wire, inputs: Props, names: string[], operation: "create" | "update"): Props {
  const body: Props = {};
  for (const name of names) {
    const field = spec.fields[name];
    const binding = field?.wires[wire];
    const value = inputs[name];
    if (!binding || field.setting || value === undefined || value === null) continue;
    if (operation === "update" && binding.change !== "update") continue;
    if (operation === "create" && binding.afterCreate) continue;
    if (binding.write) {
      binding.write(body, value, inputs);
    } else if (binding.path) {
      const apiValue = binding.toApi ? binding.toApi(value, inputs) : value;
      if (apiValue !== undefined) setPath(body, binding.path, apiValue);
    }
  }
  return body;
}

/**
 * The resource's outputs from an API object: every field the API reports, the rest (write-only
 * values, create-time flags, fields a sparse answer left out) carried from the prior state, plus
 * computed outputs. Only JSON values come out, whatever the answer held.
 */
export function outputsFrom<A, Apis extends WireApis, C>(typed: Spec<A, Apis, C>, wire: Wire, apiObject: unknown, prior: Props): Props {
  const spec = loose(typed);
  const api = apiObject !== null && typeof apiObject === "object" ? apiObject : {};
  const outs: Props = {};
  for (const [name, field] of fieldEntries(spec)) {
    const binding = field.wires[wire];
    let value: unknown;
    if (binding && !binding.writeOnly && !field.setting) {
      value = binding.read ? binding.read(api, prior) : binding.path ? getPath(api, binding.path) : undefined;
    }
    if (value === undefined || value === null) value = prior[name];
    if (value !== undefined && value !== null) outs[name] = value;
  }
  if (prior[AUTONAME_KEY] !== undefined) outs[AUTONAME_KEY] = prior[AUTONAME_KEY];
  for (const [name, readers] of Object.entries(spec.computed ?? {})) {
    const value = readers[wire]?.(api);
    if (value !== undefined && value !== null) outs[name] = value;
  }
  return jsonOnly(outs) as Props;
}

/** What a refresh hands back as inputs: the fields' current values, without computed outputs. */
export function inputsFrom<A, Apis extends WireApis, C>(typed: Spec<A, Apis, C>, outputs: Props): Props {
  const spec = loose(typed);
  const inputs: Props = {};
  for (const name of [...Object.keys(spec.fields), AUTONAME_KEY]) {
    if (outputs[name] !== undefined) inputs[name] = outputs[name];
  }
  return inputs;
}
