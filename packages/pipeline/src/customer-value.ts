// Customer value: an MMM of new customers joined with the value of the customers each channel brings (issue 33). The
// MMM says how many new customers each channel added; the value of a channel's customers comes either from CLV models
// of the customers it acquired (BG/NBD and Gamma-Gamma, Bayesian, when each customer's acquisition channel is known)
// or, without it, from a regression of each weekly cohort's realised value on the MMM's shares of that cohort. Both
// posteriors are combined draw by draw.
import { ANY, checkOptions, DEFAULT_INTERVAL_MASS, InvalidInputError, isoDate, optionKeys } from '@mmm/core';
import { createRng, type Rng } from '@mmm/bayes-nuts';
import { expectedPurchasesNew, fitBGNBDBayes, fitGammaGammaBayes, summarizeTransactions } from '@mmm/clv';
import { CholeskyDecomposition, Matrix, SingularValueDecomposition, solve } from 'ml-matrix';
import { fittedModel } from './evaluation.js';
import { fitMMM } from './fit.js';
import { blockValues, estimate as estimateAll, thinnedDraws } from './summaries.js';
import { readColumns, readLabels, type TableInput } from './table.js';
import type { BayesianFit, ChannelInput, Estimate, FitMMMOptions } from './types.js';

/** Options of {@link fitCustomerValue}. */
export interface FitCustomerValueOptions {
  /** weekly (or other regular) media rows: the date, each channel's spend and the controls */
  media: TableInput;
  date: string;
  channels: ReadonlyArray<ChannelInput>;
  controls?: readonly string[];
  /** raw transactions: one row per purchase */
  transactions: TableInput;
  /** the transactions' customer id column */
  customer: string;
  /** the transactions' date column */
  transactionDate: string;
  /** the transactions' amount column */
  amount: string;
  /**
   * the column naming the channel that acquired each customer (the same on all of a customer's rows); values that are
   * not media channels ('organic', 'direct', …) are the baseline's. Without it, each channel's value per customer is
   * estimated from the cohorts.
   */
  acquisitionChannel?: string;
  /** the value counted: purchases within this many months of the first, the first included; @defaultValue 12 */
  horizonMonths?: number;
  /** @defaultValue 1 */
  seed?: number;
  /** @defaultValue 0.9 */
  interval?: number;
  /** the MMM's other options (chains, warmup, draws, model, …), passed to `fitMMM` */
  mmm?: Omit<FitMMMOptions, 'date' | 'target' | 'channels' | 'controls' | 'seed' | 'interval'>;
  /** the CLV fits' sampler settings; @defaultValue 4 chains of 500 + 500 */
  clv?: { chains?: number; warmup?: number; draws?: number };
  /** fewest customers a channel needs for its own CLV fit; @defaultValue 100 */
  minCustomers?: number;
  /** posterior draws combined; @defaultValue 1000 */
  maxDraws?: number;
}

const VALUE_SHAPE = optionKeys<FitCustomerValueOptions>({
  media: ANY,
  date: ANY,
  channels: ANY,
  controls: ANY,
  transactions: ANY,
  customer: ANY,
  transactionDate: ANY,
  amount: ANY,
  acquisitionChannel: ANY,
  horizonMonths: ANY,
  seed: ANY,
  interval: ANY,
  mmm: ANY,
  clv: optionKeys<{ chains?: number; warmup?: number; draws?: number }>({ chains: ANY, warmup: ANY, draws: ANY }),
  minCustomers: ANY,
  maxDraws: ANY,
});

/** One channel's customers and their value. */
export interface ChannelValue {
  /** spend over the media data */
  spend: number;
  /** new customers the channel added over the data (the MMM's contribution) */
  newCustomers: Estimate;
  /** spend per incremental new customer */
  costPerAcquisition: Estimate;
  /** expected value of one of the channel's new customers over the horizon, first purchase included */
  valuePerCustomer: Estimate;
  /** the first purchase's mean amount */
  firstPurchaseValue: Estimate;
  /** incremental customers × value per customer / spend */
  ltvRoas: Estimate;
  /** incremental customers × first purchase / spend: what a sales MMM would credit in the week */
  firstPurchaseRoas: Estimate;
  /** customers whose acquisition channel this is (with `acquisitionChannel`) */
  customers?: number;
}

/** What {@link fitCustomerValue} returns. */
export interface CustomerValue {
  /** how channel values were found: CLV models per acquisition channel, or the cohorts' regression */
  method: 'acquisition' | 'cohorts';
  horizonMonths: number;
  /** the media periods and the new customers in each (first purchases) */
  dates: string[];
  newCustomers: number[];
  /** each period's cohort: mean value over the horizon where it was observed in full (NaN otherwise), and size */
  cohorts: { value: number[]; size: number[] };
  channels: Record<string, ChannelValue>;
  /**
   * each channel's mean value per new customer, to plan on value: `optimizeBudget(value.mmm, { channelValue:
   * value.channelValue })` (or `planSchedule`) maximises the value of the new customers a budget brings
   */
  channelValue: Record<string, number>;
  /** the baseline's new customers and their value */
  baseline: { newCustomers: Estimate; valuePerCustomer: Estimate; customers?: number };
  /** the MMM of new customers (its own fit: budgets and plans on customers read it) */
  mmm: BayesianFit;
  /** the CLV fits (acquisition method): per group, the posterior means and whether the gate passed */
  clv?: Record<string, { customers: number; params: Record<string, number>; passed: boolean }>;
  warnings: string[];
  draws: number;
}

/** The transactions read per customer: first purchase (ms), its amount, the value within the horizon, the channel. @internal */
interface Customers {
  ids: string[];
  first: Float64Array;
  firstAmount: Float64Array;
  horizonValue: Float64Array;
  channel: string[];
  lastDate: number;
  rows: Array<Record<string, unknown>>;
}

const DAY = 86_400_000;

/** Reads the transactions into per-customer figures, with typed errors. @internal */
export function readCustomers(o: FitCustomerValueOptions, horizonDays: number, mediaStart: number, mediaEnd: number): Customers {
  const t = readColumns(o.transactions, o.transactionDate, [o.amount]);
  const ids = readLabels(o.transactions, o.customer);
  const channels = o.acquisitionChannel ? readLabels(o.transactions, o.acquisitionChannel) : undefined;
  const index = new Map<string, number>();
  const first: number[] = [];
  const firstAmount: number[] = [];
  const channel: string[] = [];
  let lastDate = -Infinity;
  for (let i = 0; i < t.rows; i++) {
    const d = t.dates[i];
    const a = t.numeric[o.amount][i];
    if (!(a >= 0)) throw new InvalidInputError(`transactions[${i}].${o.amount}`, `is ${a}`, 'Amounts must be ≥ 0 (leave returns out).');
    if (d < mediaStart)
      throw new InvalidInputError(
        `transactions[${i}].${o.transactionDate}`,
        `is ${isoDate(d)}, before the media data (${isoDate(mediaStart)})`,
        'Give media data from the first transaction on, or leave earlier transactions (and their customers) out.',
      );
    lastDate = Math.max(lastDate, d);
    let k = index.get(ids[i]);
    if (k === undefined) {
      k = first.length;
      index.set(ids[i], k);
      first.push(d);
      firstAmount.push(0);
      channel.push(channels ? channels[i] : '');
    } else if (channels && channels[i] !== channel[k])
      throw new InvalidInputError(
        `transactions[${i}].${o.acquisitionChannel}`,
        `is "${channels[i]}" for customer ${ids[i]}, who has "${channel[k]}" on another row`,
        'Give each customer one acquisition channel.',
      );
    if (d < first[k]) first[k] = d;
  }
  const horizonValue = new Float64Array(first.length);
  for (let i = 0; i < t.rows; i++) {
    const k = index.get(ids[i])!;
    const d = t.dates[i];
    const a = t.numeric[o.amount][i];
    if (d === first[k]) firstAmount[k] += a;
    if (d - first[k] < horizonDays * DAY) horizonValue[k] += a;
  }
  first.forEach((f, k) => {
    if (f > mediaEnd)
      throw new InvalidInputError(
        `transactions (customer ${[...index.keys()][k]})`,
        `has a first purchase on ${isoDate(f)}, after the media data (to ${isoDate(mediaEnd)})`,
        'Give media data up to the last first purchase, or leave later customers out.',
      );
  });
  const rows = Array.from({ length: t.rows }, (_, i) => ({ c: ids[i], d: t.dates[i], a: t.numeric[o.amount][i] }));
  return {
    ids: [...index.keys()],
    first: Float64Array.from(first),
    firstAmount: Float64Array.from(firstAmount),
    horizonValue,
    channel,
    lastDate,
    rows,
  };
}

/**
 * Joins a media mix model of new customers with the value of the customers each channel brings, so that channels are
 * valued by the customers they bring, not by the week's sales. New customers per period are counted from each
 * customer's first transaction; a Bayesian MMM (`fitMMM`, Normal likelihood: weekly counts in the tens or more are
 * close to Normal, and the model's noise scale absorbs their spread) gives each channel's incremental new customers.
 * With `acquisitionChannel`, each channel's customers get their own BG/NBD and Gamma-Gamma fits (Bayesian): the value of
 * a new customer over the horizon is the first purchase plus the expected repeat purchases of a new customer times the
 * expected amount. Without it, each period's cohort value (mean value within the horizon, cohorts observed in full) is
 * regressed on the MMM's shares of that period's new customers per channel and the baseline, per MMM draw, with the
 * regression's sampling error drawn around it. Every figure is { mean, median, lower, upper } over the joint draws.
 * @example
 * const value = await fitCustomerValue({ media: rows, date: 'week', channels: ['search', 'social', 'tv'],
 *   transactions, customer: 'customer_id', transactionDate: 'date', amount: 'amount', acquisitionChannel: 'channel' });
 * value.channels.tv.ltvRoas;
 */
export async function fitCustomerValue(options: FitCustomerValueOptions): Promise<CustomerValue> {
  const o = options;
  const horizonMonths = checkValueOptions(o);
  const horizonDays = (horizonMonths * 365.25) / 12;
  const seed = o.seed ?? 1;
  const interval = o.interval ?? DEFAULT_INTERVAL_MASS;
  const media = readColumns(o.media, o.date, []);
  const mediaDates = media.dates;
  const step = mediaDates.length > 1 ? mediaDates[1] - mediaDates[0] : 7 * DAY;
  const mediaEnd = mediaDates[mediaDates.length - 1] + step - DAY;
  const cust = readCustomers(o, horizonDays, mediaDates[0], mediaEnd);
  const T = mediaDates.length;
  const period = (d: number) => Math.min(T - 1, Math.floor((d - mediaDates[0]) / step));
  const newCustomers = new Array<number>(T).fill(0);
  cust.first.forEach((f) => newCustomers[period(f)]++);

  const mmm = await fitNewCustomers(o, newCustomers, seed, interval);
  const names = mmm.spec.channels.map((c) => c.name);
  const draws = channelCustomerDraws(mmm, o.maxDraws ?? 1000);
  const S = draws.total.length;
  const warnings: string[] = [];
  if (!mmm.diagnostics.passed)
    warnings.push('The MMM of new customers did not pass its convergence gate: do not act on these figures yet.');

  const { size, value, firstSum, cohortValue } = cohorts(
    cust,
    period,
    T,
    (t) => mediaDates[t] + step - DAY + horizonDays * DAY <= cust.lastDate + DAY,
  );

  const rng = createRng(seed, 7);
  let perCustomer: Record<string, Float64Array>;
  let firstValue: Record<string, Float64Array>;
  let clvFits: CustomerValue['clv'];
  if (o.acquisitionChannel) {
    const r = acquisitionValues(o, cust, names, horizonDays, S, seed, rng);
    perCustomer = r.value;
    firstValue = r.first;
    clvFits = r.fits;
    for (const [g, f] of Object.entries(r.fits))
      if (!f.passed) warnings.push(`The CLV fit of ${g}'s customers did not pass its convergence gate.`);
  } else {
    const r = cohortValues(draws, cohortValue, value, firstSum, size, cust, period, names, rng, warnings);
    perCustomer = r.value;
    firstValue = r.first;
  }
  const channels = Object.fromEntries(
    names.map((c, k) => [
      c,
      {
        ...channelValue(mmm.data.spend[c], draws.byChannel[k], perCustomer[c], firstValue[c], interval),
        ...(o.acquisitionChannel ? { customers: cust.channel.filter((g) => g === c).length } : {}),
      },
    ]),
  );
  return {
    method: o.acquisitionChannel ? 'acquisition' : 'cohorts',
    horizonMonths,
    dates: mediaDates.map(isoDate),
    newCustomers,
    cohorts: { value: cohortValue, size },
    channels,
    channelValue: Object.fromEntries(names.map((c) => [c, channels[c].valuePerCustomer.mean])),
    baseline: {
      newCustomers: estimate(draws.baseline, interval),
      valuePerCustomer: estimate(perCustomer.baseline, interval),
      ...(o.acquisitionChannel ? { customers: cust.channel.filter((g) => !names.includes(g)).length } : {}),
    },
    mmm,
    ...(clvFits ? { clv: clvFits } : {}),
    warnings,
    draws: S,
  };
}

/** The options' keys, the horizon and the MMM's own options checked; returns the horizon in months. @internal */
function checkValueOptions(o: FitCustomerValueOptions): number {
  checkOptions(o, VALUE_SHAPE, 'options');
  const horizonMonths = o.horizonMonths ?? 12;
  if (!(horizonMonths > 0 && Number.isFinite(horizonMonths)))
    throw new InvalidInputError('horizonMonths', `is ${horizonMonths}`, 'Give a number of months > 0, e.g. 12.');
  // new customers are counted per period of one national series: a geo panel's rows repeat its dates
  for (const k of ['geo', 'population'])
    if (o.mmm && Object.hasOwn(o.mmm, k))
      throw new InvalidInputError(
        `mmm.${k}`,
        'is set',
        'Customer value works on national media: sum the geos per period first (aggregateGeos).',
      );
  for (const k of ['date', 'target', 'channels', 'controls', 'seed', 'interval'])
    if (o.mmm && Object.hasOwn(o.mmm, k))
      throw new InvalidInputError(
        `mmm.${k}`,
        'is set',
        `Give ${k} at the top level of the options (the MMM's target is the new customers).`,
      );
  return horizonMonths;
}

/** The Bayesian MMM of new customers per period, on the media rows with them as the target. @internal */
async function fitNewCustomers(o: FitCustomerValueOptions, newCustomers: number[], seed: number, interval: number): Promise<BayesianFit> {
  const rows = Array.isArray(o.media)
    ? (o.media as ReadonlyArray<Record<string, unknown>>)
    : columnsToRows(o.media as Readonly<Record<string, ArrayLike<unknown>>>);
  if (rows.length > 0 && Object.hasOwn(rows[0], 'new_customers'))
    throw new InvalidInputError('media.new_customers', 'is a column of the media data', 'Rename it: the MMM writes its target there.');
  const mmmRows = rows.map((r, t) => ({ ...r, new_customers: newCustomers[t] }));
  return (await fitMMM(mmmRows, {
    ...(o.mmm ?? {}),
    date: o.date,
    target: 'new_customers',
    channels: o.channels,
    ...(o.controls ? { controls: o.controls } : {}),
    seed,
    interval,
    method: 'bayesian',
  })) as BayesianFit;
}

/** Per period: the cohort's size, its value within the horizon, its first purchases, and its mean value where `complete`. @internal */
function cohorts(cust: Customers, period: (d: number) => number, T: number, complete: (t: number) => boolean) {
  const size = new Array<number>(T).fill(0);
  const value = new Array<number>(T).fill(0);
  const firstSum = new Array<number>(T).fill(0);
  cust.first.forEach((f, k) => {
    const t = period(f);
    size[t]++;
    value[t] += cust.horizonValue[k];
    firstSum[t] += cust.firstAmount[k];
  });
  const cohortValue = value.map((v, t) => (size[t] > 0 && complete(t) ? v / size[t] : Number.NaN));
  return { size, value, firstSum, cohortValue };
}

/** One channel's figures from its draws of new customers, value per customer and first purchase. @internal */
function channelValue(
  spendSeries: readonly number[],
  n: Float64Array,
  v: Float64Array,
  f: Float64Array,
  interval: number,
): Omit<ChannelValue, 'customers'> {
  const spend = spendSeries.reduce((a, b) => a + b, 0);
  const per = (g: (x: number, s: number) => number) => estimate(Float64Array.from(n, g), interval);
  return {
    spend,
    newCustomers: estimate(n, interval),
    costPerAcquisition: per((x) => (x > 0 ? spend / x : Number.POSITIVE_INFINITY)),
    valuePerCustomer: estimate(v, interval),
    firstPurchaseValue: estimate(f, interval),
    ltvRoas: per((x, s) => (spend > 0 ? (x * v[s]) / spend : 0)),
    firstPurchaseRoas: per((x, s) => (spend > 0 ? (x * f[s]) / spend : 0)),
  };
}

/** The estimate of the draws where a figure is defined (NaN where a value is undefined in a draw). @internal */
function estimate(x: ArrayLike<number>, interval: number): Estimate {
  const ok = Array.from(x).filter((v) => !Number.isNaN(v));
  return ok.length ? estimateAll(ok, interval) : { mean: Number.NaN, median: Number.NaN, lower: Number.NaN, upper: Number.NaN };
}

/** A table of columns as rows. @internal */
function columnsToRows(cols: Readonly<Record<string, ArrayLike<unknown>>>): Array<Record<string, unknown>> {
  const keys = Object.keys(cols);
  const n = keys.length ? cols[keys[0]].length : 0;
  return Array.from({ length: n }, (_, i) => Object.fromEntries(keys.map((k) => [k, cols[k][i]])));
}

/**
 * Per thinned MMM draw: each channel's new customers over the data (its contribution), the baseline's (the fitted
 * total less the channels'), and per period each channel's contribution and the fitted mean. @internal
 */
function channelCustomerDraws(fit: BayesianFit, maxDraws: number) {
  const { model, unit, T } = fittedModel(fit, undefined);
  const { S, values } = thinnedDraws(fit, maxDraws);
  const cols = Object.fromEntries(model.names.map((nm) => [nm, values(nm)]));
  const C = fit.spec.channels.length;
  const n = unit.length;
  const byChannel = Array.from({ length: C }, () => new Float64Array(S));
  const total = new Float64Array(S);
  const baseline = new Float64Array(S);
  const perPeriod: Float64Array[][] = [];
  const mu: Float64Array[] = [];
  for (let s = 0; s < S; s++) {
    const d = model.evaluate(blockValues(model.density.blocks, cols, s));
    const m = new Float64Array(T);
    for (let i = 0; i < n; i++) m[i % T] += d.mu[i] * unit[i];
    const per = d.contributions.map((x) => {
      const p = new Float64Array(T);
      for (let i = 0; i < n; i++) p[i % T] += x[i] * unit[i];
      return p;
    });
    let media = 0;
    per.forEach((p, c) => {
      const a = p.reduce((u, v) => u + v, 0);
      byChannel[c][s] = a;
      media += a;
    });
    total[s] = m.reduce((u, v) => u + v, 0);
    baseline[s] = total[s] - media;
    perPeriod.push(per);
    mu.push(m);
  }
  return { byChannel, total, baseline, perPeriod, mu };
}

/**
 * Acquisition channel known: per group (each media channel, and the baseline: every other label), BG/NBD and
 * Gamma-Gamma by NUTS on its customers; per draw the value of a new customer over the horizon: the first purchase's
 * mean (drawn from its sampling distribution) plus E[repeat purchases in the horizon] × E[amount]. @internal
 */
function acquisitionValues(
  o: FitCustomerValueOptions,
  cust: Customers,
  names: readonly string[],
  horizonDays: number,
  S: number,
  seed: number,
  rng: Rng,
) {
  const min = o.minCustomers ?? 100;
  const value: Record<string, Float64Array> = {};
  const first: Record<string, Float64Array> = {};
  const fits: NonNullable<CustomerValue['clv']> = {};
  const groupOf = (label: string) => (names.includes(label) ? label : 'baseline');
  const members = new Map<string, Set<string>>();
  cust.ids.forEach((id, k) => {
    const g = groupOf(cust.channel[k]);
    if (!members.has(g)) members.set(g, new Set());
    members.get(g)!.add(id);
  });
  const settings = { chains: o.clv?.chains ?? 4, warmup: o.clv?.warmup ?? 500, draws: o.clv?.draws ?? 500 };
  [...names, 'baseline'].forEach((g, gi) => {
    const ids = members.get(g);
    const count = ids?.size ?? 0;
    if (count < min) {
      if (g === 'baseline' && count === 0) {
        value[g] = new Float64Array(S).fill(Number.NaN);
        first[g] = new Float64Array(S).fill(Number.NaN);
        return;
      }
      throw new InvalidInputError(
        `transactions.${o.acquisitionChannel}`,
        `names ${count} customers for ${g}, fewer than ${min} for a CLV fit`,
        'Lower minCustomers, merge small channels, or leave acquisitionChannel out to value channels from the cohorts.',
      );
    }
    const v = groupValue(cust, ids!, horizonDays, S, { ...settings, seed: seed + gi }, rng);
    fits[g] = { customers: count, params: v.params, passed: v.passed };
    value[g] = v.value;
    first[g] = v.first;
  });
  return { value, first, fits };
}

/**
 * The value of a new customer over the horizon, per draw, from one group's transactions (Bayesian BG/NBD and
 * Gamma-Gamma on its customers): the mean first purchase (drawn from its sampling distribution) plus the expected
 * repeat purchases of a new customer in the horizon times the expected amount p·v/(q − 1). @internal
 */
export function groupValue(
  cust: Customers,
  ids: ReadonlySet<string>,
  horizonDays: number,
  S: number,
  settings: { chains: number; warmup: number; draws: number; seed: number },
  rng: Rng,
): { value: Float64Array; first: Float64Array; repeat: Float64Array; params: Record<string, number>; passed: boolean } {
  const rows = cust.rows.filter((r) => ids.has(r.c as string));
  const summary = summarizeTransactions(rows, {
    customer: 'c',
    date: 'd',
    amount: 'a',
    unit: 'weeks',
    observationEnd: cust.lastDate,
  });
  // customers acquired on the last day have no time to tell anything (T = 0): the fits leave them out
  const seen = Array.from(summary.T, (_, i) => i).filter((i) => summary.T[i] > 0);
  const pick = (a: ArrayLike<number>) => seen.map((i) => a[i]);
  const { seed, ...sampler } = settings;
  const bg = fitBGNBDBayes(
    { frequency: pick(summary.frequency), recency: pick(summary.recency), T: pick(summary.T) },
    { ...sampler, seed: seed + 101 },
  );
  const repeatBuyers = seen.filter((i) => summary.frequency[i] > 0);
  const gg = fitGammaGammaBayes(
    { frequency: repeatBuyers.map((i) => summary.frequency[i]), monetaryValue: repeatBuyers.map((i) => summary.monetaryValue[i]) },
    { ...sampler, seed: seed + 201 },
  );
  const firsts = cust.ids.flatMap((id, k) => (ids.has(id) ? [cust.firstAmount[k]] : []));
  const fm = firsts.reduce((a, b) => a + b, 0) / firsts.length;
  const fse = Math.sqrt(firsts.reduce((a, b) => a + (b - fm) ** 2, 0) / (firsts.length - 1) / firsts.length);
  const weeks = horizonDays / 7;
  const nBg = bg.draws.r.length;
  const nGg = gg.draws.p.length;
  const value = new Float64Array(S);
  const first = new Float64Array(S);
  const repeat = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    const b = Math.floor((s * nBg) / S);
    const q = Math.floor((s * nGg) / S);
    const params = { r: bg.draws.r[b], alpha: bg.draws.alpha[b], a: bg.draws.a[b], b: bg.draws.b[b] };
    const purchases = expectedPurchasesNew({ model: 'bgnbd', params }, weeks);
    const gq = gg.draws.q[q];
    const amount = gq > 1 ? (gg.draws.p[q] * gg.draws.v[q]) / (gq - 1) : Number.NaN;
    first[s] = fm + fse * rng.normal();
    repeat[s] = purchases * amount;
    value[s] = first[s] + repeat[s];
  }
  return { value, first, repeat, params: { ...bg.params, ...gg.params }, passed: bg.diagnostics.passed && gg.diagnostics.passed };
}

/**
 * Acquisition channel unknown: each cohort's mean value is a mixture of the channels' and the baseline's values
 * weighted by the MMM's shares of that period's new customers, so per MMM draw a weighted least squares of the cohorts'
 * values (observed over the whole horizon; weights the cohort sizes) on the shares gives the values, and its sampling
 * error (the larger of the customers' spread within cohorts and the residuals') is drawn around them. The same for
 * first purchases, over all cohorts. Warns when the shares vary too little across cohorts to tell the channels apart. @internal
 */
function cohortValues(
  draws: ReturnType<typeof channelCustomerDraws>,
  cohortValue: number[],
  valueSum: number[],
  firstSum: number[],
  size: number[],
  cust: Customers,
  period: (d: number) => number,
  names: readonly string[],
  rng: Rng,
  warnings: string[],
) {
  const T = size.length;
  const K = names.length + 1;
  const S = draws.total.length;
  // the customers' spread within cohorts: pooled variance of values about their cohort's mean
  const within = (sum: number[], per: (k: number) => number, use: (t: number) => boolean) => {
    let ss = 0;
    let df = 0;
    cust.first.forEach((f, k) => {
      const t = period(f);
      if (!use(t) || size[t] < 2) return;
      ss += (per(k) - sum[t] / size[t]) ** 2;
    });
    for (let t = 0; t < T; t++) if (use(t) && size[t] >= 2) df += size[t] - 1;
    return df > 0 ? ss / df : 0;
  };
  const full = (t: number) => Number.isFinite(cohortValue[t]) && size[t] > 0;
  const any = (t: number) => size[t] > 0;
  const sigmaValue = within(valueSum, (k) => cust.horizonValue[k], full);
  const sigmaFirst = within(firstSum, (k) => cust.firstAmount[k], any);
  const rowsValue = Array.from({ length: T }, (_, t) => t).filter(full);
  const rowsFirst = Array.from({ length: T }, (_, t) => t).filter(any);
  if (rowsValue.length < 2 * K)
    throw new InvalidInputError(
      'horizonMonths',
      `leaves ${rowsValue.length} cohorts observed over the whole horizon, fewer than ${2 * K}`,
      'Use a shorter horizon or longer transaction data, or give acquisitionChannel.',
    );
  const value: Record<string, Float64Array> = Object.fromEntries([...names, 'baseline'].map((g) => [g, new Float64Array(S)]));
  const first: Record<string, Float64Array> = Object.fromEntries([...names, 'baseline'].map((g) => [g, new Float64Array(S)]));
  const conditions = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    // shares of each period's fitted new customers: channels, then the baseline (clipped to [0, 1])
    const share = (t: number) => {
      const m = Math.max(draws.mu[s][t], 1e-12);
      const x = draws.perPeriod[s].map((p) => Math.min(1, Math.max(0, p[t] / m)));
      const media = x.reduce((a, b) => a + b, 0);
      return media > 1 ? [...x.map((v) => v / media), 0] : [...x, 1 - media];
    };
    const a = wlsDraw(rowsValue, share, (t) => valueSum[t] / size[t], size, sigmaValue, K, rng);
    const b = wlsDraw(rowsFirst, share, (t) => firstSum[t] / size[t], size, sigmaFirst, K, rng);
    conditions[s] = a.condition;
    [...names, 'baseline'].forEach((g, k) => {
      value[g][s] = a.coef[k];
      first[g][s] = b.coef[k];
    });
  }
  const condition = [...conditions].sort((x, y) => x - y)[Math.floor(S / 2)];
  if (condition > 1e4)
    warnings.push(
      "The channels' shares of new customers vary too little across cohorts to tell their values apart (median condition " +
        `number ${condition.toExponential(1)}): the values per customer are poorly identified; give acquisitionChannel if it ` +
        'is known.',
    );
  const undefinedBaseline = value.baseline.filter((v) => Number.isNaN(v)).length;
  if (undefinedBaseline > 0)
    warnings.push(
      `In ${undefinedBaseline} of ${S} draws the MMM left the baseline no new customers in any cohort, so the baseline's ` +
        'value is undefined there (those draws are left out of its figures).',
    );
  return { value, first };
}

/**
 * Weighted least squares of y_t on x_t (weights n_t) and one draw of the coefficients from their sampling
 * distribution N(β̂, σ²(XᵀWX)⁻¹), σ² the larger of `sigma2` and the weighted residual variance. @internal
 */
function wlsDraw(
  rows: readonly number[],
  x: (t: number) => number[],
  y: (t: number) => number,
  n: readonly number[],
  sigma2: number,
  K: number,
  rng: Rng,
): { coef: number[]; condition: number } {
  const X = new Matrix(rows.length, K);
  const Y = new Matrix(rows.length, 1);
  const W = rows.map((t) => n[t]);
  rows.forEach((t, i) => {
    const xi = x(t);
    const w = Math.sqrt(W[i]);
    for (let k = 0; k < K; k++) X.set(i, k, xi[k] * w);
    Y.set(i, 0, y(t) * w);
  });
  // a share that is 0 in every cohort (a channel never active, a baseline the MMM left no room) has no value to
  // estimate: it leaves the regression and its value is NaN in this draw
  const full = X.transpose().mmul(X);
  let top = 0;
  for (let k = 0; k < K; k++) top = Math.max(top, full.get(k, k));
  const active = Array.from({ length: K }, (_, k) => k).filter((k) => full.get(k, k) > 1e-12 * top);
  const A = X.subMatrixColumn(active);
  const XtX = A.transpose().mmul(A);
  const beta = solve(XtX, A.transpose().mmul(Y)).getColumn(0);
  const J = active.length;
  let rss = 0;
  rows.forEach((_, i) => {
    let fit = 0;
    for (let k = 0; k < J; k++) fit += A.get(i, k) * beta[k];
    rss += (Y.get(i, 0) - fit) ** 2;
  });
  const s2 = Math.max(sigma2, rss / Math.max(1, rows.length - J));
  const raw = solve(XtX, Matrix.eye(J));
  // symmetric to the last bit, as Cholesky asks
  const chol = new CholeskyDecomposition(raw.add(raw.transpose()).mul(0.5 * s2));
  const L = chol.isPositiveDefinite() ? chol.lowerTriangularMatrix : Matrix.zeros(J, J);
  const z = Array.from({ length: J }, () => rng.normal());
  const coef = new Array<number>(K).fill(Number.NaN);
  active.forEach((k, a) => {
    let e = 0;
    for (let j = 0; j <= a; j++) e += L.get(a, j) * z[j];
    coef[k] = beta[a] + e;
  });
  const svd = new SingularValueDecomposition(XtX, { computeLeftSingularVectors: false, computeRightSingularVectors: false });
  return { coef, condition: svd.condition };
}
