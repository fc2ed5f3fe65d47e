/**
 * `npm run bench:instructions`: how many instructions a fresh host executes for a preview of 300
 * unchanged resources, per provider, counted by valgrind (cachegrind, no cache simulation). CPU
 * time on a shared machine moves by several percent between two runs of the same code, so the
 * host-CPU rows of `npm run bench` cannot resolve a change of a few percent; a provider's count
 * moves 1–3 % between runs (garbage collection and gRPC batching still vary), so a few runs do,
 * and variants of the runtime say where a preview's cost went.
 *
 * Rows: `runpod`; `inert` (runpod's state carried by a provider that does nothing: what the state
 * itself costs the host); `lean`. Each is the host's count minus that of a host started and
 * stopped with no work. Needs valgrind (`apt-get install valgrind`); without it, says so and
 * stops. About 4 minutes: a host runs some 40 times slower under valgrind.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { serializeProvider, startHost } from "../test/harness";
import { TEST_API_KEY } from "../test/support/stack";
import { spawnEmulator } from "./emulator";
import { inertProvider } from "./fixtures/inert";
import { coldPreview, convergePreviewState, PREVIEW_PER_KIND, PreviewState } from "./measure";
import { lean, runpod } from "./variants";

function valgrindMissing(): boolean {
  try {
    execFileSync("valgrind", ["--version"], { stdio: "ignore" });
    return false;
  } catch {
    return true;
  }
}

/** Runs `work` with hosts under valgrind; the instructions of every host it started, in millions. */
async function counted(dir: string, label: string, work: (runUnder: string[]) => Promise<unknown>): Promise<number> {
  const runUnder = [
    "valgrind",
    "--tool=cachegrind",
    "--cache-sim=no",
    "--smc-check=all-non-file",
    "--cachegrind-out-file=/dev/null",
    `--log-file=${path.join(dir, label)}.%p`,
  ];
  await work(runUnder);
  let total = 0;
  for (const name of fs.readdirSync(dir).filter((n) => n.startsWith(`${label}.`))) {
    const log = fs.readFileSync(path.join(dir, name), "utf8");
    const refs = /I\s+refs:\s+([\d,]+)/.exec(log);
    if (!refs) throw new Error(`valgrind wrote no instruction count in ${name}:\n${log.slice(-500)}`);
    total += Number(refs[1].replace(/,/g, "")) / 1e6;
  }
  return total;
}

async function main() {
  if (valgrindMissing()) {
    console.log("bench:instructions needs valgrind, which is not installed here (Debian/Ubuntu: apt-get install valgrind); nothing measured");
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-instructions-"));
  const emulator = await spawnEmulator({ apiKey: TEST_API_KEY, seed: 1, podReadyAfterPolls: 1 });
  try {
    process.stderr.write(`bench:instructions: converging ${3 * PREVIEW_PER_KIND} resources for runpod and lean…\n`);
    const prepared: Record<string, PreviewState> = { runpod: await convergePreviewState(emulator, runpod), lean: await convergePreviewState(emulator, lean) };
    const inertText = await serializeProvider(inertProvider());
    prepared.inert = { ...prepared.runpod, goals: prepared.runpod.goals.map((g) => ({ ...g, providerText: inertText })) };

    process.stderr.write("bench:instructions: a host that does nothing, then one cold preview per provider, each under valgrind…\n");
    const idle = await counted(dir, "idle", async (runUnder) => (await startHost({ runUnder })).stop());
    const above: Record<string, number> = {};
    for (const name of ["runpod", "inert", "lean"]) {
      above[name] = (await counted(dir, name, (runUnder) => coldPreview(emulator, prepared[name], { runUnder }))) - idle;
    }
    const resources = prepared.runpod.goals.length;
    console.log(`Instructions a fresh host executes for a preview of ${resources} unchanged resources (millions, above an idle host's ${idle.toFixed(0)} M)\n`);
    console.log("| Provider | Instructions | Per resource | ÷ lean |");
    console.log("|---|---|---|---|");
    for (const [name, m] of Object.entries(above)) {
      console.log(`| ${name} | ${m.toFixed(0)} M | ${((m * 1e3) / resources).toFixed(0)} k | ${(m / above.lean).toFixed(3)}× |`);
    }
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
