/**
 * Template rolls through the real dynamic-provider host against the emulator, on both REST wires.
 * Runpod applies a template to a pod or endpoint only at create; a program that passes the
 * template's `revision` as `templateRevision` gets the rolled template re-applied in place, its
 * own inputs on top.
 */
import { startStack, TestStack, Wire } from "./support/stack";
import { EngineResource } from "./harness";

const IMAGE_A = "ghcr.io/acme/app:1.0.0";
const IMAGE_B = "ghcr.io/acme/app:1.1.0";

/** Pod template inputs with the wire's names for the same container. */
function podTemplate(image: string, templateOnly: string): Record<string, unknown> {
  return { imageName: image, containerDiskInGb: 20, ports: ["8888/http"], env: { TEMPLATE_ONLY: templateOnly, SHARED: "from-template" } };
}

/** Requests that change something, as "METHOD /path" with ids replaced. */
function mutations(stack: TestStack): string[] {
  return stack.emulator
    .requests()
    .filter((r: any) => r.method !== "GET")
    .map(
      (r: any) =>
        `${r.method} ${String(r.path)
          .split("?")[0]
          .replace(/\/(pods|templates|serverless|endpoints)\/[^/]+/, "/$1/{id}")}`,
    );
}

/**
 * `pulumi refresh`, then what the next `up` would do: a refresh rewrites the recorded inputs from
 * what Runpod reports, so only the outputs and the next plan say whether anything moved.
 */
async function refreshThenPlan(r: EngineResource, inputs: Record<string, unknown>): Promise<string> {
  const before = r.state!.outputs;
  const refreshed = await r.refresh();
  expect(refreshed.outcome).not.toBe("deleted");
  expect(r.state!.outputs.revision).toBe(before.revision);
  expect(r.state!.outputs.templateRevision).toBe(before.templateRevision);
  return (await r.preview(inputs)).op;
}

/** The env a pod holds, without what Runpod injects at create (v2 templates start JupyterLab). */
function ownEnv(env: Record<string, string>): Record<string, string> {
  const { JUPYTER_PASSWORD: _j, PUBLIC_KEY: _k, ...rest } = env;
  return rest;
}

describe.each<Wire>(["v2", "v1"])("template rolls reach pods on REST %s", (wire) => {
  let stack: TestStack;
  let template: EngineResource;
  let pod: EngineResource;
  beforeAll(async () => {
    stack = await startStack({ wire });
    template = await stack.resource("template", "app");
    pod = await stack.resource("pod", "app-pod");
  });
  afterAll(() => stack?.close());

  const podInputs = () => ({
    templateId: template.state!.id,
    templateRevision: template.state!.outputs.revision,
    gpuTypeIds: ["NVIDIA GeForce RTX 4090"],
    // The pod's own container inputs: they stay on top of every template revision.
    containerDiskInGb: 30,
    env: { SHARED: "from-pod", POD_ONLY: "x" },
  });

  test("a pod made from a template records its revision", async () => {
    await template.up(podTemplate(IMAGE_A, "one"));
    const revision = template.state!.outputs.revision;
    expect(revision).toMatch(/^[0-9a-f]{16}$/);

    expect((await pod.up(podInputs())).op).toBe("create");
    expect(pod.state!.outputs.templateRevision).toBe(revision);
    const live = stack.emulator.get("pods", pod.state!.id) as any;
    expect(live.image).toBe(IMAGE_A);
    expect(live.disk).toBe(30);
    expect(ownEnv(live.env)).toEqual({ TEMPLATE_ONLY: "one", SHARED: "from-pod", POD_ONLY: "x" });
    // Only the keys the program sets are read back: the template's own are not a diff.
    expect(pod.state!.outputs.env).toEqual({ SHARED: "from-pod", POD_ONLY: "x" });
    expect((await pod.up(podInputs())).op).toBe("same");
  });

  test("the revision ignores what is not applied to pods, and a refresh never moves it", async () => {
    const before = template.state!.outputs.revision;
    expect((await template.up({ ...podTemplate(IMAGE_A, "one"), name: `app-renamed-${wire}`, isPublic: false })).op).toBe("update");
    expect(template.state!.outputs.revision).toBe(before);
    expect(await refreshThenPlan(template, { ...podTemplate(IMAGE_A, "one"), name: `app-renamed-${wire}`, isPublic: false })).toBe("same");
    expect(template.state!.outputs.revision).toBe(before);

    stack.emulator.clearLog();
    expect((await pod.up(podInputs())).op).toBe("same");
    expect(await refreshThenPlan(pod, podInputs())).toBe("same");
    expect(mutations(stack)).toEqual([]);
  });

  test("a new revision updates the pod in place with the template under the pod's own inputs", async () => {
    const podId = pod.state!.id;
    await template.up({ ...podTemplate(IMAGE_B, "two"), name: `app-renamed-${wire}` });
    expect(template.state!.outputs.revision).not.toBe(pod.state!.outputs.templateRevision);

    const planned = await pod.preview(podInputs());
    expect(planned.op).toBe("update");
    expect(planned.diff!.replaces).toEqual([]);

    stack.emulator.clearLog();
    const rolled = await pod.up(podInputs());
    expect(rolled.op).toBe("update");
    expect(pod.state!.id).toBe(podId);
    // One update of the pod, nothing created or deleted.
    expect(mutations(stack)).toEqual(["PATCH /" + wire + "/pods/{id}"]);
    const live = stack.emulator.get("pods", podId) as any;
    expect(live.image).toBe(IMAGE_B);
    expect(live.disk).toBe(30);
    expect(ownEnv(live.env)).toEqual({ TEMPLATE_ONLY: "two", SHARED: "from-pod", POD_ONLY: "x" });
    expect(live.status).toBe("RUNNING");
    expect(pod.state!.outputs).toMatchObject({
      image: IMAGE_B,
      status: "RUNNING",
      templateRevision: template.state!.outputs.revision,
      env: { SHARED: "from-pod", POD_ONLY: "x" },
    });

    stack.emulator.clearLog();
    expect((await pod.up(podInputs())).op).toBe("same");
    expect(await refreshThenPlan(pod, podInputs())).toBe("same");
    expect(mutations(stack)).toEqual([]);
  });

  test("templateRevision without templateId fails check, naming the property", async () => {
    const failures = await stack.check("pod", {
      gpuTypeIds: ["NVIDIA GeForce RTX 4090"],
      imageName: IMAGE_A,
      templateRevision: "0123456789abcdef",
      __autonamePrefix: "p",
    });
    expect(failures.map((f) => f.property)).toEqual(["templateRevision"]);
    expect(failures[0].reason).toMatch(/^templateRevision: needs templateId/);
    const endpointFailures = await stack.check("endpoint", {
      ...(wire === "v2" ? { imageName: IMAGE_A, gpuPoolIds: ["AMPERE_24"] } : { gpuTypeIds: ["NVIDIA RTX A5000"] }),
      templateRevision: "0123456789abcdef",
      __autonamePrefix: "e",
    });
    expect(endpointFailures.map((f) => f.property)).toContain("templateRevision");
  });

  test("destroy", async () => {
    await pod.destroy();
    await template.destroy();
    expect(stack.emulator.list("pods")).toEqual([]);
  });
});

describe.each<Wire>(["v2", "v1"])("template rolls reach endpoints on REST %s", (wire) => {
  let stack: TestStack;
  let template: EngineResource;
  let endpoint: EngineResource;
  beforeAll(async () => {
    stack = await startStack({ wire });
    template = await stack.resource("template", "worker");
    endpoint = await stack.resource("endpoint", "inference");
  });
  afterAll(() => stack?.close());

  const workerTemplate = (image: string) => ({
    imageName: image,
    isServerless: true,
    containerDiskInGb: 20,
    env: { TEMPLATE_ONLY: image, SHARED: "from-template" },
  });
  const endpointInputs = () => ({
    templateId: template.state!.id,
    templateRevision: template.state!.outputs.revision,
    workersMin: 0,
    workersMax: 2,
    // v2 endpoints hold their own container fields: the program's stay on top.
    ...(wire === "v2" ? { gpuPoolIds: ["AMPERE_24"], env: { SHARED: "from-endpoint" } } : { gpuTypeIds: ["NVIDIA RTX A5000"] }),
  });

  test("a new revision reaches the endpoint in place, as a new release", async () => {
    await template.up(workerTemplate(IMAGE_A));
    expect((await endpoint.up(endpointInputs())).op).toBe("create");
    const id = endpoint.state!.id;
    const version = endpoint.state!.outputs.version as number;
    expect((stack.emulator.get("endpoints", id) as any).image).toBe(IMAGE_A);

    stack.emulator.clearLog();
    await template.up(workerTemplate(IMAGE_B));
    const planned = await endpoint.preview(endpointInputs());
    expect(planned.op).toBe("update");
    expect(planned.diff!.replaces).toEqual([]);
    expect((await endpoint.up(endpointInputs())).op).toBe("update");
    expect(endpoint.state!.id).toBe(id);

    const live = stack.emulator.get("endpoints", id) as any;
    expect(live.image).toBe(IMAGE_B);
    expect(endpoint.state!.outputs.version).toBeGreaterThan(version);
    if (wire === "v2") {
      // One PATCH of the template and one of the endpoint: the template re-applied, env merged per key.
      expect(mutations(stack)).toEqual(["PATCH /v2/templates/{id}", "PATCH /v2/serverless/{id}"]);
      expect(live.env).toEqual({ TEMPLATE_ONLY: IMAGE_B, SHARED: "from-endpoint" });
      expect(endpoint.state!.outputs).toMatchObject({ imageName: IMAGE_B, env: { SHARED: "from-endpoint" } });
    } else {
      // REST v1 rolls a template edit out to its endpoints itself: the endpoint's update sends nothing.
      expect(mutations(stack)).toEqual(["PATCH /v1/templates/{id}"]);
      expect(live.env).toEqual({ TEMPLATE_ONLY: IMAGE_B, SHARED: "from-template" });
    }
    expect(endpoint.state!.outputs.templateRevision).toBe(template.state!.outputs.revision);

    stack.emulator.clearLog();
    expect((await endpoint.up(endpointInputs())).op).toBe("same");
    expect(await refreshThenPlan(endpoint, endpointInputs())).toBe("same");
    expect(mutations(stack)).toEqual([]);
  });

  test("destroy", async () => {
    await endpoint.destroy();
    await template.destroy();
    expect(stack.emulator.list("endpoints")).toEqual([]);
  });
});
