// Step 5: customer lifetime value from transactions: the RFM summary, BG/NBD or Pareto/NBD and Gamma-Gamma fits on
// the compute worker, the P(alive) heat map, the top customers and the per-customer table to download.
import type { FrequencyRecencyGrid } from '@mmm/clv';
import type { CustomerValue } from '@mmm/pipeline';
import { clvHistogram, forestPlot, frequencyRecencyChart } from '@mmm/report';
import cdnowUrl from '../../../examples/data/CDNOW_sample.txt?url';
import { parseCsv, readMapping } from './data-tab.js';
import { compute, state } from './state.js';
import { $, esc, fmt, setDownload, showError, table, toCsv } from './ui.js';

let rows: Array<Record<string, string>> = [];

interface ClvResult {
  report: { rows: number; customers: number; customerDays: number };
  model: string;
  params: Record<string, number>;
  standardErrors: Record<string, number>;
  logLikelihood: number;
  spend: Record<string, number>;
  grid: FrequencyRecencyGrid;
  maxT: number;
  customers: {
    id: string[];
    frequency: number[];
    recency: number[];
    T: number[];
    monetaryValue: number[];
    pAlive: number[];
    expected52: number[];
    clv: number[];
  };
}

function setRows(r: Array<Record<string, string>>, name: string): void {
  rows = r;
  const cols = Object.keys(r[0]);
  const pick = (re: RegExp, fallback: number) => cols.find((c) => re.test(c)) ?? cols[Math.min(fallback, cols.length - 1)];
  const fill = (id: string, value: string) =>
    $<HTMLSelectElement>(id).replaceChildren(...cols.map((c) => new Option(c, c, c === value, c === value)));
  fill('clv-customer', pick(/cust|client|user|^id$/i, 0));
  fill('clv-date', pick(/date|day|time/i, 1));
  fill('clv-amount', pick(/amount|value|revenue|spend|price|dollar|sales/i, 2));
  $('clv-info').textContent = `${name}: ${r.length} transactions.`;
  $('clv-mapping').hidden = false;
  // the acquisition channel: a column of the transactions, or none (values from the cohorts)
  const acq = cols.find((c) => /channel|source|acqui/i.test(c)) ?? '';
  $<HTMLSelectElement>('value-acq').replaceChildren(
    new Option('unknown: from the cohorts', '', acq === '', acq === ''),
    ...cols.map((c) => new Option(c, c, c === acq, c === acq)),
  );
  $('value-card').hidden = false;
}

/** Channels valued by their customers: the media of step 1, these transactions, on the compute worker. */
async function runValue(): Promise<void> {
  showError('');
  const btn = $<HTMLButtonElement>('value-run');
  btn.disabled = true;
  $('value-info').textContent = 'Fitting the MMM of new customers and the value of their customers…';
  try {
    if (state.rows.length === 0) throw new Error('Load the media data first (step 1).');
    const m = readMapping();
    if (m.geo) throw new Error('Customer value works on national media: load national data in step 1 (or sum the geos per period).');
    const acquisition = $<HTMLSelectElement>('value-acq').value;
    const v = await compute.call<Omit<CustomerValue, 'mmm'>>({
      op: 'value',
      media: state.rows,
      mapping: { date: m.date, channels: m.channels, controls: m.controls },
      transactions: rows,
      columns: {
        customer: $<HTMLSelectElement>('clv-customer').value,
        date: $<HTMLSelectElement>('clv-date').value,
        amount: $<HTMLSelectElement>('clv-amount').value,
        ...(acquisition ? { acquisition } : {}),
      },
      months: Number($<HTMLInputElement>('clv-months').value),
      seed: 1,
    });
    showValue(v);
  } catch (e) {
    $('value-info').textContent = '';
    showError(e, 'Customer value: ');
  } finally {
    btn.disabled = false;
  }
}

function showValue(v: Omit<CustomerValue, 'mmm'>): void {
  const names = Object.keys(v.channels);
  const e = (x: { mean: number; lower: number; upper: number }) => `${fmt(x.mean)} [${fmt(x.lower)}, ${fmt(x.upper)}]`;
  $('value-info').textContent =
    `${v.newCustomers.reduce((a, b) => a + b, 0)} new customers over ${v.dates.length} periods; value over ${v.horizonMonths} months ` +
    (v.method === 'acquisition' ? 'from CLV models of each channel’s customers.' : 'from the cohorts (no acquisition channel).') +
    (v.warnings.length ? ` ${v.warnings.join(' ')}` : '');
  const rowsOf = names.flatMap((c) => [
    { label: `${c} · LTV`, ...v.channels[c].ltvRoas },
    { label: `${c} · first purchase`, ...v.channels[c].firstPurchaseRoas },
  ]);
  $('value-chart').innerHTML = rowsOf.every((r) => [r.mean, r.lower, r.upper].every(Number.isFinite))
    ? forestPlot(rowsOf, { title: 'LTV-ROAS and first-purchase ROAS, 90%', reference: 1, width: 560 })
    : '';
  $('value-table').innerHTML = table(
    ['channel', 'new customers', 'cost per new customer', 'value per customer', 'LTV-ROAS', 'first-purchase ROAS'],
    names.map((c) => {
      const x = v.channels[c];
      return [esc(c), e(x.newCustomers), e(x.costPerAcquisition), e(x.valuePerCustomer), e(x.ltvRoas), e(x.firstPurchaseRoas)];
    }),
    'id="value-table-rows"',
  );
  setDownload(
    'value-download',
    toCsv(
      [
        'channel',
        'spend',
        'new_customers',
        'cost_per_acquisition',
        'value_per_customer',
        'ltv_roas',
        'ltv_roas_lower',
        'ltv_roas_upper',
        'first_purchase_roas',
      ],
      names.map((c) => {
        const x = v.channels[c];
        return [
          c,
          x.spend,
          x.newCustomers.mean,
          x.costPerAcquisition.mean,
          x.valuePerCustomer.mean,
          x.ltvRoas.mean,
          x.ltvRoas.lower,
          x.ltvRoas.upper,
          x.firstPurchaseRoas.mean,
        ];
      }),
    ),
    'text/csv',
  );
  $('value-results').hidden = false;
}

/** CDNOW_sample.txt: master id, customer id, YYYYMMDD, CDs, dollars; whitespace separated, no header. */
function parseCdnow(text: string): Array<Record<string, string>> {
  return text
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .map((p) => ({ customer: p[1], date: p[2], amount: p[4] }));
}

async function run(): Promise<void> {
  showError('');
  const btn = $<HTMLButtonElement>('clv-run');
  btn.disabled = true;
  $('clv-info').textContent = 'Fitting…';
  try {
    const columns = {
      customer: $<HTMLSelectElement>('clv-customer').value,
      date: $<HTMLSelectElement>('clv-date').value,
      amount: $<HTMLSelectElement>('clv-amount').value,
    };
    const r = await compute.call<ClvResult>({
      op: 'clv',
      rows,
      columns,
      model: $<HTMLSelectElement>('clv-model').value as 'bgnbd' | 'paretonbd',
      months: Number($<HTMLInputElement>('clv-months').value),
    });
    show(r);
    $('clv-info').textContent = `${r.report.customers} customers from ${r.report.rows} transactions.`;
  } catch (e) {
    $('clv-info').textContent = '';
    showError(e, 'Customer value: ');
  } finally {
    btn.disabled = false;
  }
}

function show(r: ClvResult): void {
  const c = r.customers;
  const n = c.id.length;
  const repeat = c.frequency.filter((f) => f > 0).length;
  const totalClv = c.clv.reduce((a, v) => a + v, 0);
  $('clv-summary').innerHTML =
    `<p>${n} customers, ${repeat} with repeat purchases; mean frequency ${fmt(c.frequency.reduce((a, v) => a + v, 0) / n)}, mean recency ${fmt(c.recency.reduce((a, v) => a + v, 0) / n)} weeks. Total ${$<HTMLInputElement>('clv-months').value}-month CLV ${fmt(totalClv)} (mean ${fmt(totalClv / n)}).</p>` +
    rfmTable(c) +
    table(
      ['parameter', 'estimate', 'standard error'],
      Object.entries(r.params).map(([k, v]) => [`${r.model} ${k}`, v.toPrecision(4), r.standardErrors[k].toPrecision(3)]),
      'id="clv-params"',
    ) +
    table(
      ['Gamma-Gamma', 'estimate'],
      Object.entries(r.spend).map(([k, v]) => [k, v.toPrecision(4)]),
    );
  $('clv-charts').innerHTML =
    frequencyRecencyChart(r.grid, { title: `P(alive) by frequency and recency (T = ${r.maxT.toFixed(0)} weeks)`, width: 640 }) +
    clvHistogram(c.clv, { width: 540 });
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => c.clv[b] - c.clv[a]);
  $('clv-top').innerHTML = table(
    ['customer', 'frequency', 'recency (weeks)', 'T (weeks)', 'mean spend', 'P(alive)', 'purchases next 52 weeks', 'CLV'],
    order
      .slice(0, 20)
      .map((i) => [
        esc(c.id[i]),
        String(c.frequency[i]),
        c.recency[i].toFixed(1),
        c.T[i].toFixed(1),
        c.monetaryValue[i].toFixed(2),
        c.pAlive[i].toFixed(3),
        c.expected52[i].toFixed(2),
        c.clv[i].toFixed(2),
      ]),
    'id="clv-top-table"',
  );
  setDownload(
    'clv-download',
    toCsv(
      ['customer', 'frequency', 'recency_weeks', 'T_weeks', 'monetary_value', 'p_alive', 'expected_purchases_52w', 'clv'],
      order.map((i) => [c.id[i], c.frequency[i], c.recency[i], c.T[i], c.monetaryValue[i], c.pAlive[i], c.expected52[i], c.clv[i]]),
    ),
    'text/csv',
  );
  $('clv-results').hidden = false;
}

/** The RFM summary by number of repeat purchases: customers, mean recency, mean T, mean spend, mean CLV. */
function rfmTable(c: ClvResult['customers']): string {
  const buckets = [
    ['0', (f: number) => f === 0],
    ['1', (f: number) => f === 1],
    ['2', (f: number) => f === 2],
    ['3–5', (f: number) => f >= 3 && f <= 5],
    ['6 or more', (f: number) => f >= 6],
  ] as const;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, v) => a + v, 0) / xs.length : Number.NaN);
  return table(
    ['repeat purchases', 'customers', 'mean recency (weeks)', 'mean T (weeks)', 'mean spend', 'mean P(alive)', 'mean CLV'],
    buckets.map(([label, test]) => {
      const idx = c.frequency.flatMap((f, i) => (test(f) ? [i] : []));
      const of = (a: number[]) => mean(idx.map((i) => a[i]));
      return [
        label,
        String(idx.length),
        of(c.recency).toFixed(1),
        of(c.T).toFixed(1),
        of(c.monetaryValue).toFixed(2),
        of(c.pAlive).toFixed(3),
        of(c.clv).toFixed(2),
      ];
    }),
    'id="rfm-table"',
  );
}

export function initClvTab(): void {
  $<HTMLInputElement>('clv-file').addEventListener('change', async (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (!f) return;
    try {
      showError('');
      setRows(parseCsv(await f.text(), f.name), f.name);
    } catch (err) {
      $('clv-mapping').hidden = true;
      showError(err);
    }
  });
  $('clv-example').addEventListener('click', async () => {
    setRows(parseCdnow(await (await fetch(cdnowUrl)).text()), 'CDNOW sample (2,357 customers, 1997–1998)');
  });
  $('clv-run').addEventListener('click', () => void run());
  $('value-run').addEventListener('click', () => void runValue());
}
