import { outOfBand, startStack, TestStack } from "./support/stack";
import { EngineOpError } from "./harness";

/**
 * Errors that say what happened to a pod: one that vanished while the stack waited for it, one
 * that belongs to a cluster (REST v2 409 on PATCH/DELETE). Engine-faithful, against the emulator.
 */
const RTX_4090 = "NVIDIA GeForce RTX 4090";
const gpuPod = { imageName: "runpod/pytorch:2.4.0", gpuTypeIds: [RTX_4090] };

/** Yields to the event loop until `cond` holds: the emulator runs in this process. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((resolve) => setImmediate(resolve));
}

describe("pod errors on REST v2", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ wire: "v2", emulator: { podReadyAfterPolls: 1 } });
  });
  afterAll(() => stack?.close());
  afterEach(() => stack.emulator.configure({ podReadyAfterPolls: 1 }));

  test("a pod terminated while the create waits for it: kept, and the error says refresh or destroy, not wait again", async () => {
    stack.emulator.configure({ podReadyAfterPolls: 1_000_000 }); // it never gets ready on its own
    const res = await stack.resource("pod", "vanishing");
    const up = res.up({ ...gpuPod, name: "vanishing", readyTimeoutSeconds: 60 }).catch((e) => e);
    await until(() => stack.emulator.list("pods").some((p) => p.name === "vanishing"));
    const id = stack.emulator.list("pods").find((p) => p.name === "vanishing")!.id;
    await outOfBand(stack, "DELETE", `/pods/${id}`);
    const error = await up;
    expect(error).toBeInstanceOf(EngineOpError);
    expect(error.message).toMatch(/no longer exists/);
    expect(error.message).toMatch(/pulumi refresh.*pulumi destroy/);
    expect(error.message).not.toMatch(/wait for it again/);
    expect(res.state?.id).toBe(id);
    expect((await res.refresh()).outcome).toBe("deleted");
  });

  test("a pod that joined a cluster: update and destroy say it is managed through its cluster", async () => {
    const res = await stack.resource("pod", "member");
    await res.up({ ...gpuPod, name: "member" });
    const id = res.state!.id;
    stack.emulator.setPodCluster(id, { id: "cluster_abc123", rank: 1 });

    const update = await res.up({ ...gpuPod, name: "member-renamed" }).catch((e) => e);
    expect(update).toBeInstanceOf(EngineOpError);
    expect(update.message).toMatch(/pod \S+ belongs to cluster cluster_abc123 \(rank 1\).*refuses to change.*manage it through its cluster/);
    const destroy = await res.destroy().catch((e) => e);
    expect(destroy).toBeInstanceOf(EngineOpError);
    expect(destroy.message).toMatch(/belongs to cluster cluster_abc123.*refuses to delete/);
    expect(stack.emulator.get("pods", id)).toBeDefined();
    expect(res.state?.id).toBe(id);

    stack.emulator.setPodCluster(id, null); // standalone again: the stack can delete it
    await res.destroy();
    expect(stack.emulator.get("pods", id)?.status ?? "TERMINATED").toBe("TERMINATED");
  });
});
