// The CLV report's HTML, one function per section, from clvReportData's figures.
import { calibrationHoldoutChart, clvHistogram, frequencyRecencyChart } from '../clv.js';
import { esc, human } from '../svg.js';
import { figure, fix, page, pct, table } from './layout.js';
import { clvReportData, type CLVReportData, type CLVReportInput, type CLVReportOptions, type ParameterTable } from './clv-data.js';

/** @internal */
function parameters(t: ParameterTable): string {
  const ll = t.logLikelihood !== undefined ? ` (log-likelihood ${fix(t.logLikelihood)})` : '';
  return `<h3>${esc(t.model)} parameters${ll}</h3>${table(
    ['parameter', 'estimate', 'standard error'],
    t.rows.map((r) => [r.name, r.estimate.toPrecision(4), r.standardError !== undefined ? r.standardError.toPrecision(3) : '–']),
  )}`;
}

/** Key figures and the fitted parameters. @internal */
export function clvSummarySection(r: CLVReportData): string {
  let h =
    `<section class="card" id="summary"><h2>Summary</h2><ul ` +
    `class="kpis"><li>Customers<b>${r.customers.toLocaleString('en')}</b></li><li>Repeat ` +
    `customers<b>${pct(r.repeatShare)}</b></li><li>Repeat purchases per customer<b>${fix(r.repeatPerCustomer)}</b></li>`;
  if (r.clv)
    h += `<li>Total CLV<b>${esc(r.currency)}${human(r.clv.total)}</b></li><li>Mean CLV<b>${esc(r.currency)}${fix(r.clv.mean)}</b></li>`;
  h += `</ul>${parameters(r.transactions)}`;
  if (r.spend) h += parameters(r.spend);
  return `${h}</section>`;
}

/** P(alive) and expected-purchases heatmaps. @internal */
export function clvCustomersSection(r: CLVReportData): string {
  const alive = frequencyRecencyChart(r.probabilityAlive, {
    title: `P(alive) for a customer observed for ${human(r.maxT)} ${r.unit}`,
    width: 560,
    format: pct,
  });
  const purchases = frequencyRecencyChart(r.expectedPurchases, {
    title: `Expected purchases in the next ${human(r.horizon)} ${r.unit}`,
    width: 560,
  });
  return (
    `<section class="card" id="customers"><h2>Who is still a customer</h2><div ` +
    `class="charts">${figure(alive)}${figure(purchases)}</div></section>`
  );
}

/** Calibration vs holdout purchases (empty without a holdout). @internal */
export function clvHoldoutSection(r: CLVReportData): string {
  if (!r.holdout) return '';
  const { rows, lastIsOpen } = r.holdout;
  const body = rows.map((x, k) => [
    `${x.frequency}${k === rows.length - 1 && lastIsOpen ? '+' : ''}`,
    x.customers.toLocaleString('en'),
    fix(x.actual, 3),
    fix(x.predicted, 3),
  ]);
  return (
    `<section class="card" id="holdout"><h2>Calibration vs ` +
    `holdout</h2>${figure(calibrationHoldoutChart(rows, { width: 800 }))}${table(
      ['purchases in calibration', 'customers', 'actual ' + 'holdout mean', 'predicted holdout mean'],
      body,
    )}</section>`
  );
}

/** The CLV histogram, the top decile's share and the top customers (empty without CLV). @internal */
export function clvValueSection(r: CLVReportData, clv: ArrayLike<number> | undefined): string {
  if (!r.clv || !clv) return '';
  let h = `<section class="card" id="clv"><h2>Customer lifetime value</h2>`;
  h += figure(clvHistogram(clv, { width: 800, xLabel: `CLV${r.currency ? ` (${r.currency})` : ''}` }));
  h += `<p>The top 10% of customers hold ${pct(r.clv.topDecileShare)} of the total value.</p>`;
  h += table(
    [r.clv.idsGiven ? 'customer' : 'customer (row)', 'frequency', 'recency', 'T', 'CLV'],
    r.clv.top.map((c) => [c.id, String(c.frequency), fix(c.recency), fix(c.T), fix(c.clv)]),
  );
  return `${h}</section>`;
}

/**
 * One self-contained HTML page for a CLV analysis: the customer base in figures, the fitted parameters with standard
 * errors, P(alive) and expected-purchases heatmaps over frequency × recency, calibration vs holdout purchases, the
 * CLV distribution and the top customers. The figures come from {@link clvReportData}.
 */
export function renderCLVReport(input: CLVReportInput, options: CLVReportOptions = {}): string {
  const r = clvReportData(input, options);
  const header =
    `<h1>${esc(r.title)}</h1><p class="sub">${r.customers.toLocaleString('en')} customers · ` +
    `${esc(r.transactions.model)}${r.spend ? ' + Gamma-Gamma' : ''} · time in ${esc(r.unit)}</p>`;
  return page(r.title, header + clvSummarySection(r) + clvCustomersSection(r) + clvHoldoutSection(r) + clvValueSection(r, input.clv));
}
