/**
 * The two pieces of undici the client uses — its connection pool (`Agent`) and `request` — loaded
 * without undici's index. Every `pulumi up` starts a fresh host, and undici's index also loads
 * fetch, WebSocket, EventSource, the caches, the mocks and the interceptors, none of which the
 * provider uses: about 8 MB of the host's peak memory and most of undici's loading time, paid
 * while the first creates of an `up` wait. These are the same modules the index re-exports
 * (`test/unit/undici.test.ts` checks that they are identical); if a future undici moves them,
 * the index is loaded instead, so only the saving is lost.
 */
import type { Agent as UndiciAgent, Dispatcher } from "undici";

/** The connection pool class, `undici.Agent`. */
export type Agent = UndiciAgent;

/** `undici.request`'s options, with the dispatcher that sends it. */
export type RequestOptions = Omit<Dispatcher.RequestOptions, "origin" | "path"> & { dispatcher: Agent };

interface Slim {
  Agent: typeof UndiciAgent;
  request: (url: string, opts: RequestOptions) => Promise<Dispatcher.ResponseData>;
}

/* eslint-disable @typescript-eslint/no-require-imports -- module paths chosen at run time, with a fallback */
function load(): Slim {
  try {
    const AgentClass = require("undici/lib/dispatcher/agent") as typeof UndiciAgent;
    const requestApi = require("undici/lib/api/api-request") as (this: Agent, opts: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
    if (typeof AgentClass !== "function" || typeof requestApi !== "function") throw new Error("undici layout changed");
    return {
      Agent: AgentClass,
      // What undici's own `request(url, opts)` does before dispatching: the URL becomes origin and path.
      request: (url, { dispatcher, ...opts }) => {
        const u = new URL(url);
        return requestApi.call(dispatcher, { ...opts, origin: u.origin, path: `${u.pathname}${u.search}` });
      },
    };
  } catch {
    const undici = require("undici") as typeof import("undici");
    return { Agent: undici.Agent, request: (url, opts) => undici.request(url, opts) };
  }
}
/* eslint-enable @typescript-eslint/no-require-imports */

const slim = load();

/** `undici.Agent`. */
export const Agent = slim.Agent;
/** `undici.request(url, opts)` through `opts.dispatcher`. */
export const request = slim.request;
