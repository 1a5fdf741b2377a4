import { InvalidInputError, assertFinite } from '@mmm/core';
import { checkCustomers, groupCustomers, type Checked, type CustomerColumns } from './data.js';
import { fitByMaximumLikelihood, type FitOptions, type ModelFit } from './fit-core.js';
import { hyp2f1WithGradient, lgamma, logAddExp, psi } from './special.js';

/** Pareto/NBD parameters (Schmittlein, Morrison & Colombo 1987): λ ~ Gamma(r, α), dropout rate μ ~ Gamma(s, β). */
export type ParetoNbdParams = { r: number; alpha: number; s: number; beta: number };
/** A fitted Pareto/NBD model. */
export type ParetoNbdFit = ModelFit<'paretonbd', keyof ParetoNbdParams>;

/** Per-customer pieces of the likelihood: log ℓ and, optionally, its gradient. @internal */
function customerTerms(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number, g?: Float64Array) {
  // ln ℓ = ln Γ(r+x) − ln Γ(r) + r ln α + s ln β + log(e^B + e^E)
  // B = −(r+x) ln(α+T) − s ln(β+T);  E = ln(s/(r+s+x)) + log(e^{C(tₓ)} − e^{C(T)})
  // C(t) = ln ₂F₁(a, b; a+1; z(t)) − a ln(m+t), a = r+s+x, m = max(α, β) (Fader, Hardie & Lee 2005, note, eq. 22)
  const a = r + s + x;
  const aGeB = alpha >= beta;
  const m = aGeB ? alpha : beta;
  const b = aGeB ? s + 1 : r + x;
  const lT = Math.log(alpha + T);
  const lbT = Math.log(beta + T);
  const B = -(r + x) * lT - s * lbT;
  const C = (t: number) => {
    const z = aGeB ? (alpha - beta) / (alpha + t) : (beta - alpha) / (beta + t);
    const h = hyp2f1WithGradient(a, b, a + 1, z);
    const lm = Math.log(m + t);
    const value = Math.log(h.f) - a * lm;
    if (!g) return { value, d: [0, 0, 0, 0] };
    const dzdAlpha = aGeB ? (beta + t) / ((alpha + t) * (alpha + t)) : -1 / (beta + t);
    const dzdBeta = aGeB ? -1 / (alpha + t) : (alpha + t) / ((beta + t) * (beta + t));
    const dr = (h.da + h.dc + (aGeB ? 0 : h.db)) / h.f - lm;
    const ds = (h.da + h.dc + (aGeB ? h.db : 0)) / h.f - lm;
    const dAlpha = (h.dz / h.f) * dzdAlpha - (aGeB ? a / (alpha + t) : 0);
    const dBeta = (h.dz / h.f) * dzdBeta - (aGeB ? 0 : a / (beta + t));
    return { value, d: [dr, dAlpha, ds, dBeta] };
  };
  const c1 = C(tx);
  const c2 = C(T);
  const q = Math.exp(c2.value - c1.value);
  let E = -Infinity;
  const dE = [0, 0, 0, 0];
  if (q < 1 - 1e-15) {
    E = Math.log(s / a) + c1.value + Math.log1p(-q);
    for (let k = 0; k < 4; k++) dE[k] = (c1.d[k] - q * c2.d[k]) / (1 - q);
    dE[0] += -1 / a;
    dE[2] += 1 / s - 1 / a;
  }
  const G = logAddExp(B, E);
  const ll = lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + s * Math.log(beta) + G;
  if (g) {
    const wB = Math.exp(B - G);
    const wE = 1 - wB;
    const dB = [-lT, -(r + x) / (alpha + T), -lbT, -s / (beta + T)];
    g[0] = psi(r + x) - psi(r) + Math.log(alpha) + wB * dB[0] + wE * dE[0];
    g[1] = r / alpha + wB * dB[1] + wE * dE[1];
    g[2] = Math.log(beta) + wB * dB[2] + wE * dE[2];
    g[3] = s / beta + wB * dB[3] + wE * dE[3];
  }
  return { ll, B, E };
}

function logLikelihood(d: Checked) {
  const gi = new Float64Array(4);
  return (p: Float64Array, grad: Float64Array): number => {
    const [r, alpha, s, beta] = p;
    let ll = 0;
    grad.fill(0);
    for (let i = 0; i < d.n; i++) {
      const w = d.w[i];
      if (w === 0) continue;
      ll += w * customerTerms(r, alpha, s, beta, d.x[i], d.tx[i], d.T[i], gi).ll;
      for (let k = 0; k < 4; k++) grad[k] += w * gi[k];
    }
    return ll;
  };
}

/**
 * Fits the Pareto/NBD model by maximum likelihood; the Gaussian hypergeometric terms are evaluated in log space
 * (their difference by log1p) so that large α or β do not overflow, and the gradient is analytic, through ₂F₁'s
 * derivatives in its parameters.
 */
export function fitParetoNBD(customers: CustomerColumns, options: FitOptions = {}): ParetoNbdFit {
  const d = groupCustomers(checkCustomers(customers));
  return fitByMaximumLikelihood(
    'paretonbd',
    ['r', 'alpha', 's', 'beta'] as const,
    logLikelihood(d),
    [
      [1, 1, 1, 1],
      [0.5, 10, 0.5, 10],
      [0.5, 5, 1, 20],
    ],
    d.weightSum,
    options,
  );
}

/** @internal the log-likelihood of one customer, for tests */
export function paretoNbdCustomerLogLikelihood(p: ParetoNbdParams, x: number, tx: number, T: number, grad?: Float64Array): number {
  return customerTerms(p.r, p.alpha, p.s, p.beta, x, tx, T, grad).ll;
}

function paretoParams(fit: { model: string; params: Record<string, number> }): ParetoNbdParams {
  if (fit.model !== 'paretonbd') throw new InvalidInputError('fit.model', `is "${fit.model}"`, 'Pass a Pareto/NBD fit.');
  const { r, alpha, s, beta } = fit.params;
  for (const [k, v] of Object.entries({ r, alpha, s, beta })) {
    assertFinite(`fit.params.${k}`, v);
    if (!(v > 0)) throw new InvalidInputError(`fit.params.${k}`, `is ${v}`, 'Parameters must be > 0.');
  }
  return { r, alpha, s, beta };
}

/** P(alive) under Pareto/NBD: 1/(1 + e^(E − B)) with B, E the two parts of the likelihood. */
export function paretoNbdProbabilityAlive(
  fit: { model: string; params: Record<string, number> },
  customers: CustomerColumns,
): Float64Array {
  const { r, alpha, s, beta } = paretoParams(fit);
  const d = checkCustomers(customers);
  return Float64Array.from({ length: d.n }, (_, i) => {
    const { B, E } = customerTerms(r, alpha, s, beta, d.x[i], d.tx[i], d.T[i]);
    return 1 / (1 + Math.exp(E - B));
  });
}

/**
 * Expected purchases in the next t periods under Pareto/NBD:
 * (r+x)(β+T)/((α+T)(s−1))·[1 − ((β+T)/(β+T+t))^(s−1)]·P(alive) (Fader, Hardie & Lee 2005, note, eq. 23).
 */
export function paretoNbdExpectedPurchases(
  fit: { model: string; params: Record<string, number> },
  customers: CustomerColumns,
  t: number,
): Float64Array {
  const { r, alpha, s, beta } = paretoParams(fit);
  assertFinite('t', t);
  const d = checkCustomers(customers);
  const alive = paretoNbdProbabilityAlive(fit, customers);
  return Float64Array.from({ length: d.n }, (_, i) => {
    const T = d.T[i];
    const k =
      Math.abs(s - 1) < 1e-10 ? Math.log((beta + T + t) / (beta + T)) : (1 - Math.pow((beta + T) / (beta + T + t), s - 1)) / (s - 1);
    return (((r + d.x[i]) * (beta + T)) / (alpha + T)) * k * alive[i];
  });
}

/**
 * Expected purchases in t periods of a new customer under Pareto/NBD: rβ/(α(s−1))·[1 − (β/(β+t))^(s−1)]
 * (Schmittlein, Morrison & Colombo 1987; BTYD's `pnbd.Expectation`).
 */
export function paretoNbdExpectedPurchasesNew(fit: { model: string; params: Record<string, number> }, t: number): number {
  const { r, alpha, s, beta } = paretoParams(fit);
  assertFinite('t', t);
  if (Math.abs(s - 1) < 1e-10) return ((r * beta) / alpha) * Math.log((beta + t) / beta);
  return ((r * beta) / (alpha * (s - 1))) * (1 - Math.pow(beta / (beta + t), s - 1));
}

/**
 * Probability that a new customer makes exactly n repeat purchases in t periods under Pareto/NBD. With lifetime
 * τ ~ Exp(μ) and purchases Poisson(λ·min(τ, t)):
 * P(X(t) = n) = (β/(β+t))^s·NB_t(n) + ∫₀^t sβ^s/(β+τ)^(s+1)·NB_τ(n) dτ, NB_τ(n) = Γ(r+n)/(Γ(r) n!)(α/(α+τ))^r (τ/(α+τ))^n.
 * The one-dimensional integral of smooth terms is done by composite Simpson's rule (2,000 panels; the checks
 * Σ_n P = 1 and Σ_n n·P = E[X(t)] hold to 1e-9).
 */
export function paretoNbdProbabilityOfPurchases(fit: { model: string; params: Record<string, number> }, n: number, t: number): number {
  const { r, alpha, s, beta } = paretoParams(fit);
  if (!(Number.isInteger(n) && n >= 0)) throw new InvalidInputError('n', `is ${n}`, 'The number of purchases is a whole number ≥ 0.');
  assertFinite('t', t);
  if (!(t > 0)) throw new InvalidInputError('t', `is ${t}`, 'The horizon must be > 0.');
  const c = lgamma(r + n) - lgamma(r) - lgamma(n + 1);
  const nb = (tau: number) =>
    tau === 0 ? (n === 0 ? 1 : 0) : Math.exp(c + r * Math.log(alpha / (alpha + tau)) + n * Math.log(tau / (alpha + tau)));
  const f = (tau: number) => s * Math.exp(s * Math.log(beta) - (s + 1) * Math.log(beta + tau)) * nb(tau);
  const m = 2000;
  const h = t / m;
  let integral = f(0) + f(t);
  for (let k = 1; k < m; k++) integral += (k % 2 === 1 ? 4 : 2) * f(k * h);
  integral *= h / 3;
  return Math.exp(s * Math.log(beta / (beta + t))) * nb(t) + integral;
}
