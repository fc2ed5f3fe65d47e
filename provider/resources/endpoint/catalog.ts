/**
 * The endpoint inputs Runpod's live catalog decides: serverless pools and the GPU types in them,
 * GPU types (v1), CPU flavours, data centres, CUDA versions, GPUs and vCPUs per worker.
 */
import {
  cpuFlavorFailures,
  cudaFailures,
  dataCenterFailures,
  gpuCountFailures,
  gpuTypeFailures,
  known,
  poolFailures,
  vcpuCountFailures,
} from "../../catalog/rules";
import type { CatalogView } from "../../catalog/validate";
import { ENDPOINT_CPU_FLAVOR_IDS, POD_CPU_FLAVOR_IDS } from "../../schema/enums";
import type { CatalogRules, CheckFailure } from "../../schema/fields";
import type { EndpointInputs } from "./fields";

export const catalog: CatalogRules<EndpointInputs> = {
  fields: ["gpuTypeIds", "gpuPoolIds", "excludedGpuTypeIds", "gpuCount", "cpuFlavorIds", "vcpuCount", "dataCenterIds", "allowedCudaVersions"],
  async check(inputs, view, { changed }) {
    const failures: CheckFailure[] = [];
    if (changed("gpuTypeIds")) failures.push(...(await gpuTypeFailures("gpuTypeIds", inputs.gpuTypeIds, view)));
    if (changed("gpuPoolIds")) failures.push(...(await poolFailures("gpuPoolIds", inputs.gpuPoolIds, view)));
    if (changed("excludedGpuTypeIds") || changed("gpuPoolIds")) {
      const unknownTypes = await gpuTypeFailures("excludedGpuTypeIds", inputs.excludedGpuTypeIds, view);
      failures.push(...(unknownTypes.length ? unknownTypes : await excludedOutsidePools(inputs, view)));
    }
    if (changed("gpuCount") || changed("gpuTypeIds") || changed("gpuPoolIds") || changed("excludedGpuTypeIds")) {
      failures.push(...(await gpuCountFailures("gpuCount", inputs.gpuCount, await selectedTypes(inputs, view), view)));
    }
    if (changed("cpuFlavorIds")) {
      failures.push(...(await cpuFlavorFailures("cpuFlavorIds", inputs.cpuFlavorIds, view)));
      failures.push(...podOnlyFlavors(inputs.cpuFlavorIds));
    }
    if (changed("vcpuCount") || changed("cpuFlavorIds")) failures.push(...(await vcpuCountFailures("vcpuCount", inputs.vcpuCount, inputs.cpuFlavorIds, view)));
    if (changed("dataCenterIds")) failures.push(...(await dataCenterFailures("dataCenterIds", inputs.dataCenterIds, view)));
    if (changed("allowedCudaVersions")) failures.push(...(await cudaFailures("allowedCudaVersions", inputs.allowedCudaVersions, view)));
    return failures;
  },
};

/** The GPU types workers may get: v1's list, or v2's pools minus the excluded types. */
async function selectedTypes(inputs: EndpointInputs, view: CatalogView): Promise<string[] | undefined> {
  if (known(inputs.gpuTypeIds)) return inputs.gpuTypeIds;
  if (!known(inputs.gpuPoolIds)) return undefined;
  const pools = await view.pools();
  const excluded = known(inputs.excludedGpuTypeIds) ? inputs.excludedGpuTypeIds : [];
  return inputs.gpuPoolIds.flatMap((p) => pools.get(p) ?? []).filter((t) => !excluded.includes(t));
}

/**
 * Runpod's serverless CPU workers run on the compute and general-purpose flavours only; the
 * memory-optimised ones the catalog lists are for pods (v1's spec enumerates the serverless four).
 * A deny list, so a flavour Runpod adds later is not refused here.
 */
function podOnlyFlavors(flavors: unknown): CheckFailure[] {
  if (!known(flavors) || !Array.isArray(flavors)) return [];
  const podOnly = POD_CPU_FLAVOR_IDS.filter((id) => !(ENDPOINT_CPU_FLAVOR_IDS as readonly string[]).includes(id)) as readonly string[];
  return flavors.flatMap((id: unknown, i) =>
    typeof id === "string" && podOnly.includes(id)
      ? [
          {
            property: `cpuFlavorIds.${i}`,
            reason: `cpuFlavorIds.${i}: ${JSON.stringify(id)} is a pod-only CPU flavor; serverless workers run on ${ENDPOINT_CPU_FLAVOR_IDS.join(", ")}`,
          },
        ]
      : [],
  );
}

/**
 * v2 rejects an excluded GPU type outside the chosen pools, and a selection that excludes every
 * type of them ("Keep at least one type in the selection"); pool contents come from the catalog.
 */
async function excludedOutsidePools(inputs: EndpointInputs, view: CatalogView): Promise<CheckFailure[]> {
  const pools = inputs.gpuPoolIds;
  const excluded = inputs.excludedGpuTypeIds;
  if (!known(pools) || !known(excluded) || excluded.length === 0) return [];
  const catalogPools = await view.pools();
  const failures: CheckFailure[] = [];
  if (catalogPools.size === 0) return failures; // the catalog named no pools: nothing to judge by
  const fail = (property: string, reason: string) => failures.push({ property, reason: `${property}: ${reason}` });
  const inPools = new Set(pools.flatMap((p) => catalogPools.get(p) ?? []));
  excluded.forEach((type, i) => {
    if (!inPools.has(type)) {
      const where = [...catalogPools].find(([, types]) => types.includes(type))?.[0];
      fail(
        `excludedGpuTypeIds.${i}`,
        `${JSON.stringify(type)} is in none of the chosen pools (${pools.join(", ")})` +
          (where ? `; it is in ${where}` : "; it is in no serverless pool") +
          ": exclude only types of the pools in gpuPoolIds, or remove it",
      );
    }
  });
  if (inPools.size > 0 && [...inPools].every((type) => excluded.includes(type))) {
    fail("excludedGpuTypeIds", `excludes every GPU type of ${pools.join(", ")}: keep at least one type, or choose other pools`);
  }
  return failures;
}
