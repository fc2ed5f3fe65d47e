#!/usr/bin/env node
// `npm install git+https://…/pulumi-runpod-dynamic.git` clones the repository, installs its dev
// dependencies and runs `prepare` before packing it: dist/ is not committed, so it is built here.
// A checkout that has already built (npm ci in a clone) skips it: the tests build anyway.
const fs = require("node:fs");
const path = require("node:path");
const { execSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
if (!fs.existsSync(path.join(root, "dist", "provider", "index.js"))) {
  execSync("npm run build", { cwd: root, stdio: "inherit" });
}
