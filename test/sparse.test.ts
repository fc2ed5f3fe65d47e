import { startStack, TestStack, Wire, EMULATOR_COLLECTION, Kind } from "./support/stack";

/**
 * Runpod may answer with the least its spec allows: fields that are not required left out,
 * nullable ones null, lists empty. The emulator's sparse mode answers exactly so (derived from the
 * spec); each resource's main lifecycle — create, in-place update, refresh, destroy — must still
 * work, and nothing may crash or put `undefined` in state once Runpod accepted a create.
 */
const LIST = EMULATOR_COLLECTION;

interface Lifecycle {
  create: Record<string, unknown>;
  /** A change the wire applies in place; none where the kind has no update. */
  update?: Record<string, unknown>;
}

async function lifecycleOf(stack: TestStack, kind: Kind, name: string): Promise<Lifecycle> {
  switch (kind) {
    case "networkVolume":
      return { create: { name, size: 10, dataCenterId: "EU-RO-1" }, update: { size: 20 } };
    case "template":
      return { create: { name, imageName: "runpod/worker:1" }, update: { imageName: "runpod/worker:2" } };
    case "secret":
      return { create: { name: name.replace(/-/g, "_"), value: "sparse-SECRET-1" }, update: { value: "sparse-SECRET-2" } };
    case "containerRegistryAuth":
      return { create: { name, username: "bot", password: "pw-SPARSE-1" } }; // no update route on either wire
    case "pod":
      return {
        create: { name, imageName: "runpod/pytorch:2.4.0", gpuTypeIds: ["NVIDIA GeForce RTX 4090"], readyTimeoutSeconds: 5 },
        // Not env: a sparse answer reports `env: {}`, which is drift from any env the program sets.
        update: { name: `${name}-renamed` },
      };
    case "endpoint": {
      // The template is made with full answers: only the endpoint's own answers are under test.
      stack.emulator.configure({ sparse: false });
      const tpl = await stack.resource("template", `${name}-tpl`);
      await tpl.up({ name: `${name}-tpl`, imageName: "runpod/worker:1", isServerless: true });
      stack.emulator.configure({ sparse: true });
      const gpus = stack.wire === "v2" ? { gpuPoolIds: ["AMPERE_24"] } : { gpuTypeIds: ["NVIDIA RTX A5000"] };
      return { create: { name, templateId: tpl.state!.id, ...gpus }, update: { workersMax: 5 } };
    }
  }
}

/** Every value in a property bag, however deep, is defined. */
function undefinedPaths(value: unknown, path = ""): string[] {
  if (value === undefined) return [path || "(root)"];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => undefinedPaths(v, path ? `${path}.${k}` : k));
}

const KINDS: Kind[] = ["networkVolume", "template", "secret", "containerRegistryAuth", "pod", "endpoint"];

describe.each<Wire>(["v2", "v1"])("sparse answers on REST %s", (wire) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire, emulator: { sparse: true, validateResponses: true } });
  });
  afterAll(() => stack?.close());

  test.each(KINDS)("%s: create, update in place, refresh, destroy", async (kind) => {
    const name = `sparse-${kind.toLowerCase()}-${wire}`;
    stack.emulator.configure({ sparse: true });
    const life = await lifecycleOf(stack, kind, name);
    const res = await stack.resource(kind, name);
    const sentName = life.create.name as string;
    if (wire === "v1" && kind !== "secret") {
      // v1's spec requires no field at all: a create answered `{}` and a list of `{}`s cannot say
      // which object was made. Runpod holds it, so it is kept pending, never dropped or duplicated.
      const error = await res.up(life.create).catch((e) => e);
      expect(error.message).toMatch(new RegExp(`"${sentName}": Runpod accepted the create but its answer carried no id.*kept in the stack as pending`));
      expect(res.state!.id).toMatch(/^pending-create-/);
      await expect(res.refresh()).rejects.toThrow(/without their ids/);
      await expect(res.destroy()).rejects.toThrow(/without their ids/);
      expect(res.state!.id).toMatch(/^pending-create-/);
      const held = (stack.emulator.list(LIST[kind]) as Array<{ id: string; name?: string }>).filter((o) => o.name === sentName);
      expect(held).toHaveLength(1);
      // Once Runpod answers in full again, refresh adopts it; the rest of the lifecycle runs sparse.
      stack.emulator.configure({ sparse: false });
      await res.refresh();
      stack.emulator.configure({ sparse: true });
      expect(res.state!.id).toBe(held[0].id);
    } else {
      expect((await res.up(life.create)).op).toBe("create");
    }
    const id = res.state!.id;
    expect(stack.emulator.get(LIST[kind], id)).toBeDefined();
    expect(undefinedPaths(res.state)).toEqual([]);

    if (life.update) {
      const updated = await res.up({ ...life.create, ...life.update });
      expect(updated.op).toBe("update");
      expect(res.state!.id).toBe(id);
      expect(undefinedPaths(res.state)).toEqual([]);
    }

    const refreshed = await res.refresh();
    expect(refreshed.outcome).not.toBe("deleted");
    expect(res.state!.id).toBe(id);
    expect(undefinedPaths(res.state)).toEqual([]);
    const after = await res.up({ ...life.create, ...life.update });
    expect(after.op).toBe("same");

    await res.destroy();
    expect(stack.emulator.get(LIST[kind], id)).toBeUndefined();
    expect(stack.emulator.responseViolations()).toEqual([]);
  });
});
