// DERT: the Pareto/NBD closed form against the quadrature of the conditional expectation, and both models against
// simulated customers with known parameters, where the true discounted future purchases of each customer given its
// rates and whether it is alive at T are known exactly (λ/(δ + μ) for Pareto/NBD; λ/(δ + pλ) for BG/NBD, since after
// each purchase the customer leaves with probability p): E[DERT(history)] equals their mean (law of total expectation).
import { describe, expect, it } from 'vitest';
import { discountedExpectedTransactions, fitParetoNBD } from '../src/index.js';
import { dertByQuadrature } from '../src/dert.js';
import { simulateBgNbd, simulateParetoNbd } from './simulate.js';
import { cdnowHardie } from './cdnow.js';

const delta = Math.log(1.15) / 52; // 15% a year, continuous, per week

function paired(d: Float64Array, v: Float64Array) {
  const n = d.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += d[i] - v[i];
  m /= n;
  let s2 = 0;
  for (let i = 0; i < n; i++) s2 += (d[i] - v[i] - m) ** 2;
  return { meanDiff: m, se: Math.sqrt(s2 / (n - 1) / n) };
}

describe('discountedExpectedTransactions', () => {
  it('Pareto/NBD on CDNOW: the closed form equals the quadrature of E[X(t) | history]', () => {
    const data = cdnowHardie();
    const fit = fitParetoNBD(data);
    const sub = { frequency: data.frequency.slice(0, 300), recency: data.recency.slice(0, 300), T: data.T.slice(0, 300) };
    const closed = discountedExpectedTransactions(fit, sub, delta);
    const quad = dertByQuadrature(fit, sub, delta);
    for (let i = 0; i < 300; i++) expect(Math.abs(closed[i] / quad[i] - 1), `customer ${i}`).toBeLessThan(1e-6);
    // a customer with more and more recent purchases is worth more
    const d = discountedExpectedTransactions(
      fit,
      { frequency: [0, 2, 2, 10], recency: [0, 10, 30, 37], T: [38.86, 38.86, 38.86, 38.86] },
      delta,
    );
    expect(d[1]).toBeLessThan(d[2]);
    expect(d[2]).toBeLessThan(d[3]);
  });

  it('Pareto/NBD: matches simulated customers (20,000, known parameters)', () => {
    const p = { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 };
    const sim = simulateParetoNbd(20_000, p, () => 39, 0, 31);
    const truth = Float64Array.from(sim.rate, (lambda, i) => (sim.aliveAtT[i] ? lambda / (delta + sim.death[i]) : 0));
    const dert = discountedExpectedTransactions({ model: 'paretonbd', params: p }, sim, delta);
    const { meanDiff, se } = paired(dert, truth);
    expect(Math.abs(meanDiff), `mean DERT − truth ${meanDiff}, se ${se}`).toBeLessThan(4 * se);
  });

  it('BG/NBD: matches simulated customers (4,000, known parameters)', () => {
    const p = { r: 0.25, alpha: 4.4, a: 0.8, b: 2.4 };
    const sim = simulateBgNbd(4000, p, () => 39, 0, false, 32);
    const truth = Float64Array.from(sim.rate, (lambda, i) => (sim.aliveAtT[i] ? lambda / (delta + sim.dropout[i] * lambda) : 0));
    const dert = discountedExpectedTransactions({ model: 'bgnbd', params: p }, sim, delta);
    const { meanDiff, se } = paired(dert, truth);
    expect(Math.abs(meanDiff), `mean DERT − truth ${meanDiff}, se ${se}`).toBeLessThan(4 * se);
    // about 3 s alone (simulating 4,000 histories, then each customer's DERT); a loaded 2-core machine took 5.5 s
  }, 30_000);

  it('refuses a bad rate or model', () => {
    const c = { frequency: [1], recency: [2], T: [5] };
    expect(() => discountedExpectedTransactions({ model: 'bgnbd', params: { r: 1, alpha: 1, a: 1, b: 1 } }, c, 0)).toThrow(/delta/);
    expect(() => discountedExpectedTransactions({ model: 'gammagamma', params: { p: 1, q: 1, v: 1 } }, c, 0.01)).toThrow(/fit\.model/);
  });
});
