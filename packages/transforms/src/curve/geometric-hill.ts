// The default media curve in one pass: Hill saturation of the geometric adstock, with its forward-mode Jacobian in
// (α, K, S). A geo model evaluates it for every geo and channel at each gradient; composing the generic pieces
// (adstockPreparedInto, adstockTangentsPrepared, saturationJacobianInto) gives the same numbers in five passes.
import { DimensionMismatchError, assertInRange, assertPositive } from '@mmm/core';
import type { AdstockWorkspace } from '../adstock/family.js';

/**
 * s_t = Hill(y_t; K, S) with y = geometric adstock of x (α, the window and its normalisation read from `ws.weights` and
 * `ws.jacobian`, filled by `geometricAdstockFamily.weightsJacobianInto` at α), and the forward-mode derivatives
 * jAlpha_t = ∂s_t/∂α, jK_t = ∂s_t/∂K, jS_t = ∂s_t/∂S, in one pass over t. Writes y into `adstocked`, s into `out`;
 * `sums` receives [Σ s, Σ jAlpha, Σ jK, Σ jS]. Allocates nothing.
 * @remarks
 * y follows the geometric recurrence (`geometricAdstockFamily.recurrence`, the same restarts at exactly 0 after an
 * empty window and the same direct sum where rounding would make it ≤ 0); ∂y_t/∂α = w_0·v_t + y_t·(∂w_0/∂α)/w_0
 * with v_t = α·v_{t−1} + y_{t−1}/w_0 − L·α^(L−1)·x_{t−L}; then ∂s/∂α = S·h(1 − h)/y·∂y/∂α, ∂s/∂K = −S·h(1 − h)/K,
 * ∂s/∂S = h(1 − h)·ln(y/K). Where y ≤ 0 (no spend in the window) s and every derivative are 0.
 */
export function geometricHillJacobianInto(
  out: Float64Array,
  adstocked: Float64Array,
  jAlpha: Float64Array,
  jK: Float64Array,
  jS: Float64Array,
  sums: Float64Array,
  x: ArrayLike<number>,
  alpha: number,
  halfSaturation: number,
  slope: number,
  ws: AdstockWorkspace,
): Float64Array {
  // long: the adstock, its α-tangent, Hill and the three derivatives share one loop on purpose (one pass per geo and channel)
  assertInRange('alpha', alpha, { lower: 0, upper: 1, upperOpen: true });
  assertPositive('halfSaturation', halfSaturation);
  assertPositive('slope', slope);
  const n = x.length;
  if (out.length !== n) throw new DimensionMismatchError('out', n, out.length);
  if (adstocked.length !== n) throw new DimensionMismatchError('adstocked', n, adstocked.length);
  if (jAlpha.length !== n) throw new DimensionMismatchError('jAlpha', n, jAlpha.length);
  if (jK.length !== n) throw new DimensionMismatchError('jK', n, jK.length);
  if (jS.length !== n) throw new DimensionMismatchError('jS', n, jS.length);
  if (sums.length < 4) throw new DimensionMismatchError('sums', 4, sums.length);
  const w = ws.weights;
  const L = w.length;
  const w0 = w[0];
  const aL = (alpha * w[L - 1]) / w0; // α^L
  const aL1 = (L * w[L - 1]) / w0; // L·α^(L−1)
  const j0 = ws.jacobian[0] / w0;
  const logK = Math.log(halfSaturation);
  const cK = -slope / halfSaturation;
  let u = 0;
  let v = 0;
  let yPrev = 0;
  let last = -L; // the last period with nonzero input (before t while v is updated, then up to t)
  let sumS = 0;
  let sumA = 0;
  let sumK = 0;
  let sumSl = 0;
  for (let t = 0; t < n; t++) {
    const xt = x[t];
    const old = t >= L ? x[t - L] : 0;
    v = t - last >= L ? 0 : alpha * v + yPrev / w0 - aL1 * old;
    if (xt !== 0) last = t;
    let y = 0;
    if (t - last >= L) u = 0;
    else {
      u = alpha * u + xt - aL * old;
      if (u <= 0) {
        let acc = 0;
        for (let l = 0; l < L && l <= t; l++) acc += w[l] * x[t - l];
        u = acc / w0;
      }
      y = u * w0;
    }
    adstocked[t] = y;
    yPrev = y;
    if (y <= 0) {
      out[t] = 0;
      jAlpha[t] = 0;
      jK[t] = 0;
      jS[t] = 0;
      continue;
    }
    const lv = Math.log(y);
    const h = 1 / (1 + Math.exp(slope * (logK - lv)));
    const hh = h * (1 - h);
    const da = ((slope * hh) / y) * (w0 * v + y * j0);
    const dk = cK * hh;
    const ds = hh * (lv - logK);
    out[t] = h;
    jAlpha[t] = da;
    jK[t] = dk;
    jS[t] = ds;
    sumS += h;
    sumA += da;
    sumK += dk;
    sumSl += ds;
  }
  sums[0] = sumS;
  sums[1] = sumA;
  sums[2] = sumK;
  sums[3] = sumSl;
  return out;
}
