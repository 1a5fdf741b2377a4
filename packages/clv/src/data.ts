import { DimensionMismatchError, InvalidInputError, NonFiniteError } from '@mmm/core';

/** Customer columns for the models (as `summarizeTransactions` gives them). */
export interface CustomerColumns {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  /** mean repeat-purchase value (Gamma-Gamma) */
  monetaryValue?: ArrayLike<number>;
  /** number of customers with this row (grouped data); @defaultValue 1 each */
  weights?: ArrayLike<number>;
}

/** Validated columns as Float64Arrays. @internal */
export interface Checked {
  n: number;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  w: Float64Array;
  weightSum: number;
}

/** Checks frequency/recency/T columns: finite, x a whole number ≥ 0, 0 ≤ t_x ≤ T, T > 0, recency 0 when x = 0. @internal */
export function checkCustomers(c: CustomerColumns, field = 'customers'): Checked {
  const n = c.frequency?.length ?? 0;
  if (n === 0) throw new InvalidInputError(`${field}.frequency`, 'is empty', 'Pass one row per customer.');
  for (const k of ['recency', 'T'] as const)
    if (!c[k] || c[k].length !== n) throw new DimensionMismatchError(`${field}.${k}`, n, c[k]?.length ?? 0);
  if (c.weights && c.weights.length !== n) throw new DimensionMismatchError(`${field}.weights`, n, c.weights.length);
  const x = Float64Array.from(c.frequency);
  const tx = Float64Array.from(c.recency);
  const T = Float64Array.from(c.T);
  const w = c.weights ? Float64Array.from(c.weights) : new Float64Array(n).fill(1);
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    for (const [k, v] of [
      ['frequency', x[i]],
      ['recency', tx[i]],
      ['T', T[i]],
      ['weights', w[i]],
    ] as const) {
      if (!Number.isFinite(v)) throw new NonFiniteError(`${field}.${k}[${i}]`, v);
    }
    if (x[i] < 0 || !Number.isInteger(x[i]))
      throw new InvalidInputError(`${field}.frequency[${i}]`, `is ${x[i]}`, 'Frequency counts repeat purchases: a whole number ≥ 0.');
    if (!(T[i] > 0)) throw new InvalidInputError(`${field}.T[${i}]`, `is ${T[i]}`, 'T, the time since the first purchase, must be > 0.');
    if (tx[i] < 0 || tx[i] > T[i] * (1 + 1e-12))
      throw new InvalidInputError(`${field}.recency[${i}]`, `is ${tx[i]} with T = ${T[i]}`, 'Recency must lie in [0, T].');
    if (x[i] > 0 && !(tx[i] > 0))
      throw new InvalidInputError(
        `${field}.recency[${i}]`,
        `is 0 with frequency ${x[i]}`,
        'A customer with repeat purchases has recency > 0.',
      );
    if (w[i] < 0) throw new InvalidInputError(`${field}.weights[${i}]`, `is ${w[i]}`, 'Weights count customers: ≥ 0.');
    weightSum += w[i];
  }
  return { n, x, tx, T, w, weightSum };
}

/**
 * Collapses identical (frequency, recency, T) rows into one with the summed weight: the likelihood is the same and
 * costs one term per distinct history (cohorts share T, and customers without repeats share recency 0).
 * @internal
 */
export function groupCustomers(d: Checked): Checked {
  // an open-addressing hash table on the three values' bits (linear probing, load ≤ 1/2): one pass, no Map and no
  // string keys, so a million distinct histories group in tens of milliseconds; groups keep first-seen order
  const n = d.n;
  let size = 2;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1); // group index per slot
  const gx = new Float64Array(n);
  const gtx = new Float64Array(n);
  const gT = new Float64Array(n);
  const gw = new Float64Array(n);
  const f = new Float64Array(1);
  const bits = new Int32Array(f.buffer);
  const mix = (h: number, v: number) => {
    f[0] = v === 0 ? 0 : v; // −0 and 0 are one key
    h = Math.imul(h ^ bits[0], 0x9e3779b1);
    h = Math.imul(h ^ bits[1], 0x85ebca77);
    return h ^ (h >>> 15);
  };
  let groups = 0;
  for (let i = 0; i < n; i++) {
    const x = d.x[i];
    const tx = d.tx[i];
    const T = d.T[i];
    let h = mix(mix(mix(0x2545f491, x), T), tx) & mask;
    for (;;) {
      const g = slots[h];
      if (g < 0) {
        slots[h] = groups;
        gx[groups] = x;
        gtx[groups] = tx;
        gT[groups] = T;
        gw[groups] = d.w[i];
        groups++;
        break;
      }
      if (gx[g] === x && gT[g] === T && gtx[g] === tx) {
        gw[g] += d.w[i];
        break;
      }
      h = (h + 1) & mask;
    }
  }
  return {
    n: groups,
    x: gx.slice(0, groups),
    tx: gtx.slice(0, groups),
    T: gT.slice(0, groups),
    w: gw.slice(0, groups),
    weightSum: d.weightSum,
  };
}

/**
 * A weighted subsample whose log-likelihood estimates the full one, for the multi-start search on large data: rows
 * that carry at least k customers (k = ⌈n / size⌉; e.g. everyone without repeat purchases in a cohort) are kept as
 * they are, and every k-th of the other rows is kept with k times its weight. @internal
 */
export function subsampleCustomers(d: Checked, size: number): Checked {
  const k = Math.ceil(d.n / size);
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const w: number[] = [];
  let light = 0;
  for (let i = 0; i < d.n; i++) {
    const heavy = d.w[i] >= k;
    if (!heavy && light++ % k !== 0) continue;
    x.push(d.x[i]);
    tx.push(d.tx[i]);
    T.push(d.T[i]);
    w.push(heavy ? d.w[i] : d.w[i] * k);
  }
  const W = Float64Array.from(w);
  return {
    n: W.length,
    x: Float64Array.from(x),
    tx: Float64Array.from(tx),
    T: Float64Array.from(T),
    w: W,
    weightSum: W.reduce((a, b) => a + b, 0),
  };
}

/**
 * The sorted distinct values of `values` and each value's position among them. Frequencies are small integers, so a
 * table indexed by the value does it in one pass; other values go through a Map. @internal
 */
export function distinctValues(values: Float64Array): { distinct: number[]; index: Int32Array } {
  const n = values.length;
  let max = 0;
  let small = true;
  for (let i = 0; i < n && small; i++) {
    const v = values[i];
    if (!(Number.isInteger(v) && v >= 0 && v <= 1e6)) small = false;
    else if (v > max) max = v;
  }
  const index = new Int32Array(n);
  if (small) {
    const slot = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < n; i++) slot[values[i]] = 0;
    const distinct: number[] = [];
    for (let v = 0; v <= max; v++) if (slot[v] === 0) slot[v] = distinct.push(v) - 1;
    for (let i = 0; i < n; i++) index[i] = slot[values[i]];
    return { distinct, index };
  }
  const distinct = [...new Set(values)].sort((u, v) => u - v);
  const at = new Map(distinct.map((v, i) => [v, i]));
  for (let i = 0; i < n; i++) index[i] = at.get(values[i])!;
  return { distinct, index };
}

/** Any fitted model, or parameters given by hand: `{ model: "bgnbd", params: { r, alpha, a, b } }`. */
export type FitLike = { model: string; params: Record<string, number> };
