import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { fitMMM, predict } from '../src/index.js';

const rows = parse(readFileSync(new URL('./fixtures/weekly_national.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
  Record<string, string>
>;
const channels = ['tv', 'search', 'social', 'display', 'radio'];

describe('predict', () => {
  it('reproduces the fitted mean on the fitted rows, and covers a 26-week holdout', { timeout: 180_000 }, async () => {
    const train = rows.slice(0, 130);
    const fit = await fitMMM(train, {
      date: 'date',
      target: 'sales',
      channels,
      controls: ['price_index', 'competitor_index'],
      seed: 9,
      chains: 2,
      warmup: 300,
      draws: 200,
      parallel: false,
    });
    // same draws, same data: the posterior mean of μ equals the fit's fitted series
    const same = predict(fit, train, { maxDraws: 10_000 });
    for (const t of [0, 64, 129]) expect(same.mean.mean[t]).toBeCloseTo(fit.contributions.fitted.mean[t], 6);
    // the holdout continues the fitted data, so the last weeks' spend carries over through the adstock
    const holdout = predict(fit, rows.slice(130), { target: 'sales' });
    expect(holdout.dates[0]).toBe(rows[130].date);
    expect(holdout.predictive.mean).toHaveLength(26);
    // 26 periods in a 90% interval: fewer than 19 inside has probability below 1% under a calibrated model
    expect(holdout.actual!.coverage).toBeGreaterThanOrEqual(19 / 26);
    expect(holdout.actual!.mape).toBeLessThan(0.06);
    for (let t = 0; t < 26; t++) expect(holdout.predictive.lower[t]).toBeLessThan(holdout.mean.lower[t] + 1e-9);
    expect(() =>
      predict(
        fit,
        rows.slice(130).map((r) => ({ ...r, tv: 'x' })),
      ),
    ).toThrow(/rows\[0\]\.tv/);
  });
});
