import { describe, expect, it } from 'vitest';
import { sample } from '@mmm/bayes-nuts';
import { conditionalLaplaceVariances, laplaceVariances } from '../src/laplace.js';

describe('conditionalLaplaceVariances', () => {
  it('holds the given coordinates fixed: the others get the conditional variances of a Gaussian, 1/P_ii for one free coordinate', () => {
    // Σ = [[4, 1.2], [1.2, 1]]: with x₂ held, x₁'s conditional variance is 4 − 1.2²/1 = 2.56 (wherever x₂ is held)
    const P = [1 / 2.56, -1.2 / 2.56, -1.2 / 2.56, 4 / 2.56];
    const target = {
      dim: 2,
      logDensityGradient(x: Float64Array, g: Float64Array) {
        g[0] = -(P[0] * x[0] + P[1] * x[1]);
        g[1] = -(P[2] * x[0] + P[3] * x[1]);
        return 0.5 * (x[0] * g[0] + x[1] * g[1]);
      },
    };
    const r = conditionalLaplaceVariances(target, { indices: [1], values: [3], variance: 0.1 })!;
    expect(r.variances[0]).toBeCloseTo(2.56, 6);
    expect(r.variances[1]).toBe(0.1);
    expect(r.evaluations).toBeGreaterThan(0);
  });
});

describe('laplaceVariances', () => {
  it('gives the exact marginal variances and mode of a correlated Gaussian', () => {
    // precision P = Σ⁻¹ with Σ = [[4, 1.2, 0], [1.2, 1, 0.05], [0, 0.05, 0.01]], mean (1, −2, 0.5)
    const S = [4, 1.2, 0, 1.2, 1, 0.05, 0, 0.05, 0.01];
    const mu = [1, -2, 0.5];
    // invert Σ by Gauss-Jordan (independent of the Cholesky in the code under test)
    const a = [...S.slice(0, 3), 1, 0, 0, ...S.slice(3, 6), 0, 1, 0, ...S.slice(6, 9), 0, 0, 1];
    for (let c = 0; c < 3; c++) {
      const p = a[c * 6 + c];
      for (let k = 0; k < 6; k++) a[c * 6 + k] /= p;
      for (let r = 0; r < 3; r++)
        if (r !== c) {
          const f = a[r * 6 + c];
          for (let k = 0; k < 6; k++) a[r * 6 + k] -= f * a[c * 6 + k];
        }
    }
    const P = [0, 1, 2].flatMap((r) => a.slice(r * 6 + 3, r * 6 + 6));
    const target = {
      dim: 3,
      logDensityGradient(x: Float64Array, g: Float64Array) {
        let lp = 0;
        for (let i = 0; i < 3; i++) {
          let s = 0;
          for (let j = 0; j < 3; j++) s += P[i * 3 + j] * (x[j] - mu[j]);
          g[i] = -s;
          lp -= 0.5 * (x[i] - mu[i]) * s;
        }
        return lp;
      },
    };
    const r = laplaceVariances(target)!;
    for (let i = 0; i < 9; i++) expect(Math.abs(r.covariance[i] - S[i])).toBeLessThan(1e-6 * Math.max(1, Math.abs(S[i])));
    for (let i = 0; i < 3; i++) {
      expect(r.mode[i]).toBeCloseTo(mu[i], 6);
      expect(r.variances[i] / S[i * 4] - 1).toBeLessThan(1e-6);
      expect(r.variances[i] / S[i * 4] - 1).toBeGreaterThan(-1e-6);
    }
  });

  it('is undefined when the density has no mode (a flat direction)', () => {
    const flat = {
      dim: 2,
      logDensityGradient: (x: Float64Array, g: Float64Array) => {
        g[0] = -x[0];
        g[1] = 0;
        return -0.5 * x[0] * x[0];
      },
    };
    expect(laplaceVariances(flat)).toBeUndefined();
  });

  it('as a starting metric, saves warmup gradients on a badly scaled target and leaves the posterior alone', () => {
    const scales = [1e-3, 1, 30];
    const target = {
      dim: 3,
      logDensityGradient(x: Float64Array, g: Float64Array) {
        let lp = 0;
        for (let i = 0; i < 3; i++) {
          const z = x[i] / scales[i];
          g[i] = -z / scales[i];
          lp -= 0.5 * z * z;
        }
        return lp;
      },
    };
    const lap = laplaceVariances(target)!;
    const opts = { seed: 4, chains: 2, warmup: 300, draws: 1000 };
    const plain = sample(target, opts);
    const warm = sample(target, { ...opts, initialInverseMetric: lap.variances });
    const evals = (r: typeof plain) => r.chains.reduce((s, c) => s + c.gradientEvaluations, 0);
    expect(evals(warm)).toBeLessThan(0.5 * evals(plain));
    // the draws still have the right scale: sd of each coordinate within 10% (2,000 draws, ESS > 500 each)
    for (let i = 0; i < 3; i++) {
      const v = warm.chains.flatMap((c) => Array.from({ length: c.draws.length / 3 }, (_, k) => c.draws[k * 3 + i]));
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
      expect(Math.abs(sd / scales[i] - 1)).toBeLessThan(0.1);
    }
  });
});
