import { adstockInto, type AdstockWorkspace } from '@mmm/transforms';
import type { ResolvedChannel } from '../channel.js';
import type { LiftTestData } from '../data.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** The lift tests of one media channel, evaluated inside its media term (which owns β and the curves). @internal */
export interface LiftTests {
  count: number;
  /** each test's s(a′) − s(a) summed over its window, at the current curves (after `prepare`) */
  readonly diff: Float64Array;
  /** computes the windows' saturated inputs with and without the test's extra spend */
  prepare(satParams: Float64Array, saturated: Float64Array): void;
  /**
   * Σ_tests log Normal(lift | β·diff, sd); writes the gradient in the curve parameters into gAdParams and gSatParams
   * (overwritten) and in β into `dBeta`.
   */
  backward(beta: number, satParams: Float64Array, gAdParams: Float64Array, gSatParams: Float64Array): number;
  dBeta: number;
}

/**
 * A channel's lift tests. Test k raised the input by δ per period in its window W = [start, end] (a go-dark test
 * takes a period at most to 0: the change there is e_u = max(0, x_u + δ) − x_u); adstock is linear, so there
 * a′_t = a_t + Σ_{l ≤ t − start} w_l·e_{t−l} (carry-over from earlier periods of the window counts; after the window
 * nothing is counted). The implied lift is
 * β·Σ_{t∈W} (s(a′_t) − s(a_t)) and the measurement adds −½((lift − implied)/sd)² − ln sd − ½ ln 2π. Its gradient: in
 * β, r·Σ(s′ − s) with r = (lift − implied)/sd²; in θ_s, r·β·Σ(∂s/∂θ(a′) − ∂s/∂θ(a)); in the lag weights,
 * ∂/∂w_l = r·β·Σ_{t∈W} (s′(a′_t)·(x_{t−l} + e_{t−l}·1[t−l ∈ W]) − s′(a_t)·x_{t−l}), then through the weights' Jacobian to
 * θ_a. Allocates its buffers once. @internal
 */
export function liftTests(
  tests: readonly LiftTestData[],
  channel: ResolvedChannel,
  spend: Float64Array,
  ws: AdstockWorkspace,
  adstocked: Float64Array,
): LiftTests {
  // long: a closure whose two methods share the buffers made here; backward is the chain rule through the window
  const { saturation, adstock } = channel;
  const L = ws.weights.length;
  const nAd = adstock.paramNames.length;
  const nSat = saturation.paramNames.length;
  const buf = tests.map((t) => {
    // a steady-state test reads the curve at two points: a window of one "period" whose inputs are x and x + dx
    if (t.steady)
      return {
        e: new Float64Array(1),
        a: Float64Array.of(t.steady.x),
        a1: Float64Array.of(t.steady.x + t.steady.dx),
        s: new Float64Array(1),
        s1: new Float64Array(1),
        g: new Float64Array(1),
        gx: new Float64Array(1),
        gx1: new Float64Array(1),
      };
    const W = t.end - t.start + 1;
    // the change each period of the window actually gets: δ, or what was spent when a go-dark test takes out more
    const e = Float64Array.from({ length: W }, (_, i) => Math.max(0, spend[t.start + i] + t.delta) - spend[t.start + i]);
    return {
      e,
      a: new Float64Array(W),
      a1: new Float64Array(W),
      s: new Float64Array(W),
      s1: new Float64Array(W),
      g: new Float64Array(W),
      gx: new Float64Array(W),
      gx1: new Float64Array(W),
    };
  });
  const diff = new Float64Array(tests.length);
  const tmp = new Float64Array(Math.max(nSat, 1));
  const gw = new Float64Array(L);
  const out: LiftTests = {
    count: tests.length,
    diff,
    dBeta: 0,
    prepare(satParams, saturated) {
      tests.forEach((t, k) => {
        const b = buf[k];
        if (t.steady) {
          saturation.valueInto(b.s, b.a, satParams);
          saturation.valueInto(b.s1, b.a1, satParams);
          diff[k] = b.s1[0] - b.s[0];
          return;
        }
        let d = 0;
        for (let i = 0; i < b.a.length; i++) {
          let extra = 0;
          for (let l = 0; l < L && l <= i; l++) extra += ws.weights[l] * b.e[i - l];
          const at = adstocked[t.start + i];
          b.a[i] = at;
          b.a1[i] = at + extra;
          b.s[i] = saturated[t.start + i];
        }
        saturation.valueInto(b.s1, b.a1, satParams);
        for (let i = 0; i < b.a.length; i++) d += b.s1[i] - b.s[i];
        diff[k] = d;
      });
    },
    backward(beta, satParams, gAdParams, gSatParams) {
      gAdParams.fill(0);
      gSatParams.fill(0);
      let ll = 0;
      out.dBeta = 0;
      tests.forEach((t, k) => {
        const b = buf[k];
        const resid = t.lift - beta * diff[k];
        ll += -0.5 * (resid / t.sd) ** 2 - Math.log(t.sd) - HALF_LOG_2PI;
        const r = resid / (t.sd * t.sd);
        out.dBeta += r * diff[k];
        b.g.fill(r * beta);
        saturation.vjp(b.a1, satParams, b.g, tmp, b.gx1);
        for (let p = 0; p < nSat; p++) gSatParams[p] += tmp[p];
        saturation.vjp(b.a, satParams, b.g, tmp, b.gx);
        for (let p = 0; p < nSat; p++) gSatParams[p] -= tmp[p];
        // a steady-state test does not involve the adstock
        if (t.steady) return;
        // no gradient where an input sits at 0 (no spend in the lags): the curve's slope there may be infinite
        for (let i = 0; i < b.a.length; i++) {
          if (b.a1[i] <= 0) b.gx1[i] = 0;
          if (b.a[i] <= 0) b.gx[i] = 0;
        }
        gw.fill(0);
        for (let i = 0; i < b.a.length; i++) {
          const tt = t.start + i;
          for (let l = 0; l < L && l <= tt; l++) {
            const x = spend[tt - l];
            gw[l] += b.gx1[i] * (x + (l <= i ? b.e[i - l] : 0)) - b.gx[i] * x;
          }
        }
        for (let p = 0; p < nAd; p++) {
          let s = 0;
          for (let l = 0; l < L; l++) s += ws.jacobian[p * L + l] * gw[l];
          gAdParams[p] += s;
        }
      });
      return ll;
    },
  };
  return out;
}

/**
 * Each lift test's implied lift at natural parameter values (on the model's scale: multiply by the target's scale),
 * β·Σ_{t∈W} (s(a′_t) − s(a_t)) as the log density uses it; for reports of a fit. Allocates.
 */
export function impliedLifts(
  tests: readonly LiftTestData[],
  channels: readonly ResolvedChannel[],
  spend: readonly Float64Array[],
  natural: Readonly<Record<string, ArrayLike<number>>>,
  periods?: number,
): Float64Array {
  return Float64Array.from(tests, (t) => {
    const ch = channels[t.channel];
    // a geo test: the geo's own series and coefficient β·exp(η·z_g) (per capita)
    if (t.geo !== undefined && periods !== undefined) {
      const x = spend[t.channel].subarray(t.geo * periods, (t.geo + 1) * periods);
      const factor = Math.exp(natural[ch.names.scatter][0] * natural[ch.names.geoDeviates][t.geo]);
      return factor * impliedLifts([{ ...t, geo: undefined, channel: 0 }], [ch], [x], natural)[0];
    }
    if (t.steady) {
      const sp = ch.names.saturation.map((nm) => natural[nm][0]);
      return natural[ch.names.beta][0] * (ch.saturation.value(t.steady.x + t.steady.dx, sp) - ch.saturation.value(t.steady.x, sp));
    }
    const x = spend[t.channel];
    const w = ch.adstock.weightsInto(
      new Float64Array(ch.maxLag),
      ch.names.adstock.map((nm) => natural[nm][0]),
      ch.normalize,
    );
    const changed = Float64Array.from(x, (v, i) => (i >= t.start && i <= t.end ? Math.max(0, v + t.delta) : v));
    const satParams = ch.names.saturation.map((nm) => natural[nm][0]);
    const s = ch.saturation.valueInto(new Float64Array(x.length), adstockInto(new Float64Array(x.length), x, w), satParams);
    const s1 = ch.saturation.valueInto(new Float64Array(x.length), adstockInto(new Float64Array(x.length), changed, w), satParams);
    let d = 0;
    for (let i = t.start; i <= t.end; i++) d += s1[i] - s[i];
    return natural[ch.names.beta][0] * d;
  });
}
