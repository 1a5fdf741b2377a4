import gammaln from '@stdlib/math-base-special-gammaln';
import digamma from '@stdlib/math-base-special-digamma';
import betaln from '@stdlib/math-base-special-betaln';
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import gammaQuantile from '@stdlib/stats-base-dists-gamma-quantile';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { ANY, InvalidParameterError, assertInRange, assertPositive, checkOptions, customShape, type OptionShape } from '@mmm/core';

/** A prior as plain data (JSON-serialisable), e.g. `{ dist: 'normal', mu: 0, sigma: 1 }`. */
export type PriorSpec =
  | { dist: 'normal'; mu: number; sigma: number }
  | { dist: 'halfNormal'; sigma: number }
  | { dist: 'logNormal'; mu: number; sigma: number }
  | { dist: 'gamma'; alpha: number; beta: number }
  | { dist: 'inverseGamma'; alpha: number; beta: number }
  | { dist: 'beta'; alpha: number; beta: number }
  | { dist: 'exponential'; lambda: number }
  | { dist: 'studentT'; nu: number; mu: number; sigma: number }
  | { dist: 'halfStudentT'; nu: number; sigma: number }
  | { dist: 'cauchy'; mu: number; sigma: number }
  | { dist: 'halfCauchy'; sigma: number };

/** Support of a distribution: the constraint a parameter with this prior needs. */
export type Support = 'real' | 'positive' | 'unit';

const LOG_2PI = Math.log(2 * Math.PI);
const LOG_2 = Math.log(2);

/** The parameter names of a prior, in the order {@link priorParamGradientInto} writes them. */
export function priorParamNames(p: PriorSpec): string[] {
  switch (p.dist) {
    case 'normal':
    case 'logNormal':
    case 'cauchy':
      return ['mu', 'sigma'];
    case 'halfNormal':
    case 'halfCauchy':
      return ['sigma'];
    case 'gamma':
    case 'inverseGamma':
    case 'beta':
      return ['alpha', 'beta'];
    case 'exponential':
      return ['lambda'];
    case 'studentT':
      return ['nu', 'mu', 'sigma'];
    case 'halfStudentT':
      return ['nu', 'sigma'];
  }
}

/** The support of a prior. */
export function priorSupport(p: PriorSpec): Support {
  switch (p.dist) {
    case 'normal':
    case 'studentT':
    case 'cauchy':
      return 'real';
    case 'beta':
      return 'unit';
    default:
      return 'positive';
  }
}

/**
 * Checks a prior's parameters, naming the field: location parameters finite, scales, shapes and rates > 0.
 * @param field - where the prior sits, e.g. `'priors.beta'`
 */
export function checkPrior(p: PriorSpec, field = 'prior'): void {
  const names = priorParamNames(p);
  if (!names)
    throw new InvalidParameterError(
      `${field}.dist`,
      (p as { dist: unknown }).dist,
      'normal, halfNormal, logNormal, gamma, inverseGamma, beta, exponential, studentT, halfStudentT, cauchy, halfCauchy',
    );
  const rec = p as unknown as Record<string, number>;
  for (const n of names) {
    if (n === 'mu') assertInRange(`${field}.mu`, rec.mu, {});
    else assertPositive(`${field}.${n}`, rec[n]);
  }
}

/**
 * Log density (normalised) of `x` under prior `p`, and its derivative in x written to `out[0]`.
 * Outside the support it returns −∞ with derivative 0. Parameters are not checked here (see {@link checkPrior}).
 * @remarks Densities as in Stan's functions reference; Gamma and inverse gamma by shape α and rate/scale β.
 * @example
 * priorLogDensity({ dist: 'normal', mu: 0, sigma: 1 }, 0); // −0.9189385332046727
 */
export function priorLogDensityGradient(p: PriorSpec, x: number, out: Float64Array): number {
  switch (p.dist) {
    case 'normal': {
      const z = (x - p.mu) / p.sigma;
      out[0] = -z / p.sigma;
      return -0.5 * z * z - Math.log(p.sigma) - 0.5 * LOG_2PI;
    }
    case 'halfNormal': {
      if (x < 0) return outside(out);
      const z = x / p.sigma;
      out[0] = -z / p.sigma;
      return LOG_2 - 0.5 * z * z - Math.log(p.sigma) - 0.5 * LOG_2PI;
    }
    case 'logNormal': {
      if (x <= 0) return outside(out);
      const lx = Math.log(x);
      const z = (lx - p.mu) / p.sigma;
      out[0] = -(1 + z / p.sigma) / x;
      return -lx - 0.5 * z * z - Math.log(p.sigma) - 0.5 * LOG_2PI;
    }
    case 'gamma': {
      if (x <= 0) return outside(out);
      out[0] = (p.alpha - 1) / x - p.beta;
      return p.alpha * Math.log(p.beta) - gammaln(p.alpha) + (p.alpha - 1) * Math.log(x) - p.beta * x;
    }
    case 'inverseGamma': {
      if (x <= 0) return outside(out);
      out[0] = -(p.alpha + 1) / x + p.beta / (x * x);
      return p.alpha * Math.log(p.beta) - gammaln(p.alpha) - (p.alpha + 1) * Math.log(x) - p.beta / x;
    }
    case 'beta': {
      if (x <= 0 || x >= 1) return outside(out);
      out[0] = (p.alpha - 1) / x - (p.beta - 1) / (1 - x);
      return (p.alpha - 1) * Math.log(x) + (p.beta - 1) * Math.log1p(-x) - logBeta(p.alpha, p.beta);
    }
    case 'exponential': {
      if (x < 0) return outside(out);
      out[0] = -p.lambda;
      return Math.log(p.lambda) - p.lambda * x;
    }
    case 'studentT':
    case 'halfStudentT': {
      const half = p.dist === 'halfStudentT';
      if (half && x < 0) return outside(out);
      const mu = half ? 0 : (p as { mu: number }).mu;
      const { nu, sigma } = p;
      const z = (x - mu) / sigma;
      out[0] = (-(nu + 1) * z) / (sigma * (nu + z * z));
      return (
        (half ? LOG_2 : 0) +
        gammaln((nu + 1) / 2) -
        gammaln(nu / 2) -
        0.5 * Math.log(nu * Math.PI) -
        Math.log(sigma) -
        ((nu + 1) / 2) * Math.log1p((z * z) / nu)
      );
    }
    case 'cauchy':
    case 'halfCauchy': {
      const half = p.dist === 'halfCauchy';
      if (half && x < 0) return outside(out);
      const mu = half ? 0 : (p as { mu: number }).mu;
      const z = (x - mu) / p.sigma;
      out[0] = (-2 * z) / (p.sigma * (1 + z * z));
      return (half ? LOG_2 : 0) - Math.log(Math.PI) - Math.log(p.sigma) - Math.log1p(z * z);
    }
  }
}

/** Log density of `x` under prior `p` (see {@link priorLogDensityGradient}). */
export function priorLogDensity(p: PriorSpec, x: number): number {
  return priorLogDensityGradient(p, x, scratch);
}
const scratch = new Float64Array(1);

/**
 * Gradient of the log density with respect to the prior's own parameters (for hierarchical models), into `out` in
 * the order of {@link priorParamNames}. Zero outside the support.
 */
export function priorParamGradientInto(out: Float64Array, p: PriorSpec, x: number): Float64Array {
  switch (p.dist) {
    case 'normal': {
      const d = x - p.mu;
      out[0] = d / (p.sigma * p.sigma);
      out[1] = -1 / p.sigma + (d * d) / p.sigma ** 3;
      return out;
    }
    case 'halfNormal':
      out[0] = x < 0 ? 0 : -1 / p.sigma + (x * x) / p.sigma ** 3;
      return out;
    case 'logNormal': {
      if (x <= 0) return out.fill(0, 0, 2);
      const d = Math.log(x) - p.mu;
      out[0] = d / (p.sigma * p.sigma);
      out[1] = -1 / p.sigma + (d * d) / p.sigma ** 3;
      return out;
    }
    case 'gamma':
      if (x <= 0) return out.fill(0, 0, 2);
      out[0] = Math.log(p.beta) - digamma(p.alpha) + Math.log(x);
      out[1] = p.alpha / p.beta - x;
      return out;
    case 'inverseGamma':
      if (x <= 0) return out.fill(0, 0, 2);
      out[0] = Math.log(p.beta) - digamma(p.alpha) - Math.log(x);
      out[1] = p.alpha / p.beta - 1 / x;
      return out;
    case 'beta': {
      if (x <= 0 || x >= 1) return out.fill(0, 0, 2);
      const s = digamma(p.alpha + p.beta);
      out[0] = Math.log(x) - digamma(p.alpha) + s;
      out[1] = Math.log1p(-x) - digamma(p.beta) + s;
      return out;
    }
    case 'exponential':
      out[0] = x < 0 ? 0 : 1 / p.lambda - x;
      return out;
    case 'studentT':
    case 'halfStudentT': {
      const half = p.dist === 'halfStudentT';
      if (half && x < 0) return out.fill(0, 0, 2);
      const mu = half ? 0 : (p as { mu: number }).mu;
      const { nu, sigma } = p;
      const z = (x - mu) / sigma;
      const q = nu + z * z;
      out[0] = 0.5 * (digamma((nu + 1) / 2) - digamma(nu / 2) - 1 / nu - Math.log1p((z * z) / nu) + ((nu + 1) * z * z) / (nu * q));
      const dSigma = -1 / sigma + ((nu + 1) * z * z) / (sigma * q);
      if (half) {
        out[1] = dSigma;
      } else {
        out[1] = ((nu + 1) * z) / (sigma * q);
        out[2] = dSigma;
      }
      return out;
    }
    case 'cauchy':
    case 'halfCauchy': {
      const half = p.dist === 'halfCauchy';
      if (half && x < 0) return out.fill(0, 0, 1);
      const mu = half ? 0 : (p as { mu: number }).mu;
      const z = (x - mu) / p.sigma;
      const dSigma = -1 / p.sigma + (2 * z * z) / (p.sigma * (1 + z * z));
      if (half) out[0] = dSigma;
      else {
        out[0] = (2 * z) / (p.sigma * (1 + z * z));
        out[1] = dSigma;
      }
      return out;
    }
  }
}

function outside(out: Float64Array): number {
  out[0] = 0;
  return -Infinity;
}

/** ln B(a, b), by stdlib's betaln (the sum of three ln Γ loses digits when a or b is large). @internal */
function logBeta(a: number, b: number): number {
  return betaln(a, b);
}

/** A standard gamma variate with shape a (Marsaglia & Tsang 2000; a < 1 by the boost u^(1/a)). */
function gammaVariate(a: number, rng: { uniform(): number; normal(): number }): number {
  if (a < 1) return gammaVariate(a + 1, rng) * Math.pow(rng.uniform(), 1 / a);
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * One draw from prior `p` with the given generator (e.g. `createRng(seed)`), for prior predictive checks.
 * @example
 * samplePrior({ dist: 'halfNormal', sigma: 1 }, createRng(1)); // a positive number
 */
export function samplePrior(p: PriorSpec, rng: { uniform(): number; normal(): number }): number {
  switch (p.dist) {
    case 'normal':
      return p.mu + p.sigma * rng.normal();
    case 'halfNormal':
      return Math.abs(p.sigma * rng.normal());
    case 'logNormal':
      return Math.exp(p.mu + p.sigma * rng.normal());
    case 'gamma':
      return gammaVariate(p.alpha, rng) / p.beta;
    case 'inverseGamma':
      return p.beta / gammaVariate(p.alpha, rng);
    case 'beta': {
      const x = gammaVariate(p.alpha, rng);
      return x / (x + gammaVariate(p.beta, rng));
    }
    case 'exponential':
      return -Math.log(rng.uniform()) / p.lambda;
    case 'studentT':
      return p.mu + (p.sigma * rng.normal()) / Math.sqrt((2 * gammaVariate(p.nu / 2, rng)) / p.nu);
    case 'halfStudentT':
      return Math.abs((p.sigma * rng.normal()) / Math.sqrt((2 * gammaVariate(p.nu / 2, rng)) / p.nu));
    case 'cauchy':
      return p.mu + p.sigma * Math.tan(Math.PI * (rng.uniform() - 0.5));
    case 'halfCauchy':
      return Math.abs(p.sigma * Math.tan(Math.PI * (rng.uniform() - 0.5)));
  }
}

/**
 * The quantile of a prior at probability q ∈ (0, 1), in closed form or by @stdlib's quantile functions (Gamma by shape α
 * and rate β; the inverse gamma through 1/X ~ Gamma(α, β); half distributions by their folded quantile (1 + q)/2).
 * @example
 * priorQuantile({ dist: 'halfNormal', sigma: 1 }, 0.5); // 0.6744897501960817
 */
export function priorQuantile(p: PriorSpec, q: number): number {
  if (!(q > 0 && q < 1)) throw new InvalidParameterError('q', q, '(0, 1)');
  switch (p.dist) {
    case 'normal':
      return normalQuantile(q, p.mu, p.sigma);
    case 'halfNormal':
      return p.sigma * normalQuantile((1 + q) / 2, 0, 1);
    case 'logNormal':
      return Math.exp(normalQuantile(q, p.mu, p.sigma));
    case 'gamma':
      return gammaQuantile(q, p.alpha, p.beta);
    case 'inverseGamma':
      return 1 / gammaQuantile(1 - q, p.alpha, p.beta);
    case 'beta':
      return betaQuantile(q, p.alpha, p.beta);
    case 'exponential':
      return -Math.log1p(-q) / p.lambda;
    case 'studentT':
      return p.mu + p.sigma * tQuantile(q, p.nu);
    case 'halfStudentT':
      return p.sigma * tQuantile((1 + q) / 2, p.nu);
    case 'cauchy':
      return p.mu + p.sigma * Math.tan(Math.PI * (q - 0.5));
    case 'halfCauchy':
      return p.sigma * Math.tan((Math.PI * q) / 2);
  }
}

/** Every parameter name of any prior. @internal */
const ANY_PRIOR_KEYS = ['dist', 'mu', 'sigma', 'alpha', 'beta', 'lambda', 'nu'];

/**
 * The keys a prior spec may have, for `checkOptions`: `dist` and that distribution's parameters
 * (`{ dist: 'normal', mu, sigma }`). A spec whose `dist` is missing or unknown may have any prior's keys (so a
 * misspelt `dist` is named as such); {@link checkPrior} then names the valid distributions.
 */
export const PRIOR_SHAPE: OptionShape = customShape((value, path) => {
  if (value === null || typeof value !== 'object') return;
  const names = 'dist' in value ? (priorParamNames(value as PriorSpec) as string[] | undefined) : undefined;
  const keys = names ? ['dist', ...names] : ANY_PRIOR_KEYS;
  checkOptions(value, { kind: 'keys', keys: Object.fromEntries(keys.map((k) => [k, ANY])) }, path);
});
