export { sampleParallel } from './node.js';
export type { ParallelSampleOptions, TargetFactorySpec, TargetFactory } from './node.js';
