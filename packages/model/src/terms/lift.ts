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
  return new ChannelLiftTests(tests, channel, spend, ws, adstocked);
}

/** One test's buffers: the window's change e, inputs a and a′, curves s and s′, their upstream and VJPs. @internal */
interface TestBuffers {
  e: Float64Array;
  a: Float64Array;
  a1: Float64Array;
  s: Float64Array;
  s1: Float64Array;
  g: Float64Array;
  gx: Float64Array;
  gx1: Float64Array;
}

/** A test's buffers: a steady-state test reads the curve at two points, a window of one "period" at x and x + dx. @internal */
function testBuffers(t: LiftTestData, spend: Float64Array): TestBuffers {
  const W = t.steady ? 1 : t.end - t.start + 1;
  const [a, a1, s, s1, g, gx, gx1] = [0, 1, 2, 3, 4, 5, 6].map(() => new Float64Array(W));
  if (t.steady) {
    a[0] = t.steady.x;
    a1[0] = t.steady.x + t.steady.dx;
    return { e: new Float64Array(1), a, a1, s, s1, g, gx, gx1 };
  }
  // the change each period of the window actually gets: δ, or what was spent when a go-dark test takes out more
  const e = Float64Array.from({ length: W }, (_, i) => Math.max(0, spend[t.start + i] + t.delta) - spend[t.start + i]);
  return { e, a, a1, s, s1, g, gx, gx1 };
}

/** A channel's lift tests (see {@link liftTests}). @internal */
class ChannelLiftTests implements LiftTests {
  readonly count: number;
  readonly diff: Float64Array;
  dBeta = 0;
  private readonly buf: TestBuffers[];
  private readonly tmp: Float64Array;
  private readonly gw: Float64Array;

  constructor(
    private readonly tests: readonly LiftTestData[],
    private readonly channel: ResolvedChannel,
    private readonly spend: Float64Array,
    private readonly ws: AdstockWorkspace,
    private readonly adstocked: Float64Array,
  ) {
    this.count = tests.length;
    this.diff = new Float64Array(tests.length);
    this.buf = tests.map((t) => testBuffers(t, spend));
    this.tmp = new Float64Array(Math.max(channel.saturation.paramNames.length, 1));
    this.gw = new Float64Array(ws.weights.length);
  }

  prepare(satParams: Float64Array, saturated: Float64Array): void {
    const { saturation } = this.channel;
    const L = this.ws.weights.length;
    this.tests.forEach((t, k) => {
      const b = this.buf[k];
      if (t.steady) {
        saturation.valueInto(b.s, b.a, satParams);
        saturation.valueInto(b.s1, b.a1, satParams);
        this.diff[k] = b.s1[0] - b.s[0];
        return;
      }
      let d = 0;
      for (let i = 0; i < b.a.length; i++) {
        let extra = 0;
        for (let l = 0; l < L && l <= i; l++) extra += this.ws.weights[l] * b.e[i - l];
        const at = this.adstocked[t.start + i];
        b.a[i] = at;
        b.a1[i] = at + extra;
        b.s[i] = saturated[t.start + i];
      }
      saturation.valueInto(b.s1, b.a1, satParams);
      for (let i = 0; i < b.a.length; i++) d += b.s1[i] - b.s[i];
      this.diff[k] = d;
    });
  }

  backward(beta: number, satParams: Float64Array, gAdParams: Float64Array, gSatParams: Float64Array): number {
    const { saturation } = this.channel;
    const { tmp, diff } = this;
    const nSat = gSatParams.length;
    gAdParams.fill(0);
    gSatParams.fill(0);
    let ll = 0;
    this.dBeta = 0;
    this.tests.forEach((t, k) => {
      const b = this.buf[k];
      const resid = t.lift - beta * diff[k];
      ll += -0.5 * (resid / t.sd) ** 2 - Math.log(t.sd) - HALF_LOG_2PI;
      const r = resid / (t.sd * t.sd);
      this.dBeta += r * diff[k];
      b.g.fill(r * beta);
      saturation.vjp(b.a1, satParams, b.g, tmp, b.gx1);
      for (let p = 0; p < nSat; p++) gSatParams[p] += tmp[p];
      saturation.vjp(b.a, satParams, b.g, tmp, b.gx);
      for (let p = 0; p < nSat; p++) gSatParams[p] -= tmp[p];
      // a steady-state test does not involve the adstock
      if (!t.steady) this.adstockGradient(t, b, gAdParams);
    });
    return ll;
  }

  /** a window test's gradient in the lag weights, through the weights' Jacobian to the adstock's parameters @internal */
  private adstockGradient(t: LiftTestData, b: TestBuffers, gAdParams: Float64Array): void {
    const { gw, spend, ws } = this;
    const L = ws.weights.length;
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
    for (let p = 0; p < gAdParams.length; p++) {
      let s = 0;
      for (let l = 0; l < L; l++) s += ws.jacobian[p * L + l] * gw[l];
      gAdParams[p] += s;
    }
  }
}

/**
 * A channel's steady-state tests in sets of geos (geo panels): test k changed geo g's input from x_g to x_g + dx_g
 * (per capita); the implied total lift is Σ_g pop_g·β_g·(s(x_g + dx_g) − s(x_g)) and the measurement adds
 * −½((lift − implied)/sd)² − ln sd − ½ ln 2π. With r = (lift − implied)/sd²: ∂/∂β_g = r·pop_g·Δs_g and
 * ∂/∂θ_s = r·Σ_g pop_g·β_g·(∂s/∂θ(x_g + dx_g) − ∂s/∂θ(x_g)); the adstock is not involved. Allocates its buffers once.
 * @internal
 */
export class GeoSetLiftTests {
  readonly count: number;
  private readonly a: Float64Array[];
  private readonly a1: Float64Array[];
  private readonly s: Float64Array[];
  private readonly s1: Float64Array[];
  private readonly g: Float64Array[];
  private readonly gx: Float64Array[];
  private readonly tmp: Float64Array;

  constructor(
    private readonly tests: readonly LiftTestData[],
    private readonly channel: ResolvedChannel,
  ) {
    this.count = tests.length;
    const sets = tests.map((t) => t.geoSet!);
    this.a = sets.map((set) => Float64Array.from(set.x));
    this.a1 = sets.map((set) => Float64Array.from(set.x, (x, i) => x + set.dx[i]));
    [this.s, this.s1, this.g, this.gx] = [0, 1, 2, 3].map(() => sets.map((set) => new Float64Array(set.geo.length)));
    this.tmp = new Float64Array(Math.max(channel.saturation.paramNames.length, 1));
  }

  /** the saturated inputs with and without each test's change, at the current curve */
  prepare(satParams: Float64Array): void {
    for (let k = 0; k < this.count; k++) {
      this.channel.saturation.valueInto(this.s[k], this.a[k], satParams);
      this.channel.saturation.valueInto(this.s1[k], this.a1[k], satParams);
    }
  }

  /** Σ_tests log Normal(lift | implied, sd); adds ∂/∂β_g into `dBeta` and writes the saturation's gradient into gSatParams */
  backward(beta: Float64Array, satParams: Float64Array, gSatParams: Float64Array, dBeta: Float64Array): number {
    const { saturation } = this.channel;
    const { tmp } = this;
    gSatParams.fill(0);
    let ll = 0;
    this.tests.forEach((t, k) => {
      const set = t.geoSet!;
      const [s, s1, g] = [this.s[k], this.s1[k], this.g[k]];
      let implied = 0;
      for (let i = 0; i < s.length; i++) implied += set.population[i] * beta[set.geo[i]] * (s1[i] - s[i]);
      const resid = t.lift - implied;
      ll += -0.5 * (resid / t.sd) ** 2 - Math.log(t.sd) - HALF_LOG_2PI;
      const r = resid / (t.sd * t.sd);
      for (let i = 0; i < s.length; i++) {
        dBeta[set.geo[i]] += r * set.population[i] * (s1[i] - s[i]);
        g[i] = r * set.population[i] * beta[set.geo[i]];
      }
      saturation.vjp(this.a1[k], satParams, g, tmp, this.gx[k]);
      for (let p = 0; p < gSatParams.length; p++) gSatParams[p] += tmp[p];
      saturation.vjp(this.a[k], satParams, g, tmp, this.gx[k]);
      for (let p = 0; p < gSatParams.length; p++) gSatParams[p] -= tmp[p];
    });
    return ll;
  }
}

/** β_g of channel `ch` in geo g at natural values: β·exp(η·z_g) when pooled, else the geo's own β. @internal */
function geoBeta(ch: ResolvedChannel, natural: Readonly<Record<string, ArrayLike<number>>>, g: number): number {
  const eta = natural[ch.names.scatter];
  const beta = natural[ch.names.beta];
  return eta ? beta[0] * Math.exp(eta[0] * natural[ch.names.geoDeviates][g]) : beta[g];
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
    // a test in a set of geos: Σ_g pop_g·β_g·(s(x_g + dx_g) − s(x_g)) (a total, not per capita)
    if (t.geoSet) {
      const sp = ch.names.saturation.map((nm) => natural[nm][0]);
      const { geo, x, dx, population } = t.geoSet;
      let total = 0;
      for (let i = 0; i < geo.length; i++)
        total += population[i] * geoBeta(ch, natural, geo[i]) * (ch.saturation.value(x[i] + dx[i], sp) - ch.saturation.value(x[i], sp));
      return total;
    }
    // a geo test: the geo's own series and coefficient β_g (per capita)
    if (t.geo !== undefined && periods !== undefined) {
      const x = spend[t.channel].subarray(t.geo * periods, (t.geo + 1) * periods);
      const own = { ...natural, [ch.names.beta]: [geoBeta(ch, natural, t.geo)] };
      return impliedLifts([{ ...t, geo: undefined, channel: 0 }], [ch], [x], own)[0];
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
