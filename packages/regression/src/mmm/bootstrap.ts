import { NotConvergedError, assertInteger } from '@mmm/core';
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
  /** the curve parameters this fit used */
  curves: number[];
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
 * Refits a classical MMM on moving-block bootstrap resamples of the periods (Künsch 1989): blocks of `blockLength`
 * consecutive periods (default ⌈T^(1/3)⌉, which keeps a few weeks of autocorrelation together) drawn with
 * replacement until T periods are filled. The media features are computed on the data in time order before any
 * resampling, so carry-over stays as fitted.
 *
 * With `pool` (candidates of a search, e.g. its best by validation error) each resample also chooses its curves: every
 * pool member is refit on the resample and the one with the least error on the periods the resample left out (its
 * out-of-bag periods) is kept, so the intervals carry the uncertainty of the choice of curves, not only that of the
 * coefficients given them. Without it the curves are held at `choice`.
 */
export function bootstrapMMM(
  problem: MMMProblem,
  choice: { curves: ArrayLike<number>; penalty: number },
  options: Partial<PenaltyOptions> & {
    resamples?: number;
    blockLength?: number;
    seed?: number;
    pool?: ReadonlyArray<{ curves: ArrayLike<number>; penalty: number }>;
  } = {},
): BootstrapResult {
  const cp = checkProblem(problem);
  const T = cp.T;
  const resamples = options.resamples ?? 200;
  assertInteger('resamples', resamples, 0);
  const blockLength = options.blockLength ?? Math.ceil(T ** (1 / 3));
  assertInteger('blockLength', blockLength, 1);
  const seed = options.seed ?? 1;
  assertInteger('seed', seed);
  const engine = new Engine(
    cp,
    { method: options.method ?? 'ridge', l1Ratio: options.l1Ratio ?? 0.5, nonNegative: options.nonNegative ?? true },
    [],
  );
  engine.setCurves(choice.curves);
  const out: SegmentFit = { w: new Float64Array(engine.p), intercept: 0, ok: true };
  const all = { start: 0, end: T };
  const rss = engine.fit(all, choice.penalty, out, 1e-10);
  const read = (r: number, m: number, curves: ArrayLike<number>): MMMCoefficients => ({
    intercept: out.intercept,
    coefficients: Array.from(out.w),
    sigma: Math.sqrt(r / m),
    curves: Array.from(curves),
  });
  const point = { ...read(rss, T, choice.curves), r2: 1 - rss / engine.totalSumOfSquares(all) };
  const rng = createRng(seed, 13);
  const L = Math.min(blockLength, T);
  const samples = Array.from({ length: resamples }, () => {
    const rows = new Int32Array(T);
    for (let filled = 0; filled < T; ) {
      const start = Math.floor(rng.uniform() * (T - L + 1));
      for (let k = 0; k < L && filled < T; k++) rows[filled++] = start + k;
    }
    return rows;
  });
  const pool = options.pool && options.pool.length > 0 ? options.pool : [choice];
  const draws: MMMCoefficients[] = new Array(resamples);
  const bestError = new Float64Array(resamples).fill(Infinity);
  const inBag = new Uint8Array(T);
  for (const member of pool) {
    engine.setCurves(member.curves);
    samples.forEach((rows, s) => {
      const r = engine.fitRows(rows, member.penalty, out, 1e-10);
      if (Number.isNaN(r))
        throw new NotConvergedError(
          'bootstrap',
          'A resample made the design singular: use ridge (a penalty), or fewer channels and controls.',
        );
      // out-of-bag error (a resample leaves out about a third of the periods); with one member there is nothing to choose
      let err = 0;
      if (pool.length > 1) {
        inBag.fill(0);
        for (const t of rows) inBag[t] = 1;
        err = engine.squaredError(out, inBag);
      }
      if (err < bestError[s]) {
        bestError[s] = err;
        draws[s] = read(r, T, member.curves);
      }
    });
  }
  return { point, draws, blockLength: L, resamples, seed };
}
