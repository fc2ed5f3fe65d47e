import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { RunpodApiError } from "../../client/errors";
import { RunpodResource } from "../../resource";
import type { OperationContext } from "../../runtime/context";
import { RestHandler } from "../../runtime/rest";
import { envMap, nonEmptyString, port, resourceName, runpodId, wholeNumber } from "../../schema/common";
import { outputsFrom } from "../../schema/derive";
import { CheckFailure, FieldTable, ResourceSpec, WIRE_LABEL, containsUnknown, loose } from "../../schema/fields";
import { commandWords, readContainerDrift, writeV2Args } from "../../schema/container";

// Legacy, untyped view of this resource until it is split into typed role files.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Props = Record<string, any>;
type LegacyApis = { v2: Props; v1: Props };
type LegacyTable = FieldTable<Props, LegacyApis>;
type LegacySpec = ResourceSpec<Props, LegacyApis, Props>;

/** Template categories (Runpod: grouping in the console; it does not select hardware). */
export type TemplateCategory = "NVIDIA" | "AMD" | "CPU";

/**
 * Inputs of a {@link Template}. Field names are REST v1's; the provider maps them onto the active
 * wire (`runpod:apiVersion`). A field the active wire cannot express fails `pulumi preview` with a
 * message naming the field and the wire; nothing is silently dropped.
 *
 * A field left out of the program keeps whatever Runpod has (its default on create), so removing
 * a field from the program never changes the template.
 */
export interface TemplateArgs {
  /**
   * Template name; Runpod requires it to be unique in the account. Defaults to the logical name
   * plus a random suffix, which lets a replacement create the new template before deleting the
   * old one. With an explicit name a replacement deletes the old template first.
   */
  name?: pulumi.Input<string>;
  /** Container image, e.g. `runpod/pytorch:2.1.0-py3.10-cuda11.8.0-devel-ubuntu22.04`. Required. */
  imageName: pulumi.Input<string>;
  /**
   * `NVIDIA` (Runpod's default), `AMD` or `CPU`. Updated in place on REST v2; REST v1 cannot
   * update it, so there a change replaces the template.
   */
  category?: pulumi.Input<TemplateCategory>;
  /** Container disk in GB (ephemeral: wiped when the pod restarts). At least 1. Runpod's default: 50. */
  containerDiskInGb?: pulumi.Input<number>;
  /**
   * Volume disk in GB (persists across restarts). REST v1 defaults to 20 (0 for serverless
   * templates); on REST v2 it is the template's persistent mount, which is 0 (none) or at least
   * 10 GB, and omitted means none. Serverless templates must keep it 0. On REST v2 going from a
   * volume back to 0 replaces the template (v2's PATCH cannot remove a mount).
   */
  volumeInGb?: pulumi.Input<number>;
  /** Absolute path the volume is mounted at, e.g. `/workspace`. On REST v2 it needs `volumeInGb` ≥ 10. */
  volumeMountPath?: pulumi.Input<string>;
  /** Exposed ports, each `<port>/http` or `<port>/tcp`, e.g. `["8888/http", "22/tcp"]`. */
  ports?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Environment variables. Reference Runpod secrets with {@link secretRef} (`{{ RUNPOD_SECRET_<name> }}`)
   * instead of putting secret values here: template env is not secret.
   */
  env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Overrides the image's ENTRYPOINT (REST v1). REST v2 has no entrypoint override, only one
   * `args` string: the provider sends `dockerEntrypoint` followed by `dockerStartCmd` as that
   * string, each word shell-quoted (a word with spaces, quotes or `$` is single-quoted). On v2 the image's own ENTRYPOINT,
   * if it has one, therefore still runs and receives these words as arguments; for images that
   * define only CMD (Runpod's official images) the result is the same as on v1.
   */
  dockerEntrypoint?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Overrides the image's start command (CMD). On REST v2 it becomes the `args` string (after
   * `dockerEntrypoint`, words shell-quoted); an `args` changed outside Pulumi reads back as
   * `dockerStartCmd` split with shell rules.
   */
  dockerStartCmd?: pulumi.Input<pulumi.Input<string>[]>;
  /** Id (not name) of a {@link ContainerRegistryAuth} for a private image: `registryAuth.id`. */
  containerRegistryAuthId?: pulumi.Input<string>;
  /** Visible to every Runpod user. Runpod's default: false. */
  isPublic?: pulumi.Input<boolean>;
  /**
   * A serverless worker template (true) or a pod template (false, the default). Updated in place
   * on REST v2; REST v1 cannot update it, so there a change replaces the template.
   */
  isServerless?: pulumi.Input<boolean>;
  /** Markdown shown in the console. REST v1 only: REST v2 templates have no readme. */
  readme?: pulumi.Input<string>;
  /** Provision SSH in containers (injects `PUBLIC_KEY`). REST v2 only; Runpod's default: true. */
  startSsh?: pulumi.Input<boolean>;
  /** Start JupyterLab in containers (injects `JUPYTER_PASSWORD`). REST v2 only; Runpod's default: true. */
  startJupyter?: pulumi.Input<boolean>;
  /** Acceptable host CUDA versions as `major.minor`, e.g. `["12.8", "12.6"]`. REST v2 only. */
  allowedCudaVersions?: pulumi.Input<pulumi.Input<string>[]>;
}

const unique = <T extends z.ZodTypeAny>(item: T, what: string) =>
  z.array(item).superRefine((items, ctx) => {
    const seen = new Set<unknown>();
    items.forEach((value, i) => {
      if (seen.has(value)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i], message: `duplicate ${what} ${JSON.stringify(value)}` });
      seen.add(value);
    });
  });

const bool = z.boolean({ invalid_type_error: "must be true or false" });

/** v2 keeps the persistent volume as `mounts.persistent {size, path}`; both fields write it whole. */
function writeMount(body: Props, _value: unknown, inputs: Props): void {
  if (typeof inputs.volumeInGb === "number" && inputs.volumeInGb > 0) {
    body.mounts = { persistent: { size: inputs.volumeInGb, path: inputs.volumeMountPath ?? "/workspace" } };
  }
}

const fields: LegacyTable = {
  name: {
    description: "template name (unique in the account)",
    schema: resourceName,
    wires: { v2: { path: "name", change: "update" }, v1: { path: "name", change: "update" } },
  },
  imageName: {
    description: "container image",
    schema: nonEmptyString,
    wires: { v2: { path: "image", change: "update" }, v1: { path: "imageName", change: "update" } },
  },
  category: {
    description: "template category",
    schema: z.enum(["NVIDIA", "AMD", "CPU"], { errorMap: () => ({ message: 'must be "NVIDIA", "AMD" or "CPU"' }) }),
    wires: { v2: { path: "category", change: "update" }, v1: { path: "category", change: "replace" } },
  },
  containerDiskInGb: {
    description: "container disk in GB",
    schema: wholeNumber.min(1, "must be at least 1 GB"),
    wires: { v2: { path: "disk", change: "update" }, v1: { path: "containerDiskInGb", change: "update" } },
  },
  volumeInGb: {
    description: "volume disk in GB",
    schema: wholeNumber.min(0, "must not be negative"),
    wires: {
      v2: {
        change: "update",
        write: writeMount,
        read: (t) => t.mounts?.persistent?.size ?? (t.mounts ? 0 : undefined),
        schema: z.number().refine((n) => n === 0 || n >= 10, "must be 0 (no persistent volume) or at least 10 GB"),
        replaceIf: { when: (old, next) => typeof old === "number" && old > 0 && next === 0, reason: "REST v2 cannot remove a template's persistent volume by an update" },
      },
      v1: { path: "volumeInGb", change: "update" },
    },
  },
  volumeMountPath: {
    description: "volume mount path",
    schema: z.string({ invalid_type_error: "must be a string" }).regex(/^\/\S*$/, 'must be an absolute path such as "/workspace"'),
    wires: {
      v2: { change: "update", write: writeMount, read: (t) => t.mounts?.persistent?.path },
      v1: { path: "volumeMountPath", change: "update" },
    },
  },
  ports: {
    description: "exposed ports",
    schema: unique(port, "port"),
    wires: { v2: { path: "ports", change: "update" }, v1: { path: "ports", change: "update" } },
  },
  env: {
    description: "environment variables",
    schema: envMap,
    wires: { v2: { path: "env", change: "update" }, v1: { path: "env", change: "update" } },
  },
  dockerEntrypoint: {
    description: "entrypoint override",
    schema: commandWords,
    // v2: joined into `args` with dockerStartCmd; read back by the handler's outputs().
    wires: { v2: { change: "update", write: writeV2Args, writeOnly: true as const }, v1: { path: "dockerEntrypoint", change: "update" } },
  },
  dockerStartCmd: {
    description: "start command override",
    schema: commandWords,
    wires: { v2: { change: "update", write: writeV2Args, writeOnly: true as const }, v1: { path: "dockerStartCmd", change: "update" } },
  },
  containerRegistryAuthId: {
    description: "container registry auth id",
    schema: runpodId,
    wires: { v2: { path: "registry", change: "update" }, v1: { path: "containerRegistryAuthId", change: "update" } },
  },
  isPublic: {
    description: "public visibility",
    schema: bool,
    wires: { v2: { path: "public", change: "update" }, v1: { path: "isPublic", change: "update" } },
  },
  isServerless: {
    description: "serverless worker template",
    schema: bool,
    wires: {
      v2: { path: "serverless", change: "update" },
      v1: {
        path: "isServerless",
        change: "replace",
        // v1 defaults volumeInGb to 20, which Runpod documents as wrong for serverless templates.
        write: (body, value, inputs) => {
          body.isServerless = value;
          if (value === true && inputs.volumeInGb === undefined) body.volumeInGb = 0;
        },
      },
    },
  },
  readme: {
    description: "markdown readme",
    schema: z.string({ invalid_type_error: "must be a string" }),
    wires: { v1: { path: "readme", change: "update" } },
    unsupportedHint: { v2: "REST v2 templates have no readme; remove it or switch runpod:apiVersion to v1" },
  },
  startSsh: {
    description: "provision SSH",
    schema: bool,
    wires: { v2: { path: "startSsh", change: "update" } },
    unsupportedHint: { v1: "REST v1 templates have no startSsh flag; remove it or switch runpod:apiVersion to v2" },
  },
  startJupyter: {
    description: "start JupyterLab",
    schema: bool,
    wires: { v2: { path: "startJupyter", change: "update" } },
    unsupportedHint: { v1: "REST v1 templates have no startJupyter flag; remove it or switch runpod:apiVersion to v2" },
  },
  allowedCudaVersions: {
    description: "allowed CUDA versions",
    schema: unique(z.string({ invalid_type_error: "must be a string" }).regex(/^\d+\.\d+$/, 'must be a CUDA version "major.minor", e.g. "12.8"'), "CUDA version"),
    wires: { v2: { path: "allowedCudaVersions", change: "update" } },
    unsupportedHint: {
      v1: "REST v1 templates cannot restrict CUDA versions (v1 pods and endpoints take allowedCudaVersions themselves); remove it or switch runpod:apiVersion to v2",
    },
  },
};

function rules(inputs: Props, { wire }: { wire: "v1" | "v2" }): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (inputs.imageName === undefined) failures.push({ property: "imageName", reason: "imageName: required" });
  const volume = inputs.volumeInGb;
  if (inputs.isServerless === true && typeof volume === "number" && volume > 0) {
    failures.push({
      property: "volumeInGb",
      reason:
        `volumeInGb: must be 0 for a serverless template (got ${volume}): Runpod documents that serverless workers ` +
        `have no volume disk; attach a network volume to the endpoint instead`,
    });
  }
  if (wire === "v2" && inputs.volumeMountPath !== undefined && !(typeof volume === "number" && volume > 0) && !containsUnknown(volume)) {
    failures.push({
      property: "volumeMountPath",
      reason: `volumeMountPath: on ${WIRE_LABEL.v2} the mount path belongs to the template's persistent mount; set volumeInGb (at least 10) as well, or remove volumeMountPath`,
    });
  }
  return failures;
}

export const spec: LegacySpec = {
  kind: "template",
  typeName: "Template",
  fields,
  autoName: { maxLength: 191 },
  uniqueNames: true,
  rules,
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runpod refuses to delete a template that a pod or endpoint uses (and for ~2 minutes after). */
export function isTemplateInUse(error: unknown): error is RunpodApiError {
  if (!(error instanceof RunpodApiError)) return false;
  if (error.status !== 400 && error.status !== 409) return false;
  const text = [error.apiMessage, ...error.details].join(" ");
  return /in use|being used|used by|still use|referenced|assigned|bound to/i.test(text);
}

/** Template CRUD: the field table plus v2's `args`/null-registry reading and the in-use delete retry. */
export class TemplateHandler extends RestHandler<Props, LegacyApis> {
  protected override outputs(ctx: OperationContext, apiObject: Props, prior: Props): Props {
    const outs = outputsFrom(this.spec, ctx.wire, apiObject, prior);
    if (apiObject?.id === undefined) return outs; // not a template object (empty update answer)
    readContainerDrift(ctx.wire, apiObject, prior, outs);
    return outs;
  }

  /**
   * DELETE, retried with exponential backoff while Runpod answers that the template is in use,
   * for at most `runpod:templateDeleteTimeoutSeconds`; then fails naming the cause.
   */
  protected override async deleteObject(ctx: OperationContext, id: string, _props: Props): Promise<void> {
    const path = `${this.routesFor(ctx.wire).collection}/${encodeURIComponent(id)}`;
    const bound = ctx.settings.templateDeleteTimeoutMs;
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        await ctx.http.rest({ method: "DELETE", path });
        return;
      } catch (e) {
        if (!isTemplateInUse(e)) throw e;
        const remaining = started + bound - Date.now();
        if (remaining <= 0) {
          throw new RunpodApiError({
            status: e.status,
            method: "DELETE",
            path,
            apiMessage:
              `template ${id} is still in use by a pod or serverless endpoint; Runpod refused the delete ${attempt + 1} ` +
              `time(s) over ${Math.round((Date.now() - started) / 100) / 10}s (last answer: ${e.apiMessage}). ` +
              `Runpod allows deleting a template only once no pod or endpoint uses it, and up to about 2 minutes after ` +
              `the last use: remove or re-point those pods/endpoints and run again, or raise runpod:templateDeleteTimeoutSeconds ` +
              `(now ${bound / 1000}s).`,
          });
        }
        const base = Math.max(1, ctx.settings.pollIntervalMs) * 2 ** Math.min(attempt, 20);
        const delay = Math.min(ctx.settings.maxRetryDelayMs || base, base) * (0.5 + Math.random() / 2);
        await sleep(Math.min(remaining, delay));
      }
    }
  }
}

export const handler = new TemplateHandler(spec, {
  v2: { collection: "/templates", listKey: "templates", updatable: true },
  // v1 hides templates bound to serverless endpoints unless asked.
  v1: { collection: "/templates", updatable: true, getQuery: { includeEndpointBoundTemplates: true } },
});

/**
 * A Runpod template: the image, disks, ports, env and start command that pods and serverless
 * endpoints are created from (`templateId`). Names are unique on Runpod, so an omitted name is
 * auto-generated and a replacement that keeps an explicit name deletes the old template first.
 *
 * REST v2 (default) updates every field in place; REST v1 cannot update `category` or
 * `isServerless`, so there those replace. Deleting a template that a pod or endpoint still uses
 * is retried (Runpod refuses for up to ~2 minutes after the last use) for at most
 * `runpod:templateDeleteTimeoutSeconds` (default 180), then fails naming the cause.
 *
 * Reads itself by id (refresh, and import once Pulumi supports it for dynamic providers: see the
 * README's known limits). On REST v2 a start command read back arrives as `dockerStartCmd`.
 */
export class Template extends RunpodResource {
  /** Template name. */
  declare readonly name: pulumi.Output<string>;
  /** Container image. */
  declare readonly imageName: pulumi.Output<string>;
  /** Category: NVIDIA, AMD or CPU. */
  declare readonly category: pulumi.Output<TemplateCategory>;
  /** Container disk in GB. */
  declare readonly containerDiskInGb: pulumi.Output<number>;
  /** Volume disk in GB (0: none). */
  declare readonly volumeInGb: pulumi.Output<number>;
  /** Volume mount path. */
  declare readonly volumeMountPath: pulumi.Output<string | undefined>;
  /** Exposed ports. */
  declare readonly ports: pulumi.Output<string[]>;
  /** Environment variables. */
  declare readonly env: pulumi.Output<Record<string, string>>;
  /** Entrypoint override (as configured; on REST v2 see {@link TemplateArgs.dockerEntrypoint}). */
  declare readonly dockerEntrypoint: pulumi.Output<string[] | undefined>;
  /** Start command override. */
  declare readonly dockerStartCmd: pulumi.Output<string[] | undefined>;
  /** Registry auth id; `""` when Runpod cleared the reference (its registry auth was deleted). */
  declare readonly containerRegistryAuthId: pulumi.Output<string | undefined>;
  /** Public visibility. */
  declare readonly isPublic: pulumi.Output<boolean>;
  /** Serverless worker template. */
  declare readonly isServerless: pulumi.Output<boolean>;
  /** Readme (REST v1). */
  declare readonly readme: pulumi.Output<string | undefined>;
  /** SSH provisioning (REST v2). */
  declare readonly startSsh: pulumi.Output<boolean | undefined>;
  /** JupyterLab start (REST v2). */
  declare readonly startJupyter: pulumi.Output<boolean | undefined>;
  /** Allowed CUDA versions (REST v2). */
  declare readonly allowedCudaVersions: pulumi.Output<string[] | undefined>;

  constructor(name: string, args: TemplateArgs, opts?: pulumi.CustomResourceOptions) {
    super(loose(spec), name, args, opts);
  }
}
