// Simulated data with known parameters: recovery, and predictions against simulated futures.
import { describe, expect, it } from 'vitest';
import { expectedPurchases, expectedPurchasesNew, fitBGNBD, fitMBGNBD, probabilityAlive } from '../src/index.js';
import { simulateBgNbd } from './simulate.js';
import { checkCustomers, distinctValues, groupCustomers, subsampleCustomers } from '../src/data.js';

const truth = { r: 0.6, alpha: 5, a: 0.9, b: 2.5 };
const mean = (x: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
};
const sd = (x: ArrayLike<number>) => {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return Math.sqrt(s / (x.length - 1));
};

for (const modified of [false, true]) {
  const name = modified ? 'MBG/NBD' : 'BG/NBD';
  describe(`${name} on simulated customers`, () => {
    const n = 20_000;
    const sim = simulateBgNbd(n, truth, (i) => 20 + (i % 20), 30, modified, modified ? 11 : 7);
    const fit = (modified ? fitMBGNBD : fitBGNBD)(sim);
    it('recovers the parameters within 3 standard errors', () => {
      expect(fit.converged).toBe(true);
      for (const k of ['r', 'alpha', 'a', 'b'] as const) {
        const z = Math.abs(fit.params[k] - truth[k]) / fit.standardErrors[k];
        expect(z, `${k}: ${fit.params[k]} ± ${fit.standardErrors[k]}, truth ${truth[k]}`).toBeLessThan(3);
      }
    });
    it('mean conditional expectation equals the mean simulated holdout purchases (within 4 standard errors)', () => {
      // E[Y] = E[E[Y | x, tₓ, T]]: with the true parameters the two means differ only by simulation noise
      const e = expectedPurchases({ model: modified ? 'mbgnbd' : 'bgnbd', params: truth }, sim, 30);
      const se = sd(Float64Array.from(sim.holdout, (h, i) => h - e[i])) / Math.sqrt(n);
      expect(Math.abs(mean(e) - mean(sim.holdout))).toBeLessThan(4 * se);
      const alive = probabilityAlive({ model: modified ? 'mbgnbd' : 'bgnbd', params: truth }, sim);
      for (const v of alive) expect(v >= 0 && v <= 1).toBe(true);
    });
    it('the new-customer expectation equals the simulated mean purchases in (0, t]', () => {
      const fresh = simulateBgNbd(n, truth, () => 25, 0, modified, 99);
      const e = expectedPurchasesNew({ model: modified ? 'mbgnbd' : 'bgnbd', params: truth }, 25);
      expect(Math.abs(e - mean(fresh.frequency))).toBeLessThan(4 * (sd(fresh.frequency) / Math.sqrt(n)));
    });
  });
}

describe('large data: the multi-start search on a subsample, polished on all the data', () => {
  it('reaches the same maximum as the search on all the data', { timeout: 120_000 }, () => {
    const sim = simulateBgNbd(
      320_000,
      { r: 0.3, alpha: 5, a: 0.9, b: 2.2 },
      (i) => 20 + (i % 20) + (0.5 * ((i * 7919) % 13)) / 13,
      0,
      false,
      77,
    );
    // more than the 100,000 distinct histories above which the search runs on a subsample
    expect(groupCustomers(checkCustomers(sim)).n).toBeGreaterThan(100_000);
    const fast = fitBGNBD(sim);
    // explicit starts skip the subsample: the plain multi-start search on every customer
    const full = fitBGNBD(sim, {
      starts: [
        [1, 3, 1, 3],
        [0.5, 10, 0.5, 10],
        [0.2, 2, 2, 5],
      ],
    });
    expect(fast.converged).toBe(true);
    expect(Math.abs(fast.logLikelihood - full.logLikelihood)).toBeLessThan(1e-6 * Math.abs(full.logLikelihood));
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(Math.abs(fast.params[k] / full.params[k] - 1), k).toBeLessThan(1e-4);
  });
});

describe('grouping identical histories', () => {
  it('sums the weights of identical (x, tₓ, T) rows, in first-seen order, as a string-keyed grouping does', () => {
    // many repeats, integer and fractional values, −0 beside 0, and rows distinct in one coordinate only
    const n = 20_000;
    const x = new Float64Array(n);
    const tx = new Float64Array(n);
    const T = new Float64Array(n);
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = (i * 7) % 5;
      T[i] = 30 + ((i * 13) % 17) / 4;
      tx[i] = x[i] === 0 ? (i % 2 ? -0 : 0) : Math.min(T[i], ((i * 31) % 23) / 2 + (i % 97 === 0 ? 1e-9 : 0));
      w[i] = 1 + (i % 3);
    }
    const g = groupCustomers({ n, x, tx, T, w, weightSum: w.reduce((a, b) => a + b, 0) });
    const ref = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const key = `${x[i]}|${tx[i] === 0 ? 0 : tx[i]}|${T[i]}`;
      ref.set(key, (ref.get(key) ?? 0) + w[i]);
    }
    expect(g.n).toBe(ref.size);
    expect([...ref.values()]).toEqual(Array.from(g.w));
    expect([...ref.keys()]).toEqual(Array.from({ length: g.n }, (_, k) => `${g.x[k]}|${g.tx[k] === 0 ? 0 : g.tx[k]}|${g.T[k]}`));
  });
  it('indexes distinct frequencies (integers by a table, anything else by a map)', () => {
    expect(distinctValues(Float64Array.of(3, 0, 3, 7, 0))).toEqual({ distinct: [0, 3, 7], index: Int32Array.of(1, 0, 1, 2, 0) });
    expect(distinctValues(Float64Array.of(2.5, 1, 2.5, 2e6))).toEqual({ distinct: [1, 2.5, 2e6], index: Int32Array.of(1, 0, 1, 2) });
  });
});

describe('the subsample behind the multi-start search on large data', () => {
  it('keeps rows that carry many customers whole and thins the rest with their weight scaled', () => {
    // 12 heavy rows (customers without repeats, one per cohort) and 200,000 light ones
    const n = 200_012;
    const x = new Float64Array(n);
    const tx = new Float64Array(n);
    const T = new Float64Array(n);
    const w = new Float64Array(n).fill(1);
    for (let i = 0; i < n; i++) {
      T[i] = 27 + (i % 12);
      if (i < 12) w[i] = 40_000;
      else {
        x[i] = 1 + (i % 5);
        tx[i] = T[i] * ((i * 0.618) % 1) || 0.5;
      }
    }
    const total = w.reduce((a, b) => a + b, 0);
    const s = subsampleCustomers({ n, x, tx, T, w, weightSum: total }, 50_000);
    // k = ⌈200,012 / 50,000⌉ = 5: the 12 heavy rows as they are, then every 5th light row with weight 5
    expect(Array.from(s.w.subarray(0, 12))).toEqual(new Array(12).fill(40_000));
    expect(s.n).toBe(12 + 40_000);
    expect(Array.from(s.w.subarray(12)).every((v) => v === 5)).toBe(true);
    expect(s.weightSum).toBe(total);
  });
});
