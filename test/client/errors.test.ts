import { CreateOutcomeUnknownError, isNotFound, RunpodApiError, RunpodErrorCode } from "../../provider/client/errors";
import { clientFor, failureOf, Reply, scriptedServer, ScriptedServer, TEST_KEY } from "./server";

// The v1 and v2 wordings Runpod (and the emulator) use when no GPU is free.
const V1_CAPACITY = "There are no longer any instances available with the requested specifications. Please refresh and try again.";
const V2_CAPACITY = "There are no instances currently available";

describe("every failure is classified once, with a stable code", () => {
  let server: ScriptedServer;
  let next: Reply = { status: 200, body: {} };
  beforeAll(async () => {
    server = await scriptedServer(() => next);
  });
  afterAll(() => server.close());

  const cases: Array<[string, Reply, RunpodErrorCode]> = [
    ["v2 problem 400", { status: 400, body: { title: "Bad Request", detail: "gpu and cpu are mutually exclusive" } }, "validation"],
    ["v2 422 with errors[]", { status: 422, body: { title: "Unprocessable Entity", errors: ["gpu.count: must be >= 1"] } }, "validation"],
    ["v2 capacity 400", { status: 400, body: { title: V2_CAPACITY, detail: `${V2_CAPACITY} for the requested specification` } }, "capacity"],
    [
      "v2 spec capacity wording",
      { status: 400, body: { title: "Bad Request", detail: "this GPU and data center combination could not be placed" } },
      "capacity",
    ],
    ["v1 capacity 400", { status: 400, body: { message: V1_CAPACITY } }, "capacity"],
    ["pod start without GPUs", { status: 400, body: { message: "There are not enough free GPUs on the host machine to start this pod" } }, "capacity"],
    [
      "template in use",
      { status: 400, body: { title: "Bad Request", detail: "Template is in use by a pod or serverless endpoint and cannot be deleted" } },
      "in_use",
    ],
    ["registry in use", { status: 400, body: { message: "Registry credential is in use by a pod and cannot be deleted" } }, "in_use"],
    ["404", { status: 404, body: { title: "Not Found", detail: "pod not found" } }, "not_found"],
    ["409", { status: 409, body: { title: "Conflict", detail: "Action not valid for current pod status" } }, "conflict"],
    ["402", { status: 402, body: { title: "Payment Required", detail: "Insufficient balance" } }, "payment_required"],
    ["500", { status: 500, body: "upstream exploded" }, "transient"],
    ["502", { status: 502 }, "transient"],
    ["503", { status: 503, body: { message: "Service Unavailable" } }, "transient"],
    ["504", { status: 504 }, "transient"],
    ["418", { status: 418, body: "teapot" }, "unknown"],
  ];

  test.each(cases)("%s", async (_label, reply, code) => {
    next = reply;
    const error = await failureOf(() => clientFor(server.url, { "runpod:maxRetries": "0" }).rest({ method: "GET", path: "/pods/abc" }));
    expect(error).toBeInstanceOf(RunpodApiError);
    expect(error.code).toBe(code);
    expect(error.status).toBe((reply as { status: number }).status);
    expect(error.message).toContain(`HTTP ${(reply as { status: number }).status}`);
    expect(isNotFound(error)).toBe(code === "not_found");
  });

  test("a 4xx that merely mentions capacity elsewhere is not a capacity refusal", async () => {
    next = { status: 400, body: { title: "Bad Request", detail: "flashboot PRIORITY_FLASHBOOT needs priority capacity enabled" } };
    const error = await failureOf(() => clientFor(server.url, {}).rest({ method: "GET", path: "/x" }));
    expect(error.code).toBe("validation");
  });

  test("401 and 403 name the setting that holds the key, never the key", async () => {
    next = { status: 401, body: { title: "Unauthorized", detail: "invalid bearer token" } };
    const unauthorized = await failureOf(() => clientFor(server.url, {}).rest({ method: "GET", path: "/pods" }));
    expect(unauthorized.code).toBe("unauthorized");
    expect(unauthorized.message).toMatch(/HTTP 401/);
    expect(unauthorized.message).toContain("runpod:apiKey");
    expect(unauthorized.message).toContain("RUNPOD_API_KEY");
    expect(unauthorized.message).not.toContain(TEST_KEY);

    next = { status: 403, body: { title: "Forbidden", detail: "cannot access the requested pool" } };
    const forbidden = await failureOf(() => clientFor(server.url, {}).rest({ method: "POST", path: "/pods", body: {} }));
    expect(forbidden.code).toBe("forbidden");
    expect(forbidden.message).toContain("runpod:apiKey");
    expect(forbidden.message).toContain("RUNPOD_API_KEY");
    expect(forbidden.message).toMatch(/lacks access/);
  });

  test("a cut connection is a network error, with no HTTP status in its message", async () => {
    next = "drop";
    const error = await failureOf(() => clientFor(server.url, { "runpod:maxRetries": "0" }).rest({ method: "GET", path: "/pods" }));
    expect(error.code).toBe("network");
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/network error/);
    expect(error.message).not.toMatch(/HTTP \d/);
  });

  test("no answer within requestTimeoutSeconds is a timeout naming that setting", async () => {
    next = "hang";
    const error = await failureOf(() =>
      clientFor(server.url, { "runpod:maxRetries": "0", "runpod:requestTimeoutSeconds": "0.2" }).rest({ method: "GET", path: "/pods" }),
    );
    expect(error.code).toBe("timeout");
    expect(error.message).toContain("runpod:requestTimeoutSeconds");
  });

  describe("GraphQL errors inside an HTTP 200", () => {
    const gql = (_errors: unknown[]) => failureOf(() => clientFor(server.url, {}).graphql("query { myself { id } }", {}, "myself.secrets"));

    test.each<[string, unknown[], RunpodErrorCode]>([
      ["extensions NOT_FOUND", [{ message: "no such thing", extensions: { code: "NOT_FOUND" } }], "not_found"],
      ["not-found wording", [{ message: "Secret abc does not exist" }], "not_found"],
      ["bad input", [{ message: 'Field "name" of required type "String!" was not provided.', extensions: { code: "BAD_USER_INPUT" } }], "validation"],
      ["unauthenticated", [{ message: "Unauthorized", extensions: { code: "UNAUTHENTICATED" } }], "unauthorized"],
      ["anything else", [{ message: "Something went wrong" }], "graphql"],
    ])("%s", async (_label, errors, code) => {
      next = { status: 200, body: { data: null, errors } };
      const error = await gql(errors);
      expect(error.code).toBe(code);
      expect(error.surface).toBe("graphql");
      expect(error.message).toMatch(/^Runpod GraphQL myself\.secrets failed: /);
      expect(error.message).not.toMatch(/HTTP 200/);
      expect(error.message).toContain((errors[0] as { message: string }).message);
    });

    test("a GraphQL endpoint's own 401 says so, and names the key setting", async () => {
      next = { status: 401, body: { errors: [{ message: "Unauthorized" }] } };
      const error = await failureOf(() => clientFor(server.url, {}).graphql("query { myself { id } }", {}, "myself.secrets"));
      expect(error.code).toBe("unauthorized");
      expect(error.message).toMatch(/HTTP 401/);
      expect(error.message).toContain("RUNPOD_API_KEY");
    });
  });

  test("CreateOutcomeUnknownError is a RunpodApiError callers can branch on", () => {
    const error = new CreateOutcomeUnknownError({
      create: { kind: "pod", name: "web-3f2a", sentAt: "2026-01-01T00:00:00.000Z" },
      method: "POST",
      path: "/pods",
      surface: "rest",
      waitedMs: 1000,
      lastError: new Error("boom"),
    });
    expect(error).toBeInstanceOf(RunpodApiError);
    expect(error.code).toBe("create_outcome_unknown");
    expect(error.message).toMatch(/^creating pod web-3f2a: /);
  });
});
