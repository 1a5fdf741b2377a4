export type { LogDensity, Orbit } from './log-density.js';
export { createRng } from './rng.js';
export type { Rng } from './rng.js';
export { diagMetric, denseMetric, choleskyLower } from './metric.js';
export type { Metric } from './metric.js';
export { nutsTransition, createNutsWorkspace, MAX_DELTA_H, LOCAL_STEP_SIZE_SHAPE } from './nuts.js';
export type { ChainState, TransitionInfo, NutsWorkspace, LocalStepSize } from './nuts.js';
export { dualAveragingInit, dualAveragingUpdate, dualAveragingRestart, dualAveragingFinal } from './adaptation/dual-averaging.js';
export type { DualAveraging } from './adaptation/dual-averaging.js';
export { welfordInit, welfordUpdate, welfordRestart, welfordFinal } from './adaptation/welford.js';
export type { Welford } from './adaptation/welford.js';
export { warmupSchedule } from './adaptation/schedule.js';
export type { AdaptationWindow } from './adaptation/schedule.js';
export { sample } from './sample.js';
export { runChain } from './chain.js';
export { continueFrom, joinRuns } from './runs.js';
export { SAMPLE_OPTION_KEYS } from './sample-options.js';
export type {
  ChainResume,
  EarlyStop,
  EarlyStopReport,
  StopCheck,
  SampleOptions,
  SampleResult,
  ChainResult,
  ChainStats,
  Progress,
} from './sample-options.js';
export {
  windowedAdaptationInit,
  windowedAdaptationUpdate,
  windowedAdaptationRestart,
  windowedAdaptationFinal,
} from './adaptation/windowed.js';
export type { WindowedAdaptation } from './adaptation/windowed.js';
export {
  priorLogDensity,
  priorLogDensityGradient,
  priorParamGradientInto,
  priorParamNames,
  priorSupport,
  checkPrior,
  samplePrior,
  priorQuantile,
  PRIOR_SHAPE,
} from './priors.js';
export type { PriorSpec, Support } from './priors.js';
export { constrainInto, constrainVjp, insideSupport, unconstrain } from './bijectors.js';
export type { Constraint } from './bijectors.js';
export { createBlockModel, scalarNames } from './block-model.js';
export type { ParameterBlock, BlockLogLikelihood, BoundLogLikelihood, BlockModel } from './block-model.js';
