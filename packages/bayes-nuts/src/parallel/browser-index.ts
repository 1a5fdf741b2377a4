export { sampleParallel } from './browser.js';
export type { ParallelSampleOptions, TargetFactorySpec, TargetFactory } from './browser.js';
