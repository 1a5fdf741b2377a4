// `npm run bench:schedule -w @mmm/pipeline`: planSchedule's speed and quality on simulated data sets of the convergence
// study (bench/simulated.ts): 13 periods × 5 channels (seed 9, 156 weeks, Hill curves) and 52 periods × 10 channels
// (seed 29, 156 weeks, Hill curves), each fitted by ridge with 1,000 bootstrap resamples (1,000 draws), planned at the
// recent spend level and at a quarter of it with bounds of 0 to 3 × each channel's recent spend per period. Prints the
// median wall time of BENCH_RUNS runs (default 3), the KKT check, and the plan's response over the flat schedule's and
// the steady-state allocation's (optimizeBudget repeated every period), all from the plan's own figures.
import { fitMMM, optimizeBudget, planSchedule, spendPerPeriod, type MMMFit } from '../src/index.js';
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
