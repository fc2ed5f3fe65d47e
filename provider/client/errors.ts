import { ApiSurface, classifyGraphql, classifyStatus, RunpodErrorCode } from "./classify";
import { redact } from "./redact";

export type { ApiSurface, RunpodErrorCode } from "./classify";

export interface RunpodApiErrorInit {
  /** HTTP status; 0 when no HTTP answer arrived, 200 for GraphQL errors inside a 200 reply. */
  status: number;
  apiMessage: string;
  method: string;
  path: string;
  surface?: ApiSurface;
  details?: string[];
  /** Overrides the classification derived from status, surface and message. */
  code?: RunpodErrorCode;
  /** How long Runpod asked us to wait (429 `Retry-After`). */
  retryAfterMs?: number;
  /** GraphQL `errors[].extensions.code` values. */
  graphqlCodes?: string[];
  /** The request never reached Runpod: its connection was not made. */
  neverSent?: boolean;
}

/**
 * An error answered by the Runpod API (or by the network on the way to it). Branch on `code`.
 * `status` is the HTTP status (200 for GraphQL errors inside a 200 reply, 0 when no answer arrived);
 * `apiMessage` is the API's own explanation: v1's `{message}`, v2's problem `title`/`detail`/`errors`,
 * or GraphQL's `errors[].message`.
 */
export class RunpodApiError extends Error {
  readonly code: RunpodErrorCode;
  readonly status: number;
  readonly apiMessage: string;
  readonly method: string;
  readonly path: string;
  readonly surface: ApiSurface;
  /** Validation failures the API listed one by one (v2 `errors[]`). */
  readonly details: string[];
  /** The wait Runpod asked for with `Retry-After`, when it did. */
  readonly retryAfterMs?: number;
  /**
   * The request never reached Runpod (`network` or `timeout` before a connection was made): nothing
   * was changed, so even a create can be sent again without first looking for what it made.
   */
  readonly neverSent: boolean;

  constructor(init: RunpodApiErrorInit) {
    const surface = init.surface ?? "rest";
    const details = init.details ?? [];
    const text = [init.apiMessage, ...details].join(" ");
    const code = init.code ?? (surface === "graphql" && init.status === 200 ? classifyGraphql(text, init.graphqlCodes) : classifyStatus(init.status, text));
    super(redact(describe(code, init.status, surface, init.method, init.path, init.apiMessage, details)));
    this.name = "RunpodApiError";
    this.code = code;
    this.status = init.status;
    this.apiMessage = redact(init.apiMessage);
    this.method = init.method;
    this.path = init.path;
    this.surface = surface;
    this.details = details.map(redact);
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    this.neverSent = init.neverSent === true;
  }

  get isNotFound(): boolean {
    return this.code === "not_found";
  }
}

function describe(code: RunpodErrorCode, status: number, surface: ApiSurface, method: string, path: string, apiMessage: string, details: string[]): string {
  const where = surface === "graphql" ? `Runpod GraphQL ${path}` : `Runpod API ${method} ${path}`;
  const extra = details.length ? ` (${details.join("; ")})` : "";
  // A GraphQL error arrives inside an HTTP 200: naming that status would only mislead.
  const how = status === 0 || (surface === "graphql" && status === 200) ? "failed" : `failed with HTTP ${status}`;
  let hint = "";
  if (code === "unauthorized") {
    hint = " — Runpod did not accept the API key: check runpod:apiKey (`pulumi config set --secret runpod:apiKey <key>`) or RUNPOD_API_KEY";
  } else if (code === "forbidden") {
    hint = " — the API key in runpod:apiKey / RUNPOD_API_KEY is valid but lacks access to this operation: grant the key that permission in the Runpod console";
  }
  const reason = code === "network" ? `network error: ${apiMessage}` : apiMessage;
  return `${where} ${how}: ${reason}${extra}${hint}`;
}

/** Whether `error` is a Runpod failure with one of `codes`. */
export function hasCode(error: unknown, ...codes: RunpodErrorCode[]): error is RunpodApiError {
  return error instanceof RunpodApiError && codes.includes(error.code);
}

export function isNotFound(error: unknown): boolean {
  return hasCode(error, "not_found");
}

/** Identifies a create whose outcome is unknown, so the resource layer can keep it in state or tell the user. */
export interface PendingCreate {
  /** What was being created, e.g. "pod", "Secret". */
  kind: string;
  /** The name sent in the create (auto-names are unique), when the body had one. */
  name?: string;
  /** When the last create request was sent (ISO 8601). */
  sentAt: string;
}

/**
 * A create whose answer was lost (network error, timeout, 5xx) and whose recovery lookup kept failing
 * until `runpod:createRecoveryTimeoutSeconds`: the object may exist on Runpod (and may be billed).
 */
export class CreateOutcomeUnknownError extends RunpodApiError {
  readonly create: PendingCreate;
  /** The last failure of the lookup. */
  readonly lastError: unknown;

  constructor(init: { create: PendingCreate; method: string; path: string; surface: ApiSurface; waitedMs: number; lastError: unknown }) {
    const { kind, name, sentAt } = init.create;
    const named = name ? `${kind} ${name}` : kind;
    const last = init.lastError instanceof Error ? init.lastError.message : String(init.lastError);
    super({
      status: 0,
      code: "create_outcome_unknown",
      method: init.method,
      path: init.path,
      surface: init.surface,
      apiMessage:
        `creating ${named}: Runpod's answer was lost and Runpod could not be asked whether the ${kind} exists ` +
        `(tried for ${Math.round(init.waitedMs / 100) / 10}s, runpod:createRecoveryTimeoutSeconds). The ${kind} may exist: ` +
        `look for ${name ? `a ${kind} named "${name}"` : `a ${kind}`} created at about ${sentAt} in the Runpod console ` +
        `(delete it or \`pulumi import\` it) before running \`pulumi up\` again. Last error: ${last}`,
    });
    this.name = "CreateOutcomeUnknownError";
    this.message = this.apiMessage; // it already names the create; "POST /pods failed" would only repeat it
    this.create = init.create;
    this.lastError = init.lastError;
  }
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

/** One placement a create tried: a GPU type or CPU flavour, Runpod's answer, the catalog's availability. */
export interface CapacityCandidate {
  /** GPU type or CPU flavour id. */
  id: string;
  /** Runpod's refusal. */
  answer: string;
  /** The catalog's availability for it in the allowed data centres (`NONE`…`HIGH`), when it could be read. */
  availability?: string;
}

/**
 * Runpod has no machine for a placement (a pod's create or start). Code `capacity`, like the API
 * error it wraps, so callers branch the same way; `tried` names what was asked for, so the
 * message can say what to widen.
 */
export class CapacityError extends RunpodApiError {
  /** The placement that found no capacity, e.g. "1 × GPU type NVIDIA GeForce RTX 4090 in any data centre on SECURE cloud". */
  readonly tried: string;
  /** Each candidate tried, in order, when the create had several. */
  readonly candidates: CapacityCandidate[];
  constructor(cause: RunpodApiError, what: string, tried: string, candidates: CapacityCandidate[] = []) {
    super({
      status: cause.status,
      code: "capacity",
      method: cause.method,
      path: cause.path,
      surface: cause.surface,
      apiMessage: cause.apiMessage,
      details: cause.details,
    });
    this.name = "CapacityError";
    this.tried = tried;
    this.candidates = candidates;
    this.message = redact(
      `${what}: Runpod has no capacity for ${tried} (${cause.apiMessage}). List more GPU types or data centres, try another cloudType, or retry later.`,
    );
  }
}

/**
 * Why an accepted object is not usable: `not_ready` (failed or timed out while starting), `gone`
 * (it no longer exists); an endpoint that timed out because of its workers says which:
 * `throttled` (waiting on capacity) or `unhealthy` (image pull or start failure).
 */
export type ReadinessCode = "not_ready" | "gone" | "throttled" | "unhealthy";

/**
 * An object Runpod accepted did not become usable (a pod that failed to start, timed out, or was
 * terminated meanwhile). Carries the last API object seen, so the state can record it.
 */
export class NotReadyError<T = unknown> extends Error {
  readonly code: ReadinessCode;
  readonly last: T | undefined;
  constructor(code: ReadinessCode, message: string, last: T | undefined) {
    super(redact(message));
    this.name = "NotReadyError";
    this.code = code;
    this.last = last;
  }
}

/** Whether `error` is a readiness failure with one of `codes`. */
export function hasReadinessCode(error: unknown, ...codes: ReadinessCode[]): error is NotReadyError {
  return error instanceof NotReadyError && codes.includes(error.code);
}

/** A user-facing configuration problem (missing API key, bad apiVersion…). */
export class ProviderConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProviderConfigError";
  }
}
