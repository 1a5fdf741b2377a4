import { DimensionMismatchError, assertPositive } from '@mmm/core';
import type { SaturationFamily } from './family.js';

/**
 * Hill saturation: the share of the maximum response reached at `x`.
 * @remarks
 * h(x; K, S) = xˢ / (Kˢ + xˢ) = 1 / (1 + (K/x)ˢ), h(0) = 0.
 * Source: Jin et al. (2017), "Bayesian Methods for Media Mix Modeling with Carryover and Shape Effects".
 * @param x - scaled input, x ≥ 0 (x ≤ 0 gives 0)
 * @param halfSaturation - K > 0, the input at which h = ½
 * @param slope - S > 0
 * @returns h ∈ [0, 1)
 * @example
 * hill(2, 2, 1); // 0.5
 */
export function hill(x: number, halfSaturation: number, slope: number): number {
  // exp(S·(ln K − ln x)) rather than (K/x)^S: the same value, and V8's exp and log are faster than pow
  return x <= 0 ? 0 : 1 / (1 + Math.exp(slope * (Math.log(halfSaturation) - Math.log(x))));
}

/**
 * ∂h/∂x = S·h·(1 − h)/x; at x = 0 its limit: 0 for S > 1, 1/K for S = 1, +∞ for S < 1.
 */
export function hillDerivative(x: number, halfSaturation: number, slope: number): number {
  if (x <= 0) return slope > 1 ? 0 : slope === 1 ? 1 / halfSaturation : Infinity;
  const h = hill(x, halfSaturation, slope);
  return (slope * h * (1 - h)) / x;
}

/**
 * Gradient of h in its parameters at one point, into `out` = [∂h/∂K, ∂h/∂S].
 * @remarks ∂h/∂K = −S·h·(1 − h)/K;  ∂h/∂S = h·(1 − h)·ln(x/K); both 0 at x = 0.
 */
export function hillGradientInto(out: Float64Array, x: number, halfSaturation: number, slope: number): Float64Array {
  if (x <= 0) {
    out[0] = 0;
    out[1] = 0;
    return out;
  }
  const h = hill(x, halfSaturation, slope);
  const hh = h * (1 - h);
  out[0] = (-slope * hh) / halfSaturation;
  out[1] = hh * Math.log(x / halfSaturation);
  return out;
}

/** Elementwise Hill into `out` (which may alias `x`). */
export function hillInto(out: Float64Array, x: ArrayLike<number>, halfSaturation: number, slope: number): Float64Array {
  checkHill(halfSaturation, slope);
  if (out.length !== x.length) throw new DimensionMismatchError('out', x.length, out.length);
  const logK = Math.log(halfSaturation);
  for (let t = 0; t < x.length; t++) {
    const v = x[t];
    out[t] = v <= 0 ? 0 : 1 / (1 + Math.exp(slope * (logK - Math.log(v))));
  }
  return out;
}

/**
 * Vector-Jacobian product of {@link hillInto}: gradParams = [Σ g_t ∂h_t/∂K, Σ g_t ∂h_t/∂S], gradX_t = g_t ∂h_t/∂x_t.
 */
export function hillVjp(
  x: ArrayLike<number>,
  halfSaturation: number,
  slope: number,
  g: ArrayLike<number>,
  gradParams: Float64Array,
  gradX?: Float64Array,
): Float64Array {
  const n = x.length;
  if (g.length !== n) throw new DimensionMismatchError('g', n, g.length);
  const logK = Math.log(halfSaturation);
  let gK = 0;
  let gS = 0;
  for (let t = 0; t < n; t++) {
    const v = x[t];
    const gt = g[t];
    if (v <= 0) {
      if (gradX) gradX[t] = gt === 0 ? 0 : gt * hillDerivative(0, halfSaturation, slope);
      continue;
    }
    const lv = Math.log(v);
    const h = 1 / (1 + Math.exp(slope * (logK - lv)));
    const ghh = gt * h * (1 - h);
    gK += ghh;
    gS += ghh * (lv - logK);
    if (gradX) gradX[t] = (slope * ghh) / v;
  }
  gradParams[0] = (-slope * gK) / halfSaturation;
  gradParams[1] = gS;
  return gradParams;
}

/** {@link hillInto} that also stores ln x (0 where x ≤ 0) in `logX`, for {@link hillVjpCached}. */
export function hillCacheInto(
  out: Float64Array,
  logX: Float64Array,
  x: ArrayLike<number>,
  halfSaturation: number,
  slope: number,
): Float64Array {
  checkHill(halfSaturation, slope);
  const n = x.length;
  if (out.length !== n) throw new DimensionMismatchError('out', n, out.length);
  if (logX.length !== n) throw new DimensionMismatchError('logX', n, logX.length);
  const logK = Math.log(halfSaturation);
  for (let t = 0; t < n; t++) {
    const v = x[t];
    if (v <= 0) {
      out[t] = 0;
      logX[t] = 0;
    } else {
      const lv = Math.log(v);
      logX[t] = lv;
      out[t] = 1 / (1 + Math.exp(slope * (logK - lv)));
    }
  }
  return out;
}

/** {@link hillVjp} from the values h and ln x of {@link hillCacheInto}: no transcendental function per element. */
export function hillVjpCached(
  x: ArrayLike<number>,
  halfSaturation: number,
  slope: number,
  h: ArrayLike<number>,
  logX: ArrayLike<number>,
  g: ArrayLike<number>,
  gradParams: Float64Array,
  gradX?: Float64Array,
): Float64Array {
  const n = x.length;
  if (g.length !== n) throw new DimensionMismatchError('g', n, g.length);
  const logK = Math.log(halfSaturation);
  let gK = 0;
  let gS = 0;
  for (let t = 0; t < n; t++) {
    const v = x[t];
    const gt = g[t];
    if (v <= 0) {
      if (gradX) gradX[t] = gt === 0 ? 0 : gt * hillDerivative(0, halfSaturation, slope);
      continue;
    }
    const ht = h[t];
    const ghh = gt * ht * (1 - ht);
    gK += ghh;
    gS += ghh * (logX[t] - logK);
    if (gradX) gradX[t] = (slope * ghh) / v;
  }
  gradParams[0] = (-slope * gK) / halfSaturation;
  gradParams[1] = gS;
  return gradParams;
}

function checkHill(halfSaturation: number, slope: number): void {
  assertPositive('halfSaturation', halfSaturation);
  assertPositive('slope', slope);
}

/** Hill as a {@link SaturationFamily}; params `[halfSaturation, slope]`. */
/**
 * Forward mode of {@link hillInto}: h into `out`, ∂h/∂x into `dx` (its limit at x ≤ 0), ∂h/∂K into `dK` and ∂h/∂S into
 * `dS`: one ln and one exp per element (see {@link hillGradientInto}).
 */
export function hillJacobianInto(
  out: Float64Array,
  dx: Float64Array,
  dK: Float64Array,
  dS: Float64Array,
  x: ArrayLike<number>,
  halfSaturation: number,
  slope: number,
): Float64Array {
  checkHill(halfSaturation, slope);
  const n = x.length;
  if (out.length !== n) throw new DimensionMismatchError('out', n, out.length);
  if (dx.length !== n) throw new DimensionMismatchError('dx', n, dx.length);
  if (dK.length !== n) throw new DimensionMismatchError('dK', n, dK.length);
  if (dS.length !== n) throw new DimensionMismatchError('dS', n, dS.length);
  const logK = Math.log(halfSaturation);
  const d0 = hillDerivative(0, halfSaturation, slope);
  const cK = -slope / halfSaturation;
  for (let t = 0; t < n; t++) {
    const v = x[t];
    if (v <= 0) {
      out[t] = 0;
      dx[t] = d0;
      dK[t] = 0;
      dS[t] = 0;
      continue;
    }
    const lv = Math.log(v);
    const h = 1 / (1 + Math.exp(slope * (logK - lv)));
    const hh = h * (1 - h);
    out[t] = h;
    dx[t] = (slope * hh) / v;
    dK[t] = cK * hh;
    dS[t] = hh * (lv - logK);
  }
  return out;
}

export const hillSaturation: SaturationFamily = {
  name: 'hill',
  paramNames: ['halfSaturation', 'slope'],
  check: (p) => checkHill(p[0], p[1]),
  value: (x, p) => hill(x, p[0], p[1]),
  derivative: (x, p) => hillDerivative(x, p[0], p[1]),
  derivativeFromValue: (x, v, p) => (p[1] * v * (1 - v)) / x,
  valueInto: (out, x, p) => hillInto(out, x, p[0], p[1]),
  vjp: (x, p, g, gp, gx) => hillVjp(x, p[0], p[1], g, gp, gx),
  valueCacheInto: (out, cache, x, p) => hillCacheInto(out, cache, x, p[0], p[1]),
  jacobianInto: (out, dx, dp, x, p) => hillJacobianInto(out, dx, dp[0], dp[1], x, p[0], p[1]),
  vjpCached: (x, p, values, cache, g, gp, gx) => hillVjpCached(x, p[0], p[1], values, cache, g, gp, gx),
};
