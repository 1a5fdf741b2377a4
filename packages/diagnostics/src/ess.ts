import { InvalidParameterError } from '@mmm/core';
import { checkChains, flatten, mapChains, splitChains, type Chains } from './internal/chains.js';
import { essCore } from './internal/ess-core.js';
import { isDegenerate, prepareDraws, rankNormalisedSplit, splitLayout, type PreparedDraws } from './internal/prepared.js';
import { mean, quantileSorted } from './internal/stats.js';

/**
 * Bulk effective sample size: the ESS of the rank-normalised split chains (Vehtari et al. 2021).
 * @remarks Agrees with `posterior::ess_bulk` (1.4.0); aim for more than 100 per chain.
 * @returns ESS, or NaN where `posterior` returns NA (NaN or constant draws, fewer than 3 draws per split chain)
 */
export function essBulk(chains: Chains): number {
  return essBulkOf(prepareDraws(chains));
}

/** {@link essBulk} of prepared draws. @internal */
export function essBulkOf(p: PreparedDraws): number {
  if (p.hasNaN) return Number.NaN;
  return essCore(rankNormalisedSplit(p.order, p.sorted, p.chains.length, p.n));
}

/**
 * Tail effective sample size: the smaller of the ESS of the 5% and 95% quantiles.
 * @remarks Agrees with `posterior::ess_tail` (1.4.0).
 */
export function essTail(chains: Chains): number {
  return essTailOf(prepareDraws(chains));
}

/** {@link essTail} of prepared draws. @internal */
export function essTailOf(p: PreparedDraws): number {
  return Math.min(essQuantileOf(p, 0.05), essQuantileOf(p, 0.95));
}

/**
 * ESS of the mean: the ESS of the split chains themselves (no rank normalisation).
 * @remarks Agrees with `posterior::ess_mean` (and `ess_basic`).
 */
export function essMean(chains: Chains): number {
  checkChains(chains);
  return essCore(splitChains(chains));
}

/**
 * ESS of the split chains, or of the whole chains with `split: false`.
 * @remarks Agrees with `posterior::ess_basic` (1.4.0).
 */
export function essBasic(chains: Chains, options: { split?: boolean } = {}): number {
  checkChains(chains);
  return essCore(options.split === false ? chains : splitChains(chains));
}

/**
 * ESS of the standard deviation: the ESS of |x − mean(x)| over the split chains.
 * @remarks Agrees with `posterior::ess_sd` (1.4.0).
 */
export function essSd(chains: Chains): number {
  checkChains(chains);
  const m = mean(flatten(chains));
  return essCore(splitChains(mapChains(chains, (v) => Math.abs(v - m))));
}

/**
 * ESS of the `prob` quantile: the ESS of the indicator x ≤ q̂_prob over the split chains.
 * @remarks Agrees with `posterior::ess_quantile` (1.4.0); prob = 1 is moved to (S − ½)/S as there.
 * @param prob - in [0, 1]
 */
export function essQuantile(chains: Chains, prob: number): number {
  return essQuantileOf(prepareDraws(chains), prob);
}

/** {@link essQuantile} of prepared draws. @internal */
export function essQuantileOf(p: PreparedDraws, prob: number): number {
  if (!(prob >= 0 && prob <= 1)) throw new InvalidParameterError('prob', prob, '[0, 1]');
  if (isDegenerate(p)) return Number.NaN;
  const S = p.sorted.length;
  const q = quantileSorted(p.sorted, prob === 1 ? (S - 0.5) / S : prob);
  const { half, secondStart } = splitLayout(p.n);
  const out: Float64Array[] = [];
  for (let c = 0; c < p.chains.length; c++) {
    const a = new Float64Array(half);
    const b = new Float64Array(p.n - secondStart);
    const o = c * p.n;
    for (let i = 0; i < half; i++) a[i] = p.flat[o + i] <= q ? 1 : 0;
    for (let i = secondStart; i < p.n; i++) b[i - secondStart] = p.flat[o + i] <= q ? 1 : 0;
    out.push(a, b);
  }
  return essCore(out);
}
