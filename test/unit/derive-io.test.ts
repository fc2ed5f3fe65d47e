/**
 * Request bodies and outputs derived from a field table: what reaches Runpod for each operation
 * and what reaches state from each answer. No host, no emulator.
 */
import { createBody, followUpBody, inputsFrom, outputsFrom, updateBody } from "../../provider/schema/derive";
import { AUTONAME_KEY } from "../../provider/schema/fields";
import { WidgetInputs, widget } from "./widget";

const inputs: WidgetInputs = {
  name: "w",
  size: 2,
  zone: "z1",
  gpus: ["a", "b"],
  token: "tok",
  flavor: "f",
  locked: true,
  image: "img:1",
  env: { A: "1" },
  waitSeconds: 60,
  tier: "fast",
  legacy: true,
  status: "EXITED",
};

it("the fixture sets every field of the table", () => {
  expect(Object.keys(inputs).sort()).toEqual(Object.keys(widget.fields).sort());
});

describe("create body", () => {
  it("puts every set field at its wire path through toApi or write, leaving out settings, afterCreate and unsent fields", () => {
    expect(createBody(widget, "v2", inputs)).toEqual({
      name: "w",
      size: 2,
      zone: "z1",
      gpuTypeIds: ["a", "b"],
      token: "tok",
      flavor: "f",
      container: { image: "img:1" },
      envList: [{ key: "A", value: "1" }],
      tier: "FAST",
    });
    expect(createBody(widget, "v1", inputs)).toEqual({
      name: "w",
      sizeMb: 2048,
      zoneId: "z1",
      gpuTypeId: "a",
      token: "tok",
      locked: true,
      imageName: "img:1",
      env: { A: "1" },
      legacy: true,
    });
  });

  it("passes all inputs to toApi and omits a field whose toApi returns undefined", () => {
    expect(createBody(widget, "v2", { ...inputs, zone: "nowhere" })).not.toHaveProperty("tier");
  });

  it("omits absent and null values", () => {
    expect(createBody(widget, "v2", { name: "w", size: undefined, image: null })).toEqual({ name: "w" });
  });
});

describe("update body", () => {
  it("carries only the changed fields that the wire updates in place", () => {
    expect(updateBody(widget, "v2", inputs, ["size", "image"])).toEqual({ size: 2, container: { image: "img:1" } });
    expect(updateBody(widget, "v2", inputs, ["env", "token", "locked"])).toEqual({ envList: [{ key: "A", value: "1" }], token: "tok", locked: true });
  });

  it("never carries record or replace fields, settings, or fields without a path or writer", () => {
    expect(updateBody(widget, "v2", inputs, ["zone", "gpus", "flavor", "tier", "waitSeconds", "status", "legacy"])).toEqual({});
    expect(updateBody(widget, "v1", inputs, ["zone", "gpus", "legacy", "waitSeconds", "status", "tier"])).toEqual({});
  });

  it("leaves out a changed field the program removed", () => {
    expect(updateBody(widget, "v2", { name: "w" }, ["name", "size"])).toEqual({ name: "w" });
  });
});

describe("follow-up body", () => {
  it("sends what the create could not carry as an update right after it", () => {
    expect(followUpBody(widget, "v2", inputs)).toEqual({ locked: true });
    expect(followUpBody(widget, "v2", { ...inputs, locked: undefined })).toEqual({});
    // v1 creates it directly.
    expect(followUpBody(widget, "v1", inputs)).toEqual({});
  });
});

describe("outputs", () => {
  const prior = { ...inputs, [AUTONAME_KEY]: "web" };

  it("reads each field by its reader or path, carrying write-only fields and settings from the prior state", () => {
    const outs = outputsFrom(
      widget,
      "v2",
      {
        id: "w1",
        name: "renamed",
        size: 3,
        zone: "z1",
        gpu: "b",
        container: { image: "img:2" },
        envList: [{ key: "B", value: "2" }],
        token: "leaked-by-a-buggy-api",
        desiredStatus: "RUNNING",
        tier: "basic",
        costPerHr: 0.5,
        machine: { publicIp: "10.0.0.1" },
      },
      prior,
    );
    expect(outs).toEqual({
      name: "renamed",
      size: 3,
      zone: "z1",
      gpus: ["a", "b"],
      token: "tok",
      flavor: "f",
      locked: true,
      image: "img:2",
      env: { B: "2" },
      waitSeconds: 60,
      tier: "basic",
      legacy: true,
      status: "RUNNING",
      [AUTONAME_KEY]: "web",
      costPerHr: 0.5,
      publicIp: "10.0.0.1",
    });
  });

  it("gives a reader the prior state, and keeps prior values a sparse answer leaves out", () => {
    const outs = outputsFrom(widget, "v2", { id: "w1", gpu: "c" }, prior);
    expect(outs.gpus).toEqual(["c"]);
    expect(outs).toMatchObject({ name: "w", size: 2, image: "img:1", env: { A: "1" }, status: "EXITED" });
    expect(outs).not.toHaveProperty("costPerHr");
  });

  it("reads computed outputs per wire and ignores fields the wire cannot express", () => {
    const outs = outputsFrom(widget, "v1", { id: "w1", sizeMb: 4096, state: "RUNNING", publicIp: "10.0.0.2", tier: "fast" }, { name: "w" });
    expect(outs).toEqual({ name: "w", size: 4, status: "RUNNING", publicIp: "10.0.0.2" });
  });

  it("emits only JSON values: undefined, NaN, infinities and functions are dropped", () => {
    const outs = outputsFrom(
      widget,
      "v2",
      { id: "w1", size: NaN, costPerHr: Infinity, name: () => "x", envList: [{ key: "A", value: undefined }] },
      { waitSeconds: 1 },
    );
    expect(outs).toEqual({ env: {}, waitSeconds: 1 });
    expect(outputsFrom(widget, "v2", null, { name: "w" })).toEqual({ name: "w" });
  });

  it("does not invent an auto-name prefix", () => {
    expect(outputsFrom(widget, "v2", { id: "w1", name: "w" }, {})).toEqual({ name: "w" });
  });
});

describe("inputs from outputs", () => {
  it("hands back the fields and the auto-name prefix, never computed outputs", () => {
    const outs = { ...inputs, [AUTONAME_KEY]: "web", costPerHr: 1, publicIp: "10.0.0.1", id: "w1" };
    expect(inputsFrom(widget, outs)).toEqual({ ...inputs, [AUTONAME_KEY]: "web" });
    expect(Object.keys(inputsFrom(widget, { name: "w", size: undefined }))).toEqual(["name"]);
  });
});
