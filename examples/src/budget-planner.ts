// `npm run example:budget`: budget scenarios from a fitted model. Uses out/fit.json from the quickstart when it is
// there (any MMMFit JSON works), otherwise fits the bundled data first. Prints conservative / base / aggressive
// plans and writes them as CSV.
//   npm run example:budget -- [fit.json] [--out dir]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { fitMMM, optimizeBudget, spendPerPeriod, type MMMFit, type ModelFit, type OptimizeBudgetOptions } from '@mmm/pipeline';
import { dataDir } from './data.js';

const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const outDir = resolve(outIdx >= 0 ? args[outIdx + 1] : 'out');
const fitPath = args.find((a, i) => !a.startsWith('--') && i !== outIdx + 1) ?? join(outDir, 'fit.json');

let fit: ModelFit;
if (existsSync(fitPath)) {
  const saved = JSON.parse(readFileSync(fitPath, 'utf8')) as MMMFit;
  if (saved.method === 'gbdt')
    throw new Error(`${fitPath} is a gradient-boosted benchmark: it has no response curves to plan a budget with.`);
  fit = saved;
  console.log(`Loaded the fit in ${fitPath}`);
} else {
  console.log(`No fit at ${fitPath}: fitting the bundled data (about a minute)…`);
  const rows = parse(readFileSync(join(dataDir, 'weekly_national.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  fit = await fitMMM(rows, {
    date: 'date',
    target: 'sales',
    channels: ['tv', 'search', 'social', 'display', 'radio'],
    controls: ['price_index', 'competitor_index'],
    seed: 1,
  });
}

const names = fit.spec.channels.map((c) => c.name);
const current = spendPerPeriod(fit);
const total = names.reduce((a, c) => a + current[c], 0);

// each scenario: a weekly budget, how far each channel may move from its current spend, and what to maximise
const scenarios: Array<{ name: string; note: string; options: OptimizeBudgetOptions }> = [
  {
    name: 'conservative',
    note: '−10% budget, channels within ±15%, maximise the 10% quantile of response',
    options: { totalBudget: 0.9 * total, relativeBounds: 0.15, objective: { quantile: 0.1 } },
  },
  {
    name: 'base',
    note: 'same budget, channels within ±30%, maximise expected response',
    options: { totalBudget: total, relativeBounds: 0.3 },
  },
  {
    name: 'aggressive',
    note: '+25% budget, channels within ±60%, maximise expected response',
    options: { totalBudget: 1.25 * total, relativeBounds: 0.6 },
  },
];

const csv: Array<Array<string | number>> = [];
console.log(`\nCurrent weekly spend ${(total / 1e3).toFixed(1)}k over ${names.join(', ')}\n`);
for (const sc of scenarios) {
  const plan = optimizeBudget(fit, sc.options);
  console.log(`## ${sc.name}: ${sc.note}`);
  console.log('| channel | current | suggested | change | marginal ROAS | bound |\n|---|---:|---:|---:|---:|---|');
  for (const c of names) {
    const s = plan.allocation[c];
    console.log(
      `| ${c} | ${(current[c] / 1e3).toFixed(1)}k | ${(s / 1e3).toFixed(1)}k | ${(100 * (s / current[c] - 1)).toFixed(0)}% | ${plan.marginalRoas[c].toFixed(2)} | ${plan.binding[c] ?? ''} |`,
    );
    csv.push([
      sc.name,
      c,
      current[c].toFixed(2),
      s.toFixed(2),
      plan.responseByChannel[c].toFixed(2),
      plan.marginalRoas[c].toFixed(4),
      plan.binding[c] ?? '',
    ]);
  }
  const iv = plan.responseInterval;
  console.log(
    `Expected media response ${(plan.expectedResponse / 1e3).toFixed(1)}k per week${iv ? ` (90% interval ${(iv.lower / 1e3).toFixed(1)}k to ${(iv.upper / 1e3).toFixed(1)}k)` : ''}` +
      `${plan.uplift ? `, ${plan.uplift.absolute >= 0 ? '+' : ''}${(plan.uplift.absolute / 1e3).toFixed(1)}k (${(100 * plan.uplift.relative).toFixed(1)}%) against the current mix` : ''}; ` +
      `spend ${((sc.options.totalBudget ?? total) / 1e3).toFixed(1)}k, ROAS of the media ${(plan.expectedResponse / (sc.options.totalBudget ?? total)).toFixed(2)}.\n`,
  );
}
mkdirSync(outDir, { recursive: true });
const header = ['scenario', 'channel', 'current_per_week', 'suggested_per_week', 'expected_response_per_week', 'marginal_roas', 'bound'];
writeFileSync(join(outDir, 'budget-scenarios.csv'), stringify(csv, { header: true, columns: header }));
console.log(`Wrote ${join(outDir, 'budget-scenarios.csv')}`);
