#!/usr/bin/env node
// `npm run build`: the emulator workspace, then dist/ from scratch (no stale output of a deleted
// source survives for jest to run). It records a digest of everything the build reads in
// dist/.build-digest; with --if-changed (what `npm test` runs) a build whose inputs have not
// changed since is skipped, so `npm ci && npm test` in a fresh clone builds once: `prepare`
// built dist/ during `npm ci` and the tests reuse it.
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { execSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const DIGEST_FILE = path.join(root, "dist", ".build-digest");
// What the root tsconfig, the emulator and the host bundle compile, and what decides how they compile.
const SOURCES = ["provider", "test", "examples", "bench", "emulator", "scripts", "index.ts", "tsconfig.json", "package.json", "package-lock.json"];
const SKIP = new Set(["node_modules", "dist", ".pulumi-state"]);

function addTree(hash, rel) {
  const abs = path.join(root, rel);
  let stat;
  try {
    stat = fs.statSync(abs);
  } catch {
    return;
  }
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(abs).sort()) if (!SKIP.has(name)) addTree(hash, path.join(rel, name));
  } else if (stat.isFile()) {
    hash.update(`${rel}\0${stat.size}\0`);
    hash.update(fs.readFileSync(abs));
  }
}

function digest() {
  const hash = crypto.createHash("sha256");
  hash.update(`node ${process.version}\0`);
  for (const rel of SOURCES) addTree(hash, rel);
  return hash.digest("hex");
}

function upToDate(current) {
  try {
    return fs.readFileSync(DIGEST_FILE, "utf8") === current && fs.existsSync(path.join(root, "emulator", "dist", "index.js"));
  } catch {
    return false;
  }
}

function build() {
  execSync("npm run build --workspace runpod-emulator", { cwd: root, stdio: "inherit" });
  fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
  execSync(`"${process.execPath}" "${require.resolve("typescript/bin/tsc", { paths: [root] })}" -p tsconfig.json`, { cwd: root, stdio: "inherit" });
  bundleHost();
}

// What the serialized provider reaches in the dynamic-provider host (provider/dynamic.ts), as one
// file: every `pulumi preview` / `up` starts a fresh host, and resolving, reading and wrapping
// some fifty modules one by one was a large part of what a preview of unchanged resources cost.
// Modules inside keep loading on first use (esbuild wraps each one lazily). @pulumi/pulumi is
// never needed there; undici must not be (lazyload.test.ts): requests go over Node's http.
function bundleHost() {
  require("esbuild").buildSync({
    entryPoints: [path.join(root, "dist", "provider", "runtime", "dispatch.js")],
    outfile: path.join(root, "dist", "provider", "runtime", "host.js"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: ["@pulumi/pulumi", "@pulumi/pulumi/*"],
    // No source map: it mapped to dist/ files (not the sources) and was 780 KB of every install.
    sourcemap: false,
    logLevel: "warning",
  });
}

const before = digest();
if (process.argv.includes("--if-changed") && upToDate(before)) {
  console.log("dist/ is up to date with the sources (dist/.build-digest): not rebuilt");
} else {
  build();
  // Digested before the build: a source edited while tsc ran makes the next --if-changed rebuild.
  fs.writeFileSync(DIGEST_FILE, before);
}
