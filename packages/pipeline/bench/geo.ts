// `npm run bench:geo -w @mmm/pipeline`: fitMMM's geo model on the Stan reference geo data (8 geos × 104 weeks ×
// 3 channels, shared/reference/stan/geo, copied to test/fixtures/geo_weekly.csv), 4 chains × (1000 + 1000) on
// 2 worker threads, one attempt (no automatic remedy, as Stan's runs), for several seeds (BENCH_SEEDS, default 3);
// medians next to rstan's recorded runs of
// mmm_geo.stan on the same data and machine kind (results.json: adapt_delta 0.8; results-ad095.json: 0.95), which
// cannot be re-run here without R, so the ratio is against the recorded run, not one in the same process.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { fitMMM } from '../src/index.js';

const STAN = [
  {
    run: 'adapt_delta 0.8',
    wallSeconds: 308.385,
    essBulkPerWallSecond: 1.5186,
    leapfrogs: 2_011_332,
    essBulkMin: 468.3,
    divergences: 271,
    rhatMax: 1.0177,
  },
  {
    run: 'adapt_delta 0.95',
    wallSeconds: 563.666,
    essBulkPerWallSecond: 0.3148,
    leapfrogs: 3_572_180,
    essBulkMin: 177.4,
    divergences: 209,
    rhatMax: 1.03,
  },
];
const rows = parse(readFileSync(new URL('../test/fixtures/geo_weekly.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
  Record<string, string>
>;
const seeds = Number(process.env.BENCH_SEEDS ?? 3);
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const out: Array<{ wall: number; essPerS: number; gradsPerEss: number; div: number; rhat: number; ess: number }> = [];
for (let s = 1; s <= seeds; s++) {
  const t0 = performance.now();
  const fit = await fitMMM(rows, {
    date: 'week',
    geo: 'geo',
    population: 'population',
    target: 'sales',
    channels: ['tv', 'search', 'social'],
    controls: ['price_index', 'competitor_index'],
    seed: s,
    workers: 2,
    remedy: false,
  });
  const wall = (performance.now() - t0) / 1000;
  const d = fit.diagnostics;
  out.push({
    wall,
    essPerS: d.essBulkMin / wall,
    gradsPerEss: fit.timing.gradientEvaluations / d.essBulkMin,
    div: d.divergences,
    rhat: d.rhatMax,
    ess: d.essBulkMin,
  });
  console.log(
    `seed ${s}: wall ${wall.toFixed(1)} s, min ESS-bulk ${d.essBulkMin.toFixed(0)} (${(d.essBulkMin / wall).toFixed(2)} per s), max R-hat ${d.rhatMax.toFixed(4)}, ${d.divergences} divergences, gate ${d.passed ? 'passed' : 'failed'}`,
  );
}
const m = {
  wall: median(out.map((r) => r.wall)),
  essPerS: median(out.map((r) => r.essPerS)),
  gradsPerEss: median(out.map((r) => r.gradsPerEss)),
  div: median(out.map((r) => r.div)),
  rhat: median(out.map((r) => r.rhat)),
};
console.log(`\nGeo MMM on the Stan reference geo data, 4 × (1000 + 1000), 2 workers, medians of ${seeds} seeds\n`);
console.log('| | mmm | rstan (ad 0.8) | rstan (ad 0.95) |\n|---|---:|---:|---:|');
console.log(`| wall time (s) | ${m.wall.toFixed(1)} | ${STAN[0].wallSeconds.toFixed(0)} | ${STAN[1].wallSeconds.toFixed(0)} |`);
console.log(
  `| min ESS-bulk per wall second | ${m.essPerS.toFixed(2)} | ${STAN[0].essBulkPerWallSecond.toFixed(2)} | ${STAN[1].essBulkPerWallSecond.toFixed(2)} |`,
);
console.log(
  `| ratio to Stan | | ${(m.essPerS / STAN[0].essBulkPerWallSecond).toFixed(2)}× | ${(m.essPerS / STAN[1].essBulkPerWallSecond).toFixed(2)}× |`,
);
console.log(
  `| gradient evaluations per min ESS-bulk | ${m.gradsPerEss.toFixed(0)} | ${(STAN[0].leapfrogs / STAN[0].essBulkMin).toFixed(0)} | ${(STAN[1].leapfrogs / STAN[1].essBulkMin).toFixed(0)} |`,
);
console.log(`| max R-hat | ${m.rhat.toFixed(4)} | ${STAN[0].rhatMax} | ${STAN[1].rhatMax} |`);
console.log(`| divergences (after warmup) | ${m.div} | ${STAN[0].divergences} | ${STAN[1].divergences} |`);
