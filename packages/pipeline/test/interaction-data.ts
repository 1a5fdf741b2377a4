// Weekly data with known interactions: three channels (tv in flights, search and social on and off), Fourier
// seasonality and a trend from @mmm/model's simulate, with tv's effect modulated by the season (δ on sin₁ and cos₁) and
// a tv × search synergy. For the interactions' recovery tests and the validation study (bench/interactions.ts).
import { createRng } from '@mmm/bayes-nuts';
import { simulate, type ModelSpec } from '@mmm/model';
import { threeChannelParams, weekDates } from './time-varying-data.js';

export interface InteractionData {
  rows: Array<Record<string, string | number>>;
  channels: string[];
  /** the true total of each interaction's contribution over the periods, in target units */
  totals: Record<string, number>;
  /** each interaction's true contribution per period */
  series: Record<string, Float64Array>;
  /** the true total of each channel's own contribution */
  own: Record<string, number>;
}

/**
 * T weeks (156 by default) with tv:season coefficients `season` (on sin₁, cos₁; the second pair 0) and a tv:search
 * synergy `synergy`, both in units of mean sales per unit of the saturated curves' product; Normal noise `noise`.
 */
export function interactionData(
  seed: number,
  options: { T?: number; season?: [number, number]; synergy?: number; noise?: number } = {},
): InteractionData {
  const T = options.T ?? 156;
  const rng = createRng(seed, 7);
  const channels = ['tv', 'search', 'social'];
  const spend: Record<string, Float64Array> = {
    tv: Float64Array.from({ length: T }, (_, t) => (Math.floor(t / 5 + seed) % 3 !== 0 ? 600 + 600 * rng.uniform() : 80 * rng.uniform())),
    search: Float64Array.from({ length: T }, () => (rng.uniform() < 0.3 ? 0 : 200 + 700 * rng.uniform())),
    social: Float64Array.from({ length: T }, () => (rng.uniform() < 0.35 ? 0 : 200 + 500 * rng.uniform())),
  };
  const interactions = [
    { channel: 'tv', with: 'season' },
    { channel: 'tv', with: 'search' },
  ];
  const spec: ModelSpec = {
    channels: channels.map((name) => ({ name })),
    seasonality: { order: 2, period: 52 },
    trend: 'linear',
    interactions,
  };
  const [s1, c1] = options.season ?? [0.05, -0.03];
  const params = {
    ...threeChannelParams(options.noise ?? 0.04),
    'interaction.tv.season': [s1, c1, 0, 0],
    'interaction.tv.search': [options.synergy ?? 0.1],
  };
  const sim = simulate(spec, { spend }, params, { seed, yScale: 1e4 });
  const sum = (x: Float64Array) => x.reduce((a, b) => a + b, 0);
  const dates = weekDates(T);
  const rows = dates.map((date, t) => ({ date, sales: sim.y[t], ...Object.fromEntries(channels.map((c) => [c, spend[c][t]])) }));
  return {
    rows,
    channels,
    series: sim.terms,
    totals: Object.fromEntries(Object.entries(sim.terms).map(([k, x]) => [k, sum(x)])),
    own: Object.fromEntries(channels.map((c) => [c, sum(sim.contributions[c])])),
  };
}
