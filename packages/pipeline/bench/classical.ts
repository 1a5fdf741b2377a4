// `npm run bench:classical -w @mmm/pipeline`: recovery of the classical methods on data with known truth. Data sets
// are simulated from @mmm/model's own simulator (156 weeks × 5 channels, geometric adstock, Hill curves, trend, two
// Fourier pairs, one control; spend patterns always-on, flighted and bursty; true parameters drawn per data set from
// a seeded stream), then fitted by fitMMM with method ridge (and lasso) at the defaults. Prints, per method: how
// often the 90% bootstrap interval covers each channel's true ROAS, the mean and median relative ROAS error, the
// decay error, in-sample R², and the wall time per fit.
//   BENCH_DATASETS=20 BENCH_METHODS=ridge,lasso npm run bench:classical -w @mmm/pipeline
import { createRng } from '@mmm/bayes-nuts';
import { simulate, type ModelSpec } from '@mmm/model';
import { fitMMM } from '../src/index.js';

const datasets = Number(process.env.BENCH_DATASETS ?? 20);
const methods = (process.env.BENCH_METHODS ?? 'ridge,lasso').split(',') as Array<'ridge' | 'lasso' | 'elasticnet' | 'linear' | 'bayesian'>;
const T = 156;
const channels = ['tv', 'search', 'social', 'display', 'radio'];
const spec: ModelSpec = { channels: channels.map((name) => ({ name })), controls: ['price'], seasonality: { order: 2, period: 52 }, trend: 'linear' };

/** One simulated data set: rows for fitMMM and each channel's true ROAS. */
function dataset(seed: number): { rows: Array<Record<string, number | string>>; roas: Record<string, number>; decay: Record<string, number> } {
  const rng = createRng(seed, 3);
  const spend: Record<string, Float64Array> = {};
  channels.forEach((c, k) => {
    const level = 1000 * (1 + 4 * rng.uniform());
    spend[c] = Float64Array.from({ length: T }, (_, t) => {
      if (k % 3 === 0) return level * (1 + 0.5 * Math.sin(t / 6 + k)) * (0.8 + 0.4 * rng.uniform()); // always on
      if (k % 3 === 1) return Math.floor(t / 8) % 2 === 0 ? level * (1.5 + rng.uniform()) : 0; // flighted
      return rng.uniform() < 0.25 ? level * (2 + 2 * rng.uniform()) : 0.1 * level * rng.uniform(); // bursts
    });
  });
  const price = Float64Array.from({ length: T }, () => 1 + 0.05 * rng.normal());
  const params: Record<string, number[]> = { intercept: [0.6 + 0.2 * rng.uniform()], trend: [0.05 * rng.normal()], fourier: [0.05 * rng.normal(), 0.05 * rng.normal(), 0.02 * rng.normal(), 0.02 * rng.normal()], control: [-0.02], sigma: [0.03] };
  const decay: Record<string, number> = {};
  for (const c of channels) {
    decay[c] = 0.1 + 0.7 * rng.uniform();
    params[`${c}.adstock.alpha`] = [decay[c]];
    params[`${c}.saturation.halfSaturation`] = [0.2 + 0.6 * rng.uniform()];
    params[`${c}.saturation.slope`] = [0.8 + 1.5 * rng.uniform()];
    params[`${c}.beta`] = [0.05 + 0.2 * rng.uniform()];
  }
  const sim = simulate(spec, { spend, controls: { price } }, params, { seed, yScale: 1e5 });
  const roas = Object.fromEntries(channels.map((c) => [c, sim.contributions[c].reduce((a, b) => a + b, 0) / spend[c].reduce((a, b) => a + b, 0)]));
  const start = Date.UTC(2022, 0, 3);
  const rows = Array.from({ length: T }, (_, t) => ({ date: new Date(start + 7 * t * 86_400_000).toISOString().slice(0, 10), sales: sim.y[t], price: price[t], ...Object.fromEntries(channels.map((c) => [c, spend[c][t]])) }));
  return { rows, roas, decay };
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const method of methods) {
  let covered = 0;
  let total = 0;
  const relErr: number[] = [];
  const decayErr: number[] = [];
  const r2: number[] = [];
  const seconds: number[] = [];
  for (let d = 1; d <= datasets; d++) {
    const data = dataset(1000 + d);
    const t0 = performance.now();
    const fit = await fitMMM(data.rows, { date: 'date', target: 'sales', channels, controls: ['price'], method, seed: 1, ...(method === 'bayesian' ? { workers: 2 } : {}) });
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
  console.log(`\n${method}: ${datasets} simulated data sets × ${channels.length} channels`);
  console.log(`  90% interval covers the true ROAS: ${covered}/${total} (${((100 * covered) / total).toFixed(0)}%)`);
  console.log(`  relative ROAS error: mean ${(100 * mean(relErr)).toFixed(1)}% (bias), median |error| ${(100 * median(relErr.map(Math.abs))).toFixed(1)}%`);
  console.log(`  decay: median |error| ${median(decayErr).toFixed(3)}; in-sample R² median ${median(r2).toFixed(3)}; wall time per fit median ${median(seconds).toFixed(2)} s`);
}
