// Self-contained HTML reports: inline SVG and CSS, no scripts, no external resources.
import { InvalidInputError } from '@mmm/core';
import { calibrationHoldoutTable, expectedPurchasesGrid, probabilityAliveGrid, type CustomerColumns, type CalibrationHoldoutRow, type FitLike } from '@mmm/clv';
import type { AllocationResult } from '@mmm/optimize';
import { dataReport, optimizeBudget, spendPerPeriod, type MMMFit, type OptimizeBudgetOptions } from '@mmm/pipeline';
import { calibrationHoldoutChart, clvHistogram, frequencyRecencyChart } from './clv.js';
import {
  actualVsFittedChart,
  adstockChart,
  budgetChart,
  contributionsChart,
  priorPosteriorChart,
  rankChart,
  responseCurvesChart,
  roasChart,
  saturationChart,
  shareChart,
  traceChart,
} from './mmm.js';
import { esc, human } from './svg.js';

const CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; color: #222; margin: 0; background: #f6f7f9; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 32px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 1rem; margin: 16px 0 6px; }
.sub { color: #666; margin: 0 0 16px; }
section.card { background: #fff; border: 1px solid #e3e5e8; border-radius: 8px; padding: 16px 20px; margin: 14px 0; }
.verdict { padding: 10px 14px; border-radius: 6px; font-weight: 600; }
.verdict.pass { background: #e6f4ea; color: #1e6b34; }
.verdict.fail { background: #fdecea; color: #8a1c13; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.charts figure { margin: 0; }
figure { margin: 10px 0; }
svg.mmm-chart { max-width: 100%; height: auto; border: 1px solid #eee; border-radius: 4px; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 8px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #eee; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f0f2f4; }
tr.bad td { color: #8a1c13; }
ul.kpis { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 10px; }
ul.kpis li { background: #f0f4fa; border-radius: 6px; padding: 8px 12px; min-width: 150px; }
ul.kpis b { display: block; font-size: 1.2rem; }
footer { color: #888; font-size: 0.8rem; margin-top: 30px; }
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
<footer>Made with mmm (@mmm/report). All charts are inline SVG; this file loads nothing from anywhere.</footer>
</main>
</body>
</html>
`;
}

function table(head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>, rowClass?: (i: number) => string | undefined): string {
  let s = `<table><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>`;
  rows.forEach((r, i) => {
    const cls = rowClass?.(i);
    s += `<tr${cls ? ` class="${cls}"` : ''}>${r.map((c, k) => (k === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`;
  });
  return `${s}</tbody></table>`;
}

function figure(svg: string, caption?: string): string {
  return `<figure>${svg}${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`;
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const fix = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '–');

/** Options of {@link renderMMMReport}. */
export interface MMMReportOptions {
  /** @defaultValue 'Marketing mix model report' */
  title?: string;
  /**
   * The budget plan to report: an `optimizeBudget` result, options for `optimizeBudget` (default: same total,
   * each channel within ±30% of its current spend), or `false` for none.
   */
  budget?: AllocationResult | OptimizeBudgetOptions | false;
  /** trace and rank plots for this many parameters, the worst converged first; @defaultValue 4 */
  diagnosticPlots?: number;
  /** name of the target in sentences; @defaultValue 'sales' */
  targetName?: string;
}

function isPlan(b: unknown): b is AllocationResult {
  return typeof b === 'object' && b !== null && 'allocation' in b && 'kkt' in b;
}

/**
 * One self-contained HTML page for a fitted MMM: an executive summary (what drove the target, which channels pay back,
 * the suggested reallocation and its expected uplift), the convergence gate and diagnostics table, the model
 * settings, and every chart (actual vs fitted, contributions, shares, ROAS, response, adstock and saturation curves,
 * budget, prior vs posterior, trace and rank plots).
 */
export function renderMMMReport(fit: MMMFit, options: MMMReportOptions = {}): string {
  if (!fit || fit.version !== 1 || !fit.spec || !fit.draws) throw new InvalidInputError('fit', 'is not an MMMFit', 'Pass the result of fitMMM (or its JSON).');
  const title = options.title ?? 'Marketing mix model report';
  const target = options.targetName ?? 'sales';
  const names = fit.spec.channels.map((c) => c.name);
  const n = fit.data.dates.length;
  const plan = options.budget === false ? undefined : isPlan(options.budget) ? options.budget : optimizeBudget(fit, { relativeBounds: 0.3, ...(options.budget ?? {}) });
  const d = fit.diagnostics;
  const interval = `${Math.round(fit.settings.interval * 100)}%`;
  const currentSpend = spendPerPeriod(fit);

  // executive summary
  const totalTarget = fit.data.target.reduce((a, b) => a + b, 0);
  const media = names.reduce((a, c) => a + fit.channels[c].contribution.mean, 0);
  const ranked = [...names].sort((a, b) => fit.channels[b].contribution.mean - fit.channels[a].contribution.mean);
  const payBack = names.filter((c) => fit.channels[c].roas.lower > 1);
  const unsure = names.filter((c) => fit.channels[c].roas.lower <= 1 && fit.channels[c].roas.upper >= 1);
  const loss = names.filter((c) => fit.channels[c].roas.upper < 1);
  let summary = `<section class="card" id="summary"><h2>Executive summary</h2>`;
  summary += `<p class="verdict ${d.passed ? 'pass' : 'fail'}">Convergence gate ${d.passed ? 'passed' : 'FAILED'}: ${d.passed ? 'the figures below are reliable draws from the posterior.' : 'treat the figures below with caution (see Diagnostics).'}</p>`;
  summary += `<ul class="kpis"><li>Media share of ${esc(target)}<b>${pct(media / totalTarget)}</b></li><li>Largest driver<b>${esc(ranked[0])}</b></li><li>In-sample R²<b>${fix(fit.fit.r2, 3)}</b></li><li>MAPE<b>${pct(fit.fit.mape)}</b></li>`;
  if (plan?.uplift) summary += `<li>Uplift from reallocation<b>${pct(plan.uplift.relative)}</b></li>`;
  summary += `</ul>`;
  summary += `<h3>What drove ${esc(target)}</h3><p>Over ${n} periods media contributed ${human(media)} of ${human(totalTarget)} ${esc(target)} (${pct(media / totalTarget)}); the rest is baseline, trend, seasonality and controls. By contribution: ${ranked.map((c) => `${esc(c)} ${human(fit.channels[c].contribution.mean)} (${pct(fit.channels[c].effectShare)} of the media effect on ${pct(fit.channels[c].spendShare)} of the spend)`).join('; ')}.</p>`;
  summary += `<h3>Which channels pay back</h3><p>`;
  summary += payBack.length ? `${payBack.map(esc).join(', ')} return more than they cost with ${interval} posterior probability (ROAS interval above 1). ` : `No channel returns more than it costs with ${interval} posterior probability. `;
  if (unsure.length) summary += `For ${unsure.map(esc).join(', ')} the ${interval} ROAS interval contains 1: the data cannot tell whether they pay back. `;
  if (loss.length) summary += `${loss.map(esc).join(', ')} return less than they cost (ROAS interval below 1). `;
  summary += `</p>`;
  if (plan) {
    const moves = names
      .map((c) => ({ c, cur: currentSpend[c], sug: plan.allocation[c] }))
      .filter((m) => m.sug !== undefined)
      .sort((a, b) => b.sug - b.cur - (a.sug - a.cur));
    summary += `<h3>Recommended reallocation</h3><p>For the same budget per period, move spend ${moves
      .filter((m) => m.sug > m.cur * 1.005)
      .map((m) => `into ${esc(m.c)} (+${pct(m.sug / m.cur - 1)})`)
      .join(', ') || 'nowhere'} and ${moves
      .filter((m) => m.sug < m.cur * 0.995)
      .map((m) => `out of ${esc(m.c)} (${pct(m.sug / m.cur - 1)})`)
      .join(', ') || 'nowhere'}.`;
    if (plan.uplift) summary += ` Expected media response rises by ${human(plan.uplift.absolute)} per period (${pct(plan.uplift.relative)}).`;
    summary += `</p>`;
  }
  summary += `</section>`;

  // channels table
  const chRows = names.map((c) => {
    const r = fit.channels[c];
    return [c, human(r.spend), human(r.contribution.mean), `${fix(r.roas.mean)} [${fix(r.roas.lower)}, ${fix(r.roas.upper)}]`, fix(r.marginalRoas.mean), pct(r.spendShare), pct(r.effectShare)];
  });
  let channels = `<section class="card" id="channels"><h2>Channels</h2>`;
  channels += table(['channel', 'spend', 'contribution', `ROAS (${interval})`, 'marginal ROAS', 'spend share', 'effect share'], chRows);
  channels += `<div class="charts">${figure(roasChart(fit, { width: 560 }))}${figure(shareChart(fit, { width: 560 }))}</div>`;
  channels += figure(actualVsFittedChart(fit, { width: 1100 }));
  channels += figure(contributionsChart(fit, { width: 1100, height: 400 }));
  channels += figure(responseCurvesChart(fit, { width: 1100, height: 420, plan }), 'Circles: current average spend; diamonds: suggested spend.');
  channels += `<div class="charts">${figure(adstockChart(fit, { width: 560 }))}${figure(saturationChart(fit, { width: 560 }))}</div>`;
  channels += `</section>`;

  let budget = '';
  if (plan) {
    budget = `<section class="card" id="budget"><h2>Budget</h2>`;
    budget += table(
      ['channel', 'current / period', 'suggested / period', 'change', 'marginal ROAS at suggestion', 'bound'],
      names
        .filter((c) => plan.allocation[c] !== undefined)
        .map((c) => {
          const cur = currentSpend[c];
          return [c, human(cur), human(plan.allocation[c]), pct(plan.allocation[c] / cur - 1), fix(plan.marginalRoas[c]), plan.binding[c] ?? ''];
        }),
    );
    budget += `<p>Expected media response per period ${human(plan.expectedResponse)}${plan.responseInterval ? ` (${interval} interval ${human(plan.responseInterval[0])} to ${human(plan.responseInterval[1])})` : ''}${plan.current ? `, against ${human(plan.current.expectedResponse)} for the current mix` : ''}. ${plan.kkt.satisfied ? 'Marginal returns are equal across the channels inside their bounds (KKT conditions hold).' : 'The optimality (KKT) check did not pass.'}</p>`;
    budget += figure(budgetChart(fit, plan, { width: 800 }));
    budget += `</section>`;
  }

  // diagnostics
  let diag = `<section class="card" id="diagnostics"><h2>Diagnostics</h2>`;
  diag += `<p class="verdict ${d.passed ? 'pass' : 'fail'}">Gate ${d.passed ? 'passed' : 'failed'}: max R-hat ${fix(d.rhatMax, 4)}, min ESS-bulk ${fix(d.essBulkMin, 0)}, min ESS-tail ${fix(d.essTailMin, 0)}, ${d.divergences} divergent transitions, E-BFMI ${d.ebfmi.map((v) => fix(v)).join(' / ')}.</p>`;
  if (d.failures.length) diag += `<ul>${d.failures.map((f) => `<li>${esc(f.name)}: ${esc(f.reasons.join('; '))}</li>`).join('')}</ul>`;
  if (d.messages.length) diag += `<ul>${d.messages.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>`;
  const failing = new Set(d.failures.map((f) => f.name));
  diag += table(
    ['parameter', 'mean', 'sd', 'hdi 3%', 'hdi 97%', 'mcse mean', 'ess bulk', 'ess tail', 'r-hat'],
    d.summary.map((r) => [r.name, human(r.mean), human(r.sd), human(r.hdiLower), human(r.hdiUpper), human(r.mcseMean), fix(r.essBulk, 0), fix(r.essTail, 0), fix(r.rhat, 3)]),
    (i) => (failing.has(d.summary[i].name) ? 'bad' : undefined),
  );
  const worst = [...d.summary].sort((a, b) => b.rhat - a.rhat || a.essBulk - b.essBulk).slice(0, options.diagnosticPlots ?? 4);
  if (worst.length) {
    diag += `<h3>Trace and rank plots (least converged parameters)</h3><div class="charts">`;
    for (const r of worst) diag += figure(traceChart(fit, r.name)) + figure(rankChart(fit, r.name));
    diag += `</div>`;
  }
  diag += `<h3>Prior vs posterior</h3><div class="charts">`;
  for (const name of Object.keys(fit.draws).filter((k) => names.some((c) => k.startsWith(`${c}.`)))) diag += figure(priorPosteriorChart(fit, name));
  diag += `</div></section>`;

  // data checks: the pre-fit report on the fitted data (collinearity, dark periods, periods per parameter)
  const dr = dataReport(
    { date: fit.data.dates, __target: fit.data.target, ...fit.data.input, ...fit.data.controls },
    { date: 'date', target: '__target', channels: names, controls: fit.spec.controls ?? [] },
  );
  let checks = `<section class="card" id="data-checks"><h2>Data checks</h2>`;
  checks += `<p>${dr.periods} periods for ${fit.diagnostics.summary.length} parameters (${fix(dr.periods / fit.diagnostics.summary.length, 1)} per parameter).</p>`;
  checks += dr.warnings.length ? `<ul>${dr.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '<p>No warnings: no strongly correlated channels, no near-constant columns, no channel dark most of the time.</p>';
  checks += table(
    ['channel', 'VIF', 'share of periods without spend'],
    names.map((c) => [c, fix(dr.vif[c], 1), pct(dr.zeroShare[c])]),
  );
  checks += `</section>`;

  // settings
  const s = fit.settings;
  let settings = `<section class="card" id="settings"><h2>Model settings</h2>`;
  settings += table(
    ['channel', 'adstock', 'max lag', 'saturation', 'coefficient prior'],
    fit.spec.channels.map((c) => [c.name, c.adstock?.type ?? 'geometric', String(c.adstock?.maxLag ?? 8), c.saturation?.type ?? 'hill', c.coefficientPrior ? JSON.stringify(c.coefficientPrior) : 'default']),
  );
  const season = fit.spec.seasonality === null ? 'none' : `Fourier order ${fit.spec.seasonality?.order ?? 2}`;
  const tr = fit.spec.trend ?? 'linear';
  const trend = typeof tr === 'object' ? `piecewise-linear, changepoints at ${(Array.isArray(tr.changepoints) ? tr.changepoints.map((c) => c.toFixed(2)).join(', ') : String(tr.changepoints))} years` : tr;
  const lik = fit.spec.likelihood;
  const likelihood = typeof lik === 'object' && lik !== null ? `Student-t (ν = ${lik.studentT.nu})` : 'normal';
  settings += `<p>Geo: ${esc(fit.data.geo ?? 'national')}. Controls: ${esc((fit.spec.controls ?? []).join(', ') || 'none')}. Seasonality: ${esc(season)}. Trend: ${esc(trend)}. Likelihood: ${esc(likelihood)}. Target scaled by its mean (${human(fit.scaling.yScale)}), media by each channel's maximum.</p>`;
  settings += `<p>Sampler: NUTS, ${s.chains} chains × (${s.warmup} warmup + ${s.draws} draws), seed ${s.seed}, target acceptance ${s.targetAccept}. Wall time ${fix(fit.timing.totalSeconds, 1)} s (warmup ${fix(fit.timing.warmupSeconds, 1)} s, sampling ${fix(fit.timing.samplingSeconds, 1)} s), ${fit.timing.gradientEvaluations.toLocaleString('en')} gradient evaluations.</p>`;
  settings += `</section>`;

  const header = `<h1>${esc(title)}</h1><p class="sub">${esc(fit.data.dates[0])} to ${esc(fit.data.dates[n - 1])} · ${n} periods · ${names.length} channels · ${interval} credible intervals</p>`;
  return page(title, header + summary + channels + budget + diag + checks + settings);
}

/** What {@link renderCLVReport} reports. */
export interface CLVReportInput {
  /** the customers the model was fitted on (calibration period), with `holdoutFrequency` for the holdout check */
  customers: CustomerColumns & { holdoutFrequency?: ArrayLike<number> };
  /** a BG/NBD, MBG/NBD or Pareto/NBD fit (or `{ model, params }`) */
  transactions: FitLike & { logLikelihood?: number; standardErrors?: Record<string, number> };
  /** a Gamma-Gamma fit of spend per transaction */
  spend?: FitLike & { logLikelihood?: number; standardErrors?: Record<string, number> };
  /** per-customer lifetime value (e.g. from customerLifetimeValue) */
  clv?: ArrayLike<number>;
  /** length of the holdout period, for the calibration-vs-holdout check (needs `customers.holdoutFrequency`) */
  holdoutLength?: number;
  /** customer ids, for the table of top customers; @defaultValue the row numbers */
  ids?: ReadonlyArray<string>;
  /** rows of a calibration-vs-holdout table computed elsewhere (used instead of computing one) */
  calibrationHoldout?: ReadonlyArray<CalibrationHoldoutRow>;
}

/** Options of {@link renderCLVReport}. */
export interface CLVReportOptions {
  /** @defaultValue 'Customer lifetime value report' */
  title?: string;
  /** the time unit of recency and T, for labels; @defaultValue 'weeks' */
  unit?: string;
  /** horizon of the expected-purchases heatmap, in units; @defaultValue 52 */
  horizon?: number;
  /** currency label of values; @defaultValue '' */
  currency?: string;
}

const MODEL_NAMES: Record<string, string> = { bgnbd: 'BG/NBD', mbgnbd: 'MBG/NBD', paretonbd: 'Pareto/NBD', gammagamma: 'Gamma-Gamma', bgbb: 'BG/BB' };

/**
 * One self-contained HTML page for a CLV analysis: the customer base in figures, the fitted parameters with standard
 * errors, P(alive) and expected-purchases heatmaps over frequency × recency, calibration vs holdout purchases, the
 * CLV distribution and the top customers.
 */
export function renderCLVReport(input: CLVReportInput, options: CLVReportOptions = {}): string {
  const { customers, transactions } = input;
  if (!customers || !transactions) throw new InvalidInputError(customers ? 'transactions' : 'customers', 'is missing', 'Pass { customers, transactions } (and optionally spend, clv, holdoutLength).');
  const title = options.title ?? 'Customer lifetime value report';
  const unit = options.unit ?? 'weeks';
  const horizon = options.horizon ?? 52;
  const n = customers.frequency.length;
  let maxT = 0;
  let maxX = 0;
  let repeat = 0;
  let sumX = 0;
  for (let i = 0; i < n; i++) {
    maxT = Math.max(maxT, customers.T[i]);
    maxX = Math.max(maxX, customers.frequency[i]);
    sumX += customers.frequency[i];
    if (customers.frequency[i] > 0) repeat++;
  }
  const gridX = Math.min(maxX, 30);
  const modelName = MODEL_NAMES[transactions.model] ?? transactions.model;

  let body = `<h1>${esc(title)}</h1><p class="sub">${n.toLocaleString('en')} customers · ${esc(modelName)}${input.spend ? ' + Gamma-Gamma' : ''} · time in ${esc(unit)}</p>`;
  body += `<section class="card" id="summary"><h2>Summary</h2><ul class="kpis"><li>Customers<b>${n.toLocaleString('en')}</b></li><li>Repeat customers<b>${pct(repeat / n)}</b></li><li>Repeat purchases per customer<b>${fix(sumX / n)}</b></li>`;
  if (input.clv) {
    let tot = 0;
    for (let i = 0; i < input.clv.length; i++) tot += input.clv[i];
    body += `<li>Total CLV<b>${esc(options.currency ?? '')}${human(tot)}</b></li><li>Mean CLV<b>${esc(options.currency ?? '')}${fix(tot / input.clv.length)}</b></li>`;
  }
  body += `</ul>`;
  const paramRows = (fit: CLVReportInput['transactions']) =>
    Object.entries(fit.params).map(([k, v]) => [k, v.toPrecision(4), fit.standardErrors?.[k] !== undefined ? fit.standardErrors[k].toPrecision(3) : '–']);
  body += `<h3>${esc(modelName)} parameters${transactions.logLikelihood !== undefined ? ` (log-likelihood ${fix(transactions.logLikelihood)})` : ''}</h3>`;
  body += table(['parameter', 'estimate', 'standard error'], paramRows(transactions));
  if (input.spend) {
    body += `<h3>Gamma-Gamma parameters${input.spend.logLikelihood !== undefined ? ` (log-likelihood ${fix(input.spend.logLikelihood)})` : ''}</h3>`;
    body += table(['parameter', 'estimate', 'standard error'], paramRows(input.spend));
  }
  body += `</section>`;

  body += `<section class="card" id="customers"><h2>Who is still a customer</h2><div class="charts">`;
  body += figure(frequencyRecencyChart(probabilityAliveGrid(transactions, { maxFrequency: gridX, T: maxT }), { title: `P(alive) for a customer observed for ${human(maxT)} ${unit}`, width: 560, format: pct }));
  body += figure(frequencyRecencyChart(expectedPurchasesGrid(transactions, horizon, { maxFrequency: gridX, T: maxT }), { title: `Expected purchases in the next ${human(horizon)} ${unit}`, width: 560 }));
  body += `</div></section>`;

  const holdout =
    input.calibrationHoldout ??
    (customers.holdoutFrequency && input.holdoutLength !== undefined ? calibrationHoldoutTable(transactions, { ...customers, holdoutFrequency: customers.holdoutFrequency }, input.holdoutLength) : undefined);
  if (holdout?.length) {
    body += `<section class="card" id="holdout"><h2>Calibration vs holdout</h2>`;
    body += figure(calibrationHoldoutChart(holdout, { width: 800 }));
    body += table(
      ['purchases in calibration', 'customers', 'actual holdout mean', 'predicted holdout mean'],
      holdout.map((r, k) => [`${r.frequency}${k === holdout.length - 1 && !input.calibrationHoldout ? '+' : ''}`, r.customers.toLocaleString('en'), fix(r.actual, 3), fix(r.predicted, 3)]),
    );
    body += `</section>`;
  }
  if (input.clv) {
    const clv = input.clv;
    if (clv.length !== n) throw new InvalidInputError('clv', `has ${clv.length} values for ${n} customers`, 'Give one CLV per customer.');
    body += `<section class="card" id="clv"><h2>Customer lifetime value</h2>`;
    body += figure(clvHistogram(clv, { width: 800, xLabel: `CLV${options.currency ? ` (${options.currency})` : ''}` }));
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => clv[b] - clv[a]);
    const top = order.slice(0, 10);
    const topShare = order.slice(0, Math.ceil(n / 10)).reduce((a, i) => a + clv[i], 0) / Array.from(clv).reduce((a, b) => a + b, 0);
    body += `<p>The top 10% of customers hold ${pct(topShare)} of the total value.</p>`;
    body += table(
      [input.ids ? 'customer' : 'customer (row)', 'frequency', 'recency', 'T', 'CLV'],
      top.map((i) => [input.ids?.[i] ?? String(i), String(customers.frequency[i]), fix(customers.recency[i]), fix(customers.T[i]), fix(clv[i])]),
    );
    body += `</section>`;
  }
  return page(title, body);
}
