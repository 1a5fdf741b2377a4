// Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari & Gelman 2018) of the default MMM: draw every
// parameter from its prior, simulate the target from the model, sample the posterior with NUTS on the same fixed
// scales (the model's scaling would otherwise depend on the simulated data), and rank each true value among thinned
// posterior draws. If the sampler and the log density are right, every rank is uniform on 0 … L. Shared by the test
// (test/sbc.test.ts, small) and the benchmark (bench/sbc.ts, 200+ replicates).
import { createRng, sample, samplePrior } from '@mmm/bayes-nuts';
import gammainc from '@stdlib/math-base-special-gammainc';
import { applyScaling, buildModel, prepareModelData, priorFor, type ModelSpec } from '../src/index.js';

export interface SbcOptions {
  replicates: number;
  /** periods of the fixed design */
  T: number;
  seed: number;
  chains: number;
  warmup: number;
  draws: number;
  /** posterior draws kept per replicate (evenly thinned), so ranks run 0 … L */
  L: number;
  saturation?: 'hill' | 'logistic';
  /** a negative control: simulate with the noise sd times this (the fitted model then is wrong); @defaultValue 1 */
  sigmaFactor?: number;
  /** sample with the sampler's local step size (fitMMM's default); @defaultValue false */
  localStepSize?: boolean;
}

export interface SbcResult {
  names: string[];
  /** per parameter (and per channel's ROAS, `roas.<channel>`), one rank per replicate */
  ranks: Record<string, number[]>;
  L: number;
  divergences: number;
  seconds: number;
}

/** The design: two channels (always-on and flighted), linear trend, one Fourier pair, no controls. */
export function sbcSpec(saturation: 'hill' | 'logistic' = 'hill'): ModelSpec {
  return {
    channels: [
      { name: 'tv', saturation: { type: saturation } },
      { name: 'search', saturation: { type: saturation } },
    ],
    seasonality: { order: 1, period: 52 },
    trend: 'linear',
  };
}

// long: one replicate end to end (prior draw, simulation, sampling, ranks) reads best in one place
export function runSbc(o: SbcOptions): SbcResult {
  const t0 = performance.now();
  const spec = sbcSpec(o.saturation);
  const design = createRng(o.seed, 0);
  const spend = {
    tv: Float64Array.from({ length: o.T }, (_, t) => 100 * (1 + 0.5 * Math.sin(t / 5)) * (0.8 + 0.4 * design.uniform())),
    search: Float64Array.from({ length: o.T }, (_, t) => (Math.floor(t / 6) % 2 === 0 ? 50 * (1 + design.uniform()) : 0)),
  };
  const { scaling } = prepareModelData(spec, { y: new Float64Array(o.T).fill(1), spend });
  const base = applyScaling(spec, { spend }, scaling, 0);
  const prior = buildModel(spec, base);
  const names = prior.names.slice();
  const priors = names.map((nm) => priorFor(spec, nm)!);
  const blocks = prior.density.blocks;
  const C = spec.channels.length;
  const ranks: Record<string, number[]> = Object.fromEntries(
    [...names, ...spec.channels.map((c) => `roas.${c.name}`)].map((nm) => [nm, [] as number[]]),
  );
  const spendTotal = spec.channels.map((_, c) => base.spend[c].reduce((a, b) => a + b, 0));
  const roasOf = (contributions: Float64Array[]) => contributions.map((x, c) => x.reduce((a, b) => a + b, 0) / spendTotal[c]);
  let divergences = 0;
  for (let r = 0; r < o.replicates; r++) {
    const rng = createRng(o.seed, 1 + r);
    const flat = priors.map((p) => samplePrior(p, rng));
    const values: Record<string, Float64Array> = {};
    for (const b of blocks) values[b.name] = Float64Array.from(flat.slice(b.offset, b.offset + b.size));
    const truth = prior.evaluate(values);
    const sigma = values.sigma[0] * (o.sigmaFactor ?? 1);
    const y = Float64Array.from(truth.mu, (m) => m + sigma * rng.normal());
    const model = buildModel(spec, { ...base, y });
    const result = sample(model.density, {
      seed: o.seed * 1000 + r,
      chains: o.chains,
      warmup: o.warmup,
      draws: o.draws,
      localStepSize: o.localStepSize ?? false,
    });
    const dim = model.density.dim;
    const total = o.chains * o.draws;
    const step = total / o.L;
    const kept: Array<Record<string, Float64Array>> = [];
    for (let k = 0; k < o.L; k++) {
      const i = Math.floor(k * step);
      const chain = result.chains[Math.floor(i / o.draws)];
      const j = i % o.draws;
      kept.push(model.density.constrain(chain.draws.subarray(j * dim, (j + 1) * dim)));
    }
    for (const c of result.chains) for (const d of c.stats.divergent) divergences += d ? 1 : 0;
    names.forEach((nm, k) => {
      const m = /^(.*)\[(\d+)\]$/.exec(nm);
      const get = (v: Record<string, Float64Array>) => (m ? v[m[1]][Number(m[2]) - 1] : v[nm][0]);
      ranks[nm].push(kept.filter((v) => get(v) < flat[k]).length);
    });
    const trueRoas = roasOf(truth.contributions);
    const drawRoas = kept.map((v) => roasOf(model.evaluate(v).contributions));
    for (let c = 0; c < C; c++) ranks[`roas.${spec.channels[c].name}`].push(drawRoas.filter((d) => d[c] < trueRoas[c]).length);
  }
  return { names: Object.keys(ranks), ranks, L: o.L, divergences, seconds: (performance.now() - t0) / 1000 };
}

/** Pearson's chi-square test of uniform ranks in `bins` equal bins: the statistic and its p-value (bins − 1 df). */
export function uniformity(ranks: readonly number[], L: number, bins: number): { counts: number[]; chi2: number; p: number } {
  const counts = new Array<number>(bins).fill(0);
  for (const r of ranks) counts[Math.min(bins - 1, Math.floor((r * bins) / (L + 1)))]++;
  const expected = ranks.length / bins;
  const chi2 = counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
  return { counts, chi2, p: gammainc(chi2 / 2, (bins - 1) / 2, true, true) };
}
