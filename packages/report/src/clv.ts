// The CLV charts: frequency × recency heatmaps, the CLV histogram, and calibration vs holdout purchases.
import { InvalidInputError } from '@mmm/core';
import type { CalibrationHoldoutRow, FrequencyRecencyGrid } from '@mmm/clv';
import { heatmap, histogram, lineChart } from './charts.js';
import { colour, type ChartOptions } from './svg.js';

/**
 * A frequency × recency grid (from `probabilityAliveGrid` or `expectedPurchasesGrid` of @mmm/clv) as a heatmap:
 * recency across, frequency up; impossible cells (recency 0 with repeat purchases) stay blank.
 */
export function frequencyRecencyChart(grid: FrequencyRecencyGrid, o: ChartOptions & { format?: (v: number) => string } = {}): string {
  return heatmap(
    { rows: grid.frequency, columns: grid.recency, values: grid.values },
    { xLabel: 'recency (age at last purchase)', yLabel: 'frequency (repeat purchases)', ...o },
  );
}

/** A histogram of per-customer CLV (or any per-customer value). */
export function clvHistogram(values: ArrayLike<number>, o: ChartOptions & { bins?: number } = {}): string {
  return histogram(values, { title: 'Customer lifetime value', xLabel: 'CLV', yLabel: 'customers', bins: o.bins ?? 40, ...o });
}

/** Mean holdout purchases by calibration frequency: actual against the model's prediction (`calibrationHoldoutTable`). */
export function calibrationHoldoutChart(rows: ReadonlyArray<CalibrationHoldoutRow>, o: ChartOptions = {}): string {
  if (rows.length === 0) throw new InvalidInputError('rows', 'is empty', 'Pass the rows of calibrationHoldoutTable.');
  const x = rows.map((r) => r.frequency);
  return lineChart(
    [
      { name: 'actual', x, y: rows.map((r) => r.actual), colour: '#222' },
      { name: 'model', x, y: rows.map((r) => r.predicted), colour: colour(0), dashed: true },
    ],
    [],
    {
      title: 'Holdout purchases by calibration frequency',
      xLabel: 'purchases in calibration',
      yLabel: 'mean purchases in holdout',
      yZero: true,
      ...o,
    },
  );
}
