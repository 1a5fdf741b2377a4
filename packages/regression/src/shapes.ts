// The keys the regression package's option objects accept, for @mmm/core's checkOptions (typos refused).
import { ANY, oneOf, optionKeys, type OptionShape } from '@mmm/core';
import type { BoostingOptions } from './gbdt/boosting.js';
import type { SearchOptions } from './mmm/search.js';

/** `searchMMM`'s options. */
export const SEARCH_OPTIONS_KEYS = {
  method: ANY,
  l1Ratio: ANY,
  nonNegative: ANY,
  strategy: ANY,
  candidates: ANY,
  population: ANY,
  grid: ANY,
  penalty: ANY,
  validation: oneOf(
    optionKeys<{ folds?: number; gap?: number }>({ folds: ANY, gap: ANY }),
    optionKeys<{ holdout: number }>({ holdout: ANY }),
  ),
  select: ANY,
  seed: ANY,
  tol: ANY,
  onProgress: ANY,
  signal: ANY,
} satisfies { readonly [K in keyof Required<SearchOptions>]: OptionShape };

/** `gradientBoosting`'s options. */
export const BOOSTING_OPTIONS_SHAPE: OptionShape = optionKeys<BoostingOptions>({
  nEstimators: ANY,
  learningRate: ANY,
  maxDepth: ANY,
  minSamplesLeaf: ANY,
  lambda: ANY,
  subsample: ANY,
  maxBins: ANY,
  validation: ANY,
  patience: ANY,
  seed: ANY,
  signal: ANY,
});
