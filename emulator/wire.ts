// Shared shapes for the wire handlers.
import type { Store } from "./state";

export interface WireResult {
  status: number;
  /** JSON-serialisable body; undefined = no body. A string is sent as-is. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
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
