import { assertInRange } from '@mmm/core';
import type { AdstockFamily } from './family.js';
import { adstockWeights, applyAdstock, normalizeWeightsAndJacobian } from './family.js';
import { resolveWindow, type AdstockWindow } from './options.js';

/**
 * Delayed geometric adstock: the effect peaks θ periods after the spend.
 * @remarks
 * w_l = α^((l−θ)²), l = 0 … L−1, optionally normalised.  ∂ln w_l/∂α = (l−θ)²/α;  ∂ln w_l/∂θ = −2(l−θ)·ln α.
 * Source: Jin et al. (2017), eq. (1); PyMC-Marketing's `delayed_adstock`.
 * Parameters: α ∈ (0, 1), θ ∈ [0, L−1].
 */
export const delayedAdstockFamily: AdstockFamily = {
  name: 'delayed',
  paramNames: ['alpha', 'theta'],
  check(params, maxLag) {
    assertInRange('alpha', params[0], { lower: 0, upper: 1, lowerOpen: true, upperOpen: true });
    assertInRange('theta', params[1], { lower: 0, upper: maxLag - 1 });
  },
  weightsInto(out, params, normalize) {
    const la = Math.log(params[0]);
    const theta = params[1];
    for (let l = 0; l < out.length; l++) out[l] = Math.exp(la * (l - theta) * (l - theta));
    if (normalize) normalizeWeightsAndJacobian(out, undefined, 2);
    return out;
  },
  weightsJacobianInto(jac, w, params, normalize) {
    const a = params[0];
    const la = Math.log(a);
    const theta = params[1];
    const L = w.length;
    for (let l = 0; l < L; l++) {
      const d = l - theta;
      const wl = Math.exp(la * d * d);
      w[l] = wl;
      jac[l] = (wl * d * d) / a;
      jac[L + l] = -2 * wl * d * la;
    }
    if (normalize) normalizeWeightsAndJacobian(w, jac, 2);
    return jac;
  },
};

/** The lag weights of a delayed adstock. */
export function delayedAdstockWeights(alpha: number, theta: number, maxLag = 8, normalize = true): Float64Array {
  return adstockWeights(delayedAdstockFamily, [alpha, theta], maxLag, normalize);
}

/**
 * Delayed geometric adstock of a series, into `out` (which must not alias `x`).
 * @param alpha - decay α ∈ (0, 1)
 * @param theta - peak delay θ ∈ [0, maxLag − 1], in periods
 */
export function delayedAdstockInto(
  out: Float64Array,
  x: ArrayLike<number>,
  alpha: number,
  theta: number,
  window: AdstockWindow = {},
): Float64Array {
  const { maxLag, normalize } = resolveWindow(x, window);
  return applyAdstock(delayedAdstockFamily, x, [alpha, theta], maxLag, normalize, out);
}

/** Allocating form of {@link delayedAdstockInto}. */
export function delayedAdstock(x: ArrayLike<number>, alpha: number, theta: number, window: AdstockWindow = {}): Float64Array {
  return delayedAdstockInto(new Float64Array(x.length), x, alpha, theta, window);
}
