export { sampleParallel } from './browser.js';
export type { ParallelSampleOptions, TargetFactorySpec, TargetFactory, WebWorkerLike } from './browser.js';
export type { ChainRequest, HostMessage, RunDecision, WorkerMessage } from './protocol.js';
export { serveChains } from './serve.js';
export type { TargetRegistry } from './serve.js';
