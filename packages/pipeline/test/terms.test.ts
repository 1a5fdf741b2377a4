// A term of our own through fitMMM (CONTRIBUTING.md, "Add a model term"): the holiday term of @mmm/model's
// extending test, fitted to the bundled data with a holiday effect added. Its parameter is recovered, its contribution
// is in the fit's decomposition and summaries (report/test/reports.test.ts draws it), and every function that rebuilds
// the model asks for it again.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { holidayTerm } from '../../model/test/holiday.js';
import { fitMMM, pointwiseLogLikelihood, posteriorPredictive, predict, type BayesianFit } from '../src/index.js';

const base = parse(readFileSync(new URL('./fixtures/weekly_national.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
  Record<string, string>
>;
// the last two weeks of November and of December each year: 12 holiday weeks in 156
const indicator = Float64Array.from(base, (_, t) => ([46, 47, 50, 51].includes(t % 52) ? 1 : 0));
const mean = base.reduce((a, r) => a + Number(r.sales), 0) / base.length;
const lift = 0.15 * mean;
const rows = base.map((r, t) => ({ ...r, sales: Number(r.sales) + lift * indicator[t] }));
const prior = { dist: 'normal', mu: 0, sigma: 0.5 } as const;
const options = {
  date: 'date',
  target: 'sales',
  channels: ['tv', 'search', 'social', 'display', 'radio'],
  controls: ['price_index', 'competitor_index'],
  terms: [holidayTerm(indicator, prior)],
  chains: 2,
  warmup: 400,
  draws: 400,
  seed: 2,
};

describe('fitMMM with a term of your own', () => {
  let fit: BayesianFit;
  beforeAll(async () => {
    fit = await fitMMM(rows, options);
  }, 300_000);

  it('recovers the holiday effect, within 4 posterior sd of the truth', () => {
    expect(fit.terms).toEqual(['holiday']);
    const h = fit.draws.holiday.flat();
    const m = h.reduce((a, b) => a + b, 0) / h.length;
    const sd = Math.sqrt(h.reduce((a, b) => a + (b - m) ** 2, 0) / (h.length - 1));
    // the model's scale is the mean target of the data as fitted (the holiday weeks included)
    const truth = lift / fit.scaling.yScale;
    expect(Math.abs(m - truth), `h: posterior ${m} ± ${sd}, truth ${truth}`).toBeLessThan(4 * sd);
    expect(fit.diagnostics.divergences).toBe(0);
  });

  it('reports its contribution, which completes the decomposition', () => {
    const c = fit.contributions;
    const h = fit.draws.holiday.flat();
    const m = h.reduce((a, b) => a + b, 0) / h.length;
    const holiday = c.terms?.holiday;
    expect(holiday).toBeDefined();
    fit.data.dates.forEach((_, t) => {
      expect(holiday!.mean[t]).toBeCloseTo(m * indicator[t] * fit.scaling.yScale, 6);
      const parts =
        c.trend.mean[t] +
        c.seasonality.mean[t] +
        c.controls.mean[t] +
        Object.values(c.channels).reduce((a, s) => a + s.mean[t], 0) +
        holiday!.mean[t];
      expect(parts).toBeCloseTo(c.fitted.mean[t], 6);
    });
  });

  it('is asked for again by the functions that rebuild the model, and then used', () => {
    const columns = { date: fit.data.dates, ...fit.data.input, ...fit.data.controls, sales: fit.data.target };
    expect(() => predict(fit, columns, { target: 'sales' })).toThrow(expect.objectContaining({ field: 'options.terms' }));
    expect(() => posteriorPredictive(fit)).toThrow(expect.objectContaining({ field: 'options.terms' }));
    const again = { terms: [holidayTerm(indicator, prior)] };
    const p = predict(fit, columns, { target: 'sales', ...again });
    fit.data.dates.forEach((_, t) => expect(p.mean.mean[t]).toBeCloseTo(fit.contributions.fitted.mean[t], 6));
    expect(posteriorPredictive(fit, again).actual!.coverage).toBeGreaterThan(0.8);
    expect(pointwiseLogLikelihood(fit, { ...again, maxDraws: 50 })).toHaveLength(50);
  });

  it('is refused by the methods that cannot use it', async () => {
    await expect(fitMMM(rows, { ...options, method: 'ridge' })).rejects.toMatchObject({ field: 'options.terms' });
  });
});
