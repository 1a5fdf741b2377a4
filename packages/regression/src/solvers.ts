import { InvalidInputError, InvalidParameterError, NotConvergedError, assertInRange, assertInteger } from '@mmm/core';
import { CholeskyDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import { centre, interceptOf, readBounds, readDesign, readResponse, scaleDesign, type Centred, type DesignInput } from './design.js';
import { boundedQuadratic, coordinateDescent, kktViolation, quadraticWorkspace } from './kernels.js';

/** What every solver returns. */
export interface RegressionResult {
  /** one coefficient per column of X */
  coefficients: Float64Array;
  /** the unpenalised intercept (0 with `fitIntercept: false`) */
  intercept: number;
  /** iterations (coordinate descent) or subproblem solves (active set; 1 for a direct solve) */
  iterations: number;
  /**
   * the largest violation of the optimality (KKT) conditions of the solver's objective at the solution, in the
   * objective's own units (0 up to rounding at an exact optimum): the user's check that the answer is the optimum
   */
  kkt: number;
  /**
   * Lasso and Elastic Net: the duality gap on scikit-learn's (1/(2n))-scaled objective, where the dual is formed
   * (l1Ratio > 0 and bounds of 0 or none); `undefined` otherwise
   */
  dualGap?: number;
  /**
   * whether the solver reached its tolerance: always for the direct solvers; Lasso and Elastic Net that stop at
   * `maxIter` first return their last iterate with `converged: false` and its `dualGap` (scikit-learn's convention: a
   * warning, not an exception), so that `kkt` and `dualGap` say how far from the optimum it is
   */
  converged: boolean;
}

/** Options every solver shares. */
export interface CommonOptions {
  /** fit an unpenalised intercept (the columns and y are centred); @defaultValue true */
  fitIntercept?: boolean;
  /** every coefficient ≥ 0 (scikit-learn's `positive`) */
  positive?: boolean;
  /** a lower bound per coefficient (−Infinity for none), e.g. 0 for media and −Infinity for controls, as Robyn */
  lowerBounds?: ArrayLike<number>;
  /**
   * divide each column by its sd before fitting, so the penalty weighs every column alike (glmnet's default; as a
   * `StandardScaler` in front of scikit-learn's estimator), and report the coefficients in the original units. `kkt`
   * is then that of the standardised problem. @defaultValue false
   */
  standardize?: boolean;
}

/** Options of {@link lasso} and {@link elasticNet}. */
export interface DescentOptions extends CommonOptions {
  /** @defaultValue 1 */
  alpha?: number;
  /** stop when the duality gap < tol·‖yc‖² (scikit-learn's rule); @defaultValue 1e-4 */
  tol?: number;
  /** @defaultValue 1000 */
  maxIter?: number;
  /** coefficients to start from (a warm start along a path) */
  start?: ArrayLike<number>;
}

/** Checks an α: finite and ≥ 0. @internal */
function checkAlpha(alpha: number, field = 'alpha'): void {
  if (typeof alpha !== 'number' || !(alpha >= 0) || !Number.isFinite(alpha)) throw new InvalidParameterError(field, alpha, '[0, ∞)');
}

/** The largest KKT violation of ‖yc − Xc w‖² + α‖w‖² (ridge's and least squares' objective) at w. @internal */
function quadraticKkt(c: Centred, p: number, alpha: number, lb: Float64Array | undefined, w: Float64Array): number {
  const q = new Float64Array(p);
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) q[j] += c.gram[j * p + k] * w[k];
  // the gradient of ‖r‖² + α‖w‖² is 2(Gw − b + αw): the elastic-net check with l1 = 0, doubled
  return 2 * kktViolation(c.xty, p, 0, alpha, lb, w, q);
}

/** Solves (G + αI) w = b with bounds: ml-matrix's Cholesky (or SVD for α = 0 and a rank-deficient G). @internal */
function solveQuadratic(c: Centred, p: number, alpha: number, lb: Float64Array | undefined): { w: Float64Array; iterations: number } {
  const A = Float64Array.from(c.gram);
  for (let j = 0; j < p; j++) A[j * p + j] += alpha;
  if (!lb) {
    const M = new Matrix(p, p);
    for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) M.set(j, k, A[j * p + k]);
    const rhs = Matrix.columnVector(Array.from(c.xty));
    const chol = new CholeskyDecomposition(M);
    const sol = chol.isPositiveDefinite() ? chol.solve(rhs) : new SingularValueDecomposition(M).solve(rhs);
    return { w: Float64Array.from(sol.getColumn(0)), iterations: 1 };
  }
  const w = new Float64Array(p);
  const iterations = boundedQuadratic(A, c.xty, lb, w, quadraticWorkspace(p));
  if (iterations < 0)
    throw new NotConvergedError(
      'lowerBounds',
      'The bounded least-squares problem is singular (collinear columns without a penalty): use ridge with alpha > 0.',
    );
  return { w, iterations };
}

/**
 * Ordinary least squares, as scikit-learn's `LinearRegression`: minimises ‖y − Xw − b‖², by ml-matrix's SVD of
 * the centred design (the minimum-norm solution when its columns are collinear, as LAPACK's `gelsd`); with
 * `positive` or `lowerBounds`, by an active-set method on the normal equations.
 * @throws InvalidInputError when X has more columns than the data can determine (use ridge or lasso then)
 * @example
 * linearRegression([[1], [2], [3]], [2, 4, 6]).coefficients; // Float64Array [2]
 */
export function linearRegression(X: DesignInput, y: ArrayLike<number>, options: CommonOptions = {}): RegressionResult {
  const fitIntercept = options.fitIntercept ?? true;
  const raw = readDesign(X);
  const yy = readResponse(y, raw.n);
  const sc = scaleDesign(raw, readBounds(raw.p, options.positive, options.lowerBounds), options.standardize);
  const { d, lb } = sc;
  const dof = d.n - (fitIntercept ? 1 : 0);
  if (d.p > dof)
    throw new InvalidInputError(
      'X',
      `has ${d.p} columns for ${d.n} rows`,
      `Least squares without a penalty needs at most ${dof} columns: use ridge, lasso or elasticNet, or drop columns.`,
    );
  const c = centre(d, yy, fitIntercept);
  let w: Float64Array;
  let iterations = 1;
  if (lb) {
    ({ w, iterations } = solveQuadratic(c, d.p, 0, lb));
  } else {
    const Xc = new Matrix(d.n, d.p);
    for (let j = 0; j < d.p; j++) for (let i = 0; i < d.n; i++) Xc.set(i, j, c.cols[j][i]);
    const rhs = Matrix.columnVector(Array.from(c.y));
    const sol = new SingularValueDecomposition(Xc, { autoTranspose: true }).solve(rhs);
    w = Float64Array.from(sol.getColumn(0));
  }
  const kkt = quadraticKkt(c, d.p, 0, lb, w);
  return { coefficients: sc.unscale(w), intercept: interceptOf(c, w, fitIntercept), iterations, kkt, converged: true };
}

/**
 * The centred (and, with `standardize`, sd-scaled) problem every solver starts from: X and y read and checked, the
 * bounds on the solver's scale, and a penalty of 0 refused when the columns outnumber what the rows determine. @internal
 */
function readProblem(X: DesignInput, y: ArrayLike<number>, options: CommonOptions, alpha: number) {
  const fitIntercept = options.fitIntercept ?? true;
  const raw = readDesign(X);
  const yy = readResponse(y, raw.n);
  const sc = scaleDesign(raw, readBounds(raw.p, options.positive, options.lowerBounds), options.standardize);
  const { d, lb } = sc;
  if (alpha === 0 && d.p > d.n - (fitIntercept ? 1 : 0))
    throw new InvalidInputError(
      'alpha',
      `is 0 with ${d.p} columns for ${d.n} rows`,
      'Without a penalty the columns are not determined: give alpha > 0.',
    );
  return { fitIntercept, sc, d, lb, c: centre(d, yy, fitIntercept) };
}

/**
 * Ridge regression, as scikit-learn's `Ridge`: minimises ‖y − Xw − b‖² + α‖w‖² (the intercept unpenalised), by
 * ml-matrix's Cholesky decomposition of XcᵀXc + αI; with bounds, by an active-set method on the same system.
 * @example
 * ridge(X, y, { alpha: 1, lowerBounds: [0, 0, -Infinity] });
 */
export function ridge(X: DesignInput, y: ArrayLike<number>, options: CommonOptions & { alpha?: number } = {}): RegressionResult {
  const alpha = options.alpha ?? 1;
  checkAlpha(alpha);
  const { fitIntercept, sc, d, lb, c } = readProblem(X, y, options, alpha);
  const { w, iterations } = solveQuadratic(c, d.p, alpha, lb);
  const kkt = quadraticKkt(c, d.p, alpha, lb, w);
  return { coefficients: sc.unscale(w), intercept: interceptOf(c, w, fitIntercept), iterations, kkt, converged: true };
}

/**
 * The Lasso, as scikit-learn's `Lasso`: minimises (1/(2n))‖y − Xw − b‖² + α‖w‖₁ by cyclic coordinate descent with
 * scikit-learn's duality-gap stopping rule (`tol`, `maxIter`; see {@link elasticNet} for what happens at `maxIter`).
 * @example
 * lasso(X, y, { alpha: 0.1, positive: true, tol: 1e-10 });
 */
export function lasso(X: DesignInput, y: ArrayLike<number>, options: DescentOptions = {}): RegressionResult {
  return elasticNet(X, y, { ...options, l1Ratio: 1 });
}

/**
 * The Elastic Net, as scikit-learn's `ElasticNet`: minimises (1/(2n))‖y − Xw − b‖² + α·l1Ratio·‖w‖₁ +
 * ½·α·(1 − l1Ratio)·‖w‖² by cyclic coordinate descent (on the normal equations, scikit-learn's `precompute`) with
 * its duality-gap stopping rule (converged when the gap < tol·‖yc‖², checked whenever the largest update is small
 * relative to the coefficients, every tenth sweep after an exact solve on the settled active set, and at `maxIter`);
 * bounds clip each one-dimensional update, which keeps every step exact. Without convergence by `maxIter` the last
 * iterate comes back with `converged: false`.
 */
export function elasticNet(X: DesignInput, y: ArrayLike<number>, options: DescentOptions & { l1Ratio?: number } = {}): RegressionResult {
  const alpha = options.alpha ?? 1;
  checkAlpha(alpha);
  const l1Ratio = options.l1Ratio ?? 0.5;
  assertInRange('l1Ratio', l1Ratio, { lower: 0, upper: 1 });
  const tol = options.tol ?? 1e-4;
  assertInRange('tol', tol, { lower: 0, lowerOpen: true });
  const maxIter = options.maxIter ?? 1000;
  assertInteger('maxIter', maxIter, 1);
  const { fitIntercept, sc, d, lb, c } = readProblem(X, y, options, alpha);
  const w = startOf(options.start === undefined ? undefined : Array.from(options.start, (v, j) => v * sc.sd[j]), d.p, lb);
  const q = new Float64Array(d.p);
  const n = d.n;
  const res = coordinateDescent(c.gram, c.xty, c.yy, d.p, alpha * l1Ratio * n, alpha * (1 - l1Ratio) * n, lb, w, q, tol, maxIter);
  // the optimality check on the (1/(2n))-scaled objective
  const kkt = kktViolation(c.xty, d.p, alpha * l1Ratio * n, alpha * (1 - l1Ratio) * n, lb, w, q) / n;
  return {
    coefficients: sc.unscale(w),
    intercept: interceptOf(c, w, fitIntercept),
    iterations: res.iterations,
    kkt,
    ...(Number.isNaN(res.gap) ? {} : { dualGap: res.gap / n }),
    converged: res.converged,
  };
}

/** A warm start, checked and clipped to the bounds (zeros without one). @internal */
function startOf(start: ArrayLike<number> | undefined, p: number, lb: Float64Array | undefined): Float64Array {
  const w = new Float64Array(p);
  if (start === undefined) {
    if (lb) for (let j = 0; j < p; j++) w[j] = Math.max(0, lb[j]);
    return w;
  }
  if (start.length !== p)
    throw new InvalidInputError('start', `has ${start.length} values for ${p} columns`, 'Give one starting coefficient per column.');
  for (let j = 0; j < p; j++) {
    if (!Number.isFinite(start[j])) throw new InvalidInputError(`start[${j}]`, `is ${start[j]}`, 'Give finite starting coefficients.');
    w[j] = lb ? Math.max(lb[j], start[j]) : start[j];
  }
  return w;
}
