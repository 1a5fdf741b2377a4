// Weekly data with known truth and one reach-and-frequency channel in Meridian's form, β·adstock(reach·Hill(frequency)),
// beside two spend channels (tv, search): the model of @mmm/model simulated with known parameters. For the
// reach-and-frequency recovery tests and the validation study (bench/reach-frequency.ts).
import { createRng } from '@mmm/bayes-nuts';
import { simulate, type ModelSpec } from '@mmm/model';
import { weekDates } from './time-varying-data.js';

/** The baseline and the two spend channels' true parameters (tv: flighted, search: always on) of both data sets here. */
function baseParams(intercept: number, noise: number): Record<string, number[]> {
  return {
    intercept: [intercept],
    trend: [0.03],
    fourier: [0.06, -0.03, 0.02, 0.01],
    sigma: [noise],
    'tv.adstock.alpha': [0.5],
    'tv.saturation.halfSaturation': [0.5],
    'tv.saturation.slope': [1.6],
    'tv.beta': [0.16],
    'search.adstock.alpha': [0.2],
    'search.saturation.halfSaturation': [0.45],
    'search.saturation.slope': [1.3],
    'search.beta': [0.1],
  };
}

export interface ReachFrequencyData {
  rows: Array<Record<string, string | number>>;
  /** the video channel's true Hill parameters on frequency, its optimal frequency K·(S − 1)^(1/S), its total contribution */
  truth: { halfSaturation: number; slope: number; optimalFrequency: number; contribution: number; roas: number };
  /** each channel's true contribution per period, in the target's units */
  contributions: Record<string, Float64Array>;
}

/**
 * T weeks (156 by default) of tv and search (spend, geometric adstock, Hill) and video, a reach-and-frequency channel:
 * weekly reach in people (dark about one week in five) and an average frequency between 1 and `maxFrequency` (6),
 * bought at a cost per impression that drifts ±20%; the video curve's half-saturation and slope on frequency are drawn
 * per seed (K in [1.5, 3.5], S in [1.5, 3]) unless given; video's β is `beta` (0.25). Normal noise of sd `noise` (units of
 * mean sales).
 */
export function reachFrequencyData(
  seed: number,
  options: { T?: number; noise?: number; halfSaturation?: number; slope?: number; maxFrequency?: number; beta?: number } = {},
): ReachFrequencyData {
  const T = options.T ?? 156;
  const rng = createRng(seed, 17);
  const K = options.halfSaturation ?? 1.5 + 2 * rng.uniform();
  const S = options.slope ?? 1.5 + 1.5 * rng.uniform();
  const maxF = options.maxFrequency ?? 6;
  const spend = {
    tv: Float64Array.from({ length: T }, (_, t) => (Math.floor(t / 5 + seed) % 3 !== 0 ? 600 + 600 * rng.uniform() : 80 * rng.uniform())),
    search: Float64Array.from({ length: T }, () => 300 + 500 * rng.uniform()),
    video: Float64Array.from({ length: T }, () => (rng.uniform() < 0.2 ? 0 : 2e5 + 8e5 * rng.uniform())),
  };
  const frequency = Float64Array.from(spend.video, (r) => (r > 0 ? 1 + (maxF - 1) * rng.uniform() : 0));
  const costPerImpression = Float64Array.from({ length: T }, () => 0.004 * (0.8 + 0.4 * rng.uniform()));
  const videoSpend = Float64Array.from(spend.video, (r, t) => r * frequency[t] * costPerImpression[t]);
  const spec: ModelSpec = {
    channels: [{ name: 'tv' }, { name: 'search' }, { name: 'video', reachFrequency: true }],
    seasonality: { order: 2, period: 52 },
    trend: 'linear',
  };
  const params: Record<string, number[]> = {
    ...baseParams(0.7, options.noise ?? 0.04),
    'video.adstock.alpha': [0.4],
    'video.saturation.halfSaturation': [K],
    'video.saturation.slope': [S],
    'video.beta': [options.beta ?? 0.25],
  };
  const yScale = 1e4;
  const sim = simulate(spec, { spend, frequency: { video: frequency } }, params, { seed, yScale });
  const dates = weekDates(T);
  const rows = dates.map((date, t) => ({
    date,
    sales: sim.y[t],
    tv: spend.tv[t],
    search: spend.search[t],
    video_reach: spend.video[t],
    video_frequency: frequency[t],
    video_impressions: spend.video[t] * frequency[t],
    video_spend: videoSpend[t],
  }));
  const contribution = sim.contributions.video.reduce((a, b) => a + b, 0);
  return {
    rows,
    truth: {
      halfSaturation: K,
      slope: S,
      optimalFrequency: K * (S - 1) ** (1 / S),
      contribution,
      roas: contribution / videoSpend.reduce((a, b) => a + b, 0),
    },
    contributions: sim.contributions,
  };
}

/** The fit's channels for {@link reachFrequencyData}, as the hidden checks spell them. */
export const RF_CHANNELS = [
  'tv',
  'search',
  { name: 'video', reach: 'video_reach', frequency: 'video_frequency', spend: 'video_spend' },
] as const;

export interface OrganicData {
  rows: Array<Record<string, string | number>>;
  /** true total contributions: the newsletter (organic) and the two treatments, relative to their smallest values */
  truth: { newsletter: number; promo: number; price: number };
}

/**
 * T weeks (156 by default) of tv and search (spend), an organic channel (newsletter sends: geometric adstock, Hill, no
 * spend) and two treatments: promo weeks (0/1, one in four) lifting sales by 6% of the mean, and a price index between
 * 0.9 and 1.1 that lowers sales by 8% of the mean from its lowest to its highest value. Normal noise of sd `noise`.
 */
export function organicData(seed: number, options: { T?: number; noise?: number } = {}): OrganicData {
  const T = options.T ?? 156;
  const rng = createRng(seed, 23);
  const spend = {
    tv: Float64Array.from({ length: T }, (_, t) => (Math.floor(t / 5 + seed) % 3 !== 0 ? 600 + 600 * rng.uniform() : 80 * rng.uniform())),
    search: Float64Array.from({ length: T }, () => 300 + 500 * rng.uniform()),
  };
  const newsletter = Float64Array.from({ length: T }, () => (rng.uniform() < 0.3 ? 0 : 5000 + 15000 * rng.uniform()));
  const promo = Float64Array.from({ length: T }, () => (rng.uniform() < 0.25 ? 1 : 0));
  const price = Float64Array.from({ length: T }, () => 0.9 + 0.2 * rng.uniform());
  const spec: ModelSpec = {
    channels: [{ name: 'tv' }, { name: 'search' }],
    organic: [{ name: 'newsletter' }],
    treatments: [{ name: 'promo' }, { name: 'price' }],
    seasonality: { order: 2, period: 52 },
    trend: 'linear',
  };
  const params: Record<string, number[]> = {
    ...baseParams(0.75, options.noise ?? 0.04),
    'newsletter.adstock.alpha': [0.3],
    'newsletter.saturation.halfSaturation': [0.4],
    'newsletter.saturation.slope': [1.5],
    'newsletter.beta': [0.12],
    'promo.treatment': [0.06],
    'price.treatment': [-0.08],
  };
  const sim = simulate(spec, { spend, organic: { newsletter }, treatments: { promo, price } }, params, { seed, yScale: 1e4 });
  const total = (x: Float64Array) => x.reduce((a, b) => a + b, 0);
  const rows = weekDates(T).map((date, t) => ({
    date,
    sales: sim.y[t],
    tv: spend.tv[t],
    search: spend.search[t],
    newsletter: newsletter[t],
    promo: promo[t],
    price: price[t],
  }));
  return { rows, truth: { newsletter: total(sim.terms.newsletter), promo: total(sim.terms.promo), price: total(sim.terms.price) } };
}
