// End to end on the bundled data (known truth): a CI-sized run (4 chains × (500 + 500) on 2 worker threads).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { adstockCurves, fitMMM, optimizeBudget, responseCurves, saturationCurves, type BayesianFit } from '../src/index.js';
import { geometricAdstockWeights, hill } from '@mmm/transforms';
import { prepareFit } from '../src/prepare.js';

const rows = parse(readFileSync(new URL('./fixtures/weekly_national.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
  Record<string, string>
>;
const truth = JSON.parse(readFileSync(new URL('./fixtures/weekly_national.truth.json', import.meta.url), 'utf8')) as {
  channels: string[];
  derived: Record<string, number>;
};
const channels = ['tv', 'search', 'social', 'display', 'radio'];

describe('fitMMM on data with known truth', () => {
  let fit: BayesianFit;
  it('fits, and the true ROAS of every channel lies inside its 90% interval', { timeout: 300_000 }, async () => {
    const progress = new Set<number>();
    fit = await fitMMM(rows, {
      date: 'date',
      target: 'sales',
      channels,
      controls: ['price_index', 'competitor_index'],
      seed: 3,
      warmup: 500,
      draws: 500,
      workers: 2,
      onProgress: (p) => progress.add(p.chain),
    });
    expect(progress).toEqual(new Set([0, 1, 2, 3]));
    for (const c of channels) {
      const roas = fit.channels[c].roas;
      const t = truth.derived[`roas[${truth.channels.indexOf(c) + 1}]`];
      expect(t, `${c}: true ROAS ${t}, 90% interval [${roas.lower}, ${roas.upper}]`).toBeGreaterThanOrEqual(roas.lower);
      expect(t).toBeLessThanOrEqual(roas.upper);
      expect(roas.lower).toBeLessThanOrEqual(roas.median);
      expect(roas.median).toBeLessThanOrEqual(roas.upper);
    }
  });

  it('reports diagnostics, shares, decomposition and fit, as plain JSON', () => {
    const back = JSON.parse(JSON.stringify(fit)) as BayesianFit;
    expect(back).toEqual(fit);
    expect(fit.diagnostics.summary).toHaveLength(29);
    expect(fit.diagnostics.rhatMax).toBeLessThan(1.05);
    // the recovery check: the gate passes on this CI-sized run (R-hat < 1.01, ESS > 400, no divergences)
    expect(fit.diagnostics.failures).toEqual([]);
    expect(fit.diagnostics.divergences).toBe(0);
    expect(fit.diagnostics.passed).toBe(true);
    expect(fit.draws['tv.adstock.alpha']).toHaveLength(4);
    expect(fit.draws['tv.adstock.alpha'][0]).toHaveLength(500);
    const shares = channels.reduce((a, c) => a + fit.channels[c].effectShare, 0);
    expect(shares).toBeCloseTo(1, 12);
    // decomposition adds up: fitted = trend + seasonality + controls + channels (posterior means are linear)
    for (const t of [0, 77, 155]) {
      const parts =
        fit.contributions.trend.mean[t] +
        fit.contributions.seasonality.mean[t] +
        fit.contributions.controls.mean[t] +
        channels.reduce((a, c) => a + fit.contributions.channels[c].mean[t], 0);
      expect(parts).toBeCloseTo(fit.contributions.fitted.mean[t], 6);
    }
    expect(fit.fit.r2).toBeGreaterThan(0.8);
    expect(fit.timing.gradientEvaluations).toBeGreaterThan(0);
  });

  it('suggests a budget within ±30% of current spend that does not lower the expected response', () => {
    const plan = optimizeBudget(fit, { relativeBounds: 0.3 });
    const total = Object.values(plan.allocation).reduce((a, b) => a + b, 0);
    const current = channels.reduce((a, c) => a + fit.channels[c].spend / 156, 0);
    expect(total).toBeCloseTo(current, 6);
    expect(plan.uplift!.absolute).toBeGreaterThanOrEqual(0);
    expect(plan.kkt.satisfied).toBe(true);
  });
});

describe('curves from a fit', () => {
  // a small fit is enough to check the curves' arithmetic against the draws they summarise
  it('response, saturation and adstock curves summarise the draws', { timeout: 120_000 }, async () => {
    const small = await fitMMM(rows, {
      date: 'date',
      target: 'sales',
      channels,
      controls: ['price_index', 'competitor_index'],
      seed: 5,
      chains: 2,
      warmup: 150,
      draws: 100,
      parallel: false,
    });
    const rc = responseCurves(small, { points: 11, maxDraws: 1000 });
    const tv = rc.tv;
    expect(tv.x).toHaveLength(11);
    expect(tv.y.mean[0]).toBe(0);
    for (let i = 1; i < 11; i++) expect(tv.y.mean[i]).toBeGreaterThan(tv.y.mean[i - 1]);
    // the mean at a point equals the average over draws of β·hill(x/scale)·ȳ
    const beta = small.draws['tv.beta'].flat();
    const K = small.draws['tv.saturation.halfSaturation'].flat();
    const S = small.draws['tv.saturation.slope'].flat();
    const x = tv.x[5] / small.scaling.spendScale[0];
    const expected = (beta.reduce((a, b, s) => a + b * hill(x, K[s], S[s]), 0) / beta.length) * small.scaling.yScale;
    expect(tv.y.mean[5]).toBeCloseTo(expected, 6);
    expect(tv.y.lower[5]).toBeLessThanOrEqual(tv.y.mean[5]);
    const sc = saturationCurves(small, { points: 5 });
    expect(sc.radio.y.upper[4]).toBeLessThanOrEqual(1);
    const ad = adstockCurves(small);
    const alpha = small.draws['tv.adstock.alpha'].flat();
    const w0 = alpha.reduce((a, al) => a + geometricAdstockWeights(al, 8, true)[0], 0) / alpha.length;
    expect(ad.tv.y.mean[0]).toBeCloseTo(w0, 12);
    expect(ad.tv.y.mean.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(() => responseCurves(small, { points: 1 })).toThrow(/points/);
  });
});

describe('remedies when the gate fails', () => {
  const base = {
    date: 'date',
    target: 'sales',
    channels: ['tv', 'search', 'social', 'display', 'radio'],
    controls: ['price_index', 'competitor_index'],
    chains: 2,
    warmup: 100,
    draws: 100,
    parallel: false,
    seed: 4,
  };
  it('continues the chains after an ESS failure, doubling the draws, up to maxAttempts, and records every attempt', {
    timeout: 120_000,
  }, async () => {
    // a gate no run this short can pass: ESS above 100,000
    const fit = await fitMMM(rows, { ...base, gate: { essBulkMin: 1e5 }, remedy: { maxAttempts: 2 } });
    const a = fit.diagnostics.attempts!;
    expect(a.map((x) => [x.warmup, x.draws, x.seed])).toEqual([
      [100, 100, 4],
      [100, 200, 5],
      [100, 400, 6],
    ]);
    expect(a[0].reason).toBe('as asked');
    expect(a[1].reason).toMatch(/failed R-hat or ESS: the chains continued for 100 more draws/);
    expect(a[2].reason).toMatch(/continued for 200 more draws/);
    expect(a.every((x) => !x.passed)).toBe(true);
    // the fit returned is the last attempt's
    expect(fit.settings.draws).toBe(400);
    expect(fit.draws.intercept[0]).toHaveLength(400);
    expect(fit.diagnostics.messages.at(-1)).toMatch(/still failed after 2 remedies/);
  });
  it('a continuation keeps the first attempt’s draws and appends new ones from where each chain stopped', {
    timeout: 120_000,
  }, async () => {
    const once = await fitMMM(rows, { ...base, gate: { essBulkMin: 1e5 }, remedy: false });
    const fit = await fitMMM(rows, { ...base, gate: { essBulkMin: 1e5 }, remedy: { maxAttempts: 1 } });
    expect(fit.diagnostics.drawsPerChain).toBe(200);
    for (const name of ['intercept', 'tv.adstock.alpha', 'sigma']) {
      for (let c = 0; c < 2; c++) {
        expect(fit.draws[name][c].slice(0, 100)).toEqual(once.draws[name][c]);
        // new draws, not a copy
        expect(fit.draws[name][c].slice(100)).not.toEqual(once.draws[name][c]);
      }
    }
    expect(fit.timing.gradientEvaluations).toBeGreaterThan(once.timing.gradientEvaluations);
  });
  it('is off when the caller chose the run lengths, and with remedy: false', { timeout: 120_000 }, async () => {
    const fit = await fitMMM(rows, { ...base, gate: { essBulkMin: 1e5 } });
    expect(fit.diagnostics.attempts).toHaveLength(1);
    const off = await fitMMM(rows, { ...base, warmup: undefined, draws: undefined, chains: 1, gate: { essBulkMin: 1e5 }, remedy: false });
    expect(off.diagnostics.attempts).toHaveLength(1);
  });
});

describe('default sampler settings', () => {
  it('target acceptance 0.8 (Stan’s) on national data and on a geo panel, and the caller’s value when given', () => {
    const national = { date: 'date', target: 'sales', channels: ['tv', 'search'] };
    expect(prepareFit(rows, national).settings.targetAccept).toBe(0.8);
    expect(prepareFit(rows, { ...national, targetAccept: 0.95 }).settings.targetAccept).toBe(0.95);
    const geoRows = parse(readFileSync(new URL('./fixtures/geo_weekly.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
      Record<string, string>
    >;
    const geo = { date: 'week', geo: 'geo', population: 'population', target: 'sales', channels: ['tv', 'search', 'social'] };
    expect(prepareFit(geoRows, geo).settings.targetAccept).toBe(0.8);
    expect(prepareFit(geoRows, { ...geo, targetAccept: 0.9 }).settings.targetAccept).toBe(0.9);
  });

  it('the local step size reaches the sampler: refined steps reported, none with localStepSize false', async () => {
    const base = { date: 'date', target: 'sales', channels: ['tv', 'search'], seed: 2, chains: 1, warmup: 150, draws: 60, parallel: false };
    // a tolerance far below the steps' energy variation refines most steps
    const tight = await fitMMM(rows, { ...base, localStepSize: { energyTolerance: 0.01, maxHalvings: 3 } });
    expect(tight.diagnostics.refinedSteps).toBeGreaterThan(0);
    const plain = await fitMMM(rows, { ...base, localStepSize: false });
    expect(plain.diagnostics.refinedSteps).toBe(0);
    // refined steps cost more gradients
    expect(tight.timing.gradientEvaluations).toBeGreaterThan(plain.timing.gradientEvaluations);
  });
});
