import { appliedFields, revisionOf } from "../../provider/resources/template/revision";

/** A template's revision covers exactly what Runpod applies from it to pods and endpoints. */
describe("template revision", () => {
  const v2 = {
    id: "t1",
    name: "trainer-abc",
    image: "ghcr.io/acme/trainer:1.4.0",
    args: "python train.py",
    disk: 40,
    env: { A: "1", B: "2" },
    ports: ["8888/http"],
    registry: "reg1",
    category: "NVIDIA",
    public: false,
    serverless: false,
    startSsh: true,
    startJupyter: true,
    allowedCudaVersions: [],
    mounts: {},
  };
  const v1 = {
    id: "t1",
    name: "trainer-abc",
    imageName: "ghcr.io/acme/trainer:1.4.0",
    dockerEntrypoint: ["bash", "-c"],
    dockerStartCmd: ["python train.py"],
    containerDiskInGb: 40,
    env: { A: "1" },
    ports: ["8888/http", "22/tcp"],
    readme: "## hi",
    isPublic: false,
  };

  test("is 16 hex digits, the same for the same template whatever the order of its env", () => {
    const r = revisionOf("v2", v2 as never);
    expect(r).toMatch(/^[0-9a-f]{16}$/);
    expect(revisionOf("v2", { ...v2, env: { B: "2", A: "1" } } as never)).toBe(r);
  });

  test.each<[string, Record<string, unknown>]>([
    ["image", { image: "ghcr.io/acme/trainer:1.5.0" }],
    ["args", { args: "python train.py --fast" }],
    ["disk", { disk: 41 }],
    ["an env value", { env: { A: "1", B: "3" } }],
    ["an env key", { env: { A: "1" } }],
    ["ports", { ports: ["8888/http", "22/tcp"] }],
    ["registry", { registry: "reg2" }],
  ])("moves with the v2 %s", (_what, change) => {
    expect(revisionOf("v2", { ...v2, ...change } as never)).not.toBe(revisionOf("v2", v2 as never));
  });

  test.each<[string, Record<string, unknown>]>([
    ["name", { name: "renamed" }],
    ["visibility", { public: true }],
    ["category", { category: "AMD" }],
    ["SSH and Jupyter", { startSsh: false, startJupyter: false }],
    ["CUDA versions", { allowedCudaVersions: ["12.8"] }],
    ["volume", { mounts: { persistent: { size: 20, path: "/workspace" } } }],
  ])("ignores the v2 %s (not re-applied to pods and endpoints)", (_what, change) => {
    expect(revisionOf("v2", { ...v2, ...change } as never)).toBe(revisionOf("v2", v2 as never));
  });

  test("no registry reads the same as a null one", () => {
    const { registry: _r, ...without } = v2;
    expect(revisionOf("v2", { ...v2, registry: null } as never)).toBe(revisionOf("v2", without as never));
  });

  test("v1: moves with the entrypoint and start command, ignores readme and visibility, reads a comma string of ports as the list", () => {
    const r = revisionOf("v1", v1 as never);
    expect(revisionOf("v1", { ...v1, dockerEntrypoint: [] } as never)).not.toBe(r);
    expect(revisionOf("v1", { ...v1, dockerStartCmd: ["python", "train.py"] } as never)).not.toBe(r);
    expect(revisionOf("v1", { ...v1, readme: "changed", isPublic: true } as never)).toBe(r);
    expect(revisionOf("v1", { ...v1, ports: "8888/http,22/tcp" } as never)).toBe(r);
  });

  test("an answer without an image has no revision (a sparse answer says nothing about the template)", () => {
    expect(revisionOf("v2", { id: "t1" } as never)).toBeUndefined();
    expect(revisionOf("v1", {} as never)).toBeUndefined();
  });

  test("the applied fields are the same wire's pod and endpoint update fields", () => {
    expect(appliedFields("v2", v2 as never)).toEqual({
      image: v2.image,
      args: v2.args,
      disk: 40,
      env: v2.env,
      ports: v2.ports,
      registry: "reg1",
    });
    expect(appliedFields("v1", { ...v1, ports: "8888/http,22/tcp" })).toEqual({
      imageName: v1.imageName,
      dockerEntrypoint: ["bash", "-c"],
      dockerStartCmd: ["python train.py"],
      containerDiskInGb: 40,
      env: { A: "1" },
      ports: ["8888/http", "22/tcp"],
    });
  });
});
