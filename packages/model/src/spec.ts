import { InvalidInputError } from '@mmm/core';
import type { PriorSpec } from '@mmm/bayes-nuts';
import type { AdstockName, SaturationName } from '@mmm/transforms';

/** One media channel of the model. */
export interface ChannelSpec {
  name: string;
  /** @defaultValue geometric adstock, 8 normalised lag weights */
  adstock?: { type?: AdstockName; maxLag?: number; normalize?: boolean; priors?: Record<string, PriorSpec> };
  /** @defaultValue Hill saturation */
  saturation?: { type?: SaturationName; priors?: Record<string, PriorSpec> };
  /** prior of the channel coefficient β (effect at full saturation, in units of mean y); @defaultValue HalfNormal(1) */
  coefficientPrior?: PriorSpec;
  /**
   * a prior on the channel's ROAS (total contribution over the fitted periods / total spend) instead of on β, as
   * Meridian's ROI priors: `{ mean, sd }` is the log-normal with that mean and sd; any positive prior spec is taken
   * as is. β is then a function of the ROAS and the curve parameters (docs/model-math.md, "ROAS priors").
   * `coefficientPrior` is ignored. In a geo model the prior is on the national ROAS (all geos' contributions over
   * all geos' spend).
   */
  roasPrior?: RoasPrior;
  /**
   * a reach-and-frequency channel (Meridian's form): its input is the reach per period and `RawModelData.frequency`
   * gives the average frequency; the effect is β·adstock(reach·Hill(frequency)), the Hill curve on frequency with its
   * own half-saturation and slope (priors {@link DEFAULT_RF_SATURATION_PRIORS}). Hill only; no lift tests or
   * time-varying effects yet. @defaultValue false
   */
  reachFrequency?: boolean;
}

/** A non-media treatment of the spec: its name (the column in `RawModelData.treatments`) and its effect's prior. */
export interface TreatmentSpec {
  name: string;
  /** the prior of τ, the effect of going from the treatment's smallest to its largest value; @defaultValue Normal(0, 0.5) */
  prior?: PriorSpec;
}

/** A prior on a channel's ROAS: `{ mean, sd }` (log-normal with that mean and sd) or a prior spec on (0, ∞). */
export type RoasPrior = { mean: number; sd: number } | PriorSpec;

/**
 * A baseline that moves with time as a Gaussian process (PyMC-Marketing's HSGP): a squared-exponential GP on the
 * period index with the given lengthscale (in periods), approximated by `basis` sine functions on [−L, L] with
 * L = 1.5·(half the span) (Solin & Särkkä's Hilbert-space method); its amplitude has a HalfNormal(`amplitude`) prior.
 * It replaces the linear trend.
 */
export interface GpTrendSpec {
  gp: { lengthscale: number; basis?: number; amplitude?: number };
}

/**
 * A baseline that moves with time (Meridian's knots): the level at K knots spread evenly over the periods, joined
 * linearly, as a random walk from the first knot (the intercept's level): knot k sits δ_2 + … + δ_k above it with
 * δ ~ Normal(0, sd). It replaces the linear trend.
 */
export interface KnotsTrendSpec {
  knots: number;
  /** sd of the step between neighbouring knots, in units of mean y; @defaultValue 0.1 */
  sd?: number;
}

/**
 * A piecewise-linear trend (as Prophet's): the linear trend plus a change of slope δ_j at each changepoint s_j,
 * trend_t = k·τ_t + Σ_j δ_j·max(0, τ_t − s_j), τ in years from the first period. `changepoints` is a count (spread
 * evenly over the first `range` of the data, as Prophet) or the positions in years; `fitMMM` stores the positions.
 */
export interface PiecewiseTrendSpec {
  changepoints: number | number[];
  /** share of the data the changepoints may fall in; @defaultValue 0.8 */
  range?: number;
}

/**
 * Media effects that change over time (docs/time-varying.md): each listed channel's coefficient is multiplied by
 * m_t = exp(f_t), f a Gaussian process over the periods (Hilbert-space approximation, non-centred basis weights, mean
 * over the fitted periods 0), its amplitude and lengthscale sampled.
 */
export interface TimeVaryingSpec {
  /** 'perChannel' (one multiplier each, the default), 'shared' (one for all media, as PyMC-Marketing's) or channel names */
  channels?: 'perChannel' | 'shared' | string[];
  /** basis functions; @defaultValue from the lengthscale prior and the number of periods (8 to 40) */
  basis?: number;
  /** prior of the amplitude η (the sd of ln m over time); @defaultValue HalfNormal(0.3) */
  amplitude?: PriorSpec;
  /** prior of the lengthscale, in periods; @defaultValue LogNormal(ln(periodsPerYear/2), 0.5) */
  lengthscale?: PriorSpec;
  /**
   * the Gaussian process's kernel: 'expQuad' (squared exponential, the smoothest), 'matern52' or 'matern32' (rougher:
   * they follow an abrupt change more closely and need more basis functions)
   * @defaultValue 'expQuad'
   */
  kernel?: GpKernel;
}

/** An interaction as a spec gives it. */
export interface InteractionSpec {
  /** the channel whose effect is modulated */
  channel: string;
  /** 'season' (the model's Fourier terms) or another channel's name (a synergy) */
  with: string;
  /** prior of the coefficients; @defaultValue Normal(0, 0.1) */
  prior?: PriorSpec;
}

/** The kernel of a time-varying effect's Gaussian process. */
export type GpKernel = 'expQuad' | 'matern52' | 'matern32';

/** The model as plain data. Defaults are those of the reference `mmm.stan` (see docs/model-math.md). */
export interface ModelSpec {
  channels: ChannelSpec[];
  /** control names (standardised); @defaultValue none */
  controls?: string[];
  /** yearly Fourier seasonality on the period index: pairs and period in periods; null for none */
  seasonality?: { order?: number; period?: number } | null;
  /** 'linear' (per year), 'none', piecewise linear (changepoints), or a baseline through knots; @defaultValue 'linear' */
  trend?: 'linear' | 'none' | PiecewiseTrendSpec | KnotsTrendSpec | GpTrendSpec;
  /** a ROAS prior for every channel without its own (`ChannelSpec.roasPrior`) */
  roasPrior?: RoasPrior;
  /** periods per year, for the trend's time axis; @defaultValue 52 */
  periodsPerYear?: number;
  /** @defaultValue 'normal' */
  likelihood?: 'normal' | { studentT: { nu: number } };
  /**
   * geo models: one noise scale for all geos ('shared', as `mmm_geo.stan`) or one per geo ('perGeo', as Meridian's
   * `unique_sigma_for_each_geo`), each with the `sigma` prior. @defaultValue 'shared'
   */
  noise?: 'shared' | 'perGeo';
  /**
   * geo models: what is not pooled over geos. `channels`: channels whose effect each geo estimates on its own (β_gc
   * with the channel's coefficient prior, no national β or scatter η; the curves stay shared); `geos`: geos (by name)
   * held out of pooling, whose baseline takes the prior of the baselines' mean and whose media effects take the
   * coefficient prior, so they neither borrow from the other geos nor pull them (curves, seasonality, controls and the
   * trend stay shared). ROAS priors need the channel pooled in every geo. @defaultValue everything pooled
   */
  unpooled?: { channels?: string[]; geos?: string[] };
  /**
   * geo models: a linear trend per geo, partially pooled around the national slope (k_g = k + ω·v_g, v_g ~ Normal(0, 1),
   * ω ~ `priors.trendSd`), as a geo-specific trend in Meridian; needs `trend: 'linear'`. @defaultValue false
   */
  geoTrend?: boolean;
  /**
   * geo models: the sampler also moves along the orbit that scales the baselines' spread together with the geo media
   * deviations it pins (docs/model-math.md): the posterior is unchanged, mixing on small panels much better.
   * @defaultValue true below 20 pooled geos (larger panels measure the spread well, and the orbit costs time there)
   */
  geoOrbit?: boolean;
  /**
   * media effects that change over time: 'perChannel', 'shared', a list of channel names, or the settings
   * ({@link TimeVaryingSpec}); off by default
   */
  timeVaryingEffects?: 'perChannel' | 'shared' | string[] | TimeVaryingSpec;
  /**
   * interaction terms, each reported as its own contribution (docs/interactions.md): `{ channel: 'tv', with: 'season' }`
   * modulates tv's effect by the Fourier terms, `{ channel: 'tv', with: 'search' }` adds a synergy δ·s_tv·s_search on
   * the two saturated curves; off by default
   */
  interactions?: InteractionSpec[];
  /**
   * organic media: owned channels with exposures and no spend (newsletters, organic social, earned media), each with
   * its own adstock and saturation as a media channel (`RawModelData.organic` gives the exposures, scaled by their
   * maximum): contributions with intervals, no ROAS, not in budgets or plans. ROAS priors are refused. @defaultValue none
   */
  organic?: ChannelSpec[];
  /**
   * non-media treatments (price, promotions, distribution): effects wanted as causal, unlike controls'. Treatment j adds
   * τ_j·(x_tj − min_j)/(max_j − min_j): its effect relative to its smallest value (Meridian's default baseline), τ_j the
   * change from its smallest to its largest value in units of mean y, with the `prior` (default Normal(0, 0.5), signed).
   * @defaultValue none
   */
  treatments?: TreatmentSpec[];
  /**
   * the coordinates the sampler moves in; the model, its priors and its posterior are the same. 'centered' samples the
   * level m = intercept + trend·t̄ + Σ_c β_c·s̄_c (the fitted mean) instead of the intercept, and each channel's mean
   * contribution γ_c = β_c·s̄_c instead of β_c, which takes the intercept's correlation with the trend and the media,
   * and the β–saturation ridge, out of the geometry; 'natural' samples the intercept and β as `mmm.stan` does. Draws
   * are reported in the natural parameters either way.
   * @defaultValue 'centered'
   */
  parameterization?: 'centered' | 'natural';
  /**
   * prior overrides for the baseline; in a geo model also the geo baselines' mean and sd (`baselineMean`,
   * `baselineSd`) and the geo scatter of the media effects (`scatter`, the sd of log β_gc around log β_c)
   */
  priors?: {
    intercept?: PriorSpec;
    trend?: PriorSpec;
    changepoint?: PriorSpec;
    fourier?: PriorSpec;
    control?: PriorSpec;
    sigma?: PriorSpec;
    baselineMean?: PriorSpec;
    baselineSd?: PriorSpec;
    scatter?: PriorSpec;
    trendSd?: PriorSpec;
  };
}

/** Default priors of the adstock parameters, on the model's scaled units. */
export const DEFAULT_ADSTOCK_PRIORS: Record<AdstockName, Record<string, PriorSpec>> = {
  geometric: { alpha: { dist: 'beta', alpha: 1, beta: 3 } },
  delayed: { alpha: { dist: 'beta', alpha: 1, beta: 3 }, theta: { dist: 'halfNormal', sigma: 2 } },
  weibullCdf: { shape: { dist: 'gamma', alpha: 2, beta: 1 }, scale: { dist: 'gamma', alpha: 2, beta: 1 } },
  weibullPdf: { shape: { dist: 'gamma', alpha: 2, beta: 1 }, scale: { dist: 'gamma', alpha: 2, beta: 1 } },
};

/** Default priors of the saturation parameters (input scaled to [0, 1] by the channel maximum). */
export const DEFAULT_SATURATION_PRIORS: Record<SaturationName, Record<string, PriorSpec>> = {
  hill: { halfSaturation: { dist: 'gamma', alpha: 3, beta: 6 }, slope: { dist: 'gamma', alpha: 3, beta: 2 } },
  logistic: { lambda: { dist: 'gamma', alpha: 3, beta: 1 } },
  michaelisMenten: { alpha: { dist: 'gamma', alpha: 2, beta: 1 }, lambda: { dist: 'gamma', alpha: 2, beta: 4 } },
  tanh: { b: { dist: 'gamma', alpha: 2, beta: 2 }, c: { dist: 'gamma', alpha: 2, beta: 2 } },
  power: { exponent: { dist: 'beta', alpha: 2, beta: 2 } },
};

/**
 * Default priors of a reach-and-frequency channel's Hill curve on frequency (average exposures per person reached, not
 * scaled): half-saturation and slope LogNormal(0.7, 0.4) each, median 2 and 90% between 1.04 and 3.9, as Meridian's
 * `ec_rf` and `slope_rf`. The slope's prior mass sits mostly above 1 (an S-shaped response to frequency, with an
 * optimal frequency K·(S − 1)^(1/S) > 0) without ruling out a concave one.
 */
export const DEFAULT_RF_SATURATION_PRIORS: Record<string, PriorSpec> = {
  halfSaturation: { dist: 'logNormal', mu: 0.7, sigma: 0.4 },
  slope: { dist: 'logNormal', mu: 0.7, sigma: 0.4 },
};

/** Default priors of the baseline, as `mmm.stan`. */
export const DEFAULT_BASELINE_PRIORS = {
  intercept: { dist: 'normal', mu: 0, sigma: 2 },
  trend: { dist: 'normal', mu: 0, sigma: 0.5 },
  /** change of the trend's slope (per year, in units of mean y) at each changepoint */
  changepoint: { dist: 'normal', mu: 0, sigma: 0.1 },
  fourier: { dist: 'normal', mu: 0, sigma: 0.5 },
  control: { dist: 'normal', mu: 0, sigma: 0.5 },
  sigma: { dist: 'halfNormal', sigma: 0.5 },
  coefficient: { dist: 'halfNormal', sigma: 1 },
  /** geo models: the mean and sd of the geo baselines, and the geo scatter of log β (as `mmm_geo.stan`) */
  baselineMean: { dist: 'normal', mu: 0, sigma: 2 },
  baselineSd: { dist: 'halfNormal', sigma: 0.5 },
  scatter: { dist: 'halfNormal', sigma: 0.5 },
  /** geo models with `geoTrend`: the sd ω of the geos' slopes around the national one (per year, units of mean y) */
  trendSd: { dist: 'halfNormal', sigma: 0.1 },
} as const satisfies Record<string, PriorSpec>;

/**
 * Geo models scale spend by its mean per-capita level over the geo-periods with spend (not by its maximum), so a
 * Hill curve's half-saturation has its own default there: Gamma(3, 3), mean 1 (`mmm_geo.stan`).
 */
export const DEFAULT_GEO_SATURATION_PRIORS: Partial<Record<SaturationName, Record<string, PriorSpec>>> = {
  hill: { halfSaturation: { dist: 'gamma', alpha: 3, beta: 3 }, slope: { dist: 'gamma', alpha: 3, beta: 2 } },
};

/**
 * The prior the model gives parameter `name` (a draw name as `fitMMM` reports it, e.g. `tv.adstock.alpha`,
 * `tv.beta`, `fourier[2]`, `sigma`), with the spec's overrides applied; `undefined` for a name the spec does not have.
 */
export function priorFor(spec: ModelSpec, name: string): PriorSpec | undefined {
  const base = name.replace(/\[\d+\]$/, '') as keyof typeof DEFAULT_BASELINE_PRIORS;
  if (base === ('gp.z' as string)) return { dist: 'normal', mu: 0, sigma: 1 };
  if (base === ('gp.amplitude' as string)) {
    const tr = spec.trend;
    return { dist: 'halfNormal', sigma: typeof tr === 'object' && 'gp' in tr ? (tr.gp.amplitude ?? 0.2) : 0.2 };
  }
  if (base === ('knot' as string)) {
    const tr = spec.trend;
    return { dist: 'normal', mu: 0, sigma: typeof tr === 'object' && 'knots' in tr ? (tr.sd ?? 0.1) : 0.1 };
  }
  if (base === 'intercept' || base === 'trend' || base === 'changepoint' || base === 'fourier' || base === 'control' || base === 'sigma')
    return spec.priors?.[base] ?? DEFAULT_BASELINE_PRIORS[base];
  const tvp = /^(?:(.+)\.)?tvp\.(z|amplitude|lengthscale)(\[\d+\])?$/.exec(name);
  if (tvp && spec.timeVaryingEffects !== undefined) {
    const tv = typeof spec.timeVaryingEffects === 'object' && !Array.isArray(spec.timeVaryingEffects) ? spec.timeVaryingEffects : {};
    if (tvp[2] === 'z') return { dist: 'normal', mu: 0, sigma: 1 };
    if (tvp[2] === 'amplitude') return tv.amplitude ?? { dist: 'halfNormal', sigma: 0.3 };
    return tv.lengthscale ?? { dist: 'logNormal', mu: Math.log((spec.periodsPerYear ?? 52) / 2), sigma: 0.5 };
  }
  if (name === 'baseline.mean') return spec.priors?.baselineMean ?? DEFAULT_BASELINE_PRIORS.baselineMean;
  if (name === 'baseline.sd') return spec.priors?.baselineSd ?? DEFAULT_BASELINE_PRIORS.baselineSd;
  if (name === 'trend.sd') return spec.priors?.trendSd ?? DEFAULT_BASELINE_PRIORS.trendSd;
  if (base === ('trend.geo' as string)) return { dist: 'normal', mu: 0, sigma: 1 };
  for (const tr of spec.treatments ?? [])
    if (name === `${tr.name}.treatment` || name === `${tr.name}.treatment[1]`)
      return tr.prior ?? spec.priors?.control ?? DEFAULT_BASELINE_PRIORS.control;
  for (const ch of [...spec.channels, ...(spec.organic ?? [])]) {
    if (!name.startsWith(`${ch.name}.`)) continue;
    const rest = name.slice(ch.name.length + 1).replace(/^beta\[\d+\]$/, 'beta');
    // with a ROAS prior β has no prior of its own: it follows from the ROAS and the curves
    if (rest === 'beta')
      return (ch.roasPrior ?? spec.roasPrior) !== undefined ? undefined : (ch.coefficientPrior ?? DEFAULT_BASELINE_PRIORS.coefficient);
    if (rest === 'eta') return spec.priors?.scatter ?? DEFAULT_BASELINE_PRIORS.scatter;
    if (/^z(\[\d+\])?$/.test(rest)) return { dist: 'normal', mu: 0, sigma: 1 };
    const [kind, p] = rest.split('.');
    if (kind === 'adstock') return ch.adstock?.priors?.[p] ?? DEFAULT_ADSTOCK_PRIORS[ch.adstock?.type ?? 'geometric'][p];
    if (kind === 'saturation')
      return (
        ch.saturation?.priors?.[p] ??
        (ch.reachFrequency ? DEFAULT_RF_SATURATION_PRIORS[p] : DEFAULT_SATURATION_PRIORS[ch.saturation?.type ?? 'hill'][p])
      );
  }
  return undefined;
}

/**
 * The prior spec of a ROAS prior: `{ mean, sd }` becomes LogNormal(μ, σ) with σ² = ln(1 + sd²/mean²) and
 * μ = ln(mean) − σ²/2 (mean and sd exactly those given); a prior spec is checked to live on (0, ∞).
 */
export function roasPriorSpec(prior: RoasPrior, field = 'roasPrior'): PriorSpec {
  if ('dist' in prior) {
    if (!['halfNormal', 'logNormal', 'gamma', 'inverseGamma', 'exponential', 'halfStudentT', 'halfCauchy'].includes(prior.dist)) {
      throw new InvalidInputError(
        `${field}.dist`,
        `is "${prior.dist}"`,
        'A ROAS is positive: use logNormal, gamma, halfNormal, … or { mean, sd }.',
      );
    }
    return prior;
  }
  const { mean, sd } = prior;
  if (!(mean > 0 && Number.isFinite(mean)))
    throw new InvalidInputError(`${field}.mean`, `is ${mean}`, 'Give the ROAS you expect, a number > 0.');
  if (!(sd > 0 && Number.isFinite(sd))) throw new InvalidInputError(`${field}.sd`, `is ${sd}`, 'Give how uncertain it is, a number > 0.');
  const s2 = Math.log(1 + (sd * sd) / (mean * mean));
  return { dist: 'logNormal', mu: Math.log(mean) - s2 / 2, sigma: Math.sqrt(s2) };
}
