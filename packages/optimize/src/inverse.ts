import { ANY, InvalidInputError, InvalidParameterError, assertFinite, checkOptions, optionKeys } from '@mmm/core';
import { ALLOCATE_OPTION_KEYS, allocateBudget, type AllocateOptions, type AllocationResult } from './allocate.js';

/** Options of the inverse questions: those of {@link allocateBudget} without the budget, plus a search range. */
export type BudgetSearchOptions = Omit<AllocateOptions, 'totalBudget'> & {
  /** budgets to search between; @defaultValue [sum of lower bounds, sum of upper bounds] (upper bounds must be finite) */
  budgetRange?: readonly [number, number];
  /** relative precision of the budget found; @defaultValue 1e-9 */
  tolerance?: number;
};

const { totalBudget: _b, ...searchKeys } = ALLOCATE_OPTION_KEYS;
const SEARCH_SHAPE = optionKeys<BudgetSearchOptions>({ ...searchKeys, budgetRange: ANY, tolerance: ANY });

function range(o: BudgetSearchOptions): [number, number] {
  if (o.budgetRange) {
    const [a, b] = o.budgetRange;
    assertFinite('budgetRange[0]', a);
    assertFinite('budgetRange[1]', b);
    if (!(a >= 0 && b > a)) throw new InvalidInputError('budgetRange', `is [${a}, ${b}]`, 'Give 0 ≤ low < high.');
    return [a, b];
  }
  let lo = 0;
  let hi = 0;
  for (const c of o.curves) {
    const b = o.bounds?.[c.channel];
    lo += b?.[0] ?? 0;
    hi += b?.[1] ?? Infinity;
  }
  if (!Number.isFinite(hi))
    throw new InvalidInputError('budgetRange', 'is missing and some channels have no upper bound', 'Pass budgetRange: [low, high].');
  return [lo, hi];
}

function bisect(o: BudgetSearchOptions, tooLow: (r: AllocationResult) => boolean, what: string): AllocationResult {
  checkOptions(o, SEARCH_SHAPE, 'options');
  let [lo, hi] = range(o);
  const tol = o.tolerance ?? 1e-9;
  const { budgetRange: _r, tolerance: _t, ...allocate } = o;
  const at = (B: number) => allocateBudget({ ...allocate, totalBudget: B });
  const top = at(hi);
  if (tooLow(top))
    throw new InvalidInputError(
      'target',
      `is not reached within the budget range (up to ${hi})`,
      `Widen budgetRange or lower the ${what}.`,
    );
  let best = top;
  while (hi - lo > tol * Math.max(1, hi)) {
    const mid = 0.5 * (lo + hi);
    const r = at(mid);
    if (tooLow(r)) lo = mid;
    else {
      hi = mid;
      best = r;
    }
  }
  return best;
}

/**
 * The least budget whose optimal allocation reaches an expected response of `target` (the optimal response grows
 * with the budget, so a bisection on the budget finds it).
 */
export function budgetForResponse(options: BudgetSearchOptions, target: number): AllocationResult {
  assertFinite('target', target);
  return bisect(options, (r) => r.expectedResponse < target, 'target response');
}

/**
 * The budget at which the marginal return of the optimal allocation (the KKT multiplier: the expected response of
 * one more unit of spend) falls to `target`, e.g. 1.0 for break-even on revenue.
 */
export function budgetForMarginalRoas(options: BudgetSearchOptions, target: number): AllocationResult {
  if (!(target > 0)) throw new InvalidParameterError('target', target, '(0, ∞)');
  const marginal = (r: AllocationResult) => {
    if (Number.isFinite(r.kkt.multiplier)) return r.kkt.multiplier;
    return Math.max(...Object.values(r.marginalRoas));
  };
  // marginal return falls as the budget grows: "too low a budget" means the marginal return is still above target
  return bisect(options, (r) => marginal(r) > target, 'target marginal ROAS');
}

/** The optimal allocation at each budget: the efficient frontier of response against spend. */
export function efficientFrontier(
  options: Omit<AllocateOptions, 'totalBudget'>,
  budgets: ReadonlyArray<number>,
): Array<AllocationResult & { totalBudget: number }> {
  if (budgets.length === 0) throw new InvalidInputError('budgets', 'is empty', 'Pass the budgets to evaluate.');
  return budgets.map((B) => ({ totalBudget: B, ...allocateBudget({ ...options, totalBudget: B }) }));
}

/** A named scenario: a budget and optionally its own bounds or objective. */
export interface Scenario {
  name: string;
  totalBudget: number;
  bounds?: AllocateOptions['bounds'];
  relativeBounds?: AllocateOptions['relativeBounds'];
  objective?: AllocateOptions['objective'];
}

/** Several scenarios (e.g. conservative / base / aggressive) evaluated in one call, on the same curves. */
export function compareScenarios(
  options: Omit<AllocateOptions, 'totalBudget'>,
  scenarios: ReadonlyArray<Scenario>,
): Array<AllocationResult & { name: string; totalBudget: number }> {
  if (scenarios.length === 0) throw new InvalidInputError('scenarios', 'is empty', 'Pass at least one scenario.');
  return scenarios.map((s) => ({
    name: s.name,
    totalBudget: s.totalBudget,
    ...allocateBudget({
      ...options,
      totalBudget: s.totalBudget,
      bounds: s.bounds ?? options.bounds,
      relativeBounds: s.relativeBounds ?? options.relativeBounds,
      objective: s.objective ?? options.objective,
    }),
  }));
}
