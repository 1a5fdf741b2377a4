// Bayesian fits of BG/NBD and Gamma-Gamma with @mmm/bayes-nuts, with PyMC-Marketing's default priors, and
// per-customer credible intervals of any prediction (P(alive), expected purchases, CLV) from the posterior draws.
import { InvalidParameterError, assertInteger, ANY, checkOptions, optionKeys, DEFAULT_INTERVAL_MASS } from '@mmm/core';
import { sample, type LogDensity } from '@mmm/bayes-nuts';
import { centralIntervalSorted, convergenceGate, samplerDiagnostics, summary, type GateResult, type SummaryRow } from '@mmm/diagnostics';
import { bgnbdLogLikelihood } from './bgnbd.js';
import { checkCustomers, groupCustomers, type CustomerColumns } from './data.js';
import { gammaGammaLogLikelihood, type SpendColumns } from './gamma-gamma.js';

/** Sampler settings of the Bayesian fits. */
export interface BayesianFitOptions {
  /** @defaultValue 4 */
  chains?: number;
  /** @defaultValue 1000 */
  warmup?: number;
  /** @defaultValue 1000 */
  draws?: number;
  /** @defaultValue 1 */
  seed?: number;
}

/** A Bayesian CLV fit: posterior means as `params` (so every prediction function takes it), and the draws. */
export interface BayesianClvFit<M extends string = string, P extends string = string> {
  model: M;
  /** posterior means */
  params: Record<P, number>;
  /** posterior draws by parameter, chains concatenated */
  draws: Record<P, number[]>;
  /** the convergence gate with the summary table */
  diagnostics: GateResult & { summary: SummaryRow[] };
  settings: Required<BayesianFitOptions>;
}

function settingsOf(o: BayesianFitOptions): Required<BayesianFitOptions> {
  const s = { chains: o.chains ?? 4, warmup: o.warmup ?? 1000, draws: o.draws ?? 1000, seed: o.seed ?? 1 };
  assertInteger('chains', s.chains, 1);
  assertInteger('warmup', s.warmup, 0);
  assertInteger('draws', s.draws, 4);
  assertInteger('seed', s.seed);
  return s;
}

function run<M extends string, P extends string>(
  model: M,
  names: readonly P[],
  target: LogDensity,
  toParams: (u: ArrayLike<number>) => number[],
  options: BayesianFitOptions,
): BayesianClvFit<M, P> {
  checkOptions(options, optionKeys<BayesianFitOptions>({ chains: ANY, warmup: ANY, draws: ANY, seed: ANY }), 'options');
  const settings = settingsOf(options);
  // a dense metric: the parameters of both models are strongly correlated a posteriori (q with v, r with α)
  const r = sample(target, {
    seed: settings.seed,
    chains: settings.chains,
    warmup: settings.warmup,
    draws: settings.draws,
    metric: 'dense',
  });
  const byChain = names.map(() => r.chains.map(() => [] as number[]));
  const d = target.dim;
  r.chains.forEach((c, ci) => {
    for (let i = 0; i < r.draws; i++) {
      const v = toParams(c.draws.subarray(i * d, (i + 1) * d));
      names.forEach((_, k) => byChain[k][ci].push(v[k]));
    }
  });
  const table = summary(Object.fromEntries(names.map((nm, k) => [nm, byChain[k]])));
  const sampler = samplerDiagnostics({
    divergent: r.chains.map((c) => c.stats.divergent),
    treeDepth: r.chains.map((c) => c.stats.treeDepth),
    energy: r.chains.map((c) => c.stats.energy),
  });
  const gate = convergenceGate(table, sampler);
  const draws = Object.fromEntries(names.map((nm, k) => [nm, byChain[k].flat()])) as Record<P, number[]>;
  const params = Object.fromEntries(names.map((nm) => [nm, draws[nm].reduce((a, b) => a + b, 0) / draws[nm].length])) as Record<P, number>;
  return { model, params, draws, diagnostics: { ...gate, summary: table }, settings };
}

/** log Weibull(x; k, λ) and its derivative in x. */
function weibull(x: number, k: number, lambda: number): [number, number] {
  const z = x / lambda;
  return [Math.log(k / lambda) + (k - 1) * Math.log(z) - z ** k, (k - 1) / x - (k * z ** (k - 1)) / lambda];
}

/**
 * BG/NBD by NUTS with PyMC-Marketing's default priors: r ~ Weibull(2, 1), α ~ Weibull(2, 10), and the dropout Beta(a, b)
 * as a = φκ, b = (1 − φ)κ with φ ~ Uniform(0, 1) (its mean) and κ ~ Pareto(1, 1) (its concentration). The sampler
 * moves in (ln r, ln α, logit φ, ln(κ − 1)); the log-likelihood and its gradient are the maximum-likelihood fit's.
 */
export function fitBGNBDBayes(
  customers: CustomerColumns,
  options: BayesianFitOptions = {},
): BayesianClvFit<'bgnbd', 'r' | 'alpha' | 'a' | 'b'> {
  const { target, toParams } = bgnbdPosterior(customers);
  return run('bgnbd', ['r', 'alpha', 'a', 'b'] as const, target, toParams, options);
}

/** The BG/NBD posterior density in the sampler's coordinates, and the map to (r, α, a, b). @internal */
export function bgnbdPosterior(customers: CustomerColumns): { target: LogDensity; toParams: (u: ArrayLike<number>) => number[] } {
  const ll = bgnbdLogLikelihood(groupCustomers(checkCustomers(customers)), false);
  const p = new Float64Array(4);
  const g = new Float64Array(4);
  const natural = (u: ArrayLike<number>) => {
    const r = Math.exp(u[0]);
    const alpha = Math.exp(u[1]);
    const phi = 1 / (1 + Math.exp(-u[2]));
    const kappa = 1 + Math.exp(u[3]);
    return { r, alpha, phi, kappa, a: phi * kappa, b: (1 - phi) * kappa };
  };
  const target: LogDensity = {
    dim: 4,
    logDensityGradient(u, grad) {
      const { r, alpha, phi, kappa, a, b } = natural(u);
      if (!(r > 0 && alpha > 0 && phi > 0 && phi < 1 && kappa > 1 && Number.isFinite(kappa))) {
        grad.fill(0);
        return -Infinity;
      }
      p[0] = r;
      p[1] = alpha;
      p[2] = a;
      p[3] = b;
      const l = ll(p, g);
      const [lr, dr] = weibull(r, 2, 1);
      const [la, dal] = weibull(alpha, 2, 10);
      const lk = -2 * Math.log(kappa);
      // Jacobian of (r, α, φ, κ) ← u: r·α·φ(1 − φ)·(κ − 1)
      const lj = u[0] + u[1] + Math.log(phi) + Math.log1p(-phi) + u[3];
      grad[0] = (g[0] + dr) * r + 1;
      grad[1] = (g[1] + dal) * alpha + 1;
      grad[2] = kappa * (g[2] - g[3]) * phi * (1 - phi) + (1 - 2 * phi);
      grad[3] = (phi * g[2] + (1 - phi) * g[3] - 2 / kappa) * (kappa - 1) + 1;
      const v = l + lr + la + lk + lj;
      return Number.isFinite(v) ? v : -Infinity;
    },
  };
  return {
    target,
    toParams: (u) => {
      const n = natural(u);
      return [n.r, n.alpha, n.a, n.b];
    },
  };
}

/**
 * Gamma-Gamma by NUTS with PyMC-Marketing's default priors: p, q, v ~ HalfFlat (flat on (0, ∞)), sampled on the log
 * scale; fitted to the customers with repeat purchases.
 */
export function fitGammaGammaBayes(
  customers: SpendColumns,
  options: BayesianFitOptions = {},
): BayesianClvFit<'gammagamma', 'p' | 'q' | 'v'> {
  const { target, toParams } = gammaGammaPosterior(customers);
  return run('gammagamma', ['p', 'q', 'v'] as const, target, toParams, options);
}

/** The Gamma-Gamma posterior density on the log scale, and the map to (p, q, v). @internal */
export function gammaGammaPosterior(customers: SpendColumns): { target: LogDensity; toParams: (u: ArrayLike<number>) => number[] } {
  const { ll } = gammaGammaLogLikelihood(customers);
  const p = new Float64Array(3);
  const g = new Float64Array(3);
  const target: LogDensity = {
    dim: 3,
    logDensityGradient(u, grad) {
      for (let k = 0; k < 3; k++) p[k] = Math.exp(u[k]);
      if (!p.every((v) => v > 0 && Number.isFinite(v))) {
        grad.fill(0);
        return -Infinity;
      }
      const l = ll(p, g);
      for (let k = 0; k < 3; k++) grad[k] = g[k] * p[k] + 1;
      const v = l + u[0] + u[1] + u[2];
      return Number.isFinite(v) ? v : -Infinity;
    },
  };
  return { target, toParams: (u) => Array.from(u, Math.exp) };
}

/** Per-customer posterior mean and central credible interval of a prediction. */
export interface PredictionInterval {
  mean: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

/**
 * Any per-customer prediction under the posterior: `predict` is called with `{ model, params }` at each of up to
 * `maxDraws` evenly thinned draws (of one fit, or of two fits paired draw by draw, e.g. BG/NBD and Gamma-Gamma for
 * CLV) and the results are summarised per customer.
 * @example
 * const alive = predictionInterval([bg], ([f]) => probabilityAlive(f, customers));
 * const clv = predictionInterval([bg, gg], ([f, g]) => customerLifetimeValue(f, g, customers));
 */
export function predictionInterval(
  fits: ReadonlyArray<BayesianClvFit>,
  predict: (draw: Array<{ model: string; params: Record<string, number> }>) => Float64Array,
  options: { maxDraws?: number; interval?: number } = {},
): PredictionInterval {
  const maxDraws = options.maxDraws ?? 500;
  const interval = options.interval ?? DEFAULT_INTERVAL_MASS;
  if (!(Number.isInteger(maxDraws) && maxDraws >= 2)) throw new InvalidParameterError('maxDraws', maxDraws, 'the integers ≥ 2');
  if (!(interval > 0 && interval < 1)) throw new InvalidParameterError('interval', interval, '(0, 1)');
  if (fits.length === 0) throw new InvalidParameterError('fits', 0, 'one or more Bayesian fits');
  const total = Math.min(...fits.map((f) => Object.values(f.draws)[0].length as number));
  const step = Math.max(1, Math.floor(total / maxDraws));
  const rows: Float64Array[] = [];
  for (let s = 0; s < total && rows.length < maxDraws; s += step) {
    rows.push(
      predict(
        fits.map((f) => ({ model: f.model, params: Object.fromEntries(Object.entries(f.draws).map(([k, v]) => [k, (v as number[])[s]])) })),
      ),
    );
  }
  const n = rows[0].length;
  const S = rows.length;
  const out = { mean: new Float64Array(n), lower: new Float64Array(n), upper: new Float64Array(n) };
  const col = new Float64Array(S);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let s = 0; s < S; s++) {
      col[s] = rows[s][i];
      m += col[s];
    }
    col.sort();
    out.mean[i] = m / S;
    const ci = centralIntervalSorted(col, interval);
    out.lower[i] = ci.lower;
    out.upper[i] = ci.upper;
  }
  return out;
}
