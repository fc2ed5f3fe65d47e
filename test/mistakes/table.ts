/**
 * The shape of a "mistakes" suite: each row is an input a user plausibly writes by mistake; check
 * through the real dynamic-provider host must fail naming the property, in the provider's voice
 * (never zod's defaults), with zero requests to the emulator — except the rows marked
 * {@link fromCatalog}, which only Runpod's catalog can judge: those make catalog reads and nothing
 * else. One emulator per file, shared by one host per wire (a host takes its wire from its first
 * Configure).
 */
import { beyondCatalogReads, startStack, TestStack, Wire } from "../support/stack";

export type Case = [label: string, news: Record<string, unknown>, property: string, olds?: Record<string, unknown>];

const CATALOG_ROWS = new WeakSet<object>();
/** A mistake only the live catalog can tell (an id or count Runpod does not offer). */
export function fromCatalog(row: Case): Case {
  CATALOG_ROWS.add(row[1]);
  return row;
}

/** zod's own wordings, which must never reach a user. */
const LIBRARY_VOICE = /Expected |Required|Invalid input|received|Invalid enum value|Number must|String must|Array must/;

export function mistakes(kind: string, cases: { both: Case[]; v2?: Case[]; v1?: Case[] }): void {
  const stacks: Partial<Record<Wire, TestStack>> = {};
  beforeAll(async () => {
    stacks.v2 = await startStack({ wire: "v2" });
    stacks.v1 = await startStack({ wire: "v1", sharedEmulator: stacks.v2.emulator });
  });
  afterAll(async () => {
    await stacks.v1?.close();
    await stacks.v2?.close();
  });

  describe.each<[Wire, Case[]]>([
    ["v2", [...cases.both, ...(cases.v2 ?? [])]],
    ["v1", [...cases.both, ...(cases.v1 ?? [])]],
  ])(`${kind}: a mistake on REST %s fails check naming the property, with no request`, (wire, rows) => {
    // Every row gets all four arguments: with fewer, jest would take the last parameter for `done`.
    test.each(rows.map(([label, news, property, olds]): Case => [label, news, property, olds ?? {}]))("%s", async (_label, news, property, olds) => {
      const stack = stacks[wire]!;
      stack.emulator.clearLog();
      const failures = await stack.check(kind, news, olds);
      expect(failures.map((f) => f.property)).toContain(property);
      const failure = failures.find((f) => f.property === property)!;
      expect(failure.reason.startsWith(`${property}: `)).toBe(true);
      for (const f of failures) expect(f.reason).not.toMatch(LIBRARY_VOICE);
      if (CATALOG_ROWS.has(news)) expect(beyondCatalogReads(stack.emulator)).toEqual([]);
      else expect(stack.emulator.requests()).toHaveLength(0);
    });
  });
}
