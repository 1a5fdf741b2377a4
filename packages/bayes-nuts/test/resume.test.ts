import { describe, expect, it } from 'vitest';
import { essBulk } from '@mmm/diagnostics';
import { InvalidInputError, InvalidParameterError } from '@mmm/core';
import { continueFrom, joinRuns, sample } from '../src/index.js';
import { sampleParallel } from '../src/parallel/index.js';
import { eightSchools, gaussian } from './targets.js';

const means = Float64Array.of(0, 1, -2, 5);
const sds = Float64Array.of(1, 0.1, 3, 10);
const target = gaussian(means, sds);
const dim = 4;

describe('continuing chains (resume)', () => {
  it('runs no warmup: the adapted step size and metric are kept and the only extra gradient is the start', () => {
    const first = sample(target, { seed: 3, chains: 2, warmup: 300, draws: 200 });
    const resume = continueFrom(first);
    for (let c = 0; c < 2; c++) {
      expect(Array.from(resume[c].position)).toEqual(Array.from(first.chains[c].draws.slice(199 * dim, 200 * dim)));
    }
    const next = sample(target, { seed: 4, chains: 2, draws: 300, resume });
    expect(next.warmup).toBe(0);
    for (let c = 0; c < 2; c++) {
      const ch = next.chains[c];
      expect(ch.stepSize).toBe(first.chains[c].stepSize);
      expect(Array.from(ch.inverseMetric)).toEqual(Array.from(first.chains[c].inverseMetric));
      expect(ch.leapfrogWarmup).toBe(0);
      // one evaluation at the start, then one per leapfrog step: no warmup and no step-size search
      expect(ch.gradientEvaluations).toBe(1 + ch.stats.nLeapfrog.reduce((a, b) => a + b, 0));
    }
  });

  it('joined runs keep the posterior: means within 4 MCSE over 3 seeds, and the join is each chain’s draws in order', () => {
    for (const seed of [1, 2, 3]) {
      const first = sample(target, { seed, chains: 4, warmup: 300, draws: 400 });
      const next = sample(target, { seed: seed + 100, chains: 4, draws: 1200, resume: continueFrom(first) });
      const run = joinRuns(first, next);
      expect(run.draws).toBe(1600);
      expect(run.warmup).toBe(300);
      for (let c = 0; c < 4; c++) {
        const ch = run.chains[c];
        expect(ch.draws.length).toBe(1600 * dim);
        expect(ch.draws.subarray(0, 400 * dim)).toEqual(first.chains[c].draws);
        expect(ch.draws.subarray(400 * dim)).toEqual(next.chains[c].draws);
        expect(ch.stats.energy.subarray(400)).toEqual(next.chains[c].stats.energy);
        expect(ch.gradientEvaluations).toBe(first.chains[c].gradientEvaluations + next.chains[c].gradientEvaluations);
      }
      for (let j = 0; j < dim; j++) {
        const cols = run.chains.map((ch) => Float64Array.from({ length: 1600 }, (_, i) => ch.draws[i * dim + j]));
        const mean = cols.reduce((a, x) => a + x.reduce((s, v) => s + v, 0), 0) / 6400;
        const mcse = sds[j] / Math.sqrt(essBulk(cols));
        expect(Math.abs(mean - means[j])).toBeLessThan(4 * mcse);
      }
    }
  });

  it('is reproducible and equal on worker threads', async () => {
    const settings = { seed: 42, chains: 3, warmup: 200, draws: 150 };
    const first = sample(eightSchools(false), settings);
    const resume = continueFrom(first);
    const a = sample(eightSchools(false), { seed: 43, chains: 3, draws: 100, resume });
    const b = sample(eightSchools(false), { seed: 43, chains: 3, draws: 100, resume });
    const par = await sampleParallel(
      { module: new URL('./factory.ts', import.meta.url).href, export: 'eightSchoolsTarget', data: { centred: false } },
      { seed: 43, chains: 3, draws: 100, resume, workers: 2 },
    );
    for (let c = 0; c < 3; c++) {
      expect(b.chains[c].draws).toEqual(a.chains[c].draws);
      expect(par.chains[c].draws).toEqual(a.chains[c].draws);
    }
  });

  it('refuses a warmup, a wrong number of chains, and points or metrics of the wrong size, naming the field', () => {
    const first = sample(target, { seed: 1, chains: 2, warmup: 100, draws: 50 });
    const resume = continueFrom(first);
    expect(() => sample(target, { seed: 2, chains: 2, warmup: 100, resume })).toThrow(/warmup: is 100 with resume/);
    expect(() => sample(target, { seed: 2, chains: 3, resume })).toThrow(InvalidInputError);
    expect(() => sample(target, { seed: 2, chains: 3, resume })).toThrow(/resume: has 2 entries/);
    expect(() => sample(target, { seed: 2, chains: 2, resume: [resume[0], { ...resume[1], position: [0, 0] }] })).toThrow(
      /resume\[1\]\.position/,
    );
    expect(() => sample(target, { seed: 2, chains: 2, resume: [resume[0], { ...resume[1], stepSize: 0 }] })).toThrow(InvalidParameterError);
    expect(() => sample(target, { seed: 2, chains: 2, metric: 'dense', resume })).toThrow(/resume\[0\]\.inverseMetric/);
    expect(() => joinRuns(first, sample(target, { seed: 2, chains: 1, draws: 10 }))).toThrow(/next: has 1 chains/);
  });
});
