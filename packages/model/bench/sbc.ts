// `npm run bench:sbc -w @mmm/model`: simulation-based calibration of the default MMM (Talts et al. 2018), 200
// replicates by default (SBC_REPLICATES), 52 periods, two channels, 2 chains × (500 + 500), ranks among 99 thinned
// draws in 10 bins; a chi-square test of uniformity per parameter and per channel's ROAS, and the rank histograms.
// The sampler takes fitMMM's local step size (SBC_LOCAL=0 for plain NUTS steps).
//   SBC_REPLICATES=200 SBC_SATURATION=hill npm run bench:sbc -w @mmm/model
import { runSbc, uniformity } from '../test/sbc.js';

const replicates = Number(process.env.SBC_REPLICATES ?? 200);
const saturation = (process.env.SBC_SATURATION ?? 'hill') as 'hill' | 'logistic';
const r = runSbc({
  replicates,
  T: 52,
  seed: Number(process.env.SBC_SEED ?? 2026),
  chains: 2,
  warmup: 500,
  draws: 500,
  L: 99,
  saturation,
  localStepSize: process.env.SBC_LOCAL !== '0',
});
const bars = ' ▁▂▃▄▅▆▇█';
console.log(
  `SBC, ${saturation} saturation${process.env.SBC_LOCAL !== '0' ? ', local step size' : ''}: ${replicates} replicates, ranks among ${r.L} draws in 10 bins (expected ${replicates / 10} per bin); ${r.divergences} divergent transitions in ${replicates * 2 * 500} draws; ${r.seconds.toFixed(0)} s\n`,
);
console.log('| quantity | rank histogram (10 bins) | counts | χ² (9 df) | p |');
console.log('|---|---|---|---:|---:|');
let smallest = 1;
for (const nm of r.names) {
  const t = uniformity(r.ranks[nm], r.L, 10);
  smallest = Math.min(smallest, t.p);
  const max = Math.max(...t.counts);
  console.log(
    `| ${nm} | ${t.counts.map((c) => bars[Math.round((8 * c) / max)]).join('')} | ${t.counts.join(' ')} | ${t.chi2.toFixed(1)} | ${t.p.toFixed(3)} |`,
  );
}
console.log(
  `\nsmallest p ${smallest.toFixed(4)} over ${r.names.length} quantities (Bonferroni threshold at 5%: ${(0.05 / r.names.length).toFixed(4)})`,
);
