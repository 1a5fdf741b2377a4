// What a fit becomes on disk: fit.json, report.html, contributions.csv, roas.csv (and roas_by_geo.csv for geo fits,
// effects_over_time.csv for time-varying fits, interactions.csv with interaction terms, reach_frequency.csv with
// reach-and-frequency channels, organic_treatments.csv with organic media or treatments; review.json: reviewFit's checks).
// Pure: a fit in, file contents out, so the CLI and the queue's workers write the same files.
import { reviewFit, type ChannelResult, type MMMFit, type ReviewCheck, type ReviewStatus } from '@mmm/pipeline';
import { renderMMMReport } from '@mmm/report';
import { stringify } from 'csv-stringify/sync';

/** The files of one fit, by name. */
export type FitFiles = Record<string, string>;

/** A short account of a fit, for logs, the queue's job results and the CLI's closing lines. */
export interface FitSummary {
  method: string;
  periods: number;
  channels: Record<string, { roas: number; lower: number; upper: number }>;
  /** reach-and-frequency channels: the optimal frequency (mean and interval) and the data's average */
  frequency?: Record<string, { optimal: number; lower: number; upper: number; average: number }>;
  /** Bayesian fits: the convergence gate */
  gate?: { passed: boolean; divergences: number; rhatMax: number; essBulkMin: number; attempts: number };
  r2: number;
  seconds: number;
  /** why no report was written, when none was */
  noReport?: string;
  /** Bayesian and classical fits: the review's verdict and its checks that are not a pass */
  review?: { status: ReviewStatus; checks: ReviewCheck[] };
}

/** Builds the files of a fit: the fit as JSON, the HTML report (unless `report` is false), and two CSV tables. */
export function fitFiles(
  fit: MMMFit,
  options: { report?: boolean; title?: string; run?: unknown } = {},
): { files: FitFiles; summary: FitSummary } {
  const files: FitFiles = { 'fit.json': JSON.stringify(fit) };
  const review = fit.method === 'gbdt' ? undefined : reviewFit(fit);
  if (review) files['review.json'] = JSON.stringify(review, null, 2);
  let noReport: string | undefined;
  if (options.report !== false) {
    if (fit.method === 'gbdt')
      noReport = 'a gradient-boosted fit has no curves or budget to report (compare it with other methods in compareMethods)';
    else files['report.html'] = renderMMMReport(fit, { title: options.title, review });
  }
  files['contributions.csv'] = contributionsCsv(fit);
  files['roas.csv'] = roasCsv(fit);
  if (fit.geos) files['roas_by_geo.csv'] = roasByGeoCsv(fit);
  if (Object.values(fit.channels).some((c) => c.effectOverTime)) files['effects_over_time.csv'] = effectsOverTimeCsv(fit);
  if (fit.interactions) files['interactions.csv'] = interactionsCsv(fit);
  if (Object.values(fit.channels).some((c) => c.reachFrequency)) files['reach_frequency.csv'] = reachFrequencyCsv(fit);
  if (fit.organic || fit.treatments) files['organic_treatments.csv'] = organicCsv(fit);
  if (options.run !== undefined) files['run.json'] = JSON.stringify(options.run, null, 2);
  const summary = summarize(fit, noReport);
  if (review) summary.review = { status: review.status, checks: review.checks.filter((c) => c.status !== 'pass') };
  return { files, summary };
}

/** The fit in a few numbers. */
export function summarize(fit: MMMFit, noReport?: string): FitSummary {
  // the convergence gate: Bayesian fits only
  const d = fit.method === 'bayesian' ? fit.diagnostics : undefined;
  const channels: FitSummary['channels'] = {};
  for (const [name, c] of Object.entries(fit.channels)) channels[name] = { roas: c.roas.mean, lower: c.roas.lower, upper: c.roas.upper };
  const rf = Object.entries(fit.channels).filter(([, c]) => c.optimalFrequency && c.reachFrequency);
  const frequency = Object.fromEntries(
    rf.map(([name, c]) => {
      const o = c.optimalFrequency!;
      return [name, { optimal: o.mean, lower: o.lower, upper: o.upper, average: c.reachFrequency!.averageFrequency }];
    }),
  );
  return {
    method: fit.method,
    periods: fit.data.dates.length,
    channels,
    ...(rf.length ? { frequency } : {}),
    ...(d
      ? {
          gate: {
            passed: d.passed,
            divergences: d.divergences,
            rhatMax: d.rhatMax,
            essBulkMin: d.essBulkMin,
            attempts: d.attempts?.length ?? 1,
          },
        }
      : {}),
    r2: fit.fit.r2,
    seconds: fit.timing.totalSeconds,
    ...(noReport ? { noReport } : {}),
  };
}

/** Per period: actual, fitted (mean and interval), trend, seasonality, controls and each channel (mean and interval). */
export function contributionsCsv(fit: MMMFit): string {
  const c = fit.contributions;
  const names = Object.keys(c.channels);
  const terms = Object.keys(c.terms ?? {});
  const columns = [
    'date',
    'actual',
    'fitted',
    'fitted_lower',
    'fitted_upper',
    'trend',
    'seasonality',
    'controls',
    ...names.flatMap((n) => [n, `${n}_lower`, `${n}_upper`]),
    ...terms.flatMap((n) => [n, `${n}_lower`, `${n}_upper`]),
  ];
  const rows = fit.data.dates.map((date, t) => [
    date,
    fit.data.target[t],
    c.fitted.mean[t],
    c.fitted.lower[t],
    c.fitted.upper[t],
    c.trend.mean[t],
    c.seasonality.mean[t],
    c.controls.mean[t],
    ...names.flatMap((n) => [c.channels[n].mean[t], c.channels[n].lower[t], c.channels[n].upper[t]]),
    ...terms.flatMap((n) => [c.terms![n].mean[t], c.terms![n].lower[t], c.terms![n].upper[t]]),
  ]);
  return stringify(rows, { header: true, columns });
}

const ESTIMATE_COLUMNS = [
  'spend',
  'contribution',
  'contribution_lower',
  'contribution_upper',
  'roas',
  'roas_median',
  'roas_lower',
  'roas_upper',
  'marginal_roas',
  'marginal_roas_lower',
  'marginal_roas_upper',
  'effect_share',
  'spend_share',
];

function channelRow(r: ChannelResult): number[] {
  return [
    r.spend,
    r.contribution.mean,
    r.contribution.lower,
    r.contribution.upper,
    r.roas.mean,
    r.roas.median,
    r.roas.lower,
    r.roas.upper,
    r.marginalRoas.mean,
    r.marginalRoas.lower,
    r.marginalRoas.upper,
    r.effectShare,
    r.spendShare,
  ];
}

/** One row per channel: spend, contribution, ROAS and marginal ROAS with their intervals, shares. */
export function roasCsv(fit: MMMFit): string {
  return stringify(
    Object.entries(fit.channels).map(([name, r]) => [name, ...channelRow(r)]),
    { header: true, columns: ['channel', ...ESTIMATE_COLUMNS] },
  );
}

/** Fits whose effects change over time: per period, each time-varying channel's multiplier (mean and interval). */
export function effectsOverTimeCsv(fit: MMMFit): string {
  const names = Object.keys(fit.channels).filter((c) => fit.channels[c].effectOverTime);
  const rows = fit.data.dates.map((date, t) => [
    date,
    ...names.flatMap((c) => {
      const m = fit.channels[c].effectOverTime!;
      return [m.mean[t], m.lower[t], m.upper[t]];
    }),
  ]);
  return stringify(rows, { header: true, columns: ['date', ...names.flatMap((c) => [c, `${c}_lower`, `${c}_upper`])] });
}

/** Organic media and treatments: one row each, its total contribution and (treatments) its effect, with intervals. */
export function organicCsv(fit: MMMFit): string {
  const rows = [
    ...Object.entries(fit.organic ?? {}).map(([n, o]) => [
      n,
      'organic',
      o.contribution.mean,
      o.contribution.lower,
      o.contribution.upper,
      '',
      '',
      '',
    ]),
    ...Object.entries(fit.treatments ?? {}).map(([n, t]) => [
      n,
      'treatment',
      t.contribution.mean,
      t.contribution.lower,
      t.contribution.upper,
      t.effect.mean,
      t.effect.lower,
      t.effect.upper,
    ]),
  ];
  const columns = ['name', 'kind', 'contribution', 'contribution_lower', 'contribution_upper', 'effect', 'effect_lower', 'effect_upper'];
  return stringify(rows, { header: true, columns });
}

/**
 * Reach-and-frequency channels: per channel and frequency of the grid, the steady-state ROAS (mean and interval) when the
 * channel's average spend is delivered at that frequency; the optimal frequency's row says so.
 */
export function reachFrequencyCsv(fit: MMMFit): string {
  const rows = Object.entries(fit.channels).flatMap(([name, c]) => {
    const rf = c.reachFrequency;
    if (!rf) return [];
    return rf.responseByFrequency.frequency.map((f, j) => {
      const r = rf.responseByFrequency.roas[j];
      return [name, f, r.mean, r.lower, r.upper];
    });
  });
  return stringify(rows, { header: true, columns: ['channel', 'frequency', 'roas', 'roas_lower', 'roas_upper'] });
}

/** Fits with interaction terms: one row per interaction, its total contribution and its ratio to the channel's own. */
function interactionsCsv(fit: MMMFit): string {
  const rows = Object.entries(fit.interactions ?? {}).map(([name, r]) => [
    name,
    r.channel,
    r.with,
    r.contribution.mean,
    r.contribution.lower,
    r.contribution.upper,
    r.relative.mean,
    r.relative.lower,
    r.relative.upper,
  ]);
  const columns = ['interaction', 'channel', 'with', 'contribution', 'contribution_lower', 'contribution_upper'];
  return stringify(rows, { header: true, columns: [...columns, 'relative', 'relative_lower', 'relative_upper'] });
}

/** One row per geo and channel (geo fits). */
export function roasByGeoCsv(fit: MMMFit): string {
  const rows = Object.entries(fit.geos ?? {}).flatMap(([geo, g]) =>
    Object.entries(g.channels).map(([name, r]) => [geo, name, ...channelRow(r)]),
  );
  return stringify(rows, { header: true, columns: ['geo', 'channel', ...ESTIMATE_COLUMNS] });
}
