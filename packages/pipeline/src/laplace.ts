// A starting metric for NUTS warmup from the Laplace approximation: the posterior mode on the unconstrained scale
// (bounded L-BFGS from @mmm/optimize), the Hessian there by central differences of the analytic gradient, and the
// diagonal of its inverse (the approximation's marginal variances). Stan starts warmup from the identity metric,
// which on the MMM makes the first adaptation window (100 iterations) cost more than the rest of warmup together.
import { choleskyLower, type LogDensity } from '@mmm/bayes-nuts';
import { minimize } from '@mmm/optimize';

/** Laplace variances per coordinate, or undefined when the mode or the Hessian is unusable (then warmup starts from the identity). */
export function laplaceVariances(target: LogDensity, start?: ArrayLike<number>): { mode: Float64Array; variances: Float64Array; covariance: Float64Array; evaluations: number } | undefined {
  const d = target.dim;
  let evaluations = 0;
  const neg = (x: Float64Array, g: Float64Array) => {
    evaluations++;
    const v = target.logDensityGradient(x, g);
    for (let i = 0; i < d; i++) g[i] = -g[i];
    return Number.isFinite(v) ? -v : Infinity;
  };
  const r = minimize(neg, start ?? new Float64Array(d), { maxIterations: 1000 });
  if (!r.x.every(Number.isFinite) || !Number.isFinite(r.value)) return undefined;
  const H = new Float64Array(d * d);
  const gp = new Float64Array(d);
  const gm = new Float64Array(d);
  const x = Float64Array.from(r.x);
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
  // symmetrise, then invert by Cholesky; the inverse's diagonal is Σ_k (L⁻¹)_ki²
  for (let i = 0; i < d; i++)
    for (let j = 0; j < i; j++) {
      const a = 0.5 * (H[i * d + j] + H[j * d + i]);
      H[i * d + j] = a;
      H[j * d + i] = a;
    }
  let L: Float64Array;
  try {
    L = choleskyLower(H, d);
  } catch {
    return undefined; // not positive definite: no usable Laplace approximation
  }
  // H⁻¹ = L⁻ᵀL⁻¹, so (H⁻¹)_kk = Σ_i (L⁻¹)_ik², the squared norm of column k of L⁻¹ (forward substitution of e_k)
  const variances = new Float64Array(d);
  const Linv = new Float64Array(d * d); // column k of L⁻¹ at Linv[k·d …]
  for (let k = 0; k < d; k++) {
    const col = Linv.subarray(k * d, (k + 1) * d);
    col[k] = 1 / L[k * d + k];
    for (let i = k + 1; i < d; i++) {
      let t = 0;
      for (let m = k; m < i; m++) t -= L[i * d + m] * col[m];
      col[i] = t / L[i * d + i];
    }
    for (let i = k; i < d; i++) variances[k] += col[i] * col[i];
  }
  if (!variances.every((v) => v > 0 && Number.isFinite(v))) return undefined;
  // the whole inverse: (H⁻¹)_ij = Σ_m (L⁻¹)_mi (L⁻¹)_mj, the dot product of columns i and j of L⁻¹
  const covariance = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j <= i; j++) {
      let a = 0;
      for (let m = i; m < d; m++) a += Linv[i * d + m] * Linv[j * d + m];
      covariance[i * d + j] = covariance[j * d + i] = a;
    }
  return { mode: r.x, variances, covariance, evaluations };
}
