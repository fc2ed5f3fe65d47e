/**
 * What carries a request (provider/client/transport.ts): the whole body however it arrives, the
 * answer's headers as named, and a body that breaks off or stalls is a failure with the code
 * RunpodHttp classifies — never a truncated answer taken for a whole one. Its keep-alive pool is
 * shared, ends when asked, and never holds a process open.
 */
import { spawn } from "node:child_process";
import type { ServerResponse } from "node:http";
import * as path from "node:path";
import { neverSent, send } from "../../provider/client/transport";
import { RunpodApiError } from "../../provider/client/errors";
import { closeConnections } from "../../provider/client/pools";
import { clientFor, failureOf, scriptedServer, TEST_KEY, unansweredPort } from "./server";

/** The headers of a 1000-byte answer and its first bytes, then `end` (nothing: it stalls). */
const partialAnswer = (end: (res: ServerResponse) => void) => (res: ServerResponse) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
  res.write('{"id":"pod-1",');
  end(res);
};

/** What a GET through RunpodHttp on `name` fails with when the server answers `reply`. */
async function failureThrough(reply: (res: ServerResponse) => void, overrides: Record<string, string>): Promise<unknown> {
  const server = await scriptedServer(() => reply);
  try {
    return await failureOf(() => clientFor(server.url, { "runpod:maxRetries": "0", ...overrides }).rest({ method: "GET", path: "/pods/pod-1" }));
  } finally {
    await server.close();
  }
}

afterAll(() => closeConnections());

describe("the transport", () => {
  test("reads the whole body, however it is cut into chunks, with the headers under lower-case names", async () => {
    const server = await scriptedServer(() => (res) => {
      res.writeHead(201, { "Content-Type": "application/json", RateLimit: '"minute";r=9;t=3', "Set-Cookie": ["a=1", "b=2"] });
      // "é" (2 bytes) and "€" (3 bytes) split across writes: the text is decoded once, whole.
      const bytes = Buffer.from(JSON.stringify({ name: "café €", pad: "x".repeat(70_000) }));
      res.write(bytes.subarray(0, 13));
      res.write(bytes.subarray(13, 17));
      setImmediate(() => res.end(bytes.subarray(17)));
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
      expect(server.requests.map(({ at: _at, ...r }) => r)).toEqual([
        { path: "/v2/pods?computeType=GPU&x=a%20b", method: "POST", body: { n: 1 }, authorization: `Bearer ${TEST_KEY}` },
      ]);
    } finally {
      await server.close();
    }
  });

  test("a body cut off after the headers is a network error, not a short answer", async () => {
    const error = await failureThrough(
      partialAnswer((res) => setTimeout(() => res.socket?.destroy(), 20)),
      {},
    );
    expect(error).toBeInstanceOf(RunpodApiError);
    expect((error as RunpodApiError).code).toBe("network");
    expect((error as RunpodApiError).neverSent).toBe(false);
  });

  test("a body that stalls past runpod:requestTimeoutSeconds is a timeout: nothing waits for it forever", async () => {
    const error = await failureThrough(
      partialAnswer(() => undefined),
      { "runpod:requestTimeoutSeconds": "0.2" },
    );
    expect(error).toBeInstanceOf(RunpodApiError);
    expect((error as RunpodApiError).code).toBe("timeout");
  });
});

describe("the connection pool", () => {
  const get = (url: string) => send(`${url}/v2/pods`, { method: "GET", headers: { authorization: `Bearer ${TEST_KEY}` }, timeoutMs: 5000 });

  test("requests in turn share one connection, and closeConnections ends it", async () => {
    const server = await scriptedServer(() => ({ status: 200, body: [] }));
    try {
      for (let i = 0; i < 3; i++) expect(await (await get(server.url)).text()).toBe("[]");
      expect(server.requests).toHaveLength(3);
      expect(server.connections()).toBe(1);
      expect(server.openConnections()).toBe(1);
      await closeConnections();
      await server.allClosed();
      // The next request opens a new pool.
      expect((await get(server.url)).statusCode).toBe(200);
      expect(server.connections()).toBe(2);
    } finally {
      await server.close();
    }
  });

  test("a connection never accepted is a timeout within runpod:requestTimeoutSeconds, not the pool's idle limit", async () => {
    const dead = await unansweredPort();
    try {
      const started = Date.now();
      const error = await failureOf(() => send(`http://127.0.0.1:${dead.port}/v2/pods`, { method: "GET", headers: {}, timeoutMs: 300 }));
      expect((error as { code?: string }).code).toMatch(/TIMEOUT/);
      expect(neverSent(error)).toBe(true);
      // The pool's idle limit (10 s) would have ended it too: only the request's own limit is this soon.
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      dead.close();
    }
  });

  test("an idle connection does not keep a process alive: a program ends when its work does", async () => {
    // The server would keep the connection for minutes: only the client letting go ends the process.
    const server = await scriptedServer(() => ({ status: 200, body: { id: "pod-1" } }), { keepAliveTimeoutMs: 120_000 });
    try {
      const transport = path.join(__dirname, "..", "..", "provider", "client", "transport.js");
      const program = `require(${JSON.stringify(transport)}).send(${JSON.stringify(`${server.url}/v2/pods/pod-1`)}, { method: "GET", headers: {}, timeoutMs: 5000 })
        .then((s) => s.text()).then((t) => console.log(t));`;
      const child = spawn(process.execPath, ["-e", program], { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (c) => (out += c));
      const guard = setTimeout(() => child.kill(), 10_000);
      const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
      clearTimeout(guard);
      expect({ code, out: out.trim() }).toEqual({ code: 0, out: '{"id":"pod-1"}' });
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });
});
