/**
 * GPU display names from the REST v2 catalog. v2 pod answers name the GPU type only by id, so the
 * human-readable name (`gpuDisplayName`) is looked up once per process per GPU type.
 */
import type { V2 } from "../../api";
import { SingleFlight } from "../../client/singleflight";
import type { OperationContext } from "../../runtime/context";
import { PodObject, byWire } from "./api";

const gpuNames = new Map<string, string>();
const gpuMemory = new Map<string, number>();
/** Pods created together ask for the same GPU type at once: one catalog request answers them all. */
const lookups = new SingleFlight<void>();

/** The display name of a GPU type looked up earlier in this process, if any. */
export function knownGpuName(gpuTypeId: string): string | undefined {
  return gpuNames.get(gpuTypeId);
}

/** VRAM per GPU of a type the catalog described earlier in this process, if any. */
export function knownGpuMemory(gpuTypeId: string | null | undefined): number | undefined {
  return typeof gpuTypeId === "string" ? gpuMemory.get(gpuTypeId) : undefined;
}

/** Keeps what a catalog answer says about a GPU type (its name, its VRAM). */
export function rememberGpuType(type: Partial<V2["GpuType"]>): void {
  if (typeof type.id !== "string") return;
  if (typeof type.name === "string") gpuNames.set(type.id, type.name);
  if (typeof type.memory === "number") gpuMemory.set(type.id, type.memory);
}

/** Looks up the display name of a v2 pod's GPU type (v1 answers carry it). */
export async function lookUpGpuName(ctx: OperationContext, pod: PodObject): Promise<void> {
  const gpuId = byWire(
    ctx.wire,
    pod,
    (o) => o.gpu?.id,
    () => undefined,
  );
  if (typeof gpuId !== "string" || gpuNames.has(gpuId)) return;
  await lookups.do(gpuId, async () => {
    try {
      const type = await ctx.http.rest<Partial<V2["GpuType"]> | undefined>({ method: "GET", path: `/catalog/gpus/${encodeURIComponent(gpuId)}` });
      if (type) rememberGpuType({ ...type, id: gpuId });
    } catch {
      // Only a display name: the GPU type id stands in for it.
    }
  });
}
