// `npm run bench:geo-recovery -w @mmm/pipeline`: the geo recovery study of docs/validation.md. BENCH_DATASETS
// (default 12) panels drawn from the geo hierarchy (bench/simulated.ts's geoStudyDataset: 6 to 12 geos × 104 weeks
// × 3 channels, population-proportional spend with geo targeting, one channel dark in some geos), each fitted with
// fitMMM's defaults (seed 5, remedies on). Reports the gate on the first attempt and after remedies, divergences,
// and how often the 90% intervals hold the truth: national ROAS, per-geo ROAS (cells with spend) and the scatter η.
//   BENCH_DATASETS=12 npm run bench:geo-recovery -w @mmm/pipeline
import { writeFileSync } from 'node:fs';
import { fitMMM } from '../src/index.js';
import { geoStudyDataset } from './simulated.js';

interface Row {
  seed: number;
  geos: number;
  firstPassed: boolean;
  passed: boolean;
  divergences: number[];
  national: [number, number];
  perGeo: [number, number];
  eta: [number, number];
  seconds: number;
}

const inside = (v: number, e: { lower: number; upper: number }) => v >= e.lower && v <= e.upper;
const rows: Row[] = [];
const datasets = Number(process.env.BENCH_DATASETS ?? 12);
for (let d = 1; d <= datasets; d++) {
  const data = geoStudyDataset(5000 + d);
  const t0 = performance.now();
  const fit = await fitMMM(data.rows, {
    date: 'week',
    geo: 'geo',
    population: 'population',
    target: 'sales',
    channels: data.channels,
    controls: ['price'],
    seed: 5,
  });
  const seconds = (performance.now() - t0) / 1000;
  const attempts = fit.diagnostics.attempts!;
  let nat = 0;
  let geo = 0;
  let geoCells = 0;
  let eta = 0;
  for (const c of data.channels) {
    if (inside(data.roas[c], fit.channels[c].roas)) nat += 1;
    if (inside(data.params[`${c}.eta`][0], fit.pooling!.scatter[c])) eta += 1;
    for (const g of data.geos) {
      const truth = data.geoRoas[g][c];
      if (!Number.isFinite(truth)) continue;
      geoCells += 1;
      if (inside(truth, fit.geos![g].channels[c].roas)) geo += 1;
    }
  }
  const row: Row = {
    seed: 5000 + d,
    geos: data.geos.length,
    firstPassed: attempts[0].passed,
    passed: fit.diagnostics.passed,
    divergences: attempts.map((a) => a.divergences),
    national: [nat, data.channels.length],
    perGeo: [geo, geoCells],
    eta: [eta, data.channels.length],
    seconds,
  };
  rows.push(row);
  console.log(
    `panel ${d} (${row.geos} geos, ${data.dark.length} dark cells): ${attempts.map((a) => `${a.passed ? 'passed' : 'failed'} (R-hat ${a.rhatMax.toFixed(3)}, ESS ${a.essBulkMin.toFixed(0)}, ${a.divergences} div, ${a.seconds.toFixed(0)} s)`).join(' → ')}; national ROAS ${nat}/3, geo ROAS ${geo}/${geoCells}, η ${eta}/3`,
  );
}
const sum = (f: (r: Row) => number) => rows.reduce((a, r) => a + f(r), 0);
const pct = (a: number, b: number) => `${a}/${b} (${((100 * a) / b).toFixed(0)}%)`;
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(
  `\n| panels | gate passed, first attempt | after remedies | fits with divergences (first attempt) | national ROAS in 90% | per-geo ROAS in 90% | η in 90% | median wall s |`,
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
console.log(
  `| ${rows.length} | ${pct(
    sum((r) => +r.firstPassed),
    rows.length,
  )} | ${pct(
    sum((r) => +r.passed),
    rows.length,
  )} | ${sum((r) => +(r.divergences[0] > 0))} | ${pct(
    sum((r) => r.national[0]),
    sum((r) => r.national[1]),
  )} | ${pct(
    sum((r) => r.perGeo[0]),
    sum((r) => r.perGeo[1]),
  )} | ${pct(
    sum((r) => r.eta[0]),
    sum((r) => r.eta[1]),
  )} | ${median(rows.map((r) => r.seconds)).toFixed(0)} |`,
);
if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, JSON.stringify(rows, null, 2));
