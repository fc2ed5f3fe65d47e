import * as path from "path";
import { NetworkVolume } from "../provider/resources/networkVolume";
import { KIND_NAMES } from "../provider/resources/registry";
import { captureSerializedProvider, EngineResource, findLeaks, portableHostScript, REPO_ROOT, startHost, withPortableCopy } from "./harness";
import { emulatorConfig, serializedProvider, specOf, TEST_API_KEY } from "./support/stack";
import { startEmulator } from "runpod-emulator";

const KINDS = [...KIND_NAMES];
const LIMIT = 4 * 1024;

describe("the serialized __provider closure", () => {
  test.each(KINDS)("%s stays under 4 KB and captures no machine path", async (kind) => {
    const text = await serializedProvider(kind);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(LIMIT);
    expect(findLeaks([text], [REPO_ROOT, path.dirname(REPO_ROOT)])).toEqual([]);
    expect(text).toContain(`"${kind}"`);
    // The code is reached by package name at call time, never captured by value.
    expect(text).toContain("pulumi-runpod-dynamic/dist/provider/runtime/host");
    expect(text).not.toMatch(/ZodObject|ZodType|undici|class RestResource/);
  });

  test("a real NetworkVolume resource registers that same small closure", async () => {
    const captured = await captureSerializedProvider(() => new NetworkVolume("data", { size: 20, dataCenterId: "EU-RO-1" }));
    const text = captured["data"].providerText;
    expect(text).toBe(await serializedProvider("networkVolume"));
    expect(captured["data"].inputs).toMatchObject({ size: 20, dataCenterId: "EU-RO-1", __autonamePrefix: "data" });
  });

  test("state written before the host bundle (its closure names runtime/dispatch) still converges", async () => {
    const emulator = await startEmulator({ apiKey: TEST_API_KEY });
    const host = await startHost();
    try {
      await host.configure(emulatorConfig(emulator, "v2"));
      const spec = specOf("networkVolume");
      const current = await serializedProvider("networkVolume");
      const legacy = current.replaceAll("pulumi-runpod-dynamic/dist/provider/runtime/host", "pulumi-runpod-dynamic/dist/provider/runtime/dispatch");
      expect(legacy).not.toBe(current);
      const vol = new EngineResource(host, { type: `pulumi-nodejs:dynamic/runpod:${spec.typeName}`, name: "legacy", providerText: legacy });
      await vol.up({ __autonamePrefix: "legacy", size: 15, dataCenterId: "EU-RO-1" });
      expect((await vol.preview({ __autonamePrefix: "legacy", size: 15, dataCenterId: "EU-RO-1" })).op).toBe("same");
      await vol.up({ __autonamePrefix: "legacy", size: 30, dataCenterId: "EU-RO-1" });
      expect(emulator.list("networkVolumes").map((v) => v.size)).toEqual([30]);
      await vol.destroy();
      expect(emulator.list("networkVolumes")).toEqual([]);
    } finally {
      await host.stop();
      await emulator.close();
    }
  });

  test("state serialized in this checkout converges from a copy of the package at another path", async () => {
    const emulator = await startEmulator({ apiKey: TEST_API_KEY });
    try {
      await withPortableCopy(async (dir) => {
        expect(path.resolve(dir).startsWith(REPO_ROOT)).toBe(false);
        const host = await startHost({ cwd: dir, hostScript: portableHostScript(dir), traceModules: true });
        try {
          await host.configure(emulatorConfig(emulator, "v2"));
          const spec = specOf("networkVolume");
          const vol = new EngineResource(host, {
            type: `pulumi-nodejs:dynamic/runpod:${spec.typeName}`,
            name: "moved",
            providerText: await serializedProvider("networkVolume"),
          });
          await vol.up({ __autonamePrefix: "moved", size: 15, dataCenterId: "EU-RO-1" });
          expect(emulator.list("networkVolumes").map((v) => v.id)).toEqual([vol.state!.id]);
          await vol.up({ __autonamePrefix: "moved", size: 30, dataCenterId: "EU-RO-1" });
          await vol.destroy();
          expect(emulator.list("networkVolumes")).toEqual([]);
          const providerCode = host.loadedModules().filter((f) => f.includes(`${path.sep}dist${path.sep}provider${path.sep}`));
          expect(providerCode.length).toBeGreaterThan(0);
          expect(providerCode.every((f) => !f.startsWith(path.join(REPO_ROOT, "dist")))).toBe(true);
        } finally {
          await host.stop();
        }
      });
    } finally {
      await emulator.close();
    }
  });
});
