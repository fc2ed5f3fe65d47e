import { CreateOutcomeUnknownError, RunpodApiError } from "../../provider/client/errors";
import { RunpodHttp } from "../../provider/client/http";
import { resolveSettings } from "../../provider/client/settings";
import { clientFor, failureOf, refusingPort, Reply, scriptedServer, Seen, unansweredPort } from "./server";

/**
 * A tiny pods API: POST /pods stores the pod (its answer can be lost), GET /pods lists them.
 * `onList` may override a listing (outage, listing lag).
 */
function podsApi(opts: { loseCreates?: number; onList?: (n: number) => Reply | undefined }) {
  const pods: Array<{ id: string; name: string }> = [];
  let lost = opts.loseCreates ?? 0;
  let lists = 0;
  const answer = (req: Seen): Reply => {
    if (req.method === "POST" && req.path === "/v2/pods") {
      const pod = { id: `pod-${pods.length + 1}`, name: req.body.name };
      pods.push(pod);
      if (lost > 0) {
        lost--;
        return "drop"; // applied, then the answer is lost
      }
      return { status: 201, body: pod };
    }
    if (req.method === "GET" && req.path === "/v2/pods") {
      const override = opts.onList?.(lists++);
      return override ?? { status: 200, body: { pods } };
    }
    return { status: 404, body: { title: "Not Found" } };
  };
  return { pods, answer };
}

/** What the resource layer passes as `recover`: list and match on the (unique) name. */
function createPod(http: RunpodHttp, name: string) {
  const recover = async () => {
    const listed = await http.rest<{ pods: Array<{ id: string; name: string }> }>({ method: "GET", path: "/pods" });
    return listed.pods.find((p) => p.name === name);
  };
  return http.create({ path: "/pods", body: { name, imageName: "nginx" } }, recover, { kind: "pod" });
}

const posts = (requests: Seen[]) => requests.filter((r) => r.method === "POST").length;

describe("a create is never lost", () => {
  test("lost answer, then a listing outage longer than the retry budget: the pod is found, not re-created", async () => {
    // maxRetries 1 = two tries per lookup; 9 failed listings outlast four lookups.
    const api = podsApi({ loseCreates: 1, onList: (n) => (n < 9 ? { status: 503 } : undefined) });
    const server = await scriptedServer(api.answer);
    try {
      const http = clientFor(server.url, { "runpod:maxRetries": "1", "runpod:createRecoveryTimeoutSeconds": "30" });
      const pod = await createPod(http, "web-3f2a");
      expect(pod).toEqual({ id: "pod-1", name: "web-3f2a" });
      expect(api.pods).toHaveLength(1);
      expect(posts(server.requests)).toBe(1);
      expect(server.requests.filter((r) => r.method === "GET").length).toBe(10);
    } finally {
      await server.close();
    }
  });

  test("lost answer and a listing that lags: looked for again, found, not re-created", async () => {
    const api = podsApi({ loseCreates: 1, onList: (n) => (n < 2 ? { status: 200, body: { pods: [] } } : undefined) });
    const server = await scriptedServer(api.answer);
    try {
      const pod = await createPod(clientFor(server.url), "web-lag");
      expect(pod).toEqual({ id: "pod-1", name: "web-lag" });
      expect(posts(server.requests)).toBe(1);
    } finally {
      await server.close();
    }
  });

  test("a create lost before Runpod applied it: absent after several looks, then sent again once", async () => {
    let dropped = false;
    const api = podsApi({});
    const server = await scriptedServer((req) => {
      if (req.method === "POST" && !dropped) {
        dropped = true;
        return "drop"; // lost before it was applied
      }
      return api.answer(req);
    });
    try {
      const pod = await createPod(clientFor(server.url), "web-absent");
      expect(pod).toEqual({ id: "pod-1", name: "web-absent" });
      expect(api.pods).toHaveLength(1);
      expect(posts(server.requests)).toBe(2);
      expect(server.requests.filter((r) => r.method === "GET").length).toBe(3); // believed absent only after 3 looks
    } finally {
      await server.close();
    }
  });

  test("a 502 after the create was applied counts as a lost answer too", async () => {
    const api = podsApi({});
    const server = await scriptedServer((req) => {
      const reply = api.answer(req);
      return req.method === "POST" ? { status: 502, body: "Bad Gateway" } : reply;
    });
    try {
      expect(await createPod(clientFor(server.url), "web-502")).toEqual({ id: "pod-1", name: "web-502" });
      expect(posts(server.requests)).toBe(1);
    } finally {
      await server.close();
    }
  });

  test("lookup failing until runpod:createRecoveryTimeoutSeconds: create_outcome_unknown naming the create", async () => {
    const api = podsApi({ loseCreates: 1, onList: () => ({ status: 503, body: { message: "Service Unavailable" } }) });
    const server = await scriptedServer(api.answer);
    try {
      const before = Date.now();
      const error = await failureOf(() => createPod(clientFor(server.url, { "runpod:createRecoveryTimeoutSeconds": "0.3" }), "web-3f2a"));
      expect(error).toBeInstanceOf(CreateOutcomeUnknownError);
      expect(error).toBeInstanceOf(RunpodApiError);
      expect(error.code).toBe("create_outcome_unknown");
      expect(error.message).toMatch(/^creating pod web-3f2a: Runpod's answer was lost and Runpod could not be asked whether the pod exists/);
      expect(error.message).toMatch(/may exist/);
      expect(error.message).toContain("runpod:createRecoveryTimeoutSeconds");
      expect(error.message).toContain("HTTP 503"); // the last lookup failure
      expect(error.create.kind).toBe("pod");
      expect(error.create.name).toBe("web-3f2a");
      const sentAt = Date.parse(error.create.sentAt);
      expect(sentAt).toBeGreaterThanOrEqual(before - 5);
      expect(sentAt).toBeLessThanOrEqual(Date.now());
      expect(error.lastError.code).toBe("transient");
      expect(posts(server.requests)).toBe(1); // never re-sent while its fate is unknown
      expect(api.pods).toHaveLength(1); // … and it did exist
    } finally {
      await server.close();
    }
  });

  test("a lookup Runpod refuses outright (401) ends recovery at once with create_outcome_unknown", async () => {
    const api = podsApi({ loseCreates: 1, onList: () => ({ status: 401, body: { title: "Unauthorized" } }) });
    const server = await scriptedServer(api.answer);
    try {
      const error = await failureOf(() => createPod(clientFor(server.url), "web-401"));
      expect(error.code).toBe("create_outcome_unknown");
      expect(error.lastError.code).toBe("unauthorized");
      expect(server.requests.filter((r) => r.method === "GET")).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  test("a refused create (4xx) is not looked for: it is classified and thrown as is", async () => {
    const server = await scriptedServer(() => ({ status: 400, body: { title: "There are no instances currently available" } }));
    try {
      const error = await failureOf(() => createPod(clientFor(server.url), "web-full"));
      expect(error.code).toBe("capacity");
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  test("a GraphQL create whose answer was lost is recovered the same way, named by its input", async () => {
    let lost = true;
    const secrets: Array<{ id: string; name: string }> = [];
    const server = await scriptedServer((req): Reply => {
      if (String(req.body?.query).includes("secretCreate")) {
        secrets.push({ id: "s1", name: req.body.variables.input.name });
        if (lost) {
          lost = false;
          return "drop";
        }
      }
      return { status: 503 };
    });
    try {
      const http = clientFor(server.url, { "runpod:createRecoveryTimeoutSeconds": "0.2" });
      const error = await failureOf(() =>
        http.graphqlCreate("mutation { secretCreate }", { input: { name: "api_key", value: "sekrit-value" } }, "secretCreate", async () =>
          http.graphql("query { myself { secrets { id } } }", {}, "myself.secrets"),
        ),
      );
      expect(error.code).toBe("create_outcome_unknown");
      expect(error.message).toMatch(/^creating object api_key: /);
      expect(error.message).not.toContain("sekrit-value");
      expect(secrets).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe("the recovery and rate-limit bounds are settings", () => {
  test("runpod:createRecoveryTimeoutSeconds / RUNPOD_CREATE_RECOVERY_TIMEOUT_SECONDS, default 600 s", () => {
    expect(resolveSettings(undefined, {}).createRecoveryTimeoutMs).toBe(600_000);
    expect(resolveSettings(undefined, { RUNPOD_CREATE_RECOVERY_TIMEOUT_SECONDS: "42" }).createRecoveryTimeoutMs).toBe(42_000);
    const config = { get: (k: string) => (k === "runpod:createRecoveryTimeoutSeconds" ? "7" : undefined) };
    expect(resolveSettings(config, { RUNPOD_CREATE_RECOVERY_TIMEOUT_SECONDS: "42" }).createRecoveryTimeoutMs).toBe(7_000);
    expect(() => resolveSettings(undefined, { RUNPOD_CREATE_RECOVERY_TIMEOUT_SECONDS: "soon" })).toThrow(/runpod:createRecoveryTimeoutSeconds/);
  });

  test("runpod:rateLimitTimeoutSeconds / RUNPOD_RATE_LIMIT_TIMEOUT_SECONDS, default 600 s", () => {
    expect(resolveSettings(undefined, {}).rateLimitTimeoutMs).toBe(600_000);
    expect(resolveSettings(undefined, { RUNPOD_RATE_LIMIT_TIMEOUT_SECONDS: "3" }).rateLimitTimeoutMs).toBe(3_000);
  });

  test("a create whose connection is refused never reached Runpod: sent again without a lookup, then a plain failure", async () => {
    const url = `http://127.0.0.1:${await refusingPort()}`;
    const recover = jest.fn(async () => undefined);
    const http = clientFor(url, { "runpod:maxRetries": "2", "runpod:createRecoveryTimeoutSeconds": "30" });
    const error = await failureOf(() => http.create({ path: "/pods", body: { name: "web" } }, recover, { kind: "pod" }));
    expect(error).toBeInstanceOf(RunpodApiError);
    expect(error).not.toBeInstanceOf(CreateOutcomeUnknownError);
    expect(error.code).toBe("network");
    expect(error.neverSent).toBe(true);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(recover).not.toHaveBeenCalled();
  });

  test("a create whose connection is never accepted times out as never sent: no lookup, no pending create", async () => {
    const dead = await unansweredPort();
    try {
      const recover = jest.fn(async () => undefined);
      const http = clientFor(`http://127.0.0.1:${dead.port}`, { "runpod:maxRetries": "1", "runpod:requestTimeoutSeconds": "0.2" });
      const error = await failureOf(() => http.create({ path: "/pods", body: { name: "web" } }, recover, { kind: "pod" }));
      expect(error).not.toBeInstanceOf(CreateOutcomeUnknownError);
      expect(error.code).toBe("timeout");
      expect(error.neverSent).toBe(true);
      expect(error.message).toContain("no connection within 0.2s");
      expect(recover).not.toHaveBeenCalled();
    } finally {
      dead.close();
    }
  });

  test("a connection cut after the request went out is not 'never sent': Runpod may have applied it", async () => {
    const api = podsApi({ loseCreates: 1 });
    const server = await scriptedServer(api.answer);
    try {
      const error = await failureOf(() => clientFor(server.url, { "runpod:maxRetries": "0" }).rest({ method: "POST", path: "/pods", body: { name: "x" } }));
      expect(error.code).toBe("network");
      expect(error.neverSent).toBe(false);
      expect(api.pods).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
