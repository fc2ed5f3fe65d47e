// Shared shapes for the wire handlers.
import type { Store } from "./state";

export interface WireResult {
  status: number;
  /** JSON-serialisable body; undefined = no body. A string is sent as-is. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** Leave out the RateLimit headers (the spec omits them from a few answers, e.g. cluster-member 409s). */
  omitRateLimitHeaders?: boolean;
}

export interface OperationCall {
  store: Store;
  operationId: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

/** Operations that create an object (used by the `loseCreateResponses` fault). */
export const CREATE_OPERATIONS = new Set([
  // v2
  "createNetworkVolume",
  "createTemplate",
  "createRegistry",
  "createPod",
  "createEndpoint",
  // v1
  "CreateNetworkVolume",
  "CreateTemplate",
  "CreateContainerRegistryAuth",
  "CreatePod",
  "CreateEndpoint",
  // GraphQL
  "secretCreate",
]);

export function asRecord(v: unknown): Record<string, any> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, any>) : {};
}

export function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined;
}

/** What a route handler receives: the validated call plus the shapes every handler needs. */
export interface RouteCall extends OperationCall {
  /** The validated JSON body as a record ({} when there is none). */
  b: Record<string, any>;
  /** The decoded `{id}` path parameter ("" when the path has none). */
  id: string;
  /** A decoded path parameter by name ("" when absent). A plain function: handlers destructure it. */
  param: (name: string) => string;
}

export interface Route {
  /** The spec's operationId for this method + path (checked against the spec by the tests). */
  operationId: string;
  handle(call: RouteCall): WireResult;
}

/** `"METHOD /path"` exactly as the spec writes it → the route that answers it. */
export type RouteTable = Record<string, Route>;

/** Index route tables by operationId (the router, openapi-backend, reports the operationId). */
export function byOperationId(...tables: RouteTable[]): Map<string, Route> {
  const out = new Map<string, Route>();
  for (const table of tables) {
    for (const [key, route] of Object.entries(table)) {
      if (out.has(route.operationId)) throw new Error(`runpod emulator: operation ${route.operationId} routed twice (${key})`);
      out.set(route.operationId, route);
    }
  }
  return out;
}

export function routeCall(call: OperationCall): RouteCall {
  const param = (name: string) => (call.params[name] !== undefined ? decodeURIComponent(call.params[name]) : "");
  return { ...call, b: asRecord(call.body), id: param("id"), param };
}
