/** A connection pool as `closeConnections` sees it. */
export interface Pool {
  close(): Promise<void>;
}

/**
 * Every connection pool this process opened, across module copies (a program's lookups and a
 * test runner may load the client more than once). Idle keep-alive sockets do not hold a process
 * open, but a test runner that counts open handles sees them: `closeConnections` ends them.
 */
const POOLS = Symbol.for("pulumi-runpod-dynamic.connectionPools");
type PoolRegistry = { [POOLS]?: Set<Pool> };

export function registerPool(pool: Pool): void {
  const registry = globalThis as PoolRegistry;
  (registry[POOLS] ??= new Set()).add(pool);
}

/**
 * Closes every pool opened so far — its idle keep-alive sockets and any request still under way,
 * so call it once the work is done; later requests open new pools.
 */
export async function closeConnections(): Promise<void> {
  const pools = (globalThis as PoolRegistry)[POOLS];
  if (!pools) return;
  const all = [...pools];
  pools.clear();
  await Promise.all(all.map((p) => p.close().catch(() => undefined)));
}
