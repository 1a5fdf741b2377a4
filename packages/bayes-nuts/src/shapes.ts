// The keys the sampler's option objects and prior specs accept, for @mmm/core's checkOptions (typos refused).
import { ANY, checkOptions, customShape, listOf, oneOf, optionKeys, type OptionShape } from '@mmm/core';
import type { LocalStepSize } from './nuts.js';
import { priorParamNames, type PriorSpec } from './priors.js';
import type { ChainResume, EarlyStop, SampleOptions } from './sample.js';

/**
 * A prior spec: `dist` and that distribution's parameters (`{ dist: 'normal', mu, sigma }`). A spec without a known
 * `dist` is left to {@link checkPrior}, which names the valid distributions.
 */
export const PRIOR_SHAPE: OptionShape = customShape((value, path) => {
  if (value === null || typeof value !== 'object' || !('dist' in value)) return;
  const names = priorParamNames(value as PriorSpec) as string[] | undefined;
  if (!names) return;
  checkOptions(value, { kind: 'keys', keys: Object.fromEntries(['dist', ...names].map((k) => [k, ANY])) }, path);
});

/** `localStepSize`: true, false or its settings. */
export const LOCAL_STEP_SIZE_SHAPE: OptionShape = oneOf(ANY, optionKeys<LocalStepSize>({ energyTolerance: ANY, maxHalvings: ANY }));

/** The options of `sample` and `sampleParallel`'s shared part. */
export const SAMPLE_OPTIONS_SHAPE = {
  seed: ANY,
  chains: ANY,
  warmup: ANY,
  draws: ANY,
  targetAccept: ANY,
  maxTreeDepth: ANY,
  metric: ANY,
  initialInverseMetric: ANY,
  init: ANY,
  onProgress: ANY,
  progressEvery: ANY,
  signal: ANY,
  earlyStop: optionKeys<EarlyStop>({ ess: ANY, every: ANY, minDraws: ANY }),
  localStepSize: LOCAL_STEP_SIZE_SHAPE,
  resume: listOf(optionKeys<ChainResume>({ position: ANY, stepSize: ANY, inverseMetric: ANY })),
} satisfies { readonly [K in keyof Required<SampleOptions>]: OptionShape };
