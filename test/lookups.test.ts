import * as pulumi from "@pulumi/pulumi";
import { startEmulator, Emulator } from "runpod-emulator";
import { emulatorAdmin, emulatorConfig, TEST_API_KEY, Wire } from "./support/stack";

type Lib = typeof import("../provider");

// Each run loads the package afresh but shares the one @pulumi/pulumi runtime, as a program does:
// a fresh runtime per run would add its own process "exit" listener each time.
jest.doMock("@pulumi/pulumi", () => pulumi);

/**
 * Lookups run in the program: each "run" below is a fresh module registry (as a new `pulumi up`
 * process would load the package) with the stack's `runpod:*` config pointing at a real emulator
 * over 127.0.0.1, under setMocks like the examples.
 */
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ apiKey: TEST_API_KEY });
  await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "lookups", "dev", false);
});
afterAll(() => emu.close());

/**
 * A new run of the program. The lookups load the catalog client on first call, after
 * isolateModules returned, so it lives in the test's own registry: empty its per-process cache,
 * as a new `pulumi up` process starts empty.
 */
function run(wire: Wire): Lib {
  (require("pulumi-runpod-dynamic/dist/provider/catalog") as typeof import("../provider/catalog")).clearCatalogCache();
  for (const [k, v] of Object.entries(emulatorConfig(emu, wire))) pulumi.runtime.setConfig(k, v);
  let lib: Lib | undefined;
  jest.isolateModules(() => {
    lib = require("pulumi-runpod-dynamic") as Lib;
  });
  return lib!;
}

const catalogGets = (path: string) => emu.requests().filter((r) => r.method === "GET" && r.path === path);
const unwrap = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

async function api(method: string, url: string, body?: unknown): Promise<any> {
  const send = () =>
    fetch(url, { method, headers: { authorization: `Bearer ${TEST_API_KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  // Setup only: a kept-alive connection the loaded emulator closed (ECONNRESET) is not what is tested here.
  const res = await send().catch(() => send());
  return res.json();
}

describe.each<Wire>(["v2", "v1"])("catalog lookups on %s", (wire) => {
  beforeEach(() => emu.reset());

  test("getGpuTypes: typed, cheapest first, stock only when asked for", async () => {
    const lib = run(wire);
    const all = (await lib.getGpuTypes()).gpuTypes;
    expect(all.length).toBeGreaterThan(10);
    const a40 = all.find((g) => g.id === "NVIDIA A40")!;
    expect(a40).toEqual({
      id: "NVIDIA A40",
      displayName: "A40",
      pool: "AMPERE_48",
      manufacturer: "NVIDIA",
      memoryInGb: 48,
      pricePerHour: 0.4,
      securePrice: 0.4,
      communityPrice: 0.35,
      serverlessPrice: 1.22,
      secureCloud: true,
      communityCloud: true,
      maxCount: { secure: 8, community: 8 },
    });
    const prices = all.map((g) => g.pricePerHour);
    expect(prices).toEqual([...prices].sort((x, y) => x - y));
    expect(catalogGets("/v2/catalog/gpus").map((r) => r.query)).toEqual([{}]);
  });

  test("getGpuTypes filters: memory, price, cloud, product, CUDA, data centres, regions, stock", async () => {
    const lib = run(wire);
    const big = (await lib.getGpuTypes({ minMemoryInGb: 48, maxPricePerHour: 1 })).gpuTypes;
    expect(big.length).toBeGreaterThan(0);
    expect(big.every((g) => g.memoryInGb >= 48 && g.pricePerHour <= 1)).toBe(true);
    const community = (await lib.getGpuTypes({ cloudType: "COMMUNITY" })).gpuTypes;
    expect(community.map((g) => g.id)).not.toContain("NVIDIA L4");
    expect(community.every((g) => g.pricePerHour === g.communityPrice)).toBe(true);
    const serverless = (await lib.getGpuTypes({ product: "SERVERLESS" })).gpuTypes;
    expect(serverless.every((g) => g.pool !== null && g.pricePerHour === g.serverlessPrice)).toBe(true);
    expect(serverless.map((g) => g.id)).not.toContain("NVIDIA GeForce RTX 5090");
    const cuda13 = (await lib.getGpuTypes({ minCudaVersion: "13.0" })).gpuTypes;
    expect(cuda13.map((g) => g.id).sort()).toEqual(["NVIDIA GeForce RTX 5090", "NVIDIA H100 80GB HBM3", "NVIDIA H100 NVL", "NVIDIA H100 PCIe", "NVIDIA H200"]);
    expect(cuda13.every((g) => g.cudaVersions!.every((v) => Number(v) >= 13))).toBe(true);
    const europe = (await lib.getGpuTypes({ regions: ["EUROPE"], availableOnly: true, minMemoryInGb: 48 })).gpuTypes;
    const ids = europe.map((g) => g.id);
    expect(ids).toContain("NVIDIA A40");
    expect(ids).not.toContain("NVIDIA L40"); // hosted in North America only
    expect(europe.every((g) => g.availability !== "NONE" && g.dataCenterIds!.length > 0)).toBe(true);
    expect(europe.flatMap((g) => g.dataCenterIds!).every((d) => d.startsWith("EU"))).toBe(true);
    const inIllinois = (await lib.getGpuTypes({ dataCenterIds: ["US-IL-1"] })).gpuTypes.map((g) => g.id);
    expect(inIllinois).toContain("NVIDIA RTX 6000 Ada Generation");
    expect(inIllinois).not.toContain("NVIDIA H200");
    await expect(lib.getGpuTypes({ cudaVersions: ["12.8"], minCudaVersion: "12" })).rejects.toMatchObject({ code: "lookup_invalid" });
  });

  test("getGpuPools, getCpuFlavors, getDataCenters", async () => {
    const lib = run(wire);
    const pools = (await lib.getGpuPools({ minMemoryInGb: 48 })).pools;
    const amp48 = pools.find((p) => p.id === "AMPERE_48")!;
    expect(amp48).toEqual({
      id: "AMPERE_48",
      gpuTypeIds: ["NVIDIA A40", "NVIDIA RTX A6000"],
      memoryInGb: 48,
      serverlessPricePerHour: 1.22,
      availability: "HIGH",
    });
    expect(pools.every((p) => p.memoryInGb >= 48)).toBe(true);
    const cpus = (await lib.getCpuFlavors()).cpuFlavors;
    expect(cpus.find((c) => c.id === "cpu3c")).toEqual({
      id: "cpu3c",
      displayName: "Compute-Optimized (3rd gen)",
      group: "cpu3",
      minVcpu: 2,
      maxVcpu: 32,
      ramGbPerVcpu: 2,
      securePricePerVcpu: 0.03,
      serverlessPricePerVcpu: 0.045,
    });
    const serverlessCpus = (await lib.getCpuFlavors({ product: "SERVERLESS", vcpuCount: 4 })).cpuFlavors.map((c) => c.id);
    expect(serverlessCpus).toEqual(["cpu3c", "cpu3g", "cpu5c", "cpu5g"]);
    const fast = (await lib.getDataCenters({ networkVolumeTypes: ["HIGH_PERFORMANCE"] })).dataCenters;
    expect(fast.map((d) => d.id).sort()).toEqual(["EU-RO-1", "EUR-IS-1", "US-KS-2", "US-TX-3"]);
    expect(fast.every((d) => d.networkVolumeTypes.includes("HIGH_PERFORMANCE") && d.gpuAvailability === undefined)).toBe(true);
    const europe = (await lib.getDataCenters({ regions: ["EUROPE"] })).dataCenters;
    expect(europe.length).toBeGreaterThan(3);
    expect(europe.every((d) => d.region === "EUROPE")).toBe(true);
    const h200 = (await lib.getDataCenters({ gpuTypeId: "NVIDIA H200" })).dataCenters.map((d) => d.id).sort();
    expect(h200).toEqual(["EU-RO-1", "US-KS-2", "US-TX-3"]);
  });

  test("one request per distinct query per run; the Output twin shares it", async () => {
    const lib = run(wire);
    emu.clearLog();
    const [a, b] = await Promise.all([lib.getGpuTypes({ minMemoryInGb: 80 }), lib.getGpuTypes({ minMemoryInGb: 24 })]);
    const c = await unwrap(lib.getGpuTypesOutput({ maxPricePerHour: pulumi.output(0.5) }));
    expect(a.gpuTypes.length).toBeGreaterThan(0);
    expect(b.gpuTypes.length).toBeGreaterThan(a.gpuTypes.length);
    expect(c.gpuTypes.every((g) => g.pricePerHour <= 0.5)).toBe(true);
    expect(catalogGets("/v2/catalog/gpus")).toHaveLength(1); // all three read the plain list
    await Promise.all([lib.getGpuTypes({ availableOnly: true }), lib.getGpuTypes({ availableOnly: true, minMemoryInGb: 48 })]);
    expect(catalogGets("/v2/catalog/gpus")).toHaveLength(2); // + the availability query, once
  });

  test("a long-lived program reads the catalog again once an answer is five minutes old", async () => {
    const lib = run(wire);
    emu.clearLog();
    // Only Date is faked: the HTTP client's own timers keep running.
    jest.useFakeTimers({
      doNotFake: ["nextTick", "setImmediate", "setInterval", "setTimeout", "clearInterval", "clearTimeout", "queueMicrotask", "hrtime", "performance"],
    });
    try {
      const start = Date.now();
      await lib.getGpuTypes({ availableOnly: true });
      jest.setSystemTime(start + 4 * 60_000);
      await lib.getGpuTypes({ availableOnly: true });
      expect(catalogGets("/v2/catalog/gpus")).toHaveLength(1);
      jest.setSystemTime(start + 5 * 60_000 + 1);
      await lib.getGpuTypes({ availableOnly: true });
      expect(catalogGets("/v2/catalog/gpus")).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });

  test("an added GPU type shows up; stock changes and closed data centres show up in the next run", async () => {
    expect(
      (
        await emulatorAdmin(emu, "POST", "/catalog/gpus", {
          id: "NVIDIA B200",
          displayName: "B200",
          pool: "BLACKWELL_180",
          memoryInGb: 180,
          securePrice: 5.99,
          serverlessPrice: 8.64,
          dataCenterIds: ["EU-SE-1"],
        })
      ).status,
    ).toBe(201);
    const first = run(wire);
    const b200 = (await first.getGpuTypes({ minMemoryInGb: 150, regions: ["EUROPE"], availableOnly: true })).gpuTypes.find((g) => g.id === "NVIDIA B200");
    expect(b200).toMatchObject({ memoryInGb: 180, pricePerHour: 5.99, availability: "HIGH", dataCenterIds: ["EU-SE-1"] });
    expect((await first.getGpuPools()).pools.map((p) => p.id)).toContain("BLACKWELL_180");
    const cheapest48 = async (lib: Lib) => (await lib.getGpuTypes({ minMemoryInGb: 48, regions: ["EUROPE"], availableOnly: true })).gpuTypes[0]?.id;
    expect(await cheapest48(first)).toBe("NVIDIA A40");
    emu.setGpuStock("NVIDIA A40", 0);
    expect(await cheapest48(first)).toBe("NVIDIA A40"); // the same run keeps its answer
    const second = run(wire);
    expect(await cheapest48(second)).toBe("NVIDIA RTX A6000");
    expect((await emulatorAdmin(emu, "POST", "/catalog/datacenters/EU-SE-1", { online: false })).status).toBe(204);
    const third = run(wire);
    expect((await third.getGpuTypes({ minMemoryInGb: 150, availableOnly: true })).gpuTypes.map((g) => g.id)).not.toContain("NVIDIA B200");
    expect(
      (await third.getDataCenters({ regions: ["EUROPE"], includeAvailability: true })).dataCenters.find((d) => d.id === "EU-SE-1")?.cpuAvailability?.cpu3c,
    ).toBe("NONE");
  });
});

describe.each<Wire>(["v2", "v1"])("account lookups on %s", (wire) => {
  beforeAll(() => emu.reset());

  test("network volume, pod, registry auth, secret and template by name or id", async () => {
    const lib = run(wire);
    const v2 = emu.restUrl("v2");
    const volume = await api("POST", `${v2}/network-volumes`, { name: `data-${wire}`, size: 20, dataCenter: "EU-RO-1" });
    const registry = await api("POST", `${v2}/registries`, { name: `ghcr-${wire}`, username: "me", password: "pw-never-returned-1234" });
    const pod = await api("POST", `${v2}/pods`, { name: `box-${wire}`, image: "nginx:1.27", cpu: { id: "cpu3c", vcpuCount: 2 } });
    await api("POST", `${v2}/templates`, { name: `tpl-${wire}`, image: "nginx:1.27" });
    await api("POST", emu.graphqlUrl, {
      query: "mutation($input: SecretCreateInput!) { secretCreate(input: $input) { id } }",
      variables: { input: { name: `token-${wire}`, value: "s3cr3t-value-5678", description: "api token" } },
    });

    const byName = await lib.getNetworkVolume({ name: `data-${wire}` });
    expect(byName).toMatchObject({ id: volume.id, name: `data-${wire}`, size: 20, dataCenterId: "EU-RO-1" });
    expect(await unwrap(lib.getNetworkVolumeOutput({ id: pulumi.output(volume.id as string) }))).toMatchObject({ name: `data-${wire}` });
    expect(await lib.getPod({ name: `box-${wire}` })).toMatchObject({ id: pod.id, computeType: "CPU", imageName: "nginx:1.27" });
    const auth = await lib.getContainerRegistryAuth({ id: registry.id });
    expect(auth).toMatchObject({ id: registry.id, name: `ghcr-${wire}` });
    expect(JSON.stringify(auth)).not.toContain("pw-never-returned-1234");
    const secret = await lib.getSecret({ name: `token-${wire}` });
    expect(secret).toMatchObject({ name: `token-${wire}`, description: "api token" });
    expect(JSON.stringify(secret)).not.toContain("s3cr3t-value-5678");
    expect(await lib.getTemplate({ name: `tpl-${wire}` })).toMatchObject({ name: `tpl-${wire}`, imageName: "nginx:1.27", source: "account" });
    expect(await lib.getTemplate({ name: "PyTorch 2.8" })).toMatchObject({ id: "30zmvf89kd", source: "catalog" });
    await expect(lib.getPod({ name: "no-such-pod" })).rejects.toMatchObject({ code: "lookup_not_found" });
    await expect(lib.getTemplate({ name: "no-such-template" })).rejects.toMatchObject({ code: "lookup_not_found" });
    await expect(lib.getEndpoint({ id: "nope", name: "nope" })).rejects.toMatchObject({ code: "lookup_invalid" });
  });
});
