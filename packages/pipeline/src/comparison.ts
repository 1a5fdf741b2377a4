import { InvalidInputError, InvalidParameterError, isoDate, parseDate, ANY, checkOptions, optionKeys } from '@mmm/core';
import { mape, nrmse, r2, rmse } from '@mmm/diagnostics';
import { timeSeriesSplit } from '@mmm/regression';
import { fitMMM } from './fit.js';
import { FIT_OPTIONS_SHAPE } from './shapes.js';
import { predict } from './predict.js';
import type { TableInput } from './table.js';
import type { Estimate, FitMethod, FitMMMOptions, MMMFit } from './types.js';

declare const performance: { now(): number };

/** Fit metrics of one method on one set of periods. */
export interface FitMetrics {
  r2: number;
  rmse: number;
  mape: number;
  nrmse: number;
}

/** A method {@link compareMethods} and {@link rollingWindows} can run: fitMMM's, or the gradient-boosted benchmark. */
export type ComparisonMethod = FitMethod;

/** One row of {@link compareMethods}. */
export interface MethodComparisonRow {
  method: ComparisonMethod;
  /**
   * how `roas` was obtained: a fitted model's contributions ('model'), or, for 'gbdt', TreeSHAP attributions of a
   * non-causal model (relative to its average prediction; no interval: lower = upper = mean)
   */
  attribution: 'model' | 'shap';
  /** on the held-out periods (pooled over the folds with `folds`) */
  holdout: FitMetrics;
  /** on the training periods, of the fit made on them (the last fold's with `folds`) */
  inSample: FitMetrics;
  /** each channel's ROAS on the training periods (interval: posterior, or bootstrap for classical methods) */
  roas: Record<string, Estimate>;
  /** wall time of the fits and predictions */
  seconds: number;
  /** Bayesian fits: whether the convergence gate passed (on every fold) */
  gatePassed?: boolean;
  /** the held-out periods' predictions (summed over geos), in the order of the comparison's `test.dates` */
  predicted: number[];
}

/** What {@link compareMethods} returns. */
export interface MethodComparison {
  rows: MethodComparisonRow[];
  holdoutPeriods: number;
  folds: number;
  /** the held-out periods and their observed target (summed over geos) */
  test: { dates: string[]; actual: number[] };
}

/** What {@link rollingWindows} returns. */
export interface RollingWindows {
  windows: RollingWindow[];
  stability: Record<string, ChannelStability>;
}

/** Rows as records, whatever the input's shape (rows, or columns by name). @internal */
function rowsOf(data: TableInput): Array<Record<string, unknown>> {
  if (Array.isArray(data)) return data as Array<Record<string, unknown>>;
  const cols = data as Readonly<Record<string, ArrayLike<unknown>>>;
  const names = Object.keys(cols);
  const n = names.length ? cols[names[0]].length : 0;
  return Array.from({ length: n }, (_, i) => Object.fromEntries(names.map((k) => [k, cols[k][i]])));
}

/** The distinct dates of the rows, sorted, and each row's date (ms). @internal */
function datesOf(rows: ReadonlyArray<Record<string, unknown>>, date: string): { unique: number[]; of: number[] } {
  const of = rows.map((r, i) => {
    const ms = parseDate(r[date]);
    if (Number.isNaN(ms)) throw new InvalidInputError(`rows[${i}].${date}`, `is ${JSON.stringify(r[date])}`, 'Give a date (YYYY-MM-DD).');
    return ms;
  });
  return { unique: [...new Set(of)].sort((a, b) => a - b), of };
}

/** Observed and predicted target over some periods (summed over geos), from a fit and its own `predict`. @internal */
function predictOn(
  fit: MMMFit,
  rows: ReadonlyArray<Record<string, unknown>>,
  options: FitMMMOptions,
): { actual: number[]; predicted: number[] } {
  const p = predict(fit, rows as TableInput, { date: options.date, target: options.target, ...(options.geo ? { geo: options.geo } : {}) });
  return { actual: p.actual!.values, predicted: p.mean.mean };
}

function metrics(actual: number[], predicted: number[]): FitMetrics {
  return { r2: r2(actual, predicted), rmse: rmse(actual, predicted), mape: mape(actual, predicted), nrmse: nrmse(actual, predicted) };
}

/**
 * Fits each method on the training periods and scores it on the periods after them: one row per method with holdout
 * R², RMSE, MAPE and NRMSE (of the predicted mean against the observed target), in-sample metrics, each channel's ROAS
 * and the seconds it took. `holdout` is the number of final periods held out (or a share in (0, 1); default 20%);
 * `folds` instead scores time-series CV folds (scikit-learn's `TimeSeriesSplit` over the periods), pooling their
 * test periods. Geo panels split by date, every geo alike.
 * @example
 * const { rows } = await compareMethods(data, options, { methods: ['bayesian', 'ridge', 'lasso'], holdout: 26 });
 */
export async function compareMethods(
  data: TableInput,
  options: FitMMMOptions,
  settings: { methods?: readonly ComparisonMethod[]; holdout?: number; folds?: number } = {},
): Promise<MethodComparison> {
  checkOptions(options, FIT_OPTIONS_SHAPE, 'options');
  checkOptions(
    settings,
    optionKeys<{ methods?: unknown; holdout?: number; folds?: number }>({ methods: ANY, holdout: ANY, folds: ANY }),
    'settings',
  );
  const methods = settings.methods ?? ['bayesian', 'ridge', 'lasso'];
  if (methods.length === 0) throw new InvalidInputError('methods', 'is empty', "Name at least one method, e.g. ['bayesian', 'ridge'].");
  const rows = rowsOf(data);
  const { unique, of } = datesOf(rows, options.date);
  const T = unique.length;
  // test blocks of periods: one final holdout, or time-series CV folds
  let blocks: Array<{ train: Set<number>; test: Set<number> }>;
  if (settings.folds !== undefined) {
    blocks = timeSeriesSplit(T, { nSplits: settings.folds }).map((f) => ({
      train: new Set(f.train.map((i) => unique[i])),
      test: new Set(f.test.map((i) => unique[i])),
    }));
  } else {
    const h = settings.holdout ?? 0.2;
    const k = h > 0 && h < 1 ? Math.round(h * T) : h;
    if (!(Number.isInteger(k) && k >= 1 && k <= T - 8))
      throw new InvalidParameterError('holdout', h, `a whole number of periods in 1 … ${T - 8}, or a share in (0, 1)`);
    blocks = [{ train: new Set(unique.slice(0, T - k)), test: new Set(unique.slice(T - k)) }];
  }
  const out: MethodComparisonRow[] = [];
  for (const method of methods) {
    const t0 = performance.now();
    const actual: number[] = [];
    const predicted: number[] = [];
    let last: MMMFit | undefined;
    let gate = true;
    for (const b of blocks) {
      const train = rows.filter((_, i) => b.train.has(of[i]));
      const test = rows.filter((_, i) => b.test.has(of[i]));
      const fit = await fitMMM(train as TableInput, { ...options, method });
      const p = predictOn(fit, test, options);
      actual.push(...p.actual);
      predicted.push(...p.predicted);
      if (fit.method === 'bayesian') gate &&= fit.diagnostics.passed;
      last = fit;
    }
    const fit = last!;
    out.push({
      method,
      holdout: metrics(actual, predicted),
      inSample: metrics(fit.data.target, fit.contributions.fitted.mean),
      predicted,
      // the gradient-boosted benchmark's ROAS are TreeSHAP attributions (no interval)
      attribution: method === 'gbdt' ? 'shap' : 'model',
      roas: Object.fromEntries(Object.entries(fit.channels).map(([c, r]) => [c, r.roas])),
      seconds: (performance.now() - t0) / 1000,
      ...(method === 'bayesian' ? { gatePassed: gate } : {}),
    });
  }
  // the held-out periods in order, with the target summed over geos (what every row's `predicted` is set against)
  const testDates = blocks.flatMap((b) => unique.filter((d) => b.test.has(d)));
  const target = new Map<number, number>();
  rows.forEach((r, i) => target.set(of[i], (target.get(of[i]) ?? 0) + Number(r[options.target])));
  return {
    rows: out,
    holdoutPeriods: testDates.length,
    folds: blocks.length,
    test: { dates: testDates.map(isoDate), actual: testDates.map((d) => target.get(d)!) },
  };
}

/**
 * Refits a model on updated data (what Robyn calls a refresh): `data` holds the periods of the first fit and the new
 * ones, `options` are the first fit's. A Bayesian fit warm-starts from the first (its last draws and metric; a short
 * warmup), a classical one searches again. Returns the new fit and how far each channel's ROAS moved.
 * @example
 * const { fit: updated, roasChange } = await refit(fit, rowsWithNewWeeks, options);
 */
export async function refit<F extends MMMFit>(
  fit: F,
  data: TableInput,
  options: FitMMMOptions,
): Promise<{ fit: F; roasChange: Record<string, { before: Estimate; after: Estimate; change: number }> }> {
  if (fit?.version !== 1 || !fit.channels) throw new InvalidInputError('fit', 'is not an MMMFit', 'Pass the result of fitMMM.');
  checkOptions(options, FIT_OPTIONS_SHAPE, 'options');
  const method = fit.method;
  if ((options.method ?? 'bayesian') !== method)
    throw new InvalidInputError(
      'options.method',
      `is ${options.method ?? 'bayesian'} but the fit's is ${method}`,
      "Refit with the first fit's options.",
    );
  const next = (await fitMMM(data, {
    ...options,
    ...(method === 'bayesian' ? { warmStart: { fit, ...(options.warmStart?.warmup ? { warmup: options.warmStart.warmup } : {}) } } : {}),
  })) as MMMFit as F; // the same method as `fit`, checked above
  const roasChange = Object.fromEntries(
    Object.keys(next.channels)
      .filter((c) => fit.channels[c])
      .map((c) => {
        const before = fit.channels[c].roas;
        const after = next.channels[c].roas;
        return [c, { before, after, change: before.mean !== 0 ? after.mean / before.mean - 1 : Number.POSITIVE_INFINITY }];
      }),
  );
  return { fit: next, roasChange };
}

/** One window of {@link rollingWindows}. */
export interface RollingWindow {
  start: string;
  end: string;
  channels: Record<string, { contribution: Estimate; roas: Estimate }>;
  /** Bayesian windows: whether the gate passed */
  gatePassed?: boolean;
}

/** How a channel's ROAS varied across windows. */
export interface ChannelStability {
  /** coefficient of variation of the windows' ROAS means (sd / mean) */
  cv: number;
  /**
   * how much more the ROAS means vary across windows than each window's own uncertainty explains: the variance of the
   * means over the mean of the windows' variances (each from its 90% interval, width / 3.29; a classical fit's widened
   * by {@link CLASSICAL_INTERVAL_FACTOR})
   */
  heterogeneity: number;
  /** the median over the windows of the ROAS's sd over its mean (sd as in `heterogeneity`) */
  relativeSd: number;
  /**
   * 'undetermined' when the windows are too uncertain to tell a doubling from no change (`relativeSd` above
   * {@link RESOLVABLE_RELATIVE_SD}); else 'stable' when cv < 0.2, 'volatile' when cv ≥ 0.2 and heterogeneity > 2,
   * 'moderate' otherwise. A ROAS that doubles halfway through the data gives a cv of about 0.25–0.35 over 52-week
   * windows. channelStability on a fit with `timeVaryingEffects` is the better question (docs/time-varying.md).
   */
  label: 'stable' | 'moderate' | 'volatile' | 'undetermined';
}

/**
 * The largest relative sd of a window's ROAS at which two windows that do not overlap tell a doubling from no change:
 * a doubling differs from their mean by 2/3 of it, which must exceed 1.645·√2 times the sd, so 2/(3·1.645·√2) ≈ 0.287.
 */
export const RESOLVABLE_RELATIVE_SD = 2 / (3 * 1.645 * Math.SQRT2);

/**
 * How much wider a classical fit's (and the benchmark's) 90% bootstrap intervals would have to be to hold the truth
 * 90% of the time: they held it 47% of the time over 20 simulated data sets (docs/classical.md), the coverage of
 * ±0.628 sd, so the factor is 1.645/0.628.
 */
export const CLASSICAL_INTERVAL_FACTOR = 1.645 / 0.628;

/**
 * Refits on sliding windows of `window` periods, every `step` periods (with `options.method`, Bayesian by default),
 * and reports each window's channel contributions and ROAS, and per channel how much its ROAS moved across windows
 * (coefficient of variation, heterogeneity against the windows' own intervals, and a label). Budget decisions resting
 * on a volatile channel deserve more caution.
 * @example
 * const { windows, stability } = await rollingWindows(rows, options, { window: 52, step: 4 });
 */
export async function rollingWindows(
  data: TableInput,
  options: FitMMMOptions,
  settings: { window: number; step: number; method?: FitMethod; warmStart?: boolean },
): Promise<RollingWindows> {
  checkOptions(options, FIT_OPTIONS_SHAPE, 'options');
  checkOptions(settings, optionKeys<typeof settings>({ window: ANY, step: ANY, method: ANY, warmStart: ANY }), 'settings');
  const rows = rowsOf(data);
  const { unique, of } = datesOf(rows, options.date);
  const T = unique.length;
  const { window, step } = settings;
  if (!(Number.isInteger(window) && window >= 16 && window <= T))
    throw new InvalidParameterError('window', window, `a whole number of periods in 16 … ${T}`);
  if (!(Number.isInteger(step) && step >= 1)) throw new InvalidParameterError('step', step, 'the integers ≥ 1');
  if (T - window < step)
    throw new InvalidInputError(
      'window',
      `${window} with step ${step} fits ${T - window < 0 ? 0 : 1} window into ${T} periods`,
      'Use a shorter window or step: stability needs at least two windows.',
    );
  const windows: RollingWindow[] = [];
  // Bayesian windows after the first start from the previous window's posterior (settings.warmStart, default on)
  const method = settings.method ?? options.method ?? 'bayesian';
  const warm = method === 'bayesian' && (settings.warmStart ?? true);
  let previous: MMMFit | undefined;
  for (let s = 0; s + window <= T; s += step) {
    const inWindow = new Set(unique.slice(s, s + window));
    const fit = await fitMMM(rows.filter((_, i) => inWindow.has(of[i])) as TableInput, {
      ...options,
      method,
      // classical windows: the raw bootstrap intervals, which CLASSICAL_INTERVAL_FACTOR was measured on and widens below
      ...(method !== 'bayesian' ? { bootstrap: { ...options.bootstrap, widen: 1 } } : {}),
      ...(warm && previous ? { warmStart: { fit: previous } } : {}),
    });
    previous = fit;
    windows.push({
      start: isoDate(unique[s]),
      end: isoDate(unique[s + window - 1]),
      channels: Object.fromEntries(Object.entries(fit.channels).map(([c, r]) => [c, { contribution: r.contribution, roas: r.roas }])),
      ...(fit.method === 'bayesian' ? { gatePassed: fit.diagnostics.passed } : {}),
    });
  }
  const stability: Record<string, ChannelStability> = {};
  // classical intervals are too narrow: widened to what their measured coverage implies
  const widen = method === 'bayesian' ? 1 : CLASSICAL_INTERVAL_FACTOR;
  for (const c of Object.keys(windows[0].channels)) {
    const means = windows.map((w) => w.channels[c].roas.mean);
    const m = means.reduce((a, b) => a + b, 0) / means.length;
    const v = means.reduce((a, b) => a + (b - m) ** 2, 0) / (means.length - 1);
    // each window's sd from its central interval (2 × 1.645 sd wide for a normal-like posterior)
    const sds = windows.map((w) => (widen * (w.channels[c].roas.upper - w.channels[c].roas.lower)) / 3.29);
    const within = sds.reduce((a, sd) => a + sd * sd, 0) / windows.length;
    const rel = sds.map((sd, k) => (means[k] !== 0 ? sd / Math.abs(means[k]) : Number.POSITIVE_INFINITY)).sort((a, b) => a - b);
    const relativeSd = rel.length % 2 ? rel[(rel.length - 1) / 2] : (rel[rel.length / 2 - 1] + rel[rel.length / 2]) / 2;
    const cv = m !== 0 ? Math.sqrt(v) / Math.abs(m) : Number.POSITIVE_INFINITY;
    const heterogeneity = within > 0 ? v / within : Number.POSITIVE_INFINITY;
    const label: ChannelStability['label'] = !(relativeSd <= RESOLVABLE_RELATIVE_SD)
      ? 'undetermined'
      : cv < 0.2
        ? 'stable'
        : heterogeneity > 2
          ? 'volatile'
          : 'moderate';
    stability[c] = { cv, heterogeneity, relativeSd, label };
  }
  return { windows, stability };
}
