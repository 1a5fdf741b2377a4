// Reach-and-frequency channels in the steady-state questions (budgets, response curves, plans): at a fixed frequency f
// the channel's response is linear in its spend. Spend x per period buys x/c impressions (c the data's cost per
// impression), which reach x/(c·f) people, and the contribution is β·adstock(reach·H(f)) with normalised adstock weights,
// β·(x/c)·H(f)/f at steady state. The curves' callers put a channel's input per unit of spend at (Σ reach / Σ spend)/scale,
// so the channel is a linear "saturation" θ·u of that input with θ = H(f)/f·f̄ (f̄ = Σ reach·frequency / Σ reach, the
// data's average frequency): θ·(x·Σ reach/Σ spend) = x·H(f)/(f·c). The frequency is each draw's optimal frequency within
// the data's range [1, largest frequency] (as Meridian's optimiser, which searches frequencies from 1 to the largest
// seen), or the data's average frequency ('historical').
import { InvalidInputError } from '@mmm/core';
import type { ChannelSpec } from '@mmm/model';
import { hill, type SaturationFamily } from '@mmm/transforms';
import type { ModelFit } from './types.js';

/** At which frequency a reach-and-frequency channel's spend is delivered in budgets, curves and plans. */
export type FrequencyChoice = 'optimal' | 'historical';

/** s(u) = θ·u: a reach-and-frequency channel at a fixed frequency (θ per draw). @internal */
export const linearResponse: SaturationFamily = {
  name: 'linear',
  paramNames: ['gain'],
  check() {},
  value: (x, p) => p[0] * x,
  derivative: (_x, p) => p[0],
  valueInto(out, x, p) {
    for (let t = 0; t < x.length; t++) out[t] = p[0] * x[t];
    return out;
  },
  valueCacheInto(out, _cache, x, p) {
    for (let t = 0; t < x.length; t++) out[t] = p[0] * x[t];
    return out;
  },
  vjp(x, p, g, gradParams, gradX) {
    let a = 0;
    for (let t = 0; t < x.length; t++) {
      a += g[t] * x[t];
      if (gradX) gradX[t] = g[t] * p[0];
    }
    gradParams[0] = a;
    return gradParams;
  },
  vjpCached(x, p, _values, _cache, g, gradParams, gradX) {
    return linearResponse.vjp(x, p, g, gradParams, gradX);
  },
};

/** A channel's frequencies in the data: impression-weighted average and largest, over all geos. @internal */
export function frequencyStats(fit: ModelFit, channel: string): { average: number; max: number } {
  const reach = fit.panel ? fit.panel.input[channel].flat() : fit.data.input[channel];
  const f = fit.panel ? fit.panel.frequency?.[channel]?.flat() : fit.data.frequency?.[channel];
  if (!f)
    throw new InvalidInputError(
      `fit.data.frequency.${channel}`,
      'is missing for a reach-and-frequency channel',
      'Use a fit made by this version of fitMMM (the fit JSON keeps the frequencies).',
    );
  const { impressions, reached, max } = frequencySums(reach, f);
  return { average: impressions / reached, max };
}

/** Σ reach·frequency (impressions), Σ reach, and the largest frequency where someone was reached. @internal */
export function frequencySums(reach: ArrayLike<number>, f: ArrayLike<number>): { impressions: number; reached: number; max: number } {
  let impressions = 0;
  let reached = 0;
  let max = 0;
  for (let i = 0; i < reach.length; i++) {
    impressions += reach[i] * f[i];
    reached += reach[i];
    if (reach[i] > 0) max = Math.max(max, f[i]);
  }
  return { impressions, reached, max };
}

/**
 * Per draw, the gain θ = H(f)/f·f̄ of a reach-and-frequency channel's linear response (see the file's comment), at each
 * draw's optimal frequency within [1, largest frequency] or at the average one. @internal
 */
export function reachFrequencyGain(
  fit: ModelFit,
  channel: ChannelSpec,
  K: readonly number[],
  S: readonly number[],
  choice: FrequencyChoice = 'optimal',
): number[] {
  if (choice !== 'optimal' && choice !== 'historical')
    throw new InvalidInputError('options.frequency', `is ${JSON.stringify(choice)}`, "Use 'optimal' (the default) or 'historical'.");
  const { average, max } = frequencyStats(fit, channel.name);
  return K.map((k, s) => {
    const f = choice === 'historical' ? average : Math.min(Math.max(optimalFrequency(k, S[s]), 1), Math.max(max, 1));
    return (hill(f, k, S[s]) / f) * average;
  });
}

/**
 * The frequency that maximises the response per impression, the maximiser of Hill(f)/f: K·(S − 1)^(1/S) for a slope
 * S > 1, and 0 for S ≤ 1 (the response per impression then only falls with frequency). @internal
 */
export function optimalFrequency(halfSaturation: number, slope: number): number {
  return slope > 1 ? halfSaturation * (slope - 1) ** (1 / slope) : 0;
}
