import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as runpod from "pulumi-runpod-dynamic";
import { startEmulator } from "runpod-emulator";
import { captureSerializedProvider, CapturedResource, REPO_ROOT } from "./harness";
import { emulatorConfig, TEST_API_KEY } from "./support/stack";

// A program runs against one @pulumi/pulumi and one provider package. Each example is evaluated
// afresh (jest.isolateModules) so its top-level config reads see this run's config, but the
// runtime and the provider are the ones already loaded: a fresh @pulumi/pulumi per run would add
// its own process "exit" listener (the promise-leak reporter) each time, past Node's limit of ten.
jest.doMock("@pulumi/pulumi", () => pulumi);
jest.doMock("pulumi-runpod-dynamic", () => runpod);

/**
 * Program tests: each example runs under pulumi.runtime.setMocks exactly as `pulumi up` would run
 * it, and we check the resource graph it declares — kinds, the inputs that wire resources
 * together, and which inputs are secret.
 */
async function runExample(dir: string, project: string, config: Record<string, string> = {}): Promise<Record<string, CapturedResource>> {
  const entry = path.join(REPO_ROOT, "dist", "examples", dir, "index.js");
  const prefixed = Object.fromEntries(Object.entries(config).map(([k, v]) => [k.includes(":") ? k : `${project}:${k}`, v]));
  return captureSerializedProvider(
    () => {
      jest.isolateModules(() => require(entry));
    },
    {
      project,
      stack: "dev",
      config: prefixed,
      // What check's auto-naming and a template's computed revision would answer.
      outputs: (args: any) => ({
        ...args.inputs,
        name: args.inputs.name ?? `${args.name}-abc1234`,
        ...(String(args.type).endsWith(":Template") ? { revision: `${args.name}-rev` } : {}),
      }),
    },
  );
}

const type = (name: string) => `pulumi-nodejs:dynamic/runpod:${name}`;

describe("examples declare the resource graph their README describes", () => {
  test("cpu-pod: one CPU pod, started or stopped from config", async () => {
    const running = await runExample("cpu-pod", "runpod-cpu-pod");
    expect(Object.keys(running)).toEqual(["web"]);
    expect(running.web.type).toBe(type("Pod"));
    expect(running.web.inputs).toMatchObject({ computeType: "CPU", cpuFlavorIds: ["cpu3c"], desiredStatus: "RUNNING" });
    expect(running.web.inputs.gpuTypeIds).toBeUndefined();
    const stopped = await runExample("cpu-pod", "runpod-cpu-pod", { running: "false" });
    expect(stopped.web.inputs.desiredStatus).toBe("EXITED");
  });

  test("gpu-dev-pod: a protected volume, a secret, and a GPU pod mounting the one with the other in env", async () => {
    const r = await runExample("gpu-dev-pod", "runpod-gpu-dev-pod", { hfToken: "hf_example_token_1618" });
    expect(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.type]))).toEqual({
      workspace: type("NetworkVolume"),
      hf_token: type("Secret"),
      dev: type("Pod"),
    });
    expect(r.dev.inputs).toMatchObject({ networkVolumeId: "workspace-id", ports: ["8888/http", "22/tcp"], startSsh: true });
    expect(r.dev.inputs.env.HF_TOKEN).toBe("{{ RUNPOD_SECRET_hf_token-abc1234 }}");
    expect(r.hf_token.secretInputs).toContain("value");
    expect(r.dev.inputs.dataCenterIds).toEqual([r.workspace.inputs.dataCenterId]);
  });

  test("private-registry-template: registry credentials and a secret feed a template and a pod", async () => {
    const r = await runExample("private-registry-template", "runpod-private-registry-template", {
      registryPassword: "ghp_example_pw_1414",
      hfToken: "hf_example_token_1732",
    });
    expect(r.ghcr.type).toBe(type("ContainerRegistryAuth"));
    expect(r.ghcr.secretInputs).toContain("password");
    const templates = Object.values(r).filter((x) => x.type === type("Template"));
    const pods = Object.values(r).filter((x) => x.type === type("Pod"));
    expect(templates).toHaveLength(1);
    expect(pods).toHaveLength(1);
    expect(templates[0].inputs).toMatchObject({ containerRegistryAuthId: "ghcr-id", env: { HF_TOKEN: "{{ RUNPOD_SECRET_hf_token-abc1234 }}" } });
    expect(pods[0].inputs).toMatchObject({
      templateId: `${templates[0].name}-id`,
      templateRevision: `${templates[0].name}-rev`,
      containerRegistryAuthId: "ghcr-id",
    });
  });

  test.each(["v2", "v1"])("serverless-endpoint on %s: private image → serverless template → endpoint", async (wire) => {
    const r = await runExample("serverless-endpoint", "runpod-serverless-endpoint", { registryPassword: "ghp_example_pw_1732", "runpod:apiVersion": wire });
    expect(r.worker.inputs).toMatchObject({ isServerless: true, containerRegistryAuthId: "ghcr-id" });
    expect(r.inference.type).toBe(type("Endpoint"));
    expect(r.inference.inputs).toMatchObject({ templateId: "worker-id", templateRevision: "worker-rev", workersMin: 0, workersMax: 3 });
    if (wire === "v2") expect(r.inference.inputs.gpuPoolIds).toEqual(["AMPERE_24", "ADA_24"]);
    else expect(r.inference.inputs.gpuTypeIds).toEqual(["NVIDIA RTX A5000", "NVIDIA GeForce RTX 3090"]);
  });

  test.each(["v2", "v1"] as const)("cheapest-gpu on %s: the catalog's cheapest 48 GB type in stock in Europe gets the pod", async (wire) => {
    const emu = await startEmulator({ apiKey: TEST_API_KEY });
    try {
      // Each program run is a new process for the catalog: its per-process cache starts empty.
      const fresh = () => (require("pulumi-runpod-dynamic/dist/provider/catalog") as { clearCatalogCache(): void }).clearCatalogCache();
      fresh();
      const r = await runExample("cheapest-gpu", "runpod-cheapest-gpu", emulatorConfig(emu, wire));
      expect(Object.keys(r)).toEqual(["trainer"]);
      expect(r.trainer.type).toBe(type("Pod"));
      expect(r.trainer.inputs).toMatchObject({ gpuTypeIds: ["NVIDIA A40"], gpuCount: 1, cloudType: "SECURE" });
      expect(r.trainer.inputs.dataCenterIds.length).toBeGreaterThan(0);
      expect(r.trainer.inputs.dataCenterIds.every((d: string) => d.startsWith("EU"))).toBe(true);
      emu.setGpuStock("NVIDIA A40", 0);
      fresh();
      const next = await runExample("cheapest-gpu", "runpod-cheapest-gpu", emulatorConfig(emu, wire));
      expect(next.trainer.inputs.gpuTypeIds).toEqual(["NVIDIA RTX A6000"]);
    } finally {
      await emu.close();
    }
  });
});
