/**
 * The one place that reads Runpod's status codes and message text to decide what a failure *is*.
 * Runpod gives no machine-readable reason for several refusals (capacity, template in use, GraphQL
 * not-found), so the message patterns below are the only way to tell them apart; every caller
 * branches on the resulting {@link RunpodErrorCode} instead of repeating these patterns.
 */

/**
 * Why a Runpod call failed. Stable: callers branch on it, never on message text.
 *
 * - `not_found` — the object does not exist (HTTP 404, or a GraphQL "not found" error).
 * - `conflict` — the object's current state refuses the operation (HTTP 409: pod busy, locked, in a
 *   cluster), or Runpod's state is ambiguous (a lost create matches several objects).
 * - `in_use` — a delete refused because a pod or endpoint still uses the object (template, volume, registry auth).
 * - `capacity` — no GPU/CPU capacity for the requested placement (Runpod answers 400 with a prose reason).
 * - `rate_limited` — HTTP 429 and waiting longer would exceed `runpod:rateLimitTimeoutSeconds`.
 * - `transient` — HTTP 5xx: an upstream failure worth retrying.
 * - `timeout` — no connection, or no answer, within `runpod:requestTimeoutSeconds`.
 * - `network` — the connection failed or was cut without an HTTP answer (`neverSent` on the error when it was never made).
 * - `unauthorized` — HTTP 401: the API key is missing, malformed, expired or revoked.
 * - `forbidden` — HTTP 403: a valid key without access to this operation or pool.
 * - `payment_required` — HTTP 402: insufficient account balance.
 * - `validation` — HTTP 400/422 (or a GraphQL input error): the request breaks a rule; never retried.
 * - `graphql` — a GraphQL error Runpod answered that fits none of the codes above.
 * - `create_outcome_unknown` — a create's answer was lost and Runpod could not be asked whether the
 *   object exists before `runpod:createRecoveryTimeoutSeconds` ran out: it may exist.
 * - `unknown` — anything else (unexpected status, unparseable answer).
 */
export type RunpodErrorCode =
  | "not_found"
  | "conflict"
  | "in_use"
  | "capacity"
  | "rate_limited"
  | "transient"
  | "timeout"
  | "network"
  | "unauthorized"
  | "forbidden"
  | "payment_required"
  | "validation"
  | "graphql"
  | "create_outcome_unknown"
  | "unknown";

export type ApiSurface = "rest" | "graphql";

/**
 * v1: "There are no longer any instances available with the requested specifications";
 * v2: "There are no instances currently available" / "this GPU and data center combination could not
 * be placed" (v2 spec: capacity exhaustion "carries no machine-readable code … only a human-readable detail").
 */
const CAPACITY =
  /no (longer any )?(instances?|machines?|gpus?)( are)?( currently)? available|could not be placed|not enough (free )?(gpus|capacity|resources)|insufficient (capacity|resources|gpus)|out of (capacity|stock)|no capacity/i;

/** "Template is in use by a pod or serverless endpoint", "Registry credential is in use by a pod", v1's 2-minute grace. */
const IN_USE = /in use|being used|used by|still use|referenced by|assigned to|bound to/i;

/** GraphQL has no status codes: a missing secret is only an error message. */
const GRAPHQL_NOT_FOUND = /not found|does not exist|no secret/i;
const GRAPHQL_UNAUTHORIZED = /unauthori[sz]ed|not authenticated|invalid api key/i;

/** Classifies an HTTP answer (status ≥ 400) from its status and Runpod's explanation. */
export function classifyStatus(status: number, text: string): RunpodErrorCode {
  if (status === 401) return "unauthorized";
  if (status === 402) return "payment_required";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "transient";
  if (status === 400 || status === 409 || status === 422) {
    if (CAPACITY.test(text)) return "capacity";
    if (IN_USE.test(text)) return "in_use";
    return status === 409 ? "conflict" : "validation";
  }
  return "unknown";
}

/** Apollo-style `errors[].extensions.code` values, when Runpod sends them. */
const GRAPHQL_CODES: Record<string, RunpodErrorCode> = {
  NOT_FOUND: "not_found",
  UNAUTHENTICATED: "unauthorized",
  FORBIDDEN: "forbidden",
  BAD_USER_INPUT: "validation",
  GRAPHQL_VALIDATION_FAILED: "validation",
  GRAPHQL_PARSE_FAILED: "validation",
};

/** Classifies the `errors[]` of a GraphQL answer (HTTP 200): `extensions.code` first, then the text. */
export function classifyGraphql(text: string, extensionCodes: string[] = []): RunpodErrorCode {
  for (const c of extensionCodes) if (GRAPHQL_CODES[c]) return GRAPHQL_CODES[c];
  if (GRAPHQL_NOT_FOUND.test(text)) return "not_found";
  if (GRAPHQL_UNAUTHORIZED.test(text)) return "unauthorized";
  if (CAPACITY.test(text)) return "capacity";
  if (IN_USE.test(text)) return "in_use";
  return "graphql";
}

/** Failures after which the same request may be sent again (an idempotent one, or a create after a lookup). */
export function isRetryableCode(code: RunpodErrorCode): boolean {
  return code === "transient" || code === "network" || code === "timeout";
}

/** The request may have reached Runpod and been applied: for a create, the object may exist. */
export const isOutcomeUnknownCode = isRetryableCode;
