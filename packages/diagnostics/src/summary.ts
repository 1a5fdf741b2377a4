import type { Chains } from './internal/chains.js';
import { prepareDraws } from './internal/prepared.js';
import { mean, variance } from './internal/stats.js';
import { essBulkOf, essTailOf } from './ess.js';
import { mcseMean, mcseSd } from './mcse.js';
import { rhatOf } from './rhat.js';
import { hdiSorted } from './quantile.js';
import { DEFAULT_INTERVAL_MASS, type CredibleInterval, ANY, checkOptions, optionKeys } from '@mmm/core';

/** One row of {@link summary}: ArviZ's `az.summary` columns. */
export interface SummaryRow {
  /** parameter name */
  name: string;
  mean: number;
  sd: number;
  /** the highest-density interval at the summary's `interval` mass (0.9 by default: ArviZ's `hdi_5%`, `hdi_95%`) */
  hdi: CredibleInterval;
  mcseMean: number;
  mcseSd: number;
  essBulk: number;
  essTail: number;
  rhat: number;
}

/**
 * A summary table over named parameters with ArviZ's columns: mean, sd, HDI, MCSE of mean and sd, bulk and tail
 * ESS and rank-normalised R-hat (the convergence statistics as in `posterior`).
 * @param draws - per parameter, its chains (`draws.alpha[c][i]`)
 * @param options - `interval`: the HDI's mass (default 0.9, `DEFAULT_INTERVAL_MASS`)
 * @example
 * summary({ mu: [[0.1, 0.3, -0.2, 0.5], [0.2, 0.0, 0.4, -0.1]] })[0].name; // 'mu'
 */
export function summary(draws: Readonly<Record<string, Chains>>, options: { interval?: number } = {}): SummaryRow[] {
  checkOptions(options, optionKeys<{ interval?: number }>({ interval: ANY }), 'options');
  const hdiProb = options.interval ?? DEFAULT_INTERVAL_MASS;
  return Object.entries(draws).map(([name, chains]) => {
    const p = prepareDraws(chains, `draws.${name}`);
    const m = mean(p.flat);
    const finite = !p.hasNaN && Number.isFinite(p.sorted[0]) && Number.isFinite(p.sorted[p.sorted.length - 1]);
    const [lo, hi] = finite ? hdiSorted(p.sorted, hdiProb) : [Number.NaN, Number.NaN];
    return {
      name,
      mean: m,
      sd: Math.sqrt(variance(p.flat, m)),
      hdi: { lower: lo, upper: hi },
      mcseMean: mcseMean(chains),
      mcseSd: mcseSd(chains),
      essBulk: essBulkOf(p),
      essTail: essTailOf(p),
      rhat: rhatOf(p),
    };
  });
}
