// Weekly data with known truth where one channel's effect changes over time (a step, a drift, a seasonal modulation)
// and the others stay constant: the model of @mmm/model with constant effects, then the changing channel's contribution
// multiplied by the true multiplier m_t. For the time-varying effects' recovery tests and the validation study.
import { createRng } from '@mmm/bayes-nuts';
import { multipliersAt, resolveTimeVarying, simulate, type ModelSpec } from '@mmm/model';

/**
 * How the changing channel's effect moves: a doubling at the midpoint, a drift from 0.7 to 1.4, ±30% over the year, a
 * draw from the model's own prior ('gp': amplitude 0.3, lengthscale 26 weeks, the basis weights drawn with the data's
 * seed), or not at all (every effect constant, for false-change rates).
 */
export type Change = 'step' | 'drift' | 'seasonal' | 'gp' | 'none';

/** A multiplier drawn from the time-varying model's prior (amplitude 0.3, lengthscale 26 periods). */
function priorDraw(T: number, seed: number): Float64Array {
  const tv = resolveTimeVarying({ channels: [{ name: 'c' }], timeVaryingEffects: ['c'] }, T)!;
  const rng = createRng(seed, 11);
  const values: Record<string, ArrayLike<number>> = {
    'c.tvp.z': Float64Array.from({ length: tv.basis }, () => rng.normal()),
    'c.tvp.amplitude': [0.3],
    'c.tvp.lengthscale': [26],
  };
  return multipliersAt(tv, T, (name) => values[name]).c;
}

export interface ChangingData {
  rows: Array<Record<string, string | number>>;
  dates: string[];
  /** the true multiplier of each channel per period (1 for the constant ones) */
  multiplier: Record<string, Float64Array>;
  /** each channel's true contribution per period, in the target's units */
  contributions: Record<string, Float64Array>;
  channels: string[];
}

/**
 * The true parameters of the three-channel data sets (tv, search, social: geometric adstock and Hill curves, each with
 * its decay, half-saturation, slope and β; intercept, trend, two Fourier pairs), with Normal noise of sd `noise`.
 */
export function threeChannelParams(noise: number): Record<string, number[]> {
  const truth: Record<string, [number, number, number, number]> = {
    tv: [0.5, 0.5, 1.6, 0.18],
    search: [0.2, 0.45, 1.3, 0.12],
    social: [0.35, 0.4, 1.4, 0.08],
  };
  const params: Record<string, number[]> = { intercept: [0.75], trend: [0.03], fourier: [0.06, -0.03, 0.02, 0.01], sigma: [noise] };
  for (const [c, [alpha, K, S, beta]] of Object.entries(truth))
    Object.assign(params, {
      [`${c}.adstock.alpha`]: [alpha],
      [`${c}.saturation.halfSaturation`]: [K],
      [`${c}.saturation.slope`]: [S],
      [`${c}.beta`]: [beta],
    });
  return params;
}

/** T weekly ISO dates from Monday 4 January 2021. */
export function weekDates(T: number): string[] {
  return Array.from({ length: T }, (_, t) => new Date(Date.UTC(2021, 0, 4) + 7 * t * 86_400_000).toISOString().slice(0, 10));
}

/** The multiplier of a change over T periods ('gp' draws its own: see changingData). */
export function trueMultiplier(change: Exclude<Change, 'gp'>, T: number): Float64Array {
  return Float64Array.from({ length: T }, (_, t) =>
    change === 'step'
      ? t < T / 2
        ? 1
        : 2
      : change === 'drift'
        ? 0.7 * 2 ** (t / (T - 1))
        : change === 'seasonal'
          ? 1 + 0.3 * Math.sin((2 * Math.PI * t) / 52)
          : 1,
  );
}

/**
 * T weeks (208 by default) of three channels (tv, search, social; geometric adstock, Hill), seasonality and a trend,
 * Normal noise of sd `noise` (in units of mean sales); `changing` is the channel whose effect follows `change`.
 */
export function changingData(seed: number, change: Change, options: { T?: number; changing?: string; noise?: number } = {}): ChangingData {
  const T = options.T ?? 208;
  const changing = options.changing ?? 'tv';
  const rng = createRng(seed, 7);
  const channels = ['tv', 'search', 'social'];
  // tv in flights, search always on, social on and off
  const spend: Record<string, Float64Array> = {
    tv: Float64Array.from({ length: T }, (_, t) => (Math.floor(t / 5 + seed) % 3 !== 0 ? 600 + 600 * rng.uniform() : 80 * rng.uniform())),
    search: Float64Array.from({ length: T }, () => 300 + 500 * rng.uniform()),
    social: Float64Array.from({ length: T }, () => (rng.uniform() < 0.35 ? 0 : 200 + 500 * rng.uniform())),
  };
  const spec: ModelSpec = { channels: channels.map((name) => ({ name })), seasonality: { order: 2, period: 52 }, trend: 'linear' };
  const params = threeChannelParams(options.noise ?? 0.04);
  const sim = simulate(spec, { spend }, params, { seed, yScale: 1e4 });
  const changed = change === 'gp' ? priorDraw(T, seed) : trueMultiplier(change, T);
  const multiplier = Object.fromEntries(channels.map((c) => [c, c === changing ? changed : new Float64Array(T).fill(1)]));
  const contributions = Object.fromEntries(channels.map((c) => [c, sim.contributions[c].map((v, t) => v * multiplier[c][t])]));
  const y = Float64Array.from(sim.y, (v, t) => v + sim.contributions[changing][t] * (multiplier[changing][t] - 1));
  const dates = weekDates(T);
  const rows = dates.map((date, t) => ({ date, sales: y[t], ...Object.fromEntries(channels.map((c) => [c, spend[c][t]])) }));
  return { rows, dates, multiplier, contributions, channels };
}
