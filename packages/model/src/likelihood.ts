// The observation model: y_t ~ Normal(μ_t, σ) (the default) or Student-t(ν, μ_t, σ) with fixed ν, for data with
// outliers (a promotion week, a stock-out). One place for its log density, its derivatives and its random draws, so
// the fit, the predictions and the model comparison use the same noise.
import { InvalidInputError } from '@mmm/core';
import { priorLogDensity, samplePrior, type ParameterBlock, type PriorSpec } from '@mmm/bayes-nuts';
import type { ModelSpec } from './spec.js';
import type { TermParameter } from './terms/term.js';

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
    throw new InvalidInputError(
      'spec.likelihood',
      `is ${JSON.stringify(lik)}`,
      "Use 'normal' or { studentT: { nu } } with a finite ν > 0 (e.g. 4 for heavy tails).",
    );
  }
  // the constant of the standard t density: log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ)
  const c = priorLogDensity({ dist: 'studentT', nu, mu: 0, sigma: 1 }, 0);
  return {
    nu,
    logDensity: (r, sigma) => c - Math.log(sigma) - ((nu + 1) / 2) * Math.log1p((r * r) / (nu * sigma * sigma)),
    draw: (sigma, rng) => samplePrior({ dist: 'studentT', nu, mu: 0, sigma }, rng),
  };
}

/**
 * The observation model in the log density: log p(y | μ, σ) summed over the periods, with g_t = ∂/∂μ_t written and
 * ∂/∂σ added to the `sigma` block's gradient. Made once per model (its block views are bound once).
 */
export interface ObservationModel {
  /** the noise scale σ's block */
  readonly blocks: readonly ParameterBlock[];
  /** the same as reported (σ is one per geo when there are groups) */
  readonly parameters: readonly TermParameter[];
  bind(values: Readonly<Record<string, Float64Array>>, grads: Readonly<Record<string, Float64Array>>): void;
  /** the log likelihood, without the −½ log 2π of each period (as the Normal's; the t's constant aligned to it) */
  logLikelihood(y: Float64Array, mu: Float64Array, g: Float64Array): number;
}

/**
 * The observation model of `spec.likelihood` with a `sigma` block (prior `sigmaPrior`): one noise scale, or one per
 * group when the data are `groups` consecutive segments of equal length (a geo panel with one σ per geo).
 * @remarks
 * Normal: ℓ = −n ln σ − ½ Σ r_t²/σ², g_t = r_t/σ², ∂ℓ/∂σ = −n/σ + Σ r_t²/σ³ (r = y − μ).
 * Student-t(ν): ℓ = n·c − n ln σ − (ν+1)/2 · Σ ln(1 + r_t²/(νσ²)), g_t = (ν+1) r_t/(νσ² + r_t²),
 * ∂ℓ/∂σ = −n/σ + Σ (ν+1) r_t²/(νσ² + r_t²)/σ, c the t's constant less the Normal's −½ ln 2π, so the two agree as ν → ∞.
 * Each sum runs over a group's periods with that group's σ.
 */
export function observationModel(spec: Pick<ModelSpec, 'likelihood'>, sigmaPrior: PriorSpec, groups = 1): ObservationModel {
  const noise = noiseOf(spec);
  const nu = noise.nu;
  const tConst = Number.isFinite(nu) ? noise.logDensity(0, 1) + 0.5 * Math.log(2 * Math.PI) : 0;
  let sigmaValue: Float64Array;
  let gSigma: Float64Array;
  /** one group's log likelihood over [from, to) at σ = sigmaValue[k], its g_t written and ∂/∂σ_k added */
  const normal = (y: Float64Array, mu: Float64Array, g: Float64Array, k: number, from: number, to: number) => {
    const n = to - from;
    const sigma = sigmaValue[k];
    const inv2 = 1 / (sigma * sigma);
    let ss = 0;
    for (let t = from; t < to; t++) {
      const r = y[t] - mu[t];
      ss += r * r;
      g[t] = r * inv2;
    }
    gSigma[k] += -n / sigma + ss / (sigma * sigma * sigma);
    return -n * Math.log(sigma) - 0.5 * ss * inv2;
  };
  const studentT = (y: Float64Array, mu: Float64Array, g: Float64Array, k: number, from: number, to: number) => {
    const n = to - from;
    const sigma = sigmaValue[k];
    const nus2 = nu * sigma * sigma;
    let ss = 0;
    let gs = 0;
    for (let t = from; t < to; t++) {
      const r = y[t] - mu[t];
      const q = nus2 + r * r;
      ss += ((nu + 1) / 2) * Math.log1p((r * r) / nus2);
      g[t] = ((nu + 1) * r) / q;
      gs += ((nu + 1) * r * r) / q;
    }
    gSigma[k] += -n / sigma + gs / sigma;
    return n * tConst - n * Math.log(sigma) - ss;
  };
  const group = Number.isFinite(nu) ? studentT : normal;
  return {
    blocks: [{ name: 'sigma', size: groups, prior: sigmaPrior, constraint: 'positive' }],
    parameters: [{ name: 'sigma', size: groups, prior: sigmaPrior, ...(groups > 1 ? { scope: 'geo' as const } : {}) }],
    bind(values, grads) {
      sigmaValue = values.sigma;
      gSigma = grads.sigma;
    },
    logLikelihood(y, mu, g) {
      const T = y.length / groups;
      let lp = 0;
      for (let k = 0; k < groups; k++) lp += group(y, mu, g, k, k * T, (k + 1) * T);
      return lp;
    },
  };
}
