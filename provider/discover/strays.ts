import { FoundObject } from "./list";

/** What `pulumi stack export` prints, as far as strays need it. */
export interface StackExport {
  deployment?: { resources?: Array<{ type?: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }> };
}

/** An object no stack state knows: what an interrupted `pulumi up` leaves behind. */
export interface Stray extends FoundObject {
  /** Hours since Runpod created it, when Runpod reports a creation time. */
  ageHours?: number;
}

const PENDING = "pending-create-";

/** Every id the states track, and (kind:name) of creates kept pending, which refresh will adopt. */
function tracked(states: StackExport[]): { ids: Set<string>; pendingNames: Set<string> } {
  const ids = new Set<string>();
  const pendingNames = new Set<string>();
  for (const state of states) {
    for (const r of state.deployment?.resources ?? []) {
      if (!r.id) continue;
      if (r.id.startsWith(PENDING)) {
        const type = (r.type ?? "").split(":").pop() ?? "";
        const name = r.outputs?.name ?? r.inputs?.name;
        if (typeof name === "string") pendingNames.add(`${type}:${name}`);
      } else ids.add(r.id);
    }
  }
  return { ids, pendingNames };
}

/**
 * The objects none of the given stack states tracks. A create the stack kept as pending (its answer
 * was lost) is not a stray: the next `pulumi refresh` adopts it by name.
 */
export function findStrays(objects: FoundObject[], states: StackExport[], now = Date.now()): Stray[] {
  const { ids, pendingNames } = tracked(states);
  return objects
    .filter((o) => !ids.has(o.id) && !pendingNames.has(`${o.typeName}:${o.name}`))
    .map((o) => {
      const created = o.createdAt ? Date.parse(o.createdAt) : NaN;
      return Number.isFinite(created) ? { ...o, ageHours: Math.max(0, (now - created) / 3_600_000) } : { ...o };
    });
}

function age(hours: number | undefined): string {
  if (hours === undefined) return "age unknown";
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} days`;
}

/** A table of strays: kind, name, id, age, hourly cost, and a total of what Runpod bills per hour. */
export function renderStrays(strays: Stray[]): string {
  if (strays.length === 0) return "No strays: every Runpod object of the account is tracked by the given stack state(s).\n";
  const rows = strays.map((s) => [s.typeName, s.name, s.id, age(s.ageHours), s.costPerHour === undefined ? "-" : `$${s.costPerHour.toFixed(3)}/h`]);
  const head = ["KIND", "NAME", "ID", "AGE", "COST"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const total = strays.reduce((sum, s) => sum + (s.costPerHour ?? 0), 0);
  return (
    [
      `${strays.length} object(s) no stack state tracks (strays, e.g. from an interrupted \`pulumi up\`):`,
      fmt(head),
      ...rows.map(fmt),
      `Billed per hour for the strays that report a cost: $${total.toFixed(3)}/h. Delete them in the Runpod console, or adopt them into a stack.`,
    ].join("\n") + "\n"
  );
}
