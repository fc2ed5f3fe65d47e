/**
 * Secret (Runpod GraphQL) through the real dynamic-provider host against the emulator:
 * lifecycle, drift (description and deletion only: the value can never be read), import,
 * GraphQL errors inside HTTP 200, bad input, and secretRef().
 */
import * as pulumi from "@pulumi/pulumi";
import { beyondCatalogReads, startStack, TestStack, TEST_API_KEY, Wire } from "./support/stack";
import { CheckFailedError, EngineOpError, EngineResource } from "./harness";

function program(logicalName: string, args: Record<string, unknown>): Record<string, unknown> {
  return args.name === undefined ? { ...args, __autonamePrefix: logicalName } : args;
}

/** A GraphQL call made outside Pulumi (the console), straight to the emulator. */
async function graphql(stack: TestStack, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(stack.emulator.graphqlUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${TEST_API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const json: any = await res.json();
  if (!res.ok || json.errors) throw new Error(`GraphQL ${res.status}: ${JSON.stringify(json.errors ?? json)}`);
  return json.data;
}

/** The emulator's stored secrets, value included (Runpod's API never shows it; the test may). */
function secretsIn(stack: TestStack): Array<{ id: string; name: string; value: string; description: string | null }> {
  return stack.emulator.list("secrets");
}

const operations = (stack: TestStack) => stack.emulator.requests().map((r: any) => r.operation ?? r.operationId);

describe.each<Wire>(["v2", "v1"])("Secret lifecycle (GraphQL) with runpod:apiVersion=%s", (wire) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire });
  });
  afterAll(() => stack?.close());

  test("create, value and description in place, drift, import, out-of-band delete, destroy", async () => {
    const secret = await stack.resource("secret", "hf");
    const name = `hf_token_${wire}`;
    const inputs = { name, value: `hf_SECRETVALUE_${wire}_0001`, description: "Hugging Face token" };

    stack.emulator.clearLog();
    expect((await secret.preview(inputs)).op).toBe("create");
    expect(beyondCatalogReads(stack.emulator)).toEqual([]); // check reads only the catalog

    await secret.up(inputs);
    const id = secret.state!.id;
    expect(secretsIn(stack)).toEqual([expect.objectContaining({ id, name, value: inputs.value, description: "Hugging Face token" })]);
    expect(secret.state!.outputs).toMatchObject(inputs); // the value is carried into state...
    expect(secret.publicState()!.outputs.value).toBe("[secret]"); // ...as a secret
    expect((await secret.up(inputs)).op).toBe("same");

    // Value and description change in place, each with its own mutation.
    stack.emulator.clearLog();
    const rotated = { ...inputs, value: `hf_SECRETVALUE_${wire}_0002`, description: "rotated" };
    const up = await secret.up(rotated);
    expect(up.op).toBe("update");
    expect(secret.state!.id).toBe(id);
    expect(secretsIn(stack)).toEqual([expect.objectContaining({ id, value: rotated.value, description: "rotated" })]);
    expect(operations(stack).join(" ")).toMatch(/secretValueUpdate.*secretDescriptionUpdate/);

    // Description drift is visible; value drift cannot be (Runpod never returns the value).
    await graphql(stack, `mutation($i: SecretDescriptionUpdateInput!) { secretDescriptionUpdate(input: $i) { id } }`, {
      i: { id, description: "edited in the console" },
    });
    await graphql(stack, `mutation($i: SecretValueUpdateInput!) { secretValueUpdate(input: $i) { id } }`, { i: { id, value: "changed-in-console" } });
    expect((await secret.refresh()).outcome).toBe("changed");
    expect(secret.state!.outputs.description).toBe("edited in the console");
    expect(secret.state!.outputs.value).toBe(rotated.value); // documented: not detectable
    const repair = await secret.preview(rotated);
    expect(repair.op).toBe("update");
    expect(repair.diff!.replaces).toEqual([]);
    await secret.up(rotated);
    expect(secretsIn(stack)[0].description).toBe("rotated");

    // A description cleared in the console reads back as "" and is put back.
    await graphql(stack, `mutation($i: SecretDescriptionUpdateInput!) { secretDescriptionUpdate(input: $i) { id } }`, { i: { id, description: "" } });
    await secret.refresh();
    expect((await secret.preview(rotated)).op).toBe("update");
    await secret.up(rotated);

    // Import by id. The harness's Read carries the program's inputs as properties, so the value
    // (which Runpod never returns) comes from the program and the import is clean.
    const plain = await stack.resource("secret", "hf-imported");
    const plainImport = await plain.import(id, rotated);
    expect(plainImport.checkFailures).toEqual([]);
    expect(plainImport.changes).toBe("none");
    expect(plainImport.imported).toBe(true);
    expect(plain.state!.outputs).toMatchObject({ name, description: "rotated" });
    // With ignoreChanges: ["value"] the engine checks the inputs without a value (Read has none):
    // the import is clean too, and dropping ignoreChanges later sets the program's value in place.
    const careful = new EngineResource(stack.host, {
      type: "pulumi-nodejs:dynamic/runpod:Secret",
      name: "hf-imported-careful",
      providerText: await stack.providerText("secret"),
      ignoreChanges: ["value"],
      additionalSecretOutputs: ["value"],
    });
    // The engine's ImportStep resets ignored inputs to what Read found before Check
    // (processIgnoreChanges): Read has no value, so Check sees none. The harness's import does
    // not apply ignoreChanges itself, so the program inputs are passed as the engine would send them.
    const { value: _ignored, ...withoutValue } = rotated;
    const imp = await careful.import(id, withoutValue);
    expect(imp.checkFailures).toEqual([]);
    expect(imp.changes).toBe("none");
    expect(imp.imported).toBe(true);
    const adopted = new EngineResource(stack.host, { ...careful.opts, ignoreChanges: [] });
    adopted.state = careful.state;
    const setValue = await adopted.up(rotated);
    expect(setValue.op).toBe("update");
    expect(adopted.state!.id).toBe(id);
    expect(adopted.state!.outputs.value).toBe(rotated.value);

    // Deleted outside Pulumi: refresh drops it; destroying the stale state still succeeds.
    const stale = secret.state!;
    await graphql(stack, `mutation($id: ID!) { secretDelete(id: $id) }`, { id });
    expect((await secret.refresh()).outcome).toBe("deleted");
    secret.state = stale;
    await secret.destroy();
    expect(secretsIn(stack)).toEqual([]);
  });

  test("a new explicit name replaces delete-first; an auto-named secret is replaced create-first", async () => {
    const explicit = await stack.resource("secret", "db");
    await explicit.up({ name: `db_password_${wire}`, value: "db-SECRET-aaaa" });
    const oldId = explicit.state!.id;
    const renamed = await explicit.up({ name: `db_password_${wire}_2`, value: "db-SECRET-aaaa" });
    expect(renamed.op).toBe("replace");
    expect(renamed.diff!.replaces).toEqual(["name"]);
    expect(renamed.diff!.deleteBeforeReplace).toBe(true);
    expect(renamed.rpcs.map((r) => r.method).filter((m) => m === "Create" || m === "Delete")).toEqual(["Delete", "Create"]);
    expect(secretsIn(stack).map((s) => s.name)).toEqual([`db_password_${wire}_2`]);
    expect(explicit.state!.id).not.toBe(oldId);
    await explicit.destroy();

    const auto = await stack.resource("secret", "api_key");
    await auto.up(program("api_key", { value: "api-SECRET-bbbb" }));
    expect(auto.state!.outputs.name).toMatch(/^api_key-[0-9a-f]{7}$/);
    expect((await auto.up(program("api_key", { value: "api-SECRET-cccc" }))).op).toBe("update"); // value: in place, same name
    const named = await auto.up({ name: `api_key_${wire}`, value: "api-SECRET-cccc" });
    expect(named.op).toBe("replace");
    expect(named.diff!.deleteBeforeReplace).toBe(true);
    await auto.destroy();
    expect(secretsIn(stack)).toEqual([]);
  });
});

describe("Secret errors", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire: "v2" });
  });
  afterAll(() => stack?.close());

  test("a GraphQL error inside HTTP 200 fails the create, names the problem and never echoes the value", async () => {
    const value = "dup-SECRET-VALUE-7f3a9c";
    await graphql(stack, `mutation($i: SecretCreateInput!) { secretCreate(input: $i) { id } }`, { i: { name: "taken", value: "x-console-value" } });
    const secret = await stack.resource("secret", "taken");
    const error = await secret.up({ name: "taken", value }).catch((e) => e);
    expect(error).toBeInstanceOf(EngineOpError);
    expect(error.message).toMatch(/secretCreate/);
    expect(error.message).toMatch(/already exists/);
    expect(error.message).not.toContain(value);
    expect(secret.state).toBeUndefined();
    expect(stack.host.stderr()).not.toContain(value);
    expect(stack.host.stdout()).not.toContain(value);
  });

  test("updating a secret deleted outside Pulumi fails clearly", async () => {
    const secret = await stack.resource("secret", "vanishing");
    await secret.up({ name: "vanishing", value: "vanish-SECRET-1" });
    await graphql(stack, `mutation($id: ID!) { secretDelete(id: $id) }`, { id: secret.state!.id });
    const error = await secret.up({ name: "vanishing", value: "vanish-SECRET-2" }).catch((e) => e);
    expect(error).toBeInstanceOf(EngineOpError);
    expect(error.message).not.toContain("vanish-SECRET-2");
    expect(error.message).not.toContain("vanish-SECRET-1");
    await secret.destroy(); // already gone: destroy succeeds
  });

  test("a lost secretCreate answer is recovered by name, not created twice", async () => {
    stack.emulator.faults.set({ loseCreateResponses: 1 });
    stack.emulator.clearLog();
    try {
      const secret = await stack.resource("secret", "lost");
      await secret.up({ name: "lost_answer", value: "lost-SECRET-1" });
      expect(secretsIn(stack).filter((s) => s.name === "lost_answer")).toEqual([expect.objectContaining({ id: secret.state!.id })]);
      const creates = stack.emulator.requests().filter((r) => r.operation === "secretCreate");
      expect(creates).toEqual([expect.objectContaining({ fault: "lost-response" })]); // never re-sent
      await secret.destroy();
    } finally {
      stack.emulator.faults.clear();
    }
  });
});

describe("Secret bad input is a CheckFailure naming the property, before any API call", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire: "v2" });
  });
  afterAll(() => stack?.close());

  const ok = { name: "token", value: "s3cr3t-value" };
  const cases: Array<[string, Record<string, unknown>, string, RegExp?]> = [
    ["missing value", { name: "token" }, "value", /required/],
    ["empty value", { ...ok, value: "" }, "value", /empty/],
    ["value as a number", { ...ok, value: 1234 }, "value"],
    ["empty name", { ...ok, name: "" }, "name"],
    ["name with a space", { ...ok, name: "my token" }, "name", /RUNPOD_SECRET_/],
    ["name with a brace", { ...ok, name: "tok}}en" }, "name"],
    ["name over 191 characters", { ...ok, name: "n".repeat(192) }, "name"],
    ["name as a number", { ...ok, name: 5 }, "name"],
    ["description as a number", { ...ok, description: 3 }, "description"],
    ["description as a list", { ...ok, description: ["a"] }, "description"],
    ["unknown property", { ...ok, secretValue: "x" }, "secretValue", /unknown property/],
    ["auto-name from a logical name that is not a valid secret name", { value: "v-1234", __autonamePrefix: "my secret" }, "name", /set name explicitly/],
  ];

  // Every row gets all columns: jest passes `done` for a missing trailing argument.
  const rows = cases.map((c) => [...c, ...Array(4 - c.length).fill(undefined)] as (typeof cases)[number]);
  test.each(rows)("%s", async (_label, news, property, reason) => {
    stack.emulator.clearLog();
    const failures = await stack.check("secret", news);
    expect(failures.map((f) => f.property)).toContain(property);
    const failure = failures.find((f) => f.property === property)!;
    expect(failure.reason).toContain(property);
    if (reason) expect(failure.reason).toMatch(reason);
    expect(JSON.stringify(failures)).not.toContain("s3cr3t-value");
    expect(stack.emulator.requests()).toHaveLength(0);
  });

  test("a failing up stops at Check", async () => {
    const secret = await stack.resource("secret", "never");
    stack.emulator.clearLog();
    await expect(secret.up({ name: "bad name", value: "x-1234" })).rejects.toBeInstanceOf(CheckFailedError);
    expect(stack.emulator.requests()).toHaveLength(0);
  });
});

describe("secretRef", () => {
  test("is the {{ RUNPOD_SECRET_<name> }} reference, as an Output that depends on the secret", async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs } }),
        call: (args) => args.inputs,
      },
      "project",
      "stack",
      false,
    );
    const { Secret, secretRef, Template } = await import("../provider");
    const secret = new Secret("hf", { name: "huggingface_token", value: "mock-value" });
    const ref = secretRef(secret);
    const text = await new Promise<string>((resolve) => ref.apply(resolve));
    expect(text).toBe("{{ RUNPOD_SECRET_huggingface_token }}");
    const deps = await (ref as any).resources();
    expect([...deps]).toContain(secret);
    // Used in a template's env, the template gets the dependency through the Output.
    const tpl = new Template("app", { imageName: "me/app:1", env: { HF_TOKEN: ref } });
    const env = await new Promise<Record<string, string>>((resolve) => tpl.env.apply(resolve));
    expect(env).toEqual({ HF_TOKEN: "{{ RUNPOD_SECRET_huggingface_token }}" });
    // Let both registrations (which serialize the provider) finish before the test ends.
    await Promise.all([secret, tpl].map((r) => new Promise((resolve) => r.id.apply(resolve))));
  });
});
