import { SingleFlight } from "../provider/client/singleflight";

/** A promise the test settles by hand, so no timing is involved. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("SingleFlight", () => {
  test("concurrent calls for one key share one call; other keys run their own", async () => {
    const flight = new SingleFlight<string>();
    const gate = deferred<string>();
    let calls = 0;
    const fn = () => {
      calls++;
      return gate.promise;
    };
    const a = flight.do("4090", fn);
    const b = flight.do("4090", fn);
    const other = flight.do("A40", async () => "A40");
    gate.resolve("RTX 4090");
    expect(await Promise.all([a, b, other])).toEqual(["RTX 4090", "RTX 4090", "A40"]);
    expect(calls).toBe(1);
    expect(flight.size).toBe(0);
  });

  test("a settled call is not remembered: the next call runs again, and a failure is not cached", async () => {
    const flight = new SingleFlight<number>();
    let calls = 0;
    await expect(
      flight.do("k", async () => {
        calls++;
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await flight.do("k", async () => ++calls)).toBe(2);
  });

  test("every waiter sees a shared failure", async () => {
    const flight = new SingleFlight<number>();
    const gate = deferred<number>();
    const a = flight.do("k", () => gate.promise);
    const b = flight.do("k", () => Promise.resolve(1));
    gate.reject(new Error("down"));
    await expect(a).rejects.toThrow("down");
    await expect(b).rejects.toThrow("down");
  });
});
