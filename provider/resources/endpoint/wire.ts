/**
 * How the flat Endpoint model meets each wire where a dotted path is not enough: the REST v2
 * body writers (flat fields that share one nested object rebuild all of it) and the REST v1
 * readers for what v1 reports in another shape.
 */
import type { V1, V2 } from "../../api";
import type { JsonObject } from "../../schema/fields";
import type { EndpointScalerType, EndpointType } from "./args";
import type { EndpointInputs } from "./fields";

/** Runpod's v1 defaults, which the flat model keeps on v2 (where `scaling` is required on create). */
export const DEFAULT_SCALER_VALUE = 4;
/** Runpod's default vCPUs per CPU worker; v2 needs it per flavor. */
const DEFAULT_V2_VCPU = 2;

/** The inputs routing and scaling depend on; prior state and outputs carry them too. */
interface Scaling {
  type?: unknown;
  scalerType?: unknown;
}

export const routingOf = (p: Scaling): EndpointType => (p.type === "LOAD_BALANCER" ? "LOAD_BALANCER" : "QUEUE");

/** A LOAD_BALANCER endpoint can only scale on requests, so that is its default. */
export const scalerOf = (p: Scaling): EndpointScalerType =>
  p.scalerType === "QUEUE_DELAY" || p.scalerType === "REQUEST_COUNT" ? p.scalerType : routingOf(p) === "LOAD_BALANCER" ? "REQUEST_COUNT" : "QUEUE_DELAY";

/** v2 omits `idleTimeout` for (and rejects it on) queue endpoints scaling on request count. */
export const idleTimeoutApplies = (p: Scaling): boolean => !(routingOf(p) === "QUEUE" && scalerOf(p) === "REQUEST_COUNT");

// ---- REST v2 body writers ----------------------------------------------------------------------

/** The `gpu` block as the writers build it: one PATCH may carry any subset. */
type V2GpuBody = Partial<V2["UpdateEndpointGpuConfig"]>;

/** `scaling` is a union on `type`: the value goes under the key that type names. */
export function v2Scaling(body: JsonObject, _value: unknown, inputs: EndpointInputs): void {
  const type = scalerOf(inputs);
  const value = inputs.scalerValue ?? DEFAULT_SCALER_VALUE;
  const scaling: V2["EndpointScaling"] = type === "QUEUE_DELAY" ? { type, queueDelay: value } : { type, requestCount: value };
  body.scaling = scaling;
}

export function v2Workers(body: JsonObject, _value: unknown, inputs: EndpointInputs): void {
  const workers: V2["EndpointWorkers"] = {};
  if (inputs.workersMin !== undefined) workers.min = inputs.workersMin;
  if (inputs.workersMax !== undefined) workers.max = inputs.workersMax;
  if (inputs.idleTimeout !== undefined && idleTimeoutApplies(inputs)) workers.idleTimeout = inputs.idleTimeout;
  if (Object.keys(workers).length > 0) body.workers = workers;
}

/** Adds to the `gpu` block other fields of this body already started. */
export function v2Gpu(body: JsonObject, part: V2GpuBody): void {
  // Only these writers put `gpu` in a body, so what is there has their shape.
  const gpu: V2GpuBody = { ...(body.gpu as V2GpuBody | undefined), ...part };
  body.gpu = gpu;
}

/** `pools` and `excludedTypes` are one selection: sending pools without exclusions clears them. */
export function v2GpuSelection(body: JsonObject, _value: unknown, inputs: EndpointInputs): void {
  if (inputs.gpuPoolIds === undefined) return;
  v2Gpu(body, { pools: inputs.gpuPoolIds, excludedTypes: inputs.excludedGpuTypeIds ?? [] });
}

/** v2 takes one `{id, vcpuCount}` per flavor; the flat model has one vCPU count for all of them. */
export function v2Cpu(body: JsonObject, _value: unknown, inputs: EndpointInputs): void {
  if (!Array.isArray(inputs.cpuFlavorIds)) return;
  const vcpuCount = inputs.vcpuCount ?? DEFAULT_V2_VCPU;
  const cpu: V2["CreateCpuConfig"][] = inputs.cpuFlavorIds.map((id) => ({ id, vcpuCount }));
  body.cpu = cpu;
}

/** The scaler threshold, under whichever key the `scaling` union reports it. */
export function v2ScalerValue(scaling: V2["EndpointScaling"] | undefined): number | undefined {
  if (!scaling) return undefined;
  return ("queueDelay" in scaling ? scaling.queueDelay : undefined) ?? ("requestCount" in scaling ? scaling.requestCount : undefined);
}

/** The CPU flavors of a v2 CPU endpoint, each once (v2 lists one entry per flavor). */
export function v2CpuFlavors(api: V2["Endpoint"]): string[] | undefined {
  return Array.isArray(api.cpu) ? [...new Set(api.cpu.map((c) => c.id))] : undefined;
}

// ---- REST v1 readers ---------------------------------------------------------------------------

/** v1 documents `dataCenterIds` as an array but shows a comma string in its example. */
export function listFrom(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string")
    return value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  return undefined;
}

/** v1 reports CPU workers only as `instanceIds` such as `cpu3c-8-16` (flavor-vCPUs-memory). */
function v1Instances(api: V1["Endpoint"]): Array<{ flavor: string; vcpu: number }> | undefined {
  const ids = listFrom(api.instanceIds);
  if (!ids || ids.length === 0) return undefined;
  return ids.map((id) => {
    const [flavor, vcpu] = id.split("-");
    return { flavor, vcpu: Number(vcpu) };
  });
}

export function v1CpuFlavors(api: V1["Endpoint"]): string[] | undefined {
  const flavors = v1Instances(api)?.map((i) => i.flavor);
  return flavors ? [...new Set(flavors)] : undefined;
}

export function v1VcpuCount(api: V1["Endpoint"]): number | undefined {
  return v1Instances(api)?.[0]?.vcpu;
}
