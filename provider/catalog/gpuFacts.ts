/**
 * What the catalog told this process about GPU types: display names and VRAM. REST v2 pod answers
 * name a GPU type only by id; any catalog answer that listed the type (check's authenticating
 * read, a placement's availability read) already carries both, so no per-type lookup is needed.
 */
import type { V2 } from "../api";

const gpuNames = new Map<string, string>();
const gpuMemory = new Map<string, number>();

/** The display name of a GPU type the catalog described earlier in this process, if any. */
export function knownGpuName(gpuTypeId: string): string | undefined {
  return gpuNames.get(gpuTypeId);
}

/** VRAM per GPU of a type the catalog described earlier in this process, if any. */
export function knownGpuMemory(gpuTypeId: string | null | undefined): number | undefined {
  return typeof gpuTypeId === "string" ? gpuMemory.get(gpuTypeId) : undefined;
}

/** Keeps what a catalog answer says about a GPU type (its name, its VRAM). */
export function rememberGpuType(type: Partial<V2["GpuType"]> | undefined): void {
  if (typeof type?.id !== "string") return;
  if (typeof type.name === "string") gpuNames.set(type.id, type.name);
  if (typeof type.memory === "number") gpuMemory.set(type.id, type.memory);
}
