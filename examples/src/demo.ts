// `npm run demo`: the main job on bundled example data. Until fitMMM lands, it walks the media transforms
// through the bundled 156-week data set with the generator's true parameters and checks the resulting ROAS
// against the generator's own.
import { readWeeklyNational } from './data.js';
import { transformsWalkthrough } from './transforms-walkthrough.js';

const t0 = performance.now();
const { table, truth } = readWeeklyNational();
const rows = transformsWalkthrough(table, truth);
const ms = performance.now() - t0;

console.log(`mmm demo: ${table.rows} weeks (${table.dates[0]} to ${table.dates[table.rows - 1]}), channels ${truth.channels.join(', ')}`);
console.log('Geometric adstock (8 lags, normalised) then saturation, with the true parameters:\n');
console.log('| channel | spend | decay α | saturation | mean saturation | contribution | ROAS | true ROAS |');
console.log('|---|---:|---:|---|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.channel} | ${fmtMoney(r.spend)} | ${r.alpha.toFixed(3)} | ${r.saturation} | ${r.meanSaturation.toFixed(3)} | ${fmtMoney(r.contribution)} | ${r.roas.toFixed(4)} | ${r.trueRoas.toFixed(4)} |`,
  );
}
const worst = Math.max(...rows.map((r) => Math.abs(r.roas / r.trueRoas - 1)));
console.log(`\nLargest relative ROAS difference from the generator: ${worst.toExponential(2)} (${ms.toFixed(1)} ms)`);
if (!(worst < 1e-9)) {
  console.error('ROAS does not match the generator: the transforms disagree with the data.');
  process.exit(1);
}

function fmtMoney(v: number): string {
  return v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : `${(v / 1e3).toFixed(1)}k`;
}
