// Plans on value (`channelValue`): each channel's response times a value per unit, in optimizeBudget, planSchedule and
// evaluateSchedule. Checked against the unweighted figures of the same allocation (the value is a fixed factor per
// channel), scale invariance (the same value for every channel changes the units, not the plan) and the comparative
// statics a valued channel must show (more value, no less spend).
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateSchedule, optimizeBudget, planSchedule, type ClassicalFit } from '../src/index.js';
import { weeklyChannels, weeklyRidgeFit } from './ridge-fixture.js';

describe('channelValue: budgets and plans on value instead of response', () => {
  let fit: ClassicalFit;
  beforeAll(async () => {
    fit = await weeklyRidgeFit();
  }, 120_000);
  const names = weeklyChannels;
  const all = (v: number) => Object.fromEntries(names.map((c) => [c, v]));

  it('optimizeBudget: the same value everywhere scales the response, not the plan', () => {
    const plain = optimizeBudget(fit, { relativeBounds: 0.5 });
    const tripled = optimizeBudget(fit, { relativeBounds: 0.5, channelValue: all(3) });
    // the same optimum, up to the solver's tolerance (the objective's scale changes its steps)
    for (const c of names) expect(Math.abs(tripled.allocation[c] / plain.allocation[c] - 1)).toBeLessThan(1e-6);
    expect(tripled.expectedResponse / plain.expectedResponse).toBeCloseTo(3, 6);
  });

  it('optimizeBudget: each channel’s figures are its value times its response at the same allocation, and a valued channel gets no less', () => {
    const value = { ...all(1), [names[0]]: 4 };
    const plain = optimizeBudget(fit, { relativeBounds: 0.5 });
    const valued = optimizeBudget(fit, { relativeBounds: 0.5, channelValue: value });
    // the response of the valued plan's allocation, unweighted: every channel fixed at it
    const same = optimizeBudget(fit, {
      fixed: valued.allocation,
      totalBudget: Object.values(valued.allocation).reduce((a, b) => a + b, 0),
    });
    for (const c of names) expect(valued.responseByChannel[c]).toBeCloseTo(value[c] * same.responseByChannel[c], 6);
    expect(valued.kkt.satisfied).toBe(true);
    expect(valued.allocation[names[0]]).toBeGreaterThanOrEqual(plain.allocation[names[0]] - 1e-6);
  });

  it('planSchedule and evaluateSchedule: the plan’s incremental value is the values times the channels’ responses', () => {
    const value = { ...all(0.5), [names[1]]: 2 };
    const budget = 13 * 20_000;
    const plan = planSchedule(fit, { periods: 13, budget, channelValue: value, maxDraws: 200 });
    const plainEval = evaluateSchedule(fit, { spend: plan.spend, maxDraws: 200 });
    const valuedEval = evaluateSchedule(fit, { spend: plan.spend, maxDraws: 200, channelValue: value });
    for (const c of names) {
      expect(valuedEval.channels[c].incremental.mean).toBeCloseTo(value[c] * plainEval.channels[c].incremental.mean, 6);
      expect(plan.channels[c].incremental.mean).toBeCloseTo(valuedEval.channels[c].incremental.mean, 6);
    }
  });

  it('refuses values that are not one finite number ≥ 0 per channel, naming the field', () => {
    expect(() => optimizeBudget(fit, { channelValue: { ...all(1), teevee: 2 } })).toThrow(/channelValue.teevee: is not a channel/);
    const { [names[0]]: _drop, ...missing } = all(1);
    void _drop;
    expect(() => optimizeBudget(fit, { channelValue: missing })).toThrow(new RegExp(`channelValue.${names[0]}: is missing`));
    expect(() => planSchedule(fit, { periods: 4, budget: 1e5, channelValue: { ...all(1), [names[1]]: -1 } })).toThrow(
      new RegExp(`channelValue.${names[1]}: is -1`),
    );
  });
});
