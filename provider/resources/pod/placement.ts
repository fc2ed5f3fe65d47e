/**
 * Where a pod can go: the one placement check that needs the API (a network volume must be in a
 * data centre the pod may use) and the message when Runpod has no capacity for the placement.
 */
import type { V1, V2 } from "../../api";
import { CapacityCandidate, CapacityError, hasCode, isNotFound, RunpodApiError } from "../../client/errors";
import type { OperationContext } from "../../runtime/context";
import { Candidate, Placement, planPlacement } from "./candidates";
import type { PodInputs } from "./fields";

type V2Volume = Partial<V2["NetworkVolume"]>;
type V1Volume = V1["NetworkVolume"];

/** Whether Runpod refused because no machine fits the placement right now (not a mistake in the inputs). */
export function capacityLike(e: unknown): e is RunpodApiError {
  return hasCode(e, "capacity");
}

function describePlacement(inputs: PodInputs, tried?: Placement): string {
  const dcs = inputs.dataCenterIds ? `data centres ${inputs.dataCenterIds.join(", ")}` : "any data centre";
  const cloud = `${inputs.cloudType ?? "SECURE"} cloud${inputs.interruptible ? " (interruptible)" : ""}`;
  if (inputs.computeType === "CPU") {
    const flavors = tried ? tried.candidates.map((c) => c.id) : (inputs.cpuFlavorIds ?? []);
    return `CPU flavor${flavors.length > 1 ? "s" : ""} ${flavors.join(", ")} with ${inputs.vcpuCount ?? 2} vCPUs in ${dcs} on ${cloud}`;
  }
  const types = tried ? tried.candidates.map((c) => c.id) : (inputs.gpuTypeIds ?? []);
  return `${inputs.gpuCount ?? 1} × GPU type${types.length > 1 ? "s" : ""} ${types.join(", ")} in ${dcs} on ${cloud}`;
}

/** `what` failed for lack of capacity: a typed error (code `capacity`) naming the placement tried. */
export function capacityError(e: RunpodApiError, inputs: PodInputs, what: string): CapacityError {
  return new CapacityError(e, what, describePlacement(inputs));
}

/** A create refused for lack of capacity, per candidate (v1 refuses the whole list at once). */
export interface Refusal {
  candidate: Candidate;
  error: RunpodApiError;
}

/**
 * Every candidate was refused: one typed error (code `capacity`) listing each with Runpod's
 * answer and the catalog's availability for it (read now when the order did not need it).
 */
export async function placementRefused(ctx: OperationContext, inputs: PodInputs, plan: Placement, refusals: Refusal[]): Promise<CapacityError> {
  const withCatalog = plan.fromCatalog ? plan : await planPlacement(ctx, inputs, { readCatalog: true, ordersAvailability: false }).catch(() => plan);
  const availabilityOf = (id: string) => withCatalog.candidates.find((c) => c.id === id)?.availability;
  const answerOf = (id: string) => (refusals.find((r) => r.candidate.id === id) ?? refusals[refusals.length - 1]).error.apiMessage;
  const candidates: CapacityCandidate[] = plan.candidates.map((c) => ({ id: c.id, answer: answerOf(c.id), availability: availabilityOf(c.id) }));
  const lines = candidates.map((c) => `${c.id}: ${c.answer} (catalog availability: ${c.availability ?? "unknown"})`);
  const answers = new Set(refusals.map((r) => r.error)).size;
  const how = answers > 1 ? "tried in turn" : plan.candidates.length > 1 ? "tried as one list" : "tried";

  const last = refusals[refusals.length - 1].error;
  return new CapacityError(last, "cannot create the pod", `${describePlacement(inputs, plan)}; ${how} — ${lines.join("; ")}`, candidates);
}

/**
 * A pod can only mount a network volume in its own data centre: when the program limits the data
 * centres, the volume's must be one of them. Checked before the create, so a mismatch is named
 * instead of surfacing as Runpod's bare "no capacity".
 */
export async function checkVolumePlacement(ctx: OperationContext, inputs: PodInputs): Promise<void> {
  const volumeId = inputs.networkVolumeId;
  const allowed = inputs.dataCenterIds;
  if (volumeId === undefined || allowed === undefined) return;
  const path = ctx.wire === "v2" ? "/network-volumes" : "/networkvolumes";
  let volume: V2Volume | V1Volume | undefined;
  try {
    volume = await ctx.http.rest<V2Volume | V1Volume | undefined>({ method: "GET", path: `${path}/${encodeURIComponent(volumeId)}` });
  } catch (e) {
    if (isNotFound(e)) throw new Error(`networkVolumeId: network volume ${volumeId} does not exist`);
    throw e;
  }
  const dc = !volume ? undefined : ctx.wire === "v2" ? (volume as V2Volume).dataCenter : (volume as V1Volume).dataCenterId;
  if (typeof dc === "string" && !allowed.includes(dc)) {
    throw new Error(
      `networkVolumeId: network volume ${volumeId} is in ${dc}, which is not in dataCenterIds (${allowed.join(", ")}); ` +
        `a pod can only mount a volume in its own data centre — add ${dc} or remove dataCenterIds`,
    );
  }
}
