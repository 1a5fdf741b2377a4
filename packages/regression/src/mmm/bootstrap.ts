import { assertInteger } from '@mmm/core';
import { createRng } from '@mmm/bayes-nuts';
import { Engine, type PenaltyOptions, type SegmentFit } from './engine.js';
import { checkProblem, type MMMProblem } from './problem.js';

/** One fit of a classical MMM with its curves held: coefficients of the base columns then the media features. */
export interface MMMCoefficients {
  intercept: number;
  /** base columns (in the problem's order), then one β per channel */
  coefficients: number[];
  /** residual sd of the fit on its rows */
  sigma: number;
}

/** What {@link bootstrapMMM} returns. */
export interface BootstrapResult {
  /** the fit on all periods */
  point: MMMCoefficients & { r2: number };
  /** one refit per resample */
  draws: MMMCoefficients[];
  blockLength: number;
  resamples: number;
  seed: number;
}

/**
 * Refits a classical MMM with its curve parameters and penalty held at a chosen candidate on moving-block bootstrap
 * resamples of the periods (Künsch 1989): blocks of `blockLength` consecutive periods (default ⌈T^(1/3)⌉, which
 * keeps a few weeks of autocorrelation together) drawn with replacement until T periods are filled. The media
 * features are computed on the data in time order before any resampling, so carry-over stays as fitted.
 */
export function bootstrapMMM(problem: MMMProblem, choice: { curves: ArrayLike<number>; penalty: number }, options: Partial<PenaltyOptions> & { resamples?: number; blockLength?: number; seed?: number } = {}): BootstrapResult {
  const cp = checkProblem(problem);
  const T = cp.T;
  const resamples = options.resamples ?? 200;
  assertInteger('resamples', resamples, 0);
  const blockLength = options.blockLength ?? Math.ceil(T ** (1 / 3));
  assertInteger('blockLength', blockLength, 1);
  const seed = options.seed ?? 1;
  assertInteger('seed', seed);
  const engine = new Engine(cp, { method: options.method ?? 'ridge', l1Ratio: options.l1Ratio ?? 0.5, nonNegative: options.nonNegative ?? true }, []);
  engine.setCurves(choice.curves);
  const out: SegmentFit = { w: new Float64Array(engine.p), intercept: 0, ok: true };
  const all = { start: 0, end: T };
  const rss = engine.fit(all, choice.penalty, out, 1e-10);
  const read = (r: number, m: number): MMMCoefficients => ({ intercept: out.intercept, coefficients: Array.from(out.w), sigma: Math.sqrt(r / m) });
  const point = { ...read(rss, T), r2: 1 - rss / engine.totalSumOfSquares(all) };
  const rng = createRng(seed, 13);
  const rows = new Int32Array(T);
  const draws: MMMCoefficients[] = [];
  const L = Math.min(blockLength, T);
  for (let s = 0; s < resamples; s++) {
    for (let filled = 0; filled < T; ) {
      const start = Math.floor(rng.uniform() * (T - L + 1));
      for (let k = 0; k < L && filled < T; k++) rows[filled++] = start + k;
    }
    const r = engine.fitRows(rows, choice.penalty, out, 1e-10);
    draws.push(read(r, T));
  }
  return { point, draws, blockLength: L, resamples, seed };
}
