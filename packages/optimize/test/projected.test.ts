import { describe, expect, it } from 'vitest';
import { checkBoxSums, maximizeOnBoxSums, projectBoxSums, type BoxSums } from '../src/index.js';

/** A seeded uniform stream (a linear congruential generator) for reproducible random cases. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (1664525 * s + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('projectBoxSums', () => {
  it('is the Euclidean projection: feasible, and no feasible point of 2,000 random ones is closer', () => {
    const rand = lcg(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 6;
      const lower = Float64Array.from({ length: n }, () => (rand() < 0.3 ? rand() : 0));
      const upper = Float64Array.from(lower, (l) => l + 0.2 + 2 * rand());
      const set: BoxSums = {
        lower,
        upper,
        groups: [
          { cells: [0, 2, 4], total: lower[0] + lower[2] + lower[4] + 0.5 * rand() * (upper[0] - lower[0] + upper[2] - lower[2]) },
          { cells: [1, 3, 5], total: lower[1] + lower[3] + lower[5] + 0.1 },
        ],
      };
      checkBoxSums(set, 'set');
      const v = Float64Array.from({ length: n }, () => 4 * rand() - 1);
      const x = projectBoxSums(set, v, new Float64Array(n));
      const dist = (p: ArrayLike<number>) => Array.from(p).reduce((a, pi, i) => a + (pi - v[i]) ** 2, 0);
      for (const grp of set.groups) {
        const s = Array.from(grp.cells).reduce((a, c) => a + x[c], 0);
        expect(Math.abs(s - grp.total)).toBeLessThan(1e-12);
      }
      for (let i = 0; i < n; i++) {
        expect(x[i]).toBeGreaterThanOrEqual(lower[i]);
        expect(x[i]).toBeLessThanOrEqual(upper[i]);
      }
      // random feasible points: project random points (feasible by construction), then compare distances
      for (let k = 0; k < 100; k++) {
        const q = projectBoxSums(
          set,
          Float64Array.from({ length: n }, () => 6 * rand() - 2),
          new Float64Array(n),
        );
        expect(dist(q)).toBeGreaterThanOrEqual(dist(x) - 1e-12);
      }
    }
  });

  it('refuses totals outside what the bounds allow, and cells in no group', () => {
    const lower = new Float64Array([0, 0]);
    const upper = new Float64Array([1, 1]);
    expect(() => checkBoxSums({ lower, upper, groups: [{ cells: [0, 1], total: 3 }] }, 'options.budget')).toThrow(/options\.budget/);
    expect(() => checkBoxSums({ lower, upper, groups: [{ cells: [0], total: 0.5 }] }, 'set')).toThrow(/cell 1/);
  });
});

describe('maximizeOnBoxSums', () => {
  it('finds the closed-form maximum of a separable concave quadratic on a budget with bounds', () => {
    // f = Σ a_i x_i − x_i²/2 on Σ x = B, 0 ≤ x ≤ u: x_i = clip(a_i − λ, 0, u_i) with λ setting the sum
    const a = [5, 4, 3, 1, 0.5];
    const u = new Float64Array([1.5, 10, 10, 10, 10]);
    const B = 6;
    const set: BoxSums = { lower: new Float64Array(5), upper: u, groups: [{ cells: [0, 1, 2, 3, 4], total: B }] };
    const r = maximizeOnBoxSums(
      (x, g) => {
        let v = 0;
        for (let i = 0; i < 5; i++) {
          v += a[i] * x[i] - 0.5 * x[i] * x[i];
          if (g) g[i] = a[i] - x[i];
        }
        return v;
      },
      [0, 0, 0, 0, 0],
      set,
    );
    // by hand: x0 at its bound 1.5; then (4 − λ) + (3 − λ) = 4.5 → λ = 1.25, x = [1.5, 2.75, 1.75, 0, 0]
    const want = [1.5, 2.75, 1.75, 0, 0];
    for (let i = 0; i < 5; i++) expect(r.x[i]).toBeCloseTo(want[i], 6);
    expect(r.converged).toBe(true);
  });
});
