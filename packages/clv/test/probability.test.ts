import { describe, expect, it } from 'vitest';
import { expectedPurchasesNew, probabilityOfPurchases } from '../src/index.js';
import { simulateBgNbd, simulateParetoNbd } from './simulate.js';

const fits = {
  bgnbd: { model: 'bgnbd', params: { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 } },
  mbgnbd: { model: 'mbgnbd', params: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 } },
  paretonbd: { model: 'paretonbd', params: { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 } },
};

describe('probabilityOfPurchases (new customer)', () => {
  for (const [name, fit] of Object.entries(fits)) {
    it(`${name}: sums to 1 and its mean is the expected number of purchases`, () => {
      let total = 0;
      let mean = 0;
      for (let n = 0; n < 400; n++) {
        const p = probabilityOfPurchases(fit, n, 39);
        expect(p).toBeGreaterThanOrEqual(0);
        total += p;
        mean += n * p;
      }
      expect(total).toBeCloseTo(1, 9);
      expect(mean).toBeCloseTo(expectedPurchasesNew(fit, 39), 7);
    });
  }
  for (const name of ['bgnbd', 'mbgnbd', 'paretonbd'] as const) {
    it(`${name}: matches simulated frequencies within 4 standard errors`, () => {
      const n = 40_000;
      const fit = fits[name];
      const freq =
        name === 'paretonbd'
          ? simulateParetoNbd(n, fits.paretonbd.params, () => 39, 0, 18).frequency
          : simulateBgNbd(n, fits[name].params, () => 39, 0, name === 'mbgnbd', 17).frequency;
      for (const k of [0, 1, 2, 5]) {
        const p = probabilityOfPurchases(fit, k, 39);
        const share = freq.filter((x) => x === k).length / n;
        expect(Math.abs(share - p), `P(X = ${k})`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
      }
    });
  }
  it('rejects a non-integer count, a non-positive horizon and other models', () => {
    expect(() => probabilityOfPurchases(fits.bgnbd, 1.5, 39)).toThrow(/n: is 1\.5/);
    expect(() => probabilityOfPurchases(fits.paretonbd, 1, 0)).toThrow(/t: is 0/);
    expect(() => probabilityOfPurchases({ model: 'gammagamma', params: { p: 1, q: 1, v: 1 } }, 1, 39)).toThrow(/fit\.model/);
  });
});
