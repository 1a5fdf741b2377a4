import { DimensionMismatchError, assertPositive } from '@mmm/core';
import type { SaturationFamily } from './family.js';

/**
 * Tanh saturation (PyMC-Marketing's `tanh_saturation`).
 * @remarks
 * s(x; b, c) = b·tanh(x/(b·c)), u = x/(b·c);  ∂s/∂b = tanh u − u·sech²u;  ∂s/∂c = −(b/c)·u·sech²u;
 * ∂s/∂x = sech²u / c.  b is the saturation level, c the customer-acquisition cost at the origin (s'(0) = 1/c).
 * @param x - scaled input
 * @param b - b > 0
 * @param c - c > 0
 * @example
 * tanhSaturation(0, 2, 1); // 0
 */
export function tanhSaturation(x: number, b: number, c: number): number {
  return b * Math.tanh(x / (b * c));
}

/** ∂s/∂x = sech²(x/(b·c)) / c. */
export function tanhSaturationDerivative(x: number, b: number, c: number): number {
  const th = Math.tanh(x / (b * c));
  return (1 - th * th) / c;
}

/** Gradient in the parameters at one point, into `out` = [∂s/∂b, ∂s/∂c]. */
export function tanhSaturationGradientInto(out: Float64Array, x: number, b: number, c: number): Float64Array {
  const u = x / (b * c);
  const th = Math.tanh(u);
  const sech2 = 1 - th * th;
  out[0] = th - u * sech2;
  out[1] = (-b / c) * u * sech2;
  return out;
}

/** Elementwise tanh saturation into `out` (which may alias `x`). */
export function tanhSaturationInto(out: Float64Array, x: ArrayLike<number>, b: number, c: number): Float64Array {
  checkTanh(b, c);
  if (out.length !== x.length) throw new DimensionMismatchError('out', x.length, out.length);
  const bc = b * c;
  for (let t = 0; t < x.length; t++) out[t] = b * Math.tanh(x[t] / bc);
  return out;
}

/** Vector-Jacobian product of {@link tanhSaturationInto}: gradParams = [Σ g ∂s/∂b, Σ g ∂s/∂c]. */
export function tanhSaturationVjp(
  x: ArrayLike<number>,
  b: number,
  c: number,
  g: ArrayLike<number>,
  gradParams: Float64Array,
  gradX?: Float64Array,
): Float64Array {
  const n = x.length;
  if (g.length !== n) throw new DimensionMismatchError('g', n, g.length);
  const inv = 1 / (b * c);
  let gb = 0;
  let gc = 0;
  for (let t = 0; t < n; t++) {
    const u = x[t] * inv;
    const th = Math.tanh(u);
    const sech2 = 1 - th * th;
    const gt = g[t];
    gb += gt * (th - u * sech2);
    gc += gt * u * sech2;
    if (gradX) gradX[t] = (gt * sech2) / c;
  }
  gradParams[0] = gb;
  gradParams[1] = (-b / c) * gc;
  return gradParams;
}

/** {@link tanhSaturationVjp} from the values b·tanh(u) of {@link tanhSaturationInto}: sech²u = 1 − (s/b)². */
export function tanhSaturationVjpCached(
  x: ArrayLike<number>,
  b: number,
  c: number,
  values: ArrayLike<number>,
  g: ArrayLike<number>,
  gradParams: Float64Array,
  gradX?: Float64Array,
): Float64Array {
  const n = x.length;
  if (g.length !== n) throw new DimensionMismatchError('g', n, g.length);
  const inv = 1 / (b * c);
  let gb = 0;
  let gc = 0;
  for (let t = 0; t < n; t++) {
    const u = x[t] * inv;
    const th = values[t] / b;
    const sech2 = 1 - th * th;
    const gt = g[t];
    gb += gt * (th - u * sech2);
    gc += gt * u * sech2;
    if (gradX) gradX[t] = (gt * sech2) / c;
  }
  gradParams[0] = gb;
  gradParams[1] = (-b / c) * gc;
  return gradParams;
}

function checkTanh(b: number, c: number): void {
  assertPositive('b', b);
  assertPositive('c', c);
}

/** Tanh as a {@link SaturationFamily}; params `[b, c]`. */
/** Forward mode of {@link tanhSaturationInto}: s into `out`, ∂s/∂x into `dx`, ∂s/∂b into `dB`, ∂s/∂c into `dC`. */
export function tanhSaturationJacobianInto(
  out: Float64Array,
  dx: Float64Array,
  dB: Float64Array,
  dC: Float64Array,
  x: ArrayLike<number>,
  b: number,
  c: number,
): Float64Array {
  checkTanh(b, c);
  const n = x.length;
  if (out.length !== n) throw new DimensionMismatchError('out', n, out.length);
  if (dx.length !== n) throw new DimensionMismatchError('dx', n, dx.length);
  if (dB.length !== n) throw new DimensionMismatchError('dB', n, dB.length);
  if (dC.length !== n) throw new DimensionMismatchError('dC', n, dC.length);
  const inv = 1 / (b * c);
  for (let t = 0; t < n; t++) {
    const u = x[t] * inv;
    const th = Math.tanh(u);
    const sech2 = 1 - th * th;
    out[t] = b * th;
    dx[t] = sech2 / c;
    dB[t] = th - u * sech2;
    dC[t] = (-b / c) * u * sech2;
  }
  return out;
}

export const tanhSaturationFamily: SaturationFamily = {
  name: 'tanh',
  paramNames: ['b', 'c'],
  check: (p) => checkTanh(p[0], p[1]),
  value: (x, p) => tanhSaturation(x, p[0], p[1]),
  derivative: (x, p) => tanhSaturationDerivative(x, p[0], p[1]),
  derivativeFromValue: (_x, v, p) => (1 - (v / p[0]) ** 2) / p[1],
  valueInto: (out, x, p) => tanhSaturationInto(out, x, p[0], p[1]),
  vjp: (x, p, g, gp, gx) => tanhSaturationVjp(x, p[0], p[1], g, gp, gx),
  valueCacheInto: (out, _cache, x, p) => tanhSaturationInto(out, x, p[0], p[1]),
  jacobianInto: (out, dx, dp, x, p) => tanhSaturationJacobianInto(out, dx, dp[0], dp[1], x, p[0], p[1]),
  vjpCached: (x, p, values, _cache, g, gp, gx) => tanhSaturationVjpCached(x, p[0], p[1], values, g, gp, gx),
};
