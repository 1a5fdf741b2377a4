// `npm run bench:convergence -w @mmm/pipeline`: the convergence study of docs/validation.md. How often the default
// Bayesian fit passes its gate on data it has never seen, before and after the automatic remedies, which check
// fails, divergences per fit, ROAS coverage, wall time and ESS per second:
// - BENCH_DATASETS (default 50) data sets from bench/simulated.ts's studyDataset: 104 to 260 weeks, 3 to 10
//   channels in four spend archetypes (always-on, flighted, sporadic, bursts), Hill or logistic curves (the fit is
//   told which), fitted with fitMMM's defaults (seed 5);
// - the public data sets in examples/data/public in each sensible column mapping (spend; spend with exposures),
//   5 seeds each (BENCH_PUBLIC=0 skips them).
// BENCH_FIRST picks the first simulated data set (default 1), BENCH_OUT writes the rows as JSON, BENCH_GENERATOR adds
// data sets from the Stan reference generator (below).
//   BENCH_DATASETS=50 npm run bench:convergence -w @mmm/pipeline
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { fitMMM, type FitMMMOptions, type BayesianFit } from '../src/index.js';
import { studyDataset } from './simulated.js';

interface Row {
  name: string;
  first: { passed: boolean; failing: string; divergences: number; rhat: number; ess: number };
  passed: boolean;
  attempts: number;
  covered?: number;
  channels: number;
  seconds: number;
  essPerSecond: number;
}

function record(name: string, fit: BayesianFit, seconds: number, truth?: Record<string, number>): Row {
  const a = fit.diagnostics.attempts!;
  const f = a[0];
  const failing = f.passed ? '' : f.divergences > 0 ? 'divergences' : f.rhatMax > 1.01 ? 'R-hat' : 'ESS';
  const names = Object.keys(fit.channels);
  const covered = truth
    ? names.filter((c) => truth[c] >= fit.channels[c].roas.lower && truth[c] <= fit.channels[c].roas.upper).length
    : undefined;
  const row: Row = {
    name,
    first: { passed: f.passed, failing, divergences: f.divergences, rhat: f.rhatMax, ess: f.essBulkMin },
    passed: fit.diagnostics.passed,
    attempts: a.length,
    covered,
    channels: names.length,
    seconds,
    essPerSecond: fit.diagnostics.essBulkMin / fit.timing.totalSeconds,
  };
  console.log(
    `${name}: ${a.map((x) => `${x.passed ? 'passed' : 'failed'} (R-hat ${x.rhatMax.toFixed(3)}, ESS ${x.essBulkMin.toFixed(0)}, ${x.divergences} div, ${x.seconds.toFixed(1)} s)`).join(' → ')}${covered === undefined ? '' : `; ROAS covered ${covered}/${names.length}`}`,
  );
  return row;
}

async function timed(rows: Array<Record<string, unknown>>, options: FitMMMOptions): Promise<{ fit: BayesianFit; seconds: number }> {
  const t0 = performance.now();
  const fit = await fitMMM(rows, { ...options, method: 'bayesian' as const });
  return { fit, seconds: (performance.now() - t0) / 1000 };
}

const results: { simulated: Row[]; public: Row[]; generator: Row[] } = { simulated: [], public: [], generator: [] };
const datasets = Number(process.env.BENCH_DATASETS ?? 50);
// BENCH_FIRST: the first data set's number (default 1: studyDataset(3001)); 51 runs the next 50, never used in tuning
const firstSet = Number(process.env.BENCH_FIRST ?? 1);
for (let d = firstSet; d < firstSet + datasets; d++) {
  const data = studyDataset(3000 + d);
  const model = { channels: Object.fromEntries(data.channels.map((c) => [c, { saturation: { type: data.saturation } }])) };
  const { fit, seconds } = await timed(data.rows, {
    date: 'date',
    target: 'sales',
    channels: data.channels,
    controls: ['price'],
    model,
    seed: 5,
  });
  results.simulated.push(record(`sim ${d} (${data.T} weeks, ${data.channels.length} ch, ${data.saturation})`, fit, seconds, data.roas));
}

const publicDir = new URL('../../../examples/data/public/', import.meta.url);
const read = (f: string) =>
  parse(readFileSync(new URL(f, publicDir), 'utf8'), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
const meridian = read('meridian_national_all_channels.csv');
const robyn = read('robyn_dt_simulated_weekly.csv');
const pymc = read('pymclabs_recovery_input.csv');
const ch = (i: number) => `Channel${i}`;
// Robyn's `events` column holds labels ("na", "event2"), not numbers: left out of the controls here
const mappings: Array<{ name: string; rows: Array<Record<string, string>>; options: FitMMMOptions }> = [
  {
    name: 'meridian national, spend',
    rows: meridian,
    options: {
      date: 'time',
      target: 'conversions',
      channels: [0, 1, 2, 3, 4].map((i) => ({ name: ch(i), spend: `${ch(i)}_spend` })),
      controls: ['competitor_sales_control', 'sentiment_score_control', 'Promo'],
    },
  },
  {
    name: 'meridian national, impressions',
    rows: meridian,
    options: {
      date: 'time',
      target: 'conversions',
      channels: [0, 1, 2, 3, 4].map((i) => ({ name: ch(i), spend: `${ch(i)}_spend`, exposure: `${ch(i)}_impression` })),
      controls: ['competitor_sales_control', 'sentiment_score_control', 'Promo'],
    },
  },
  {
    name: 'robyn, spend',
    rows: robyn,
    options: {
      date: 'DATE',
      target: 'revenue',
      channels: ['tv_S', 'ooh_S', 'print_S', 'facebook_S', 'search_S'],
      controls: ['competitor_sales_B', 'newsletter'],
    },
  },
  {
    name: 'robyn, exposures',
    rows: robyn,
    options: {
      date: 'DATE',
      target: 'revenue',
      channels: [
        'tv_S',
        'ooh_S',
        'print_S',
        { name: 'facebook', spend: 'facebook_S', exposure: 'facebook_I' },
        { name: 'search', spend: 'search_S', exposure: 'search_clicks_P' },
      ],
      controls: ['competitor_sales_B', 'newsletter'],
    },
  },
  {
    name: 'pymc-labs recovery',
    rows: pymc,
    options: { date: 'date_week', target: 'y', channels: ['x1', 'x2', 'x3', 'x4'], controls: ['c1', 'c2', 'c3'] },
  },
];
if (process.env.BENCH_PUBLIC !== '0') {
  // BENCH_MAPPINGS=robyn,pymc runs the mappings whose names contain one of these
  const only = process.env.BENCH_MAPPINGS?.split(',');
  for (const m of mappings.filter((x) => !only || only.some((o) => x.name.includes(o)))) {
    for (let seed = 1; seed <= 5; seed++) {
      const { fit, seconds } = await timed(m.rows, { ...m.options, seed });
      results.public.push(record(`${m.name}, seed ${seed}`, fit, seconds));
    }
  }
}

// BENCH_GENERATOR=path/to/gen_data.py (the Stan reference generator, shared/reference/stan; needs python3 with numpy):
// BENCH_GEN_SETS (default 20) data sets from seeds BENCH_GEN_FIRST (default 101) on, `--saturation hill`, each fitted
// with the defaults (seed 5); its truth.json gives each channel's ROAS
if (process.env.BENCH_GENERATOR) {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'mmm-gen-'));
  const from = Number(process.env.BENCH_GEN_FIRST ?? 101);
  try {
    for (let s = from; s < from + Number(process.env.BENCH_GEN_SETS ?? 20); s++) {
      const out = join(dir, String(s));
      execFileSync('python3', [process.env.BENCH_GENERATOR, '--seed', String(s), '--saturation', 'hill', '--out', out]);
      const d = JSON.parse(readFileSync(join(out, 'data.json'), 'utf8')) as {
        dates: string[];
        y: number[];
        channels: string[];
        control_names: string[];
        spend: number[][];
        controls: number[][];
      };
      const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as { channels: Array<{ name: string; roas: number }> };
      const rows = d.dates.map((date, t) => ({
        date,
        sales: d.y[t],
        ...Object.fromEntries(d.channels.map((c, k) => [c, d.spend[t][k]])),
        ...Object.fromEntries(d.control_names.map((c, k) => [c, d.controls[t][k]])),
      }));
      const { fit, seconds } = await timed(rows, {
        date: 'date',
        target: 'sales',
        channels: d.channels,
        controls: d.control_names,
        seed: 5,
      });
      results.generator.push(
        record(
          `gen_data seed ${s} (${d.dates.length} weeks, ${d.channels.length} ch, hill)`,
          fit,
          seconds,
          Object.fromEntries(truth.channels.map((c) => [c.name, c.roas])),
        ),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
function summary(label: string, rows: Row[]): void {
  if (rows.length === 0) return;
  const n = rows.length;
  const first = rows.filter((r) => r.first.passed).length;
  const after = rows.filter((r) => r.passed).length;
  const by = (k: string) => rows.filter((r) => r.first.failing === k).length;
  const div = rows.map((r) => r.first.divergences);
  const cov = rows.filter((r) => r.covered !== undefined);
  const covered = cov.reduce((a, r) => a + r.covered!, 0);
  const channels = cov.reduce((a, r) => a + r.channels, 0);
  console.log(
    `\n| ${label} | fits | gate passed, first attempt | after remedies | first attempt failed on: divergences / R-hat / ESS | fits with divergences | divergences per fit (mean, max) | 90% ROAS coverage | median wall s | median min-ESS/s |`,
  );
  console.log(`|---|---:|---:|---:|---|---:|---|---:|---:|---:|`);
  console.log(
    `| | ${n} | ${first} (${((100 * first) / n).toFixed(0)}%) | ${after} (${((100 * after) / n).toFixed(0)}%) | ${by('divergences')} / ${by('R-hat')} / ${by('ESS')} | ${div.filter((v) => v > 0).length} | ${(div.reduce((a, v) => a + v, 0) / n).toFixed(2)}, ${Math.max(...div)} | ${channels ? `${covered}/${channels} (${((100 * covered) / channels).toFixed(0)}%)` : '–'} | ${median(rows.map((r) => r.seconds)).toFixed(1)} | ${median(rows.map((r) => r.essPerSecond)).toFixed(1)} |`,
  );
}
summary('simulated', results.simulated);
summary('public', results.public);
summary('gen_data.py', results.generator);
if (process.env.BENCH_OUT) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(process.env.BENCH_OUT, JSON.stringify(results, null, 2));
}
