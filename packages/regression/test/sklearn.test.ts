import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { elasticNet, elasticNetCV, lasso, lassoCV, linearRegression, ridge, ridgeCV, timeSeriesSplit } from '../src/index.js';

// golden values from scikit-learn 1.6.1: test/fixtures/sklearn-golden.py wrote test/fixtures/sklearn-golden.json
const golden = JSON.parse(readFileSync(new URL('./fixtures/sklearn-golden.json', import.meta.url), 'utf8')) as {
  splits: Array<{ n: number; options: Record<string, number>; folds: Array<{ train: number[]; test: number[] }> }>;
  designs: Array<{
    ill: boolean;
    X: number[][];
    y: number[];
    fits: Array<{
      model: string;
      alpha?: number;
      l1Ratio?: number;
      fit_intercept: boolean;
      positive: boolean;
      coef: number[];
      intercept: number;
    }>;
    lassoCV?: { alpha: number; alphas: number[]; meanMse: number[]; coef: number[]; intercept: number };
    elasticNetCV?: { alpha: number; l1Ratio: number; meanMse: number[][]; coef: number[]; intercept: number };
    ridgeCV?: { alphas: number[]; alpha: number; meanMse: number[]; coef: number[]; intercept: number };
  }>;
};

/** The model's objective in scikit-learn's scaling: ridge/linear ‖r‖² + α‖w‖², lasso/elastic net (1/2n)‖r‖² + … */
function objective(
  f: { model: string; alpha?: number; l1Ratio?: number },
  X: number[][],
  y: number[],
  w: ArrayLike<number>,
  b: number,
): number {
  const n = X.length;
  let rr = 0;
  X.forEach((r, i) => (rr += (y[i] - b - r.reduce((a, x, j) => a + x * w[j], 0)) ** 2));
  let l1 = 0;
  let l2 = 0;
  for (let j = 0; j < w.length; j++) {
    l1 += Math.abs(w[j]);
    l2 += w[j] ** 2;
  }
  const a = f.alpha ?? 0;
  if (f.model === 'linear') return rr;
  if (f.model === 'ridge') return rr + a * l2;
  const r = f.model === 'lasso' ? 1 : (f.l1Ratio as number);
  return rr / (2 * n) + a * r * l1 + 0.5 * a * (1 - r) * l2;
}

describe('against scikit-learn 1.6.1', () => {
  it('timeSeriesSplit equals TimeSeriesSplit', () => {
    for (const s of golden.splits) {
      const o = s.options;
      const folds = timeSeriesSplit(s.n, { nSplits: o.n_splits, testSize: o.test_size, gap: o.gap, maxTrainSize: o.max_train_size });
      expect(folds).toEqual(s.folds);
    }
  });

  it('Linear, Ridge, Lasso and Elastic Net reach scikit-learn’s optimum (objective and coefficients)', () => {
    for (const d of golden.designs) {
      // the gap formed from the normal equations has a rounding floor near 1e-11·‖yc‖² on the ill-conditioned design
      const tol = d.ill ? 1e-10 : 1e-12;
      for (const f of d.fits) {
        const opts = { fitIntercept: f.fit_intercept, positive: f.positive };
        const fit =
          f.model === 'linear'
            ? linearRegression(d.X, d.y, opts)
            : f.model === 'ridge'
              ? ridge(d.X, d.y, { ...opts, alpha: f.alpha })
              : f.model === 'lasso'
                ? lasso(d.X, d.y, { ...opts, alpha: f.alpha, tol, maxIter: 1_000_000 })
                : elasticNet(d.X, d.y, { ...opts, alpha: f.alpha, l1Ratio: f.l1Ratio, tol, maxIter: 1_000_000 });
        const ours = objective(f, d.X, d.y, fit.coefficients, fit.intercept);
        const theirs = objective(f, d.X, d.y, f.coef, f.intercept);
        // never worse than scikit-learn (which solves positive ridge by L-BFGS-B, to its own tolerance)
        expect(ours).toBeLessThanOrEqual(theirs * (1 + 1e-10));
        if (!f.positive || f.model !== 'ridge') expect(Math.abs(ours - theirs)).toBeLessThan(1e-9 * theirs);
        if (!d.ill && !(f.positive && f.model === 'ridge')) {
          f.coef.forEach((v, j) => expect(Math.abs(fit.coefficients[j] - v)).toBeLessThan(1e-6 * Math.max(1, Math.abs(v))));
          expect(Math.abs(fit.intercept - f.intercept)).toBeLessThan(1e-6 * Math.max(1, Math.abs(f.intercept)));
        }
      }
    }
  });

  it('LassoCV, ElasticNetCV and RidgeCV choose the same penalty with the same scores', () => {
    const d = golden.designs.find((x) => !x.ill)!;
    const folds = timeSeriesSplit(d.X.length, { nSplits: 5 });
    const l = lassoCV(d.X, d.y, { cv: folds, tol: 1e-10, maxIter: 100_000 });
    const g = d.lassoCV!;
    l.alphas.forEach((a, k) => expect(a).toBeCloseTo(g.alphas[k], 12));
    (l.meanMse as number[]).forEach((m, k) => expect(Math.abs(m - g.meanMse[k])).toBeLessThan(1e-7 * g.meanMse[k]));
    expect(Math.abs(l.alpha - g.alpha)).toBeLessThan(1e-12 * g.alpha);
    g.coef.forEach((v, j) => expect(l.coefficients[j]).toBeCloseTo(v, 7));
    // every fold fit along the path reached its tolerance; with one sweep allowed most stop short and are counted
    expect(l).toMatchObject({ notConverged: 0, converged: true });
    const short = lassoCV(d.X, d.y, { cv: folds, tol: 1e-10, maxIter: 1 });
    expect(short.notConverged).toBeGreaterThan(0);
    expect(short.notConverged).toBeLessThanOrEqual(folds.length * short.alphas.length);
    const e = elasticNetCV(d.X, d.y, { cv: folds, l1Ratio: [0.2, 0.7], tol: 1e-10, maxIter: 100_000 });
    const ge = d.elasticNetCV!;
    expect(e.l1Ratio).toBe(ge.l1Ratio);
    expect(e.alpha).toBeCloseTo(ge.alpha, 12);
    (e.meanMse as number[][]).forEach((row, r) =>
      row.forEach((m, k) => expect(Math.abs(m - ge.meanMse[r][k])).toBeLessThan(1e-7 * ge.meanMse[r][k])),
    );
    ge.coef.forEach((v, j) => expect(e.coefficients[j]).toBeCloseTo(v, 7));
    const r = ridgeCV(d.X, d.y, { alphas: d.ridgeCV!.alphas });
    expect(r.alpha).toBe(d.ridgeCV!.alpha);
    (r.meanMse as number[]).forEach((m, k) => expect(Math.abs(m - d.ridgeCV!.meanMse[k])).toBeLessThan(1e-9 * m));
    d.ridgeCV!.coef.forEach((v, j) => expect(r.coefficients[j]).toBeCloseTo(v, 9));
  });
});
