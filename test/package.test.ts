// What a user of the provider installs: the packed tarball holds the provider only (no emulator,
// no tests), depends on exactly @pulumi/pulumi and zod, needs nothing else at runtime,
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
const RUNTIME_DEPENDENCIES = ["@pulumi/pulumi", "zod"];

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

test("the tarball carries the LICENSE package.json names", async () => {
  expect(packedFiles).toContain("LICENSE");
  const pkg = JSON.parse(await fs.promises.readFile(path.join(REPO, "package.json"), "utf8"));
  expect(pkg.license).toBe("Apache-2.0");
  expect(await fs.promises.readFile(path.join(REPO, "LICENSE"), "utf8")).toMatch(
    /Apache License\s+Version 2\.0, January 2004[\s\S]*END OF TERMS AND CONDITIONS/,
  );
});

test("the tarball ships the provider only: no emulator, no tests, no sources", () => {
  expect(packedFiles).toEqual(expect.arrayContaining(["package.json", "dist/provider/index.js", "dist/provider/index.d.ts"]));
  const outside = packedFiles.filter((f) => !f.startsWith("dist/provider/") && !/^(package\.json|README\.md|LICENSE[^/]*)$/.test(f));
  expect(outside).toEqual([]);
  expect(packedFiles.filter((f) => /emulator|(^|\/)test(s)?\/|\.test\./i.test(f))).toEqual([]);
  expect(packedFiles.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
});

test("its runtime dependencies are exactly @pulumi/pulumi and zod", async () => {
  const { stdout } = await run("tar", ["-xOzf", tarball, "package/package.json"]);
  const pkg = JSON.parse(stdout);
  expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual(RUNTIME_DEPENDENCIES);
  expect(pkg.bin).toEqual({ "runpod-discover": "dist/provider/discover/cli.js" });
  expect(packedFiles).toContain("dist/provider/discover/cli.js");
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

/** The README's ```ts blocks, as written. */
function readmeSnippets(): string[] {
  const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

test("installed from the tarball into an empty project, every README snippet type-checks and the bin runs", async () => {
  const dir = await emptyProject("consumer");
  await npm(dir, ["install", "--prefer-offline", "--ignore-scripts", tarball]);
  const snippets = readmeSnippets();
  expect(snippets.length).toBeGreaterThanOrEqual(1);
  const files = snippets.map((_, i) => `readme-${i}.ts`);
  await Promise.all(snippets.map((text, i) => fs.promises.writeFile(path.join(dir, files[i]), text)));
  await fs.promises.writeFile(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: "commonjs",
        target: "ES2022",
        moduleResolution: "node",
        skipLibCheck: true,
        types: [],
        typeRoots: [],
      },
      files,
    }),
  );
  // The repository's own compiler, but nothing of the repository on the path: the snippets see only
  // what the consumer project installed (no `paths`, no workspace link).
  const tsc = path.join(REPO, "node_modules", "typescript", "bin", "tsc");
  const compiled = await run(process.execPath, [tsc, "-p", dir], { cwd: dir }).catch((e: { stdout: string }) => e);
  expect(compiled.stdout).toBe("");

  // Control: a snippet that uses an undeclared name fails the same check.
  await fs.promises.writeFile(path.join(dir, files[0]), `${snippets[0]}\nexport const broken = undeclaredConfig.require("x");\n`);
  const control = await run(process.execPath, [tsc, "-p", dir], { cwd: dir }).catch((e: { stdout: string }) => e);
  expect(control.stdout).toMatch(/Cannot find name 'undeclaredConfig'/);

  const bin = await run(path.join(dir, "node_modules", ".bin", "runpod-discover"), ["--help"], { cwd: dir });
  expect(bin.stdout).toMatch(/^Usage: runpod-discover/);
}, 180_000);
