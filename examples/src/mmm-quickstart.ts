// `npm run example:quickstart`: the five-minute path. Read a CSV with csv-parse, fit the Bayesian MMM with the
// default settings, print the channel summary, and write a self-contained HTML report and the fit as JSON.
//   npm run example:quickstart -- [data.csv] [--out dir]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { fitMMM } from '@mmm/pipeline';
import { renderMMMReport } from '@mmm/report';
import { dataDir } from './data.js';

const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const outDir = resolve(outIdx >= 0 ? args[outIdx + 1] : 'out');
const csvPath = args.find((a, i) => !a.startsWith('--') && i !== outIdx + 1) ?? join(dataDir, 'weekly_national.csv');

// 1. rows as a CSV parser gives them: one object per row, values as strings (fitMMM parses and validates them)
const rows = parse(readFileSync(csvPath, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Array<Record<string, string>>;
console.log(`Read ${rows.length} rows from ${csvPath}`);

// 2. fit: name the date, target, spend and control columns; everything else has defaults (4 chains × 2000 iterations)
const t0 = performance.now();
const fit = await fitMMM(rows, {
  date: 'date',
  target: 'sales',
  channels: ['tv', 'search', 'social', 'display', 'radio'],
  controls: ['price_index', 'competitor_index'],
  seed: 1,
});
console.log(
  `Fitted in ${((performance.now() - t0) / 1000).toFixed(1)} s; convergence gate ${fit.diagnostics.passed ? 'passed' : 'FAILED'}`,
);

// 3. the answer: ROAS per channel with its 90% credible interval
console.log('\n| channel | spend | contribution | ROAS | 90% interval |\n|---|---:|---:|---:|---|');
for (const [name, c] of Object.entries(fit.channels)) {
  console.log(
    `| ${name} | ${(c.spend / 1e6).toFixed(2)}M | ${(c.contribution.mean / 1e6).toFixed(2)}M | ${c.roas.mean.toFixed(2)} | [${c.roas.lower.toFixed(2)}, ${c.roas.upper.toFixed(2)}] |`,
  );
}
console.log(`\nIn-sample R² ${fit.fit.r2.toFixed(3)}, MAPE ${(100 * fit.fit.mape).toFixed(1)}%`);

// 4. the report (one HTML file, open it in any browser) and the fit (plain JSON, reload it any time)
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'report.html'), renderMMMReport(fit));
writeFileSync(join(outDir, 'fit.json'), JSON.stringify(fit));
console.log(`Wrote ${join(outDir, 'report.html')} and ${join(outDir, 'fit.json')}`);
