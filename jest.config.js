// Tests are compiled by `tsc` with the rest of the project (`npm run build`), so jest runs the
// same JavaScript the dynamic-provider host loads; no second TypeScript pipeline to drift.
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/dist/test"],
  testMatch: ["**/*.test.js"],
  testTimeout: 60000,
  maxWorkers: 2,
  // A worker that jest ends must be gone within jest-worker's fixed 500 ms, or jest reports "a
  // worker process has failed to exit gracefully". No handle or timer was left open (probed from a
  // test environment's real process: at the end only jest's IPC pipe and stdio remain, and the
  // worker reaches its 'exit' event within ~1–60 ms); what took 0.5–1 s on the shared 2-core
  // machine was the exit itself, which grows with the worker's size: 450 MB after a few
  // engine-faithful files (each file loads its own copies of grpc, @pulumi/pulumi and the
  // emulator). Recycling a worker once its heap passes 200 MB after a file keeps it small: the
  // same files then end with a 240 MB worker that is gone ~100 ms after jest ends it.
  workerIdleMemoryLimit: "200MB",
  setupFilesAfterEnv: ["<rootDir>/dist/test/support/teardown.js"],
};
