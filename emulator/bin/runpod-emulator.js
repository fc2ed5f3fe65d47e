#!/usr/bin/env node
// A committed shim, so `npm ci` can link the `runpod-emulator` bin before `npm run build` has
// produced dist/ (npm skips bins whose target does not exist yet).
require("../dist/cli.js");
