// Holdout split, prior and posterior predictive, and PSIS-LOO comparison of fits (CI-sized fits of the bundled data).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import {
  compareModels,
  fitMMM,
  holdoutSplit,
  pointwiseLogLikelihood,
  posteriorPredictive,
  predict,
  priorPredictive,
  type BayesianFit,
} from '../src/index.js';

const rows = parse(readFileSync(new URL('./fixtures/weekly_national.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
  Record<string, string>
>;
const channels = ['tv', 'search', 'social', 'display', 'radio'];
const base = { date: 'date', target: 'sales', channels, seed: 5, chains: 2, warmup: 300, draws: 300, parallel: false };

describe('holdoutSplit', () => {
  it('keeps the last periods for the test set, for rows and columns, without touching the input', () => {
    const copy = JSON.stringify(rows);
    const { train, test } = holdoutSplit(rows, { date: 'date', holdout: 26 });
    expect([train.length, test.length]).toEqual([130, 26]);
    expect(test[0]).toBe(rows[130]);
    expect(holdoutSplit(rows, { date: 'date', holdout: 0.25 }).test).toHaveLength(39);
    const cols = { date: rows.map((r) => r.date), sales: rows.map((r) => Number(r.sales)) };
    const c = holdoutSplit(cols, { date: 'date', holdout: 10 });
    expect(c.test.date).toEqual(cols.date.slice(146));
    expect(c.train.sales).toHaveLength(146);
    expect(JSON.stringify(rows)).toBe(copy);
    expect(() => holdoutSplit(rows, { date: 'date', holdout: 156 })).toThrow(/holdout/);
    expect(() => holdoutSplit(rows, { date: 'date', holdout: 2.5 })).toThrow(/holdout/);
    expect(() => holdoutSplit([...rows].reverse(), { date: 'date', holdout: 5 })).toThrow(/Sort the rows by date/);
  });
});

describe('priorPredictive', () => {
  it('draws every parameter from its prior and pushes the draws through the model', () => {
    const pp = priorPredictive(rows, { ...base, controls: ['price_index', 'competitor_index'] }, { draws: 2000, seed: 3 });
    const n = 2000;
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    // Beta(1, 3): mean 1/4, sd √(3/80); HalfNormal(1): mean √(2/π), sd √(1 − 2/π); Gamma(3, 6): mean 1/2, sd √3/6
    expect(Math.abs(mean(pp.draws['tv.adstock.alpha']) - 0.25)).toBeLessThan(4 * Math.sqrt(3 / 80 / n));
    expect(Math.abs(mean(pp.draws['search.beta']) - Math.sqrt(2 / Math.PI))).toBeLessThan(4 * Math.sqrt((1 - 2 / Math.PI) / n));
    expect(Math.abs(mean(pp.draws['radio.saturation.halfSaturation']) - 0.5)).toBeLessThan((4 * Math.sqrt(3)) / 6 / Math.sqrt(n));
    expect(pp.predictive.mean).toHaveLength(156);
    // noise widens the interval of the mean (on average over the periods: per period the quantiles carry Monte Carlo error)
    const width = (e: { lower: number[]; upper: number[] }) => e.upper.reduce((a, u, t) => a + u - e.lower[t], 0);
    expect(width(pp.predictive)).toBeGreaterThan(width(pp.mean));
    // coverage is the share of observed periods inside the predictive interval, counted independently here
    const inside = pp.actual.filter((y, t) => y >= pp.predictive.lower[t] && y <= pp.predictive.upper[t]).length;
    expect(pp.coverage).toBe(inside / 156);
    for (const c of channels) expect(pp.roas[c].lower).toBeGreaterThanOrEqual(0);
    // reproducible from the seed
    expect(priorPredictive(rows, { ...base, controls: ['price_index', 'competitor_index'] }, { draws: 2000, seed: 3 }).roas).toEqual(
      pp.roas,
    );
  });
});

describe('posterior predictive and model comparison', () => {
  let full: BayesianFit;
  let noControls: BayesianFit;
  beforeAll(async () => {
    full = await fitMMM(rows, { ...base, controls: ['price_index', 'competitor_index'] });
    noControls = await fitMMM(rows, base);
  }, 120_000);

  it('the posterior predictive covers the fitted data as its interval says, and centres on the fitted mean', () => {
    const pp = posteriorPredictive(full, { maxDraws: 600 });
    // 156 periods: a 90% interval covers 0.9 ± 4 binomial sd (0.024)
    expect(pp.actual!.coverage).toBeGreaterThan(0.9 - 4 * 0.024);
    const fitted = full.contributions.fitted.mean;
    const sd = pp.predictive.upper.map((u, t) => (u - pp.predictive.lower[t]) / 3.29);
    // 600 draws: the predictive mean is within 4 Monte Carlo standard errors of the fitted mean
    pp.predictive.mean.forEach((m, t) => expect(Math.abs(m - fitted[t])).toBeLessThan((4 * sd[t]) / Math.sqrt(600)));
  });

  it('PSIS-LOO prefers the model with the controls the data were generated with', () => {
    const ll = pointwiseLogLikelihood(full, { maxDraws: 200 });
    expect(ll).toHaveLength(200);
    expect(ll[0]).toHaveLength(156);
    const { loo, comparison } = compareModels({ full, noControls }, { maxDraws: 600 });
    expect(comparison[0].name).toBe('full');
    expect(comparison[1].elpdDiff).toBeLessThan(-4 * comparison[1].seDiff);
    expect(loo.full.pointwise).toHaveLength(156);
    expect(() => compareModels({ full })).toThrow(/at least two/);
    const other = { ...noControls, data: { ...noControls.data, target: noControls.data.target.map((v) => v + 1) } };
    expect(() => compareModels({ full, other })).toThrow(/fits\.other: was fitted to other data/);
  });
});

describe('Student-t likelihood', () => {
  it('on data with outlier weeks, PSIS-LOO prefers the Student-t model to the Normal one', { timeout: 120_000 }, async () => {
    // five promotion-like weeks with 40% extra sales that no column explains
    const spiked = rows.map((r, i) => ([20, 51, 77, 103, 140].includes(i) ? { ...r, sales: String(Number(r.sales) * 1.4) } : r));
    const opts = { ...base, controls: ['price_index', 'competitor_index'] };
    const normal = await fitMMM(spiked, opts);
    const robust = await fitMMM(spiked, { ...opts, model: { likelihood: { studentT: { nu: 3 } } } });
    expect(robust.spec.likelihood).toEqual({ studentT: { nu: 3 } });
    const { comparison } = compareModels({ normal, robust }, { maxDraws: 600 });
    expect(comparison[0].name).toBe('robust');
    expect(comparison[1].elpdDiff).toBeLessThan(-4 * comparison[1].seDiff);
    // the posterior predictive draws its noise from the Student-t
    const pp = posteriorPredictive(robust, { maxDraws: 400 });
    expect(pp.predictive.mean).toHaveLength(156);
  });
});

describe('piecewise-linear trend through fitMMM', () => {
  it('stores the changepoint positions in the spec, and predictions after the data use them', { timeout: 120_000 }, async () => {
    const { train, test } = holdoutSplit(rows, { date: 'date', holdout: 26 });
    const fit = await fitMMM(train, { ...base, controls: ['price_index', 'competitor_index'], model: { trend: { changepoints: 4 } } });
    const cps = (fit.spec.trend as { changepoints: number[] }).changepoints;
    expect(cps).toHaveLength(4);
    // evenly spread over the first 80% of the 130 fitted weeks (in years)
    const span = (129 / 52) * 0.8;
    cps.forEach((c, j) => expect(c).toBeCloseTo((span * (j + 1)) / 5, 12));
    expect(fit.draws['changepoint[4]']).toHaveLength(2);
    const pred = predict(fit, test, { target: 'sales' });
    // 26 weeks in a 90% interval: 0.9 − 4 binomial sd (0.059) = 0.66; the noise alone (σ ≈ 5% of sales) gives a
    // MAPE near 4%, so twice that bounds a forecast that uses the trend correctly
    expect(pred.actual!.coverage).toBeGreaterThan(0.66);
    expect(pred.actual!.mape).toBeLessThan(0.08);
  });
});
