/**
 * What carries the client's requests. `RunpodHttp` does everything else — auth, pacing, retries,
 * error classes, redaction — the same whichever carries them.
 *
 * - `pooled` (the default): undici's dispatcher with one keep-alive pool per process; what
 *   creates, polls and every other operation use.
 * - `builtin`: Node's own http/https module, one connection per request. For check's few catalog
 *   reads: every command starts a fresh host and most previews change nothing, so a preview's only
 *   request is the catalog read that authenticates the key. Loading undici for it (its modules
 *   and its WASM parser) would be that preview's largest cost; Node's http module is built in.
 */
import type { Dispatcher } from "undici";
import type { Agent } from "./undici";
import { registerPool } from "./pools";

export interface Sent {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  text(): Promise<string>;
}

export interface SendOptions {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** No answer (headers, then each part of the body) within this long fails with a `…TIMEOUT` code. */
  timeoutMs: number;
}

export type Transport = (url: string, opts: SendOptions) => Promise<Sent>;
export type TransportName = "pooled" | "builtin";

/** One keep-alive pool per process: every resource of a stack shares its connections. */
let sharedAgent: Agent | undefined;

function agent(): Agent {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- undici loads with the first pooled request
  const { Agent } = require("./undici") as typeof import("./undici");
  // A pool closed by `closeConnections` is replaced on the next request.
  if (!sharedAgent || sharedAgent.closed || sharedAgent.destroyed) {
    sharedAgent = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connections: 64 });
    registerPool(sharedAgent);
  }
  return sharedAgent;
}

/**
 * undici's dispatcher with a handler of our own, not `undici.request`: every answer is read whole
 * as text anyway, and `request` wraps each one in a stream (BodyReadable) whose machinery a fresh
 * host pays for on every request of an `up`. The handler collects the body's chunks instead.
 */
const pooled: Transport = (url, { method, headers, body, timeoutMs }) =>
  new Promise<Sent>((resolve, reject) => {
    const target = new URL(url);
    const chunks: Buffer[] = [];
    let answered: { resolve(text: string): void; reject(e: unknown): void } | undefined;
    const handler: Dispatcher.DispatchHandler = {
      // undici tells handlers of this shape from its older callback style by this method.
      onRequestStart() {},
      onResponseStart(_controller, statusCode, responseHeaders) {
        const text = new Promise<string>((done, fail) => (answered = { resolve: done, reject: fail }));
        // Read at once, like the builtin transport: a caller that only looks at the status must
        // not leave an unhandled rejection behind.
        text.catch(() => undefined);
        resolve({ statusCode, headers: responseHeaders, text: () => text });
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        answered?.resolve(Buffer.concat(chunks).toString("utf8"));
      },
      onResponseError(_controller, error) {
        if (answered) answered.reject(error);
        else reject(error);
      },
    };
    try {
      agent().dispatch(
        { origin: target.origin, path: `${target.pathname}${target.search}`, method, headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
        handler,
      );
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });

const builtin: Transport = (url, { method, headers, body, timeoutMs }) =>
  new Promise<Sent>((resolve, reject) => {
    const target = new URL(url);
    /* eslint-disable @typescript-eslint/no-require-imports -- built in; only the scheme in use is loaded */
    const mod = target.protocol === "https:" ? (require("https") as typeof import("https")) : (require("http") as typeof import("http"));
    /* eslint-enable @typescript-eslint/no-require-imports */
    const timedOut = () => Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "BUILTIN_HTTP_TIMEOUT" });
    // agent: false — a connection of its own, closed after the answer: nothing keeps the process open.
    const req = mod.request(target, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) },
      agent: false,
    });
    // A stall while the body arrives is a timeout too, not the broken connection it ends in.
    let stalled: Error | undefined;
    req.setTimeout(timeoutMs, () => req.destroy((stalled = timedOut())));
    req.on("error", reject);
    req.on("response", (res) => {
      const text = new Promise<string>((done, fail) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => done(Buffer.concat(chunks).toString("utf8")));
        res.on("error", (e) => fail(stalled ?? e));
        res.on("aborted", () => fail(stalled ?? Object.assign(new Error("the connection closed before the answer ended"), { code: "ECONNRESET" })));
      });
      // Read at once, so a caller that only looks at the status does not leave the socket waiting.
      text.catch(() => undefined);
      resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, text: () => text });
    });
    req.end(body);
  });

export const TRANSPORTS: Record<TransportName, Transport> = { pooled, builtin };
