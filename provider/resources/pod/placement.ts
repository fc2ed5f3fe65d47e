/**
 * Where a pod can go: the one placement check that needs the API (a network volume must be in a
 * data centre the pod may use) and the message when Runpod has no capacity for the placement.
 */
import type { V1, V2 } from "../../api";
import { CapacityCandidate, CapacityError, hasCode, isNotFound, RunpodApiError } from "../../client/errors";
import type { OperationContext } from "../../runtime/context";
import type { JsonObject } from "../../schema/fields";
import { Candidate, describeSelector, Placement, planPlacement } from "./candidates";
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
 * The create, per candidate placement. REST v2 places exactly the one GPU type (or CPU flavour)
 * it is sent, so the candidates are tried in turn, each with every allowed data centre; a
 * refusal creates nothing, so the next try can never make a second pod, and each try (`send`)
 * keeps the client's recovery of a lost answer. REST v1 takes the whole ordered list in one create.
 */
export async function createPlaced<T>(ctx: OperationContext, inputs: PodInputs, body: JsonObject, send: (body: JsonObject) => Promise<T>): Promise<T> {
  const plan = await planPlacement(ctx, inputs, { ordersAvailability: ctx.wire === "v2" });
  if (inputs.gpuSelector && plan.candidates.length === 0) {
    throw new Error(`gpuSelector: no GPU type in Runpod's catalog meets ${describeSelector(inputs.gpuSelector, inputs)}; loosen it or name gpuTypeIds`);
  }
  const refusals: Refusal[] = [];
  const attempts = ctx.wire === "v1" || plan.candidates.length === 0 ? [undefined] : plan.candidates;
  for (const candidate of attempts) {
    try {
      return await send(candidate ? v2CandidateBody(body, plan.family, candidate.id) : ctx.wire === "v1" ? v1PlacementBody(body, plan) : body);
    } catch (e) {
      if (!capacityLike(e)) throw e;
      if (plan.candidates.length === 0) throw capacityError(e, inputs, "cannot create the pod");
      // v1 refuses the whole list with one answer.
      refusals.push(...(candidate ? [candidate] : plan.candidates).map((c) => ({ candidate: c, error: e })));
    }
  }
  throw await placementRefused(ctx, inputs, plan, refusals);
}

/** A v2 create body for one candidate: the GPU type (or CPU flavour) it places. */
function v2CandidateBody(body: JsonObject, family: Placement["family"], id: string): JsonObject {
  const block = body[family];
  return { ...body, [family]: { ...(typeof block === "object" && block !== null && !Array.isArray(block) ? block : {}), id } };
}

/** A v1 create body with the candidates in order; without an explicit priority the program's order ("custom") holds. */
function v1PlacementBody(body: JsonObject, plan: Placement): JsonObject {
  if (plan.candidates.length === 0) return body;
  const [list, priority] = plan.family === "gpu" ? (["gpuTypeIds", "gpuTypePriority"] as const) : (["cpuFlavorIds", "cpuFlavorPriority"] as const);
  return { ...body, [list]: plan.candidates.map((c) => c.id), [priority]: body[priority] ?? "custom" };
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
