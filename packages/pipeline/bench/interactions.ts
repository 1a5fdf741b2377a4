// `npm run bench:interactions -w @mmm/pipeline`: interaction terms over many simulated data sets with known truth
// (test/interaction-data.ts: 156 weeks, tv in flights, search and social on and off, seasonality and a trend), each
// with the interactions on (tv:season δ = (0.05, −0.03, 0, 0), tv:search δ = 0.1) and off (every δ = 0). Each data set is
// fitted with `model.interactions: [tv:season, tv:search]` by every method of BENCH_METHODS. Prints per fit the gate,
// whether each δ's 90% interval holds its true value and whether it excludes 0, the share of periods whose 90% band
// holds the true tv:season series, whether the tv:search total's interval holds the truth; then per method and truth the
// totals: coverage of the δs (5 per data set), intervals excluding 0 (detections, or false ones where δ = 0).
//   BENCH_SEEDS=10 BENCH_METHODS=bayesian,ridge npm run bench:interactions -w @mmm/pipeline
import { fitMMM, type BayesianFit, type ClassicalFit, type FitMethod } from '../src/index.js';
import { interactionData } from '../test/interaction-data.js';

const seeds = Number(process.env.BENCH_SEEDS ?? 10);
const methods = (process.env.BENCH_METHODS ?? 'bayesian,ridge').split(',') as FitMethod[];
const truths = { on: { season: [0.05, -0.03] as [number, number], synergy: 0.1 }, off: { season: [0, 0] as [number, number], synergy: 0 } };
const interactions = [
  { channel: 'tv', with: 'season' },
  { channel: 'tv', with: 'search' },
];

/** The 90% interval of a parameter's draws (all chains). */
function interval(fit: BayesianFit | ClassicalFit, name: string): [number, number] {
  const x = fit.draws[name].flat().sort((a, b) => a - b);
  const q = (p: number) => x[Math.min(x.length - 1, Math.max(0, Math.round(p * (x.length - 1))))];
  return [q(0.05), q(0.95)];
}

type Tally = {
  held: number;
  of: number;
  excludedZero: number;
  bandShare: number[];
  totalHeld: number;
  fits: number;
  gate: number;
  seconds: number[];
};
const tallies: Record<string, Tally> = {};
for (const method of methods)
  for (const [label, truth] of Object.entries(truths)) {
    const key = `${method}/${label}`;
    const t: Tally = (tallies[key] = { held: 0, of: 0, excludedZero: 0, bandShare: [], totalHeld: 0, fits: 0, gate: 0, seconds: [] });
    for (let seed = 1; seed <= seeds; seed++) {
      const d = interactionData(seed, truth);
      const t0 = performance.now();
      const fit = (await fitMMM(d.rows, { date: 'date', target: 'sales', channels: d.channels, model: { interactions }, seed, method })) as
        | BayesianFit
        | ClassicalFit;
      t.seconds.push((performance.now() - t0) / 1000);
      t.fits++;
      if (fit.method !== 'bayesian' || fit.diagnostics.passed) t.gate++;
      const deltas: Array<[string, number]> = [
        ['interaction.tv.season[1]', truth.season[0]],
        ['interaction.tv.season[2]', truth.season[1]],
        ['interaction.tv.season[3]', 0],
        ['interaction.tv.season[4]', 0],
        ['interaction.tv.search', truth.synergy],
      ];
      const cells = deltas.map(([name, v]) => {
        const [lo, hi] = interval(fit, name);
        const held = lo <= v && v <= hi;
        t.of++;
        if (held) t.held++;
        if (lo > 0 || hi < 0) t.excludedZero++;
        return `${name.replace('interaction.', '')} ${held ? 'held' : 'MISSED'}${lo > 0 || hi < 0 ? ' ≠0' : ''}`;
      });
      const band = fit.contributions.terms!['tv:season'];
      const truthSeries = d.series['tv:season'];
      let inBand = 0;
      truthSeries.forEach((v, i) => (inBand += band.lower[i] <= v && v <= band.upper[i] ? 1 : 0));
      t.bandShare.push(inBand / truthSeries.length);
      const total = fit.interactions!['tv:search'].contribution;
      if (total.lower <= d.totals['tv:search'] && d.totals['tv:search'] <= total.upper) t.totalHeld++;
      console.log(
        `${key} seed ${seed}: ${t.seconds[t.seconds.length - 1].toFixed(1)} s, ` +
          `gate ${fit.method === 'bayesian' ? fit.diagnostics.passed : '–'}; ` +
          `${cells.join(', ')}; tv:season band ${(100 * t.bandShare[t.bandShare.length - 1]).toFixed(0)}%; ` +
          `tv:search total ${total.mean.toFixed(0)} [${total.lower.toFixed(0)}, ${total.upper.toFixed(0)}] ` +
          `vs ${d.totals['tv:search'].toFixed(0)}`,
      );
    }
  }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  '\nmethod/truth | fits | gate | δ inside 90% | δ intervals excluding 0 | tv:season band (median) | tv:search total inside | s (median)',
);
for (const [key, t] of Object.entries(tallies))
  console.log(
    `${key} | ${t.fits} | ${t.gate} | ${t.held}/${t.of} (${((100 * t.held) / t.of).toFixed(0)}%) | ${t.excludedZero}/${t.of} | ` +
      `${(100 * median(t.bandShare)).toFixed(0)}% | ${t.totalHeld}/${t.fits} | ${median(t.seconds).toFixed(1)}`,
  );
