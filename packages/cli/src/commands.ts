// The commands behind `mmm fit`, `mmm optimize` and `mmm clv`: files in, files out, a few lines on the terminal, and
// an exit code a shell script can rely on (EXIT).
import { resolve } from 'node:path';
import { isMmmError, InvalidInputError } from '@mmm/core';
import { PERIODS_PER_MONTH, scoreCustomers, type CustomerScores } from '@mmm/clv';
import { channelStability, fitMMM, optimizeBudget, spendPerPeriod, type EffectWindow, type MMMFit } from '@mmm/pipeline';
import { renderCLVReport } from '@mmm/report';
import { stringify } from 'csv-stringify/sync';
import { readChannelValue, readCsv, readSavedFit, writeFiles } from './io.js';
import { fitSettings, parseBoundMultiples, parseList, parseNumber, type FitFlags } from './options.js';
import { fitFiles } from './outputs.js';
import { progressView } from './terminal.js';

/** Exit codes: 0 done, 1 a fault of ours (report it), 2 bad input (the message names the flag, column or file), 3 the convergence gate
 * failed (files written), 4 some batch jobs failed, 130 interrupted. */
export const EXIT = { ok: 0, internal: 1, input: 2, gate: 3, jobsFailed: 4, interrupted: 130 } as const;

/** Where the commands write: results to `out`, progress and messages to `err`. */
export interface Io {
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
  quiet?: boolean;
}

/**
 * Whether an error code is the input's fault (a bad column, option or value: the library's typed input errors), so
 * that no retry can help: exit code 2, and a queued job that fails at once.
 */
export function isInputFault(code: string | undefined): boolean {
  return code === 'INVALID_INPUT' || code === 'INVALID_PARAMETER' || code === 'DIMENSION_MISMATCH' || code === 'NON_FINITE';
}

/** The exit code for an error: 2 for the library's input errors, 130 for a cancel, 1 for anything else. */
export function exitCodeOf(e: unknown): number {
  if (!isMmmError(e)) return EXIT.internal;
  if (e.code === 'ABORTED') return EXIT.interrupted;
  return isInputFault(e.code) ? EXIT.input : EXIT.internal;
}

const fmt = (v: number, d = 2) => (Math.abs(v) >= 1e5 ? v.toExponential(2) : v.toFixed(d));

/** `mmm fit`: CSV → fit.json, report.html, contributions.csv, roas.csv (roas_by_geo.csv for geo fits), run.json. */
export async function runFit(
  dataArg: string | undefined,
  flags: FitFlags & { allowGateFailure?: boolean; strict?: boolean },
  io: Io,
): Promise<number> {
  const s = fitSettings(dataArg, flags);
  const rows = readCsv(s.data, 'data');
  const method = s.options.method ?? 'bayesian';
  io.err.write(`mmm fit: ${rows.length} rows from ${s.data}, method ${method}\n`);
  const view = progressView(io.err, io.quiet ? 'quiet' : 'auto');
  const options = { ...s.options };
  if (method === 'bayesian') options.onProgress = (p) => view.show(p);
  else if (method !== 'gbdt' && !io.quiet) {
    let tenth = -1;
    options.search = {
      ...options.search,
      onProgress: (p) => {
        const k = Math.floor((10 * p.evaluated) / Math.max(1, p.total));
        if (k > tenth) io.err.write(`search ${10 * (tenth = k)}% (${p.evaluated} of ${p.total} candidates)\n`);
      },
    };
  }
  let fit: MMMFit;
  try {
    fit = await fitMMM(rows, options);
  } finally {
    view.stop();
  }
  const out = resolve(s.out);
  const run = { command: 'fit', data: resolve(s.data), options: s.options, out };
  const { files, summary } = fitFiles(fit, { report: s.report, title: s.title, run });
  const written = writeFiles(out, files);
  io.out.write(`\n| channel | ROAS | ${Math.round(100 * fit.settings.interval)}% interval |\n|---|---:|---|\n`);
  for (const [name, c] of Object.entries(summary.channels))
    io.out.write(`| ${name} | ${fmt(c.roas)} | [${fmt(c.lower)}, ${fmt(c.upper)}] |\n`);
  for (const [name, f] of Object.entries(summary.frequency ?? {}))
    io.out.write(
      `\n${name}: optimal frequency ${fmt(f.optimal)} [${fmt(f.lower)}, ${fmt(f.upper)}] (the data's average ${fmt(f.average)}); ` +
        'ROAS by frequency in reach_frequency.csv',
    );
  io.out.write(`\nR² ${summary.r2.toFixed(3)}; ${summary.seconds.toFixed(1)} s; wrote ${written.length} files to ${out}\n`);
  if (summary.noReport) io.err.write(`no report.html: ${summary.noReport}\n`);
  const review = summary.review;
  if (review) {
    io.out.write(`review: ${review.status}${review.checks.length ? '' : ' (every check passes)'}\n`);
    for (const c of review.checks) io.out.write(`  ${c.status} ${c.id}: ${c.message}\n`);
  }
  // --strict: any failing check of the review fails the command, as the gate does
  const strict = flags.strict && review?.status === 'fail' ? EXIT.gate : EXIT.ok;
  if (fit.method !== 'bayesian') return strict;
  const d = fit.diagnostics;
  if (d.earlyStop) {
    const e = d.earlyStop;
    io.out.write(
      e.reason === 'targets met'
        ? `early stop: ${e.draws} of ${e.ceiling} draws per chain (R-hat and ESS met their targets at check ${e.checks})\n`
        : `early stop: the targets were not met by ${e.ceiling} draws per chain (${e.checks} checks); all draws kept\n`,
    );
  }
  if (d.passed) {
    io.out.write(
      `convergence gate passed (max R-hat ${d.rhatMax.toFixed(3)}, min ESS-bulk ${d.essBulkMin.toFixed(0)}, ${d.divergences} ` +
        `divergences${(d.attempts?.length ?? 1) > 1 ? `, after ${d.attempts?.length ?? 1} attempts` : ''})\n`,
    );
    return strict;
  }
  io.err.write(
    `convergence gate FAILED (max R-hat ${d.rhatMax.toFixed(3)}, min ESS-bulk ${d.essBulkMin.toFixed(0)}, ${d.divergences} ` +
      `divergences, ${d.attempts?.length ?? 1} attempts): ` +
      `${d.failures
        .slice(0, 5)
        .map((f) => `${f.name}: ${f.reasons.join(', ')}`)
        .join('; ')}. ` +
      'The files are written; do not act on the estimates before the gate passes (more draws, --target-accept 0.95, or a ' +
      'simpler model).\n',
  );
  return flags.allowGateFailure ? strict : EXIT.gate;
}

/** The flags of `mmm optimize`. */
export interface OptimizeFlags {
  budget?: string;
  periods?: string;
  bounds?: string;
  byGeo?: boolean;
  effectWindow?: string;
  /** value.json of `mmm value`: plan the value of new customers (with its fit.json) */
  value?: string;
  /** reach-and-frequency channels: 'optimal' (the default) or 'historical' */
  frequency?: string;
  out?: string;
}

/** `mmm optimize fit.json`: the budget split (plan.json, plan.csv) over channels, or geo × channel cells with --by-geo. */
export function runOptimize(fitPath: string, flags: OptimizeFlags, io: Io): number {
  const fit = readSavedFit(fitPath, 'optimize');
  if (flags.byGeo && !fit.panel) {
    const fix = 'Drop --by-geo, or fit a geo model (mmm fit … --geo region).';
    throw new InvalidInputError('--by-geo', 'was given for a national fit', fix);
  }
  const current = spendPerPeriod(fit, { byGeo: flags.byGeo });
  const periods = flags.periods === undefined ? 1 : parseNumber('--periods', flags.periods, 'positive');
  const totalBudget = flags.budget === undefined ? undefined : parseNumber('--budget', flags.budget, 'positive') / periods;
  const bounds = flags.bounds === undefined ? undefined : parseBoundMultiples(flags.bounds, current, '0.7,1.3');
  const effectWindow = parseEffectWindow(flags.effectWindow);
  const channelValue = flags.value === undefined ? undefined : readChannelValue(flags.value);
  if (flags.frequency !== undefined && flags.frequency !== 'optimal' && flags.frequency !== 'historical')
    throw new InvalidInputError('--frequency', `is "${flags.frequency}"`, 'Use optimal (the default) or historical.');
  const plan = optimizeBudget(fit, {
    ...(flags.frequency ? { frequency: flags.frequency } : {}),
    totalBudget,
    bounds,
    byGeo: flags.byGeo,
    current,
    ...(effectWindow ? { effectWindow } : {}),
    ...(channelValue ? { channelValue } : {}),
  });
  const rows = Object.keys(plan.allocation).map((k) => [
    k,
    current[k] ?? 0,
    plan.allocation[k],
    (current[k] ?? 0) > 0 ? plan.allocation[k] / current[k] - 1 : '',
    plan.responseByChannel[k],
    plan.marginalRoas[k],
    plan.binding[k] ?? '',
  ]);
  const csv = stringify(rows, {
    header: true,
    columns: ['channel', 'current_per_period', 'suggested_per_period', 'change', 'expected_response_per_period', 'marginal_roas', 'bound'],
  });
  const out = resolve(flags.out ?? 'mmm-plan');
  writeFiles(out, {
    'plan.json': JSON.stringify(
      {
        totalBudgetPerPeriod: totalBudget ?? Object.values(current).reduce((a, v) => a + v, 0),
        periods,
        bounds: flags.bounds ?? null,
        ...plan,
      },
      null,
      2,
    ),
    'plan.csv': csv,
  });
  io.out.write('| channel | current / period | suggested / period | change | bound |\n|---|---:|---:|---:|---|\n');
  for (const r of rows)
    io.out.write(
      `| ${r[0]} | ${fmt(r[1] as number)} | ${fmt(r[2] as number)} | ${typeof r[3] === 'number' ? `${(100 * r[3]).toFixed(1)}%` : ''} ` +
        `| ${r[6]} |\n`,
    );
  const iv = plan.responseInterval;
  const interval = iv ? ` (90% interval ${fmt(iv.lower)} to ${fmt(iv.upper)})` : '';
  const uplift = plan.uplift ? `, ${(100 * plan.uplift.relative).toFixed(1)}% over the current mix` : '';
  const w = plan.effectWindow;
  const window = w
    ? `\neffects as of ${w.start === w.end ? w.start : `${w.start} to ${w.end} (mean)`} (the fit's effects change over time)`
    : '';
  const left = plan.synergiesLeftOut;
  const synergies = left ? `\nleft out: the synergies ${left.join(', ')} (the plan adds up each channel's own response)` : '';
  io.out.write(
    `\nexpected media ${channelValue ? 'value of the new customers' : 'response'} per period ` +
      `${fmt(plan.expectedResponse)}${interval}${uplift}; ` +
      `KKT ${plan.kkt.satisfied ? 'satisfied' : 'NOT satisfied'}${window}${synergies}\nwrote plan.json and plan.csv to ${out}\n`,
  );
  return EXIT.ok;
}

/** `--effect-window from,to` as optimizeBudget's `effectWindow`. @internal */
function parseEffectWindow(flag: string | undefined): EffectWindow | undefined {
  if (flag === undefined) return undefined;
  const w = parseList(flag);
  if (w.length !== 2)
    throw new InvalidInputError('--effect-window', `is "${flag}"`, 'Give two dates of the fit: --effect-window 2024-01-01,2024-03-25.');
  return { start: w[0], end: w[1] };
}

/** `mmm stability fit.json`: which channel's effect changed (stability.json, stability.csv), from a fit with --time-varying. */
export function runStability(fitPath: string, flags: { split?: string; out?: string }, io: Io): number {
  const fit = readSavedFit(fitPath);
  const result = channelStability(fit, flags.split !== undefined ? { split: flags.split } : {});
  const rows = Object.entries(result).map(([c, r]) => [
    c,
    r.before[0],
    r.before[1],
    r.after[0],
    r.after[1],
    r.ratio.mean,
    r.ratio.lower,
    r.ratio.upper,
    r.probabilityIncrease,
    r.label,
  ]);
  const out = resolve(flags.out ?? 'mmm-stability');
  writeFiles(out, {
    'stability.json': JSON.stringify(result, null, 2),
    'stability.csv': stringify(rows, {
      header: true,
      columns: [
        'channel',
        'before_from',
        'before_to',
        'after_from',
        'after_to',
        'ratio',
        'ratio_lower',
        'ratio_upper',
        'p_increase',
        'label',
      ],
    }),
  });
  const pctOf = Math.round(100 * fit.settings.interval);
  io.out.write(`| channel | before | after | ratio | ${pctOf}% interval | P(increase) | verdict |\n|---|---|---|---:|---|---:|---|\n`);
  for (const [c, r] of Object.entries(result))
    io.out.write(
      r.constant
        ? `| ${c} | | | 1 | held constant | | ${r.label} |\n`
        : `| ${c} | ${r.before[0]} – ${r.before[1]} | ${r.after[0]} – ${r.after[1]} | ${fmt(r.ratio.mean)} | ` +
            `[${fmt(r.ratio.lower)}, ${fmt(r.ratio.upper)}] | ${(100 * r.probabilityIncrease).toFixed(0)}% | ${r.label} |\n`,
    );
  io.out.write(`\nwrote stability.json and stability.csv to ${out}\n`);
  return EXIT.ok;
}

/** The flags of `mmm clv`. */
export interface ClvFlags {
  customer?: string;
  date?: string;
  amount?: string;
  model?: string;
  unit?: string;
  calibrationEnd?: string;
  months?: string;
  discount?: string;
  out?: string;
}

/** The per-customer table of `mmm clv`: RFM, P(alive), expected purchases and CLV. @internal */
function clvCsv(r: CustomerScores, unit: string, months: number): string {
  const s = r.summary;
  const table = Array.from(s.customer, (id, i) => [
    id,
    s.frequency[i],
    s.recency[i],
    s.T[i],
    s.monetaryValue[i],
    r.pAlive[i],
    r.expected[i],
    r.clv[i],
  ]);
  return stringify(table, {
    header: true,
    columns: [
      'customer',
      'frequency',
      `recency_${unit}`,
      `T_${unit}`,
      'monetary_value',
      'p_alive',
      `expected_purchases_${r.horizon}${unit[0]}`,
      `clv_${months}m`,
    ],
  });
}

/** `mmm clv transactions.csv`: RFM summary, BG/NBD or Pareto/NBD and Gamma-Gamma fits, clv.csv, clv.json, report.html. */
export function runClv(path: string, flags: ClvFlags, io: Io): number {
  if (!flags.customer) throw new InvalidInputError('--customer', 'is missing', 'Name the customer id column: --customer id.');
  if (!flags.date) throw new InvalidInputError('--date', 'is missing', 'Name the date column: --date day.');
  if (!flags.amount) throw new InvalidInputError('--amount', 'is missing', 'Name the amount column: --amount value.');
  const model = flags.model ?? 'bgnbd';
  if (model !== 'bgnbd' && model !== 'paretonbd')
    throw new InvalidInputError('--model', `is "${model}"`, 'Use bgnbd (the default) or paretonbd.');
  const unit = (flags.unit ?? 'weeks') as keyof typeof PERIODS_PER_MONTH;
  if (!(unit in PERIODS_PER_MONTH)) throw new InvalidInputError('--unit', `is "${unit}"`, 'Use days, weeks (the default) or months.');
  const months = flags.months === undefined ? 12 : parseNumber('--months', flags.months, 'integer');
  const discountRate = flags.discount === undefined ? 0.01 : parseNumber('--discount', flags.discount);
  const rows = readCsv(path, 'transactions');
  const t0 = performance.now();
  const r = scoreCustomers(rows, {
    customer: flags.customer,
    date: flags.date,
    amount: flags.amount,
    unit,
    calibrationEnd: flags.calibrationEnd,
    model,
    months,
    discountRate,
  });
  const s = r.summary;
  const tx = r.transactions;
  const gg = r.spend;
  const clv = r.clv;
  const customers = { frequency: s.frequency, recency: s.recency, T: s.T, monetaryValue: s.monetaryValue };
  const seconds = (performance.now() - t0) / 1000;
  const csv = clvCsv(r, unit, months);
  const report = renderCLVReport({ customers, transactions: tx, spend: gg, clv, ids: s.customer }, { unit, horizon: r.horizon });
  const out = resolve(flags.out ?? 'mmm-clv');
  const summary = {
    model,
    unit,
    months,
    discountRate,
    customers: s.report.customers,
    transactions: s.report.rows,
    params: tx.params,
    logLikelihood: tx.logLikelihood,
    gammaGamma: gg.params,
    totalClv: clv.reduce((a, v) => a + v, 0),
    seconds,
  };
  writeFiles(out, { 'clv.csv': csv, 'clv.json': JSON.stringify(summary, null, 2), 'report.html': report });
  io.out.write(
    `${s.report.customers} customers from ${s.report.rows} transactions; ${model} ${Object.entries(tx.params)
      .map(([k, v]) => `${k} ${v.toPrecision(4)}`)
      .join(', ')}; Gamma-Gamma ${Object.entries(gg.params)
      .map(([k, v]) => `${k} ${v.toPrecision(4)}`)
      .join(', ')}\n`,
  );
  io.out.write(
    `${months}-month CLV: total ${fmt(summary.totalClv)}, mean ${fmt(summary.totalClv / clv.length)} per customer ` +
      `(${seconds.toFixed(2)} s)\nwrote clv.csv, clv.json and report.html to ${out}\n`,
  );
  return EXIT.ok;
}
