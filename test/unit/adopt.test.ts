/**
 * What adopting an existing object means field by field (`planAdoption`), on the synthetic table
 * that uses every knob; and check's naming of an adopted object. No host, no emulator.
 */
import { ADOPT_KEY, planAdoption } from "../../provider/schema/adopt";
import { checkInputs, outputsFrom } from "../../provider/schema/derive";
import { AUTONAME_KEY, JsonObject, WIRE_LABEL } from "../../provider/schema/fields";
import { GPU_LEFT_LIST, SIZE_GROWS, widget } from "./widget";

const api = { id: "w1", name: "w", size: 20, zone: "z1", gpu: "A40", locked: false };

function plan(inputs: JsonObject, object: JsonObject = api) {
  const current = outputsFrom(widget, "v2", object, inputs);
  const reported = outputsFrom(widget, "v2", object, {});
  return planAdoption(widget, "v2", current, reported, inputs);
}

describe("planAdoption", () => {
  it("changes nothing when the program matches, whatever it leaves out", () => {
    expect(plan({ name: "w", zone: "z1", gpus: ["H100", "A40"], waitSeconds: 5 })).toEqual({ changed: [], conflicts: [] });
    expect(plan({})).toEqual({ changed: [], conflicts: [] });
  });

  it("applies in-place differences, and write-only updatable fields from the program", () => {
    expect(plan({ name: "renamed", size: 30, token: "t" })).toEqual({ changed: ["name", "size", "token"], conflicts: [] });
  });

  it("refuses what needs a replacement, naming the field and Runpod's reason", () => {
    expect(plan({ zone: "z2", size: 10 }).conflicts).toEqual([
      { property: "size", reason: `size: cannot shrink from 20 to 10: ${SIZE_GROWS}` },
      { property: "zone", reason: `zone: ${WIRE_LABEL.v2} cannot change the zone of an existing Widget (Runpod has "z1")` },
    ]);
    // A replaceIf sees the object as state would record it (here `gpu`, the widget's placement).
    const current = { ...outputsFrom(widget, "v2", api, { gpus: ["H100"] }), gpu: "A40" };
    expect(planAdoption(widget, "v2", current, outputsFrom(widget, "v2", api, {}), { gpus: ["H100"] }).conflicts).toEqual([
      { property: "gpus", reason: `gpus: ${GPU_LEFT_LIST} (Runpod has ["A40"])` },
    ]);
  });

  it("refuses an immutable field the object lacks, and records a write-only immutable one", () => {
    const { zone: _zone, ...noZone } = api;
    expect(plan({ zone: "z1" }, noZone).conflicts).toEqual([
      expect.objectContaining({ property: "zone", reason: expect.stringMatching(/Runpod reports none/) }),
    ]);
    expect(plan({ flavor: "large" })).toEqual({ changed: [], conflicts: [] });
  });
});

describe("check of an adoption", () => {
  const news = { [AUTONAME_KEY]: "logical", zone: "z1", [ADOPT_KEY]: "w1" };

  it("leaves the name out, so the object keeps its own, then and after adoptId is removed", () => {
    const adopting = checkInputs(widget, "v2", {}, news);
    expect(adopting.inputs.name).toBeUndefined();
    const { [ADOPT_KEY]: _removed, ...later } = news;
    expect(checkInputs(widget, "v2", adopting.inputs, later).inputs.name).toBeUndefined();
  });

  it("auto-names a replacement (no prior inputs) once adoptId is gone", () => {
    const { [ADOPT_KEY]: _removed, ...later } = news;
    expect(checkInputs(widget, "v2", {}, later).inputs.name).toMatch(/^logical-[0-9a-f]{7}$/);
  });
});
