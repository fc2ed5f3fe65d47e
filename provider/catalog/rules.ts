/**
 * The catalog checks resources share, so an unknown GPU type or data centre reads the same on a
 * pod, an endpoint and a network volume. Each takes the input as checked (values unknown during a
 * preview are skipped: they are checked again once known) and returns failures naming the path.
 */
import { CheckFailure, containsUnknown } from "../schema/fields";
import { CatalogView, maxGpuCount, unknownIds } from "./validate";

/** Set, and not a value the engine only knows after an apply. */
export const known = <T>(v: T | undefined | null): v is T => v !== undefined && v !== null && !containsUnknown(v);

const strings = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");

export async function gpuTypeFailures(property: string, values: unknown, catalog: CatalogView): Promise<CheckFailure[]> {
  if (!known(values)) return [];
  return unknownIds(property, values, await catalog.gpuTypes(), "a GPU type", "runpod.getGpuTypes()");
}

export async function cpuFlavorFailures(property: string, values: unknown, catalog: CatalogView): Promise<CheckFailure[]> {
  if (!known(values)) return [];
  return unknownIds(property, values, await catalog.cpuTypes(), "a CPU flavor", "runpod.getCpuFlavors()");
}

export async function dataCenterFailures(property: string, values: unknown, catalog: CatalogView): Promise<CheckFailure[]> {
  if (!known(values)) return [];
  return unknownIds(property, values, await catalog.dataCenters(), "a data centre", "runpod.getDataCenters()");
}

export async function poolFailures(property: string, values: unknown, catalog: CatalogView): Promise<CheckFailure[]> {
  if (!known(values)) return [];
  return unknownIds(property, values, await catalog.pools(), "a serverless GPU pool", "runpod.getGpuPools()");
}

/** CUDA versions no GPU type's machines run can never be placed; skipped when the catalog lists none. */
export async function cudaFailures(property: string, values: unknown, catalog: CatalogView): Promise<CheckFailure[]> {
  if (!known(values)) return [];
  const versions = await catalog.cudaVersions();
  if (versions.size === 0) return [];
  return unknownIds(property, values, versions, "a CUDA version", "runpod.getGpuTypes()");
}

/**
 * A pod or worker runs on one machine: more GPUs than the largest machine of a listed type holds
 * (the catalog's `maxCount`, per cloud) can never be placed, and Runpod would answer "no capacity",
 * which reads as if a retry could help. With a priority list, every listed type must fit.
 */
export async function gpuCountFailures(
  property: string,
  count: unknown,
  types: unknown,
  catalog: CatalogView,
  cloud?: "SECURE" | "COMMUNITY",
): Promise<CheckFailure[]> {
  if (!known(count) || typeof count !== "number" || !known(types)) return [];
  const catalogTypes = await catalog.gpuTypes();
  const tooSmall = strings(types)
    .map((id) => [id, catalogTypes.get(id)] as const)
    .map(([id, type]) => [id, type ? maxGpuCount(type, cloud) : undefined] as const)
    .filter((entry): entry is readonly [string, number] => entry[1] !== undefined && count > entry[1]);
  if (tooSmall.length === 0) return [];
  const which = tooSmall.map(([id, max]) => `${id} (at most ${max})`).join(", ");
  return [
    {
      property,
      reason: `${property}: ${count} GPUs do not fit on one machine of ${which}${cloud ? ` on ${cloud} cloud` : ""}: Runpod's catalog gives the largest machine of each type (maxCount), and one pod or worker runs on one machine; use fewer GPUs or run several`,
    },
  ];
}

/** vCPUs outside what a listed CPU flavour's machines offer (the catalog's `vcpu.min`..`vcpu.max`). */
export async function vcpuCountFailures(property: string, count: unknown, flavors: unknown, catalog: CatalogView): Promise<CheckFailure[]> {
  if (!known(count) || typeof count !== "number" || !known(flavors)) return [];
  const catalogFlavors = await catalog.cpuTypes();
  const out = strings(flavors).filter((id) => {
    const v = catalogFlavors.get(id)?.vcpu;
    return v !== undefined && ((typeof v.max === "number" && count > v.max) || (typeof v.min === "number" && count < v.min));
  });
  if (out.length === 0) return [];
  const ranges = out.map((id) => `${id}: ${catalogFlavors.get(id)!.vcpu.min}–${catalogFlavors.get(id)!.vcpu.max}`).join(", ");
  return [{ property, reason: `${property}: ${count} vCPUs is outside what Runpod's catalog offers for ${ranges}` }];
}
