// explicit named re-exports only (docs/architecture.md)
export { EXIT, exitCodeOf, isInputFault, runFit, runOptimize, runClv } from './commands.js';
export type { Io, OptimizeFlags, ClvFlags } from './commands.js';
export { fitSettings, readConfig, checkConfig, parseChannels } from './options.js';
export type { FitConfig, FitFlags } from './options.js';
export { fitFiles, summarize, contributionsCsv, roasCsv, roasByGeoCsv } from './outputs.js';
export type { FitFiles, FitSummary } from './outputs.js';
export { formatSeconds } from './progress.js';
export { readCsv, readJson, writeFiles } from './io.js';
export { FolderStore } from './queue/store.js';
export type { ResultStore, JobError } from './queue/store.js';
export { checkJobs, readBatch } from './queue/jobs.js';
export type { FitJob } from './queue/jobs.js';
export { startWorker, DEFAULT_QUEUE } from './queue/worker.js';
export type { WorkerOptions, JobResult, RunningWorker } from './queue/worker.js';
export { submitBatch } from './queue/batch.js';
export type { BatchOptions, JobOutcome } from './queue/batch.js';
export { startLocalRedis, redisConnection, freePort } from './queue/redis.js';
export type { LocalRedis } from './queue/redis.js';
