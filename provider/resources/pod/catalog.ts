/**
 * The pod inputs Runpod's live catalog decides: GPU types, CPU flavours, data centres, CUDA
 * versions, and GPU and vCPU counts per machine. Run by check after the table's rules passed.
 */
import { cpuFlavorFailures, cudaFailures, dataCenterFailures, gpuCountFailures, gpuTypeFailures, known, vcpuCountFailures } from "../../catalog/rules";
import { cudaAtLeast } from "./bindings";
import type { CatalogRules, CheckFailure } from "../../schema/fields";
import type { PodInputs } from "./fields";

export const catalog: CatalogRules<PodInputs> = {
  fields: ["gpuTypeIds", "gpuCount", "cloudType", "cpuFlavorIds", "vcpuCount", "dataCenterIds", "allowedCudaVersions", "minCudaVersion", "globalNetworking"],
  async check(inputs, view, { changed }) {
    const failures: CheckFailure[] = [];
    if (changed("gpuTypeIds")) failures.push(...(await gpuTypeFailures("gpuTypeIds", inputs.gpuTypeIds, view)));
    if (changed("gpuCount") || changed("gpuTypeIds") || changed("cloudType")) {
      failures.push(...(await gpuCountFailures("gpuCount", inputs.gpuCount, inputs.gpuTypeIds, view, known(inputs.cloudType) ? inputs.cloudType : undefined)));
    }
    if (changed("cpuFlavorIds")) failures.push(...(await cpuFlavorFailures("cpuFlavorIds", inputs.cpuFlavorIds, view)));
    if (changed("vcpuCount") || changed("cpuFlavorIds")) failures.push(...(await vcpuCountFailures("vcpuCount", inputs.vcpuCount, inputs.cpuFlavorIds, view)));
    if (changed("dataCenterIds")) failures.push(...(await dataCenterFailures("dataCenterIds", inputs.dataCenterIds, view)));
    if (
      (changed("dataCenterIds") || changed("globalNetworking")) &&
      inputs.globalNetworking === true &&
      inputs.computeType !== "CPU" &&
      known(inputs.dataCenterIds)
    ) {
      // A data centre the catalog does not know is named by dataCenterFailures already.
      const dataCenters = await view.dataCenters();
      const outside = inputs.dataCenterIds.filter((id) => dataCenters.get(id)?.globalNetwork === false);
      if (outside.length > 0) {
        const offering = [...dataCenters.values()].filter((d) => d.globalNetwork).map((d) => d.id);
        failures.push({
          property: "globalNetworking",
          reason: `globalNetworking: not offered in ${outside.join(", ")}; global networking data centres: ${offering.sort().join(", ")}`,
        });
      }
    }
    if (changed("allowedCudaVersions")) failures.push(...(await cudaFailures("allowedCudaVersions", inputs.allowedCudaVersions, view)));
    if (changed("minCudaVersion") && known(inputs.minCudaVersion)) {
      const floor = inputs.minCudaVersion;
      const versions = [...(await view.cudaVersions())];
      if (versions.length > 0 && !versions.some((v) => cudaAtLeast(v, floor))) {
        const newest = versions.reduce((a, b) => (cudaAtLeast(a, b) ? a : b));
        failures.push({ property: "minCudaVersion", reason: `minCudaVersion: no machine Runpod offers runs CUDA ${floor} or later (the newest is ${newest})` });
      }
    }
    return failures;
  },
};
