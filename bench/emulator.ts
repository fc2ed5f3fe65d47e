/**
 * The emulator in a process of its own (the shipped `runpod-emulator` CLI), controlled through its
 * admin API. Runpod is not on the engine's event loop either: in-process, the emulator's routing
 * and validation would queue behind the simulated engine's gRPC work and be billed to the host.
 */
import { ChildProcess, spawn } from "child_process";
import type { FaultConfig, RateLimitPolicy, RequestLogEntry } from "runpod-emulator";

export interface EmulatorProcess {
  readonly url: string;
  readonly graphqlUrl: string;
  readonly pid: number;
  /** Replaces the fault configuration (counters and the rate limiter's bucket restart). */
  setFaults(faults: FaultConfig): Promise<void>;
  /** The quota announced in RateLimit headers (`second` is a bench-only burst window). */
  setRateLimit(policy: RateLimitPolicy): Promise<void>;
  clearLog(): Promise<void>;
  requests(): Promise<RequestLogEntry[]>;
  close(): Promise<void>;
}

export async function spawnEmulator(opts: { apiKey: string; seed: number; podReadyAfterPolls: number }): Promise<EmulatorProcess> {
  const cli = require.resolve("runpod-emulator/dist/cli.js");
  const args = ["--port", "0", "--api-key", opts.apiKey, "--seed", String(opts.seed), "--pod-ready-after-polls", String(opts.podReadyAfterPolls), "--quiet"];
  const child: ChildProcess = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`runpod-emulator did not start within 15 s: ${stderr}`)), 15_000);
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`runpod-emulator exited (${code}) before listening: ${stderr}`));
    });
  });

  const admin = async (method: string, route: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${url}/__emulator${route}`, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator admin ${method} ${route} -> ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    pid: child.pid!,
    setFaults: (faults) => admin("PUT", "/faults", faults),
    setRateLimit: (policy) => admin("PATCH", "/settings", { rateLimit: policy }),
    clearLog: () => admin("DELETE", "/log"),
    requests: async () => (await admin("GET", "/log")).requests,
    async close() {
      process.off("exit", killOnExit);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(t);
    },
  };
}
