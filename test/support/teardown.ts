/**
 * After each test file (jest `setupFilesAfterEnv`): jest gives every file a fresh module registry
 * but one `process` per worker, so what a file's modules attach to the process outlives them —
 * exit listeners (`tmp`, loaded through @pulumi/pulumi, adds one per copy) and keep-alive sockets
 * of the provider's HTTP pools. Both are this file's to clean up, so the worker ends cleanly.
 */
import { closeConnections } from "../../provider/client/pools";

const exitListenersBefore = new Set(process.listeners("exit"));

afterAll(async () => {
  for (const listener of process.listeners("exit")) {
    if (!exitListenersBefore.has(listener)) process.removeListener("exit", listener);
  }
  await closeConnections();
});
