// The geo model's coefficient model (reference: shared/reference/stan/geo/mmm_geo.stan): each geo's effect
// β_gc = β_c·exp(η_c·z_gc), z_gc ~ Normal(0, 1), scattered log-normally around the national β_c, with geos held out
// of pooling and channels pooled nowhere.
import { InvalidInputError } from '@mmm/core';
import { priorLogDensityGradient, samplePrior, type ParameterBlock, type PriorSpec } from '@mmm/bayes-nuts';
import type { ResolvedChannel } from '../channel.js';
import type { CoefficientModel, RoasCalibration } from './coefficients.js';
import type { BlockValues, BlockViews, LevelState, PriorRng, TermParameter } from './term.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** The geo media term's extra priors: the geo scatter η of log β. */
export interface GeoMediaPriors {
  /** η_c, the sd of log β_gc around log β_c; @defaultValue HalfNormal(0.5) */
  scatter: PriorSpec;
}

/** Which geos of a geo term are held out of pooling. */
export interface GeoPooling {
  /** per geo: true where the geo is estimated on its own (length G; default none) */
  free?: readonly boolean[];
}

/** What the geo scatter needs of the panel: its shape, populations and which geos have no spend on the channel. @internal */
export interface ScatterPanel {
  G: number;
  T: number;
  population: Float64Array;
  /** per geo: 1 where the channel has no spend in any period */
  dark: Uint8Array;
}

/**
 * The geo scatter of a channel's effect: β_gc = β_c·exp(η_c·z_gc), z_gc ~ Normal(0, 1) (blocks `c.eta`, `c.z` of
 * size G).
 *
 * Centred coordinates: the sampler moves in γ_c = β_c·A_c, A_c = (1/G)·Σ_g e_gc·s̄_gc (e_gc = exp(η_c z_gc)), the
 * channel's mean contribution over the panel, instead of β_c; β_c = γ_c/A_c carries its prior and the log-Jacobian
 * −ln A_c. Each geo's contribution is centred on its own mean: its offset β_gc·s̄_gc goes to `level.geoOffset[g]`, and
 * its upstream gradient is g_gt − G_g/T.
 *
 * Geos held out of pooling (`pooling.free`): their β_gc has the channel's own coefficient prior, independent of β_c
 * and η_c, which then pool the other geos only (A_c averages over them). The sampler moves in ln β_gc (natural) or
 * ln(β_gc·s̄_gc) (centred, ln β_gc where the geo has no spend); the z slot of such a geo holds that coordinate, and
 * its reported z is ln(β_gc/β_c)/η_c, so β_c·exp(η_c z_gc) = β_gc holds for every geo. When every geo is held out (a
 * channel not pooled at all) there is no β_c or η_c: the channel reports `c.beta` of size G.
 *
 * A ROAS prior is on the national ROAS = β·B/κ with B = Σ_g pop_g·e_g·s̄_g and κ = Λ/T.
 */
export function geoScatter(
  channel: ResolvedChannel,
  panel: ScatterPanel,
  priors: GeoMediaPriors,
  centred: boolean,
  roas: RoasCalibration | undefined,
  pooling: GeoPooling = {},
): CoefficientModel {
  const free = Uint8Array.from({ length: panel.G }, (_, g) => (pooling.free?.[g] ? 1 : 0));
  const nPooled = panel.G - free.reduce((a, b) => a + b, 0);
  if (roas && nPooled < panel.G)
    throw new InvalidInputError(
      `spec.channels.${channel.name}.roasPrior`,
      'is set on a channel with geos held out of pooling',
      'A ROAS prior is on the pooled national effect: drop the ROAS prior or pool every geo for this channel.',
    );
  return new GeoScatter(channel, panel, priors, centred, roas, free, nPooled);
}

/** @internal */
class GeoScatter implements CoefficientModel {
  readonly blocks: readonly ParameterBlock[];
  readonly parameters: readonly TermParameter[];
  private readonly G: number;
  private readonly T: number;
  private readonly pooled: boolean;
  private readonly effectName: string;
  private readonly etaName: string;
  /** the per-geo slot: z (pooled channel) or, for a channel pooled nowhere, each geo's own effect */
  private readonly zName: string;
  private readonly kappa: number;
  readonly priorReadsCurve: boolean;
  private readonly e: Float64Array;
  private readonly pg = new Float64Array(1);
  private effect: Float64Array = new Float64Array(1);
  private eta: Float64Array = new Float64Array(1);
  private z: Float64Array = new Float64Array(0);
  private gEffect: Float64Array = new Float64Array(1);
  private gEta: Float64Array = new Float64Array(1);
  private gZ: Float64Array = new Float64Array(0);
  private beta = 0;
  private A = 0;
  private B = 0;

  constructor(
    private readonly channel: ResolvedChannel,
    private readonly panel: ScatterPanel,
    priors: GeoMediaPriors,
    private readonly centred: boolean,
    private readonly roas: RoasCalibration | undefined,
    private readonly free: Uint8Array,
    private readonly nPooled: number,
  ) {
    const { names } = channel;
    this.G = panel.G;
    this.T = panel.T;
    this.pooled = nPooled > 0;
    this.effectName = centred ? names.effect : names.beta;
    this.etaName = names.scatter;
    this.zName = this.pooled ? names.geoDeviates : this.effectName;
    this.kappa = roas ? roas.spendPerTarget / this.T : 1;
    this.priorReadsCurve = roas !== undefined;
    this.e = new Float64Array(this.G);
    const positive = 'positive' as const;
    const effect =
      centred || roas
        ? { name: this.effectName, constraint: positive }
        : { name: this.effectName, prior: channel.betaPrior, constraint: positive };
    // the slot's priors are the term's: Normal(0, 1) for pooled geos, the coefficient prior for held-out ones
    this.blocks = [
      ...(this.pooled ? [effect, { name: this.etaName, prior: priors.scatter, constraint: positive }] : []),
      { name: this.zName, size: this.G },
    ];
    const standard = { dist: 'normal', mu: 0, sigma: 1 } as const;
    this.parameters = [
      ...(this.pooled
        ? [
            { name: names.beta, size: 1, ...(roas ? {} : { prior: channel.betaPrior }) },
            { name: this.etaName, size: 1, prior: priors.scatter, scope: 'hierarchy' as const, hierarchicalScale: true },
          ]
        : []),
      this.pooled
        ? { name: this.zName, size: this.G, scope: 'geo' as const, ...(nPooled === this.G ? { prior: standard } : {}) }
        : { name: names.beta, size: this.G, prior: channel.betaPrior, scope: 'geo' as const },
    ];
  }

  bind(values: BlockViews, grads: BlockViews): void {
    this.z = values[this.zName];
    this.gZ = grads[this.zName];
    if (!this.pooled) return;
    this.effect = values[this.effectName];
    this.eta = values[this.etaName];
    this.gEffect = grads[this.effectName];
    this.gEta = grads[this.etaName];
  }

  /** a held-out geo's β_gc from its sampled coordinate */
  private freeBeta(g: number, slot: number, sbar: Float64Array): number {
    return this.centred && !this.panel.dark[g] ? Math.exp(slot) / sbar[g] : Math.exp(slot);
  }

  /** A = (1/G_pooled)·Σ_{pooled g} e_g·s̄_g at η and z; fills e_g (pooled geos) */
  private scatter(etaValue: number, zValues: ArrayLike<number>, sbar: Float64Array): number {
    let a = 0;
    for (let g = 0; g < this.G; g++) {
      if (this.free[g]) continue;
      this.e[g] = Math.exp(etaValue * zValues[g]);
      a += this.e[g] * sbar[g];
    }
    return a / this.nPooled;
  }

  prepare(sbar: Float64Array, level: LevelState, b: Float64Array): void {
    if (this.pooled) {
      this.A = this.scatter(this.eta[0], this.z, sbar);
      this.beta = this.centred ? this.effect[0] / this.A : this.effect[0];
    }
    this.B = 0;
    for (let g = 0; g < this.G; g++) {
      if (this.free[g]) b[g] = this.freeBeta(g, this.z[g], sbar);
      else {
        b[g] = this.beta * this.e[g];
        this.B += this.panel.population[g] * this.e[g] * sbar[g];
      }
      if (this.centred) level.geoOffset[g] += b[g] * sbar[g];
    }
  }

  upstreamShift(level: LevelState, shift: Float64Array): void {
    for (let g = 0; g < this.G; g++) shift[g] = this.centred ? level.geoGradient[g] / this.T : 0;
  }

  backward(D: Float64Array, sbar: Float64Array, b: Float64Array, c: Float64Array, extra: number): number {
    c.fill(0);
    // pooled geos: β_gc = β·e_g, z_g ~ Normal(0, 1): ∂/∂β += D_g·e_g; ∂/∂η += D_g·β_gc·z_g; ∂/∂z_g += D_g·β_gc·η − z_g.
    // held-out geos: β_gc = e^slot (/ s̄_g when centred) carries the coefficient prior and ln β_gc (the Jacobian)
    const { z, gZ, e, pg } = this;
    let dBeta = 0;
    let dEta = 0;
    for (let g = 0; g < this.G; g++) {
      if (!this.free[g]) {
        dBeta += D[g] * e[g];
        dEta += D[g] * b[g] * z[g];
        gZ[g] += D[g] * b[g] * this.eta[0] - z[g];
        extra += -HALF_LOG_2PI - 0.5 * z[g] * z[g];
        continue;
      }
      extra += priorLogDensityGradient(this.channel.betaPrior, b[g], pg) + Math.log(b[g]);
      const db = D[g] + pg[0] + 1 / b[g];
      gZ[g] += db * b[g];
      // ∂β_gc/∂s̄_g = −β_gc/s̄_g, spread over the s_gt by 1/T
      if (this.centred && !this.panel.dark[g]) c[g] += (-db * b[g]) / sbar[g] / this.T;
    }
    // every geo held out: no β_c or η_c
    if (!this.pooled) return extra;
    this.dEta = dEta;
    if (this.roas) extra = this.roasBackward(dBeta, sbar, c, extra);
    else if (this.centred) extra = this.centredBackward(dBeta, sbar, c, extra);
    else this.gEffect[0] += dBeta;
    this.gEta[0] += this.dEta;
    return extra;
  }

  /** ∂/∂η so far in a backward pass (the chain rules through A and B add to it) */
  private dEta = 0;

  /**
   * The ROAS prior: ROAS = γ·Q/κ with Q = B/A in the centred coordinates (β·B/κ in the natural ones), whose log
   * density is log p_R(ROAS) + ln(Q/κ) (ln(B/κ)); gradients reach e_g and s̄_g through A and B. @internal
   */
  private roasBackward(dBeta: number, sbar: Float64Array, c: Float64Array, extra: number): number {
    const { A, B, kappa, pg, e, z, gZ, G, T } = this;
    const pop = this.panel.population;
    const Q = this.centred ? B / A : B;
    const sampled = this.effect[0];
    extra += priorLogDensityGradient(this.roas!.prior, (sampled * Q) / kappa, pg) + Math.log(Q / kappa);
    const dQ = (pg[0] * sampled) / kappa + 1 / Q;
    let dA = 0;
    let dBsum = dQ;
    if (this.centred) {
      // β = γ/A passes the likelihood on: ∂/∂γ = ∂ℓ/∂β / A, ∂/∂A = −∂ℓ/∂β·β/A − dQ·B/A²
      this.gEffect[0] += dBeta / A + (pg[0] * Q) / kappa;
      dA = (-dBeta * this.beta) / A - (dQ * B) / (A * A);
      dBsum = dQ / A;
    } else this.gEffect[0] += dBeta + (pg[0] * B) / kappa;
    let dEta = this.dEta;
    for (let g = 0; g < G; g++) {
      const de = (dA * sbar[g]) / G + dBsum * pop[g] * sbar[g]; // ∂/∂e_g
      dEta += de * e[g] * z[g];
      gZ[g] += de * e[g] * this.eta[0];
      c[g] += ((dA * e[g]) / G + dBsum * pop[g] * e[g]) / T; // ∂/∂s_gt through s̄_g
    }
    this.dEta = dEta;
    return extra;
  }

  /**
   * β = γ/A: β's prior and −ln A; ∂/∂γ = D_β/A with D_β = ∂/∂β + p'(β); dA = −(D_β·β + 1)/A flows to e_g and s̄_g of
   * the pooled geos through A = (1/G_pooled)·Σ_g e_g s̄_g. @internal
   */
  private centredBackward(dBeta: number, sbar: Float64Array, c: Float64Array, extra: number): number {
    const { A, pg, e, z, gZ, nPooled, T } = this;
    extra += priorLogDensityGradient(this.channel.betaPrior, this.beta, pg) - Math.log(A);
    const dB = dBeta + pg[0];
    this.gEffect[0] += dB / A;
    const dA = -(dB * this.beta + 1) / A;
    let dEta = this.dEta;
    for (let g = 0; g < this.G; g++) {
      if (this.free[g]) continue;
      const de = (dA * sbar[g]) / nPooled; // ∂/∂e_g
      dEta += de * e[g] * z[g];
      gZ[g] += de * e[g] * this.eta[0];
      c[g] += (dA * e[g]) / nPooled / T; // ∂/∂s_gt through s̄_g
    }
    this.dEta = dEta;
    return extra;
  }

  toNatural(sampled: BlockValues, sbar: Float64Array, out: Record<string, Float64Array>, level: LevelState): void {
    const { names } = this.channel;
    const slot = sampled[this.zName];
    let b = 0;
    let h = 0;
    if (this.pooled) {
      h = sampled[this.etaName][0];
      const a = this.scatter(h, slot, sbar);
      b = this.centred ? sampled[this.effectName][0] / a : sampled[this.effectName][0];
      out[names.beta] = Float64Array.of(b);
      out[this.etaName] = Float64Array.of(h);
    }
    const reported = new Float64Array(this.G);
    for (let g = 0; g < this.G; g++) {
      const bgv = this.free[g] ? this.freeBeta(g, slot[g], sbar) : b * this.e[g];
      reported[g] = !this.pooled ? bgv : this.free[g] ? Math.log(bgv / b) / h : slot[g];
      level.geoOffset[g] += bgv * sbar[g];
    }
    out[this.pooled ? this.zName : names.beta] = reported;
  }

  toSampled(natural: BlockValues, sbar: Float64Array, out: Record<string, Float64Array>, level: LevelState): void {
    const bg = new Float64Array(this.G);
    this.naturalCoefficients(natural, sbar, bg);
    const slot = new Float64Array(this.G);
    if (this.pooled) {
      const b = natural[this.channel.names.beta][0];
      const a = this.scatter(natural[this.etaName][0], natural[this.zName], sbar);
      out[this.effectName] = Float64Array.of(this.centred ? b * a : b);
      out[this.etaName] = Float64Array.from(natural[this.etaName]);
    }
    for (let g = 0; g < this.G; g++) {
      // the inverse of freeBeta: a held-out geo's coordinate from β_gc
      slot[g] = this.free[g] ? (this.centred && !this.panel.dark[g] ? Math.log(bg[g] * sbar[g]) : Math.log(bg[g])) : natural[this.zName][g];
      level.geoOffset[g] += bg[g] * sbar[g];
    }
    out[this.zName] = slot;
  }

  naturalCoefficients(natural: BlockValues, _sbar: Float64Array, b: Float64Array): void {
    const { names } = this.channel;
    if (!this.pooled) {
      for (let g = 0; g < this.G; g++) b[g] = natural[names.beta][g];
      return;
    }
    const beta = natural[names.beta][0];
    const h = natural[this.etaName][0];
    for (let g = 0; g < this.G; g++) b[g] = beta * Math.exp(h * natural[this.zName][g]);
  }
  /**
   * Held-out geos draw β_gc from the coefficient prior, reported as z = ln(β_gc/β_c)/η_c as the model does; with a ROAS
   * prior β_c follows from a ROAS draw: β_c = ROAS·Λ/Σ_g pop_g e_g Σ_t s_gt (Λ the spend in units of mean y).
   */
  drawPrior(rng: PriorRng, drawn: Record<string, Float64Array>, sbar: Float64Array): void {
    const { names } = this.channel;
    const { G, T } = this;
    if (!this.pooled) {
      drawn[names.beta] = Float64Array.from({ length: G }, () => samplePrior(this.channel.betaPrior, rng));
      return;
    }
    const eta = samplePrior(this.parameters[1].prior!, rng);
    const z = Float64Array.from({ length: G }, (_, g) => (this.free[g] ? 0 : rng.normal()));
    let beta: number;
    if (this.roas) {
      let total = 0;
      for (let g = 0; g < G; g++) total += this.panel.population[g] * Math.exp(eta * z[g]) * sbar[g] * T;
      beta = (samplePrior(this.roas.prior, rng) * this.roas.spendPerTarget) / total;
    } else beta = samplePrior(this.channel.betaPrior, rng);
    for (let g = 0; g < G; g++) if (this.free[g]) z[g] = Math.log(samplePrior(this.channel.betaPrior, rng) / beta) / eta;
    Object.assign(drawn, { [names.beta]: Float64Array.of(beta), [this.etaName]: Float64Array.of(eta), [this.zName]: z });
  }
}
