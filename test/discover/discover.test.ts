// runpod-discover against the emulator: what a user runs to see an account's objects as code or
// fleet config, and to find the paid objects an interrupted `pulumi up` left that no state knows.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as yaml from "js-yaml";
import { EngineResource } from "../harness/engine";
import { startStack, TestStack, TEST_API_KEY } from "../support/stack";
import { discover, parseArgs, DiscoverOptions } from "../../provider/discover/cli";
import { validateFleet } from "../../provider/fleet";
import { StackExport } from "../../provider/discover/strays";

const run = promisify(execFile);
const BIN = path.resolve(__dirname, "..", "..", "provider", "discover", "cli.js");

let stack: TestStack;
let tmp: string;
const managed: EngineResource[] = [];

function env(stack: TestStack): NodeJS.ProcessEnv {
  return { RUNPOD_API_KEY: TEST_API_KEY, RUNPOD_API_URL: stack.emulator.url, RUNPOD_GRAPHQL_URL: stack.emulator.graphqlUrl, RUNPOD_API_VERSION: "v2" };
}

function options(extra: string[] = []): DiscoverOptions {
  const parsed = parseArgs(extra, env(stack));
  if (parsed === "help") throw new Error("unexpected help");
  return parsed;
}

/** The JSON `pulumi stack export` prints for these resources (only what discover reads). */
function exportOf(resources: EngineResource[]): StackExport {
  return {
    deployment: {
      resources: resources
        .filter((r) => r.state)
        .map((r) => ({ urn: r.urn, custom: true, type: r.type, id: r.state!.id, inputs: r.state!.inputs, outputs: r.state!.outputs })),
    },
  };
}

async function writeState(name: string, state: StackExport): Promise<string> {
  const file = path.join(tmp, name);
  await fs.promises.writeFile(file, JSON.stringify(state));
  return file;
}

beforeAll(async () => {
  tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), "runpod-discover-"));
  stack = await startStack({ wire: "v2" });
  const up = async (kind: string, name: string, inputs: Record<string, unknown>) => {
    const r = await stack.resource(kind, name);
    await r.up(inputs);
    managed.push(r);
    return r;
  };
  const vol = await up("networkVolume", "data", { name: "data", size: 20, dataCenterId: "EU-RO-1" });
  const reg = await up("containerRegistryAuth", "ghcr", { name: "ghcr", username: "bot", password: "registry-pw-never-shown" });
  await up("secret", "hf", { name: "hf", value: "secret-value-never-shown", description: "token" });
  const tpl = await up("template", "trainer", {
    name: "trainer",
    imageName: "ghcr.io/acme/trainer:1",
    containerRegistryAuthId: reg.state!.id,
    env: { HF_TOKEN: "{{ RUNPOD_SECRET_hf }}", MODE: "offline" },
  });
  await up("pod", "dev", {
    name: "dev",
    templateId: tpl.state!.id,
    imageName: "ghcr.io/acme/trainer:1",
    gpuTypeIds: ["NVIDIA GeForce RTX 4090"],
    dataCenterIds: ["EU-RO-1"],
    networkVolumeId: vol.state!.id,
    volumeMountPath: "/workspace",
  });
}, 120_000);

afterAll(async () => {
  await stack?.close();
  if (tmp) await fs.promises.rm(tmp, { recursive: true, force: true });
});

test("lists the account's objects of every kind, with no secret material", async () => {
  const objects = JSON.parse(await discover(options(["--json"]))) as Array<{ kind: string; name: string; id: string; inputs: Record<string, unknown> }>;
  expect(objects.map((o) => `${o.kind}:${o.name}`).sort()).toEqual(
    ["containerRegistryAuth:ghcr", "networkVolume:data", "pod:dev", "secret:hf", "template:trainer"].sort(),
  );
  for (const r of managed) expect(objects.map((o) => o.id)).toContain(r.state!.id);
  const text = JSON.stringify(objects);
  expect(text).not.toContain("registry-pw-never-shown");
  expect(text).not.toContain("secret-value-never-shown");
  expect(objects.find((o) => o.kind === "networkVolume")!.inputs).toMatchObject({ name: "data", size: 20, dataCenterId: "EU-RO-1" });
});

test("--format fleet prints a fleet that validates, with references by key, adoptIds and secret commands", async () => {
  const out = await discover(options(["--format", "fleet", "--project", "acme"]));
  const parsed = yaml.load(out) as { config: Record<string, unknown> };
  const fleet = parsed.config["acme:fleet"] as Record<string, Record<string, Record<string, unknown>>>;
  expect(() => validateFleet(fleet)).not.toThrow();
  expect(fleet.templates.trainer).toMatchObject({ registry: "ghcr", env: { HF_TOKEN: { secret: "hf" }, MODE: "offline" } });
  expect(fleet.pods.dev).toMatchObject({ networkVolume: "data", gpuTypeIds: ["NVIDIA GeForce RTX 4090"] });
  for (const r of managed) expect(out).toContain(`adoptId: "${r.state!.id}"`);
  expect(out).toContain("pulumi config set --secret --path 'fleetSecrets.secrets.hf'");
  expect(out).toContain("pulumi config set --secret --path 'fleetSecrets.registries.ghcr'");
  expect(out).not.toMatch(/secret-value-never-shown|registry-pw-never-shown/);
});

test("--format ts prints declarations with adoptIds, references and config for secrets", async () => {
  const out = await discover(options());
  expect(out).toContain('export const trainerTemplate = new runpod.Template("trainer", {');
  expect(out).toMatch(/containerRegistryAuthId: ghcrContainerRegistryAuth\.id/);
  expect(out).toMatch(/HF_TOKEN": runpod\.secretRef\(hfSecret\)/);
  expect(out).toMatch(/networkVolumeId: dataNetworkVolume\.id/);
  expect(out).toContain('value: config.requireSecret("hfValue")');
  expect(out).toContain('password: config.requireSecret("ghcrPassword")');
  for (const r of managed) expect(out).toContain(`adoptId: "${r.state!.id}",`);
  expect(out).not.toMatch(/secret-value-never-shown|registry-pw-never-shown/);
});

test("--state: a fully tracked account has no strays", async () => {
  const file = await writeState("tracked.json", exportOf(managed));
  expect(await discover(options(["--state", file]))).toMatch(/^No strays/);
});

test("--state finds the object an interrupted create left, with its age and hourly cost", async () => {
  // A create whose answer is lost: Runpod applied it, the provider found it again, and then the
  // runner was killed before the engine wrote its checkpoint — no state knows the pod.
  stack.emulator.faults.set({ loseCreateResponses: 1 });
  const lost = await stack.resource("pod", "lost");
  await lost.up({ name: "lost-pod", imageName: "nginx:1.27", computeType: "CPU", cpuFlavorIds: ["cpu3c"], vcpuCount: 2 });
  stack.emulator.faults.clear();
  expect(stack.emulator.requests().some((r) => r.method === "POST" && r.fault === "lost-response")).toBe(true);
  const emulated = stack.emulator.list("pods").find((p) => p.name === "lost-pod");
  expect(emulated).toBeDefined();
  expect(lost.state!.id).toBe(emulated!.id);

  // A state that kept the create as pending (its outcome unknown) will adopt it on refresh: not a stray.
  const pending = exportOf(managed);
  pending.deployment!.resources!.push({ type: lost.type, id: "pending-create-1700000000000", inputs: { name: "lost-pod" }, outputs: { name: "lost-pod" } });
  expect(await discover(options(["--state", await writeState("pending.json", pending)]))).toMatch(/^No strays/);

  stack.emulator.setPodStatus(emulated!.id, "RUNNING");
  const file = await writeState("interrupted.json", exportOf(managed));
  const strays = JSON.parse(await discover(options(["--state", file, "--json"]))) as Array<{
    id: string;
    name: string;
    ageHours?: number;
    costPerHour?: number;
  }>;
  expect(strays.map((s) => [s.id, s.name])).toEqual([[emulated!.id, "lost-pod"]]);
  expect(strays[0].ageHours).toBeGreaterThanOrEqual(0);
  expect(strays[0].costPerHour).toBeGreaterThan(0);

  // The bin prints the same as a table and exits 0.
  const { stdout } = await run(process.execPath, [BIN, "--state", file], { env: { ...process.env, ...env(stack) } });
  expect(stdout).toMatch(/1 object\(s\) no stack state tracks/);
  expect(stdout).toMatch(new RegExp(`Pod\\s+lost-pod\\s+${emulated!.id}\\s+\\d+ min\\s+\\$\\d+\\.\\d{3}/h`));
});

test("the bin fails plainly without an API key and on a bad flag, never printing a key", async () => {
  const noKey = await run(process.execPath, [BIN], { env: { ...process.env, RUNPOD_API_KEY: "", RUNPOD_API_URL: stack.emulator.url } }).catch((e) => e);
  expect(noKey.code).toBe(1);
  expect(noKey.stderr).toMatch(/RUNPOD_API_KEY/);
  const bad = await run(process.execPath, [BIN, "--format", "yaml"], { env: { ...process.env, ...env(stack) } }).catch((e) => e);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/--format must be ts or fleet/);
  const wrong = await run(process.execPath, [BIN, "--api-key", "rpa_WRONGKEY_0a1b2c3d4e5f60718293"], { env: { ...process.env, ...env(stack) } }).catch(
    (e) => e,
  );
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).not.toContain("rpa_WRONGKEY_0a1b2c3d4e5f60718293");
});
