/**
 * What Runpod answers about a pod on each wire: the official specs' `Pod` schemas, extended only
 * where real answers carry data the spec leaves out or types too narrowly.
 */
import type { V1, V2 } from "../../api";
import type { Wire } from "../../schema/fields";

/**
 * A REST v2 pod. The spec's `GpuConfig` has no display name; v1 answers name the GPU, and a v2
 * answer that does is used as is instead of a catalog lookup.
 */
export type V2Pod = Omit<V2["Pod"], "gpu"> & { gpu?: V2["GpuConfig"] & { displayName?: string } };

/** A REST v1 pod, with the fields its spec types too narrowly for what Runpod sends. */
export type V1Pod = Omit<V1["Pod"], "costPerHr" | "adjustedCostPerHr" | "env" | "portMappings" | "ports"> & {
  /** The spec's format is "currency" and its example the string `"0.74"`: either may come. */
  costPerHr?: number | string;
  adjustedCostPerHr?: number | string;
  /** The spec says "object" without properties; the answer is the pod's variables. */
  env?: Record<string, string>;
  /** The spec says "object" without properties; the answer maps private → public port, `{"22": 10341}`. */
  portMappings?: Record<string, number | string | null> | null;
  /** The spec gives this array field a comma-joined string default, and answers follow it. */
  ports?: string[] | string;
  /** Listed in v1's pod inputs and documented as readable; the schema only has `networkVolume` (with includeNetworkVolume). */
  networkVolumeId?: string;
};

/** The pod's API objects per wire: the field table, outputs and lifecycle read answers as these. */
export interface PodApis {
  v2: V2Pod;
  v1: V1Pod;
}

/** A pod answer on whichever wire is active. */
export type PodObject = V2Pod | V1Pod;

/** Reads a pod answer with the reader of the active wire. */
export function byWire<T>(wire: Wire, pod: PodObject, v2: (o: V2Pod) => T, v1: (o: V1Pod) => T): T {
  return wire === "v2" ? v2(pod as V2Pod) : v1(pod as V1Pod);
}
