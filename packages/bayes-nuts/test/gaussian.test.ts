// Targets with closed-form moments; tolerances are 4 Monte Carlo standard errors from @mmm/diagnostics.
import { describe, expect, it } from 'vitest';
import { ebfmi } from '@mmm/diagnostics';
import { sample } from '../src/index.js';
import { correlatedGaussian, gauss100 } from './targets.js';
import { coordinate, mapDraws, minEssBulk, totalLeapfrog, within4Mcse } from './helpers.js';

describe('100-d independent Gaussian, scales 0.01 … 100 (Stan’s gauss100)', () => {
  const { target, means, sds } = gauss100();
  const fit = sample(target, { seed: 11, chains: 4, warmup: 1000, draws: 1000 });

  it('means and variances within 4 MCSE of the truth', () => {
    for (let j = 0; j < 100; j++) {
      const x = coordinate(fit, j);
      within4Mcse(x, means[j], `mean x[${j}]`);
      within4Mcse(
        mapDraws(x, (v) => (v - means[j]) ** 2),
        sds[j] ** 2,
        `variance x[${j}]`,
      );
    }
  });

  it('adapts the diagonal metric to within 20% of the true variances', () => {
    // Each chain estimates the metric from its last warmup window (500 autocorrelated draws): across the 400
    // estimates here the ratio to the truth has mean ≈ 1.00 and sd ≈ 0.11 (as Stan's estimator would). The
    // average over the 4 chains has sd ≈ 0.056, so 20% is about 3.6 sd for each coordinate.
    let sum = 0;
    for (let j = 0; j < 100; j++) {
      let r = 0;
      for (const c of fit.chains) r += c.inverseMetric[j] / sds[j] ** 2;
      r /= fit.chains.length;
      sum += r;
      expect(Math.abs(r - 1), `x[${j}]: chain-averaged metric / true variance = ${r}`).toBeLessThan(0.2);
    }
    expect(Math.abs(sum / 100 - 1)).toBeLessThan(0.02);
  });

  it('no divergences, E-BFMI above 0.3 in every chain', () => {
    for (const c of fit.chains) {
      expect(c.stats.divergent.reduce((a, b) => a + b, 0)).toBe(0);
      expect(ebfmi(c.stats.energy)).toBeGreaterThan(0.3);
    }
  });
});

describe('correlated Gaussians (ρ = 0.95)', () => {
  it('2-d with the dense metric: means and covariances within 4 MCSE', () => {
    const { target, cov } = correlatedGaussian(2, 0.95, Float64Array.from([1, 3]));
    const fit = sample(target, { seed: 5, chains: 4, warmup: 500, draws: 1000, metric: 'dense' });
    const x = coordinate(fit, 0);
    const y = coordinate(fit, 1);
    within4Mcse(x, 0, 'mean x');
    within4Mcse(y, 0, 'mean y');
    within4Mcse(
      mapDraws(x, (v) => v * v),
      cov[0],
      'var x',
    );
    within4Mcse(
      mapDraws(y, (v) => v * v),
      cov[3],
      'var y',
    );
    const xy = x.map((c, k) => c.map((v, i) => v * y[k][i]));
    within4Mcse(xy, cov[1], 'cov xy');
  });

  it('50-d: the dense metric recovers the covariance and gives more ESS per gradient than the diagonal one', () => {
    const d = 50;
    const { target, cov } = correlatedGaussian(d, 0.95);
    const dense = sample(target, { seed: 3, chains: 2, warmup: 1000, draws: 500, metric: 'dense' });
    const diag = sample(target, { seed: 3, chains: 2, warmup: 1000, draws: 500, metric: 'diag' });
    for (const j of [0, 17, 49]) {
      const x = coordinate(dense, j);
      within4Mcse(x, 0, `mean x[${j}]`);
      within4Mcse(
        mapDraws(x, (v) => v * v),
        cov[j * d + j],
        `var x[${j}]`,
      );
      const k = (j + 1) % d;
      const y = coordinate(dense, k);
      within4Mcse(
        x.map((c, a) => c.map((v, i) => v * y[a][i])),
        cov[j * d + k],
        `cov x[${j}] x[${k}]`,
      );
    }
    const perGradDense = minEssBulk(dense) / totalLeapfrog(dense);
    const perGradDiag = minEssBulk(diag) / totalLeapfrog(diag);
    expect(perGradDense).toBeGreaterThan(perGradDiag);
  });
});
