/**
 * The client loads undici's Agent without undici's index (provider/client/undici.ts). It must be
 * undici's own: the class the index re-exports, so the provider runs the code a plain
 * `import { Agent } from "undici"` would, only without loading the rest. What the pooled transport
 * does with it is pinned in test/client/transport.test.ts.
 */
import * as undici from "undici";
import { Agent } from "../../provider/client/undici";

test("the client's Agent is undici's own", () => {
  expect(Agent).toBe(undici.Agent);
});
