import { beforeAll, describe, expect, it } from 'vitest';
import { channelFamilies } from '@mmm/model';
import { projectBoxSums } from '@mmm/optimize';
import { DEFAULT_MAX_LAG } from '@mmm/transforms';
import { evaluateSchedule, optimizeBudget, planSchedule, predict, spendPerPeriod, type ClassicalFit } from '../src/index.js';
import { scheduleObjective } from '../src/schedule.js';
import { weeklyChannels, weeklyRidgeFit, weeklyRows } from './ridge-fixture.js';

const rows = weeklyRows;
const channels = weeklyChannels;

/** Every draw of a parameter, the chains one after another. */
const flat = (fit: ClassicalFit, name: string) => fit.draws[name].flat();

/**
 * The mean over every draw of the response a schedule causes over the horizon and `K` periods after it, written out
 * from the draws: per channel the data's last inputs, the schedule's at the average input per unit of spend, zeros,
 * adstocked by the channel's weights and saturated, minus the same without the schedule. Independent of the planner's
 * buffers and adjoint.
 */
function responseOf(fit: ClassicalFit, spend: Record<string, number[]>, H: number, K: number): { mean: number; carry: number[] } {
  const S = flat(fit, `${channels[0]}.beta`).length;
  let total = 0;
  const carry = new Array(H).fill(0);
  fit.spec.channels.forEach((ch, c) => {
    const { adstock, saturation } = channelFamilies(ch);
    const L = ch.adstock?.maxLag ?? DEFAULT_MAX_LAG;
    const scale = fit.scaling.spendScale[c];
    const input = fit.data.input[ch.name];
    const perSpend = input.reduce((a, b) => a + b, 0) / fit.data.spend[ch.name].reduce((a, b) => a + b, 0) / scale;
    const hist = input.slice(input.length - (L - 1)).map((v) => v / scale);
    const plan = [...hist, ...spend[ch.name].map((x) => x * perSpend), ...new Array(K).fill(0)];
    const none = [...hist, ...new Array(H + K).fill(0)];
    const beta = flat(fit, `${ch.name}.beta`);
    const aNames = adstock.paramNames.map((p) => `${ch.name}.adstock.${p}`);
    const sNames = saturation.paramNames.map((p) => `${ch.name}.saturation.${p}`);
    for (let s = 0; s < S; s++) {
      const w = adstock.weightsInto(
        new Float64Array(L),
        aNames.map((n) => flat(fit, n)[s]),
        ch.adstock?.normalize ?? true,
      );
      const p = sNames.map((n) => flat(fit, n)[s]);
      for (let t = L - 1; t < L - 1 + H + K; t++) {
        let a1 = 0;
        let a0 = 0;
        for (let l = 0; l < L; l++) {
          a1 += w[l] * plan[t - l];
          a0 += w[l] * none[t - l];
        }
        const b = beta[s] * fit.scaling.yScale;
        total += b * (saturation.value(a1, p) - saturation.value(a0, p));
        if (t - (L - 1) < H) carry[t - (L - 1)] += (b * saturation.value(a0, p)) / S;
      }
    }
  });
  return { mean: total / S, carry };
}

/** A copy of a fit whose every channel has the given curves, the same draw for every draw (`keep` draws in one chain). */
function withCurves(
  fit: ClassicalFit,
  curves: { saturation: 'hill' | 'power'; params: number[]; alpha: number },
  keep: number,
): ClassicalFit {
  const copy = structuredClone(fit);
  copy.spec = {
    ...copy.spec,
    channels: copy.spec.channels.map((ch) => ({ ...ch, saturation: { type: curves.saturation } })),
  };
  const draws: Record<string, number[][]> = {};
  for (const [name, d] of Object.entries(copy.draws)) draws[name] = [d.flat().slice(0, keep)];
  for (const ch of copy.spec.channels) {
    const { saturation } = channelFamilies(ch);
    for (const k of Object.keys(draws)) if (k.startsWith(`${ch.name}.saturation.`)) delete draws[k];
    saturation.paramNames.forEach((p, k) => (draws[`${ch.name}.saturation.${p}`] = [new Array(keep).fill(curves.params[k])]));
    draws[`${ch.name}.adstock.alpha`] = [new Array(keep).fill(curves.alpha)];
  }
  copy.draws = draws;
  return copy;
}

const sum = (x: number[]) => x.reduce((a, b) => a + b, 0);

describe('planSchedule', () => {
  let fit: ClassicalFit;
  let current: Record<string, number>;
  let perPeriod: number;
  beforeAll(async () => {
    fit = await weeklyRidgeFit();
    current = spendPerPeriod(fit);
    perPeriod = sum(Object.values(current));
  }, 120_000);

  it("equals predict's response to the schedule minus predict's to no spend, and starts the period after the data", () => {
    const last = rows[rows.length - 1];
    for (const level of [1, 0.25]) {
      const plan = planSchedule(fit, {
        periods: 13,
        budget: level * perPeriod * 13,
        bounds: Object.fromEntries(channels.map((c) => [c, [0, 3 * current[c]]])),
      });
      expect(plan.dates[0]).toBe('2024-01-01');
      expect(Date.parse(plan.dates[0]) - Date.parse(rows[rows.length - 1].date)).toBe(7 * 86_400_000);
      const dates = [...plan.dates, ...plan.tailDates];
      expect(plan.tailDates).toHaveLength(DEFAULT_MAX_LAG - 1);
      const table = (spend: Record<string, number[]>) =>
        dates.map((date, t) => ({
          date,
          ...Object.fromEntries(channels.map((c) => [c, t < 13 ? spend[c][t] : 0])),
          price_index: last.price_index,
          competitor_index: last.competitor_index,
        }));
      const none = Object.fromEntries(channels.map((c) => [c, new Array(13).fill(0)]));
      const withPlan = predict(fit, table(plan.spend)).mean.mean;
      const without = predict(fit, table(none)).mean.mean;
      const diff = sum(withPlan) - sum(without);
      expect(Math.abs(plan.incremental.mean - diff) / diff).toBeLessThan(1e-9);
      for (let t = 0; t < dates.length; t++) expect(plan.byPeriod.mean[t]).toBeCloseTo(withPlan[t] - without[t], 6);
      // the budget spent within the bounds
      expect(sum(channels.flatMap((c) => plan.spend[c]))).toBeCloseTo(level * perPeriod * 13, 4);
      for (const c of channels) for (const v of plan.spend[c]) expect(v).toBeLessThanOrEqual(3 * current[c] * (1 + 1e-12));
      expect(plan.kkt.satisfied).toBe(true);
    }
  }, 30_000);

  it('beats the flat schedule, the steady-state allocation repeated, and 300 random feasible schedules, pulsed ones included', () => {
    let seed = 11;
    const rand = () => {
      seed = (1664525 * seed + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const H = 13;
    for (const level of [1, 0.25]) {
      const budget = level * perPeriod * H;
      const bounds = Object.fromEntries(channels.map((c) => [c, [0, 3 * current[c]] as [number, number]]));
      const plan = planSchedule(fit, { periods: H, budget, bounds });
      const K = plan.tailDates.length;
      const own = responseOf(fit, plan.spend, H, K).mean;
      expect(Math.abs(own - plan.incremental.mean) / own).toBeLessThan(1e-9);
      const flatPlan = Object.fromEntries(channels.map((c) => [c, new Array(H).fill((current[c] / perPeriod) * (budget / H))]));
      const steady = optimizeBudget(fit, { totalBudget: budget / H, bounds });
      const steadyPlan = Object.fromEntries(channels.map((c) => [c, new Array(H).fill(steady.allocation[c])]));
      expect(own).toBeGreaterThanOrEqual(responseOf(fit, flatPlan, H, K).mean);
      expect(own).toBeGreaterThanOrEqual(responseOf(fit, steadyPlan, H, K).mean);
      const set = {
        lower: new Float64Array(channels.length * H),
        upper: Float64Array.from({ length: channels.length * H }, (_, i) => 3 * current[channels[Math.floor(i / H)]]),
        groups: [{ cells: Array.from({ length: channels.length * H }, (_, i) => i), total: budget }],
      };
      for (let k = 0; k < 300; k++) {
        // every third schedule pulsed: spend in every second or third period only
        const every = k % 3 === 0 ? 2 + (k % 2) : 1;
        const v = Float64Array.from({ length: channels.length * H }, (_, i) =>
          (i % H) % every === 0 ? rand() * 6 * current[channels[Math.floor(i / H)]] : -1e12,
        );
        const x = projectBoxSums(set, v, new Float64Array(v.length));
        const spend = Object.fromEntries(channels.map((c, ci) => [c, Array.from(x.subarray(ci * H, (ci + 1) * H))]));
        expect(own).toBeGreaterThanOrEqual(responseOf(fit, spend, H, K).mean);
      }
    }
  }, 60_000);

  it('shows the carry-over from the data in the first periods', () => {
    const plan = planSchedule(fit, { periods: 13, budget: perPeriod * 13 });
    const { carry } = responseOf(fit, plan.spend, 13, plan.tailDates.length);
    for (let t = 0; t < 13; t++) expect(plan.carryOver.mean[t]).toBeCloseTo(carry[t], 6);
    expect(plan.carryOver.mean[0]).toBeGreaterThan(0);
    // geometric adstock over 8 lags: nothing is left of the data's spend after 7 periods
    expect(plan.carryOver.mean[0]).toBeGreaterThan(plan.carryOver.mean[3]);
    expect(plan.carryOver.mean[12]).toBe(0);
  }, 30_000);

  it('linear curves: the whole budget goes to the channel of the highest return, whatever the periods', () => {
    const lin = withCurves(fit, { saturation: 'power', params: [1], alpha: 0.5 }, 30);
    const budget = perPeriod * 8;
    const plan = planSchedule(lin, { periods: 8, budget });
    const value = channels.map((c, ci) => {
      const beta = flat(lin, `${c}.beta`);
      const perSpend = sum(lin.data.input[c]) / sum(lin.data.spend[c]) / lin.scaling.spendScale[ci];
      return (sum(beta) / beta.length) * lin.scaling.yScale * perSpend;
    });
    const best = value.indexOf(Math.max(...value));
    expect(plan.channels[channels[best]].spend).toBeCloseTo(budget, 4);
    // normalised adstock and the tail: a unit of spend returns the same in every period
    expect(plan.incremental.mean).toBeCloseTo(budget * value[best], 4);
    for (const m of plan.channels[channels[best]].marginal) expect(Math.abs(m - value[best]) / value[best]).toBeLessThan(1e-9);
  }, 30_000);

  it('concave Hill curves without adstock: flat in time, with equal marginal returns across channels and periods', () => {
    const concave = withCurves(fit, { saturation: 'hill', params: [0.4, 1], alpha: 0 }, 30);
    const plan = planSchedule(concave, { periods: 6, budget: perPeriod * 6 });
    expect(plan.kkt.satisfied).toBe(true);
    for (const c of channels) {
      const x = plan.spend[c];
      const m = sum(x) / x.length;
      for (const v of x) expect(Math.abs(v - m)).toBeLessThanOrEqual(1e-3 * Math.max(m, perPeriod / 100));
      const inside = x.some((v) => v > 0);
      if (inside)
        for (const g of plan.channels[c].marginal) expect(Math.abs(g - plan.kkt.multiplier) / plan.kkt.multiplier).toBeLessThan(1e-3);
    }
  }, 30_000);

  it('S-shaped curves at a small budget: pulsing, as good as the best of every schedule on a grid', () => {
    const s = withCurves(fit, { saturation: 'hill', params: [0.5, 3], alpha: 0 }, 20);
    const two = ['tv', 'search'];
    // a small instance: two channels (the others held at zero), 4 periods, the budget in eighths on the grid
    const H = 4;
    const unit = (0.8 * 0.5 * s.scaling.spendScale[0]) / 8;
    const budget = 8 * unit;
    const bounds = Object.fromEntries(channels.map((c) => [c, [0, two.includes(c) ? budget : 0] as [number, number]]));
    const plan = planSchedule(s, { periods: H, budget, bounds, tail: false });
    let best = -Infinity;
    const cells = 2 * H;
    const x = new Array(cells).fill(0);
    const visit = (i: number, left: number) => {
      if (i === cells - 1) {
        x[i] = left;
        const spend = Object.fromEntries(channels.map((c) => [c, new Array(H).fill(0)]));
        two.forEach((c, k) => (spend[c] = x.slice(k * H, (k + 1) * H).map((u) => u * unit)));
        best = Math.max(best, responseOf(s, spend, H, 0).mean);
        return;
      }
      for (let k = 0; k <= left; k++) {
        x[i] = k;
        visit(i + 1, left - k);
      }
    };
    visit(0, 8);
    expect(plan.incremental.mean).toBeGreaterThanOrEqual(best * (1 - 1e-9));
    const flatSpend = Object.fromEntries(channels.map((c) => [c, new Array(H).fill(two.includes(c) ? budget / (2 * H) : 0)]));
    expect(plan.incremental.mean).toBeGreaterThan(2 * responseOf(s, flatSpend, H, 0).mean);
    // pulsed: some periods of the channels it uses have no spend
    expect(two.flatMap((c) => plan.spend[c]).filter((v) => v > 1e-9 * budget).length).toBeLessThan(cells);
  }, 60_000);

  it('keeps blackout periods dark, committed spend fixed, channel budgets and the minimum flight', () => {
    const H = 10;
    const budget = perPeriod * H;
    const fixed = { tv: [null, null, 40_000, null, null, null, null, null, null, null] };
    const plan = planSchedule(fit, {
      periods: H,
      budget,
      blackout: { search: [0, 1], social: [plan0Date(fit)] },
      fixed,
      channelBudgets: { radio: current.radio * H },
      minFlight: 3,
    });
    expect(plan.spend.search[0]).toBe(0);
    expect(plan.spend.search[1]).toBe(0);
    expect(plan.spend.social[0]).toBe(0);
    expect(plan.spend.tv[2]).toBe(40_000);
    expect(sum(plan.spend.radio)).toBeCloseTo(current.radio * H, 4);
    // the optimality conditions are those of the plan's own bounds: periods a short flight left dark stay at their bound
    expect(plan.kkt.satisfied).toBe(true);
    expect(sum(channels.flatMap((c) => plan.spend[c]))).toBeCloseTo(budget, 4);
    for (const c of channels.filter((c) => c !== 'tv')) {
      // every run of periods with spend lasts three periods or more
      let run = 0;
      for (const v of [...plan.spend[c], 0]) {
        if (v > 1e-9 * budget) run++;
        else {
          if (run > 0) expect(run).toBeGreaterThanOrEqual(3);
          run = 0;
        }
      }
    }
  }, 30_000);

  it('finds the least budget reaching a target response, and the largest keeping a target ROAS', () => {
    const H = 6;
    const at = planSchedule(fit, { periods: H, budget: perPeriod * H });
    const target = 0.8 * at.incremental.mean;
    const plan = planSchedule(fit, { periods: H, target: { incremental: target } });
    expect(plan.target!.reached).toBeGreaterThanOrEqual(target);
    expect(planSchedule(fit, { periods: H, budget: plan.budget * 0.995 }).incremental.mean).toBeLessThan(target);
    const roas = 1.2 * at.roas.mean;
    const byRoas = planSchedule(fit, { periods: H, target: { roas } });
    expect(byRoas.roas.mean).toBeGreaterThanOrEqual(roas * (1 - 1e-9));
    expect(byRoas.budget).toBeLessThan(perPeriod * H);
    const more = planSchedule(fit, { periods: H, budget: byRoas.budget * 1.005 });
    expect(more.roas.mean).toBeLessThan(roas);
  }, 60_000);

  it('has the exact gradient: central differences of the mean and of mean − λ·sd', () => {
    const H = 5;
    for (const objective of ['mean', { meanMinusSd: 1 }] as const) {
      const f = scheduleObjective(fit, { periods: H, maxDraws: 20, objective });
      const x = Float64Array.from(
        { length: channels.length * H },
        (_, i) => current[channels[Math.floor(i / H)]] * (0.5 + ((i * 7) % 5) / 4),
      );
      const g = new Float64Array(x.length);
      f(x, g);
      for (let i = 0; i < x.length; i += 3) {
        const h = 1e-4 * x[i];
        const up = Float64Array.from(x);
        const down = Float64Array.from(x);
        up[i] += h;
        down[i] -= h;
        const fd = (f(up) - f(down)) / (2 * h);
        expect(Math.abs(fd - g[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(g[i])));
      }
    }
  }, 30_000);

  it('evaluates a calendar given by hand as it reports its own plans', () => {
    const plan = planSchedule(fit, { periods: 6, budget: perPeriod * 6 });
    const same = evaluateSchedule(fit, { spend: plan.spend });
    expect(same.incremental).toEqual(plan.incremental);
    expect(same.byPeriod).toEqual(plan.byPeriod);
    expect(same.dates).toEqual(plan.dates);
    const { tv: _tv, ...withoutTv } = plan.spend;
    expect(() => evaluateSchedule(fit, { spend: withoutTv })).toThrow(/options\.spend\.tv/);
    expect(() => evaluateSchedule(fit, { spend: plan.spend, tial: false } as never)).toThrow(/tial/);
  }, 30_000);

  it('compares with the current calendar, and refuses bad options in words', () => {
    const plan = planSchedule(fit, { periods: 4, budget: perPeriod * 4, compare: 'current' });
    expect(plan.compare!.uplift.absolute).toBeGreaterThanOrEqual(0);
    expect(plan.compare!.spend.tv[0]).toBeCloseTo(current.tv, 9);
    expect(() => planSchedule(fit, { periods: 4, budget: 1, bugdet: 2 } as never)).toThrow(/bugdet/);
    expect(() => planSchedule(fit, { periods: 4, budget: 1, bounds: { teevee: [0, 1] } })).toThrow(/options\.bounds\.teevee/);
    expect(() => planSchedule(fit, { periods: 4, budget: 1e9, bounds: Object.fromEntries(channels.map((c) => [c, [0, 1]])) })).toThrow(
      /options\.budget/,
    );
    expect(() => planSchedule(fit, { periods: 0, budget: 1 })).toThrow(/periods/);
    expect(() => planSchedule(fit, { periods: 4 })).toThrow(/options\.budget/);
    expect(() => planSchedule(fit, { periods: 4, budget: 1, blackout: ['2030-01-01'] })).toThrow(/options\.blackout\[0\]/);
    expect(() => planSchedule(fit, { periods: 4, budget: 1, fixed: { tv: [1] } })).toThrow(/options\.fixed\.tv/);
  }, 30_000);
});

/** The first planned date of a fit: the period after its last. */
function plan0Date(fit: ClassicalFit): string {
  const last = Date.parse(fit.data.dates[fit.data.dates.length - 1]);
  return new Date(last + fit.data.periodDays * 86_400_000).toISOString().slice(0, 10);
}
