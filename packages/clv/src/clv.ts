import { DimensionMismatchError, InvalidInputError, InvalidParameterError, assertFinite, ANY, checkOptions, optionKeys } from '@mmm/core';
import { checkCustomers, type CustomerColumns, type FitLike } from './data.js';
import { expectedPurchases, probabilityAlive } from './predictions.js';
import { expectedAverageValue } from './gamma-gamma.js';

/** Model time units per month, by unit (lifetimes' conventions: 30-day months for days, 4.345 weeks a month). */
export const PERIODS_PER_MONTH = { days: 30, weeks: 4.345, months: 1 } as const;

/** Options of {@link customerLifetimeValue}. */
export interface ClvOptions {
  /** months ahead; @defaultValue 12 */
  months?: number;
  /** monthly discount rate; @defaultValue 0.01 */
  discountRate?: number;
  /** model time units per month: 4.345 for weeks (default), 30 for days, 1 for months */
  periodsPerMonth?: number;
}

/**
 * Discounted customer lifetime value over a horizon in monthly steps, as lifetimes' `customer_lifetime_value`:
 * CLV = Σ_{m=1}^{M} value · (E[N(m·f)] − E[N((m−1)·f)]) / (1 + d)^m, with E[N(t)] the expected purchases in the next t
 * periods (from the transaction model), f the periods per month, d the monthly discount rate, and value the
 * Gamma-Gamma expected average value (or the values given). This is not the closed-form DERT of Fader, Hardie &
 * Lee (2005), which discounts continuously over an infinite horizon.
 * @param transactions - a BG/NBD or MBG/NBD fit
 * @param value - a Gamma-Gamma fit, or one value per customer
 */
export function customerLifetimeValue(
  transactions: FitLike,
  value: FitLike | ArrayLike<number>,
  customers: CustomerColumns,
  options: ClvOptions = {},
): Float64Array {
  checkOptions(options, optionKeys<ClvOptions>({ months: ANY, discountRate: ANY, periodsPerMonth: ANY }), 'options');
  const months = options.months ?? 12;
  const d = options.discountRate ?? 0.01;
  const f = options.periodsPerMonth ?? PERIODS_PER_MONTH.weeks;
  if (!(Number.isInteger(months) && months >= 1)) throw new InvalidParameterError('months', months, 'the integers ≥ 1');
  if (!(d > -1) || !Number.isFinite(d)) throw new InvalidParameterError('discountRate', d, '(−1, ∞)');
  if (!(f > 0)) throw new InvalidParameterError('periodsPerMonth', f, '(0, ∞)');
  const c = checkCustomers(customers);
  let v: Float64Array;
  if ('model' in value) {
    if (!customers.monetaryValue)
      throw new InvalidInputError(
        'customers.monetaryValue',
        'is missing',
        'A Gamma-Gamma value model needs each customer’s mean repeat spend.',
      );
    v = expectedAverageValue(value, { frequency: customers.frequency, monetaryValue: customers.monetaryValue });
  } else {
    if (value.length !== c.n) throw new DimensionMismatchError('value', c.n, value.length);
    v = Float64Array.from(value);
    v.forEach((x, i) => assertFinite(`value[${i}]`, x));
  }
  const out = new Float64Array(c.n);
  let prev: Float64Array = new Float64Array(c.n);
  for (let m = 1; m <= months; m++) {
    const cur = expectedPurchases(transactions, customers, m * f);
    const disc = Math.pow(1 + d, -m);
    for (let i = 0; i < c.n; i++) out[i] += v[i] * (cur[i] - prev[i]) * disc;
    prev = cur;
  }
  return out;
}

/** A frequency × recency grid of a prediction, for heatmaps. */
export interface FrequencyRecencyGrid {
  /** rows: frequency 0 … maxFrequency */
  frequency: number[];
  /** columns: recency values */
  recency: number[];
  /** values[f][r] (NaN where recency is impossible: 0 < x with recency 0, or x = 0 with recency > 0) */
  values: number[][];
}

function grid(maxFrequency: number, T: number, steps: number, f: (x: number, r: number) => number): FrequencyRecencyGrid {
  if (!(Number.isInteger(maxFrequency) && maxFrequency >= 0))
    throw new InvalidParameterError('maxFrequency', maxFrequency, 'the integers ≥ 0');
  if (!(T > 0)) throw new InvalidParameterError('T', T, '(0, ∞)');
  const frequency = Array.from({ length: maxFrequency + 1 }, (_, i) => i);
  const recency = Array.from({ length: steps + 1 }, (_, j) => (T * j) / steps);
  const values = frequency.map((x) => recency.map((r) => ((x === 0) !== (r === 0) ? Number.NaN : f(x, r))));
  return { frequency, recency, values };
}

const GRID_SHAPE = optionKeys<{ maxFrequency: number; T: number; steps?: number }>({ maxFrequency: ANY, T: ANY, steps: ANY });

/** P(alive) over a frequency × recency grid for customers observed for T. */
export function probabilityAliveGrid(fit: FitLike, options: { maxFrequency: number; T: number; steps?: number }): FrequencyRecencyGrid {
  checkOptions(options, GRID_SHAPE, 'options');
  return grid(
    options.maxFrequency,
    options.T,
    options.steps ?? 20,
    (x, r) => probabilityAlive(fit, { frequency: [x], recency: [r], T: [options.T] })[0],
  );
}

/** Expected purchases in the next t periods over a frequency × recency grid for customers observed for T. */
export function expectedPurchasesGrid(
  fit: FitLike,
  t: number,
  options: { maxFrequency: number; T: number; steps?: number },
): FrequencyRecencyGrid {
  checkOptions(options, GRID_SHAPE, 'options');
  return grid(
    options.maxFrequency,
    options.T,
    options.steps ?? 20,
    (x, r) => expectedPurchases(fit, { frequency: [x], recency: [r], T: [options.T] }, t)[0],
  );
}

/** One row of {@link calibrationHoldoutTable}. */
export interface CalibrationHoldoutRow {
  /** calibration frequency (the last row collects maxFrequency and above) */
  frequency: number;
  customers: number;
  actual: number;
  predicted: number;
}

/**
 * Mean holdout purchases, actual and predicted, by calibration frequency: the check of Fader, Hardie & Lee (2005, fig. 4).
 */
export function calibrationHoldoutTable(
  fit: FitLike,
  customers: CustomerColumns & { holdoutFrequency: ArrayLike<number> },
  t: number,
  maxFrequency = 7,
): CalibrationHoldoutRow[] {
  const c = checkCustomers(customers);
  if (customers.holdoutFrequency.length !== c.n)
    throw new DimensionMismatchError('customers.holdoutFrequency', c.n, customers.holdoutFrequency.length);
  const e = expectedPurchases(fit, customers, t);
  const rows = Array.from({ length: maxFrequency + 1 }, (_, k) => ({ frequency: k, customers: 0, actual: 0, predicted: 0 }));
  for (let i = 0; i < c.n; i++) {
    const k = Math.min(c.x[i], maxFrequency);
    rows[k].customers += c.w[i];
    rows[k].actual += c.w[i] * customers.holdoutFrequency[i];
    rows[k].predicted += c.w[i] * e[i];
  }
  return rows.filter((r) => r.customers > 0).map((r) => ({ ...r, actual: r.actual / r.customers, predicted: r.predicted / r.customers }));
}
