import * as pulumi from "@pulumi/pulumi";
import { RunpodResource, ResourceOutputs } from "../../resource";
import { loose } from "../../schema/fields";
import type { DataCenterId } from "../../schema/enums";
import { spec } from "./fields";
import type { AdoptArgs } from "../../schema/adopt";

/** Inputs of a {@link NetworkVolume}. */
export interface NetworkVolumeArgs extends AdoptArgs {
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
  dataCenterId: pulumi.Input<DataCenterId>;
  /**
   * Storage tier, REST v2 only: `STANDARD` or `HIGH_PERFORMANCE`. Omitted: the data centre's
   * default tier. Immutable: changing it replaces the volume.
   */
  type?: pulumi.Input<"STANDARD" | "HIGH_PERFORMANCE">;
}

/**
 * A Runpod network volume: persistent storage in one data centre that pods and serverless
 * endpoints mount. Its data outlives them, so this resource never replaces a volume to make it
 * smaller; protect important volumes with `protect: true` as well.
 *
 * Reads itself by id for refresh. To take over an existing one, give its id as `adoptId` (Pulumi's
 * import does not reach dynamic providers yet: see the README).
 */
export class NetworkVolume extends RunpodResource implements ResourceOutputs<NetworkVolumeArgs, object> {
  /** Volume name. */
  declare readonly name: pulumi.Output<string>;
  /** Size in GB. */
  declare readonly size: pulumi.Output<number>;
  /** Data centre. */
  declare readonly dataCenterId: pulumi.Output<string>;
  /** Storage tier (REST v2 reports it; on v1 it stays as configured). */
  declare readonly type: pulumi.Output<"STANDARD" | "HIGH_PERFORMANCE" | undefined>;

  constructor(name: string, args: NetworkVolumeArgs, opts?: pulumi.CustomResourceOptions) {
    super(loose(spec), name, args, opts);
  }
}
