import { parseDate } from '@mmm/core';
import type { MethodComparison, RollingWindows } from '@mmm/pipeline';
import { lineChart } from '../charts.js';
import { colour, esc, human } from '../svg.js';
import { figure, fix, page, pct, table } from './layout.js';

/** Options of {@link renderComparisonReport}. */
export interface ComparisonReportOptions {
  /** @defaultValue 'Model comparison and stability' */
  title?: string;
  /** @defaultValue 'sales' */
  targetName?: string;
}

/**
 * One self-contained HTML page for a method comparison (`compareMethods`) and/or a stability analysis
 * (`rollingWindows`): the metrics table with each channel's ROAS per method, actual against each method's
 * predictions on the held-out periods, and per channel the ROAS of every window with its interval and the
 * stability label.
 */
export function renderComparisonReport(
  input: { comparison?: MethodComparison; rolling?: RollingWindows },
  options: ComparisonReportOptions = {},
): string {
  const title = options.title ?? 'Model comparison and stability';
  let body = `<h1>${esc(title)}</h1>`;
  if (input.comparison) body += comparisonSection(input.comparison, options);
  if (input.rolling) body += stabilitySection(input.rolling);
  return page(title, body);
}

/** The methods' metrics on held-out periods and their predictions against the actual target. @internal */
function comparisonSection(c: MethodComparison, options: ComparisonReportOptions): string {
  let body = '';
  const channels = Object.keys(c.rows[0]?.roas ?? {});
  body += `<section class="card" id="comparison"><h2>Methods on held-out periods</h2>`;
  body +=
    `<p>Each method was fitted on the periods before ${c.folds > 1 ? `each of ${c.folds} time-series folds` : 'the holdout'} ` +
    `and scored on ${c.holdoutPeriods} held-out periods of ${esc(options.targetName ?? 'sales')}. ROAS of 'gbdt' are TreeSHAP ` +
    `attributions of a non-causal model, without interval.</p>`;
  body += table(
    [
      'method',
      'holdout R²',
      'holdout RMSE',
      'holdout MAPE',
      'holdout NRMSE',
      'in-sample R²',
      ...channels.map((ch) => `${ch} ROAS`),
      'seconds',
    ],
    c.rows.map((r) => [
      r.method + (r.gatePassed === false ? ' (gate failed)' : ''),
      fix(r.holdout.r2, 3),
      human(r.holdout.rmse),
      pct(r.holdout.mape),
      fix(r.holdout.nrmse, 3),
      fix(r.inSample.r2, 3),
      ...channels.map((ch) =>
        r.roas[ch].lower === r.roas[ch].upper
          ? fix(r.roas[ch].mean)
          : `${fix(r.roas[ch].mean)} [${fix(r.roas[ch].lower)}, ${fix(r.roas[ch].upper)}]`,
      ),
      fix(r.seconds, 1),
    ]),
  );
  const x = c.test.dates.map(parseDate);
  body += figure(
    lineChart(
      [
        { name: 'actual', x, y: c.test.actual, colour: '#222' },
        ...c.rows.map((r, k) => ({ name: r.method, x, y: r.predicted, colour: colour(k), dashed: true })),
      ],
      [],
      { title: 'Held-out periods: actual and each method’s prediction', time: true, width: 800 },
    ),
  );
  body += `</section>`;
  return body;
}

/** Each channel's ROAS over the rolling windows, with the stability labels. @internal */
function stabilitySection(w: RollingWindows): string {
  let body = '';
  body += `<section class="card" id="stability"><h2>Stability across rolling windows</h2>`;
  body +=
    `<p>${w.windows.length} windows from ${esc(w.windows[0].start)} to ${esc(w.windows[w.windows.length - 1].end)}. Labels: ` +
    `undetermined when a window's ROAS is too uncertain to tell a doubling from no change (median relative sd above 0.29; ` +
    `classical intervals widened 2.6× to their measured coverage), else stable when the coefficient of variation of the ` +
    `windows' ROAS is below 0.2, volatile when it is 0.2 or more and the heterogeneity above 2, moderate otherwise. ` +
    `A fit with time-varying effects answers the question better (channelStability).</p>`;
  const channels = Object.keys(w.stability);
  body += table(
    ['channel', 'cv of ROAS', 'heterogeneity', 'relative sd', 'label'],
    channels.map((ch) => [
      ch,
      fix(w.stability[ch].cv, 3),
      fix(w.stability[ch].heterogeneity, 2),
      fix(w.stability[ch].relativeSd, 3),
      w.stability[ch].label,
    ]),
  );
  const x = w.windows.map((win) => parseDate(win.end));
  body += `<div class="charts">${channels
    .map((ch, k) =>
      figure(
        lineChart(
          [
            {
              name: ch,
              x,
              y: w.windows.map((win) => win.channels[ch].roas.mean),
              band: {
                lower: w.windows.map((win) => win.channels[ch].roas.lower),
                upper: w.windows.map((win) => win.channels[ch].roas.upper),
              },
              colour: colour(k),
            },
          ],
          [],
          { title: `${ch}: ROAS by window end (${w.stability[ch].label})`, time: true, width: 380, height: 240 },
        ),
      ),
    )
    .join('')}</div>`;
  body += `</section>`;
  return body;
}
