import { z } from "zod";
import type { V1, V2 } from "../../api";
import {
  absolutePath,
  bool,
  containerDisk,
  cudaVersion,
  distinctList,
  enumOf,
  envMap,
  exposedPorts,
  imageRef,
  resourceName,
  runpodId,
  text,
  volumeDisk,
} from "../../schema/common";
import { cudaFailures } from "../../catalog/rules";
import { commandWords, writeV2Args } from "../../schema/container";
import {
  CatalogRules,
  CheckFailure,
  ComputedTable,
  FieldTable,
  JsonObject,
  Plain,
  ResourceSpec,
  RuleContext,
  WIRE_LABEL,
  containsUnknown,
} from "../../schema/fields";
import type { TemplateArgs } from "./args";
import { ADOPT_FIELDS } from "../../schema/adopt";
import { revisionOf } from "./revision";

/** A template's inputs as check, diff, the table and the handler see them. */
export type TemplateInputs = Plain<TemplateArgs>;
/** A template as each REST wire answers it. */
export interface TemplateApis {
  v2: V2["Template"];
  v1: V1["Template"];
}

/** Outputs of a {@link Template} that are not inputs. */
export interface TemplateComputed {
  /**
   * A digest of what the template applies to pods and endpoints (image, start command, container
   * disk, env, ports, registry credential): pass it as their `templateRevision` so that a new
   * revision re-applies the template to them in place.
   */
  revision: string;
}

const computed: ComputedTable<TemplateComputed, TemplateApis> = {
  revision: { v2: (t) => revisionOf("v2", t), v1: (t) => revisionOf("v1", t) },
};

/** v2 keeps the persistent volume as `mounts.persistent {size, path}`; both fields write it whole. */
function writeMount(body: JsonObject, _value: unknown, inputs: TemplateInputs): void {
  if (typeof inputs.volumeInGb === "number" && inputs.volumeInGb > 0) {
    body.mounts = { persistent: { size: inputs.volumeInGb, path: inputs.volumeMountPath ?? "/workspace" } };
  }
}

/** v2's persistent mount size; a template answer with `mounts` but no persistent entry has none (0). */
function readMountSize(template: V2["Template"]): number | undefined {
  // `mounts` is required by the spec, but a sparse answer must not read as "no volume".
  const mounts: V2["TemplateMounts"] | undefined = template.mounts;
  return mounts?.persistent?.size ?? (mounts ? 0 : undefined);
}

const fields: FieldTable<TemplateInputs, TemplateApis> = {
  ...ADOPT_FIELDS,
  name: {
    description: "template name (unique in the account)",
    schema: resourceName,
    wires: { v2: { path: "name", change: "update" }, v1: { path: "name", change: "update" } },
  },
  imageName: {
    description: "container image",
    schema: imageRef,
    wires: { v2: { path: "image", change: "update" }, v1: { path: "imageName", change: "update" } },
  },
  category: {
    description: "template category",
    schema: enumOf(["NVIDIA", "AMD", "CPU"]),
    // v1's UpdateTemplate schema has no category.
    wires: { v2: { path: "category", change: "update" }, v1: { path: "category", change: "replace" } },
  },
  containerDiskInGb: {
    description: "container disk in GB",
    schema: containerDisk(1),
    wires: { v2: { path: "disk", change: "update" }, v1: { path: "containerDiskInGb", change: "update" } },
  },
  volumeInGb: {
    description: "volume disk in GB",
    schema: volumeDisk,
    wires: {
      v2: {
        change: "update",
        write: writeMount,
        read: readMountSize,
        schema: z.number().refine((n) => n === 0 || n >= 10, "must be 0 (no persistent volume) or at least 10 GB"),
        replaceIf: {
          when: (old, next) => typeof old === "number" && old > 0 && next === 0,
          reason: "Runpod's REST v2 cannot remove a template's persistent mount in place (an update that omits mounts keeps it)",
        },
      },
      v1: { path: "volumeInGb", change: "update" },
    },
  },
  volumeMountPath: {
    description: "volume mount path",
    schema: absolutePath,
    wires: {
      v2: { change: "update", write: writeMount, read: (t) => t.mounts?.persistent?.path },
      v1: { path: "volumeMountPath", change: "update" },
    },
  },
  ports: {
    description: "exposed ports",
    schema: exposedPorts,
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
    wires: { v2: { change: "update", write: writeV2Args, writeOnly: true }, v1: { path: "dockerEntrypoint", change: "update" } },
  },
  dockerStartCmd: {
    description: "start command override",
    schema: commandWords,
    wires: { v2: { change: "update", write: writeV2Args, writeOnly: true }, v1: { path: "dockerStartCmd", change: "update" } },
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
        // v1's UpdateTemplate schema has no isServerless.
        change: "replace",
        // v1 defaults volumeInGb to 20, which Runpod documents as wrong for serverless templates.
        write: (body, value, inputs) => {
          body.isServerless = value;
          if (value && inputs.volumeInGb === undefined) body.volumeInGb = 0;
        },
      },
    },
  },
  readme: {
    description: "markdown readme",
    schema: text,
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
    schema: distinctList(cudaVersion, "CUDA version"),
    wires: { v2: { path: "allowedCudaVersions", change: "update" } },
    unsupportedHint: {
      v1: "REST v1 templates cannot restrict CUDA versions (v1 pods and endpoints take allowedCudaVersions themselves); remove it or switch runpod:apiVersion to v2",
    },
  },
};

function rules(inputs: TemplateInputs, { wire }: RuleContext<TemplateInputs>): CheckFailure[] {
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
  // v2 drops a mount path without a volume; v1 quietly gives the template its default 20 GB
  // volume disk for it. Neither is what a path alone meant, so both wires say so.
  if (inputs.volumeMountPath !== undefined && !(typeof volume === "number" && volume > 0) && !containsUnknown(volume)) {
    failures.push({
      property: "volumeMountPath",
      reason:
        wire === "v2"
          ? `volumeMountPath: on ${WIRE_LABEL.v2} the mount path belongs to the template's persistent mount; set volumeInGb (at least 10) as well, or remove volumeMountPath`
          : `volumeMountPath: mounts nothing without volumeInGb (${WIRE_LABEL.v1} would quietly create a 20 GB volume disk for it); set volumeInGb as well, or remove volumeMountPath`,
    });
  }
  return failures;
}

/** A CUDA version no machine Runpod offers runs would keep every pod of the template from placing. */
const catalog: CatalogRules<TemplateInputs> = {
  fields: ["allowedCudaVersions"],
  check: (inputs, view) => cudaFailures("allowedCudaVersions", inputs.allowedCudaVersions, view),
};

export const spec: ResourceSpec<TemplateInputs, TemplateApis, TemplateComputed> = {
  kind: "template",
  typeName: "Template",
  fields,
  computed,
  autoName: { maxLength: 191 },
  uniqueNames: true,
  rules,
  catalog,
};
