// Shared pieces of the REST v1 wire: `{"message"}` errors, domain error mapping, v1 container
// body conversions and query helpers.
import { ContainerFields, DEFAULT_V1_PORTS, DomainError, V1_CAPACITY_MESSAGE, joinArgs } from "../state";
import { GpuTypeInfo } from "../catalog";
import { WireResult, asRecord, has } from "../wire";

export function v1Error(status: number, message: string): WireResult {
  return { status, body: { message } };
}

export function domainErrorV1(err: DomainError, operationId: string): WireResult {
  switch (err.kind) {
    case "notFound":
      return v1Error(404, err.message);
    case "capacity":
      return v1Error(400, operationId === "CreatePod" ? V1_CAPACITY_MESSAGE : err.message);
    default:
      return v1Error(400, err.message);
  }
}

export function gpuInfoV1(g: GpuTypeInfo, count?: number) {
  return {
    id: g.id,
    ...(count !== undefined ? { count } : {}),
    displayName: g.displayName,
    securePrice: g.securePrice,
    communityPrice: g.communityPrice,
    oneMonthPrice: Math.round(g.securePrice * 0.9 * 100) / 100,
    threeMonthPrice: Math.round(g.securePrice * 0.85 * 100) / 100,
    sixMonthPrice: Math.round(g.securePrice * 0.8 * 100) / 100,
    oneWeekPrice: Math.round(g.securePrice * 0.95 * 100) / 100,
    communitySpotPrice: g.communitySpotPrice,
    secureSpotPrice: g.secureSpotPrice,
  };
}

export interface PodIncludes {
  includeMachine?: boolean;
  includeNetworkVolume?: boolean;
  includeSavingsPlans?: boolean;
}

export function containerPatchV1(b: Record<string, any>): Partial<ContainerFields> {
  const out: Partial<ContainerFields> = {};
  if (has(b, "imageName")) out.image = b.imageName;
  if (has(b, "dockerEntrypoint")) out.dockerEntrypoint = b.dockerEntrypoint;
  if (has(b, "dockerStartCmd")) out.dockerStartCmd = b.dockerStartCmd;
  if (has(b, "containerDiskInGb") && b.containerDiskInGb !== null) out.disk = b.containerDiskInGb;
  // v1 types env as `object` without value types; store strings like the v2 contract requires.
  if (has(b, "env")) out.env = Object.fromEntries(Object.entries(asRecord(b.env)).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  if (has(b, "ports")) out.ports = b.ports;
  if (has(b, "containerRegistryAuthId")) out.registryId = b.containerRegistryAuthId || null;
  return out;
}

/**
 * A v1 update's container fields: v1 keeps entrypoint and command as word lists while the shared
 * model also holds v2's one `args` string, so a change to either list re-derives `args` from the
 * new list and the stored other one.
 */
export function containerUpdateV1(b: Record<string, any>, current: ContainerFields): Partial<ContainerFields> {
  const patch = containerPatchV1(b);
  if (patch.dockerEntrypoint !== undefined || patch.dockerStartCmd !== undefined) {
    patch.args = joinArgs(patch.dockerEntrypoint ?? current.dockerEntrypoint, patch.dockerStartCmd ?? current.dockerStartCmd);
  }
  return patch;
}

export const V1_CONTAINER_DEFAULTS: ContainerFields = {
  image: "",
  args: "",
  dockerEntrypoint: [],
  dockerStartCmd: [],
  disk: 50,
  env: {},
  ports: DEFAULT_V1_PORTS,
  registryId: null,
};

export function q(query: Record<string, unknown>, key: string): unknown {
  return query[key];
}

export function qList(query: Record<string, unknown>, key: string): string[] | undefined {
  const v = query[key];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).map(String);
}
