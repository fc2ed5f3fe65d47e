/**
 * Self-test of the harness's portable copy (test/harness/portable.ts): a host started in a copy
 * of a checkout loads the closure's package code from the copy, never from the checkout.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { EngineResource, findLeaks, Host, makePortableCopy, portableHostScript, removePortableCopy, REPO_ROOT, serializeProvider, startHost } from "../harness";

/**
 * A fake checkout with a dist/provider that a serialized closure reaches by package name, its
 * portable copy, and a host running in the copy. Started in beforeAll.
 */
interface PortableSetup {
  fake: string;
  dir: string;
  host: Host;
}
let portable: Promise<PortableSetup> | undefined;

async function setUpPortable(): Promise<PortableSetup> {
  const fake = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "fake-checkout-")));
  fs.writeFileSync(path.join(fake, "package.json"), JSON.stringify({ name: "pulumi-runpod-dynamic", version: "0.0.0" }));
  fs.mkdirSync(path.join(fake, "dist", "provider"), { recursive: true });
  fs.writeFileSync(path.join(fake, "dist", "provider", "echo.js"), "exports.create = async (i) => ({ id: 'p-1', outs: { where: __filename } });\n");
  fs.mkdirSync(path.join(fake, "node_modules"));
  for (const e of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
    if (e !== "pulumi-runpod-dynamic") fs.symlinkSync(path.join(REPO_ROOT, "node_modules", e), path.join(fake, "node_modules", e));
  }
  const dir = await makePortableCopy({ repoRoot: fake });
  const h = await startHost({ cwd: dir, hostScript: portableHostScript(dir), traceModules: true });
  return { fake, dir, host: h };
}

async function tearDownPortable(): Promise<void> {
  const setup = await portable?.catch(() => undefined);
  if (!setup) return;
  await setup.host.stop();
  if (fs.existsSync(setup.dir)) await removePortableCopy(setup.dir);
  fs.rmSync(setup.fake, { recursive: true, force: true });
}

test("portable copy: the closure's package code is loaded from the copy, not the checkout", async () => {
  const { fake, dir, host: h } = await portable!;
  const byName: pulumi.dynamic.ResourceProvider = {
    create: (inputs) => require("pulumi-runpod-dynamic/dist/provider/echo").create(inputs),
  };
  const text = await serializeProvider(byName);
  expect(findLeaks([text], [fake, REPO_ROOT])).toEqual([]);

  expect(dir.startsWith(REPO_ROOT)).toBe(false);
  expect(fs.lstatSync(path.join(dir, "node_modules", "@pulumi")).isSymbolicLink()).toBe(true);
  expect(fs.lstatSync(path.join(dir, "node_modules", "pulumi-runpod-dynamic")).isSymbolicLink()).toBe(false);
  await h.configure({});
  const r = new EngineResource(h, { name: "portable", providerText: text });
  await r.up({});
  const where = r.state!.outputs.where as string;
  expect(where).toBe(path.join(dir, "node_modules", "pulumi-runpod-dynamic", "dist", "provider", "echo.js"));
  const loaded = h.loadedModules();
  expect(loaded).toContain(where);
  expect(loaded.some((m) => m.startsWith("<string:"))).toBe(true);
  expect(loaded.filter((m) => m.startsWith(fake) || m.startsWith(path.join(REPO_ROOT, "dist")))).toEqual([]);

  await h.stop();
  await removePortableCopy(dir);
  expect(fs.existsSync(dir)).toBe(false);
  // Cleanup removed the symlinks, not what they point at.
  expect(fs.existsSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "package.json"))).toBe(true);
  expect(fs.existsSync(path.join(fake, "node_modules", "@pulumi", "pulumi", "package.json"))).toBe(true);
});

beforeAll(() => {
  portable = setUpPortable();
  portable.catch(() => undefined); // reported by the test itself
});
afterAll(() => tearDownPortable());
