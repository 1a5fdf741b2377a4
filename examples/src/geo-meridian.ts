// `npm run example:geo`: the hierarchical geo model on Meridian's public 40-geo demo data (data/public/, 40 geos ×
// 156 weeks × 5 channels, populations, three controls per geo), read as published and fitted with the defaults
// (spend as media, conversions as the target). Prints national and per-geo ROAS and the pooling, writes
// out/geo-report.html and out/geo-fit.json. `-- --draws 300` for a quicker, shorter run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { fitMMM, optimizeBudget } from '@mmm/pipeline';
import { renderMMMReport } from '@mmm/report';
import { dataDir } from './data.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : undefined;
};
const rows = parse(readFileSync(join(dataDir, 'public', 'meridian_geo_all_channels.csv'), 'utf8'), {
  columns: true,
  skip_empty_lines: true,
}) as Array<Record<string, string>>;
const channels = [0, 1, 2, 3, 4].map((i) => ({ name: `Channel${i}`, spend: `Channel${i}_spend` }));
const draws = arg('draws') ?? 1000;
console.log(
  `Meridian geo demo: ${rows.length} rows, ${new Set(rows.map((r) => r.geo)).size} geos; fitting 4 chains × (${draws} + ${draws}) on worker threads…`,
);
const t0 = performance.now();
let last = 0;
const fit = await fitMMM(rows, {
  date: 'time',
  geo: 'geo',
  population: 'population',
  target: 'conversions',
  channels,
  controls: ['competitor_sales_control', 'sentiment_score_control', 'Promo'],
  seed: 1,
  warmup: draws,
  draws,
  onProgress: (p) => {
    const now = performance.now();
    if (now - last > 15_000) {
      last = now;
      console.log(`  chain ${p.chain + 1}: ${p.iteration}/${p.total}${p.warmup ? ' (warmup)' : ''}, ${((now - t0) / 1000).toFixed(0)} s`);
    }
  },
});
const wall = (performance.now() - t0) / 1000;
const d = fit.diagnostics;
console.log(
  `\nFitted in ${wall.toFixed(0)} s. Gate ${d.passed ? 'PASSED' : 'FAILED'}: max R-hat ${d.rhatMax.toFixed(3)}, min ESS-bulk ${d.essBulkMin.toFixed(0)}, ${d.divergences} divergences.`,
);
console.log('\n| channel | ROAS | 90% interval | geo scatter η |\n|---|---:|---|---:|');
for (const c of channels) {
  const r = fit.channels[c.name].roas;
  console.log(
    `| ${c.name} | ${r.mean.toFixed(2)} | [${r.lower.toFixed(2)}, ${r.upper.toFixed(2)}] | ${fit.pooling!.scatter[c.name].mean.toFixed(3)} |`,
  );
}
console.log(
  `\nGeo baselines' spread τ_σ ${fit.pooling!.baselineSd.mean.toFixed(3)}; in-sample R² ${fit.fit.r2.toFixed(3)} (national), per geo ${Math.min(...Object.values(fit.geos!).map((g) => g.fit.r2)).toFixed(3)} to ${Math.max(...Object.values(fit.geos!).map((g) => g.fit.r2)).toFixed(3)}.`,
);
const plan = optimizeBudget(fit, { relativeBounds: 0.3, maxDraws: 200, byGeo: true });
console.log(
  `Geo × channel budget within ±30%: expected response ${plan.expectedResponse.toFixed(0)} per week against ${plan.current!.expectedResponse.toFixed(0)} now.`,
);
const outDir = join(dataDir, '..', 'out');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'geo-report.html'),
  renderMMMReport(fit, { title: 'Meridian geo demo', targetName: 'conversions', budget: { relativeBounds: 0.3, maxDraws: 200 } }),
);
writeFileSync(join(outDir, 'geo-fit.json'), JSON.stringify(fit));
console.log(`Wrote ${join(outDir, 'geo-report.html')} and geo-fit.json`);
