import { InvalidInputError, InvalidParameterError, NotConvergedError, assertInRange, assertInteger } from '@mmm/core';
import { readBounds, readDesign, readResponse, type Design, type DesignInput } from './design.js';
import { boundedQuadratic, coordinateDescent, quadraticWorkspace } from './kernels.js';
import { elasticNet, ridge, type CommonOptions, type RegressionResult } from './solvers.js';

/** One cross-validation fold: row indices to fit on and to score on. */
export interface Fold {
  train: number[];
  test: number[];
}

/**
 * Time-ordered cross-validation folds, equal to scikit-learn's `TimeSeriesSplit` for the same arguments: `nSplits`
 * consecutive test blocks of `testSize` rows (default ⌊n / (nSplits + 1)⌋) ending at the last row, each trained on
 * every earlier row up to `gap` rows before the test block (the last `maxTrainSize` of them when given).
 * @example
 * timeSeriesSplit(6, { nSplits: 2 }); // [{ train: [0, 1], test: [2, 3] }, { train: [0, 1, 2, 3], test: [4, 5] }]
 */
export function timeSeriesSplit(
  nSamples: number,
  options: { nSplits?: number; testSize?: number; gap?: number; maxTrainSize?: number } = {},
): Fold[] {
  assertInteger('nSamples', nSamples, 1);
  const nSplits = options.nSplits ?? 5;
  assertInteger('nSplits', nSplits, 2);
  const gap = options.gap ?? 0;
  assertInteger('gap', gap, 0);
  const nFolds = nSplits + 1;
  if (nFolds > nSamples)
    throw new InvalidInputError(
      'nSplits',
      `is ${nSplits}: ${nFolds} folds for ${nSamples} samples`,
      `Use at most nSplits = ${nSamples - 1}.`,
    );
  const testSize = options.testSize ?? Math.floor(nSamples / nFolds);
  assertInteger('testSize', testSize, 1);
  if (options.maxTrainSize !== undefined) assertInteger('maxTrainSize', options.maxTrainSize, 1);
  if (nSamples - gap - testSize * nSplits <= 0) {
    throw new InvalidInputError(
      'nSplits',
      `is ${nSplits} with testSize ${testSize} and gap ${gap} for ${nSamples} samples`,
      'Leave at least one training row before the first test block: fewer splits, a smaller testSize or gap.',
    );
  }
  const folds: Fold[] = [];
  for (let testStart = nSamples - nSplits * testSize; testStart < nSamples; testStart += testSize) {
    const trainEnd = testStart - gap;
    const trainStart = options.maxTrainSize !== undefined && options.maxTrainSize < trainEnd ? trainEnd - options.maxTrainSize : 0;
    folds.push({ train: range(trainStart, trainEnd), test: range(testStart, Math.min(nSamples, testStart + testSize)) });
  }
  return folds;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

/** The centred normal equations of the rows `rows` of a design. @internal */
interface RowProblem {
  m: number;
  xMean: Float64Array;
  yMean: number;
  gram: Float64Array;
  xty: Float64Array;
  yy: number;
}

/** Forms the (centred) normal equations of a subset of rows. @internal */
function rowProblem(d: Design, y: Float64Array, rows: readonly number[], fitIntercept: boolean): RowProblem {
  const p = d.p;
  const m = rows.length;
  const xMean = new Float64Array(p);
  let yMean = 0;
  if (fitIntercept) {
    for (const i of rows) yMean += y[i];
    yMean /= m;
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (const i of rows) s += d.cols[j][i];
      xMean[j] = s / m;
    }
  }
  const gram = new Float64Array(p * p);
  const xty = new Float64Array(p);
  let yy = 0;
  for (const i of rows) yy += (y[i] - yMean) ** 2;
  for (let j = 0; j < p; j++) {
    const a = d.cols[j];
    let s = 0;
    for (const i of rows) s += (a[i] - xMean[j]) * (y[i] - yMean);
    xty[j] = s;
    for (let k = 0; k <= j; k++) {
      const b = d.cols[k];
      let t = 0;
      for (const i of rows) t += (a[i] - xMean[j]) * (b[i] - xMean[k]);
      gram[j * p + k] = t;
      gram[k * p + j] = t;
    }
  }
  return { m, xMean, yMean, gram, xty, yy };
}

/** Mean squared error on `rows` of the model (w, intercept from the training means). @internal */
function foldMse(d: Design, y: Float64Array, rows: readonly number[], w: Float64Array, prob: RowProblem): number {
  let b = prob.yMean;
  for (let j = 0; j < d.p; j++) b -= prob.xMean[j] * w[j];
  let s = 0;
  for (const i of rows) {
    let f = b;
    for (let j = 0; j < d.p; j++) f += d.cols[j][i] * w[j];
    s += (y[i] - f) ** 2;
  }
  return s / rows.length;
}

/** Checks folds against n rows; 'loo' becomes n one-row folds. @internal */
function readFolds(cv: ReadonlyArray<Fold> | 'loo' | undefined, n: number, fallback: () => Fold[]): Fold[] {
  if (cv === 'loo') return range(0, n).map((i) => ({ train: range(0, n).filter((k) => k !== i), test: [i] }));
  const folds = cv ?? fallback();
  if (folds.length === 0) throw new InvalidInputError('cv', 'has no folds', 'Give folds (e.g. timeSeriesSplit(n)) or "loo".');
  folds.forEach((f, k) => {
    for (const [name, rows] of [
      ['train', f.train],
      ['test', f.test],
    ] as const) {
      if (!Array.isArray(rows) || rows.length === 0)
        throw new InvalidInputError(`cv[${k}].${name}`, 'is empty', 'Give every fold training and test rows.');
      for (const i of rows)
        if (!(Number.isInteger(i) && i >= 0 && i < n))
          throw new InvalidInputError(`cv[${k}].${name}`, `holds row ${i}`, `Rows are 0 … ${n - 1}.`);
    }
  });
  return [...folds];
}

/** What the cross-validated solvers return: the refit at the chosen penalty, and the scores it was chosen by. */
export interface CVResult extends RegressionResult {
  alpha: number;
  /** elasticNetCV: the chosen l1Ratio */
  l1Ratio?: number;
  /** the penalties tried, largest first for the descent paths */
  alphas: number[];
  /** mean test MSE over folds per penalty (`[l1Ratio][alpha]` for elasticNetCV) */
  meanMse: number[] | number[][];
  /**
   * lassoCV and elasticNetCV: how many fold fits along the paths stopped at `maxIter` before `tol` (their last iterate
   * was scored, as scikit-learn does with a warning); raise `maxIter` when it is not 0
   */
  notConverged?: number;
}

/**
 * Ridge over a grid of penalties, as scikit-learn's `RidgeCV`: each α scored by the mean test MSE over the folds
 * (`cv`: folds such as {@link timeSeriesSplit}'s, or `'loo'`, leave-one-out, the default as scikit-learn's), then
 * refit on all rows at the best. Every fold is solved exactly on its own normal equations, so bounds are honoured in
 * the folds too.
 */
export function ridgeCV(
  X: DesignInput,
  y: ArrayLike<number>,
  options: CommonOptions & { alphas?: readonly number[]; cv?: ReadonlyArray<Fold> | 'loo' } = {},
): CVResult {
  const alphas = [...(options.alphas ?? [0.1, 1, 10])];
  if (alphas.length === 0) throw new InvalidInputError('alphas', 'is empty', 'Give at least one penalty.');
  alphas.forEach((a, k) => {
    if (!(a > 0 && Number.isFinite(a))) throw new InvalidParameterError(`alphas[${k}]`, a, '(0, ∞)');
  });
  const fitIntercept = options.fitIntercept ?? true;
  const d = readDesign(X);
  const yy = readResponse(y, d.n);
  const lb = readBounds(d.p, options.positive, options.lowerBounds);
  const folds = readFolds(options.cv, d.n, () => readFolds('loo', d.n, () => []));
  const p = d.p;
  const ws = quadraticWorkspace(p);
  const A = new Float64Array(p * p);
  const w = new Float64Array(p);
  const mse = alphas.map(() => 0);
  for (const f of folds) {
    const prob = rowProblem(d, yy, f.train, fitIntercept);
    alphas.forEach((alpha, k) => {
      A.set(prob.gram);
      for (let j = 0; j < p; j++) A[j * p + j] += alpha;
      if (boundedQuadratic(A, prob.xty, lb, w, ws) < 0)
        throw new NotConvergedError('alphas', `The fold's system is singular at alpha ${alpha}.`);
      mse[k] += foldMse(d, yy, f.test, w, prob) / folds.length;
    });
  }
  const best = mse.indexOf(Math.min(...mse));
  const fit = ridge(X, y, {
    alpha: alphas[best],
    fitIntercept,
    ...(options.positive ? { positive: true } : {}),
    ...(options.lowerBounds ? { lowerBounds: options.lowerBounds } : {}),
  });
  return { ...fit, alpha: alphas[best], alphas, meanMse: mse };
}

/** Options of {@link lassoCV} and {@link elasticNetCV}. */
export interface PathOptions extends CommonOptions {
  /** the penalties; default `nAlphas` log-spaced from α_max (all coefficients 0) down to `eps`·α_max, as scikit-learn */
  alphas?: readonly number[];
  /** @defaultValue 100 */
  nAlphas?: number;
  /** @defaultValue 1e-3 */
  eps?: number;
  /** folds; @defaultValue timeSeriesSplit(n, \{ nSplits: 5 \}) (time-ordered: MMM data are time series, where scikit-learn's default
   * shuffles nothing but ignores time) */
  cv?: ReadonlyArray<Fold>;
  /** @defaultValue 1e-4 */
  tol?: number;
  /** @defaultValue 1000 */
  maxIter?: number;
}

/** Lasso over a regularisation path with cross-validation, as scikit-learn's `LassoCV` (see {@link elasticNetCV}). */
export function lassoCV(X: DesignInput, y: ArrayLike<number>, options: PathOptions = {}): CVResult {
  const { l1Ratio: _ignored, ...fit } = elasticNetCV(X, y, { ...options, l1Ratio: 1 });
  return fit;
}

/**
 * The α path of a CV fit: the given `alphas` (checked, largest first), or `nAlphas` values from α_max down to
 * eps·α_max on a log scale (scikit-learn's). @internal
 */
function alphaGrid(options: PathOptions, alphaMax: number): number[] {
  if (options.alphas) {
    options.alphas.forEach((a, k) => {
      if (!(a >= 0 && Number.isFinite(a))) throw new InvalidParameterError(`alphas[${k}]`, a, '[0, ∞)');
    });
    return [...options.alphas].sort((a, b) => b - a);
  }
  const nAlphas = options.nAlphas ?? 100;
  assertInteger('nAlphas', nAlphas, 1);
  const eps = options.eps ?? 1e-3;
  assertInRange('eps', eps, { lower: 0, lowerOpen: true, upper: 1, upperOpen: true });
  const aMax = Math.max(alphaMax, Number.MIN_VALUE);
  return Array.from({ length: nAlphas }, (_, k) => aMax * eps ** (nAlphas === 1 ? 0 : k / (nAlphas - 1)));
}

/**
 * Elastic Net over regularisation paths with cross-validation, as scikit-learn's `ElasticNetCV`: per l1Ratio, the
 * α path from α_max = max|Xcᵀyc|/(n·l1Ratio) down, solved on each fold by coordinate descent warm-started from the
 * previous α; the (l1Ratio, α) of least mean test MSE is refit on all rows.
 */
export function elasticNetCV(
  X: DesignInput,
  y: ArrayLike<number>,
  options: PathOptions & { l1Ratio?: number | readonly number[] } = {},
): CVResult {
  const fitIntercept = options.fitIntercept ?? true;
  const d = readDesign(X);
  const yv = readResponse(y, d.n);
  const lb = readBounds(d.p, options.positive, options.lowerBounds);
  const ratios = Array.isArray(options.l1Ratio)
    ? [...(options.l1Ratio as readonly number[])]
    : [(options.l1Ratio as number | undefined) ?? 0.5];
  ratios.forEach((r, k) => assertInRange(`l1Ratio[${k}]`, r, { lower: 0, lowerOpen: true, upper: 1 }));
  const tol = options.tol ?? 1e-4;
  const maxIter = options.maxIter ?? 1000;
  const folds = readFolds(options.cv, d.n, () => timeSeriesSplit(d.n, { nSplits: 5 }));
  const all = rowProblem(d, yv, range(0, d.n), fitIntercept);
  const xtyMax = Math.max(...Array.from(all.xty, Math.abs));
  const grids = ratios.map((r) => alphaGrid(options, xtyMax / (d.n * r)));
  const p = d.p;
  const q = new Float64Array(p);
  const mse = grids.map((g) => g.map(() => 0));
  let notConverged = 0;
  for (const f of folds) {
    const prob = rowProblem(d, yv, f.train, fitIntercept);
    ratios.forEach((r, ri) => {
      const w = new Float64Array(p);
      if (lb) for (let j = 0; j < p; j++) w[j] = Math.max(0, lb[j]);
      grids[ri].forEach((alpha, k) => {
        const res = coordinateDescent(
          prob.gram,
          prob.xty,
          prob.yy,
          p,
          alpha * r * prob.m,
          alpha * (1 - r) * prob.m,
          lb,
          w,
          q,
          tol,
          maxIter,
        );
        if (!res.converged) notConverged++;
        mse[ri][k] += foldMse(d, yv, f.test, w, prob) / folds.length;
      });
    });
  }
  let bestR = 0;
  let bestK = 0;
  mse.forEach((row, ri) =>
    row.forEach((v, k) => {
      if (v < mse[bestR][bestK]) {
        bestR = ri;
        bestK = k;
      }
    }),
  );
  const fit = elasticNet(X, y, {
    alpha: grids[bestR][bestK],
    l1Ratio: ratios[bestR],
    fitIntercept,
    tol,
    maxIter,
    ...(options.positive ? { positive: true } : {}),
    ...(options.lowerBounds ? { lowerBounds: options.lowerBounds } : {}),
  });
  return {
    ...fit,
    alpha: grids[bestR][bestK],
    l1Ratio: ratios[bestR],
    alphas: grids[bestR],
    meanMse: Array.isArray(options.l1Ratio) ? mse : mse[0],
    notConverged,
  };
}
