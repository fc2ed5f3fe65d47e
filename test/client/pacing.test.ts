import { RunpodApiError } from "../../provider/client/errors";
import { clientFor, failureOf, scriptedServer } from "./server";

describe("429 and transient failures", () => {
  test("a 429 is waited out for as long as Retry-After asks, and spends no retry", async () => {
    let refusals = 3;
    const server = await scriptedServer(() =>
      refusals-- > 0 ? { status: 429, headers: { "retry-after": "0.05" }, body: { title: "Too Many Requests" } } : { status: 200, body: { id: "p1" } },
    );
    try {
      const http = clientFor(server.url, { "runpod:maxRetries": "0" });
      await expect(http.rest({ method: "GET", path: "/pods/p1" })).resolves.toEqual({ id: "p1" });
      expect(server.requests).toHaveLength(4);
      // maxRetryDelaySeconds (5 ms) does not cut Runpod's 50 ms short.
      for (let i = 1; i < 4; i++) expect(server.requests[i].at - server.requests[i - 1].at).toBeGreaterThanOrEqual(45);
    } finally {
      await server.close();
    }
  });

  test("a create refused with 429 is simply sent again: Runpod did nothing with it", async () => {
    let refusals = 2;
    const server = await scriptedServer((req) =>
      req.method === "POST" && refusals-- > 0 ? { status: 429, headers: { "retry-after": "0" } } : { status: 201, body: { id: "p1", name: "web" } },
    );
    try {
      const recover = jest.fn(async () => undefined);
      const created = await clientFor(server.url, { "runpod:maxRetries": "0" }).create({ path: "/pods", body: { name: "web" } }, recover);
      expect(created).toEqual({ id: "p1", name: "web" });
      expect(server.requests.map((r) => r.method)).toEqual(["POST", "POST", "POST"]);
      expect(recover).not.toHaveBeenCalled();
    } finally {
      await server.close();
    }
  });

  test("only runpod:rateLimitTimeoutSeconds bounds 429 waits; the error then carries retryAfterMs", async () => {
    const server = await scriptedServer(() => ({ status: 429, headers: { "retry-after": "30" }, body: { title: "Too Many Requests" } }));
    try {
      const error = await failureOf(() => clientFor(server.url, { "runpod:rateLimitTimeoutSeconds": "1" }).rest({ method: "GET", path: "/pods" }));
      expect(error).toBeInstanceOf(RunpodApiError);
      expect(error.code).toBe("rate_limited");
      expect(error.retryAfterMs).toBe(30_000);
      expect(error.message).toContain("runpod:rateLimitTimeoutSeconds");
      expect(server.requests).toHaveLength(1); // a 30 s wait cannot fit in 1 s: fail now, not after sleeping
    } finally {
      await server.close();
    }
  });

  test("5xx on an idempotent request is retried exactly runpod:maxRetries times", async () => {
    const server = await scriptedServer(() => ({ status: 503 }));
    try {
      const error = await failureOf(() => clientFor(server.url, { "runpod:maxRetries": "3" }).rest({ method: "GET", path: "/pods" }));
      expect(error.code).toBe("transient");
      expect(server.requests).toHaveLength(4);
    } finally {
      await server.close();
    }
  });

  test("a non-idempotent POST that is not a create is never re-sent after a 5xx", async () => {
    const server = await scriptedServer(() => ({ status: 502 }));
    try {
      const error = await failureOf(() => clientFor(server.url).rest({ method: "POST", path: "/pods/p1/action", body: { action: "restart" } }));
      expect(error.code).toBe("transient");
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe("pacing from RateLimit headers against a real rate-limited server", () => {
  test("a burst of 60 concurrent requests under a 100/s token bucket meets (almost) no 429", async () => {
    // Token bucket like Runpod's per-user limit: 10 tokens, refilled at 100/s; every answer says how many are left.
    const quota = 10;
    const perSecond = 100;
    let tokens = quota;
    let at = Date.now();
    const server = await scriptedServer(() => {
      const now = Date.now();
      tokens = Math.min(quota, tokens + ((now - at) / 1000) * perSecond);
      at = now;
      const untilFull = (quota - tokens) / perSecond;
      const headers = () => ({
        ratelimit: `"second";r=${Math.floor(tokens)};t=${untilFull.toFixed(3)}`,
        "ratelimit-policy": `"second";q=${quota};w=${quota / perSecond}`,
      });
      if (tokens < 1) return { status: 429, headers: { ...headers(), "retry-after": "1" } };
      tokens -= 1;
      return { status: 200, headers: headers(), body: {} };
    });
    try {
      const http = clientFor(server.url);
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => http.rest({ method: "GET", path: `/pods/${i}` })));
      expect(results).toHaveLength(60);
      const refused = server.requests.length - 60;
      expect(refused).toBeLessThanOrEqual(3); // ≤ 5%: the limiter spent the budget, it did not burst into it
    } finally {
      await server.close();
    }
  });
});
