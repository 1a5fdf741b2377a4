import { mape, nrmse, r2 } from '@mmm/diagnostics';
import { gradientBoosting, predictBoosted, shapValues } from '@mmm/regression';
import type { PreparedFit } from './prepare.js';
import { fittedData } from './summarise.js';
import type { Estimate, FitMMMOptions, GbdtFit, SeriesEstimate } from './types.js';

declare const performance: { now(): number };

/** Lags of each channel's input the gradient-boosted benchmark sees (carry-over it can learn). */
export const GBDT_LAGS = 4;

/**
 * The gradient-boosted benchmark's design, per period: each channel's input and its last {@link GBDT_LAGS} values
 * (`history` holds the periods before the first, for predictions that continue a fit), two yearly Fourier pairs of the
 * period index, the index itself (trend) and the controls, raw (trees need no scaling). Column groups name each
 * channel's columns and the trend, seasonality and control columns. @internal
 */
export function gbdtDesign(
  input: Readonly<Record<string, ArrayLike<number>>>,
  channels: readonly string[],
  controls: Readonly<Record<string, ArrayLike<number>>>,
  T: number,
  perYear: number,
  startIndex = 0,
  history: Readonly<Record<string, ArrayLike<number>>> = {},
): { X: number[][]; groups: Record<string, number[]>; trend: number[]; seasonality: number[]; controls: number[] } {
  const X = Array.from({ length: T }, () => [] as number[]);
  const groups: Record<string, number[]> = {};
  let col = 0;
  for (const c of channels) {
    groups[c] = [];
    const past = history[c] ?? [];
    for (let l = 0; l <= GBDT_LAGS; l++) {
      for (let t = 0; t < T; t++) X[t].push(t - l >= 0 ? input[c][t - l] : past.length + t - l >= 0 ? past[past.length + t - l] : 0);
      groups[c].push(col++);
    }
  }
  const seasonality: number[] = [];
  for (let t = 0; t < T; t++)
    for (const k of [1, 2])
      X[t].push(Math.sin((2 * Math.PI * k * (startIndex + t)) / perYear), Math.cos((2 * Math.PI * k * (startIndex + t)) / perYear));
  for (let k = 0; k < 4; k++) seasonality.push(col++);
  for (let t = 0; t < T; t++) X[t].push(startIndex + t);
  const trend = [col++];
  const controlCols: number[] = [];
  for (const name of Object.keys(controls)) {
    for (let t = 0; t < T; t++) X[t].push(controls[name][t]);
    controlCols.push(col++);
  }
  return { X, groups, trend, seasonality, controls: controlCols };
}

const point = (v: number): Estimate => ({ mean: v, median: v, lower: v, upper: v });
const series = (v: ArrayLike<number>): SeriesEstimate => ({ mean: Array.from(v), lower: Array.from(v), upper: Array.from(v) });

/**
 * `fitMMM(rows, { method: 'gbdt' })`: the gradient-boosted benchmark on national data, as an `MMMFit` whose
 * contributions over time and ROAS are TreeSHAP attributions (relative to the model's average prediction; no
 * intervals) of a non-causal model. It predicts (`predict`), compares and reports through `renderComparisonReport`;
 * it has no response curves, so budgets and the MMM report refuse it (their types take a `ModelFit`). @internal
 */
export function fitGbdt(p: PreparedFit, options: FitMMMOptions, t0: number): GbdtFit {
  const T = p.dates.length;
  const perYear = 365.25 / p.periodDays;
  const design = gbdtDesign(p.input, p.channelNames, p.controls, T, perYear);
  const y = Array.from(p.target);
  const model = gradientBoosting(design.X, y, {
    nEstimators: 1000,
    learningRate: 0.05,
    maxDepth: 3,
    minSamplesLeaf: 5,
    validation: 0.2,
    seed: p.settings.seed,
    ...(options.gbdt ?? {}),
  });
  const fitted = predictBoosted(model, design.X);
  const shap = shapValues(model, design.X);
  const sumCols = (cols: readonly number[]) => shap.values.map((row) => cols.reduce((a, j) => a + row[j], 0));
  const channelSeries = Object.fromEntries(p.channelNames.map((c) => [c, sumCols(design.groups[c])]));
  const totalSpend = p.channelNames.map((c) => p.spend[c].reduce((a, b) => a + b, 0));
  const contributions = p.channelNames.map((c) => channelSeries[c].reduce((a, b) => a + b, 0));
  const mediaTotal = contributions.reduce((a, b) => a + Math.abs(b), 0);
  const spendTotal = totalSpend.reduce((a, b) => a + b, 0);
  const channels = Object.fromEntries(
    p.channelNames.map((c, k) => {
      // marginal: the model's response to 1% more input in every period (and its lags), per unit of the extra spend
      const bumped = gbdtDesign({ ...p.input, [c]: p.input[c].map((v) => v * 1.01) }, p.channelNames, p.controls, T, perYear).X;
      const more = predictBoosted(model, bumped);
      let d = 0;
      for (let t = 0; t < T; t++) d += more[t] - fitted[t];
      return [
        c,
        {
          spend: totalSpend[k],
          contribution: point(contributions[k]),
          roas: point(totalSpend[k] > 0 ? contributions[k] / totalSpend[k] : 0),
          marginalRoas: point(totalSpend[k] > 0 ? d / (0.01 * totalSpend[k]) : 0),
          effectShare: mediaTotal > 0 ? Math.abs(contributions[k]) / mediaTotal : 0,
          spendShare: spendTotal > 0 ? totalSpend[k] / spendTotal : 0,
        },
      ];
    }),
  );
  const trend = sumCols(design.trend).map((v) => v + shap.expected);
  const seconds = (performance.now() - t0) / 1000;
  return {
    version: 1,
    method: 'gbdt',
    spec: p.spec,
    data: fittedData(p),
    scaling: p.scaling,
    settings: { seed: p.settings.seed, interval: p.settings.interval },
    diagnostics: {
      messages: [
        `gbdt benchmark: ${model.rounds} trees of depth ≤ 3 (early stopping on the last fifth of the periods). Contributions and ROAS ` +
          `are TreeSHAP attributions of a non-causal model, relative to its average prediction (the baseline series holds that ` +
          `average), with no intervals; it has no response curves for budgets.`,
      ],
    },
    channels,
    contributions: {
      fitted: series(fitted),
      trend: series(trend),
      seasonality: series(sumCols(design.seasonality)),
      controls: series(sumCols(design.controls)),
      channels: Object.fromEntries(p.channelNames.map((c) => [c, series(channelSeries[c])])),
    },
    fit: { r2: r2(y, fitted), mape: mape(y, fitted), nrmse: nrmse(y, fitted) },
    gbdt: { model, lags: GBDT_LAGS, expected: shap.expected },
    timing: { warmupSeconds: 0, samplingSeconds: seconds, totalSeconds: seconds, gradientEvaluations: 0 },
  };
}
