import { describe, expect, it } from 'vitest';
import { essBulk, essTail } from '@mmm/diagnostics';
import { InvalidParameterError } from '@mmm/core';
import { runChain, sample } from '../src/index.js';
import { enoughDraws } from '../src/chain.js';
import { sampleParallel } from '../src/parallel/index.js';
import { gaussian } from './targets.js';

const target = gaussian(Float64Array.of(0, 1, -2, 5), Float64Array.of(1, 0.1, 3, 10));
const dim = 4;
const column = (draws: Float64Array, n: number, j: number) => Float64Array.from({ length: n }, (_, i) => draws[i * dim + j]);

describe('early stopping once the ESS target is met', () => {
  const base = { seed: 11, chains: 4, warmup: 300, draws: 3000 };
  const earlyStop = { ess: 800, every: 100, minDraws: 200 };

  it('each chain stops at its first check where its own ESS reaches ess/chains, and its draws are the full run’s first ones', () => {
    const full = sample(target, base);
    for (let c = 0; c < 4; c++) {
      const chain = runChain(target, { ...base, earlyStop }, c);
      const n = chain.stats.divergent.length;
      expect(n).toBeLessThan(3000);
      expect((n - 200) % 100).toBe(0);
      // bit for bit the first n draws of the run without stopping (the check consumes no randomness)
      expect(chain.draws).toEqual(full.chains[c].draws.slice(0, n * dim));
      expect(chain.stats.energy).toEqual(full.chains[c].stats.energy.slice(0, n));
      // the rule, checked independently: every coordinate and the log density reach 200 at n, not all at n − 100
      const ok = (m: number) =>
        [...Array.from({ length: dim }, (_, j) => column(chain.draws, m, j)), chain.stats.logDensity.slice(0, m)].every(
          (x) => essBulk([x]) >= 200 && essTail([x]) >= 200,
        );
      expect(ok(n)).toBe(true);
      if (n > 200) expect(ok(n - 100)).toBe(false);
      expect(enoughDraws(full.chains[c].draws, full.chains[c].stats.logDensity, n, dim, 200)).toBe(true);
    }
  });

  it('a run keeps the shortest chain’s length in every chain, the same with workers, and reaches about the ESS asked', async () => {
    const seq = sample(target, { ...base, earlyStop });
    const lengths = [0, 1, 2, 3].map((c) => runChain(target, { ...base, earlyStop }, c).stats.divergent.length);
    expect(seq.draws).toBe(Math.min(...lengths));
    for (const c of seq.chains) {
      expect(c.draws.length).toBe(seq.draws * dim);
      for (const a of Object.values(c.stats)) expect(a.length).toBe(seq.draws);
    }
    const par = await sampleParallel(
      {
        module: new URL('./factory.ts', import.meta.url).href,
        export: 'gaussianTarget',
        data: { means: [0, 1, -2, 5], sds: [1, 0.1, 3, 10] },
      },
      { ...base, earlyStop, workers: 2 },
    );
    expect(par.draws).toBe(seq.draws);
    for (let c = 0; c < 4; c++) expect(par.chains[c].draws).toEqual(seq.chains[c].draws);
    // multi-chain ESS of the kept draws: each chain had ≥ 200 at its own stop and the cut to the shortest can lose some;
    // over seeds 1–20 of this run the smallest multi-chain tail ESS was 812 and bulk 1,028 (scratch sweep), so 70% of
    // the target leaves room for seed-to-seed noise and still fails if the per-chain share were not ess/chains
    for (let j = 0; j < dim; j++) {
      const chains = seq.chains.map((c) => column(c.draws, seq.draws, j));
      expect(essBulk(chains)).toBeGreaterThan(0.7 * 800);
      expect(essTail(chains)).toBeGreaterThan(0.7 * 800);
    }
  });

  it('bad settings raise typed errors naming the field', () => {
    expect(() => sample(target, { ...base, earlyStop: { ess: 0 } })).toThrow(InvalidParameterError);
    expect(() => sample(target, { ...base, earlyStop: { ess: 400, every: 0 } })).toThrow(/earlyStop\.every/);
    expect(() => sample(target, { ...base, earlyStop: { ess: 400, minDraws: 2 } })).toThrow(/earlyStop\.minDraws/);
  });
});
