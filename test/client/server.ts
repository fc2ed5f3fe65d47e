import { spawn } from "node:child_process";
import * as http from "node:http";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import { resolveSettings, ProviderSettings } from "../../provider/client/settings";
import { RunpodHttp } from "../../provider/client/http";

/**
 * What a scripted answer may be: a reply, a cut connection, no answer at all, or the test writing
 * the answer itself (a body in pieces, one that breaks off or stalls).
 */
export type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | "drop" | "hang" | ((res: http.ServerResponse) => void);

export interface Seen {
  method: string;
  path: string;
  body: any;
  /** The request's Authorization header. */
  authorization?: string;
  at: number;
}

export interface ScriptedServer {
  url: string;
  requests: Seen[];
  /** Connections the server accepted so far. */
  connections(): number;
  /** Connections still open (a client's idle keep-alive sockets included). */
  openConnections(): number;
  /** Resolves once no connection is open. */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 whose answers the test scripts: the client under test talks to
 * it through Node's http exactly as it talks to Runpod (no http/fetch mocks).
 */
export async function scriptedServer(
  answer: (req: Seen, n: number) => Reply | Promise<Reply>,
  options: { keepAliveTimeoutMs?: number } = {},
): Promise<ScriptedServer> {
  const requests: Seen[] = [];
  const sockets = new Set<import("node:net").Socket>();
  let accepted = 0;
  let closedAll: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", async () => {
      const seen: Seen = {
        method: req.method ?? "",
        path: req.url ?? "",
        body: raw ? JSON.parse(raw) : undefined,
        authorization: req.headers.authorization,
        at: Date.now(),
      };
      requests.push(seen);
      const reply = await answer(seen, requests.length - 1);
      if (reply === "hang") return;
      if (typeof reply === "function") {
        reply(res);
        return;
      }
      if (reply === "drop") {
        req.socket.destroy();
        return;
      }
      const text = reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { "content-type": "application/json", ...(reply.headers ?? {}) });
      res.end(text);
    });
  });
  server.on("connection", (s) => {
    accepted++;
    sockets.add(s);
    s.on("close", () => {
      sockets.delete(s);
      if (sockets.size > 0) return;
      for (const done of closedAll) done();
      closedAll = [];
    });
  });
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    connections: () => accepted,
    openConnections: () => sockets.size,
    allClosed: () => (sockets.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => closedAll.push(resolve))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export const TEST_KEY = "rpa_client_test_key_0123456789";

/** Settings pointing at `url`, with retries, polls and waits made tiny. */
export function settingsFor(url: string, overrides: Record<string, string> = {}): ProviderSettings {
  const config: Record<string, string> = {
    "runpod:apiKey": TEST_KEY,
    "runpod:apiVersion": "v2",
    "runpod:apiUrl": url,
    "runpod:graphqlUrl": `${url}/graphql`,
    "runpod:maxRetries": "2",
    "runpod:maxRetryDelaySeconds": "0.005",
    "runpod:pollIntervalSeconds": "0.005",
    "runpod:requestTimeoutSeconds": "2",
    ...overrides,
  };
  return resolveSettings({ get: (k) => config[k] }, {});
}

/** A client for `url`. */
export function clientFor(url: string, overrides: Record<string, string> = {}): RunpodHttp {
  return new RunpodHttp(settingsFor(url, overrides));
}

/** Runs `fn` and returns what it threw (failing the test when it did not throw). */
export async function failureOf(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a failure, got success");
}

/**
 * A port whose connections are never accepted: a child process listens with a backlog of one,
 * says its port and blocks its event loop for good (so it accepts nothing), and a few connections
 * fill the queue, so the kernel leaves the next one unanswered — what a firewall that drops
 * packets does.
 */
export async function unansweredPort(): Promise<{ port: number; close(): void }> {
  const program = `const s = require("net").createServer().listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
    require("fs").writeSync(1, s.address().port + "\\n");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  });`;
  const child = spawn(process.execPath, ["-e", program], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve) => child.stdout.once("data", (c) => resolve(Number(String(c).trim()))));
  const fillers = Array.from({ length: 4 }, () => net.connect(port, "127.0.0.1").on("error", () => undefined));
  return {
    port,
    close: () => {
      for (const f of fillers) f.destroy();
      child.kill("SIGKILL");
    },
  };
}

/** A port on 127.0.0.1 where nothing listens: every connection is refused. */
export async function refusingPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
