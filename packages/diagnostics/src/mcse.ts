import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import { InvalidParameterError } from '@mmm/core';
import { checkChains, flatten, mapChains, type Chains } from './internal/chains.js';
import { mean, variance } from './internal/stats.js';
import { prepareDraws, type PreparedDraws } from './internal/prepared.js';
import { essMean, essQuantileOf } from './ess.js';

/**
 * Monte Carlo standard error of the mean: sd(x)/√ESS_mean.
 * @remarks Agrees with `posterior::mcse_mean` (1.4.0).
 */
export function mcseMean(chains: Chains): number {
  checkChains(chains);
  const flat = flatten(chains);
  return Math.sqrt(variance(flat)) / Math.sqrt(essMean(chains));
}

/**
 * Monte Carlo standard error of the standard deviation, by the delta method with the ESS of the squared
 * centred draws.
 * @remarks
 * With c = x − x̄, E = mean(c²): Var(E) ≈ (mean(c⁴) − E²)/ESS_mean(c²), and mcse_sd = √(Var(E)/(4E)).
 * Agrees with `posterior::mcse_sd` (1.4.0).
 */
export function mcseSd(chains: Chains): number {
  checkChains(chains);
  const m = mean(flatten(chains));
  const sq = mapChains(chains, (v) => (v - m) * (v - m));
  const ess = essMean(sq);
  const flatSq = flatten(sq);
  const evar = mean(flatSq);
  let m4 = 0;
  for (let i = 0; i < flatSq.length; i++) m4 += flatSq[i] * flatSq[i];
  m4 /= flatSq.length;
  const varvar = (m4 - evar * evar) / ess;
  return Math.sqrt(varvar / evar / 4);
}

/**
 * Monte Carlo standard error of the `prob` quantile, from a Beta approximation to the posterior of the
 * quantile's rank with the quantile's ESS (Vehtari et al. 2021, §4.3).
 * @remarks Agrees with `posterior::mcse_quantile` (1.4.0).
 */
export function mcseQuantile(chains: Chains, prob: number): number {
  return mcseQuantileOf(prepareDraws(chains), prob);
}

/** {@link mcseQuantile} of prepared draws. @internal */
export function mcseQuantileOf(p: PreparedDraws, prob: number): number {
  if (!(prob >= 0 && prob <= 1)) throw new InvalidParameterError('prob', prob, '[0, 1]');
  const ess = essQuantileOf(p, prob);
  if (Number.isNaN(ess)) return Number.NaN;
  const a1 = betaQuantile(0.1586553, ess * prob + 1, ess * (1 - prob) + 1);
  const a2 = betaQuantile(0.8413447, ess * prob + 1, ess * (1 - prob) + 1);
  const s = p.sorted;
  const S = s.length;
  const th1 = s[Math.max(Math.floor(a1 * S), 1) - 1];
  const th2 = s[Math.min(Math.ceil(a2 * S), S) - 1];
  return (th2 - th1) / 2;
}
