/**
 * `adoptId`, the input every resource shares: Pulumi's engine cannot import into a dynamic
 * provider (pulumi/pulumi#3550, #16175), so, as pulumi/pulumi#7534 suggests, a create given an
 * existing object's id takes that object over instead of creating one. Declared once here: each
 * `…Args` extends {@link AdoptArgs} and each field table spreads {@link ADOPT_FIELDS}.
 */
import type * as pulumi from "@pulumi/pulumi";
import { nonEmptyString } from "./common";
import { writeV2Args } from "./container";
import { JsonObject, ResourceSpec, SETTING, WIRE_LABEL, Wire, WireApis, deepEqual, fieldEntries, loose } from "./fields";

/** The key of the shared input, as check, create and the tables see it. */
export const ADOPT_KEY = "adoptId";

/** The input every resource's Args has (one doc comment for all six kinds). */
export interface AdoptArgs {
  /**
   * The id of an existing Runpod object to take over instead of creating one (for a `Secret`, its
   * id or its name). Runpod has objects Pulumi's import cannot reach from a dynamic provider; this
   * adopts them. The create reads the object and never sends a create request:
   * - an id Runpod does not know fails with error code `adopt_not_found`;
   * - a field the program sets that Runpod cannot change in place on the existing object (a pod's
   *   GPU type, data centre or cloud, a volume's data centre, a secret's name…) fails with code
   *   `adopt_conflict`, naming each such field and why;
   * - the program's in-place fields that differ are applied with one update (none when the object
   *   already matches); fields Runpod never returns (a secret's value) are set from the program
   *   where Runpod can update them, and otherwise recorded as the program states them (a registry
   *   credential's username and password: Runpod can neither return nor update them);
   * - fields the program leaves out, the name included, keep the object's values.
   *
   * Once adopted the resource is the stack's like any other: this input has no further effect, so
   * removing or changing it shows no diff. **Destroying the resource (or removing it from the
   * program) deletes the Runpod object**; set the `retainOnDelete: true` resource option to keep it.
   */
  adoptId?: pulumi.Input<string>;
}

/**
 * The table entry of `adoptId` for every kind: a provider-side setting (never sent, read back or
 * diffed), since it only shapes the create.
 */
export const ADOPT_FIELDS = {
  adoptId: {
    description: "id of an existing Runpod object to adopt",
    schema: nonEmptyString,
    setting: true,
    wires: { v2: SETTING, v1: SETTING },
  },
} as const;

/** A field the program sets that the adopted object cannot take without being replaced. */
export interface AdoptConflict {
  property: string;
  reason: string;
}

export interface AdoptionPlan {
  /** Fields to apply with the adoption's one update (`updateBody` / the resource's hooks). */
  changed: string[];
  /** Fields that refuse the adoption, each with the reason in Runpod's terms. */
  conflicts: AdoptConflict[];
}

function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * What adopting an object means for each field the program sets, from the same table entries a
 * diff uses. `current`: the object's outputs read with the program as prior state (what state would
 * record); `reported`: read with no prior, so a field Runpod does not report is absent there.
 * - Runpod never returns it (`writeOnly`): an `update` field is applied from the program (a
 *   secret's value, a v2 endpoint's template); any other is recorded as the program states it
 *   unless its `replaceIf` rules it out.
 * - Runpod reports no value or a different one: `replace` (and a `replaceIf` that holds, or a
 *   grow-only field asked to shrink) is a conflict; `update` joins the update; `record` is recorded.
 */
export function planAdoption<A, Apis extends WireApis, C>(
  typed: ResourceSpec<A, Apis, C>,
  wire: Wire,
  current: JsonObject,
  reported: JsonObject,
  inputs: JsonObject,
): AdoptionPlan {
  const spec = loose(typed);
  const changed: string[] = [];
  const conflicts: AdoptConflict[] = [];
  for (const [name, field] of fieldEntries(spec)) {
    const next = inputs[name];
    const binding = field.wires[wire];
    if (next === undefined || next === null || field.setting || !binding) continue;
    const conflict = (reason: string) => conflicts.push({ property: name, reason: `${name}: ${reason}` });
    // v2's `args` (entrypoint and command words) is read back by the resources' drift readers,
    // so `current` already says whether it differs: compare it like a reported field.
    if (binding.writeOnly && binding.write !== writeV2Args) {
      if (binding.change === "update") changed.push(name);
      else if (binding.replaceIf?.when(undefined, next, current)) conflict(binding.replaceIf.reason);
      continue;
    }
    const old = reported[name] === undefined && !binding.writeOnly ? undefined : current[name];
    if (deepEqual(old, next)) continue;
    const has = old === undefined ? "Runpod reports none" : field.secret ? "Runpod's differs" : `Runpod has ${shown(old)}`;
    if (binding.change === "replace") conflict(`${WIRE_LABEL[wire]} cannot change the ${field.description} of an existing ${spec.typeName} (${has})`);
    else if (binding.replaceIf?.when(old, next, current)) conflict(`${binding.replaceIf.reason} (${has})`);
    else if (field.growOnly && typeof old === "number" && typeof next === "number" && next < old)
      conflict(`cannot shrink from ${old} to ${next}: ${field.growOnly.reason}`);
    else if (binding.change === "update") changed.push(name);
  }
  return { changed, conflicts };
}
