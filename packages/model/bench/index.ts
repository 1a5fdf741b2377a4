// `npm run bench` (model): one log density + gradient of the MMM on the Stan reference data (156 weeks, 5 channels,
// 28 parameters), in both coordinate systems, next to Stan's grad_log_prob measured through R (94.5 µs,
// shared/reference/stan/results.json; it includes R's call overhead, so the ratio favours us somewhat).
import { bench, printResults } from '../../../scripts/bench-harness.js';
import { buildModel, prepareModelData } from '../src/index.js';
import { stanRaw, stanSpec } from '../test/stan-reference.js';

const results = (['centered', 'natural'] as const).map((parameterization) => {
  const spec = { ...stanSpec(), parameterization };
  const { data } = prepareModelData(spec, stanRaw());
  const m = buildModel(spec, data);
  const theta = Float64Array.from({ length: m.density.dim }, (_, i) => 0.2 * Math.sin(i + 1));
  const grad = new Float64Array(m.density.dim);
  return { name: `log density + gradient, ${parameterization} coordinates`, run: () => m.density.logDensityGradient(theta, grad) };
});
const r = bench(results, { targetMs: 500, repeats: 7 });
printResults('@mmm/model', r);
console.log(`\nStan grad_log_prob through R: 94.5 µs; ours ${(r[0].medianMs * 1000).toFixed(1)} µs (${(94.5 / (r[0].medianMs * 1000)).toFixed(2)}× faster).`);
