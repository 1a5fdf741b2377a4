// `npm run bench:experiments -w @mmm/pipeline`: designExperiments' predictions against refits with the test it
// designed, on BENCH_SEEDS data sets (default 8) with known truth: national (three channels with constant effects,
// test/time-varying-data.ts, 156 weeks) or, with BENCH_GEO=1, geo panels (bench/simulated.ts's geoStudyDataset, seeds
// 5001…: 6 to 12 geos × 104 weeks × 3 channels; tests in sets of geos). Each data set is fitted with the defaults, its
// best design run on the true curves at steady state (periods × [f(x + deltaX) − f(x)], per geo in a geo test, plus
// Normal noise with the design's sd) and refitted with the test; prints the predicted and realised narrowing of the
// channel's ROAS interval (log scale), the narrowing predicted for the measured lift itself (predictTestResult: the
// importance weights of that one outcome), whether the truth is inside, the gates; and, over every design of every data
// set, the predicted power against the true power (the probability that the test's interval excludes zero when its
// lift is the true one: Φ(L/sd − z) + Φ(−L/sd − z)), by bins of predicted power.
import { createRng } from '@mmm/bayes-nuts';
import erfc from '@stdlib/math-base-special-erfc';
import { hill } from '@mmm/transforms';
import {
  designExperiments,
  fitMMM,
  predictTestResult,
  spendPerPeriod,
  toLiftTest,
  type BayesianFit,
  type ExperimentDesign,
  type FitMMMOptions,
} from '../src/index.js';
import { changingData } from '../test/time-varying-data.js';
import { geoStudyDataset } from './simulated.js';

interface Trial {
  rows: Array<Record<string, number | string>>;
  options: FitMMMOptions;
  /** the true lift of a design, before noise */
  lift(fit: BayesianFit, d: ExperimentDesign): number;
  roas(channel: string): number;
}

const truth: Record<string, [number, number, number]> = { tv: [0.5, 1.6, 0.18], search: [0.45, 1.3, 0.12], social: [0.4, 1.4, 0.08] };

function national(seed: number): Trial {
  const data = changingData(seed, 'none', { T: 156 });
  return {
    rows: data.rows,
    options: { date: 'date', target: 'sales', channels: data.channels, seed, parallel: false },
    lift(fit, d) {
      const [K, S, beta] = truth[d.channel];
      const scale = fit.scaling.spendScale[data.channels.indexOf(d.channel)];
      const f = (x: number) => 1e4 * beta * hill(x / scale, K, S);
      return d.periods * (f(d.x + d.deltaX) - f(d.x));
    },
    roas(channel) {
      const spend = data.rows.reduce((a, r) => a + Number(r[channel]), 0);
      return data.contributions[channel].reduce((a, b) => a + b, 0) / spend;
    },
  };
}

function geo(seed: number): Trial {
  const data = geoStudyDataset(5000 + seed);
  const T = 104;
  return {
    rows: data.rows,
    options: { date: 'week', geo: 'geo', population: 'population', target: 'sales', channels: data.channels, controls: ['price'], seed },
    lift(fit, d) {
      const p = (name: string) => data.params[`${d.channel}.${name}`];
      const m = fit.scaling.spendScale[data.channels.indexOf(d.channel)];
      const now = spendPerPeriod(fit, { byGeo: true });
      let total = 0;
      for (const name of d.geos!) {
        const g = data.geos.indexOf(name);
        const pop = Number(data.rows[g * T].population);
        const share = (now[`${name}/${d.channel}`] ?? 0) / d.x;
        const s = (v: number) => hill(v / pop / m, p('saturation.halfSaturation')[0], p('saturation.slope')[0]);
        // the simulator's target unit is yScale 2 per capita
        const beta = pop * 2 * p('beta')[0] * Math.exp(p('eta')[0] * p('z')[g]);
        total += d.periods * beta * (s(share * (d.x + d.deltaX)) - s(share * d.x));
      }
      return total;
    },
    roas: (channel) => data.roas[channel],
  };
}

const seeds = Number(process.env.BENCH_SEEDS ?? 8);
const phi = (x: number) => 0.5 * erfc(-x / Math.SQRT2);
// predicted and true power of every design, for the calibration table at the end
const powers: Array<[number, number]> = [];
const make = process.env.BENCH_GEO === '1' ? geo : national;
for (let seed = 1; seed <= seeds; seed++) {
  const t0 = performance.now();
  const trial = make(seed);
  const fit = (await fitMMM(trial.rows, trial.options)) as BayesianFit;
  const { designs } = designExperiments(fit, { valueOfInformation: 0 });
  const best = designs[0];
  for (const d of designs) {
    const L = trial.lift(fit, d);
    powers.push([d.power, phi(L / d.sd - 1.645) + phi(-L / d.sd - 1.645)]);
  }
  const measured = trial.lift(fit, best) + best.sd * createRng(seed, 5).normal();
  const atOutcome = predictTestResult(fit, best, measured);
  const refit = (await fitMMM(trial.rows, { ...trial.options, liftTests: [toLiftTest(best, measured)] })) as BayesianFit;
  const w = (r: { lower: number; upper: number }) => Math.log(r.upper / r.lower);
  const realised = w(fit.channels[best.channel].roas) / w(refit.channels[best.channel].roas);
  const trueRoas = trial.roas(best.channel);
  const after = refit.channels[best.channel].roas;
  const where = best.geos ? ` in ${best.geos.length} of ${fit.panel!.geos.length} geos` : '';
  console.log(
    `seed ${seed}: ${best.channel}${where} ${best.deltaX === -best.x ? 'dark' : (best.deltaX / best.x).toFixed(1)} × ${best.periods}: ` +
      `predicted ${best.expectedNarrowing.toFixed(2)} (mean ${best.meanNarrowing.toFixed(2)}, median ${best.medianNarrowing.toFixed(2)}, ` +
      `10–90% ${best.narrowingRange.map((v) => v.toFixed(2)).join('–')}), realised ${realised.toFixed(2)}, ratio ` +
      `${(realised / best.expectedNarrowing).toFixed(2)}; predicted at the measured lift ${atOutcome.narrowing.toFixed(2)} (ESS ` +
      `${atOutcome.ess.toFixed(0)}); truth ${trueRoas >= after.lower && trueRoas <= after.upper ? 'inside' : 'OUTSIDE'}; ` +
      `gates ${fit.diagnostics.passed}/${refit.diagnostics.passed}; ess ${best.importanceEss.toFixed(0)}; power ${best.power.toFixed(2)}; ` +
      `${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
}
// calibration of the predicted power: in bins of predicted power, the mean predicted against the mean true power
const bins = [0, 0.2, 0.4, 0.6, 0.8, 0.95, 1.000001];
for (let b = 0; b + 1 < bins.length; b++) {
  const mine = powers.filter(([p]) => p >= bins[b] && p < bins[b + 1]);
  if (!mine.length) continue;
  const mean = (k: 0 | 1) => mine.reduce((a, x) => a + x[k], 0) / mine.length;
  console.log(
    `power ${bins[b].toFixed(2)}–${Math.min(1, bins[b + 1]).toFixed(2)}: ${mine.length} designs, predicted ${mean(0).toFixed(3)}, true ${mean(1).toFixed(3)}`,
  );
}
const all = (k: 0 | 1) => powers.reduce((a, x) => a + x[k], 0) / powers.length;
console.log(`all ${powers.length} designs: predicted ${all(0).toFixed(3)}, true ${all(1).toFixed(3)}`);
