import { describe, expect, it } from 'vitest';
import { InvalidInputError, NonFiniteError } from '@mmm/core';
import { minimize, type Objective } from '../src/index.js';
import { rosenbrock } from './functions.js';

function expectRel(actual: number, expected: number, tol: number, label: string) {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  expect(err, `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

describe('minimize', () => {
  it('Rosenbrock 2-d from (−1.2, 1): the minimum (1, 1) to 1e-8 relative', () => {
    const r = minimize(rosenbrock(2), [-1.2, 1]);
    expect(r.converged).toBe(true);
    expectRel(r.x[0], 1, 1e-8, 'x0');
    expectRel(r.x[1], 1, 1e-8, 'x1');
    expect(r.value).toBeLessThan(1e-16);
  });

  it('Rosenbrock 100-d from (−1.2, 1, −1.2, 1, …): every coordinate at 1 to 1e-8', () => {
    const x0 = Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : -1.2));
    const r = minimize(rosenbrock(100), x0, { maxIterations: 5000 });
    expect(r.converged, r.reason).toBe(true);
    for (let i = 0; i < 100; i++) expectRel(r.x[i], 1, 1e-8, `x[${i}]`);
  });

  it('a quadratic whose unconstrained minimum lies outside the box: the KKT point, with known active set', () => {
    // f = ½ Σ a_i (x_i − c_i)², box [0, 1]: the solution clamps c to the box
    const a = [1, 10, 0.1, 3, 7];
    const c = [-0.5, 0.3, 2, 1, 0.999];
    const f: Objective = (x, g) => {
      let v = 0;
      for (let i = 0; i < 5; i++) {
        g[i] = a[i] * (x[i] - c[i]);
        v += 0.5 * a[i] * (x[i] - c[i]) ** 2;
      }
      return v;
    };
    const r = minimize(f, [0.5, 0.5, 0.5, 0.5, 0.5], { lower: 0, upper: 1 });
    const expected = c.map((v) => Math.min(1, Math.max(0, v)));
    expect(r.converged).toBe(true);
    r.x.forEach((v, i) => (expected[i] === 0 ? expect(v).toBe(0) : expectRel(v, expected[i], 1e-8, `x[${i}]`)));
  });

  it('a coupled quadratic with one bound active: the solution of the reduced system', () => {
    // f = ½xᵀAx − bᵀx, A = [[4, 1], [1, 3]], b = (1, −5): unconstrained x* = A⁻¹b = (8/11, −21/11); with x₂ ≥ −1
    // the bound is active and x₁ = (1 − 1·(−1))/4 = 0.5
    const f: Objective = (x, g) => {
      g[0] = 4 * x[0] + x[1] - 1;
      g[1] = x[0] + 3 * x[1] + 5;
      return 0.5 * (4 * x[0] * x[0] + 2 * x[0] * x[1] + 3 * x[1] * x[1]) - x[0] + 5 * x[1];
    };
    const r = minimize(f, [0, 0], { lower: [-Infinity, -1] });
    expectRel(r.x[0], 0.5, 1e-8, 'x1');
    expect(r.x[1]).toBe(-1);
    const free = minimize(f, [0, 0]);
    expectRel(free.x[0], 8 / 11, 1e-8, 'x1 free');
    expectRel(free.x[1], -21 / 11, 1e-8, 'x2 free');
  });

  it('the optimum on a bound of a Rosenbrock valley: x ≤ 0.5 gives (0.5, 0.25)', () => {
    const r = minimize(rosenbrock(2), [-1.2, 1], { upper: [0.5, Infinity] });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(0.5);
    expectRel(r.x[1], 0.25, 1e-8, 'x1');
  });

  it('reports its evaluations and does not mutate x0', () => {
    const x0 = Float64Array.from([-1.2, 1]);
    const r = minimize(rosenbrock(2), x0);
    expect(Array.from(x0)).toEqual([-1.2, 1]);
    expect(r.evaluations).toBeGreaterThan(r.iterations);
  });

  it('bad input raises typed errors', () => {
    expect(() => minimize(rosenbrock(2), [])).toThrow(InvalidInputError);
    expect(() => minimize(rosenbrock(2), [0, Number.NaN])).toThrow(/x0\[1\]/);
    expect(() => minimize(rosenbrock(2), [0, 0], { lower: [1, 0], upper: [0, 1] })).toThrow(/lower\[0\]: is 1 > upper\[0\]/);
    expect(() => minimize(() => Number.NaN, [0])).toThrow(NonFiniteError);
    expect(() => minimize(rosenbrock(2), [0, 0], { lower: [0] })).toThrow(/lower: expected length 2/);
  });
});
