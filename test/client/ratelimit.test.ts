import { Clock, Lease, parseRateLimit, parseRateLimitPolicy, parseStructuredList, RateLimiter, RateLimitWaitTooLong } from "../../provider/client/ratelimit";

/** Virtual time: timers fire only when the test advances the clock, so pacing is checked without sleeping. */
class FakeClock implements Clock {
  t = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private id = 0;
  now = () => this.t;
  random = () => 0.5;
  setTimeout = (fn: () => void, ms: number) => {
    this.timers.set(++this.id, { at: this.t + ms, fn });
    return this.id;
  };
  clearTimeout = (h: unknown) => {
    this.timers.delete(h as number);
  };
  /** Fires every timer due up to `until`, in order, letting promise callbacks run in between. */
  async runUntil(until: number): Promise<void> {
    for (;;) {
      await flush();
      const due = [...this.timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
    }
    this.t = Math.max(this.t, until);
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/** Acquires `n` slots and records the virtual time each was granted at. */
function acquireMany(limiter: RateLimiter, clock: FakeClock, n: number, deadline?: number) {
  const grants: Array<{ at: number; lease: Lease }> = [];
  const failures: unknown[] = [];
  for (let i = 0; i < n; i++) {
    limiter.acquire(deadline).then(
      (lease) => grants.push({ at: clock.now(), lease }),
      (e) => failures.push(e),
    );
  }
  return { grants, failures };
}

const headers = (rateLimit: string, policy?: string) => ({ ratelimit: rateLimit, ...(policy ? { "ratelimit-policy": policy } : {}) });

describe("RateLimit / RateLimit-Policy parsing (IETF draft structured fields)", () => {
  test("the contract's examples", () => {
    expect(parseRateLimit('"minute";r=0;t=12, "hour";r=2800;t=1812, "day";r=49500;t=45012')).toEqual([
      { window: "minute", remaining: 0, resetSeconds: 12 },
      { window: "hour", remaining: 2800, resetSeconds: 1812 },
      { window: "day", remaining: 49500, resetSeconds: 45012 },
    ]);
    expect(parseRateLimitPolicy('"minute";q=60;w=60, "hour";q=3000;w=3600, "day";q=50000;w=86400')).toEqual([
      { window: "minute", quota: 60, windowSeconds: 60 },
      { window: "hour", quota: 3000, windowSeconds: 3600 },
      { window: "day", quota: 50000, windowSeconds: 86400 },
    ]);
  });

  test("tokens, decimals, spacing, commas inside strings, and members without r/t", () => {
    expect(parseStructuredList('default;r=5;t=0.5 ,  "a,b";r=1;t=2;flag')).toEqual([
      { item: "default", params: { r: 5, t: 0.5 } },
      { item: "a,b", params: { r: 1, t: 2, flag: true } },
    ]);
    // Escapes inside strings, quoted values (strings even when they look like numbers), upper-case
    // keys, stray text after a member and empty members are read as the RFC reads them, not fatally.
    expect(parseStructuredList('"a\\"b";R=1;note="x;y,z";n="7" junk "q,r", , "c" ;t = 3')).toEqual([
      { item: 'a"b', params: { r: 1, note: "x;y,z", n: "7" } },
      { item: "c", params: { t: 3 } },
    ]);
    expect(parseRateLimit('"minute";q=60;w=60')).toEqual([]);
    expect(parseRateLimit(undefined)).toEqual([]);
    expect(parseRateLimitPolicy('"x";q=0;w=1')).toEqual([]);
  });
});

describe("RateLimiter pacing", () => {
  test("until the first answer arrives, one request goes alone; no headers means no limit", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock);
    const { grants } = acquireMany(limiter, clock, 5);
    await flush();
    expect(grants).toHaveLength(1); // the probe
    grants[0].lease.done({});
    await flush();
    expect(grants.map((g) => g.at)).toEqual([0, 0, 0, 0, 0]);
  });

  test("an exhausted window holds every request until it resets (plus a little jitter)", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock);
    const { grants } = acquireMany(limiter, clock, 4);
    await flush();
    grants[0].lease.done(headers('"minute";r=0;t=2, "hour";r=2800;t=1812', '"minute";q=60;w=60, "hour";q=3000;w=3600'));
    await clock.runUntil(1999);
    expect(grants).toHaveLength(1);
    await clock.runUntil(2300);
    // After the reset (and a little jitter) one goes; its answer tells what the new window holds, then the rest go.
    expect(grants.map((g) => g.at)).toEqual([0, 2025]);
    grants[1].lease.done(headers('"minute";r=59;t=60, "hour";r=2799;t=1810'));
    await flush();
    expect(grants.map((g) => g.at)).toEqual([0, 2025, 2300, 2300]);
  });

  test("whole-second reset times: the earliest bound seen in one window wins, so a late answer does not add a second", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock);
    const { grants } = acquireMany(limiter, clock, 3);
    await flush();
    // Just after the window opened: "resets in 1 s" means by t = 1050.
    clock.t = 50;
    grants[0].lease.done(headers('"second";r=1;t=1', '"second";q=10;w=1'));
    await clock.runUntil(200);
    expect(grants).toHaveLength(2); // the last one left, at the quota's pace
    // Late in the same window, the count fell to 0 and `t` is rounded up to 1 again (t = 1900): the
    // window still resets by 1050, and the next request goes then, not a second later.
    clock.t = 900;
    grants[1].lease.done(headers('"second";r=0;t=1', '"second";q=10;w=1'));
    await clock.runUntil(2000);
    expect(grants.map((g) => g.at)).toEqual([0, 100, 1050 + 25]); // + jitter
  });

  test("a window running low is spread out at no more than quota/window, not burst", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock);
    const { grants } = acquireMany(limiter, clock, 30);
    await flush();
    // 10 per second, 6 left, full again in 0.4 s: 4 go at once, then one each 100 ms.
    grants[0].lease.done(headers('"second";r=6;t=0.4', '"second";q=10;w=1'));
    await flush();
    expect(grants).toHaveLength(5);
    await clock.runUntil(399);
    // The last two of the six go 100 ms apart (quota/window); then nothing until the window resets.
    expect(grants.map((g) => g.at)).toEqual([0, 0, 0, 0, 0, 100, 200]);
    await clock.runUntil(500);
    // Reset (plus jitter): one goes, then the pace again until a fresh answer tells what is left.
    expect(grants.map((g) => g.at).slice(7)).toEqual([410]);
  });

  test("without a policy, what is left is spread over the time to reset", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock);
    const { grants } = acquireMany(limiter, clock, 4);
    await flush();
    grants[0].lease.done(headers('"minute";r=3;t=30'));
    await clock.runUntil(100_000);
    const times = grants.map((g) => g.at);
    expect(times).toEqual([0, 10_000, 20_000, 30_000]); // 3 left over 30 s: one each 10 s
  });

  test("requests still in flight count against an answer's remaining budget", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock);
    const probe = acquireMany(limiter, clock, 1);
    await flush();
    probe.grants[0].lease.done({});
    const burst = acquireMany(limiter, clock, 3); // three in flight, no answer yet
    await flush();
    expect(burst.grants).toHaveLength(3);
    // The first of them answers: 2 left — but the other two may not be counted in that yet, so nothing is left.
    burst.grants[0].lease.done(headers('"second";r=2;t=1', '"second";q=100;w=1'));
    const more = acquireMany(limiter, clock, 1);
    await clock.runUntil(999);
    expect(more.grants).toHaveLength(0);
    await clock.runUntil(1200);
    expect(more.grants).toHaveLength(1);
  });

  test("an older answer arriving late does not overwrite a newer one", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock);
    const probe = acquireMany(limiter, clock, 1);
    await flush();
    probe.grants[0].lease.done({});
    const two = acquireMany(limiter, clock, 2);
    await flush();
    two.grants[1].lease.done(headers('"minute";r=0;t=60'));
    two.grants[0].lease.done(headers('"minute";r=50;t=60'));
    const next = acquireMany(limiter, clock, 1);
    await clock.runUntil(59_000);
    expect(next.grants).toHaveLength(0);
    expect(limiter.snapshot()).toEqual([{ window: "minute", remaining: -1, resetInMs: 1000 }]); // -1: the other was still in flight
  });

  test("a wait past the caller's deadline is refused at once, not slept through", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock);
    const probe = acquireMany(limiter, clock, 1);
    await flush();
    probe.grants[0].lease.done(headers('"hour";r=0;t=1800'));
    const late = acquireMany(limiter, clock, 1, 60_000);
    await flush();
    expect(late.grants).toHaveLength(0);
    expect(late.failures).toHaveLength(1);
    expect(late.failures[0]).toBeInstanceOf(RateLimitWaitTooLong);
    expect((late.failures[0] as RateLimitWaitTooLong).waitMs).toBeGreaterThanOrEqual(1_800_000);
  });
});
