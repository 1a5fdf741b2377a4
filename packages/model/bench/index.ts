// `npm run bench` (model): one log density + gradient of the MMM on the Stan reference data (156 weeks, 5 channels,
// 28 parameters), in both coordinate systems, next to Stan's grad_log_prob measured through R (94.5 µs,
// shared/reference/stan/results.json; it includes R's call overhead, so the ratio favours us somewhat).
import { readFileSync } from 'node:fs';
import { hillSaturation } from '@mmm/transforms';
import { bench, printResults } from '../../../scripts/bench-harness.js';
import { buildModel, prepareModelData, type RawModelData } from '../src/index.js';
import { geoRaw, geoSpec } from '../test/geo-reference.js';
import { stanRaw, stanSpec } from '../test/stan-reference.js';

const results = (['centered', 'natural'] as const).map((parameterization) => {
  const spec = { ...stanSpec(), parameterization };
  const { data } = prepareModelData(spec, stanRaw());
  const m = buildModel(spec, data);
  const theta = Float64Array.from({ length: m.density.dim }, (_, i) => 0.2 * Math.sin(i + 1));
  const grad = new Float64Array(m.density.dim);
  return { name: `log density + gradient, ${parameterization} coordinates`, run: () => m.density.logDensityGradient(theta, grad) };
});
{
  // the same model with a copy of Hill (its default priors given by hand): the reverse-mode path for the curves
  const priors = { halfSaturation: { dist: 'gamma', alpha: 3, beta: 6 }, slope: { dist: 'gamma', alpha: 3, beta: 2 } } as const;
  const base = stanSpec();
  const spec = { ...base, channels: base.channels.map((c) => ({ ...c, saturation: { type: 'hill' as const, priors } })) };
  const { data } = prepareModelData(spec, stanRaw());
  const m = buildModel(spec, data, { saturation: Object.fromEntries(spec.channels.map((c) => [c.name, { ...hillSaturation }])) });
  const theta = Float64Array.from({ length: m.density.dim }, (_, i) => 0.2 * Math.sin(i + 1));
  const grad = new Float64Array(m.density.dim);
  results.push({
    name: 'log density + gradient, centered coordinates, reverse-mode curve',
    run: () => m.density.logDensityGradient(theta, grad),
  });
}
const r = bench(results, { targetMs: 500, repeats: 7 });
printResults('@mmm/model', r);
console.log(
  `\nStan grad_log_prob through R: 94.5 µs; ours ${(r[0].medianMs * 1000).toFixed(1)} µs (${(94.5 / (r[0].medianMs * 1000)).toFixed(2)}× faster); the default curve's fused pass ${(r[2].medianMs / r[0].medianMs).toFixed(2)}× faster than the reverse mode in this run.`,
);

// The geo model: one log density + gradient on Meridian's 40-geo demo file (examples/data/public; 40 geos × 156 weeks
// × 5 channels, 3 controls, 276 parameters) and on the Stan reference geo data (8 geos × 104 weeks × 3 channels). The
// default curve (geometric adstock + Hill) runs forward mode in one pass per geo and channel (geometricHillJacobianInto);
// a copy of Hill, not the registry's object, takes the reverse-mode path every other curve takes (values with a cache,
// then the VJPs): the same numbers, so the ratio in this run is what the fused pass saves.
const meridian = readFileSync(new URL('../../../examples/data/public/meridian_geo_all_channels.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n');
const header = meridian[0].split(',');
const rows = meridian.slice(1).map((line) => line.split(','));
const col = (name: string) => Float64Array.from(rows, (r) => Number(r[header.indexOf(name)]));
const geoNames = [...new Set(rows.map((r) => r[header.indexOf('geo')]))];
const periods = rows.length / geoNames.length;
const channels = [0, 1, 2, 3, 4].map((i) => `Channel${i}`);
const meridianRaw: RawModelData = {
  y: col('conversions'),
  spend: Object.fromEntries(channels.map((c) => [c, col(`${c}_spend`)])),
  controls: Object.fromEntries(['competitor_sales_control', 'sentiment_score_control', 'Promo'].map((c) => [c, col(c)])),
  geo: { count: geoNames.length, periods, population: geoNames.map((_, g) => Number(rows[g * periods][header.indexOf('population')])) },
};
const hillPriors = { halfSaturation: { dist: 'gamma', alpha: 3, beta: 3 }, slope: { dist: 'gamma', alpha: 3, beta: 2 } } as const;
const geoCases = [
  {
    label: "Meridian's 40 geos",
    spec: {
      channels: channels.map((name) => ({ name, saturation: { type: 'hill' as const, priors: hillPriors } })),
      controls: Object.keys(meridianRaw.controls!),
      seasonality: { order: 2 },
    },
    raw: meridianRaw,
  },
  {
    label: 'Stan reference, 8 geos',
    spec: { ...geoSpec(), channels: geoSpec().channels.map((c) => ({ ...c, saturation: { type: 'hill' as const, priors: hillPriors } })) },
    raw: geoRaw(),
  },
].flatMap(({ label, spec, raw }) => {
  const { data } = prepareModelData(spec, raw);
  const copy = Object.fromEntries(spec.channels.map((c) => [c.name, { ...hillSaturation }]));
  return [
    { path: 'fused', m: buildModel(spec, data) },
    { path: 'reverse-mode', m: buildModel(spec, data, { saturation: copy }) },
  ].map(({ path, m }) => {
    const theta = Float64Array.from({ length: m.density.dim }, (_, i) => 0.1 * Math.sin(i + 1));
    const grad = new Float64Array(m.density.dim);
    return {
      name: `geo log density + gradient, ${label} (${m.density.dim} parameters), ${path} curve`,
      run: () => m.density.logDensityGradient(theta, grad),
    };
  });
});
const g = bench(geoCases, { targetMs: 1000, repeats: 5 });
printResults('@mmm/model geo', g);
for (let k = 0; k < g.length; k += 2)
  console.log(
    `${g[k].name}: ${(g[k].medianMs * 1000).toFixed(0)} µs, ${(g[k + 1].medianMs / g[k].medianMs).toFixed(2)}× faster than the reverse-mode path in this run`,
  );
