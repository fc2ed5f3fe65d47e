// `npm run test:live:emulator`: the live lane pointed at a local emulator through RUNPOD_API_URL,
// free and paid parts both, with a leftover of an "earlier run" for the sweeper to delete.
import { startEmulator } from "runpod-emulator";
import { main } from "./main";

export async function againstEmulator(out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const key = "live-lane-emulator-key";
  const emulator = await startEmulator({ apiKey: key, podReadyAfterPolls: 1 });
  try {
    const env = {
      ...process.env,
      RUNPOD_API_KEY: key,
      RUNPOD_API_URL: emulator.url,
      RUNPOD_GRAPHQL_URL: emulator.graphqlUrl,
      RUNPOD_API_VERSION: "v2",
      RUNPOD_POLL_INTERVAL_SECONDS: "0.05",
      RUNPOD_LIVE_PAID: "1",
    };
    const res = await fetch(`${emulator.url}/v2/templates`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "rpdlive-earlier-run-tpl", image: "busybox:1.36" }),
    });
    if (!res.ok) throw new Error(`seeding a leftover failed: ${res.status}`);
    return await main(env, out);
  } finally {
    await emulator.close();
  }
}

if (require.main === module) {
  void againstEmulator().then((code) => process.exit(code));
}
