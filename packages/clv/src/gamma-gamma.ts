import { DimensionMismatchError, InvalidInputError, NonFiniteError } from '@mmm/core';
import { fitByMaximumLikelihood, type FitOptions, type ModelFit } from './fit-core.js';
import { lgamma, psi } from './special.js';

/** Gamma-Gamma parameters (Fader, Hardie & Lee 2005, "RFM and CLV"): spend per transaction ~ Gamma(p, ν), ν ~ Gamma(q, v). */
export type GammaGammaParams = { p: number; q: number; v: number };
/** A fitted Gamma-Gamma model. */
export type GammaGammaFit = ModelFit<'gammagamma', keyof GammaGammaParams>;

/** Columns for the Gamma-Gamma model: repeat-purchase count and mean repeat-purchase value. */
export interface SpendColumns {
  frequency: ArrayLike<number>;
  monetaryValue: ArrayLike<number>;
  weights?: ArrayLike<number>;
}

function checkSpend(c: SpendColumns, repeatOnly: boolean) {
  const n = c.frequency?.length ?? 0;
  if (n === 0) throw new InvalidInputError('customers.frequency', 'is empty', 'Pass one row per customer.');
  if (!c.monetaryValue || c.monetaryValue.length !== n)
    throw new DimensionMismatchError('customers.monetaryValue', n, c.monetaryValue?.length ?? 0);
  if (c.weights && c.weights.length !== n) throw new DimensionMismatchError('customers.weights', n, c.weights.length);
  const x: number[] = [];
  const z: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = c.frequency[i];
    const zi = c.monetaryValue[i];
    if (!Number.isFinite(xi)) throw new NonFiniteError(`customers.frequency[${i}]`, xi);
    if (!Number.isFinite(zi)) throw new NonFiniteError(`customers.monetaryValue[${i}]`, zi);
    if (xi > 0 && !(zi > 0))
      throw new InvalidInputError(
        `customers.monetaryValue[${i}]`,
        `is ${zi} with ${xi} repeat purchases`,
        'The mean spend of repeat purchases must be > 0.',
      );
    if (repeatOnly && xi === 0) continue;
    x.push(xi);
    z.push(zi);
    w.push(c.weights ? c.weights[i] : 1);
  }
  return { x, z, w };
}

/**
 * The Gamma-Gamma log-likelihood of the repeat customers' mean spends and its gradient in (p, q, v).
 * @internal
 */
export function gammaGammaLogLikelihood(customers: SpendColumns): {
  ll: (par: Float64Array, grad: Float64Array) => number;
  weightSum: number;
  n: number;
} {
  const { x, z, w } = checkSpend(customers, true);
  if (x.length === 0)
    throw new InvalidInputError(
      'customers.frequency',
      'has no repeat customers',
      'Gamma-Gamma is fitted to customers with at least one repeat purchase.',
    );
  const n = x.length;
  const lnZ = z.map(Math.log);
  const lnX = x.map(Math.log);
  const weightSum = w.reduce((a, b) => a + b, 0);
  const ll = (par: Float64Array, grad: Float64Array): number => {
    const [p, q, v] = par;
    const lgq = lgamma(q);
    const psiQ = psi(q);
    const lnV = Math.log(v);
    let s = 0;
    let gp = 0;
    let gq = 0;
    let gv = 0;
    for (let i = 0; i < n; i++) {
      const px = p * x[i];
      const den = v + x[i] * z[i];
      const lnDen = Math.log(den);
      const wi = w[i];
      s += wi * (lgamma(px + q) - lgamma(px) - lgq + q * lnV + (px - 1) * lnZ[i] + px * lnX[i] - (px + q) * lnDen);
      const psiPQ = psi(px + q);
      gp += wi * x[i] * (psiPQ - psi(px) + lnZ[i] + lnX[i] - lnDen);
      gq += wi * (psiPQ - psiQ + lnV - lnDen);
      gv += wi * (q / v - (px + q) / den);
    }
    grad[0] = gp;
    grad[1] = gq;
    grad[2] = gv;
    return s;
  };
  return { ll, weightSum, n };
}

/**
 * Fits the Gamma-Gamma model of mean spend to customers with repeat purchases (those without are skipped).
 * @remarks ℓ = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln z̄ + px ln x − (px+q) ln(v + x z̄).
 */
export function fitGammaGamma(customers: SpendColumns, options: FitOptions = {}): GammaGammaFit {
  const { ll, weightSum } = gammaGammaLogLikelihood(customers);
  return fitByMaximumLikelihood(
    'gammagamma',
    ['p', 'q', 'v'] as const,
    ll,
    [
      [1, 1, 1],
      [5, 3, 15],
      [2, 5, 50],
      [10, 2, 5],
    ],
    weightSum,
    options,
  );
}

/**
 * Expected mean spend per transaction of each customer: p(v + x z̄)/(px + q − 1), and for customers without
 * repeat purchases the population mean pv/(q − 1).
 */
export function expectedAverageValue(fit: { model: string; params: Record<string, number> }, customers: SpendColumns): Float64Array {
  if (fit.model !== 'gammagamma') throw new InvalidInputError('fit.model', `is "${fit.model}"`, 'Pass a Gamma-Gamma fit.');
  const { p, q, v } = fit.params;
  if (!(q > 1)) throw new InvalidInputError('fit.params.q', `is ${q}`, 'The expected value exists only for q > 1.');
  const { x, z } = checkSpend(customers, false);
  return Float64Array.from(x, (xi, i) => (xi > 0 ? (p * (v + xi * z[i])) / (p * xi + q - 1) : (p * v) / (q - 1)));
}
