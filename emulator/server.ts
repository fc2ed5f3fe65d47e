// The HTTP front: one node:http server on 127.0.0.1 serving REST v2 (/v2), REST v1 (/v1),
// GraphQL (/graphql) and the admin API (/__emulator). Per request:
//   read body → route + validate against the spec (pure) → latency / fault decision (before any
//   state change) → auth → handle → optional response-schema check → lost-response / slow-body faults.
import * as http from "node:http";
import type { Socket } from "node:net";
import { Faults } from "./faults";
import { getBackend, RestWire, Routed, WireBackend } from "./specs";
import { Store } from "./state";
import { handleV2, problem } from "./rest-v2";
import { handleV1, v1Error } from "./rest-v1";
import { executeGraphQL, inspectGraphQL } from "./graphql";
import { CREATE_OPERATIONS, WireResult } from "./wire";
import { authenticate, isReadOnlyMethod } from "./auth";
import { RateLimiter, RateLimitPolicy } from "./ratelimit";
import { sparsify } from "./sparse";

export type Wire = "v1" | "v2" | "graphql" | "admin" | "unknown";

export interface RequestLogEntry {
  seq: number;
  method: string;
  path: string;
  /** Query parameters; values of key-like parameters (api_key, token, …) are redacted. */
  query: Record<string, string | string[]>;
  wire: Wire;
  /** operationId from the spec (v2 "createPod", v1 "CreatePod"), GraphQL root field(s), or null if unrouted. */
  operation: string | null;
  /** Status sent (or, for a lost create response, the status that would have been sent); 0 = connection dropped. */
  status: number;
  /** Fault applied to this request, e.g. "429:burst", "error:503", "drop-connection", "lost-response", "slow-body:200ms". */
  fault?: string;
  durationMs: number;
  /** Response-schema violations (only with `validateResponses`). */
  responseErrors?: string[];
}

export interface ServerContext {
  store: Store;
  faults: Faults;
  apiKey: string | undefined;
  quiet: boolean;
  validateResponses: boolean;
  admin: (method: string, path: string, body: unknown) => Promise<WireResult> | WireResult;
  /** The realism switches, read per request (tests flip them at runtime). */
  realism: () => RealismSwitches;
  limiter: RateLimiter;
  onLog: (entry: RequestLogEntry) => void;
}

/** Per-request view of the switches in `EmulatorSettings` that the HTTP front applies. */
export interface RealismSwitches {
  /** null = rate-limit-exempt caller: no quota, no RateLimit headers. */
  rateLimit: RateLimitPolicy | null;
  readOnlyKeys: readonly string[];
  sparse: boolean;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;
const SECRET_QUERY_KEYS = /^(api[_-]?key|apikey|key|token|access[_-]?token|auth|authorization|password|secret)$/i;

function classify(path: string): Wire {
  if (path === "/__emulator" || path.startsWith("/__emulator/")) return "admin";
  if (path === "/v2" || path.startsWith("/v2/")) return "v2";
  if (path === "/v1" || path.startsWith("/v1/")) return "v1";
  if (path === "/graphql" || path === "/graphql/") return "graphql";
  return "unknown";
}

function redactQuery(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key).map((v) => (SECRET_QUERY_KEYS.test(key) ? "[redacted]" : v));
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

function errorBody(wire: Wire, status: number, message: string, headers?: Record<string, string>): WireResult {
  let r: WireResult;
  if (wire === "v2") r = problem(status, message);
  else if (wire === "graphql") r = { status, body: { errors: [{ message, extensions: { code: status === 401 ? "UNAUTHENTICATED" : `HTTP_${status}` } }] } };
  else r = v1Error(status, message);
  if (headers) r.headers = { ...(r.headers ?? {}), ...headers };
  return r;
}

export class EmulatorServer {
  readonly http: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private seq = 0;
  private closing = false;
  private backends: Record<RestWire, WireBackend> | undefined;

  constructor(private readonly ctx: ServerContext) {
    this.http = http.createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        if (!this.ctx.quiet) console.error(`[runpod-emulator] internal error: ${(err as Error).stack ?? err}`);
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ message: "internal emulator error" }));
        }
      });
    });
    this.http.on("connection", (s: Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
  }

  async listen(port: number): Promise<number> {
    this.backends = { v1: await getBackend("v1"), v2: await getBackend("v2") };
    await new Promise<void>((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(port, "127.0.0.1", () => {
        this.http.off("error", reject);
        resolve();
      });
    });
    const addr = this.http.address();
    if (!addr || typeof addr === "string") throw new Error("runpod emulator: no listening address");
    return addr.port;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.http.closeAllConnections?.();
    await closed;
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private readBody(req: http.IncomingMessage): Promise<{ raw: string; tooLarge: boolean }> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on("data", (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) tooLarge = true;
        else chunks.push(c);
      });
      req.on("end", () => resolve({ raw: Buffer.concat(chunks).toString("utf8"), tooLarge }));
      req.on("error", reject);
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname;
    const wire = classify(path);
    const { raw, tooLarge } = await this.readBody(req);

    if (wire === "admin") {
      let body: unknown = undefined;
      if (raw.trim()) {
        try {
          body = JSON.parse(raw);
        } catch {
          return this.send(res, { status: 400, body: { message: "malformed JSON body" } }, 0);
        }
      }
      return this.send(res, await this.ctx.admin(method, path, body), 0);
    }

    const entry: RequestLogEntry = {
      seq: ++this.seq,
      method,
      path,
      query: redactQuery(url.searchParams),
      wire,
      operation: null,
      status: 0,
      durationMs: 0,
    };
    const finish = (status: number) => {
      entry.status = status;
      entry.durationMs = Math.round((performance.now() - started) * 100) / 100;
      this.ctx.onLog(entry);
      if (!this.ctx.quiet) {
        console.log(
          `[runpod-emulator] #${entry.seq} ${method} ${path} ${entry.operation ?? "-"} -> ${status || "dropped"}${entry.fault ? ` [fault ${entry.fault}]` : ""} (${entry.durationMs}ms)`,
        );
      }
    };

    // Parse + route + validate (pure: nothing is mutated here).
    let parsedBody: unknown = undefined;
    let malformed = false;
    if (raw.trim()) {
      try {
        parsedBody = JSON.parse(raw);
      } catch {
        malformed = true;
      }
    }
    let routed: Routed | undefined;
    let gql: ReturnType<typeof inspectGraphQL> | undefined;
    if ((wire === "v1" || wire === "v2") && !malformed && !tooLarge) {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      headers["content-type"] = "application/json";
      const query: Record<string, string | string[]> = {};
      for (const key of new Set(url.searchParams.keys())) {
        const all = url.searchParams.getAll(key);
        query[key] = all.length === 1 ? all[0] : all;
      }
      routed = await this.backends![wire].route({ method, path, query, headers, body: parsedBody });
      if (routed.kind === "ok" || routed.kind === "invalid") entry.operation = routed.operationId;
    } else if (wire === "graphql" && method === "POST" && !malformed && !tooLarge) {
      gql = inspectGraphQL(parsedBody);
      if (gql.ok) entry.operation = gql.info.operations.join(",");
    }

    // Transport faults (before auth and before any state change).
    await this.sleep(this.ctx.faults.latencyMs);
    if (this.closing) return;
    if (this.ctx.faults.decideTransport().kind === "drop") {
      entry.fault = "drop-connection";
      finish(0);
      req.socket.destroy();
      return;
    }

    // Authentication comes before any rate limiting: a bad key is a 401, never a 429 (and a 401
    // carries no RateLimit headers: the spec declares them on authenticated answers only).
    const realism = this.ctx.realism();
    const isPublic = wire === "v1" && method === "GET" && (path === "/v1/openapi.json" || path === "/v1/docs");
    const authenticated = !isPublic && wire !== "unknown";
    let readOnly = false;
    if (authenticated) {
      const auth = authenticate(req.headers.authorization, this.ctx.apiKey, realism.readOnlyKeys);
      if (!auth.ok) {
        const r = errorBody(wire, 401, auth.message);
        r.headers = { ...(r.headers ?? {}), "www-authenticate": 'Bearer realm="runpod"' };
        finish(401);
        return this.send(res, r, 0, entry.seq);
      }
      readOnly = auth.readOnly;
    }
    const policy = authenticated ? realism.rateLimit : null;
    let rateHeaders: Record<string, string> = policy ? this.ctx.limiter.headers(policy) : {};

    const decision = this.ctx.faults.decideAfterAuth(path);
    if (decision.kind === "429") {
      entry.fault = `429:${decision.reason}`;
      const r = errorBody(
        wire,
        429,
        decision.reason === "rate-limit" ? "rate limit exceeded for the second window" : "rate limit exceeded for the minute window",
        {
          ...rateHeaders,
          "retry-after": String(decision.retryAfterSeconds),
        },
      );
      finish(r.status);
      return this.send(res, r, 0, entry.seq);
    }
    if (decision.kind === "error") {
      entry.fault = `error:${decision.status}`;
      const r = errorBody(
        wire,
        decision.status,
        decision.status === 503 ? "service temporarily unavailable" : decision.status === 504 ? "upstream request timed out" : "upstream error",
      );
      finish(r.status);
      return this.send(res, r, 0, entry.seq);
    }
    if (policy) {
      const taken = this.ctx.limiter.take(policy);
      rateHeaders = taken.headers;
      if (taken.limited) {
        const r = errorBody(wire, 429, "rate limit exceeded", { ...rateHeaders, "retry-after": String(taken.retryAfterSeconds) });
        finish(429);
        return this.send(res, r, 0, entry.seq);
      }
    }
    const mutates = wire === "graphql" ? gql?.ok === true && gql.op.type === "mutation" : !isReadOnlyMethod(method);
    if (readOnly && mutates && !malformed && !tooLarge) {
      const r =
        wire === "graphql"
          ? { status: 200, body: { data: null, errors: [{ message: "access denied: this API key is read-only", extensions: { code: "FORBIDDEN" } }] } }
          : errorBody(wire, 403, "access denied: this API key is read-only");
      r.headers = { ...rateHeaders, ...(r.headers ?? {}) };
      finish(r.status);
      return this.send(res, r, 0, entry.seq);
    }

    let result: WireResult;
    if (tooLarge) {
      result = errorBody(wire, 413, `request body exceeds ${MAX_BODY_BYTES} bytes`);
    } else if (malformed) {
      result =
        wire === "v2"
          ? problem(400, "request body is not valid JSON", ["body: malformed JSON"])
          : wire === "graphql"
            ? { status: 400, body: { errors: [{ message: "POST body sent invalid JSON." }] } }
            : v1Error(400, "Invalid input: request body is not valid JSON");
    } else if (wire === "v1" || wire === "v2") {
      result = this.handleRest(wire, routed!);
      if (realism.sparse && routed!.kind === "ok" && result.status >= 200 && result.status < 300 && result.body !== undefined) {
        result = { ...result, body: sparsify(wire, routed!.operationId, result.status, result.body) };
      }
      if (this.ctx.validateResponses && routed!.kind === "ok") {
        const errs = this.backends![wire].validateResponse(routed!.operationId, result.status, result.body);
        if (errs.length) {
          entry.responseErrors = errs;
          if (!this.ctx.quiet) console.warn(`[runpod-emulator] response of ${routed!.operationId} (${result.status}) violates the spec: ${errs.join("; ")}`);
        }
      }
    } else if (wire === "graphql") {
      if (method !== "POST") result = { status: 405, body: { errors: [{ message: "GraphQL only supports POST requests." }] }, headers: { allow: "POST" } };
      else if (!gql!.ok) result = gql!.result;
      else result = executeGraphQL(this.ctx.store, gql!.op, parsedBody);
    } else {
      result = { status: 404, body: { message: `no route for ${method} ${path} (wires: /v2, /v1, /graphql; admin: /__emulator)` } };
    }

    // "Create succeeded but the response was lost": state is changed, the client sees a socket error.
    const isCreate =
      (routed?.kind === "ok" && CREATE_OPERATIONS.has(routed.operationId)) ||
      (wire === "graphql" && gql?.ok === true && gql.info.operations.includes("secretCreate"));
    const succeeded = result.status >= 200 && result.status < 300 && !(wire === "graphql" && (result.body as { errors?: unknown }).errors);
    if (isCreate && succeeded && this.ctx.faults.takeLostCreate()) {
      entry.fault = "lost-response";
      finish(result.status);
      req.socket.destroy();
      return;
    }

    if (!result.omitRateLimitHeaders) result.headers = { ...rateHeaders, ...(result.headers ?? {}) };
    const slow = this.ctx.faults.slowBodyMs;
    if (slow > 0) entry.fault = `slow-body:${slow}ms`;
    finish(result.status);
    await this.send(res, result, slow, entry.seq);
  }

  private handleRest(wire: RestWire, routed: Routed): WireResult {
    switch (routed.kind) {
      case "notFound":
        return wire === "v2" ? problem(404, "no such route") : v1Error(404, "not found");
      case "methodNotAllowed":
        return wire === "v2" ? problem(405, "method not allowed for this path") : v1Error(405, "method not allowed");
      case "invalid":
        return wire === "v2" ? problem(routed.status, "Request validation failed.", routed.errors) : v1Error(400, `Invalid input: ${routed.errors.join("; ")}`);
      case "ok": {
        const call = { store: this.ctx.store, operationId: routed.operationId, params: routed.params, query: routed.query, body: routed.body };
        return wire === "v2" ? handleV2(call) : handleV1(call);
      }
    }
  }

  private async send(res: http.ServerResponse, r: WireResult, slowBodyMs: number, seq?: number): Promise<void> {
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    if (seq !== undefined) headers["x-emulator-seq"] = String(seq);
    let payload = "";
    if (r.body !== undefined && r.status !== 204) {
      payload = typeof r.body === "string" ? r.body : JSON.stringify(r.body);
      headers["content-type"] = r.contentType ?? "application/json";
    }
    headers["content-length"] = String(Buffer.byteLength(payload));
    if (slowBodyMs > 0) {
      res.writeHead(r.status, headers);
      res.flushHeaders();
      await this.sleep(slowBodyMs);
      if (!res.destroyed) res.end(payload);
      return;
    }
    res.writeHead(r.status, headers);
    res.end(payload);
  }
}
