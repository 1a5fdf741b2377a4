import {
  InvalidInputError,
  MS_PER_DAY,
  NonFiniteError,
  dayNumber,
  isoDate,
  ANY,
  checkOptions,
  optionKeys,
  type OptionShape,
} from '@mmm/core';

/** Options of {@link summarizeTransactions}. */
export interface SummarizeOptions {
  /** customer id column */
  customer: string;
  /** date column: ISO dates, `YYYYMMDD`, Date objects or epoch milliseconds */
  date: string;
  /** amount column (money per row); omit for frequency/recency only */
  amount?: string;
  /** quantity column: rows with negative quantity are returns and are removed */
  quantity?: string;
  /** invoice column: invoices starting with `cancellationPrefix` are cancellations and are removed */
  invoice?: string;
  /** @defaultValue 'C' */
  cancellationPrefix?: string;
  /** unit of recency and T: days, weeks (7 days) or months (365.25/12 days); @defaultValue 'days' */
  unit?: 'days' | 'weeks' | 'months';
  /**
   * the period within which several purchases count once: a day (Hardie's CDNOW convention, the default), a week
   * (Monday to Sunday) or a calendar month (lifetimes' `freq='W'` / `'M'`). Recency and T are then measured between
   * period starts.
   */
  period?: 'day' | 'week' | 'month';
  /** end of the calibration period (inclusive); customers first seen after it are left out */
  calibrationEnd?: Date | string | number;
  /** end of observation (inclusive); @defaultValue the last transaction date */
  observationEnd?: Date | string | number;
}

/** The keys of {@link SummarizeOptions}, for `checkOptions` (typos refused). */
export const SUMMARIZE_OPTION_KEYS = {
  customer: ANY,
  date: ANY,
  amount: ANY,
  quantity: ANY,
  invoice: ANY,
  cancellationPrefix: ANY,
  unit: ANY,
  period: ANY,
  calibrationEnd: ANY,
  observationEnd: ANY,
} satisfies { readonly [K in keyof Required<SummarizeOptions>]: OptionShape };

/** One row per customer, as columns (the RFM summary of the buy-till-you-die models). */
export interface CustomerSummary {
  customer: string[];
  /** repeat purchase days in calibration (the first purchase is not counted; purchases on one day count once) */
  frequency: Float64Array;
  /** time from first to last calibration purchase (0 without repeats) */
  recency: Float64Array;
  /** time from first purchase to the end of calibration */
  T: Float64Array;
  /** mean amount of the repeat purchase days in calibration (0 without repeats, as lifetimes) */
  monetaryValue: Float64Array;
  /** first purchase date (ISO) */
  firstPurchase: string[];
  /** purchase days after calibration (with `calibrationEnd`) */
  holdoutFrequency?: Float64Array;
  /** mean amount of holdout purchase days (0 without any) */
  holdoutMonetaryValue?: Float64Array;
  /** what was read and removed */
  report: { rows: number; cancellations: number; returns: number; used: number; customerDays: number; customers: number };
}

const UNIT_DAYS = { days: 1, weeks: 7, months: 365.25 / 12 } as const;

/** The first day (UTC day number) of the week (Monday) or calendar month that contains `day`. @internal */
export function periodStart(day: number, period: 'day' | 'week' | 'month'): number {
  if (!Number.isFinite(day) || period === 'day') return day;
  if (period === 'week') return day - ((day + 3) % 7); // day 0 (1970-01-01) was a Thursday
  const d = new Date(day * MS_PER_DAY);
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / MS_PER_DAY);
}

/** Purchases per customer and day (amounts summed), without cancellations and returns, which are counted. @internal */
function groupByCustomerDay(rows: ReadonlyArray<Readonly<Record<string, unknown>>>, options: SummarizeOptions) {
  const prefix = options.cancellationPrefix ?? 'C';
  let cancellations = 0;
  let returns = 0;
  // customer → day → amount
  const byCustomer = new Map<string, Map<number, number>>();
  let lastDay = -Infinity;
  rows.forEach((r, i) => {
    if (options.invoice && String(r[options.invoice] ?? '').startsWith(prefix)) {
      cancellations++;
      return;
    }
    if (options.quantity) {
      const q = Number(r[options.quantity]);
      if (!Number.isFinite(q)) throw new NonFiniteError(`rows[${i}].${options.quantity}`, q, 'Quantities must be numbers.');
      if (q < 0) {
        returns++;
        return;
      }
    }
    const id = r[options.customer];
    if (id === undefined || id === null || String(id).trim() === '')
      throw new InvalidInputError(
        `rows[${i}].${options.customer}`,
        'is empty',
        'Every transaction needs a customer id (drop anonymous rows first).',
      );
    const day = periodStart(dayNumber(r[options.date]), options.period ?? 'day');
    if (!Number.isFinite(day))
      throw new InvalidInputError(
        `rows[${i}].${options.date}`,
        `is ${JSON.stringify(r[options.date])}`,
        'Dates must be ISO dates, YYYYMMDD, Date objects or epoch milliseconds.',
      );
    let amount = 0;
    if (options.amount) {
      const raw = r[options.amount];
      amount = typeof raw === 'number' ? raw : Number(String(raw).trim());
      if (!Number.isFinite(amount))
        throw new NonFiniteError(`rows[${i}].${options.amount}`, amount, 'Amounts must be numbers (no currency signs).');
      if (amount < 0)
        throw new InvalidInputError(
          `rows[${i}].${options.amount}`,
          `is ${amount}`,
          'Negative amounts are returns: pass the quantity or invoice column so they are removed, or filter them out.',
        );
    }
    const key = String(id);
    let days = byCustomer.get(key);
    if (!days) byCustomer.set(key, (days = new Map()));
    days.set(day, (days.get(day) ?? 0) + amount);
    if (day > lastDay) lastDay = day;
  });
  return { byCustomer, lastDay, cancellations, returns };
}

/**
 * From raw transaction rows to one row per customer: frequency (repeat purchase days), recency, T and monetary value,
 * with an optional calibration/holdout split. Purchases on the same day are one transaction (amounts summed);
 * cancellations (invoice prefix) and returns (negative quantity) are removed and counted.
 * @remarks These are the definitions of Fader, Hardie & Lee (2005) and of lifetimes'
 * `summary_data_from_transaction_data`; with weeks they reproduce Hardie's CDNOW summary.
 */
export function summarizeTransactions(rows: ReadonlyArray<Readonly<Record<string, unknown>>>, options: SummarizeOptions): CustomerSummary {
  checkOptions(options, optionKeys<SummarizeOptions>(SUMMARIZE_OPTION_KEYS), 'options');
  if (!Array.isArray(rows) || rows.length === 0) throw new InvalidInputError('rows', 'is empty', 'Pass the transaction rows.');
  const cols = [options.customer, options.date, options.amount, options.quantity, options.invoice].filter(
    (c): c is string => typeof c === 'string',
  );
  const available = Object.keys(rows[0]);
  for (const c of cols)
    if (!available.includes(c))
      throw new InvalidInputError(`columns.${c}`, 'is not in the rows', `Available columns: ${available.join(', ')}.`);
  const unitDays = UNIT_DAYS[options.unit ?? 'days'];
  if (!unitDays) throw new InvalidInputError('unit', `is ${JSON.stringify(options.unit)}`, "Use 'days', 'weeks' or 'months'.");
  const { byCustomer, lastDay, cancellations, returns } = groupByCustomerDay(rows, options);
  const period = options.period ?? 'day';
  if (period !== 'day' && period !== 'week' && period !== 'month')
    throw new InvalidInputError('period', `is ${JSON.stringify(period)}`, "Use 'day', 'week' or 'month'.");
  const obsEnd = options.observationEnd === undefined ? lastDay : periodStart(dayNumber(options.observationEnd), period);
  if (!Number.isFinite(obsEnd))
    throw new InvalidInputError('observationEnd', `is ${JSON.stringify(options.observationEnd)}`, 'Give a date.');
  const calEnd = options.calibrationEnd === undefined ? obsEnd : periodStart(dayNumber(options.calibrationEnd), period);
  if (!Number.isFinite(calEnd))
    throw new InvalidInputError('calibrationEnd', `is ${JSON.stringify(options.calibrationEnd)}`, 'Give a date.');
  if (calEnd > obsEnd)
    throw new InvalidInputError('calibrationEnd', 'is after observationEnd', 'The calibration period must end within the observation.');
  const ids = [...byCustomer.keys()];
  const keep: string[] = [];
  let customerDays = 0;
  let firstOverall = Infinity;
  for (const id of ids) {
    const days = byCustomer.get(id)!;
    customerDays += days.size;
    const first = Math.min(...days.keys());
    firstOverall = Math.min(firstOverall, first);
    if (first <= calEnd) keep.push(id);
  }
  if (obsEnd < firstOverall)
    throw new InvalidInputError('observationEnd', 'is before the first purchase', 'The observation must end after the transactions start.');
  if (keep.length === 0)
    throw new InvalidInputError('calibrationEnd', 'is before every first purchase', 'Move the calibration end after the first purchases.');
  const n = keep.length;
  const out: CustomerSummary = {
    customer: keep,
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    monetaryValue: new Float64Array(n),
    firstPurchase: new Array(n),
    report: { rows: rows.length, cancellations, returns, used: rows.length - cancellations - returns, customerDays, customers: n },
  };
  const split = options.calibrationEnd !== undefined;
  if (split) {
    out.holdoutFrequency = new Float64Array(n);
    out.holdoutMonetaryValue = new Float64Array(n);
  }
  keep.forEach((id, k) => {
    const days = [...byCustomer.get(id)!.entries()].filter(([d]) => d <= obsEnd).sort((a, b) => a[0] - b[0]);
    const first = days[0][0];
    const cal = days.filter(([d]) => d <= calEnd);
    const x = cal.length - 1;
    out.frequency[k] = x;
    out.recency[k] = x > 0 ? (cal[cal.length - 1][0] - first) / unitDays : 0;
    out.T[k] = (calEnd - first) / unitDays;
    let m = 0;
    for (let j = 1; j < cal.length; j++) m += cal[j][1];
    out.monetaryValue[k] = x > 0 ? m / x : 0;
    out.firstPurchase[k] = isoDate(first * MS_PER_DAY);
    if (split) {
      const hold = days.filter(([d]) => d > calEnd);
      out.holdoutFrequency![k] = hold.length;
      out.holdoutMonetaryValue![k] = hold.length > 0 ? hold.reduce((a, [, v]) => a + v, 0) / hold.length : 0;
    }
  });
  return out;
}
