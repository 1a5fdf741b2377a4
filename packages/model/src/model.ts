import { checkOptions, InvalidInputError } from '@mmm/core';
import { MODEL_SPEC_SHAPE, modelSpecShape } from './shapes.js';
import type { SaturationFamily } from '@mmm/transforms';
import { changepointGrid } from '@mmm/transforms';
import type { Orbit } from '@mmm/bayes-nuts';
import { baselineOrbit } from './moves.js';
import { assembleModel, type AssembledModel } from './assemble.js';
import { resolveChannel } from './channel.js';
import type { ModelData } from './data.js';
import { observationModel } from './likelihood.js';
import { priorFor, roasPriorSpec, type GpTrendSpec, type KnotsTrendSpec, type ModelSpec, type PiecewiseTrendSpec } from './spec.js';
import { interactionTerm, resolveInteractions } from './terms/interaction.js';
import { interceptTerm } from './terms/intercept.js';
import { controlsTerm, seasonalityTerm, treatmentTerm } from './terms/linear.js';
import { geoMediaTerm, mediaTerm, organicTerm, type MediaTimeVarying } from './terms/media.js';
import { resolveTimeVarying } from './terms/modulation.js';
import { geoBaselineTerm, geoTrendTerm } from './terms/geo.js';
import type { TermFactory } from './terms/term.js';
import { changepointTerm, gpTerm, knotsTerm, linearTrendTerm } from './terms/trend.js';

/** The MMM's log density and what is needed to read its draws. */
export interface MMM extends AssembledModel {
  readonly spec: ModelSpec;
  readonly data: ModelData;
}

/**
 * Geo panels with fewer pooled geos than this get the baselines' orbit by default. Small panels measure the baselines'
 * spread loosely and their chains stalled in its funnel without it (8-geo reference data: min ESS-bulk 38–443 without,
 * 591–677 with, per 4 × 1,000 draws); Meridian's 40 geos measure it well: the same ESS per second with it (2.6) but a
 * fit of 362 s instead of 240 s, over the 5-minute goal. @internal
 */
const ORBIT_GEOS = 20;

/** What {@link buildModel} takes beyond the spec: code that plain data cannot carry. */
export interface BuildModelOptions {
  /** terms added after the spec's (they cannot cross to worker threads: sample such a model with `sample`) */
  terms?: readonly TermFactory[];
  /** saturation curves of your own by channel name, replacing the spec's `saturation.type` for that channel */
  saturation?: Readonly<Record<string, SaturationFamily>>;
}

/**
 * Builds the MMM of `spec` on prepared data, as a list of terms: one media term per channel, the intercept, the
 * trend (linear, with changepoints when piecewise), Fourier seasonality and controls, and the observation model
 * (Normal or Student-t). μ_t = intercept + trend·τ_t + Σ_j δ_j h_jt + Σ_k γ_k F_tk + Σ_j c_j z_tj + Σ_c β_c·sat_c(adstock_c(x_c))_t,
 * priors as in the reference `mmm.stan`. The gradient is derived by hand per term; one evaluation allocates nothing.
 */
export function buildModel(spec: ModelSpec, data: ModelData, options: BuildModelOptions = {}): MMM {
  checkOptions(spec, options.saturation ? modelSpecShape(options.saturation) : MODEL_SPEC_SHAPE, 'spec');
  const centred = checkSpec(spec);
  if (spec.noise !== undefined && spec.noise !== 'shared' && spec.noise !== 'perGeo')
    throw new InvalidInputError('spec.noise', `is ${JSON.stringify(spec.noise)}`, "Use 'shared' (the default) or 'perGeo'.");
  if (spec.noise === 'perGeo' && !data.geos)
    throw new InvalidInputError('spec.noise', "is 'perGeo' for national data", "Use 'perGeo' with geo data only.");
  const observe = () => observationModel(spec, priorFor(spec, 'sigma')!, spec.noise === 'perGeo' ? data.geos!.count : 1);
  const assembled = assembleModel(modelTerms(spec, data, options), observe(), data, centred);
  // a geo model with pooled baselines gets the baselines' orbit (moves.ts) by default below ORBIT_GEOS pooled geos
  const pooling = data.geos ? geoPooling(spec, data) : undefined;
  if (pooling && (spec.geoOrbit ?? pooling.geos.filter((held) => !held).length < ORBIT_GEOS)) {
    const natural = assembleModel(modelTerms(spec, data, options), observe(), data, false);
    const orbit = baselineOrbit(
      assembled,
      natural,
      data,
      { heldOut: pooling.geos, pooledChannels: spec.channels.map((c) => !pooling.channels.has(c.name)) },
      spec.channels.map((c) => c.name),
    );
    if (orbit) (assembled.density as { orbit?: (theta: Float64Array) => Orbit }).orbit = orbit;
  }
  return { ...assembled, spec, data };
}

/** The organic media's terms (a media term each, in the 'other' component) and the treatments'. @internal */
function organicAndTreatmentTerms(spec: ModelSpec, data: ModelData): TermFactory[] {
  const geo = data.geos !== undefined;
  const organic = (spec.organic ?? []).map((ch, k) => {
    if (ch.roasPrior !== undefined || ch.reachFrequency)
      throw new InvalidInputError(
        `spec.organic.${ch.name}`,
        ch.roasPrior !== undefined ? 'has a ROAS prior' : 'is reach-and-frequency',
        'Organic media have no spend (no ROAS) and take exposures only: drop the option.',
      );
    const exposures = data.organic?.[k];
    if (!exposures) throw new InvalidInputError(`data.organic.${ch.name}`, 'is missing', 'Give the exposures of every organic channel.');
    const resolved = resolveChannel(ch, undefined, { geo });
    return organicTerm(resolved, exposures, geo ? { priors: { scatter: priorFor(spec, resolved.names.scatter)! } } : undefined);
  });
  const treatments = (spec.treatments ?? []).map((tr, k) => treatmentTerm(tr.name, k, tr.prior ?? priorFor(spec, 'control')!));
  return [...organic, ...treatments];
}

/**
 * The terms of a spec, in block order (the media first, as `mmm.stan` lays its parameters out). On geo data
 * (`data.geos`) the media and baseline terms are the geo model's (`mmm_geo.stan`): shared curves, log-normal geo
 * scatter of the effects, partially pooled geo baselines; trend, seasonality and controls are shared.
 */
export function modelTerms(spec: ModelSpec, data: ModelData, options: BuildModelOptions = {}): TermFactory[] {
  const prior = (name: 'intercept' | 'trend' | 'changepoint' | 'fourier' | 'control') => priorFor(spec, name)!;
  const geo = data.geos !== undefined;
  const pooling = geoPooling(spec, data);
  const tv = resolveTimeVarying(spec, data.frame?.periods ?? data.geos?.periods ?? data.n);
  // one holder per model: a shared multiplier is made by its first channel's term and found there by the others
  const holders = new Map<string, MediaTimeVarying['holder']>();
  const timeVarying = (name: string): MediaTimeVarying | undefined => {
    if (!tv?.channels.includes(name)) return undefined;
    const key = tv.mode === 'shared' ? '' : name;
    const owner = !holders.has(key);
    if (owner) holders.set(key, {});
    return { settings: tv, holder: holders.get(key)!, owner, ...(data.frame ? { frame: data.frame } : {}) };
  };
  const terms: TermFactory[] = spec.channels.map((ch, c) => {
    const resolved = resolveChannel(ch, options.saturation?.[ch.name], { geo });
    const roas = ch.roasPrior ?? spec.roasPrior;
    const calibration = {
      ...(roas !== undefined
        ? {
            roas: {
              prior: roasPriorSpec(roas, ch.roasPrior ? `spec.channels.${ch.name}.roasPrior` : 'spec.roasPrior'),
              spendPerTarget: spendPerTargetOf(data, c),
            },
          }
        : {}),
      liftTests: (data.liftTests ?? []).filter((t) => t.channel === c),
    };
    const tvc = timeVarying(ch.name);
    return geo
      ? geoMediaTerm(
          resolved,
          data.spend[c],
          { scatter: priorFor(spec, resolved.names.scatter)! },
          calibration,
          { free: pooling.channels.has(ch.name) ? pooling.geos.map(() => true) : pooling.geos },
          tvc,
          data.frequency?.[c],
        )
      : mediaTerm(resolved, data.spend[c], calibration, tvc, data.frequency?.[c]);
  });
  terms.push(...organicAndTreatmentTerms(spec, data));
  terms.push(
    geo
      ? geoBaselineTerm({ mean: priorFor(spec, 'baseline.mean')!, sd: priorFor(spec, 'baseline.sd')! }, { free: pooling.geos })
      : interceptTerm(prior('intercept')),
  );
  const trend = spec.trend ?? 'linear';
  if (spec.geoTrend !== undefined && typeof spec.geoTrend !== 'boolean')
    throw new InvalidInputError('spec.geoTrend', `is ${JSON.stringify(spec.geoTrend)}`, 'Use true (a trend per geo, pooled) or false.');
  if (spec.geoTrend && !geo)
    throw new InvalidInputError('spec.geoTrend', 'is true for national data', 'A trend per geo needs geo data; drop geoTrend.');
  if (spec.geoTrend && trend !== 'linear')
    throw new InvalidInputError(
      'spec.geoTrend',
      `is true with trend ${JSON.stringify(trend)}`,
      "A trend per geo is linear: use trend 'linear' with it, or drop geoTrend.",
    );
  if (spec.geoTrend) terms.push(geoTrendTerm(prior('trend'), priorFor(spec, 'trend.sd')!));
  else if (trend === 'linear') terms.push(linearTrendTerm(prior('trend')));
  if (typeof trend === 'object' && 'knots' in trend) terms.push(knotsTerm(resolveKnots(trend, data), priorFor(spec, 'knot')!));
  else if (typeof trend === 'object' && 'gp' in trend) terms.push(gpTerm(resolveGp(trend)));
  else if (trend !== 'none' && trend !== 'linear') terms.push(linearTrendTerm(prior('trend')));
  if (typeof trend === 'object' && 'changepoints' in trend) {
    const positions = resolveChangepoints(trend, data.time);
    if (positions.length > 0) terms.push(changepointTerm(positions, prior('changepoint')));
  }
  if (data.fourierColumns > 0) terms.push(seasonalityTerm(prior('fourier')));
  if (data.controls.length > 0) terms.push(controlsTerm(prior('control')));
  // interactions last among the spec's terms: they read the channels' curve parameters, which the media terms declare
  const names = spec.channels.map((c) => c.name);
  const side = (name: string) => {
    const c = names.indexOf(name);
    return { channel: resolveChannel(spec.channels[c], options.saturation?.[name], { geo }), spend: data.spend[c] };
  };
  for (const it of resolveInteractions(spec.interactions, names, data.fourierColumns > 0))
    terms.push(interactionTerm(it, side(it.channel), it.with === 'season' ? undefined : side(it.with)));
  return [...terms, ...(options.terms ?? [])];
}

/** Checks the parts of a spec that the terms do not; returns whether the coordinates are centred. @internal */
function checkSpec(spec: ModelSpec): boolean {
  if (!spec.channels || spec.channels.length === 0)
    throw new InvalidInputError('spec.channels', 'is empty', 'Declare at least one media channel.');
  if (spec.parameterization !== undefined && spec.parameterization !== 'centered' && spec.parameterization !== 'natural') {
    throw new InvalidInputError(
      'spec.parameterization',
      `is "${String(spec.parameterization)}"`,
      "Use 'centered' (the default) or 'natural'.",
    );
  }
  const trend = spec.trend ?? 'linear';
  if (
    trend !== 'linear' &&
    trend !== 'none' &&
    (typeof trend !== 'object' || trend === null || !('changepoints' in trend || 'knots' in trend || 'gp' in trend))
  ) {
    throw new InvalidInputError(
      'spec.trend',
      `is ${JSON.stringify(trend)}`,
      "Use 'linear', 'none', { changepoints: count or positions in years }, { knots: count } or { gp: { lengthscale } }.",
    );
  }
  return spec.parameterization !== 'natural';
}

/** Changepoint positions in years: given, or `count` spread evenly over the first `range` of the time axis. @internal */
function resolveChangepoints(spec: PiecewiseTrendSpec, time: Float64Array): Float64Array {
  const cp = spec.changepoints;
  if (Array.isArray(cp)) {
    cp.forEach((v, j) => {
      if (!Number.isFinite(v))
        throw new InvalidInputError(
          `spec.trend.changepoints[${j}]`,
          `is ${v}`,
          'Give changepoint positions in years from the first period.',
        );
    });
    return Float64Array.from(cp);
  }
  if (!(Number.isInteger(cp) && cp >= 0))
    throw new InvalidInputError(
      'spec.trend.changepoints',
      `is ${String(cp)}`,
      'Give a count (a whole number ≥ 0) or the positions in years.',
    );
  return changepointGrid(time, cp, spec.range ?? 0.8);
}

/** Channel c's total spend in units of mean y (prepared data carry it; a model built on other data falls back to its input). @internal */
function spendPerTargetOf(data: ModelData, c: number): number {
  const v = data.spendPerTarget?.[c];
  if (v !== undefined && !(v > 0))
    throw new InvalidInputError(
      'spendTotals',
      `gives channel ${c + 1} a total spend of ${v}`,
      'A ROAS prior needs spend: drop the channel or its ROAS prior.',
    );
  if (v === undefined)
    throw new InvalidInputError(
      'data.spendPerTarget',
      'is missing',
      "Prepare the data with prepareModelData, which computes each channel's total spend for ROAS priors.",
    );
  return v;
}

/** The knot grid of a knots baseline: K knots spread evenly over the periods (a geo panel's periods per geo). @internal */
function resolveKnots(spec: KnotsTrendSpec, data: ModelData): { K: number; periods: number } {
  const T = data.geos?.periods ?? data.n;
  if (!(Number.isInteger(spec.knots) && spec.knots >= 2 && spec.knots <= T))
    throw new InvalidInputError(
      'spec.trend.knots',
      `is ${String(spec.knots)}`,
      `Give a whole number of knots from 2 to the number of periods (${T}).`,
    );
  if (spec.sd !== undefined && !(spec.sd > 0 && Number.isFinite(spec.sd)))
    throw new InvalidInputError('spec.trend.sd', `is ${spec.sd}`, 'Give the sd of the step between knots, a number > 0.');
  return { K: spec.knots, periods: T };
}

/** The GP baseline's settings, checked, with defaults (20 basis functions, amplitude prior HalfNormal(0.2)). @internal */
function resolveGp(spec: GpTrendSpec): { lengthscale: number; basis: number; amplitude: number } {
  const { lengthscale, basis = 20, amplitude = 0.2 } = spec.gp ?? ({} as GpTrendSpec['gp']);
  if (!(lengthscale > 0 && Number.isFinite(lengthscale)))
    throw new InvalidInputError(
      'spec.trend.gp.lengthscale',
      `is ${String(lengthscale)}`,
      'Give the lengthscale in periods, a number > 0 (e.g. 26 for half a year of weeks).',
    );
  if (!(Number.isInteger(basis) && basis >= 2 && basis <= 200))
    throw new InvalidInputError('spec.trend.gp.basis', `is ${String(basis)}`, 'Give a whole number of basis functions from 2 to 200.');
  if (!(amplitude > 0 && Number.isFinite(amplitude)))
    throw new InvalidInputError('spec.trend.gp.amplitude', `is ${String(amplitude)}`, 'Give the sd of the amplitude prior, a number > 0.');
  return { lengthscale, basis, amplitude };
}

/**
 * `spec.unpooled` checked against the data: the channels pooled nowhere, and per geo whether it is held out (geos
 * by name, from `data.geos.names`, or by index as a string when the data carry no names). @internal
 */
function geoPooling(spec: ModelSpec, data: ModelData): { channels: Set<string>; geos: boolean[] } {
  const u = spec.unpooled;
  const G = data.geos?.count ?? 0;
  if (u === undefined) return { channels: new Set(), geos: Array.from({ length: G }, () => false) };
  if (typeof u !== 'object' || u === null)
    throw new InvalidInputError(
      'spec.unpooled',
      `is ${JSON.stringify(u)}`,
      "Give { channels: ['tv'], geos: ['north'] } (either may be left out).",
    );
  if (!data.geos)
    throw new InvalidInputError('spec.unpooled', 'is set for national data', 'Pooling is over geos: drop unpooled, or fit geo data.');
  const known = spec.channels.map((c) => c.name);
  (u.channels ?? []).forEach((c, k) => {
    if (!known.includes(c))
      throw new InvalidInputError(
        `spec.unpooled.channels[${k}]`,
        `is "${c}", not a channel of the model`,
        `Name one of ${known.join(', ')}.`,
      );
  });
  const names = data.geos.names ?? Array.from({ length: G }, (_, g) => String(g));
  const geos = names.map(() => false);
  (u.geos ?? []).forEach((name, k) => {
    const g = names.indexOf(name);
    if (g < 0)
      throw new InvalidInputError(
        `spec.unpooled.geos[${k}]`,
        `is "${name}", not a geo of the data`,
        `Name one of ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}.`,
      );
    geos[g] = true;
  });
  return { channels: new Set(u.channels ?? []), geos };
}
