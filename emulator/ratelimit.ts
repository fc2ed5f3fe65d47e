// Runpod's per-user request quota, as the v2 spec's `components.headers` describe it: fixed
// windows `minute`, `hour` and `day`; every authenticated answer carries `RateLimit` (live state:
// `r` remaining, `t` seconds until the window resets) and `RateLimit-Policy` (static: `q` quota,
// `w` window seconds), both structured-field lists (RFC 9651). Over any window's quota → 429 with
// `Retry-After` = that window's `t`. Windows are aligned to the emulator's clock (`now`), so a
// test that drives the clock drives the windows too.

/** Requests allowed per window. */
export interface RateLimitPolicy {
  /**
   * Not one of Runpod's documented windows: an optional burst limit for benches and tests that
   * model "N requests a second". Announced in the same headers (the ratelimit-headers draft allows
   * any window name), so a client that paces from them sees it like the others.
   */
  second?: number;
  minute: number;
  hour: number;
  day: number;
}

/** Generous enough that no test or bench run meets it unless it configures a smaller one. */
export const DEFAULT_RATE_LIMIT: RateLimitPolicy = { minute: 100_000, hour: 1_000_000, day: 10_000_000 };

const ALL_WINDOWS: Array<[keyof RateLimitPolicy, number]> = [
  ["second", 1],
  ["minute", 60],
  ["hour", 3600],
  ["day", 86400],
];

/** The windows a policy sets (`second` only when given). */
function windowsOf(policy: RateLimitPolicy): Array<[keyof RateLimitPolicy, number]> {
  return ALL_WINDOWS.filter(([name]) => policy[name] !== undefined);
}

export type RateLimitDecision =
  { limited: false; headers: Record<string, string> } | { limited: true; retryAfterSeconds: number; headers: Record<string, string> };

export class RateLimiter {
  private readonly used = new Map<string, { start: number; count: number }>();

  constructor(private readonly now: () => number) {}

  reset(): void {
    this.used.clear();
  }

  /** Count one authenticated request against every window (a refused request is not counted). */
  take(policy: RateLimitPolicy): RateLimitDecision {
    const nowSec = this.now() / 1000;
    let retryAfterSeconds = 0;
    for (const [name, w] of windowsOf(policy)) {
      const u = this.window(name, w, nowSec);
      if (u.count >= (policy[name] ?? Infinity)) retryAfterSeconds = Math.max(retryAfterSeconds, this.resetIn(u.start, w, nowSec));
    }
    if (retryAfterSeconds > 0) return { limited: true, retryAfterSeconds, headers: this.headers(policy) };
    for (const [name, w] of windowsOf(policy)) this.window(name, w, nowSec).count += 1;
    return { limited: false, headers: this.headers(policy) };
  }

  /** The two headers for the current state (nothing is counted). */
  headers(policy: RateLimitPolicy): Record<string, string> {
    const nowSec = this.now() / 1000;
    const live = windowsOf(policy).map(([name, w]) => {
      const u = this.window(name, w, nowSec);
      return `"${name}";r=${Math.max(0, (policy[name] ?? 0) - u.count)};t=${this.resetIn(u.start, w, nowSec)}`;
    });
    const static_ = windowsOf(policy).map(([name, w]) => `"${name}";q=${policy[name]};w=${w}`);
    return { ratelimit: live.join(", "), "ratelimit-policy": static_.join(", ") };
  }

  private window(name: string, w: number, nowSec: number): { start: number; count: number } {
    const start = Math.floor(nowSec / w) * w;
    let u = this.used.get(name);
    if (!u || u.start !== start) {
      u = { start, count: 0 };
      this.used.set(name, u);
    }
    return u;
  }

  /** Whole seconds until the window resets (at least 1: "retry now" would be a lie). */
  private resetIn(start: number, w: number, nowSec: number): number {
    return Math.max(1, Math.ceil(start + w - nowSec));
  }
}
