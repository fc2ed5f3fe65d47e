/**
 * What carries a request (provider/client/transport.ts), whichever one: the whole body however it
 * arrives, the answer's headers as named, and a body that breaks off or stalls is a failure with
 * the code RunpodHttp classifies — never a truncated answer taken for a whole one.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { TRANSPORTS, TransportName } from "../../provider/client/transport";
import { RunpodApiError } from "../../provider/client/errors";
import { closeConnections } from "../../provider/client/pools";
import { clientFor, TEST_KEY } from "./server";

type Script = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function serve(script: Script): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer(script);
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

afterAll(() => closeConnections());

describe.each(["pooled", "builtin"] as const)("%s transport", (name: TransportName) => {
  const send = TRANSPORTS[name];

  test("reads the whole body, however it is cut into chunks, with the headers under lower-case names", async () => {
    const seen: Array<{ url?: string; method?: string; body: string; auth?: string }> = [];
    const server = await serve((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen.push({ url: req.url, method: req.method, body, auth: req.headers.authorization });
        res.writeHead(201, { "Content-Type": "application/json", RateLimit: '"minute";r=9;t=3', "Set-Cookie": ["a=1", "b=2"] });
        // "é" (2 bytes) and "€" (3 bytes) split across writes: the text is decoded once, whole.
        const bytes = Buffer.from(JSON.stringify({ name: "café €", pad: "x".repeat(70_000) }));
        res.write(bytes.subarray(0, 13));
        res.write(bytes.subarray(13, 17));
        setImmediate(() => res.end(bytes.subarray(17)));
      });
    });
    try {
      const sent = await send(`${server.url}/v2/pods?computeType=GPU&x=a%20b`, {
        method: "POST",
        headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
        body: '{"n":1}',
        timeoutMs: 5000,
      });
      expect(sent.statusCode).toBe(201);
      expect(sent.headers["ratelimit"]).toBe('"minute";r=9;t=3');
      expect(sent.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
      const parsed = JSON.parse(await sent.text());
      expect(parsed.name).toBe("café €");
      expect(parsed.pad).toHaveLength(70_000);
      expect(seen).toEqual([{ url: "/v2/pods?computeType=GPU&x=a%20b", method: "POST", body: '{"n":1}', auth: `Bearer ${TEST_KEY}` }]);
    } finally {
      await server.close();
    }
  });

  test("a body cut off after the headers is a network error, not a short answer", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"id":"pod-1",');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    try {
      const error = await clientFor(server.url, { "runpod:maxRetries": "0" }, name)
        .rest({ method: "GET", path: "/pods/pod-1" })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(RunpodApiError);
      expect((error as RunpodApiError).code).toBe("network");
    } finally {
      await server.close();
    }
  });

  test("a body that stalls past runpod:requestTimeoutSeconds is a timeout: nothing waits for it forever", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"id":"pod-1",');
    });
    try {
      const error = await clientFor(server.url, { "runpod:maxRetries": "0", "runpod:requestTimeoutSeconds": "0.2" }, name)
        .rest({ method: "GET", path: "/pods/pod-1" })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(RunpodApiError);
      expect((error as RunpodApiError).code).toBe("timeout");
    } finally {
      await server.close();
    }
  });
});
