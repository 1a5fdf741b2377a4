import { DimensionMismatchError, assertInRange } from '@mmm/core';
import type { SaturationFamily } from './family.js';

/**
 * Power (root) saturation: diminishing returns without an asymptote, as in LightweightMMM's exponent transform.
 * @remarks
 * p(x; ρ) = x^ρ for x > 0, p(0) = 0;  ∂p/∂ρ = x^ρ·ln x;  ∂p/∂x = ρ·x^(ρ−1) (+∞ at x = 0 when ρ < 1).
 * @param x - scaled input, x ≥ 0 (x ≤ 0 gives 0)
 * @param exponent - ρ ∈ (0, 1]: 1 is linear, ½ a square root
 * @example
 * power(4, 0.5); // 2
 */
export function power(x: number, exponent: number): number {
  return x <= 0 ? 0 : Math.pow(x, exponent);
}

/** ∂p/∂x = ρ·x^(ρ−1); at x = 0 its limit (1 for ρ = 1, +∞ below). */
export function powerDerivative(x: number, exponent: number): number {
  if (x <= 0) return exponent === 1 ? 1 : Infinity;
  return exponent * Math.pow(x, exponent - 1);
}

/** Gradient in the parameter at one point, into `out` = [∂p/∂ρ]. */
export function powerGradientInto(out: Float64Array, x: number, exponent: number): Float64Array {
  out[0] = x <= 0 ? 0 : Math.pow(x, exponent) * Math.log(x);
  return out;
}

/** Elementwise power saturation into `out` (which may alias `x`). */
export function powerInto(out: Float64Array, x: ArrayLike<number>, exponent: number): Float64Array {
  checkPower(exponent);
  if (out.length !== x.length) throw new DimensionMismatchError('out', x.length, out.length);
  for (let t = 0; t < x.length; t++) out[t] = x[t] <= 0 ? 0 : Math.pow(x[t], exponent);
  return out;
}

/** Vector-Jacobian product of {@link powerInto}: gradParams = [Σ g ∂p/∂ρ]. */
export function powerVjp(
  x: ArrayLike<number>,
  exponent: number,
  g: ArrayLike<number>,
  gradParams: Float64Array,
  gradX?: Float64Array,
): Float64Array {
  const n = x.length;
  if (g.length !== n) throw new DimensionMismatchError('g', n, g.length);
  let gr = 0;
  for (let t = 0; t < n; t++) {
    const v = x[t];
    const gt = g[t];
    if (v <= 0) {
      if (gradX) gradX[t] = gt === 0 ? 0 : gt * powerDerivative(0, exponent);
      continue;
    }
    const lv = Math.log(v);
    const p = Math.exp(exponent * lv);
    gr += gt * p * lv;
    if (gradX) gradX[t] = (gt * exponent * p) / v;
  }
  gradParams[0] = gr;
  return gradParams;
}

/** {@link powerInto} that also stores ln x (0 where x ≤ 0) in `logX`, for {@link powerVjpCached}. */
export function powerCacheInto(out: Float64Array, logX: Float64Array, x: ArrayLike<number>, exponent: number): Float64Array {
  checkPower(exponent);
  if (out.length !== x.length) throw new DimensionMismatchError('out', x.length, out.length);
  if (logX.length !== x.length) throw new DimensionMismatchError('logX', x.length, logX.length);
  for (let t = 0; t < x.length; t++) {
    const v = x[t];
    if (v <= 0) {
      out[t] = 0;
      logX[t] = 0;
    } else {
      const lv = Math.log(v);
      logX[t] = lv;
      out[t] = Math.exp(exponent * lv);
    }
  }
  return out;
}

/** {@link powerVjp} from the values and ln x of {@link powerCacheInto}. */
export function powerVjpCached(
  x: ArrayLike<number>,
  exponent: number,
  values: ArrayLike<number>,
  logX: ArrayLike<number>,
  g: ArrayLike<number>,
  gradParams: Float64Array,
  gradX?: Float64Array,
): Float64Array {
  const n = x.length;
  if (g.length !== n) throw new DimensionMismatchError('g', n, g.length);
  let gr = 0;
  for (let t = 0; t < n; t++) {
    const v = x[t];
    const gt = g[t];
    if (v <= 0) {
      if (gradX) gradX[t] = gt === 0 ? 0 : gt * powerDerivative(0, exponent);
      continue;
    }
    gr += gt * values[t] * logX[t];
    if (gradX) gradX[t] = (gt * exponent * values[t]) / v;
  }
  gradParams[0] = gr;
  return gradParams;
}

function checkPower(exponent: number): void {
  assertInRange('exponent', exponent, { lower: 0, upper: 1, lowerOpen: true });
}

/** Power as a {@link SaturationFamily}; params `[exponent]`. */
/** Forward mode of {@link powerInto}: xᵖ into `out`, ∂/∂x into `dx` (its limit at x ≤ 0), ∂/∂p into `dExponent`. */
export function powerJacobianInto(
  out: Float64Array,
  dx: Float64Array,
  dExponent: Float64Array,
  x: ArrayLike<number>,
  exponent: number,
): Float64Array {
  checkPower(exponent);
  const n = x.length;
  if (out.length !== n) throw new DimensionMismatchError('out', n, out.length);
  if (dx.length !== n) throw new DimensionMismatchError('dx', n, dx.length);
  if (dExponent.length !== n) throw new DimensionMismatchError('dExponent', n, dExponent.length);
  const d0 = powerDerivative(0, exponent);
  for (let t = 0; t < n; t++) {
    const v = x[t];
    if (v <= 0) {
      out[t] = 0;
      dx[t] = d0;
      dExponent[t] = 0;
      continue;
    }
    const lv = Math.log(v);
    const p = Math.exp(exponent * lv);
    out[t] = p;
    dx[t] = (exponent * p) / v;
    dExponent[t] = p * lv;
  }
  return out;
}

export const powerSaturation: SaturationFamily = {
  name: 'power',
  paramNames: ['exponent'],
  check: (p) => checkPower(p[0]),
  value: (x, p) => power(x, p[0]),
  derivative: (x, p) => powerDerivative(x, p[0]),
  derivativeFromValue: (x, v, p) => (p[0] * v) / x,
  valueInto: (out, x, p) => powerInto(out, x, p[0]),
  vjp: (x, p, g, gp, gx) => powerVjp(x, p[0], g, gp, gx),
  valueCacheInto: (out, cache, x, p) => powerCacheInto(out, cache, x, p[0]),
  jacobianInto: (out, dx, dp, x, p) => powerJacobianInto(out, dx, dp[0], x, p[0]),
  vjpCached: (x, p, values, cache, g, gp, gx) => powerVjpCached(x, p[0], values, cache, g, gp, gx),
};
