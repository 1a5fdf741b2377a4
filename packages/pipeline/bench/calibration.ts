// `npm run bench:calibration -w @mmm/pipeline`: what one lift test does to a weakly identified channel. Data sets are
// simulated by @mmm/model (104 weeks; tv and radio flighted together, so their effects trade off; search on its own),
// each with its own seed and true curves; each is fitted with fitMMM's defaults without calibration and then with one
// lift test on tv computed from the generating curve exactly as liftTests define it, with a 10% standard error, for
// two designs: tv dark for a whole 12-week stretch of flights, and +50% on tv for 8 weeks. Prints, per design, the
// ratio of tv's 90% ROAS interval width without and with the test, and whether the truth stays inside.
//   BENCH_DATASETS=6 npm run bench:calibration -w @mmm/pipeline
import { createRng } from '@mmm/bayes-nuts';
import { simulate, type ModelSpec } from '@mmm/model';
import { adstockFamilies, adstockInto, saturationFamilies } from '@mmm/transforms';
import { fitMMM } from '../src/index.js';

const datasets = Number(process.env.BENCH_DATASETS ?? 6);
const T = 104;
const spec: ModelSpec = {
  channels: [{ name: 'tv' }, { name: 'radio' }, { name: 'search' }],
  seasonality: { order: 1, period: 52 },
  trend: 'linear',
};
const yScale = 1e4;

function dataset(seed: number) {
  const rng = createRng(seed, 1);
  const on = Float64Array.from({ length: T }, (_, t) => (Math.floor(t / 6) % 2 === 0 ? 800 + 400 * rng.uniform() : 100 * rng.uniform()));
  const spend: Record<string, Float64Array> = {
    tv: on.map((v) => v * (0.9 + 0.2 * rng.uniform())),
    radio: on.map((v) => 0.5 * v * (0.9 + 0.2 * rng.uniform())),
    search: Float64Array.from({ length: T }, () => (rng.uniform() < 0.5 ? 0 : 400 + 600 * rng.uniform())),
  };
  const tv = { alpha: 0.2 + 0.5 * rng.uniform(), K: 0.3 + 0.4 * rng.uniform(), S: 1 + rng.uniform(), beta: 0.1 + 0.1 * rng.uniform() };
  const params: Record<string, number[]> = {
    intercept: [0.8],
    trend: [0.02],
    fourier: [0.05, -0.03],
    sigma: [0.04],
    'tv.adstock.alpha': [tv.alpha],
    'tv.saturation.halfSaturation': [tv.K],
    'tv.saturation.slope': [tv.S],
    'tv.beta': [tv.beta],
    'radio.adstock.alpha': [0.3],
    'radio.saturation.halfSaturation': [0.4],
    'radio.saturation.slope': [1.2],
    'radio.beta': [0.08],
    'search.adstock.alpha': [0.2],
    'search.saturation.halfSaturation': [0.5],
    'search.saturation.slope': [1.5],
    'search.beta': [0.1],
  };
  const sim = simulate(spec, { spend }, params, { seed, yScale });
  const dates = Array.from({ length: T }, (_, t) => new Date(Date.UTC(2023, 0, 2) + 7 * t * 86_400_000).toISOString().slice(0, 10));
  const rows = dates.map((d, t) => ({ date: d, sales: sim.y[t], tv: spend.tv[t], radio: spend.radio[t], search: spend.search[t] }));
  const roas = sim.contributions.tv.reduce((a, b) => a + b, 0) / spend.tv.reduce((a, b) => a + b, 0);
  const lift = (start: number, end: number, change: number) => {
    const x = spend.tv;
    const max = Math.max(...x);
    const w = adstockFamilies.geometric.weightsInto(new Float64Array(8), [tv.alpha], true);
    const curve = (s: Float64Array) =>
      saturationFamilies.hill.valueInto(
        new Float64Array(T),
        adstockInto(
          new Float64Array(T),
          s.map((v) => v / max),
          w,
        ),
        [tv.K, tv.S],
      );
    const a = curve(x);
    const b = curve(x.map((v, i) => (i >= start && i <= end ? Math.max(0, v + change / (end - start + 1)) : v)));
    let l = 0;
    for (let i = start; i <= end; i++) l += tv.beta * (b[i] - a[i]) * yScale;
    return l;
  };
  return { rows, dates, spend, roas, lift };
}

const designs = [
  { name: 'tv dark, weeks 36–47', start: 36, end: 47, share: -1 },
  { name: 'tv +50%, weeks 40–47', start: 40, end: 47, share: 0.5 },
];
const results = designs.map(() => ({ ratios: [] as number[], covered: 0 }));
let plainCovered = 0;
for (let d = 1; d <= datasets; d++) {
  const data = dataset(100 + d);
  const options = {
    date: 'date',
    target: 'sales',
    channels: ['tv', 'radio', 'search'],
    model: { seasonality: { order: 1, period: 52 } },
    seed: 1,
  } as const;
  const plain = await fitMMM(data.rows, options);
  const w0 = plain.channels.tv.roas.upper - plain.channels.tv.roas.lower;
  if (plain.channels.tv.roas.lower <= data.roas && data.roas <= plain.channels.tv.roas.upper) plainCovered++;
  for (const [k, design] of designs.entries()) {
    const change = design.share * data.spend.tv.slice(design.start, design.end + 1).reduce((a, b) => a + b, 0);
    const lift = data.lift(design.start, design.end, change);
    const fit = await fitMMM(data.rows, {
      ...options,
      liftTests: [
        {
          channel: 'tv',
          start: data.dates[design.start],
          end: data.dates[design.end],
          spendChange: change,
          lift,
          sd: Math.abs(0.1 * lift),
        },
      ],
    });
    const r = fit.channels.tv.roas;
    results[k].ratios.push(w0 / (r.upper - r.lower));
    if (r.lower <= data.roas && data.roas <= r.upper) results[k].covered++;
    console.log(
      `data set ${d}, ${design.name}: width ${w0.toFixed(2)} → ${(r.upper - r.lower).toFixed(2)} (${(w0 / (r.upper - r.lower)).toFixed(2)}×), truth ${data.roas.toFixed(2)} in [${r.lower.toFixed(2)}, ${r.upper.toFixed(2)}], gate ${fit.diagnostics.passed ? 'passed' : 'failed'}`,
    );
  }
}
console.log(`\nwithout calibration the truth was inside tv's 90% interval in ${plainCovered}/${datasets} data sets`);
designs.forEach((design, k) => {
  const r = [...results[k].ratios].sort((a, b) => a - b);
  console.log(
    `${design.name}: width ratio median ${r[r.length >> 1].toFixed(2)} (min ${r[0].toFixed(2)}, max ${r[r.length - 1].toFixed(2)}), ≥ 1.5× in ${r.filter((x) => x >= 1.5).length}/${datasets}, truth inside ${results[k].covered}/${datasets}`,
  );
});
