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
  for (const k of ['recency', 'T'] as const) if (!c[k] || c[k].length !== n) throw new DimensionMismatchError(`${field}.${k}`, n, c[k]?.length ?? 0);
  if (c.weights && c.weights.length !== n) throw new DimensionMismatchError(`${field}.weights`, n, c.weights.length);
  const x = Float64Array.from(c.frequency);
  const tx = Float64Array.from(c.recency);
  const T = Float64Array.from(c.T);
  const w = c.weights ? Float64Array.from(c.weights) : new Float64Array(n).fill(1);
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    for (const [k, v] of [['frequency', x[i]], ['recency', tx[i]], ['T', T[i]], ['weights', w[i]]] as const) {
      if (!Number.isFinite(v)) throw new NonFiniteError(`${field}.${k}[${i}]`, v);
    }
    if (x[i] < 0 || !Number.isInteger(x[i])) throw new InvalidInputError(`${field}.frequency[${i}]`, `is ${x[i]}`, 'Frequency counts repeat purchases: a whole number ≥ 0.');
    if (!(T[i] > 0)) throw new InvalidInputError(`${field}.T[${i}]`, `is ${T[i]}`, 'T, the time since the first purchase, must be > 0.');
    if (tx[i] < 0 || tx[i] > T[i] * (1 + 1e-12)) throw new InvalidInputError(`${field}.recency[${i}]`, `is ${tx[i]} with T = ${T[i]}`, 'Recency must lie in [0, T].');
    if (x[i] > 0 && !(tx[i] > 0)) throw new InvalidInputError(`${field}.recency[${i}]`, `is 0 with frequency ${x[i]}`, 'A customer with repeat purchases has recency > 0.');
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
  // nested maps with numeric keys (x → T → tₓ → row): no string keys to build for a million customers
  const index = new Map<number, Map<number, Map<number, number>>>();
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < d.n; i++) {
    let byT = index.get(d.x[i]);
    if (!byT) index.set(d.x[i], (byT = new Map()));
    let byTx = byT.get(d.T[i]);
    if (!byTx) byT.set(d.T[i], (byTx = new Map()));
    const k = byTx.get(d.tx[i]);
    if (k === undefined) {
      byTx.set(d.tx[i], x.length);
      x.push(d.x[i]);
      tx.push(d.tx[i]);
      T.push(d.T[i]);
      w.push(d.w[i]);
    } else w[k] += d.w[i];
  }
  return { n: x.length, x: Float64Array.from(x), tx: Float64Array.from(tx), T: Float64Array.from(T), w: Float64Array.from(w), weightSum: d.weightSum };
}

/**
 * Every k-th row with k times its weight (k = ⌈n / size⌉): a weighted subsample whose log-likelihood estimates the
 * full one, for the multi-start search on large data. @internal
 */
export function subsampleCustomers(d: Checked, size: number): Checked {
  const k = Math.ceil(d.n / size);
  const m = Math.ceil(d.n / k);
  const pick = <T extends Float64Array>(a: T) => Float64Array.from({ length: m }, (_, j) => a[j * k]);
  const w = Float64Array.from({ length: m }, (_, j) => d.w[j * k] * k);
  return { n: m, x: pick(d.x), tx: pick(d.tx), T: pick(d.T), w, weightSum: w.reduce((a, b) => a + b, 0) };
}
