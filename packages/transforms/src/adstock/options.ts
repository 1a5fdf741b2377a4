import { assertAllFinite } from '@mmm/core';

/** The number of lag weights of an adstock when none is given (lags 0 … 7). */
export const DEFAULT_MAX_LAG = 8;

/** Window options shared by every adstock. */
export interface AdstockWindow {
  /**
   * Number of lag weights L (lags 0 … L−1). A window at least as long as the series gives the infinite-memory
   * recursion of Robyn's geometric adstock.
   * @defaultValue 8
   */
  maxLag?: number;
  /**
   * Normalise the weights to sum to 1, so the adstocked series keeps the total spend (up to the window's tail).
   * @defaultValue true
   */
  normalize?: boolean;
}

/** Resolves and checks window options. @internal */
export function resolveWindow(x: ArrayLike<number>, opts: AdstockWindow): { maxLag: number; normalize: boolean } {
  const maxLag = opts.maxLag ?? DEFAULT_MAX_LAG;
  assertAllFinite('x', x);
  return { maxLag, normalize: opts.normalize ?? true };
}
