// A simulated business with known truth for fitCustomerValue: weekly spend on three channels; new customers per week
// from each channel's geometric adstock and Hill curve (Poisson counts) plus an organic baseline; each customer buys by
// BG/NBD (purchase rate ~ Gamma(r, α) per week, dropout after each repeat purchase with p ~ Beta(a, b)) with
// Gamma-Gamma amounts (customer mean rate ν ~ Gamma(q, v), amounts ~ Gamma(pShape, ν)), all parameters by channel,
// chosen so that ranking channels by first-purchase ROAS differs from ranking them by value.
import { createRng, type Rng } from '@mmm/bayes-nuts';
import type { FitCustomerValueOptions } from '../src/index.js';

export interface ChannelTruth {
  /** BG/NBD and Gamma-Gamma parameters of the channel's customers */
  r: number;
  alpha: number;
  a: number;
  b: number;
  p: number;
  q: number;
  v: number;
  /** new customers per week at full saturation, half-saturation (in units of the channel's mean spend), Hill slope, adstock */
  beta: number;
  half: number;
  slope: number;
  decay: number;
}

export const TRUTH: Record<string, ChannelTruth> = {
  // many cheap one-off buyers
  search: { r: 0.4, alpha: 12, a: 0.6, b: 1.2, p: 6, q: 4, v: 15, beta: 60, half: 1, slope: 1.5, decay: 0.2 },
  // a middle channel
  social: { r: 0.6, alpha: 10, a: 0.5, b: 2, p: 6, q: 4, v: 25, beta: 35, half: 1, slope: 1.5, decay: 0.4 },
  // few loyal, high-spending customers
  tv: { r: 1.2, alpha: 8, a: 0.3, b: 3, p: 6, q: 4, v: 45, beta: 22, half: 1, slope: 1.5, decay: 0.6 },
};
export const ORGANIC: ChannelTruth = { r: 0.5, alpha: 10, a: 0.5, b: 1.5, p: 6, q: 4, v: 20, beta: 40, half: 1, slope: 1, decay: 0 };

export function gamma(rng: Rng, shape: number, rate: number): number {
  // Marsaglia and Tsang (2000); shape < 1 by the boost U^(1/shape)
  if (shape < 1) return gamma(rng, shape + 1, rate) * rng.uniform() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = rng.normal();
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = rng.uniform();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

function poisson(rng: Rng, lambda: number): number {
  let k = 0;
  let p = Math.exp(-lambda);
  let s = p;
  const u = rng.uniform();
  while (u > s && k < 10_000) {
    k++;
    p *= lambda / k;
    s += p;
  }
  return k;
}

/** One customer's purchases: days since acquisition (0 first) and amounts, up to `days`. */
export function customerPurchases(rng: Rng, c: ChannelTruth, days: number): { day: number; amount: number }[] {
  const lambda = gamma(rng, c.r, c.alpha);
  const x = gamma(rng, c.a, 1);
  const dropout = x / (x + gamma(rng, c.b, 1));
  const nu = gamma(rng, c.q, c.v);
  const out = [{ day: 0, amount: gamma(rng, c.p, nu) }];
  let week = 0;
  for (;;) {
    week += -Math.log(rng.uniform()) / lambda;
    if (week * 7 >= days) break;
    out.push({ day: Math.floor(week * 7), amount: gamma(rng, c.p, nu) });
    if (rng.uniform() < dropout) break;
  }
  return out;
}

/** The true value of a new customer within `days` of acquisition, first purchase included, by simulation of `n` customers. */
export function trueValue(c: ChannelTruth, days: number, n = 200_000, seed = 99): number {
  const rng = createRng(seed, 3);
  let total = 0;
  for (let i = 0; i < n; i++) for (const p of customerPurchases(rng, c, days)) total += p.amount;
  return total / n;
}

export interface Business {
  media: Array<Record<string, string | number>>;
  transactions: Array<{ customer_id: string; date: string; amount: number; channel: string }>;
  /** true expected new customers per channel over the data */
  incremental: Record<string, number>;
  spend: Record<string, number>;
  customers: number;
}

/** `weeks` weeks of a business from `seed`; spend patterns differ by channel so their shares vary across weeks. */
export function simulateBusiness(seed: number, weeks = 104): Business {
  const rng = createRng(seed, 1);
  const start = Date.UTC(2023, 0, 2);
  const day = 86_400_000;
  const names = Object.keys(TRUTH);
  const spend: Record<string, number[]> = {
    search: Array.from({ length: weeks }, () => 4000 * (0.4 + 1.2 * rng.uniform())),
    social: Array.from({ length: weeks }, (_, t) => (Math.floor(t / 6) % 2 === 0 ? 6000 * (0.5 + rng.uniform()) : 500 * rng.uniform())),
    tv: Array.from({ length: weeks }, (_, t) => (t % 13 < 4 ? 20000 * (0.6 + 0.8 * rng.uniform()) : 0)),
  };
  const media: Business['media'] = [];
  const transactions: Business['transactions'] = [];
  const incremental: Record<string, number> = Object.fromEntries(names.map((c) => [c, 0]));
  let id = 0;
  const end = weeks * 7;
  const adstocked = Object.fromEntries(names.map((c) => [c, 0]));
  const mean = Object.fromEntries(names.map((c) => [c, spend[c].reduce((a, b) => a + b, 0) / spend[c].filter((x) => x > 0).length]));
  const add = (label: string, truth: ChannelTruth, t: number) => {
    const acquired = t * 7 + Math.floor(7 * rng.uniform());
    const cid = `c${++id}`;
    for (const p of customerPurchases(rng, truth, end - acquired))
      transactions.push({
        customer_id: cid,
        date: new Date(start + (acquired + p.day) * day).toISOString().slice(0, 10),
        amount: p.amount,
        channel: label,
      });
  };
  for (let t = 0; t < weeks; t++) {
    media.push({
      week: new Date(start + t * 7 * day).toISOString().slice(0, 10),
      ...Object.fromEntries(names.map((c) => [c, spend[c][t]])),
    });
    for (const c of names) {
      const k = TRUTH[c];
      adstocked[c] = spend[c][t] / mean[c] + k.decay * adstocked[c];
      const x = adstocked[c] ** k.slope;
      const lambda = (k.beta * x) / (x + k.half ** k.slope);
      incremental[c] += lambda;
      const n = poisson(rng, lambda);
      for (let i = 0; i < n; i++) add(c, k, t);
    }
    const n0 = poisson(rng, ORGANIC.beta);
    for (let i = 0; i < n0; i++) add('organic', ORGANIC, t);
  }
  transactions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const totals = Object.fromEntries(names.map((c) => [c, spend[c].reduce((a, b) => a + b, 0)]));
  return { media, transactions, incremental, spend: totals, customers: id };
}

/** fitCustomerValue's options for a simulated business (its columns), without the acquisition channel. */
export function businessOptions(b: Business, seed: number): FitCustomerValueOptions {
  return {
    media: b.media,
    date: 'week',
    channels: Object.keys(TRUTH),
    transactions: b.transactions,
    customer: 'customer_id',
    transactionDate: 'date',
    amount: 'amount',
    seed,
  };
}
