// `npm run bench:convergence -w @mmm/pipeline`: how often the default Bayesian fit passes its gate on data it has
// never seen, before and after the automatic remedies. Data sets from bench/simulated.ts (156 weeks × 5 channels,
// always-on, flighted and bursty spend, true parameters drawn per data set); fitMMM's defaults (remedies on).
//   BENCH_DATASETS=16 npm run bench:convergence -w @mmm/pipeline
import { fitMMM } from '../src/index.js';
import { channels, dataset } from './simulated.js';

const datasets = Number(process.env.BENCH_DATASETS ?? 16);
let first = 0;
let after = 0;
let covered = 0;
let total = 0;
const seconds: number[] = [];
for (let d = 1; d <= datasets; d++) {
  const data = dataset(2000 + d);
  const t0 = performance.now();
  const fit = await fitMMM(data.rows, { date: 'date', target: 'sales', channels, controls: ['price'], seed: 5 });
  seconds.push((performance.now() - t0) / 1000);
  const a = fit.diagnostics.attempts!;
  if (a[0].passed) first++;
  if (fit.diagnostics.passed) after++;
  for (const c of channels) {
    total++;
    if (data.roas[c] >= fit.channels[c].roas.lower && data.roas[c] <= fit.channels[c].roas.upper) covered++;
  }
  console.log(`data set ${d}: ${a.map((x) => `${x.passed ? 'passed' : 'failed'} (R-hat ${x.rhatMax.toFixed(3)}, ESS ${x.essBulkMin.toFixed(0)}, ${x.divergences} div, ${x.seconds.toFixed(1)} s)`).join(' → ')}`);
}
const med = [...seconds].sort((a, b) => a - b)[seconds.length >> 1];
console.log(`\ngate passed on the first attempt ${first}/${datasets}, after remedies ${after}/${datasets}; 90% ROAS intervals covered ${covered}/${total}; median wall time ${med.toFixed(1)} s`);
