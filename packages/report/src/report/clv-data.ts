// Everything the CLV report shows, computed once as plain JSON; clv-render.ts draws it.
import { InvalidInputError } from '@mmm/core';
import {
  calibrationHoldoutTable,
  expectedPurchasesGrid,
  probabilityAliveGrid,
  type CalibrationHoldoutRow,
  type CustomerColumns,
  type FitLike,
  type FrequencyRecencyGrid,
} from '@mmm/clv';

/** What {@link clvReportData} and `renderCLVReport` report. */
export interface CLVReportInput {
  /** the customers the model was fitted on (calibration period), with `holdoutFrequency` for the holdout check */
  customers: CustomerColumns & { holdoutFrequency?: ArrayLike<number> };
  /** a BG/NBD, MBG/NBD or Pareto/NBD fit (or `{ model, params }`) */
  transactions: FitLike & { logLikelihood?: number; standardErrors?: Record<string, number> };
  /** a Gamma-Gamma fit of spend per transaction */
  spend?: FitLike & { logLikelihood?: number; standardErrors?: Record<string, number> };
  /** per-customer lifetime value (e.g. from customerLifetimeValue) */
  clv?: ArrayLike<number>;
  /** length of the holdout period, for the calibration-vs-holdout check (needs `customers.holdoutFrequency`) */
  holdoutLength?: number;
  /** customer ids, for the table of top customers; @defaultValue the row numbers */
  ids?: ReadonlyArray<string>;
  /** rows of a calibration-vs-holdout table computed elsewhere (used instead of computing one) */
  calibrationHoldout?: ReadonlyArray<CalibrationHoldoutRow>;
}

/** Options of {@link clvReportData} and `renderCLVReport`. */
export interface CLVReportOptions {
  /** @defaultValue 'Customer lifetime value report' */
  title?: string;
  /** the time unit of recency and T, for labels; @defaultValue 'weeks' */
  unit?: string;
  /** horizon of the expected-purchases heatmap, in units; @defaultValue 52 */
  horizon?: number;
  /** currency label of values; @defaultValue '' */
  currency?: string;
}

/** A fitted model's parameters with their standard errors (where known). */
export interface ParameterTable {
  model: string;
  logLikelihood?: number;
  rows: Array<{ name: string; estimate: number; standardError?: number }>;
}

/** What the CLV report shows, as plain data. */
export interface CLVReportData {
  title: string;
  unit: string;
  horizon: number;
  currency: string;
  customers: number;
  /** share of customers with a repeat purchase, and repeat purchases per customer */
  repeatShare: number;
  repeatPerCustomer: number;
  /** the longest observation period T (the heatmaps' customer) */
  maxT: number;
  transactions: ParameterTable;
  spend?: ParameterTable;
  probabilityAlive: FrequencyRecencyGrid;
  expectedPurchases: FrequencyRecencyGrid;
  /** calibration vs holdout rows, and whether the last row collects the higher frequencies */
  holdout?: { rows: CalibrationHoldoutRow[]; lastIsOpen: boolean };
  clv?: {
    total: number;
    mean: number;
    topDecileShare: number;
    top: Array<{ id: string; frequency: number; recency: number; T: number; clv: number }>;
    idsGiven: boolean;
  };
}

const MODEL_NAMES: Record<string, string> = {
  bgnbd: 'BG/NBD',
  mbgnbd: 'MBG/NBD',
  paretonbd: 'Pareto/NBD',
  gammagamma: 'Gamma-Gamma',
  bgbb: 'BG/BB',
};

/** @internal */
function parameterTable(fit: CLVReportInput['transactions']): ParameterTable {
  return {
    model: MODEL_NAMES[fit.model] ?? fit.model,
    ...(fit.logLikelihood !== undefined ? { logLikelihood: fit.logLikelihood } : {}),
    rows: Object.entries(fit.params).map(([name, estimate]) => ({
      name,
      estimate,
      ...(fit.standardErrors?.[name] !== undefined ? { standardError: fit.standardErrors[name] } : {}),
    })),
  };
}

/** The CLV summary and its ten most valuable customers. @internal */
function clvSummary(input: CLVReportInput, n: number): CLVReportData['clv'] {
  const clv = input.clv;
  if (!clv) return undefined;
  if (clv.length !== n) throw new InvalidInputError('clv', `has ${clv.length} values for ${n} customers`, 'Give one CLV per customer.');
  let total = 0;
  for (let i = 0; i < n; i++) total += clv[i];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => clv[b] - clv[a]);
  const c = input.customers;
  return {
    total,
    mean: total / n,
    topDecileShare: order.slice(0, Math.ceil(n / 10)).reduce((a, i) => a + clv[i], 0) / total,
    top: order
      .slice(0, 10)
      .map((i) => ({ id: input.ids?.[i] ?? String(i), frequency: c.frequency[i], recency: c.recency[i], T: c.T[i], clv: clv[i] })),
    idsGiven: input.ids !== undefined,
  };
}

/**
 * Everything `renderCLVReport` shows, as plain JSON: the customer base in figures, parameter tables, the P(alive) and
 * expected-purchases grids, calibration vs holdout, and the CLV distribution's summary and top customers.
 */
export function clvReportData(input: CLVReportInput, options: CLVReportOptions = {}): CLVReportData {
  const { customers, transactions } = input;
  if (!customers || !transactions)
    throw new InvalidInputError(
      customers ? 'transactions' : 'customers',
      'is missing',
      'Pass { customers, transactions } (and optionally spend, clv, holdoutLength).',
    );
  const horizon = options.horizon ?? 52;
  const n = customers.frequency.length;
  let maxT = 0;
  let maxX = 0;
  let repeat = 0;
  let sumX = 0;
  for (let i = 0; i < n; i++) {
    maxT = Math.max(maxT, customers.T[i]);
    maxX = Math.max(maxX, customers.frequency[i]);
    sumX += customers.frequency[i];
    if (customers.frequency[i] > 0) repeat++;
  }
  const grid = { maxFrequency: Math.min(maxX, 30), T: maxT };
  const holdout =
    input.calibrationHoldout ??
    (customers.holdoutFrequency && input.holdoutLength !== undefined
      ? calibrationHoldoutTable(transactions, { ...customers, holdoutFrequency: customers.holdoutFrequency }, input.holdoutLength)
      : undefined);
  const clv = clvSummary(input, n);
  return {
    title: options.title ?? 'Customer lifetime value report',
    unit: options.unit ?? 'weeks',
    horizon,
    currency: options.currency ?? '',
    customers: n,
    repeatShare: repeat / n,
    repeatPerCustomer: sumX / n,
    maxT,
    transactions: parameterTable(transactions),
    ...(input.spend ? { spend: parameterTable(input.spend) } : {}),
    probabilityAlive: probabilityAliveGrid(transactions, grid),
    expectedPurchases: expectedPurchasesGrid(transactions, horizon, grid),
    ...(holdout?.length ? { holdout: { rows: [...holdout], lastIsOpen: !input.calibrationHoldout } } : {}),
    ...(clv ? { clv } : {}),
  };
}
