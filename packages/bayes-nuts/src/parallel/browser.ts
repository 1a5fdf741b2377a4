/// <reference lib="dom" />
import { AbortedError, assertInteger, reviveError, type AbortSignalLike } from '@mmm/core';
import type { ChainResult, SampleOptions, SampleResult } from '../sample.js';
import type { ChainRequest, TargetFactorySpec, WorkerMessage } from './protocol.js';

export type { TargetFactorySpec, TargetFactory } from './protocol.js';

/** A Web Worker as this module uses it (no DOM types needed). */
interface WebWorker {
  postMessage(message: ChainRequest): void;
  terminate(): void;
  onmessage: ((e: { data: WorkerMessage }) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
}
type WorkerConstructor = new (url: URL | string, options?: { type?: 'module' }) => WebWorker;

/** Options of the browser `sampleParallel`: the sampler's, plus the number of workers and the worker script. */
export interface ParallelSampleOptions extends Omit<SampleOptions, 'signal'> {
  /** Web Workers; @defaultValue min(chains, navigator.hardwareConcurrency) */
  workers?: number;
  /** cancels the run: workers are terminated and the promise rejects with an `AbortedError` */
  signal?: AbortSignalLike;
  /**
   * URL of the worker script (this package's `dist/parallel/browser-worker.js`, as your bundler emits it);
   * @defaultValue new URL('./browser-worker.js', import.meta.url), which Vite and webpack 5 resolve
   */
  workerUrl?: URL | string;
}

/**
 * Runs the chains of `sample` on browser Web Workers (module workers): each imports `spec.module` (an absolute URL),
 * builds the target with its factory and runs whole chains. Chain `c` depends on (seed, c) alone, so the draws are
 * bit-identical to the sequential `sample` in the same engine.
 */
export async function sampleParallel(spec: TargetFactorySpec, options: ParallelSampleOptions): Promise<SampleResult> {
  const chains = options.chains ?? 4;
  assertInteger('chains', chains, 1);
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const nWorkers = Math.min(chains, options.workers ?? nav?.hardwareConcurrency ?? 2);
  assertInteger('workers', nWorkers, 1);
  const WorkerCtor = (globalThis as unknown as { Worker?: WorkerConstructor }).Worker;
  if (!WorkerCtor) throw new Error('Web Workers are not available here: use sample() or, in Node, @mmm/bayes-nuts/parallel.');
  const { onProgress, signal, workers: _w, workerUrl, ...rest } = options;
  void _w;
  const plain = { ...rest, chains, reportProgress: onProgress !== undefined };
  const url = workerUrl ?? new URL('./browser-worker.js', import.meta.url);
  const results: ChainResult[] = new Array(chains);
  const pool: WebWorker[] = [];
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
      signal?.addEventListener?.('abort', () => fail(new AbortedError('Sampling was cancelled.')), { once: true });
      const dispatch = (w: WebWorker) => {
        if (!failed && next < chains) w.postMessage({ spec, options: plain, chain: next++ });
      };
      for (let k = 0; k < nWorkers; k++) {
        const w = new WorkerCtor(url, { type: 'module' });
        pool.push(w);
        w.onmessage = (e) => {
          const m = e.data;
          if (m.type === 'progress') onProgress?.(m.progress);
          else if (m.type === 'error') fail(m.error.code ? reviveError(m.error) : Object.assign(new Error(m.error.message), { name: m.error.name }));
          else {
            results[m.result.chain] = m.result;
            done += 1;
            if (done === chains) resolve();
            else dispatch(w);
          }
        };
        w.onerror = (e) => fail(new Error(`worker failed: ${e.message ?? 'unknown error'}`));
        dispatch(w);
      }
    });
  } finally {
    for (const w of pool) w.terminate();
  }
  const first = results[0];
  return { dim: first.draws.length / first.stats.divergent.length, draws: first.stats.divergent.length, warmup: options.warmup ?? 1000, seed: options.seed, chains: results };
}
