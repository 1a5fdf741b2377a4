// `npm run bench:time-varying -w @mmm/pipeline`: time-varying effects over many simulated data sets. Each data set
// (test/time-varying-data.ts: 208 weeks, tv, search and social, seasonality and a trend) has tv's effect changing by a
// step (×2 at the midpoint), a drift (0.7 → 1.4) or a seasonal ±30%, or not at all ('none'); search and social stay
// constant. Each is fitted twice with the same seed: constant effects, and `timeVaryingEffects: 'perChannel'`. Prints
// per data set the wall-time ratio and the per-gradient cost of the two fits, the gate, the share of periods where each
// channel's 90% band holds its true multiplier, and channelStability's verdict at the midpoint against the truth; then
// the medians and the totals (false changes among the constant channels, detected changes among the changed ones), and
// the PSIS-LOO comparison of the two fits (elpd difference and its standard error; the k̂ > 0.7 count).
// First (BENCH_PART=demo or both, the default), the speed on the demo data (examples/data/weekly_national.csv: 156
// weeks, 5 channels, 2 controls; fitMMM's defaults as `npm run demo`): the plain fit and the 'perChannel' fit in turn,
// BENCH_REPEATS times (3), the medians of the wall times and of their ratio.
//   BENCH_SEEDS=3 BENCH_CHANGES=gp,step,drift,seasonal,none npm run bench:time-varying -w @mmm/pipeline
//   BENCH_PART=demo BENCH_REPEATS=3 npm run bench:time-varying -w @mmm/pipeline
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { channelStability, compareModels, fitMMM, type BayesianFit } from '../src/index.js';
import { changingData, type Change } from '../test/time-varying-data.js';

const part = process.env.BENCH_PART ?? 'both';

const seeds = Number(process.env.BENCH_SEEDS ?? 3);
const changes = (process.env.BENCH_CHANGES ?? 'step,drift,seasonal,none').split(',') as Change[];
const T = Number(process.env.BENCH_T ?? 208);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (part === 'demo' || part === 'both') {
  const rows = parse(readFileSync(new URL('../../../examples/data/weekly_national.csv', import.meta.url), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  }) as Array<Record<string, string>>;
  const base = {
    date: 'date',
    target: 'sales',
    channels: ['tv', 'search', 'social', 'display', 'radio'],
    controls: ['price_index', 'competitor_index'],
    seed: 2026,
  };
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const plainTimes: number[] = [];
  const tvTimes: number[] = [];
  let last: { constant: BayesianFit; timeVarying: BayesianFit } | undefined;
  for (let r = 0; r < repeats; r++) {
    let t0 = performance.now();
    const plain = (await fitMMM(rows, base)) as BayesianFit;
    plainTimes.push((performance.now() - t0) / 1000);
    t0 = performance.now();
    const tv = (await fitMMM(rows, { ...base, model: { timeVaryingEffects: 'perChannel' } })) as BayesianFit;
    tvTimes.push((performance.now() - t0) / 1000);
    last = { constant: plain, timeVarying: tv };
    console.log(
      `demo run ${r + 1}: plain ${plainTimes[r].toFixed(1)} s (${plain.timing.gradientEvaluations} gradients, gate ${plain.diagnostics.passed}), ` +
        `perChannel ${tvTimes[r].toFixed(1)} s (${tv.timing.gradientEvaluations} gradients, gate ${tv.diagnostics.passed}), ×${(tvTimes[r] / plainTimes[r]).toFixed(2)}`,
    );
  }
  if (last) {
    // the worked example's model comparison, and what the time-varying fit says changed (the demo data's effects are constant)
    const { comparison } = compareModels(last, { maxDraws: 1000 });
    console.log(
      `demo data PSIS-LOO: ${comparison.map((c) => `${c.name} elpd ${c.elpdLoo.toFixed(1)} ± ${c.seElpdLoo.toFixed(1)} (diff ${c.elpdDiff.toFixed(1)} ± ${c.seDiff.toFixed(1)})`).join('; ')}`,
    );
    const changes = channelStability(last.timeVarying);
    console.log(
      `demo data channelStability (largest quarterly change): ${Object.entries(changes)
        .map(([c, v]) => `${c} ${v.ratio.mean.toFixed(2)} [${v.ratio.lower.toFixed(2)}, ${v.ratio.upper.toFixed(2)}] ${v.label}`)
        .join('; ')}`,
    );
  }
  console.log(
    `demo data, medians of ${repeats}: plain ${median(plainTimes).toFixed(1)} s, perChannel ${median(tvTimes).toFixed(1)} s, ratio ×${median(tvTimes.map((t, r) => t / plainTimes[r])).toFixed(2)}\n`,
  );
}
if (part === 'demo') process.exit(0);

const timeRatios: number[] = [];
const gradientCost: number[] = [];
const bandShare: number[] = [];
let falseChanges = 0;
let constantChannels = 0;
let detected = 0;
let changed = 0;
let ratioCovered = 0;
let gateFailures = 0;
const looRows: string[] = [];

for (const change of changes) {
  for (let seed = 1; seed <= seeds; seed++) {
    const d = changingData(seed, change, { T });
    const base = { date: 'date', target: 'sales', channels: d.channels, seed, model: { seasonality: { order: 2, period: 52 } } };
    let t0 = performance.now();
    const plain = (await fitMMM(d.rows, base)) as BayesianFit;
    const plainTime = performance.now() - t0;
    t0 = performance.now();
    const tv = (await fitMMM(d.rows, { ...base, model: { ...base.model, timeVaryingEffects: 'perChannel' } })) as BayesianFit;
    const tvTime = performance.now() - t0;
    timeRatios.push(tvTime / plainTime);
    const cost = tvTime / tv.timing.gradientEvaluations / (plainTime / plain.timing.gradientEvaluations);
    gradientCost.push(cost);
    if (!tv.diagnostics.passed) gateFailures++;
    const split = d.dates[Math.floor(T / 2)];
    const verdict = channelStability(tv, { split });
    const cells: string[] = [];
    for (const ch of d.channels) {
      const truth = d.multiplier[ch];
      // the fit's multiplier has mean log 0 over the periods: the truth on the same footing
      const logMean = truth.reduce((a, m) => a + Math.log(m), 0) / T;
      const band = tv.channels[ch].effectOverTime!;
      let k = 0;
      truth.forEach((m, t) => (k += band.lower[t] <= m / Math.exp(logMean) && m / Math.exp(logMean) <= band.upper[t] ? 1 : 0));
      bandShare.push(k / T);
      const h = Math.floor(T / 2);
      const trueRatio = truth.slice(h).reduce((a, b) => a + b, 0) / (T - h) / (truth.slice(0, h).reduce((a, b) => a + b, 0) / h);
      const isChanged = Math.abs(Math.log(trueRatio)) > 0.05;
      const v = verdict[ch];
      if (isChanged) {
        changed++;
        if (v.label === (trueRatio > 1 ? 'increased' : 'decreased')) detected++;
      } else {
        constantChannels++;
        if (v.label !== 'stable') falseChanges++;
      }
      if (v.ratio.lower <= trueRatio && trueRatio <= v.ratio.upper) ratioCovered++;
      cells.push(
        `${ch} band ${(k / T).toFixed(2)} ratio ${v.ratio.mean.toFixed(2)} [${v.ratio.lower.toFixed(2)}, ${v.ratio.upper.toFixed(2)}] (true ${trueRatio.toFixed(2)}) ${v.label}`,
      );
    }
    const { comparison, loo } = compareModels({ constant: plain, timeVarying: tv }, { maxDraws: 1000 });
    const second = comparison[1];
    const badK = Object.values(loo).map((l) => l.paretoK.reduce((n, k) => n + (k > 0.7 ? 1 : 0), 0));
    const looLine = `LOO prefers ${comparison[0].name} by ${(-second.elpdDiff).toFixed(1)} ± ${second.seDiff.toFixed(1)} (k̂ > 0.7: ${badK.join(', ')})`;
    looRows.push(`${change} seed ${seed}: ${looLine}`);
    console.log(
      `${change} seed ${seed}: time ${(tvTime / 1000).toFixed(1)} s vs ${(plainTime / 1000).toFixed(1)} s (×${(tvTime / plainTime).toFixed(1)}), per gradient ×${cost.toFixed(2)}, gate ${tv.diagnostics.passed ? 'passed' : 'FAILED'}; ${looLine}\n  ${cells.join('\n  ')}`,
    );
  }
}
const channels = constantChannels + changed;
console.log(
  `\n${timeRatios.length} data sets (T = ${T}): wall time ×${median(timeRatios).toFixed(2)} (median), per-gradient cost ×${median(gradientCost).toFixed(2)}, gate failures ${gateFailures}` +
    `\n  90% bands: median share of periods holding the truth ${median(bandShare).toFixed(2)}` +
    `\n  midpoint ratio: truth inside the 90% interval for ${ratioCovered}/${channels} channels` +
    `\n  false changes ${falseChanges}/${constantChannels} constant channels; changes detected ${detected}/${changed}` +
    `\n  PSIS-LOO:\n    ${looRows.join('\n    ')}`,
);
