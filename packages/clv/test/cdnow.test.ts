// The published CDNOW results (Fader, Hardie & Lee 2005; Batislam et al. 2007 as lifetimes reports it).
import { describe, expect, it } from 'vitest';
import { expectedPurchases, fitBGNBD, fitMBGNBD, probabilityAlive, summarizeTransactions } from '../src/index.js';
import { cdnowFull, cdnowHardie, cdnowRows } from './cdnow.js';

const sig4 = (actual: number, expected: number, label: string) =>
  expect(Math.abs(actual - expected) / Math.abs(expected), `${label}: ${actual} vs ${expected}`).toBeLessThan(5e-4);

describe('summarizeTransactions on the raw CDNOW file', () => {
  it('reproduces the published summary: 6,919 rows, 6,696 customer-days, every customer exactly', () => {
    const s = summarizeTransactions(cdnowRows(), {
      customer: 'customer',
      date: 'date',
      amount: 'amount',
      unit: 'weeks',
      calibrationEnd: '1997-09-30',
      observationEnd: '1998-06-30',
    });
    const ref = cdnowFull();
    expect(s.report.rows).toBe(6919);
    expect(s.report.customerDays).toBe(6696);
    expect(s.customer).toHaveLength(2357);
    const order = new Map(s.customer.map((c, i) => [Number(c), i]));
    ref.customer.forEach((id, k) => {
      const i = order.get(Number(id))!;
      expect(s.frequency[i]).toBe(ref.frequency[k]);
      expect(s.holdoutFrequency![i]).toBe(ref.holdoutFrequency[k]);
      expect(Math.abs(s.recency[i] - ref.recency[k])).toBeLessThan(1e-6);
      expect(Math.abs(s.T[i] - ref.T[k])).toBeLessThan(1e-6);
      expect(Math.abs(s.monetaryValue[i] - ref.monetaryValue[k])).toBeLessThan(1e-4);
      expect(s.firstPurchase[i]).toBe(ref.firstPurchase[k]);
    });
    expect(s.frequency.reduce((a, b) => a + b, 0)).toBe(2457);
    expect(s.holdoutFrequency!.reduce((a, b) => a + b, 0)).toBe(1882);
  });
});

describe('BG/NBD on CDNOW', () => {
  const fit = fitBGNBD(cdnowHardie());
  it('r = 0.2426, α = 4.4136, a = 0.7929, b = 2.4259, log-likelihood −9582.4', () => {
    expect(fit.converged).toBe(true);
    sig4(fit.params.r, 0.2426, 'r');
    sig4(fit.params.alpha, 4.4136, 'alpha');
    sig4(fit.params.a, 0.7929, 'a');
    sig4(fit.params.b, 2.4259, 'b');
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
    for (const v of Object.values(fit.standardErrors)) expect(v).toBeGreaterThan(0);
  });
  it("standard errors equal lifetimes' published summary (se(coef) 0.012557, 0.378221, 0.185719, 0.705345) to 1e-4", () => {
    // lifetimes' quickstart, BetaGeoFitter on the same 2,357 customers; its Hessian is numerical too, so 4–5 digits agree
    const published = { r: 0.012557, alpha: 0.378221, a: 0.185719, b: 0.705345 };
    for (const [k, v] of Object.entries(published))
      expect(Math.abs(fit.standardErrors[k as keyof typeof published] / v - 1), k).toBeLessThan(1e-4);
  });
  it('the customer with x = 2, tₓ = 30.43, T = 38.86 expects 1.226 purchases in the next 39 weeks', () => {
    const e = expectedPurchases(fit, { frequency: [2], recency: [30.43], T: [38.86] }, 39);
    expect(e[0]).toBeCloseTo(1.226, 3);
    const alive = probabilityAlive(fit, { frequency: [0, 2], recency: [0, 30.43], T: [38.86, 38.86] });
    expect(alive[0]).toBe(1);
    expect(alive[1]).toBeGreaterThan(0.5);
    expect(alive[1]).toBeLessThan(1);
  });
});

describe('MBG/NBD on CDNOW', () => {
  it('r = 0.525, α = 6.183, a = 0.891, b = 1.614 (3 digits as published)', () => {
    const fit = fitMBGNBD(cdnowHardie());
    expect(fit.converged).toBe(true);
    expect(fit.params.r).toBeCloseTo(0.525, 3);
    expect(fit.params.alpha).toBeCloseTo(6.183, 2);
    expect(fit.params.a).toBeCloseTo(0.891, 3);
    expect(fit.params.b).toBeCloseTo(1.614, 2);
  });
});
