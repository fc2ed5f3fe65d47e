/**
 * Pacing from Runpod's rate-limit headers. Runpod limits per user (v2 spec: "per-user rate limit"),
 * so one limiter per API origin is shared by every resource and operation of the host process.
 *
 * Runpod answers (authenticated requests, 2xx and most errors) carry, per the IETF ratelimit-headers
 * draft (RFC 8941 structured-field lists):
 *   RateLimit:        "minute";r=0;t=12, "hour";r=2800;t=1812      (r = remaining, t = seconds to reset)
 *   RateLimit-Policy: "minute";q=60;w=60, "hour";q=3000;w=3600     (q = quota, w = window seconds)
 *
 * Why hand-written: bottleneck (last release 2019) and p-throttle pace at a configured fixed rate,
 * and undici's RetryAgent only reacts to a 429 after it happened; none learns the budget from the
 * answers' headers, which is what keeps a fleet of creates from ever meeting a 429.
 */

/** One member of a structured-field list: its bare item and its parameters. */
export interface SfMember {
  item: string;
  params: Record<string, string | number | boolean>;
}

/**
 * Parses an RFC 8941 list such as `"minute";r=0;t=12, "hour";r=2800;t=1812` (inner lists are not
 * used by Runpod). Every answer carries two of these headers, so it is one pass over the text with
 * no intermediate arrays: a fresh host parses a couple of hundred of them during an `up`.
 */
export function parseStructuredList(header: string): SfMember[] {
  const members: SfMember[] = [];
  const n = header.length;
  let i = 0;
  while (i < n) {
    i = skipSpace(header, i);
    if (i >= n) break;
    if (header.charCodeAt(i) === COMMA) {
      i++;
      continue;
    }
    const [item, afterItem] = readValue(header, i);
    i = afterItem;
    const params: SfMember["params"] = {};
    // Parameters: `;key` or `;key=value`, until the comma that ends the member.
    while (i < n) {
      i = skipSpace(header, i);
      const c = header.charCodeAt(i);
      if (c !== SEMICOLON) break;
      i = skipSpace(header, i + 1);
      let end = i;
      while (end < n && !STOP_KEY.has(header.charCodeAt(end))) end++;
      const key = header.slice(i, end).trim().toLowerCase();
      i = end;
      if (header.charCodeAt(i) === EQUALS) {
        const [value, next] = readValue(header, skipSpace(header, i + 1));
        i = next;
        if (key) params[key] = value.quoted || !NUMBER.test(value.text) ? value.text : Number(value.text);
      } else if (key) {
        params[key] = true;
      }
    }
    // Anything else up to the next comma outside quotes is not part of a well-formed member.
    while (i < n && header.charCodeAt(i) !== COMMA) i = header.charCodeAt(i) === QUOTE ? readValue(header, i)[1] : i + 1;
    if (item.text) members.push({ item: item.text, params });
  }
  return members;
}

const COMMA = 44;
const SEMICOLON = 59;
const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;
const STOP_KEY = new Set([COMMA, SEMICOLON, EQUALS]);
const STOP_TOKEN = new Set([COMMA, SEMICOLON]);
const NUMBER = /^-?\d+(\.\d+)?$/;

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}

/** A quoted string (escapes resolved) or a bare token, and where it ends. */
function readValue(text: string, i: number): [{ text: string; quoted: boolean }, number] {
  if (text.charCodeAt(i) === QUOTE) {
    let out = "";
    let from = i + 1;
    for (let j = from; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === BACKSLASH) {
        out += text.slice(from, j);
        from = ++j;
      } else if (c === QUOTE) {
        return [{ text: out + text.slice(from, j), quoted: true }, j + 1];
      }
    }
    // Unterminated: the rest is the value.
    return [{ text: out + text.slice(from), quoted: true }, text.length];
  }
  let end = i;
  while (end < text.length && !STOP_TOKEN.has(text.charCodeAt(end))) end++;
  return [{ text: text.slice(i, end).trim(), quoted: false }, end];
}

/** The live state of one window (`RateLimit`): remaining requests and seconds to reset. */
export interface RateLimitState {
  window: string;
  remaining: number;
  resetSeconds: number;
}

/** The static policy of one window (`RateLimit-Policy`): quota per window length. */
export interface RateLimitPolicy {
  window: string;
  quota: number;
  windowSeconds: number;
}

export function parseRateLimit(header: string | undefined): RateLimitState[] {
  if (!header) return [];
  return parseStructuredList(header).flatMap((m) =>
    typeof m.params.r === "number" && typeof m.params.t === "number" ? [{ window: m.item, remaining: m.params.r, resetSeconds: m.params.t }] : [],
  );
}

/** The policy is the same on every answer: parsed once per distinct header. */
let lastPolicy: { header: string; parsed: RateLimitPolicy[] } | undefined;

export function parseRateLimitPolicy(header: string | undefined): RateLimitPolicy[] {
  if (!header) return [];
  if (lastPolicy?.header === header) return lastPolicy.parsed;
  const parsed = parseStructuredList(header).flatMap((m) =>
    typeof m.params.q === "number" && typeof m.params.w === "number" && m.params.q > 0 && m.params.w > 0
      ? [{ window: m.item, quota: m.params.q, windowSeconds: m.params.w }]
      : [],
  );
  lastPolicy = { header, parsed };
  return parsed;
}

/** Time and randomness, injectable so tests drive the limiter without sleeping. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  random: () => Math.random(),
};

export type HeaderBag = Record<string, string | string[] | undefined>;

/** A granted request slot; report the answer's headers (none after a network failure). */
export interface Lease {
  done(headers?: HeaderBag): void;
}

/** Waiting for the rate limit would run past the caller's deadline. */
export class RateLimitWaitTooLong extends Error {
  constructor(readonly waitMs: number) {
    super(`Runpod's rate limit asks for a wait of ${Math.ceil(waitMs)} ms`);
    this.name = "RateLimitWaitTooLong";
  }
}

interface Window {
  remaining: number;
  resetAt: number;
  /** Random extra wait after an exhausted window resets, so other clients do not all return together. */
  jitterMs: number;
}

interface Waiter {
  deadline: number;
  resolve(lease: Lease): void;
  reject(error: Error): void;
}

/** Until the first answer arrives we do not know the budget: one request goes first, the rest wait this long at most. */
const PROBE_MAX_MS = 1000;
/** A window with unknown quota that reset: assume one request until an answer tells more. */
const UNKNOWN_RESET_GUESS_MS = 1000;

/**
 * Grants request slots so the headers' budget is never overdrawn: free while a window has plenty left,
 * spread over the window (never faster than quota/window) once it runs low, and none while a window is
 * exhausted until it resets. Each answer's headers correct the local estimate.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly policies = new Map<string, RateLimitPolicy>();
  private readonly queue: Waiter[] = [];
  private readonly inflight = new Set<number>();
  private seq = 0;
  private lastObservedSeq = -1;
  private learned = false;
  private probeSince: number | undefined;
  private lastGrantAt = Number.NEGATIVE_INFINITY;
  private timer: unknown;

  constructor(private readonly clock: Clock = realClock) {}

  /** Resolves when a request may be sent; rejects with RateLimitWaitTooLong when that would pass `deadline`. */
  acquire(deadline = Number.POSITIVE_INFINITY): Promise<Lease> {
    return new Promise<Lease>((resolve, reject) => {
      this.queue.push({ deadline, resolve, reject });
      this.schedule();
    });
  }

  /** The current estimate per window, for diagnostics and tests. */
  snapshot(): Array<{ window: string; remaining: number; resetInMs: number }> {
    const now = this.clock.now();
    return [...this.windows].map(([window, w]) => ({ window, remaining: w.remaining, resetInMs: Math.max(0, w.resetAt - now) }));
  }

  private grant(waiter: Waiter): void {
    const seq = this.seq++;
    const now = this.clock.now();
    for (const w of this.windows.values()) w.remaining -= 1;
    this.inflight.add(seq);
    this.lastGrantAt = now;
    if (!this.learned && this.probeSince === undefined) this.probeSince = now;
    let finished = false;
    waiter.resolve({
      done: (headers) => {
        if (finished) return;
        finished = true;
        this.observe(seq, headers);
      },
    });
  }

  private observe(seq: number, headers: HeaderBag | undefined): void {
    this.inflight.delete(seq);
    this.learned = true;
    if (headers) {
      for (const p of parseRateLimitPolicy(first(headers["ratelimit-policy"]))) this.policies.set(p.window, p);
      const states = parseRateLimit(first(headers["ratelimit"]));
      // An older request's answer may arrive after a newer one's: it must not overwrite fresher counts.
      if (states.length > 0 && seq > this.lastObservedSeq) {
        this.lastObservedSeq = seq;
        const now = this.clock.now();
        // Requests still in flight may not be counted in this `r` yet: concurrent connections do not
        // keep order, so even one sent earlier may reach Runpod later. Assume none is counted.
        const inFlight = this.inflight.size;
        const previous = new Map(this.windows);
        this.windows.clear();
        for (const s of states) {
          const resetMs = s.resetSeconds * 1000;
          let resetAt = now + resetMs;
          // `t` is whole seconds, rounded up: an answer just after a reset says "1" for a window that
          // ends a second later, one just before says "1" too. While the count only falls (the same
          // window), the earliest bound seen is the sharpest estimate of the reset.
          const before = previous.get(s.window);
          if (before && s.remaining - inFlight <= before.remaining + 1 && before.resetAt > now) resetAt = Math.min(resetAt, before.resetAt);
          this.windows.set(s.window, {
            remaining: s.remaining - inFlight,
            resetAt,
            jitterMs: this.clock.random() * Math.min(50, resetMs * 0.05),
          });
        }
      }
    }
    this.schedule();
  }

  /** How long the next request must wait, from what the answers told so far. */
  private delayBeforeNext(now: number): number {
    if (!this.learned) {
      return this.inflight.size === 0 || this.probeSince === undefined ? 0 : Math.max(0, this.probeSince + PROBE_MAX_MS - now);
    }
    let delay = 0;
    for (const [name, w] of this.windows) {
      const policy = this.policies.get(name);
      const low = policy ? Math.max(2, Math.ceil(policy.quota * 0.2)) : 5;
      if (now >= w.resetAt) {
        // A fixed window is whole again at reset, but a token bucket's `t` (time to full) goes stale as
        // soon as anyone spends: so only a few go until a fresh answer says how much is really left.
        w.remaining = policy ? Math.min(policy.quota, low + 1) : 1;
        w.resetAt = now + (policy ? policy.windowSeconds * 1000 : UNKNOWN_RESET_GUESS_MS);
      }
      if (w.remaining <= 0) {
        delay = Math.max(delay, w.resetAt + w.jitterMs - now);
      } else if (w.remaining <= low) {
        // Spread what is left over the time to reset; a token bucket also refills at quota/window.
        const spread = (w.resetAt - now) / w.remaining;
        const interval = policy ? Math.min((policy.windowSeconds * 1000) / policy.quota, spread) : spread;
        delay = Math.max(delay, this.lastGrantAt + interval - now);
      }
    }
    return Math.max(0, delay);
  }

  private schedule(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.queue.length > 0) {
      const now = this.clock.now();
      const delay = this.delayBeforeNext(now);
      const head = this.queue[0];
      if (delay <= 0) {
        this.queue.shift();
        this.grant(head);
        continue;
      }
      if (now + delay > head.deadline) {
        this.queue.shift();
        head.reject(new RateLimitWaitTooLong(delay));
        continue;
      }
      this.timer = this.clock.setTimeout(
        () => {
          this.timer = undefined;
          this.schedule();
        },
        Math.min(delay, 2 ** 31 - 1),
      );
      return;
    }
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/** One limiter per API origin, for the whole process. */
const limiters = new Map<string, RateLimiter>();
/** The URL's text up to its path → its limiter: every request asks, and parsing a URL each time shows. */
const byPrefix = new Map<string, RateLimiter>();
const PREFIX = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

export function limiterFor(url: string): RateLimiter {
  const prefix = PREFIX.exec(url)?.[0];
  const known = prefix === undefined ? undefined : byPrefix.get(prefix);
  if (known) return known;
  const origin = new URL(url).origin;
  let limiter = limiters.get(origin);
  if (!limiter) {
    limiter = new RateLimiter();
    limiters.set(origin, limiter);
  }
  if (prefix !== undefined) byPrefix.set(prefix, limiter);
  return limiter;
}
