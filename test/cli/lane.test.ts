// The real-CLI lane where the CLI cannot run: its skip path, and its assertions proven on a
// `pulumi stack export` fixture (hand-written in the CLI's deployment v3 shape, not recorded).
import * as fs from "node:fs";
import * as path from "node:path";
import { checkConverged, checkOneUpdate, checkPodImages, checkPreviewSteps, CliExport, EmuState } from "./assertions";
import { findPulumi, main, MISSING_CLI } from "./main";

const fixture = (): CliExport =>
  JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "test", "cli", "fixtures", "export-after-up.json"), "utf8"));
const counts = { NetworkVolume: 1, Template: 1, Pod: 1 };
const emu = (): EmuState => ({
  networkVolumes: [{ id: "nv1" }],
  templates: [{ id: "tp1" }, { id: "runpod-torch-v240", catalog: true }],
  pods: [{ id: "pd1" }],
  secrets: [],
  registries: [],
  endpoints: [],
});

test("without the pulumi CLI on PATH it says so and runs nothing", async () => {
  const out: string[] = [];
  expect(findPulumi("/nonexistent-dir")).toBeUndefined();
  expect(await main({ PATH: "/nonexistent-dir" }, (s) => out.push(s))).toBe(0);
  expect(out.join("")).toBe(MISSING_CLI);
});

test("converged: the export and the emulator hold the same objects; a stray or a missing object is named", () => {
  expect(checkConverged(fixture(), emu(), counts)).toEqual([]);
  const stray = emu();
  stray.pods.push({ id: "pd-stray" });
  expect(checkConverged(fixture(), stray, counts)).toEqual([expect.stringMatching(/^Pod: state ids \["pd1"\] ≠ emulator ids \["pd-stray","pd1"\]/)]);
  expect(checkConverged(fixture(), emu(), { ...counts, Pod: 3 })).toEqual(["state holds 1 Pod, expected 3"]);
  const pending = fixture();
  pending.deployment!.resources![4].id = "pending-create-1";
  expect(checkConverged(pending, { ...emu(), pods: [{ id: "pending-create-1" }] }, counts)).toEqual(["Pod trainer-0 is pending"]);
});

test("one update: the edited resource keeps its id and shows the new value; a replacement is caught", () => {
  const before = fixture();
  const after = fixture();
  after.deployment!.resources![3].outputs!.imageName = "ghcr.io/acme/trainer:1.5.0";
  after.deployment!.resources![4].outputs!.status = "RUNNING";
  expect(checkOneUpdate(before, after, "trainer", "imageName", "ghcr.io/acme/trainer:1.5.0")).toEqual([]);
  after.deployment!.resources![3].id = "tp2";
  expect(checkOneUpdate(before, after, "trainer", "imageName", "ghcr.io/acme/trainer:1.5.0")).toEqual([
    "trainer: id changed (tp1 → tp2): replaced, not updated",
  ]);
  expect(checkOneUpdate(before, fixture(), "trainer", "imageName", "x")).toEqual(['trainer: imageName is "ghcr.io/acme/trainer:1.4.0", expected "x"']);
});

test("pod images: a pod still on the old image is caught", () => {
  const after = fixture();
  expect(checkPodImages(after, ["trainer-0"], "ghcr.io/acme/trainer:1.5.0")).toEqual(['trainer-0: image is undefined, expected "ghcr.io/acme/trainer:1.5.0"']);
  after.deployment!.resources![4].outputs!.image = "ghcr.io/acme/trainer:1.5.0";
  expect(checkPodImages(after, ["trainer-0"], "ghcr.io/acme/trainer:1.5.0")).toEqual([]);
});

test("preview steps: exactly one update of the edited resource", () => {
  const urn = (n: string) => `urn:pulumi:cli-lane::runpod-fleet::pulumi-nodejs:dynamic/runpod:Template::${n}`;
  expect(
    checkPreviewSteps(
      {
        steps: [
          { op: "same", urn: urn("worker") },
          { op: "update", urn: urn("trainer") },
        ],
      },
      "trainer",
    ),
  ).toEqual([]);
  expect(checkPreviewSteps({ steps: [{ op: "replace", urn: urn("trainer") }] }, "trainer")).toHaveLength(1);
  const podUrn = (n: string) => urn(n).replace(":Template::", ":Pod::");
  const rolledSteps = [
    { op: "update", urn: podUrn("trainer-1") },
    { op: "update", urn: urn("trainer") },
    { op: "update", urn: podUrn("trainer-0") },
  ];
  expect(checkPreviewSteps({ steps: rolledSteps }, "trainer", ["trainer-0", "trainer-1"])).toEqual([]);
  expect(checkPreviewSteps({ steps: rolledSteps.slice(0, 2) }, "trainer", ["trainer-0", "trainer-1"])).toHaveLength(1);
  expect(
    checkPreviewSteps(
      {
        steps: [
          { op: "update", urn: urn("trainer") },
          { op: "update", urn: urn("worker") },
        ],
      },
      "trainer",
    ),
  ).toHaveLength(1);
});
