import { z } from "zod";
import type { V1, V2 } from "../../api";
import { dataCenterId, enumOf, resourceName, wholeNumber } from "../../schema/common";
import { FieldTable, Plain, ResourceSpec } from "../../schema/fields";
import type { NetworkVolumeArgs } from "./args";
import { ADOPT_FIELDS } from "../../schema/adopt";

export type NetworkVolumeInputs = Plain<NetworkVolumeArgs>;
export interface NetworkVolumeApis {
  v2: V2["NetworkVolume"];
  v1: V1["NetworkVolume"];
}

const fields: FieldTable<NetworkVolumeInputs, NetworkVolumeApis> = {
  ...ADOPT_FIELDS,
  name: {
    description: "volume name",
    schema: resourceName,
    wires: { v2: { path: "name", change: "update" }, v1: { path: "name", change: "update" } },
  },
  size: {
    description: "size in GB",
    schema: wholeNumber,
    growOnly: { reason: "Runpod network volumes only grow; to use less space create a new volume and move the data" },
    wires: {
      // Limits from each spec's CreateNetworkVolume schema.
      v2: { path: "size", change: "update", schema: z.number().min(10, "must be at least 10 GB").max(4096, "must be at most 4096 GB") },
      v1: { path: "size", change: "update", schema: z.number().min(0, "must be at least 0 GB").max(4000, "must be at most 4000 GB") },
    },
  },
  dataCenterId: {
    description: "data centre",
    schema: dataCenterId,
    wires: { v2: { path: "dataCenter", change: "replace" }, v1: { path: "dataCenterId", change: "replace" } },
  },
  type: {
    description: "storage tier",
    schema: enumOf(["STANDARD", "HIGH_PERFORMANCE"]),
    wires: { v2: { path: "type", change: "replace" } },
  },
};

export const spec: ResourceSpec<NetworkVolumeInputs, NetworkVolumeApis> = {
  kind: "networkVolume",
  typeName: "NetworkVolume",
  fields,
  autoName: { maxLength: 191 },
  rules: (inputs) => [
    ...(inputs.size === undefined ? [{ property: "size", reason: "size: required" }] : []),
    ...(inputs.dataCenterId === undefined ? [{ property: "dataCenterId", reason: "dataCenterId: required" }] : []),
  ],
};
