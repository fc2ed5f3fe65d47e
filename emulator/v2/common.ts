// Shared pieces of the REST v2 wire: RFC 9457 problem documents, the mapping of domain errors
// to v2 statuses, and the container body <-> model conversions every resource uses.
import { ContainerFields, DomainError, ScalerType, V2_CAPACITY_TITLE, splitArgs } from "../state";
import { WireResult, has } from "../wire";

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function problem(status: number, detail: string, errors?: string[], title?: string): WireResult {
  const body: Record<string, unknown> = { title: title ?? TITLES[status] ?? "Error", status, detail };
  if (errors && errors.length) body.errors = errors;
  return { status, body, contentType: "application/problem+json" };
}

/** Operations whose documented responses include 404 (a referenced id that does not exist → 404). */
const DOCUMENTS_404_FOR_REFS = new Set(["createPod", "updatePod", "createEndpoint", "updateEndpoint"]);

export function domainErrorV2(err: DomainError, operationId: string): WireResult {
  const fieldErrors = err.field ? [err.message.startsWith(err.field) ? err.message : `${err.field}: ${err.message}`] : undefined;
  switch (err.kind) {
    case "notFound":
      return problem(404, err.message);
    case "refNotFound":
      return DOCUMENTS_404_FOR_REFS.has(operationId) ? problem(404, err.message, fieldErrors) : problem(400, err.message, fieldErrors);
    case "schema":
      return problem(422, err.message, fieldErrors);
    case "conflict":
      return problem(409, err.message);
    case "capacity":
      return problem(
        400,
        `${V2_CAPACITY_TITLE} for the requested specification (${err.message}). Try another GPU type or data center.`,
        undefined,
        V2_CAPACITY_TITLE,
      );
    case "inUse":
    case "invalid":
    default:
      return problem(400, err.message, fieldErrors);
  }
}

export function containerV2(c: ContainerFields) {
  return { image: c.image, args: c.args, disk: c.disk, env: c.env, ports: c.ports, registry: c.registryId };
}

export function queryList(q: Record<string, unknown>, key: string): string[] | undefined {
  const v = q[key];
  if (v === undefined) return undefined;
  if (Array.isArray(v))
    return v
      .map(String)
      .flatMap((s) => s.split(","))
      .filter((s) => s !== "");
  return (typeof v === "string" ? v : JSON.stringify(v)).split(",").filter((s) => s !== "");
}

export function containerPatchV2(b: Record<string, any>): Partial<ContainerFields> {
  const out: Partial<ContainerFields> = {};
  if (has(b, "image")) out.image = b.image;
  if (has(b, "args")) {
    out.args = b.args;
    out.dockerEntrypoint = [];
    out.dockerStartCmd = splitArgs(b.args);
  }
  if (has(b, "disk")) out.disk = b.disk;
  if (has(b, "env")) out.env = b.env;
  if (has(b, "ports")) out.ports = b.ports;
  if (has(b, "registry")) out.registryId = b.registry;
  return out;
}

export const V2_CONTAINER_DEFAULTS: ContainerFields = {
  image: "",
  args: "",
  dockerEntrypoint: [],
  dockerStartCmd: [],
  disk: 50,
  env: {},
  ports: [],
  registryId: null,
};

export function scalingFromV2(s: Record<string, any>): { scalerType: ScalerType; scalerValue: number } {
  return s.type === "QUEUE_DELAY"
    ? { scalerType: "QUEUE_DELAY", scalerValue: Number(s.queueDelay) }
    : { scalerType: "REQUEST_COUNT", scalerValue: Number(s.requestCount) };
}
