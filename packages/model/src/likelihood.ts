// The observation model: y_t ~ Normal(μ_t, σ) (the default) or Student-t(ν, μ_t, σ) with fixed ν, for data with
// outliers (a promotion week, a stock-out). One place for its log density, its derivatives and its random draws, so
// the fit, the predictions and the model comparison use the same noise.
import { InvalidInputError } from '@mmm/core';
import { priorLogDensity, samplePrior } from '@mmm/bayes-nuts';
import type { ModelSpec } from './spec.js';

/** The observation noise of a spec, resolved. */
export interface Noise {
  /** ν of the Student-t; Infinity for the Normal */
  nu: number;
  /** log density of residual r = y − μ at scale σ */
  logDensity(r: number, sigma: number): number;
  /** one draw of the noise at scale σ */
  draw(sigma: number, rng: { normal(): number; uniform(): number }): number;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** The observation noise of `spec.likelihood`. */
export function noiseOf(spec: Pick<ModelSpec, 'likelihood'>): Noise {
  const lik = spec.likelihood ?? 'normal';
  if (lik === 'normal') {
    return {
      nu: Infinity,
      logDensity: (r, sigma) => -HALF_LOG_2PI - Math.log(sigma) - (0.5 * r * r) / (sigma * sigma),
      draw: (sigma, rng) => sigma * rng.normal(),
    };
  }
  const nu = typeof lik === 'object' && lik !== null && 'studentT' in lik ? lik.studentT?.nu : undefined;
  if (!(typeof nu === 'number' && nu > 0 && Number.isFinite(nu))) {
    throw new InvalidInputError('spec.likelihood', `is ${JSON.stringify(lik)}`, "Use 'normal' or { studentT: { nu } } with a finite ν > 0 (e.g. 4 for heavy tails).");
  }
  // the constant of the standard t density: log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ)
  const c = priorLogDensity({ dist: 'studentT', nu, mu: 0, sigma: 1 }, 0);
  return {
    nu,
    logDensity: (r, sigma) => c - Math.log(sigma) - ((nu + 1) / 2) * Math.log1p((r * r) / (nu * sigma * sigma)),
    draw: (sigma, rng) => samplePrior({ dist: 'studentT', nu, mu: 0, sigma }, rng),
  };
}
