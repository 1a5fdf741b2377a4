// `npm run bench:reach-frequency -w @mmm/pipeline`: reach-and-frequency channels on simulated data with known truth
// (test/reach-frequency-data.ts: 156 weeks, tv and search by spend, video by reach and frequency in Meridian's form with
// its Hill curve on frequency drawn per seed), seeds 1 … BENCH_SEEDS (default 10), fitMMM's defaults (4 × (1000 + 1000)):
// whether the 90% intervals of the optimal frequency and of the ROAS hold the truth, the gate, and the wall time
// (median). With BENCH_MERIDIAN=1 it also fits Meridian's R&F file (examples/data/public) on seeds 1 … 3; with
// BENCH_ORGANIC=1 organic media and treatments (organicData: a newsletter as organic media, promo weeks and a price index
// as treatments) on seeds 1 … BENCH_SEEDS: whether each true contribution is inside its 90% interval.
//   BENCH_SEEDS=10 npm run bench:reach-frequency -w @mmm/pipeline
//   BENCH_SEEDS=10 BENCH_ORGANIC=1 npm run bench:reach-frequency -w @mmm/pipeline
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { fitMMM, type BayesianFit, type FitMMMOptions } from '../src/index.js';
import { organicData, reachFrequencyData, RF_CHANNELS } from '../test/reach-frequency-data.js';

const seeds = Number(process.env.BENCH_SEEDS ?? 10);
const f = (e: { mean: number; lower: number; upper: number }) => `${e.mean.toFixed(2)} [${e.lower.toFixed(2)}, ${e.upper.toFixed(2)}]`;
const median = (x: number[]) => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)];
let optimal = 0;
let roas = 0;
let gates = 0;
const times: number[] = [];
for (let seed = 1; seed <= (process.env.BENCH_ORGANIC ? 0 : seeds); seed++) {
  const d = reachFrequencyData(seed);
  const t0 = performance.now();
  const fit = (await fitMMM(d.rows, { date: 'date', target: 'sales', channels: [...RF_CHANNELS], seed })) as BayesianFit;
  times.push((performance.now() - t0) / 1000);
  const v = fit.channels.video;
  const o = v.optimalFrequency!;
  const okO = o.lower <= d.truth.optimalFrequency && d.truth.optimalFrequency <= o.upper;
  const okR = v.roas.lower <= d.truth.roas && d.truth.roas <= v.roas.upper;
  optimal += okO ? 1 : 0;
  roas += okR ? 1 : 0;
  gates += fit.diagnostics.passed ? 1 : 0;
  console.log(
    `seed ${seed}: K ${d.truth.halfSaturation.toFixed(2)}, S ${d.truth.slope.toFixed(2)}; optimal frequency ${f(o)} ` +
      `(true ${d.truth.optimalFrequency.toFixed(2)}) ${okO ? 'inside' : 'OUTSIDE'}; ROAS ${f(v.roas)} (true ${d.truth.roas.toFixed(3)}) ` +
      `${okR ? 'inside' : 'OUTSIDE'}; gate ${fit.diagnostics.passed ? 'passed' : 'FAILED'}; ${times.at(-1)!.toFixed(1)} s`,
  );
}
if (times.length)
  console.log(
    `\n${seeds} data sets: optimal frequency inside its 90% interval ${optimal}/${seeds}, ROAS ${roas}/${seeds}, gate passed ${gates}/${seeds}, ` +
      `median ${median(times).toFixed(1)} s per fit`,
  );
if (process.env.BENCH_MERIDIAN) {
  const file = new URL('../../../examples/data/public/meridian_national_media_rf.csv', import.meta.url);
  const rows = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  const options: FitMMMOptions = {
    date: 'time',
    target: 'conversions',
    channels: [
      ...[0, 1, 2].map((i) => ({ name: `Channel${i}`, exposure: `Channel${i}_impression`, spend: `Channel${i}_spend` })),
      { name: 'Channel3', reach: 'Channel3_reach', frequency: 'Channel3_frequency', spend: 'Channel3_spend' },
    ],
    controls: ['competitor_activity_score_control', 'sentiment_score_control'],
  };
  for (const seed of [1, 2, 3]) {
    const t0 = performance.now();
    const fit = (await fitMMM(rows, { ...options, seed })) as BayesianFit;
    const c = fit.channels.Channel3;
    console.log(
      `Meridian R&F file, seed ${seed}: gate ${fit.diagnostics.passed ? 'passed' : 'FAILED'} (R-hat ${fit.diagnostics.rhatMax.toFixed(3)}, ` +
        `ESS-bulk ${fit.diagnostics.essBulkMin.toFixed(0)}); Channel3 optimal frequency ${f(c.optimalFrequency!)}, ROAS ${f(c.roas)}, ` +
        `average frequency ${c.reachFrequency!.averageFrequency.toFixed(2)}; ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
}
if (process.env.BENCH_ORGANIC) {
  const inside = { newsletter: 0, promo: 0, price: 0 };
  for (let seed = 1; seed <= seeds; seed++) {
    const d = organicData(seed);
    const fit = (await fitMMM(d.rows, {
      date: 'date',
      target: 'sales',
      channels: ['tv', 'search'],
      organic: ['newsletter'],
      treatments: ['promo', 'price'],
      seed,
    })) as BayesianFit;
    const got = {
      newsletter: fit.organic!.newsletter.contribution,
      promo: fit.treatments!.promo.contribution,
      price: fit.treatments!.price.contribution,
    };
    const line = (['newsletter', 'promo', 'price'] as const).map((k) => {
      const ok = got[k].lower <= d.truth[k] && d.truth[k] <= got[k].upper;
      inside[k] += ok ? 1 : 0;
      return `${k} ${f(got[k])} (true ${d.truth[k].toFixed(0)}) ${ok ? 'inside' : 'OUTSIDE'}`;
    });
    console.log(`seed ${seed}: ${line.join('; ')}; gate ${fit.diagnostics.passed ? 'passed' : 'FAILED'}`);
  }
  console.log(
    `\n${seeds} data sets: inside the 90% interval: newsletter ${inside.newsletter}, promo ${inside.promo}, price ${inside.price}`,
  );
}
