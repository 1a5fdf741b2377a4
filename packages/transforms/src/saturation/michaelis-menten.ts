import { DimensionMismatchError, assertPositive } from '@mmm/core';
import type { SaturationFamily } from './family.js';

/**
 * Michaelis-Menten saturation (PyMC-Marketing's `michaelis_menten`).
 * @remarks
 * m(x; α, λ) = α·x / (λ + x);  ∂m/∂α = x/(λ + x);  ∂m/∂λ = −α·x/(λ + x)²;  ∂m/∂x = α·λ/(λ + x)².
 * @param x - scaled input, x ≥ 0
 * @param alpha - α > 0, the asymptote (maximum response)
 * @param lambda - λ > 0, the input at which half the maximum is reached
 * @example
 * michaelisMenten(2, 10, 2); // 5
 */
export function michaelisMenten(x: number, alpha: number, lambda: number): number {
  return (alpha * x) / (lambda + x);
}

/** ∂m/∂x = α·λ/(λ + x)². */
export function michaelisMentenDerivative(x: number, alpha: number, lambda: number): number {
  const d = lambda + x;
  return (alpha * lambda) / (d * d);
}

/** Gradient in the parameters at one point, into `out` = [∂m/∂α, ∂m/∂λ]. */
export function michaelisMentenGradientInto(out: Float64Array, x: number, alpha: number, lambda: number): Float64Array {
  const d = lambda + x;
  out[0] = x / d;
  out[1] = (-alpha * x) / (d * d);
  return out;
}

/** Elementwise Michaelis-Menten into `out` (which may alias `x`). */
export function michaelisMentenInto(out: Float64Array, x: ArrayLike<number>, alpha: number, lambda: number): Float64Array {
  checkMm(alpha, lambda);
  if (out.length !== x.length) throw new DimensionMismatchError('out', x.length, out.length);
  for (let t = 0; t < x.length; t++) out[t] = (alpha * x[t]) / (lambda + x[t]);
  return out;
}

/** Vector-Jacobian product of {@link michaelisMentenInto}: gradParams = [Σ g ∂m/∂α, Σ g ∂m/∂λ]. */
export function michaelisMentenVjp(
  x: ArrayLike<number>,
  alpha: number,
  lambda: number,
  g: ArrayLike<number>,
  gradParams: Float64Array,
  gradX?: Float64Array,
): Float64Array {
  const n = x.length;
  if (g.length !== n) throw new DimensionMismatchError('g', n, g.length);
  let ga = 0;
  let gl = 0;
  for (let t = 0; t < n; t++) {
    const v = x[t];
    const inv = 1 / (lambda + v);
    const gt = g[t];
    ga += gt * v * inv;
    gl -= gt * alpha * v * inv * inv;
    if (gradX) gradX[t] = gt * alpha * lambda * inv * inv;
  }
  gradParams[0] = ga;
  gradParams[1] = gl;
  return gradParams;
}

function checkMm(alpha: number, lambda: number): void {
  assertPositive('alpha', alpha);
  assertPositive('lambda', lambda);
}

/** Michaelis-Menten as a {@link SaturationFamily}; params `[alpha, lambda]`. */
/** Forward mode of {@link michaelisMentenInto}: s into `out`, ∂s/∂x into `dx`, ∂s/∂α into `dAlpha`, ∂s/∂λ into `dLambda`. */
export function michaelisMentenJacobianInto(
  out: Float64Array,
  dx: Float64Array,
  dAlpha: Float64Array,
  dLambda: Float64Array,
  x: ArrayLike<number>,
  alpha: number,
  lambda: number,
): Float64Array {
  checkMm(alpha, lambda);
  const n = x.length;
  if (out.length !== n) throw new DimensionMismatchError('out', n, out.length);
  if (dx.length !== n) throw new DimensionMismatchError('dx', n, dx.length);
  if (dAlpha.length !== n) throw new DimensionMismatchError('dAlpha', n, dAlpha.length);
  if (dLambda.length !== n) throw new DimensionMismatchError('dLambda', n, dLambda.length);
  for (let t = 0; t < n; t++) {
    const v = x[t];
    const d = lambda + v;
    const r = v / d;
    out[t] = alpha * r;
    dx[t] = (alpha * lambda) / (d * d);
    dAlpha[t] = r;
    dLambda[t] = (-alpha * r) / d;
  }
  return out;
}

export const michaelisMentenSaturation: SaturationFamily = {
  name: 'michaelisMenten',
  paramNames: ['alpha', 'lambda'],
  check: (p) => checkMm(p[0], p[1]),
  value: (x, p) => michaelisMenten(x, p[0], p[1]),
  derivative: (x, p) => michaelisMentenDerivative(x, p[0], p[1]),
  valueInto: (out, x, p) => michaelisMentenInto(out, x, p[0], p[1]),
  vjp: (x, p, g, gp, gx) => michaelisMentenVjp(x, p[0], p[1], g, gp, gx),
  // arithmetic only: nothing worth caching
  valueCacheInto: (out, _cache, x, p) => michaelisMentenInto(out, x, p[0], p[1]),
  jacobianInto: (out, dx, dp, x, p) => michaelisMentenJacobianInto(out, dx, dp[0], dp[1], x, p[0], p[1]),
  vjpCached: (x, p, _values, _cache, g, gp, gx) => michaelisMentenVjp(x, p[0], p[1], g, gp, gx),
};
