import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { deployFleet, FleetConfigError, validateFleet } from "../provider/fleet";
import { REPO_ROOT } from "./harness";
import { byStep, ProgramEngine } from "./support/program";
import { startStack, TestStack } from "./support/stack";

/** The problems validateFleet reports for `fleet`; fails the test unless it throws a FleetConfigError. */
function problemsOf(fleet: unknown): string[] {
  try {
    validateFleet(fleet);
  } catch (e) {
    expect(e).toBeInstanceOf(FleetConfigError);
    return (e as FleetConfigError).problems;
  }
  throw new Error("validateFleet accepted the fleet");
}

function sampleFleet(): any {
  const doc = yaml.load(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")) as any;
  return doc.config["runpod-fleet:fleet"];
}

const secrets = { secrets: { hf: "hf_fleet_test_token_3141" }, registries: { ghcr: "ghcr_fleet_test_password_2718" } };

describe("fleet config validation names the config path", () => {
  const cases: Array<[string, (f: any) => void, string]> = [
    ["a GPU count as text", (f) => (f.pods.trainer.gpuCount = "two"), "fleet.pods.trainer.gpuCount"],
    ["an unknown data centre", (f) => (f.networkVolumes.datasets.dataCenterId = "MARS-1"), "fleet.networkVolumes.datasets.dataCenterId"],
    ["a reference to a missing template", (f) => (f.pods.notebook.template = "nope"), "fleet.pods.notebook.template"],
    ["a secret env entry naming no secret", (f) => (f.templates.trainer.env.HF_TOKEN = { secret: "nope" }), "fleet.templates.trainer.env.HF_TOKEN"],
    ["a registry password in the fleet", (f) => (f.registries.ghcr.password = "plaintext"), "fleet.registries.ghcr.password"],
    ["a negative count", (f) => (f.pods.trainer.count = -1), "fleet.pods.trainer.count"],
    ["an unknown key", (f) => (f.pods.trainer.gpus = 2), "fleet.pods.trainer"],
    ["an unknown section", (f) => (f.clusters = {}), "fleet"],
    ["a reference and an id together", (f) => (f.pods.notebook.templateId = "abc123"), "fleet.pods.notebook.template"],
    ["a template revision written in the fleet (the fleet wires it)", (f) => (f.pods.trainer.templateRevision = "0123456789abcdef"), "fleet.pods.trainer"],
    ["a pod group adopting one object several times", (f) => (f.pods.trainer.adoptId = "abc123"), "fleet.pods.trainer.count"],
  ];
  test.each(cases)("%s", (_label, edit, where) => {
    const fleet = sampleFleet();
    edit(fleet);
    expect(problemsOf(fleet).some((p) => p.startsWith(where))).toBe(true);
  });

  test("one object adopted by two entries of a section is refused, naming both paths", () => {
    const fleet = sampleFleet();
    fleet.templates.trainer.adoptId = "tpl123";
    fleet.templates.worker.adoptId = "tpl123";
    expect(problemsOf(fleet)).toEqual(["fleet.templates.worker.adoptId: fleet.templates.trainer.adoptId adopts the same object"]);
  });

  test("adoptId with a count of 0 or 1, and equal ids in different sections, are valid", () => {
    const fleet = sampleFleet();
    fleet.pods.trainer.adoptId = "abc123";
    fleet.pods.trainer.count = 1;
    fleet.pods.notebook.adoptId = "def456";
    fleet.pods.notebook.count = 0;
    fleet.networkVolumes.datasets.adoptId = "abc123";
    expect(() => validateFleet(fleet)).not.toThrow();
  });

  test("the committed sample is valid", () => {
    expect(() => validateFleet(sampleFleet())).not.toThrow();
  });
});

describe("a GitOps pipeline converges the sample fleet, then changes YAML only", () => {
  let stack: TestStack;
  let engine: ProgramEngine;
  beforeAll(async () => {
    stack = await startStack({ wire: "v2", emulator: { podReadyAfterPolls: 1 } });
    engine = new ProgramEngine(stack.host);
  });
  afterAll(() => stack?.close());

  const mutations = () => stack.emulator.requests().filter((r) => r.method !== "GET");

  test("first up creates the whole fleet", async () => {
    const steps = byStep(await engine.run(() => deployFleet(sampleFleet(), secrets)));
    expect(steps).toEqual({
      create: ["datasets", "ghcr", "hf", "inference", "notebook-0", "trainer", "trainer-0", "trainer-1", "worker"],
    });
    expect(stack.emulator.list("pods")).toHaveLength(3);
    expect(
      stack.emulator
        .list("templates")
        .map((t: any) => t.name)
        .sort(),
    ).toEqual([expect.stringMatching(/^trainer-/), expect.stringMatching(/^worker-/)]);
    expect(stack.emulator.list("endpoints")).toHaveLength(1);
  });

  test("an unchanged fleet is all 'same' and sends no mutation", async () => {
    stack.emulator.clearLog();
    const steps = byStep(await engine.run(() => deployFleet(sampleFleet(), secrets)));
    expect(Object.keys(steps)).toEqual(["same"]);
    expect(mutations()).toEqual([]);
  });

  test("scale 2→3, roll an image, move a pod to another GPU: one create, the template and its pods updated in place, one replacement", async () => {
    const edited = sampleFleet();
    edited.pods.trainer.count = 3;
    edited.templates.trainer.imageName = "ghcr.io/acme/trainer:1.5.0";
    edited.pods.notebook.gpuTypeIds = ["NVIDIA L4"];

    stack.emulator.clearLog();
    const planned = byStep(await engine.run(() => deployFleet(edited, secrets), { preview: true }));
    expect(mutations()).toEqual([]); // preview changes nothing
    // Runpod applies a template only at create: the existing trainer pods get the new image by
    // an in-place update (templateRevision), so the fleet never runs mixed versions.
    const expected = {
      create: ["trainer-2"],
      update: ["trainer", "trainer-0", "trainer-1"],
      replace: ["notebook-0"],
      same: ["datasets", "ghcr", "hf", "inference", "worker"],
    };
    expect(planned).toEqual(expected);

    const oldNotebook = engine.resources.get("notebook-0")!.state!.id;
    const applied = byStep(await engine.run(() => deployFleet(edited, secrets)));
    expect(applied).toEqual(expected);
    const pods = stack.emulator.list("pods") as any[];
    expect(pods).toHaveLength(4);
    expect(pods.map((p) => p.id)).not.toContain(oldNotebook);
    const trainerTemplate = stack.emulator.get("templates", engine.resources.get("trainer")!.state!.id) as any;
    expect(trainerTemplate.image ?? trainerTemplate.imageName).toBe("ghcr.io/acme/trainer:1.5.0");
    expect(pods.map((p) => p.image)).toEqual(pods.map(() => "ghcr.io/acme/trainer:1.5.0"));
  });

  test("rolling a template's image updates it and every pod built from it in place (N + 1 updates), and the pods report the new image", async () => {
    const rolled = sampleFleet();
    rolled.pods.trainer.count = 3;
    rolled.pods.notebook.gpuTypeIds = ["NVIDIA L4"];
    rolled.templates.trainer.imageName = "ghcr.io/acme/trainer:1.6.0";
    const podIds = ["notebook-0", "trainer-0", "trainer-1", "trainer-2"].map((n) => engine.resources.get(n)!.state!.id);
    // The template starts JupyterLab (v2's default), so Runpod injected a password at create.
    const jupyterPasswords = podIds.map((id) => (stack.emulator.get("pods", id) as any).env.JUPYTER_PASSWORD);
    expect(jupyterPasswords.every((p) => typeof p === "string" && p.length > 0)).toBe(true);
    const expected = { update: ["notebook-0", "trainer", "trainer-0", "trainer-1", "trainer-2"], same: ["datasets", "ghcr", "hf", "inference", "worker"] };

    stack.emulator.clearLog();
    expect(byStep(await engine.run(() => deployFleet(rolled, secrets), { preview: true }))).toEqual(expected);
    expect(mutations()).toEqual([]);
    expect(byStep(await engine.run(() => deployFleet(rolled, secrets)))).toEqual(expected);

    // In place: the same pods, no create, no delete, one PATCH per pod and one for the template.
    const sent = mutations().map((r) => `${r.method} ${r.path.replace(/\/[^/]+$/, "/{id}")}`);
    expect(sent.sort()).toEqual(["PATCH /v2/pods/{id}", "PATCH /v2/pods/{id}", "PATCH /v2/pods/{id}", "PATCH /v2/pods/{id}", "PATCH /v2/templates/{id}"]);
    for (const [i, name] of ["notebook-0", "trainer-0", "trainer-1", "trainer-2"].entries()) {
      const state = engine.resources.get(name)!.state!;
      expect(state.id).toBe(podIds[i]);
      expect(state.outputs.image).toBe("ghcr.io/acme/trainer:1.6.0");
      const pod = stack.emulator.get("pods", state.id) as any;
      expect(pod.image).toBe("ghcr.io/acme/trainer:1.6.0");
      // The rest of the template still applies, the secret reference included, and the variable
      // Runpod injected at create survives the re-applied env.
      expect(pod.env).toEqual({
        HF_TOKEN: expect.stringMatching(/^\{\{ RUNPOD_SECRET_hf-/),
        WANDB_MODE: "offline",
        JUPYTER_PASSWORD: jupyterPasswords[i],
      });
      expect(pod.status).toBe("RUNNING");
    }

    stack.emulator.clearLog();
    expect(Object.keys(byStep(await engine.run(() => deployFleet(rolled, secrets))))).toEqual(["same"]);
    expect(mutations()).toEqual([]);
  });

  test("rolling a serverless template's image updates it and the endpoint built from it in place", async () => {
    const rolled = sampleFleet();
    rolled.pods.trainer.count = 3;
    rolled.pods.notebook.gpuTypeIds = ["NVIDIA L4"];
    rolled.templates.trainer.imageName = "ghcr.io/acme/trainer:1.6.0";
    rolled.templates.worker.imageName = "ghcr.io/acme/worker:2.2.0";
    const endpointId = engine.resources.get("inference")!.state!.id;

    stack.emulator.clearLog();
    const applied = byStep(await engine.run(() => deployFleet(rolled, secrets)));
    expect(applied.update).toEqual(["inference", "worker"]);
    expect(applied.create ?? []).toEqual([]);
    expect(applied.replace ?? []).toEqual([]);
    expect(engine.resources.get("inference")!.state!.id).toBe(endpointId);
    const endpoint = stack.emulator.get("endpoints", endpointId) as any;
    expect(endpoint.image).toBe("ghcr.io/acme/worker:2.2.0");
    expect(engine.resources.get("inference")!.state!.outputs.imageName).toBe("ghcr.io/acme/worker:2.2.0");
  });
});

describe("the root program (index.ts) under mocks", () => {
  test("reads the fleet from stack config and registers every resource with its dependencies", async () => {
    const { captureSerializedProvider } = await import("./harness");
    const captured = await captureSerializedProvider(() => require(path.join(REPO_ROOT, "dist", "index.js")), {
      project: "runpod-fleet",
      stack: "dev",
      config: {
        "runpod-fleet:fleet": JSON.stringify(sampleFleet()),
        "runpod-fleet:fleetSecrets": JSON.stringify(secrets),
      },
      // What check's auto-naming would answer.
      outputs: (args: any) => ({ ...args.inputs, name: args.inputs.name ?? `${args.name}-abc1234` }),
    });
    expect(Object.keys(captured).sort()).toEqual(["datasets", "ghcr", "hf", "inference", "notebook-0", "trainer", "trainer-0", "trainer-1", "worker"]);
    expect(captured["trainer-0"].type).toBe("pulumi-nodejs:dynamic/runpod:Pod");
    expect(captured["trainer-0"].inputs).toMatchObject({ templateId: "trainer-id", networkVolumeId: "datasets-id", gpuTypeIds: ["NVIDIA A40"] });
    expect(captured["trainer"].inputs.env).toEqual({ HF_TOKEN: "{{ RUNPOD_SECRET_hf-abc1234 }}", WANDB_MODE: "offline" });
    expect(captured["hf"].secretInputs).toContain("value");
    expect(captured["ghcr"].secretInputs).toContain("password");
  });
});
