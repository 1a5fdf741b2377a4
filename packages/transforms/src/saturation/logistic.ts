import { DimensionMismatchError, assertPositive } from '@mmm/core';
import type { SaturationFamily } from './family.js';

/**
 * Logistic saturation (PyMC-Marketing's `logistic_saturation`).
 * @remarks
 * s(x; λ) = (1 − e^(−λx)) / (1 + e^(−λx)) = tanh(λx/2);  ∂s/∂λ = (x/2)(1 − s²);  ∂s/∂x = (λ/2)(1 − s²).
 * @param x - scaled input
 * @param lambda - λ > 0, the rate of saturation
 * @returns s ∈ (−1, 1), s(0) = 0
 * @example
 * logistic(0, 3); // 0
 */
export function logistic(x: number, lambda: number): number {
  return Math.tanh(0.5 * lambda * x);
}

/** ∂s/∂x = (λ/2)(1 − s²). */
export function logisticDerivative(x: number, lambda: number): number {
  const s = Math.tanh(0.5 * lambda * x);
  return 0.5 * lambda * (1 - s * s);
}

/** Gradient in the parameters at one point, into `out` = [∂s/∂λ]. */
export function logisticGradientInto(out: Float64Array, x: number, lambda: number): Float64Array {
  const s = Math.tanh(0.5 * lambda * x);
  out[0] = 0.5 * x * (1 - s * s);
  return out;
}

/** Elementwise logistic saturation into `out` (which may alias `x`). */
export function logisticInto(out: Float64Array, x: ArrayLike<number>, lambda: number): Float64Array {
  assertPositive('lambda', lambda);
  if (out.length !== x.length) throw new DimensionMismatchError('out', x.length, out.length);
  const h = 0.5 * lambda;
  for (let t = 0; t < x.length; t++) out[t] = Math.tanh(h * x[t]);
  return out;
}

/** Vector-Jacobian product of {@link logisticInto}: gradParams = [Σ g_t ∂s_t/∂λ], gradX_t = g_t ∂s_t/∂x_t. */
export function logisticVjp(
  x: ArrayLike<number>,
  lambda: number,
  g: ArrayLike<number>,
  gradParams: Float64Array,
  gradX?: Float64Array,
): Float64Array {
  const n = x.length;
  if (g.length !== n) throw new DimensionMismatchError('g', n, g.length);
  const h = 0.5 * lambda;
  let gl = 0;
  for (let t = 0; t < n; t++) {
    const s = Math.tanh(h * x[t]);
    const d = 0.5 * g[t] * (1 - s * s);
    gl += d * x[t];
    if (gradX) gradX[t] = d * lambda;
  }
  gradParams[0] = gl;
  return gradParams;
}

/** {@link logisticVjp} from the values s of {@link logisticInto}: (1 − s²) needs no transcendental function. */
export function logisticVjpCached(
  x: ArrayLike<number>,
  lambda: number,
  values: ArrayLike<number>,
  g: ArrayLike<number>,
  gradParams: Float64Array,
  gradX?: Float64Array,
): Float64Array {
  const n = x.length;
  if (g.length !== n) throw new DimensionMismatchError('g', n, g.length);
  let gl = 0;
  for (let t = 0; t < n; t++) {
    const s = values[t];
    const d = 0.5 * g[t] * (1 - s * s);
    gl += d * x[t];
    if (gradX) gradX[t] = d * lambda;
  }
  gradParams[0] = gl;
  return gradParams;
}

/** Logistic as a {@link SaturationFamily}; params `[lambda]`. */
/** Forward mode of {@link logisticInto}: s into `out`, ∂s/∂x into `dx`, ∂s/∂λ into `dLambda`. */
export function logisticJacobianInto(
  out: Float64Array,
  dx: Float64Array,
  dLambda: Float64Array,
  x: ArrayLike<number>,
  lambda: number,
): Float64Array {
  assertPositive('lambda', lambda);
  const n = x.length;
  if (out.length !== n) throw new DimensionMismatchError('out', n, out.length);
  if (dx.length !== n) throw new DimensionMismatchError('dx', n, dx.length);
  if (dLambda.length !== n) throw new DimensionMismatchError('dLambda', n, dLambda.length);
  const h = 0.5 * lambda;
  for (let t = 0; t < n; t++) {
    const v = x[t];
    const s = Math.tanh(h * v);
    const sech2 = 1 - s * s;
    out[t] = s;
    dx[t] = h * sech2;
    dLambda[t] = 0.5 * v * sech2;
  }
  return out;
}

export const logisticSaturation: SaturationFamily = {
  name: 'logistic',
  paramNames: ['lambda'],
  check: (p) => assertPositive('lambda', p[0]),
  value: (x, p) => logistic(x, p[0]),
  derivative: (x, p) => logisticDerivative(x, p[0]),
  derivativeFromValue: (_x, v, p) => 0.5 * p[0] * (1 - v * v),
  valueInto: (out, x, p) => logisticInto(out, x, p[0]),
  vjp: (x, p, g, gp, gx) => logisticVjp(x, p[0], g, gp, gx),
  valueCacheInto: (out, _cache, x, p) => logisticInto(out, x, p[0]),
  jacobianInto: (out, dx, dp, x, p) => logisticJacobianInto(out, dx, dp[0], x, p[0]),
  vjpCached: (x, p, values, _cache, g, gp, gx) => logisticVjpCached(x, p[0], values, g, gp, gx),
};
