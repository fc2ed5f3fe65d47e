/**
 * check and diff derived from a field table, on a synthetic table that uses every knob: no host,
 * no emulator, milliseconds per spec. The engine-faithful suites cover the same paths end to end.
 */
import { z } from "zod";
import { redact } from "../../provider/client/redact";
import { autoName, checkInputs, diffInputs } from "../../provider/schema/derive";
import { AUTONAME_KEY, PROVIDER_KEY, UNKNOWN, WIRE_LABEL } from "../../provider/schema/fields";
import { GPU_LEFT_LIST, SIZE_GROWS, plainWidget, ruleCalls, widget } from "./widget";

const V2 = WIRE_LABEL.v2;
const V1 = WIRE_LABEL.v1;
const base = { name: "w", zone: "z1" };

function failuresOf(wire: "v2" | "v1", news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
  return checkInputs(widget, wire, olds, news).failures;
}

describe("check", () => {
  beforeEach(() => (ruleCalls.length = 0));

  it("accepts a valid program and returns the parsed values", () => {
    const { inputs, failures } = checkInputs(widget, "v2", {}, { ...base, size: 10, image: "  img:1  " });
    expect(failures).toEqual([]);
    expect(inputs).toEqual({ ...base, size: 10, image: "img:1", waitSeconds: 60, tier: "basic" });
  });

  it("takes a value equal to the one it accepted before as it is; a changed one is judged again", () => {
    // The prior checked inputs hold "img:1" (trimmed last time); the same value is not parsed
    // again, so even a value today's schema would refuse passes while it stays unchanged ...
    expect(checkInputs(widget, "v2", { ...base, image: "img:1" }, { ...base, image: "img:1" }).inputs.image).toBe("img:1");
    expect(failuresOf("v2", { ...base, gpus: ["a", " "] }, { ...base, gpus: ["a", " "] })).toEqual([]);
    // ... while any change is judged in full, and the wire's limits and the rules always run.
    expect(failuresOf("v2", { ...base, gpus: ["a", "  "] }, { ...base, gpus: ["a", " "] })).toEqual([
      { property: "gpus.1", reason: "gpus.1: must not be blank" },
    ]);
    expect(failuresOf("v1", { ...base, size: 80 }, { ...base, size: 80 })).toEqual([{ property: "size", reason: `size: must be at most 50 GB (${V1})` }]);
    expect(failuresOf("v1", { ...base, tier: "fast" }, { ...base, tier: "fast" })).toHaveLength(1);
  });

  it("names the property path of a nested schema failure", () => {
    expect(failuresOf("v2", { ...base, env: { GOOD: "x", BAD: 3 } })).toEqual([{ property: "env.BAD", reason: "env.BAD: must be a string" }]);
    expect(failuresOf("v2", { ...base, gpus: ["a", " "] })).toEqual([{ property: "gpus.1", reason: "gpus.1: must not be blank" }]);
  });

  it("applies the active wire's limits after the field schema, naming the wire", () => {
    expect(failuresOf("v2", { ...base, size: 80 })).toEqual([]);
    expect(failuresOf("v1", { ...base, size: 80 })).toEqual([{ property: "size", reason: `size: must be at most 50 GB (${V1})` }]);
    expect(failuresOf("v2", { ...base, size: 120 })).toEqual([{ property: "size", reason: `size: must be at most 100 GB (${V2})` }]);
    // The field schema fails first; the wire's limits are not piled on top.
    expect(failuresOf("v1", { ...base, size: 80.5 })).toEqual([{ property: "size", reason: "size: must be a whole number" }]);
  });

  it("rejects a property nobody declared, but not the internal keys", () => {
    const failures = failuresOf("v2", { ...base, nmae: "x", [PROVIDER_KEY]: "text", [AUTONAME_KEY]: "w" });
    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe("nmae");
    expect(failures[0].reason).toMatch(/^nmae: unknown property for Widget; expected one of name, size, zone, /);
  });

  it("rejects a property named like one of Object's own methods: only the table's fields count", () => {
    expect(failuresOf("v2", { ...base, constructor: "x", toString: "y" }).map((f) => f.property)).toEqual(["constructor", "toString"]);
  });

  it("judges the fields in table order, whatever order the program's bag has", () => {
    // size comes before zone in the widget's table.
    expect(failuresOf("v2", { zone: 3, name: "w", size: "big" }).map((f) => f.property)).toEqual(["size", "zone"]);
    expect(Object.keys(checkInputs(widget, "v2", {}, { size: 10, zone: "z1", name: "w" }).inputs)).toEqual(["name", "size", "zone", "waitSeconds", "tier"]);
  });

  it("rejects a field the wire cannot express, with the field's hint or the default advice", () => {
    expect(failuresOf("v1", { ...base, tier: "fast" })).toEqual([
      { property: "tier", reason: `tier: ${V1} cannot express this field; v1 widgets are all basic; remove tier` },
    ]);
    expect(failuresOf("v2", { ...base, legacy: true })).toEqual([
      { property: "legacy", reason: `legacy: ${V2} cannot express this field; remove it or switch runpod:apiVersion to v1` },
    ]);
    expect(failuresOf("v1", { ...base, flavor: "x" })).toEqual([
      { property: "flavor", reason: `flavor: ${V1} cannot express this field; remove it or switch runpod:apiVersion to v2` },
    ]);
  });

  it("fills a default only on a wire that has the field", () => {
    expect(checkInputs(widget, "v2", {}, base).inputs.tier).toBe("basic");
    const v1 = checkInputs(widget, "v1", {}, base);
    expect(v1.failures).toEqual([]);
    expect(v1.inputs).not.toHaveProperty("tier");
    expect(v1.inputs.waitSeconds).toBe(60);
    expect(checkInputs(widget, "v2", {}, { ...base, tier: "fast", waitSeconds: 5 }).inputs).toMatchObject({ tier: "fast", waitSeconds: 5 });
  });

  it("refuses to shrink a growOnly field, and lets it grow or start anywhere", () => {
    expect(failuresOf("v2", { ...base, size: 10 }, { size: 20 })).toEqual([{ property: "size", reason: `size: cannot shrink from 20 to 10: ${SIZE_GROWS}` }]);
    expect(failuresOf("v2", { ...base, size: 30 }, { size: 20 })).toEqual([]);
    expect(failuresOf("v2", { ...base, size: 5 })).toEqual([]);
  });

  it("auto-names from the logical name, keeps that name while the prefix holds, and renews it for a new object", () => {
    const first = checkInputs(widget, "v2", {}, { zone: "z1", [AUTONAME_KEY]: "web" }).inputs;
    expect(first.name).toMatch(/^web-[0-9a-f]{7}$/);
    expect(first[AUTONAME_KEY]).toBe("web");
    const again = checkInputs(widget, "v2", first, { zone: "z1", [AUTONAME_KEY]: "web" }).inputs;
    expect(again.name).toBe(first.name);
    // A replacement is checked with no olds: it gets a fresh name, so the two never collide.
    const fresh = checkInputs(widget, "v2", {}, { zone: "z1", [AUTONAME_KEY]: "web" }).inputs;
    expect(fresh.name).toMatch(/^web-[0-9a-f]{7}$/);
    expect(fresh.name).not.toBe(first.name);
    // A renamed logical resource gets a name from its new prefix.
    expect(checkInputs(widget, "v2", first, { zone: "z1", [AUTONAME_KEY]: "api" }).inputs.name).toMatch(/^api-/);
  });

  it("keeps an explicit name as given and requires a name when there is no prefix", () => {
    const { inputs } = checkInputs(widget, "v2", {}, { ...base, [AUTONAME_KEY]: "web" });
    expect(inputs.name).toBe("w");
    expect(inputs).not.toHaveProperty(AUTONAME_KEY);
    expect(failuresOf("v2", { zone: "z1" })).toEqual([{ property: "name", reason: "name: required" }]);
    // Without autoName the table's own schema and rules decide.
    expect(checkInputs(plainWidget, "v2", {}, {}).failures).toEqual([]);
  });

  it("cuts an auto-name to the kind's maximum length", () => {
    const name = autoName("a-very-long-logical-name", 20);
    expect(name).toHaveLength(20);
    // The head keeps its trailing dash: the cut is by length, not at a word boundary.
    expect(name).toMatch(/^a-very-long--[0-9a-f]{7}$/);
    expect(checkInputs(widget, "v2", {}, { zone: "z", [AUTONAME_KEY]: "x".repeat(40) }).inputs.name).toHaveLength(20);
  });

  it("runs the rules only once every field is valid, with the wire and the prior state", () => {
    expect(failuresOf("v2", { name: "w", size: "big" })).toEqual([{ property: "size", reason: "size: must be a number" }]);
    expect(ruleCalls).toHaveLength(0);
    expect(failuresOf("v1", { name: "w" }, { name: "w", zone: "z0" })).toEqual([{ property: "zone", reason: "zone: required" }]);
    expect(ruleCalls).toEqual([{ inputs: { name: "w", waitSeconds: 60 }, wire: "v1", olds: { name: "w", zone: "z0" } }]);
  });

  it("skips validation of values unknown during preview, keeping them in the inputs", () => {
    const { inputs, failures } = checkInputs(widget, "v2", { size: 50 }, { ...base, size: UNKNOWN, gpus: ["a", UNKNOWN] });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ size: UNKNOWN, gpus: ["a", UNKNOWN] });
    // Unknown or not, a field the wire lacks is still rejected.
    expect(failuresOf("v1", { ...base, tier: UNKNOWN }).map((f) => f.property)).toEqual(["tier"]);
  });

  it("registers secret fields for redaction", () => {
    const token = "tok_unit_0123456789";
    checkInputs(widget, "v2", {}, { ...base, token });
    expect(redact(`sent ${token}`)).toBe("sent [REDACTED]");
  });
});

describe("diff", () => {
  const olds = { name: "w", zone: "z1", size: 10, gpus: ["a", "b"], gpu: "a", token: "t1", flavor: "f1", image: "i", waitSeconds: 60, tier: "basic" };

  it("reports no change for equal values, marking unchanged replace fields stable", () => {
    const d = diffInputs(widget, "v2", olds, { ...olds, env: undefined });
    expect(d).toEqual({ changes: false, replaces: [], stables: ["zone", "flavor", "tier"], deleteBeforeReplace: false, changed: [], reasons: [] });
    expect(diffInputs(widget, "v2", { ...olds, env: { A: "1", B: "2" } }, { ...olds, env: { B: "2", A: "1" } }).changes).toBe(false);
  });

  it("lists changes in table order, whatever order the bags have", () => {
    const reversed = Object.fromEntries(Object.entries({ ...olds, size: 20, image: "j", zone: "z2" }).reverse());
    expect(diffInputs(widget, "v2", olds, reversed)).toMatchObject({ changed: ["size", "zone", "image"], replaces: ["zone"] });
  });

  it("updates an update field in place", () => {
    const d = diffInputs(widget, "v2", olds, { ...olds, size: 20, image: "j" });
    expect(d).toMatchObject({ changes: true, changed: ["size", "image"], replaces: [], reasons: [] });
  });

  it("replaces for a replace field, saying which wire cannot change what", () => {
    const d = diffInputs(widget, "v2", olds, { ...olds, zone: "z2" });
    expect(d.replaces).toEqual(["zone"]);
    expect(d.reasons).toEqual([{ property: "zone", reason: `zone: ${V2} cannot change the zone of an existing Widget` }]);
    expect(d.stables).not.toContain("zone");
  });

  it("records a record field, replacing only when replaceIf holds, with its reason", () => {
    const kept = diffInputs(widget, "v2", olds, { ...olds, gpus: ["a", "c"] });
    expect(kept).toMatchObject({ changes: true, changed: ["gpus"], replaces: [], reasons: [] });
    const left = diffInputs(widget, "v2", olds, { ...olds, gpus: ["c"] });
    expect(left.reasons).toEqual([{ property: "gpus", reason: `gpus: ${GPU_LEFT_LIST}` }]);
    // The same field is a plain replacement on a wire that binds it as `replace`.
    expect(diffInputs(widget, "v1", olds, { ...olds, gpus: ["a", "c"] }).replaces).toEqual(["gpus"]);
  });

  it("after an import, sends a write-only update field and takes a write-only replace field as given", () => {
    const imported = { name: "w", zone: "z1" };
    const d = diffInputs(widget, "v2", imported, { ...imported, token: "t2", flavor: "f2" });
    expect(d).toMatchObject({ changes: true, changed: ["token", "flavor"], replaces: [] });
    // With a value in state, the write-only replace field compares like any other.
    expect(diffInputs(widget, "v2", olds, { ...olds, flavor: "f2" }).replaces).toEqual(["flavor"]);
    expect(diffInputs(widget, "v2", olds, { ...olds, token: "t2" })).toMatchObject({ changed: ["token"], replaces: [] });
  });

  it("never diffs a setting or a field the program leaves out", () => {
    expect(diffInputs(widget, "v2", olds, { ...olds, waitSeconds: 600 }).changes).toBe(false);
    const { size: _size, image: _image, ...fewer } = olds;
    expect(diffInputs(widget, "v2", olds, fewer).changes).toBe(false);
  });

  it("treats a value unknown during preview as a change", () => {
    expect(diffInputs(widget, "v2", olds, { ...olds, zone: UNKNOWN }).replaces).toEqual(["zone"]);
    expect(diffInputs(widget, "v2", olds, { ...olds, size: UNKNOWN })).toMatchObject({ changed: ["size"], replaces: [] });
  });

  it("replaces for a changed field the wire cannot express", () => {
    const d = diffInputs(widget, "v1", { ...base, tier: "basic" }, { ...base, tier: "fast" });
    expect(d.reasons).toEqual([{ property: "tier", reason: `tier: ${V1} cannot express tier` }]);
  });

  it("deletes first where names are unique and the name is explicit, never for an auto-name", () => {
    expect(diffInputs(widget, "v2", olds, { ...olds, zone: "z2" }).deleteBeforeReplace).toBe(true);
    expect(diffInputs(widget, "v2", olds, { ...olds, zone: "z2", [AUTONAME_KEY]: "w" }).deleteBeforeReplace).toBe(false);
    expect(diffInputs(widget, "v2", olds, { ...olds, size: 20 }).deleteBeforeReplace).toBe(false);
    expect(diffInputs(plainWidget, "v2", olds, { ...olds, zone: "z2" }).deleteBeforeReplace).toBe(false);
  });
});

describe("the provider's voice for zod's defaults", () => {
  test("check speaks it, while zod's global defaults stay zod's for programs that use zod themselves", () => {
    const { failures } = checkInputs(widget, "v2", {}, { name: "w", size: "ten" });
    expect(failures).toEqual([expect.objectContaining({ property: "size", reason: "size: must be a number" })]);
    const own = z.string().safeParse(1);
    expect(own.success).toBe(false);
    expect(own.error?.issues[0].message).toBe("Expected string, received number");
  });
});
