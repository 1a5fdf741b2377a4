/** Arithmetic mean. @internal */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Sample variance (n − 1), two-pass. @internal */
export function variance(x: ArrayLike<number>, m = mean(x)): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) * (x[i] - m);
  return s / (x.length - 1);
}

/** Sorted copy. @internal */
export function sorted(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x).sort();
}

/**
 * Quantile of type 7 (R's default, NumPy's `linear`) of already sorted values, in R's arithmetic:
 * index = 1 + (n − 1)p, q = (1 − h)·x_lo + h·x_hi. The library's one quantile: no checks, for hot loops that sort
 * once and read several quantiles.
 * @param s - values sorted ascending
 * @param p - probability in [0, 1]
 * @example
 * quantileSorted([1, 2, 3, 4], 0.5); // 2.5
 */
export function quantileSorted(s: ArrayLike<number>, p: number): number {
  const n = s.length;
  const index = (n - 1) * p; // 0-based
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qs = s[lo];
  if (index > lo && s[hi] !== qs) {
    const h = index - lo;
    return (1 - h) * qs + h * s[hi];
  }
  return qs;
}

/** log Σ exp(x_i), stable. @internal */
export function logSumExp(x: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
  if (m === -Infinity) return -Infinity;
  if (m === Infinity) return Infinity;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.exp(x[i] - m);
  return m + Math.log(s);
}
