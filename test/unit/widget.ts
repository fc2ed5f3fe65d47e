/**
 * A synthetic resource that uses every knob of the field-table vocabulary once, written with the
 * typed API so these specs also pin its types: a table that misses an Args key, or a reader that
 * returns the wrong type, fails the build before any spec runs.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { envMap, nonEmptyString, wholeNumber } from "../../provider/schema/common";
import { ComputedTable, FieldTable, JsonObject, Plain, ResourceSpec, SETTING } from "../../provider/schema/fields";

export interface WidgetArgs {
  name?: pulumi.Input<string>;
  /** growOnly, different limits per wire, sent in MB on v1. */
  size?: pulumi.Input<number>;
  /** Immutable on both wires. */
  zone?: pulumi.Input<string>;
  /** A placement preference: recorded, replaced only when the current GPU left the list. */
  gpus?: pulumi.Input<string[]>;
  /** Secret, never reported back, updatable. */
  token?: pulumi.Input<string>;
  /** Never reported back, immutable (v2 only, so v1 shows the default "cannot express" text). */
  flavor?: pulumi.Input<string>;
  /** v2 cannot create it, only update it. */
  locked?: pulumi.Input<boolean>;
  /** Nested body path, trimmed on the way in. */
  image?: pulumi.Input<string>;
  /** Written as a key/value list. */
  env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Provider-side setting. */
  waitSeconds?: pulumi.Input<number>;
  /** v2 only, with a hint for v1 and a default. */
  tier?: pulumi.Input<"basic" | "fast">;
  /** v1 only. */
  legacy?: pulumi.Input<boolean>;
  /** Applied by the resource's own calls: neither path nor write. */
  status?: pulumi.Input<"RUNNING" | "EXITED">;
}

export type WidgetInputs = Plain<WidgetArgs>;

/** Stand-ins for the generated OpenAPI types. */
export interface WidgetV2 {
  id: string;
  name?: string;
  size?: number;
  zone?: string;
  gpu?: string;
  container?: { image?: string };
  envList?: { key: string; value: string }[];
  locked?: boolean;
  tier?: "basic" | "fast";
  token?: string;
  desiredStatus?: "RUNNING" | "EXITED";
  costPerHr?: number;
  machine?: { publicIp?: string };
}
export interface WidgetV1 {
  id: string;
  name?: string;
  sizeMb?: number;
  zoneId?: string;
  gpuTypeId?: string;
  imageName?: string;
  env?: Record<string, string>;
  legacy?: boolean;
  locked?: boolean;
  state?: "RUNNING" | "EXITED";
  publicIp?: string;
}
export interface WidgetApis {
  v2: WidgetV2;
  v1: WidgetV1;
}
export interface WidgetComputed {
  costPerHr: number;
  publicIp: string;
}

export const GPU_LEFT_LIST = "the widget's GPU is no longer in gpus";
export const SIZE_GROWS = "widgets only grow";

const fields: FieldTable<WidgetInputs, WidgetApis> = {
  name: {
    description: "widget name",
    schema: nonEmptyString,
    wires: { v2: { path: "name", change: "update" }, v1: { path: "name", change: "update" } },
  },
  size: {
    description: "size in GB",
    schema: wholeNumber,
    growOnly: { reason: SIZE_GROWS },
    wires: {
      v2: { path: "size", change: "update", schema: z.number().max(100, "must be at most 100 GB") },
      v1: {
        path: "sizeMb",
        change: "update",
        schema: z.number().max(50, "must be at most 50 GB"),
        toApi: (gb) => gb * 1024,
        read: (o) => (o.sizeMb === undefined ? undefined : o.sizeMb / 1024),
      },
    },
  },
  zone: {
    description: "zone",
    schema: nonEmptyString,
    wires: { v2: { path: "zone", change: "replace" }, v1: { path: "zoneId", change: "replace" } },
  },
  gpus: {
    description: "GPU preference list",
    schema: z.array(nonEmptyString),
    wires: {
      v2: {
        path: "gpuTypeIds",
        change: "record",
        // Runpod reports the GPU it picked, not the list: keep the list while it still holds it.
        read: (o, prior) => (o.gpu !== undefined && prior.gpus?.includes(o.gpu) ? prior.gpus : o.gpu === undefined ? undefined : [o.gpu]),
        replaceIf: { when: (_old, next, olds) => typeof olds.gpu === "string" && !next.includes(olds.gpu), reason: GPU_LEFT_LIST },
      },
      v1: { path: "gpuTypeId", change: "replace", toApi: (list) => list[0] },
    },
  },
  token: {
    description: "access token",
    schema: nonEmptyString,
    secret: true,
    wires: { v2: { path: "token", change: "update", writeOnly: true }, v1: { path: "token", change: "update", writeOnly: true } },
  },
  flavor: {
    description: "flavor",
    schema: nonEmptyString,
    wires: { v2: { path: "flavor", change: "replace", writeOnly: true } },
  },
  locked: {
    description: "lock",
    schema: z.boolean(),
    wires: { v2: { path: "locked", change: "update", afterCreate: true }, v1: { path: "locked", change: "update" } },
  },
  image: {
    description: "image",
    schema: z.string().transform((s) => s.trim()),
    wires: { v2: { path: "container.image", change: "update" }, v1: { path: "imageName", change: "update" } },
  },
  env: {
    description: "environment",
    schema: envMap,
    wires: {
      v2: {
        change: "update",
        write: (body, env) => {
          body.envList = Object.entries(env).map(([key, value]) => ({ key, value }));
        },
        read: (o) => (o.envList ? Object.fromEntries(o.envList.map((e) => [e.key, e.value])) : undefined),
      },
      v1: { path: "env", change: "update" },
    },
  },
  waitSeconds: {
    description: "readiness timeout",
    schema: wholeNumber,
    setting: true,
    default: 60,
    wires: { v2: SETTING, v1: SETTING },
  },
  tier: {
    description: "tier",
    schema: z.enum(["basic", "fast"]),
    default: "basic",
    unsupportedHint: { v1: "v1 widgets are all basic; remove tier" },
    wires: { v2: { path: "tier", change: "replace", toApi: (t, inputs) => (inputs.zone === "nowhere" ? undefined : t.toUpperCase()) } },
  },
  legacy: {
    description: "legacy mode",
    schema: z.boolean(),
    wires: { v1: { path: "legacy", change: "record" } },
  },
  status: {
    description: "desired status",
    schema: z.enum(["RUNNING", "EXITED"]),
    wires: { v2: { change: "update", read: (o) => o.desiredStatus }, v1: { change: "update", read: (o) => o.state } },
  },
};

const computed: ComputedTable<WidgetComputed, WidgetApis> = {
  costPerHr: { v2: (o) => o.costPerHr },
  publicIp: { v2: (o) => o.machine?.publicIp, v1: (o) => o.publicIp },
};

/** Every rule call, so specs can tell whether rules ran. */
export const ruleCalls: { inputs: WidgetInputs; wire: string; olds: JsonObject }[] = [];

export const widget: ResourceSpec<WidgetInputs, WidgetApis, WidgetComputed> = {
  kind: "widget",
  typeName: "Widget",
  fields,
  computed,
  autoName: { maxLength: 20 },
  uniqueNames: true,
  rules: (inputs, ctx) => {
    ruleCalls.push({ inputs, wire: ctx.wire, olds: ctx.olds });
    return inputs.zone === undefined ? [{ property: "zone", reason: "zone: required" }] : [];
  },
};

/** The same table without unique names, auto-naming or rules. */
export const plainWidget: ResourceSpec<WidgetInputs, WidgetApis, WidgetComputed> = { kind: "plainWidget", typeName: "PlainWidget", fields, computed };

// The table is compiler-checked against Args: a missing or an unknown key does not build.
// @ts-expect-error `status` (and others) missing
export const incomplete: FieldTable<Pick<WidgetInputs, "name" | "status">, WidgetApis> = { name: fields.name };
export const unknownKey: FieldTable<Pick<WidgetInputs, "name">, WidgetApis> = {
  name: fields.name,
  // @ts-expect-error not an Args key
  nmae: fields.name,
};
