// `npm run bench:customer-value -w @mmm/pipeline`: fitCustomerValue on simulated businesses with known truth
// (test/customer-value-data.ts: 104 weeks, three channels whose customers differ in purchase rate, dropout and spend,
// about 10,000 customers and 28,000 transactions), seeds 1 … BENCH_SEEDS (default 3), with the acquisition channel and
// without it: per channel the value per customer and the LTV-ROAS against the truth (a new customer's value over
// 12 months simulated from 200,000 customers per channel), whether the 90% interval holds it, and the wall time.
// BENCH_RATE multiplies every channel's and the baseline's new customers per week (3: about 39,000 customers and
// 117,000 transactions over 130 weeks, the size of issue 33's check), BENCH_WEEKS sets the weeks (default 104).
//   BENCH_SEEDS=3 npm run bench:customer-value -w @mmm/pipeline
//   BENCH_SEEDS=1 BENCH_RATE=3 BENCH_WEEKS=130 npm run bench:customer-value -w @mmm/pipeline
import { fitCustomerValue } from '../src/index.js';
import { businessOptions, ORGANIC, simulateBusiness, TRUTH, trueValue } from '../test/customer-value-data.js';

const seeds = Number(process.env.BENCH_SEEDS ?? 3);
const rate = Number(process.env.BENCH_RATE ?? 1);
const weeks = Number(process.env.BENCH_WEEKS ?? 104);
for (const c of [...Object.values(TRUTH), ORGANIC]) c.beta *= rate;
const names = Object.keys(TRUTH);
const truth = Object.fromEntries(names.map((c) => [c, trueValue(TRUTH[c], 365.25)]));
const f = (e: { mean: number; lower: number; upper: number }) => `${e.mean.toFixed(2)} [${e.lower.toFixed(2)}, ${e.upper.toFixed(2)}]`;
const inside: Record<string, number> = { acquisition: 0, cohorts: 0 };
const ranked: Record<string, number> = { acquisition: 0, cohorts: 0 };
for (let seed = 1; seed <= seeds; seed++) {
  const b = simulateBusiness(seed, weeks);
  const trueLtv = Object.fromEntries(names.map((c) => [c, (b.incremental[c] * truth[c]) / b.spend[c]]));
  console.log(`seed ${seed}: ${b.customers} customers, ${b.transactions.length} transactions`);
  for (const acquisition of [true, false]) {
    const t0 = performance.now();
    const v = await fitCustomerValue({ ...businessOptions(b, seed), ...(acquisition ? { acquisitionChannel: 'channel' } : {}) });
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `  ${v.method}: ${seconds.toFixed(1)} s, MMM gate ${v.mmm.diagnostics.passed ? 'passed' : 'FAILED'}, ${v.warnings.length} warnings`,
    );
    for (const c of names) {
      const r = v.channels[c];
      const ok = r.ltvRoas.lower <= trueLtv[c] && trueLtv[c] <= r.ltvRoas.upper;
      inside[v.method] += ok ? 1 : 0;
      console.log(
        `    ${c}: new customers ${f(r.newCustomers)} (true ${b.incremental[c].toFixed(0)}), value per customer ${f(r.valuePerCustomer)} ` +
          `(true ${truth[c].toFixed(1)}), LTV-ROAS ${f(r.ltvRoas)} (true ${trueLtv[c].toFixed(3)}) ${ok ? 'inside' : 'OUTSIDE'}`,
      );
    }
    const order = (x: Record<string, number>) => [...names].sort((p, q) => x[q] - x[p]).join('>');
    const same = order(Object.fromEntries(names.map((c) => [c, v.channels[c].ltvRoas.mean]))) === order(trueLtv);
    ranked[v.method] += same ? 1 : 0;
  }
}
for (const m of ['acquisition', 'cohorts'])
  console.log(`${m}: true LTV-ROAS inside the 90% interval ${inside[m]}/${3 * seeds}; ranking as the truth's ${ranked[m]}/${seeds}`);
