import type { Agent } from "./undici";

/**
 * Every connection pool this process opened, across module copies (a program's lookups and a
 * test runner may load the client more than once). Keep-alive sockets hold a process open:
 * `closeConnections` lets a program or a test runner end cleanly without loading undici itself.
 */
const POOLS = Symbol.for("pulumi-runpod-dynamic.connectionPools");
type PoolRegistry = { [POOLS]?: Set<Agent> };

export function registerPool(agent: Agent): void {
  const registry = globalThis as PoolRegistry;
  (registry[POOLS] ??= new Set()).add(agent);
}

/** Closes every pool opened so far (idle keep-alive sockets included); later requests open new ones. */
export async function closeConnections(): Promise<void> {
  const pools = (globalThis as PoolRegistry)[POOLS];
  if (!pools) return;
  const all = [...pools];
  pools.clear();
  await Promise.all(all.map((a) => a.close().catch(() => undefined)));
}
