// Targets with known answers, shared by tests and benchmarks.
import type { LogDensity } from '../src/index.js';

/** Independent Gaussian with the given means and standard deviations. */
export function gaussian(means: Float64Array, sds: Float64Array): LogDensity {
  const dim = means.length;
  const prec = sds.map((s) => 1 / (s * s));
  return {
    dim,
    logDensityGradient(theta, grad) {
      let lp = 0;
      for (let i = 0; i < dim; i++) {
        const d = theta[i] - means[i];
        grad[i] = -d * prec[i];
        lp -= 0.5 * d * d * prec[i];
      }
      return lp;
    },
  };
}

/** Stan's gauss100 target: means (i−1)/10, sds 10^(−2 + 4(i−1)/99), i = 1 … 100. */
export function gauss100(): { target: LogDensity; means: Float64Array; sds: Float64Array } {
  const D = 100;
  const means = Float64Array.from({ length: D }, (_, i) => i / 10);
  const sds = Float64Array.from({ length: D }, (_, i) => 10 ** (-2 + (4 * i) / (D - 1)));
  return { target: gaussian(means, sds), means, sds };
}

/** Zero-mean Gaussian with covariance Σ_ij = ρ^[i≠j]·s_i·s_j (equicorrelated), through its precision. */
export function correlatedGaussian(dim: number, rho: number, scales?: Float64Array): { target: LogDensity; cov: Float64Array } {
  const s = scales ?? new Float64Array(dim).fill(1);
  const cov = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) cov[i * dim + j] = (i === j ? 1 : rho) * s[i] * s[j];
  // equicorrelation inverse: R⁻¹ = (I − ρ/(1 + (d−1)ρ)·11ᵀ)/(1 − ρ)
  const prec = new Float64Array(dim * dim);
  const c = rho / (1 + (dim - 1) * rho);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) prec[i * dim + j] = ((i === j ? 1 : 0) - c) / (1 - rho) / (s[i] * s[j]);
  return {
    cov,
    target: {
      dim,
      logDensityGradient(theta, grad) {
        let lp = 0;
        for (let i = 0; i < dim; i++) {
          let g = 0;
          for (let j = 0; j < dim; j++) g -= prec[i * dim + j] * theta[j];
          grad[i] = g;
          lp += 0.5 * g * theta[i];
        }
        return lp;
      },
    },
  };
}

/** Eight schools data (Rubin 1981). */
export const EIGHT_Y = [28, 8, -3, 7, -1, 1, 18, 12];
export const EIGHT_SIGMA = [15, 10, 16, 11, 9, 11, 10, 18];

/**
 * Eight schools as in eight_schools_nc.stan: mu ~ N(0, 5), tau ~ Cauchy⁺(0, 5), θ̃ ~ N(0, 1), y ~ N(mu + tau·θ̃, σ).
 * Unconstrained: (mu, log tau, θ̃₁…₈), with the log-Jacobian of tau = e^u. `centred` uses θ ~ N(mu, tau) instead.
 */
export function eightSchools(centred = false): LogDensity {
  const J = 8;
  return {
    dim: 2 + J,
    logDensityGradient(x, g) {
      const mu = x[0];
      const u = x[1];
      const tau = Math.exp(u);
      let lp = -0.5 * (mu / 5) ** 2;
      g[0] = -mu / 25;
      // Cauchy(0, 5) on tau > 0 with Jacobian: log(1/(1 + (tau/5)²)) + u
      lp += -Math.log1p((tau / 5) ** 2) + u;
      let gu = (-2 * (tau / 5) ** 2) / (1 + (tau / 5) ** 2) + 1;
      for (let j = 0; j < J; j++) {
        const t = x[2 + j];
        if (centred) {
          // θ_j ~ N(mu, tau), y_j ~ N(θ_j, σ_j)
          const z = (t - mu) / tau;
          lp += -0.5 * z * z - u;
          g[0] += z / tau;
          gu += z * z - 1;
          const r = (EIGHT_Y[j] - t) / EIGHT_SIGMA[j];
          lp += -0.5 * r * r;
          g[2 + j] = -z / tau + r / EIGHT_SIGMA[j];
        } else {
          const theta = mu + tau * t;
          const r = (EIGHT_Y[j] - theta) / EIGHT_SIGMA[j];
          lp += -0.5 * t * t - 0.5 * r * r;
          const dr = r / EIGHT_SIGMA[j];
          g[0] += dr;
          gu += dr * tau * t;
          g[2 + j] = -t + dr * tau;
        }
      }
      g[1] = gu;
      return lp;
    },
  };
}

/** Neal's funnel in d dimensions: v ~ N(0, 3), x_i ~ N(0, e^(v/2)). */
export function funnel(d: number): LogDensity {
  return {
    dim: d,
    logDensityGradient(x, g) {
      const v = x[0];
      let lp = -(v * v) / 18;
      g[0] = -v / 9;
      const e = Math.exp(-v);
      for (let i = 1; i < d; i++) {
        lp += -0.5 * x[i] * x[i] * e - 0.5 * v;
        g[0] += 0.5 * x[i] * x[i] * e - 0.5;
        g[i] = -x[i] * e;
      }
      return lp;
    },
  };
}
