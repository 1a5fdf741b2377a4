// `npm run bench:experiments -w @mmm/pipeline`: designExperiments' predictions against refits with the test it
// designed, on BENCH_SEEDS data sets (default 8) of three channels with constant effects and known truth
// (test/time-varying-data.ts, 156 weeks): each fitted with the defaults, its best design run on the true curve at
// steady state (periods × [f(x + deltaX) − f(x)] plus Normal noise with the design's sd), refitted with the test; prints
// the predicted and realised narrowing of the channel's ROAS interval (log scale), the narrowing predicted for the
// measured lift itself (predictTestResult: the importance weights of that one outcome), whether the truth is inside,
// the gates.
import { createRng } from '@mmm/bayes-nuts';
import { hill } from '@mmm/transforms';
import { designExperiments, fitMMM, predictTestResult, toLiftTest, type BayesianFit } from '../src/index.js';
import { changingData } from '../test/time-varying-data.js';

const seeds = Number(process.env.BENCH_SEEDS ?? 8);
const truth: Record<string, [number, number, number]> = { tv: [0.5, 1.6, 0.18], search: [0.45, 1.3, 0.12], social: [0.4, 1.4, 0.08] };
const rows: string[] = [];
for (let seed = 1; seed <= seeds; seed++) {
  const data = changingData(seed, 'none', { T: 156 });
  const options = { date: 'date', target: 'sales', channels: data.channels, seed, parallel: false };
  const fit = (await fitMMM(data.rows, options)) as BayesianFit;
  const { designs } = designExperiments(fit, { valueOfInformation: 0 });
  const best = designs[0];
  const [K, S, beta] = truth[best.channel];
  const scale = fit.scaling.spendScale[data.channels.indexOf(best.channel)];
  const f = (x: number) => 1e4 * beta * hill(x / scale, K, S);
  const measured = best.periods * (f(best.x + best.deltaX) - f(best.x)) + best.sd * createRng(seed, 5).normal();
  const atOutcome = predictTestResult(fit, best, measured);
  const refit = (await fitMMM(data.rows, { ...options, liftTests: [toLiftTest(best, measured)] })) as BayesianFit;
  const w = (r: { lower: number; upper: number }) => Math.log(r.upper / r.lower);
  const realised = w(fit.channels[best.channel].roas) / w(refit.channels[best.channel].roas);
  const spend = data.rows.reduce((a, r) => a + Number(r[best.channel]), 0);
  const trueRoas = data.contributions[best.channel].reduce((a, b) => a + b, 0) / spend;
  const after = refit.channels[best.channel].roas;
  const line =
    `seed ${seed}: ${best.channel} ${best.deltaX === -best.x ? 'dark' : (best.deltaX / best.x).toFixed(1)} × ${best.periods}: ` +
    `predicted ${best.expectedNarrowing.toFixed(2)} (mean ${best.meanNarrowing.toFixed(2)}, median ${best.medianNarrowing.toFixed(2)}, ` +
    `10–90% ${best.narrowingRange.map((v) => v.toFixed(2)).join('–')}), realised ${realised.toFixed(2)}, ratio ` +
    `${(realised / best.expectedNarrowing).toFixed(2)}; predicted at the measured lift ${atOutcome.narrowing.toFixed(2)} (ESS ` +
    `${atOutcome.ess.toFixed(0)}); truth ${trueRoas >= after.lower && trueRoas <= after.upper ? 'inside' : 'OUTSIDE'}; ` +
    `gates ${fit.diagnostics.passed}/${refit.diagnostics.passed}; ess ${best.importanceEss.toFixed(0)}`;
  rows.push(line);
  console.log(line);
}
