import { InvalidInputError, NonFiniteError, parseDate } from '@mmm/core';

/** Input data: rows as a CSV parser gives them, or a record of columns. */
export type TableInput = ReadonlyArray<Readonly<Record<string, unknown>>> | Readonly<Record<string, ArrayLike<unknown>>>;

/** Columns taken out of a table: dates (ms since epoch) and numeric columns, checked. @internal */
export interface Columns {
  dates: number[];
  numeric: Record<string, Float64Array>;
  rows: number;
}

const MS_PER_DAY = 86_400_000;

/**
 * Reads the date column and the numeric columns `names` from rows or columns, naming the row and the column of
 * any problem: unknown columns, unparsable dates or numbers, NaN or infinite values.
 * @internal
 */
export function readColumns(data: TableInput, dateColumn: string, names: readonly string[]): Columns {
  checkTableShape(data);
  const isRows = Array.isArray(data);
  const rows = isRows
    ? (data as ReadonlyArray<Record<string, unknown>>).length
    : columnLength(data as Record<string, ArrayLike<unknown>>, dateColumn);
  if (rows === 0) throw new InvalidInputError('data', 'has no rows', 'Pass at least one period of data.');
  const available = isRows ? Object.keys((data as ReadonlyArray<Record<string, unknown>>)[0] ?? {}) : Object.keys(data);
  for (const name of [dateColumn, ...names]) {
    if (!available.includes(name)) {
      throw new InvalidInputError(`columns.${name}`, 'is not in the data', `Available columns: ${available.join(', ')}.`);
    }
  }
  const get = (name: string, i: number): unknown =>
    isRows ? (data as ReadonlyArray<Record<string, unknown>>)[i][name] : (data as Record<string, ArrayLike<unknown>>)[name][i];
  if (!isRows) {
    for (const name of [dateColumn, ...names]) {
      const len = (data as Record<string, ArrayLike<unknown>>)[name].length;
      if (len !== rows)
        throw new InvalidInputError(
          `columns.${name}`,
          `has ${len} values, the date column ${rows}`,
          'Every column needs one value per period.',
        );
    }
  }
  const dates: number[] = [];
  for (let i = 0; i < rows; i++) {
    const v = get(dateColumn, i);
    const ms = parseDate(v);
    if (!Number.isFinite(ms))
      throw new InvalidInputError(
        `rows[${i}].${dateColumn}`,
        `is ${JSON.stringify(v)}`,
        'Dates must be ISO dates (2024-01-29, read as UTC), Date objects or epoch milliseconds.',
      );
    dates.push(ms);
  }
  const numeric: Record<string, Float64Array> = {};
  for (const name of names) {
    const col = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const v = get(name, i);
      const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
      if (typeof v === 'string' && !Number.isFinite(x) && !/^[+-]?(inf|infinity|nan)$/i.test(v.trim())) {
        throw new InvalidInputError(
          `rows[${i}].${name}`,
          `is ${JSON.stringify(v)}`,
          'Give a number (no currency signs or thousands separators); fill missing periods with 0 or impute them.',
        );
      }
      if (!Number.isFinite(x))
        throw new NonFiniteError(`rows[${i}].${name}`, x, 'Fill missing periods (0 spend for dark weeks) or impute them before fitting.');
      col[i] = x;
    }
    numeric[name] = col;
  }
  return { dates, numeric, rows };
}

function columnLength(data: Record<string, ArrayLike<unknown>>, dateColumn: string): number {
  const d = data[dateColumn];
  if (!d) throw new InvalidInputError(`columns.${dateColumn}`, 'is not in the data', `Available columns: ${Object.keys(data).join(', ')}.`);
  return d.length;
}

/**
 * Checks that the dates are sorted, unique and regular, and returns the spacing in days.
 * @internal
 */
export function checkDates(dates: readonly number[], dateColumn: string): number {
  if (dates.length < 2)
    throw new InvalidInputError(dateColumn, `has ${dates.length} period`, 'Fitting needs a time series of several periods.');
  // order and duplicates first (an unsorted table would otherwise look like one with gaps), then regularity
  for (let i = 1; i < dates.length; i++) {
    const d = dates[i] - dates[i - 1];
    if (d === 0)
      throw new InvalidInputError(
        `rows[${i}].${dateColumn}`,
        `repeats the date of rows[${i - 1}]`,
        'Each period must appear once: aggregate duplicate rows first.',
      );
    if (d < 0) throw new InvalidInputError(`rows[${i}].${dateColumn}`, `is before rows[${i - 1}]`, 'Sort the rows by date.');
  }
  const step = dates[1] - dates[0];
  for (let i = 1; i < dates.length; i++) {
    const d = dates[i] - dates[i - 1];
    // months vary from 28 to 31 days: allow that for monthly data, otherwise the step must be exact
    const monthly = step >= 28 * MS_PER_DAY && step <= 31 * MS_PER_DAY;
    const ok = monthly ? d >= 28 * MS_PER_DAY && d <= 31 * MS_PER_DAY : Math.abs(d - step) < MS_PER_DAY / 24 + 1;
    if (!ok) {
      throw new InvalidInputError(
        `rows[${i}].${dateColumn}`,
        `is ${(d / MS_PER_DAY).toFixed(2)} days after rows[${i - 1}], where the data's step is ${(step / MS_PER_DAY).toFixed(2)} days`,
        'Periods must be regular without gaps: add the missing periods (with 0 spend) or aggregate to a coarser period.',
      );
    }
  }
  return step / MS_PER_DAY;
}

/** The values of a label column (e.g. the geo) as strings, naming a missing column or an empty cell. @internal */
export function readLabels(data: TableInput, name: string): string[] {
  checkTableShape(data);
  const isRows = Array.isArray(data);
  const available = isRows ? Object.keys((data as ReadonlyArray<Record<string, unknown>>)[0] ?? {}) : Object.keys(data);
  if (!available.includes(name))
    throw new InvalidInputError(`columns.${name}`, 'is not in the data', `Available columns: ${available.join(', ')}.`);
  const col = isRows
    ? (data as ReadonlyArray<Record<string, unknown>>).map((r) => r[name])
    : Array.from((data as Record<string, ArrayLike<unknown>>)[name]);
  return col.map((v, i) => {
    if (v === undefined || v === null || v === '') throw new InvalidInputError(`rows[${i}].${name}`, 'is empty', 'Give every row its geo.');
    return String(v);
  });
}

/** Refuses data that is neither rows (an array of objects) nor columns (an object of arrays), naming what it is. @internal */
export function checkTableShape(data: unknown, field = 'data'): void {
  const fix =
    "Pass rows (an array of objects, one per period: [{ date: '2024-01-01', sales: 1200, tv: 300 }, …]) or columns ({ date: [...], " +
    'sales: [...], tv: [...] }).';
  if (data === null || data === undefined) throw new InvalidInputError(field, `is ${String(data)}`, fix);
  if (typeof data !== 'object') throw new InvalidInputError(field, `is a ${typeof data}`, fix);
  if (Array.isArray(data)) {
    const bad = data.findIndex((r) => r === null || typeof r !== 'object' || Array.isArray(r));
    if (bad >= 0)
      throw new InvalidInputError(
        `${field}[${bad}]`,
        `is ${Array.isArray(data[bad]) ? 'an array' : (JSON.stringify(data[bad]) ?? String(data[bad]))}`,
        fix,
      );
  }
}

/** Refuses a target the model cannot scale or explain: constant, or not positive on average; names the column. @internal */
export function checkTarget(column: string, y: ArrayLike<number>): void {
  let mean = 0;
  let varies = false;
  for (let i = 0; i < y.length; i++) {
    mean += y[i];
    if (y[i] !== y[0]) varies = true;
  }
  mean /= y.length;
  if (!varies)
    throw new InvalidInputError(
      `columns.${column}`,
      `is constant (${y[0]} in every period)`,
      'A constant target leaves nothing for the model to explain: check that the target column is the right one.',
    );
  if (!(mean > 0))
    throw new InvalidInputError(
      `columns.${column}`,
      `has mean ${mean}`,
      'The target is scaled by its mean and must be positive on average (sales, revenue, conversions); shift it, or model a positive ' +
        'quantity.',
    );
}
