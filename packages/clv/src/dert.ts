// Discounted expected residual transactions (DERT): the number of future purchases of each customer, each discounted
// continuously at rate δ per period, over an infinite horizon (Fader, Hardie & Lee 2005, "RFM and CLV: using
// iso-value curves for customer base analysis", eq. 2). Multiplied by the expected margin per purchase it is the
// customer's residual lifetime value. It differs from lifetimes' CLV (`customerLifetimeValue`), which sums monthly
// steps over a finite horizon with discrete discounting.
import gammainc from '@stdlib/math-base-special-gammainc';
import { InvalidInputError, InvalidParameterError } from '@mmm/core';
import { expectedPurchases, probabilityAlive } from './predictions.js';
import { checkCustomers, type CustomerColumns } from './data.js';
import type { FitLike } from './data.js';

/**
 * DERT per customer at continuous discount rate `delta` per time unit (e.g. for 15% a year in weeks,
 * δ = ln(1.15)/52 = 0.00269).
 * @remarks
 * Pareto/NBD, closed form (Fader, Hardie & Lee 2005, eq. 2): given alive, λ ~ Gamma(r + x, α + T) and
 * μ ~ Gamma(s, β + T), and a customer alive with rates (λ, μ) makes λ/(δ + μ) discounted purchases, so
 * DERT = P(alive)·(r + x)/(α + T)·(β + T)^s δ^(s−1) U(s, s; δ(β + T)), with U(s, s; z) = e^z Γ(1 − s, z) (DLMF 13.6.6)
 * for s < 1. Otherwise (s ≥ 1, and BG/NBD and MBG/NBD, whose dropout happens at purchases) by integration by parts,
 * DERT = ∫₀^∞ e^(−u) E[X(u/δ) | history] du, the conditional expectation's closed form integrated by the trapezoid
 * rule in y = ln u (smooth and doubly exponentially decaying: the rule converges geometrically).
 * @param fit - a Pareto/NBD, BG/NBD or MBG/NBD fit (or `{ model, params }`)
 */
export function discountedExpectedTransactions(fit: FitLike, customers: CustomerColumns, delta: number): Float64Array {
  if (!(delta > 0 && Number.isFinite(delta)))
    throw new InvalidParameterError('delta', delta, '(0, ∞): a continuous discount rate per time unit');
  if (fit.model !== 'paretonbd' && fit.model !== 'bgnbd' && fit.model !== 'mbgnbd') {
    throw new InvalidInputError('fit.model', `is "${fit.model}"`, 'DERT needs a Pareto/NBD, BG/NBD or MBG/NBD fit.');
  }
  const c = checkCustomers(customers);
  if (fit.model === 'paretonbd' && fit.params.s < 1) {
    const { r, alpha, s, beta } = fit.params;
    const alive = probabilityAlive(fit, customers);
    return Float64Array.from({ length: c.n }, (_, i) => {
      const z = delta * (beta + c.T[i]);
      // Γ(1 − s, z) unregularised, upper; e^z·Γ(1 − s, z)·(β+T)^s·δ^(s−1) = E[1/(δ + μ)]
      const upper = gammainc(z, 1 - s, false, true);
      const inv = Math.exp(z + s * Math.log(beta + c.T[i]) + (s - 1) * Math.log(delta)) * upper;
      return ((alive[i] * (r + c.x[i])) / (alpha + c.T[i])) * inv;
    });
  }
  return dertByQuadrature(fit, customers, delta, c.n);
}

/** ∫₀^∞ e^(−u) E[X(u/δ)] du by the trapezoid rule in y = ln u. @internal (exported for tests) */
export function dertByQuadrature(fit: FitLike, customers: CustomerColumns, delta: number, n = checkCustomers(customers).n): Float64Array {
  const out = new Float64Array(n);
  const h = 0.05;
  // e^(y − e^y) < 1e-17 outside [−40, 3.7]; E[X(t)] grows at most linearly in t
  for (let y = -40; y <= 3.8; y += h) {
    const u = Math.exp(y);
    const w = h * Math.exp(y - u);
    const e = expectedPurchases(fit, customers, u / delta);
    for (let i = 0; i < n; i++) out[i] += w * e[i];
  }
  return out;
}
