export { fitMMM, FIT_METHODS } from './fit.js';
export type { FitMethodEntry, MethodSupport } from './fit.js';
export type { PreparedFit } from './prepare.js';
export type { GeoPanel } from './panel.js';
export { FIT_OPTION_KEYS, FIT_OPTIONS_SHAPE, LIFT_TEST_SHAPE, GATE_SHAPE } from './shapes.js';
export { optimizeBudget } from './budget.js';
export type { BudgetPlan, OptimizeBudgetOptions } from './budget.js';
export type { TableInput } from './table.js';
export type {
  FitFor,
  FitOf,
  BayesianFit,
  BayesianDiagnostics,
  ClassicalFit,
  ClassicalMethod,
  GbdtFit,
  ModelFit,
  FitCommon,
  FitMMMOptions,
  FitProgress,
  FitMethod,
  ClassicalSearchOptions,
  LiftTest,
  SteadyLiftTest,
  Attempt,
  MMMFit,
  ChannelInput,
  ReachFrequencyInput,
  ReachFrequencyResult,
  ChannelResult,
  InteractionResult,
  IntervalCoverage,
  PeriodRoas,
  Estimate,
  SeriesEstimate,
  GeoPanelData,
  GeoResult,
} from './types.js';
export { channelStability } from './time-varying.js';
export type { ChannelStabilityOptions, EffectChange, EffectWindow } from './time-varying.js';
export { quarterPeriods } from './time-varying.js';
export { responseCurves, saturationCurves, adstockCurves } from './curves.js';
export type { ChannelCurve, CurveOptions } from './curves.js';
export type { FrequencyChoice } from './reach-frequency.js';
export { frequencyColumn, predict } from './predict.js';
export { spendPerPeriod } from './summaries.js';
export type { Prediction, PredictOptions } from './predict.js';
export { aggregateToWeeks, spreadMonthlyToWeeks, groupChannels, dataReport, aggregateGeos, liftTestsFromPyMC } from './helpers.js';
export type { DataReport } from './helpers.js';
export { holdoutSplit, priorPredictive, posteriorPredictive, pointwiseLogLikelihood, compareModels } from './evaluation.js';
export type { PriorPredictive, EvaluationOptions } from './evaluation.js';
export { compareMethods, rollingWindows, refit, RESOLVABLE_RELATIVE_SD, CLASSICAL_INTERVAL_FACTOR } from './comparison.js';
export type {
  MethodComparisonRow,
  MethodComparison,
  FitMetrics,
  RollingWindow,
  RollingWindows,
  ChannelStability,
  ComparisonMethod,
} from './comparison.js';
export { reviewFit } from './review.js';
export type { FitReview, ReviewCheck, ReviewOptions, ReviewStatus } from './review.js';
export { planSchedule, evaluateSchedule } from './schedule.js';
export type {
  PlanScheduleOptions,
  SchedulePlan,
  ScheduleFigures,
  ScheduleKkt,
  ScheduleBounds,
  EvaluateScheduleOptions,
  ScheduleEvaluation,
} from './schedule.js';
export { designExperiments, predictTestResult, toLiftTest } from './experiments.js';
export type {
  DesignExperimentsOptions,
  ExperimentCandidate,
  ExperimentDesign,
  ExperimentDesigns,
  TestResultPrediction,
} from './experiments.js';
export { refitExperiment } from './experiments-refit.js';
export type { RefitExperimentOptions, RefitExperimentResult, RefitOutcome } from './experiments-refit.js';
export { fitCustomerValue } from './customer-value.js';
export type { FitCustomerValueOptions, CustomerValue, ChannelValue } from './customer-value.js';
