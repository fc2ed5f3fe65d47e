import { z } from "zod";
import type { V1, V2 } from "../../api";
import { dataCenterFailures, known } from "../../catalog/rules";
import { dataCenterIdFormat, enumOf, resourceName, wholeNumber } from "../../schema/common";
import { CatalogRules, CheckFailure, FieldTable, Plain, ResourceSpec } from "../../schema/fields";
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
    // Which data centres exist, and which volume tiers each offers, is the catalog's answer.
    schema: dataCenterIdFormat,
    wires: { v2: { path: "dataCenter", change: "replace" }, v1: { path: "dataCenterId", change: "replace" } },
  },
  type: {
    description: "storage tier",
    schema: enumOf(["STANDARD", "HIGH_PERFORMANCE"]),
    wires: { v2: { path: "type", change: "replace" } },
  },
};

/**
 * The data centre must exist, and offer the volume tier it lists (the catalog's `networkVolumeTypes`):
 * Runpod refuses a volume a data centre cannot hold only when the create is sent.
 */
const catalog: CatalogRules<NetworkVolumeInputs> = {
  fields: ["dataCenterId", "type"],
  async check(inputs, view, { wire }) {
    const failures: CheckFailure[] = await dataCenterFailures("dataCenterId", inputs.dataCenterId, view);
    if (failures.length > 0 || !known(inputs.dataCenterId) || (inputs.type !== undefined && !known(inputs.type))) return failures;
    const offered = (await view.dataCenters()).get(inputs.dataCenterId)?.networkVolumeTypes;
    if (!Array.isArray(offered)) return failures;
    // v1 has no tier: any volume the data centre offers will do. v2 creates STANDARD unless told.
    const tier = wire === "v2" ? (inputs.type ?? "STANDARD") : undefined;
    // An empty list is not taken as "none": a sparse answer leaves it empty, and only a tier the
    // data centre is known to lack is worth failing a preview for.
    if (offered.length > 0 && tier !== undefined && !offered.includes(tier)) {
      const where = [...(await view.dataCenters()).values()].filter((d) => d.networkVolumeTypes?.includes(tier)).map((d) => d.id);
      failures.push({
        property: inputs.type === undefined ? "dataCenterId" : "type",
        reason: `${inputs.type === undefined ? "dataCenterId" : "type"}: ${inputs.dataCenterId} offers only ${offered.join(", ")} network volumes, not ${tier}${where.length ? `; ${tier} is offered in ${where.join(", ")}` : ""}`,
      });
    }
    return failures;
  },
};

export const spec: ResourceSpec<NetworkVolumeInputs, NetworkVolumeApis> = {
  kind: "networkVolume",
  typeName: "NetworkVolume",
  fields,
  autoName: { maxLength: 191 },
  catalog,
  rules: (inputs) => [
    ...(inputs.size === undefined ? [{ property: "size", reason: "size: required" }] : []),
    ...(inputs.dataCenterId === undefined ? [{ property: "dataCenterId", reason: "dataCenterId: required" }] : []),
  ],
};
