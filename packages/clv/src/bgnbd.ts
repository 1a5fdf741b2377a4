import { InvalidInputError, assertFinite } from '@mmm/core';
import { checkCustomers, distinctValues, groupCustomers, subsampleCustomers, type Checked, type CustomerColumns } from './data.js';
import { fitByMaximumLikelihood, type FitOptions, type ModelFit } from './fit-core.js';
import { hyp2f1, lbeta, lgamma, psi } from './special.js';

/** BG/NBD parameters (Fader, Hardie & Lee 2005): purchase rate λ ~ Gamma(r, α), dropout p ~ Beta(a, b). */
export type BgNbdParams = { r: number; alpha: number; a: number; b: number };
/** A fitted BG/NBD or MBG/NBD model. */
export type BgNbdFit = ModelFit<'bgnbd' | 'mbgnbd', keyof BgNbdParams>;

const NAMES = ['r', 'alpha', 'a', 'b'] as const;
const STARTS = [
  [1, 1, 1, 1],
  [0.5, 5, 0.8, 2.5],
  [1, 10, 1, 3],
  [0.2, 2, 2, 5],
];

/**
 * The (M)BG/NBD log-likelihood Σ wᵢ·ℓᵢ and its gradient in (r, α, a, b).
 * @remarks
 * BG/NBD: ℓ = ln Γ(r+x) − ln Γ(r) + r ln α + ln[ B(a, b+x)/B(a,b)·(α+T)^−(r+x) + [x>0]·B(a+1, b+x−1)/B(a,b)·(α+tₓ)^−(r+x) ]
 * (Fader, Hardie & Lee 2005, eq. 6). MBG/NBD (Batislam, Denizel & Filiztekin 2007) also lets customers drop out
 * right after their first purchase: B(a, b+x+1) and B(a+1, b+x), for every x.
 * @internal
 */
export function bgnbdLogLikelihood(d: Checked, modified: boolean) {
  // distinct frequencies, for the terms that depend on x alone
  const { distinct, index: xi } = distinctValues(d.x);
  const m = distinct.length;
  const c0 = new Float64Array(m); // ln Γ(r+x) − ln Γ(r) + lnB(a, b+x(+1)) − lnB(a,b)
  const c1 = new Float64Array(m); // lnB(a+1, b+x−1 (or b+x)) − lnB(a, b+x(+1)) (−∞ when the term is absent)
  const dr = new Float64Array(m);
  const da2 = new Float64Array(m);
  const db2 = new Float64Array(m);
  const da3 = new Float64Array(m);
  const db3 = new Float64Array(m);
  const s = modified ? 1 : 0;
  return (p: Float64Array, grad: Float64Array): number => {
    const [r, alpha, a, b] = p;
    const lbAB = lbeta(a, b);
    const psiAB = psi(a + b);
    const psiA = psi(a);
    const psiB = psi(b);
    const lgR = lgamma(r);
    const psiR = psi(r);
    for (let k = 0; k < m; k++) {
      const x = distinct[k];
      const l2 = lbeta(a, b + x + s) - lbAB;
      c0[k] = lgamma(r + x) - lgR + l2;
      c1[k] = x > 0 || modified ? lbeta(a + 1, b + x - 1 + s) - lbAB - l2 : -Infinity;
      dr[k] = psi(r + x) - psiR;
      const psiABX = psi(a + b + x + s);
      da2[k] = psiAB - psiABX;
      db2[k] = psi(b + x + s) - psiABX - psiB + psiAB;
      da3[k] = psi(a + 1) - psiABX - psiA + psiAB;
      db3[k] = x > 0 || modified ? psi(b + x - 1 + s) - psiABX - psiB + psiAB : 0;
    }
    const lnA = Math.log(alpha);
    let ll = 0;
    let gr = 0;
    let gAlpha = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < d.n; i++) {
      const w = d.w[i];
      if (w === 0) continue;
      const k = xi[i];
      const rx = r + d.x[i];
      const lT = Math.log(alpha + d.T[i]);
      const A2 = -rx * lT;
      const hasA3 = c1[k] !== -Infinity;
      const lt = hasA3 ? Math.log(alpha + d.tx[i]) : 0;
      const A3 = hasA3 ? c1[k] - rx * lt : -Infinity;
      // log(e^A2 + e^A3) and the weight of A3 from one exponential
      let lse = A2;
      let w3 = 0;
      if (hasA3) {
        const d23 = A3 - A2;
        if (d23 > 0) {
          const e = Math.exp(-d23);
          lse = A3 + Math.log1p(e);
          w3 = 1 / (1 + e);
        } else {
          const e = Math.exp(d23);
          lse = A2 + Math.log1p(e);
          w3 = e / (1 + e);
        }
      }
      ll += w * (c0[k] + r * lnA + lse);
      const w2 = 1 - w3;
      gr += w * (dr[k] + lnA - w2 * lT - w3 * lt);
      gAlpha += w * (r / alpha - (w2 * rx) / (alpha + d.T[i]) - (hasA3 ? (w3 * rx) / (alpha + d.tx[i]) : 0));
      ga += w * (da2[k] + w3 * (da3[k] - da2[k]));
      gb += w * (db2[k] + w3 * (db3[k] - db2[k]));
    }
    grad[0] = gr;
    grad[1] = gAlpha;
    grad[2] = ga;
    grad[3] = gb;
    return ll;
  };
}

/**
 * Fits the BG/NBD model by maximum likelihood (parameters on the log scale, analytic gradient, several starts).
 * @example
 * const fit = fitBGNBD({ frequency, recency, T }); // fit.params = { r, alpha, a, b }
 */
export function fitBGNBD(customers: CustomerColumns, options: FitOptions = {}): BgNbdFit {
  const d = groupCustomers(checkCustomers(customers));
  return fitByMaximumLikelihood('bgnbd', NAMES, bgnbdLogLikelihood(d, false), STARTS, d.weightSum, options, coarseOf(d, false));
}

/** Fits the MBG/NBD model (Batislam et al. 2007): BG/NBD where customers can also leave right after the first purchase. */
export function fitMBGNBD(customers: CustomerColumns, options: FitOptions = {}): BgNbdFit {
  const d = groupCustomers(checkCustomers(customers));
  return fitByMaximumLikelihood('mbgnbd', NAMES, bgnbdLogLikelihood(d, true), STARTS, d.weightSum, options, coarseOf(d, true));
}

/** A 50,000-row weighted subsample for the multi-start search when the data have more distinct histories. */
function coarseOf(d: Checked, modified: boolean) {
  if (d.n <= 100_000) return undefined;
  const sub = subsampleCustomers(d, 50_000);
  return { logLik: bgnbdLogLikelihood(sub, modified), observations: sub.weightSum };
}

function paramsOf(fit: { model: string; params: Record<string, number> }): BgNbdParams & { modified: boolean } {
  if (fit.model !== 'bgnbd' && fit.model !== 'mbgnbd')
    throw new InvalidInputError('fit.model', `is "${fit.model}"`, 'Pass a BG/NBD or MBG/NBD fit.');
  const { r, alpha, a, b } = fit.params;
  for (const [k, v] of Object.entries({ r, alpha, a, b })) {
    assertFinite(`fit.params.${k}`, v);
    if (!(v > 0)) throw new InvalidInputError(`fit.params.${k}`, `is ${v}`, 'Parameters must be > 0.');
  }
  return { r, alpha, a, b, modified: fit.model === 'mbgnbd' };
}

/**
 * Probability that each customer is still alive at T under BG/NBD or MBG/NBD.
 * @remarks BG/NBD: 1/(1 + [x>0]·a/(b+x−1)·((α+T)/(α+tₓ))^(r+x)); MBG/NBD: 1/(1 + a/(b+x)·((α+T)/(α+tₓ))^(r+x)).
 */
export function bgnbdProbabilityAlive(fit: { model: string; params: Record<string, number> }, customers: CustomerColumns): Float64Array {
  const { r, alpha, a, b, modified } = paramsOf(fit);
  const d = checkCustomers(customers);
  const out = new Float64Array(d.n);
  for (let i = 0; i < d.n; i++) {
    const x = d.x[i];
    if (!modified && x === 0) {
      out[i] = 1;
      continue;
    }
    const ratio = modified ? a / (b + x) : a / (b + x - 1);
    out[i] = 1 / (1 + ratio * Math.exp((r + x) * (Math.log(alpha + d.T[i]) - Math.log(alpha + d.tx[i]))));
  }
  return out;
}

/**
 * Expected purchases of each customer in the next `t` periods, given their history (Fader, Hardie & Lee 2005,
 * eq. 10; for MBG/NBD, Batislam et al. 2007).
 */
export function bgnbdExpectedPurchases(
  fit: { model: string; params: Record<string, number> },
  customers: CustomerColumns,
  t: number,
): Float64Array {
  const { r, alpha, a, b, modified } = paramsOf(fit);
  assertFinite('t', t);
  if (!(t >= 0)) throw new InvalidInputError('t', `is ${t}`, 'The horizon must be ≥ 0.');
  const d = checkCustomers(customers);
  const alive = bgnbdProbabilityAlive(fit, customers);
  const out = new Float64Array(d.n);
  for (let i = 0; i < d.n; i++) {
    const x = d.x[i];
    const T = d.T[i];
    const z = t / (alpha + T + t);
    const pow = Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + T + t)));
    const s = modified ? 1 : 0;
    const first = (a + b + x - 1 + s) / (a - 1);
    const h = hyp2f1(r + x, b + x + s, a + b + x - 1 + s, z);
    out[i] = first * (1 - pow * h) * alive[i];
  }
  return out;
}

/**
 * Expected purchases in `t` periods of a new customer (no history): (a+b−1)/(a−1)·[1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))]
 * for BG/NBD (Fader, Hardie & Lee 2005, eq. 7).
 */
export function bgnbdExpectedPurchasesNew(fit: { model: string; params: Record<string, number> }, t: number): number {
  const { r, alpha, a, b, modified } = paramsOf(fit);
  assertFinite('t', t);
  if (modified) {
    // MBG/NBD: the customer may drop out at time 0 as well: E[X(t)] = b/(a−1)·[1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))]
    return (b / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b + 1, a + b, t / (alpha + t)));
  }
  return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, t / (alpha + t)));
}

/**
 * Probability that a new customer makes exactly n repeat purchases in t periods.
 * @remarks
 * BG/NBD (Fader, Hardie & Lee 2005, eq. 8), where the customer may leave after each repeat purchase:
 * P(X(t) = n) = B(a, b+n)/B(a,b)·NB(n) + [n>0]·B(a+1, b+n−1)/B(a,b)·[1 − Σ_{j<n} NB(j)],
 * with NB(j) = Γ(r+j)/(Γ(r) j!)·(α/(α+t))^r (t/(α+t))^j the purchases of a customer who stays.
 * MBG/NBD (Batislam, Denizel & Filiztekin 2007), where the customer may also leave right after the first purchase:
 * P(X(t) = n) = B(a, b+n+1)/B(a,b)·NB(n) + B(a+1, b+n)/B(a,b)·[1 − Σ_{j<n} NB(j)]
 * (survive n + 1 checks and make exactly n purchases, or make at least n and leave at the (n+1)-th check).
 */
export function bgnbdProbabilityOfPurchases(fit: { model: string; params: Record<string, number> }, n: number, t: number): number {
  const { r, alpha, a, b, modified } = paramsOf(fit);
  if (!(Number.isInteger(n) && n >= 0)) throw new InvalidInputError('n', `is ${n}`, 'The number of purchases is a whole number ≥ 0.');
  assertFinite('t', t);
  if (!(t > 0)) throw new InvalidInputError('t', `is ${t}`, 'The horizon must be > 0.');
  const lbAB = lbeta(a, b);
  const lp = Math.log(alpha / (alpha + t));
  const lq = Math.log(t / (alpha + t));
  // log of the NBD term Γ(r+j)/(Γ(r) j!)·p^r q^j
  const nbd = (j: number) => lgamma(r + j) - lgamma(r) - lgamma(j + 1) + r * lp + j * lq;
  const s = modified ? 1 : 0;
  let prob = Math.exp(lbeta(a, b + n + s) - lbAB + nbd(n));
  if (n > 0 || modified) {
    let cdf = 0;
    for (let j = 0; j < n; j++) cdf += Math.exp(nbd(j));
    prob += Math.exp(lbeta(a + 1, b + n - 1 + s) - lbAB) * (1 - cdf);
  }
  return prob;
}
