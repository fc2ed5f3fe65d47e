/**
 * Where a pod may land, in the order to try: the program's GPU types (or CPU flavours), or the
 * GPU types of the catalog that meet `gpuSelector`, ordered by the program's priority. Runpod's
 * catalog says what exists, at what price and how much is free; it is read only when an order or
 * a selector needs it (a single listed type is sent as it is).
 */
import type { AvailabilityLevel, CatalogClient, CatalogCpuType, CatalogGpuType } from "../../catalog/client";
import type { OperationContext } from "../../runtime/context";
import { GPU_TYPE_IDS } from "../../schema/enums";
import { cudaAtLeast } from "./bindings";
import type { PodInputs } from "./fields";

/** How a candidate list is ordered: the program's order, the catalog's availability (then price), or price. */
export type PlacementPriority = "custom" | "availability" | "price";

/** What a pod asks of a GPU type it does not name (see `PodArgs.gpuSelector`). */
export interface GpuSelector {
  /** Least VRAM per GPU, in GB. */
  minMemoryInGb?: number;
  /** Most the pod's GPUs may cost per hour together, in USD (catalog price per GPU × gpuCount). */
  maxPricePerHr?: number;
}

/** One placement to try: a GPU type or CPU flavour (in any of the allowed data centres). */
export interface Candidate {
  id: string;
  /** The catalog's availability in the allowed data centres, when it was read. */
  availability?: AvailabilityLevel;
  /** USD per hour for the pod on this candidate, from the catalog, when it was read. */
  pricePerHr?: number;
}

/** The candidates of one create, and how they were ordered. */
export interface Placement {
  family: "gpu" | "cpu";
  priority: PlacementPriority;
  candidates: Candidate[];
  /** Whether the catalog was read (the candidates then carry availability and price). */
  fromCatalog: boolean;
}

const RANK: Record<AvailabilityLevel, number> = { HIGH: 3, MEDIUM: 2, LOW: 1, NONE: 0 };

/** The catalog client, loaded when a placement first needs it (a preview never does). */
function catalog(ctx: OperationContext): CatalogClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred: only creates that order or select read the catalog
  const { CatalogClient: Client } = require("../../catalog/client") as typeof import("../../catalog/client");
  return new Client(ctx.settings);
}

/** The best level the catalog reports for a type in the allowed data centres (all when none are listed). */
function availabilityIn(
  type: { availability?: AvailabilityLevel; dataCenters?: { id: string; availability: AvailabilityLevel }[] },
  allowed: string[] | undefined,
): AvailabilityLevel | undefined {
  if (type.availability === undefined) return undefined;
  if (!allowed) return type.availability;
  // The catalog leaves out the data centres where nothing is free.
  const levels = (type.dataCenters ?? []).filter((d) => allowed.includes(d.id)).map((d) => d.availability);
  return levels.reduce<AvailabilityLevel>((best, l) => (RANK[l] > RANK[best] ? l : best), "NONE");
}

const cloudOf = (inputs: PodInputs) => (inputs.cloudType === "COMMUNITY" ? "community" : "secure");

function cudaMeets(type: CatalogGpuType, inputs: PodInputs): boolean {
  const { allowedCudaVersions: exact, minCudaVersion: floor } = inputs;
  if (!exact?.length && floor === undefined) return true;
  // No CUDA version reported (AMD types) cannot meet a CUDA constraint.
  const versions = (type.cudaVersions ?? []).map((v) => v.version);
  return versions.some((v) => (exact?.length ? exact.includes(v) : cudaAtLeast(v, floor!)));
}

/** Whether a catalog GPU type meets the selector for this pod (its cloud, GPU count, CUDA and networking). */
export function meetsSelector(type: CatalogGpuType, selector: GpuSelector, inputs: PodInputs): boolean {
  const cloud = cloudOf(inputs);
  const count = inputs.gpuCount ?? 1;
  const price = type.price?.[cloud];
  if (!type[cloud] || (type.maxCount?.[cloud] ?? 0) < count) return false;
  if (selector.minMemoryInGb !== undefined && !(type.memory >= selector.minMemoryInGb)) return false;
  if (selector.maxPricePerHr !== undefined && !(typeof price === "number" && price * count <= selector.maxPricePerHr)) return false;
  if (inputs.globalNetworking === true && type.manufacturer !== "NVIDIA") return false;
  return cudaMeets(type, inputs);
}

/** Describes a selector in the user's terms, e.g. "at least 48 GB, at most $2/h for 2 GPUs". */
export function describeSelector(selector: GpuSelector, inputs: PodInputs): string {
  const parts = [
    selector.minMemoryInGb !== undefined ? `at least ${selector.minMemoryInGb} GB per GPU` : undefined,
    selector.maxPricePerHr !== undefined ? `at most $${selector.maxPricePerHr}/h for ${inputs.gpuCount ?? 1} GPU(s)` : undefined,
    `${inputs.cloudType ?? "SECURE"} cloud`,
    inputs.minCudaVersion ? `CUDA ${inputs.minCudaVersion} or later` : undefined,
    inputs.allowedCudaVersions?.length ? `CUDA ${inputs.allowedCudaVersions.join(" or ")}` : undefined,
  ];
  return parts.filter((p) => p !== undefined).join(", ");
}

function order(candidates: Candidate[], priority: PlacementPriority): Candidate[] {
  if (priority === "custom") return candidates;
  const price = (c: Candidate) => c.pricePerHr ?? Number.POSITIVE_INFINITY;
  const rank = (c: Candidate) => (c.availability === undefined ? -1 : RANK[c.availability]);
  // Array.prototype.sort is stable: equal candidates keep the program's order.
  return [...candidates].sort((a, b) => (priority === "availability" ? rank(b) - rank(a) : 0) || (price(a) < price(b) ? -1 : price(a) > price(b) ? 1 : 0));
}

/** When to read the catalog beyond what a selector needs. */
export interface PlanOptions {
  /** An error message wants availability even where the order does not. */
  readCatalog?: boolean;
  /** The provider orders by availability itself (REST v2); REST v1 does it natively. */
  ordersAvailability?: boolean;
}

/**
 * The candidates of a create. The catalog is read only when a selector, an order the provider
 * makes itself, or `readCatalog` needs it.
 */
export async function planPlacement(ctx: OperationContext, inputs: PodInputs, opts: PlanOptions = {}): Promise<Placement> {
  const allowed = inputs.dataCenterIds;
  const ordersHere = (p: PlacementPriority) => p === "price" || (p === "availability" && opts.ordersAvailability !== false);
  const readCatalog = opts.readCatalog === true;
  if (inputs.computeType === "CPU") {
    const ids = inputs.cpuFlavorIds ?? [];
    const priority = inputs.cpuFlavorPriority ?? "custom";
    if (!readCatalog && (!ordersHere(priority) || ids.length < 2))
      return { family: "cpu", priority, candidates: ids.map((id) => ({ id })), fromCatalog: false };
    const vcpus = inputs.vcpuCount ?? 2;
    const types = await catalog(ctx)
      .cpuTypes({ product: "POD", vcpuCount: vcpus })
      .catch((): CatalogCpuType[] => []);
    const candidates = ids.map((id): Candidate => {
      const type = types.find((t) => t.id === id);
      const perVcpu = type?.price?.securePerVcpu;
      return { id, availability: type ? availabilityIn(type, allowed) : undefined, pricePerHr: typeof perVcpu === "number" ? perVcpu * vcpus : undefined };
    });
    return { family: "cpu", priority, candidates: ordersHere(priority) ? order(candidates, priority) : candidates, fromCatalog: types.length > 0 };
  }

  const selector = inputs.gpuSelector;
  const ids = inputs.gpuTypeIds ?? [];
  // Without a program order, a selector's matches are tried cheapest first.
  const priority = inputs.gpuTypePriority ?? (selector ? "price" : "custom");
  if (!selector && !readCatalog && (!ordersHere(priority) || ids.length < 2))
    return { family: "gpu", priority, candidates: ids.map((id) => ({ id })), fromCatalog: false };

  const cloud = cloudOf(inputs);
  const count = inputs.gpuCount ?? 1;
  const query = {
    product: "POD" as const,
    count,
    cloud: inputs.cloudType ?? ("SECURE" as const),
    ...(inputs.minCudaVersion !== undefined ? { minCudaVersion: inputs.minCudaVersion } : {}),
  };
  // A selector cannot do without the catalog; an order or a message can (the program's order, no availability).
  const read = catalog(ctx).gpuTypes(query);
  const types = selector ? await read : await read.catch((): CatalogGpuType[] => []);
  // REST v1 validates GPU ids against its own (older) list: a newer catalog type cannot be sent there.
  const sendable = (id: string) => ctx.wire === "v2" || (GPU_TYPE_IDS as readonly string[]).includes(id);
  const chosen = selector ? types.filter((t) => meetsSelector(t, selector, inputs) && sendable(t.id)).map((t) => t.id) : ids;
  const candidates = chosen.map((id): Candidate => {
    const type = types.find((t) => t.id === id);
    const price = type?.price?.[cloud];
    return { id, availability: type ? availabilityIn(type, allowed) : undefined, pricePerHr: typeof price === "number" ? price * count : undefined };
  });
  return { family: "gpu", priority, candidates: ordersHere(priority) ? order(candidates, priority) : candidates, fromCatalog: types.length > 0 };
}
