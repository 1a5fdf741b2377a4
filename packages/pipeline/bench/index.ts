// `npm run bench` (pipeline): fitMMM on the Stan reference data set with Stan's settings, 4 chains × (1000 + 1000)
// on 2 worker threads, for several seeds; prints wall time, gradient evaluations per second and the minimum
// ESS-bulk per wall second (medians over seeds), next to rstan's figures for the same model, data and settings
// (shared/reference/stan/results.json, measured on an idle 2-core machine of this kind: they cannot be re-run here
// without R, so the ratio is against the recorded run, not one in the same process).
//   BENCH_SEEDS=3 npm run bench -w @mmm/pipeline        (BENCH_PARAMETERIZATION=natural for the mmm.stan coordinates)
import { fitMMM } from '../src/index.js';
import { stanData, stanSpec } from '../../model/test/stan-reference.js';

const STAN = {
  wallSeconds: 89.965,
  essBulkPerWallSecond: 9.665942,
  gradEvalsPerWallSecond: 19473.87,
  divergences: 81,
  leapfrogPerEss: 2014.7,
};
const seeds = Number(process.env.BENCH_SEEDS ?? 3);
const parameterization = (process.env.BENCH_PARAMETERIZATION ?? 'default') as 'default' | 'natural';

const spec = stanSpec();
const columns: Record<string, ArrayLike<number> | string[]> = { date: stanData.dates, sales: stanData.y };
stanData.channels.forEach((c, k) => (columns[c] = stanData.spend.map((r) => r[k])));
stanData.control_names.forEach((c, j) => (columns[c] = stanData.controls.map((r) => r[j])));
const model = {
  seasonality: spec.seasonality,
  trend: spec.trend,
  ...(parameterization === 'natural' ? { parameterization: 'natural' as const } : {}),
  channels: Object.fromEntries(spec.channels.map((c) => [c.name, { adstock: c.adstock, saturation: c.saturation }])),
};

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const rows: Array<{
  seed: number;
  wall: number;
  gradPerS: number;
  essPerS: number;
  essMin: number;
  div: number;
  leapPerEss: number;
  rhat: number;
}> = [];
for (let s = 1; s <= seeds; s++) {
  const t0 = performance.now();
  const fit = await fitMMM(columns, {
    date: 'date',
    target: 'sales',
    channels: stanData.channels,
    controls: stanData.control_names,
    model,
    seed: s,
    workers: 2,
    ...(process.env.BENCH_TARGET_ACCEPT ? { targetAccept: Number(process.env.BENCH_TARGET_ACCEPT) } : {}),
    ...(process.env.BENCH_METRIC ? { metric: process.env.BENCH_METRIC as 'diag' | 'dense' } : {}),
  });
  const wall = (performance.now() - t0) / 1000;
  const d = fit.diagnostics;
  const r = {
    seed: s,
    wall,
    gradPerS: fit.timing.gradientEvaluations / wall,
    essPerS: d.essBulkMin / wall,
    essMin: d.essBulkMin,
    div: d.divergences,
    leapPerEss: fit.timing.gradientEvaluations / d.essBulkMin,
    rhat: d.rhatMax,
  };
  rows.push(r);
  console.log(
    `seed ${s}: wall ${wall.toFixed(1)} s, ${r.gradPerS.toFixed(0)} gradients/s, min ESS-bulk ${r.essMin.toFixed(0)} (${r.essPerS.toFixed(1)} per s), ${r.leapPerEss.toFixed(0)} gradients per ESS, max R-hat ${r.rhat.toFixed(4)}, ${r.div} divergences, gate ${d.passed ? 'passed' : 'failed'}`,
  );
}
const m = {
  wall: median(rows.map((r) => r.wall)),
  gradPerS: median(rows.map((r) => r.gradPerS)),
  essPerS: median(rows.map((r) => r.essPerS)),
  leapPerEss: median(rows.map((r) => r.leapPerEss)),
  div: median(rows.map((r) => r.div)),
};
console.log(
  `\nMMM on the Stan reference data, 4 × (1000 + 1000), 2 workers, parameterization ${parameterization}, medians of ${seeds} seeds\n`,
);
console.log('| | mmm | rstan 2.21.7 | ratio |\n|---|---:|---:|---:|');
console.log(
  `| wall time (s) | ${m.wall.toFixed(1)} | ${STAN.wallSeconds.toFixed(1)} | ${(STAN.wallSeconds / m.wall).toFixed(2)}× faster |`,
);
console.log(
  `| gradient evaluations per wall second | ${m.gradPerS.toFixed(0)} | ${STAN.gradEvalsPerWallSecond.toFixed(0)} | ${(m.gradPerS / STAN.gradEvalsPerWallSecond).toFixed(2)}× |`,
);
console.log(
  `| gradient evaluations per min ESS-bulk | ${m.leapPerEss.toFixed(0)} | ${STAN.leapfrogPerEss.toFixed(0)} | ${(STAN.leapfrogPerEss / m.leapPerEss).toFixed(2)}× fewer |`,
);
console.log(
  `| min ESS-bulk per wall second | ${m.essPerS.toFixed(1)} | ${STAN.essBulkPerWallSecond.toFixed(1)} | ${(m.essPerS / STAN.essBulkPerWallSecond).toFixed(2)}× |`,
);
console.log(`| divergences (after warmup) | ${m.div} | ${STAN.divergences} | |`);
