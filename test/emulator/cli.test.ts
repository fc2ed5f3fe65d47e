// The runpod-emulator bin: starts on the requested port (127.0.0.1 only), prints one line, serves
// requests with the configured key, and exits cleanly on SIGTERM.
import { spawn } from "node:child_process";

test("runpod-emulator CLI: --port 0 --api-key, one startup line, SIGTERM exits 0", async () => {
  const cli = require.resolve("runpod-emulator/dist/cli.js");
  const child = spawn(process.execPath, [cli, "--port", "0", "--api-key", "cli-key", "--seed", "3", "--quiet"], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("\n")) resolve(out.split("\n")[0]);
      });
      child.on("exit", (code) => reject(new Error(`exited early with ${code}`)));
    });
    const m = /^runpod-emulator listening on (http:\/\/127\.0\.0\.1:(\d+)) \(v2 \/v2, v1 \/v1, GraphQL \/graphql\)$/.exec(line);
    expect(m).not.toBeNull();
    const url = m![1];
    expect((await fetch(`${url}/v2/pods`, { headers: { authorization: "Bearer cli-key" } })).status).toBe(200);
    expect((await fetch(`${url}/v2/pods`, { headers: { authorization: "Bearer other" } })).status).toBe(401);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
});

test("runpod-emulator CLI rejects bad flags", async () => {
  const cli = require.resolve("runpod-emulator/dist/cli.js");
  const child = spawn(process.execPath, [cli, "--error-rate", "7"], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  expect(code).toBe(2);
  expect(err).toMatch(/invalid --error-rate/);
});

test("runpod-emulator CLI: the realism switches (--quota, --read-only-key, --listing-lag-lists, --sparse)", async () => {
  const cli = require.resolve("runpod-emulator/dist/cli.js");
  const args = ["--port", "0", "--api-key", "k", "--quota", "5,50,500", "--read-only-key", "ro", "--listing-lag-lists", "1", "--sparse", "--quiet"];
  const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on("exit", (code) => reject(new Error(`exited early with ${code}`)));
    });
    const r = await fetch(`${url}/v2/pods`, { headers: { authorization: "Bearer k" } });
    expect(r.headers.get("ratelimit-policy")).toBe('"minute";q=5;w=60, "hour";q=50;w=3600, "day";q=500;w=86400');
    const ro = await fetch(`${url}/v2/registries`, {
      method: "POST",
      headers: { authorization: "Bearer ro", "content-type": "application/json" },
      body: JSON.stringify({ name: "r", username: "u", password: "p" }),
    });
    expect(ro.status).toBe(403);
    const settings = await (await fetch(`${url}/__emulator/settings`)).json();
    expect(settings).toMatchObject({ rateLimit: { minute: 5, hour: 50, day: 500 }, readOnlyKeys: ["ro"], listingLag: { lists: 1 }, sparse: true });
  } finally {
    child.kill("SIGKILL");
  }
});
