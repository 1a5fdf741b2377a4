// priorQuantile against closed forms, and against draws of samplePrior: the share of 100,000 draws below each quantile
// is q within 4 binomial standard errors.
import { describe, expect, it } from 'vitest';
import { createRng, priorQuantile, samplePrior, type PriorSpec } from '../src/index.js';

describe('priorQuantile', () => {
  it('matches closed forms', () => {
    expect(priorQuantile({ dist: 'halfNormal', sigma: 1 }, 0.5)).toBeCloseTo(0.6744897501960817, 12);
    expect(priorQuantile({ dist: 'normal', mu: 2, sigma: 3 }, 0.5)).toBe(2);
    expect(priorQuantile({ dist: 'logNormal', mu: 0.3, sigma: 0.8 }, 0.5)).toBeCloseTo(Math.exp(0.3), 12);
    expect(priorQuantile({ dist: 'exponential', lambda: 2 }, 0.5)).toBeCloseTo(Math.LN2 / 2, 12);
    expect(priorQuantile({ dist: 'halfCauchy', sigma: 2 }, 0.5)).toBeCloseTo(2, 12);
    expect(priorQuantile({ dist: 'cauchy', mu: 1, sigma: 2 }, 0.75)).toBeCloseTo(3, 12);
    // Gamma(1, rate 2) is Exponential(2); Beta(1, 1) is uniform
    expect(priorQuantile({ dist: 'gamma', alpha: 1, beta: 2 }, 0.3)).toBeCloseTo(-Math.log(0.7) / 2, 10);
    expect(priorQuantile({ dist: 'beta', alpha: 1, beta: 1 }, 0.37)).toBeCloseTo(0.37, 10);
    // 1/X ~ Gamma(1, 2): the inverse gamma's median is 1 / (ln 2 / 2)
    expect(priorQuantile({ dist: 'inverseGamma', alpha: 1, beta: 2 }, 0.5)).toBeCloseTo(2 / Math.LN2, 10);
    expect(() => priorQuantile({ dist: 'normal', mu: 0, sigma: 1 }, 1)).toThrow(expect.objectContaining({ field: 'q' }));
  });

  const priors: PriorSpec[] = [
    { dist: 'gamma', alpha: 3, beta: 6 },
    { dist: 'inverseGamma', alpha: 3, beta: 2 },
    { dist: 'beta', alpha: 1, beta: 3 },
    { dist: 'studentT', nu: 4, mu: 1, sigma: 2 },
    { dist: 'halfStudentT', nu: 3, sigma: 0.5 },
    { dist: 'halfNormal', sigma: 0.5 },
  ];
  for (const p of priors) {
    it(`holds the share q of samplePrior's draws below it: ${JSON.stringify(p)}`, () => {
      const rng = createRng(7, 0);
      const n = 100_000;
      const draws = Float64Array.from({ length: n }, () => samplePrior(p, rng));
      for (const q of [0.1, 0.5, 0.9]) {
        const x = priorQuantile(p, q);
        let below = 0;
        for (const d of draws) if (d <= x) below++;
        expect(Math.abs(below / n - q)).toBeLessThan(4 * Math.sqrt((q * (1 - q)) / n));
      }
    });
  }
});
