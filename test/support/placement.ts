/**
 * What the placement suites (GPU and CPU) read back from the emulator, and the one shape every
 * "all candidates refused" failure must have, whichever kind of candidate was tried.
 */
import { EngineOpError, EngineResource } from "../harness";
import type { TestStack, Wire } from "./stack";

/** The pod creates the emulator received (either wire). */
export const creates = (stack: TestStack) => stack.emulator.requests().filter((r) => r.method === "POST" && /\/v[12]\/pods$/.test(r.path));

/** The creates Runpod refused (no capacity). */
export const refused = (stack: TestStack) => creates(stack).filter((r) => r.status === 400);

/**
 * Every candidate refused: one capacity error (`headline`) naming each candidate with Runpod's
 * answer and the catalog's availability, how the wire tried them, no init failure, nothing in
 * state or on Runpod, and exactly one refusal per try (v2 tries each, v1 sends the list once).
 */
export function expectAllRefused(error: unknown, headline: RegExp, candidates: readonly string[], res: EngineResource, stack: TestStack, wire: Wire): void {
  expect(error).toBeInstanceOf(EngineOpError);
  const message = (error as EngineOpError).message;
  expect(message).toMatch(headline);
  for (const id of candidates) expect(message).toMatch(new RegExp(`${id}: [^;]+ \\(catalog availability: NONE\\)`));
  expect(message).toContain(wire === "v2" ? "tried in turn" : "tried as one list");
  expect((error as EngineOpError).initFailure).toBeUndefined();
  expect(res.state).toBeUndefined();
  expect(stack.emulator.list("pods")).toEqual([]);
  expect(refused(stack)).toHaveLength(wire === "v2" ? candidates.length : 1);
}
