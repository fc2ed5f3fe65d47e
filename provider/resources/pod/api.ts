/**
 * What Runpod answers about a pod on each wire: the official specs' `Pod` schemas, extended only
 * where real answers carry data the spec leaves out or types too narrowly.
 */
import type { V1, V2 } from "../../api";
import type { Wire } from "../../schema/fields";

/** A REST v2 pod, as the spec has it. */
export type V2Pod = V2["Pod"];

/** A REST v1 pod, with the fields its spec types too narrowly for what Runpod sends. */
export type V1Pod = Omit<V1["Pod"], "costPerHr" | "adjustedCostPerHr" | "env" | "portMappings" | "ports"> & {
  /** The spec's format is "currency" and its example the string `"0.74"`: either may come. */
  costPerHr?: number | string;
  adjustedCostPerHr?: number | string;
  /**
   * The spec puts `items` on these objects (an OpenAPI slip), which the generator reads as "no
   * properties"; the answers are the pod's variables and private → public ports (`{"22": 10341}`).
   */
  env?: Record<string, string>;
  portMappings?: Record<string, number> | null;
  /** v1's create input defaults this array field to the string `"8888/http,22/tcp"`, and a pod created so reports it that way. */
  ports?: string[] | string;
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
  // Every v1 field is optional, so a pod answer needs no assertion to be read as v1.
  return wire === "v2" ? v2(pod as V2Pod) : v1(pod);
}
