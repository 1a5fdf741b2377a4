import { expect } from 'vitest';

/** A small seeded generator for test inputs (mulberry32); uniform on [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Central difference (f(θ+h) − f(θ−h)) / 2h with h = 1e-5·max(1, |θ|): truncation error O(h²·f''') ≈ 1e-10 and
 * rounding error O(ε·|f|/h) ≈ 2e-11·|f|, both far below the 1e-6 relative tolerance checked.
 */
export function centralDifference(f: (v: number) => number, v: number): number {
  const h = 1e-5 * Math.max(1, Math.abs(v));
  return (f(v + h) - f(v - h)) / (2 * h);
}

/** |analytic − numeric| ≤ 1e-6·max(|analytic|, |numeric|) + 1e-9 (the floor covers derivatives that are ~0). */
export function expectDerivative(analytic: number, numeric: number, label: string): void {
  const err = Math.abs(analytic - numeric);
  const tol = 1e-6 * Math.max(Math.abs(analytic), Math.abs(numeric)) + 1e-9;
  expect(err, `${label}: analytic ${analytic}, numeric ${numeric}, |diff| ${err}, tol ${tol}`).toBeLessThanOrEqual(tol);
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function randomArray(rand: () => number, n: number, lo = 0, hi = 1): Float64Array {
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * rand());
}
