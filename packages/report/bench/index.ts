// `npm run bench` (report): rendering the full MMM report (every chart, 29 parameters × 2 chains × 500 draws) and
// the CLV report on CDNOW. The fit is made once, untimed.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { bench, printResults } from '../../../scripts/bench-harness.js';
import { fitMMM } from '@mmm/pipeline';
import { customerLifetimeValue, fitBGNBD, fitGammaGamma } from '@mmm/clv';
import { renderCLVReport, renderMMMReport } from '../src/index.js';

const rows = parse(readFileSync(new URL('../test/fixtures/weekly_national.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
  Record<string, string>
>;
const fit = await fitMMM(rows, {
  date: 'date',
  target: 'sales',
  channels: ['tv', 'search', 'social', 'display', 'radio'],
  controls: ['price_index', 'competitor_index'],
  seed: 1,
  chains: 2,
  warmup: 300,
  draws: 500,
  parallel: false,
});
const csv = parse(readFileSync(new URL('../test/fixtures/cdnow_rfm_weeks.csv', import.meta.url), 'utf8'), {
  columns: true,
  cast: true,
}) as Array<Record<string, number>>;
const customers = {
  frequency: csv.map((r) => r.frequency),
  recency: csv.map((r) => r.recency),
  T: csv.map((r) => r.T),
  monetaryValue: csv.map((r) => r.monetary_value),
  holdoutFrequency: csv.map((r) => r.holdout_frequency),
};
const bg = fitBGNBD(customers);
const repeat = customers.frequency.map((_, i) => i).filter((i) => customers.frequency[i] > 0);
const gg = fitGammaGamma({
  frequency: repeat.map((i) => customers.frequency[i]),
  monetaryValue: repeat.map((i) => customers.monetaryValue[i]),
});
const clv = customerLifetimeValue(bg, gg, customers);
printResults(
  '@mmm/report',
  bench(
    [
      { name: 'renderMMMReport (with a ±30% budget plan)', run: () => renderMMMReport(fit).length },
      {
        name: 'renderCLVReport (CDNOW, 2,357 customers)',
        run: () => renderCLVReport({ customers, transactions: bg, spend: gg, clv, holdoutLength: 39 }).length,
      },
    ],
    { targetMs: 1000, repeats: 5 },
  ),
);
