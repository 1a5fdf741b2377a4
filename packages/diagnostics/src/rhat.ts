import type { Chains } from './internal/chains.js';
import { checkChains, splitChains } from './internal/chains.js';
import { rhatCore } from './internal/ess-core.js';
import { foldedOrder, prepareDraws, rankNormalisedSplit, type PreparedDraws } from './internal/prepared.js';

/**
 * Rank-normalised split R-hat (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021): the larger of the R-hat of
 * rank-normalised split chains and of the rank-normalised folded split chains |x − median(x)|.
 * @remarks
 * Agrees with `posterior::rhat` (1.4.0). Values below 1.01 indicate convergence.
 * With an even number of draws the median is the midpoint of the two middle draws a ≤ b, so both fold to
 * exactly (b − a)/2. Computed in floating point as `posterior` does, the two can differ by one ulp, and that
 * decides whether they tie in the ranking: a one-ulp change of a draw then moves the folded R-hat by up to
 * 1e-3 on 100 draws. We give both the exact common value, so the result does not depend on the last bit of the
 * draws; on draws where `posterior`'s two values come out equal, the two agree.
 * @param chains - one parameter's draws, one array per chain (equal lengths, at least 4 draws)
 * @returns R-hat, or NaN where `posterior` returns NA (NaN or constant draws; infinite draws are ranked)
 * @throws InvalidInputError for no chains or fewer than 4 draws per chain; DimensionMismatchError for chains of unequal length
 * @example
 * rhat([[0.1, -0.3, 0.5, 1.2], [0.4, -1.1, 0.2, 0.9]]);
 */
export function rhat(chains: Chains): number {
  return rhatOf(prepareDraws(chains));
}

/** {@link rhat} of prepared draws. @internal */
export function rhatOf(p: PreparedDraws): number {
  if (p.hasNaN) return Number.NaN;
  const m = p.chains.length;
  const bulk = rhatCore(rankNormalisedSplit(p.order, p.sorted, m, p.n));
  const folded = foldedOrder(p);
  const tail = rhatCore(rankNormalisedSplit(folded.order, folded.keys, m, p.n));
  return Math.max(bulk, tail);
}

/**
 * Basic (not rank-normalised) R-hat of the split chains (or of the whole chains with `split: false`).
 * @remarks Agrees with `posterior::rhat_basic` (1.4.0).
 */
export function rhatBasic(chains: Chains, options: { split?: boolean } = {}): number {
  checkChains(chains);
  return rhatCore(options.split === false ? chains : splitChains(chains));
}
