// `npm run test:live`: the live acceptance lane. Never part of `npm test` (jest runs *.test.js only).
import { runLane } from "./lane";

export const HOW_TO_ENABLE = `The live lane is off: RUNPOD_API_KEY is not set, so nothing ran.
It creates, updates, refreshes and destroys a Template, a Secret and a ContainerRegistryAuth in
your Runpod account (free objects), named rpdlive-<run>-*; leftovers of earlier runs are deleted first.
  RUNPOD_API_KEY=<key> npm run test:live
  RUNPOD_API_KEY=<key> RUNPOD_LIVE_PAID=1 npm run test:live   # also a 10 GB volume and the cheapest CPU pod (billed)
RUNPOD_API_VERSION, RUNPOD_API_URL and RUNPOD_GRAPHQL_URL are honoured (npm run test:live:emulator uses a local emulator).
`;

/** Exit code of the lane: 0 when skipped or passed. */
export async function main(env: NodeJS.ProcessEnv, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  if (!env.RUNPOD_API_KEY) {
    out(HOW_TO_ENABLE);
    return 0;
  }
  try {
    const report = await runLane({ env, paid: env.RUNPOD_LIVE_PAID === "1", log: (l) => out(`${l}\n`) });
    out(`live lane passed: ${report.checked.length} objects (${report.checked.join(", ")}); swept ${report.swept.length}\n`);
    return 0;
  } catch (e) {
    out(`live lane FAILED: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.env).then((code) => {
    process.exitCode = code;
    process.exit(code); // the host's gRPC channels must not keep a finished lane alive
  });
}
