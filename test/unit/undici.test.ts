/**
 * The client loads undici's Agent and request without undici's index (provider/client/undici.ts).
 * They must be undici's own: the modules the index re-exports, so the provider runs the code a
 * plain `import { Agent, request } from "undici"` would, only without loading the rest.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import * as undici from "undici";
import { Agent, request } from "../../provider/client/undici";

test("the client's Agent is undici's own", () => {
  expect(Agent).toBe(undici.Agent);
});

test("the client's request is undici's own request, dispatched through the given pool", async () => {
  expect(require("undici/lib/api/api-request")).toBe(undici.Dispatcher.prototype.request);
  const server = http.createServer((req, res) => res.end(JSON.stringify({ url: req.url })));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const pool = new Agent({ connections: 1 });
  try {
    const res = await request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/pods?x=1`, { method: "GET", dispatcher: pool });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ url: "/v2/pods?x=1" });
  } finally {
    await pool.close();
    await new Promise((resolve) => server.close(resolve));
  }
});
