/**
 * Secret material never leaves the provider in plaintext: every lifecycle of Secret,
 * ContainerRegistryAuth and Template runs on both REST wires with distinctive secret values,
 * registry passwords and API key, including failing paths; then every non-secret property the host
 * returned, every check failure, every error and the host's whole stdout/stderr are scanned (plain,
 * URL-encoded, JSON-escaped and base64 forms) for any of them.
 */
import { startStack, TestStack, Wire } from "./support/stack";
import { EngineResource, findLeaks, RpcCall } from "./harness";

const API_KEY = "rpa_LEAKCHECK_APIKEY_3d9f1b7e5c2a4806";
const WRONG_KEY = "rpa_LEAKCHECK_WRONGKEY_6a5b4c3d2e1f0918";

function needlesFor(wire: Wire) {
  return {
    secretValue: `LEAKCHECK-secret-value-${wire}-5c1e0b7d9f`,
    rotatedValue: `LEAKCHECK-rotated-value-${wire}-a1b2c3d4e5`,
    failedValue: `LEAKCHECK-failed-create-${wire}-77aa88bb99`,
    password: `LEAKCHECK-registry-pw-${wire}-9a8b7c6d5e`,
    rotatedPassword: `LEAKCHECK-registry-pw2-${wire}-0f1e2d3c4b`,
    failedPassword: `LEAKCHECK-registry-pw3-${wire}-1234abcd56`,
  };
}

const SECRET_KEYS = new Set(["value", "password"]);

/** A property bag without its secret top-level properties (the engine stores those encrypted). */
function publicProps(bag: unknown): unknown {
  if (!bag || typeof bag !== "object" || Array.isArray(bag)) return bag;
  return Object.fromEntries(Object.entries(bag as Record<string, unknown>).filter(([k]) => !SECRET_KEYS.has(k)));
}

/** Everything the host returned in RPC responses, minus the properties marked secret. */
function returned(rpc: RpcCall): unknown {
  const res = rpc.response as Record<string, unknown> | undefined;
  const out: Record<string, unknown> = { method: rpc.method };
  if (res) {
    for (const [k, v] of Object.entries(res)) out[k] = k === "properties" || k === "inputs" ? publicProps(v) : v;
  }
  if (rpc.error) out.error = errorText(rpc.error);
  return out;
}

function errorText(e: any): unknown {
  return {
    message: e?.message,
    stack: e?.stack,
    grpcMessage: e?.grpcMessage ?? e?.hostError?.grpcMessage,
    reasons: e?.initFailure?.reasons ?? e?.hostError?.initFailure?.reasons,
    initProperties: publicProps(e?.initFailure?.properties ?? e?.hostError?.initFailure?.properties),
    failures: e?.failures,
  };
}

class Recorder {
  readonly haystack: unknown[] = [];
  readonly errors: string[] = [];
  /** Runs an engine operation, keeping what the host returned and any error. */
  async run<T extends { rpcs?: RpcCall[] }>(op: Promise<T>, expectFailure = false): Promise<T | undefined> {
    try {
      const result = await op;
      for (const rpc of result.rpcs ?? []) this.haystack.push(returned(rpc));
      const anyResult = result as any;
      if (anyResult.checkFailures) this.haystack.push(anyResult.checkFailures);
      if (expectFailure) throw new Error("expected this operation to fail");
      return result;
    } catch (e: any) {
      if (!expectFailure) throw e;
      for (const rpc of e?.rpcs ?? []) this.haystack.push(returned(rpc));
      this.haystack.push(errorText(e));
      this.errors.push(String(e?.message));
      return undefined;
    }
  }
  state(...resources: EngineResource[]): void {
    for (const r of resources) this.haystack.push(r.publicState());
  }
}

describe.each<Wire>(["v2", "v1"])("no secret material leaks on REST %s", (wire) => {
  let stack: TestStack;
  let wrong: TestStack;
  beforeAll(async () => {
    stack = await startStack({
      wire,
      emulator: { apiKey: API_KEY },
      config: { "runpod:apiKey": API_KEY, "runpod:templateDeleteTimeoutSeconds": "0.2" },
    });
    wrong = await startStack({ wire, sharedEmulator: stack.emulator, config: { "runpod:apiKey": WRONG_KEY } });
  });
  afterAll(async () => {
    await wrong?.close();
    await stack?.close();
  });

  test("every lifecycle, success and failure, keeps secrets out of outputs, errors and logs", async () => {
    const n = needlesFor(wire);
    const rec = new Recorder();

    // ---- Secret: create, value + description in place, drift refresh, import, rename, destroy.
    const secret = await stack.resource("secret", "leak-secret");
    const s1 = { name: `leak_secret_${wire}`, value: n.secretValue, description: "leak test" };
    await rec.run(secret.preview(s1));
    await rec.run(secret.up(s1));
    const s2 = { ...s1, value: n.rotatedValue, description: "rotated" };
    await rec.run(secret.up(s2));
    await rec.run(secret.refresh());
    const secretImport = await stack.resource("secret", "leak-secret-imported");
    await rec.run(secretImport.import(secret.state!.id, s2));
    await rec.run(secret.up({ ...s2, name: `leak_secret_${wire}_renamed` }));
    // Failing create: the name is taken, and Runpod's GraphQL error comes back in an HTTP 200.
    const dup = await stack.resource("secret", "leak-secret-dup");
    await rec.run(dup.up({ name: `leak_secret_${wire}_renamed`, value: n.failedValue }), true);
    // Failing update of a secret gone behind Pulumi's back.
    const gone = await stack.resource("secret", "leak-secret-gone");
    await rec.run(gone.up({ name: `leak_gone_${wire}`, value: n.secretValue }));
    await fetch(stack.emulator.graphqlUrl, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ query: `mutation($id: ID!) { secretDelete(id: $id) }`, variables: { id: gone.state!.id } }),
    });
    await rec.run(gone.up({ name: `leak_gone_${wire}`, value: n.rotatedValue }), true);

    // ---- ContainerRegistryAuth: create, replacement, refresh, import, destroy, failing create.
    const auth = await stack.resource("containerRegistryAuth", "leak-auth");
    const a1 = { name: `leak-auth-${wire}`, username: "leak-user", password: n.password };
    await rec.run(auth.preview(a1));
    await rec.run(auth.up(a1));
    await rec.run(auth.up({ ...a1, password: n.rotatedPassword }));
    await rec.run(auth.refresh());
    const authImport = await stack.resource("containerRegistryAuth", "leak-auth-imported");
    await rec.run(authImport.import(auth.state!.id, { ...a1, password: n.rotatedPassword }));
    const authDup = await stack.resource("containerRegistryAuth", "leak-auth-dup");
    await rec.run(authDup.up({ ...a1, password: n.failedPassword }), true);

    // ---- Template referencing both: create, update, refresh, in-use delete failure, destroy.
    const tpl = await stack.resource("template", "leak-template");
    const t1 = {
      name: `leak-template-${wire}`,
      imageName: "ghcr.io/me/private:1",
      containerRegistryAuthId: auth.state!.id,
      env: { HF_TOKEN: `{{ RUNPOD_SECRET_${secret.state!.outputs.name} }}`, MODE: "prod" },
    };
    await rec.run(tpl.preview(t1));
    await rec.run(tpl.up(t1));
    await rec.run(tpl.up({ ...t1, env: { ...t1.env, MODE: "staging" } }));
    await rec.run(tpl.refresh());
    stack.emulator.holdTemplate(tpl.state!.id);
    await rec.run(tpl.destroy(), true);
    stack.emulator.releaseTemplate(tpl.state!.id);

    // ---- Bad input and a wrong API key: check failures and 401s.
    await rec.run(auth.preview({ ...a1, password: 12345 }));
    await rec.run(secret.preview({ ...s2, name: "bad name" }));
    const unauthorized = await wrong.resource("containerRegistryAuth", "leak-auth-401");
    await rec.run(unauthorized.up({ name: `leak-401-${wire}`, username: "u", password: n.failedPassword }), true);
    const unauthorizedSecret = await wrong.resource("secret", "leak-secret-401");
    await rec.run(unauthorizedSecret.up({ name: `leak_401_${wire}`, value: n.failedValue }), true);

    // ---- Destroy everything.
    for (const r of [tpl, secret, secretImport, gone, auth, authImport]) await rec.run(r.destroy());
    expect(stack.emulator.list("templates")).toEqual([]);
    expect(stack.emulator.list("registries")).toEqual([]);
    rec.state(secret, secretImport, auth, authImport, tpl, dup, authDup);

    // The secret values did reach Runpod (the emulator), so the scan is not vacuous.
    const seen = stack.emulator.requests();
    expect(seen.length).toBeGreaterThan(20);

    await stack.host.stop();
    await wrong.host.stop();
    const logs = [stack.host.stdout(), stack.host.stderr(), wrong.host.stdout(), wrong.host.stderr()];
    // The failing paths did print something: the scan covers real error output.
    expect(logs.join("").length).toBeGreaterThan(0);

    // Each failing path failed for the intended reason, so its error text is really scanned.
    expect(rec.errors).toEqual([
      expect.stringMatching(/already exists/),
      expect.stringMatching(/no longer exists|not found/i),
      expect.stringMatching(/unique|already/i),
      expect.stringMatching(/still in use/),
      expect.stringMatching(/401/),
      expect.stringMatching(/401|unauthori[sz]ed/i),
    ]);
    if (process.env.LEAKS_DEBUG) console.log(rec.errors.join("\n"), logs.join("\n---\n"));

    const needles = [...Object.values(n), API_KEY, WRONG_KEY];
    expect(findLeaks([...rec.haystack, ...logs], needles)).toEqual([]);
    expect(rec.haystack.length).toBeGreaterThan(40);
  });
});
