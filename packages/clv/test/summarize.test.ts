import { describe, expect, it } from 'vitest';
import { fitBGNBD, summarizeTransactions } from '../src/index.js';

// Online Retail style: invoice, quantity, price·quantity as amount, customer, date; "C" invoices are cancellations
const retail = [
  { invoice: '536365', customer: '17850', date: '2010-12-01 08:26', quantity: 6, amount: 15.3 },
  { invoice: '536366', customer: '17850', date: '2010-12-01 09:02', quantity: 2, amount: 11.1 },
  { invoice: 'C536379', customer: '17850', date: '2010-12-03', quantity: -1, amount: 27.5 },
  { invoice: '536380', customer: '17850', date: '2010-12-08', quantity: 4, amount: 20 },
  { invoice: '536381', customer: '13047', date: '2010-12-02', quantity: 3, amount: 9.9 },
  { invoice: '536382', customer: '13047', date: '2010-12-05', quantity: -2, amount: 4 },
  { invoice: '536383', customer: '13047', date: '2010-12-15', quantity: 1, amount: 5 },
  { invoice: '536384', customer: '12583', date: '2010-12-20', quantity: 24, amount: 40 },
];
const opts = { customer: 'customer', date: 'date', amount: 'amount', quantity: 'quantity', invoice: 'invoice', unit: 'days' as const };

describe('summarizeTransactions', () => {
  it('merges same-day purchases, removes cancellations and returns, and counts them', () => {
    const s = summarizeTransactions(retail, { ...opts, observationEnd: '2010-12-31' });
    expect(s.report).toMatchObject({ rows: 8, cancellations: 1, returns: 1, used: 6, customers: 3 });
    const i = s.customer.indexOf('17850');
    // 12-01 (two invoices, one day) and 12-08: one repeat purchase 7 days later worth 20
    expect([s.frequency[i], s.recency[i], s.T[i], s.monetaryValue[i]]).toEqual([1, 7, 30, 20]);
    const j = s.customer.indexOf('12583');
    expect([s.frequency[j], s.recency[j], s.T[j], s.monetaryValue[j]]).toEqual([0, 0, 11, 0]);
  });
  it('splits calibration and holdout; customers first seen after calibration are left out', () => {
    const s = summarizeTransactions(retail, { ...opts, calibrationEnd: '2010-12-10', observationEnd: '2010-12-31' });
    expect(s.customer).toEqual(['17850', '13047']);
    expect(Array.from(s.holdoutFrequency!)).toEqual([0, 1]);
    expect(Array.from(s.holdoutMonetaryValue!)).toEqual([0, 5]);
    expect(Array.from(s.T)).toEqual([9, 8]);
  });
  it('purchases within one week (or month) count once with period "week" (or "month")', () => {
    // 17850 bought on Wed 2010-12-01 and Wed 2010-12-08: two different weeks; 13047 on Thu 12-02 and Wed 12-15
    const weekly = summarizeTransactions(retail, { ...opts, period: 'week', unit: 'weeks', observationEnd: '2010-12-31' });
    const i = weekly.customer.indexOf('17850');
    expect([weekly.frequency[i], weekly.recency[i]]).toEqual([1, 1]);
    const monthly = summarizeTransactions(retail, { ...opts, period: 'month', unit: 'days', observationEnd: '2010-12-31' });
    expect(monthly.frequency[monthly.customer.indexOf('17850')]).toBe(0);
    expect(monthly.frequency[monthly.customer.indexOf('13047')]).toBe(0);
    expect(() => summarizeTransactions(retail, { ...opts, period: 'year' as 'day' })).toThrow(/period/);
  });

  it('months and weeks as units', () => {
    const s = summarizeTransactions(retail, { ...opts, unit: 'weeks', observationEnd: '2010-12-29' });
    expect(s.T[s.customer.indexOf('17850')]).toBeCloseTo(4, 12);
    const m = summarizeTransactions(retail, { ...opts, unit: 'months', observationEnd: '2010-12-31' });
    expect(m.T[m.customer.indexOf('17850')]).toBeCloseTo(30 / (365.25 / 12), 12);
  });
  it('bad input names the row and column', () => {
    expect(() => summarizeTransactions([], opts)).toThrow(/rows: is empty/);
    expect(() => summarizeTransactions(retail, { ...opts, customer: 'CustomerID' })).toThrow(
      /columns\.CustomerID: is not in the rows\. Available columns: invoice, customer/,
    );
    expect(() =>
      summarizeTransactions(
        retail.map((r, k) => (k === 4 ? { ...r, date: '31/12/2010' } : r)),
        opts,
      ),
    ).toThrow(/rows\[4\]\.date: is "31\/12\/2010"/);
    expect(() =>
      summarizeTransactions(
        retail.map((r, k) => (k === 3 ? { ...r, amount: Number.NaN } : r)),
        opts,
      ),
    ).toThrow(/rows\[3\]\.amount/);
    expect(() =>
      summarizeTransactions(
        retail.map((r, k) => (k === 3 ? { ...r, amount: -5 } : r)),
        { ...opts, quantity: undefined, invoice: undefined },
      ),
    ).toThrow(/rows\[3\]\.amount: is -5/);
    expect(() => summarizeTransactions(retail, { ...opts, observationEnd: '2010-11-01' })).toThrow(
      /observationEnd: is before the first purchase/,
    );
    expect(() =>
      summarizeTransactions(
        retail.map((r, k) => (k === 0 ? { ...r, customer: '' } : r)),
        opts,
      ),
    ).toThrow(/rows\[0\]\.customer: is empty/);
  });
  it('model inputs are checked too', () => {
    expect(() => fitBGNBD({ frequency: [1, 2], recency: [3, 50], T: [10, 20] })).toThrow(/recency\[1\]: is 50 with T = 20/);
    expect(() => fitBGNBD({ frequency: [1.5], recency: [3], T: [10] })).toThrow(/frequency\[0\]: is 1\.5/);
    expect(() => fitBGNBD({ frequency: [1, Number.NaN], recency: [3, 1], T: [10, 10] })).toThrow(/frequency\[1\]/);
    expect(() => fitBGNBD({ frequency: [], recency: [], T: [] })).toThrow(/is empty/);
  });
});
