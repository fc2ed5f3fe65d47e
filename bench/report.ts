/** A benchmark row: what was measured, its value, the target (if any) and whether it was met. */
export interface Row {
  measure: string;
  value: string;
  target?: string;
  /** undefined = informational (no target). */
  pass?: boolean;
}

/** Plain-text table, also valid Markdown, so it can be pasted into the README as is. */
export function table(rows: Row[]): string {
  const header = ["Measure", "Value", "Target", "Result"];
  const cells = rows.map((r) => [r.measure, r.value, r.target ?? "", r.pass === undefined ? "" : r.pass ? "PASS" : "MISS"]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((s, i) => s.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)].join("\n");
}

export const ms = (n: number) => `${Math.round(n)} ms`;
export const ratio = (n: number) => `${n.toFixed(2)}×`;
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The middle value (the lower of the two middles for an even count); NaN when empty. */
export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The item whose key is the median: one real run to quote whole, not a blend of several. */
export function medianBy<T>(items: T[], key: (t: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * Median over rounds of a[i] ÷ b[i]: both ran in the same round, minutes apart at most, so the
 * ratio cancels what load other processes put on a shared machine at that moment.
 */
export function pairedRatio(a: number[], b: number[]): number {
  return median(a.map((x, i) => x / b[i]));
}

/**
 * A paired ratio as the table shows it: the median, and the lowest and highest round. On a shared
 * machine a single round moves by ±0.1; a verdict near its threshold is only as sure as that spread.
 */
export function ratioWithSpread(a: number[], b: number[]): string {
  const rs = a.map((x, i) => x / b[i]).filter((r) => Number.isFinite(r));
  if (rs.length === 0) return "n/a";
  return `${ratio(median(rs))} (rounds ${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)})`;
}
