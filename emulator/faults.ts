// Switchable transport faults. Decisions use their own seeded PRNG stream, so a given seed and
// request sequence always yields the same faults. Faults never apply to /__emulator/* routes.
import { z } from "zod";
import { Prng } from "./prng";

export interface Status429Config {
  /** Start a burst on every Nth request (1-based count of requests seen since the faults were set). Omit: one burst, starting now. */
  every?: number;
  /** Number of consecutive requests answered with 429. */
  burst: number;
  /** Retry-After header value (seconds). Default 1. */
  retryAfterSeconds?: number;
}

export interface FaultConfig {
  /** Added to every request before it is handled. */
  latencyMs?: number;
  /** 429 bursts; a plain number N means "the next N requests get 429". */
  status429?: number | Status429Config;
  /** Probability (0..1) that a request fails with `errorStatus` before it touches state. */
  errorRate?: number;
  /** Status for `errorRate` failures: 500, 502, 503 (default) or 504. */
  errorStatus?: 500 | 502 | 503 | 504;
  /** Probability (0..1) that the socket is destroyed without a response, before state is touched. */
  dropConnectionRate?: number;
  /** The next N successful creates (any wire, any resource, GraphQL secretCreate) are applied, then the socket is destroyed. */
  loseCreateResponses?: number;
  /**
   * Once a create's response has been lost (`loseCreateResponses`), every later request fails with
   * `errorStatus` (default 503) before it touches state, until the faults are set, updated or
   * cleared: Runpod going down right after it accepted a create, for longer than any retry budget.
   */
  outageAfterLostCreate?: boolean;
  /** Send the response head, then the body only after this delay. */
  slowBodyMs?: number;
  /** Token bucket (capacity = rate, refilled continuously); over the limit → 429 with Retry-After. */
  rateLimitPerSecond?: number;
  /** Every `/v2/catalog/*` request fails with `errorStatus` (default 503) after authentication: a catalog outage while the rest of the API answers. */
  catalogDown?: boolean;
}

export const faultConfigSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(600000).optional(),
    status429: z
      .union([
        z.number().int().min(0),
        z
          .object({
            every: z.number().int().min(1).optional(),
            burst: z.number().int().min(0),
            retryAfterSeconds: z.number().int().min(0).optional(),
          })
          .strict(),
      ])
      .optional(),
    errorRate: z.number().min(0).max(1).optional(),
    errorStatus: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
    dropConnectionRate: z.number().min(0).max(1).optional(),
    loseCreateResponses: z.number().int().min(0).optional(),
    outageAfterLostCreate: z.boolean().optional(),
    slowBodyMs: z.number().int().min(0).max(600000).optional(),
    rateLimitPerSecond: z.number().positive().optional(),
    catalogDown: z.boolean().optional(),
  })
  .strict();

export type FaultDecision =
  { kind: "none" } | { kind: "drop" } | { kind: "429"; retryAfterSeconds: number; reason: "burst" | "rate-limit" } | { kind: "error"; status: number };

export class Faults {
  private config: FaultConfig = {};
  private seen = 0;
  private burstRemaining = 0;
  private initialBurstDone = false;
  private lostCreatesRemaining = 0;
  private outage = false;
  private tokens = 0;
  private tokensAt = 0;

  constructor(private rng: Prng) {}

  /** Replace the whole fault configuration (counters restart). Throws on an invalid config. */
  set(config: FaultConfig): void {
    const parsed: FaultConfig = faultConfigSchema.parse(config);
    this.config = parsed;
    this.seen = 0;
    this.burstRemaining = 0;
    this.initialBurstDone = false;
    this.lostCreatesRemaining = parsed.loseCreateResponses ?? 0;
    this.outage = false;
    this.tokens = parsed.rateLimitPerSecond ?? 0;
    this.tokensAt = Date.now();
  }

  /** Merge into the current configuration (keys set to undefined are removed). */
  update(partial: FaultConfig): void {
    const merged: Record<string, unknown> = { ...this.config, ...partial };
    for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
    this.set(merged);
  }

  clear(): void {
    this.set({});
  }

  reseed(rng: Prng): void {
    this.rng = rng;
  }

  get(): FaultConfig {
    const out: FaultConfig = JSON.parse(JSON.stringify(this.config));
    if (out.loseCreateResponses !== undefined) out.loseCreateResponses = this.lostCreatesRemaining;
    return out;
  }

  get latencyMs(): number {
    return this.config.latencyMs ?? 0;
  }

  get slowBodyMs(): number {
    return this.config.slowBodyMs ?? 0;
  }

  /** Transport faults, decided for every request before authentication and before state is touched. */
  decideTransport(): FaultDecision {
    const c = this.config;
    this.seen += 1;
    if (c.dropConnectionRate && this.rng.next() < c.dropConnectionRate) return { kind: "drop" };
    return { kind: "none" };
  }

  /**
   * Rate-limit and upstream-error faults, decided after the API key was accepted (Runpod
   * authenticates before it rate-limits: a bad key is a 401, never a 429) and before state is touched.
   */
  decideAfterAuth(path = ""): FaultDecision {
    const c = this.config;
    if (c.catalogDown && path.startsWith("/v2/catalog")) return { kind: "error", status: c.errorStatus ?? 503 };
    if (c.rateLimitPerSecond) {
      const now = Date.now();
      const rate = c.rateLimitPerSecond;
      this.tokens = Math.min(rate, this.tokens + ((now - this.tokensAt) / 1000) * rate);
      this.tokensAt = now;
      if (this.tokens < 1) {
        return { kind: "429", reason: "rate-limit", retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / rate)) };
      }
      this.tokens -= 1;
    }

    if (c.status429 !== undefined) {
      const cfg: Status429Config = typeof c.status429 === "number" ? { burst: c.status429 } : c.status429;
      const retryAfterSeconds = cfg.retryAfterSeconds ?? 1;
      if (this.burstRemaining > 0) {
        this.burstRemaining -= 1;
        return { kind: "429", reason: "burst", retryAfterSeconds };
      }
      const starts = cfg.every ? this.seen % cfg.every === 0 : !this.initialBurstDone;
      if (starts && cfg.burst > 0) {
        this.initialBurstDone = true;
        this.burstRemaining = cfg.burst - 1;
        return { kind: "429", reason: "burst", retryAfterSeconds };
      }
      this.initialBurstDone = true;
    }

    if (this.outage) return { kind: "error", status: c.errorStatus ?? 503 };
    if (c.errorRate && this.rng.next() < c.errorRate) return { kind: "error", status: c.errorStatus ?? 503 };
    return { kind: "none" };
  }

  /** Called after a successful create: true = lose this response (destroy the socket). */
  takeLostCreate(): boolean {
    if (this.lostCreatesRemaining > 0) {
      this.lostCreatesRemaining -= 1;
      if (this.config.outageAfterLostCreate) this.outage = true;
      return true;
    }
    return false;
  }
}
