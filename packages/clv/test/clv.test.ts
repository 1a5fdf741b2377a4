import { describe, expect, it } from 'vitest';
import {
  calibrationHoldoutTable,
  customerLifetimeValue,
  expectedPurchases,
  fitBGNBD,
  fitGammaGamma,
  fitParetoNBD,
  PERIODS_PER_MONTH,
  probabilityAlive,
  probabilityAliveGrid,
  scoreCustomers,
  summarizeTransactions,
} from '../src/index.js';
import { cdnowFull, cdnowRows } from './cdnow.js';

const data = cdnowFull();
const bg = fitBGNBD(data);
const gg = fitGammaGamma(data);

describe('customerLifetimeValue', () => {
  it('without discounting it telescopes to value × expected purchases over the horizon', () => {
    const values = data.monetaryValue.map((v) => (v > 0 ? v : 10));
    const clv = customerLifetimeValue(bg, values, data, { months: 6, discountRate: 0, periodsPerMonth: 4.345 });
    const e = expectedPurchases(bg, data, 6 * 4.345);
    for (const i of [0, 1, 100, 2000]) expect(clv[i]).toBeCloseTo(values[i] * e[i], 10);
  });
  it('discounting by hand for two months, and the Gamma-Gamma value model', () => {
    const one = { frequency: [data.frequency[0]], recency: [data.recency[0]], T: [data.T[0]], monetaryValue: [data.monetaryValue[0]] };
    const clv = customerLifetimeValue(bg, [50], one, { months: 2, discountRate: 0.1 });
    const e1 = expectedPurchases(bg, one, 4.345)[0];
    const e2 = expectedPurchases(bg, one, 2 * 4.345)[0];
    expect(clv[0]).toBeCloseTo((50 * e1) / 1.1 + (50 * (e2 - e1)) / 1.21, 12);
    const withGg = customerLifetimeValue(bg, gg, data, { months: 12 });
    for (const v of withGg) expect(v).toBeGreaterThanOrEqual(0);
    expect(() => customerLifetimeValue(bg, gg, { frequency: data.frequency, recency: data.recency, T: data.T })).toThrow(/monetaryValue/);
  });
});

describe('grids for charts', () => {
  it('P(alive) is 1 without repeats, and for a given frequency rises with recency', () => {
    const g = probabilityAliveGrid(bg, { maxFrequency: 5, T: 39, steps: 13 });
    expect(g.values[0][0]).toBe(1);
    expect(Number.isNaN(g.values[0][3])).toBe(true);
    for (let r = 2; r < g.recency.length; r++) expect(g.values[3][r]).toBeGreaterThan(g.values[3][r - 1]);
  });
  it('the calibration/holdout table averages actual and predicted holdout purchases by frequency', () => {
    const rows = calibrationHoldoutTable(bg, data, 39);
    expect(rows.reduce((a, r) => a + r.customers, 0)).toBe(2357);
    const actual = rows.reduce((a, r) => a + r.actual * r.customers, 0);
    expect(actual).toBe(1882);
    expect(rows[0].predicted).toBeLessThan(rows[rows.length - 1].predicted);
  });
});

describe('scoreCustomers', () => {
  it('is summarizeTransactions, the purchase model, Gamma-Gamma on repeat customers, P(alive), expected purchases and CLV in one call', () => {
    const rows = cdnowRows();
    const o = { customer: 'customer', date: 'date', amount: 'amount', unit: 'weeks' as const, calibrationEnd: '1997-09-30' };
    const r = scoreCustomers(rows, { ...o, model: 'paretonbd', months: 6, discountRate: 0.02 });
    const s = summarizeTransactions(rows, o);
    const c = { frequency: s.frequency, recency: s.recency, T: s.T, monetaryValue: s.monetaryValue };
    const tx = fitParetoNBD(c);
    const repeat = Array.from(s.frequency.keys()).filter((i) => s.frequency[i] > 0 && s.monetaryValue[i] > 0);
    const gg = fitGammaGamma({ frequency: repeat.map((i) => s.frequency[i]), monetaryValue: repeat.map((i) => s.monetaryValue[i]) });
    expect(r.transactions.params).toEqual(tx.params);
    expect(r.spend.params).toEqual(gg.params);
    expect(r.repeatCustomers).toBe(repeat.length);
    expect(r.horizon).toBe(52);
    expect(Array.from(r.pAlive)).toEqual(Array.from(probabilityAlive(tx, c)));
    expect(Array.from(r.expected)).toEqual(Array.from(expectedPurchases(tx, c, 52)));
    expect(Array.from(r.clv)).toEqual(
      Array.from(customerLifetimeValue(tx, gg, c, { months: 6, discountRate: 0.02, periodsPerMonth: PERIODS_PER_MONTH.weeks })),
    );
  });
  it('refuses transactions too few repeat customers to fit the spend model, and an unknown model', () => {
    const rows = cdnowRows().filter((r) => Number(r.customer) <= 8);
    expect(() => scoreCustomers(rows, { customer: 'customer', date: 'date', amount: 'amount' })).toThrow(
      /transactions: have \d customers with repeat purchases/,
    );
    expect(() => scoreCustomers(cdnowRows(), { customer: 'customer', date: 'date', amount: 'amount', model: 'bgbb' as never })).toThrow(
      /model: got "bgbb"/,
    );
  });
});
