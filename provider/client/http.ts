import { RunpodApiError } from "./errors";
import { Lease, limiterFor, RateLimiter, RateLimitWaitTooLong } from "./ratelimit";
import { createWithRecovery, CreateTarget } from "./recovery";
import { redact } from "./redact";
import { backoffCapMs, ProviderSettings, requireApiKey } from "./settings";
import { ApiSurface } from "./classify";
import { neverSent, send } from "./transport";

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface RestRequest {
  method: Method;
  /** Path under the REST base, e.g. "/network-volumes/abc". */
  path: string;
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: unknown;
  /**
   * Safe to send again after a transient failure. GET, PATCH, PUT and DELETE always are;
   * a POST is only when it is an action (pod start/stop), never a create.
   */
  idempotent?: boolean;
}

/** Names a create in the messages of its failures (see CreateOutcomeUnknownError). */
export interface CreateOptions {
  /** What is created: "pod", or a type name such as "NetworkVolume" (shown as "network volume"). */
  kind?: string;
  /** The name sent; defaults to the body's (GraphQL: `input`'s) `name`. */
  name?: string;
}

const userAgent = "pulumi-runpod-dynamic";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one HTTP client every resource uses: Bearer auth, per-request timeout, pacing from Runpod's
 * rate-limit headers, waits on 429 as long as Runpod asks, retries of transient failures with
 * exponential backoff and full jitter, creates that are never lost nor duplicated, classified
 * errors (`RunpodApiError.code`), redaction.
 */
export class RunpodHttp {
  private readonly limiter: (url: string) => RateLimiter;

  constructor(
    private readonly settings: ProviderSettings,
    deps: { limiterFor?: (url: string) => RateLimiter } = {},
  ) {
    this.limiter = deps.limiterFor ?? limiterFor;
  }

  get wire() {
    return this.settings.apiVersion;
  }

  /** Sends a request, retrying transient failures when the request is safe to repeat. */
  async rest<T = unknown>(req: RestRequest): Promise<T> {
    const idempotent = req.idempotent ?? req.method !== "POST";
    return (idempotent ? this.withRetries(() => this.once(req)) : this.once(req)) as Promise<T>;
  }

  /**
   * Sends a create. A create is never blindly re-sent: when the outcome is unknown (connection
   * dropped, timeout, 5xx) we ask `recover` whether the object exists — a lost response must not
   * buy a second volume or pod — until `runpod:createRecoveryTimeoutSeconds`, and re-send only once
   * it is known not to exist. Throws CreateOutcomeUnknownError when that could not be found out.
   */
  async create<T = unknown>(req: Omit<RestRequest, "method" | "idempotent">, recover: () => Promise<T | undefined>, options: CreateOptions = {}): Promise<T> {
    const target = this.target(options, "POST", req.path, "rest", req.body);
    return createWithRecovery(() => this.once({ ...req, method: "POST" }) as Promise<T>, recover, target, this.recoveryDeps());
  }

  /** A GraphQL mutation that creates: the same never-blindly-resend rule as a REST create. */
  async graphqlCreate<T>(
    query: string,
    variables: Record<string, unknown>,
    operation: string,
    recover: () => Promise<T | undefined>,
    options: CreateOptions = {},
  ): Promise<T> {
    const target = this.target(options, "POST", operation, "graphql", variables.input);
    return createWithRecovery(() => this.graphqlOnce<T>(query, variables, operation), recover, target, this.recoveryDeps());
  }

  /** A query or an idempotent mutation (value/description updates, delete). */
  async graphql<T = unknown>(query: string, variables: Record<string, unknown>, operation: string): Promise<T> {
    return this.withRetries(() => this.graphqlOnce<T>(query, variables, operation));
  }

  async graphqlOnce<T>(query: string, variables: Record<string, unknown>, operation: string): Promise<T> {
    const key = requireApiKey(this.settings);
    const json = (await this.send("POST", this.settings.graphqlUrl, operation, key, { query, variables }, "graphql")) as
      { errors?: unknown; data?: unknown } | undefined;
    if (json && Array.isArray(json.errors) && json.errors.length > 0) {
      const errors = json.errors as Array<{ message?: unknown; extensions?: { code?: unknown } }>;
      const messages = errors.map((e) => (typeof e?.message === "string" ? e.message : JSON.stringify(e)));
      const graphqlCodes = errors.flatMap((e) => (typeof e?.extensions?.code === "string" ? [e.extensions.code] : []));
      throw new RunpodApiError({ status: 200, apiMessage: messages.join("; "), method: "POST", path: operation, surface: "graphql", graphqlCodes });
    }
    return json?.data as T;
  }

  private target(options: CreateOptions, method: string, path: string, surface: ApiSurface, body: unknown): CreateTarget {
    const sentName = body && typeof body === "object" ? (body as { name?: unknown }).name : undefined;
    return {
      kind: kindLabel(options.kind ?? "object"),
      name: options.name ?? (typeof sentName === "string" ? sentName : undefined),
      method,
      path,
      surface,
    };
  }

  private recoveryDeps() {
    return { settings: this.settings, now: Date.now, sleep, random: Math.random };
  }

  private async once(req: RestRequest): Promise<unknown> {
    const key = requireApiKey(this.settings);
    let url = this.settings.restUrl + req.path;
    if (req.query) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(req.query)) {
        if (v === undefined) continue;
        for (const item of Array.isArray(v) ? v : [v]) params.append(k, String(item));
      }
      const qs = params.toString();
      if (qs) url += `?${qs}`;
    }
    return this.send(req.method, url, req.path, key, req.body, "rest");
  }

  /**
   * One request as far as the rate limit lets it through: paced by the shared limiter, and sent
   * again after a 429 as soon as Runpod's `Retry-After` allows. A 429 means Runpod refused before
   * doing anything, so waiting it out is not a failure and spends no retry; only
   * `runpod:rateLimitTimeoutSeconds` bounds it.
   */
  private async send(method: Method, url: string, path: string, key: string, body: unknown, surface: ApiSurface): Promise<unknown> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${key}`,
      accept: "application/json",
      "user-agent": userAgent,
    };
    let payload: string | undefined;
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body);
    }
    const limiter = this.limiter(url);
    const started = Date.now();
    const deadline = started + this.settings.rateLimitTimeoutMs;
    for (let refusals = 0; ; refusals++) {
      let lease: Lease;
      try {
        lease = await limiter.acquire(deadline);
      } catch (e) {
        if (!(e instanceof RateLimitWaitTooLong)) throw e;
        throw this.rateLimited(
          method,
          path,
          surface,
          `pacing by Runpod's RateLimit headers would wait ${Math.ceil(e.waitMs / 1000)}s more`,
          undefined,
          started,
        );
      }
      let res;
      try {
        res = await send(url, { method, headers, body: payload, timeoutMs: this.settings.requestTimeoutMs });
      } catch (e) {
        lease.done();
        throw this.networkError(e, method, path, surface);
      }
      lease.done(res.headers);
      let text: string;
      try {
        text = await res.text();
      } catch (e) {
        throw this.networkError(e, method, path, surface);
      }
      if (res.statusCode >= 200 && res.statusCode < 300) {
        if (!text) return undefined;
        try {
          return JSON.parse(text);
        } catch {
          throw new RunpodApiError({
            status: res.statusCode,
            code: "unknown",
            apiMessage: `unparseable response body: ${text.slice(0, 200)}`,
            method,
            path,
            surface,
          });
        }
      }
      const retryAfterMs = parseRetryAfter(first(res.headers["retry-after"]));
      const error = apiError(res.statusCode, text, method, path, surface, retryAfterMs);
      if (error.code !== "rate_limited") throw error;
      const base = retryAfterMs ?? backoffCapMs(this.settings, refusals);
      // Retry-After is a minimum; the random extra keeps workers refused together from returning together.
      const wait = base + Math.random() * Math.min(1000, base * 0.2 + 10);
      if (Date.now() + wait > deadline) throw this.rateLimited(method, path, surface, error.apiMessage, retryAfterMs, started);
      await sleep(wait);
    }
  }

  private rateLimited(method: string, path: string, surface: ApiSurface, why: string, retryAfterMs: number | undefined, started: number): RunpodApiError {
    const waited = Math.round((Date.now() - started) / 100) / 10;
    return new RunpodApiError({
      status: 429,
      code: "rate_limited",
      method,
      path,
      surface,
      retryAfterMs,
      apiMessage: `${why}; waited ${waited}s and waiting longer would pass runpod:rateLimitTimeoutSeconds (${this.settings.rateLimitTimeoutMs / 1000}s)`,
    });
  }

  private networkError(e: unknown, method: string, path: string, surface: ApiSurface): RunpodApiError {
    const err = e as { code?: string; message?: string };
    const unsent = neverSent(e);
    if (typeof err?.code === "string" && /TIMEOUT/.test(err.code)) {
      const what = unsent ? "no connection" : "no answer";
      const apiMessage = `${what} within ${this.settings.requestTimeoutMs / 1000}s (runpod:requestTimeoutSeconds)`;
      return new RunpodApiError({ status: 0, code: "timeout", apiMessage, method, path, surface, neverSent: unsent });
    }
    const reason = [err?.code, err?.message].filter(Boolean).join(": ") || String(e);
    return new RunpodApiError({ status: 0, code: "network", apiMessage: redact(reason), method, path, surface, neverSent: unsent });
  }

  /** Retries transient failures (5xx, network, timeout) of a request that is safe to repeat. */
  private async withRetries<T>(attempt: () => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (e) {
        if (!(e instanceof RunpodApiError) || !["transient", "network", "timeout"].includes(e.code) || n >= this.settings.maxRetries) throw e;
        await sleep(Math.random() * backoffCapMs(this.settings, n));
      }
    }
  }
}

/** "NetworkVolume" → "network volume"; "pod" stays "pod". */
function kindLabel(kind: string): string {
  return kind.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `Retry-After`: integer seconds per the v2 spec; decimals and HTTP dates are accepted too. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Reads v2's problem body, v1's `{message}`, or falls back to the raw text; the code follows from it. */
export function apiError(status: number, text: string, method: string, path: string, surface: ApiSurface, retryAfterMs?: number): RunpodApiError {
  let apiMessage = text.trim() || httpReason(status);
  let details: string[] = [];
  const asText = (x: unknown): string => (typeof x === "string" ? x : JSON.stringify(x));
  try {
    const body = JSON.parse(text) as { title?: unknown; detail?: unknown; errors?: unknown; message?: unknown; error?: unknown } | null;
    if (body && typeof body === "object") {
      if (typeof body.title === "string" || typeof body.detail === "string") {
        apiMessage = [body.title, body.detail].filter((s): s is string => typeof s === "string" && s !== "").join(": ");
        if (Array.isArray(body.errors)) details = body.errors.map(asText);
      } else if (typeof body.message === "string") {
        apiMessage = body.message;
      } else if (typeof body.error === "string") {
        apiMessage = body.error;
      } else if (Array.isArray(body.errors) && body.errors.length) {
        apiMessage = (body.errors as Array<{ message?: unknown } | null>).map((x) => asText(x?.message ?? x)).join("; ");
      }
    }
  } catch {
    // not JSON: keep the text
  }
  return new RunpodApiError({ status, apiMessage: apiMessage.slice(0, 2000), method, path, surface, details, retryAfterMs });
}

function httpReason(status: number): string {
  const reasons: Record<number, string> = {
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
  };
  return reasons[status] ?? `status ${status}`;
}
