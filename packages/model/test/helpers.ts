// Shared by the model tests: a seeded data simulator and the central-difference check of a log density's gradient.
import { expect } from 'vitest';
import type { BlockModel } from '@mmm/bayes-nuts';

/** n periods of seeded spend (30% dark periods), a target and one control. */
export function simulatedRaw(n: number, channels: string[], seed: number) {
  let s = seed;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const spend: Record<string, Float64Array> = {};
  for (const c of channels) spend[c] = Float64Array.from({ length: n }, () => (u() < 0.3 ? 0 : 100 * u()));
  return {
    y: Float64Array.from({ length: n }, () => 1000 + 200 * u()),
    spend,
    controls: { price: Float64Array.from({ length: n }, () => u()) },
  };
}

/** `count` seeded points with coordinates uniform on (−1, 1). */
export function randomPoints(dim: number, count: number, seed: number): Float64Array[] {
  let s = seed;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  return Array.from({ length: count }, () => Float64Array.from({ length: dim }, () => 2 * u() - 1));
}

/** Every coordinate of the analytic gradient against central differences at `theta`. */
export function expectGradient(density: BlockModel, theta: Float64Array) {
  const d = density.dim;
  const grad = new Float64Array(d);
  const lp = density.logDensityGradient(theta, grad);
  expect(Number.isFinite(lp)).toBe(true);
  for (let i = 0; i < d; i++) {
    const h = 1e-5 * Math.max(1, Math.abs(theta[i]));
    const f = (v: number) =>
      density.logDensityGradient(
        Float64Array.from(theta, (t, k) => (k === i ? v : t)),
        new Float64Array(d),
      );
    const num = (f(theta[i] + h) - f(theta[i] - h)) / (2 * h);
    // central differences err by truncation O(h²·f‴) and rounding ≈ ε·|lp|/h; |lp| reaches ~1e5 at these random
    // points, so the rounding floor is 10 × 2.2e-16·|lp|/h (≈ 2e-5 absolute), on top of 1e-6 relative
    const tol = 1e-6 * Math.max(Math.abs(grad[i]), Math.abs(num)) + (10 * Number.EPSILON * Math.max(1, Math.abs(lp))) / h;
    expect(Math.abs(grad[i] - num), `${density.names[i]}: analytic ${grad[i]}, numeric ${num}`).toBeLessThanOrEqual(tol);
  }
}
