import type { Objective } from '../src/index.js';

/** The n-dimensional Rosenbrock function Σ 100(x_{i+1} − x_i²)² + (1 − x_i)², minimum 0 at (1, …, 1). */
export function rosenbrock(n: number): Objective {
  return (x, g) => {
    let f = 0;
    g.fill(0);
    for (let i = 0; i < n - 1; i++) {
      const a = x[i + 1] - x[i] * x[i];
      const b = 1 - x[i];
      f += 100 * a * a + b * b;
      g[i] += -400 * x[i] * a - 2 * b;
      g[i + 1] += 200 * a;
    }
    return f;
  };
}
