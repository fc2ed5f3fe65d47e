// What a user of the provider installs: the packed tarball holds the provider only (no emulator,
// no tests), depends on exactly @pulumi/pulumi, undici and zod, needs nothing else at runtime,
// and installs on this Node without an EBADENGINE warning (the emulator's ref-parser used to
// bring one). Uses `npm pack` / `npm install --dry-run --prefer-offline`: the engine check is
// part of npm's dependency resolution, so a dry run sees every warning a real install prints,
// without unpacking ~200 packages.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { builtinModules } from "node:module";
import { promisify } from "node:util";

const run = promisify(execFile);
const REPO = path.resolve(__dirname, "..", "..");
const RUNTIME_DEPENDENCIES = ["@pulumi/pulumi", "undici", "zod"];

let tmp: string;
let tarball: string;
let packedFiles: string[];

async function npm(cwd: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await run("npm", [...args, "--no-audit", "--no-fund", "--loglevel", "warn"], {
    cwd,
    maxBuffer: 32 * 1024 * 1024,
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  return stdout + stderr;
}

async function emptyProject(name: string): Promise<string> {
  const dir = path.join(tmp, name);
  await fs.promises.mkdir(dir);
  await fs.promises.writeFile(path.join(dir, "package.json"), JSON.stringify({ name: `probe-${name}`, version: "1.0.0", private: true }));
  return dir;
}

beforeAll(async () => {
  tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), "runpod-pack-"));
  // --ignore-scripts: `npm test` has just built dist/; prepack would rebuild everything.
  const out = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], { cwd: REPO, maxBuffer: 32 * 1024 * 1024 });
  const [info] = JSON.parse(out.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = path.join(tmp, info.filename);
  packedFiles = info.files.map((f) => f.path);
}, 120_000);

afterAll(async () => {
  if (tmp) await fs.promises.rm(tmp, { recursive: true, force: true });
});

test("the tarball ships the provider only: no emulator, no tests, no sources", () => {
  expect(packedFiles).toEqual(expect.arrayContaining(["package.json", "dist/provider/index.js", "dist/provider/index.d.ts"]));
  const outside = packedFiles.filter((f) => !f.startsWith("dist/provider/") && !/^(package\.json|README\.md|LICENSE[^/]*)$/.test(f));
  expect(outside).toEqual([]);
  expect(packedFiles.filter((f) => /emulator|(^|\/)test(s)?\/|\.test\./i.test(f))).toEqual([]);
  expect(packedFiles.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
});

test("its runtime dependencies are exactly @pulumi/pulumi, undici and zod", async () => {
  const { stdout } = await run("tar", ["-xOzf", tarball, "package/package.json"]);
  const pkg = JSON.parse(stdout);
  expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual(RUNTIME_DEPENDENCIES);
  expect(pkg.bin).toBeUndefined();
  expect(pkg.optionalDependencies ?? {}).toEqual({});
  expect(pkg.peerDependencies ?? {}).toEqual({});
});

test("the packed JavaScript requires nothing beyond those dependencies and Node's own modules", async () => {
  const allowed = (spec: string) =>
    spec.startsWith(".") ||
    spec.startsWith("node:") ||
    builtinModules.includes(spec.split("/")[0]) ||
    spec === "pulumi-runpod-dynamic" ||
    spec.startsWith("pulumi-runpod-dynamic/") ||
    RUNTIME_DEPENDENCIES.some((d) => spec === d || spec.startsWith(`${d}/`));
  const offenders: string[] = [];
  for (const file of packedFiles.filter((f) => f.endsWith(".js"))) {
    const text = await fs.promises.readFile(path.join(REPO, file), "utf8");
    for (const m of text.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)) if (!allowed(m[1])) offenders.push(`${file}: ${m[1]}`);
  }
  expect(offenders).toEqual([]);
});

test("installing it on this Node prints no EBADENGINE warning (and the check would see one)", async () => {
  const out = await npm(await emptyProject("provider"), ["install", "--dry-run", "--prefer-offline", tarball]);
  expect(out).not.toMatch(/EBADENGINE/);
  expect(out).toMatch(/added \d+ packages/);

  // Control: the same command does report an engine mismatch.
  const future = path.join(tmp, "needs-future-node");
  await fs.promises.mkdir(future);
  await fs.promises.writeFile(path.join(future, "package.json"), JSON.stringify({ name: "needs-future-node", version: "1.0.0", engines: { node: ">=99" } }));
  const control = await npm(await emptyProject("control"), ["install", "--dry-run", "--prefer-offline", future]);
  expect(control).toMatch(/EBADENGINE/);
}, 120_000);
