// `npm run bench:early-stop -w @mmm/pipeline`: the national demo data (examples/data/weekly_national.csv, 156 weeks,
// 5 channels, 2 controls) fitted with the defaults (4 chains of 1,000 + 1,000 on worker threads) and with
// `earlyStop: true`, seeds 1 … BENCH_SEEDS (default 5), the same seed for both: draws kept, gradient evaluations and
// wall time of each, both gates, the smallest ESS of the stopped fit, and how far its posterior means sit from the
// full fit's in units of their Monte Carlo standard error (the stopped fit's draws are the full fit's first ones, so
// the two share draws: a gap of a few MCSE is the stop's doing only if it leans one way over parameters and seeds).
//   BENCH_SEEDS=5 npm run bench:early-stop -w @mmm/pipeline
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { fitMMM, type BayesianFit } from '../src/index.js';

const rows = parse(readFileSync(new URL('../../../examples/data/weekly_national.csv', import.meta.url), 'utf8'), {
  columns: true,
  skip_empty_lines: true,
}) as Array<Record<string, string>>;
const truth = JSON.parse(readFileSync(new URL('../../../examples/data/weekly_national.truth.json', import.meta.url), 'utf8')) as {
  channels: string[];
};
const options = { date: 'date', target: 'sales', channels: truth.channels, controls: ['price_index', 'competitor_index'] };
const seeds = Number(process.env.BENCH_SEEDS ?? 5);

async function timed(extra: Record<string, unknown>, seed: number): Promise<{ fit: BayesianFit; seconds: number }> {
  const t0 = performance.now();
  const fit = (await fitMMM(rows, { ...options, ...extra, seed, remedy: false })) as BayesianFit;
  return { fit, seconds: (performance.now() - t0) / 1000 };
}

const lines: string[] = [];
const ratios: number[] = [];
const gaps: number[] = [];
for (let seed = 1; seed <= seeds; seed++) {
  const full = await timed({}, seed);
  const early = await timed({ earlyStop: true }, seed);
  const d = early.fit.diagnostics;
  const g = (f: BayesianFit) => f.timing.gradientEvaluations;
  ratios.push(g(early.fit) / g(full.fit));
  // posterior means of the stopped fit against the full fit's, in the full fit's MCSE
  const byName = new Map(full.fit.diagnostics.summary.map((r) => [r.name, r]));
  const z = d.summary.map((r) => (r.mean - byName.get(r.name)!.mean) / byName.get(r.name)!.mcseMean);
  gaps.push(...z);
  const zMax = Math.max(...z.map(Math.abs));
  lines.push(
    `seed ${seed}: kept ${d.drawsPerChain} of 1000 (${d.earlyStop!.reason}, ${d.earlyStop!.checks} checks); gradients ` +
      `${g(early.fit)} vs ${g(full.fit)} (${(100 * ratios.at(-1)!).toFixed(0)}%); wall ${early.seconds.toFixed(1)} s vs ` +
      `${full.seconds.toFixed(1)} s; gate ${d.passed ? 'passed' : 'FAILED'} vs ${full.fit.diagnostics.passed ? 'passed' : 'FAILED'}; ` +
      `min ESS bulk ${d.essBulkMin.toFixed(0)} tail ${d.essTailMin.toFixed(0)}, max R-hat ${d.rhatMax.toFixed(4)}; ` +
      `means within ${zMax.toFixed(2)} MCSE of the full fit's`,
  );
  console.log(lines.at(-1));
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const meanGap = gaps.reduce((a, b) => a + b, 0) / gaps.length;
console.log(
  `\nmedian gradient evaluations with earlyStop: ${(100 * median(ratios)).toFixed(0)}% of the full run's over ${seeds} seeds; ` +
    `mean standardised gap of the posterior means ${meanGap.toFixed(3)} over ${gaps.length} parameters × seeds`,
);
