/**
 * `{{ RUNPOD_SECRET_<name> }}` in a pod's, endpoint's or template's env must name a secret the
 * account has: the create fails before it is sent, naming the env key and the secret, and
 * nothing is created. One listing of the account's secrets serves every create of the process.
 */
import { EngineOpError } from "../harness";
import { startStack, TestStack } from "../support/stack";

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ wire: "v2" });
  const secret = await stack.resource("secret", "hf");
  await secret.up({ name: "hf_token", value: "hf_very_secret_value" });
});
afterAll(() => stack?.close());

const writes = () => stack.emulator.requests().filter((r) => r.wire !== "graphql" && r.method !== "GET");
const secretListings = () => stack.emulator.requests().filter((r) => r.wire === "graphql" && (r.operation ?? "").includes("myself"));

const kinds: Array<[kind: string, list: "pods" | "endpoints" | "templates", inputs: Record<string, unknown>]> = [
  ["pod", "pods", { imageName: "runpod/base:1", gpuTypeIds: ["NVIDIA GeForce RTX 4090"], waitForReady: false }],
  ["endpoint", "endpoints", { imageName: "myorg/worker:1", gpuPoolIds: ["AMPERE_24"] }],
  ["template", "templates", { imageName: "runpod/base:1" }],
];

describe.each(kinds)("%s create with a secret reference", (kind, list, inputs) => {
  test("naming a secret the account lacks fails naming the env key and the secret; nothing is created", async () => {
    const before = stack.emulator.list(list).length;
    const res = await stack.resource(kind, `missing-${kind}`);
    stack.emulator.clearLog();
    const error = await res.up({ ...inputs, env: { HF_TOKEN: "{{ RUNPOD_SECRET_hf_token }}", OTHER: "{{ RUNPOD_SECRET_nope }}" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineOpError);
    const message = (error as Error).message;
    expect(message).toContain("env.OTHER");
    expect(message).toContain('"nope"');
    expect(message).not.toContain("hf_very_secret_value");
    expect(writes()).toEqual([]);
    expect(stack.emulator.list(list)).toHaveLength(before);
    expect(res.state).toBeUndefined();
  });

  test("naming an existing secret creates it", async () => {
    const res = await stack.resource(kind, `present-${kind}`);
    const up = await res.up({ ...inputs, env: { HF_TOKEN: "{{ RUNPOD_SECRET_hf_token }}" } });
    expect(up.state!.id).toBeTruthy();
    expect(stack.emulator.list(list).map((o) => o.id)).toContain(up.state!.id);
  });
});

test("one listing of the account's secrets serves every create; a secret created later is found", async () => {
  const first = await stack.resource("template", "shared-1");
  stack.emulator.clearLog();
  await first.up({ imageName: "runpod/base:1", env: { HF_TOKEN: "{{ RUNPOD_SECRET_hf_token }}" } });
  const second = await stack.resource("template", "shared-2");
  await second.up({ imageName: "runpod/base:1", env: { HF_TOKEN: "{{hf}} {{ RUNPOD_SECRET_hf_token }}" } });
  expect(secretListings()).toHaveLength(0); // the earlier creates' listing still holds hf_token

  // A secret created after the listing: the stale listing misses it, so it is asked once more.
  const late = await stack.resource("secret", "late");
  await late.up({ name: "late_token", value: "late-value" });
  stack.emulator.clearLog();
  const third = await stack.resource("template", "shared-3");
  await third.up({ imageName: "runpod/base:1", env: { LATE: "{{ RUNPOD_SECRET_late_token }}" } });
  expect(secretListings()).toHaveLength(1);
  expect(third.state!.id).toBeTruthy();
});

test("a create without references asks nothing about secrets", async () => {
  const res = await stack.resource("template", "plain");
  stack.emulator.clearLog();
  await res.up({ imageName: "runpod/base:1", env: { MODEL: "llama", NOTE: "{{ not a secret }}" } });
  expect(secretListings()).toHaveLength(0);
  expect(res.state!.id).toBeTruthy();
});
