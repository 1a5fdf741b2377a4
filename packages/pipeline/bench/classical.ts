// `npm run bench:classical -w @mmm/pipeline`: recovery of the classical methods on data with known truth. Data sets
// are simulated from @mmm/model's own simulator (156 weeks × 5 channels, geometric adstock, Hill curves, trend, two
// Fourier pairs, one control; spend patterns always-on, flighted and bursty; true parameters drawn per data set from
// a seeded stream), then fitted by fitMMM with method ridge (and lasso) at the defaults. Prints, per method: how
// often the 90% bootstrap interval covers each channel's true ROAS, the mean and median relative ROAS error, the
// decay error, in-sample R², and the wall time per fit.
// BENCH_WIDEN sets bootstrap.widen (1: the raw percentile bootstrap; default: the fit's default, 4); BENCH_OFFSET the
// first seed less one (1000: seeds 1001–1020, on which the default widening was chosen; 2000 for data it was not).
// BENCH_STAN_DIR reads the data sets instead from folders the Stan reference generator wrote (one per seed, each with
// data.json and truth.json: `python3 gen_data.py --seed 101 --out <dir>/101`, gen_data.py from the reference project).
//   BENCH_DATASETS=20 BENCH_METHODS=ridge,lasso npm run bench:classical -w @mmm/pipeline
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitMMM } from '../src/index.js';
import { channels as simulatedChannels, dataset } from './simulated.js';

interface StanData {
  dates: string[];
  channels: string[];
  control_names: string[];
  spend: number[][];
  controls: number[][];
  y: number[];
}

/** The data sets: the simulator's, or the Stan reference generator's from BENCH_STAN_DIR (rows, channels, controls, truth). */
function dataSets(count: number) {
  const dir = process.env.BENCH_STAN_DIR;
  if (!dir)
    return Array.from({ length: count }, (_, d) => {
      const data = dataset(Number(process.env.BENCH_OFFSET ?? 1000) + d + 1);
      return { rows: data.rows, channels: simulatedChannels, controls: ['price'], roas: data.roas, decay: data.decay };
    });
  return readdirSync(dir)
    .sort()
    .map((seed) => {
      const d = JSON.parse(readFileSync(join(dir, seed, 'data.json'), 'utf8')) as StanData;
      const truth = JSON.parse(readFileSync(join(dir, seed, 'truth.json'), 'utf8'));
      const rows = d.dates.map((date, t) => ({
        date,
        sales: d.y[t],
        ...Object.fromEntries(d.channels.map((c, k) => [c, d.spend[t][k]])),
        ...Object.fromEntries(d.control_names.map((c, k) => [c, d.controls[t][k]])),
      }));
      const roas = Object.fromEntries(d.channels.map((c, k) => [c, truth.derived[`roas[${k + 1}]`] as number]));
      const decay = Object.fromEntries(d.channels.map((c, k) => [c, truth.params[`alpha[${k + 1}]`] as number]));
      return { rows, channels: d.channels, controls: d.control_names, roas, decay };
    });
}

const datasets = Number(process.env.BENCH_DATASETS ?? 20);
const methods = (process.env.BENCH_METHODS ?? 'ridge,lasso').split(',') as Array<'ridge' | 'lasso' | 'elasticnet' | 'linear' | 'bayesian'>;
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const method of methods) {
  let covered = 0;
  let total = 0;
  const relErr: number[] = [];
  const decayErr: number[] = [];
  const r2: number[] = [];
  const seconds: number[] = [];
  const sets = dataSets(datasets);
  for (const data of sets) {
    const { channels } = data;
    const t0 = performance.now();
    const fit = await fitMMM(data.rows, {
      date: 'date',
      target: 'sales',
      channels,
      controls: data.controls,
      method,
      seed: 1,
      ...(method !== 'bayesian' && process.env.BENCH_WIDEN ? { bootstrap: { widen: Number(process.env.BENCH_WIDEN) } } : {}),
      ...(method === 'bayesian' ? { workers: 2 } : {}),
    });
    seconds.push((performance.now() - t0) / 1000);
    r2.push(fit.fit.r2);
    for (const c of channels) {
      const e = fit.channels[c].roas;
      total++;
      if (data.roas[c] >= e.lower && data.roas[c] <= e.upper) covered++;
      relErr.push((e.mean - data.roas[c]) / data.roas[c]);
      decayErr.push(Math.abs(median(fit.draws[`${c}.adstock.alpha`].flat()) - data.decay[c]));
    }
  }
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  console.log(`\n${method}: ${sets.length} data sets (${process.env.BENCH_STAN_DIR ? 'Stan reference generator' : 'simulated'})`);
  console.log(`  90% interval covers the true ROAS: ${covered}/${total} (${((100 * covered) / total).toFixed(0)}%)`);
  console.log(
    `  relative ROAS error: mean ${(100 * mean(relErr)).toFixed(1)}% (bias), median ${(100 * median(relErr)).toFixed(1)}%, ` +
      `median |error| ${(100 * median(relErr.map(Math.abs))).toFixed(1)}%`,
  );
  console.log(
    `  decay: median |error| ${median(decayErr).toFixed(3)}; in-sample R² median ${median(r2).toFixed(3)}; wall time per fit median ${median(seconds).toFixed(2)} s`,
  );
}
