// Geo fits: the long table read into a balanced panel (every rule a typed error naming geo, row and column), and the
// hierarchical model fitted to the reference geo data with known truth (shared/reference/stan/geo).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import {
  fitMMM,
  optimizeBudget,
  planSchedule,
  pointwiseLogLikelihood,
  posteriorPredictive,
  predict,
  priorPredictive,
  responseCurves,
  reviewFit,
  spendPerPeriod,
  type BayesianFit,
} from '../src/index.js';
import { loo } from '@mmm/diagnostics';
import { prepareFit } from '../src/prepare.js';

const rows = parse(readFileSync(new URL('./fixtures/geo_weekly.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
  Record<string, string>
>;
const truth = JSON.parse(readFileSync(new URL('./fixtures/geo_weekly.truth.json', import.meta.url), 'utf8')) as {
  geos: string[];
  roas: Record<string, number>;
  roas_geo: Record<string, number[]>;
};
const options = {
  date: 'week',
  geo: 'geo',
  population: 'population',
  target: 'sales',
  channels: ['tv', 'search', 'social'],
  controls: ['price_index', 'competitor_index'],
};

describe('geo panels: reading and validation', () => {
  it('reads the long table into a balanced geo-major panel, in any row order, without mutating it', () => {
    const before = JSON.stringify(rows);
    const shuffled = [...rows].reverse();
    const p = prepareFit(shuffled, options);
    expect(p.panel!.geos).toEqual([...truth.geos].reverse());
    expect(p.dates).toHaveLength(104);
    expect(p.model.data.geos).toMatchObject({ count: 8, periods: 104 });
    expect(p.panel!.populationSource).toBe('column');
    // geo g's sales at period t sit at g·T + t, in the order of the dates
    const g = p.panel!.geos.indexOf('geo_03');
    const first = rows.find((r) => r.geo === 'geo_03' && r.week === '2021-01-04')!;
    expect(p.target[g * 104]).toBe(Number(first.sales));
    expect(JSON.stringify(rows)).toBe(before);
  });
  it('draws the prior predictive of a geo panel: national totals, hierarchical geo baselines', () => {
    const prior = priorPredictive(rows, options, { draws: 4000, seed: 5 });
    expect(prior.dates).toHaveLength(104);
    expect(prior.actual[0]).toBeCloseTo(
      rows.filter((r) => r.week === '2021-01-04').reduce((a, r) => a + Number(r.sales), 0),
      4,
    );
    // τ_g ~ Normal(τ_μ, τ_σ), τ_μ ~ Normal(0, 2), τ_σ ~ HalfNormal(0.5): mean 0, variance 4 + 0.25 (4 standard errors)
    const tau = prior.draws['baseline[3]'];
    const m = tau.reduce((a, b) => a + b, 0) / tau.length;
    const v = tau.reduce((a, b) => a + (b - m) ** 2, 0) / (tau.length - 1);
    expect(Math.abs(m)).toBeLessThan(4 * Math.sqrt(4.25 / tau.length));
    // the variance's standard error for a normal-like sample: v·√(2/(S − 1)); this mixture is heavier, so 6 of them
    expect(Math.abs(v - 4.25)).toBeLessThan(6 * 4.25 * Math.sqrt(2 / (tau.length - 1)));
    // the deviation of a geo's baseline from τ_μ has the spread of τ_σ: E|τ_g − τ_μ| = E[τ_σ]·√(2/π) = 0.5·(2/π)
    const dev = tau.map((t, k) => Math.abs(t - prior.draws['baseline.mean'][k]));
    const md = dev.reduce((a, b) => a + b, 0) / dev.length;
    const sdd = Math.sqrt(dev.reduce((a, b) => a + (b - md) ** 2, 0) / (dev.length - 1));
    expect(Math.abs(md - 1 / Math.PI)).toBeLessThan((4 * sdd) / Math.sqrt(dev.length));
  });
  it('takes one noise scale per geo on request', () => {
    const shared = prepareFit(rows, options);
    const perGeo = prepareFit(rows, { ...options, model: { noise: 'perGeo' } });
    expect(perGeo.model.density.dim).toBe(shared.model.density.dim + 7);
    expect(perGeo.model.names).toContain('sigma[8]');
  });
  it('gives the sampler the baselines’ orbit unless model.geoOrbit is false', () => {
    expect(prepareFit(rows, options).model.density.orbit).toBeTypeOf('function');
    expect(prepareFit(rows, { ...options, model: { geoOrbit: false } }).model.density.orbit).toBeUndefined();
  });
  it('takes populations from a record, or scales each geo by its mean target and says so', () => {
    const { population, ...rest } = options;
    void population;
    const record = Object.fromEntries(truth.geos.map((g) => [g, Number(rows.find((r) => r.geo === g)!.population)]));
    expect(prepareFit(rows, { ...rest, population: record }).panel!.population).toEqual(truth.geos.map((g) => record[g]));
    const none = prepareFit(rows, rest).panel!;
    expect(none.populationSource).toBe('mean target');
    const mean = rows.filter((r) => r.geo === 'geo_01').reduce((a, r) => a + Number(r.sales), 0) / 104;
    expect(none.population[0]).toBeCloseTo(mean, 6);
  });
  it('refuses each broken panel with a typed error naming the geo, row and column', () => {
    const without = (i: number) => rows.filter((_, k) => k !== i);
    expect(() => prepareFit(without(10), options)).toThrow(
      /rows\.geo=geo_01: has no row for 2021-03-15, which other geos have\. .*add the missing rows/,
    );
    expect(() => prepareFit([...rows, rows[5]], options)).toThrow(/rows\[832\]\.week: repeats geo geo_01 on 2021-02-08 \(rows\[5\]\)/);
    const edit = (f: (r: Record<string, string>) => Record<string, string>) => rows.map((r) => (r.geo === 'geo_02' ? f(r) : r));
    expect(() =>
      prepareFit(
        edit((r) => ({ ...r, population: '0' })),
        options,
      ),
    ).toThrow(/population: is 0 for geo geo_02\. Populations must be finite and > 0/);
    expect(() =>
      prepareFit(
        edit((r) => ({ ...r, population: r.week === '2021-06-07' ? '5' : r.population })),
        options,
      ),
    ).toThrow(/\.population: is 5 where geo geo_02 has \d+ elsewhere/);
    expect(() =>
      prepareFit(
        edit((r) => ({ ...r, sales: '0' })),
        options,
      ),
    ).toThrow(/rows\.geo=geo_02: has sales 0 in every period/);
    expect(() => prepareFit(rows, { ...options, population: 'tv' })).toThrow(/options\.population: uses column "tv"/);
    expect(() => prepareFit(rows, { ...options, population: { geo_01: 1 } })).toThrow(/population\.geo_02: is undefined for geo geo_02/);
    // 29 weeks × 8 geos is enough observations for the 57 parameters, but too few weeks for the 20 shared ones
    const short = rows.filter((r) => r.week < '2021-07-26');
    expect(() => prepareFit(short, options)).toThrow(
      /data: has 29 periods per geo for 20 shared parameters\. Each geo needs at least 2 × shared parameters = 40 periods/,
    );
    expect(() =>
      prepareFit(
        rows.filter((r) => r.week < '2021-03-01'),
        options,
      ),
    ).toThrow(/data: has 64 geo-periods for 57 parameters/);
  });
});

describe('the geo model fitted to the reference geo data (8 geos × 104 weeks × 3 channels)', () => {
  let fit: BayesianFit;
  beforeAll(async () => {
    // no remedies: the reference data's remaining divergences are issue 13's, and reruns at higher target acceptance
    // take minutes; this block checks what a geo fit computes, not its gate
    fit = await fitMMM(rows, { ...options, seed: 1, remedy: false });
  }, 300_000);

  // Convergence is not there yet (issue 13): the geo baselines' spread τ_σ and the geo media scatter trade off in a
  // funnel (Stan on this model and data: 209–299 divergences, R-hat up to 1.03). Over seeds 1–4 (this file, the
  // defaults): max R-hat 1.011, 1.070, 1.011, 1.022; min ESS-bulk 467, 39, 515, 452; divergences 26, 104, 20, 18 of
  // 4,000; about 60 s each. The checks below are of the fit's mechanics, which hold on any run.
  it('covers the true national ROAS of each channel and about 90% of the per-geo ROAS', () => {
    const inside = Object.entries(truth.roas).filter(([c, r]) => r >= fit.channels[c].roas.lower && r <= fit.channels[c].roas.upper);
    // 90% intervals: all three inside has probability 0.73; at least two of three, 0.97
    expect(inside.length).toBeGreaterThanOrEqual(2);
    let covered = 0;
    let total = 0;
    truth.geos.forEach((g, k) => {
      for (const c of options.channels) {
        const r = fit.geos![g].channels[c];
        total++;
        if (truth.roas_geo[c][k] >= r.roas.lower && truth.roas_geo[c][k] <= r.roas.upper) covered++;
      }
    });
    // 24 intervals at 90%, correlated through the shared curves: at least 17 (binomial 0.9, 24 → P(≤ 16) ≈ 0.01)
    expect(total).toBe(24);
    expect(covered).toBeGreaterThanOrEqual(17);
  });
  it('adds up: national contributions are the sums over geos, draw by draw; the data are national totals per week', () => {
    for (const c of options.channels) {
      const geoSum = truth.geos.reduce((a, g) => a + fit.geos![g].channels[c].contribution.mean, 0);
      expect(geoSum).toBeCloseTo(fit.channels[c].contribution.mean, 6);
      expect(fit.channels[c].spend).toBeCloseTo(
        rows.reduce((a, r) => a + Number(r[c]), 0),
        4,
      );
    }
    const week0 = rows.filter((r) => r.week === '2021-01-04').reduce((a, r) => a + Number(r.sales), 0);
    expect(fit.data.target[0]).toBeCloseTo(week0, 4);
    expect(fit.contributions.fitted.mean).toHaveLength(104);
    expect(fit.fit.r2).toBeGreaterThan(0.9);
    for (const g of truth.geos) expect(fit.geos![g].fit.r2).toBeGreaterThan(0.5);
    expect(fit.pooling!.baselineSd.lower).toBeGreaterThan(0);
    expect(Object.keys(fit.pooling!.scatter)).toEqual(options.channels);
    expect(JSON.parse(JSON.stringify(fit))).toEqual(fit);
  });
  it('optimises the national budget and the geo × channel budget', () => {
    const national = optimizeBudget(fit, { relativeBounds: 0.3, maxDraws: 200 });
    expect(national.kkt.satisfied).toBe(true);
    // same total as the average national spend per week
    const weekly = options.channels.reduce((a, c) => a + fit.channels[c].spend, 0) / 104;
    expect(Object.values(national.allocation).reduce((a, b) => a + b, 0)).toBeCloseTo(weekly, 4);
    expect(national.expectedResponse).toBeGreaterThanOrEqual(national.current!.expectedResponse - 1e-6 * national.expectedResponse);
    const cells = optimizeBudget(fit, { relativeBounds: 0.3, maxDraws: 200, byGeo: true });
    expect(Object.keys(cells.allocation)).toHaveLength(24);
    expect(cells.kkt.satisfied).toBe(true);
    expect(cells.expectedResponse).toBeGreaterThanOrEqual(cells.current!.expectedResponse - 1e-6 * cells.expectedResponse);
    // the current spend per cell is what the cells start from
    const current = spendPerPeriod(fit, { byGeo: true });
    expect(Object.keys(current)).toEqual(Object.keys(cells.allocation));
    expect(current['geo_02/tv']).toBeCloseTo(fit.panel!.spend.tv[1].reduce((a, b) => a + b, 0) / 104, 8);
    // a cell that never had spend is no cell: left out of the current spend, so bounds built from it are accepted
    const dark: BayesianFit = JSON.parse(JSON.stringify(fit));
    dark.panel!.spend.tv[1] = dark.panel!.spend.tv[1].map(() => 0);
    const darkCurrent = spendPerPeriod(dark, { byGeo: true });
    expect(Object.keys(darkCurrent)).toHaveLength(23);
    expect(darkCurrent).not.toHaveProperty('geo_02/tv');
    const bounded = optimizeBudget(dark, {
      byGeo: true,
      maxDraws: 100,
      bounds: Object.fromEntries(Object.entries(darkCurrent).map(([k, v]) => [k, [0.7 * v, 1.3 * v] as [number, number]])),
    });
    expect(Object.keys(bounded.allocation)).toEqual(Object.keys(darkCurrent));
    expect(() => spendPerPeriod({ ...fit, panel: undefined }, { byGeo: true })).toThrow(/byGeo/);
  });
  it("plans 8 weeks nationally, each channel's spend over its geos in their current shares, as predict sees it", () => {
    const current = spendPerPeriod(fit);
    const perPeriod = Object.values(current).reduce((a, b) => a + b, 0);
    const plan = planSchedule(fit, { periods: 8, budget: 8 * perPeriod, maxDraws: 200 });
    const panel = fit.panel!;
    const channels = options.channels;
    const share = Object.fromEntries(
      channels.map((c) => {
        const tot = panel.geos.map((_, g) => panel.spend[c][g].reduce((a, b) => a + b, 0));
        const all = tot.reduce((a, b) => a + b, 0);
        return [c, tot.map((v) => v / all)];
      }),
    );
    const lastWeek = fit.data.dates[fit.data.dates.length - 1];
    const dates = [...plan.dates, ...plan.tailDates];
    const table = (spend: Record<string, number[]>) =>
      panel.geos.flatMap((geo, g) => {
        const last = rows.find((r) => r.geo === geo && r.week === lastWeek)!;
        return dates.map((week, t) => ({
          geo,
          week,
          population: last.population,
          price_index: last.price_index,
          competitor_index: last.competitor_index,
          ...Object.fromEntries(channels.map((c) => [c, t < 8 ? spend[c][t] * share[c][g] : 0])),
        }));
      });
    const none = Object.fromEntries(channels.map((c) => [c, new Array(8).fill(0)]));
    const sum = (x: number[]) => x.reduce((a, b) => a + b, 0);
    const diff =
      sum(predict(fit, table(plan.spend), { date: 'week', maxDraws: 200 }).mean.mean) -
      sum(predict(fit, table(none), { date: 'week', maxDraws: 200 }).mean.mean);
    expect(Math.abs(plan.incremental.mean - diff) / diff).toBeLessThan(1e-9);
    expect(plan.notes.join(' ')).toMatch(/geos in their current shares/);
  });
  it('replicates the national totals (posterior predictive) and gives a pointwise log-likelihood per geo-period for LOO', () => {
    const ppc = posteriorPredictive(fit, { maxDraws: 400 });
    expect(ppc.dates).toEqual(fit.data.dates);
    // 104 weeks at 90%: at least 0.9 − 4·√(0.9·0.1/104) ≈ 0.78 covered
    expect(ppc.actual!.coverage).toBeGreaterThan(0.78);
    const ll = pointwiseLogLikelihood(fit, { maxDraws: 400 });
    expect(ll).toHaveLength(400);
    expect(ll[0]).toHaveLength(8 * 104);
    const result = loo(ll);
    expect(Number.isFinite(result.elpdLoo)).toBe(true);
    expect(result.paretoK.filter((k) => k > 0.7).length).toBeLessThan(0.02 * 8 * 104);
  });
  it('draws national response curves through the geos (zero at zero spend, increasing)', () => {
    const curves = responseCurves(fit, { points: 20, maxDraws: 200 });
    for (const c of options.channels) {
      expect(curves[c].y.mean[0]).toBe(0);
      for (let i = 1; i < 20; i++) expect(curves[c].y.mean[i]).toBeGreaterThan(curves[c].y.mean[i - 1]);
    }
  });
  it('reviews a geo fit: its residuals per geo, its baseline over every geo, its ROAS against the priors', () => {
    const review = reviewFit(fit, { maxDraws: 200, priorDraws: 100 });
    const ids = review.checks.map((c) => c.id);
    for (const id of ['ppc.mean', 'ppc.sd', 'ppc.autocorrelation', 'baseline.negative', 'data.outliers', 'fit.r2'])
      expect(ids).toContain(id);
    for (const c of Object.keys(truth.roas)) expect(ids).toContain(`roas.prior:${c}`);
    // the panel is simulated from the geo model: its residuals look like the model's noise, its baseline is positive
    expect(review.checks.find((c) => c.id === 'ppc.autocorrelation')!.status).toBe('pass');
    expect(review.checks.find((c) => c.id === 'baseline.negative')!.value).toBeLessThan(0.05);
    for (const c of review.checks) expect(Number.isFinite(c.value), c.id).toBe(true);
  });

  it('predicts new periods per geo: the fitted weeks again reproduce the fit, and a 12-week holdout is covered', async () => {
    // the last 12 fitted weeks as "new" rows reproduce the fitted mean there (same draws, same carry-over from the data)
    const last = rows.filter((r) => r.week >= '2022-10-10');
    const p = predict(fit, last, { date: 'week', target: 'sales', maxDraws: 400 });
    expect(p.dates).toHaveLength(12);
    expect(Object.keys(p.geos!)).toEqual(truth.geos);
    // from the 8th week on (past the adstock window, as spend before the rows is taken as 0) the mean is the fit's
    for (let t = 8; t < 12; t++) expect(Math.abs(p.mean.mean[t] / fit.contributions.fitted.mean[92 + t] - 1)).toBeLessThan(0.01);
    // a 12-week holdout: fit the first 92 weeks, predict the last 12 (continuing the data, so spend carries over)
    const train = rows.filter((r) => r.week < '2022-10-10');
    const short = await fitMMM(train, { ...options, seed: 3, chains: 2, warmup: 300, draws: 300 });
    const h = predict(short, last, { date: 'week', target: 'sales', maxDraws: 300 });
    expect(h.actual!.mape).toBeLessThan(0.05);
    expect(h.actual!.coverage).toBeGreaterThanOrEqual(0.75);
    expect(() =>
      predict(
        fit,
        last.map((r) => ({ ...r, geo: r.geo === 'geo_01' ? 'geo_99' : r.geo })),
        { date: 'week' },
      ),
    ).toThrow(/rows\.geo=geo_99: is not a geo of the fit/);
  }, 240_000);
});

describe('calibration of a geo fit', () => {
  it('draws the prior predictive national ROAS from a ROAS prior', () => {
    const S = 3000;
    const prior = priorPredictive(rows, { ...options, model: { roasPrior: { mean: 2, sd: 0.5 } } }, { draws: S, seed: 1 });
    // the national ROAS of every channel is the drawn ROAS: mean within 4 standard errors of 2, the 90% interval of
    // LogNormal(mean 2, sd 0.5) from 1.28 to 2.90 within sampling error
    for (const c of ['tv', 'search', 'social']) {
      expect(Math.abs(prior.roas[c].mean - 2)).toBeLessThan(4 * (0.5 / Math.sqrt(S)));
      expect(prior.roas[c].lower).toBeGreaterThan(1.2);
      expect(prior.roas[c].upper).toBeLessThan(3.05);
    }
  });

  it('takes a ROAS prior on the national ROAS and a lift test run in one geo, and reports the geo’s implied lift', async () => {
    const weeks = [...new Set(rows.map((r) => r.week))].sort();
    // a tight prior at the true national ROAS of tv pulls the posterior there
    const test = { channel: 'search', geo: 'geo_02', start: weeks[30], end: weeks[37], spendChange: 5000, lift: 4000, sd: 1500 };
    const fit = await fitMMM(rows, {
      ...options,
      model: { channels: { tv: { roasPrior: { mean: truth.roas.tv, sd: 0.05 * truth.roas.tv } } } },
      liftTests: [test],
      seed: 4,
      chains: 2,
      warmup: 300,
      draws: 300,
    });
    const tv = fit.channels.tv.roas;
    expect(Math.abs(tv.mean - truth.roas.tv)).toBeLessThan(0.15 * truth.roas.tv);
    expect(tv.upper - tv.lower).toBeLessThan(0.5 * truth.roas.tv);
    const implied = fit.liftTests![0].implied;
    expect(Number.isFinite(implied.mean)).toBe(true);
    expect(implied.lower).toBeLessThan(implied.upper);
    await expect(fitMMM(rows, { ...options, liftTests: [{ ...test, geo: undefined }] })).rejects.toMatchObject({
      field: 'options.liftTests[0].geo',
    });
    await expect(fitMMM(rows, { ...options, liftTests: [{ ...test, geo: 'atlantis' }] })).rejects.toMatchObject({
      field: 'options.liftTests[0].geo',
    });
  }, 240_000);
});

describe('geo options through fitMMM: a trend per geo, a geo held out of pooling, an unpooled channel', () => {
  const model = { geoTrend: true, unpooled: { channels: ['social'], geos: ['geo_03'] } };
  let fit: BayesianFit;
  beforeAll(async () => {
    // a short run: these checks are of what the fit reports and how downstream functions read it, not of its gate
    fit = await fitMMM(rows, { ...options, model, seed: 2, chains: 2, warmup: 200, draws: 200 });
  }, 300_000);

  it('reports per-geo slopes, each geo’s own social effect, and pooling only where there is pooling', () => {
    expect(Object.keys(fit.draws)).toEqual(
      expect.arrayContaining(['trend.sd', 'trend.geo[8]', 'social.beta[1]', 'social.beta[8]', 'tv.eta', 'tv.z[3]']),
    );
    expect(fit.draws).not.toHaveProperty('social.eta');
    expect(Object.keys(fit.pooling!.scatter)).toEqual(['tv', 'search']);
    // national = Σ geos, and the held-out geo has results like any other
    for (const c of options.channels)
      expect(truth.geos.reduce((a, g) => a + fit.geos![g].channels[c].contribution.mean, 0)).toBeCloseTo(
        fit.channels[c].contribution.mean,
        6,
      );
    expect(fit.geos!.geo_03.channels.tv.roas.mean).toBeGreaterThan(0);
    expect(fit.spec).toMatchObject(model);
    expect(JSON.parse(JSON.stringify(fit))).toEqual(fit);
  });

  it('budgets and predictions read each geo’s coefficient, in any geo order', () => {
    const cells = optimizeBudget(fit, { relativeBounds: 0.3, maxDraws: 100, byGeo: true });
    expect(Object.keys(cells.allocation)).toHaveLength(24);
    expect(cells.kkt.satisfied).toBe(true);
    // the last 12 fitted weeks, geos in reverse order: each geo's predicted mean is its fitted mean (past the adstock window)
    const last = rows.filter((r) => r.week >= '2022-10-10').reverse();
    const p = predict(fit, last, { date: 'week', target: 'sales', maxDraws: 200 });
    for (const g of truth.geos)
      for (let t = 8; t < 12; t++)
        expect(Math.abs(p.geos![g].mean.mean[t] / fit.geos![g].contributions.fitted.mean[92 + t] - 1)).toBeLessThan(0.01);
  });

  it('draws the prior predictive of the options: the held-out geo’s baseline from Normal(0, 2), each geo’s social β from HalfNormal(1)', () => {
    const S = 2000;
    const prior = priorPredictive(rows, { ...options, model }, { draws: S, seed: 4 });
    const sd = (x: number[]) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length - (x.reduce((a, v) => a + v, 0) / x.length) ** 2);
    // sd of the sample sd of a Normal: σ/√(2S); HalfNormal(1) has mean √(2/π), sd √(1 − 2/π)
    expect(Math.abs(sd(prior.draws['baseline[3]']) - 2)).toBeLessThan(4 * (2 / Math.sqrt(2 * S)));
    const social = prior.draws['social.beta[5]'];
    expect(Math.abs(social.reduce((a, v) => a + v, 0) / S - Math.sqrt(2 / Math.PI))).toBeLessThan(4 * Math.sqrt((1 - 2 / Math.PI) / S));
    // the held-out geo's tv effect β·e^(η z) is HalfNormal(1) too, not the pooled log-normal scatter
    const tv = prior.draws['tv.beta'].map((b, s) => b * Math.exp(prior.draws['tv.eta'][s] * prior.draws['tv.z[3]'][s]));
    expect(Math.abs(tv.reduce((a, v) => a + v, 0) / S - Math.sqrt(2 / Math.PI))).toBeLessThan(4 * Math.sqrt((1 - 2 / Math.PI) / S));
  });

  it('refuses options the data cannot take, naming the field', () => {
    expect(() => prepareFit(rows, { ...options, model: { unpooled: { geos: ['geo_42'] } } })).toThrow(
      /spec\.unpooled\.geos\[0\]: is "geo_42", not a geo of the data/,
    );
    const national = rows.filter((r) => r.geo === 'geo_01');
    expect(() => prepareFit(national, { ...options, geo: undefined, model: { geoTrend: true } })).toThrow(
      /spec\.geoTrend: is true for national data/,
    );
  });
});
