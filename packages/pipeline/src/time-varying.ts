// What a fit with media effects that change over time (`model.timeVaryingEffects`) says about them: each channel's
// multiplier per draw, the effect at the end of the data that budgets and curves use, and `channelStability`, which
// answers "which channel changed?" from the posterior of the multipliers.
import { InvalidInputError, InvalidParameterError, ANY, checkOptions, optionKeys } from '@mmm/core';
import { multipliersAt, resolveTimeVarying, type ResolvedTimeVarying } from '@mmm/model';
import { estimate, thinnedDraws } from './summaries.js';
import type { Estimate, MMMFit, ModelFit } from './types.js';

/**
 * Which periods' effect budgets, response curves and plans use on a fit whose effects change over time: `'end'` (the
 * default) the multiplier of the last fitted period; `'mean'` its mean over the fitted periods; `{ start, end }` (dates of
 * the fit, inclusive) its mean over that window.
 */
export type EffectWindow = 'end' | 'mean' | { start: string; end: string };

/** The time-varying settings of a fit, or undefined when its effects are constant. @internal */
export function timeVaryingOf(fit: ModelFit): ResolvedTimeVarying | undefined {
  if (fit.spec.timeVaryingEffects === undefined) return undefined;
  return resolveTimeVarying(fit.spec, fit.data.dates.length);
}

/**
 * Each time-varying channel's multiplier m_t per draw, for draws read by `values` (one array of S draws per scalar
 * name, as `thinnedDraws` gives): `[channel][s]` is draw s's multiplier over the fitted periods. @internal
 */
export function multiplierDraws(
  fit: ModelFit,
  tv: ResolvedTimeVarying,
  S: number,
  values: (name: string) => number[],
): Record<string, Float64Array[]> {
  const T = fit.data.dates.length;
  const cache = new Map<string, number[]>();
  const column = (name: string) => {
    let c = cache.get(name);
    if (!c) cache.set(name, (c = values(name)));
    return c;
  };
  const out: Record<string, Float64Array[]> = Object.fromEntries(tv.channels.map((c) => [c, []]));
  for (let s = 0; s < S; s++) {
    // a block by name: z is `tv.tvp.z[1]` … `tv.tvp.z[m]` among the draws
    const block = (name: string) =>
      name.endsWith('.z') ? Float64Array.from({ length: tv.basis }, (_, j) => column(`${name}[${j + 1}]`)[s]) : [column(name)[s]];
    const m = multipliersAt(tv, T, block);
    for (const c of tv.channels) out[c].push(m[c]);
  }
  return out;
}

/** The periods [from, to) of a fit that a window covers. @internal */
export function windowPeriods(fit: ModelFit, window: EffectWindow, field = 'options.effectWindow'): [number, number] {
  const T = fit.data.dates.length;
  if (window === 'end') return [T - 1, T];
  if (window === 'mean') return [0, T];
  if (typeof window !== 'object' || window === null)
    throw new InvalidInputError(
      field,
      `is ${JSON.stringify(window)}`,
      "Use 'end' (the default), 'mean' or { start, end } (dates of the fit).",
    );
  checkOptions(window, optionKeys<{ start: string; end: string }>({ start: ANY, end: ANY }), field);
  const from = fit.data.dates.indexOf(window.start);
  const to = fit.data.dates.indexOf(window.end);
  if (from < 0 || to < 0 || to < from)
    throw new InvalidInputError(
      field,
      `is ${JSON.stringify(window)}`,
      `Give a start and an end among the fit's dates (${fit.data.dates[0]} … ${fit.data.dates[T - 1]}), the start first.`,
    );
  return [from, to + 1];
}

/**
 * Per channel, the factor by which a time-varying effect scales β in budgets and curves: the multiplier's mean over
 * `window` per draw (all 1 for a channel whose effect is constant). @internal
 */
export function effectScales(
  fit: ModelFit,
  S: number,
  values: (name: string) => number[],
  window: EffectWindow = 'end',
): Record<string, Float64Array> {
  const names = fit.spec.channels.map((c) => c.name);
  const ones = () => new Float64Array(S).fill(1);
  const tv = timeVaryingOf(fit);
  if (!tv) return Object.fromEntries(names.map((c) => [c, ones()]));
  const [from, to] = windowPeriods(fit, window);
  const draws = multiplierDraws(fit, tv, S, values);
  return Object.fromEntries(
    names.map((c) => {
      if (!draws[c]) return [c, ones()];
      return [
        c,
        Float64Array.from(draws[c], (m) => {
          let a = 0;
          for (let t = from; t < to; t++) a += m[t];
          return a / (to - from);
        }),
      ];
    }),
  );
}

/** Options of {@link channelStability}. */
export interface ChannelStabilityOptions {
  /**
   * the date (one of the fit's) where "after" begins: each channel's mean effect from it on against the mean effect before
   * it. Without it: the largest change between consecutive quarters (blocks of ⌊periodsPerYear/4⌉ periods from the first).
   */
  split?: string;
  /** width of the intervals; @defaultValue the fit's (0.9) */
  interval?: number;
  /** posterior draws used (evenly thinned); @defaultValue 1000 */
  maxDraws?: number;
}

/** How a channel's effect changed, from the posterior of its multiplier. */
export interface EffectChange {
  /** the periods compared: `before` and `after` as [first date, last date] */
  before: [string, string];
  after: [string, string];
  /** mean effect after over mean effect before (the multiplier's means; β cancels) */
  ratio: Estimate;
  /** the posterior probability that the effect rose */
  probabilityIncrease: number;
  /**
   * 'increased' when the interval of `ratio` lies above 1, 'decreased' when below, 'stable' when it holds 1; a channel
   * whose effect the fit holds constant is 'stable' with ratio 1 and `constant: true`
   */
  label: 'increased' | 'decreased' | 'stable';
  /** the fit did not let this channel's effect change (it is not in `timeVaryingEffects`) */
  constant?: true;
}

/**
 * Which channel's effect changed, answered from a fit whose effects change over time (`model: { timeVaryingEffects:
 * 'perChannel' }`): per channel the ratio of the mean effect after `split` to the mean effect before it, with its
 * interval and the probability of an increase, and a label (the rule: 'increased' or 'decreased' when the central
 * interval of the ratio excludes 1, else 'stable'). Without `split`, per channel the largest change between two
 * consecutive quarters (blocks of ⌊periodsPerYear/4⌉ periods), chosen by the posterior mean of |ln ratio|.
 * @example
 * const fit = await fitMMM(rows, { ...options, model: { timeVaryingEffects: 'perChannel' } });
 * channelStability(fit, { split: '2023-01-02' }).tv; // { ratio: { mean: 1.9, lower: 1.6, upper: 2.3 }, label: 'increased', … }
 */
export function channelStability(fit: MMMFit, options: ChannelStabilityOptions = {}): Record<string, EffectChange> {
  checkOptions(options, optionKeys<ChannelStabilityOptions>({ split: ANY, interval: ANY, maxDraws: ANY }), 'options');
  if (fit.method !== 'bayesian')
    throw new InvalidInputError(
      'fit.method',
      `is '${fit.method}'`,
      "channelStability reads a Bayesian fit's time-varying effects: fit with model: { timeVaryingEffects: 'perChannel' } " +
        "(rollingWindows compares a classical fit's windows).",
    );
  const tv = timeVaryingOf(fit);
  if (!tv)
    throw new InvalidInputError(
      'fit.spec.timeVaryingEffects',
      'is not set',
      "Refit with model: { timeVaryingEffects: 'perChannel' } so that each channel's effect may change over time.",
    );
  const interval = options.interval ?? fit.settings.interval;
  if (!(interval > 0 && interval < 1)) throw new InvalidParameterError('interval', interval, '(0, 1)');
  const maxDraws = options.maxDraws ?? 1000;
  if (!(Number.isInteger(maxDraws) && maxDraws >= 1)) throw new InvalidParameterError('maxDraws', maxDraws, 'the integers ≥ 1');
  const dates = fit.data.dates;
  const { S, values } = thinnedDraws(fit, maxDraws);
  const draws = multiplierDraws(fit, tv, S, values);
  const mean = (m: Float64Array, from: number, to: number) => {
    let a = 0;
    for (let t = from; t < to; t++) a += m[t];
    return a / (to - from);
  };
  const change = (ms: Float64Array[], b: [number, number], a: [number, number]): EffectChange => {
    const ratio = Float64Array.from(ms, (m) => mean(m, a[0], a[1]) / mean(m, b[0], b[1]));
    const e = estimate(ratio, interval);
    return {
      before: [dates[b[0]], dates[b[1] - 1]],
      after: [dates[a[0]], dates[a[1] - 1]],
      ratio: e,
      probabilityIncrease: ratio.reduce((n, r) => n + (r > 1 ? 1 : 0), 0) / ratio.length,
      label: e.lower > 1 ? 'increased' : e.upper < 1 ? 'decreased' : 'stable',
    };
  };
  const pairs = comparedPairs(fit, options.split);
  const out: Record<string, EffectChange> = {};
  for (const ch of fit.spec.channels.map((c) => c.name)) {
    const ms = draws[ch];
    if (!ms) {
      const p = pairs[0];
      const one = { mean: 1, median: 1, lower: 1, upper: 1 };
      out[ch] = {
        before: [dates[p.before[0]], dates[p.before[1] - 1]],
        after: [dates[p.after[0]], dates[p.after[1] - 1]],
        ratio: one,
        probabilityIncrease: 0,
        label: 'stable',
        constant: true,
      };
      continue;
    }
    // the pair whose change is largest in the posterior mean of |ln ratio|
    let best = pairs[0];
    let size = -1;
    if (pairs.length > 1)
      for (const p of pairs) {
        let a = 0;
        for (const m of ms) a += Math.abs(Math.log(mean(m, p.after[0], p.after[1]) / mean(m, p.before[0], p.before[1])));
        if (a > size) [best, size] = [p, a];
      }
    out[ch] = change(ms, best.before, best.after);
  }
  return out;
}

/** The periods in a quarter of a fit's data, ⌊periodsPerYear/4⌉: channelStability without a split needs two. */
export function quarterPeriods(fit: Pick<MMMFit, 'spec'>): number {
  return Math.max(1, Math.round((fit.spec.periodsPerYear ?? 52) / 4));
}

/** The periods channelStability compares: [0, split) against [split, T), or every pair of consecutive quarters. @internal */
function comparedPairs(fit: MMMFit, split: string | undefined): Array<{ before: [number, number]; after: [number, number] }> {
  const dates = fit.data.dates;
  const T = dates.length;
  if (split !== undefined) {
    const k = dates.indexOf(split);
    if (k <= 0)
      throw new InvalidInputError(
        'options.split',
        `is ${JSON.stringify(split)}`,
        `Give one of the fit's dates after the first (${dates[1]} … ${dates[T - 1]}).`,
      );
    return [{ before: [0, k], after: [k, T] }];
  }
  const Q = quarterPeriods(fit);
  if (T < 2 * Q)
    throw new InvalidInputError(
      'options.split',
      `is missing and the fit has ${T} periods`,
      `Give a split date: two quarters need ${2 * Q} periods.`,
    );
  const pairs: Array<{ before: [number, number]; after: [number, number] }> = [];
  for (let q = 0; (q + 2) * Q <= T; q++) pairs.push({ before: [q * Q, (q + 1) * Q], after: [(q + 1) * Q, (q + 2) * Q] });
  return pairs;
}
