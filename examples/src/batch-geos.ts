// `npm run example:batch`: Meridian's 40 geos fitted as 40 separate national models on a BullMQ job queue, by two
// `mmm worker` processes (one core each), as a team fitting one model per market would. Starts a local
// redis-server (Debian: apt-get install redis-server) unless `--redis URL` names one, submits one job per geo with
// its rows, waits, prints each geo's ROAS and writes out/batch/<geo>/ (fit.json, report.html, CSVs) and
// out/batch/summary.csv. Stops the workers and the server at the end.
//   npm run example:batch -- [--geos 40] [--draws 1000] [--method bayesian] [--redis redis://host:6379]
// The defaults (4 chains × (1000 + 1000) per geo) take several minutes; `-- --geos 4 --draws 300` is a quick look.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { startLocalRedis, submitBatch, type FitJob, type LocalRedis } from '@mmm/cli';
import { dataDir } from './data.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const geosWanted = Number(arg('geos') ?? 40);
const draws = arg('draws') === undefined ? undefined : Number(arg('draws'));
const method = arg('method') ?? 'bayesian';
const out = resolve(arg('out') ?? 'out/batch');

const rows = parse(readFileSync(join(dataDir, 'public', 'meridian_geo_all_channels.csv'), 'utf8'), {
  columns: true,
  skip_empty_lines: true,
}) as Array<Record<string, string>>;
const byGeo = new Map<string, Array<Record<string, string>>>();
for (const r of rows) byGeo.set(r.geo, [...(byGeo.get(r.geo) ?? []), r]);
const geos = [...byGeo.keys()].slice(0, geosWanted);
const channels = [0, 1, 2, 3, 4].map((i) => ({ name: `Channel${i}`, spend: `Channel${i}_spend` }));
const jobs: FitJob[] = geos.map((geo) => ({
  id: geo,
  rows: byGeo.get(geo)!,
  options: {
    date: 'time',
    target: 'conversions',
    channels,
    controls: ['competitor_sales_control', 'sentiment_score_control', 'Promo'],
    method: method as 'bayesian',
    seed: 1,
    ...(draws ? { warmup: draws, draws } : {}),
  },
}));

// a fresh queue and result folder per run, so a rerun fits again
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const queue = `mmm-example-${Date.now()}`;
let redis: LocalRedis | undefined;
const url = arg('redis') ?? (redis = await startLocalRedis()).url;
const bin = join(dirname(fileURLToPath(import.meta.resolve('@mmm/cli/package.json'))), 'dist', 'bin.js');
const workers: ChildProcess[] = [0, 1].map(() =>
  spawn(process.execPath, [bin, 'worker', '--redis', url, '--queue', queue, '--store', out, '--concurrency', '1', '--threads', '1'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  }),
);
console.log(
  `${jobs.length} geos × ${byGeo.get(geos[0])!.length} weeks × ${channels.length} channels as ${jobs.length} ${method} fits on 2 workers (queue ${queue} on ${url})`,
);

const t0 = performance.now();
let finished = 0;
try {
  const outcomes = await submitBatch(jobs, {
    redis: url,
    queue,
    onUpdate: (u) => {
      if (u.state === 'completed' || u.state === 'failed')
        console.log(
          `  ${String(++finished).padStart(2)}/${jobs.length} ${u.id} ${u.state} after ${((performance.now() - t0) / 1000).toFixed(0)} s`,
        );
    },
  });
  const wall = (performance.now() - t0) / 1000;
  const names = channels.map((c) => c.name);
  console.log(`\n| geo | gate | R² | ${names.join(' | ')} |\n|---|---|---:|${names.map(() => '---:').join('|')}|`);
  const table: Array<Array<string | number>> = [];
  for (const o of outcomes) {
    const s = o.result?.summary;
    if (!s) {
      console.log(`| ${o.id} | failed: ${o.error} |`);
      continue;
    }
    console.log(
      `| ${o.id} | ${s.gate ? (s.gate.passed ? 'passed' : 'FAILED') : 'no gate'} | ${s.r2.toFixed(3)} | ${names.map((n) => `${s.channels[n].roas.toFixed(2)} [${s.channels[n].lower.toFixed(2)}, ${s.channels[n].upper.toFixed(2)}]`).join(' | ')} |`,
    );
    for (const n of names)
      table.push([o.id, n, s.channels[n].roas, s.channels[n].lower, s.channels[n].upper, s.gate?.passed ? 1 : 0, s.seconds]);
  }
  writeFileSync(
    join(out, 'summary.csv'),
    stringify(table, { header: true, columns: ['geo', 'channel', 'roas', 'roas_lower', 'roas_upper', 'gate_passed', 'seconds'] }),
  );
  const ok = outcomes.filter((o) => o.state === 'completed');
  const passed = ok.filter((o) => o.result?.summary?.gate?.passed).length;
  const cpu = ok.reduce((a, o) => a + (o.result?.summary?.seconds ?? 0), 0);
  console.log(
    `\n${ok.length} of ${jobs.length} fits completed (${passed} passed the gate) in ${wall.toFixed(0)} s wall on 2 workers (${cpu.toFixed(0)} s of fitting; ${(cpu / wall).toFixed(2)} fits running on average). Results in ${out}/<geo>/, the table in ${join(out, 'summary.csv')}.`,
  );
  console.log('Separate fits ignore what the geos share; the hierarchical geo model (npm run example:geo) pools them: see docs/cli.md.');
  if (ok.length < jobs.length) process.exitCode = 1;
} finally {
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode === null ? w.once('exit', r) : r(null)))));
  await redis?.stop();
}
