// fitCustomerValue on a simulated business with known truth (test/customer-value-data.ts): 104 weeks, three channels
// whose customers differ in purchase rate, dropout and spend, so that ranking channels by first-purchase ROAS differs
// from ranking them by value; with the acquisition channel (CLV models per channel) and without it (the cohorts).
// The true value of a new customer over 12 months is simulated (200,000 customers per channel), independent of the
// BG/NBD formulas the fit uses. Coverage over many seeds is measured by the bench, not asserted on one business here.
import { beforeAll, describe, expect, it } from 'vitest';
import { fitCustomerValue, type CustomerValue, type FitCustomerValueOptions } from '../src/index.js';
import { businessOptions, simulateBusiness, TRUTH, trueValue, type Business } from './customer-value-data.js';

const names = Object.keys(TRUTH);

describe('fitCustomerValue: channels valued by the customers they bring', () => {
  let b: Business;
  let base: FitCustomerValueOptions;
  let truth: Record<string, number>;
  let byAcquisition: CustomerValue;
  let byCohorts: CustomerValue;
  beforeAll(async () => {
    b = simulateBusiness(1);
    truth = Object.fromEntries(names.map((c) => [c, trueValue(TRUTH[c], 365.25)]));
    base = businessOptions(b, 1);
    byAcquisition = await fitCustomerValue({ ...base, acquisitionChannel: 'channel' });
    byCohorts = await fitCustomerValue(base);
  }, 600_000);

  it('counts new customers from first purchases and fits the MMM of them (gate passed)', () => {
    expect(byAcquisition.newCustomers.reduce((a, c) => a + c, 0)).toBe(b.customers);
    expect(byAcquisition.mmm.diagnostics.passed).toBe(true);
    expect(byAcquisition.mmm.spec.channels.map((c) => c.name)).toEqual(names);
    // the baseline's customers are those of the organic label, the channels' those acquired through them
    const acquired = names.reduce((a, c) => a + byAcquisition.channels[c].customers!, 0);
    expect(acquired + byAcquisition.baseline.customers!).toBe(b.customers);
  });

  it("with the acquisition channel: each channel's value per customer holds the simulated truth, and the CLV fits converge", () => {
    for (const c of names) {
      const v = byAcquisition.channels[c].valuePerCustomer;
      expect(v.lower, c).toBeLessThanOrEqual(truth[c]);
      expect(v.upper, c).toBeGreaterThanOrEqual(truth[c]);
      expect(byAcquisition.clv![c].passed).toBe(true);
    }
  });

  it('ranks channels by value differently from first-purchase ROAS, as the business was built (both methods)', () => {
    // tv brings few loyal, high-spending customers, search many one-off buyers: by first-purchase ROAS search is ahead
    // of tv, by LTV-ROAS behind it, in the truth and in both fits
    const trueFirst = Object.fromEntries(
      names.map((c) => [c, (b.incremental[c] * TRUTH[c].p * TRUTH[c].v) / (TRUTH[c].q - 1) / b.spend[c]]),
    );
    const trueLtv = Object.fromEntries(names.map((c) => [c, (b.incremental[c] * truth[c]) / b.spend[c]]));
    expect(trueFirst.search).toBeGreaterThan(trueFirst.tv);
    expect(trueLtv.search).toBeLessThan(trueLtv.tv);
    for (const v of [byAcquisition, byCohorts]) {
      expect(v.channels.search.firstPurchaseRoas.mean, v.method).toBeGreaterThan(v.channels.tv.firstPurchaseRoas.mean);
      expect(v.channels.search.ltvRoas.mean, v.method).toBeLessThan(v.channels.tv.ltvRoas.mean);
    }
  });

  it('holds the true LTV-ROAS in at least 2 of 3 channels with and without the acquisition channel', () => {
    for (const v of [byAcquisition, byCohorts]) {
      const inside = names.filter((c) => {
        const t = (b.incremental[c] * truth[c]) / b.spend[c];
        return v.channels[c].ltvRoas.lower <= t && t <= v.channels[c].ltvRoas.upper;
      });
      expect(inside.length, v.method).toBeGreaterThanOrEqual(2);
    }
    expect(byCohorts.method).toBe('cohorts');
    // cohorts observed over a whole year (365.25 days from their week's last day): the first 51 weeks of 104
    expect(byCohorts.cohorts.value.filter((x) => !Number.isNaN(x)).length).toBe(51);
  });

  it('refuses bad input with typed errors that name the field', { timeout: 120_000 }, async () => {
    const two = [...b.transactions.slice(0, 5), { ...b.transactions[0], channel: b.transactions[0].channel === 'tv' ? 'search' : 'tv' }];
    await expect(fitCustomerValue({ ...base, transactions: two, acquisitionChannel: 'channel' })).rejects.toThrow(
      /who has .* on another row/,
    );
    const early = [{ ...b.transactions[0], date: '2022-06-01' }, ...b.transactions.slice(1)];
    await expect(fitCustomerValue({ ...base, transactions: early })).rejects.toThrow(/before the media data/);
    await expect(fitCustomerValue({ ...base, mmm: { target: 'sales' } as never })).rejects.toThrow(/mmm\.target: is set/);
    await expect(fitCustomerValue({ ...base, horizonMonths: 0 })).rejects.toThrow(/horizonMonths/);
    await expect(fitCustomerValue({ ...base, mmm: { geo: 'region' } })).rejects.toThrow(/mmm\.geo: is set.*national media/);
    await expect(fitCustomerValue({ ...base, horizonMonth: 12 } as never)).rejects.toThrow(/horizonMonth: is not an option/);
    await expect(fitCustomerValue({ ...base, acquisitionChannel: 'channel', minCustomers: 1e6 })).rejects.toThrow(
      /fewer than 1000000 for a CLV fit/,
    );
  });
});
