/**
 * What the catalog told this process about GPU types: display names, VRAM, list prices. REST v2 pod answers
 * name a GPU type only by id; any catalog answer that listed the type (check's authenticating
 * read, a placement's availability read) already carries both, so no per-type lookup is needed.
 */
import type { V2 } from "../api";

const gpuNames = new Map<string, string>();
const gpuMemory = new Map<string, number>();
const gpuPrices = new Map<string, { secure?: number; community?: number }>();

/** The display name of a GPU type the catalog described earlier in this process, if any. */
export function knownGpuName(gpuTypeId: string): string | undefined {
  return gpuNames.get(gpuTypeId);
}

/** VRAM per GPU of a type the catalog described earlier in this process, if any. */
export function knownGpuMemory(gpuTypeId: string | null | undefined): number | undefined {
  return typeof gpuTypeId === "string" ? gpuMemory.get(gpuTypeId) : undefined;
}

/** List price in USD per hour of one GPU of this type in `cloud` (secure unless COMMUNITY), if the catalog gave it. */
export function knownGpuPrice(gpuTypeId: unknown, cloud: unknown): number | undefined {
  const prices = typeof gpuTypeId === "string" ? gpuPrices.get(gpuTypeId) : undefined;
  return cloud === "COMMUNITY" ? prices?.community : prices?.secure;
}

/** Keeps what a catalog answer says about a GPU type (its name, its VRAM, its list prices). */
export function rememberGpuType(type: Partial<V2["GpuType"]> | undefined): void {
  if (typeof type?.id !== "string") return;
  if (typeof type.name === "string") gpuNames.set(type.id, type.name);
  if (typeof type.memory === "number") gpuMemory.set(type.id, type.memory);
  const price = type.price as Partial<V2["GpuType"]["price"]> | undefined;
  if (price && typeof price === "object") {
    const positive = (n: unknown) => (typeof n === "number" && n > 0 ? n : undefined);
    gpuPrices.set(type.id, { secure: positive(price.secure), community: positive(price.community) });
  }
}
