import { hasReadinessCode, NotReadyError } from "../../provider/client/errors";
import type { V1, V2 } from "../../provider/api";
import type { OperationContext } from "../../provider/runtime/context";
import { diagnosis, v1View, v2View, verdict, waitForEndpoint } from "../../provider/resources/endpoint/readiness";

/**
 * The endpoint readiness rules on their own (the engine-faithful suite is test/endpointReady):
 * what each wire's answers say, when the endpoint counts as serving, and the stable code a
 * timeout carries. The context's client is a stand-in answering canned Runpod bodies by path.
 */
function contextAnswering(wire: "v1" | "v2", answers: Record<string, unknown>): OperationContext {
  const rest = async ({ path }: { path: string }) => {
    if (!(path in answers)) throw new Error(`unexpected ${path}`);
    return answers[path];
  };
  return { wire, settings: { pollIntervalMs: 1 }, http: { rest } } as unknown as OperationContext;
}

const worker = (id: string, status: V2["WorkerStatus"], isStale = false): V2["Worker"] => ({ id, status, isStale, gpuCount: 1, version: isStale ? 1 : 2 });
/** A v1 worker Pod with only the fields the readiness rules read. */
const pod = (p: Partial<V1["Pod"]>) => p as V1["Pod"];

const summary = { running: 0, idle: 0, initializing: 0, throttled: 0, unhealthy: 0, total: 0 };
const settled = { inProgress: false, workersOnLatest: 1, workersTotal: 1, percentOnLatest: 100 };

describe("endpoint readiness", () => {
  test("v2: stale and not-ready workers do not count; a rollout in progress waits", () => {
    const view = v2View(
      { rollout: { inProgress: true, workersOnLatest: 1, workersTotal: 2, percentOnLatest: 50 } },
      { workers: [worker("old", "IDLE", true), worker("new", "THROTTLED")], summary, endpointVersion: 2 },
    );
    expect(view).toMatchObject({ version: 2, readyWorkers: 0, throttled: ["new"], unhealthy: [] });
    expect(verdict(view, { workersMin: 1 })).toEqual({ ready: false, waitingFor: "the release to roll out (1 of 2 workers on the current version)" });
    const up = v2View({ rollout: settled }, { workers: [worker("w", "RUNNING")], summary });
    expect(verdict(up, { workersMin: 1 })).toEqual({ ready: true });
    expect(verdict(up, { workersMin: 2 })).toEqual({ ready: false, waitingFor: "2 workers running or idle (now 1)" });
  });

  test("v1: derived from the workers listed as Pods; without a list there is nothing to wait on", () => {
    const view = v1View({
      version: 3,
      workers: [
        pod({ id: "a", desiredStatus: "RUNNING", machineId: "m1", lastStartedAt: "2026-01-01T00:00:00Z", slsVersion: 2 }),
        pod({ id: "b", desiredStatus: "RUNNING", slsVersion: 3 }),
        pod({ id: "c", desiredStatus: "EXITED", machineId: "m2", slsVersion: 3 }),
      ],
    });
    expect(view).toMatchObject({ readyWorkers: 0, throttled: ["b"], unhealthy: ["c"] });
    expect(view.rollout).toEqual({ inProgress: true, workersOnLatest: 2, workersTotal: 3, percentOnLatest: 66 });
    expect(diagnosis(view, { gpuTypeIds: ["NVIDIA L4"] }, "v1")).toBe(
      "1 worker waiting for a machine (b): no stock of GPU types NVIDIA L4 in any data centre; add GPU pools/types or data centres, or retry later; " +
        "1 worker EXITED (c): the template's image may fail to pull (name, tag, registry credentials) or the worker fails to start; see the worker logs in the Runpod console",
    );
    expect(verdict(v1View({}), { workersMin: 2 })).toEqual({ ready: true });
  });

  test.each([
    ["THROTTLED", "throttled"],
    ["UNHEALTHY", "unhealthy"],
    ["INITIALIZING", "not_ready"],
  ] as const)("a timeout with %s workers has code %s and carries the last look", async (status, code) => {
    const ctx = contextAnswering("v2", {
      "/serverless/e1/releases": { endpointVersion: 2, rollout: { ...settled, workersOnLatest: 0, workersTotal: 0 }, releases: [] },
      "/serverless/e1/workers": { workers: [worker("w1", status)], summary, endpointVersion: 2 },
    });
    const error = await waitForEndpoint(ctx, "e1", { workersMin: 1, readyTimeoutSeconds: 0.005 }, "Endpoint e1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect(hasReadinessCode(error, code)).toBe(true);
    expect((error as NotReadyError).message).toMatch(/^was still waiting for 1 worker running or idle \(now 0\) after 0\.005 s/);
  });

  test("an endpoint deleted meanwhile is gone", async () => {
    const ctx = contextAnswering("v1", {});
    (ctx.http as unknown as { rest: () => Promise<never> }).rest = async () => {
      const { RunpodApiError } = await import("../../provider/client/errors");
      throw new RunpodApiError({ status: 404, method: "GET", path: "/endpoints/e1", apiMessage: "not found" });
    };
    const error = await waitForEndpoint(ctx, "e1", { workersMin: 1 }, "Endpoint e1").catch((e: unknown) => e);
    expect(hasReadinessCode(error, "gone")).toBe(true);
  });
});
