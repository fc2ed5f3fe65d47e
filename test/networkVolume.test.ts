import { beyondCatalogReads, outOfBand, startStack, TestStack, TEST_API_KEY, Wire } from "./support/stack";
import { CheckFailedError, EngineResource, findLeaks } from "./harness";

function volumesIn(stack: TestStack): any[] {
  return stack.emulator.list("networkVolumes");
}

describe.each<Wire>(["v2", "v1"])("NetworkVolume lifecycle on REST %s", (wire) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire });
  });
  afterAll(() => stack?.close());

  test("preview, up, update in place, refresh with drift, import, destroy", async () => {
    const vol = await stack.resource("networkVolume", "datasets");
    const inputs = { size: 20, dataCenterId: "EU-RO-1" };

    const plan = await vol.preview(inputs);
    expect(plan.op).toBe("create");
    expect(beyondCatalogReads(stack.emulator)).toEqual([]); // check reads only the catalog

    const created = await vol.up(inputs);
    expect(created.op).toBe("create");
    const id = vol.state!.id;
    expect(vol.state!.outputs).toMatchObject({ size: 20, dataCenterId: "EU-RO-1" });
    expect(vol.state!.outputs.name).toMatch(/^datasets-[0-9a-f]{7}$/); // auto-named
    expect(volumesIn(stack).map((v) => v.id)).toEqual([id]);

    expect((await vol.preview(inputs)).op).toBe("same");
    expect((await vol.up(inputs)).op).toBe("same");

    // Rename and grow: both in place, same volume.
    const grown = await vol.up({ ...inputs, name: "training-data", size: 40 });
    expect(grown.op).toBe("update");
    expect(vol.state!.id).toBe(id);
    expect(volumesIn(stack)).toEqual([expect.objectContaining({ id, name: "training-data", size: 40 })]);

    // Moving data centre replaces; shrinking never does: it is a check failure naming size.
    const move = await vol.preview({ ...inputs, name: "training-data", size: 40, dataCenterId: "US-KS-2" });
    expect(move.op).toBe("replace");
    expect(move.diff!.replaces).toEqual(["dataCenterId"]);
    const shrink = await vol.preview({ ...inputs, name: "training-data", size: 30 });
    expect(shrink.op).toBe("invalid");
    expect(shrink.checkFailures).toEqual([expect.objectContaining({ property: "size", reason: expect.stringMatching(/only grow/) })]);

    // Drift made outside Pulumi shows after refresh.
    await outOfBand(stack, "PATCH", `/network-volumes/${id}`, { name: "renamed-in-console", size: 60 }, "v2");
    const refreshed = await vol.refresh();
    expect(refreshed.outcome).toBe("changed");
    expect(vol.state!.outputs).toMatchObject({ name: "renamed-in-console", size: 60 });
    const afterDrift = await vol.preview({ ...inputs, name: "training-data", size: 60 });
    expect(afterDrift.op).toBe("update");
    expect(afterDrift.diff!.replaces).toEqual([]);
    const driftShrink = await vol.preview({ ...inputs, name: "training-data", size: 40 });
    expect(driftShrink.checkFailures.map((f) => f.property)).toEqual(["size"]);
    await vol.up({ ...inputs, name: "training-data", size: 60 });

    // Import by id into a fresh state: clean when the program matches.
    const imported = await stack.resource("networkVolume", "datasets-imported");
    const imp = await imported.import(id, { name: "training-data", size: 60, dataCenterId: "EU-RO-1" });
    expect(imp.checkFailures).toEqual([]);
    expect(imp.changes).toBe("none");
    expect(imp.imported).toBe(true);

    await vol.destroy();
    expect(volumesIn(stack)).toEqual([]);
  });

  test("deleted outside Pulumi: refresh drops it and destroy of a gone volume succeeds", async () => {
    const vol = await stack.resource("networkVolume", "scratch");
    await vol.up({ name: "scratch", size: 10, dataCenterId: "US-KS-2" });
    const id = vol.state!.id;
    const stale = vol.state!;
    await outOfBand(stack, "DELETE", `/network-volumes/${id}`, undefined, "v2");
    expect((await vol.refresh()).outcome).toBe("deleted");
    expect(vol.state).toBeUndefined();
    // Destroying from the stale state (e.g. a stack that never refreshed) is still a success.
    vol.state = stale;
    await expect(vol.destroy()).resolves.toBeDefined();
    expect(vol.state).toBeUndefined();
  });
});

describe("NetworkVolume bad input is a CheckFailure naming the property, before any API call", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire: "v2" });
  });
  afterAll(() => stack?.close());

  const ok = { name: "vol", size: 20, dataCenterId: "EU-RO-1" };
  // Every row has all four columns: jest reads a missing last argument as a `done` callback.
  const cases: Array<[string, Record<string, unknown>, string, Record<string, unknown>]> = [
    ["size as a string", { ...ok, size: "20" }, "size", {}],
    ["fractional size", { ...ok, size: 20.5 }, "size", {}],
    ["negative size", { ...ok, size: -1 }, "size", {}],
    ["size below the v2 minimum", { ...ok, size: 5 }, "size", {}],
    ["size above the v2 maximum", { ...ok, size: 5000 }, "size", {}],
    ["size as a boolean", { ...ok, size: true }, "size", {}],
    ["missing size", { name: "vol", dataCenterId: "EU-RO-1" }, "size", {}],
    ["unknown data centre", { ...ok, dataCenterId: "MARS-1" }, "dataCenterId", {}],
    ["lower-case data centre", { ...ok, dataCenterId: "eu-ro-1" }, "dataCenterId", {}],
    ["data centre as a number", { ...ok, dataCenterId: 42 }, "dataCenterId", {}],
    ["missing data centre", { name: "vol", size: 20 }, "dataCenterId", {}],
    ["empty name", { ...ok, name: "" }, "name", {}],
    ["name as a number", { ...ok, name: 7 }, "name", {}],
    ["name over 191 characters", { ...ok, name: "v".repeat(192) }, "name", {}],
    ["unknown storage type", { ...ok, type: "FAST" }, "type", {}],
    ["unknown property", { ...ok, sizeGb: 20 }, "sizeGb", {}],
    ["shrinking an existing volume", { ...ok, size: 10 }, "size", { ...ok, size: 100 }],
  ];

  test.each(cases)("%s", async (_label, news, property, olds) => {
    stack.emulator.clearLog();
    const failures = await stack.check("networkVolume", news, olds);
    expect(failures.map((f) => f.property)).toContain(property);
    expect(failures.find((f) => f.property === property)!.reason).toContain(property);
    expect(stack.emulator.requests()).toHaveLength(0);
  });

  test("a field REST v1 cannot express, and v1's own size limits, fail on the v1 wire", async () => {
    const v1 = await startStack({ wire: "v1", sharedEmulator: stack.emulator });
    try {
      stack.emulator.clearLog();
      const typeFailures = await v1.check("networkVolume", { ...ok, type: "STANDARD" });
      expect(typeFailures).toEqual([expect.objectContaining({ property: "type", reason: expect.stringMatching(/REST v1.*cannot express/) })]);
      expect((await v1.check("networkVolume", { ...ok, size: 4001 })).map((f) => f.property)).toEqual(["size"]);
      expect(await v1.check("networkVolume", { ...ok, size: 4000 })).toEqual([]);
      expect(beyondCatalogReads(stack.emulator)).toEqual([]); // check reads only the catalog
    } finally {
      await v1.close();
    }
  });
});

describe("NetworkVolume under a storm of 503s and 429s", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire: "v2", emulator: { seed: 7 }, config: { "runpod:maxRetries": "10" } });
  });
  afterAll(() => stack?.close());

  test("50 creates and deletes with 30% 503s and 429 bursts all succeed, with no duplicates", async () => {
    // Retry-After 0 keeps the test fast (it was 1 s: ~20 s of waiting); what it proves is that every
    // 429 and 503 is waited out or retried and no create is duplicated. runpod:maxRetries 10 for
    // this stack (default 8) keeps giving up on a run of plain 503s (0.3^11 per request) out of
    // reach: 15 runs in a row passed with either setting.
    stack.emulator.faults.set({ errorRate: 0.3, errorStatus: 503, status429: { every: 7, burst: 2, retryAfterSeconds: 0 } });
    const volumes: EngineResource[] = [];
    for (let i = 0; i < 50; i++) volumes.push(await stack.resource("networkVolume", `faulty-${i}`));
    const ups = await Promise.allSettled(volumes.map((v, i) => v.up({ size: 10 + i, dataCenterId: "EU-RO-1" })));
    expect(ups.filter((u) => u.status === "rejected")).toEqual([]);

    const inState = volumes.map((v) => v.state!.id).sort();
    const inRunpod = volumesIn(stack)
      .map((v) => v.id)
      .sort();
    expect(new Set(inState).size).toBe(50);
    expect(inRunpod).toEqual(inState);
    const faults = stack.emulator.requests().filter((r) => r.fault);
    expect(faults.some((r) => r.status === 503)).toBe(true);
    expect(faults.some((r) => r.status === 429)).toBe(true);

    const downs = await Promise.allSettled(volumes.map((v) => v.destroy()));
    expect(downs.filter((d) => d.status === "rejected")).toEqual([]);
    expect(volumesIn(stack)).toEqual([]);
  });
});

describe("NetworkVolume under API faults", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire: "v2", emulator: { seed: 7 } });
  });
  afterAll(() => stack?.close());
  afterEach(() => stack.emulator.faults.clear());

  test("a create whose response is lost is adopted, not duplicated", async () => {
    stack.emulator.clearLog();
    stack.emulator.faults.set({ loseCreateResponses: 1 });
    const vol = await stack.resource("networkVolume", "lost-response");
    await vol.up({ size: 25, dataCenterId: "EU-RO-1" });
    const all = volumesIn(stack);
    expect(all).toHaveLength(1);
    expect(all[0].id).toBe(vol.state!.id);
    const creates = stack.emulator.requests().filter((r) => r.method === "POST");
    expect(creates[0].fault).toBeDefined(); // the emulator really dropped that response
    expect(creates).toHaveLength(1); // found by the lookup after the lost response, never re-sent
    await vol.destroy();
  });

  test("errors name the problem and never contain the API key", async () => {
    const wrongKey = "rpa_WRONGKEY_0a1b2c3d4e5f60718293";
    const bad = await startStack({ wire: "v2", sharedEmulator: stack.emulator, config: { "runpod:apiKey": wrongKey } });
    try {
      const vol = await bad.resource("networkVolume", "unauthorized");
      // The key is authenticated by check's first catalog read: the up stops there, naming the key.
      const error = await vol.up({ size: 10, dataCenterId: "EU-RO-1" }).catch((e) => e);
      expect(error).toBeInstanceOf(CheckFailedError);
      expect(error.message).toMatch(/runpod:apiKey: .*401/);
      expect(findLeaks([error.message, error.stack, bad.host.stdout(), bad.host.stderr()], [wrongKey, TEST_API_KEY])).toEqual([]);
    } finally {
      await bad.close();
    }
    expect(findLeaks([stack.host.stdout(), stack.host.stderr()], [TEST_API_KEY])).toEqual([]);
  });

  test("a missing API key fails naming both ways to set it", async () => {
    const config = { "runpod:apiKey": "" };
    const keyless = await startStack({ wire: "v2", sharedEmulator: stack.emulator, config });
    try {
      const vol = await keyless.resource("networkVolume", "keyless");
      const error = await vol.up({ size: 10, dataCenterId: "EU-RO-1" }).catch((e) => e);
      expect(error.message).toContain("runpod:apiKey");
      expect(error.message).toContain("RUNPOD_API_KEY");
    } finally {
      await keyless.close();
    }
  });
});
