/**
 * The pod table's readers, writers and replacement conditions that a dotted path cannot express:
 * Runpod's own rules for what a placed pod can absorb, in words the user is shown.
 */
import { knownGpuPrice } from "../../catalog/gpuFacts";
import { JsonObject, ReplaceIf, setPath } from "../../schema/fields";
import type { PodInputs } from "./fields";
import type { PodComputed } from "./outputs";

// ---- reads and writes a path cannot express ---------------------------------------------------

/** A priority list read back: the API reports the one entry that was used. */
export function chosenFrom(actual: string | null | undefined, prior: string[] | undefined): string[] | undefined {
  if (typeof actual !== "string" || actual === "") return undefined;
  if (prior?.includes(actual)) return prior;
  return [actual];
}

/**
 * Variables Runpod injects (startSsh / startJupyter) are not the program's: never read back. A pod
 * made from a template also holds the template's variables: when the program sets env, only its
 * keys are read back, so the template's own are not a perpetual diff.
 */
const INJECTED_ENV = ["PUBLIC_KEY", "JUPYTER_PASSWORD"];
export function readEnv(env: Record<string, string> | undefined, prior: PodInputs): Record<string, string> | undefined {
  if (!env || typeof env !== "object" || Array.isArray(env)) return undefined;
  const priorEnv = prior.env ?? {};
  const managedOnly = prior.templateId !== undefined && prior.env !== undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (managedOnly ? k in priorEnv : !INJECTED_ENV.includes(k) || k in priorEnv) out[k] = v;
  return out;
}

/** v1's create input defaults `ports` to a comma-joined string, and a pod created so may report it that way: accept both. */
export function readPorts(ports: string[] | string | undefined): string[] | undefined {
  if (typeof ports === "string") return ports === "" ? [] : ports.split(",").map((p) => p.trim());
  return Array.isArray(ports) ? ports : undefined;
}

/** v2 mounts: the volume fields together are one nested object. */
export function writeMount(body: JsonObject, inputs: PodInputs): void {
  const path = inputs.volumeMountPath ?? "/workspace";
  if (inputs.networkVolumeId !== undefined) setPath(body, "mounts.network", [{ volumeId: inputs.networkVolumeId, path }]);
  else if (inputs.volumeInGb !== undefined) setPath(body, "mounts.persistent", { size: inputs.volumeInGb, path });
}

// ---- which changes a placed pod can absorb ---------------------------------------------------

type PlacementList = "gpuTypeIds" | "cpuFlavorIds" | "dataCenterIds" | "allowedCudaVersions";

/** A placement filter the pod's actual placement (the computed output `actual`) still satisfies needs no new pod. */
export function unlessStillListed(actual: keyof PodComputed, reason: string): ReplaceIf<PodInputs, PlacementList> {
  return {
    when: (_old, next, olds) => {
      const now = olds[actual];
      return !(typeof now === "string" && next.includes(now));
    },
    reason,
  };
}

export function cudaAtLeast(version: unknown, min: string): boolean {
  if (typeof version !== "string") return false;
  const [a, b] = version.split(".").map(Number);
  const [c, d] = min.split(".").map(Number);
  return a > c || (a === c && b >= d);
}

export const GPU_TYPE_KEPT = unlessStillListed("gpuTypeId", "Runpod cannot move a pod to another GPU type, and the type this pod runs on is no longer listed");
export const CPU_FLAVOR_KEPT = unlessStillListed(
  "cpuFlavorId",
  "Runpod cannot move a pod to another CPU flavor, and the flavor this pod runs on is no longer listed",
);
export const DATA_CENTER_KEPT = unlessStillListed(
  "dataCenterId",
  "Runpod cannot move a pod between data centres, and the one this pod runs in is no longer listed",
);

export const MOUNT_FIXED: ReplaceIf<PodInputs, "volumeInGb" | "volumeMountPath"> = {
  when: (old) => old === undefined,
  reason: "REST v2 fixes a pod's mount kind at create: a volume cannot be added to a pod created without one",
};

/**
 * v1 orders a list natively by "availability" or "custom" (list order). The provider's "price"
 * order is made by sorting the list before the create (the lifecycle), then sent as "custom".
 */
export const writeV1Priority =
  (path: "gpuTypePriority" | "cpuFlavorPriority") =>
  (body: JsonObject, value: "custom" | "availability" | "price"): void =>
    setPath(body, path, value === "availability" ? "availability" : "custom");

/**
 * A selector the running pod still meets needs no new pod: a bound no stricter than before (the
 * pod met the old one), or one the pod's own type meets (its VRAM from the catalog, its price
 * from Runpod). A stopped pod costs nothing while stopped: its type's list price (from the
 * catalog check read) × its GPUs is what it costs once started. What cannot be told counts as
 * met for the price, as not met for the memory. Catalog changes alone never get here: only a
 * changed selector does.
 */
export const SELECTOR_KEPT: ReplaceIf<PodInputs, "gpuSelector"> = {
  when: (old, next, olds) => {
    const min = next.minMemoryInGb;
    const memoryMet =
      min === undefined ||
      (old?.minMemoryInGb !== undefined && old.minMemoryInGb >= min) ||
      (typeof olds.gpuMemoryInGb === "number" && olds.gpuMemoryInGb >= min);
    const max = next.maxPricePerHr;
    const billed = typeof olds.costPerHr === "number" && olds.costPerHr > 0 ? olds.costPerHr : undefined;
    const listed = knownGpuPrice(olds.gpuTypeId, olds.cloudType);
    const cost = billed ?? (listed === undefined ? undefined : listed * (typeof olds.gpuCount === "number" ? olds.gpuCount : 1));
    const priceMet = max === undefined || (old?.maxPricePerHr !== undefined && old.maxPricePerHr <= max) || cost === undefined || cost <= max;
    return !(memoryMet && priceMet);
  },
  reason: "Runpod cannot move a pod to another GPU type, and the type this pod runs on no longer meets gpuSelector",
};
