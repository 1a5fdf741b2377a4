import { describe, expect, it } from 'vitest';
import { isMmmError } from '@mmm/core';
import { sample } from '../src/index.js';
import { sampleParallel } from '../src/parallel/index.js';
import { eightSchools } from './targets.js';

const module = new URL('./factory.ts', import.meta.url).href;
const settings = { seed: 42, chains: 3, warmup: 200, draws: 150 };

describe('chains on worker threads', () => {
  it('give bit-identical draws and statistics to the sequential run', async () => {
    const progress: number[] = [];
    const par = await sampleParallel(
      { module, export: 'eightSchoolsTarget', data: { centred: false } },
      { ...settings, workers: 2, progressEvery: 100, onProgress: (p) => progress.push(p.chain) },
    );
    const seq = sample(eightSchools(false), settings);
    expect(par.chains).toHaveLength(3);
    for (let c = 0; c < 3; c++) {
      expect(par.chains[c].chain).toBe(c);
      expect(par.chains[c].draws).toEqual(seq.chains[c].draws);
      expect(par.chains[c].stats.energy).toEqual(seq.chains[c].stats.energy);
      expect(par.chains[c].stepSize).toBe(seq.chains[c].stepSize);
    }
    expect(par.dim).toBe(10);
    expect(par.draws).toBe(150);
    expect(new Set(progress)).toEqual(new Set([0, 1, 2]));
  });

  it('rebuild typed errors from the worker', async () => {
    const err = await sampleParallel({ module, export: 'brokenTarget' }, { ...settings, chains: 1 }).catch((e: unknown) => e);
    expect(isMmmError(err)).toBe(true);
    expect((err as Error).message).toMatch(/no finite log density/);
  });

  it('stop on an aborted signal', async () => {
    const controller = new AbortController();
    const run = sampleParallel(
      { module, export: 'eightSchoolsTarget', data: { centred: true } },
      { ...settings, warmup: 5000, draws: 5000, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 200);
    await expect(run).rejects.toThrow(/cancelled/);
  });
});
