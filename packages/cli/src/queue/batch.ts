// Submitting a batch of fits to the queue and waiting for every job's outcome.
import { Queue } from 'bullmq';
import type { FitJob } from './jobs.js';
import { redisConnection } from './redis.js';
import { DEFAULT_QUEUE, type JobResult } from './worker.js';

/** Options of {@link submitBatch}. */
export interface BatchOptions {
  redis: string;
  /** @defaultValue 'mmm-fits' */
  queue?: string;
  /** tries per job (a typed input error is not retried); @defaultValue 3 */
  attempts?: number;
  /** first retry delay, doubled at each retry; @defaultValue 5 */
  backoffSeconds?: number;
  /** each job's time limit unless the job sets one; @defaultValue the worker's (3600) */
  timeoutSeconds?: number;
  /** wait for every job to complete or fail; @defaultValue true */
  wait?: boolean;
  /** polling interval while waiting; @defaultValue 500 */
  pollMs?: number;
  /** called when a job's state or progress changes (`attempts`: attempts finished so far, failed or not) */
  onUpdate?: (u: { id: string; state: string; progress?: unknown; attempts: number }) => void;
}

/** What became of one job. */
export interface JobOutcome {
  id: string;
  state: 'completed' | 'failed' | 'submitted';
  result?: JobResult;
  /** the last error message of a failed job */
  error?: string;
  attempts: number;
}

/**
 * Adds the jobs to the queue (a job id already on the queue is not added twice) and, unless `wait` is false,
 * waits until each has completed or failed for good.
 */
export async function submitBatch(jobs: ReadonlyArray<FitJob>, o: BatchOptions): Promise<JobOutcome[]> {
  const queue = new Queue<FitJob, JobResult>(o.queue ?? DEFAULT_QUEUE, { connection: redisConnection(o.redis) });
  try {
    await queue.addBulk(
      jobs.map((j) => ({
        name: 'fit',
        data: { ...j, ...(j.timeoutSeconds === undefined && o.timeoutSeconds !== undefined ? { timeoutSeconds: o.timeoutSeconds } : {}) },
        opts: {
          jobId: j.id,
          attempts: o.attempts ?? 3,
          backoff: { type: 'exponential', delay: 1000 * (o.backoffSeconds ?? 5) },
          removeOnComplete: { age: 7 * 86400 },
          removeOnFail: { age: 7 * 86400 },
        },
      })),
    );
    if (o.wait === false) return jobs.map((j) => ({ id: j.id, state: 'submitted', attempts: 0 }));
    const outcomes = new Map<string, JobOutcome>();
    const seen = new Map<string, string>();
    while (outcomes.size < jobs.length) {
      for (const j of jobs) {
        if (outcomes.has(j.id)) continue;
        const job = await queue.getJob(j.id);
        if (!job) {
          outcomes.set(j.id, { id: j.id, state: 'failed', error: 'the job is no longer on the queue (removed)', attempts: 0 });
          continue;
        }
        const state = await job.getState();
        const key = `${state} ${JSON.stringify(job.progress)} ${job.attemptsMade}`;
        if (seen.get(j.id) !== key) {
          seen.set(j.id, key);
          o.onUpdate?.({ id: j.id, state, progress: job.progress, attempts: job.attemptsMade });
        }
        if (state === 'completed') outcomes.set(j.id, { id: j.id, state, result: job.returnvalue, attempts: job.attemptsMade });
        else if (state === 'failed') outcomes.set(j.id, { id: j.id, state, error: job.failedReason, attempts: job.attemptsMade });
      }
      if (outcomes.size < jobs.length) await new Promise((r) => setTimeout(r, o.pollMs ?? 500));
    }
    return jobs.map((j) => outcomes.get(j.id)!);
  } finally {
    await queue.close();
  }
}
