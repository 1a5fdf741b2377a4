import { AbortedError, WorkerError, reviveError, type AbortSignalLike } from '@mmm/core';
import { sampleResult } from '../runs.js';
import type { ChainResult, Progress, SampleResult } from '../sample-options.js';
import type { ChainRequest, PlainSampleOptions, TargetFactorySpec, WorkerMessage } from './protocol.js';

/** A worker as the pool drives it, whatever the host (Node worker thread or Web Worker). @internal */
export interface PoolWorker {
  post(request: ChainRequest): void;
  /** Node's worker threads return a promise, Web Workers nothing */
  terminate(): unknown;
}

/**
 * Runs `chains` chains on `nWorkers` workers, giving each idle worker the next chain, and gathers the results in
 * chain order. The host supplies `create(onMessage, onError)`; everything else (progress, typed errors, abort,
 * clean-up) is shared. @internal
 */
export async function runPool(
  spec: TargetFactorySpec,
  options: PlainSampleOptions & { chains: number; warmup?: number; seed: number },
  nWorkers: number,
  create: (onMessage: (m: WorkerMessage) => void, onError: (e: Error) => void) => PoolWorker,
  onProgress: ((p: Progress) => void) | undefined,
  signal: AbortSignalLike | undefined,
): Promise<SampleResult> {
  const chains = options.chains;
  const results: ChainResult[] = new Array(chains);
  const pool: PoolWorker[] = [];
  const cleanup: Array<() => void> = [];
  if (signal?.aborted) throw new AbortedError('Sampling was cancelled before it started.');
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      let failed = false;
      const fail = (e: Error) => {
        if (!failed) {
          failed = true;
          reject(e);
        }
      };
      if (signal?.addEventListener)
        signal.addEventListener('abort', () => fail(new AbortedError('Sampling was cancelled.')), { once: true });
      else if (signal) {
        // a signal without events is polled
        const poll = setInterval(() => signal.aborted && fail(new AbortedError('Sampling was cancelled.')), 50);
        cleanup.push(() => clearInterval(poll));
      }
      const dispatch = (w: PoolWorker) => {
        if (!failed && next < chains) w.post({ spec, options, chain: next++ });
      };
      for (let k = 0; k < nWorkers; k++) {
        const w: PoolWorker = create((m) => {
          if (m.type === 'progress') onProgress?.(m.progress);
          else if (m.type === 'error')
            fail(m.error.code ? reviveError(m.error) : new WorkerError(`a chain threw ${m.error.name}: ${m.error.message}`));
          else {
            results[m.result.chain] = m.result;
            done += 1;
            if (done === chains) resolve();
            else dispatch(w);
          }
        }, fail);
        pool.push(w);
        dispatch(w);
      }
    });
  } finally {
    for (const f of cleanup) f();
    await Promise.all(pool.map((w) => w.terminate()));
  }
  const first = results[0];
  return sampleResult(first.draws.length / first.stats.divergent.length, options.warmup ?? 1000, options.seed, results);
}
