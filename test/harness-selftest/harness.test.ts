/**
 * Self-test of the engine-faithful harness (test/harness) against the trivial dynamic provider
 * of provider.ts, which needs no network. One host process for the whole file (spawning costs ~1 s).
 */
import * as pulumi from "@pulumi/pulumi";
import {
  captureSerializedProvider,
  CheckFailedError,
  EngineOpError,
  EngineResource,
  EngineStack,
  findLeaks,
  Host,
  HostError,
  makeUrn,
  PROVIDER_KEY,
  serializeProvider,
  startHost,
  UNKNOWN,
} from "../harness";
import { bareProvider, testProvider, TOKEN } from "./provider";

let host: Host;
let providerText: string;
let seq = 0;
const res = (extra: Partial<ConstructorParameters<typeof EngineResource>[1]> = {}) => new EngineResource(host, { name: `r${++seq}`, providerText, ...extra });

beforeAll(async () => {
  [host, providerText] = await Promise.all([startHost(), serializeProvider(testProvider)]);
  const cfg = await host.configure({ "test:token": TOKEN, "test:region": "eu" }, { secrets: ["test:token"] });
  expect(cfg.acceptSecrets).toBe(false);
});

afterAll(async () => {
  await host?.stop();
});

test("host starts on a dummy engine address and prints its port first", () => {
  expect(host.port).toBeGreaterThan(0);
  expect(host.stdout().split("\n")[0]).toBe(String(host.port));
  expect(providerText).toContain("exports.handler");
});

test("Check failures come back with property names; up throws CheckFailedError", async () => {
  const r = res();
  const plan = await r.preview({ size: "bad", count: "three" });
  expect(plan.op).toBe("invalid");
  expect(plan.checkFailures).toEqual([
    { property: "size", reason: "size must not be bad" },
    { property: "count", reason: "count must be a number" },
  ]);
  await expect(r.up({ size: "bad" })).rejects.toBeInstanceOf(CheckFailedError);
  await r.up({ size: "bad" }).catch((e: CheckFailedError) => {
    expect(e.failures.map((f) => f.property)).toEqual(["size"]);
    expect(e.rpcs.map((c) => c.method)).toEqual(["Check"]);
  });
  expect(r.state).toBeUndefined();
});

test("create, same, update; preview never mutates; __provider in every bag", async () => {
  const r = res();
  const pv = await r.preview({ size: "small", label: UNKNOWN });
  expect(pv.op).toBe("create");
  expect(pv.rpcs.map((c) => c.method)).toEqual(["Check"]);
  expect(pv.inputs!.label).toBe(UNKNOWN);

  const up1 = await r.up({ size: "small" });
  expect(up1.op).toBe("create");
  expect(up1.rpcs.map((c) => c.method)).toEqual(["Check", "Create"]);
  expect(up1.rpcs[0].request).toMatchObject({ olds: {} });
  const st = r.state!;
  expect(st.id).toMatch(/^id-\d+$/);
  expect(st.inputs.name).toMatch(/^auto-/);
  expect(st.outputs).toMatchObject({ size: "small", status: "RUNNING", [PROVIDER_KEY]: providerText });
  expect(st.inputs[PROVIDER_KEY]).toBe(providerText);
  // Secret config arrives unwrapped; un-namespaced config.get() uses the project name (none here).
  expect(st.outputs.configuredToken).toBe(TOKEN);
  expect(st.outputs.shortKey).toBeNull();

  const same = await r.up({ size: "small" });
  expect(same.op).toBe("same");
  expect(same.rpcs.map((c) => c.method)).toEqual(["Check", "Diff"]);
  // Check got the old inputs (auto-name kept), Diff got old OUTPUTS.
  expect((same.rpcs[0].request as any).olds).toEqual(st.inputs);
  expect((same.rpcs[1].request as any).olds).toEqual(st.outputs);
  expect(r.state!.inputs.name).toBe(st.inputs.name);

  const pv2 = await r.preview({ size: "large" });
  expect(pv2.op).toBe("update");
  expect(pv2.diff).toMatchObject({ changes: "some", replaces: [] });
  expect(r.state).toEqual(same.state);

  const up2 = await r.up({ size: "large" });
  expect(up2.op).toBe("update");
  expect(up2.rpcs.map((c) => c.method)).toEqual(["Check", "Diff", "Update"]);
  expect(r.state).toMatchObject({ id: st.id, outputs: { size: "large", updatedAt: "now", [PROVIDER_KEY]: providerText } });
  for (const call of [...up1.rpcs, ...up2.rpcs]) {
    const bags = Object.entries(call.request).filter(([k]) => ["olds", "news", "properties"].includes(k));
    for (const [, bag] of bags) if (Object.keys(bag as object).length) expect((bag as any)[PROVIDER_KEY]).toBe(providerText);
  }
});

test("replace is create-before-delete and re-Checks with olds {} (auto-name regenerated)", async () => {
  const r = res();
  await r.up({ size: "small", region: "eu" });
  const old = r.state!;
  const pv = await r.preview({ size: "small", region: "us" });
  expect(pv.op).toBe("replace");
  expect(pv.diff).toMatchObject({ changes: "some", replaces: ["region"], deleteBeforeReplace: false });
  const up = await r.up({ size: "small", region: "us" });
  expect(up.op).toBe("replace");
  expect(up.rpcs.map((c) => c.method)).toEqual(["Check", "Diff", "Check", "Create", "Delete"]);
  expect((up.rpcs[2].request as any).olds).toEqual({});
  expect((up.rpcs[4].request as any).id).toBe(old.id);
  expect(r.state!.id).not.toBe(old.id);
  expect(r.state!.inputs.name).not.toBe(old.inputs.name);
  expect(r.state!.outputs.region).toBe("us");
  expect(r.pendingDeletes).toEqual([]);
});

test("replace with deleteBeforeReplace deletes first (diff flag or resource option)", async () => {
  const r = res();
  await r.up({ size: "small", region: "eu", dbr: true });
  const old = r.state!;
  const up = await r.up({ size: "small", region: "us", dbr: true });
  expect(up.diff!.deleteBeforeReplace).toBe(true);
  expect(up.rpcs.map((c) => c.method)).toEqual(["Check", "Diff", "Check", "Delete", "Create"]);
  expect((up.rpcs[3].request as any).id).toBe(old.id);

  const r2 = res({ deleteBeforeReplace: true });
  await r2.up({ region: "eu" });
  const up2 = await r2.up({ region: "us" });
  expect(up2.diff!.deleteBeforeReplace).toBe(false);
  expect(up2.rpcs.map((c) => c.method)).toEqual(["Check", "Diff", "Check", "Delete", "Create"]);
});

test("init failure: HostError carries id/properties/reasons and the engine records the resource", async () => {
  const r = res();
  const err = await r.up({ size: "initfail" }).catch((e) => e);
  expect(err).toBeInstanceOf(EngineOpError);
  const hostErr: HostError = err.hostError;
  expect(hostErr).toBeInstanceOf(HostError);
  expect(hostErr.code).toBe(2);
  expect(hostErr.rpc).toBe("Create");
  expect(hostErr.message).toMatch(/^pod id-\d+ never became ready$/);
  expect(hostErr.initFailure).toMatchObject({
    id: expect.stringMatching(/^id-/),
    properties: { status: "FAILED", size: "initfail" },
    reasons: ["timed out waiting for RUNNING"],
  });
  expect(r.state).toMatchObject({ id: hostErr.initFailure!.id, outputs: { status: "FAILED" } });
  // The next up sees the recorded resource and diffs against it.
  const next = await r.up({ size: "small" });
  expect(next.op).toBe("update");
  expect(next.state!.id).toBe(hostErr.initFailure!.id);
});

test("init errors: the next up updates the resource even when Diff finds no change; a successful Update or refresh clears them", async () => {
  const r = res();
  await expect(r.up({ size: "initfail" })).rejects.toBeInstanceOf(EngineOpError);
  expect(r.state!.initErrors).toEqual(["timed out waiting for RUNNING"]);
  // Same inputs: the provider's Diff says "no changes", the engine updates anyway.
  const retried = await r.up({ size: "initfail" });
  expect(retried.diff!.changes).toBe("none");
  expect(retried.op).toBe("update");
  expect(retried.rpcs.map((c) => c.method)).toEqual(["Check", "Diff", "Update"]);
  expect(r.state!.initErrors).toBeUndefined();
  expect((await r.up({ size: "initfail" })).op).toBe("same");

  // A refresh (a successful Read) records the resource without them, as the engine's RefreshStep does.
  const r2 = res();
  await expect(r2.up({ size: "initfail" })).rejects.toBeInstanceOf(EngineOpError);
  expect(r2.state!.initErrors).toHaveLength(1);
  expect((await r2.refresh()).outcome).toBe("changed");
  expect(r2.state!.initErrors).toBeUndefined();
  expect((await r2.up({ size: "initfail" })).op).toBe("same");
});

test("a plain create error has no initFailure and records nothing", async () => {
  const r = res();
  const err = await r.up({ size: "explode" }).catch((e) => e);
  expect(err).toBeInstanceOf(EngineOpError);
  expect(err.hostError.initFailure).toBeUndefined();
  expect(err.hostError.message).toBe("create exploded: quota exceeded");
  expect(err.rpcs.map((c: any) => c.method)).toEqual(["Check", "Create"]);
  expect(r.state).toBeUndefined();
  // A failed create-before-delete replacement keeps the old resource live.
  const r2 = res();
  await r2.up({ region: "eu" });
  const old = r2.state;
  await expect(r2.up({ region: "us", size: "explode" })).rejects.toBeInstanceOf(EngineOpError);
  expect(r2.state).toEqual(old);
  expect(r2.pendingDeletes).toEqual([]);
});

test("refresh: unchanged, then dropped when Read returns an empty id", async () => {
  const r = res();
  await r.up({ size: "small" });
  const ref = await r.refresh();
  expect(ref.outcome).toBe("unchanged");
  expect(ref.rpcs.map((c) => c.method)).toEqual(["Read"]);
  // Deleted outside Pulumi: a direct Delete RPC removes it from the provider's cloud.
  await host.delete(r.state!.id, r.urn, r.state!.outputs);
  const raw = await host.read(r.state!.id, r.urn, r.state!.outputs, r.state!.inputs);
  expect(raw).toEqual({ id: "", properties: { [PROVIDER_KEY]: providerText } });
  const gone = await r.refresh();
  expect(gone.outcome).toBe("deleted");
  expect(r.state).toBeUndefined();
  const again = await r.up({ size: "small" });
  expect(again.op).toBe("create");
});

test("import: clean when inputs match, rejected when they differ", async () => {
  const owner = res();
  await owner.up({ name: "imp", size: "small" });
  const id = owner.state!.id;

  const bad = res();
  const mismatch = await bad.import(id, { name: "imp", size: "large" });
  expect(mismatch.imported).toBe(false);
  expect(mismatch.changes).toBe("some");
  expect(bad.state).toBeUndefined();

  const good = res();
  const imp = await good.import(id, { name: "imp", size: "small" });
  expect(imp.rpcs.map((c) => c.method)).toEqual(["Read", "Check", "Diff"]);
  expect(imp.diff!.changes).toBe("none");
  expect(imp.imported).toBe(true);
  expect(good.state).toMatchObject({ id, outputs: { size: "small", status: "RUNNING", [PROVIDER_KEY]: providerText } });

  const missing = await res().import("id-does-not-exist", { size: "small" });
  expect(missing.imported).toBe(false);
  expect(missing.read.id).toBe("");

  // What the CLI really sends on import: no properties, so the host cannot find __provider.
  const asCli = await res()
    .import(id, { name: "imp", size: "small" }, { read: "empty" })
    .catch((e) => e);
  expect(asCli).toBeInstanceOf(EngineOpError);
  expect(asCli.hostError.message).toMatch(/code must be a string, not undefined/);
});

test("destroy deletes and clears state", async () => {
  const r = res();
  await r.up({ size: "small" });
  const id = r.state!.id;
  const d = await r.destroy();
  expect(d.rpcs.map((c) => c.method)).toEqual(["Delete"]);
  expect((d.rpcs[0].request as any).properties.status).toBe("RUNNING");
  expect(r.state).toBeUndefined();
  expect((await host.read(id, r.urn, { [PROVIDER_KEY]: providerText })).id).toBe("");
  expect((await r.destroy()).rpcs).toEqual([]);
});

test("a provider without diff/read: Diff is 'unknown', the engine decides from inputs; Read echoes", async () => {
  const bareText = await serializeProvider(bareProvider);
  const r = new EngineResource(host, { name: "bare", providerText: bareText });
  await r.up({ n: 1 });
  expect(r.state!.id).toBe("bare-1");
  const same = await r.up({ n: 1 });
  expect(same.diff!.changes).toBe("unknown");
  expect(same.op).toBe("same");
  const upd = await r.up({ n: 2 });
  expect(upd.changes).toBe("some");
  expect(upd.op).toBe("update");
  // No update method: the host returns only __provider as outputs.
  expect(r.state!.outputs).toEqual({ [PROVIDER_KEY]: bareText });
  const ref = await r.refresh();
  expect(ref.state!.outputs).toEqual(r.state!.outputs);
});

test("stdout/stderr are captured; findLeaks finds plain, base64 and url-encoded needles", async () => {
  const r = res();
  await r.up({ size: "small" });
  await host.waitForOutput(`created ${r.state!.id}\n`, { stream: "stdout" });
  await host.waitForOutput(`stderr note for ${r.state!.id}\n`, { stream: "stderr" });
  expect(host.stdout()).toContain(`created ${r.state!.id}`);
  expect(host.stderr()).toContain(`stderr note for ${r.state!.id}`);
  expect(findLeaks([host.stdout(), host.stderr()], [TOKEN])).toEqual([]);
  // ...but the token IS in the outputs (the test provider echoes it), which findLeaks must catch.
  expect(findLeaks([r.state], [TOKEN]).length).toBeGreaterThan(0);
  const basic = "Basic " + Buffer.from(`user:${TOKEN}`).toString("base64");
  expect(findLeaks([{ headers: { authorization: basic } }], [TOKEN])).toHaveLength(1);
  expect(findLeaks([`https://x/?k=${encodeURIComponent(TOKEN + "/+=")}`], [TOKEN + "/+="])).toHaveLength(1);
  expect(findLeaks([new Error(`bad key ${TOKEN}`)], [TOKEN])[0]).toMatch(/message/);
  expect(findLeaks([Buffer.from(TOKEN).toString("base64url")], [TOKEN])).toHaveLength(1);
  expect(findLeaks([{ a: ["nothing", 1, null] }], [TOKEN])).toEqual([]);
});

test("captureSerializedProvider: what a pulumi.dynamic.Resource sends, secrets unwrapped", async () => {
  class Thing extends pulumi.dynamic.Resource {
    constructor(name: string, args: Record<string, pulumi.Input<any>>) {
      super(testProvider, name, args, undefined, "selftest", "Thing");
    }
  }
  const captured = await captureSerializedProvider(() => {
    const a = new Thing("thing-a", { size: "small", secretEnv: pulumi.secret({ KEY: "hush" }), label: pulumi.output("x") });
    new Thing("thing-b", { size: "small", region: a.id.apply((id) => `after-${id}`) });
  });
  expect(Object.keys(captured).sort()).toEqual(["thing-a", "thing-b"]);
  const a = captured["thing-a"];
  expect(a.type).toBe("pulumi-nodejs:dynamic/selftest:Thing");
  expect(a.inputs).toEqual({ size: "small", secretEnv: { KEY: "hush" }, label: "x" });
  expect(a.secretInputs).toEqual(["secretEnv"]);
  expect(a.providerSecret).toBe(false);
  expect(a.providerText).toBe(providerText);
  expect(captured["thing-b"].inputs.region).toBe("after-thing-a-id");

  const r = new EngineResource(host, { ...a, name: `cap-${a.name}` });
  const up = await r.up(a.inputs);
  expect(up.state!.outputs.secretEnv).toEqual({ KEY: "hush" });
  expect(r.publicState()!.outputs.secretEnv).toBe("[secret]");
  expect(findLeaks([r.publicState()], ["hush"])).toEqual([]);
});

test("EngineStack runs ups with a concurrency limit", async () => {
  const stack = new EngineStack(host, { parallel: 10 });
  const goals = Array.from({ length: 30 }, (_, i) => {
    stack.resource({ name: `s${i}`, providerText });
    return { name: `s${i}`, inputs: { size: "small", delayMs: 40 } };
  });
  const run = await stack.up(goals);
  expect(run.ok).toBe(true);
  expect(run.maxInFlight).toBe(10);
  const providerMax = Math.max(...run.results.map((x) => (x.ok ? (x.value.state!.outputs.maxInFlight as number) : 0)));
  expect(providerMax).toBeLessThanOrEqual(10);
  expect(providerMax).toBeGreaterThanOrEqual(5);
  expect(new Set([...stack.resources.values()].map((r) => r.state!.id)).size).toBe(30);
  // Replacements: all creates first, then the old resources are deleted in a second phase.
  const oldIds = ["s0", "s1"].map((n) => stack.resources.get(n)!.state!.id);
  const rep = await stack.up(["s0", "s1"].map((name) => ({ name, inputs: { size: "small", region: "us" } })));
  expect(rep.ok).toBe(true);
  expect(rep.results.map((x) => (x.ok ? x.value.rpcs.map((c) => c.method) : []))).toEqual([
    ["Check", "Diff", "Check", "Create"],
    ["Check", "Diff", "Check", "Create"],
  ]);
  expect(rep.deletes.results.map((x) => (x.ok ? x.value.map((c) => (c.request as any).id) : []))).toEqual(oldIds.map((id) => [id]));
  expect(stack.resources.get("s0")!.pendingDeletes).toEqual([]);

  const bad = await stack.up([{ name: "s0", inputs: { size: "bad" } }]);
  expect(bad.ok).toBe(false);
  expect(bad.errors[0].error).toBeInstanceOf(CheckFailedError);
  const d = await stack.destroy();
  expect(d.ok).toBe(true);
  expect(d.results).toHaveLength(30);
});

test("a hung RPC fails fast with DEADLINE_EXCEEDED", async () => {
  const r = res();
  const before = host.rpcTimeoutMs;
  host.rpcTimeoutMs = 300;
  try {
    const err = await r.up({ size: "hang" }).catch((e) => e);
    expect(err).toBeInstanceOf(EngineOpError);
    expect(err.hostError.code).toBe(4);
    expect(err.message).toMatch(/timed out after 300 ms/);
  } finally {
    host.rpcTimeoutMs = before;
  }
});

/** A provider whose text is unique per call (captured nonce), so the host configures it afresh. */
function configProbe(nonce: string, configureDelayMs: number): pulumi.dynamic.ResourceProvider {
  return {
    async configure(req) {
      await new Promise((r) => setTimeout(r, configureDelayMs));
      const g = globalThis as any;
      g.__probe = { ...(g.__probe ?? {}), [nonce]: { key: req.config.get("test:region"), calls: (g.__probe?.[nonce]?.calls ?? 0) + 1 } };
    },
    async check(_olds, news) {
      const seen = (globalThis as any).__probe?.[nonce] ?? null;
      return { inputs: { ...news, seen } };
    },
    async create() {
      return { id: nonce };
    },
  };
}

test("host quirk: configure runs once per provider text; later Configure RPCs do not reach it", async () => {
  const text = await serializeProvider(configProbe(`once-${Date.now()}`, 0));
  const urn = makeUrn("pulumi-nodejs:dynamic:Resource", "probe");
  const first = await host.check(urn, {}, { [PROVIDER_KEY]: text });
  expect(first.inputs.seen).toEqual({ key: "eu", calls: 1 });
  await host.configure({ "test:token": TOKEN, "test:region": "us" }, { secrets: ["test:token"] });
  try {
    const second = await host.check(urn, {}, { [PROVIDER_KEY]: text });
    expect(second.inputs.seen).toEqual({ key: "eu", calls: 1 });
  } finally {
    await host.configure({ "test:token": TOKEN, "test:region": "eu" }, { secrets: ["test:token"] });
  }
});

test("host quirk: concurrent first calls may run before an async configure has finished", async () => {
  const text = await serializeProvider(configProbe(`race-${Date.now()}`, 150));
  const urn = makeUrn("pulumi-nodejs:dynamic:Resource", "probe");
  const results = await Promise.all([1, 2, 3].map(() => host.check(urn, {}, { [PROVIDER_KEY]: text })));
  // The first caller awaited configure; the others got the cached, not-yet-configured provider.
  expect(results[0].inputs.seen).toEqual({ key: "eu", calls: 1 });
  expect(results[1].inputs.seen).toBeNull();
  expect(results[2].inputs.seen).toBeNull();
});

test("makeUrn matches the engine's format", () => {
  expect(makeUrn("pulumi-nodejs:dynamic:Resource", "x", "proj", "dev")).toBe("urn:pulumi:dev::proj::pulumi-nodejs:dynamic:Resource::x");
});
