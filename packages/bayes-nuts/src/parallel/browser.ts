/// <reference lib="dom" />
import { ANY, InvalidInputError, WorkerError, assertInteger, type AbortSignalLike, checkOptions, optionKeys } from '@mmm/core';
import { SAMPLE_OPTION_KEYS, type SampleOptions, type SampleResult } from '../sample-options.js';
import { runPool } from './pool.js';
import type { serveChains } from './serve.js';
import type { HostMessage, TargetFactorySpec, WorkerMessage } from './protocol.js';

export type { TargetFactorySpec, TargetFactory } from './protocol.js';

/** A Web Worker as this module uses it (no DOM types needed). */
export interface WebWorkerLike {
  postMessage(message: HostMessage): void;
  terminate(): void;
  onmessage: ((e: { data: WorkerMessage }) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
}
type WorkerConstructor = new (url: URL | string, options?: { type?: 'module' }) => WebWorkerLike;

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
  /**
   * creates a worker instead of `new Worker(workerUrl)`: for bundlers, e.g.
   * `() => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })` with a worker that calls
   * {@link serveChains}
   */
  createWorker?: () => WebWorkerLike;
}

/**
 * Runs the chains of `sample` on browser Web Workers (module workers): each imports `spec.module` (an absolute URL),
 * builds the target with its factory and runs whole chains. Chain `c` depends on (seed, c) alone, so the draws are
 * bit-identical to the sequential `sample` in the same engine.
 */
export async function sampleParallel(spec: TargetFactorySpec, options: ParallelSampleOptions): Promise<SampleResult> {
  checkOptions(
    options,
    optionKeys<ParallelSampleOptions>({ ...SAMPLE_OPTION_KEYS, workers: ANY, workerUrl: ANY, createWorker: ANY }),
    'options',
  );
  const chains = options.chains ?? 4;
  assertInteger('chains', chains, 1);
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const nWorkers = Math.min(chains, options.workers ?? nav?.hardwareConcurrency ?? 2);
  assertInteger('workers', nWorkers, 1);
  const WorkerCtor = (globalThis as unknown as { Worker?: WorkerConstructor }).Worker;
  if (!WorkerCtor && !options.createWorker)
    throw new InvalidInputError(
      'createWorker',
      'is not given and this host has no Worker',
      'Use sample() here, @mmm/bayes-nuts/parallel in Node, or pass createWorker.',
    );
  const { onProgress, signal, workers: _w, workerUrl, createWorker, ...rest } = options;
  void _w;
  const url = workerUrl ?? new URL('./browser-worker.js', import.meta.url);
  return runPool(
    spec,
    { ...rest, chains, reportProgress: onProgress !== undefined },
    nWorkers,
    (onMessage, onError) => {
      const w = createWorker ? createWorker() : new WorkerCtor!(url, { type: 'module' });
      w.onmessage = (e) => onMessage(e.data);
      w.onerror = (e) => onError(new WorkerError(`a Web Worker failed: ${e.message ?? 'unknown error'}`));
      return { post: (req) => w.postMessage(req), terminate: () => w.terminate() };
    },
    onProgress,
    signal,
  );
}
