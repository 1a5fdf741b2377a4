import { InvalidInputError, assertFinite } from '@mmm/core';
import { createRng } from '@mmm/bayes-nuts';
import { prepareModelData } from './data.js';
import { buildModel } from './model.js';
import { noiseOf } from './likelihood.js';
import type { ModelSpec } from './spec.js';

/** What {@link simulate} returns, in the target's units. */
export interface Simulation {
  /** simulated target: μ plus the spec's noise (Normal, or Student-t) */
  y: Float64Array;
  /** the noise-free mean */
  mu: Float64Array;
  /** each channel's contribution */
  contributions: Record<string, Float64Array>;
  /** each other term's contribution by name: the interactions (`tv:season`, `tv:search`) and terms of your own */
  terms: Record<string, Float64Array>;
}

/**
 * Simulates data from the model with known parameters (constrained values by block name, as `MMM.names` lists them:
 * `tv.adstock.alpha`, `tv.saturation.halfSaturation`, `tv.beta`, `intercept`, `trend`, `fourier`, `control`, `sigma`),
 * for recovery tests, demos and benchmarks. Media and controls are scaled as in a fit; `yScale` is the target's unit
 * (its mean in a fit). The noise draws come from the seeded stream `seed`.
 *
 * With `data.geo` it simulates a geo panel from the geo model (series flattened geo-major; parameters `baseline.mean`,
 * `baseline.sd`, `baseline` of size G, `tv.eta`, `tv.z` of size G, …): each geo-period's unit is its population times
 * `yScale` (the mean per-capita target in a fit).
 */
export function simulate(
  spec: ModelSpec,
  data: {
    spend: Readonly<Record<string, ArrayLike<number>>>;
    controls?: Readonly<Record<string, ArrayLike<number>>>;
    /** reach-and-frequency channels' frequencies (their `spend` is the reach) */
    frequency?: Readonly<Record<string, ArrayLike<number>>>;
    /** organic media's exposures and treatments' series (`spec.organic`, `spec.treatments`) */
    organic?: Readonly<Record<string, ArrayLike<number>>>;
    treatments?: Readonly<Record<string, ArrayLike<number>>>;
    geo?: { count: number; periods: number; population: ArrayLike<number> };
  },
  params: Readonly<Record<string, ArrayLike<number>>>,
  options: { seed: number; yScale?: number },
): Simulation {
  const first = spec.channels[0];
  if (!first) throw new InvalidInputError('spec.channels', 'is empty', 'Declare at least one media channel.');
  const n = data.spend[first.name]?.length ?? 0;
  if (n === 0) throw new InvalidInputError(`data.spend.${first.name}`, 'is missing or empty', 'Give spend for every channel of the spec.');
  const yScale = options.yScale ?? 1;
  assertFinite('yScale', yScale);
  const prepared = prepareModelData(spec, {
    y: new Float64Array(n).fill(1),
    spend: data.spend,
    controls: data.controls,
    ...(data.frequency ? { frequency: data.frequency } : {}),
    ...(data.organic ? { organic: data.organic } : {}),
    ...(data.treatments ? { treatments: data.treatments } : {}),
    ...(data.geo ? { geo: data.geo } : {}),
  });
  const T = data.geo?.periods ?? n;
  const unit = (i: number) => (data.geo ? data.geo.population[Math.floor(i / T)] * yScale : yScale);
  const model = buildModel(spec, prepared.data);
  for (const b of model.density.blocks) {
    const v = params[b.name];
    if (!v || v.length !== b.size)
      throw new InvalidInputError(
        `params.${b.name}`,
        v ? `has ${v.length} values` : 'is missing',
        `Give ${b.size} value(s); the blocks are ${model.density.blocks.map((x) => x.name).join(', ')}.`,
      );
    for (let i = 0; i < v.length; i++) assertFinite(`params.${b.name}[${i}]`, v[i]);
  }
  const d = model.evaluate(params);
  const sigmaOf = (i: number) => params.sigma[params.sigma.length > 1 ? Math.floor(i / (data.geo?.periods ?? n)) : 0];
  const rng = createRng(options.seed, 0);
  const noise = noiseOf(spec);
  const y = new Float64Array(n);
  const mu = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    mu[t] = d.mu[t] * unit(t);
    y[t] = (d.mu[t] + noise.draw(sigmaOf(t), rng)) * unit(t);
  }
  const contributions: Record<string, Float64Array> = {};
  spec.channels.forEach((ch, c) => (contributions[ch.name] = d.contributions[c].map((v, i) => v * unit(i))));
  const terms = Object.fromEntries(Object.entries(d.terms).map(([name, x]) => [name, x.map((v, i) => v * unit(i))]));
  return { y, mu, contributions, terms };
}
