import { assertInRange } from '@mmm/core';
import type { AdstockFamily } from './family.js';
import { adstockWeights, applyAdstock, normalizeWeightsAndJacobian } from './family.js';
import { resolveWindow, type AdstockWindow } from './options.js';

/**
 * Geometric adstock: each period carries a share α of the previous period's effect.
 * @remarks
 * w_l = αˡ, l = 0 … L−1 (0⁰ = 1), optionally normalised to w_l / Σ_j αʲ.  ∂w_l/∂α = l·αˡ⁻¹.
 * Source: Jin et al. (2017); PyMC-Marketing's `geometric_adstock`; the reference model in `mmm.stan`.
 * Parameter: α ∈ [0, 1).
 */
export const geometricAdstockFamily: AdstockFamily = {
  name: 'geometric',
  paramNames: ['alpha'],
  check(params) {
    assertInRange('alpha', params[0], { lower: 0, upper: 1, upperOpen: true });
  },
  weightsInto(out, params, normalize) {
    const a = params[0];
    let w = 1;
    for (let l = 0; l < out.length; l++) {
      out[l] = w;
      w *= a;
    }
    if (normalize) normalizeWeightsAndJacobian(out, undefined, 1);
    return out;
  },
  weightsJacobianInto(jac, w, params, normalize) {
    const a = params[0];
    let pw = 1; // α^(l−1) for l ≥ 1
    w[0] = 1;
    jac[0] = 0;
    for (let l = 1; l < w.length; l++) {
      jac[l] = l * pw;
      pw *= a;
      w[l] = pw;
    }
    if (normalize) normalizeWeightsAndJacobian(w, jac, 1);
    return jac;
  },
};

/**
 * The lag weights of a geometric adstock.
 * @example
 * geometricAdstockWeights(0.5, 3, false); // Float64Array [1, 0.5, 0.25]
 */
export function geometricAdstockWeights(alpha: number, maxLag = 8, normalize = true): Float64Array {
  return adstockWeights(geometricAdstockFamily, [alpha], maxLag, normalize);
}

/**
 * Geometric adstock of a series, into `out` (which must not alias `x`).
 * @remarks y_t = Σ_{l<L} w_l x_{t−l} with w_l ∝ αˡ (see {@link geometricAdstockFamily}).
 * @param out - output, same length as `x`
 * @param x - spend series
 * @param alpha - decay α ∈ [0, 1)
 * @param window - `maxLag` (default 8) and `normalize` (default true)
 * @example
 * geometricAdstockInto(new Float64Array(3), [1, 0, 0], 0.5, { maxLag: 3, normalize: false }); // [1, 0.5, 0.25]
 */
export function geometricAdstockInto(out: Float64Array, x: ArrayLike<number>, alpha: number, window: AdstockWindow = {}): Float64Array {
  const { maxLag, normalize } = resolveWindow(x, window);
  return applyAdstock(geometricAdstockFamily, x, [alpha], maxLag, normalize, out);
}

/** Allocating form of {@link geometricAdstockInto}. */
export function geometricAdstock(x: ArrayLike<number>, alpha: number, window: AdstockWindow = {}): Float64Array {
  return geometricAdstockInto(new Float64Array(x.length), x, alpha, window);
}
