// Bayesian BG/NBD and Gamma-Gamma on CDNOW. Independent truth: importance sampling of the same posterior (a
// multivariate Student-t proposal around the mode, from the numerical Hessian of the log density), whose means must
// agree with NUTS within 4 combined Monte Carlo standard errors; the log density's gradient against central
// differences; per-customer intervals that bracket the plug-in predictions.
import { describe, expect, it } from 'vitest';
import { createRng, type LogDensity } from '@mmm/bayes-nuts';
import {
  customerLifetimeValue,
  fitBGNBD,
  fitBGNBDBayes,
  fitGammaGamma,
  fitGammaGammaBayes,
  predictionInterval,
  probabilityAlive,
  type BayesianClvFit,
} from '../src/index.js';
import { bgnbdPosterior, gammaGammaPosterior } from '../src/bayesian.js';
import { cdnowHardie } from './cdnow.js';

const data = cdnowHardie();
const repeat = Array.from(data.frequency.keys()).filter((i) => data.frequency[i] > 0);
const spend = { frequency: repeat.map((i) => data.frequency[i]), monetaryValue: repeat.map((i) => data.monetaryValue![i]) };

function gradientCheck(target: LogDensity, at: Float64Array) {
  const d = target.dim;
  const g = new Float64Array(d);
  const lp = target.logDensityGradient(at, g);
  for (let i = 0; i < d; i++) {
    const h = 1e-5;
    const f = (v: number) =>
      target.logDensityGradient(
        Float64Array.from(at, (t, k) => (k === i ? v : t)),
        new Float64Array(d),
      );
    const num = (f(at[i] + h) - f(at[i] - h)) / (2 * h);
    expect(Math.abs(g[i] - num), `coordinate ${i}`).toBeLessThan(
      1e-5 * Math.max(1, Math.abs(num)) + (10 * Number.EPSILON * Math.abs(lp)) / h,
    );
  }
}

/**
 * Self-normalised importance sampling of E[f(u)] under the target, with a multivariate t(5) proposal centred at `mode`
 * with 1.3 × the inverse Hessian as scale; returns the estimates and their standard errors (delta method).
 */
function importanceMeans(target: LogDensity, mode: Float64Array, fns: Array<(u: Float64Array) => number>, n: number, seed: number) {
  const d = target.dim;
  const H = new Float64Array(d * d);
  const gp = new Float64Array(d);
  const gm = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const h = 1e-4;
    target.logDensityGradient(
      Float64Array.from(mode, (t, k) => (k === j ? t + h : t)),
      gp,
    );
    target.logDensityGradient(
      Float64Array.from(mode, (t, k) => (k === j ? t - h : t)),
      gm,
    );
    for (let i = 0; i < d; i++) H[i * d + j] = -(gp[i] - gm[i]) / (2 * h);
  }
  // Cholesky of H, then the scale's factor L⁻ᵀ·√1.3 (so that z ↦ mode + L⁻ᵀ z has covariance 1.3·H⁻¹)
  const L = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let s = 0.5 * (H[j * d + j] + H[j * d + j]);
    for (let k = 0; k < j; k++) s -= L[j * d + k] ** 2;
    L[j * d + j] = Math.sqrt(s);
    for (let i = j + 1; i < d; i++) {
      let t = 0.5 * (H[i * d + j] + H[j * d + i]);
      for (let k = 0; k < j; k++) t -= L[i * d + k] * L[j * d + k];
      L[i * d + j] = t / L[j * d + j];
    }
  }
  const rng = createRng(seed, 0);
  const nu = 5;
  const logw: number[] = [];
  const vals: number[][] = fns.map(() => []);
  const z = new Float64Array(d);
  const u = new Float64Array(d);
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < d; i++) z[i] = rng.normal();
    let chi = 0;
    for (let k = 0; k < nu; k++) chi += rng.normal() ** 2;
    const scale = Math.sqrt(1.3 * (nu / chi));
    // solve Lᵀ y = z (back substitution), u = mode + scale·y
    for (let i = d - 1; i >= 0; i--) {
      let t = z[i];
      for (let k = i + 1; k < d; k++) t -= L[k * d + i] * u[k];
      u[i] = t / L[i * d + i];
    }
    let q2 = 0;
    for (let i = 0; i < d; i++) q2 += z[i] * z[i];
    const x = Float64Array.from(u, (y, i) => mode[i] + scale * y);
    // log proposal density up to a constant: −(ν+d)/2·log(1 + δ/ν), with δ = (x − mode)ᵀ(1.3·H⁻¹)⁻¹(x − mode)
    // = scale²·zᵀz/1.3 = ν·zᵀz/χ²
    const lq = (-(nu + d) / 2) * Math.log1p(q2 / chi);
    logw.push(target.logDensityGradient(x, new Float64Array(d)) - lq);
    fns.forEach((f, k) => vals[k].push(f(x)));
  }
  const mx = Math.max(...logw);
  const w = logw.map((l) => Math.exp(l - mx));
  const W = w.reduce((a, b) => a + b, 0);
  return fns.map((_, k) => {
    const m = w.reduce((a, wi, s) => a + wi * vals[k][s], 0) / W;
    const se = Math.sqrt(w.reduce((a, wi, s) => a + wi * wi * (vals[k][s] - m) ** 2, 0)) / W;
    return { mean: m, se };
  });
}

function checkAgainstImportance(
  fit: BayesianClvFit,
  target: LogDensity,
  mode: Float64Array,
  toParam: Record<string, (u: Float64Array) => number>,
) {
  const names = Object.keys(toParam);
  const is = importanceMeans(
    target,
    mode,
    names.map((k) => toParam[k]),
    40_000,
    9,
  );
  names.forEach((k, j) => {
    const row = fit.diagnostics.summary.find((r) => r.name === k)!;
    const se = Math.sqrt(row.mcseMean ** 2 + is[j].se ** 2);
    expect(
      Math.abs(fit.params[k as never] - is[j].mean),
      `${k}: NUTS ${fit.params[k as never]} ± ${row.mcseMean}, IS ${is[j].mean} ± ${is[j].se}`,
    ).toBeLessThan(4 * se);
  });
}

describe('Bayesian CLV fits on CDNOW', () => {
  const opts = { chains: 2, warmup: 500, draws: 1000, seed: 3 };
  it('BG/NBD: gradient, convergence, and the posterior means of an independent importance sampler', { timeout: 120_000 }, () => {
    const bayes = fitBGNBDBayes(data, opts);
    const { target } = bgnbdPosterior(data);
    expect(bayes.diagnostics.passed, JSON.stringify(bayes.diagnostics.failures)).toBe(true);
    const mle = fitBGNBD(data);
    const { r, alpha, a, b } = mle.params;
    // the MLE in the sampler's coordinates (ln r, ln α, logit φ, ln(κ − 1)): near the posterior mode
    const mode = Float64Array.of(Math.log(r), Math.log(alpha), Math.log(a / b), Math.log(a + b - 1));
    gradientCheck(target, mode);
    gradientCheck(target, Float64Array.of(0.3, -0.2, 0.5, 1.1));
    // the density is likelihood + PyMC-Marketing's priors + the Jacobian of the coordinates, written out here
    // independently: Weibull(x; k, λ) = (k/λ)(x/λ)^(k−1) e^(−(x/λ)^k), Pareto(κ; 1, 1) = κ^−2, Uniform(φ) = 1,
    // |∂(r, α, φ, κ)/∂u| = r·α·φ(1 − φ)·(κ − 1)
    const weib = (x: number, k: number, l: number) => Math.log((k / l) * (x / l) ** (k - 1)) - (x / l) ** k;
    const ph = a / (a + b);
    const ka = a + b;
    const expected =
      mle.logLikelihood + weib(r, 2, 1) + weib(alpha, 2, 10) - 2 * Math.log(ka) + Math.log(r * alpha * ph * (1 - ph) * (ka - 1));
    expect(target.logDensityGradient(mode, new Float64Array(4))).toBeCloseTo(expected, 6);
    const phi = (u: Float64Array) => 1 / (1 + Math.exp(-u[2]));
    const kappa = (u: Float64Array) => 1 + Math.exp(u[3]);
    checkAgainstImportance(bayes, target, mode, {
      r: (u) => Math.exp(u[0]),
      alpha: (u) => Math.exp(u[1]),
      a: (u) => phi(u) * kappa(u),
      b: (u) => (1 - phi(u)) * kappa(u),
    });
    // per-customer P(alive) intervals contain the plug-in value at the posterior means
    const c = { frequency: data.frequency.slice(0, 200), recency: data.recency.slice(0, 200), T: data.T.slice(0, 200) };
    const iv = predictionInterval([bayes], ([f]) => probabilityAlive(f, c), { maxDraws: 300 });
    const plug = probabilityAlive(bayes, c);
    for (let i = 0; i < 200; i++) {
      expect(iv.lower[i]).toBeLessThanOrEqual(plug[i] + 1e-9);
      expect(iv.upper[i]).toBeGreaterThanOrEqual(plug[i] - 1e-9);
    }
  });

  it('Gamma-Gamma: gradient, convergence, importance-sampling means, and CLV intervals', { timeout: 120_000 }, () => {
    const bayes = fitGammaGammaBayes(spend, opts);
    const { target } = gammaGammaPosterior(spend);
    expect(bayes.diagnostics.passed, JSON.stringify(bayes.diagnostics.failures)).toBe(true);
    const mle = fitGammaGamma(spend);
    const mode = Float64Array.from([mle.params.p, mle.params.q, mle.params.v], Math.log);
    gradientCheck(target, mode);
    // flat priors on (0, ∞): the density on the log scale is the likelihood times the Jacobian p·q·v
    expect(target.logDensityGradient(mode, new Float64Array(3))).toBeCloseTo(
      mle.logLikelihood + Math.log(mle.params.p * mle.params.q * mle.params.v),
      6,
    );
    checkAgainstImportance(bayes, target, mode, { p: (u) => Math.exp(u[0]), q: (u) => Math.exp(u[1]), v: (u) => Math.exp(u[2]) });
    const bg = fitBGNBDBayes(data, { ...opts, draws: 300 });
    const c = {
      frequency: data.frequency.slice(0, 50),
      recency: data.recency.slice(0, 50),
      T: data.T.slice(0, 50),
      monetaryValue: data.monetaryValue!.slice(0, 50),
    };
    const clv = predictionInterval([bg, bayes], ([f, g]) => customerLifetimeValue(f, g, c), { maxDraws: 200 });
    for (let i = 0; i < 50; i++) {
      expect(clv.lower[i]).toBeLessThanOrEqual(clv.mean[i]);
      expect(clv.mean[i]).toBeLessThanOrEqual(clv.upper[i]);
      if (c.frequency[i] > 0) expect(clv.upper[i]).toBeGreaterThan(clv.lower[i]);
    }
  });

  it('refuses bad settings', () => {
    expect(() => fitGammaGammaBayes(spend, { chains: 0 })).toThrow(/chains/);
    expect(() => predictionInterval([], () => new Float64Array(0))).toThrow(/fits/);
  });
});
