/**
 * ContainerRegistryAuth through the real dynamic-provider host against the emulator, on both REST
 * wires: no update operation exists, so every change replaces; credentials are write-only.
 */
import { beyondCatalogReads, outOfBand, startStack, TestStack, Wire } from "./support/stack";
import { CheckFailedError, EngineResource } from "./harness";

function program(logicalName: string, args: Record<string, unknown>): Record<string, unknown> {
  return args.name === undefined ? { ...args, __autonamePrefix: logicalName } : args;
}

const COLLECTION: Record<Wire, string> = { v2: "/registries", v1: "/containerregistryauth" };

/** The emulator's stored registry auths, credentials included (Runpod's API never shows them). */
function registriesIn(stack: TestStack): Array<{ id: string; name: string; username: string; password: string }> {
  return stack.emulator.list("registries");
}

const createsAndDeletes = (rpcs: Array<{ method: string }>) => rpcs.map((r) => r.method).filter((m) => m === "Create" || m === "Delete");

describe.each<Wire>(["v2", "v1"])("ContainerRegistryAuth lifecycle on REST %s", (wire) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire });
  });
  afterAll(() => stack?.close());

  test("create, replacement on every change, refresh, import, out-of-band delete, destroy", async () => {
    const auth = await stack.resource("containerRegistryAuth", "ghcr");
    const inputs = { name: `ghcr-${wire}`, username: "deploy-bot", password: `ghp_PASSWORD_${wire}_1111` };

    stack.emulator.clearLog();
    expect((await auth.preview(inputs)).op).toBe("create");
    expect(beyondCatalogReads(stack.emulator)).toEqual([]); // check reads only the catalog

    await auth.up(inputs);
    let id = auth.state!.id;
    expect(registriesIn(stack)).toEqual([expect.objectContaining({ id, ...inputs })]);
    expect(await outOfBand(stack, "GET", `${COLLECTION[wire]}/${id}`)).toEqual({ id, name: inputs.name });
    expect(auth.state!.outputs).toMatchObject(inputs);
    expect(auth.publicState()!.outputs.password).toBe("[secret]");
    expect((await auth.up(inputs)).op).toBe("same");

    // No update operation: a new password replaces, deleting first because the name is explicit.
    for (const change of [{ password: `ghp_PASSWORD_${wire}_2222` }, { username: "other-bot" }, { name: `ghcr-${wire}-2` }]) {
      const next = { ...inputs, ...change };
      const up = await auth.up(next);
      expect(up.op).toBe("replace");
      expect(up.diff!.replaces).toEqual(Object.keys(change));
      expect(up.diff!.deleteBeforeReplace).toBe(true);
      expect(createsAndDeletes(up.rpcs)).toEqual(["Delete", "Create"]);
      expect(auth.state!.id).not.toBe(id);
      id = auth.state!.id;
      expect(registriesIn(stack)).toEqual([expect.objectContaining({ id, ...next })]);
      Object.assign(inputs, change);
    }

    // Refresh: Runpod reports id and name only, so a password changed behind Pulumi's back is
    // invisible (documented); a deletion is not.
    const refreshed = await auth.refresh();
    expect(refreshed.outcome).toBe("unchanged");
    expect(auth.state!.outputs).toMatchObject(inputs);

    // Import: with ignoreChanges on the write-only credentials it is clean; removing ignoreChanges
    // afterwards records the program's credentials in state without replacing anything.
    const careful = new EngineResource(stack.host, {
      type: "pulumi-nodejs:dynamic/runpod:ContainerRegistryAuth",
      name: "ghcr-imported",
      providerText: await stack.providerText("containerRegistryAuth"),
      ignoreChanges: ["username", "password"],
      additionalSecretOutputs: ["password"],
    });
    // The engine's ImportStep resets ignored inputs to what Read found (nothing) before Check.
    const imp = await careful.import(id, { name: inputs.name });
    expect(imp.checkFailures).toEqual([]);
    expect(imp.changes).toBe("none");
    expect(imp.imported).toBe(true);
    const adopted = new EngineResource(stack.host, { ...careful.opts, ignoreChanges: [] });
    adopted.state = careful.state;
    stack.emulator.clearLog();
    const adopt = await adopted.up(inputs);
    expect(adopt.op).toBe("update");
    expect(adopt.diff!.replaces).toEqual([]);
    expect(adopted.state!.id).toBe(id);
    expect(adopted.state!.outputs).toMatchObject(inputs);
    expect(stack.emulator.requests().filter((r: any) => r.method !== "GET")).toEqual([]); // nothing written
    expect((await adopted.up(inputs)).op).toBe("same");
    // A plain import: the harness's Read carries the program's inputs, so the credentials Runpod
    // never returns come from the program and the import is clean.
    const plain = await (await stack.resource("containerRegistryAuth", "ghcr-plain")).import(id, inputs);
    expect(plain.changes).toBe("none");
    expect(plain.imported).toBe(true);

    // Deleted outside Pulumi: refresh drops it; destroying a stale state still succeeds.
    const stale = auth.state!;
    await outOfBand(stack, "DELETE", `${COLLECTION[wire]}/${id}`);
    expect((await auth.refresh()).outcome).toBe("deleted");
    auth.state = stale;
    await auth.destroy();
    expect(registriesIn(stack)).toEqual([]);
  });

  test("an auto-named registry auth is replaced create-before-delete with a fresh name", async () => {
    const auth = await stack.resource("containerRegistryAuth", "dockerhub");
    await auth.up(program("dockerhub", { username: "me", password: "dckr_pat_AAAA1111" }));
    const first = auth.state!;
    expect(first.outputs.name).toMatch(/^dockerhub-[0-9a-f]{7}$/);
    const up = await auth.up(program("dockerhub", { username: "me", password: "dckr_pat_BBBB2222" }));
    expect(up.op).toBe("replace");
    expect(up.diff!.deleteBeforeReplace).toBe(false);
    expect(createsAndDeletes(up.rpcs)).toEqual(["Create", "Delete"]);
    expect(auth.state!.outputs.name).not.toBe(first.outputs.name);
    expect(registriesIn(stack).map((r) => r.id)).toEqual([auth.state!.id]);
    await auth.destroy();
    expect(registriesIn(stack)).toEqual([]);
  });

  test("a name taken outside Pulumi fails the create with Runpod's reason", async () => {
    const other = await outOfBand(stack, "POST", COLLECTION[wire], { name: `taken-${wire}`, username: "x", password: "console-pw" });
    const auth = await stack.resource("containerRegistryAuth", "taken");
    const error = await auth.up({ name: `taken-${wire}`, username: "me", password: "pw-TAKEN-9999" }).catch((e) => e);
    expect(error.message).toMatch(/unique|already/i);
    expect(error.message).not.toContain("pw-TAKEN-9999");
    expect(auth.state).toBeUndefined();
    await outOfBand(stack, "DELETE", `${COLLECTION[wire]}/${other.id}`);
  });
});

describe("ContainerRegistryAuth bad input is a CheckFailure naming the property, before any API call", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire: "v2" });
  });
  afterAll(() => stack?.close());

  const ok = { name: "creds", username: "me", password: "pw-value-1234" };
  const cases: Array<[string, Record<string, unknown>, string, RegExp?]> = [
    ["missing username", { name: "creds", password: "pw-value-1234" }, "username", /required/],
    ["missing password", { name: "creds", username: "me" }, "password", /required/],
    ["empty username", { ...ok, username: "" }, "username", /empty/],
    ["empty password", { ...ok, password: "" }, "password", /empty/],
    ["password as a number", { ...ok, password: 1234 }, "password"],
    ["username as an object", { ...ok, username: { user: "me" } }, "username"],
    ["empty name", { ...ok, name: "" }, "name"],
    ["name over 191 characters", { ...ok, name: "r".repeat(192) }, "name"],
    ["unknown property", { ...ok, registry: "ghcr.io" }, "registry", /unknown property/],
  ];

  // Every row gets all columns: jest passes `done` for a missing trailing argument.
  const rows = cases.map((c) => [...c, ...Array(4 - c.length).fill(undefined)] as (typeof cases)[number]);
  test.each(rows)("%s", async (_label, news, property, reason) => {
    stack.emulator.clearLog();
    const failures = await stack.check("containerRegistryAuth", news);
    expect(failures.map((f) => f.property)).toContain(property);
    const failure = failures.find((f) => f.property === property)!;
    expect(failure.reason).toContain(property);
    if (reason) expect(failure.reason).toMatch(reason);
    expect(JSON.stringify(failures)).not.toContain("pw-value-1234");
    expect(stack.emulator.requests()).toHaveLength(0);
  });

  test("a failing up stops at Check", async () => {
    const auth = await stack.resource("containerRegistryAuth", "never");
    stack.emulator.clearLog();
    await expect(auth.up({ ...ok, password: "" })).rejects.toBeInstanceOf(CheckFailedError);
    expect(stack.emulator.requests()).toHaveLength(0);
  });
});
