// The media term: one channel's contribution β_g·s_gt, the product of its curve (./curve.ts: adstock and saturation
// over a panel of segments, one segment for national data) and a coefficient model (./coefficients.ts: one β for a
// national fit; ./scatter.ts: the geo scatter). The national and the geo model are the same term with G = 1 and G > 1;
// lift tests stay with the term, which owns both the curve and β (./lift.ts).
import { InvalidInputError } from '@mmm/core';
import type { PriorSpec } from '@mmm/bayes-nuts';
import type { ResolvedChannel } from '../channel.js';
import type { LiftTestData, PeriodFrame } from '../data.js';
import { singleCoefficient, type CoefficientModel } from './coefficients.js';
import { ChannelCurve, curveParameters } from './curve.js';
import { GeoSetLiftTests, liftTests as makeLiftTests, type LiftTests } from './lift.js';
import { Modulation, type ResolvedTimeVarying } from './modulation.js';
import { geoScatter, type GeoMediaPriors, type GeoPooling } from './scatter.js';
import {
  independentDraws,
  type BlockValues,
  type BlockViews,
  type LevelState,
  type ModelTerm,
  type PriorRng,
  type TermContext,
  type TermFactory,
} from './term.js';

export type { GeoMediaPriors, GeoPooling } from './scatter.js';

/** A media term: also gives each period's adstocked input, for marginal effects. */
export interface MediaTerm extends ModelTerm {
  readonly component: 'media';
  readonly channel: ResolvedChannel;
  /**
   * One pass of the transforms at natural values: the contribution β_t·s(a_t), the adstocked (scaled) input a_t and
   * the coefficient β_t of each period (β, or a geo's β_g), for reports and marginal effects.
   */
  decomposeInto(contribution: Float64Array, adstocked: Float64Array, coefficient: Float64Array, natural: BlockValues): void;
}

/**
 * A channel's effect over time: the time-varying settings, and the holder of the multiplier it uses. A shared multiplier
 * is one object for every channel of a model: the first channel's term (its owner: it declares the blocks) makes it
 * and puts it in the holder, the others find it there (the model's terms are made in order, once per model).
 */
export interface MediaTimeVarying {
  settings: ResolvedTimeVarying;
  /** one object per multiplier, shared by the channels that use it: start with `{}` */
  holder: TimeVaryingHolder;
  owner: boolean;
  /** rows that are not the fitted periods (a prediction): where they sit in them */
  frame?: PeriodFrame;
}

/** Where the owner of a multiplier leaves it for the other channels using it (an empty object to begin with). */
export interface TimeVaryingHolder {
  /** @internal */
  current?: Modulation;
}

/** What a media term may be calibrated with. */
export interface MediaCalibration {
  /** a prior on ROAS = β·n·s̄/Λ instead of on β, with Λ = `spendPerTarget` (total spend in units of mean y) */
  roas?: { prior: PriorSpec; spendPerTarget: number };
  /** lift-test measurements on this channel (in a geo panel each names its geo) */
  liftTests?: readonly LiftTestData[];
}

/**
 * One media channel of a national model: β·s(a_t), a = adstock(x; θ_a), s the saturation curve with parameters θ_s,
 * β one coefficient (see `singleCoefficient` for the centred coordinates and the ROAS prior). Lift tests add their
 * Normal log likelihood and its gradient (./lift.ts).
 */
export function mediaTerm(
  channel: ResolvedChannel,
  spend: Float64Array,
  calibration: MediaCalibration = {},
  timeVarying?: MediaTimeVarying,
  frequency?: Float64Array,
): TermFactory {
  return (context) =>
    new ChannelTerm(
      channel,
      spend,
      calibration,
      context,
      1,
      context.data.n,
      singleCoefficient(channel, context.data.n, context.centred, calibration.roas),
      timeVarying,
      frequency,
    );
}

/**
 * One media channel in a geo panel: β_gc·s(a_gc), a_gc = adstock(x_gc; θ_a) within each geo, the adstock and
 * saturation parameters shared by every geo, and β_gc the geo scatter of the national effect (see `geoScatter`: the
 * centred coordinates, geos held out of pooling, channels pooled nowhere, the national ROAS prior).
 */
export function geoMediaTerm(
  channel: ResolvedChannel,
  spend: Float64Array,
  priors: GeoMediaPriors,
  calibration: MediaCalibration = {},
  pooling: GeoPooling = {},
  timeVarying?: MediaTimeVarying,
  frequency?: Float64Array,
): TermFactory {
  return (context) => {
    const geos = context.data.geos;
    if (!geos) throw new InvalidInputError('data.geos', 'is missing', 'Geo terms need geo data: pass raw.geo to prepareModelData.');
    const { count: G, periods: T } = geos;
    const population = geos.population ?? new Float64Array(G).fill(1);
    // geos without spend on this channel: s̄ = 0, so a held-out geo's coordinate there is ln β_gc
    const dark = Uint8Array.from({ length: G }, (_, g) => (spend.subarray(g * T, (g + 1) * T).every((v) => v === 0) ? 1 : 0));
    const coefficients = geoScatter(channel, { G, T, population, dark }, priors, context.centred, calibration.roas, pooling);
    return new ChannelTerm(channel, spend, calibration, context, G, T, coefficients, timeVarying, frequency);
  };
}

/**
 * An organic channel (exposures, no spend): the media term of `channel` on its scaled exposures, national or geo, as a
 * term of the 'other' component, so that it is left out of the media channels (no ROAS, budgets or plans) and its
 * contribution is reported on its own. No ROAS prior.
 */
export function organicTerm(channel: ResolvedChannel, exposures: Float64Array, geo?: { priors: GeoMediaPriors }): TermFactory {
  return (context) => {
    const inner = (geo ? geoMediaTerm(channel, exposures, geo.priors) : mediaTerm(channel, exposures))(context) as MediaTerm;
    return {
      name: inner.name,
      component: 'other',
      blocks: inner.blocks,
      parameters: inner.parameters,
      bind: (values, grads) => inner.bind(values, grads),
      prepare: (level) => inner.prepare(level),
      addMean: (mu, level) => inner.addMean(mu, level),
      backward: (g, level) => inner.backward(g, level),
      toNatural: (sampled, out, level) => inner.toNatural(sampled, out, level),
      toSampled: (natural, out, level) => inner.toSampled(natural, out, level),
      contributionInto: (out, natural) => inner.contributionInto(out, natural),
      drawPrior: (rng, drawn) => inner.drawPrior!(rng, drawn),
    };
  };
}

/** A reach-and-frequency channel has its frequencies (and only it), and neither lift tests nor a multiplier yet. @internal */
function checkReachFrequency(
  channel: ResolvedChannel,
  frequency: Float64Array | undefined,
  n: number,
  calibration: MediaCalibration,
  timeVarying: MediaTimeVarying | undefined,
): void {
  const field = `spec.channels.${channel.name}.reachFrequency`;
  if (!channel.reachFrequency) {
    if (frequency)
      throw new InvalidInputError(`data.frequency.${channel.name}`, 'is given for a channel that is not reach-and-frequency', 'Drop it.');
    return;
  }
  if (!frequency)
    throw new InvalidInputError(`data.frequency.${channel.name}`, 'is missing', 'Give the frequencies of a reach-and-frequency channel.');
  if (frequency.length !== n)
    throw new InvalidInputError(
      `data.frequency.${channel.name}`,
      `has ${frequency.length} values for ${n} periods`,
      'Give one per period.',
    );
  if ((calibration.liftTests ?? []).length > 0)
    throw new InvalidInputError(
      field,
      'is true on a channel with lift tests',
      'Lift tests on reach-and-frequency channels are not supported yet: drop them.',
    );
  if (timeVarying)
    throw new InvalidInputError(
      field,
      'is true on a channel whose effect changes over time',
      'Leave reach-and-frequency channels out of timeVaryingEffects (not supported yet).',
    );
}

/** The one media term: a curve over G segments times a coefficient model, and the channel's lift tests. @internal */
class ChannelTerm implements MediaTerm {
  readonly component = 'media' as const;
  readonly name: string;
  readonly blocks: MediaTerm['blocks'];
  readonly parameters: MediaTerm['parameters'];
  private readonly curve: ChannelCurve;
  private readonly G: number;
  private readonly T: number;
  /** per segment: the coefficient β_g, ∂ log p/∂β_g, the upstream shift, the chain rule's constant through s̄_g */
  private readonly b: Float64Array;
  private readonly D: Float64Array;
  private readonly shift: Float64Array;
  private readonly c: Float64Array;
  /** per segment: its lift tests, and their gradient buffers */
  private readonly lifts: LiftTests[];
  /** its steady-state tests in sets of geos (geo panels) */
  private readonly geoSets: GeoSetLiftTests;
  private readonly liftAd: Float64Array;
  private readonly liftSat: Float64Array;
  /** the multiplier of a time-varying effect, and whether this term owns (declares) its blocks */
  private readonly modulation: Modulation | undefined;
  private readonly owner: boolean;

  constructor(
    readonly channel: ResolvedChannel,
    spend: Float64Array,
    calibration: MediaCalibration,
    context: TermContext,
    G: number,
    T: number,
    private readonly coefficients: CoefficientModel,
    timeVarying?: MediaTimeVarying,
    frequency?: Float64Array,
  ) {
    this.name = channel.name;
    this.G = G;
    this.T = T;
    checkReachFrequency(channel, frequency, spend.length, calibration, timeVarying);
    if (timeVarying && (calibration.liftTests ?? []).length > 0)
      throw new InvalidInputError(
        `liftTests (channel ${channel.name})`,
        'are given for a channel whose effect changes over time',
        'Lift tests are not yet supported with timeVaryingEffects: drop the tests, or leave the channel out of timeVaryingEffects.',
      );
    if (timeVarying?.owner) timeVarying.holder.current = new Modulation(timeVarying.settings, channel.name, T, timeVarying.frame);
    this.modulation = timeVarying ? timeVarying.holder.current : undefined;
    if (timeVarying && !this.modulation)
      throw new InvalidInputError('timeVarying.holder', 'is empty', "Make the owner's term (the first channel using it) first.");
    this.owner = timeVarying?.owner ?? false;
    this.modulation?.addUser();
    this.curve = new ChannelCurve(channel, spend, G, T, this.modulation?.hsgp.multiplier, frequency);
    const own = this.owner && this.modulation ? this.modulation : undefined;
    this.blocks = [...this.curve.blocks, ...coefficients.blocks, ...(own?.blocks ?? [])];
    this.parameters = [...curveParameters(channel), ...coefficients.parameters, ...(own?.parameters ?? [])];
    [this.b, this.D, this.shift, this.c] = [0, 1, 2, 3].map(() => new Float64Array(G));
    const tests = calibration.liftTests ?? [];
    const geo = context.data.geos !== undefined;
    const single = tests.filter((t) => !t.geoSet);
    this.lifts = Array.from({ length: G }, (_, g) =>
      makeLiftTests(geo ? single.filter((t) => t.geo === g) : single, channel, this.curve.xS[g], this.curve.ws, this.curve.adS[g]),
    );
    this.geoSets = new GeoSetLiftTests(
      tests.filter((t) => t.geoSet),
      channel,
    );
    this.liftAd = new Float64Array(channel.names.adstock.length);
    this.liftSat = new Float64Array(channel.names.saturation.length);
  }

  bind(values: BlockViews, grads: BlockViews): void {
    this.curve.bind(values, grads);
    this.coefficients.bind(values, grads);
    if (this.owner) this.modulation!.bind(values, grads);
  }

  prepare(level: LevelState): void {
    if (this.owner) this.modulation!.prepare();
    this.curve.prepare();
    this.coefficients.prepare(this.curve.sbar, level, this.b);
    for (let g = 0; g < this.G; g++) if (this.lifts[g].count) this.lifts[g].prepare(this.curve.satParams, this.curve.satS[g]);
    if (this.geoSets.count) this.geoSets.prepare(this.curve.satParams);
  }

  addMean(mu: Float64Array): void {
    const { b, T } = this;
    for (let g = 0; g < this.G; g++) {
      const bg = b[g];
      const s = this.curve.effS[g];
      const o = g * T;
      for (let t = 0; t < T; t++) mu[o + t] += bg * s[t];
    }
  }

  backward(grad: Float64Array, level: LevelState): number {
    const { curve, b, D, shift, c } = this;
    this.coefficients.upstreamShift(level, shift);
    curve.likelihoodPass(grad, shift, D);
    // lift tests: their log likelihood, ∂/∂β_g (into D_g, so it follows the coefficients' chain rule) and ∂/∂θ (direct)
    let extra = 0;
    for (let g = 0; g < this.G; g++) {
      const lifts = this.lifts[g];
      if (!lifts.count) continue;
      extra += lifts.backward(b[g], curve.satParams, this.liftAd, this.liftSat);
      curve.addGradient(this.liftAd, this.liftSat);
      D[g] += lifts.dBeta;
    }
    if (this.geoSets.count) {
      extra += this.geoSets.backward(b, curve.satParams, this.liftSat, D);
      curve.addGradient(this.liftAd.fill(0), this.liftSat);
    }
    extra = this.coefficients.backward(D, curve.sbar, b, c, extra);
    // the multiplier: V_t = Σ_g (upstream of ŝ_gt)·ŝ_gt; the last channel using it turns V into its blocks' gradient
    if (this.modulation) {
      curve.modulationGradient(grad, shift, b, c, this.modulation.V);
      this.modulation.collect();
    }
    // the curve parameters: the upstream of s_gt is β_g·u_gt + c_g
    curve.backward(grad, shift, b, c);
    return extra;
  }

  toNatural(sampled: BlockValues, out: Record<string, Float64Array>, level: LevelState): void {
    this.modulate(sampled);
    this.curve.transform(sampled);
    for (const nm of this.ownNames()) out[nm] = Float64Array.from(sampled[nm]);
    this.coefficients.toNatural(sampled, this.curve.sbar, out, level);
  }

  toSampled(natural: BlockValues, out: Record<string, Float64Array>, level: LevelState): void {
    this.modulate(natural);
    this.curve.transform(natural);
    for (const nm of this.ownNames()) out[nm] = Float64Array.from(natural[nm]);
    this.coefficients.toSampled(natural, this.curve.sbar, out, level);
  }

  contributionInto(out: Float64Array, natural: BlockValues): Float64Array {
    this.modulate(natural);
    this.curve.transform(natural);
    this.coefficients.naturalCoefficients(natural, this.curve.sbar, this.b);
    const { b, T } = this;
    const s = this.curve.effective;
    for (let g = 0; g < this.G; g++) for (let t = g * T; t < (g + 1) * T; t++) out[t] = b[g] * s[t];
    return out;
  }

  decomposeInto(contribution: Float64Array, adstocked: Float64Array, coefficient: Float64Array, natural: BlockValues): void {
    this.contributionInto(contribution, natural);
    // with a multiplier the coefficient of period t is β_g·m_t, so that contribution = coefficient·s(adstocked) still holds
    const m = this.modulation?.hsgp.multiplier;
    for (let g = 0; g < this.G; g++) {
      if (m) for (let t = 0; t < this.T; t++) coefficient[g * this.T + t] = this.b[g] * m[t];
      else coefficient.fill(this.b[g], g * this.T, (g + 1) * this.T);
    }
    adstocked.set(this.curve.adstocked);
  }

  drawPrior(rng: PriorRng, drawn: Record<string, Float64Array>): void {
    // the curve's parameters from their priors, then the coefficients at the drawn curve
    for (const p of curveParameters(this.channel)) drawn[p.name] = independentDraws(p, rng);
    if (this.owner) for (const p of this.modulation!.parameters) drawn[p.name] = independentDraws(p, rng);
    if (this.coefficients.priorReadsCurve) {
      this.modulate(drawn);
      this.curve.transform(drawn);
    }
    this.coefficients.drawPrior(rng, drawn, this.curve.sbar);
  }

  /** the names this term copies between coordinates: the curve's, and the multiplier's when it owns it */
  private ownNames(): string[] {
    const tv = this.owner ? this.modulation!.parameters.map((p) => p.name) : [];
    return [...this.channel.names.adstock, ...this.channel.names.saturation, ...tv];
  }

  /** the multiplier at `values` into the array the curve reads */
  private modulate(values: BlockValues): void {
    this.modulation?.at(values);
  }
}
