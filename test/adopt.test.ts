import { EngineOpError, EngineResource } from "./harness";
import { EMULATOR_COLLECTION, Kind, startStack, TestStack, Wire } from "./support/stack";

/**
 * Adoption (`adoptId`): Pulumi cannot import into a dynamic provider, so a create given an
 * existing object's id takes it over. For every kind on both wires, through the real host: the
 * create reads the object and never creates one, applies in-place differences with one update,
 * refuses differences that would need a replacement (naming the fields), and afterwards the input
 * has no effect while destroy deletes the object.
 */
const KINDS: Kind[] = ["networkVolume", "template", "secret", "containerRegistryAuth", "pod", "endpoint"];

type Inputs = Record<string, unknown>;

/** The program that matches the existing object, and one that differs only in place. */
interface Case {
  inputs: Inputs;
  /** Differs in fields the wire updates in place (none for registry credentials: no update API). */
  inPlace?: Inputs;
}

async function caseFor(stack: TestStack, kind: Kind, name: string): Promise<Case> {
  switch (kind) {
    case "networkVolume":
      return { inputs: { name, size: 10, dataCenterId: "EU-RO-1" }, inPlace: { name, size: 20, dataCenterId: "EU-RO-1" } };
    case "template":
      return { inputs: { name, imageName: "runpod/worker:1" }, inPlace: { name, imageName: "runpod/worker:2" } };
    case "secret": {
      const n = name.replace(/-/g, "_");
      return { inputs: { name: n, value: "adopt-SECRET-1", description: "d" }, inPlace: { name: n, value: "adopt-SECRET-1", description: "e" } };
    }
    case "containerRegistryAuth":
      return { inputs: { name, username: "bot", password: "pw-ADOPT-1" } };
    case "pod": {
      const inputs = { name, imageName: "runpod/pytorch:2.4.0", gpuTypeIds: ["NVIDIA GeForce RTX 4090"] };
      return { inputs, inPlace: { ...inputs, imageName: "runpod/pytorch:2.5.0" } };
    }
    case "endpoint": {
      const tpl = await stack.resource("template", `${name}-tpl`);
      await tpl.up({ name: `${name}-tpl`, imageName: "runpod/worker:1", isServerless: true });
      const gpus = stack.wire === "v2" ? { gpuPoolIds: ["AMPERE_24"] } : { gpuTypeIds: ["NVIDIA RTX A5000"] };
      const inputs = { name, templateId: tpl.state!.id, workersMax: 2, ...gpus };
      return { inputs, inPlace: { ...inputs, workersMax: 3 } };
    }
  }
}

describe.each<Wire>(["v2", "v1"])("adopting existing objects on REST %s", (wire) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire });
  });
  afterAll(() => stack?.close());

  const stored = (kind: Kind, id: string) => (stack.emulator.list(EMULATOR_COLLECTION[kind]) as Array<{ id: string }>).find((o) => o.id === id);
  const creates = () => stack.emulator.requests().filter((r) => /create/i.test(r.operation ?? ""));
  const writes = () => stack.emulator.requests().filter((r) => r.method !== "GET" && !(r.path === "/graphql" && /^myself/.test(r.operation ?? "")));

  /** An object made outside this stack: created by another resource whose state is then forgotten. */
  async function existing(kind: Kind, name: string, inputs: Inputs): Promise<string> {
    const other = await stack.resource(kind, `${name}-elsewhere`);
    await other.up(inputs);
    const id = other.state!.id;
    other.state = undefined;
    return id;
  }

  test.each(KINDS)("%s: adopted unchanged with no create and no update; no diff without adoptId; destroy deletes it", async (kind) => {
    const name = `adopt-${kind.toLowerCase()}-${wire}`;
    const { inputs } = await caseFor(stack, kind, name);
    const id = await existing(kind, name, inputs);
    stack.emulator.clearLog();

    const res = await stack.resource(kind, name);
    const up = await res.up({ ...inputs, adoptId: id });
    expect(up.op).toBe("create");
    expect(res.state!.id).toBe(id);
    expect(creates()).toEqual([]);
    // Nothing is written, except what Runpod never reports back and so cannot be compared: a
    // secret's value, and the template a v2 endpoint was made from.
    const unseen = kind === "secret" ? ["secretValueUpdate"] : kind === "endpoint" && wire === "v2" ? ["updateEndpoint"] : [];
    expect(writes().map((r) => r.operation)).toEqual(unseen);
    expect(res.state!.outputs).toMatchObject(Object.fromEntries(Object.entries(inputs).filter(([k]) => k !== "value" && k !== "password")));

    expect((await res.preview({ ...inputs, adoptId: id })).op).toBe("same");
    // The input has no effect once adopted: removing or changing it shows no diff.
    expect((await res.preview(inputs)).op).toBe("same");
    expect((await res.preview({ ...inputs, adoptId: "someone-else" })).op).toBe("same");
    expect((await res.up(inputs)).op).toBe("same");
    expect(creates()).toEqual([]);

    await res.destroy();
    expect(stored(kind, id)).toBeUndefined();
  });

  test.each(KINDS.filter((k) => k !== "containerRegistryAuth"))("%s: in-place differences are applied with one update", async (kind) => {
    const name = `adopt-upd-${kind.toLowerCase()}-${wire}`;
    const { inputs, inPlace } = await caseFor(stack, kind, name);
    const id = await existing(kind, name, inputs);
    stack.emulator.clearLog();

    const res = await stack.resource(kind, name);
    await res.up({ ...inPlace!, adoptId: id });
    expect(res.state!.id).toBe(id);
    expect(creates()).toEqual([]);
    const changed = Object.entries(inPlace!).filter(([k, v]) => JSON.stringify(inputs[k]) !== JSON.stringify(v));
    // A secret's value is never returned: adoption sets it from the program (its own mutation).
    const expected = kind === "secret" ? ["secretValueUpdate", "secretDescriptionUpdate"] : [/update/i];
    expect(writes().map((r) => r.operation)).toEqual(expected.map((op) => (typeof op === "string" ? op : expect.stringMatching(op))));
    await res.refresh();
    expect(res.state!.outputs).toMatchObject(Object.fromEntries(changed));
    expect((await res.preview(inPlace!)).op).toBe("same");
    await res.destroy();
    expect(stored(kind, id)).toBeUndefined();
  });

  test("a pod whose GPU type differs is not adopted: the error names gpuTypeIds, nothing is created or changed", async () => {
    const name = `adopt-gpu-${wire}`;
    const { inputs } = await caseFor(stack, "pod", name);
    const id = await existing("pod", name, inputs);
    stack.emulator.clearLog();
    const res = await stack.resource("pod", name);
    const error = await res.up({ ...inputs, gpuTypeIds: ["NVIDIA A40"], adoptId: id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineOpError);
    expect((error as Error).message).toMatch(/adoptId: Pod .* cannot be adopted/);
    expect((error as Error).message).toMatch(/gpuTypeIds: Runpod cannot move a pod to another GPU type/);
    expect(res.state).toBeUndefined();
    expect(writes()).toEqual([]);
    expect(stored("pod", id)).toBeDefined();
    await stack.resource("pod", `${name}-cleanup`).then(async (r) => {
      await r.up({ ...inputs, adoptId: id });
      await r.destroy();
    });
  });

  test("a stopped pod adopted by a program that wants it running is started and waited for, never created", async () => {
    const name = `adopt-start-${wire}`;
    const { inputs } = await caseFor(stack, "pod", name);
    const id = await existing("pod", name, { ...inputs, desiredStatus: "EXITED" });
    stack.emulator.clearLog();
    const res = await stack.resource("pod", name);
    await res.up({ ...inputs, adoptId: id });
    expect(res.state!.id).toBe(id);
    expect(creates()).toEqual([]);
    expect(writes().map((r) => r.operation)).toEqual([wire === "v2" ? "podAction" : "StartPod"]);
    expect(res.state!.outputs).toMatchObject({ desiredStatus: "RUNNING" });
    expect(res.state!.outputs.status).toBe("RUNNING"); // the readiness wait ran
    expect((await res.preview(inputs)).op).toBe("same");
    await res.destroy();
  });

  test("an adopted resource is not replaced while adoptId is set: the replacement would adopt the object it deletes", async () => {
    const name = `adopt-replace-${wire}`;
    const inputs = { name, size: 10, dataCenterId: "EU-RO-1" };
    const id = await existing("networkVolume", name, inputs);
    const res = await stack.resource("networkVolume", name);
    await res.up({ ...inputs, adoptId: id });
    const moved = { ...inputs, dataCenterId: "US-KS-2" };
    await expect(res.preview({ ...moved, adoptId: id })).rejects.toThrow(/adoptId: this NetworkVolume would be replaced \(dataCenterId: .*remove adoptId/);
    expect((await res.preview(moved)).op).toBe("replace");
    await res.destroy();
    expect(stored("networkVolume", id)).toBeUndefined();
  });

  test("a registry credential's username and password are recorded from the program; a different name refuses", async () => {
    const name = `adopt-reg-${wire}`;
    const id = await existing("containerRegistryAuth", name, { name, username: "bot", password: "pw-ADOPT-old" });
    stack.emulator.clearLog();
    const clash = await stack.resource("containerRegistryAuth", `${name}-clash`);
    await expect(clash.up({ name: "another-name", username: "bot", password: "pw-ADOPT-2", adoptId: id })).rejects.toThrow(
      /name: Runpod .* cannot change the credential name .* \(Runpod has "adopt-reg-/,
    );
    const res = await stack.resource("containerRegistryAuth", name);
    await res.up({ username: "bot2", password: "pw-ADOPT-2", adoptId: id });
    expect(res.state!.id).toBe(id);
    expect(res.state!.outputs).toMatchObject({ name, username: "bot2", password: "pw-ADOPT-2" });
    expect(writes()).toEqual([]);
    expect((await res.preview({ username: "bot2", password: "pw-ADOPT-2" })).op).toBe("same");
    await res.destroy();
    expect(stored("containerRegistryAuth", id)).toBeUndefined();
  });

  test("an id Runpod does not know fails naming adoptId, and nothing is created", async () => {
    stack.emulator.clearLog();
    const res = await stack.resource("networkVolume", `adopt-missing-${wire}`);
    await expect(res.up({ size: 10, dataCenterId: "EU-RO-1", adoptId: "nosuchvolume" })).rejects.toThrow(
      /adoptId: Runpod has no NetworkVolume "nosuchvolume" to adopt/,
    );
    expect(res.state).toBeUndefined();
    expect(creates()).toEqual([]);
  });

  test("a secret is adopted by name: its value is set from the program, and it keeps its name", async () => {
    const secretName = `adopt_by_name_${wire}`;
    const id = await existing("secret", secretName, { name: secretName, value: "old-SECRET-value" });
    stack.emulator.clearLog();
    const res: EngineResource = await stack.resource("secret", "by-name");
    await res.up({ value: "new-SECRET-value", adoptId: secretName });
    expect(res.state!.id).toBe(id);
    expect(res.state!.outputs.name).toBe(secretName); // no explicit name: the object's own, not an auto-name
    expect(stack.emulator.get("secrets", id)).toMatchObject({ name: secretName, value: "new-SECRET-value" });
    expect(creates()).toEqual([]);
    expect((await res.preview({ value: "new-SECRET-value" })).op).toBe("same");
    await res.destroy();
    expect(stack.emulator.get("secrets", id)).toBeUndefined();
  });
});
