import { CapacityError, hasCode, hasReadinessCode, NotReadyError, RunpodApiError } from "../../provider/client/errors";

/** Capacity, placement and readiness failures keep a stable code that callers branch on. */
describe("typed errors", () => {
  const refusal = new RunpodApiError({
    status: 400,
    method: "POST",
    path: "/pods",
    apiMessage: "There are no longer any instances available with the requested specifications",
  });

  test("a capacity refusal wrapped with what was tried keeps code capacity", () => {
    expect(refusal.code).toBe("capacity");
    const e = new CapacityError(refusal, "cannot create the pod", "1 × GPU type A40 in any data centre on SECURE cloud");
    expect(hasCode(e, "capacity")).toBe(true);
    expect(e.tried).toBe("1 × GPU type A40 in any data centre on SECURE cloud");
    expect(e.message).toMatch(/^cannot create the pod: Runpod has no capacity for 1 × GPU type A40 .*List more GPU types/);
    expect(e.status).toBe(400);
  });

  test("readiness failures carry not_ready or gone, and the last object seen", () => {
    const timedOut = new NotReadyError("not_ready", "was still waiting", { id: "p1" });
    const gone = new NotReadyError("gone", "it no longer exists", undefined);
    expect(hasReadinessCode(timedOut, "not_ready")).toBe(true);
    expect(hasReadinessCode(timedOut, "gone")).toBe(false);
    expect(hasReadinessCode(gone, "gone")).toBe(true);
    expect(timedOut.last).toEqual({ id: "p1" });
    expect(hasReadinessCode(refusal, "not_ready")).toBe(false);
  });
});
