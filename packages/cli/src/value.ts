// `mmm value --media media.csv --transactions tx.csv …`: channels valued by the customers they bring (fitCustomerValue),
// written as value.json, value.csv, cohorts.csv, report.html and the MMM of new customers as fit.json (for mmm optimize
// and plan).
import { resolve } from 'node:path';
import { fitCustomerValue, type FitCustomerValueOptions } from '@mmm/pipeline';
import { InvalidInputError } from '@mmm/core';
import { renderMMMReport } from '@mmm/report';
import { stringify } from 'csv-stringify/sync';
import { readCsv, writeFiles } from './io.js';
import { parseChannels, parseList, parseNumber } from './options.js';
import { EXIT, type Io } from './commands.js';

/** The flags of `mmm value`. */
export interface ValueFlags {
  media?: string;
  transactions?: string;
  date?: string;
  channels?: string;
  controls?: string;
  customer?: string;
  transactionDate?: string;
  amount?: string;
  acquisitionChannel?: string;
  horizonMonths?: string;
  seed?: string;
  chains?: string;
  warmup?: string;
  draws?: string;
  out?: string;
}

/** The options of fitCustomerValue from the flags (the files read), with a typed error for each missing flag. */
export function valueOptions(flags: ValueFlags): FitCustomerValueOptions {
  const need = (v: string | undefined, flag: string, how: string) => {
    if (!v) throw new InvalidInputError(flag, 'is missing', how);
    return v;
  };
  const mmm: NonNullable<FitCustomerValueOptions['mmm']> = {};
  if (flags.chains !== undefined) mmm.chains = parseNumber('--chains', flags.chains, 'integer');
  if (flags.warmup !== undefined) mmm.warmup = parseNumber('--warmup', flags.warmup, 'integer');
  if (flags.draws !== undefined) mmm.draws = parseNumber('--draws', flags.draws, 'integer');
  return {
    media: readCsv(need(flags.media, '--media', 'Name the weekly media CSV: --media media.csv.'), '--media'),
    date: need(flags.date, '--date', "Name the media's date column: --date week."),
    channels: parseChannels(need(flags.channels, '--channels', 'List the spend columns: --channels search,social,tv.')),
    ...(flags.controls ? { controls: parseList(flags.controls) } : {}),
    transactions: readCsv(
      need(flags.transactions, '--transactions', 'Name the transactions CSV: --transactions tx.csv.'),
      '--transactions',
    ),
    customer: need(flags.customer, '--customer', 'Name the customer id column: --customer customer_id.'),
    transactionDate: need(flags.transactionDate, '--transaction-date', "Name the transactions' date column: --transaction-date date."),
    amount: need(flags.amount, '--amount', 'Name the amount column: --amount amount.'),
    ...(flags.acquisitionChannel ? { acquisitionChannel: flags.acquisitionChannel } : {}),
    ...(flags.horizonMonths !== undefined ? { horizonMonths: parseNumber('--horizon-months', flags.horizonMonths, 'positive') } : {}),
    ...(flags.seed !== undefined ? { seed: parseNumber('--seed', flags.seed, 'integer') } : {}),
    ...(Object.keys(mmm).length ? { mmm } : {}),
  };
}

/** `mmm value`: the value fit, its files, and a table per channel on the terminal. */
export async function runValue(flags: ValueFlags, io: Io): Promise<number> {
  const result = await fitCustomerValue(valueOptions(flags));
  const { mmm, ...value } = result;
  const names = Object.keys(result.channels);
  const e = (x: { mean: number; lower: number; upper: number }) => [x.mean, x.lower, x.upper];
  const rows = names.map((c) => {
    const r = result.channels[c];
    return [
      c,
      r.spend,
      ...e(r.newCustomers),
      ...e(r.costPerAcquisition),
      ...e(r.valuePerCustomer),
      ...e(r.ltvRoas),
      ...e(r.firstPurchaseRoas),
      r.customers ?? '',
    ];
  });
  const triple = (k: string) => [k, `${k}_lower`, `${k}_upper`];
  const files: Record<string, string> = {
    'value.json': JSON.stringify(value, null, 2),
    'value.csv': stringify(rows, {
      header: true,
      columns: [
        'channel',
        'spend',
        ...triple('new_customers'),
        ...triple('cost_per_acquisition'),
        ...triple('value_per_customer'),
        ...triple('ltv_roas'),
        ...triple('first_purchase_roas'),
        'customers_acquired',
      ],
    }),
    'cohorts.csv': stringify(
      result.dates.map((d, t) => [
        d,
        result.newCustomers[t],
        result.cohorts.size[t],
        Number.isNaN(result.cohorts.value[t]) ? '' : result.cohorts.value[t],
      ]),
      { header: true, columns: ['date', 'new_customers', 'cohort_size', 'cohort_value'] },
    ),
    'fit.json': JSON.stringify(mmm),
    'report.html': renderMMMReport(mmm, {
      customerValue: result,
      budget: false,
      targetName: 'new customers',
      title: 'Customer value by channel',
    }),
  };
  const out = resolve(flags.out ?? 'mmm-value');
  writeFiles(out, files);
  const n = (v: number) => (Math.abs(v) >= 1e5 ? v.toExponential(3) : v.toFixed(2));
  io.out.write(
    `customer value over ${result.horizonMonths} months ` +
      `(${result.method === 'acquisition' ? 'CLV models per acquisition channel' : 'cohort regression'}):\n`,
  );
  for (const c of names) {
    const r = result.channels[c];
    io.out.write(
      `  ${c}: LTV-ROAS ${n(r.ltvRoas.mean)} [${n(r.ltvRoas.lower)}, ${n(r.ltvRoas.upper)}], ` +
        `first-purchase ROAS ${n(r.firstPurchaseRoas.mean)}, ` +
        `value per customer ${n(r.valuePerCustomer.mean)}, cost per new customer ${n(r.costPerAcquisition.mean)}\n`,
    );
  }
  for (const w of result.warnings) io.err.write(`warning: ${w}\n`);
  io.out.write(`wrote ${Object.keys(files).join(', ')} to ${out}\n`);
  return EXIT.ok;
}
