import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { kindEntry } from "./resources/registry";
import { Secret, secretRef } from "./resources/secret";
import type { Template } from "./resources/template";
import { voice } from "./schema/common";
import { AnySpec } from "./schema/fields";

/**
 * A whole Runpod fleet described as data — what a GitOps pipeline keeps in `Pulumi.<stack>.yaml`
 * under the project's `fleet` key — and the function that declares it. Resources refer to each
 * other by their key in the fleet; secret material never sits in the fleet itself but in secret
 * config (`fleetSecrets`), set with `pulumi config set --secret --path`.
 */

/** The fleet's sections, in the order resources are declared: references only point backwards. */
const ORDER = ["networkVolumes", "registries", "secrets", "templates", "pods", "endpoints"] as const;
export type SectionName = (typeof ORDER)[number];

type Kind = "networkVolume" | "containerRegistryAuth" | "secret" | "template" | "pod" | "endpoint";

/** A fleet key naming a resource of another section, and the input it becomes. */
interface Reference {
  input: string;
  section: SectionName;
  many?: boolean;
  /**
   * The input that also receives the referenced template's `revision`: Runpod applies a template
   * only at create, so a rolled template reaches its pods and endpoints through it. Wired by the
   * fleet, never written in it.
   */
  revision?: string;
}

interface Section {
  kind: Kind;
  /** Reference keys allowed in this section (`template: trainer` → `templateId`). */
  refs: Record<string, Reference>;
  /** The input that comes from secret config instead of the fleet. */
  secretInput?: string;
  /** Inputs whose values may be `{ secret: <key> }` → `{{ RUNPOD_SECRET_<name> }}`. */
  envInputs?: string[];
  /** The section's entries may ask for several identical resources. */
  counted?: boolean;
}

const SECTIONS: Record<SectionName, Section> = {
  networkVolumes: { kind: "networkVolume", refs: {} },
  registries: { kind: "containerRegistryAuth", refs: {}, secretInput: "password" },
  secrets: { kind: "secret", refs: {}, secretInput: "value" },
  templates: {
    kind: "template",
    refs: { registry: { input: "containerRegistryAuthId", section: "registries" } },
    envInputs: ["env"],
  },
  pods: {
    kind: "pod",
    refs: {
      template: { input: "templateId", section: "templates", revision: "templateRevision" },
      networkVolume: { input: "networkVolumeId", section: "networkVolumes" },
      registry: { input: "containerRegistryAuthId", section: "registries" },
    },
    envInputs: ["env"],
    counted: true,
  },
  endpoints: {
    kind: "endpoint",
    refs: {
      template: { input: "templateId", section: "templates", revision: "templateRevision" },
      networkVolumes: { input: "networkVolumeIds", section: "networkVolumes", many: true },
      registry: { input: "containerRegistryAuthId", section: "registries" },
    },
    envInputs: ["env"],
  },
};

function specOf(kind: Kind): AnySpec {
  return kindEntry(kind).spec();
}

const fleetKey = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be lower-case letters, digits and dashes");
const secretEnvValue = z.object({ secret: fleetKey }).strict();

function entrySchema(name: SectionName): z.ZodTypeAny {
  const section: Section = SECTIONS[name];
  const fields = specOf(section.kind).fields;
  const shape: Record<string, z.ZodTypeAny> = {};
  const wired = new Set(Object.values(section.refs).map((r) => r.revision));
  for (const [field, spec] of Object.entries(fields)) {
    if (field === section.secretInput || wired.has(field)) continue;
    shape[field] = section.envInputs?.includes(field) ? z.record(z.union([z.string(), secretEnvValue])).optional() : spec.schema.optional();
  }
  for (const [ref, target] of Object.entries(section.refs)) shape[ref] = target.many ? z.array(fleetKey).optional() : fleetKey.optional();
  if (section.counted) shape.count = z.number().int("must be a whole number").min(0, "must be at least 0").optional();
  return z.object(shape).strict();
}

/** The fleet as stack config holds it: every section a map from fleet key to resource inputs. */
export type FleetConfig = Partial<Record<SectionName, Record<string, Record<string, unknown>>>>;
/** Secret config: `fleetSecrets.secrets.<key>` (secret values), `fleetSecrets.registries.<key>` (passwords). */
export type FleetSecrets = Partial<Record<"secrets" | "registries", Record<string, string>>>;

export class FleetConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid fleet configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "FleetConfigError";
  }
}

/**
 * Validates a fleet: every entry's inputs with the resource's own field schemas, every reference,
 * and that secret material is not in the fleet. Errors name the config path
 * (`fleet.pods.trainer.gpuCount`).
 */
export function validateFleet(fleet: unknown, root = "fleet"): FleetConfig {
  const problems: string[] = [];
  const top = z
    .object(Object.fromEntries(ORDER.map((s) => [s, z.record(fleetKey, z.unknown()).optional()])))
    .strict()
    .safeParse(fleet ?? {}, { errorMap: voice });
  if (!top.success) {
    throw new FleetConfigError(top.error.issues.map((i) => `${[root, ...i.path].join(".")}: ${i.message}`));
  }
  const parsed = top.data as FleetConfig;
  // Two resources adopting one object would each take it over, and the first destroy of either
  // deletes it under the other: an adoptId belongs to exactly one resource.
  const adopters = new Map<string, string>();
  for (const name of ORDER) {
    const section: Section = SECTIONS[name];
    const schema = entrySchema(name);
    for (const [key, entry] of Object.entries(parsed[name] ?? {})) {
      const path = `${root}.${name}.${key}`;
      if (entry && typeof entry === "object" && section.secretInput && section.secretInput in entry) {
        problems.push(
          `${path}.${section.secretInput}: keep it out of the fleet; set it with \`pulumi config set --secret --path 'fleetSecrets.${name}.${key}' <value>\``,
        );
        continue;
      }
      const result = schema.safeParse(entry, { errorMap: voice });
      if (!result.success) {
        for (const issue of result.error.issues) {
          const where = [path, ...issue.path].join(".");
          problems.push(issue.code === "unrecognized_keys" ? `${where}: unknown key(s) ${issue.keys.join(", ")}` : `${where}: ${issue.message}`);
        }
        continue;
      }
      const values = result.data as Record<string, unknown>;
      if (typeof values.adoptId === "string") {
        if (typeof values.count === "number" && values.count > 1) {
          problems.push(`${path}.count: must be at most 1 with adoptId (one object can be adopted once)`);
        }
        const owner = adopters.get(`${name}:${values.adoptId}`);
        if (owner) problems.push(`${path}.adoptId: ${owner}.adoptId adopts the same object`);
        else adopters.set(`${name}:${values.adoptId}`, path);
      }
      for (const [ref, target] of Object.entries(section.refs)) {
        const keys = values[ref] === undefined ? [] : target.many ? (values[ref] as string[]) : [values[ref] as string];
        for (const k of keys) {
          if (!parsed[target.section]?.[k]) problems.push(`${path}.${ref}: no ${target.section} entry "${k}"`);
        }
        if (values[ref] !== undefined && values[target.input] !== undefined) {
          problems.push(`${path}.${ref}: give either ${ref} or ${target.input}, not both`);
        }
      }
      for (const env of section.envInputs ?? []) {
        for (const [envKey, value] of Object.entries((values[env] as Record<string, unknown>) ?? {})) {
          if (typeof value === "object" && !parsed.secrets?.[(value as { secret: string }).secret]) {
            problems.push(`${path}.${env}.${envKey}: no secrets entry "${(value as { secret: string }).secret}"`);
          }
        }
      }
    }
  }
  if (problems.length) throw new FleetConfigError(problems);
  return parsed;
}

/** The resources a fleet declared, by section and logical name. */
export type FleetResources = Record<SectionName, Record<string, pulumi.CustomResource>>;

/**
 * Declares every resource of a validated fleet. Pod entries with `count: n` become `<key>-0` …
 * `<key>-(n-1)`, so scaling a group only adds or removes the tail.
 */
export function deployFleet(fleetInput: unknown, secrets: pulumi.Input<FleetSecrets> = {}, opts: pulumi.CustomResourceOptions = {}): FleetResources {
  const fleet = validateFleet(fleetInput);
  const secretConfig = pulumi.secret(pulumi.output(secrets));
  const made = Object.fromEntries(ORDER.map((s) => [s, {}])) as FleetResources;
  const byKey = Object.fromEntries(ORDER.map((s) => [s, {}])) as Record<SectionName, Record<string, pulumi.CustomResource>>;

  for (const name of ORDER) {
    const section: Section = SECTIONS[name];
    const cls = resourceClass(section.kind);
    for (const [key, entry] of Object.entries(fleet[name] ?? {})) {
      const args: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(entry)) {
        const ref = section.refs[field];
        if (ref) {
          const ids = (ref.many ? (value as string[]) : [value as string]).map((k) => byKey[ref.section][k].id);
          args[ref.input] = ref.many ? ids : ids[0];
          if (ref.revision && !ref.many) args[ref.revision] = (byKey[ref.section][value as string] as Template).revision;
        } else if (section.envInputs?.includes(field)) {
          args[field] = Object.fromEntries(
            Object.entries(value as Record<string, unknown>).map(([k, v]) =>
              typeof v === "object" ? [k, secretRef(byKey.secrets[(v as { secret: string }).secret] as Secret)] : [k, v],
            ),
          );
        } else if (field !== "count") {
          args[field] = value;
        }
      }
      if (section.secretInput) {
        const secretSection = name as "secrets" | "registries";
        args[section.secretInput] = secretConfig.apply((all) => {
          const value = all?.[secretSection]?.[key];
          if (value === undefined) {
            throw new FleetConfigError([
              `fleetSecrets.${name}.${key}: missing; set it with \`pulumi config set --secret --path 'fleetSecrets.${name}.${key}' <value>\``,
            ]);
          }
          return value;
        });
      }
      const count = section.counted ? ((entry.count as number | undefined) ?? 1) : undefined;
      if (count === undefined) {
        byKey[name][key] = made[name][key] = new cls(key, args, opts);
      } else {
        for (let i = 0; i < count; i++) made[name][`${key}-${i}`] = new cls(`${key}-${i}`, args, opts);
        if (count > 0) byKey[name][key] = made[name][`${key}-0`];
      }
    }
  }
  return made;
}

function resourceClass(kind: Kind): new (name: string, args: object, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource {
  return kindEntry(kind).resourceClass() as unknown as new (name: string, args: object, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;
}
