import { DimensionMismatchError, InvalidInputError, NonFiniteError } from '@mmm/core';
import { Matrix } from 'ml-matrix';

/** A design matrix: rows of numbers (`number[][]`, one array per observation) or an ml-matrix `Matrix`. */
export type DesignInput = ReadonlyArray<ArrayLike<number>> | Matrix;

/**
 * A design as this package works on it: column-major, copied (the caller's input is never changed).
 * @internal
 */
export interface Design {
  n: number;
  p: number;
  /** p columns of length n */
  cols: Float64Array[];
}

/** Reads and checks X (finite, rectangular, non-empty) into columns. @internal */
export function readDesign(X: DesignInput, field = 'X'): Design {
  if (X instanceof Matrix) {
    const n = X.rows;
    const p = X.columns;
    if (n === 0) throw new InvalidInputError(field, 'has no rows', 'Pass at least one observation.');
    const cols = Array.from({ length: p }, (_, j) => {
      const c = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = X.get(i, j);
        if (!Number.isFinite(v))
          throw new NonFiniteError(`${field}[${i}][${j}]`, v, 'Remove or impute missing and infinite values before fitting.');
        c[i] = v;
      }
      return c;
    });
    return { n, p, cols };
  }
  if (!Array.isArray(X) || X.length === 0)
    throw new InvalidInputError(field, 'has no rows', 'Pass the design as rows (number[][]) or an ml-matrix Matrix.');
  const n = X.length;
  const p = X[0]?.length ?? 0;
  const cols = Array.from({ length: p }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const row = X[i];
    if (!row || typeof row.length !== 'number')
      throw new InvalidInputError(`${field}[${i}]`, 'is not an array of numbers', 'Pass one array of numbers per row.');
    if (row.length !== p) throw new DimensionMismatchError(`${field}[${i}]`, p, row.length);
    for (let j = 0; j < p; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new NonFiniteError(`${field}[${i}][${j}]`, v as number, 'Remove or impute missing and infinite values before fitting.');
      cols[j][i] = v;
    }
  }
  return { n, p, cols };
}

/** Reads and checks the response y (finite, length n). @internal */
export function readResponse(y: ArrayLike<number>, n: number, field = 'y'): Float64Array {
  if (!y || typeof y.length !== 'number')
    throw new InvalidInputError(field, 'is not an array of numbers', 'Pass the response as an array of numbers.');
  if (y.length !== n) throw new DimensionMismatchError(field, n, y.length);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new NonFiniteError(`${field}[${i}]`, v as number, 'Remove or impute missing and infinite values before fitting.');
    out[i] = v;
  }
  return out;
}

/**
 * The lower bound of each coefficient: `positive` (all ≥ 0, scikit-learn's option) or `lowerBounds` (one per
 * column; −Infinity for none). @internal
 */
export function readBounds(p: number, positive: boolean | undefined, lowerBounds: ArrayLike<number> | undefined): Float64Array | undefined {
  if (lowerBounds !== undefined) {
    if (positive)
      throw new InvalidInputError(
        'positive',
        'is set together with lowerBounds',
        'Use one: positive is lowerBounds of 0 for every coefficient.',
      );
    if (lowerBounds.length !== p) throw new DimensionMismatchError('lowerBounds', p, lowerBounds.length);
    const lb = Float64Array.from(lowerBounds);
    for (let j = 0; j < p; j++) {
      if (Number.isNaN(lb[j]) || lb[j] === Infinity)
        throw new InvalidInputError(`lowerBounds[${j}]`, `is ${lb[j]}`, 'Give a finite bound, or -Infinity for none.');
    }
    return lb.some((b) => b > -Infinity) ? lb : undefined;
  }
  return positive ? new Float64Array(p) : undefined;
}

/**
 * The centred problem of a linear model with an unpenalised intercept: column means, the Gram matrix of the centred
 * columns G = Xcᵀ Xc (p × p, row-major), b = Xcᵀ yc, and yc·yc. Without an intercept nothing is centred. @internal
 */
export interface Centred {
  xMean: Float64Array;
  yMean: number;
  gram: Float64Array;
  xty: Float64Array;
  yy: number;
  /** centred columns and response (for coordinate descent on the data) */
  cols: Float64Array[];
  y: Float64Array;
}

/** Centres (when `fitIntercept`) and forms the normal equations. @internal */
export function centre(d: Design, y: Float64Array, fitIntercept: boolean): Centred {
  const { n, p } = d;
  const xMean = new Float64Array(p);
  let yMean = 0;
  if (fitIntercept) {
    for (let i = 0; i < n; i++) yMean += y[i];
    yMean /= n;
    for (let j = 0; j < p; j++) {
      let s = 0;
      const c = d.cols[j];
      for (let i = 0; i < n; i++) s += c[i];
      xMean[j] = s / n;
    }
  }
  const cols = d.cols.map((c, j) => Float64Array.from(c, (v) => v - xMean[j]));
  const yc = Float64Array.from(y, (v) => v - yMean);
  const gram = new Float64Array(p * p);
  const xty = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const a = cols[j];
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i] * yc[i];
    xty[j] = s;
    for (let k = 0; k <= j; k++) {
      const b = cols[k];
      let t = 0;
      for (let i = 0; i < n; i++) t += a[i] * b[i];
      gram[j * p + k] = t;
      gram[k * p + j] = t;
    }
  }
  let yy = 0;
  for (let i = 0; i < n; i++) yy += yc[i] * yc[i];
  return { xMean, yMean, gram, xty, yy, cols, y: yc };
}

/** intercept = ȳ − x̄ᵀw (0 without an intercept). @internal */
export function interceptOf(c: Centred, w: ArrayLike<number>, fitIntercept: boolean): number {
  if (!fitIntercept) return 0;
  let s = c.yMean;
  for (let j = 0; j < w.length; j++) s -= c.xMean[j] * w[j];
  return s;
}

/**
 * Standardises the columns of X as scikit-learn's `StandardScaler`: each column centred on its mean and divided by
 * its population sd (a constant column keeps scale 1, as scikit-learn does). Returns the rows and the constants.
 * @example
 * standardize([[1, 10], [3, 30]]); // { X: [[-1, -1], [1, 1]], mean: [2, 20], scale: [1, 10] }
 */
export function standardize(X: DesignInput): { X: number[][]; mean: number[]; scale: number[] } {
  const d = readDesign(X);
  const mean = d.cols.map((c) => c.reduce((a, v) => a + v, 0) / d.n);
  const scale = d.cols.map((c, j) => {
    const v = c.reduce((a, x) => a + (x - mean[j]) ** 2, 0) / d.n;
    return v > 0 ? Math.sqrt(v) : 1;
  });
  return { X: Array.from({ length: d.n }, (_, i) => d.cols.map((c, j) => (c[i] - mean[j]) / scale[j])), mean, scale };
}

/**
 * The `standardize` option of the solvers: columns divided by their population sd before the fit (so the penalty
 * treats them alike, as glmnet's default), bounds moved to that scale; `unscale` maps the coefficients back. @internal
 */
export function scaleDesign(
  d: Design,
  lb: Float64Array | undefined,
  on: boolean | undefined,
): { d: Design; lb: Float64Array | undefined; sd: number[]; unscale: (w: Float64Array) => Float64Array } {
  if (!on) return { d, lb, sd: d.cols.map(() => 1), unscale: (w) => w };
  const sd = d.cols.map((c) => {
    const m = c.reduce((a, v) => a + v, 0) / d.n;
    const v = c.reduce((a, x) => a + (x - m) ** 2, 0) / d.n;
    return v > 0 ? Math.sqrt(v) : 1;
  });
  return {
    d: { n: d.n, p: d.p, cols: d.cols.map((c, j) => c.map((v) => v / sd[j])) },
    lb: lb ? lb.map((b, j) => (b === -Infinity ? b : b * sd[j])) : undefined,
    sd,
    unscale: (w) => w.map((v, j) => v / sd[j]),
  };
}
