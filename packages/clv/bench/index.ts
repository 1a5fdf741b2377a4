// `npm run bench`: BG/NBD on 1,000,000 simulated customers, with repeated and with all-distinct histories (goal: fit
// under 2 s, predictions under 0.5 s), and the CDNOW fits. Simulated from known parameters with a seeded generator; medians of repeated runs.
import { bench, printResults } from '../../../scripts/bench-harness.js';
import { expectedPurchases, fitBGNBD, fitGammaGamma, fitParetoNBD, probabilityAlive } from '../src/index.js';
import { simulateBgNbd } from '../test/simulate.js';
import { cdnowHardie } from '../test/cdnow.js';

const n = 1_000_000;
const sim = simulateBgNbd(n, { r: 0.25, alpha: 4.4, a: 0.8, b: 2.4 }, (i) => 27 + (i % 12), 0, false, 1);
// every history distinct: T continuous (first purchases spread over 12 weeks), so no grouping helps
const distinct = simulateBgNbd(n, { r: 0.25, alpha: 4.4, a: 0.8, b: 2.4 }, (i) => 27 + 12 * ((i * 0.6180339887498949) % 1), 0, false, 2);
const fit = fitBGNBD(sim);
console.log(
  `BG/NBD on ${n.toLocaleString('en')} customers: r ${fit.params.r.toFixed(4)}, α ${fit.params.alpha.toFixed(3)}, a ${fit.params.a.toFixed(4)}, b ${fit.params.b.toFixed(3)} (truth 0.25, 4.4, 0.8, 2.4), ${fit.iterations} iterations`,
);
const cd = cdnowHardie();
printResults(
  '@mmm/clv',
  bench(
    [
      {
        name: `fitBGNBD, ${n.toLocaleString('en')} customers (cohorts: integer T, many identical histories)`,
        run: () => fitBGNBD(sim).logLikelihood,
      },
      {
        name: `fitBGNBD, ${n.toLocaleString('en')} customers, every history distinct (continuous T)`,
        run: () => fitBGNBD(distinct).logLikelihood,
      },
      {
        name: `expectedPurchases (39 periods) + probabilityAlive, ${n.toLocaleString('en')} customers`,
        run: () => expectedPurchases(fit, sim, 39)[0] + probabilityAlive(fit, sim)[n - 1],
      },
      { name: 'fitBGNBD, CDNOW (2,357 customers)', run: () => fitBGNBD(cd).logLikelihood },
      { name: 'fitParetoNBD, CDNOW', run: () => fitParetoNBD(cd).logLikelihood },
      { name: 'fitGammaGamma, CDNOW (946 repeat customers)', run: () => fitGammaGamma(cd).logLikelihood },
    ],
    { targetMs: 1000, repeats: 5 },
  ),
);
