import { assertInRange } from '@mmm/core';
import type { AdstockFamily, AdstockRecurrence } from './family.js';
import { adstockWeights, applyAdstock, normalizeWeightsAndJacobian } from './family.js';
import { resolveWindow, type AdstockWindow } from './options.js';

/**
 * The geometric adstock in O(n), from the lag weights in the workspace (w_l = αˡ·w_0, w_0 = 1/N when normalised with
 * N = Σ_{l<L} αˡ, else 1): with u_t = Σ_{l<L} αˡ x_{t−l}, u_t = α·u_{t−1} + x_t − α^L·x_{t−L} and y_t = w_0·u_t. Its
 * α-gradient follows v_t = ∂u_t/∂α = Σ_{1≤l<L} l·αˡ⁻¹ x_{t−l}, itself v_t = α·v_{t−1} + u_{t−1} − L·α^(L−1)·x_{t−L},
 * and ∂y_t/∂α = w_0·v_t + y_t·(∂w_0/∂α)/w_0 (∂w_0/∂α = −N′/N², 0 unnormalised: the Jacobian's first entry). Both
 * restart from exactly 0 after a window with no input (so rounding does not carry from one burst of spend to the next,
 * and an empty window gives exactly 0 as the convolution does); where rounding would make u_t ≤ 0 in a window with
 * input (impossible for inputs ≥ 0, or a negative input), y_t is the convolution's sum at t.
 */
const geometricRecurrence: AdstockRecurrence = {
  into(out, x, params, ws) {
    const a = params[0];
    const w = ws.weights;
    const L = w.length;
    const n = x.length;
    const w0 = w[0];
    const aL = (a * w[L - 1]) / w0; // α^L
    let u = 0;
    let last = -L; // the last period with nonzero input
    for (let t = 0; t < n; t++) {
      const xt = x[t];
      if (xt !== 0) last = t;
      if (t - last >= L) {
        u = 0;
        out[t] = 0;
        continue;
      }
      u = a * u + xt - (t >= L ? aL * x[t - L] : 0);
      if (u <= 0) {
        let acc = 0;
        for (let l = 0; l < L && l <= t; l++) acc += w[l] * x[t - l];
        u = acc / w0;
      }
      out[t] = u * w0;
    }
    return out;
  },
  vjp(gradParams, x, y, g, params, ws) {
    const a = params[0];
    const w = ws.weights;
    const L = w.length;
    const n = x.length;
    const w0 = w[0];
    const aL1 = (L * w[L - 1]) / w0; // L·α^(L−1)
    let v = 0;
    let dv = 0; // Σ g_t·v_t
    let dy = 0; // Σ g_t·y_t
    let last = -L; // the last period before t with nonzero input
    for (let t = 0; t < n; t++) {
      if (t - last >= L) v = 0;
      else v = a * v + y[t - 1] / w0 - (t >= L ? aL1 * x[t - L] : 0);
      if (x[t] !== 0) last = t;
      dv += g[t] * v;
      dy += g[t] * y[t];
    }
    gradParams[0] = w0 * dv + (dy * ws.jacobian[0]) / w0;
    return gradParams;
  },
  tangentsInto(out, x, y, params, ws) {
    // the vjp's recursion for v_t, written out as ∂y_t/∂α = w_0·v_t + y_t·(∂w_0/∂α)/w_0
    const a = params[0];
    const w = ws.weights;
    const L = w.length;
    const n = x.length;
    const w0 = w[0];
    const aL1 = (L * w[L - 1]) / w0; // L·α^(L−1)
    const j = ws.jacobian[0] / w0;
    const d = out[0];
    let v = 0;
    let last = -L; // the last period before t with nonzero input
    for (let t = 0; t < n; t++) {
      if (t - last >= L) v = 0;
      else v = a * v + y[t - 1] / w0 - (t >= L ? aL1 * x[t - L] : 0);
      if (x[t] !== 0) last = t;
      d[t] = w0 * v + y[t] * j;
    }
    return out;
  },
};

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
  recurrence: geometricRecurrence,
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
