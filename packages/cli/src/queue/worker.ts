// A queue worker: takes fit jobs from a BullMQ queue on Redis, runs each in its own worker thread, stores the files
// once, and records the error of a job that fails for good. Any number of these, on any number of machines, can
// serve one queue.
import { availableParallelism, hostname } from 'node:os';
import { Worker as Thread } from 'node:worker_threads';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { isInputFault } from '../commands.js';
import type { FitFiles, FitSummary } from '../outputs.js';
import type { FitJob } from './jobs.js';
import { redisConnection } from './redis.js';
import type { ResultStore } from './store.js';

/** The queue's name unless told otherwise. */
export const DEFAULT_QUEUE = 'mmm-fits';

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379` */
  redis: string;
  /** @defaultValue 'mmm-fits' */
  queue?: string;
  store: ResultStore;
  /** jobs at once in this process; @defaultValue 1 */
  concurrency?: number;
  /** threads each fit's chains use; @defaultValue the cores divided by `concurrency` */
  threadsPerJob?: number;
  /** a job's time limit unless the job sets `timeoutSeconds`; @defaultValue 3600 */
  timeoutSeconds?: number;
  /**
   * how long a job stays locked to this worker without a renewal (renewed every half of it while the job runs); a
   * worker that dies holds its jobs this long before another takes them. @defaultValue 30000
   */
  lockDurationMs?: number;
  /** how often this worker looks for jobs whose worker died; @defaultValue 30000 */
  stalledIntervalMs?: number;
  /** one line per event (start, done, failed, skipped); @defaultValue none */
  log?: (line: string) => void;
}

/** What a completed job returns (kept by the queue, read by `submitBatch`). */
export interface JobResult {
  id: string;
  /** false when a result for the id was stored already (the job ran twice; the first result stands) */
  stored: boolean;
  location: string;
  summary?: FitSummary;
  worker: string;
  attempt: number;
}

/** A running worker. */
export interface RunningWorker {
  /** stops taking jobs, waits for the running ones, disconnects */
  close(): Promise<void>;
}

class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Starts a worker on the queue. It runs until `close()`. */
export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const log = o.log ?? (() => undefined);
  const concurrency = o.concurrency ?? 1;
  const threads = o.threadsPerJob ?? Math.max(1, Math.floor(availableParallelism() / concurrency));
  const me = `${hostname()}:${process.pid}`;
  const processor = async (job: Job<FitJob, JobResult>): Promise<JobResult> => {
    const id = job.data.id;
    const attempt = job.attemptsMade + 1;
    if (await o.store.has(id)) {
      log(`skip ${id}: a result is stored already (${o.store.locate(id)})`);
      return { id, stored: false, location: o.store.locate(id), worker: me, attempt };
    }
    log(`start ${id} attempt ${attempt} on ${me}`);
    const timeout = job.data.timeoutSeconds ?? o.timeoutSeconds ?? 3600;
    try {
      const { files, summary } = await runInThread(job.data, threads, timeout, (p) => void job.updateProgress(p).catch(() => undefined));
      const stored = await o.store.putResult(id, files);
      log(`done ${id}: ${stored ? 'stored' : 'a result was stored already'} at ${o.store.locate(id)}`);
      return { id, stored, location: o.store.locate(id), summary, worker: me, attempt };
    } catch (e) {
      const f = e instanceof JobFailure ? e : new JobFailure('INTERNAL', e instanceof Error ? e.message : String(e));
      // the job's own fault (a bad column, option or value): retrying cannot help
      const typed = isInputFault(f.code);
      const last = typed || attempt >= (job.opts.attempts ?? 1);
      if (last)
        await o.store.putError(id, {
          name: f.name,
          code: f.code,
          ...(f.field ? { field: f.field } : {}),
          message: f.message,
          attempts: attempt,
        });
      log(`failed ${id} (attempt ${attempt}${last ? ', final' : ', will retry'}): ${f.message}`);
      throw typed ? new UnrecoverableError(f.message) : f;
    }
  };
  const worker = new Worker<FitJob, JobResult>(o.queue ?? DEFAULT_QUEUE, processor, {
    connection: redisConnection(o.redis),
    concurrency,
    lockDuration: o.lockDurationMs ?? 30000,
    stalledInterval: o.stalledIntervalMs ?? 30000,
    maxStalledCount: 2,
  });
  worker.on('error', (e) => log(`queue error: ${e.message}`));
  await worker.waitUntilReady();
  log(`worker ${me} on queue ${o.queue ?? DEFAULT_QUEUE}, concurrency ${concurrency}, ${threads} threads per fit`);
  return { close: () => worker.close() };
}

/** Runs one fit in a worker thread, with a hard time limit. */
function runInThread(
  job: FitJob,
  workers: number,
  timeoutSeconds: number,
  onProgress: (p: object) => void,
): Promise<{ files: FitFiles; summary: FitSummary }> {
  return new Promise((resolve, reject) => {
    const thread = new Thread(new URL('./job-thread.js', import.meta.url), { workerData: { job, workers } });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
      void thread.terminate();
    };
    const timer = setTimeout(
      () => settle(() => reject(new JobFailure('TIMEOUT', `timed out after ${timeoutSeconds} s (the fit was stopped)`))),
      timeoutSeconds * 1000,
    );
    thread.on(
      'message',
      (m: {
        type: string;
        files?: FitFiles;
        summary?: FitSummary;
        progress?: object;
        error?: { code: string; message: string; field?: string; name: string };
      }) => {
        if (m.type === 'progress' && m.progress) onProgress(m.progress);
        else if (m.type === 'done') settle(() => resolve({ files: m.files!, summary: m.summary! }));
        else if (m.type === 'error') {
          const f = new JobFailure(m.error!.code, m.error!.message, m.error!.field);
          f.name = m.error!.name;
          settle(() => reject(f));
        }
      },
    );
    thread.on('error', (e) => settle(() => reject(new JobFailure('INTERNAL', `the fit's thread failed: ${e.message}`))));
    thread.on('exit', (code) => settle(() => reject(new JobFailure('INTERNAL', `the fit's thread exited with code ${code}`))));
  });
}
