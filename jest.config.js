// Tests are compiled by `tsc` with the rest of the project (`npm run build`), so jest runs the
// same JavaScript the dynamic-provider host loads; no second TypeScript pipeline to drift.
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/dist/test"],
  testMatch: ["**/*.test.js"],
  testTimeout: 60000,
  maxWorkers: 2,
  setupFilesAfterEnv: ["<rootDir>/dist/test/support/teardown.js"],
};
