import { describe, expect, it } from 'vitest';
import { Matrix, solve, pseudoInverse } from 'ml-matrix';
import { createRng } from '@mmm/bayes-nuts';
import { elasticNet, lasso, linearRegression, ridge, standardize } from '../src/index.js';
import { elasticNetKkt, randomProblem } from './helpers.js';

/** Ridge (or least squares) with an unpenalised intercept through the full normal equations of [1 X]. */
function normalEquations(X: number[][], y: number[], alpha: number): { w: number[]; b: number } {
  const A = new Matrix(X.map((r) => [1, ...r]));
  const P = Matrix.eye(A.columns).mul(alpha);
  P.set(0, 0, 0);
  const sol = solve(A.transpose().mmul(A).add(P), A.transpose().mmul(Matrix.columnVector(y)));
  const all = sol.getColumn(0);
  return { b: all[0], w: all.slice(1) };
}

/** ½‖y − Xw − b‖²/n·scale + penalty, for brute-force comparisons. */
function ridgeObjective(X: number[][], y: number[], w: ArrayLike<number>, b: number, alpha: number): number {
  let s = 0;
  X.forEach((r, i) => {
    s += (y[i] - b - r.reduce((a, x, j) => a + x * w[j], 0)) ** 2;
  });
  for (let j = 0; j < w.length; j++) s += alpha * w[j] ** 2;
  return s;
}

/**
 * An independent Lasso / Elastic Net: coordinate descent on the data (residual updates, no normal equations), run
 * for a fixed, large number of sweeps.
 */
function naiveElasticNet(X: number[][], y: number[], alpha: number, l1Ratio: number, lb?: number[]): { w: number[]; b: number } {
  const n = X.length;
  const p = X[0].length;
  const xm = Array.from({ length: p }, (_, j) => X.reduce((a, r) => a + r[j], 0) / n);
  const ym = y.reduce((a, v) => a + v, 0) / n;
  const Xc = X.map((r) => r.map((v, j) => v - xm[j]));
  const r = y.map((v) => v - ym);
  const w = new Array(p).fill(0).map((_, j) => (lb ? Math.max(0, lb[j]) : 0));
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) r[i] -= Xc[i][j] * w[j];
  for (let sweep = 0; sweep < 20000; sweep++) {
    for (let j = 0; j < p; j++) {
      let z = 0;
      let rho = 0;
      for (let i = 0; i < n; i++) {
        z += Xc[i][j] ** 2 / n;
        rho += (Xc[i][j] * (r[i] + Xc[i][j] * w[j])) / n;
      }
      const t = alpha * l1Ratio;
      let next = (Math.sign(rho) * Math.max(Math.abs(rho) - t, 0)) / (z + alpha * (1 - l1Ratio));
      if (lb) next = Math.max(lb[j], next);
      for (let i = 0; i < n; i++) r[i] -= Xc[i][j] * (next - w[j]);
      w[j] = next;
    }
  }
  return { w, b: ym - xm.reduce((a, m, j) => a + m * w[j], 0) };
}

describe('ridge and least squares', () => {
  it('equal the normal equations with an unpenalised intercept (random and ill-conditioned designs)', () => {
    for (const [seed, ill] of [
      [1, false],
      [2, false],
      [3, true],
      [4, true],
    ] as const) {
      const { X, y } = randomProblem(seed, 60, 6, ill);
      for (const alpha of [0, 0.01, 1, 100]) {
        const fit = alpha === 0 ? linearRegression(X, y) : ridge(X, y, { alpha });
        const ref = normalEquations(X, y, alpha);
        // the normal equations of an ill-conditioned design lose digits: compare fitted values, which are stable
        const fitted = (w: ArrayLike<number>, b: number) => X.map((r) => b + r.reduce((a, x, j) => a + x * w[j], 0));
        const a = fitted(fit.coefficients, fit.intercept);
        const bRef = fitted(ref.w, ref.b);
        const scale = Math.max(...bRef.map(Math.abs));
        a.forEach((v, i) => expect(Math.abs(v - bRef[i])).toBeLessThan(1e-8 * scale));
        if (!ill) ref.w.forEach((v, j) => expect(fit.coefficients[j]).toBeCloseTo(v, 9));
      }
    }
  });

  it('gives the minimum-norm least-squares solution on collinear columns (as lstsq)', () => {
    const { X, y } = randomProblem(5, 30, 3);
    const Xd = X.map((r) => [...r, r[0] + r[1]]);
    const fit = linearRegression(Xd, y);
    const xm = [0, 1, 2, 3].map((j) => Xd.reduce((a, r) => a + r[j], 0) / Xd.length);
    const ym = y.reduce((a, v) => a + v, 0) / y.length;
    const Xc = new Matrix(Xd.map((r) => r.map((v, j) => v - xm[j])));
    const ref = pseudoInverse(Xc)
      .mmul(Matrix.columnVector(y.map((v) => v - ym)))
      .getColumn(0);
    ref.forEach((v, j) => expect(fit.coefficients[j]).toBeCloseTo(v, 8));
  });

  it('with bounds, equals the best feasible solution over every active set (brute force)', () => {
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      const { X, y } = randomProblem(seed, 40, 5, seed % 2 === 0);
      const lb = [0, 0, -Infinity, 0.2, -0.5];
      for (const alpha of [0, 0.5]) {
        const fit = alpha === 0 ? linearRegression(X, y, { lowerBounds: lb }) : ridge(X, y, { alpha, lowerBounds: lb });
        // every subset of bounded coefficients fixed at its bound, the rest solved freely: keep the feasible best
        let best = Infinity;
        const bounded = [0, 1, 3, 4];
        for (let mask = 0; mask < 1 << bounded.length; mask++) {
          const fixed = new Map(bounded.filter((_, k) => mask & (1 << k)).map((j) => [j, lb[j]]));
          const free = [0, 1, 2, 3, 4].filter((j) => !fixed.has(j));
          const yAdj = y.map((v, i) => v - [...fixed].reduce((a, [j, l]) => a + X[i][j] * l, 0));
          const sub = normalEquations(
            X.map((r) => free.map((j) => r[j])),
            yAdj,
            alpha,
          );
          const w = new Array(5).fill(0);
          fixed.forEach((l, j) => (w[j] = l));
          free.forEach((j, k) => (w[j] = sub.w[k]));
          if (w.some((v, j) => v < lb[j] - 1e-12)) continue;
          best = Math.min(best, ridgeObjective(X, y, w, sub.b, alpha));
        }
        const got = ridgeObjective(X, y, fit.coefficients, fit.intercept, alpha);
        expect(Math.abs(got - best)).toBeLessThan(1e-9 * best);
        fit.coefficients.forEach((v, j) => expect(v).toBeGreaterThanOrEqual(lb[j]));
        expect(fit.kkt).toBeLessThan(1e-8 * Math.max(1, Math.abs(best)));
      }
    }
  });

  it('accepts an ml-matrix Matrix and leaves the input unchanged', () => {
    const { X, y } = randomProblem(6, 20, 3);
    const M = new Matrix(X);
    const copy = M.clone();
    const yCopy = [...y];
    const a = ridge(M, y, { alpha: 2 });
    const b = ridge(X, y, { alpha: 2 });
    expect(Array.from(a.coefficients)).toEqual(Array.from(b.coefficients));
    expect(M.to2DArray()).toEqual(copy.to2DArray());
    expect(y).toEqual(yCopy);
  });

  it('without an intercept fits through the origin', () => {
    const X = [[1], [2], [3], [4]];
    const fit = linearRegression(X, [2.1, 3.9, 6.2, 7.8], { fitIntercept: false });
    expect(fit.intercept).toBe(0);
    // Σxy / Σx² = (2.1 + 7.8 + 18.6 + 31.2) / 30
    expect(fit.coefficients[0]).toBeCloseTo(59.7 / 30, 12);
  });
});

describe('lasso and elastic net', () => {
  const cases = [
    { seed: 21, ill: false, alpha: 0.05, l1Ratio: 1 },
    { seed: 22, ill: false, alpha: 0.3, l1Ratio: 1 },
    { seed: 23, ill: true, alpha: 0.001, l1Ratio: 1 },
    { seed: 24, ill: false, alpha: 0.1, l1Ratio: 0.5 },
    { seed: 25, ill: true, alpha: 0.01, l1Ratio: 0.2 },
    { seed: 26, ill: false, alpha: 1, l1Ratio: 0.9 },
  ];

  it('meets every coefficient’s subgradient condition to 1e-8 (random and ill-conditioned designs)', () => {
    for (const c of cases) {
      const { X, y } = randomProblem(c.seed, 80, 8, c.ill);
      const fit =
        c.l1Ratio === 1
          ? lasso(X, y, { alpha: c.alpha, tol: 1e-12, maxIter: 1000000 })
          : elasticNet(X, y, { alpha: c.alpha, l1Ratio: c.l1Ratio, tol: 1e-12, maxIter: 1000000 });
      expect(elasticNetKkt(X, y, fit.coefficients, fit.intercept, c.alpha, c.l1Ratio)).toBeLessThan(1e-8);
      expect(fit.dualGap).toBeGreaterThanOrEqual(-1e-12);
      // scikit-learn's rule: the gap of the n-scaled objective below tol·‖yc‖², so tol·‖yc‖²/n on this scale
      const ym = y.reduce((a, v) => a + v, 0) / y.length;
      expect(fit.dualGap).toBeLessThan((1e-12 * y.reduce((a, v) => a + (v - ym) ** 2, 0)) / y.length);
    }
  });

  it('agrees with an independent coordinate descent on the data', () => {
    for (const c of cases.filter((k) => !k.ill)) {
      const { X, y } = randomProblem(c.seed, 80, 8);
      const fit = elasticNet(X, y, { alpha: c.alpha, l1Ratio: c.l1Ratio, tol: 1e-12, maxIter: 1000000 });
      const ref = naiveElasticNet(X, y, c.alpha, c.l1Ratio);
      ref.w.forEach((v, j) => expect(Math.abs(fit.coefficients[j] - v)).toBeLessThan(1e-7));
      expect(Math.abs(fit.intercept - ref.b)).toBeLessThan(1e-7);
    }
  });

  it('meets the constrained KKT conditions with positive and general lower bounds', () => {
    for (const c of cases) {
      const { X, y } = randomProblem(c.seed + 100, 60, 6, c.ill);
      const pos = elasticNet(X, y, { alpha: c.alpha, l1Ratio: c.l1Ratio, positive: true, tol: 1e-12, maxIter: 1000000 });
      pos.coefficients.forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
      expect(elasticNetKkt(X, y, pos.coefficients, pos.intercept, c.alpha, c.l1Ratio, new Array(6).fill(0))).toBeLessThan(1e-8);
      const lb = [0, -Infinity, 0.1, -0.2, 0, -Infinity];
      const bounded = elasticNet(X, y, { alpha: c.alpha, l1Ratio: c.l1Ratio, lowerBounds: lb, tol: 1e-12, maxIter: 1000000 });
      bounded.coefficients.forEach((v, j) => expect(v).toBeGreaterThanOrEqual(lb[j]));
      expect(elasticNetKkt(X, y, bounded.coefficients, bounded.intercept, c.alpha, c.l1Ratio, lb)).toBeLessThan(1e-8);
      if (!c.ill) {
        const ref = naiveElasticNet(X, y, c.alpha, c.l1Ratio, lb);
        ref.w.forEach((v, j) => expect(Math.abs(bounded.coefficients[j] - v)).toBeLessThan(1e-7));
      }
    }
  });

  it('zeroes every coefficient at α ≥ max|Xcᵀyc|/n (the path’s start) and warm-starts to the same answer', () => {
    const { X, y } = randomProblem(31, 50, 5);
    const n = X.length;
    const xm = [0, 1, 2, 3, 4].map((j) => X.reduce((a, r) => a + r[j], 0) / n);
    const ym = y.reduce((a, v) => a + v, 0) / n;
    const alphaMax = Math.max(...xm.map((m, j) => Math.abs(X.reduce((a, r, i) => a + (r[j] - m) * (y[i] - ym), 0)) / n));
    expect(Array.from(lasso(X, y, { alpha: alphaMax * 1.0001 }).coefficients).every((v) => v === 0)).toBe(true);
    expect(Array.from(lasso(X, y, { alpha: alphaMax * 0.99 }).coefficients).some((v) => v !== 0)).toBe(true);
    const cold = lasso(X, y, { alpha: 0.05, tol: 1e-12 });
    const warm = lasso(X, y, { alpha: 0.05, tol: 1e-12, start: lasso(X, y, { alpha: 0.1 }).coefficients });
    cold.coefficients.forEach((v, j) => expect(warm.coefficients[j]).toBeCloseTo(v, 9));
    expect(warm.iterations).toBeLessThanOrEqual(cold.iterations);
  });
});

describe('bad input', () => {
  const { X, y } = randomProblem(41, 10, 3);
  it('raises typed errors naming the field', () => {
    const bad = X.map((r) => [...r]);
    bad[3][1] = Number.NaN;
    expect(() => ridge(bad, y)).toThrow(/X\[3\]\[1\]/);
    expect(() => ridge(X, [...y.slice(0, 9), Infinity])).toThrow(/y\[9\]/);
    expect(() => ridge(X, y.slice(0, 5))).toThrow(/y: expected length 10/);
    expect(() => ridge(X, y, { alpha: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER', field: 'alpha' }));
    expect(() => lasso(X, y, { alpha: Number.NaN })).toThrow(expect.objectContaining({ field: 'alpha' }));
    expect(() => elasticNet(X, y, { l1Ratio: 1.5 })).toThrow(expect.objectContaining({ field: 'l1Ratio' }));
    expect(() => elasticNet(X, y, { l1Ratio: -0.1 })).toThrow(expect.objectContaining({ field: 'l1Ratio' }));
    const wide = X.slice(0, 3);
    expect(() => linearRegression(wide, y.slice(0, 3))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field: 'X' }));
    expect(() => ridge(wide, y.slice(0, 3), { alpha: 0 })).toThrow(expect.objectContaining({ field: 'alpha' }));
    expect(ridge(wide, y.slice(0, 3), { alpha: 1 }).coefficients.length).toBe(3);
    expect(() => ridge(X, y, { positive: true, lowerBounds: [0, 0, 0] })).toThrow(expect.objectContaining({ field: 'positive' }));
    expect(() => ridge(X, y, { lowerBounds: [0, 0] })).toThrow(expect.objectContaining({ field: 'lowerBounds' }));
    // stopping at maxIter is not an error: the last iterate, flagged, with its gap (scikit-learn warns)
    const stopped = lasso(X, y, { alpha: 1e-6, tol: 1e-15, maxIter: 1 });
    expect(stopped).toMatchObject({ converged: false, iterations: 1 });
    expect(stopped.dualGap).toBeGreaterThan(0);
    expect(() => ridge([], [])).toThrow(expect.objectContaining({ field: 'X' }));
  });
});

describe('standardisation', () => {
  it('standardize equals StandardScaler, and standardize: true equals fitting the scaled columns and unscaling', () => {
    const { X, y } = randomProblem(51, 40, 4, true);
    const s = standardize(X);
    for (let j = 0; j < 4; j++) {
      const col = s.X.map((r) => r[j]);
      expect(col.reduce((a, v) => a + v, 0) / 40).toBeCloseTo(0, 12);
      expect(col.reduce((a, v) => a + v * v, 0) / 40).toBeCloseTo(1, 12);
    }
    expect(
      standardize([
        [1, 5],
        [3, 5],
      ]),
    ).toEqual({
      X: [
        [-1, 0],
        [1, 0],
      ],
      mean: [2, 5],
      scale: [1, 1],
    });
    const lb = [0, -Infinity, 0, -Infinity];
    for (const [fit, direct] of [
      [ridge(X, y, { alpha: 2, standardize: true, lowerBounds: lb }), ridge(s.X, y, { alpha: 2, lowerBounds: lb })],
      [
        lasso(X, y, { alpha: 0.05, standardize: true, tol: 1e-12, maxIter: 1_000_000 }),
        lasso(s.X, y, { alpha: 0.05, tol: 1e-12, maxIter: 1_000_000 }),
      ],
    ] as const) {
      fit.coefficients.forEach((w, j) => expect(w * s.scale[j]).toBeCloseTo(direct.coefficients[j], 8));
      // the intercepts differ by the centring the scaled design carries: b = b' − Σ w'_j·mean_j/scale_j
      const b = direct.intercept - direct.coefficients.reduce((a, w, j) => a + (w * s.mean[j]) / s.scale[j], 0);
      expect(fit.intercept).toBeCloseTo(b, 8);
    }
  });
});

describe('the descent’s stopping rule', () => {
  /** ‖y − ȳ‖², the scale of the gap rule (tol·‖yc‖² on the n-scaled objective, so dualGap·n < tol·‖yc‖²) */
  const yy = (y: number[]) => {
    const m = y.reduce((a, b) => a + b, 0) / y.length;
    return y.reduce((a, b) => a + (b - m) ** 2, 0);
  };

  it('is one rule: converged exactly when the returned duality gap is under tol·‖yc‖², else stopped at maxIter', () => {
    for (const seed of [1, 2, 3])
      for (const ill of [false, true]) {
        const { X, y } = randomProblem(seed, 60, 6, ill);
        for (const tol of [1e-4, 1e-6, 1e-8, 1e-10])
          for (const maxIter of [1, 3, 10, 100, 10_000]) {
            const fit = elasticNet(X, y, { alpha: 0.01, l1Ratio: 0.7, tol, maxIter });
            const within = fit.dualGap! * X.length < tol * yy(y);
            expect(fit.converged, `seed ${seed} ill ${ill} tol ${tol} maxIter ${maxIter}`).toBe(within);
            if (!fit.converged) expect(fit.iterations).toBe(maxIter);
            else expect(fit.iterations).toBeLessThanOrEqual(maxIter);
          }
      }
  });

  it('finishes a near-collinear design (two columns correlated at 0.999) at tol 1e-10 within the default 1,000 sweeps', () => {
    const rng = createRng(11, 0);
    const n = 120;
    const z = Array.from({ length: n }, () => rng.normal());
    const X = z.map((v) => [v, v + 0.045 * rng.normal(), rng.normal()]);
    const r = correlationOf(
      X.map((row) => row[0]),
      X.map((row) => row[1]),
    );
    expect(r).toBeGreaterThan(0.998);
    const y = X.map((row) => 1 + row[0] + 0.5 * row[1] - row[2] + 0.3 * rng.normal());
    const fit = lasso(X, y, { alpha: 1e-3, tol: 1e-10 });
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(1000);
    // the optimum it claims: the (1/(2n))-scaled objective's KKT conditions hold to the gap's order
    expect(fit.kkt).toBeLessThan(1e-6);
  });
});

/** Pearson correlation of two columns. */
function correlationOf(a: number[], b: number[]): number {
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}
