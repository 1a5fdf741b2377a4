import { InvalidInputError, MS_PER_DAY, assertAllFinite, assertInteger, assertPositive, parseDate } from '@mmm/core';

/** Fourier features as a row-major matrix with named columns. */
export interface FourierFeatures {
  /** n × 2·order, row-major: row t holds sin₁, cos₁, sin₂, cos₂, … */
  values: Float64Array;
  /** rows */
  rows: number;
  /** columns = 2·order */
  columns: number;
  /** column names: `sin_1`, `cos_1`, `sin_2`, … */
  names: string[];
}

/**
 * Fourier seasonality features on a numeric time axis.
 * @remarks
 * For k = 1 … K: sin(2πk·t/P) and cos(2πk·t/P). Linear in their coefficients, so a model's gradient needs no
 * derivative of the features. With `t` in days since 1970-01-01 ({@link daysSinceEpoch}) and P = 365.25 this is
 * Prophet's yearly seasonality; with `t` = week index and P = 365.25/7 it is the reference `mmm.stan`'s.
 * @param time - time points, in the unit of `period`
 * @param options - `period` P > 0 (default 365.25) and `order` K ≥ 1 (default 2)
 * @example
 * fourierFeatures([0], { period: 4, order: 1 }).values; // [0, 1]
 */
export function fourierFeatures(time: ArrayLike<number>, options: { period?: number; order?: number } = {}): FourierFeatures {
  const period = options.period ?? 365.25;
  const order = options.order ?? 2;
  assertPositive('period', period);
  assertInteger('order', order, 1);
  assertAllFinite('time', time);
  const n = time.length;
  const columns = 2 * order;
  const values = new Float64Array(n * columns);
  const w = (2 * Math.PI) / period;
  for (let t = 0; t < n; t++) {
    for (let k = 1; k <= order; k++) {
      const a = w * k * time[t];
      values[t * columns + 2 * k - 2] = Math.sin(a);
      values[t * columns + 2 * k - 1] = Math.cos(a);
    }
  }
  const names: string[] = [];
  for (let k = 1; k <= order; k++) names.push(`sin_${k}`, `cos_${k}`);
  return { values, rows: n, columns, names };
}

/**
 * Days since 1970-01-01 (UTC) for each date: a continuous time axis for {@link fourierFeatures} and trends.
 * @param dates - `Date`s, ISO date strings (`'2024-01-29'`) or epoch milliseconds
 * @throws InvalidInputError naming the index of an unparsable date
 * @example
 * daysSinceEpoch(['1970-01-02'])[0]; // 1
 */
export function daysSinceEpoch(dates: ReadonlyArray<Date | string | number>): Float64Array {
  const out = new Float64Array(dates.length);
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i];
    const ms = parseDate(d);
    if (!Number.isFinite(ms)) {
      throw new InvalidInputError(
        `dates[${i}]`,
        `cannot be read as a date (${String(d)})`,
        'Use ISO dates such as 2024-01-29, Date objects or epoch milliseconds.',
      );
    }
    out[i] = ms / MS_PER_DAY;
  }
  return out;
}
