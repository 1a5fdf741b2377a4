import { assertPositive } from '@mmm/core';
import type { AdstockFamily } from './family.js';
import { adstockWeights, applyAdstock, normalizeWeightsAndJacobian } from './family.js';
import { resolveWindow, type AdstockWindow } from './options.js';

function checkWeibull(params: ArrayLike<number>): void {
  assertPositive('shape', params[0]);
  assertPositive('scale', params[1]);
}

/**
 * Weibull-CDF adstock: the share carried from lag l−1 to lag l is the Weibull survival at l, so decay can
 * speed up (shape > 1) or slow down (shape < 1) with age.
 * @remarks
 * w_0 = 1, w_l = Π_{j=1}^{l} S(j) = exp(−Σ_{j≤l} (j/λ)ᵏ), S the Weibull(k, λ) survival; optionally normalised.
 * ∂ln w_l/∂k = −Σ_{j≤l} (j/λ)ᵏ ln(j/λ);  ∂ln w_l/∂λ = (k/λ)·Σ_{j≤l} (j/λ)ᵏ.
 * Source: Robyn's `adstock_weibull` (type "CDF", with the scale given in periods); PyMC-Marketing's `weibull_adstock`.
 * Parameters: shape k > 0, scale λ > 0 (periods).
 */
export const weibullCdfAdstockFamily: AdstockFamily = {
  name: 'weibullCdf',
  paramNames: ['shape', 'scale'],
  check: checkWeibull,
  weightsInto(out, params, normalize) {
    const k = params[0];
    const lam = params[1];
    let cum = 0;
    out[0] = 1;
    for (let l = 1; l < out.length; l++) {
      cum += Math.pow(l / lam, k);
      out[l] = Math.exp(-cum);
    }
    if (normalize) normalizeWeightsAndJacobian(out, undefined, 2);
    return out;
  },
  weightsJacobianInto(jac, w, params, normalize) {
    const k = params[0];
    const lam = params[1];
    const L = w.length;
    let cum = 0;
    let cumLog = 0;
    w[0] = 1;
    jac[0] = 0;
    jac[L] = 0;
    for (let l = 1; l < L; l++) {
      const u = l / lam;
      const uk = Math.pow(u, k);
      cum += uk;
      cumLog += uk * Math.log(u);
      const wl = Math.exp(-cum);
      w[l] = wl;
      jac[l] = -wl * cumLog;
      jac[L + l] = (wl * k * cum) / lam;
    }
    if (normalize) normalizeWeightsAndJacobian(w, jac, 2);
    return jac;
  },
};

/**
 * Weibull-PDF adstock: weights follow the Weibull density, so the effect can rise to a peak and then fade.
 * @remarks
 * w_l = f(l+1; k, λ) = (k/λ)·u^(k−1)·exp(−uᵏ), u = (l+1)/λ, l = 0 … L−1; optionally normalised.
 * ∂ln w_l/∂k = 1/k + ln u − uᵏ ln u;  ∂ln w_l/∂λ = k(uᵏ − 1)/λ.
 * Source: Robyn's `adstock_weibull` (type "PDF"); PyMC-Marketing's `weibull_adstock` (which rescales to [0, 1]
 * by min and max; we normalise by the sum so that `normalize` means the same for every family).
 * Parameters: shape k > 0, scale λ > 0 (periods).
 */
export const weibullPdfAdstockFamily: AdstockFamily = {
  name: 'weibullPdf',
  paramNames: ['shape', 'scale'],
  check: checkWeibull,
  weightsInto(out, params, normalize) {
    const k = params[0];
    const lam = params[1];
    const c = Math.log(k / lam);
    for (let l = 0; l < out.length; l++) {
      const lu = Math.log((l + 1) / lam);
      out[l] = Math.exp(c + (k - 1) * lu - Math.exp(k * lu));
    }
    if (normalize) normalizeWeightsAndJacobian(out, undefined, 2);
    return out;
  },
  weightsJacobianInto(jac, w, params, normalize) {
    const k = params[0];
    const lam = params[1];
    const L = w.length;
    const c = Math.log(k / lam);
    for (let l = 0; l < L; l++) {
      const lu = Math.log((l + 1) / lam);
      const uk = Math.exp(k * lu);
      const wl = Math.exp(c + (k - 1) * lu - uk);
      w[l] = wl;
      jac[l] = wl * (1 / k + lu - uk * lu);
      jac[L + l] = (wl * k * (uk - 1)) / lam;
    }
    if (normalize) normalizeWeightsAndJacobian(w, jac, 2);
    return jac;
  },
};

/** The lag weights of a Weibull adstock (`'cdf'` or `'pdf'`). */
export function weibullAdstockWeights(kind: 'cdf' | 'pdf', shape: number, scale: number, maxLag = 8, normalize = true): Float64Array {
  const family = kind === 'cdf' ? weibullCdfAdstockFamily : weibullPdfAdstockFamily;
  return adstockWeights(family, [shape, scale], maxLag, normalize);
}

/**
 * Weibull adstock of a series, into `out` (which must not alias `x`).
 * @param kind - `'cdf'` (survival-chain decay) or `'pdf'` (density-shaped, delayed peak)
 * @param shape - k > 0
 * @param scale - λ > 0, in periods
 */
export function weibullAdstockInto(
  out: Float64Array,
  x: ArrayLike<number>,
  kind: 'cdf' | 'pdf',
  shape: number,
  scale: number,
  window: AdstockWindow = {},
): Float64Array {
  const { maxLag, normalize } = resolveWindow(x, window);
  const family = kind === 'cdf' ? weibullCdfAdstockFamily : weibullPdfAdstockFamily;
  return applyAdstock(family, x, [shape, scale], maxLag, normalize, out);
}

/** Allocating form of {@link weibullAdstockInto}. */
export function weibullAdstock(
  x: ArrayLike<number>,
  kind: 'cdf' | 'pdf',
  shape: number,
  scale: number,
  window: AdstockWindow = {},
): Float64Array {
  return weibullAdstockInto(new Float64Array(x.length), x, kind, shape, scale, window);
}
