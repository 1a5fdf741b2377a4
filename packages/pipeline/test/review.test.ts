// reviewFit: each check on a fit that passes it and on one that does not. The data are the Stan reference generator's
// (fixtures/weekly_national.csv, seed 1, 156 weeks, 5 channels; tv has the largest true contribution).
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitMMM, pointwiseLogLikelihood, predict, reviewFit, type BayesianFit, type ClassicalFit, type FitReview } from '../src/index.js';

const rows = parse(readFileSync(new URL('./fixtures/weekly_national.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
  Record<string, string>
>;
const channels = ['tv', 'search', 'social', 'display', 'radio'];
const base = { date: 'date', target: 'sales', channels, controls: ['price_index', 'competitor_index'], seed: 3 };
const train = rows.slice(0, 130);
const holdout = rows.slice(130);

const check = (r: FitReview, id: string) => {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${r.checks.map((x) => x.id).join(', ')}`);
  return c;
};

describe('reviewFit on a sound Bayesian fit', () => {
  let fit: BayesianFit;
  let review: FitReview;
  beforeAll(async () => {
    fit = (await fitMMM(train, base)) as BayesianFit;
    review = reviewFit(fit, { holdout });
  }, 600_000);

  it('has no failing check: convergence, posterior predictive, fit, holdout, baseline and ROAS all pass', () => {
    expect(fit.diagnostics.passed).toBe(true);
    expect(review.status).not.toBe('fail');
    for (const id of ['convergence.rhat', 'convergence.ess', 'convergence.divergences', 'convergence.ebfmi'])
      expect(check(review, id).status).toBe('pass');
    for (const id of ['ppc.mean', 'ppc.sd', 'ppc.autocorrelation', 'fit.r2', 'fit.holdout', 'baseline.negative', 'data.outliers'])
      expect(check(review, id).status, check(review, id).message).toBe('pass');
    for (const c of channels) {
      expect(check(review, `roas.plausible:${c}`).status).toBe('pass');
      expect(check(review, `roas.prior:${c}`).status).toBe('pass');
    }
    // p-values are probabilities; the holdout coverage is the share of 26 periods
    for (const id of ['ppc.mean', 'ppc.sd', 'ppc.autocorrelation']) {
      const p = check(review, id).value;
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
    }
    expect(check(review, 'fit.holdout').value * 26).toBeCloseTo(Math.round(check(review, 'fit.holdout').value * 26), 10);
    // the same seed gives the same review; JSON keeps every number
    expect(reviewFit(fit, { holdout })).toEqual(review);
    expect(JSON.parse(JSON.stringify(review))).toEqual(review);
  });

  it('fails the posterior predictive checks when the target is not the one fitted, and the holdout when it shifts', () => {
    const scaled = { ...fit, data: { ...fit.data, target: fit.data.target.map((y) => 1.3 * y) } } as BayesianFit;
    const r = reviewFit(scaled);
    expect(check(r, 'ppc.mean').status).toBe('fail');
    expect(check(r, 'ppc.sd').status).toBe('fail');
    expect(r.status).toBe('fail');
    const shifted = holdout.map((x) => ({ ...x, sales: String(1.5 * Number(x.sales)) }));
    expect(check(reviewFit(fit, { holdout: shifted }), 'fit.holdout').status).toBe('fail');
    // an implausible range: every channel whose whole interval lies above 0.5 fails, and the review says so
    const narrow = reviewFit(fit, { roasRange: [0.01, 0.5] });
    expect(channels.some((c) => check(narrow, `roas.plausible:${c}`).status === 'fail')).toBe(true);
    expect(() => reviewFit(fit, { roasRange: [2, 1] })).toThrow(/roasRange/);
    expect(() => reviewFit(fit, { roasRnage: [0, 1] } as never)).toThrow(/roasRnage/);
    // one period 40% above what was fitted: an outlier, named by its date
    const spiked = { ...fit, data: { ...fit.data, target: fit.data.target.map((y, t) => (t === 50 ? 1.4 * y : y)) } } as BayesianFit;
    const spike = check(reviewFit(spiked), 'data.outliers');
    expect(spike.status).toBe('review');
    expect(spike.value).toBe(1);
    expect(spike.message).toContain(fit.data.dates[50]);
    // tv modelled on exposures: a steady cost per unit passes, one that jumps between periods asks for review
    const steady = { ...fit, data: { ...fit.data, input: { ...fit.data.input, tv: fit.data.spend.tv.map((s) => s / 12) } } } as BayesianFit;
    expect(check(reviewFit(steady, { maxDraws: 50 }), 'data.costPerUnit:tv').status).toBe('pass');
    const mixed = fit.data.spend.tv.map((s, t) => (t % 2 ? s / 12 : s / 2));
    const jumpy = { ...fit, data: { ...fit.data, input: { ...fit.data.input, tv: mixed } } } as BayesianFit;
    expect(check(reviewFit(jumpy, { maxDraws: 50 }), 'data.costPerUnit:tv').status).toBe('review');
    expect(review.checks.some((c) => c.id.startsWith('data.costPerUnit'))).toBe(false);
    // the fit is not changed by the review
    expect(fit.data.target[0]).toBe(Number(train[0].sales));
  });
});

describe('reviewFit flags', () => {
  it('a fit without the channel of largest true contribution: autocorrelated residuals', async () => {
    const fit = await fitMMM(train, { ...base, channels: channels.filter((c) => c !== 'tv') });
    const r = reviewFit(fit);
    expect(check(r, 'ppc.autocorrelation').status).not.toBe('pass');
    expect(r.status).not.toBe('pass');
  }, 600_000);

  it('a short fit without remedy: the convergence checks fail', async () => {
    const fit = await fitMMM(train, { ...base, warmup: 30, draws: 30, remedy: false });
    const r = reviewFit(fit);
    expect(r.status).toBe('fail');
    expect(check(r, 'convergence.rhat').status === 'fail' || check(r, 'convergence.ess').status === 'fail').toBe(true);
  }, 600_000);

  it('ROAS priors the data contradict: a negative baseline, a prior–data conflict, and a prior the data hardly moved', async () => {
    // every channel's ROAS held near 40: media take more than the whole target
    const fit = (await fitMMM(train, { ...base, model: { roasPrior: { mean: 40, sd: 1 } } })) as BayesianFit;
    const r = reviewFit(fit);
    expect(check(r, 'baseline.negative').status).toBe('fail');
    expect(check(r, 'baseline.negative').value).toBeGreaterThan(0.8);
    expect(channels.some((c) => check(r, `roas.shift:${c}`).status === 'review')).toBe(true);
    // tv's prior far below what the data say: its posterior sits in the prior's upper tail
    const low = (await fitMMM(train, { ...base, model: { channels: { tv: { roasPrior: { mean: 0.2, sd: 0.05 } } } } })) as BayesianFit;
    expect(check(reviewFit(low), 'roas.prior:tv').status).toBe('review');
    // a fit with ROAS priors rebuilds its model on any rows (the priors read the fit's own spend): LOO and predictions
    const ll = pointwiseLogLikelihood(low, { maxDraws: 20 });
    expect(ll).toHaveLength(20);
    for (const row of ll) expect(row.every(Number.isFinite)).toBe(true);
    const p = predict(low, holdout, { date: 'date', target: 'sales' });
    expect(p.actual!.mape).toBeLessThan(0.2);
  }, 600_000);

  it('a ridge fit: no convergence or prior checks; its CV error against the in-sample error; few periods per parameter', async () => {
    const fit = (await fitMMM(train, { ...base, method: 'ridge' })) as ClassicalFit;
    const r = reviewFit(fit);
    expect(r.checks.some((c) => c.id.startsWith('convergence.') || c.id.startsWith('roas.prior'))).toBe(false);
    // its intervals' measured coverage, from the fit's diagnostics: the widened default holds about 90%, the raw
    // bootstrap (widen: 1) about half that, and the review asks for review on the raw one only
    const coverage = fit.diagnostics.coverage!;
    expect(coverage).toMatchObject({ nominal: 0.9, count: 140 });
    expect(check(r, 'intervals.coverage')).toMatchObject({ status: 'pass', value: coverage.measured });
    expect(fit.diagnostics.messages.join(' ')).toContain(`${Math.round(100 * coverage.measured)}% of the time`);
    const raw = (await fitMMM(train, { ...base, method: 'ridge', bootstrap: { widen: 1 } })) as ClassicalFit;
    expect(check(reviewFit(raw), 'intervals.coverage').status).toBe('review');
    // widening moves each channel's ROAS interval away from its median on the log scale, never the median or the mean
    for (const c of channels) {
      const [w, b] = [fit.channels[c].roas, raw.channels[c].roas];
      expect(w.median).toBe(b.median);
      expect(w.mean).toBe(b.mean);
      if (b.lower > 0) expect(Math.log(w.median / w.lower)).toBeCloseTo(4 * Math.log(b.median / b.lower), 8);
      expect(Math.log(w.upper / w.median)).toBeCloseTo(4 * Math.log(b.upper / b.median), 8);
    }
    const other = (await fitMMM(train, { ...base, method: 'ridge', bootstrap: { widen: 2 } })) as ClassicalFit;
    expect(other.diagnostics.coverage).toBeUndefined();
    expect(reviewFit(other).checks.some((c) => c.id === 'intervals.coverage')).toBe(false);
    await expect(fitMMM(train, { ...base, method: 'ridge', bootstrap: { widen: 0.5 } })).rejects.toThrow(/bootstrap\.widen/);
    expect(check(r, 'fit.cv').status).toBe('pass');
    expect(check(r, 'data.periodsPerParameter').status).toBe('pass');
    const few = await fitMMM(rows.slice(0, 60), { ...base, method: 'ridge' });
    expect(check(reviewFit(few), 'data.periodsPerParameter').status).toBe('review');
    // a near-copy of a channel: the data report's collinearity warning becomes a check to review
    const copied = train.map((x, t) => ({ ...x, tv2: String(Number(x.tv) * (1 + 0.001 * Math.sin(t))) }));
    const dup = await fitMMM(copied, { ...base, channels: [...channels, 'tv2'], method: 'ridge' });
    const warnings = reviewFit(dup).checks.filter((c) => c.id.startsWith('data.warning'));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((c) => c.status === 'review')).toBe(true);
    expect(warnings.some((c) => c.message.includes('tv2'))).toBe(true);
  }, 600_000);
});
