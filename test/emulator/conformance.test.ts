// Response-schema conformance: a sample of real responses from both wires, validated with the
// same openapi-backend/Ajv validators the emulator uses for requests.
import { startEmulator, Emulator } from "runpod-emulator";
import { client, Client, pollPod } from "./helpers";

let emu: Emulator;
let c: Client;

beforeAll(async () => {
  emu = await startEmulator({ seed: 5, podReadyAfterPolls: 1 });
  c = client(emu);
});
afterAll(() => emu.close());

// Sparse mode (answers cut down to what the spec requires) must conform just the same.
test.each([false, true])("a sample of v2 and v1 responses conforms to the response schemas (sparse: %s)", async (sparse) => {
  emu.reset();
  emu.configure({ sparse });
  const samples: Array<[wire: "v1" | "v2", op: string, status: number, body: unknown]> = [];
  // Answers are read field by field below; the sample conformance check is what types them.
  const take = async (wire: "v1" | "v2", op: string, p: Promise<{ status: number; body: any }>) => {
    const r = await p;
    samples.push([wire, op, r.status, r.body]);
    return r;
  };

  const vol = await take("v2", "createNetworkVolume", c.post("/v2/network-volumes", { name: "v", size: 20, dataCenter: "EU-RO-1" }));
  const reg = await take("v2", "createRegistry", c.post("/v2/registries", { name: "r", username: "u", password: "p" }));
  await take(
    "v2",
    "createTemplate",
    c.post("/v2/templates", { name: "t", image: "i", registry: reg.body.id, mounts: { persistent: { size: 20, path: "/w" } } }),
  );
  const pod = await take(
    "v2",
    "createPod",
    c.post("/v2/pods", {
      name: "p",
      image: "i",
      gpu: { id: "NVIDIA L4" },
      ports: ["22/tcp", "8888/http"],
      mounts: { network: [{ volumeId: vol.body.id, path: "/data" }] },
      globalNetworking: true,
    }),
  );
  await pollPod(c, "v2", pod.body.id);
  await take("v2", "getPod", c.get(`/v2/pods/${pod.body.id}`));
  await take("v2", "listPods", c.get("/v2/pods"));
  const cpuPod = await take("v2", "createPod", c.post("/v2/pods", { name: "cpu", image: "i", cpu: { id: "cpu5c", vcpuCount: 2 } }));
  await take("v2", "podAction", c.post(`/v2/pods/${cpuPod.body.id}/action`, { action: "stop" }));
  const ep = await take(
    "v2",
    "createEndpoint",
    c.post("/v2/serverless", {
      name: "e",
      type: "QUEUE",
      image: "w",
      gpu: { pools: ["AMPERE_80"], minCudaVersion: "12.4" },
      scaling: { type: "QUEUE_DELAY", queueDelay: 0.5 },
      workers: { min: 1, max: 2 },
    }),
  );
  await take("v2", "updateEndpoint", c.patch(`/v2/serverless/${ep.body.id}`, { gpu: { count: 2 } }));
  await take("v2", "listEndpointReleases", c.get(`/v2/serverless/${ep.body.id}/releases`));
  await take("v2", "listEndpointWorkers", c.get(`/v2/serverless/${ep.body.id}/workers`));
  await take(
    "v2",
    "createEndpoint",
    c.post("/v2/serverless", {
      name: "lb",
      type: "LOAD_BALANCER",
      image: "w",
      cpu: [{ id: "cpu3c", vcpuCount: 4 }],
      scaling: { type: "REQUEST_COUNT", requestCount: 2 },
    }),
  );
  await take("v2", "listEndpoints", c.get("/v2/serverless"));
  await take("v2", "listTemplates", c.get("/v2/templates"));
  await take("v2", "listPublicTemplates", c.get("/v2/catalog/templates"));
  await take("v2", "listGpuTypes", c.get("/v2/catalog/gpus?include=AVAILABILITY&product=POD,SERVERLESS&cudaVersions=12.8"));
  await take("v2", "listCpuTypes", c.get("/v2/catalog/cpus?include=AVAILABILITY&product=POD&vcpuCount=4"));
  await take("v2", "listDataCenters", c.get("/v2/catalog/datacenters?include=GPU_AVAILABILITY,CPU_AVAILABILITY"));
  await take("v2", "createPod", c.post("/v2/pods", { name: "x", image: "i" })); // 400 problem
  await take("v2", "createNetworkVolume", c.post("/v2/network-volumes", { size: 1 })); // 422 problem
  await take("v2", "getPod", c.get("/v2/pods/nope")); // 404 problem

  await take("v1", "ListPods", c.get("/v1/pods?includeMachine=true&includeNetworkVolume=true&includeSavingsPlans=true"));
  const v1pod = await take(
    "v1",
    "CreatePod",
    c.post("/v1/pods", { imageName: "i", gpuTypeIds: ["NVIDIA GeForce RTX 4090"], interruptible: true, cloudType: "COMMUNITY" }),
  );
  await take("v1", "GetPod", c.get(`/v1/pods/${v1pod.body.id}?includeMachine=true`));
  await take("v1", "ListEndpoints", c.get("/v1/endpoints?includeTemplate=true&includeWorkers=true"));
  await take("v1", "ListTemplates", c.get("/v1/templates?includeEndpointBoundTemplates=true"));
  await take("v1", "ListNetworkVolumes", c.get("/v1/networkvolumes"));
  await take("v1", "ListContainerRegistryAuths", c.get("/v1/containerregistryauth"));

  expect(samples.length).toBeGreaterThan(25);
  const failures: string[] = [];
  for (const [wire, op, status, body] of samples) {
    const errs = await emu.validateResponse(wire, op, status, body);
    if (errs.length) failures.push(`${wire} ${op} ${status}: ${errs.join("; ")}`);
  }
  expect(failures).toEqual([]);
});

test("the validator is not vacuous: a broken body is reported", async () => {
  expect(await emu.validateResponse("v2", "getNetworkVolume", 200, { id: "x", name: "n", size: 5, dataCenter: "EU-RO-1" })).toEqual(
    expect.arrayContaining([expect.stringMatching(/type: is required/), expect.stringMatching(/size: must be >= 10/)]),
  );
  expect(await emu.validateResponse("v2", "getPod", 404, { title: "Not Found" })).toEqual(
    expect.arrayContaining([expect.stringMatching(/status: is required/)]),
  );
  expect(await emu.validateResponse("v1", "GetNetworkVolume", 200, { id: 1 })).toEqual(["id: must be string"]);
});
