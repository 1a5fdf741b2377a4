import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@mmm/bayes-nuts';
import { hill } from '@mmm/transforms';
import {
  designExperiments,
  fitMMM,
  predictTestResult,
  refitExperiment,
  spendPerPeriod,
  toLiftTest,
  type BayesianFit,
  type ClassicalFit,
} from '../src/index.js';
import { changingData } from './time-varying-data.js';
import { expectRefitAsPredicted, narrowingTolerance } from './refit-check.js';
import { weeklyChannels, weeklyRidgeFit } from './ridge-fixture.js';

const channels = weeklyChannels;

/** Φ(x) by Simpson's rule on the density (independent of the library's erfc). */
function normalCdf(x: number): number {
  // Simpson's rule on the density from −12 to x (the tail below −12 is < 1e-32)
  const a = -12;
  if (x <= a) return 0;
  const n = 2000;
  const h = (x - a) / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const t = a + i * h;
    const f = Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
    s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * f;
  }
  return (s * h) / 3;
}

/** ∫ f(u) φ(u) du over the standard normal by Simpson's rule on ±7 (the mass outside is 2.6e-12). */
function expectNormal(f: (u: number) => number): number {
  const n = 4000;
  const h = 14 / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const u = -7 + i * h;
    s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * f(u) * Math.exp(-0.5 * u * u);
  }
  return (s * h) / 3 / Math.sqrt(2 * Math.PI);
}

describe('designExperiments on a posterior with a closed form (tv linear, its β Normal, everything else fixed)', () => {
  let fit: ClassicalFit;
  let lin: ClassicalFit;
  const S = 20_000;
  let mu0 = 0;
  let tau0 = 0;
  beforeAll(async () => {
    fit = await weeklyRidgeFit();
    // every parameter at one value, but tv's β ~ Normal(μ0, τ0) over 20,000 draws; tv's curve linear (power 1)
    lin = structuredClone(fit);
    lin.spec = { ...lin.spec, channels: lin.spec.channels.map((ch) => (ch.name === 'tv' ? { ...ch, saturation: { type: 'power' } } : ch)) };
    const draws: Record<string, number[][]> = {};
    for (const [name, d] of Object.entries(lin.draws)) if (!name.startsWith('tv.saturation.')) draws[name] = [new Array(S).fill(d[0][0])];
    draws['tv.saturation.exponent'] = [new Array(S).fill(1)];
    mu0 = 0.1;
    tau0 = 0.015;
    const rng = createRng(5, 1);
    draws['tv.beta'] = [Array.from({ length: S }, () => mu0 + tau0 * rng.normal())];
    lin.draws = draws;
  }, 120_000);

  it('predicts the narrowing of the ROAS interval the Normal–Normal update gives, and the power of the test', () => {
    const current = spendPerPeriod(lin);
    const periods = 8;
    const deltaX = current.tv;
    const perSpend =
      lin.data.input.tv.reduce((a, b) => a + b, 0) / lin.data.spend.tv.reduce((a, b) => a + b, 0) / lin.scaling.spendScale[0];
    // the lift is c·β with c = periods × ȳ × (input per unit of spend) × deltaX
    const c = periods * lin.scaling.yScale * perSpend * deltaX;
    const sd = c * tau0;
    const weak = (c * mu0) / 1.5;
    const { designs } = designExperiments(lin, {
      candidates: [
        { channel: 'tv', deltaX, periods, sd },
        { channel: 'tv', deltaX, periods, sd: weak },
      ],
      outcomes: 400,
      maxDraws: S,
      valueOfInformation: 0,
    });
    const z = 1.6448536269514722;
    const width = (m: number, t: number) => Math.log((m + z * t) / (m - z * t));
    // after observing y: 1/τ1² = 1/τ0² + c²/sd², μ1 = τ1²(μ0/τ0² + c·y/sd²); y ~ Normal(c·μ0, c²τ0² + sd²)
    const truth = (s: number) => {
      const tau1 = 1 / Math.sqrt(1 / tau0 ** 2 + (c * c) / (s * s));
      const ySd = Math.sqrt(c * c * tau0 * tau0 + s * s);
      const ratio = (u: number) => {
        const y = c * mu0 + ySd * u;
        const mu1 = tau1 * tau1 * (mu0 / tau0 ** 2 + (c * y) / (s * s));
        return width(mu0, tau0) / width(mu1, tau1);
      };
      const mean = expectNormal(ratio);
      return { mean, sd: Math.sqrt(expectNormal((u) => (ratio(u) - mean) ** 2)) };
    };
    for (const [k, s] of [sd, weak].entries()) {
      const d = designs.find((x) => x.sd === s)!;
      const t = truth(s);
      // errors: the outcomes' Monte Carlo (the ratio's spread / √400) and the empirical quantiles of the weighted draws
      // (relative sd of a 90% interval's width from n draws of a Normal ≈ 0.91/√n, n the weights' ESS, before and after)
      const tol = 4 * Math.hypot(t.sd / Math.sqrt(400), t.mean * Math.hypot(0.91 / Math.sqrt(d.importanceEss), 0.91 / Math.sqrt(S)));
      expect(Math.abs(d.expectedNarrowing - t.mean), `design ${k}: ${d.expectedNarrowing} vs ${t.mean} ± ${tol}`).toBeLessThan(tol);
      // power: P(|y| > z·sd) with y ~ c·β + Normal(0, sd), β ~ Normal(μ0, τ0)
      const exactPower = expectNormal((u) => {
        const L = c * (mu0 + tau0 * u);
        return normalCdf(L / s - z) + normalCdf(-L / s - z);
      });
      expect(Math.abs(d.power - exactPower)).toBeLessThan(4 * Math.sqrt((exactPower * (1 - exactPower)) / S) + 1e-9);
      // and against simulated tests: the share whose 90% interval excludes zero
      const rng = createRng(9, k);
      let excluded = 0;
      const N = 20_000;
      for (let i = 0; i < N; i++) {
        const y = c * (mu0 + tau0 * rng.normal()) + s * rng.normal();
        if (Math.abs(y) > z * s) excluded++;
      }
      expect(Math.abs(excluded / N - d.power)).toBeLessThan(4 * Math.sqrt((d.power * (1 - d.power)) / N));
      // the expected lift is c·β's posterior
      expect(d.expectedLift.mean).toBeCloseTo(c * mu0, -Math.log10(c * tau0 * 0.05));
    }
    // the precise test teaches more than the imprecise one, and ranks first
    expect(designs[0].sd).toBe(sd);
    expect(designs[0].expectedNarrowing).toBeGreaterThan(designs[1].expectedNarrowing);
  }, 120_000);

  it('judges the default grid, converts a result into a lift test, and refuses bad options in words', () => {
    const out = designExperiments(fit, { outcomes: 40, maxDraws: 200, valueOfInformation: 2 });
    const current = spendPerPeriod(fit);
    expect(out.designs).toHaveLength(channels.filter((c) => current[c] > 0).length * 4 * 3);
    for (let i = 1; i < out.designs.length; i++)
      expect(out.designs[i - 1].narrowingRange[0]).toBeGreaterThanOrEqual(out.designs[i].narrowingRange[0]);
    for (const d of out.designs) {
      expect(d.power).toBeGreaterThanOrEqual(0);
      expect(d.power).toBeLessThanOrEqual(1);
      expect(d.expectedNarrowing).toBeGreaterThan(0);
    }
    expect(out.designs[0].valueOfInformation).toBeGreaterThanOrEqual(0);
    expect(out.designs[2].valueOfInformation).toBeUndefined();
    const d = out.designs[0];
    expect(toLiftTest(d, 1200)).toEqual({ channel: d.channel, x: d.x, deltaX: d.deltaX, lift: 1200 / d.periods, sd: d.sd / d.periods });
    expect(() => toLiftTest(d, Number.NaN)).toThrow(/measuredLift/);
    expect(() => designExperiments(fit, { outcome: 10 } as never)).toThrow(/outcome/);
    expect(() => designExperiments(fit, { channels: ['teevee'] })).toThrow(/options\.channels\[0\]/);
    expect(() => designExperiments(fit, { candidates: [{ channel: 'tv', deltaX: -1e12, periods: 4 }] })).toThrow(/deltaX/);
    expect(() => designExperiments(fit, { spendChanges: [0] })).toThrow(/spendChanges/);
  }, 60_000);
});

describe('designExperiments against refitting with the test it designed', () => {
  const data = changingData(2, 'none', { T: 156 });
  const options = { date: 'date', target: 'sales', channels: data.channels, seed: 2, parallel: false };
  let fit: BayesianFit;
  beforeAll(async () => {
    fit = (await fitMMM(data.rows, options)) as BayesianFit;
  }, 120_000);

  it("predicts what the best design's result does to the ROAS interval as a refit with that result does, and keeps the truth", async () => {
    const { designs } = designExperiments(fit, { outcomes: 200, valueOfInformation: 0 });
    const best = designs[0];
    expect(best.power).toBeGreaterThanOrEqual(0);
    expect(best.power).toBeLessThanOrEqual(1);
    // the measured lift from the true curve at steady state (tv: K 0.5, S 1.6, β 0.18; search: 0.45, 1.3, 0.12; social:
    // 0.4, 1.4, 0.08; target unit 1e4), plus Normal noise with the design's sd
    const truth: Record<string, [number, number, number]> = { tv: [0.5, 1.6, 0.18], search: [0.45, 1.3, 0.12], social: [0.4, 1.4, 0.08] };
    const [K, Sl, beta] = truth[best.channel];
    const scale = fit.scaling.spendScale[data.channels.indexOf(best.channel)];
    const f = (x: number) => 1e4 * beta * hill(x / scale, K, Sl);
    const measured = best.periods * (f(best.x + best.deltaX) - f(best.x)) + best.sd * createRng(3, 0).normal();
    const predicted = predictTestResult(fit, best, measured);
    const refit = (await fitMMM(data.rows, { ...options, liftTests: [toLiftTest(best, measured)] })) as BayesianFit;
    const spend = data.rows.reduce((a, r) => a + Number(r[best.channel]), 0);
    const trueRoas = data.contributions[best.channel].reduce((a, b) => a + b, 0) / spend;
    expectRefitAsPredicted(fit, refit, best.channel, predicted, trueRoas);
    expect(trueRoas).toBeGreaterThanOrEqual(predicted.roas.lower);
    expect(trueRoas).toBeLessThanOrEqual(predicted.roas.upper);
  }, 400_000);

  it('judges a design by refitting with simulated outcomes (refitExperiment), each as the importance weights predict it', async () => {
    const { designs } = designExperiments(fit, { outcomes: 100, valueOfInformation: 0, durations: [8] });
    const design = designs[0];
    const done: number[] = [];
    const check = await refitExperiment(data.rows, options, fit, design, { outcomes: 2, seed: 4, onOutcome: (n) => done.push(n) });
    expect(done).toEqual([1, 2]);
    expect(check.outcomes).toHaveLength(2);
    expect(check.failedGates).toBe(0);
    expect(check.expectedNarrowing).toBe(design.expectedNarrowing);
    // the geometric mean of the outcomes' narrowing
    expect(check.narrowing).toBeCloseTo(Math.sqrt(check.outcomes[0].narrowing * check.outcomes[1].narrowing), 12);
    for (const o of check.outcomes) {
      // each refit against the importance-weighted prediction for the same outcome
      expect(Math.abs(Math.log(o.predicted / o.narrowing)), `${o.predicted} vs ${o.narrowing} (ESS ${o.ess})`).toBeLessThan(
        narrowingTolerance(o.ess),
      );
      expect(o.narrowing).toBeGreaterThan(1);
    }
    await expect(refitExperiment(data.rows, options, fit, design, { outcomes: 0 })).rejects.toMatchObject({ field: 'outcomes' });
    await expect(refitExperiment(data.rows, { ...options, channels: ['tv', 'search'] }, fit, design)).rejects.toMatchObject({
      field: 'options.channels',
    });
    await expect(refitExperiment(data.rows, { ...options, method: 'ridge' }, fit, design)).rejects.toMatchObject({ field: 'fit.method' });
    await expect(refitExperiment(data.rows, options, fit, design, { outcome: 3 } as never)).rejects.toMatchObject({
      field: 'refit.outcome',
    });
  }, 400_000);
});
