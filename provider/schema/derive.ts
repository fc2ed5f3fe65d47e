import { randomBytes } from "crypto";
import { z } from "zod";
import { registerSensitive } from "../client/redact";
import {
  AUTONAME_KEY,
  CheckFailure,
  PROVIDER_KEY,
  Props,
  ResourceSpec,
  WIRE_LABEL,
  Wire,
  containsUnknown,
  deepEqual,
  getPath,
  setPath,
} from "./fields";

/** Inputs that are not user fields but travel with them. */
const INTERNAL_KEYS = new Set([PROVIDER_KEY, AUTONAME_KEY]);

function zodFailures(property: string, error: z.ZodError): CheckFailure[] {
  return error.issues.map((issue) => {
    const path = [property, ...issue.path.map(String)].join(".");
    return { property: path, reason: `${path}: ${issue.message}` };
  });
}

/** Pulumi's auto-naming convention: the logical name plus a random suffix. */
export function autoName(prefix: string, maxLength: number): string {
  const suffix = randomBytes(8).toString("hex").slice(0, 7);
  const head = prefix.slice(0, Math.max(1, maxLength - suffix.length - 1));
  return `${head}-${suffix}`;
}

/**
 * Derived `check`: validates every field with its schema and the active wire's limits, rejects
 * fields the wire cannot express and properties nobody declared, fills in the auto-name, and
 * applies the resource's cross-field rules. Makes no API call.
 */
export function checkInputs(spec: ResourceSpec, wire: Wire, olds: Props, news: Props): { inputs: Props; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const inputs: Props = {};

  for (const key of Object.keys(news)) {
    if (!(key in spec.fields) && !INTERNAL_KEYS.has(key)) {
      failures.push({ property: key, reason: `${key}: unknown property for ${spec.typeName}; expected one of ${Object.keys(spec.fields).join(", ")}` });
    }
  }

  for (const [name, field] of Object.entries(spec.fields)) {
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
    if (containsUnknown(value)) continue; // validated again at update time once known
    const parsed = field.schema.safeParse(value);
    if (!parsed.success) {
      failures.push(...zodFailures(name, parsed.error));
      continue;
    }
    inputs[name] = parsed.data;
    if (binding.schema) {
      const wireParsed = binding.schema.safeParse(parsed.data);
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
    if (inputs.name === undefined && prefix !== undefined) {
      inputs[AUTONAME_KEY] = prefix;
      // Keep the name chosen earlier; the engine re-runs check with no olds for a replacement,
      // which is exactly when a fresh name is needed.
      inputs.name = typeof olds.name === "string" && olds[AUTONAME_KEY] === prefix ? olds.name : autoName(prefix, spec.autoName.maxLength);
    } else if (inputs.name === undefined) {
      failures.push({ property: "name", reason: `name: required` });
    }
  }

  if (spec.rules && failures.length === 0) failures.push(...spec.rules(inputs, { wire, olds }));
  return { inputs, failures };
}

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
  /** Fields whose value changes, in-place or not. */
  changed: string[];
}

/**
 * Derived `diff`: compares prior state with the checked new inputs field by field. A changed field
 * updates in place when the active wire's update schema carries it, and replaces otherwise.
 * A field the program leaves out keeps the API's value (Runpod fills defaults), so it never diffs.
 */
export function diffInputs(spec: ResourceSpec, wire: Wire, olds: Props, news: Props): DiffResult {
  const changed: string[] = [];
  const replaces: string[] = [];
  const stables: string[] = [];
  for (const [name, field] of Object.entries(spec.fields)) {
    const next = news[name];
    if (next === undefined || next === null || field.setting) continue;
    const binding = field.wires[wire];
    if (deepEqual(olds[name], next) && !containsUnknown(next)) {
      if (binding && !binding.inPlace) stables.push(name);
      continue;
    }
    changed.push(name);
    // Imported: Runpod never reported this write-only field, so there is nothing to compare with.
    if (binding?.read === false && binding.adoptUnknown && olds[name] === undefined) continue;
    if (!binding || !binding.inPlace || field.replaceAlways || binding.replaceIf?.(olds[name], next, olds)) replaces.push(name);
  }
  const explicitName = news[AUTONAME_KEY] === undefined;
  return {
    changes: changed.length > 0,
    replaces,
    stables,
    deleteBeforeReplace: replaces.length > 0 && !!spec.uniqueNames && explicitName,
    changed,
  };
}

/** The create body for the active wire: every field set in the inputs, at its wire path. */
export function createBody(spec: ResourceSpec, wire: Wire, inputs: Props): Props {
  return buildBody(spec, wire, inputs, Object.keys(spec.fields), false);
}

/** The update body: only the changed fields the wire can update in place. */
export function updateBody(spec: ResourceSpec, wire: Wire, inputs: Props, changed: string[]): Props {
  return buildBody(spec, wire, inputs, changed, true);
}

/**
 * What a create could not carry: the `updateOnly` fields set in the inputs, as an update body for
 * the resource to send right after the create (empty when there are none).
 */
export function followUpBody(spec: ResourceSpec, wire: Wire, inputs: Props): Props {
  const names = Object.keys(spec.fields).filter((name) => spec.fields[name].wires[wire]?.updateOnly);
  return buildBody(spec, wire, inputs, names, true);
}

function buildBody(spec: ResourceSpec, wire: Wire, inputs: Props, names: string[], update: boolean): Props {
  const body: Props = {};
  for (const name of names) {
    const field = spec.fields[name];
    const binding = field?.wires[wire];
    const value = inputs[name];
    if (!binding || value === undefined || value === null) continue;
    if (update && (!binding.inPlace || binding.createOnly)) continue;
    if (!update && binding.updateOnly) continue;
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
 * secrets, create-time flags) carried from the prior state, plus computed outputs.
 */
export function outputsFrom(spec: ResourceSpec, wire: Wire, apiObject: Props, prior: Props): Props {
  const outs: Props = {};
  for (const [name, field] of Object.entries(spec.fields)) {
    const binding = field.wires[wire];
    let value: unknown;
    if (binding && binding.read !== false) {
      value = typeof binding.read === "function" ? binding.read(apiObject, prior) : binding.path ? getPath(apiObject, binding.path) : undefined;
    }
    if (value === undefined || value === null) value = prior[name];
    if (value !== undefined && value !== null) outs[name] = value;
  }
  if (prior[AUTONAME_KEY] !== undefined) outs[AUTONAME_KEY] = prior[AUTONAME_KEY];
  const computed = spec.computed?.[wire];
  if (computed) Object.assign(outs, computed(apiObject));
  return outs;
}

/** What a refresh hands back as inputs: the fields' current values, without computed outputs. */
export function inputsFrom(spec: ResourceSpec, outputs: Props): Props {
  const inputs: Props = {};
  for (const name of [...Object.keys(spec.fields), AUTONAME_KEY]) {
    if (outputs[name] !== undefined) inputs[name] = outputs[name];
  }
  return inputs;
}
