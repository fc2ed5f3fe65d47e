/**
 * GPU display names from the REST v2 catalog. v2 pod answers name the GPU type only by id; a type
 * no catalog answer of this process listed yet is looked up once (`gpuDisplayName`).
 */
import type { V2 } from "../../api";
import { SingleFlight } from "../../client/singleflight";
import type { OperationContext } from "../../runtime/context";
import { PodObject, byWire } from "./api";
import { knownGpuName, rememberGpuType } from "../../catalog/gpuFacts";

/** Pods created together ask for the same GPU type at once: one catalog request answers them all. */
const lookups = new SingleFlight<void>();

/** Looks up the display name of a v2 pod's GPU type (v1 answers carry it). */
export async function lookUpGpuName(ctx: OperationContext, pod: PodObject): Promise<void> {
  const gpuId = byWire(
    ctx.wire,
    pod,
    (o) => o.gpu?.id,
    () => undefined,
  );
  if (typeof gpuId !== "string" || knownGpuName(gpuId) !== undefined) return;
  await lookups.do(gpuId, async () => {
    try {
      const type = await ctx.http.rest<Partial<V2["GpuType"]> | undefined>({ method: "GET", path: `/catalog/gpus/${encodeURIComponent(gpuId)}` });
      if (type) rememberGpuType({ ...type, id: gpuId });
    } catch {
      // Only a display name: the GPU type id stands in for it.
    }
  });
}
