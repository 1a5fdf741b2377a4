// `npm run bench:review -w @mmm/pipeline`: reviewFit over many simulated data sets with known truth
// (test/interaction-data.ts with every interaction off: 156 weeks, tv in flights, search and social on and off,
// seasonality and a trend, noise 4% of mean sales; tv has the largest contribution). Each data set is fitted twice by
// each method of BENCH_METHODS: with every channel (a sound fit: how often does a check fail, or ask for review?) and
// without tv (how often does the review notice?). The last 26 weeks are held out for the holdout check. Prints per fit
// the status and the checks that are not a pass, then the counts per method and case.
//   BENCH_SEEDS=8 BENCH_METHODS=bayesian,ridge npm run bench:review -w @mmm/pipeline
import { fitMMM, reviewFit, type FitMethod, type ModelFit } from '../src/index.js';
import { interactionData } from '../test/interaction-data.js';

const seeds = Number(process.env.BENCH_SEEDS ?? 8);
const methods = (process.env.BENCH_METHODS ?? 'bayesian,ridge').split(',') as FitMethod[];
const counts: Record<string, Record<string, number>> = {};
for (const method of methods)
  for (const drop of [false, true]) {
    const key = `${method}/${drop ? 'without tv' : 'sound'}`;
    const c = (counts[key] = { pass: 0, review: 0, fail: 0 });
    for (let seed = 1; seed <= seeds; seed++) {
      const d = interactionData(seed, { season: [0, 0], synergy: 0 });
      const channels = drop ? d.channels.filter((x) => x !== 'tv') : d.channels;
      const fit = (await fitMMM(d.rows.slice(0, 130), { date: 'date', target: 'sales', channels, seed, method })) as ModelFit;
      const review = reviewFit(fit, { holdout: d.rows.slice(130) });
      c[review.status]++;
      const open = review.checks.filter((x) => x.status !== 'pass').map((x) => `${x.id} ${x.status} (${x.value.toPrecision(3)})`);
      console.log(`${key} seed ${seed}: ${review.status}${open.length ? `: ${open.join(', ')}` : ''}`);
    }
  }
console.log('\nmethod/case | pass | review | fail');
for (const [key, c] of Object.entries(counts)) console.log(`${key} | ${c.pass} | ${c.review} | ${c.fail}`);
