/// <reference types="node" />
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { ANY, WorkerError, assertInteger, type AbortSignalLike, checkOptions, optionKeys } from '@mmm/core';
import { SAMPLE_OPTION_KEYS, type SampleOptions, type SampleResult } from '../sample-options.js';
import { runPool } from './pool.js';
import type { TargetFactorySpec } from './protocol.js';

export type { TargetFactorySpec, TargetFactory } from './protocol.js';

/** Options of {@link sampleParallel}: the sampler's, plus the number of worker threads. */
export interface ParallelSampleOptions extends Omit<SampleOptions, 'signal'> {
  /** worker threads; @defaultValue min(chains, available cores) */
  workers?: number;
  /** cancels the run: workers are stopped and the promise rejects with an `AbortedError` */
  signal?: AbortSignalLike;
}

/**
 * Runs the chains of `sample` on Node worker threads: each worker imports `spec.module`, builds the target with
 * its factory and runs whole chains. Chain `c` depends on (seed, c) alone, so the draws are bit-identical to the
 * sequential `sample` on the same target and seed.
 * @example
 * //model.js: export function createTarget(data) { return { dim: 1, logDensityGradient: (t, g) => { g[0] = -t[0]; return -0.5 *t[0] **2; }
 * }; }
 * const fit = await sampleParallel({ module: new URL('./model.js', import.meta.url).href, export: 'createTarget' }, { seed: 1 });
 */
export async function sampleParallel(spec: TargetFactorySpec, options: ParallelSampleOptions): Promise<SampleResult> {
  checkOptions(options, optionKeys<ParallelSampleOptions>({ ...SAMPLE_OPTION_KEYS, workers: ANY }), 'options');
  const chains = options.chains ?? 4;
  assertInteger('chains', chains, 1);
  const nWorkers = Math.min(chains, options.workers ?? availableParallelism());
  assertInteger('workers', nWorkers, 1);
  const { onProgress, signal, workers: _w, ...rest } = options;
  void _w;
  const entry = workerEntry();
  return runPool(
    spec,
    { ...rest, chains, reportProgress: onProgress !== undefined },
    nWorkers,
    (onMessage, onError) => {
      const w = entry.eval
        ? new Worker(entry.source, { eval: true, execArgv: entry.execArgv })
        : new Worker(entry.url, { execArgv: entry.execArgv });
      let finished = false;
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', (code) => {
        if (code !== 0 && !finished) onError(new WorkerError(`a worker thread exited with code ${code}`));
      });
      return {
        post: (req) => w.postMessage(req),
        terminate: () => {
          finished = true;
          return w.terminate();
        },
      };
    },
    onProgress,
    signal,
  );
}

/**
 * The worker script beside this module: the built file, or, when this module runs from its TypeScript source (the
 * repository's own tests), a bootstrap that registers tsx in the worker before importing the source.
 */
function workerEntry(): { eval: false; url: URL; execArgv: string[] } | { eval: true; source: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const target = new URL('./node-worker.ts', here).href;
    const source = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
    return { eval: true, source, execArgv: ['--conditions=@mmm/source'] };
  }
  const ext = here.endsWith('.cjs') ? '.cjs' : '.js';
  return { eval: false, url: new URL(`./node-worker${ext}`, here), execArgv: [] };
}
