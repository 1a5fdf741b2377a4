// The three convergence figures of one parameter from one sort of its draws (what a stopping rule checks).
import type { Chains } from './internal/chains.js';
import { prepareDraws } from './internal/prepared.js';
import { essBulkOf, essTailOf } from './ess.js';
import { rhatOf } from './rhat.js';

/** Rank-normalised split R-hat, bulk ESS and tail ESS of one parameter. */
export interface Convergence {
  rhat: number;
  essBulk: number;
  essTail: number;
}

/**
 * `rhat`, `essBulk` and `essTail` of one parameter at once, sorting its draws once (each equals its own function's value).
 * @param chains - one parameter's draws, one array per chain (equal lengths, at least 4 draws)
 * @example
 * convergence([[0.1, -0.3, 0.5, 1.2, 0.3], [0.4, -1.1, 0.2, 0.9, -0.2]]).essBulk;
 */
export function convergence(chains: Chains): Convergence {
  const p = prepareDraws(chains);
  return { rhat: rhatOf(p), essBulk: essBulkOf(p), essTail: essTailOf(p) };
}
