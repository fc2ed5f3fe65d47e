import * as pulumi from "@pulumi/pulumi";
import { RunpodResource, ResourceOutputs } from "../../resource";
import { loose } from "../../schema/fields";
import type { CudaVersion } from "../../schema/enums";
import { TemplateComputed, spec } from "./fields";
import type { AdoptArgs } from "../../schema/adopt";

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
export interface TemplateArgs extends AdoptArgs {
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
  /** Container disk in GB (ephemeral: wiped when the pod restarts). 1 to 1024. Runpod's default: 50. */
  containerDiskInGb?: pulumi.Input<number>;
  /**
   * Volume disk in GB (persists across restarts). REST v1 defaults to 20 (0 for serverless
   * templates); on REST v2 it is the template's persistent mount, which is 0 (none) or at least
   * 10 GB, and omitted means none. Serverless templates must keep it 0. On REST v2 going from a
   * volume back to 0 replaces the template (v2's PATCH cannot remove a mount). At most 4096 GB.
   */
  volumeInGb?: pulumi.Input<number>;
  /** Absolute path the volume is mounted at, e.g. `/workspace`. Needs `volumeInGb` > 0 on both wires (≥ 10 on REST v2). */
  volumeMountPath?: pulumi.Input<string>;
  /** Exposed ports, each `<port>/http` or `<port>/tcp`, e.g. `["8888/http", "22/tcp"]`. Each port number once (`8888/http` and `8888/tcp` clash; leading zeros are dropped); at most 10 HTTP ports (Runpod's console limit). */
  ports?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Environment variables. Reference Runpod secrets with {@link secretRef} (`{{ RUNPOD_SECRET_<name> }}`)
   * instead of putting secret values here: template env is not secret.
   * A `{{ RUNPOD_SECRET_<name> }}` reference must be well-formed (checked at preview) and name a secret the account has (checked before the create is sent; error code `missing_secret`).
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
  allowedCudaVersions?: pulumi.Input<pulumi.Input<CudaVersion>[]>;
}

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
 * Runpod applies a template to a pod or endpoint once, at create. To roll a template change out
 * to them, pass {@link Template.revision} as their `templateRevision` (the fleet does it).
 *
 * Reads itself by id (refresh, and import once Pulumi supports it for dynamic providers: see the
 * README's known limits; `adoptId` takes over an existing one). On REST v2 a start command read back
 * arrives as `dockerStartCmd`.
 */
export class Template extends RunpodResource implements ResourceOutputs<TemplateArgs, TemplateComputed> {
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
  /**
   * A digest of what the template applies to pods and endpoints: image, start command, container
   * disk, env, ports and registry credential (not its name, readme, visibility, category, volume,
   * SSH/Jupyter or CUDA settings). Runpod applies a template only when a pod or endpoint is
   * created from it; give this to their `templateRevision` and a new revision re-applies the
   * template to them in place, keeping their own overrides on top.
   */
  declare readonly revision: pulumi.Output<string>;

  constructor(name: string, args: TemplateArgs, opts?: pulumi.CustomResourceOptions) {
    super(loose(spec), name, args, opts);
  }
}
