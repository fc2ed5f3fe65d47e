/**
 * What carries the client's requests: Node's own http/https module, with one keep-alive pool per
 * scheme per process. `RunpodHttp` does everything else — auth, pacing, retries, error classes,
 * redaction.
 *
 * Not undici (which carried creates and polls until 0.1): every `pulumi up` starts a fresh host,
 * and undici parses answers with a WebAssembly build of llhttp that the host compiles and
 * instantiates on its first connection, while Node's http uses the llhttp built into Node. Through
 * the real host, an `up` of 100 pods peaked at ~153 MB instead of ~181 MB and spent ~15 % less
 * host CPU (bench: `npm run bench`). Node's pool does what undici's did here: keep-alive sockets
 * shared by every resource of the stack, idle ones closed before the server's announced
 * `Keep-Alive: timeout`, and none of them keeps the process alive (they are unref'd while idle).
 */
import type * as http from "node:http";
import { registerPool } from "./pools";

export interface Sent {
  statusCode: number;
  /** Header names in lower case; a repeated header (set-cookie) as an array. */
  headers: Record<string, string | string[] | undefined>;
  text(): Promise<string>;
}

export interface SendOptions {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** No connection, or no answer (its headers, then each part of its body), within this long fails with a `…TIMEOUT` code. */
  timeoutMs: number;
}

export type Transport = (url: string, opts: SendOptions) => Promise<Sent>;

/** Error code of a request that got no answer in time; `RunpodHttp` reads any `…TIMEOUT` code as `timeout`. */
const TIMEOUT_CODE = "RUNPOD_HTTP_TIMEOUT";

/** Runpod's connections a stack may hold at once, as many as 64 resources in flight need. */
const MAX_SOCKETS = 64;
/** An idle connection is closed after this long (sooner if the server announces less). */
const IDLE_MS = 10_000;

type Scheme = "http:" | "https:";
/** One pool per scheme per module copy; `closeConnections` destroys them and the next request makes new ones. */
const pools = new Map<Scheme, http.Agent>();

/** What the transport uses of `http` and `https` alike. */
interface HttpModule {
  request(url: URL, options: http.RequestOptions): http.ClientRequest;
  Agent: new (options: http.AgentOptions) => http.Agent;
}

/* eslint-disable @typescript-eslint/no-require-imports -- built in; only the scheme in use is loaded */
function moduleFor(scheme: Scheme): HttpModule {
  return scheme === "https:" ? (require("https") as typeof import("https")) : (require("http") as typeof import("http"));
}
/* eslint-enable @typescript-eslint/no-require-imports */

function poolFor(scheme: Scheme, mod: HttpModule): http.Agent {
  const known = pools.get(scheme);
  if (known) return known;
  const agent = new mod.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, timeout: IDLE_MS });
  pools.set(scheme, agent);
  registerPool({
    close: async () => {
      if (pools.get(scheme) === agent) pools.delete(scheme);
      agent.destroy();
    },
  });
  return agent;
}

const NEVER_SENT = Symbol.for("pulumi-runpod-dynamic.neverSent");

/**
 * The request failed before its connection was made (refused, unresolvable, or no connection
 * within the timeout): Runpod cannot have seen it, so even a create may simply be sent again.
 */
export function neverSent(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { [NEVER_SENT]?: boolean })[NEVER_SENT] === true;
}

/** Sends one request and resolves with the answer's status and headers; the body is read at once. */
export const send: Transport = (url, { method, headers, body, timeoutMs }) =>
  new Promise<Sent>((resolve, reject) => {
    const target = new URL(url);
    const scheme: Scheme = target.protocol === "https:" ? "https:" : "http:";
    const mod = moduleFor(scheme);
    const timedOut = () => Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: TIMEOUT_CODE });
    const req = mod.request(target, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) },
      agent: poolFor(scheme, mod),
      // From the first byte of the connection on: `setTimeout` alone would start only once it is
      // connected, and a blackholed address would then wait for the pool's idle limit instead.
      timeout: timeoutMs,
    });
    // A pooled socket is connected already; a new one says so once its TCP connection is up.
    let connected = false;
    req.on("socket", (socket) => {
      if (!socket.connecting) connected = true;
      else socket.once("connect", () => (connected = true));
    });
    // A stall while the body arrives is a timeout too, not the broken connection it ends in.
    let stalled: Error | undefined;
    req.on("timeout", () => req.destroy((stalled = timedOut())));
    req.on("error", (e) => {
      if (!connected && typeof e === "object" && e !== null) Object.assign(e, { [NEVER_SENT]: true });
      reject(e);
    });
    req.on("response", (res) => {
      const text = new Promise<string>((done, fail) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => done(Buffer.concat(chunks).toString("utf8")));
        res.on("error", (e) => fail(stalled ?? e));
        res.on("aborted", () => fail(stalled ?? Object.assign(new Error("the connection closed before the answer ended"), { code: "ECONNRESET" })));
      });
      // Read at once, so a caller that only looks at the status does not hold the connection back
      // from the pool, nor leave an unhandled rejection behind.
      text.catch(() => undefined);
      resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, text: () => text });
    });
    req.end(body);
  });
