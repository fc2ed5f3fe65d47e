/**
 * A throwaway "other machine" layout to prove a serialized provider does not depend on the
 * absolute paths of the machine (checkout) that serialized it.
 *
 *   <tmp>/node_modules/<every entry of the repo's node_modules>  -> symlinks
 *   <tmp>/node_modules/pulumi-runpod-dynamic/                      -> a REAL copy of package.json,
 *                                                                    dist/provider (+ dist/emulator,
 *                                                                    emulator/spec if present)
 *
 * Run the host with `cwd: dir` and `hostScript: portableHostScript(dir)`. The serialized closure
 * resolves `require("pulumi-runpod-dynamic/...")` from the host's cwd, so it gets the copy; any
 * absolute path into the checkout would still resolve on this machine, so pair this with a text
 * scan of the provider text (findLeaks(providerText, [REPO_ROOT])) and/or `traceModules` to see
 * which files were actually loaded.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "./protocol";

export const PACKAGE_NAME = "pulumi-runpod-dynamic";

const created = new Set<string>();

export async function makePortableCopy(opts: { repoRoot?: string } = {}): Promise<string> {
  const repo = opts.repoRoot ?? REPO_ROOT;
  const repoModules = path.join(repo, "node_modules");
  // realpath: on some systems os.tmpdir() is itself a symlink; the host reports real paths.
  const dir = fs.realpathSync(await fs.promises.mkdtemp(path.join(os.tmpdir(), "runpod-portable-")));
  if (dir.startsWith(repo + path.sep)) throw new Error(`temp dir ${dir} is inside the repo`);
  created.add(dir);
  const modules = path.join(dir, "node_modules");
  await fs.promises.mkdir(modules);
  for (const entry of await fs.promises.readdir(repoModules)) {
    if (entry === PACKAGE_NAME) continue;
    await fs.promises.symlink(path.join(repoModules, entry), path.join(modules, entry));
  }
  const pkg = path.join(modules, PACKAGE_NAME);
  await fs.promises.mkdir(pkg);
  await fs.promises.copyFile(path.join(repo, "package.json"), path.join(pkg, "package.json"));
  const provider = path.join(repo, "dist", "provider");
  if (!fs.existsSync(provider)) throw new Error(`${provider} does not exist: run npm run build first`);
  for (const rel of [path.join("dist", "provider"), path.join("dist", "emulator"), path.join("emulator", "spec")]) {
    const src = path.join(repo, rel);
    if (fs.existsSync(src)) await fs.promises.cp(src, path.join(pkg, rel), { recursive: true, dereference: true });
  }
  return dir;
}

/** The host script as seen from the portable copy (through the symlinked @pulumi/pulumi). */
export function portableHostScript(dir: string): string {
  return path.join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js");
}

export async function removePortableCopy(dir: string): Promise<void> {
  if (!created.has(dir)) throw new Error(`${dir} was not made by makePortableCopy`);
  // Symlinks are removed, not followed.
  await fs.promises.rm(dir, { recursive: true, force: true });
  created.delete(dir);
}

/** makePortableCopy + fn + cleanup, even on failure. */
export async function withPortableCopy<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await makePortableCopy();
  try {
    return await fn(dir);
  } finally {
    await removePortableCopy(dir);
  }
}
