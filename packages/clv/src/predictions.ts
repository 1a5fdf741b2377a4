// The predictions of the transaction models, by the fit's model: one place that knows which formulas serve which
// model, so every function taking a fit (grids, CLV, DERT, the report) works for BG/NBD, MBG/NBD and Pareto/NBD alike.
import { InvalidInputError } from '@mmm/core';
import { bgnbdExpectedPurchases, bgnbdExpectedPurchasesNew, bgnbdProbabilityAlive, bgnbdProbabilityOfPurchases } from './bgnbd.js';
import type { CustomerColumns } from './data.js';
import {
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesNew,
  paretoNbdProbabilityAlive,
  paretoNbdProbabilityOfPurchases,
} from './pareto-nbd.js';

import type { FitLike as Fit } from './data.js';

interface TransactionModel {
  probabilityAlive(fit: Fit, customers: CustomerColumns): Float64Array;
  expectedPurchases(fit: Fit, customers: CustomerColumns, t: number): Float64Array;
  expectedPurchasesNew(fit: Fit, t: number): number;
  probabilityOfPurchases(fit: Fit, n: number, t: number): number;
}

const bgnbd: TransactionModel = {
  probabilityAlive: bgnbdProbabilityAlive,
  expectedPurchases: bgnbdExpectedPurchases,
  expectedPurchasesNew: bgnbdExpectedPurchasesNew,
  probabilityOfPurchases: bgnbdProbabilityOfPurchases,
};
const models: Record<string, TransactionModel> = {
  bgnbd,
  mbgnbd: bgnbd,
  paretonbd: {
    probabilityAlive: paretoNbdProbabilityAlive,
    expectedPurchases: paretoNbdExpectedPurchases,
    expectedPurchasesNew: paretoNbdExpectedPurchasesNew,
    probabilityOfPurchases: paretoNbdProbabilityOfPurchases,
  },
};

function modelOf(fit: Fit): TransactionModel {
  const m = fit && Object.hasOwn(models, fit.model) ? models[fit.model] : undefined;
  if (!m)
    throw new InvalidInputError('fit.model', `is "${fit?.model}"`, 'Pass a BG/NBD, MBG/NBD or Pareto/NBD fit (or { model, params }).');
  return m;
}

/**
 * Probability that each customer is still alive at T. BG/NBD: 1/(1 + [x>0]·a/(b+x−1)·((α+T)/(α+tₓ))^(r+x));
 * MBG/NBD: 1/(1 + a/(b+x)·((α+T)/(α+tₓ))^(r+x)); Pareto/NBD: {@link paretoNbdProbabilityAlive}.
 */
export function probabilityAlive(fit: Fit, customers: CustomerColumns): Float64Array {
  return modelOf(fit).probabilityAlive(fit, customers);
}

/**
 * Expected purchases of each customer in the next `t` periods given their history (Fader, Hardie & Lee 2005, eq. 10;
 * MBG/NBD, Batislam et al. 2007; Pareto/NBD, {@link paretoNbdExpectedPurchases}).
 */
export function expectedPurchases(fit: Fit, customers: CustomerColumns, t: number): Float64Array {
  return modelOf(fit).expectedPurchases(fit, customers, t);
}

/** Expected purchases in `t` periods of a new customer (Fader, Hardie & Lee 2005, eq. 7; {@link paretoNbdExpectedPurchasesNew}). */
export function expectedPurchasesNew(fit: Fit, t: number): number {
  return modelOf(fit).expectedPurchasesNew(fit, t);
}

/**
 * Probability that a new customer makes exactly n repeat purchases in t periods: BG/NBD (Fader, Hardie & Lee 2005,
 * eq. 8), MBG/NBD (n + 1 dropout checks), Pareto/NBD ({@link paretoNbdProbabilityOfPurchases}).
 */
export function probabilityOfPurchases(fit: Fit, n: number, t: number): number {
  return modelOf(fit).probabilityOfPurchases(fit, n, t);
}
