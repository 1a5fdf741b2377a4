import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { fitMMM, type FitProgress } from '../src/index.js';
import { progressTracker } from '../src/bayesian.js';

describe('fit progress', () => {
  it('sums iterations over chains (unheard chains count as not started), tracks the phase and divergences, estimates the rest', () => {
    let now = 0;
    const seen: FitProgress[] = [];
    const update = progressTracker(
      4,
      1,
      (p) => seen.push(p),
      () => now,
    );
    now = 1000;
    update({ chain: 0, iteration: 500, total: 2000, warmup: true, divergences: 0 });
    // 500 of 4 × 2000 iterations, 1/16, in 1 s: 15 s left
    expect(seen[0]).toMatchObject({ chain: 0, attempt: 1, phase: 'warmup', fraction: 1 / 16, divergencesTotal: 0 });
    expect(seen[0].etaSeconds).toBeCloseTo(15, 12);
    now = 2000;
    for (let c = 0; c < 4; c++) update({ chain: c, iteration: 1500, total: 2000, warmup: false, divergences: c });
    expect(seen.at(-1)).toMatchObject({ phase: 'sampling', fraction: 0.75, divergencesTotal: 6, elapsedSeconds: 2 });
    expect(seen.at(-1)!.etaSeconds).toBeCloseTo((2 * 0.25) / 0.75, 12);
    const early = progressTracker(
      2,
      3,
      (p) => seen.push(p),
      () => now,
    );
    early({ chain: 1, iteration: 10, total: 2000, warmup: true, divergences: 0 });
    expect(seen.at(-1)).toMatchObject({ attempt: 3, fraction: 10 / 4000, etaSeconds: undefined });
  });

  it('reaches 1 at the end of a fit, with every chain reporting and the fraction never decreasing within an attempt', async () => {
    const rows = parse(readFileSync(new URL('./fixtures/weekly_national.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
      Record<string, string>
    >;
    const seen: FitProgress[] = [];
    await fitMMM(rows.slice(0, 80), {
      date: 'date',
      target: 'sales',
      channels: ['tv', 'radio'],
      chains: 2,
      warmup: 100,
      draws: 100,
      seed: 4,
      parallel: false,
      onProgress: (p) => seen.push(p),
    });
    expect(new Set(seen.map((p) => p.chain))).toEqual(new Set([0, 1]));
    expect(seen.at(-1)!.fraction).toBe(1);
    expect(seen.at(-1)!.phase).toBe('sampling');
    for (let i = 1; i < seen.length; i++) expect(seen[i].fraction).toBeGreaterThanOrEqual(seen[i - 1].fraction);
    expect(seen.every((p) => p.attempt === 1)).toBe(true);
  }, 60_000);

  it('with earlyStop: sampling stops once the ESS is met, progress still ends at 1, the kept draws are reported', async () => {
    const rows = parse(readFileSync(new URL('./fixtures/weekly_national.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
      Record<string, string>
    >;
    const seen: FitProgress[] = [];
    const options = {
      date: 'date',
      target: 'sales',
      channels: ['tv', 'radio'],
      chains: 2,
      warmup: 150,
      draws: 2000,
      seed: 4,
      parallel: false,
    } as const;
    const fit = await fitMMM(rows.slice(0, 80), { ...options, earlyStop: { ess: 200 }, onProgress: (p) => seen.push(p) });
    const n = fit.diagnostics.drawsPerChain!;
    expect(n).toBeLessThan(2000);
    expect(Object.values(fit.draws)[0][0]).toHaveLength(n);
    expect(fit.settings.draws).toBe(2000);
    expect(seen.at(-1)!.fraction).toBe(1);
    // when and why it stopped, and the ESS so far against the target in the progress from the first check on
    expect(fit.diagnostics.earlyStop).toMatchObject({ draws: n, ceiling: 2000, reason: 'targets met' });
    expect(fit.diagnostics.earlyStop!.last!.met).toBe(true);
    const checks = seen.filter((p) => p.earlyStop);
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.every((p) => p.earlyStop!.targetEss === 200 && p.earlyStop!.targetRhat === 1.008)).toBe(true);
    expect(checks.at(-1)!.earlyStop).toMatchObject({ draws: n, met: true });
    // chains on worker threads stop at the same draw with the same draws
    const par = await fitMMM(rows.slice(0, 80), { ...options, parallel: true, earlyStop: { ess: 200 } });
    expect(par.diagnostics.earlyStop).toEqual(fit.diagnostics.earlyStop);
    expect(par.draws['tv.beta']).toEqual(fit.draws['tv.beta']);
    // the kept draws are the first n of the fit without early stopping (the same seed)
    const full = await fitMMM(rows.slice(0, 80), options);
    expect(full.diagnostics.drawsPerChain).toBe(2000);
    for (const name of ['tv.beta', 'radio.adstock.alpha'])
      for (let c = 0; c < 2; c++) expect(fit.draws[name][c]).toEqual(full.draws[name][c].slice(0, n));
    await expect(fitMMM(rows.slice(0, 80), { ...options, earlyStop: { ess: -1 } })).rejects.toThrow(/earlyStop\.ess/);
  }, 120_000);
});
