// Classical fits (method 'ridge' | 'lasso' | 'elasticnet' | 'linear'): the search and bootstrap of @mmm/regression
// behind fitMMM, reported in the ClassicalFit shape so that every downstream function works on them.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { r2 } from '@mmm/diagnostics';
import {
  fitMMM,
  optimizeBudget,
  posteriorPredictive,
  predict,
  responseCurves,
  type FitMMMOptions,
  type ClassicalFit,
} from '../src/index.js';

const rows = parse(readFileSync(new URL('./fixtures/weekly_national.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
  Record<string, string>
>;
const geoRows = parse(readFileSync(new URL('./fixtures/geo_weekly.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
  Record<string, string>
>;
const options = {
  date: 'date',
  target: 'sales',
  channels: ['tv', 'search', 'social', 'display', 'radio'],
  controls: ['price_index', 'competitor_index'],
  method: 'ridge',
  search: { candidates: 800 },
  bootstrap: { resamples: 100 },
  seed: 3,
} satisfies FitMMMOptions;

describe('classical fits through fitMMM', () => {
  let fit: ClassicalFit;
  beforeAll(async () => {
    fit = await fitMMM(rows, options);
  });

  it('reports the chosen model in the Bayesian model’s own parameters: evaluated through it, it reproduces the regression’s fit', () => {
    expect(fit.method).toBe('ridge');
    expect(fit.search!.candidates).toHaveLength(800);
    expect(fit.search!.front).toContain(fit.search!.chosen);
    // every natural parameter of the model has one value per resample; each resample's curves are those of one of the
    // 20 candidates of least validation error (the bootstrap's pool)
    const pool = [...fit.search!.candidates]
      .sort((a, b) => a.nrmse - b.nrmse)
      .slice(0, 20)
      .map((c) => c.curves.join(','));
    for (let s = 0; s < 100; s++) expect(pool).toContain(fit.search!.parameterNames.map((name) => fit.draws[name][0][s]).join(','));
    expect(fit.draws[fit.search!.parameterNames[0]][0]).toHaveLength(100);
    // the all-data coefficients, put through @mmm/model's mean function by predict, give the regression's R²
    const point: ClassicalFit = {
      ...fit,
      draws: Object.fromEntries(Object.entries(fit.bootstrap!.point).map(([k, v]) => [k, [[v, v, v, v]]])),
    };
    const p = predict(point, rows, { target: 'sales' });
    expect(Math.abs(r2(p.actual!.values, p.mean.mean) - fit.bootstrap!.r2)).toBeLessThan(1e-9);
    expect(fit.bootstrap!.r2).toBeGreaterThan(0.8);
  });

  it('gives ROAS with bootstrap intervals and says how they were made', () => {
    for (const c of Object.values(fit.channels)) {
      expect(c.roas.lower).toBeLessThanOrEqual(c.roas.mean);
      expect(c.roas.upper).toBeGreaterThanOrEqual(c.roas.mean);
      // non-negative media coefficients (Robyn's constraint, the default)
      expect(c.roas.lower).toBeGreaterThanOrEqual(0);
    }
    expect(fit.diagnostics.messages[0]).toMatch(/bootstrap/);
    // no sampler, so no made-up gate: the diagnostics say in words how the intervals were made
    expect(fit.settings.resamples).toBe(100);
    expect(Object.keys(fit.diagnostics)).toEqual(['messages', 'coverage']);
    expect(JSON.parse(JSON.stringify(fit))).toEqual(fit);
  });

  it('feeds every downstream function: budgets, curves, predictions, posterior predictive', () => {
    const spend = Object.values(fit.channels).reduce((a, c) => a + c.spend, 0) / fit.data.dates.length;
    const plan = optimizeBudget(fit, { totalBudget: spend });
    const total = Object.values(plan.allocation).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(spend, 0);
    expect(Object.keys(responseCurves(fit, {}))).toEqual(['tv', 'search', 'social', 'display', 'radio']);
    // the bootstrap leaves out the curves' uncertainty, so the 90% predictive intervals cover somewhat less than 90%
    const pp = posteriorPredictive(fit, { seed: 2 });
    expect(pp.actual!.coverage).toBeGreaterThan(0.75);
  });

  it('is reproducible from its seed; lasso, elastic net and linear run too', async () => {
    const again = await fitMMM(rows, options);
    expect(again.draws).toEqual(fit.draws);
    // pool 1 holds the curves at the search's choice
    const held = await fitMMM(rows, { ...options, bootstrap: { resamples: 20, pool: 1 } });
    const chosen = held.search!.candidates[held.search!.chosen];
    held.search!.parameterNames.forEach((name, k) => expect(new Set(held.draws[name][0])).toEqual(new Set([chosen.curves[k]])));
    for (const method of ['lasso', 'elasticnet', 'linear'] as const) {
      const f = await fitMMM(rows, { ...options, method, search: { candidates: 200 }, bootstrap: { resamples: 20 } });
      expect(f.method).toBe(method);
      expect(f.fit.r2).toBeGreaterThan(0.7);
      if (method === 'linear') expect(f.search!.ranges).toHaveLength(f.search!.parameterNames.length);
    }
  });

  it('searches the ranges given, and refuses what it cannot fit with a typed error', async () => {
    const narrow = await fitMMM(rows, {
      ...options,
      search: { candidates: 100, ranges: { 'adstock.alpha': [0.1, 0.2], 'tv.saturation.slope': [1, 1.5] } },
      bootstrap: { resamples: 10 },
    });
    for (const c of narrow.search!.candidates) {
      narrow.search!.parameterNames.forEach((n, k) => {
        if (n.endsWith('adstock.alpha')) expect(c.curves[k]).toBeGreaterThanOrEqual(0.1);
        if (n.endsWith('adstock.alpha')) expect(c.curves[k]).toBeLessThanOrEqual(0.2);
        if (n === 'tv.saturation.slope') expect(c.curves[k]).toBeLessThanOrEqual(1.5);
      });
    }
    await expect(fitMMM(rows, { ...options, search: { ranges: { 'tv.adstock.beta': [0, 1] } } })).rejects.toMatchObject({
      field: 'options.search.ranges.tv.adstock.beta',
    });
    await expect(fitMMM(rows, { ...options, method: 'svm' as never })).rejects.toMatchObject({ field: 'options.method' });
    await expect(fitMMM(rows, { ...options, model: { likelihood: { studentT: { nu: 4 } } } })).rejects.toMatchObject({
      field: 'options.model.likelihood',
    });
    await expect(
      fitMMM(geoRows, {
        date: 'week',
        geo: 'geo',
        population: 'population',
        target: 'sales',
        channels: ['tv', 'search', 'social'],
        method: 'ridge',
      }),
    ).rejects.toMatchObject({ field: 'options.method' });
    await expect(fitMMM(rows, { ...options, bootstrap: { resamples: 2 } })).rejects.toMatchObject({ field: 'options.bootstrap.resamples' });
  });
});
