import { describe, expect, it } from 'vitest';
import { essBulk, essTail, mcseMean, mcseSd, rhat } from '@mmm/diagnostics';
import { InvalidParameterError } from '@mmm/core';
import { runChain, sample, type Progress, type SampleResult } from '../src/index.js';
import { sampleParallel } from '../src/parallel/index.js';
import { gaussian } from './targets.js';

const means = [0, 1, -2, 5];
const sds = [1, 0.1, 3, 10];
const target = gaussian(Float64Array.from(means), Float64Array.from(sds));
const dim = 4;
const column = (draws: Float64Array, n: number, j: number) => Float64Array.from({ length: n }, (_, i) => draws[i * dim + j]);
const spec = { module: new URL('./factory.ts', import.meta.url).href, export: 'gaussianTarget', data: { means, sds } };

/** The rule checked independently on a run's first n draws: R-hat ≤ 1.01 and bulk and tail ESS ≥ ess for every coordinate and the log density. */
function ruleHolds(run: SampleResult, n: number, ess: number): boolean {
  const params = [
    ...Array.from({ length: dim }, (_, j) => run.chains.map((c) => column(c.draws, n, j))),
    run.chains.map((c) => c.stats.logDensity.slice(0, n)),
  ];
  return params.every((x) => rhat(x) <= 1.01 && essBulk(x) >= ess && essTail(x) >= ess);
}

describe('early stopping: the run stops once R-hat and ESS over all chains meet their targets', () => {
  const base = { seed: 11, chains: 4, warmup: 300, draws: 3000 };
  const earlyStop = { ess: 800, every: 100, minDraws: 200 };

  it('stops at the first checkpoint where every coordinate and the log density meet them; the draws are the full run’s first ones', () => {
    const full = sample(target, base);
    const run = sample(target, { ...base, earlyStop });
    const n = run.draws;
    expect(n).toBeLessThan(3000);
    expect((n - 200) % 100).toBe(0);
    for (let c = 0; c < 4; c++) {
      // bit for bit the first n draws of the run without stopping (the rule consumes no randomness)
      expect(run.chains[c].draws).toEqual(full.chains[c].draws.slice(0, n * dim));
      expect(run.chains[c].stats.energy).toEqual(full.chains[c].stats.energy.slice(0, n));
    }
    // the rule, checked independently on the full run: met at n, not at any earlier checkpoint
    expect(ruleHolds(full, n, 800)).toBe(true);
    for (let m = 200; m < n; m += 100) expect(ruleHolds(full, m, 800), `${m}`).toBe(false);
    expect(run.earlyStop).toMatchObject({ draws: n, ceiling: 3000, reason: 'targets met', checks: (n - 200) / 100 + 1 });
    expect(run.earlyStop!.last).toMatchObject({ draws: n, met: true, targetEss: 800, targetRhat: 1.01 });
    expect(Math.min(run.earlyStop!.last!.essBulk, run.earlyStop!.last!.essTail)).toBeGreaterThanOrEqual(800);
  });

  it('the same stop and draws with chains on workers, whatever the number of workers (each runs its chains together)', async () => {
    const seq = sample(target, { ...base, earlyStop });
    for (const workers of [2, 3, 4]) {
      const par = await sampleParallel(spec, { ...base, earlyStop, workers });
      expect(par.draws, `${workers} workers`).toBe(seq.draws);
      expect(par.earlyStop).toEqual(seq.earlyStop);
      for (let c = 0; c < 4; c++) expect(par.chains[c].draws).toEqual(seq.chains[c].draws);
    }
  });

  it('reports each check as run-level progress (chain −1) and each chain’s last report at the kept draws', async () => {
    const seen: Progress[] = [];
    const par = await sampleParallel(spec, { ...base, earlyStop, workers: 2, onProgress: (p) => seen.push(p) });
    const checks = seen.filter((p) => p.chain === -1);
    expect(checks.map((p) => p.iteration)).toEqual(Array.from({ length: par.earlyStop!.checks }, (_, k) => 200 + 100 * k));
    expect(checks.at(-1)!.check!.met).toBe(true);
    expect(checks.slice(0, -1).every((p) => !p.check!.met && p.check!.targetEss === 800)).toBe(true);
    for (let c = 0; c < 4; c++)
      expect(seen.filter((p) => p.chain === c).at(-1)).toMatchObject({ iteration: 300 + par.draws, total: 300 + par.draws });
  });

  it('runs to the ceiling when the targets are out of reach, and says so', async () => {
    const small = { ...base, draws: 400 };
    const run = sample(target, { ...small, earlyStop: { ess: 1e6 } });
    expect(run.draws).toBe(400);
    expect(run.earlyStop).toMatchObject({ draws: 400, ceiling: 400, reason: 'ceiling', checks: 2 });
    const par = await sampleParallel(spec, { ...small, earlyStop: { ess: 1e6 }, workers: 2 });
    expect(par.earlyStop).toEqual(run.earlyStop);
    for (let c = 0; c < 4; c++) expect(par.chains[c].draws).toEqual(run.chains[c].draws);
  });

  it('one chain on one worker stops where it stops on this thread, with the same report', async () => {
    const one = { ...base, chains: 1 };
    const seq = sample(target, { ...one, earlyStop: { ess: 300 } });
    const par = await sampleParallel(spec, { ...one, earlyStop: { ess: 300 } });
    expect(seq.draws).toBeLessThan(3000);
    expect(par.earlyStop).toEqual(seq.earlyStop);
    expect(par.chains[0].draws).toEqual(seq.chains[0].draws);
  });

  it('runChain alone judges its one chain against its share of the ESS (ess / chains)', () => {
    const chain = runChain(target, { ...base, earlyStop }, 2);
    const n = chain.stats.divergent.length;
    const one = { dim, draws: n, warmup: 300, seed: 11, chains: [chain] };
    expect(ruleHolds(one, n, 200)).toBe(true);
    if (n > 200) {
      const full = runChain(target, base, 2);
      expect(ruleHolds({ ...one, chains: [full] }, n - 100, 200)).toBe(false);
    }
  });

  it('keeps the moments honest: over 40 seeds the kept draws’ means and sds sit within their MCSE of the truth', () => {
    // stopping picks a length from the chains' own convergence statistics; if that biased the draws, the errors of
    // the mean and sd over seeds would lean to one side or exceed their Monte Carlo standard errors
    const z: number[] = [];
    const zSd: number[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const run = sample(target, { seed, chains: 4, warmup: 200, draws: 2000, earlyStop: { ess: 400 } });
      for (let j = 0; j < dim; j++) {
        const x = run.chains.map((c) => column(c.draws, run.draws, j));
        const all = x.flatMap((c) => Array.from(c));
        const m = all.reduce((a, b) => a + b, 0) / all.length;
        const sd = Math.sqrt(all.reduce((a, b) => a + (b - m) ** 2, 0) / (all.length - 1));
        z.push((m - means[j]) / mcseMean(x));
        zSd.push((sd - sds[j]) / mcseSd(x));
      }
    }
    // 160 standardised errors each: their mean has sd 1/√160 ≈ 0.079, so 4 sds is 0.32; |z| > 1.645 in 10% ± 4 binomial sds
    for (const e of [z, zSd]) {
      expect(Math.abs(e.reduce((a, b) => a + b, 0) / e.length)).toBeLessThan(0.32);
      const outside = e.filter((v) => Math.abs(v) > 1.645).length;
      expect(outside).toBeGreaterThanOrEqual(4);
      expect(outside).toBeLessThanOrEqual(31);
    }
  }, 60_000);

  it('bad settings raise typed errors naming the field', () => {
    expect(() => sample(target, { ...base, earlyStop: { ess: 0 } })).toThrow(InvalidParameterError);
    expect(() => sample(target, { ...base, earlyStop: { ess: 400, every: 0 } })).toThrow(/earlyStop\.every/);
    expect(() => sample(target, { ...base, earlyStop: { ess: 400, minDraws: 2 } })).toThrow(/earlyStop\.minDraws/);
    expect(() => sample(target, { ...base, earlyStop: { ess: 400, rhat: 1 } })).toThrow(/earlyStop\.rhat/);
    expect(() => sample(target, { ...base, earlyStop: { ess: 400, rhatt: 1.01 } as never })).toThrow(/earlyStop\.rhatt/);
  });
});
