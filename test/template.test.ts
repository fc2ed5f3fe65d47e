/**
 * Template through the real dynamic-provider host (test/harness) against the emulator, on both
 * REST wires: lifecycle, per-wire replace-vs-in-place, drift, import, in-use deletes, bad input.
 */
import { beyondCatalogReads, outOfBand, startStack, TestStack, TEST_API_KEY, Wire } from "./support/stack";
import { CheckFailedError, EngineOpError, EngineResource } from "./harness";
import { joinShellWords, splitShellWords } from "../provider/schema/shellwords";

/** What a program registers: the args, plus the auto-name prefix when `name` is omitted. */
function program(logicalName: string, args: Record<string, unknown>): Record<string, unknown> {
  return args.name === undefined ? { ...args, __autonamePrefix: logicalName } : args;
}

function templatesIn(stack: TestStack): any[] {
  return stack.emulator.list("templates");
}

/** The template as the active wire's GET reports it. */
function getTemplate(stack: TestStack, id: string): Promise<any> {
  return outOfBand(stack, "GET", `/templates/${id}${stack.wire === "v1" ? "?includeEndpointBoundTemplates=true" : ""}`);
}

/** Inputs using every field the wire can express. */
function fullInputs(wire: Wire): Record<string, any> {
  const common = {
    imageName: "runpod/pytorch:2.1.0-py3.10-cuda11.8.0-devel-ubuntu22.04",
    category: "NVIDIA",
    containerDiskInGb: 30,
    volumeInGb: 20,
    volumeMountPath: "/workspace",
    ports: ["8888/http", "22/tcp"],
    env: { JUPYTER_PASSWORD: "not-a-secret", MODEL: "llama" },
    dockerStartCmd: ["python", "-m", "server", "--greeting", "hello world"],
    isPublic: false,
    isServerless: false,
  };
  return wire === "v2"
    ? { ...common, startSsh: false, startJupyter: true, allowedCudaVersions: ["12.8", "12.6"] }
    : { ...common, dockerEntrypoint: ["bash", "-c"], readme: "## Hello" };
}

describe("v2 args rule: shell words round-trip", () => {
  test.each<[string[]]>([[[]], [["python", "app.py"]], [["bash", "-c", "echo 'hi' && sleep 1"]], [["", "a b", "it's", "$HOME", 'q"uote', "tab\there"]]])(
    "%j",
    (words) => {
      expect(splitShellWords(joinShellWords(words))).toEqual(words);
    },
  );
  test("plain words stay unquoted, others are single-quoted", () => {
    expect(joinShellWords(["python", "-m", "x.y", "--port=8000"])).toBe("python -m x.y --port=8000");
    expect(joinShellWords(["echo", "hello world", "it's"])).toBe(`echo 'hello world' 'it'\\''s'`);
    expect(splitShellWords(`python "a b" c\\ d 'e f'`)).toEqual(["python", "a b", "c d", "e f"]);
  });
});

describe.each<Wire>(["v2", "v1"])("Template lifecycle on REST %s", (wire) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire });
  });
  afterAll(() => stack?.close());

  test("create with every field, in-place update, drift seen by refresh, import, out-of-band delete, destroy", async () => {
    const tpl = await stack.resource("template", "trainer");
    const inputs: Record<string, any> = { name: `trainer-${wire}`, ...fullInputs(wire) };

    stack.emulator.clearLog();
    expect((await tpl.preview(inputs)).op).toBe("create");
    expect(beyondCatalogReads(stack.emulator)).toEqual([]); // check reads only the catalog

    await tpl.up(inputs);
    const id = tpl.state!.id;
    const api = await getTemplate(stack, id);
    if (wire === "v2") {
      expect(api).toMatchObject({
        name: inputs.name,
        image: inputs.imageName,
        disk: 30,
        mounts: { persistent: { size: 20, path: "/workspace" } },
        ports: ["8888/http", "22/tcp"],
        env: inputs.env,
        args: "python -m server --greeting 'hello world'",
        category: "NVIDIA",
        serverless: false,
        public: false,
        startSsh: false,
        startJupyter: true,
        allowedCudaVersions: ["12.8", "12.6"],
      });
    } else {
      expect(api).toMatchObject({
        name: inputs.name,
        imageName: inputs.imageName,
        containerDiskInGb: 30,
        volumeInGb: 20,
        volumeMountPath: "/workspace",
        ports: ["8888/http", "22/tcp"],
        env: inputs.env,
        dockerEntrypoint: ["bash", "-c"],
        dockerStartCmd: inputs.dockerStartCmd,
        readme: "## Hello",
        isServerless: false,
      });
    }
    expect(tpl.state!.outputs).toMatchObject({ ...inputs });
    expect((await tpl.up(inputs)).op).toBe("same");

    // In place on both wires: image, disk, env, ports, start command, name, volume.
    const changed = {
      ...inputs,
      name: `trainer-${wire}-renamed`,
      imageName: "runpod/pytorch:2.4.0",
      containerDiskInGb: 40,
      volumeInGb: 50,
      env: { MODEL: "mistral" },
      ports: ["8000/http"],
      dockerStartCmd: ["python", "serve.py"],
    };
    const updated = await tpl.up(changed);
    expect(updated.op).toBe("update");
    expect(tpl.state!.id).toBe(id);
    expect(templatesIn(stack)).toHaveLength(1);
    const after = await getTemplate(stack, id);
    expect(after.name).toBe(changed.name);
    expect(wire === "v2" ? after.image : after.imageName).toBe(changed.imageName);
    expect(wire === "v2" ? after.args : after.dockerStartCmd).toEqual(wire === "v2" ? "python serve.py" : ["python", "serve.py"]);
    expect(wire === "v2" ? after.mounts.persistent.size : after.volumeInGb).toBe(50);

    // Drift made in the console shows after refresh, and the program puts it back in place.
    if (wire === "v2") await outOfBand(stack, "PATCH", `/templates/${id}`, { image: "someone/else:1", args: "sleep infinity", env: { MODEL: "x" } });
    else await outOfBand(stack, "PATCH", `/templates/${id}`, { imageName: "someone/else:1", dockerStartCmd: ["sleep", "infinity"], env: { MODEL: "x" } });
    const refreshed = await tpl.refresh();
    expect(refreshed.outcome).toBe("changed");
    expect(tpl.state!.outputs).toMatchObject({ imageName: "someone/else:1", dockerStartCmd: ["sleep", "infinity"], env: { MODEL: "x" } });
    const repair = await tpl.preview(changed);
    expect(repair.op).toBe("update");
    expect(repair.diff!.replaces).toEqual([]);
    await tpl.up(changed);
    expect((await getTemplate(stack, id)).env).toEqual({ MODEL: "mistral" });
    expect((await tpl.preview(changed)).op).toBe("same");

    // Import by id into a fresh state: clean when the program matches what Runpod has.
    const imported = await stack.resource("template", "trainer-imported");
    const imp = await imported.import(id, changed);
    expect(imp.checkFailures).toEqual([]);
    expect(imp.diff?.replaces ?? []).toEqual([]);
    expect(imp.changes).toBe("none");
    expect(imp.imported).toBe(true);

    // Deleted outside Pulumi: refresh drops it; destroying a stale state still succeeds.
    const stale = tpl.state!;
    await outOfBand(stack, "DELETE", `/templates/${id}`);
    expect((await tpl.refresh()).outcome).toBe("deleted");
    expect(tpl.state).toBeUndefined();
    tpl.state = stale;
    await tpl.destroy();
    expect(templatesIn(stack)).toEqual([]);
  });

  test(
    wire === "v2" ? "v2 updates category and isServerless in place" : "v1 cannot update category or isServerless: an explicit name replaces delete-first",
    async () => {
      const tpl = await stack.resource("template", "flip");
      const base = { name: `flip-${wire}`, imageName: "runpod/worker:1", category: "NVIDIA", isServerless: false, volumeInGb: 0 };
      await tpl.up(base);
      const id = tpl.state!.id;

      const toCpu = { ...base, category: "CPU" };
      const plan = await tpl.preview(toCpu);
      if (wire === "v2") {
        expect(plan.op).toBe("update");
        await tpl.up(toCpu);
        const serverless = await tpl.up({ ...toCpu, isServerless: true });
        expect(serverless.op).toBe("update");
        expect(tpl.state!.id).toBe(id);
        expect(await getTemplate(stack, id)).toMatchObject({ category: "CPU", serverless: true });
      } else {
        expect(plan.op).toBe("replace");
        expect(plan.diff!.replaces).toEqual(["category"]);
        expect(plan.diff!.deleteBeforeReplace).toBe(true); // names are unique: the old one must go first
        const up = await tpl.up(toCpu);
        expect(up.rpcs.map((r) => r.method).filter((m) => m === "Create" || m === "Delete")).toEqual(["Delete", "Create"]);
        expect(tpl.state!.id).not.toBe(id);
        expect(templatesIn(stack).map((t) => t.name)).toEqual([base.name]);
        const serverless = await tpl.preview({ ...toCpu, isServerless: true });
        expect(serverless.op).toBe("replace");
        expect(serverless.diff!.replaces).toEqual(["isServerless"]);
      }
      await tpl.destroy();
      expect(templatesIn(stack)).toEqual([]);
    },
  );

  test("an auto-named template is replaced create-before-delete with a fresh name", async () => {
    const tpl = await stack.resource("template", "worker");
    // The replacing change: v1 cannot update isServerless; v2 cannot remove a persistent mount.
    const first = wire === "v1" ? { imageName: "runpod/worker:1", isServerless: false } : { imageName: "runpod/worker:1", volumeInGb: 20 };
    const second = wire === "v1" ? { imageName: "runpod/worker:1", isServerless: true } : { imageName: "runpod/worker:1", volumeInGb: 0 };
    await tpl.up(program("worker", first));
    const oldName = tpl.state!.outputs.name;
    const oldId = tpl.state!.id;
    expect(oldName).toMatch(/^worker-[0-9a-f]{7}$/);
    expect((await tpl.up(program("worker", first))).op).toBe("same"); // the auto-name is stable

    const up = await tpl.up(program("worker", second));
    expect(up.op).toBe("replace");
    expect(up.diff!.deleteBeforeReplace).toBe(false);
    expect(up.rpcs.map((r) => r.method).filter((m) => m === "Create" || m === "Delete")).toEqual(["Create", "Delete"]);
    expect(tpl.state!.id).not.toBe(oldId);
    expect(tpl.state!.outputs.name).toMatch(/^worker-[0-9a-f]{7}$/);
    expect(tpl.state!.outputs.name).not.toBe(oldName);
    expect(templatesIn(stack).map((t) => t.id)).toEqual([tpl.state!.id]);
    if (wire === "v1") expect(templatesIn(stack)[0]).toMatchObject({ volumeInGb: 0 }); // serverless default 0, not v1's 20
    await tpl.destroy();
  });

  test("deleting a registry auth clears the template's reference: refresh shows it, up restores it", async () => {
    const reg = await stack.resource("containerRegistryAuth", "ghcr");
    await reg.up({ name: `ghcr-${wire}`, username: "bot", password: "pw-for-template-test" });
    const tpl = await stack.resource("template", "private");
    const inputs = { name: `private-${wire}`, imageName: "ghcr.io/me/app:1", containerRegistryAuthId: reg.state!.id };
    await tpl.up(inputs);
    expect(tpl.state!.outputs.containerRegistryAuthId).toBe(reg.state!.id);

    await reg.destroy();
    expect((await tpl.refresh()).outcome).toBe("changed");
    expect(tpl.state!.outputs.containerRegistryAuthId).toBe("");
    await reg.up({ name: `ghcr-${wire}`, username: "bot", password: "pw-for-template-test" });
    const relink = await tpl.up({ ...inputs, containerRegistryAuthId: reg.state!.id });
    expect(relink.op).toBe("update");
    expect(tpl.state!.outputs.containerRegistryAuthId).toBe(reg.state!.id);
    await tpl.destroy();
    await reg.destroy();
  });
});

describe.each<Wire>(["v2", "v1"])("Template in use on REST %s", (wire) => {
  let stack: TestStack;
  let impatient: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire, config: { "runpod:templateDeleteTimeoutSeconds": "30" } });
    impatient = await startStack({ wire, sharedEmulator: stack.emulator, config: { "runpod:templateDeleteTimeoutSeconds": "0.3" } });
  });
  afterAll(async () => {
    await impatient?.close();
    await stack?.close();
  });

  const deletesOf = (id: string) => stack.emulator.requests().filter((r: any) => r.method === "DELETE" && String(r.path).endsWith(`/templates/${id}`));

  test("delete waits while the template is held and succeeds once it is released", async () => {
    const tpl = await stack.resource("template", "busy");
    await tpl.up({ name: `busy-${wire}`, imageName: "runpod/worker:1" });
    const id = tpl.state!.id;
    stack.emulator.holdTemplate(id);
    stack.emulator.clearLog();

    const destroying = tpl.destroy();
    // Drive the emulator instead of sleeping: release once Runpod has refused the delete twice.
    await waitFor(() => deletesOf(id).filter((r: any) => r.status === 400).length >= 2);
    expect(templatesIn(stack).map((t) => t.id)).toContain(id);
    stack.emulator.releaseTemplate(id);
    await destroying;
    expect(templatesIn(stack).map((t) => t.id)).not.toContain(id);
    expect(deletesOf(id).at(-1)!.status).toBe(204);
  });

  test("delete fails with a message naming the cause once the bound passes", async () => {
    const tpl = await impatient.resource("template", "stuck");
    await tpl.up({ name: `stuck-${wire}`, imageName: "runpod/worker:1" });
    const id = tpl.state!.id;
    stack.emulator.holdTemplate(id);
    stack.emulator.clearLog();

    const error = await tpl.destroy().catch((e) => e);
    expect(error).toBeInstanceOf(EngineOpError);
    expect(error.message).toMatch(/still in use by a pod or serverless endpoint/);
    expect(error.message).toContain(id);
    expect(error.message).toMatch(/runpod:templateDeleteTimeoutSeconds/);
    expect(error.message).not.toContain(TEST_API_KEY);
    expect(deletesOf(id).length).toBeGreaterThan(1); // retried with backoff, not a single attempt
    expect(tpl.state).toBeDefined(); // still in state: a later destroy can finish the job
    expect(templatesIn(stack).map((t) => t.id)).toContain(id);

    stack.emulator.releaseTemplate(id);
    await tpl.destroy();
    expect(templatesIn(stack).map((t) => t.id)).not.toContain(id);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    // A short timer, not setImmediate: a busy loop would take the CPU from the host it waits on.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("Template bad input is a CheckFailure naming the property, before any API call", () => {
  let v2: TestStack;
  let v1: TestStack;
  beforeAll(async () => {
    v2 = await startStack({ wire: "v2" });
    v1 = await startStack({ wire: "v1", sharedEmulator: v2.emulator });
  });
  afterAll(async () => {
    await v1?.close();
    await v2?.close();
  });

  const ok = { name: "tpl", imageName: "runpod/base:1" };
  const cases: Array<[string, Wire, Record<string, unknown>, string, RegExp?]> = [
    ["missing imageName", "v2", { name: "tpl" }, "imageName", /required/],
    ["empty imageName", "v2", { ...ok, imageName: "" }, "imageName"],
    ["imageName as a number", "v1", { ...ok, imageName: 7 }, "imageName"],
    ["empty name", "v2", { ...ok, name: "" }, "name"],
    ["name over 191 characters", "v1", { ...ok, name: "t".repeat(192) }, "name"],
    ["unknown category", "v2", { ...ok, category: "INTEL" }, "category", /NVIDIA/],
    ["lower-case category", "v1", { ...ok, category: "cpu" }, "category"],
    ["container disk of 0", "v2", { ...ok, containerDiskInGb: 0 }, "containerDiskInGb"],
    ["fractional container disk", "v1", { ...ok, containerDiskInGb: 2.5 }, "containerDiskInGb"],
    ["container disk as a string", "v2", { ...ok, containerDiskInGb: "50" }, "containerDiskInGb"],
    ["negative volume", "v1", { ...ok, volumeInGb: -5 }, "volumeInGb"],
    ["volume below v2's 10 GB floor", "v2", { ...ok, volumeInGb: 5 }, "volumeInGb", /at least 10 GB.*v2/],
    ["relative mount path", "v1", { ...ok, volumeMountPath: "workspace" }, "volumeMountPath", /absolute/],
    ["v2 mount path without a volume", "v2", { ...ok, volumeMountPath: "/data" }, "volumeMountPath", /volumeInGb/],
    ["port without protocol", "v2", { ...ok, ports: ["8888"] }, "ports.0", /8888\/http/],
    ["udp port", "v1", { ...ok, ports: ["22/tcp", "53/udp"] }, "ports.1"],
    ["port number out of range", "v2", { ...ok, ports: ["70000/http"] }, "ports.0", /65535/],
    ["duplicate port", "v2", { ...ok, ports: ["8888/http", "8888/http"] }, "ports.1", /duplicate/],
    ["ports as a comma string", "v1", { ...ok, ports: "8888/http,22/tcp" }, "ports"],
    ["env name starting with a digit", "v2", { ...ok, env: { "1BAD": "x" } }, "env.1BAD"],
    ["env value as a number", "v1", { ...ok, env: { PORT: 8000 } }, "env.PORT"],
    ["start command as one string", "v2", { ...ok, dockerStartCmd: "python app.py" }, "dockerStartCmd", /list of strings/],
    ["entrypoint with a non-string word", "v1", { ...ok, dockerEntrypoint: ["bash", 1] }, "dockerEntrypoint.1"],
    ["registry auth id with spaces", "v2", { ...ok, containerRegistryAuthId: "my creds" }, "containerRegistryAuthId"],
    ["isPublic as a string", "v1", { ...ok, isPublic: "yes" }, "isPublic"],
    ["serverless template with a volume", "v1", { ...ok, isServerless: true, volumeInGb: 20 }, "volumeInGb", /serverless/],
    ["serverless template with a volume (v2)", "v2", { ...ok, isServerless: true, volumeInGb: 20 }, "volumeInGb", /serverless/],
    ["readme on v2", "v2", { ...ok, readme: "# hi" }, "readme", /REST v2.*cannot express/],
    ["allowedCudaVersions on v1", "v1", { ...ok, allowedCudaVersions: ["12.8"] }, "allowedCudaVersions", /REST v1.*cannot express/],
    ["startSsh on v1", "v1", { ...ok, startSsh: false }, "startSsh", /REST v1.*cannot express/],
    ["startJupyter on v1", "v1", { ...ok, startJupyter: false }, "startJupyter", /REST v1.*cannot express/],
    ["malformed CUDA version", "v2", { ...ok, allowedCudaVersions: ["12"] }, "allowedCudaVersions.0", /major\.minor/],
    ["v2 field name instead of the flat one", "v2", { ...ok, image: "x:1" }, "image", /unknown property/],
  ];

  // Every row gets all columns: jest passes `done` for a missing trailing argument.
  const rows = cases.map((c) => [...c, ...Array(5 - c.length).fill(undefined)] as (typeof cases)[number]);
  test.each(rows)("%s (%s)", async (_label, wire, news, property, reason) => {
    const stack = wire === "v2" ? v2 : v1;
    stack.emulator.clearLog();
    const failures = await stack.check("template", news);
    expect(failures.map((f) => f.property)).toContain(property);
    const failure = failures.find((f) => f.property === property)!;
    expect(failure.reason).toContain(property.split(".")[0]);
    if (reason) expect(failure.reason).toMatch(reason);
    expect(stack.emulator.requests()).toHaveLength(0);
  });

  test("a failing up stops at Check: no API request at all", async () => {
    const tpl = await v2.resource("template", "never");
    v2.emulator.clearLog();
    const error = await tpl.up({ ...ok, ports: ["http"] }).catch((e) => e);
    expect(error).toBeInstanceOf(CheckFailedError);
    expect(v2.emulator.requests()).toHaveLength(0);
  });

  test("every field of each wire is accepted on that wire", async () => {
    expect(await v2.check("template", { name: "all", ...fullInputs("v2") })).toEqual([]);
    expect(await v1.check("template", { name: "all", ...fullInputs("v1") })).toEqual([]);
  });
});

// Keep the engine resource type referenced for editors that strip unused imports.
export type { EngineResource };
