// Calibration through fitMMM: lift tests, ROAS priors, the knots baseline, on data simulated by @mmm/model with known
// truth. Two channels (tv, radio) always run together, so without calibration their effects cannot be told apart.
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@mmm/bayes-nuts';
import { simulate, type ModelSpec } from '@mmm/model';
import { adstockFamilies, adstockInto, saturationFamilies } from '@mmm/transforms';
import { compareModels, fitMMM, liftTestsFromPyMC, priorPredictive, type FitMMMOptions, type BayesianFit } from '../src/index.js';

const T = 104;
const rng = createRng(5, 1);
const on = Float64Array.from({ length: T }, (_, t) => (Math.floor(t / 6) % 2 === 0 ? 800 + 400 * rng.uniform() : 100 * rng.uniform()));
const spend: Record<string, Float64Array> = {
  tv: on.map((v) => v * (0.9 + 0.2 * rng.uniform())),
  radio: on.map((v) => 0.5 * v * (0.9 + 0.2 * rng.uniform())),
  // search runs on its own, on and off at random: its effect is well measured
  search: Float64Array.from({ length: T }, () => (rng.uniform() < 0.5 ? 0 : 400 + 600 * rng.uniform())),
};
const spec: ModelSpec = {
  channels: [{ name: 'tv' }, { name: 'radio' }, { name: 'search' }],
  seasonality: { order: 1, period: 52 },
  trend: 'linear',
};
const truth = {
  tv: { alpha: 0.5, K: 0.5, S: 1.5, beta: 0.15 },
  radio: { alpha: 0.3, K: 0.4, S: 1.2, beta: 0.08 },
  search: { alpha: 0.2, K: 0.5, S: 1.5, beta: 0.1 },
};
const params: Record<string, number[]> = { intercept: [0.8], trend: [0.02], fourier: [0.05, -0.03], sigma: [0.04] };
for (const [c, p] of Object.entries(truth))
  Object.assign(params, {
    [`${c}.adstock.alpha`]: [p.alpha],
    [`${c}.saturation.halfSaturation`]: [p.K],
    [`${c}.saturation.slope`]: [p.S],
    [`${c}.beta`]: [p.beta],
  });
const yScale = 1e4;
const sim = simulate(spec, { spend }, params, { seed: 3, yScale });
const dates = Array.from({ length: T }, (_, t) => new Date(Date.UTC(2023, 0, 2) + 7 * t * 86_400_000).toISOString().slice(0, 10));
const rows = dates.map((d, t) => ({ date: d, sales: sim.y[t], tv: spend.tv[t], radio: spend.radio[t], search: spend.search[t] }));
const trueRoas = (c: string) => sim.contributions[c].reduce((a, b) => a + b, 0) / spend[c].reduce((a, b) => a + b, 0);
const options = {
  date: 'date',
  target: 'sales',
  channels: ['tv', 'radio', 'search'],
  model: { seasonality: { order: 1, period: 52 } },
  seed: 1,
  warmup: 600,
  draws: 600,
} satisfies FitMMMOptions;

/** The lift the generating curve gives, exactly as fitMMM's liftTests define it (spend spread evenly, a period's spend at least 0). */
function trueLift(channel: 'tv', start: number, end: number, change: number): number {
  const x = spend[channel];
  const max = Math.max(...x);
  const p = truth[channel];
  const w = adstockFamilies.geometric.weightsInto(new Float64Array(8), [p.alpha], true);
  const curve = (s: Float64Array) =>
    saturationFamilies.hill.valueInto(
      new Float64Array(T),
      adstockInto(
        new Float64Array(T),
        s.map((v) => v / max),
        w,
      ),
      [p.K, p.S],
    );
  const base = curve(x);
  const changed = curve(x.map((v, i) => (i >= start && i <= end ? Math.max(0, v + change / (end - start + 1)) : v)));
  let lift = 0;
  for (let i = start; i <= end; i++) lift += p.beta * (changed[i] - base[i]) * yScale;
  return lift;
}

const width = (f: BayesianFit, c: string) => f.channels[c].roas.upper - f.channels[c].roas.lower;
const inside = (f: BayesianFit, c: string, v: number) => f.channels[c].roas.lower <= v && v <= f.channels[c].roas.upper;

describe('calibration through fitMMM', () => {
  let plain: BayesianFit;
  beforeAll(async () => {
    plain = await fitMMM(rows, options);
  }, 120_000);

  it('a lift test (tv dark for 12 weeks of a flight) narrows tv’s ROAS interval 1.5× or more and keeps the truth; the fit reports the implied lift', async () => {
    // without calibration tv and radio trade off: tv's 90% interval is wide
    expect(width(plain, 'tv')).toBeGreaterThan(2);
    const [start, end] = [36, 47];
    const windowSpend = spend.tv.slice(start, end + 1).reduce((a, b) => a + b, 0);
    const lift = trueLift('tv', start, end, -windowSpend);
    const fit = await fitMMM(rows, {
      ...options,
      liftTests: [{ channel: 'tv', start: dates[start], end: dates[end], spendChange: -windowSpend, lift, sd: Math.abs(0.1 * lift) }],
    });
    expect(width(plain, 'tv') / width(fit, 'tv')).toBeGreaterThan(1.5);
    expect(inside(fit, 'tv', trueRoas('tv'))).toBe(true);
    const implied = fit.liftTests![0].implied;
    expect(implied.lower).toBeLessThan(lift);
    expect(implied.upper).toBeGreaterThan(lift);
    // the posterior of the implied lift is no wider than the measurement's own 90% interval (the model adds
    // information, in the Gaussian case 1/σ_post² = 1/σ_lift² + 1/σ_model²), up to the Monte Carlo error of the estimated
    // interval: for a normal posterior the width of the sample 5–95% interval has sd ≈ 0.3/(φ(1.645)·√ESS)·σ ≈
    // 0.885·width/√ESS (the min ESS-bulk over parameters standing in for this quantity's)
    const w = implied.upper - implied.lower;
    expect(w).toBeLessThan(2 * 1.645 * Math.abs(0.1 * lift) + (4 * 0.885 * w) / Math.sqrt(fit.diagnostics.essBulkMin));
  }, 120_000);

  it('a tight ROAS prior at the truth narrows the interval and keeps the truth; a vague one moves a well-measured channel by a small part of its posterior sd', async () => {
    const tight = await fitMMM(rows, {
      ...options,
      model: { ...options.model, channels: { tv: { roasPrior: { mean: trueRoas('tv'), sd: 0.1 * trueRoas('tv') } } } },
    });
    expect(width(plain, 'tv') / width(tight, 'tv')).toBeGreaterThan(3);
    expect(inside(tight, 'tv', trueRoas('tv'))).toBe(true);
    const vague = await fitMMM(rows, { ...options, model: { ...options.model, channels: { search: { roasPrior: { mean: 2, sd: 5 } } } } });
    // The vague prior (log-normal on the ROAS, mean 2, sd 5) replaces β's HalfNormal prior, so the posterior does move a
    // little (0.22 posterior sd here, 4.4 Monte Carlo standard errors): the claim is that it stays within half a posterior
    // sd, up to Monte Carlo error (each mean's standard error ≤ sd/√(min ESS over parameters); the sd from the 90% interval)
    const sd = (f: BayesianFit) => width(f, 'search') / (2 * 1.645);
    const mcse = (f: BayesianFit) => sd(f) / Math.sqrt(f.diagnostics.essBulkMin);
    expect(Math.abs(vague.channels.search.roas.mean - plain.channels.search.roas.mean)).toBeLessThan(
      0.5 * sd(plain) + 4 * Math.hypot(mcse(vague), mcse(plain)),
    );
  }, 120_000);

  it('the prior predictive ROAS under a ROAS prior has the requested mean and sd', () => {
    const S = 4000;
    const prior = priorPredictive(
      rows,
      { ...options, model: { ...options.model, roasPrior: { mean: 2, sd: 0.5 } } },
      { draws: S, seed: 2 },
    );
    // each channel's ROAS draws: mean within 4 standard errors of 2; the log-normal's sd estimate has a standard error of
    // about sd·√((κ − 1)/(4S)) with kurtosis κ ≈ 5.9 here: within 4 of those of 0.5
    for (const c of ['tv', 'radio', 'search']) {
      const e = prior.roas[c];
      expect(Math.abs(e.mean - 2)).toBeLessThan(4 * (0.5 / Math.sqrt(S)));
      // the 90% interval of LogNormal(mean 2, sd 0.5) runs from 1.28 to 2.90
      expect(e.lower).toBeGreaterThan(1.2);
      expect(e.lower).toBeLessThan(1.36);
      expect(e.upper).toBeGreaterThan(2.78);
      expect(e.upper).toBeLessThan(3.02);
    }
  });

  it('reads PyMC-Marketing’s lift-test table and fits it on the steady-state curve', async () => {
    const table = [{ channel: 'tv', x: 600, delta_x: 300, delta_y: 700, sigma: 100 }];
    const tests = liftTestsFromPyMC(table);
    expect(tests).toEqual([{ channel: 'tv', x: 600, deltaX: 300, lift: 700, sd: 100 }]);
    expect(
      liftTestsFromPyMC([{ ch: 'tv', spend: '600', dx: '300', dy: '700', se: '100' }], {
        channel: 'ch',
        x: 'spend',
        deltaX: 'dx',
        deltaY: 'dy',
        sigma: 'se',
      }),
    ).toEqual(tests);
    expect(() => liftTestsFromPyMC([{ channel: 'tv', x: 600, delta_x: 'a', delta_y: 1, sigma: 1 }])).toThrow(
      expect.objectContaining({ field: 'rows[0].delta_x' }),
    );
    const fit = await fitMMM(rows, { ...options, chains: 2, warmup: 300, draws: 300, liftTests: tests });
    // the fitted model's steady-state lift sits near the measured 700 (within 4 measurement sds)
    expect(Math.abs(fit.liftTests![0].implied.mean - 700)).toBeLessThan(400);
    expect('x' in fit.liftTests![0]).toBe(true);
  }, 120_000);

  it('refuses calibration it cannot use, naming the field', async () => {
    const lt = { channel: 'tv', start: dates[10], end: dates[12], spendChange: 100, lift: 10, sd: 5 };
    await expect(fitMMM(rows, { ...options, liftTests: [{ ...lt, channel: 'print' }] })).rejects.toMatchObject({
      field: 'options.liftTests[0].channel',
    });
    await expect(fitMMM(rows, { ...options, liftTests: [{ ...lt, start: '2020-01-06' }] })).rejects.toMatchObject({
      field: 'options.liftTests[0].start',
    });
    await expect(fitMMM(rows, { ...options, liftTests: [{ ...lt, end: '2023-03-15' }] })).rejects.toMatchObject({
      field: 'options.liftTests[0].end',
    });
    await expect(fitMMM(rows, { ...options, liftTests: [{ ...lt, start: dates[12], end: dates[10] }] })).rejects.toMatchObject({
      field: 'options.liftTests[0].end',
    });
    await expect(fitMMM(rows, { ...options, liftTests: [{ ...lt, sd: 0 }] })).rejects.toMatchObject({ field: 'options.liftTests[0].sd' });
    await expect(fitMMM(rows, { ...options, liftTests: [{ ...lt, geo: 'north' }] })).rejects.toMatchObject({
      field: 'options.liftTests[0].geo',
    });
    await expect(fitMMM(rows, { ...options, model: { roasPrior: { mean: -1, sd: 1 } } })).rejects.toMatchObject({
      field: 'spec.roasPrior.mean',
    });
    await expect(fitMMM(rows, { ...options, method: 'ridge', liftTests: [lt] })).rejects.toMatchObject({ field: 'options.liftTests' });
    await expect(fitMMM(rows, { ...options, liftTests: [{ channel: 'tv', x: 100, deltaX: -200, lift: 1, sd: 1 }] })).rejects.toMatchObject({
      field: 'options.liftTests[0].deltaX',
    });
  });
});

describe('a baseline that moves: knots and a Gaussian process', () => {
  it('follows a structural shift the linear trend cannot, inside its band for most periods, and PSIS-LOO prefers it', async () => {
    // the same data with the baseline raised by 15% of its mean from week 60 on
    const shift = 0.15 * yScale;
    const shifted = rows.map((r, t) => ({ ...r, sales: r.sales + (t >= 60 ? shift : 0) }));
    const linear = await fitMMM(shifted, options);
    const knots = await fitMMM(shifted, { ...options, model: { ...options.model, trend: { knots: 12, sd: 0.2 } } });
    // the true baseline (intercept + trend + shift) in target units
    const base = Array.from({ length: T }, (_, t) => (params.intercept[0] + params.trend[0] * (t / 52)) * yScale + (t >= 60 ? shift : 0));
    const band = knots.contributions.trend;
    const covered = base.filter((b, t) => b >= band.lower[t] && b <= band.upper[t]).length;
    expect(covered / T).toBeGreaterThan(0.7);
    const gp = await fitMMM(shifted, { ...options, model: { ...options.model, trend: { gp: { lengthscale: 13 } } } });
    const gpBand = gp.contributions.trend;
    expect(base.filter((b, t) => b >= gpBand.lower[t] && b <= gpBand.upper[t]).length / T).toBeGreaterThan(0.7);
    const cmp = compareModels({ knots, linear, gp });
    // either moving baseline beats the linear trend by more than 2 standard errors of the difference
    expect(cmp.comparison[2].name).toBe('linear');
    expect(-cmp.comparison[2].elpdDiff).toBeGreaterThan(2 * cmp.comparison[2].seDiff);
  }, 180_000);
});
