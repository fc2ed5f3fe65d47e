import { startStack, TestStack } from "./support/stack";

/**
 * A replacement states its reason to the person running `pulumi preview` / `up`: the engine shows
 * what a provider plugin writes to stderr, so that is where the diff puts it.
 */
describe("replacement reasons reach the user", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire: "v2" });
  });

  test("an unconditional replace and a conditional one each name the field and Runpod's reason", async () => {
    const vol = await stack.resource("networkVolume", "moving");
    await vol.up({ name: "moving-vol", size: 10, dataCenterId: "EU-RO-1" });
    expect((await vol.preview({ name: "moving-vol", size: 10, dataCenterId: "US-TX-3" })).op).toBe("replace");

    const pod = await stack.resource("pod", "placed");
    const gpu = { name: "placed-pod", imageName: "runpod/base:1", gpuTypeIds: ["NVIDIA GeForce RTX 4090"] };
    await pod.up(gpu);
    expect((await pod.preview({ ...gpu, gpuTypeIds: ["NVIDIA A40"] })).op).toBe("replace");
    // An in-place change prints no replacement reason.
    expect((await pod.preview({ ...gpu, imageName: "runpod/base:2" })).op).toBe("update");

    await stack.close();
    const stderr = stack.host.stderr();
    expect(stderr).toMatch(/runpod: NetworkVolume "moving-vol" will be replaced: dataCenterId: .*cannot change the data centre/);
    expect(stderr).toMatch(/runpod: Pod "placed-pod" will be replaced: gpuTypeIds: .*no longer listed/);
    expect(stderr.match(/Pod "placed-pod" will be replaced/g)).toHaveLength(1);
  });
});
