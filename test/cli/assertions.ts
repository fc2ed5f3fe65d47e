// What the real-CLI lane asserts after each step, on `pulumi stack export` JSON and the emulator's
// state: pure functions, so they are proven on a fixture where the CLI cannot run.

/** The parts of `pulumi stack export` (deployment version 3) the lane reads. */
export interface CliExport {
  deployment?: {
    resources?: Array<{
      urn: string;
      type: string;
      id?: string;
      custom?: boolean;
      outputs?: Record<string, unknown>;
      pendingReplacement?: boolean;
      delete?: boolean;
    }>;
  };
}

/** The emulator's `/__emulator/state`, reduced to ids and names per collection. */
export type EmuState = Record<string, Array<{ id: string; name?: string; imageName?: string; image?: string; catalog?: boolean }>>;

const RUNPOD_TYPE = /^pulumi-nodejs:dynamic\/runpod:(\w+)$/;

/** Runpod resources in the export: type name → logical name → id. */
export function runpodResources(exp: CliExport): Array<{ type: string; name: string; id: string; outputs: Record<string, unknown> }> {
  return (exp.deployment?.resources ?? [])
    .filter((r) => RUNPOD_TYPE.test(r.type) && !r.delete)
    .map((r) => ({ type: RUNPOD_TYPE.exec(r.type)![1], name: r.urn.split("::").pop()!, id: r.id ?? "", outputs: r.outputs ?? {} }));
}

const COLLECTION: Record<string, string> = {
  NetworkVolume: "networkVolumes",
  Template: "templates",
  Secret: "secrets",
  ContainerRegistryAuth: "registries",
  Pod: "pods",
  Endpoint: "endpoints",
};

/** Problems (empty = fine): the state and the emulator hold exactly the same objects, and the fleet's counts. */
export function checkConverged(exp: CliExport, emu: EmuState, expected: Record<string, number>): string[] {
  const problems: string[] = [];
  const resources = runpodResources(exp);
  for (const [type, count] of Object.entries(expected)) {
    const inState = resources.filter((r) => r.type === type);
    if (inState.length !== count) problems.push(`state holds ${inState.length} ${type}, expected ${count}`);
  }
  for (const [type, collection] of Object.entries(COLLECTION)) {
    const stateIds = resources
      .filter((r) => r.type === type)
      .map((r) => r.id)
      .sort();
    const emuIds = (emu[collection] ?? [])
      .filter((o) => !o.catalog)
      .map((o) => o.id)
      .sort();
    if (JSON.stringify(stateIds) !== JSON.stringify(emuIds))
      problems.push(`${type}: state ids ${JSON.stringify(stateIds)} ≠ emulator ids ${JSON.stringify(emuIds)}`);
  }
  for (const r of resources) if (r.id.startsWith("pending-create-")) problems.push(`${r.type} ${r.name} is pending`);
  return problems;
}

/** Problems: between two exports exactly the named resource changed (same id: in place), all else identical ids. */
export function checkOneUpdate(before: CliExport, after: CliExport, name: string, output: string, value: unknown): string[] {
  const problems: string[] = [];
  const a = new Map(runpodResources(before).map((r) => [r.name, r]));
  const b = new Map(runpodResources(after).map((r) => [r.name, r]));
  if ([...a.keys()].sort().join() !== [...b.keys()].sort().join()) problems.push("the set of resources changed");
  for (const [n, r] of a) {
    const next = b.get(n);
    if (!next) continue;
    if (next.id !== r.id) problems.push(`${n}: id changed (${r.id} → ${next.id}): replaced, not updated`);
    const changed = JSON.stringify(next.outputs) !== JSON.stringify(r.outputs);
    if (n === name && next.outputs[output] !== value)
      problems.push(`${n}: ${output} is ${JSON.stringify(next.outputs[output])}, expected ${JSON.stringify(value)}`);
    if (n !== name && changed && r.type !== "Pod") problems.push(`${n}: outputs changed though only ${name} was edited`);
  }
  return problems;
}

/**
 * Problems: `pulumi preview --json` steps show exactly one update of `name`, plus an update of each
 * of `rolled` (the pods and endpoints a template edit rolls out to), and nothing else.
 */
export function checkPreviewSteps(preview: { steps?: Array<{ op: string; urn: string }> }, name: string, rolled: string[] = []): string[] {
  const changes = (preview.steps ?? []).filter((s) => s.op !== "same" && s.op !== "read");
  const desc = changes.map((s) => `${s.op} ${s.urn.split("::").pop()}`).sort();
  const expected = [name, ...rolled].map((n) => `update ${n}`).sort();
  return JSON.stringify(desc) === JSON.stringify(expected) ? [] : [`preview plans ${JSON.stringify(desc)}, expected exactly ${JSON.stringify(expected)}`];
}

/** Problems: each named pod reports running `image` (a rolled template reached it). */
export function checkPodImages(exp: CliExport, names: string[], image: string): string[] {
  const byName = new Map(runpodResources(exp).map((r) => [r.name, r]));
  return names
    .filter((n) => byName.get(n)?.outputs.image !== image)
    .map((n) => `${n}: image is ${JSON.stringify(byName.get(n)?.outputs.image)}, expected ${JSON.stringify(image)}`);
}
