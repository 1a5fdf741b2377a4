// `npm run bench`: the classical MMM's hyperparameter search at the scale, 156 weeks × 5 channels (geometric
// adstock, Hill curves: 15 curve parameters and the penalty) with a trend, two Fourier pairs and two controls, each
// candidate scored by 5-fold time-series CV and DECOMP.RSSD. The reference is the same scoring done the direct way
// (standardise, then the public `ridge` per fold, which forms and factors each fold's normal equations from the
// rows), timed on the same candidates in the same run: the ratio is what reusing prefix sums across folds buys.
// Data are simulated from a seeded generator; figures are medians of repeats.
import { performance } from 'node:perf_hooks';
import { createRng } from '@mmm/bayes-nuts';
import { adstockFamilies, adstockInto, saturationFamilies } from '@mmm/transforms';
import { printResults, type BenchResult } from '../../../scripts/bench-harness.js';
import { ridge, searchMMM, timeSeriesSplit, type MMMProblem } from '../src/index.js';

const T = 156;
const C = 5;
const rng = createRng(2026, 0);
const geometric = adstockFamilies.geometric;
const hill = saturationFamilies.hill;
const inputs = Array.from({ length: C }, (_, c) =>
  Float64Array.from({ length: T }, (_, t) => Math.max(0, Math.sin(t / (4 + c)) + 0.6 * rng.uniform()) * (rng.uniform() < 0.85 ? 1 : 0)),
);
const scaled = inputs.map((x) => x.map((v) => v / Math.max(...x)));
const col = (f: (t: number) => number) => Float64Array.from({ length: T }, (_, t) => f(t));
const base = [
  { name: 'trend', values: col((t) => t / 52) },
  { name: 'fourier[1]', values: col((t) => Math.sin((2 * Math.PI * t) / 52)) },
  { name: 'fourier[2]', values: col((t) => Math.cos((2 * Math.PI * t) / 52)) },
  { name: 'fourier[3]', values: col((t) => Math.sin((4 * Math.PI * t) / 52)) },
  { name: 'fourier[4]', values: col((t) => Math.cos((4 * Math.PI * t) / 52)) },
  { name: 'control[1]', values: col(() => rng.normal()) },
  { name: 'control[2]', values: col(() => rng.normal()) },
];
const y = col((t) => 1 + 0.03 * base[0].values[t] + 0.08 * base[1].values[t] + 0.02 * base[5].values[t] + 0.02 * rng.normal());
inputs.forEach((_, c) => {
  const w = geometric.weightsInto(new Float64Array(8), [0.2 + 0.1 * c], true);
  const f = hill.valueInto(new Float64Array(T), adstockInto(new Float64Array(T), scaled[c], w), [0.4, 1.5]);
  f.forEach((v, t) => (y[t] += 0.1 * v));
});
const problem: MMMProblem = {
  y,
  base,
  media: scaled.map((x, c) => ({
    name: `ch${c}`,
    input: x,
    spend: inputs[c].reduce((a, b) => a + b, 0),
    adstock: geometric,
    maxLag: 8,
    normalize: true,
    saturation: hill,
    ranges: [
      [0, 0.9],
      [0.05, 1.5],
      [0.5, 3],
    ] as Array<[number, number]>,
  })),
};

/** The reference: the same candidates scored by standardising and calling `ridge` per fold. */
function direct(curves: number[], penalty: number): number {
  const cols = [
    ...base.map((b) => b.values),
    ...scaled.map((x, c) => {
      const w = geometric.weightsInto(new Float64Array(8), [curves[3 * c]], true);
      return hill.valueInto(new Float64Array(T), adstockInto(new Float64Array(T), x, w), [curves[3 * c + 1], curves[3 * c + 2]]);
    }),
  ];
  const sd = cols.map((x) => {
    const m = x.reduce((a, v) => a + v, 0) / T;
    return Math.sqrt(x.reduce((a, v) => a + (v - m) ** 2, 0) / T) || 1;
  });
  const lowerBounds = cols.map((_, j) => (j >= base.length ? 0 : -Infinity));
  let sse = 0;
  for (const f of timeSeriesSplit(T, { nSplits: 5 })) {
    const X = f.train.map((t) => cols.map((x, j) => x[t] / sd[j]));
    const fit = ridge(
      X,
      f.train.map((t) => y[t]),
      { alpha: penalty * f.train.length, lowerBounds },
    );
    for (const t of f.test) sse += (y[t] - fit.intercept - cols.reduce((a, x, j) => a + (x[t] / sd[j]) * fit.coefficients[j], 0)) ** 2;
  }
  const all = Array.from({ length: T }, (_, t) => t);
  const full = ridge(
    all.map((t) => cols.map((x, j) => x[t] / sd[j])),
    Array.from(y),
    { alpha: penalty * T, lowerBounds },
  );
  return sse + full.intercept;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

const results: BenchResult[] = [];
const repeats = 5;
for (const method of ['ridge', 'lasso'] as const) {
  for (const strategy of ['evolutionary', 'random'] as const) {
    const times: number[] = [];
    let best = 0;
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      const s = searchMMM(problem, { method, strategy, candidates: 10_000, seed: 1 });
      times.push(performance.now() - t0);
      best = s.candidates[s.chosen].nrmse;
    }
    if (!Number.isFinite(best)) throw new Error('no finite candidate');
    results.push({
      name: `searchMMM ${method}, ${strategy}: 10,000 candidates × 5-fold CV`,
      medianMs: median(times),
      minMs: Math.min(...times),
      maxMs: Math.max(...times),
    });
  }
}
// per-candidate cost, fast path against the direct reference on the same 300 candidates (ridge)
const sample = searchMMM(problem, { method: 'ridge', strategy: 'random', candidates: 300, seed: 2 }).candidates;
const fastTimes: number[] = [];
const directTimes: number[] = [];
for (let r = 0; r < repeats; r++) {
  let t0 = performance.now();
  searchMMM(problem, { method: 'ridge', strategy: 'random', candidates: 300, seed: 2 });
  fastTimes.push((performance.now() - t0) / 300);
  t0 = performance.now();
  let acc = 0;
  for (const c of sample) acc += direct(c.curves, c.penalty);
  if (!Number.isFinite(acc)) throw new Error('reference failed');
  directTimes.push((performance.now() - t0) / 300);
}
results.push({
  name: 'per candidate, searchMMM (prefix sums, one pass)',
  medianMs: median(fastTimes),
  minMs: Math.min(...fastTimes),
  maxMs: Math.max(...fastTimes),
});
results.push({
  name: 'per candidate, direct: standardise + ridge() per fold',
  medianMs: median(directTimes),
  minMs: Math.min(...directTimes),
  maxMs: Math.max(...directTimes),
});
printResults(
  `@mmm/regression: ${T} weeks × ${C} channels, 5-fold time-series CV (medians of ${repeats}); speed-up per candidate ${(median(directTimes) / median(fastTimes)).toFixed(1)}×`,
  results,
);
