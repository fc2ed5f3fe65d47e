import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, Emulator, EmulatorOptions, ResourceKind } from "runpod-emulator";
import { startHost } from "../harness/host";
import type { Host } from "../harness/protocol";
import { EngineResource, EngineResourceOptions } from "../harness/engine";
import type { ImportResult, PlanResult, UpResult } from "../harness/results";
import { programInputs } from "../../provider/inputs";
import { dynamicProvider, providerFor } from "../../provider/dynamic";
import { kindEntry } from "../../provider/resources/registry";
import { ResourceSpec, secretFieldNames } from "../../provider/schema/fields";

export type Wire = "v1" | "v2";

/** The provider's resource kinds. */
export type Kind = "networkVolume" | "template" | "secret" | "containerRegistryAuth" | "pod" | "endpoint";

/** Where the emulator keeps each kind's objects (`emulator.list(…)`). */
export const EMULATOR_COLLECTION: Record<Kind, ResourceKind> = {
  networkVolume: "networkVolumes",
  template: "templates",
  secret: "secrets",
  containerRegistryAuth: "registries",
  pod: "pods",
  endpoint: "endpoints",
};

/** A distinctive key, so leak scans can look for it in everything the host returns or prints. */
export const TEST_API_KEY = "rpa_TESTKEY_9f8e7d6c5b4a39281706";

/** The field table of a kind, loaded the way the host loads it (its fields module only). */
export function specOf(kind: string): ResourceSpec {
  return kindEntry(kind).spec();
}

export interface StackOptions {
  wire?: Wire;
  emulator?: EmulatorOptions;
  /** Extra or overriding provider config (`runpod:*` keys). */
  config?: Record<string, string>;
  /** Reuse a running emulator instead of starting one. */
  sharedEmulator?: Emulator;
}

export interface TestStack {
  emulator: Emulator;
  host: Host;
  wire: Wire;
  apiKey: string;
  config: Record<string, string>;
  /** An engine-simulated resource of `kind` with logical name `name`. */
  resource(kind: string, name: string): Promise<EngineResource>;
  /** Check through the host with no prior state, as `pulumi preview` of a new resource does. */
  check(kind: string, news: Record<string, unknown>, olds?: Record<string, unknown>): Promise<{ property: string; reason: string }[]>;
  /** The serialized `__provider` text, exactly as pulumi.dynamic.Resource stores it. */
  providerText(kind: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * An engine-simulated resource fed the way a program's resource class feeds the engine: inputs
 * pass through `programInputs`, so an omitted name carries the logical name for auto-naming.
 */
export class ProgramResource extends EngineResource {
  constructor(
    private readonly spec: ResourceSpec,
    host: Host,
    opts: EngineResourceOptions,
  ) {
    super(host, opts);
  }
  private program(inputs: Record<string, any>): Record<string, any> {
    return "__autonamePrefix" in inputs ? inputs : programInputs(this.spec, this.name, inputs);
  }
  override preview(inputs: Record<string, any>): Promise<PlanResult> {
    return super.preview(this.program(inputs));
  }
  override up(inputs: Record<string, any>, opts?: Parameters<EngineResource["up"]>[1]): Promise<UpResult> {
    return super.up(this.program(inputs), opts);
  }
  override import(id: string, inputs: Record<string, any>, opts?: Parameters<EngineResource["import"]>[2]): Promise<ImportResult> {
    return super.import(id, this.program(inputs), opts);
  }
}

const texts = new Map<string, Promise<string>>();

/**
 * Where serialized providers are kept between test files. Serializing loads Pulumi's program
 * runtime (TypeScript, npm's libraries: ~100 MB per jest module registry, ~1 s of CPU), and every
 * file has its own registry: with the text kept, a file that only drives the host never loads it,
 * and the jest workers stay small enough to exit within jest's grace period. The key is everything
 * the text depends on: the closure's source (dist/provider/dynamic.js), the serializer's version
 * and the kind.
 */
function cachedTextPath(kind: string): string {
  // Keyed by the provider code as this process holds it: a test runner that transforms the
  // compiled file (jest's babel) serializes other text than plain node (the bench) does.
  const code = providerFor.toString() + dynamicProvider.toString();
  const pulumiVersion = (JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version;
  const key = createHash("sha256").update(code).update(`\0${pulumiVersion}\0${kind}`).digest("hex").slice(0, 32);
  return path.join(os.tmpdir(), "pulumi-runpod-dynamic-test-closures", `${kind}-${key}.txt`);
}

async function serializeAndKeep(kind: string): Promise<string> {
  const file = cachedTextPath(kind);
  try {
    return await fs.promises.readFile(file, "utf8");
  } catch {
    // Not serialized by an earlier file: serialize exactly as pulumi.dynamic.Resource does.
  }
  const provider = providerFor(kind);
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  const text = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
  // Written under a unique name, then renamed: a worker reading it concurrently sees all or nothing.
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.${Date.now()}`;
  await fs.promises.writeFile(partial, text);
  await fs.promises.rename(partial, file);
  return text;
}

export function serializedProvider(kind: string): Promise<string> {
  let text = texts.get(kind);
  if (!text) {
    text = serializeAndKeep(kind);
    texts.set(kind, text);
  }
  return text;
}

/** Provider config that points at the emulator and keeps retries and polls fast. */
export function emulatorConfig(emulator: Emulator, wire: Wire, apiKey = TEST_API_KEY): Record<string, string> {
  return {
    "runpod:apiKey": apiKey,
    "runpod:apiVersion": wire,
    "runpod:apiUrl": emulator.url,
    "runpod:graphqlUrl": emulator.graphqlUrl,
    "runpod:maxRetryDelaySeconds": "0.02",
    "runpod:pollIntervalSeconds": "0.01",
    "runpod:requestTimeoutSeconds": "5",
  };
}

/** Starts an emulator (unless shared) and a real dynamic-provider host configured for `wire`. */
export async function startStack(opts: StackOptions = {}): Promise<TestStack> {
  const wire = opts.wire ?? "v2";
  const emulator = opts.sharedEmulator ?? (await startEmulator({ apiKey: TEST_API_KEY, podReadyAfterPolls: 1, ...opts.emulator }));
  const config = { ...emulatorConfig(emulator, wire), ...opts.config };
  // A host that fails to start (a loaded CI machine) must not strand the emulator this call
  // started: its open server would keep the jest worker from exiting.
  const abandon = async (e: unknown, started?: Host): Promise<never> => {
    await started?.stop();
    if (!opts.sharedEmulator) await emulator.close();
    throw e;
  };
  const host = await startHost().catch((e: unknown) => abandon(e));
  await host.configure(config).catch((e: unknown) => abandon(e, host));
  return {
    emulator,
    host,
    wire,
    apiKey: config["runpod:apiKey"],
    config,
    async resource(kind, name) {
      const providerText = await serializedProvider(kind);
      const spec = specOf(kind);
      return new ProgramResource(spec, host, {
        type: `pulumi-nodejs:dynamic/runpod:${spec.typeName}`,
        name,
        providerText,
        additionalSecretOutputs: secretFieldNames(spec),
      });
    },
    providerText: serializedProvider,
    async check(kind, news, olds = {}) {
      const providerText = await serializedProvider(kind);
      const urn = `urn:pulumi:stack::project::pulumi-nodejs:dynamic/runpod:${specOf(kind).typeName}::check`;
      const result = await host.check(urn, { ...olds, __provider: providerText }, { ...news, __provider: providerText });
      return result.failures;
    },
    async close() {
      await host.stop();
      if (!opts.sharedEmulator) await emulator.close();
    },
  };
}

/**
 * A change made outside Pulumi, straight to the emulator's REST API as a person in the console
 * (or another tool) would: on the stack's wire unless another is named.
 */
export async function outOfBand(stack: TestStack, method: string, path: string, body?: unknown, wire: Wire = stack.wire): Promise<any> {
  const res = await fetch(`${stack.emulator.url}/${wire}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.apiKey}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * Calls the emulator's admin API (`/__emulator/<path>`) over HTTP, as an operator or another
 * process would; the answer's status and body text.
 */
export async function emulatorAdmin(emulator: Emulator, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${emulator.url}/__emulator${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** `emulatorAdmin` for set-up steps: a refused call fails the test with the emulator's answer. */
export async function emulatorSetup(emulator: Emulator, path: string, body: unknown): Promise<void> {
  const res = await emulatorAdmin(emulator, "POST", path, body);
  if (res.status >= 300) throw new Error(`POST /__emulator${path} -> ${res.status} ${res.text}`);
}

/**
 * The requests that are not reads of Runpod's catalog (`GET /v2/catalog/*`, either wire): check
 * reads the catalog to validate ids, and nothing else; a failing check must leave this empty.
 */
export function beyondCatalogReads(emulator: Emulator): ReturnType<Emulator["requests"]> {
  return emulator.requests().filter((r) => !(r.method === "GET" && r.path.startsWith("/v2/catalog/")));
}
