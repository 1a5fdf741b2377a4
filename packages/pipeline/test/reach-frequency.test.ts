// Reach-and-frequency channels through fitMMM: recovery of the optimal frequency and the ROAS on simulated data with
// known truth over several seeds, LOO against the impressions-only model, budgets and curves against the closed form of
// the linear response at a fixed frequency, predictions, and the typed errors.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { InvalidInputError, MmmError } from '@mmm/core';
import { describe, expect, it } from 'vitest';
import {
  compareModels,
  designExperiments,
  fitMMM,
  optimizeBudget,
  planSchedule,
  posteriorPredictive,
  responseCurves,
  reviewFit,
  saturationCurves,
  type BayesianFit,
  type FitMMMOptions,
} from '../src/index.js';
import { reachFrequencyData, RF_CHANNELS } from './reach-frequency-data.js';

const options = (seed: number): FitMMMOptions => ({ date: 'date', target: 'sales', channels: [...RF_CHANNELS], seed });

describe('reach and frequency: recovery with the defaults', () => {
  // 6 data sets (the video curve's K in [1.5, 3.5] and S in [1.5, 3] drawn per seed), 4 × (1000 + 1000) each. With 90%
  // intervals the count inside is Binomial(6, 0.9) if they are calibrated: at least 4 with probability 0.984
  it('the true optimal frequency and ROAS inside their 90% intervals on at least 4 of 6 data sets; the gate passes', {
    timeout: 300_000,
  }, async () => {
    let optimal = 0;
    let roas = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const data = reachFrequencyData(seed);
      const fit = (await fitMMM(data.rows, options(seed))) as BayesianFit;
      expect(fit.diagnostics.passed, `seed ${seed}: ${JSON.stringify(fit.diagnostics.failures)}`).toBe(true);
      const video = fit.channels.video;
      const o = video.optimalFrequency!;
      if (o.lower <= data.truth.optimalFrequency && data.truth.optimalFrequency <= o.upper) optimal++;
      if (video.roas.lower <= data.truth.roas && data.truth.roas <= video.roas.upper) roas++;
      // at a fixed frequency the contribution is linear in reach: the marginal ROAS is the ROAS
      expect(video.marginalRoas.mean).toBeCloseTo(video.roas.mean, 10);
      // the data's frequencies as generated (1 to 6 where reached)
      const rf = video.reachFrequency!;
      expect(rf.maxFrequency).toBeLessThanOrEqual(6);
      expect(rf.averageFrequency).toBeGreaterThan(1);
      expect(rf.responseByFrequency.frequency[0]).toBe(1);
      expect(rf.responseByFrequency.roas).toHaveLength(rf.responseByFrequency.frequency.length);
      expect(fit.data.frequency?.video).toHaveLength(data.rows.length);
      expect(video.optimalFrequency).toBeDefined();
      expect(fit.channels.tv.optimalFrequency).toBeUndefined();
    }
    expect(optimal).toBeGreaterThanOrEqual(4);
    expect(roas).toBeGreaterThanOrEqual(4);
  });
});

describe('reach and frequency: what the fit says and does', () => {
  let fit: BayesianFit;
  const data = reachFrequencyData(3);
  it('fits', { timeout: 60_000 }, async () => {
    fit = (await fitMMM(data.rows, options(3))) as BayesianFit;
    expect(fit.diagnostics.passed).toBe(true);
  });

  it('the ROAS by frequency is A·H(f)/f / spend per draw, A = Σ_t β·ȳ·r_t·f_t; the optimal frequency K·(S − 1)^(1/S)', () => {
    // written out from the draws and the data, independently of the summary's code
    const draws = (name: string) => fit.draws[name].flat();
    const [beta, K, S] = ['video.beta', 'video.saturation.halfSaturation', 'video.saturation.slope'].map(draws);
    const reach = fit.data.input.video;
    const f = fit.data.frequency!.video;
    const scale = fit.scaling.spendScale[2];
    const spend = fit.channels.video.spend;
    const impressionsScaled = reach.reduce((a, r, t) => a + (r / scale) * f[t], 0);
    const rf = fit.channels.video.reachFrequency!;
    rf.responseByFrequency.frequency.forEach((q, j) => {
      const mean =
        beta.reduce((a, b, s) => {
          const h = q ** S[s] / (q ** S[s] + K[s] ** S[s]);
          return a + (b * fit.scaling.yScale * impressionsScaled * h) / q / spend;
        }, 0) / beta.length;
      expect(rf.responseByFrequency.roas[j].mean).toBeCloseTo(mean, 8);
    });
    const optimal = K.map((k, s) => (S[s] > 1 ? k * (S[s] - 1) ** (1 / S[s]) : 0));
    expect(fit.channels.video.optimalFrequency!.mean).toBeCloseTo(optimal.reduce((a, b) => a + b, 0) / optimal.length, 10);
    // the data's average frequency: impressions over reach
    expect(rf.averageFrequency).toBeCloseTo(reach.reduce((a, r, t) => a + r * f[t], 0) / reach.reduce((a, b) => a + b, 0), 10);
  });

  it('the response curve at a fixed frequency is the closed form β·ȳ·(x/c)·H(f)/(f·scale), per draw', () => {
    const draws = (name: string) => fit.draws[name].flat();
    const beta = draws('video.beta');
    const K = draws('video.saturation.halfSaturation');
    const S = draws('video.saturation.slope');
    const reach = fit.data.input.video;
    const f = fit.data.frequency!.video;
    const impressions = reach.reduce((a, r, t) => a + r * f[t], 0);
    const average = impressions / reach.reduce((a, b) => a + b, 0);
    const cost = fit.data.spend.video.reduce((a, b) => a + b, 0) / impressions;
    const scale = fit.scaling.spendScale[2];
    const max = Math.max(...f);
    const curves = {
      historical: responseCurves(fit, { frequency: 'historical', maxDraws: 4000, points: 5 }).video,
      optimal: responseCurves(fit, { maxDraws: 4000, points: 5 }).video,
    };
    for (const choice of ['historical', 'optimal'] as const) {
      const curve = curves[choice];
      curve.x.forEach((x, i) => {
        const expected =
          beta.reduce((a, b, s) => {
            const opt = S[s] > 1 ? K[s] * (S[s] - 1) ** (1 / S[s]) : 1;
            const freq = choice === 'historical' ? average : Math.min(Math.max(opt, 1), max);
            const h = freq ** S[s] / (freq ** S[s] + K[s] ** S[s]);
            return a + (b * fit.scaling.yScale * (x / cost) * h) / (freq * scale);
          }, 0) / beta.length;
        expect(curve.y.mean[i]).toBeCloseTo(expected, 6);
      });
    }
    // the Hill curve on frequency, from 0 to 1.5 × the largest frequency
    const sat = saturationCurves(fit, { points: 4 }).video;
    expect(sat.x.at(-1)).toBeCloseTo(1.5 * max, 10);
  });

  it('budgets treat the channel as linear in spend at the chosen frequency; predictions read its frequency', () => {
    const plan = optimizeBudget(fit, { frequency: 'historical', bounds: { video: [0, 2 * (fit.channels.video.spend / 156)] } });
    expect(Object.keys(plan.allocation)).toContain('video');
    // a plan over time: the channel is a unit like any other, linear at its optimal frequency
    const perPeriod = Object.values(fit.channels).reduce((a, c) => a + c.spend, 0) / 156;
    const sched = planSchedule(fit, { periods: 8, budget: 8 * perPeriod, maxDraws: 200 });
    expect(sched.spend.video).toHaveLength(8);
    const pp = posteriorPredictive(fit, { maxDraws: 400 });
    expect(pp.actual!.coverage).toBeGreaterThan(0.8);
    expect(() => optimizeBudget(fit, { frequency: 'best' as never })).toThrow(/options\.frequency/);
    expect(() => designExperiments(fit, { channels: ['video'] })).toThrow(InvalidInputError);
    expect(designExperiments(fit, { maxDraws: 400 }).designs.every((d) => d.channel !== 'video')).toBe(true);
    // the review's cost-per-unit check reads impressions (reach × frequency), whose cost drifts ±20% in these data
    const cost = reviewFit(fit).checks.find((c) => c.id === 'data.costPerUnit:video')!;
    expect(cost.status).toBe('pass');
    expect(cost.value).toBeLessThan(0.2);
  });
});

describe('reach and frequency: a geo panel', () => {
  it('fits a reach-and-frequency channel in the geo hierarchy; budgets by geo, curves and predictions work', {
    timeout: 120_000,
  }, async () => {
    // the geo fixture's first 4 geos, social as a reach-and-frequency channel (a frequency cycling over 1 … 4.6 per geo,
    // the reach its impressions over it) and radio-like organic media from search's spend pattern
    const all = parse(readFileSync(new URL('./fixtures/geo_weekly.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
      Record<string, string>
    >;
    const geos = [...new Set(all.map((r) => r.geo))].slice(0, 4);
    const rows = all
      .filter((r) => geos.includes(r.geo))
      .map((r, i) => {
        const frequency = 1 + (4 * ((i * 7) % 10)) / 10;
        return { ...r, social_reach: (Number(r.social) * 250) / frequency, social_frequency: Number(r.social) > 0 ? frequency : 0 };
      });
    const fit = (await fitMMM(rows, {
      date: 'week',
      geo: 'geo',
      population: 'population',
      target: 'sales',
      channels: ['tv', 'search', { name: 'social', reach: 'social_reach', frequency: 'social_frequency', spend: 'social' }],
      controls: ['price_index'],
      treatments: ['competitor_index'],
      chains: 2,
      warmup: 200,
      draws: 200,
      seed: 3,
    })) as BayesianFit;
    const o = fit.channels.social.optimalFrequency!;
    expect(o.lower).toBeLessThanOrEqual(o.upper);
    expect(fit.panel!.frequency!.social).toHaveLength(4);
    // per geo: the ROAS of each geo's reach-and-frequency channel, and its marginal ROAS equal to it
    for (const g of geos) expect(fit.geos![g].channels.social.marginalRoas.mean).toBeCloseTo(fit.geos![g].channels.social.roas.mean, 8);
    expect(Number.isFinite(fit.treatments!.competitor_index.effect.mean)).toBe(true);
    const plan = optimizeBudget(fit, { byGeo: true, maxDraws: 100 });
    expect(Object.keys(plan.allocation).filter((k) => k.endsWith('/social'))).toHaveLength(4);
    expect(responseCurves(fit, { maxDraws: 100, points: 5 }).social.y.mean.every(Number.isFinite)).toBe(true);
    expect(posteriorPredictive(fit, { maxDraws: 100 }).actual!.coverage).toBeGreaterThan(0.7);
  });
});

describe('reach and frequency: LOO prefers the model the data came from', () => {
  // frequencies up to 10 and a larger video effect: impressions at frequency 10 are worth far less than at 2, which a
  // curve of impressions alone cannot say (on the defaults' data, video 5% of sales, the two are within 1–2 SE)
  it('over impressions alone, by more than 2 standard errors, on 2 data sets', { timeout: 120_000 }, async () => {
    for (const seed of [1, 2]) {
      const data = reachFrequencyData(seed, { beta: 0.6, maxFrequency: 10 });
      const rf = (await fitMMM(data.rows, options(seed))) as BayesianFit;
      const imp = (await fitMMM(data.rows, {
        ...options(seed),
        channels: ['tv', 'search', { name: 'video', exposure: 'video_impressions', spend: 'video_spend' }],
      })) as BayesianFit;
      const { comparison } = compareModels({ rf, imp });
      expect(comparison[0].name).toBe('rf');
      expect(comparison[1].elpdDiff).toBeLessThan(-2 * comparison[1].seDiff);
    }
  });
});

describe('reach and frequency: typed errors', () => {
  const data = reachFrequencyData(1, { T: 60 });
  const fails = async (channels: FitMMMOptions['channels'], field: RegExp, extra: Partial<FitMMMOptions> = {}, rows = data.rows) => {
    const error = await fitMMM(rows, { ...options(1), channels, chains: 1, warmup: 20, draws: 20, ...extra }).catch((e: unknown) => e);
    // a typed error naming the field (a cell that is not a number is the table reader's NonFiniteError)
    expect(error).toBeInstanceOf(MmmError);
    expect((error as InvalidInputError).field).toMatch(field);
  };
  it('a missing reach, frequency or spend; exposure beside reach; one column in two roles', async () => {
    await fails(['tv', { name: 'video', reach: 'video_reach', spend: 'video_spend' } as never], /video\.frequency/);
    await fails(['tv', { name: 'video', frequency: 'video_frequency', spend: 'video_spend' } as never], /video\.reach/);
    await fails(['tv', { name: 'video', reach: 'video_reach', frequency: 'video_frequency' } as never], /video\.spend/);
    await fails(
      [
        'tv',
        { name: 'video', reach: 'video_reach', frequency: 'video_frequency', spend: 'video_spend', exposure: 'video_impressions' } as never,
      ],
      /video\.exposure/,
    );
    await fails(['tv', { name: 'video', reach: 'tv', frequency: 'video_frequency', spend: 'video_spend' }], /video\.reach/);
    await fails(['tv', { name: 'video', reach: 'video_reach', frequency: 'video_reach', spend: 'video_spend' }], /video\.frequency/);
  });
  it('a frequency below 1 where people were reached, negative, or not a number; a classical method', async () => {
    const at = data.rows.findIndex((r) => Number(r.video_reach) > 0);
    const withValue = (v: number) => data.rows.map((r, t) => (t === at ? { ...r, video_frequency: v } : r));
    const channels = [...RF_CHANNELS];
    await fails(channels, new RegExp(`rows\\[${at}\\]\\.video_frequency`), {}, withValue(0.5));
    await fails(channels, new RegExp(`rows\\[${at}\\]\\.video_frequency`), {}, withValue(-1));
    await fails(channels, /video_frequency/, {}, withValue(Number.NaN));
    await fails(channels, /options\.channels\.video/, { method: 'ridge' });
  });
});
