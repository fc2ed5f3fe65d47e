import { Agent, request } from "undici";
import { RunpodApiError } from "./errors";
import { redact } from "./redact";
import { ProviderSettings, requireApiKey } from "./settings";

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

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const userAgent = "pulumi-runpod-dynamic";

/** One keep-alive pool per process: every resource of a stack shares its connections. */
let sharedAgent: Agent | undefined;
function agent(): Agent {
  sharedAgent ??= new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connections: 64 });
  return sharedAgent;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one HTTP client every resource uses: Bearer auth, per-request timeout, retries with
 * exponential backoff and full jitter (honouring Retry-After), typed errors, redaction.
 */
export class RunpodHttp {
  constructor(private readonly settings: ProviderSettings) {}

  get wire() {
    return this.settings.apiVersion;
  }

  /** Sends a request, retrying transient failures when the request is safe to repeat. */
  async rest<T = any>(req: RestRequest): Promise<T> {
    const idempotent = req.idempotent ?? req.method !== "POST";
    return this.withRetries(idempotent, () => this.once(req));
  }

  /**
   * Sends a create. A create is never blindly re-sent: when the outcome is unknown (connection
   * dropped, timeout, 5xx) we first ask `recover` whether the object exists — a lost response
   * must not buy a second volume or pod — and only re-send when it does not.
   */
  async create<T = any>(req: Omit<RestRequest, "method" | "idempotent">, recover: () => Promise<T | undefined>): Promise<T> {
    return this.withRetries(false, () => this.once({ ...req, method: "POST" }), recover);
  }

  /** A GraphQL mutation that creates: the same never-blindly-resend rule as a REST create. */
  async graphqlCreate<T>(query: string, variables: Record<string, unknown>, operation: string, recover: () => Promise<T | undefined>): Promise<T> {
    return this.withRetries(false, () => this.graphqlOnce<T>(query, variables, operation), recover);
  }

  /** A query or an idempotent mutation (value/description updates, delete). */
  async graphql<T = any>(query: string, variables: Record<string, unknown>, operation: string): Promise<T> {
    return this.withRetries(true, () => this.graphqlOnce<T>(query, variables, operation));
  }

  async graphqlOnce<T>(query: string, variables: Record<string, unknown>, operation: string): Promise<T> {
    const key = requireApiKey(this.settings);
    const json = await this.send("POST", this.settings.graphqlUrl, operation, key, { query, variables }, "graphql");
    if (json && Array.isArray(json.errors) && json.errors.length > 0) {
      const messages = json.errors.map((e: any) => String(e?.message ?? JSON.stringify(e)));
      throw new RunpodApiError({ status: 200, apiMessage: messages.join("; "), method: "POST", path: operation, surface: "graphql" });
    }
    return json?.data as T;
  }

  private async once(req: RestRequest): Promise<any> {
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

  private async send(method: Method, url: string, path: string, key: string, body: unknown, surface: "rest" | "graphql"): Promise<any> {
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
    let res;
    try {
      res = await request(url, {
        method,
        headers,
        body: payload,
        dispatcher: agent(),
        headersTimeout: this.settings.requestTimeoutMs,
        bodyTimeout: this.settings.requestTimeoutMs,
      });
    } catch (e) {
      throw networkError(e, method, path, surface);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (e) {
      throw networkError(e, method, path, surface);
    }
    if (res.statusCode >= 200 && res.statusCode < 300) {
      if (!text) return undefined;
      try {
        return JSON.parse(text);
      } catch {
        throw new RunpodApiError({ status: res.statusCode, apiMessage: `unparseable response body: ${text.slice(0, 200)}`, method, path, surface });
      }
    }
    const error = apiError(res.statusCode, text, method, path, surface);
    const retryAfter = res.headers["retry-after"];
    (error as any).retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
    throw error;
  }

  private async withRetries<T>(
    idempotent: boolean,
    attempt: () => Promise<T>,
    recover?: () => Promise<T | undefined>,
  ): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (e) {
        if (!(e instanceof RunpodApiError) || !isTransient(e) || n >= this.settings.maxRetries) throw e;
        // 429 means the request was refused before it was processed, so even a create may be re-sent.
        if (!idempotent && e.status !== 429) {
          if (!recover) throw e;
          await this.pause(e, n);
          const existing = await recover();
          if (existing !== undefined) return existing;
          continue;
        }
        await this.pause(e, n);
      }
    }
  }

  private pause(error: RunpodApiError, attempt: number): Promise<void> {
    const retryAfter: number | undefined = (error as any).retryAfterMs;
    const exp = Math.min(this.settings.maxRetryDelayMs, this.settings.retryBaseDelayMs * 2 ** attempt);
    const jittered = Math.random() * exp;
    const delay = retryAfter !== undefined ? Math.min(retryAfter, this.settings.maxRetryDelayMs) : jittered;
    return sleep(delay);
  }
}

function isTransient(error: RunpodApiError): boolean {
  return error.status === 0 || RETRYABLE_STATUS.has(error.status);
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function networkError(e: unknown, method: string, path: string, surface: "rest" | "graphql"): RunpodApiError {
  const err = e as { code?: string; message?: string };
  const reason = [err?.code, err?.message].filter(Boolean).join(": ") || String(e);
  return new RunpodApiError({ status: 0, apiMessage: redact(reason), method, path, surface });
}

/** Reads v2's problem body, v1's `{message}`, or falls back to the raw text. */
export function apiError(status: number, text: string, method: string, path: string, surface: "rest" | "graphql"): RunpodApiError {
  let apiMessage = text.trim() || httpReason(status);
  let details: string[] = [];
  try {
    const body = JSON.parse(text);
    if (body && typeof body === "object") {
      if (typeof body.title === "string" || typeof body.detail === "string") {
        apiMessage = [body.title, body.detail].filter((s) => typeof s === "string" && s).join(": ");
        if (Array.isArray(body.errors)) details = body.errors.map(String);
      } else if (typeof body.message === "string") {
        apiMessage = body.message;
      } else if (typeof body.error === "string") {
        apiMessage = body.error;
      } else if (Array.isArray(body.errors) && body.errors.length) {
        apiMessage = body.errors.map((x: any) => x?.message ?? String(x)).join("; ");
      }
    }
  } catch {
    // not JSON: keep the text
  }
  return new RunpodApiError({ status, apiMessage: apiMessage.slice(0, 2000), method, path, surface, details });
}

function httpReason(status: number): string {
  const reasons: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict", 422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" };
  return reasons[status] ?? `status ${status}`;
}
