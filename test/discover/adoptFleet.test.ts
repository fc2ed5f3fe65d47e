// The point of runpod-discover: its fleet output, fed to deployFleet as printed (plus the secret
// values it asks for), adopts every object of the account — no create, every id kept — and the
// next up is all "same".
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import * as ts from "typescript";
import * as pulumi from "@pulumi/pulumi";
import { discover, parseArgs } from "../../provider/discover/cli";
import { deployFleet, FleetSecrets } from "../../provider/fleet";
import { byStep, ProgramEngine } from "../support/program";
import { REPO_ROOT } from "../harness";
import { Kind, startStack, TestStack, TEST_API_KEY } from "../support/stack";

let stack: TestStack;
/** The id of every object made outside the stack, by the name discover will key it by. */
const made = new Map<string, string>();
const SECRET_VALUES: Record<string, string> = { "fleetSecrets.secrets.hf": "hf-adopt-value-42", "fleetSecrets.registries.ghcr": "ghcr-adopt-pw-42" };

/** An object made outside any stack: a resource whose state is then forgotten. */
async function existing(kind: Kind, name: string, inputs: Record<string, unknown>): Promise<string> {
  const r = await stack.resource(kind, `${name}-elsewhere`);
  await r.up({ name, ...inputs });
  made.set(name, r.state!.id);
  return r.state!.id;
}

beforeAll(async () => {
  stack = await startStack({ wire: "v2", emulator: { podReadyAfterPolls: 1 } });
  const vol = await existing("networkVolume", "data", { size: 20, dataCenterId: "EU-RO-1" });
  const reg = await existing("containerRegistryAuth", "ghcr", { username: "bot", password: SECRET_VALUES["fleetSecrets.registries.ghcr"] });
  await existing("secret", "hf", { value: SECRET_VALUES["fleetSecrets.secrets.hf"], description: "token" });
  const tpl = await existing("template", "trainer", {
    imageName: "ghcr.io/acme/trainer:1",
    containerRegistryAuthId: reg,
    env: { HF_TOKEN: "{{ RUNPOD_SECRET_hf }}", MODE: "offline" },
  });
  const serve = await existing("template", "serve", { imageName: "ghcr.io/acme/serve:1", isServerless: true, containerRegistryAuthId: reg });
  await existing("pod", "dev", {
    templateId: tpl,
    imageName: "ghcr.io/acme/trainer:1",
    gpuTypeIds: ["NVIDIA GeForce RTX 4090"],
    dataCenterIds: ["EU-RO-1"],
    networkVolumeId: vol,
    volumeMountPath: "/workspace",
  });
  await existing("endpoint", "api", { templateId: serve, gpuPoolIds: ["AMPERE_24"], workersMax: 2, networkVolumeIds: [vol] });
}, 120_000);

afterAll(() => stack?.close());

function discoverOptions(extra: string[]) {
  const options = parseArgs(extra, {
    RUNPOD_API_KEY: TEST_API_KEY,
    RUNPOD_API_URL: stack.emulator.url,
    RUNPOD_GRAPHQL_URL: stack.emulator.graphqlUrl,
    RUNPOD_API_VERSION: "v2",
  });
  if (options === "help") throw new Error("unexpected help");
  return options;
}

const creates = () => stack.emulator.requests().filter((r) => (r.method === "POST" && r.path !== "/graphql") || /create/i.test(r.operation ?? ""));
const writes = () => stack.emulator.requests().filter((r) => r.method !== "GET" && !(r.path === "/graphql" && /^myself/.test(r.operation ?? "")));

test("discover's fleet, deployed as printed, adopts every object without a create, and the next up is all 'same'", async () => {
  const out = await discover(discoverOptions(["--format", "fleet"]));
  const fleet = (yaml.load(out) as { config: Record<string, unknown> }).config["runpod-fleet:fleet"] as Record<string, Record<string, Record<string, unknown>>>;
  // The one edit the output asks for: Runpod never returns a registry credential's username.
  expect(out).toContain("# username: Runpod never returns it; add it here (required)");
  fleet.registries.ghcr.username = "bot";

  // The secret config the printed commands ask for, one value per command.
  const secrets: FleetSecrets = {};
  const commands = [...out.matchAll(/pulumi config set --secret --path '(fleetSecrets\.(secrets|registries)\.([a-z0-9-]+))'/g)];
  expect(commands.map((c) => c[1]).sort()).toEqual(Object.keys(SECRET_VALUES).sort());
  for (const [, configPath, section, key] of commands) {
    const s = section as keyof FleetSecrets;
    secrets[s] = { ...secrets[s], [key]: SECRET_VALUES[configPath] };
  }

  const engine = new ProgramEngine(stack.host);
  stack.emulator.clearLog();
  const steps = byStep(await engine.run(() => deployFleet(fleet, secrets)));
  expect(steps).toEqual({ create: ["api", "data", "dev-0", "ghcr", "hf", "serve", "trainer"] });
  expect(creates()).toEqual([]);
  for (const [name, id] of made) expect(engine.resources.get(name === "dev" ? "dev-0" : name)!.state!.id).toBe(id);
  expect(stack.emulator.list("pods")).toHaveLength(1);
  expect(stack.emulator.list("templates")).toHaveLength(2);
  expect(stack.emulator.list("endpoints")).toHaveLength(1);

  stack.emulator.clearLog();
  expect(Object.keys(byStep(await engine.run(() => deployFleet(fleet, secrets))))).toEqual(["same"]);
  expect(writes()).toEqual([]);
});

test("discover's TypeScript type-checks against the package and, run with the config it asks for, adopts every object", async () => {
  const out = await discover(discoverOptions([]));
  // A consumer project: the program as printed, the package and @pulumi/pulumi as installed here.
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "discover-ts-"));
  try {
    await fs.promises.symlink(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    const file = path.join(dir, "index.ts");
    await fs.promises.writeFile(file, out);
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
      types: [],
    };
    const program = ts.createProgram([file], options);
    const diagnostics = (p: ts.Program) => ts.getPreEmitDiagnostics(p).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics(program)).toEqual([]);
    // Control: the same check sees a wrong input type through the package's declarations.
    await fs.promises.writeFile(file, out.replace("size: 20,", 'size: "20",'));
    expect(diagnostics(ts.createProgram([file], options, undefined, program)).join("\n")).toMatch(/'string' is not assignable/);

    // The config the comments ask for (`pulumi config set [--secret] <key> <value>`).
    const asked = [...out.matchAll(/^\/\/ Runpod never returns the \w+: pulumi config set (--secret )?(\w+) </gm)].map((m) => [m[2], !!m[1]] as const);
    expect(asked.map(([k]) => k).sort()).toEqual(["ghcrPassword", "ghcrUsername", "hfValue"]);
    const values: Record<string, string> = {
      ghcrPassword: SECRET_VALUES["fleetSecrets.registries.ghcr"],
      ghcrUsername: "bot",
      hfValue: SECRET_VALUES["fleetSecrets.secrets.hf"],
    };
    // One file per run: a module runs once, and each `up` runs the program afresh.
    const js = ts.transpileModule(out, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    let runs = 0;
    const config = Object.fromEntries(asked.map(([k]) => [`runpod-fleet:${k}`, values[k]]));
    const secretKeys = asked.filter(([, secret]) => secret).map(([k]) => `runpod-fleet:${k}`);
    try {
      const run = () => {
        pulumi.runtime.setAllConfig(config, secretKeys);
        const copy = path.join(dir, `index-${++runs}.js`);
        fs.writeFileSync(copy, js);
        return { program: require(copy) as Record<string, pulumi.CustomResource> };
      };
      const engine = new ProgramEngine(stack.host);
      stack.emulator.clearLog();
      expect(byStep(await engine.run(run))).toEqual({ create: ["api", "data", "dev", "ghcr", "hf", "serve", "trainer"] });
      expect(creates()).toEqual([]);
      for (const [name, id] of made) expect(engine.resources.get(name)!.state!.id).toBe(id);
      stack.emulator.clearLog();
      expect(Object.keys(byStep(await engine.run(run)))).toEqual(["same"]);
      expect(writes()).toEqual([]);
    } finally {
      pulumi.runtime.setAllConfig({}, []);
    }
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
});
