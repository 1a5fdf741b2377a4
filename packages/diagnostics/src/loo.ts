import { DimensionMismatchError, InvalidInputError, InvalidParameterError, NonFiniteError } from '@mmm/core';
import { logSumExp, mean, variance } from './internal/stats.js';

/** PSIS-LOO estimates, as the `loo` package reports them. */
export interface LooResult {
  /** expected log pointwise predictive density, Σ_i elpd_i */
  elpdLoo: number;
  seElpdLoo: number;
  /** effective number of parameters, Σ_i (lpd_i − elpd_i) */
  pLoo: number;
  sePLoo: number;
  /** −2·elpdLoo */
  looic: number;
  seLooic: number;
  /** Pareto k̂ per observation: below 0.5 good, 0.5–0.7 ok, above 0.7 the estimate for that point is unreliable */
  paretoK: Float64Array;
  /** elpd_i per observation */
  pointwise: Float64Array;
  /** observations with k̂ above 0.7 (0-based) */
  highParetoK: number[];
}

/**
 * Pareto-smoothed importance-sampling leave-one-out cross-validation (Vehtari, Gelman & Gabry 2017; Vehtari,
 * Simpson, Gelman, Yao & Gabry 2024), as `loo::loo` (2.5.1).
 * @remarks
 * For each observation i the importance ratios are r_s = 1/p(y_i | θ_s); the largest M = ⌈min(0.2·S, 3√(S/r_eff))⌉
 * log-ratios are replaced by expected order statistics of a generalised Pareto fit (Zhang & Stephens 2009, with
 * the weakly informative prior on k of the loo package), truncated at the largest raw ratio, normalised, and
 * elpd_i = log Σ_s w_s p(y_i | θ_s). Standard errors are √(N·var(pointwise)).
 * @param logLik - `logLik[s][i]`: log-likelihood of observation i at draw s
 * @param options - `rEff`: relative efficiency of the draws (one value or one per observation; default 1)
 */
export function loo(logLik: ReadonlyArray<ArrayLike<number>>, options: { rEff?: number | ArrayLike<number> } = {}): LooResult {
  const S = logLik.length;
  if (S === 0) throw new InvalidInputError('logLik', 'has no draws', 'Pass logLik[s][i] for draws s and observations i.');
  const N = logLik[0].length;
  if (N === 0) throw new InvalidInputError('logLik[0]', 'has no observations', 'Pass at least one observation.');
  for (let s = 0; s < S; s++) {
    if (logLik[s].length !== N) throw new DimensionMismatchError(`logLik[${s}]`, N, logLik[s].length);
    for (let i = 0; i < N; i++) if (!Number.isFinite(logLik[s][i])) throw new NonFiniteError(`logLik[${s}][${i}]`, logLik[s][i]);
  }
  const rEff = options.rEff ?? 1;
  const rEffAt = (i: number): number => (typeof rEff === 'number' ? rEff : rEff[i]);
  if (typeof rEff !== 'number' && rEff.length !== N) throw new DimensionMismatchError('rEff', N, rEff.length);

  const ll = new Float64Array(S);
  const lw = new Float64Array(S);
  const tmp = new Float64Array(S);
  const paretoK = new Float64Array(N);
  const elpd = new Float64Array(N);
  const pLooI = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const r = rEffAt(i);
    if (!(r > 0) || !Number.isFinite(r)) throw new InvalidParameterError(`rEff[${i}]`, r, '(0, ∞)');
    for (let s = 0; s < S; s++) {
      ll[s] = logLik[s][i];
      lw[s] = -ll[s];
    }
    const tailLength = Math.ceil(Math.min(0.2 * S, 3 * Math.sqrt(S / r)));
    paretoK[i] = paretoSmoothInPlace(lw, tailLength);
    const norm = logSumExp(lw);
    for (let s = 0; s < S; s++) tmp[s] = ll[s] + lw[s] - norm;
    elpd[i] = logSumExp(tmp);
    pLooI[i] = logSumExp(ll) - Math.log(S) - elpd[i];
  }
  const se = (x: Float64Array) => Math.sqrt(N * variance(x));
  const elpdLoo = sum(elpd);
  const looicI = elpd.map((v) => -2 * v);
  const highParetoK: number[] = [];
  paretoK.forEach((k, i) => {
    if (k > 0.7) highParetoK.push(i);
  });
  return {
    elpdLoo,
    seElpdLoo: se(elpd),
    pLoo: sum(pLooI),
    sePLoo: se(pLooI),
    looic: -2 * elpdLoo,
    seLooic: se(looicI),
    paretoK,
    pointwise: elpd,
    highParetoK,
  };
}

/**
 * Pareto-smooths the largest `tailLength` log weights of `lw` in place (loo's `do_psis_i`) and returns k̂
 * (Infinity when the tail is too short or cannot be fitted).
 * @internal
 */
export function paretoSmoothInPlace(lw: Float64Array, tailLength: number): number {
  const S = lw.length;
  let maxLr = -Infinity;
  for (let s = 0; s < S; s++) if (lw[s] > maxLr) maxLr = lw[s];
  for (let s = 0; s < S; s++) lw[s] -= maxLr;
  let k = Infinity;
  if (tailLength >= 5 && tailLength < S) {
    const order = new Uint32Array(S);
    for (let s = 0; s < S; s++) order[s] = s;
    order.sort((a, b) => lw[a] - lw[b] || a - b);
    const start = S - tailLength;
    const tail = new Float64Array(tailLength);
    for (let j = 0; j < tailLength; j++) tail[j] = lw[order[start + j]];
    if (Math.abs(tail[tailLength - 1] - tail[0]) >= Number.EPSILON / 100) {
      const cutoff = lw[order[start - 1]];
      const expCutoff = Math.exp(cutoff);
      const x = tail.map((v) => Math.exp(v) - expCutoff);
      const fit = gpdFit(x);
      k = fit.k;
      if (Number.isFinite(k)) {
        for (let j = 0; j < tailLength; j++) {
          const p = (j + 1 - 0.5) / tailLength;
          const q = (fit.sigma * Math.expm1(-k * Math.log1p(-p))) / k + expCutoff;
          lw[order[start + j]] = Math.log(q);
        }
      }
    }
  }
  for (let s = 0; s < S; s++) {
    if (lw[s] > 0) lw[s] = 0;
    lw[s] += maxLr;
  }
  return k;
}

/**
 * Generalised Pareto fit by the empirical Bayes method of Zhang & Stephens (2009) with the weakly informative
 * adjustment of k toward ½ used by `loo` (`adjust_k_wip`). `x` must be sorted ascending and positive.
 * @internal
 */
export function gpdFit(x: Float64Array): { k: number; sigma: number } {
  const N = x.length;
  const prior = 3;
  const M = 30 + Math.floor(Math.sqrt(N));
  const xstar = x[Math.floor(N / 4 + 0.5) - 1];
  const theta = new Float64Array(M);
  const lTheta = new Float64Array(M);
  for (let j = 0; j < M; j++) {
    theta[j] = 1 / x[N - 1] + (1 - Math.sqrt(M / (j + 1 - 0.5))) / prior / xstar;
    const a = -theta[j];
    let kk = 0;
    for (let i = 0; i < N; i++) kk += Math.log1p(a * x[i]);
    kk /= N;
    lTheta[j] = N * (Math.log(a / kk) - kk - 1);
  }
  const lse = logSumExp(lTheta);
  let thetaHat = 0;
  for (let j = 0; j < M; j++) thetaHat += theta[j] * Math.exp(lTheta[j] - lse);
  let k = 0;
  for (let i = 0; i < N; i++) k += Math.log1p(-thetaHat * x[i]);
  k /= N;
  const sigma = -k / thetaHat;
  k = (k * N) / (N + 10) + (10 * 0.5) / (N + 10);
  if (Number.isNaN(k)) k = Infinity;
  return { k, sigma };
}

/** One row of {@link compareLoo}, best model first. */
export interface ModelComparisonRow {
  name: string;
  elpdLoo: number;
  seElpdLoo: number;
  /** elpd of this model minus that of the best (0 for the best) */
  elpdDiff: number;
  /** standard error of that difference, √N·sd(pointwise differences) */
  seDiff: number;
  pLoo: number;
  looic: number;
}

/**
 * Compares models by PSIS-LOO on the same observations, as `loo::loo_compare`: sorted by elpd, each with its
 * elpd difference from the best and the standard error of that difference.
 * @param results - named {@link loo} results, all on the same N observations
 */
export function compareLoo(results: Readonly<Record<string, LooResult>>): ModelComparisonRow[] {
  const names = Object.keys(results);
  if (names.length < 2) throw new InvalidInputError('results', `has ${names.length} model`, 'Compare at least two models.');
  const N = results[names[0]].pointwise.length;
  for (const n of names) {
    if (results[n].pointwise.length !== N) throw new DimensionMismatchError(`results.${n}.pointwise`, N, results[n].pointwise.length);
  }
  const order = [...names].sort((a, b) => results[b].elpdLoo - results[a].elpdLoo);
  const best = results[order[0]].pointwise;
  return order.map((name) => {
    const r = results[name];
    const d = r.pointwise.map((v, i) => v - best[i]);
    return {
      name,
      elpdLoo: r.elpdLoo,
      seElpdLoo: r.seElpdLoo,
      elpdDiff: sum(d),
      seDiff: name === order[0] ? 0 : Math.sqrt(N) * Math.sqrt(variance(d, mean(d))),
      pLoo: r.pLoo,
      looic: r.looic,
    };
  });
}

function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}
