#!/usr/bin/env node
// `npm install git+https://…/pulumi-runpod-dynamic.git` clones the repository, installs its dev
// dependencies and runs `prepare` before packing it: dist/ is not committed, so it is built here.
// A checkout that has already built skips it. In a fresh clone `npm ci` builds here and records
// what it built from (scripts/build.js), so the `npm test` that follows does not build again.
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
// Both what programs load and the host bundle the serialized provider loads (runtime/host.js).
const built = ["index.js", path.join("runtime", "host.js")].every((f) => fs.existsSync(path.join(root, "dist", "provider", f)));
if (!built) {
  execFileSync(process.execPath, [path.join(__dirname, "build.js")], { cwd: root, stdio: "inherit" });
}
