// Lift tests in sets of geos, designed on a geo fit of a simulated panel with known truth and checked by refitting with
// the result the best design would measure.
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@mmm/bayes-nuts';
import { hill } from '@mmm/transforms';
import {
  designExperiments,
  fitMMM,
  predictTestResult,
  spendPerPeriod,
  toLiftTest,
  type BayesianFit,
  type SteadyLiftTest,
} from '../src/index.js';
import { prepareFit } from '../src/prepare.js';
import { geoStudyDataset } from '../bench/simulated.js';
import { expectRefitAsPredicted } from './refit-check.js';

// a panel from the geo hierarchy (6 geos × 104 weeks × 3 channels; per-capita target in units of yScale 2) whose
// default fit passes the gate (the reference fixture's funnel does not, at these settings: geo.test.ts)
const data = geoStudyDataset(5004);
const rows = data.rows;
const options = {
  date: 'week',
  geo: 'geo',
  population: 'population',
  target: 'sales',
  channels: data.channels,
  controls: ['price'],
  seed: 1,
  remedy: false as const,
};

/** The true steady-state lift per period of spending x + dx instead of x per period in geo g (sales units). */
function trueLift(fit: BayesianFit, channel: string, g: number, x: number, dx: number): number {
  const p = (name: string) => data.params[`${channel}.${name}`];
  const pop = Number(rows[g * 104].population);
  // the simulator scales spend as a fit does (per capita over the mean per-capita spend of geo-periods with spend)
  const m = fit.scaling.spendScale[data.channels.indexOf(channel)];
  const s = (v: number) => hill(v / pop / m, p('saturation.halfSaturation')[0], p('saturation.slope')[0]);
  return pop * 2 * p('beta')[0] * Math.exp(p('eta')[0] * p('z')[g]) * (s(x + dx) - s(x));
}

describe('a steady-state lift test in a set of geos, as fitMMM reads it', () => {
  it('is refused with a typed error naming the field when malformed or on the wrong kind of fit', async () => {
    const test = { channel: 'ch1', x: 1000, deltaX: -1000, geos: ['geo01', 'geo02'], lift: -500, sd: 100 };
    // malformed on purpose: the compiler would refuse what is under test
    const field = (liftTest: object) => {
      try {
        prepareFit(rows, { ...options, liftTests: [liftTest as SteadyLiftTest] });
      } catch (e) {
        return (e as { field?: string }).field;
      }
      return 'accepted';
    };
    expect(field(test)).toBe('accepted');
    expect(field({ ...test, geos: [] })).toBe('options.liftTests[0].geos');
    expect(field({ ...test, geos: ['geo01', 'atlantis'] })).toBe('options.liftTests[0].geos[1]');
    expect(field({ ...test, geos: ['geo01', 'geo01'] })).toBe('options.liftTests[0].geos[1]');
    expect(field({ ...test, geos: undefined })).toBe('options.liftTests[0].geos');
    // a key of the window form mixed in is refused by fitMMM's option check, before any fitting
    await expect(fitMMM(rows, { ...options, liftTests: [{ ...test, geo: 'geo01' } as SteadyLiftTest] })).rejects.toMatchObject({
      field: expect.stringMatching(/^options\.liftTests\[0\]/),
    });
    // a national fit of one geo's rows has no sets of geos
    const one = rows.filter((r) => r.geo === 'geo01');
    expect(() =>
      prepareFit(one, { date: 'week', target: 'sales', channels: data.channels, controls: ['price'], liftTests: [test] }),
    ).toThrow(expect.objectContaining({ field: 'options.liftTests[0].geos' }));
  });
});

describe('designExperiments on a geo fit: tests in sets of geos', () => {
  let fit: BayesianFit;
  beforeAll(async () => {
    fit = (await fitMMM(rows, options)) as BayesianFit;
  }, 300_000);

  it('designs each channel in all its geos and in a half matched by spend, the spend split as fitMMM reads the test', () => {
    const { designs, notes, roas } = designExperiments(fit, { outcomes: 50, valueOfInformation: 1, durations: [8] });
    const byGeo = spendPerPeriod(fit, { byGeo: true });
    const sigmaDraws = fit.draws.sigma.flat();
    const sigma = sigmaDraws.reduce((a, b) => a + b, 0) / sigmaDraws.length;
    for (const channel of options.channels) {
      // the geos with spend by decreasing spend; the half is the 1st, 3rd, 5th, … of them
      const ranked = data.geos
        .filter((g) => `${g}/${channel}` in byGeo)
        .sort((a, b) => byGeo[`${b}/${channel}`] - byGeo[`${a}/${channel}`]);
      const sets = [...new Set(designs.filter((d) => d.channel === channel).map((d) => JSON.stringify(d.geos)))].map((j) => JSON.parse(j));
      expect(sets).toEqual([ranked, ranked.filter((_, i) => i % 2 === 0)]);
      for (const d of designs.filter((e) => e.channel === channel)) {
        // x is the set's spend per period now
        expect(d.x).toBeCloseTo(
          d.geos!.reduce((a, g) => a + byGeo[`${g}/${channel}`], 0),
          6,
        );
        // sd: ȳ·√(periods·Σ_g (pop_g·σ)²), σ the posterior mean noise (one scale for all geos in this fit)
        const pop = (g: string) => fit.panel!.population[fit.panel!.geos.indexOf(g)];
        const noise = d.geos!.reduce((a, g) => a + (pop(g) * sigma) ** 2, 0);
        expect(d.sd / (fit.scaling.yScale * Math.sqrt(d.periods * noise)) - 1).toBeCloseTo(0, 12);
        expect(d.power).toBeGreaterThanOrEqual(0);
        expect(d.power).toBeLessThanOrEqual(1);
      }
    }
    expect(notes[0]).toMatch(/set of geos/);
    // the national ROAS the designs narrow, from each geo's curve per draw: the fit's own, over the same 4,000 draws
    for (const c of options.channels) {
      expect(Math.abs(roas[c].mean / fit.channels[c].roas.mean - 1)).toBeLessThan(1e-9);
      expect(Math.abs(roas[c].upper / fit.channels[c].roas.upper - 1)).toBeLessThan(1e-9);
    }
    // the value of information for the budget (national curves spread over the geos): the best design only, a gain ≥ 0
    expect(designs[0].valueOfInformation).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(designs[0].valueOfInformation)).toBe(true);
    expect(designs.slice(1).every((d) => d.valueOfInformation === undefined)).toBe(true);
    // the lift test a design becomes gives each geo its share of x by its spend (on the model's scale, per capita)
    const d = designs.find((e) => e.geos!.length === 4)!;
    const prepared = prepareFit(rows, { ...options, liftTests: [toLiftTest(d, 1000)] });
    const set = prepared.model.data.liftTests![0].geoSet!;
    const c = options.channels.indexOf(d.channel);
    set.geo.forEach((g, i) => {
      const share = byGeo[`${data.geos[g]}/${d.channel}`] / d.x;
      expect(set.x[i] * set.population[i] * prepared.scaling.spendScale[c]).toBeCloseTo(share * d.x, 6);
      expect(set.dx[i] * set.population[i] * prepared.scaling.spendScale[c]).toBeCloseTo(share * d.deltaX, 6);
    });
    expect(() => designExperiments(fit, { candidates: [{ channel: 'ch1', deltaX: 100, periods: 4, geos: ['atlantis'] }] })).toThrow(
      expect.objectContaining({ field: 'options.candidates[0].geos[0]' }),
    );
    expect(() => designExperiments(fit, { geoSets: [['geo01', 'geo01']] })).toThrow(
      expect.objectContaining({ field: 'options.geoSets[0][1]' }),
    );
  }, 60_000);

  it("predicts what the best design's result does to the ROAS interval as a refit with it does, and keeps the truth", async () => {
    const { designs } = designExperiments(fit, { outcomes: 200, valueOfInformation: 0 });
    const best = designs[0];
    // the measured lift: the true curves of the test's geos at steady state, the spend split by each geo's spend now
    const byGeo = spendPerPeriod(fit, { byGeo: true });
    let lift = 0;
    for (const geo of best.geos!) {
      const g = data.geos.indexOf(geo);
      const share = (byGeo[`${geo}/${best.channel}`] ?? 0) / best.x;
      lift += best.periods * trueLift(fit, best.channel, g, share * best.x, share * best.deltaX);
    }
    const measured = lift + best.sd * createRng(5, 0).normal();
    const predicted = predictTestResult(fit, best, measured);
    const refit = (await fitMMM(rows, { ...options, liftTests: [toLiftTest(best, measured)] })) as BayesianFit;
    expectRefitAsPredicted(fit, refit, best.channel, predicted, data.roas[best.channel]);
  }, 400_000);
});
