import { DimensionMismatchError } from '@mmm/core';

/**
 * Causal convolution of a series with lag weights, the core of every adstock.
 * @remarks
 * y_t = Σ_{l=0}^{L−1} w_l · x_{t−l}, with x_s = 0 for s < 0 (spend before the first period is unknown and taken as 0).
 * `out` must not alias `x` (each y_t reads L earlier inputs).
 * @param out - output, same length as `x`
 * @param x - input series
 * @param weights - lag weights w_0 … w_{L−1}
 * @returns `out`
 * @example
 * adstockInto(new Float64Array(3), [1, 0, 0], [0.5, 0.3, 0.2]); // [0.5, 0.3, 0.2]
 */
export function adstockInto(out: Float64Array, x: ArrayLike<number>, weights: ArrayLike<number>): Float64Array {
  const n = x.length;
  if (out.length !== n) throw new DimensionMismatchError('out', n, out.length);
  const L = weights.length;
  for (let t = 0; t < n; t++) {
    const lmax = t < L - 1 ? t : L - 1;
    let acc = 0;
    for (let l = 0; l <= lmax; l++) acc += weights[l] * x[t - l];
    out[t] = acc;
  }
  return out;
}

/**
 * Vector-Jacobian product of {@link adstockInto} with respect to the input series.
 * @remarks
 * gx_s = Σ_t g_t · ∂y_t/∂x_s = Σ_{l=0}^{L−1} w_l · g_{s+l} (the transposed convolution). `out` must not alias `g`.
 * @param out - ∂(Σ g·y)/∂x, same length as `g`
 * @param g - upstream gradient ∂f/∂y
 * @param weights - lag weights
 */
export function adstockInputVjpInto(out: Float64Array, g: ArrayLike<number>, weights: ArrayLike<number>): Float64Array {
  const n = g.length;
  if (out.length !== n) throw new DimensionMismatchError('out', n, out.length);
  const L = weights.length;
  for (let s = 0; s < n; s++) {
    const lmax = n - 1 - s < L - 1 ? n - 1 - s : L - 1;
    let acc = 0;
    for (let l = 0; l <= lmax; l++) acc += weights[l] * g[s + l];
    out[s] = acc;
  }
  return out;
}

/**
 * Lagged cross-products c_l = Σ_t g_t · x_{t−l}, l = 0 … L−1: the gradient of Σ_t g_t·y_t with respect to each
 * weight w_l. Chained with a weight Jacobian it gives the gradient with respect to the adstock parameters.
 * @param out - length L
 */
export function laggedCrossProductInto(out: Float64Array, g: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  const n = x.length;
  if (g.length !== n) throw new DimensionMismatchError('g', n, g.length);
  for (let l = 0; l < out.length; l++) {
    let acc = 0;
    for (let t = l; t < n; t++) acc += g[t] * x[t - l];
    out[l] = acc;
  }
  return out;
}
