/** How `npm run bench` states a ratio between two providers that ran side by side (bench/report.ts). */
import { pairedRatio, ratioWithSpread } from "../../bench/report";

test("a paired ratio is the median of the per-round ratios, not the ratio of medians", () => {
  // Round 2 ran on a loaded machine for both: pairing cancels it, a ratio of medians would not.
  const runpod = [100, 300, 110, 105, 98];
  const lean = [100, 290, 100, 100, 100];
  expect(pairedRatio(runpod, lean)).toBeCloseTo(1.0345, 3);
  expect(ratioWithSpread(runpod, lean)).toBe("1.03× (rounds 0.98–1.10)");
});

test("rounds without a figure are left out of the spread; none at all is said", () => {
  expect(ratioWithSpread([100, NaN, 120], [100, 100, 100])).toBe("1.00× (rounds 1.00–1.20)");
  expect(ratioWithSpread([NaN], [100])).toBe("n/a");
});
