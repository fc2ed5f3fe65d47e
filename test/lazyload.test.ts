/**
 * What a fresh host loads and sends. Every `pulumi preview` starts a new dynamic-provider host. A
 * preview of unchanged resources sends one request, the catalog read that authenticates the key
 * (so a wrong key fails the preview), and nothing else; it loads the provider's one host file
 * (`dist/provider/runtime/host.js`, bundled by the build) and nothing else of its own. No command
 * loads undici: its WebAssembly parser cost a fresh host ~28 MB at its peak, so requests go over
 * Node's built-in http (client/transport.ts). Proved by tracing the modules the real host compiles.
 */
import * as path from "path";
import { startEmulator, Emulator } from "runpod-emulator";
import { programInputs } from "../provider/resource";
import { secretFieldNames } from "../provider/schema/fields";
import { EngineResource, EngineStack, Host, PropertyMap, REPO_ROOT, startHost } from "./harness";
import { emulatorConfig, serializedProvider, specOf, TEST_API_KEY } from "./support/stack";

const HOST_BUNDLE = path.join(REPO_ROOT, "dist", "provider", "runtime", "host.js");
const isUndici = (file: string) => file.includes(`${path.sep}node_modules${path.sep}undici${path.sep}`);
/** Any module of the package outside the bundle: the host must need none. */
const isUnbundled = (file: string) => file.startsWith(path.join(REPO_ROOT, "dist", "provider") + path.sep) && file !== HOST_BUNDLE;

const inputs: Record<string, PropertyMap> = {
  networkVolume: { size: 10, dataCenterId: "EU-RO-1" },
  template: { imageName: "runpod/worker:1.0", containerDiskInGb: 20 },
  pod: { imageName: "runpod/pytorch:2.4.0-py3.11-cuda12.4.1", gpuTypeIds: ["NVIDIA GeForce RTX 4090"], containerDiskInGb: 20 },
};

async function resourceOf(host: Host, kind: string, name: string): Promise<EngineResource> {
  const spec = specOf(kind);
  return new EngineResource(host, {
    type: `pulumi-nodejs:dynamic/runpod:${spec.typeName}`,
    name,
    providerText: await serializedProvider(kind),
    additionalSecretOutputs: secretFieldNames(spec),
  });
}

const goal = (kind: string, name: string, extra: PropertyMap = {}) => programInputs(specOf(kind), name, { ...inputs[kind], ...extra });

describe("a fresh host", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: TEST_API_KEY, podReadyAfterPolls: 1 });
  });
  afterAll(() => emulator.close());

  test("previewing unchanged resources reads the catalog once (none without a key); an up's pods need no GPU lookup; undici is never loaded", async () => {
    // State written by an earlier `pulumi up` (its own host).
    const first = await startHost();
    const states = new Map<string, EngineResource>();
    try {
      await first.configure(emulatorConfig(emulator, "v2"));
      for (const kind of Object.keys(inputs)) {
        const r = await resourceOf(first, kind, `lazy-${kind}`);
        expect((await r.up(goal(kind, r.name))).op).toBe("create");
        states.set(kind, r);
      }
    } finally {
      await first.stop();
    }

    const previewAll = async (host: Host) => {
      for (const [kind, old] of states) {
        const r = await resourceOf(host, kind, old.name);
        r.state = old.state;
        expect((await r.preview(goal(kind, r.name))).op).toBe("same");
      }
    };

    // No key: the catalog cannot be asked, check keeps to the format rules and loads nothing more.
    const offline = await startHost({ traceModules: true });
    try {
      const { "runpod:apiKey": _key, ...keyless } = emulatorConfig(emulator, "v2");
      await offline.configure(keyless);
      emulator.clearLog();
      await previewAll(offline);
      expect(emulator.requests()).toEqual([]);
      const loaded = offline.loadedModules();
      // The provider's code did run in this host, from its one file (the trace sees it) ...
      expect(loaded).toContain(HOST_BUNDLE);
      expect(loaded.filter(isUnbundled)).toEqual([]);
      // ... but not undici.
      expect(loaded.filter(isUndici)).toEqual([]);
    } finally {
      await offline.stop();
    }

    const host = await startHost({ traceModules: true });
    try {
      await host.configure(emulatorConfig(emulator, "v2"));
      emulator.clearLog();
      await previewAll(host);
      // With a key: one catalog read authenticates it, whatever changed; nothing else is sent.
      expect(emulator.requests().map((r) => `${r.method} ${r.path}`)).toEqual(["GET /v2/catalog/gpus"]);
      expect(host.loadedModules().filter(isUndici)).toEqual([]);

      // The GPU display names come from the authenticating read, so pods created together send
      // no per-type catalog lookup.
      const stack = new EngineStack(host, { parallel: 10 });
      const providerText = await serializedProvider("pod");
      const spec = specOf("pod");
      const goals = Array.from({ length: 10 }, (_, i) => {
        const name = `together-${i}`;
        stack.resource({ name, type: `pulumi-nodejs:dynamic/runpod:${spec.typeName}`, providerText, additionalSecretOutputs: secretFieldNames(spec) });
        return { name, inputs: goal("pod", name) };
      });
      const run = await stack.up(goals);
      expect(run.errors).toEqual([]);
      expect(host.loadedModules().filter(isUndici)).toEqual([]);
      expect(host.loadedModules().filter(isUnbundled)).toEqual([]);
      const catalog = emulator.requests().filter((e) => e.method === "GET" && e.path.includes("/catalog/gpus/"));
      expect(catalog).toHaveLength(0);
      for (const r of stack.resources.values()) expect(r.state!.outputs.gpuDisplayName).toBe("RTX 4090");
    } finally {
      await host.stop();
    }
  });
});
