import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { RunpodResource } from "../resource";
import { RestResource } from "../runtime/handler";
import { dataCenterId, resourceName, wholeNumber } from "../schema/common";
import { FieldTable, ResourceSpec } from "../schema/fields";

/** Inputs of a {@link NetworkVolume}. */
export interface NetworkVolumeArgs {
  /**
   * Human-readable name (Runpod does not require it to be unique). Defaults to the resource's
   * logical name plus a random suffix. Changing it renames the volume in place.
   */
  name?: pulumi.Input<string>;
  /**
   * Size in GB: 10–4096 on REST v2, 0–4000 on REST v1. Can be raised in place; it can never be
   * lowered (Runpod cannot shrink a volume), and a lower value fails `pulumi preview` instead of
   * replacing the volume, which would destroy its data.
   */
  size: pulumi.Input<number>;
  /** Data centre, e.g. `EU-RO-1`. Changing it creates a new, empty volume (replacement). */
  dataCenterId: pulumi.Input<string>;
  /**
   * Storage tier, REST v2 only: `STANDARD` or `HIGH_PERFORMANCE`. Omitted: the data centre's
   * default tier. Immutable: changing it replaces the volume.
   */
  type?: pulumi.Input<"STANDARD" | "HIGH_PERFORMANCE">;
}

const fields: FieldTable = {
  name: {
    description: "volume name",
    schema: resourceName,
    wires: { v2: { path: "name", inPlace: true }, v1: { path: "name", inPlace: true } },
  },
  size: {
    description: "size in GB",
    schema: wholeNumber,
    growOnly: { reason: "Runpod network volumes only grow; to use less space create a new volume and move the data" },
    wires: {
      v2: { path: "size", inPlace: true, schema: z.number().min(10, "must be at least 10 GB").max(4096, "must be at most 4096 GB") },
      v1: { path: "size", inPlace: true, schema: z.number().min(0, "must be at least 0 GB").max(4000, "must be at most 4000 GB") },
    },
  },
  dataCenterId: {
    description: "data centre",
    schema: dataCenterId,
    wires: { v2: { path: "dataCenter", inPlace: false }, v1: { path: "dataCenterId", inPlace: false } },
  },
  type: {
    description: "storage tier",
    schema: z.enum(["STANDARD", "HIGH_PERFORMANCE"], { errorMap: () => ({ message: 'must be "STANDARD" or "HIGH_PERFORMANCE"' }) }),
    wires: { v2: { path: "type", inPlace: false } },
  },
} satisfies Record<keyof NetworkVolumeArgs, unknown>;

export const spec: ResourceSpec = {
  kind: "networkVolume",
  typeName: "NetworkVolume",
  fields,
  autoName: { maxLength: 191 },
  rules: (inputs) => (inputs.size === undefined ? [{ property: "size", reason: "size: required" }] : []).concat(
    inputs.dataCenterId === undefined ? [{ property: "dataCenterId", reason: "dataCenterId: required" }] : [],
  ),
};

export const handler = new RestResource(spec, {
  v2: { collection: "/network-volumes", listKey: "networkVolumes", updatable: true },
  v1: { collection: "/networkvolumes", updatable: true },
});

/**
 * A Runpod network volume: persistent storage in one data centre that pods and serverless
 * endpoints mount. Its data outlives them, so this resource never replaces a volume to make it
 * smaller; protect important volumes with `protect: true` as well.
 *
 * Reads itself by id for refresh (import awaits Pulumi support for dynamic providers: see the README).
 */
export class NetworkVolume extends RunpodResource {
  /** Volume name. */
  declare readonly name: pulumi.Output<string>;
  /** Size in GB. */
  declare readonly size: pulumi.Output<number>;
  /** Data centre. */
  declare readonly dataCenterId: pulumi.Output<string>;
  /** Storage tier (REST v2 reports it; on v1 it stays as configured). */
  declare readonly type: pulumi.Output<string | undefined>;

  constructor(name: string, args: NetworkVolumeArgs, opts?: pulumi.CustomResourceOptions) {
    super(spec, name, args, opts);
  }
}
