import { describe, expect, it } from 'vitest';
import { expectedPurchasesNew, probabilityOfPurchases } from '../src/index.js';
import { simulateBgNbd } from './simulate.js';

const fit = { model: 'bgnbd', params: { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 } };

describe('probabilityOfPurchases (BG/NBD, new customer)', () => {
  it('sums to 1 and its mean is the expected number of purchases', () => {
    let total = 0;
    let mean = 0;
    for (let n = 0; n < 400; n++) {
      const p = probabilityOfPurchases(fit, n, 39);
      expect(p).toBeGreaterThanOrEqual(0);
      total += p;
      mean += n * p;
    }
    expect(total).toBeCloseTo(1, 10);
    expect(mean).toBeCloseTo(expectedPurchasesNew(fit, 39), 8);
  });
  it('matches simulated frequencies within 4 standard errors', () => {
    const n = 40_000;
    const sim = simulateBgNbd(n, fit.params, () => 39, 0, false, 17);
    for (const k of [0, 1, 2, 5]) {
      const p = probabilityOfPurchases(fit, k, 39);
      const share = sim.frequency.filter((x) => x === k).length / n;
      expect(Math.abs(share - p), `P(X = ${k})`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
  });
  it('rejects a non-integer count and MBG/NBD fits', () => {
    expect(() => probabilityOfPurchases(fit, 1.5, 39)).toThrow(/n: is 1\.5/);
    expect(() => probabilityOfPurchases({ ...fit, model: 'mbgnbd' }, 1, 39)).toThrow(/BG\/NBD/);
  });
});
