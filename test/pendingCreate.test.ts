import { EngineOpError } from "./harness/results";
import { startStack, TestStack, Wire, EMULATOR_COLLECTION, Kind } from "./support/stack";

/**
 * Nothing paid for goes untracked, whatever the fault sequence: a create whose answer is lost
 * while Runpod then stays down for longer than every retry budget is kept in state as pending;
 * once Runpod answers again, refresh adopts the object, up creates it only when Runpod has none,
 * and destroy leaves nothing behind. For every kind, on both wires, through the real host.
 */
const LIST = EMULATOR_COLLECTION;

async function inputsFor(stack: TestStack, kind: Kind, name: string): Promise<Record<string, unknown>> {
  switch (kind) {
    case "networkVolume":
      return { name, size: 10, dataCenterId: "EU-RO-1" };
    case "template":
      return { name, imageName: "runpod/worker:1" };
    case "secret":
      return { name: name.replace(/-/g, "_"), value: "pending-SECRET-value" };
    case "containerRegistryAuth":
      return { name, username: "bot", password: "pw-PENDING-1" };
    case "pod":
      return { name, imageName: "runpod/pytorch:2.4.0", gpuTypeIds: ["NVIDIA GeForce RTX 4090"], waitForReady: false };
    case "endpoint": {
      const tpl = await stack.resource("template", `${name}-tpl`);
      await tpl.up({ name: `${name}-tpl`, imageName: "runpod/worker:1", isServerless: true });
      return { name, templateId: tpl.state!.id, ...(stack.wire === "v2" ? { gpuPoolIds: ["AMPERE_24"] } : { gpuTypeIds: ["NVIDIA RTX A5000"] }) };
    }
  }
}

/** How messages name each kind. */
const WORD: Record<Kind, string> = {
  networkVolume: "network volume",
  template: "template",
  secret: "secret",
  containerRegistryAuth: "container registry auth",
  pod: "pod",
  endpoint: "endpoint",
};

const KINDS: Kind[] = ["networkVolume", "template", "secret", "containerRegistryAuth", "pod", "endpoint"];

describe.each<Wire>(["v2", "v1"])("a create whose outcome stays unknown, on REST %s", (wire) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({
      wire,
      config: { "runpod:maxRetries": "1", "runpod:createRecoveryTimeoutSeconds": "0.3" },
      // Runpod lists a new object only after a while: once the outage ends, the first two lists
      // of each kind still miss what the lost create made. Absence must not be believed at once.
      emulator: { listingLag: { lists: 2 } },
    });
  });
  afterAll(() => stack?.close());

  const named = (kind: Kind, name: string) => (stack.emulator.list(LIST[kind]) as Array<{ id: string; name?: string }>).filter((o) => o.name === name);

  test.each(KINDS)("%s: kept pending, adopted by refresh, never duplicated, destroyed", async (kind) => {
    const name = `pend-${kind.toLowerCase()}-${wire}`;
    const inputs = await inputsFor(stack, kind, name);
    const res = await stack.resource(kind, name);
    const sentName = inputs.name as string;

    stack.emulator.faults.set({ loseCreateResponses: 1, outageAfterLostCreate: true });
    const error = await res.up(inputs).catch((e) => e);
    expect(error).toBeInstanceOf(EngineOpError);
    expect(error.message).toMatch(new RegExp(`creating ${WORD[kind]} "${sentName}"`));
    expect(error.message).toMatch(/may exist/);
    expect(res.state?.id).toMatch(/^pending-create-/);
    const made = named(kind, sentName);
    expect(made).toHaveLength(1); // Runpod holds it

    stack.emulator.faults.clear(); // the outage ends
    // An up before any refresh cannot change the id: it says what Runpod holds and how to adopt it.
    const told = await res.up(inputs).catch((e) => e);
    expect(told).toBeInstanceOf(EngineOpError);
    expect(told.message).toMatch(new RegExp(`exists on Runpod as ${made[0].id}.*run \`pulumi refresh\``));
    expect(res.state?.id).toMatch(/^pending-create-/);
    expect(named(kind, sentName)).toHaveLength(1);

    await res.refresh();
    expect(res.state?.id).toBe(made[0].id);
    expect(named(kind, sentName)).toHaveLength(1);
    expect((await res.up(inputs)).op).toBe("same");

    await res.destroy();
    expect(named(kind, sentName)).toHaveLength(0);
  });

  test.each(KINDS)("%s: a pending create Runpod never received is created by the next up, exactly once", async (kind) => {
    const name = `pend-none-${kind.toLowerCase()}-${wire}`;
    const inputs = await inputsFor(stack, kind, name);
    const res = await stack.resource(kind, name);
    const sentName = inputs.name as string;
    // The create never reaches Runpod's state, and Runpod stays down past every budget.
    stack.emulator.faults.set({ errorRate: 1, errorStatus: 503 });
    await expect(res.up(inputs)).rejects.toThrow(/may exist/);
    expect(res.state?.id).toMatch(/^pending-create-/);
    expect(named(kind, sentName)).toHaveLength(0);
    stack.emulator.faults.clear();
    const up = await res.up(inputs);
    expect(up.op).toBe("replace");
    expect(named(kind, sentName)).toEqual([expect.objectContaining({ id: res.state!.id })]);
    expect((await res.up(inputs)).op).toBe("same");
    await res.destroy();
    expect(named(kind, sentName)).toHaveLength(0);
  });
});
