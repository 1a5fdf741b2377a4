// `npm run bench`: rank-normalised R-hat, bulk ESS and tail ESS (and the whole summary table) for 500 parameters
// of 4 chains × 1000 draws, as a fitted model produces them. Draws are AR(1) with ρ = 0.3 (a typical NUTS
// autocorrelation) from a seeded generator; the figures are medians of 9 timed repeats.
import { bench, printResults } from '../../../scripts/bench-harness.js';
import { essBulk, essTail, rhat, summary } from '../src/index.js';

function ar1Draws(params: number, chains: number, draws: number, rho: number, seed: number): Float64Array[][] {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return Array.from({ length: params }, () =>
    Array.from({ length: chains }, () => {
      const x = new Float64Array(draws);
      let v = normal();
      for (let i = 0; i < draws; i++) x[i] = v = rho * v + Math.sqrt(1 - rho * rho) * normal();
      return x;
    }),
  );
}

const P = 500;
const draws = ar1Draws(P, 4, 1000, 0.3, 7);
const named = Object.fromEntries(draws.map((c, i) => [`p${i}`, c]));
const results = bench(
  [
    { name: 'rhat (rank-normalised split, bulk + folded)', run: () => draws.reduce((a, c) => a + rhat(c), 0) },
    { name: 'essBulk', run: () => draws.reduce((a, c) => a + essBulk(c), 0) },
    { name: 'essTail', run: () => draws.reduce((a, c) => a + essTail(c), 0) },
    { name: 'rhat + essBulk + essTail', run: () => draws.reduce((a, c) => a + rhat(c) + essBulk(c) + essTail(c), 0) },
    { name: 'summary table (all ArviZ columns)', run: () => summary(named).reduce((a, r) => a + r.essBulk, 0) },
  ],
  { targetMs: 500, repeats: 7 },
);
printResults(`@mmm/diagnostics: ${P} parameters × 4 chains × 1000 draws (ms per call covers all ${P} parameters)`, results);
