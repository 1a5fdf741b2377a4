// `npm run bench`: budget allocation over 10 channels whose Hill curves carry 1,000 posterior draws each (the issue's
// goal: under 100 ms), with the mean and the mean − sd objectives; and minimize on the 100-d Rosenbrock function.
import { bench, printResults } from '../../../scripts/bench-harness.js';
import { allocateBudget, mediaResponseCurve, minimize } from '../src/index.js';
import { rosenbrock } from '../test/functions.js';

let s = 99;
const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
const S = 1000;
const curves = Array.from({ length: 10 }, (_, c) => {
  const K = 0.3 + u();
  const slope = 0.8 + 2 * u();
  const beta = 50 + 100 * u();
  return mediaResponseCurve({
    channel: `ch${c}`,
    saturation: 'hill',
    params: Array.from({ length: S }, () => [K * (0.8 + 0.4 * u()), slope * (0.9 + 0.2 * u())]),
    beta: Float64Array.from({ length: S }, () => beta * (0.7 + 0.6 * u())),
    spendScale: 100,
    adstockWeights: [0.5, 0.3, 0.2],
  });
});
const budget = 600;
const check = allocateBudget({ curves, totalBudget: budget });
console.log(
  `KKT at the mean optimum: satisfied ${check.kkt.satisfied}, max relative deviation ${check.kkt.maxRelativeDeviation.toExponential(2)}`,
);
const rosen = rosenbrock(100);
const x0 = Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : -1.2));
printResults(
  '@mmm/optimize',
  bench(
    [
      {
        name: 'allocateBudget: 10 channels × 1000 draws, mean',
        run: () => allocateBudget({ curves, totalBudget: budget }).expectedResponse,
      },
      {
        name: 'allocateBudget: 10 channels × 1000 draws, mean − 1·sd',
        run: () => allocateBudget({ curves, totalBudget: budget, objective: { meanMinusSd: 1 } }).expectedResponse,
      },
      {
        name: 'allocateBudget: 10 channels × 1000 draws, 10% quantile',
        run: () => allocateBudget({ curves, totalBudget: budget, objective: { quantile: 0.1 } }).expectedResponse,
      },
      { name: 'minimize: Rosenbrock 100-d', run: () => minimize(rosen, x0, { maxIterations: 5000 }).value },
    ],
    { targetMs: 1000, repeats: 5 },
  ),
);
