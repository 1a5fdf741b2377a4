export type {
  ChannelSpec,
  ModelSpec,
  PiecewiseTrendSpec,
  KnotsTrendSpec,
  GpTrendSpec,
  RoasPrior,
  TimeVaryingSpec,
  TreatmentSpec,
  GpKernel,
  InteractionSpec,
} from './spec.js';
export {
  DEFAULT_ADSTOCK_PRIORS,
  DEFAULT_SATURATION_PRIORS,
  DEFAULT_GEO_SATURATION_PRIORS,
  DEFAULT_RF_SATURATION_PRIORS,
  DEFAULT_BASELINE_PRIORS,
  priorFor,
  roasPriorSpec,
} from './spec.js';
export { prepareModelData, applyScaling } from './data.js';
export type {
  ModelData,
  PeriodFrame,
  Scaling,
  RawModelData,
  RawLiftTest,
  RawWindowLiftTest,
  RawSteadyLiftTest,
  RawGeoLiftTest,
  LiftTestData,
} from './data.js';
export { buildModel, modelTerms } from './model.js';
export type { MMM, BuildModelOptions } from './model.js';
export { assembleModel } from './assemble.js';
export type { AssembledModel, Decomposition } from './assemble.js';
export { channelParameterNames, channelFamilies, readChannel, resolveChannel } from './channel.js';
export type { ChannelParameterNames, ChannelValues, ResolvedChannel } from './channel.js';
export { interceptTerm } from './terms/intercept.js';
export { linearTrendTerm, changepointTerm, knotsTerm, gpTerm } from './terms/trend.js';
export { seasonalityTerm, controlsTerm } from './terms/linear.js';
export { mediaTerm, geoMediaTerm } from './terms/media.js';
export { impliedLifts } from './terms/lift.js';
export { geoBaselineTerm, geoTrendTerm } from './terms/geo.js';
export type { GeoBaselinePriors } from './terms/geo.js';
export type { GeoMediaPriors, GeoPooling } from './terms/scatter.js';
export type { MediaTerm, MediaCalibration } from './terms/media.js';
export type {
  ModelTerm,
  TermFactory,
  TermContext,
  TermParameter,
  TermComponent,
  PriorRng,
  LevelState,
  BlockValues,
  BlockViews,
} from './terms/term.js';
export { createMMMTarget } from './factory.js';
export { simulate } from './simulate.js';
export { noiseOf, observationModel } from './likelihood.js';
export type { Noise, ObservationModel } from './likelihood.js';
export type { Simulation } from './simulate.js';
export { CHANNEL_SPEC_SHAPE, CHANNEL_OPTIONS_KEYS, MODEL_SPEC_SHAPE, MODEL_OPTIONS_KEYS, ROAS_PRIOR_SHAPE, TREND_SHAPE } from './shapes.js';
export {
  HsgpMultiplier,
  multipliersAt,
  multiplierNames,
  resolveTimeVarying,
  DEFAULT_TVP_AMPLITUDE,
  defaultTvpLengthscale,
} from './terms/modulation.js';
export type { ResolvedTimeVarying, MultiplierNames } from './terms/modulation.js';
export type { MediaTimeVarying, TimeVaryingHolder } from './terms/media.js';
export { interactionTerm, resolveInteractions, DEFAULT_INTERACTION_PRIOR } from './terms/interaction.js';
export type { ResolvedInteraction, InteractionChannel } from './terms/interaction.js';
