// The keys of the pipeline's option objects, for @mmm/core's checkOptions: a misspelt key at any level of
// `fitMMM`'s options (`drawz`, `model.trnd`, `channels[0].reech`, `model.channels.tv.roasPrio`) is refused with its
// path and the nearest valid name instead of fitting another model than the one asked for.
import { ANY, listOf, oneOf, optionKeys, recordOf, type OptionShape } from '@mmm/core';
import { LOCAL_STEP_SIZE_SHAPE, PRIOR_SHAPE } from '@mmm/bayes-nuts';
import type { GateThresholds } from '@mmm/diagnostics';
import { CHANNEL_OPTIONS_KEYS, MODEL_OPTIONS_KEYS } from '@mmm/model';
import { BOOSTING_OPTIONS_SHAPE, SEARCH_OPTIONS_KEYS } from '@mmm/regression';
import type { FitMMMOptions, LiftTest, SteadyLiftTest } from './types.js';

type ModelOptions = NonNullable<FitMMMOptions['model']>;

/** `fitMMM`'s `model`: the model spec's options and per-channel settings by channel name. */
const MODEL_SHAPE: OptionShape = optionKeys<ModelOptions>({
  seasonality: MODEL_OPTIONS_KEYS.seasonality,
  trend: MODEL_OPTIONS_KEYS.trend,
  priors: MODEL_OPTIONS_KEYS.priors,
  likelihood: MODEL_OPTIONS_KEYS.likelihood,
  parameterization: MODEL_OPTIONS_KEYS.parameterization,
  noise: MODEL_OPTIONS_KEYS.noise,
  roasPrior: MODEL_OPTIONS_KEYS.roasPrior,
  unpooled: MODEL_OPTIONS_KEYS.unpooled,
  geoTrend: MODEL_OPTIONS_KEYS.geoTrend,
  geoOrbit: MODEL_OPTIONS_KEYS.geoOrbit,
  timeVaryingEffects: MODEL_OPTIONS_KEYS.timeVaryingEffects,
  interactions: MODEL_OPTIONS_KEYS.interactions,
  channels: recordOf(optionKeys<NonNullable<ModelOptions['channels']>[string]>(CHANNEL_OPTIONS_KEYS)),
});

/** A lift test: over a window of dates, or at steady state (PyMC-Marketing's convention). */
export const LIFT_TEST_SHAPE: OptionShape = oneOf(
  optionKeys<LiftTest>({ channel: ANY, start: ANY, end: ANY, spendChange: ANY, lift: ANY, sd: ANY, geo: ANY }),
  optionKeys<SteadyLiftTest>({ channel: ANY, x: ANY, deltaX: ANY, lift: ANY, sd: ANY, geos: ANY }),
);

/** The convergence gate's thresholds. */
export const GATE_SHAPE: OptionShape = optionKeys<GateThresholds>({ rhatMax: ANY, essBulkMin: ANY, essTailMin: ANY, maxDivergences: ANY });

/** `fitMMM`'s options by key, each with its shape (the CLI's config files take the same keys). */
export const FIT_OPTION_KEYS = {
  date: ANY,
  target: ANY,
  channels: listOf(
    oneOf(
      ANY,
      optionKeys<{ name: string; spend: string; exposure?: string; reach?: string; frequency?: string }>({
        name: ANY,
        spend: ANY,
        exposure: ANY,
        reach: ANY,
        frequency: ANY,
      }),
    ),
  ),
  geo: ANY,
  population: ANY,
  controls: ANY,
  organic: ANY,
  treatments: listOf(oneOf(ANY, optionKeys<{ name: string; prior?: unknown }>({ name: ANY, prior: PRIOR_SHAPE }))),
  method: ANY,
  search: optionKeys<NonNullable<FitMMMOptions['search']>>({
    l1Ratio: SEARCH_OPTIONS_KEYS.l1Ratio,
    nonNegative: SEARCH_OPTIONS_KEYS.nonNegative,
    strategy: SEARCH_OPTIONS_KEYS.strategy,
    candidates: SEARCH_OPTIONS_KEYS.candidates,
    population: SEARCH_OPTIONS_KEYS.population,
    grid: SEARCH_OPTIONS_KEYS.grid,
    penalty: SEARCH_OPTIONS_KEYS.penalty,
    validation: SEARCH_OPTIONS_KEYS.validation,
    select: SEARCH_OPTIONS_KEYS.select,
    tol: SEARCH_OPTIONS_KEYS.tol,
    onProgress: SEARCH_OPTIONS_KEYS.onProgress,
    ranges: ANY,
  }),
  gbdt: BOOSTING_OPTIONS_SHAPE,
  bootstrap: optionKeys<NonNullable<FitMMMOptions['bootstrap']>>({ resamples: ANY, blockLength: ANY, pool: ANY, widen: ANY }),
  model: MODEL_SHAPE,
  liftTests: listOf(LIFT_TEST_SHAPE),
  terms: ANY,
  chains: ANY,
  warmup: ANY,
  draws: ANY,
  seed: ANY,
  targetAccept: ANY,
  metric: ANY,
  initialMetric: ANY,
  parallel: ANY,
  workers: ANY,
  createWorker: ANY,
  onProgress: ANY,
  signal: ANY,
  interval: ANY,
  gate: GATE_SHAPE,
  warmStart: optionKeys<NonNullable<FitMMMOptions['warmStart']>>({ fit: ANY, warmup: ANY }),
  remedy: oneOf(ANY, optionKeys<{ maxAttempts?: number }>({ maxAttempts: ANY })),
  earlyStop: oneOf(ANY, optionKeys<{ ess?: number }>({ ess: ANY })),
  localStepSize: LOCAL_STEP_SIZE_SHAPE,
} satisfies { readonly [K in keyof Required<FitMMMOptions>]: OptionShape };

/** `fitMMM`'s options, every level. */
export const FIT_OPTIONS_SHAPE: OptionShape = optionKeys<FitMMMOptions>(FIT_OPTION_KEYS);
