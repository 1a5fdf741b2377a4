// Plans on value rather than response: each channel's response times a value per unit of it (e.g. the value of a new
// customer the channel brings, from fitCustomerValue), for optimizeBudget and planSchedule.
import { InvalidInputError } from '@mmm/core';
import type { DrawCurve } from '@mmm/optimize';
import type { ModelFit } from './types.js';

/** `channelValue` checked against a fit's channels: each channel's weight in the spec's order, or undefined. @internal */
export function channelWeights(fit: ModelFit, value: Readonly<Record<string, number>> | undefined): Float64Array | undefined {
  if (value === undefined) return undefined;
  const names = fit.spec.channels.map((c) => c.name);
  if (typeof value !== 'object' || value === null)
    throw new InvalidInputError('channelValue', `is ${JSON.stringify(value)}`, 'Give { channel: value per unit of response, … }.');
  for (const k of Object.keys(value))
    if (!names.includes(k))
      throw new InvalidInputError(`channelValue.${k}`, 'is not a channel of the fit', `The fit's channels are ${names.join(', ')}.`);
  return Float64Array.from(names, (c) => {
    const w = value[c];
    if (w === undefined)
      throw new InvalidInputError(`channelValue.${c}`, 'is missing', 'Give a value for every channel (the plan adds them up).');
    if (!(w >= 0 && Number.isFinite(w)))
      throw new InvalidInputError(`channelValue.${c}`, `is ${w}`, 'Values per unit of response must be finite and ≥ 0.');
    return w;
  });
}

/** Curves with their response and marginal response multiplied by their channel's weight (`index(curve)` its channel). @internal */
export function weightedCurves(curves: DrawCurve[], weights: Float64Array | undefined, index: (c: DrawCurve) => number): DrawCurve[] {
  if (!weights) return curves;
  return curves.map((c) => {
    const w = weights[index(c)];
    return {
      channel: c.channel,
      draws: c.draws,
      responseDraws(x, out) {
        c.responseDraws(x, out);
        for (let s = 0; s < out.length; s++) out[s] *= w;
      },
      marginalDraws(x, out) {
        c.marginalDraws(x, out);
        for (let s = 0; s < out.length; s++) out[s] *= w;
      },
    };
  });
}
