import { beyondCatalogReads, outOfBand, startStack, TestStack, Wire } from "./support/stack";
import { EngineOpError } from "./harness";

/**
 * Pods, engine-faithful: the real dynamic-provider host driven over gRPC the way `pulumi
 * preview/up/refresh/import/destroy` drives it, against the emulator. No sleeps: readiness is
 * driven by the emulator's per-GET polling hook with a 10 ms poll interval.
 */

const pods = (stack: TestStack) => stack.emulator.list("pods");
const pod = (stack: TestStack, id: string) => stack.emulator.get("pods", id);

const RTX_4090 = "NVIDIA GeForce RTX 4090";
const A40 = "NVIDIA A40";

describe.each<Wire>(["v2", "v1"])("Pod on REST %s", (wire) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire, emulator: { podReadyAfterPolls: 2 } });
  });
  afterAll(() => stack?.close());
  afterEach(() => {
    stack.emulator.faults.clear();
    stack.emulator.configure({ podReadyAfterPolls: 2 });
  });

  const gpuPod = {
    imageName: "runpod/pytorch:2.4.0-py3.11-cuda12.4.1",
    gpuTypeIds: [RTX_4090],
    containerDiskInGb: 20,
    ports: ["8888/http", "22/tcp"],
    env: { MODE: "dev" },
  };

  test("GPU pod: create → ready, image in place, stop and start, drift on refresh, GPU type replaces, import, destroy", async () => {
    const res = await stack.resource("pod", "trainer");

    const plan = await res.preview(gpuPod);
    expect(plan.op).toBe("create");
    expect(beyondCatalogReads(stack.emulator)).toEqual([]); // check reads only the catalog

    // Create waits until the pod runs with its SSH port mapped.
    expect((await res.up(gpuPod)).op).toBe("create");
    const id = res.state!.id;
    const outs = res.state!.outputs;
    expect(outs).toMatchObject({
      desiredStatus: "RUNNING",
      status: "RUNNING",
      image: gpuPod.imageName,
      gpuCount: 1,
      gpuTypeId: RTX_4090,
      gpuDisplayName: "RTX 4090",
      costPerHr: 0.69,
      adjustedCostPerHr: 0.69,
    });
    expect(outs.name).toMatch(/^trainer-[0-9a-f]{7}$/);
    expect(outs.publicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(outs.portMappings["22"]).toEqual(expect.any(Number));
    expect(outs.sshCommand).toContain(outs.publicIp);
    expect(outs.dataCenterId).toEqual(expect.any(String));
    expect(outs.lastStartedAt).toEqual(expect.any(String));
    expect(pods(stack)).toEqual([expect.objectContaining({ id, status: "RUNNING", gpuTypeId: RTX_4090 })]);
    const getsBeforeReady = stack.emulator.requests().filter((r) => r.method === "GET" && r.path.includes(id)).length;
    expect(getsBeforeReady).toBeGreaterThanOrEqual(2); // polled until the emulator made it RUNNING

    expect((await res.preview(gpuPod)).op).toBe("same");

    // Image change: in place, same pod, ready again afterwards.
    const newImage = { ...gpuPod, imageName: "runpod/pytorch:2.5.0-py3.11-cuda12.4.1" };
    const imageUp = await res.up(newImage);
    expect(imageUp.op).toBe("update");
    expect(imageUp.diff!.replaces).toEqual([]);
    expect(res.state!.id).toBe(id);
    expect(pod(stack, id)).toMatchObject({ image: newImage.imageName, status: "RUNNING" });
    expect(res.state!.outputs).toMatchObject({ imageName: newImage.imageName, status: "RUNNING" });

    // Stop and start: the same pod, never a replacement.
    const stopped = await res.up({ ...newImage, desiredStatus: "EXITED" });
    expect(stopped.op).toBe("update");
    expect(res.state!.id).toBe(id);
    expect(pod(stack, id)!.status).toBe("EXITED");
    expect(res.state!.outputs).toMatchObject({ desiredStatus: "EXITED", status: "EXITED", costPerHr: 0 });
    expect(res.state!.outputs.publicIp).toBeUndefined();
    const started = await res.up(newImage);
    expect(started.op).toBe("update");
    expect(res.state!.id).toBe(id);
    expect(pod(stack, id)!.status).toBe("RUNNING");
    expect(res.state!.outputs).toMatchObject({ desiredStatus: "RUNNING", status: "RUNNING" });
    expect(res.state!.outputs.portMappings["22"]).toEqual(expect.any(Number));

    // Stopped outside Pulumi: refresh shows it, the next preview proposes the start.
    stack.emulator.setPodStatus(id, "EXITED");
    expect((await res.refresh()).outcome).toBe("changed");
    expect(res.state!.outputs).toMatchObject({ desiredStatus: "EXITED", status: "EXITED" });
    const restart = await res.preview(newImage);
    expect(restart.op).toBe("update");
    expect(restart.diff!.replaces).toEqual([]);
    await res.up(newImage);
    expect(pod(stack, id)!.status).toBe("RUNNING");

    // Changed outside Pulumi: refresh shows the console's image; the next up puts ours back.
    await outOfBand(stack, "PATCH", `/pods/${id}`, wire === "v2" ? { image: "someone/else:1" } : { imageName: "someone/else:1" });
    stack.emulator.setPodStatus(id, "RUNNING");
    await res.refresh();
    expect(res.state!.outputs.imageName).toBe("someone/else:1");
    expect((await res.preview(newImage)).op).toBe("update");
    await res.up(newImage);
    expect(pod(stack, id)!.image).toBe(newImage.imageName);

    // Adding a fallback GPU type the pod already satisfies is no replacement (v1 only: v2 takes one type).
    if (wire === "v1") {
      const widened = await res.preview({ ...newImage, gpuTypeIds: [RTX_4090, A40] });
      expect(widened.diff!.replaces).toEqual([]);
    }

    // GPU type change replaces: a new pod, the old one terminated.
    const onA40 = { ...newImage, gpuTypeIds: [A40] };
    const replace = await res.preview(onA40);
    expect(replace.op).toBe("replace");
    expect(replace.diff!.replaces).toEqual(["gpuTypeIds"]);
    await res.up(onA40);
    const newId = res.state!.id;
    expect(newId).not.toBe(id);
    expect(pods(stack).map((p) => p.id)).toEqual([newId]);
    expect(res.state!.outputs).toMatchObject({ gpuTypeId: A40, gpuDisplayName: "A40", status: "RUNNING" });

    // Import by id into a fresh state: clean when the program matches what Runpod reports.
    const imported = await stack.resource("pod", "trainer-imported");
    const imp = await imported.import(newId, { ...onA40, name: res.state!.outputs.name });
    expect(imp.checkFailures).toEqual([]);
    expect(imp.diff?.replaces ?? []).toEqual([]);
    expect(imp.changes).toBe("none");
    expect(imp.imported).toBe(true);
    expect(imported.state!.outputs).toMatchObject({ gpuTypeIds: [A40], status: "RUNNING", desiredStatus: "RUNNING" });

    await res.destroy();
    expect(pods(stack)).toEqual([]);
  });

  test("terminated outside Pulumi: refresh drops it, destroy of a gone pod succeeds", async () => {
    const res = await stack.resource("pod", "ephemeral");
    await res.up(gpuPod);
    const id = res.state!.id;
    const stale = res.state!;
    await outOfBand(stack, "DELETE", `/pods/${id}`);
    expect((await res.refresh()).outcome).toBe("deleted");
    expect(res.state).toBeUndefined();
    expect((await res.preview(gpuPod)).op).toBe("create"); // the next up re-creates it
    res.state = stale;
    await expect(res.destroy()).resolves.toBeDefined();
  });

  test("ready timeout: the error carries the id, the pod stays in Runpod and in state", async () => {
    stack.emulator.configure({ podReadyAfterPolls: 1_000_000 });
    const res = await stack.resource("pod", "slow");
    const error = await res.up({ ...gpuPod, readyTimeoutSeconds: 0.2 }).catch((e) => e);
    expect(error).toBeInstanceOf(EngineOpError);
    expect(error.message).toMatch(/was still waiting for .* after 0\.2 s/);
    const failure = (error as EngineOpError).initFailure!;
    expect(failure.id).toEqual(expect.any(String));
    expect(error.message).toContain(failure.id);
    expect(pod(stack, failure.id)).toBeDefined();
    expect(res.state!.id).toBe(failure.id);
    expect(res.state!.outputs).toMatchObject({ status: expect.stringMatching(/PROVISIONING|STARTING/), imageName: gpuPod.imageName });
    expect(res.state!.outputs.__provider).toBe(res.providerText); // the kept state can still be deleted

    // Once Runpod catches up, a refresh sees it running; destroy terminates it.
    stack.emulator.setPodStatus(failure.id, "RUNNING");
    await res.refresh();
    expect(res.state!.outputs.status).toBe("RUNNING");
    await res.destroy();
    expect(pods(stack)).toEqual([]);
  });

  test("a failed start is a ResourceInitError too, and the next up starts the pod again", async () => {
    stack.emulator.failPodStart("next");
    const res = await stack.resource("pod", "crashy");
    const error = await res.up(gpuPod).catch((e) => e);
    expect(error).toBeInstanceOf(EngineOpError);
    expect(error.message).toMatch(wire === "v2" ? /ERROR/ : /EXITED/);
    const id = error.initFailure.id;
    expect(res.state!.id).toBe(id);
    expect(res.state!.outputs.desiredStatus).toBe("EXITED");
    expect((await res.preview(gpuPod)).op).toBe("update");
    await res.up(gpuPod);
    expect(res.state!.id).toBe(id);
    expect(pod(stack, id)!.status).toBe("RUNNING");
    await res.destroy();
  });

  test("no capacity: a clear error naming the GPU types and data centres tried, nothing created", async () => {
    stack.emulator.setGpuStock(A40, 0);
    try {
      const res = await stack.resource("pod", "unlucky");
      const error = await res.up({ ...gpuPod, gpuTypeIds: [A40], dataCenterIds: ["EU-RO-1", "US-TX-3"] }).catch((e) => e);
      expect(error).toBeInstanceOf(EngineOpError);
      expect(error.message).toMatch(/no capacity/);
      expect(error.message).toContain(A40);
      expect(error.message).toContain("EU-RO-1, US-TX-3");
      expect(error.initFailure).toBeUndefined();
      expect(res.state).toBeUndefined();
      expect(pods(stack)).toEqual([]);
    } finally {
      stack.emulator.setGpuStock(A40, null);
    }
  });

  test("no GPU free when starting a stopped pod: a clear error, recorded as stopped, started by a later up", async () => {
    const res = await stack.resource("pod", "zero-gpus");
    await res.up({ ...gpuPod, desiredStatus: "EXITED" });
    const id = res.state!.id;
    stack.emulator.setGpuStock(RTX_4090, 0);
    try {
      const error = await res.up(gpuPod).catch((e) => e);
      expect(error).toBeInstanceOf(EngineOpError);
      expect(error.message).toMatch(new RegExp(`cannot start pod ${id}: Runpod has no capacity for 1 × GPU type ${RTX_4090}`));
      expect(error.initFailure.id).toBe(id);
      expect(res.state!.outputs).toMatchObject({ desiredStatus: "EXITED", status: "EXITED" });
    } finally {
      stack.emulator.setGpuStock(RTX_4090, null);
    }
    expect((await res.preview(gpuPod)).op).toBe("update");
    await res.up(gpuPod);
    expect(res.state!.id).toBe(id);
    expect(pod(stack, id)!.status).toBe("RUNNING");
    await res.destroy();
  });

  test("CPU pod lifecycle: create, stop, start, vCPU change replaces, destroy", async () => {
    const cpuPod = { imageName: "ubuntu:24.04", computeType: "CPU", cpuFlavorIds: ["cpu3c"], vcpuCount: 4, ports: ["22/tcp"] };
    const res = await stack.resource("pod", "worker");
    await res.up(cpuPod);
    const id = res.state!.id;
    expect(res.state!.outputs).toMatchObject({ computeType: "CPU", cpuFlavorId: "cpu3c", vcpuCount: 4, status: "RUNNING" });
    expect(res.state!.outputs.memoryInGb).toBeGreaterThan(0);
    expect(res.state!.outputs.costPerHr).toBeGreaterThan(0);
    expect(pod(stack, id)).toMatchObject({ computeType: "CPU", vcpuCount: 4 });

    await res.up({ ...cpuPod, desiredStatus: "EXITED" });
    expect(pod(stack, id)!.status).toBe("EXITED");
    await res.up(cpuPod);
    expect(pod(stack, id)!.status).toBe("RUNNING");
    expect(res.state!.id).toBe(id);

    const bigger = await res.preview({ ...cpuPod, vcpuCount: 8 });
    expect(bigger.op).toBe("replace");
    expect(bigger.diff!.replaces).toEqual(["vcpuCount"]);
    await res.up({ ...cpuPod, vcpuCount: 8 });
    expect(pods(stack)).toEqual([expect.objectContaining({ id: res.state!.id, vcpuCount: 8 })]);
    await res.destroy();
    expect(pods(stack)).toEqual([]);
  });

  test("every field the wire takes goes out in a spec-conforming body, and nothing drifts after the create", async () => {
    const registry = await stack.resource("containerRegistryAuth", "ghcr");
    await registry.up({ name: `ghcr-${wire}`, username: "bot", password: "registry-password-123" });
    const common = {
      imageName: "runpod/pytorch:2.4.0",
      gpuTypeIds: [RTX_4090],
      gpuCount: 1,
      cloudType: "SECURE",
      dataCenterIds: ["EU-RO-1", "US-TX-3"],
      containerDiskInGb: 30,
      volumeInGb: 40,
      volumeMountPath: "/data",
      containerRegistryAuthId: registry.state!.id,
      env: { A: "1", QUOTED: 'it\'s "fine"' },
      ports: ["8888/http", "22/tcp", "6006/http"],
      dockerStartCmd: ["python", "-m", "http.server", "--bind", "0.0.0.0"],
      globalNetworking: true,
      locked: false,
    };
    const everything =
      wire === "v2"
        ? { ...common, minCudaVersion: "12.4", startSsh: true, startJupyter: true }
        : {
            ...common,
            dockerEntrypoint: ["bash", "-c"],
            dockerStartCmd: ["echo ready && sleep infinity"],
            allowedCudaVersions: ["12.8", "12.6", "12.4"],
            gpuTypePriority: "custom",
            dataCenterPriority: "custom",
            countryCodes: ["RO", "US"],
            minRAMPerGPU: 16,
            minVCPUPerGPU: 4,
            minDiskBandwidthMBps: 100,
            minDownloadMbps: 100,
            minUploadMbps: 50,
          };
    const res = await stack.resource("pod", "everything");
    stack.emulator.clearLog();
    await res.up(everything);
    const create = stack.emulator.requests().find((r) => r.method === "POST" && r.path.endsWith("/pods"));
    expect(create).toMatchObject({ status: 201 });
    expect(stack.emulator.requests().filter((r) => r.status >= 400)).toEqual([]);
    const id = res.state!.id;
    expect(pod(stack, id)).toMatchObject({ volumeInGb: 40, volumeMountPath: "/data", globalNetworking: true, registryId: registry.state!.id });
    expect(pod(stack, id)!.env).toMatchObject({ A: "1", QUOTED: 'it\'s "fine"' });
    if (wire === "v2") expect(pod(stack, id)!.env.JUPYTER_PASSWORD).toEqual(expect.any(String)); // injected by startJupyter…
    expect(res.state!.outputs.env).toEqual(everything.env); // …but not read back as the program's env

    // Nothing drifts: a refresh and the next preview see no change.
    await res.refresh();
    expect((await res.preview(everything)).op).toBe("same");

    // A start command with shell-special words survives the round trip (v2: one `args` string).
    const quoted = { ...everything, dockerStartCmd: ["sh", "-c", "echo 'a b' && exec \"$0\""] };
    await res.up(quoted);
    await res.refresh();
    expect(res.state!.outputs.dockerStartCmd).toEqual(quoted.dockerStartCmd);
    expect((await res.preview(quoted)).op).toBe("same");

    await res.destroy();
    await registry.destroy();
    expect(pods(stack)).toEqual([]);
  });

  test("a lost create response: exactly one pod exists and it is in state", async () => {
    stack.emulator.clearLog();
    stack.emulator.faults.set({ loseCreateResponses: 1 });
    const res = await stack.resource("pod", "lost-response");
    await res.up(gpuPod);
    const all = pods(stack);
    expect(all).toHaveLength(1);
    expect(all[0].id).toBe(res.state!.id);
    expect(res.state!.outputs.status).toBe("RUNNING");
    const creates = stack.emulator.requests().filter((r) => r.method === "POST" && r.path.endsWith("/pods"));
    expect(creates).toEqual([expect.objectContaining({ fault: "lost-response" })]); // recovered by lookup, never re-sent
    await res.destroy();
    expect(pods(stack)).toEqual([]);
  });

  test("locked pod: created locked, stopped and started by the stack, relocked, destroyed", async () => {
    const res = await stack.resource("pod", "precious");
    const locked = { ...gpuPod, locked: true };
    await res.up(locked);
    const id = res.state!.id;
    expect(pod(stack, id)!.locked).toBe(true);
    expect(res.state!.outputs.locked).toBe(true);
    // Runpod refuses to stop a locked pod; the stack unlocks around the stop and locks it again.
    await res.up({ ...locked, desiredStatus: "EXITED" });
    expect(pod(stack, id)).toMatchObject({ status: "EXITED", locked: true });
    await res.up(locked);
    expect(pod(stack, id)).toMatchObject({ status: "RUNNING", locked: true });
    // An update that resets the container, on a locked pod.
    await res.up({ ...locked, env: { MODE: "prod" } });
    expect(pod(stack, id)).toMatchObject({ status: "RUNNING", locked: true, env: expect.objectContaining({ MODE: "prod" }) });
    // Destroy unlocks and terminates.
    await res.destroy();
    expect(pods(stack)).toEqual([]);
  });

  test("network volume: checked against dataCenterIds before the create, mounted, mount path in place", async () => {
    const vol = await stack.resource("networkVolume", "models");
    await vol.up({ name: "models", size: 50, dataCenterId: "EU-RO-1" });
    const volumeId = vol.state!.id;

    // The volume is in EU-RO-1: a pod limited to US-TX-3 could never mount it. Nothing is created.
    const res = await stack.resource("pod", "dev");
    const wrong = await res.up({ ...gpuPod, networkVolumeId: volumeId, dataCenterIds: ["US-TX-3"] }).catch((e) => e);
    expect(wrong).toBeInstanceOf(EngineOpError);
    expect(wrong.message).toMatch(new RegExp(`network volume ${volumeId} is in EU-RO-1, which is not in dataCenterIds \\(US-TX-3\\)`));
    expect(wrong.initFailure).toBeUndefined();
    expect(pods(stack)).toEqual([]);

    const withVolume = { ...gpuPod, networkVolumeId: volumeId, dataCenterIds: ["EU-RO-1", "US-TX-3"], volumeMountPath: "/models" };
    await res.up(withVolume);
    const id = res.state!.id;
    expect(res.state!.outputs).toMatchObject({ networkVolumeId: volumeId, volumeMountPath: "/models", dataCenterId: "EU-RO-1", status: "RUNNING" });
    expect(pod(stack, id)).toMatchObject({ networkVolumeId: volumeId, volumeMountPath: "/models" });

    // Narrowing the data centres to the one the pod is in changes nothing at Runpod.
    const narrowed = await res.preview({ ...withVolume, dataCenterIds: ["EU-RO-1"] });
    expect(narrowed.diff!.replaces).toEqual([]);
    // The mount path changes in place; another volume replaces.
    const moved = await res.up({ ...withVolume, volumeMountPath: "/workspace" });
    expect(moved.op).toBe("update");
    expect(res.state!.id).toBe(id);
    expect(pod(stack, id)!.volumeMountPath).toBe("/workspace");
    expect((await res.preview({ ...withVolume, networkVolumeId: "othervolume1" })).diff!.replaces).toEqual(["networkVolumeId"]);

    await res.destroy();
    await vol.destroy();
    expect(pods(stack)).toEqual([]);
  });

  test("created stopped, without waiting; a volume disk grows in place", async () => {
    const res = await stack.resource("pod", "parked");
    const parked = { ...gpuPod, desiredStatus: "EXITED", volumeInGb: 20, volumeMountPath: "/workspace" };
    await res.up(parked);
    const id = res.state!.id;
    expect(pod(stack, id)!.status).toBe("EXITED");
    expect(res.state!.outputs).toMatchObject({ desiredStatus: "EXITED", status: "EXITED", volumeInGb: 20 });

    const grown = await res.up({ ...parked, volumeInGb: 40 });
    expect(grown.op).toBe("update");
    expect(res.state!.id).toBe(id);
    expect(pod(stack, id)).toMatchObject({ volumeInGb: 40, status: "EXITED" });

    // Started without waiting: the up returns while the pod is still on its way.
    stack.emulator.configure({ podReadyAfterPolls: 1_000_000 });
    const noWait = { ...parked, volumeInGb: 40, desiredStatus: "RUNNING", waitForReady: false };
    expect((await res.up(noWait)).op).toBe("update");
    expect(res.state!.outputs.status).toMatch(/PROVISIONING|STARTING/);
    // waitForReady is provider-side: changing it alone is no change to the pod.
    expect((await res.preview({ ...noWait, waitForReady: true })).op).toBe("same");
    await res.destroy();
    expect(pods(stack)).toEqual([]);
  });
});

describe("Pod, REST v1 only", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire: "v1" });
  });
  afterAll(() => stack?.close());

  test("an interruptible pod preempted outside Pulumi shows as stopped on refresh; the next up restarts it", async () => {
    const spot = { imageName: "runpod/pytorch:2.4.0", gpuTypeIds: [RTX_4090], interruptible: true, ports: ["22/tcp"] };
    const res = await stack.resource("pod", "spot");
    await res.up(spot);
    const id = res.state!.id;
    expect(res.state!.outputs).toMatchObject({ interruptible: true, status: "RUNNING" });
    stack.emulator.preempt(id);
    expect((await res.refresh()).outcome).toBe("changed");
    expect(res.state!.outputs).toMatchObject({ desiredStatus: "EXITED", status: "EXITED", costPerHr: 0 });
    const plan = await res.preview(spot);
    expect(plan.op).toBe("update");
    expect(plan.diff!.replaces).toEqual([]);
    await res.up(spot);
    expect(res.state!.id).toBe(id);
    expect(stack.emulator.get("pods", id)!.status).toBe("RUNNING");
    await res.destroy();
  });
});
