import { InvalidInputError } from '@mmm/core';
import type { Rng } from './rng.js';

/**
 * The Euclidean metric of the Hamiltonian: kinetic energy K(p) = ½·pᵀM⁻¹p with momentum p ~ N(0, M).
 * The sampler stores the inverse metric M⁻¹ (an estimate of the posterior covariance), as Stan does.
 */
export interface Metric {
  readonly kind: 'diag' | 'dense';
  readonly dim: number;
  /** draws p ~ N(0, M) into `p` */
  sampleMomentumInto(rng: Rng, p: Float64Array): void;
  /** v = M⁻¹p into `v` (must not alias `p`) */
  velocityInto(p: Float64Array, v: Float64Array): void;
  /** the inverse metric: length dim (diagonal) or dim² row-major (dense) */
  inverseMetric(): Float64Array;
}

/** A diagonal metric with inverse-metric diagonal `inv` (copied). */
export function diagMetric(inv: Float64Array): Metric {
  const dim = inv.length;
  const invM = Float64Array.from(inv);
  const sd = invM.map((v) => 1 / Math.sqrt(v));
  return {
    kind: 'diag',
    dim,
    sampleMomentumInto(rng, p) {
      for (let i = 0; i < dim; i++) p[i] = rng.normal() * sd[i];
    },
    velocityInto(p, v) {
      for (let i = 0; i < dim; i++) v[i] = invM[i] * p[i];
    },
    inverseMetric: () => Float64Array.from(invM),
  };
}

/**
 * A dense metric with inverse metric Σ (dim × dim, row-major, symmetric positive definite; copied).
 * Momentum is drawn as p = L⁻ᵀz with Σ = LLᵀ, so Cov(p) = Σ⁻¹ = M.
 */
export function denseMetric(sigma: Float64Array, dim: number): Metric {
  const S = Float64Array.from(sigma);
  const L = choleskyLower(S, dim);
  const z = new Float64Array(dim);
  return {
    kind: 'dense',
    dim,
    sampleMomentumInto(rng, p) {
      for (let i = 0; i < dim; i++) z[i] = rng.normal();
      // back substitution: Lᵀ p = z
      for (let i = dim - 1; i >= 0; i--) {
        let s = z[i];
        for (let k = i + 1; k < dim; k++) s -= L[k * dim + i] * p[k];
        p[i] = s / L[i * dim + i];
      }
    },
    velocityInto(p, v) {
      for (let i = 0; i < dim; i++) {
        let s = 0;
        const o = i * dim;
        for (let k = 0; k < dim; k++) s += S[o + k] * p[k];
        v[i] = s;
      }
    },
    inverseMetric: () => Float64Array.from(S),
  };
}

/**
 * Lower Cholesky factor L (row-major, L·Lᵀ = a) of a symmetric positive-definite matrix; throws an
 * `InvalidInputError` naming the failing pivot when the matrix is not positive definite.
 */
export function choleskyLower(a: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= L[j * n + k] * L[j * n + k];
    if (!(d > 0))
      throw new InvalidInputError('matrix', `is not positive definite (pivot ${j} is ${d})`, 'Pass a symmetric positive-definite matrix.');
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}
