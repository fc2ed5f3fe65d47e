// `npm run test:cli`: the root stack through the real Pulumi CLI against a local emulator — up,
// one edit (a template image) previewed and applied in place to the template and its pods, refresh, destroy — asserting on
// `pulumi stack export` and the emulator's state. Needs `pulumi` on PATH; skips plainly without it.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator } from "runpod-emulator";
import { checkConverged, checkOneUpdate, checkPodImages, checkPreviewSteps, CliExport, EmuState } from "./assertions";

const run = promisify(execFile);
const REPO = path.resolve(__dirname, "..", "..", "..");
const STACK = "cli-lane";
/** What Pulumi.dev.yaml's sample fleet declares (pods.trainer has count 2). */
export const SAMPLE_COUNTS = { NetworkVolume: 1, ContainerRegistryAuth: 1, Secret: 1, Template: 2, Pod: 3, Endpoint: 1 };

export const MISSING_CLI = `The real-CLI lane did not run: the \`pulumi\` CLI is not on PATH.
Install it (curl -fsSL https://get.pulumi.com | sh), then run: npm run test:cli
`;

/** The directory on PATH holding an executable `pulumi`, if any. */
export function findPulumi(envPath: string | undefined): string | undefined {
  for (const dir of (envPath ?? "").split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, "pulumi");
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      continue;
    }
  }
  return undefined;
}

export async function main(env: NodeJS.ProcessEnv, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const pulumi = findPulumi(env.PATH);
  if (!pulumi) {
    out(MISSING_CLI);
    return 0;
  }
  const key = "cli-lane-emulator-key";
  const emulator = await startEmulator({ apiKey: key, podReadyAfterPolls: 1 });
  const backend = await fs.promises.mkdtemp(path.join(os.tmpdir(), "runpod-cli-lane-"));
  const stackFile = path.join(REPO, `Pulumi.${STACK}.yaml`);
  const cliEnv = {
    ...env,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "cli-lane-only",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    RUNPOD_API_KEY: key,
    RUNPOD_API_URL: emulator.url,
    RUNPOD_GRAPHQL_URL: emulator.graphqlUrl,
    RUNPOD_POLL_INTERVAL_SECONDS: "0.05",
  };
  const cli = async (...args: string[]) =>
    (await run(pulumi, [...args, "--stack", STACK, "--non-interactive"], { cwd: REPO, env: cliEnv, maxBuffer: 64 << 20 })).stdout;
  const exported = async () => JSON.parse(await cli("stack", "export")) as CliExport;
  const emuState = () => emulator.state as unknown as EmuState;
  const expectNone = (step: string, problems: string[]) => {
    if (problems.length) throw new Error(`${step}:\n  ${problems.join("\n  ")}`);
    out(`ok: ${step}\n`);
  };
  try {
    await run(pulumi, ["stack", "init", STACK, "--non-interactive"], { cwd: REPO, env: cliEnv });
    // The stack's config is the committed sample fleet (after the salt `stack init` wrote), as local-up.sh does.
    const salt = (await fs.promises.readFile(stackFile, "utf8").catch(() => "")).split("\n").find((l) => l.startsWith("encryptionsalt:"));
    await fs.promises.writeFile(stackFile, `${salt ? `${salt}\n` : ""}${await fs.promises.readFile(path.join(REPO, "Pulumi.dev.yaml"), "utf8")}`);
    await cli("config", "set", "--secret", "--path", "fleetSecrets.secrets.hf", "cli-hf-token");
    await cli("config", "set", "--secret", "--path", "fleetSecrets.registries.ghcr", "cli-registry-password");

    await cli("up", "--yes", "--skip-preview");
    const first = await exported();
    expectNone("up converges the sample fleet", checkConverged(first, emuState(), SAMPLE_COUNTS));

    const image = "ghcr.io/acme/trainer:1.5.0";
    await cli("config", "set", "--path", "fleet.templates.trainer.imageName", image);
    // Runpod applies a template only at create: the pods built from it are updated in place too.
    const rolled = ["notebook-0", "trainer-0", "trainer-1"];
    expectNone(
      "the edit previews as an update of the template and of its pods",
      checkPreviewSteps(JSON.parse(await cli("preview", "--json")), "trainer", rolled),
    );
    await cli("up", "--yes", "--skip-preview");
    const second = await exported();
    expectNone("the edit applies in place", [
      ...checkOneUpdate(first, second, "trainer", "imageName", image),
      ...checkPodImages(second, rolled, image),
      ...checkConverged(second, emuState(), SAMPLE_COUNTS),
    ]);

    await cli("refresh", "--yes", "--skip-preview");
    expectNone("refresh keeps state and Runpod in step", checkConverged(await exported(), emuState(), SAMPLE_COUNTS));

    await cli("destroy", "--yes", "--skip-preview");
    expectNone(
      "destroy empties state and the emulator",
      checkConverged(await exported(), emuState(), Object.fromEntries(Object.keys(SAMPLE_COUNTS).map((k) => [k, 0]))),
    );
    out("real-CLI lane passed\n");
    return 0;
  } catch (e) {
    const err = e as { message?: string; stderr?: string; stdout?: string };
    out(`real-CLI lane FAILED: ${err.message ?? String(e)}\n${err.stderr ?? ""}${err.stdout ?? ""}\n`);
    return 1;
  } finally {
    await run(pulumi, ["stack", "rm", STACK, "--yes", "--force", "--non-interactive"], { cwd: REPO, env: cliEnv }).catch(() => undefined);
    await fs.promises.rm(stackFile, { force: true });
    await fs.promises.rm(backend, { recursive: true, force: true });
    await emulator.close();
  }
}

if (require.main === module) {
  void main(process.env).then((code) => process.exit(code));
}
