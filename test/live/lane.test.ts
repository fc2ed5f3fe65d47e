// The live lane's own proof: its skip path, and the whole lane (free and paid parts, sweeper)
// pointed at the emulator through RUNPOD_API_URL, the way a user's CI points it at Runpod.
import { startEmulator } from "runpod-emulator";
import { main, HOW_TO_ENABLE } from "./main";

test("without RUNPOD_API_KEY it says how to enable it and runs nothing", async () => {
  const out: string[] = [];
  expect(await main({ RUNPOD_API_URL: "http://127.0.0.1:9" }, (s) => out.push(s))).toBe(0);
  expect(out.join("")).toBe(HOW_TO_ENABLE);
});

test("against the emulator: sweeps an earlier run's leftover, then every object's life; nothing left", async () => {
  const key = "live-lane-test-key";
  const emulator = await startEmulator({ apiKey: key, podReadyAfterPolls: 1 });
  try {
    const leftover = await fetch(`${emulator.url}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        query: "mutation($i: SecretCreateInput!) { secretCreate(input: $i) { id } }",
        variables: { i: { name: "rpdlive-old-secret", value: "x" } },
      }),
    });
    expect(leftover.ok).toBe(true);
    const out: string[] = [];
    const env = {
      RUNPOD_API_KEY: key,
      RUNPOD_API_URL: emulator.url,
      RUNPOD_GRAPHQL_URL: emulator.graphqlUrl,
      RUNPOD_POLL_INTERVAL_SECONDS: "0.02",
      RUNPOD_LIVE_PAID: "1",
    };
    const code = await main(env, (s) => out.push(s));
    const text = out.join("");
    expect(text).toMatch(/live lane passed: 5 objects/);
    expect(code).toBe(0);
    expect(text).toMatch(/sweep: deleting Secret rpdlive-old-secret/);
    for (const kind of ["Template", "Secret", "ContainerRegistryAuth", "NetworkVolume", "Pod"]) expect(text).toMatch(new RegExp(`ok: ${kind} rpdlive-`));
    const state = emulator.state;
    expect([...state.templates.filter((t) => !t.catalog), ...state.secrets, ...state.registries, ...state.networkVolumes, ...state.pods]).toEqual([]);
    const posts = emulator.requests().filter((r) => r.method === "POST" && r.path.endsWith("/pods"));
    expect(posts).toHaveLength(1); // the cheapest CPU pod, once
  } finally {
    await emulator.close();
  }
}, 120_000);
