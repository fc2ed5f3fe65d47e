import { redact } from "./redact";

export type ApiSurface = "rest" | "graphql";

/**
 * An error answered by the Runpod API (or by the network on the way to it).
 * `status` is the HTTP status (200 for GraphQL errors inside a 200 reply, 0 for network failures);
 * `apiMessage` is the API's own explanation: v1's `{message}`, v2's problem `title`/`detail`/`errors`,
 * or GraphQL's `errors[].message`.
 */
export class RunpodApiError extends Error {
  readonly status: number;
  readonly apiMessage: string;
  readonly method: string;
  readonly path: string;
  readonly surface: ApiSurface;
  /** Validation failures the API listed one by one (v2 `errors[]`). */
  readonly details: string[];

  constructor(init: {
    status: number;
    apiMessage: string;
    method: string;
    path: string;
    surface?: ApiSurface;
    details?: string[];
  }) {
    const surface = init.surface ?? "rest";
    const details = init.details ?? [];
    const where = surface === "graphql" ? `GraphQL ${init.path}` : `${init.method} ${init.path}`;
    const status = init.status === 0 ? "network error" : `HTTP ${init.status}`;
    const extra = details.length ? ` (${details.join("; ")})` : "";
    super(redact(`Runpod API ${where} failed with ${status}: ${init.apiMessage}${extra}`));
    this.name = "RunpodApiError";
    this.status = init.status;
    this.apiMessage = redact(init.apiMessage);
    this.method = init.method;
    this.path = init.path;
    this.surface = surface;
    this.details = details.map(redact);
  }

  get isNotFound(): boolean {
    if (this.status === 404) return true;
    return this.surface === "graphql" && /not found|does not exist|no secret/i.test(this.apiMessage);
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof RunpodApiError && error.isNotFound;
}

/**
 * Thrown when a create or update was accepted by Runpod but the resource did not become usable.
 * The dynamic-provider host turns `id` + `properties` into the engine's resource-init-failure,
 * so Pulumi keeps the (paid-for) resource in state and a later `up` or `destroy` can act on it.
 */
export class ResourceInitError extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];
  constructor(message: string, id: string, properties: Record<string, unknown>) {
    super(redact(message));
    this.name = "ResourceInitError";
    this.id = id;
    this.properties = properties;
    this.reasons = [this.message];
  }
}

/** A user-facing configuration problem (missing API key, bad apiVersion…). */
export class ProviderConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProviderConfigError";
  }
}
