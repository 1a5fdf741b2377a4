// The check shared by the experiment tests: a refit with a design's measured result against the importance-weighted
// prediction for that result (predictTestResult).
import { expect } from 'vitest';
import type { BayesianFit, TestResultPrediction } from '../src/index.js';

/**
 * The tolerance of |log(predicted / realised narrowing)|: the errors of the two intervals' log-widths, each ≈ 0.91/√n
 * relative for n effective draws (the weights' ESS; the refit's at least the gate's 400), at four standard errors.
 */
export function narrowingTolerance(ess: number): number {
  return 4 * 0.91 * Math.sqrt(1 / ess + 1 / 400);
}

/** Both gates passed, the narrowing as predicted, the interval not wider after the test, and the true ROAS inside it. */
export function expectRefitAsPredicted(
  fit: BayesianFit,
  refit: BayesianFit,
  channel: string,
  predicted: TestResultPrediction,
  trueRoas: number,
): void {
  expect(fit.diagnostics.passed && refit.diagnostics.passed).toBe(true);
  const logWidth = (r: { lower: number; upper: number }) => Math.log(r.upper / r.lower);
  const before = fit.channels[channel].roas;
  const after = refit.channels[channel].roas;
  const realised = logWidth(before) / logWidth(after);
  expect(Math.abs(Math.log(predicted.narrowing / realised)), `${predicted.narrowing} vs ${realised} (ESS ${predicted.ess})`).toBeLessThan(
    narrowingTolerance(predicted.ess),
  );
  expect(logWidth(after)).toBeLessThanOrEqual(logWidth(before));
  expect(trueRoas).toBeGreaterThanOrEqual(after.lower);
  expect(trueRoas).toBeLessThanOrEqual(after.upper);
}
