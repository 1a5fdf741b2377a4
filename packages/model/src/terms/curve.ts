// One channel's curve over a panel of G segments of T periods (a national series is one segment): adstock within each
// segment, then saturation, with what the media term's backward pass needs. The default curve (geometric adstock,
// Hill) runs forward mode, one pass per segment (geometricHillJacobianInto: ∂s_gt/∂(α, K, S) and their sums), so its
// backward pass is three dot products per segment; other curves keep the reverse mode (values with a cache, then the
// vector-Jacobian products per segment): composed from the generic forward-mode pieces they were slower (logistic 11%,
// Weibull 40% on the 40-geo file). A reach-and-frequency channel (Meridian's form) turns the order round: the Hill curve
// on frequency first, then the adstock of reach·Hill(frequency), s_gt = adstock(r_g·H(f_g))_t, in reverse mode.
import type { ParameterBlock } from '@mmm/bayes-nuts';
import {
  adstockInputVjpInto,
  adstockParamsVjpPrepared,
  adstockPreparedInto,
  createAdstockWorkspace,
  geometricAdstockFamily,
  geometricHillJacobianInto,
  hill,
  hillSaturation,
  type AdstockWorkspace,
} from '@mmm/transforms';
import type { ResolvedChannel } from '../channel.js';
import type { BlockValues, BlockViews, TermParameter } from './term.js';

/** The blocks of a channel's adstock and saturation parameters, with their priors and constraints. @internal */
export function curveBlocks(channel: ResolvedChannel): ParameterBlock[] {
  const { names } = channel;
  return [
    ...names.adstock.map((name, k) => ({ name, prior: channel.adstockPriors[k], constraint: channel.adstockConstraints[k] })),
    ...names.saturation.map((name, k) => ({ name, prior: channel.saturationPriors[k], constraint: channel.saturationConstraint })),
  ];
}

/** The same as reported parameters. @internal */
export function curveParameters(channel: ResolvedChannel): TermParameter[] {
  const { names } = channel;
  return [
    ...names.adstock.map((name, k) => ({ name, size: 1, prior: channel.adstockPriors[k] })),
    ...names.saturation.map((name, k) => ({ name, size: 1, prior: channel.saturationPriors[k] })),
  ];
}

/** The views of a panel-long array per segment, made once. @internal */
function segments(a: Float64Array, G: number, T: number): Float64Array[] {
  return Array.from({ length: G }, (_, g) => a.subarray(g * T, (g + 1) * T));
}

/**
 * A channel's curve s_gt = sat(adstock(x_g)_t) on a panel of G segments of T periods, its parameters' blocks, and its
 * backward pass. Buffers are made once; `prepare`, `likelihoodPass` and `backward` allocate nothing. @internal
 */
export class ChannelCurve {
  readonly G: number;
  readonly T: number;
  /** the default curve's forward-mode path */
  readonly fused: boolean;
  /** s (panel-long), the adstocked input a, and each segment's views of them */
  readonly saturated: Float64Array;
  /**
   * the curve the coefficient multiplies, ŝ_gt = m_t·s_gt with a time-varying multiplier m (./modulation.ts), else s
   * itself (the same array), and each segment's views of it
   */
  readonly effective: Float64Array;
  readonly effS: Float64Array[];
  /** the multiplier m_t (length T, shared by the segments) when the effect changes over time */
  private readonly modulation: Float64Array | undefined;
  readonly adstocked: Float64Array;
  readonly satS: Float64Array[];
  readonly adS: Float64Array[];
  readonly xS: Float64Array[];
  /** each segment's mean ŝ̄_g (of the modulated curve when there is a multiplier) */
  readonly sbar: Float64Array;
  readonly adParams: Float64Array;
  readonly satParams: Float64Array;
  readonly ws: AdstockWorkspace;
  private readonly channel: ResolvedChannel;
  private readonly cacheS: Float64Array[];
  /** fused: ∂s/∂(α, K, S) per segment, their sums and their dot products with the upstream, 3 per segment */
  private readonly jac: Float64Array[][];
  private readonly jacSum: Float64Array;
  private readonly jacDot: Float64Array;
  private readonly sums = new Float64Array(4);
  /** reverse mode: one segment's upstream of s and of a, and the parameters' VJPs */
  private readonly gSat: Float64Array;
  private readonly gAd: Float64Array;
  private readonly gAdParams: Float64Array;
  private readonly gSatParams: Float64Array;
  private readonly pgAd: Float64Array;
  private readonly pgSat: Float64Array;
  private ad: Float64Array[] = [];
  private sat: Float64Array[] = [];
  private gAdB: Float64Array[] = [];
  private gSatB: Float64Array[] = [];
  /** reach and frequency: each segment's frequency, Hill(frequency) and the adstock's input reach·Hill(frequency) */
  private readonly rf: { f: Float64Array[]; h: Float64Array[]; z: Float64Array[] } | undefined;

  /**
   * @param modulation - the multiplier's values m_t (length T), read at every `prepare` and `transform`: the owner of
   * the array writes them first
   * @param frequency - a reach-and-frequency channel's frequencies (panel-long; `spend` is then its scaled reach)
   */
  constructor(channel: ResolvedChannel, spend: Float64Array, G: number, T: number, modulation?: Float64Array, frequency?: Float64Array) {
    const n = G * T;
    const nAd = channel.names.adstock.length;
    const nSat = channel.names.saturation.length;
    this.channel = channel;
    this.G = G;
    this.T = T;
    this.fused = !frequency && channel.adstock === geometricAdstockFamily && channel.saturation === hillSaturation;
    this.ws = createAdstockWorkspace(channel.adstock, channel.maxLag);
    this.adstocked = new Float64Array(n);
    // reach and frequency: the curve is the adstocked series itself
    this.saturated = frequency ? this.adstocked : new Float64Array(n);
    this.rf = frequency
      ? { f: segments(frequency, G, T), h: segments(new Float64Array(n), G, T), z: segments(new Float64Array(n), G, T) }
      : undefined;
    this.modulation = modulation;
    this.effective = modulation ? new Float64Array(n) : this.saturated;
    this.effS = segments(this.effective, G, T);
    const cache = new Float64Array(n);
    [this.xS, this.adS, this.satS, this.cacheS] = [spend, this.adstocked, this.saturated, cache].map((a) => segments(a, G, T));
    this.sbar = new Float64Array(G);
    this.jac = this.fused ? [0, 1, 2].map(() => segments(new Float64Array(n), G, T)) : [];
    this.jacSum = new Float64Array(this.fused ? G * 3 : 0);
    this.jacDot = new Float64Array(this.fused ? G * 3 : 0);
    this.gSat = new Float64Array(T);
    this.gAd = new Float64Array(T);
    [this.adParams, this.gAdParams, this.pgAd] = [0, 1, 2].map(() => new Float64Array(nAd));
    [this.satParams, this.gSatParams, this.pgSat] = [0, 1, 2].map(() => new Float64Array(nSat));
  }

  /** the curve's blocks, with their priors and constraints */
  get blocks(): ParameterBlock[] {
    return curveBlocks(this.channel);
  }

  /** receives the model's value and gradient views once */
  bind(values: BlockViews, grads: BlockViews): void {
    const { names } = this.channel;
    this.ad = names.adstock.map((k) => values[k]);
    this.sat = names.saturation.map((k) => values[k]);
    this.gAdB = names.adstock.map((k) => grads[k]);
    this.gSatB = names.saturation.map((k) => grads[k]);
  }

  /** at the bound values: every segment's saturated series and its mean (and, fused, the Jacobian columns) */
  prepare(): void {
    const { adstock, saturation, normalize } = this.channel;
    const { adParams, satParams, ws, sums } = this;
    for (let k = 0; k < adParams.length; k++) adParams[k] = this.ad[k][0];
    for (let k = 0; k < satParams.length; k++) satParams[k] = this.sat[k][0];
    // weights and their Jacobian once per evaluation: the convolution uses the weights, the VJP the Jacobian
    adstock.weightsJacobianInto(ws.jacobian, ws.weights, adParams, normalize);
    for (let g = 0; g < this.G; g++) {
      if (this.fused) {
        const [j0, j1, j2] = this.jac;
        geometricHillJacobianInto(
          this.satS[g],
          this.adS[g],
          j0[g],
          j1[g],
          j2[g],
          sums,
          this.xS[g],
          adParams[0],
          satParams[0],
          satParams[1],
          ws,
        );
        if (this.modulation) this.modulateFused(g);
        else {
          this.sbar[g] = sums[0] / this.T;
          for (let k = 0; k < 3; k++) this.jacSum[g * 3 + k] = sums[k + 1];
        }
        continue;
      }
      if (this.rf) this.reachFrequencyInto(g);
      else {
        adstockPreparedInto(adstock, this.adS[g], this.xS[g], adParams, ws);
        saturation.valueCacheInto(this.satS[g], this.cacheS[g], this.adS[g], satParams);
      }
      this.sbar[g] = this.modulation ? this.modulateInto(g) : meanOf(this.satS[g]);
    }
  }

  /**
   * Reach and frequency, segment g at the current parameters (`adParams`, `satParams`, weights in `ws`): h_t = H(f_t),
   * z_t = r_t·h_t, s = adstock(z) (the adstocked and the saturated series are one array). @internal
   */
  private reachFrequencyInto(g: number): void {
    const { f, h, z } = this.rf!;
    const fg = f[g];
    const hg = h[g];
    const zg = z[g];
    const r = this.xS[g];
    const K = this.satParams[0];
    const S = this.satParams[1];
    for (let t = 0; t < this.T; t++) {
      const ft = fg[t];
      const ht = hill(ft, K, S);
      hg[t] = ht;
      zg[t] = r[t] * ht;
    }
    adstockPreparedInto(this.channel.adstock, this.adS[g], zg, this.adParams, this.ws);
  }

  /** ŝ_gt = m_t·s_gt for segment g; returns its mean @internal */
  private modulateInto(g: number): number {
    const m = this.modulation!;
    const s = this.satS[g];
    const e = this.effS[g];
    let a = 0;
    for (let t = 0; t < this.T; t++) a += e[t] = m[t] * s[t];
    return a / this.T;
  }

  /** fused: ŝ = m·s and its Jacobian columns m·∂s/∂θ (in place), with their sums @internal */
  private modulateFused(g: number): void {
    const m = this.modulation!;
    const [j0, j1, j2] = [this.jac[0][g], this.jac[1][g], this.jac[2][g]];
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    for (let t = 0; t < this.T; t++) {
      const mt = m[t];
      a0 += j0[t] *= mt;
      a1 += j1[t] *= mt;
      a2 += j2[t] *= mt;
    }
    this.sbar[g] = this.modulateInto(g);
    this.jacSum[g * 3] = a0;
    this.jacSum[g * 3 + 1] = a1;
    this.jacSum[g * 3 + 2] = a2;
  }

  /** the value path at `values` (not the bound views): every segment's saturated series and its mean */
  transform(values: BlockValues): void {
    const { adstock, saturation, names, normalize } = this.channel;
    const { adParams, satParams, ws } = this;
    for (let k = 0; k < adParams.length; k++) adParams[k] = values[names.adstock[k]][0];
    for (let k = 0; k < satParams.length; k++) satParams[k] = values[names.saturation[k]][0];
    adstock.weightsInto(ws.weights, adParams, normalize);
    for (let g = 0; g < this.G; g++) {
      if (this.rf) this.reachFrequencyInto(g);
      else {
        adstockPreparedInto(adstock, this.adS[g], this.xS[g], adParams, ws);
        saturation.valueInto(this.satS[g], this.adS[g], satParams);
      }
      this.sbar[g] = this.modulation ? this.modulateInto(g) : meanOf(this.satS[g]);
    }
  }

  /**
   * The likelihood's pass over each segment: D_g = Σ_t u_gt·ŝ_gt with u_gt = g_gt − shift_g (the upstream of the
   * segment's centred contribution) into `dot`, and, fused, the dot products of u with the Jacobian columns.
   */
  likelihoodPass(grad: Float64Array, shift: Float64Array, dot: Float64Array): void {
    const T = this.T;
    for (let g = 0; g < this.G; g++) {
      const sh = shift[g];
      const s = this.effS[g];
      const o = g * T;
      let D = 0;
      if (this.fused) {
        const j0 = this.jac[0][g];
        const j1 = this.jac[1][g];
        const j2 = this.jac[2][g];
        let d0 = 0;
        let d1 = 0;
        let d2 = 0;
        for (let t = 0; t < T; t++) {
          const u = grad[o + t] - sh;
          D += u * s[t];
          d0 += u * j0[t];
          d1 += u * j1[t];
          d2 += u * j2[t];
        }
        this.jacDot[g * 3] = d0;
        this.jacDot[g * 3 + 1] = d1;
        this.jacDot[g * 3 + 2] = d2;
      } else for (let t = 0; t < T; t++) D += (grad[o + t] - sh) * s[t];
      dot[g] = D;
    }
  }

  /** adds a gradient in the curve's parameters (a lift test's) to their blocks */
  addGradient(gAdParams: Float64Array, gSatParams: Float64Array): void {
    for (let k = 0; k < gSatParams.length; k++) this.gSatB[k][0] += gSatParams[k];
    for (let k = 0; k < gAdParams.length; k++) this.gAdB[k][0] += gAdParams[k];
  }

  /**
   * With a multiplier: V_t += Σ_g (b_g·u_gt + c_g)·ŝ_gt, the gradient in f_t = ln m_t (after {@link likelihoodPass}).
   */
  modulationGradient(grad: Float64Array, shift: Float64Array, b: Float64Array, c: Float64Array, V: Float64Array): void {
    const T = this.T;
    for (let g = 0; g < this.G; g++) {
      const e = this.effS[g];
      const o = g * T;
      const bg = b[g];
      const sh = shift[g];
      const cg = c[g];
      for (let t = 0; t < T; t++) V[t] += (bg * (grad[o + t] - sh) + cg) * e[t];
    }
  }

  /**
   * The gradient in the curve's parameters, added to their blocks, when the upstream of ŝ_gt is b_g·u_gt + c_g
   * (b_g the segment's coefficient, c_g the chain rule's constant through s̄_g); after {@link likelihoodPass}.
   */
  backward(grad: Float64Array, shift: Float64Array, b: Float64Array, c: Float64Array): void {
    const { gAdParams, gSatParams } = this;
    gSatParams.fill(0);
    gAdParams.fill(0);
    for (let g = 0; g < this.G; g++) {
      if (this.fused) {
        // (α; K, S) from the forward-mode columns
        gAdParams[0] += b[g] * this.jacDot[g * 3] + c[g] * this.jacSum[g * 3];
        gSatParams[0] += b[g] * this.jacDot[g * 3 + 1] + c[g] * this.jacSum[g * 3 + 1];
        gSatParams[1] += b[g] * this.jacDot[g * 3 + 2] + c[g] * this.jacSum[g * 3 + 2];
      } else this.reverseSegment(grad, shift[g], b[g], c[g], g);
    }
    this.addGradient(gAdParams, gSatParams);
  }

  /** one segment back through the saturation and the adstock (reverse mode) into the parameters' gradients @internal */
  private reverseSegment(grad: Float64Array, shift: number, b: number, c: number, g: number): void {
    const { adstock, saturation } = this.channel;
    const { gSat, gAd, pgSat, pgAd, T } = this;
    const o = g * T;
    const m = this.modulation;
    if (m) for (let t = 0; t < T; t++) gSat[t] = m[t] * (b * (grad[o + t] - shift) + c);
    else for (let t = 0; t < T; t++) gSat[t] = b * (grad[o + t] - shift) + c;
    if (this.rf) {
      this.reachFrequencyBackward(g);
      return;
    }
    saturation.vjpCached(this.adS[g], this.satParams, this.satS[g], this.cacheS[g], gSat, pgSat, gAd);
    for (let k = 0; k < pgSat.length; k++) this.gSatParams[k] += pgSat[k];
    const a = this.adS[g];
    // where the adstocked input is exactly 0 there was no spend in the whole window: it stays 0 whatever the adstock
    // parameters, so it adds nothing to their gradient (the saturation's slope at 0 may be infinite, as for Hill with
    // S < 1; mmm.stan likewise saturates only the positive weeks)
    for (let t = 0; t < T; t++) if (a[t] === 0) gAd[t] = 0;
    adstockParamsVjpPrepared(adstock, this.xS[g], a, gAd, this.adParams, pgAd, this.ws);
    for (let k = 0; k < pgAd.length; k++) this.gAdParams[k] += pgAd[k];
  }

  /**
   * Reach and frequency, segment g, with the upstream of s in `gSat`: the adstock's parameters by its VJP on the input
   * z; ∂/∂z by the transposed convolution (into `gAd`); then through z_t = r_t·H(f_t) to the Hill parameters,
   * ∂H/∂K = −S·H(1 − H)/K and ∂H/∂S = H(1 − H)·ln(f/K) (periods without reach add nothing). @internal
   */
  private reachFrequencyBackward(g: number): void {
    const { gSat, gAd, pgAd, T } = this;
    const { f, h, z } = this.rf!;
    adstockParamsVjpPrepared(this.channel.adstock, z[g], this.adS[g], gSat, this.adParams, pgAd, this.ws);
    for (let k = 0; k < pgAd.length; k++) this.gAdParams[k] += pgAd[k];
    adstockInputVjpInto(gAd, gSat, this.ws.weights);
    const K = this.satParams[0];
    const S = this.satParams[1];
    const r = this.xS[g];
    const fg = f[g];
    const hg = h[g];
    let dK = 0;
    let dS = 0;
    for (let t = 0; t < T; t++) {
      if (!(r[t] > 0)) continue;
      const u = gAd[t] * r[t] * hg[t] * (1 - hg[t]);
      dK += u;
      dS += u * Math.log(fg[t] / K);
    }
    this.gSatParams[0] += (-S / K) * dK;
    this.gSatParams[1] += dS;
  }
}

/** Mean of an array. @internal */
function meanOf(x: Float64Array): number {
  let m = 0;
  for (let t = 0; t < x.length; t++) m += x[t];
  return m / x.length;
}
