// A starting metric for NUTS warmup from the Laplace approximation: the posterior mode on the unconstrained scale
// (bounded L-BFGS from @mmm/optimize), the Hessian there by central differences of the analytic gradient, and the
// diagonal of its inverse (the approximation's marginal variances). Stan starts warmup from the identity metric,
// which on the MMM makes the first adaptation window (100 iterations) cost more than the rest of warmup together.
import type { LogDensity } from '@mmm/bayes-nuts';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { minimize } from '@mmm/optimize';

/** −log density with its gradient, counting evaluations. @internal */
function negated(target: LogDensity) {
  const d = target.dim;
  const f = Object.assign(
    (x: Float64Array, g: Float64Array) => {
      f.evaluations++;
      const v = target.logDensityGradient(x, g);
      for (let i = 0; i < d; i++) g[i] = -g[i];
      return Number.isFinite(v) ? -v : Infinity;
    },
    { evaluations: 0 },
  );
  return f;
}

/** The Hessian of −log density at x by central differences of the analytic gradient (row-major, not symmetrised). @internal */
function hessianAt(neg: ReturnType<typeof negated>, at: Float64Array): Float64Array {
  const d = at.length;
  const H = new Float64Array(d * d);
  const gp = new Float64Array(d);
  const gm = new Float64Array(d);
  const x = Float64Array.from(at);
  for (let j = 0; j < d; j++) {
    const h = 1e-4 * Math.max(1, Math.abs(x[j]));
    const xj = x[j];
    x[j] = xj + h;
    neg(x, gp);
    x[j] = xj - h;
    neg(x, gm);
    x[j] = xj;
    for (let i = 0; i < d; i++) H[i * d + j] = (gp[i] - gm[i]) / (2 * h);
  }
  return H;
}

/**
 * The Laplace variances of a hierarchical model whose mode is degenerate (a group-level scale such as the geo
 * baselines' spread or a geo scatter shrinks to 0 there): the approximation with those coordinates held at
 * `fixed.values` (on the sampler's scale), and `fixed.variance` for them. A start for warmup, not an approximation
 * of the posterior. @internal
 */
export function conditionalLaplaceVariances(
  target: LogDensity,
  fixed: { indices: readonly number[]; values: readonly number[]; variance: number },
): { variances: Float64Array; evaluations: number } | undefined {
  const d = target.dim;
  const held = new Set(fixed.indices);
  const free = Array.from({ length: d }, (_, i) => i).filter((i) => !held.has(i));
  const full = new Float64Array(d);
  const gFull = new Float64Array(d);
  fixed.indices.forEach((i, k) => (full[i] = fixed.values[k]));
  const reduced: LogDensity = {
    dim: free.length,
    logDensityGradient(x, g) {
      for (let k = 0; k < free.length; k++) full[free[k]] = x[k];
      const v = target.logDensityGradient(full, gFull);
      for (let k = 0; k < free.length; k++) g[k] = gFull[free[k]];
      return v;
    },
  };
  const lap = laplaceVariances(reduced);
  if (!lap) return undefined;
  const variances = new Float64Array(d).fill(fixed.variance);
  free.forEach((i, k) => (variances[i] = lap.variances[k]));
  return { variances, evaluations: lap.evaluations };
}

/** Laplace variances per coordinate, or undefined when the mode or the Hessian is unusable (then warmup starts from the identity). */
export function laplaceVariances(
  target: LogDensity,
  start?: ArrayLike<number>,
): { mode: Float64Array; variances: Float64Array; covariance: Float64Array; evaluations: number } | undefined {
  const d = target.dim;
  const neg = negated(target);
  const r = minimize(neg, start ?? new Float64Array(d), { maxIterations: 1000 });
  if (!r.x.every(Number.isFinite) || !Number.isFinite(r.value)) return undefined;
  const H = hessianAt(neg, r.x);
  // symmetrise, then invert by ml-matrix's Cholesky decomposition (not positive definite: no usable approximation)
  const Hs = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) Hs.set(i, j, 0.5 * (H[i * d + j] + H[j * d + i]));
  const chol = new CholeskyDecomposition(Hs);
  if (!chol.isPositiveDefinite()) return undefined;
  const inverse = chol.solve(Matrix.eye(d));
  const variances = Float64Array.from({ length: d }, (_, i) => inverse.get(i, i));
  if (!variances.every((v) => v > 0 && Number.isFinite(v))) return undefined;
  const covariance = Float64Array.from(inverse.to1DArray());
  return { mode: r.x, variances, covariance, evaluations: neg.evaluations };
}
