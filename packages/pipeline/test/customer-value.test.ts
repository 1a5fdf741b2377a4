// fitCustomerValue on a simulated business with known truth (test/customer-value-data.ts): 104 weeks, three channels
// whose customers differ in purchase rate, dropout and spend, so that ranking channels by first-purchase ROAS differs
// from ranking them by value; with the acquisition channel (CLV models per channel) and without it (the cohorts).
// The true value of a new customer over 12 months is simulated (200,000 customers per channel), independent of the
// BG/NBD formulas the fit uses. Coverage over many seeds is measured by the bench, not asserted on one business here.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitCustomerValue, type CustomerValue, type FitCustomerValueOptions } from '../src/index.js';
import { groupValue, readCustomers } from '../src/customer-value.js';
import { createRng } from '@mmm/bayes-nuts';
import { customerLifetimeValue, fitBGNBD, fitGammaGamma, summarizeTransactions } from '@mmm/clv';
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

describe('the value of a new customer on CDNOW (one acquisition cohort, no media)', () => {
  it("equals the CLV package's own figure: the mean first purchase plus a new customer's 12-month value", () => {
    // the raw CDNOW sample (2,357 customers, first purchases in the first quarter of 1997, observed to June 1998)
    const text = readFileSync(new URL('../../clv/test/fixtures/CDNOW_sample.txt', import.meta.url), 'utf8');
    const transactions = text
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const [, customer, d, , amount] = l.trim().split(/\s+/);
        return { customer, date: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`, amount: Number(amount) };
      });
    const options = { transactions, customer: 'customer', transactionDate: 'date', amount: 'amount' } as unknown as FitCustomerValueOptions;
    const horizonDays = 365.25;
    const cust = readCustomers(options, horizonDays, -Infinity, Infinity);
    expect(cust.ids).toHaveLength(2357);
    const S = 4000;
    const v = groupValue(cust, new Set(cust.ids), horizonDays, S, { chains: 4, warmup: 500, draws: 500, seed: 1 }, createRng(1, 7));
    expect(v.passed).toBe(true);
    // the CLV package's own figure from its maximum-likelihood fits of the same customers, for a customer just acquired
    // (no repeat purchase, observed for an instant), over the same horizon, undiscounted
    const summary = summarizeTransactions(
      transactions.map((t) => ({ c: t.customer, d: Date.parse(t.date), a: t.amount })),
      { customer: 'c', date: 'd', amount: 'a', unit: 'weeks', observationEnd: cust.lastDate },
    );
    const seen = Array.from(summary.T, (_, i) => i).filter((i) => summary.T[i] > 0);
    const bg = fitBGNBD({
      frequency: seen.map((i) => summary.frequency[i]),
      recency: seen.map((i) => summary.recency[i]),
      T: seen.map((i) => summary.T[i]),
    });
    const repeat = seen.filter((i) => summary.frequency[i] > 0);
    const gg = fitGammaGamma({
      frequency: repeat.map((i) => summary.frequency[i]),
      monetaryValue: repeat.map((i) => summary.monetaryValue[i]),
    });
    const weeks = horizonDays / 7;
    const clv = customerLifetimeValue(
      bg,
      gg,
      { frequency: [0], recency: [0], T: [1e-9], monetaryValue: [0] },
      { months: 12, discountRate: 0, periodsPerMonth: weeks / 12 },
    )[0];
    // the posterior mean against the maximum-likelihood plug-in: they differ by O(sd/√n) for n customers, far inside a
    // quarter of the posterior sd; the Monte Carlo error of the mean is about sd/√ESS
    const mean = v.repeat.reduce((a, b) => a + b, 0) / S;
    const sd = Math.sqrt(v.repeat.reduce((a, b) => a + (b - mean) ** 2, 0) / (S - 1));
    expect(Math.abs(mean - clv), `posterior ${mean} ± ${sd}, CLV package ${clv}`).toBeLessThan(0.25 * sd);
    // the first purchase: the data's mean first-purchase amount, drawn with its standard error
    const firsts = cust.firstAmount;
    const fm = firsts.reduce((a, b) => a + b, 0) / firsts.length;
    const firstMean = v.first.reduce((a, b) => a + b, 0) / S;
    const fse = Math.sqrt(firsts.reduce((a, b) => a + (b - fm) ** 2, 0) / (firsts.length - 1) / firsts.length);
    expect(Math.abs(firstMean - fm)).toBeLessThan((4 * fse) / Math.sqrt(S));
    // the value of a new customer is their sum, draw by draw
    for (let s = 0; s < S; s += 397) expect(v.value[s]).toBeCloseTo(v.first[s] + v.repeat[s], 10);
  }, 120_000);
});
