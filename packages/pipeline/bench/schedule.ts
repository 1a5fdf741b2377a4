// `npm run bench:schedule -w @mmm/pipeline`: planSchedule's speed and quality on simulated data sets of the convergence
// study (bench/simulated.ts): 13 periods × 5 channels (seed 9, 156 weeks, Hill curves) and 52 periods × 10 channels
// (seed 29, 156 weeks, Hill curves), each fitted by ridge with 1,000 bootstrap resamples (1,000 draws), planned at the
// recent spend level and at a quarter of it with bounds of 0 to 3 × each channel's recent spend per period. Prints the
// median wall time of BENCH_RUNS runs (default 3), the KKT check, and the plan's response over the flat schedule's and
// the steady-state allocation's (optimizeBudget repeated every period), all from the plan's own figures. Then the
// properties over data sets (below).
import { projectBoxSums } from '@mmm/optimize';
import { evaluateSchedule, fitMMM, optimizeBudget, planSchedule, predict, spendPerPeriod, type MMMFit } from '../src/index.js';
import { studyDataset } from './simulated.js';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const median = (x: number[]) => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)];

for (const { seed, periods } of [
  { seed: 9, periods: 13 },
  { seed: 29, periods: 52 },
]) {
  const data = studyDataset(seed);
  const fit: MMMFit = await fitMMM(data.rows, {
    date: 'date',
    target: 'sales',
    channels: data.channels,
    controls: ['price'],
    method: 'ridge',
    search: { candidates: 300 },
    bootstrap: { resamples: 1000 },
    seed,
  });
  const current = spendPerPeriod(fit);
  const perPeriod = Object.values(current).reduce((a, b) => a + b, 0);
  const bounds = Object.fromEntries(data.channels.map((c) => [c, [0, 3 * current[c]] as [number, number]]));
  for (const level of [1, 0.25]) {
    const budget = level * perPeriod * periods;
    const times: number[] = [];
    let plan = planSchedule(fit, { periods, budget, bounds });
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      plan = planSchedule(fit, { periods, budget, bounds });
      times.push(performance.now() - t0);
    }
    const flat = Object.fromEntries(data.channels.map((c) => [c, new Array(periods).fill((current[c] / perPeriod) * (budget / periods))]));
    const steady = optimizeBudget(fit, { totalBudget: budget / periods, bounds });
    const steadyPlan = Object.fromEntries(data.channels.map((c) => [c, new Array(periods).fill(steady.allocation[c])]));
    const vsFlat = planSchedule(fit, { periods, budget, bounds, compare: flat }).compare!.uplift.relative;
    const vsSteady = planSchedule(fit, { periods, budget, bounds, compare: steadyPlan }).compare!.uplift.relative;
    console.log(
      `${periods} periods × ${data.channels.length} channels × 1000 draws, ${level === 1 ? 'recent level' : 'a quarter'}: ` +
        `median ${median(times).toFixed(0)} ms over ${runs} runs; KKT ${plan.kkt.satisfied ? 'satisfied' : 'NOT satisfied'} ` +
        `(max relative deviation ${plan.kkt.maxRelativeDeviation.toExponential(1)}); from ${plan.startedFrom}; ` +
        `+${(100 * vsFlat).toFixed(2)}% over flat, +${(100 * vsSteady).toFixed(2)}% over the steady-state allocation`,
    );
  }
}

// The properties the plan promises, over data sets it was not tuned on: Bayesian fits (2 chains × (300 + 250)) of
// BENCH_STUDY_SEEDS data sets of the convergence study (default 8: seeds 0–7, 3 or 4 channels, Hill or logistic curves,
// 104 to 260 weeks), each planned for 13 periods at the recent level and a quarter of it (bounds 0 to 3 × recent spend
// per period): the plan's response against predict's (the rows carrying the plan and 8 periods of tail, minus rows with
// no spend; controls at their last values), and against the flat schedule, the steady-state allocation repeated and
// 200 random feasible schedules (every third one pulsed), all evaluated by evaluateSchedule.
const studySeeds = Number(process.env.BENCH_STUDY_SEEDS ?? 8);
let worstPredict = 0;
let failures = 0;
for (let seed = 0; seed < studySeeds; seed++) {
  const data = studyDataset(seed);
  const fit = await fitMMM(data.rows, {
    date: 'date',
    target: 'sales',
    channels: data.channels,
    controls: ['price'],
    seed,
    chains: 2,
    warmup: 300,
    draws: 250,
    parallel: false,
  });
  const current = spendPerPeriod(fit);
  const perPeriod = Object.values(current).reduce((a, b) => a + b, 0);
  const bounds = Object.fromEntries(data.channels.map((c) => [c, [0, 3 * current[c]] as [number, number]]));
  const H = 13;
  const last = data.rows[data.rows.length - 1];
  for (const level of [1, 0.25]) {
    const budget = level * perPeriod * H;
    const plan = planSchedule(fit, { periods: H, budget, bounds });
    const dates = [...plan.dates, ...plan.tailDates, nextDate(plan.tailDates[plan.tailDates.length - 1], fit.data.periodDays)];
    const rows = (spend: Record<string, number[]>) =>
      dates.map((date, t) => ({ date, price: last.price, ...Object.fromEntries(data.channels.map((c) => [c, t < H ? spend[c][t] : 0])) }));
    const none = Object.fromEntries(data.channels.map((c) => [c, new Array(H).fill(0)]));
    const sum = (x: number[]) => x.reduce((a, b) => a + b, 0);
    const viaPredict = sum(predict(fit, rows(plan.spend)).mean.mean) - sum(predict(fit, rows(none)).mean.mean);
    const relPredict = Math.abs(plan.incremental.mean - viaPredict) / Math.abs(viaPredict);
    worstPredict = Math.max(worstPredict, relPredict);
    const value = (spend: Record<string, number[]>) => evaluateSchedule(fit, { spend }).incremental.mean;
    const flat = value(Object.fromEntries(data.channels.map((c) => [c, new Array(H).fill((current[c] / perPeriod) * (budget / H))])));
    const steady = optimizeBudget(fit, { totalBudget: budget / H, bounds });
    const steadyValue = value(Object.fromEntries(data.channels.map((c) => [c, new Array(H).fill(steady.allocation[c])])));
    let rng = seed + 1;
    const rand = () => {
      rng = (1664525 * rng + 1013904223) >>> 0;
      return rng / 2 ** 32;
    };
    const C = data.channels.length;
    const set = {
      lower: new Float64Array(C * H),
      upper: Float64Array.from({ length: C * H }, (_, i) => 3 * current[data.channels[Math.floor(i / H)]]),
      groups: [{ cells: Array.from({ length: C * H }, (_, i) => i), total: budget }],
    };
    let bestRandom = -Infinity;
    for (let k = 0; k < 200; k++) {
      const every = k % 3 === 0 ? 2 + (k % 2) : 1;
      const v = Float64Array.from({ length: C * H }, (_, i) =>
        (i % H) % every === 0 ? rand() * 6 * current[data.channels[Math.floor(i / H)]] : -1e12,
      );
      const x = projectBoxSums(set, v, new Float64Array(v.length));
      bestRandom = Math.max(
        bestRandom,
        value(Object.fromEntries(data.channels.map((c, ci) => [c, Array.from(x.subarray(ci * H, (ci + 1) * H))]))),
      );
    }
    const own = plan.incremental.mean;
    const ok = relPredict < 0.02 && own >= flat && own >= steadyValue && own >= bestRandom;
    if (!ok) failures++;
    console.log(
      `seed ${seed} (${C} channels, ${data.saturation}, ${data.T} weeks, gate ${fit.diagnostics.passed ? 'passed' : 'failed'}), ` +
        `${level === 1 ? 'recent level' : 'a quarter'}: vs predict ${relPredict.toExponential(1)}; over flat ` +
        `${pctOf(own, flat)}, over steady state ${pctOf(own, steadyValue)}, over the best of 200 random ${pctOf(own, bestRandom)}; ` +
        `KKT ${plan.kkt.satisfied ? 'satisfied' : 'NOT satisfied'}${ok ? '' : ' — FAILED'}`,
    );
  }
}
if (studySeeds > 0)
  console.log(
    `${studySeeds} data sets × 2 levels: worst relative gap to predict ${worstPredict.toExponential(1)}; ${failures} failed checks`,
  );

function pctOf(a: number, b: number): string {
  return `${a >= b ? '+' : ''}${((100 * (a - b)) / Math.abs(b)).toFixed(2)}%`;
}

function nextDate(date: string, days: number): string {
  return new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);
}
