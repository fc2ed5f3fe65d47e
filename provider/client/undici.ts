/**
 * undici's connection pool (`Agent`), loaded without undici's index. Every `pulumi up` starts a
 * fresh host, and undici's index also loads fetch, WebSocket, EventSource, the caches, the mocks
 * and the interceptors, none of which the provider uses: about 8 MB of the host's peak memory and
 * most of undici's loading time, paid while the first creates of an `up` wait. It is the class
 * the index re-exports (`test/unit/undici.test.ts` checks that it is identical); if a future
 * undici moves it, the index is loaded instead, so only the saving is lost.
 */
import type { Agent as UndiciAgent } from "undici";

/** The connection pool class, `undici.Agent`. */
export type Agent = UndiciAgent;

/* eslint-disable @typescript-eslint/no-require-imports -- module paths chosen at run time, with a fallback */
function load(): typeof UndiciAgent {
  try {
    const AgentClass = require("undici/lib/dispatcher/agent") as typeof UndiciAgent;
    if (typeof AgentClass !== "function") throw new Error("undici layout changed");
    return AgentClass;
  } catch {
    return (require("undici") as typeof import("undici")).Agent;
  }
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** `undici.Agent`. */
export const Agent = load();
