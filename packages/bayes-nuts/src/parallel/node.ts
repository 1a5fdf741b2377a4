/// <reference types="node" />
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { AbortedError, assertInteger, reviveError, type AbortSignalLike } from '@mmm/core';
import type { ChainResult, SampleOptions, SampleResult } from '../sample.js';
import type { ChainRequest, TargetFactorySpec, WorkerMessage } from './protocol.js';

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
 * // model.js: export function createTarget(data) { return { dim: 1, logDensityGradient: (t, g) => { g[0] = -t[0]; return -0.5 * t[0] ** 2; } }; }
 * const fit = await sampleParallel({ module: new URL('./model.js', import.meta.url).href, export: 'createTarget' }, { seed: 1 });
 */
export async function sampleParallel(spec: TargetFactorySpec, options: ParallelSampleOptions): Promise<SampleResult> {
  const chains = options.chains ?? 4;
  assertInteger('chains', chains, 1);
  const nWorkers = Math.min(chains, options.workers ?? availableParallelism());
  assertInteger('workers', nWorkers, 1);
  const { onProgress, signal, workers: _w, ...rest } = options;
  void _w;
  const plain = { ...rest, chains, reportProgress: onProgress !== undefined };
  const results: ChainResult[] = new Array(chains);
  const entry = workerEntry();
  const pool: Worker[] = [];
  const cleanup: Array<() => void> = [];

  if (signal?.aborted) throw new AbortedError('Sampling was cancelled before it started.');
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      let failed = false;
      const fail = (e: Error) => {
        if (failed) return;
        failed = true;
        reject(e);
      };
      signal?.addEventListener?.('abort', () => fail(new AbortedError('Sampling was cancelled.')), { once: true });
      // a signal without events is polled
      const poll = signal && !signal.addEventListener ? setInterval(() => signal.aborted && fail(new AbortedError('Sampling was cancelled.')), 50) : undefined;
      if (poll) cleanup.push(() => clearInterval(poll));
      const dispatch = (w: Worker) => {
        if (failed) return;
        if (next >= chains) return;
        const req: ChainRequest = { spec, options: plain, chain: next++ };
        w.postMessage(req);
      };
      for (let k = 0; k < nWorkers; k++) {
        const w = entry.eval ? new Worker(entry.source, { eval: true, execArgv: entry.execArgv }) : new Worker(entry.url, { execArgv: entry.execArgv });
        pool.push(w);
        w.on('message', (m: WorkerMessage) => {
          if (m.type === 'progress') onProgress?.(m.progress);
          else if (m.type === 'error') fail(m.error.code ? reviveError(m.error) : Object.assign(new Error(m.error.message), { name: m.error.name }));
          else {
            results[m.result.chain] = m.result;
            done += 1;
            if (done === chains) resolve();
            else dispatch(w);
          }
        });
        w.on('error', fail);
        w.on('exit', (code) => {
          if (code !== 0 && done < chains) fail(new Error(`worker exited with code ${code}`));
        });
        dispatch(w);
      }
    });
  } finally {
    for (const f of cleanup) f();
    await Promise.all(pool.map((w) => w.terminate()));
  }
  const first = results[0];
  return { dim: first.draws.length / first.stats.divergent.length, draws: first.stats.divergent.length, warmup: options.warmup ?? 1000, seed: options.seed, chains: results };
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
