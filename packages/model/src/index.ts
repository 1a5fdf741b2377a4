export type { ChannelSpec, ModelSpec } from './spec.js';
export { DEFAULT_ADSTOCK_PRIORS, DEFAULT_SATURATION_PRIORS, DEFAULT_BASELINE_PRIORS, priorFor } from './spec.js';
export { prepareModelData, applyScaling } from './data.js';
export type { ModelData, Scaling, RawModelData } from './data.js';
export { buildModel } from './model.js';
export type { MMM, Decomposition } from './model.js';
export { createMMMTarget } from './factory.js';
export { simulate } from './simulate.js';
export type { Simulation } from './simulate.js';
