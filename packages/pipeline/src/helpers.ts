import { InvalidInputError, InvalidParameterError, MS_PER_DAY as DAY, isoDate, ANY, checkOptions, optionKeys } from '@mmm/core';
import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { readColumns, readLabels, type TableInput } from './table.js';
import type { SteadyLiftTest } from './types.js';

/** Start (UTC midnight, ms) of the week holding `ms`; weeks start on Monday or Sunday. @internal */
function weekStart(ms: number, start: 'monday' | 'sunday'): number {
  const day = Math.floor(ms / DAY);
  const dow = (day + 4) % 7; // 0 = Sunday (1970-01-01 was a Thursday)
  const back = start === 'sunday' ? dow : (dow + 6) % 7;
  return (day - back) * DAY;
}

/**
 * Sums daily (or any finer) rows into weeks starting on `weekStart`; the `date` of each output row is the week's
 * first day. Columns not listed in `sum` are dropped.
 * @example
 * aggregateToWeeks(dailyRows, { date: 'day', sum: ['tv', 'sales'] });
 */
export function aggregateToWeeks(
  rows: TableInput,
  options: { date: string; sum: readonly string[]; weekStart?: 'monday' | 'sunday' },
): Array<Record<string, string | number>> {
  checkOptions(options, optionKeys<typeof options>({ date: ANY, sum: ANY, weekStart: ANY }), 'options');
  const start = options.weekStart ?? 'monday';
  if (start !== 'monday' && start !== 'sunday') throw new InvalidParameterError('weekStart', start, "{'monday', 'sunday'}");
  const t = readColumns(rows, options.date, options.sum);
  const weeks = new Map<number, Record<string, number>>();
  for (let i = 0; i < t.rows; i++) {
    const w = weekStart(t.dates[i], start);
    let acc = weeks.get(w);
    if (!acc) weeks.set(w, (acc = Object.fromEntries(options.sum.map((c) => [c, 0]))));
    for (const c of options.sum) acc[c] += t.numeric[c][i];
  }
  return [...weeks.entries()].sort((a, b) => a[0] - b[0]).map(([w, acc]) => ({ [options.date]: isoDate(w), ...acc }));
}

/**
 * Spreads monthly totals over the weeks that overlap each month, pro rata by days: a week with 3 days in January
 * and 4 in February gets 3/31 of January's value and 4/28 (or 4/29) of February's. Weeks are returned from the one
 * holding the first month's first day to the one holding the last month's last day; `date` is each week's first day.
 */
export function spreadMonthlyToWeeks(
  rows: TableInput,
  options: { date: string; columns: readonly string[]; weekStart?: 'monday' | 'sunday' },
): Array<Record<string, string | number>> {
  checkOptions(options, optionKeys<typeof options>({ date: ANY, columns: ANY, weekStart: ANY }), 'options');
  const start = options.weekStart ?? 'monday';
  const t = readColumns(rows, options.date, options.columns);
  const weeks = new Map<number, Record<string, number>>();
  for (let i = 0; i < t.rows; i++) {
    const d = new Date(t.dates[i]);
    const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    if (t.dates[i] !== first)
      throw new InvalidInputError(
        `rows[${i}].${options.date}`,
        `is ${isoDate(t.dates[i])}`,
        'Monthly rows are dated on the first day of their month.',
      );
    const days = (next - first) / DAY;
    for (let ms = first; ms < next; ms += DAY) {
      const w = weekStart(ms, start);
      let acc = weeks.get(w);
      if (!acc) weeks.set(w, (acc = Object.fromEntries(options.columns.map((c) => [c, 0]))));
      for (const c of options.columns) acc[c] += t.numeric[c][i] / days;
    }
  }
  return [...weeks.entries()].sort((a, b) => a[0] - b[0]).map(([w, acc]) => ({ [options.date]: isoDate(w), ...acc }));
}

/**
 * Adds a column per group holding the sum of its member columns (e.g. `{ social: ['facebook', 'instagram'] }`), for
 * channels too small or too collinear to estimate apart. Other columns are kept; inputs are not changed.
 */
export function groupChannels(
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
  groups: Readonly<Record<string, readonly string[]>>,
): Array<Record<string, unknown>> {
  if (rows.length === 0) throw new InvalidInputError('rows', 'is empty', 'Pass the rows to group.');
  const available = Object.keys(rows[0]);
  for (const [g, cols] of Object.entries(groups)) {
    if (cols.length === 0) throw new InvalidInputError(`groups.${g}`, 'is empty', 'Name the columns to add up.');
    for (const c of cols)
      if (!available.includes(c))
        throw new InvalidInputError(`groups.${g}`, `names the unknown column "${c}"`, `Available columns: ${available.join(', ')}.`);
  }
  return rows.map((r, i) => {
    const out: Record<string, unknown> = { ...r };
    for (const [g, cols] of Object.entries(groups)) {
      let s = 0;
      for (const c of cols) {
        const v = Number(r[c]);
        if (!Number.isFinite(v)) throw new InvalidInputError(`rows[${i}].${c}`, `is ${JSON.stringify(r[c])}`, 'Give a number.');
        s += v;
      }
      out[g] = s;
    }
    return out;
  });
}

/** What {@link dataReport} finds. */
export interface DataReport {
  periods: number;
  /** model parameters with the default spec, and periods per parameter */
  parameters: number;
  periodsPerParameter: number;
  /** Pearson correlation of every channel pair */
  correlations: Array<{ a: string; b: string; r: number }>;
  /** variance inflation factor of each channel given the other channels and the controls */
  vif: Record<string, number>;
  /** share of periods with zero spend, per channel */
  zeroShare: Record<string, number>;
  /** columns whose coefficient of variation is below 1% */
  nearConstant: string[];
  /** plain-language warnings with the fix */
  warnings: string[];
}

/**
 * A pre-fit look at the data: collinearity of channels (pairwise correlations and VIF), near-constant columns, dark
 * periods, and how many periods each parameter gets, with warnings that say what to do.
 */
export function dataReport(
  rows: TableInput,
  options: { date: string; target: string; channels: readonly string[]; controls?: readonly string[] },
): DataReport {
  checkOptions(options, optionKeys<typeof options>({ date: ANY, target: ANY, channels: ANY, controls: ANY }), 'options');
  const controls = options.controls ?? [];
  const t = readColumns(rows, options.date, [options.target, ...options.channels, ...controls]);
  const n = t.rows;
  const cols = options.channels.map((c) => t.numeric[c]);
  const warnings: string[] = [];
  const correlations: DataReport['correlations'] = [];
  for (let i = 0; i < cols.length; i++) {
    for (let j = i + 1; j < cols.length; j++) {
      const r = correlation(cols[i], cols[j]);
      correlations.push({ a: options.channels[i], b: options.channels[j], r });
      if (Math.abs(r) >= 0.9)
        warnings.push(
          `${options.channels[i]} and ${options.channels[j]} correlate at ${r.toFixed(2)}: their effects cannot be told apart; group ` +
            `them (groupChannels) or give one an informative prior.`,
        );
    }
  }
  const vif: Record<string, number> = {};
  const predictors = [...cols, ...controls.map((c) => t.numeric[c])];
  options.channels.forEach((c, k) => {
    const others = predictors.filter((_, j) => j !== k);
    const r2 = others.length === 0 ? 0 : rSquared(cols[k], others);
    vif[c] = r2 >= 1 ? Infinity : 1 / (1 - r2);
    if (vif[c] > 10)
      warnings.push(
        `${c} has a variance inflation factor of ${vif[c] === Infinity ? '∞' : vif[c].toFixed(1)}: the other columns nearly determine ` +
          `it; group it with the channel it moves with, or drop a control.`,
      );
  });
  const zeroShare: Record<string, number> = {};
  options.channels.forEach((c, k) => {
    zeroShare[c] = cols[k].filter((v) => v === 0).length / n;
    if (zeroShare[c] > 0.8)
      warnings.push(
        `${c} has no spend in ${(100 * zeroShare[c]).toFixed(0)}% of periods: its saturation will be poorly identified; consider a ` +
          `fixed saturation or grouping it.`,
      );
  });
  const nearConstant: string[] = [];
  for (const c of [options.target, ...options.channels, ...controls]) {
    const x = t.numeric[c];
    const m = x.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, n - 1));
    if (!(sd > 0.01 * Math.abs(m)) || sd === 0) {
      nearConstant.push(c);
      warnings.push(`${c} is (nearly) constant: it carries no information; drop it.`);
    }
  }
  // parameters of the default spec: 4 per channel (decay, K, S, β), intercept, trend, 4 Fourier terms, controls, σ
  const parameters = 4 * options.channels.length + 1 + 1 + 4 + controls.length + 1;
  const periodsPerParameter = n / parameters;
  if (periodsPerParameter < 2)
    warnings.push(
      `${n} periods for ${parameters} parameters (${periodsPerParameter.toFixed(1)} each): fitMMM needs at least 2 per parameter; add ` +
        `history or drop channels, controls or seasonality.`,
    );
  else if (periodsPerParameter < 4)
    warnings.push(`${periodsPerParameter.toFixed(1)} periods per parameter: estimates will lean on the priors; more history helps.`);
  return { periods: n, parameters, periodsPerParameter, correlations, vif, zeroShare, nearConstant, warnings };
}

function correlation(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

/**
 * R² of the least-squares regression of y on the columns xs (with an intercept), by ml-matrix's QR decomposition
 * (its SVD when the columns are collinear among themselves, where QR has no unique solution).
 */
function rSquared(y: Float64Array, xs: Float64Array[]): number {
  const n = y.length;
  const X = new Matrix(n, xs.length + 1);
  for (let i = 0; i < n; i++) {
    X.set(i, 0, 1);
    xs.forEach((x, j) => X.set(i, j + 1, x[i]));
  }
  const Y = Matrix.columnVector(Array.from(y));
  const qr = new QrDecomposition(X);
  const beta = qr.isFullRank() ? qr.solve(Y) : new SingularValueDecomposition(X, { autoTranspose: true }).solve(Y);
  const fitted = X.mmul(beta);
  const my = y.reduce((acc, v) => acc + v, 0) / n;
  let ssr = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    ssr += (y[i] - fitted.get(i, 0)) ** 2;
    sst += (y[i] - my) ** 2;
  }
  return sst > 0 ? Math.min(1, Math.max(0, 1 - ssr / sst)) : 0;
}

/**
 * National rows from geo rows: per date, the `sum` columns (spend, sales) summed over the geos and the `mean` columns
 * (price indices, temperatures) averaged. Every geo must have every date (the fix names the missing pair).
 */
export function aggregateGeos(
  rows: TableInput,
  options: { date: string; geo: string; sum: readonly string[]; mean?: readonly string[] },
): Array<Record<string, string | number>> {
  checkOptions(options, optionKeys<typeof options>({ date: ANY, geo: ANY, sum: ANY, mean: ANY }), 'options');
  const means = options.mean ?? [];
  const t = readColumns(rows, options.date, [...options.sum, ...means]);
  const geos = readLabels(rows, options.geo);
  const byDate = new Map<number, { acc: Record<string, number>; geos: Set<string> }>();
  const allGeos = new Set(geos);
  for (let i = 0; i < t.rows; i++) {
    let e = byDate.get(t.dates[i]);
    if (!e) byDate.set(t.dates[i], (e = { acc: Object.fromEntries([...options.sum, ...means].map((c) => [c, 0])), geos: new Set() }));
    if (e.geos.has(geos[i]))
      throw new InvalidInputError(
        `rows[${i}].${options.geo}`,
        `repeats geo "${geos[i]}" on ${isoDate(t.dates[i])}`,
        'Give one row per geo and date.',
      );
    e.geos.add(geos[i]);
    for (const c of [...options.sum, ...means]) e.acc[c] += t.numeric[c][i];
  }
  const out: Array<Record<string, string | number>> = [];
  for (const [d, e] of [...byDate.entries()].sort((a, b) => a[0] - b[0])) {
    if (e.geos.size !== allGeos.size) {
      const missing = [...allGeos].find((g) => !e.geos.has(g)) ?? '';
      throw new InvalidInputError(
        `rows.${options.geo}`,
        `has no row for "${missing}" on ${isoDate(d)}`,
        'Every geo needs every date: add the missing rows (0 spend) before aggregating.',
      );
    }
    for (const c of means) e.acc[c] /= e.geos.size;
    out.push({ [options.date]: isoDate(d), ...e.acc });
  }
  return out;
}

/**
 * Lift tests from PyMC-Marketing's table (`df_lift_test` of `add_lift_test_measurements`: one row per test with
 * `channel`, `x` the spend per period before the test, `delta_x` the change per period, `delta_y` the change in the
 * target per period, `sigma` its standard error) as `fitMMM`'s steady-state lift tests. Column names can be renamed.
 * PyMC-Marketing reads such a test off the saturation curve at a sustained spend, without adstock; so does fitMMM.
 * @example
 * fitMMM(rows, { ...options, liftTests: liftTestsFromPyMC(liftRows) });
 */
export function liftTestsFromPyMC(
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
  columns: { channel?: string; x?: string; deltaX?: string; deltaY?: string; sigma?: string } = {},
): SteadyLiftTest[] {
  checkOptions(columns, optionKeys<typeof columns>({ channel: ANY, x: ANY, deltaX: ANY, deltaY: ANY, sigma: ANY }), 'columns');
  const c = {
    channel: columns.channel ?? 'channel',
    x: columns.x ?? 'x',
    deltaX: columns.deltaX ?? 'delta_x',
    deltaY: columns.deltaY ?? 'delta_y',
    sigma: columns.sigma ?? 'sigma',
  };
  if (!Array.isArray(rows) || rows.length === 0) throw new InvalidInputError('rows', 'is empty', 'Pass one row per lift test.');
  return rows.map((r, i) => {
    const num = (key: 'x' | 'deltaX' | 'deltaY' | 'sigma') => {
      const v = Number(r[c[key]]);
      if (r[c[key]] === undefined || r[c[key]] === '' || !Number.isFinite(v))
        throw new InvalidInputError(`rows[${i}].${c[key]}`, `is ${JSON.stringify(r[c[key]])}`, 'Give a number.');
      return v;
    };
    const channel = r[c.channel];
    if (typeof channel !== 'string' || channel === '')
      throw new InvalidInputError(`rows[${i}].${c.channel}`, `is ${JSON.stringify(channel)}`, 'Name the channel of each test.');
    return { channel, x: num('x'), deltaX: num('deltaX'), lift: num('deltaY'), sd: num('sigma') };
  });
}
