// `npm run example:classical`: the classical path of Robyn and the scikit-learn notebooks on Robyn's own demo data
// (examples/data/public/robyn_dt_simulated_weekly.csv, 208 weeks, MIT): ridge regression with non-negative media,
// an evolutionary search (NSGA-II) over every channel's adstock and Hill parameters and the penalty against validation
// NRMSE and DECOMP.RSSD, bootstrap intervals, then the same data with lasso and plain least squares for comparison,
// and a budget. Writes classical-report.html (with the Pareto front) and classical-fit.json.
//   npm run example:classical -- [--candidates 5000] [--out dir]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { fitMMM, optimizeBudget, type FitMMMOptions } from '@mmm/pipeline';
import { renderMMMReport } from '@mmm/report';
import { dataDir } from './data.js';

const args = process.argv.slice(2);
const arg = (name: string) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
const outDir = resolve(arg('--out') ?? 'out');
const candidates = Number(arg('--candidates') ?? 5000);

const rows = parse(readFileSync(join(dataDir, 'public', 'robyn_dt_simulated_weekly.csv'), 'utf8'), {
  columns: true,
  skip_empty_lines: true,
}) as Array<Record<string, string>>;
console.log(`Robyn's dt_simulated_weekly: ${rows.length} weeks`);

// Robyn's paid media (spend columns), and its two numeric context variables as controls
const options = {
  date: 'DATE',
  target: 'revenue',
  channels: ['tv_S', 'ooh_S', 'print_S', 'facebook_S', 'search_S'],
  controls: ['competitor_sales_B', 'newsletter'],
  method: 'ridge',
  search: { candidates, validation: { folds: 5 } },
  seed: 1,
} satisfies FitMMMOptions;
const t0 = performance.now();
const fit = await fitMMM(rows, options);
const s = fit.search!;
const best = s.candidates[s.chosen];
console.log(
  `ridge: ${s.candidates.length} candidates (${s.strategy}, 5-fold time-series CV) in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${s.front.length} on the Pareto front`,
);
console.log(
  `chosen: validation NRMSE ${best.nrmse.toFixed(4)}, DECOMP.RSSD ${best.decompRssd.toFixed(3)}, in-sample R² ${best.r2.toFixed(3)}, penalty ${best.penalty.toExponential(2)}`,
);
console.log(
  '\n| channel | decay | Hill K | Hill slope | ROAS | 90% bootstrap interval | effect share | spend share |\n|---|---:|---:|---:|---:|---|---:|---:|',
);
for (const [name, c] of Object.entries(fit.channels)) {
  const k = s.parameterNames.indexOf(`${name}.adstock.alpha`);
  console.log(
    `| ${name} | ${best.curves[k].toFixed(2)} | ${best.curves[k + 1].toFixed(2)} | ${best.curves[k + 2].toFixed(2)} | ${c.roas.mean.toFixed(2)} | [${c.roas.lower.toFixed(2)}, ${c.roas.upper.toFixed(2)}] | ${(100 * c.effectShare).toFixed(1)}% | ${(100 * c.spendShare).toFixed(1)}% |`,
  );
}

// the same columns with the other penalties (fewer candidates: a comparison, not the final model)
console.log('\n| method | validation NRMSE | DECOMP.RSSD | in-sample R² | seconds |\n|---|---:|---:|---:|---:|');
for (const method of ['ridge', 'lasso', 'elasticnet', 'linear'] as const) {
  const t = performance.now();
  const f = method === 'ridge' ? fit : await fitMMM(rows, { ...options, method, search: { candidates: 2000 } });
  const b = f.search!.candidates[f.search!.chosen];
  console.log(
    `| ${method} | ${b.nrmse.toFixed(4)} | ${b.decompRssd.toFixed(3)} | ${f.fit.r2.toFixed(3)} | ${method === 'ridge' ? '–' : ((performance.now() - t) / 1000).toFixed(1)} |`,
  );
}

const plan = optimizeBudget(fit, { relativeBounds: 0.3 });
console.log(`\nBudget at the same total, each channel within ±30%: expected response per week ${plan.expectedResponse.toFixed(0)}`);
for (const [c, v] of Object.entries(plan.allocation)) console.log(`  ${c}: ${v.toFixed(0)} per week`);

mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'classical-report.html'),
  renderMMMReport(fit, { title: "Classical MMM (ridge) on Robyn's demo data", targetName: 'revenue' }),
);
writeFileSync(join(outDir, 'classical-fit.json'), JSON.stringify(fit));
console.log(`Wrote ${join(outDir, 'classical-report.html')} and ${join(outDir, 'classical-fit.json')}`);
