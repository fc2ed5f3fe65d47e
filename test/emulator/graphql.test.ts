import { startEmulator, Emulator } from "runpod-emulator";
import { client, Client } from "./helpers";

let emu: Emulator;
let c: Client;

beforeAll(async () => {
  emu = await startEmulator({ seed: 99 });
  c = client(emu);
});
beforeEach(() => emu.reset());
afterAll(() => emu.close());

const CREATE = `mutation Create($input: SecretCreateInput!) {
  secretCreate(input: $input) { id name description createdAt updatedAt }
}`;
const LIST = `query { myself { secrets { id name description createdAt updatedAt } } }`;

describe("GraphQL secrets", () => {
  test("create, list, update value and description, delete — the value is never returned", async () => {
    const created = await c.gql(CREATE, { input: { name: "HF_TOKEN", value: "hf_s3cr3t_value", description: "hugging face" } });
    expect(created.status).toBe(200);
    expect(created.body.errors).toBeUndefined();
    const s = created.body.data.secretCreate;
    expect(s).toEqual({ id: expect.any(String), name: "HF_TOKEN", description: "hugging face", createdAt: expect.any(String), updatedAt: null });
    expect(created.text).not.toContain("hf_s3cr3t_value");

    const listed = await c.gql(LIST);
    expect(listed.body).toEqual({ data: { myself: { secrets: [s] } } });

    const v = await c.gql(`mutation($i: SecretValueUpdateInput!) { secretValueUpdate(input: $i) { id updatedAt } }`, { i: { id: s.id, value: "new-value" } });
    expect(v.body.data.secretValueUpdate).toEqual({ id: s.id, updatedAt: expect.any(String) });
    expect(emu.get("secrets", s.id)?.value).toBe("new-value");

    const d = await c.gql(`mutation { secretDescriptionUpdate(input: {id: "${s.id}", description: ""}) { description } }`);
    expect(d.body).toEqual({ data: { secretDescriptionUpdate: { description: "" } } });

    const del = await c.gql(`mutation($id: ID!) { secretDelete(id: $id) }`, { id: s.id });
    expect(del.body).toEqual({ data: { secretDelete: null } });
    expect((await c.gql(LIST)).body.data.myself.secrets).toEqual([]);
    expect(JSON.stringify(emu.requests())).not.toContain("hf_s3cr3t_value");
  });

  test("domain errors answer 200 with data null and errors[].path", async () => {
    await c.gql(CREATE, { input: { name: "DUP", value: "a" } });
    const dup = await c.gql(CREATE, { input: { name: "DUP", value: "b" } });
    expect(dup.status).toBe(200);
    expect(dup.body.data).toBeNull();
    expect(dup.body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/already exists/), path: ["secretCreate"] })]);
    expect(emu.list("secrets")).toHaveLength(1);

    const unknown = await c.gql(`mutation { secretValueUpdate(input: {id: "nope", value: "x"}) { id } }`);
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual({
      data: null,
      errors: [expect.objectContaining({ path: ["secretValueUpdate"], message: expect.stringMatching(/not found/) })],
    });
    const del = await c.gql(`mutation { secretDelete(id: "nope") }`);
    expect(del.body.errors[0].path).toEqual(["secretDelete"]);
  });

  test("inline literals, aliases, __typename and selection projection", async () => {
    const r = await c.gql(`mutation { made: secretCreate(input: { name: "A", value: "v", description: "d" }) { __typename key: name } }`);
    expect(r.body).toEqual({ data: { made: { __typename: "Secret", key: "A" } } });
    const q = await c.gql(`{ myself { secrets { name } } }`);
    expect(q.body.data.myself.secrets).toEqual([{ name: "A" }]);
  });

  test("invalid requests: missing variables, unknown fields, value not selectable, syntax errors", async () => {
    const missing = await c.gql(CREATE, {});
    expect(missing.body.errors[0].message).toMatch(/Variable "\$input"/);
    const noValue = await c.gql(CREATE, { input: { name: "x" } });
    expect(noValue.body.errors[0].message).toMatch(/SecretCreateInput\.value/);
    const valueField = await c.gql(`mutation { secretCreate(input: {name: "x", value: "y"}) { id value } }`);
    expect(valueField.body.errors[0].message).toMatch(/Cannot query field "value" on type "Secret"/);
    expect(emu.list("secrets")).toHaveLength(0); // rejected before executing
    const unknownOp = await c.gql(`mutation { podTerminate(input: {podId: "x"}) }`);
    expect(unknownOp.body.errors[0].message).toMatch(/Cannot query field "podTerminate" on type "Mutation"/);
    const syntax = await c.gql(`mutation { secretCreate(input: {name: "x" `);
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors[0].message).toMatch(/Syntax Error/);
    const get = await c.get("/graphql");
    expect(get.status).toBe(405);
  });
});
