// From transactions to a score per customer in one call: the RFM summary, a purchase model (BG/NBD or Pareto/NBD),
// Gamma-Gamma on the repeat customers' spend, P(alive), expected purchases over a horizon and discounted CLV. What
// the CLI's `mmm clv`, the planner and the CDNOW example all do.
import { InvalidInputError, InvalidParameterError, ANY, checkOptions, optionKeys } from '@mmm/core';
import { fitBGNBD, type BgNbdFit } from './bgnbd.js';
import { PERIODS_PER_MONTH, customerLifetimeValue } from './clv.js';
import { fitGammaGamma, type GammaGammaFit } from './gamma-gamma.js';
import { fitParetoNBD, type ParetoNbdFit } from './pareto-nbd.js';
import { expectedPurchases, probabilityAlive } from './predictions.js';
import { SUMMARIZE_OPTION_KEYS, summarizeTransactions, type CustomerSummary, type SummarizeOptions } from './summarize.js';

const PERIODS_PER_YEAR = { days: 365, weeks: 52, months: 12 } as const;

/** Options of {@link scoreCustomers}: the summary's, and the models'. */
export interface ScoreCustomersOptions extends SummarizeOptions {
  /** @defaultValue 'bgnbd' */
  model?: 'bgnbd' | 'paretonbd';
  /** CLV horizon in months; @defaultValue 12 */
  months?: number;
  /** monthly discount rate; @defaultValue 0.01 */
  discountRate?: number;
  /** horizon of `expected`, in `unit`s; @defaultValue one year (365 days, 52 weeks, 12 months) */
  horizon?: number;
}

/** What {@link scoreCustomers} returns: the summary, the fits, and per customer (in the summary's order) the scores. */
export interface CustomerScores {
  summary: CustomerSummary;
  transactions: BgNbdFit | ParetoNbdFit;
  spend: GammaGammaFit;
  /** customers with repeat purchases and positive spend (Gamma-Gamma's data) */
  repeatCustomers: number;
  pAlive: Float64Array;
  /** expected purchases over `horizon` units */
  expected: Float64Array;
  horizon: number;
  clv: Float64Array;
}

/** Transactions to per-customer P(alive), expected purchases and CLV, with the fitted models. */
export function scoreCustomers(rows: ReadonlyArray<Readonly<Record<string, unknown>>>, options: ScoreCustomersOptions): CustomerScores {
  checkOptions(
    options,
    optionKeys<ScoreCustomersOptions>({ ...SUMMARIZE_OPTION_KEYS, model: ANY, months: ANY, discountRate: ANY, horizon: ANY }),
    'options',
  );
  const model = options.model ?? 'bgnbd';
  if (model !== 'bgnbd' && model !== 'paretonbd') throw new InvalidParameterError('model', model, "'bgnbd' or 'paretonbd'");
  const unit = options.unit ?? 'days';
  const { model: _m, months: _n, discountRate: _d, horizon: _h, ...summarize } = options;
  const summary = summarizeTransactions(rows, summarize);
  const customers = { frequency: summary.frequency, recency: summary.recency, T: summary.T, monetaryValue: summary.monetaryValue };
  const transactions = model === 'bgnbd' ? fitBGNBD(customers) : fitParetoNBD(customers);
  const repeat = Array.from(summary.frequency.keys()).filter((i) => summary.frequency[i] > 0 && summary.monetaryValue[i] > 0);
  if (repeat.length < 10)
    throw new InvalidInputError(
      'transactions',
      `have ${repeat.length} customers with repeat purchases and positive amounts`,
      'The spend model (Gamma-Gamma) needs at least 10: pass a longer history or more customers.',
    );
  const spend = fitGammaGamma({
    frequency: repeat.map((i) => summary.frequency[i]),
    monetaryValue: repeat.map((i) => summary.monetaryValue[i]),
  });
  const horizon = options.horizon ?? PERIODS_PER_YEAR[unit];
  return {
    summary,
    transactions,
    spend,
    repeatCustomers: repeat.length,
    pAlive: probabilityAlive(transactions, customers),
    expected: expectedPurchases(transactions, customers, horizon),
    horizon,
    clv: customerLifetimeValue(transactions, spend, customers, {
      months: options.months,
      discountRate: options.discountRate,
      periodsPerMonth: PERIODS_PER_MONTH[unit],
    }),
  };
}
