import { createRng } from '@mmm/bayes-nuts';
import { adstockFamilies, adstockInto, saturationFamilies } from '@mmm/transforms';
import type { MMMProblem } from '../src/index.js';

const geometric = adstockFamilies.geometric;
const hill = saturationFamilies.hill;
export const truth = [
  { alpha: 0.6, K: 0.4, S: 1.5, beta: 0.25 },
  { alpha: 0.2, K: 0.6, S: 2, beta: 0.15 },
  { alpha: 0.4, K: 0.3, S: 1, beta: 0.1 },
];

/** The feature s(adstock(x)) of a channel, computed from @mmm/transforms directly. */
export function feature(x: Float64Array, alpha: number, K: number, S: number): Float64Array {
  const w = geometric.weightsInto(new Float64Array(8), [alpha], true);
  return hill.valueInto(new Float64Array(x.length), adstockInto(new Float64Array(x.length), x, w), [K, S]);
}

/** A simulated classical MMM with known curves: intercept 1, trend, one Fourier pair, three channels, noise sd `noise`. */
export function simulated(seed: number, T = 156, noise = 0.02): MMMProblem {
  const rng = createRng(seed, 0);
  const inputs = truth.map((_, c) =>
    Float64Array.from(
      { length: T },
      (_, t) => (0.5 + 0.5 * Math.sin(t / (5 + 2 * c))) * (rng.uniform() < 0.8 ? 1 : 0) + 0.2 * rng.uniform(),
    ),
  );
  const scaled = inputs.map((x) => x.map((v) => v / Math.max(...x)));
  const trend = Float64Array.from({ length: T }, (_, t) => t / 52);
  const sin = Float64Array.from({ length: T }, (_, t) => Math.sin((2 * Math.PI * t) / 52));
  const cos = Float64Array.from({ length: T }, (_, t) => Math.cos((2 * Math.PI * t) / 52));
  const y = Float64Array.from({ length: T }, (_, t) => 1 + 0.05 * trend[t] + 0.1 * sin[t] - 0.05 * cos[t] + noise * rng.normal());
  truth.forEach((tr, c) => feature(scaled[c], tr.alpha, tr.K, tr.S).forEach((f, t) => (y[t] += tr.beta * f)));
  return {
    y,
    base: [
      { name: 'trend', values: trend },
      { name: 'sin', values: sin },
      { name: 'cos', values: cos },
    ],
    media: truth.map((_, c) => ({
      name: `ch${c}`,
      input: scaled[c],
      spend: inputs[c].reduce((a, b) => a + b, 0),
      adstock: geometric,
      maxLag: 8,
      normalize: true,
      saturation: hill,
      ranges: [
        [0, 0.9],
        [0.1, 1],
        [0.5, 3],
      ] as Array<[number, number]>,
    })),
  };
}
