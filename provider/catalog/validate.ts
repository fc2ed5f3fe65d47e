/**
 * Ids checked against Runpod's live catalog instead of lists frozen into the code: Runpod adds GPU
 * types, data centres and pools every few weeks, and a list in a release goes stale the day after
 * (v1's spec enums did). Check asks the catalog once per host process; when the catalog cannot be
 * read it falls back to format rules and says so once, so an outage never blocks a preview.
 */
import type { ProviderSettings } from "../client/settings";
import type { CatalogCpuType, CatalogDataCenter, CatalogGpuType } from "./client";

/** What the catalog offers, read lazily: each part costs one request the first time a rule needs it. */
export interface CatalogView {
  /** GPU types by id, with `pool`, `maxCount` and the CUDA versions their machines run. */
  gpuTypes(): Promise<ReadonlyMap<string, CatalogGpuType>>;
  cpuTypes(): Promise<ReadonlyMap<string, CatalogCpuType>>;
  dataCenters(): Promise<ReadonlyMap<string, CatalogDataCenter>>;
  /** Every CUDA version some GPU type's machines run; empty when the catalog reports none. */
  cudaVersions(): Promise<ReadonlySet<string>>;
  /** Serverless GPU pool ids → the GPU types in each. */
  pools(): Promise<ReadonlyMap<string, readonly string[]>>;
}

// ---- suggestions ------------------------------------------------------------------------------

/**
 * Levenshtein distance. Hand-written (a dozen lines) rather than a dependency: the package's
 * runtime dependencies are pinned to two (@pulumi/pulumi, zod) and this runs on a few
 * dozen short ids per failure.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

const words = (s: string) =>
  s
    .toLowerCase()
    .split(/[\s_-]+/)
    .filter(Boolean);

/**
 * The valid ids closest to `value`, best first (at most three). Ids that contain every word of
 * the value come first and alone ("RTX 4090" → "NVIDIA GeForce RTX 4090"): that is how people
 * shorten Runpod's long GPU names. Otherwise the nearest by edit distance (case and spacing
 * ignored), within a third of the length, and only the nearest few: a list of everything that is
 * three letters away helps nobody.
 */
export function closest(value: string, valid: Iterable<string>): string[] {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, " ").trim();
  const v = norm(value);
  const vw = words(value);
  const containing: [string, number][] = [];
  const near: [string, number][] = [];
  for (const id of valid) {
    const n = norm(id);
    const d = editDistance(v, n);
    const idWords = words(id);
    if (vw.length > 0 && vw.every((w) => idWords.includes(w))) containing.push([id, d]);
    else if (d <= Math.max(2, Math.floor(Math.max(v.length, n.length) / 3))) near.push([id, d]);
  }
  const byDistance = (x: [string, number], y: [string, number]) => x[1] - y[1] || x[0].localeCompare(y[0]);
  if (containing.length)
    return containing
      .sort(byDistance)
      .slice(0, 3)
      .map(([id]) => id);
  near.sort(byDistance);
  return near
    .filter(([, d]) => d <= near[0][1] + 1)
    .slice(0, 3)
    .map(([id]) => id);
}

/** `; did you mean "a" or "b"?` — or, with nothing close, where to look. */
export function suggestion(value: string, valid: Iterable<string>, listedBy: string): string {
  const near = closest(value, valid);
  if (near.length === 0) return `; ${listedBy} lists the ones it offers`;
  return `; did you mean ${near.map((n) => JSON.stringify(n)).join(" or ")}?`;
}

/**
 * Failures for each entry of `values` (a list input or one value) that the catalog does not
 * offer: `gpuTypeIds.1: "NVIDIA RTX 4090" is not a GPU type Runpod offers; did you mean …`.
 */
export function unknownIds(property: string, values: unknown, valid: ReadonlySet<string> | ReadonlyMap<string, unknown>, what: string, listedBy: string) {
  const list = Array.isArray(values) ? values : [values];
  const failures: { property: string; reason: string }[] = [];
  // A catalog that lists none (a sparse answer: pools all null) tells nothing: never fail on it.
  if (valid.size === 0) return failures;
  list.forEach((value, i) => {
    if (typeof value !== "string" || valid.has(value)) return;
    const path = Array.isArray(values) ? `${property}.${i}` : property;
    failures.push({ property: path, reason: `${path}: ${JSON.stringify(value)} is not ${what} Runpod offers${suggestion(value, valid.keys(), listedBy)}` });
  });
  return failures;
}

/** The most GPUs one pod or worker of this type may have in `cloud` (undefined: either). */
export function maxGpuCount(type: CatalogGpuType, cloud?: "SECURE" | "COMMUNITY"): number | undefined {
  const m = type.maxCount as Partial<CatalogGpuType["maxCount"]> | undefined;
  if (!m) return undefined;
  const counts = cloud === "SECURE" ? [m.secure] : cloud === "COMMUNITY" ? [m.community] : [m.secure, m.community];
  const known = counts.filter((n): n is number => typeof n === "number" && n > 0);
  return known.length ? Math.max(...known) : undefined;
}

// ---- reading the catalog during check -----------------------------------------------------------

/**
 * A check must not hang on an outage: Runpod's catalog is read with few retries and a short
 * timeout here (the lookups and the resource operations keep the configured ones).
 */
function checkSettings(settings: ProviderSettings): ProviderSettings {
  return {
    ...settings,
    maxRetries: Math.min(settings.maxRetries, 2),
    requestTimeoutMs: Math.min(settings.requestTimeoutMs, 15_000),
    rateLimitTimeoutMs: Math.min(settings.rateLimitTimeoutMs, 30_000),
  };
}

/** A catalog view over Runpod's `/v2/catalog/*` (either wire), answers shared by the whole process. */
export function liveCatalog(settings: ProviderSettings): CatalogView {
  // Deferred: a host that never checks anything against the catalog never loads the HTTP stack.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CatalogClient } = require("./client") as typeof import("./client");
  const client = new CatalogClient(checkSettings(settings));
  // One GPU read serves ids, pools, maxCount and CUDA versions: the version list comes only with
  // availability, and it is the same request for every resource of the process.
  const gpus = () => client.gpuTypes({ product: "POD" });
  // Every resource's check asks again; the answers are shared, so are their indexes.
  const indexes = new WeakMap<object, Map<string, unknown>>();
  const byId = <T extends { id: string }>(xs: T[]): Map<string, T> => {
    let index = indexes.get(xs) as Map<string, T> | undefined;
    if (!index) indexes.set(xs, (index = new Map(xs.filter((x) => typeof x?.id === "string").map((x) => [x.id, x]))));
    return index;
  };
  return {
    gpuTypes: async () => byId(await gpus()),
    cpuTypes: async () => byId(await client.cpuTypes()),
    dataCenters: async () => byId(await client.dataCenters()),
    cudaVersions: async () => new Set((await gpus()).flatMap((g) => (Array.isArray(g.cudaVersions) ? g.cudaVersions.map((c) => c.version) : []))),
    pools: async () => {
      const pools = new Map<string, string[]>();
      for (const g of await gpus()) if (typeof g.pool === "string" && g.pool) pools.set(g.pool, [...(pools.get(g.pool) ?? []), g.id]);
      return pools;
    },
  };
}
