import type { SerializedMmmError } from '@mmm/core';
import type { ChainResult, Progress, SampleOptions } from '../sample-options.js';
import type { LogDensity } from '../log-density.js';

/**
 * How a target crosses into a worker: a module the worker imports and a factory it calls with structured-clone
 * data. Functions cannot be sent between threads, so the worker rebuilds the same target from this recipe.
 * @example
 * const spec: TargetFactorySpec = { module: new URL('./my-model.js', import.meta.url).href, export: 'createTarget', data: { y: [1, 2, 3] }
 * };
 */
export interface TargetFactorySpec {
  /** an absolute URL (e.g. `new URL('./model.js', import.meta.url).href`) or a package name the worker can import */
  module: string;
  /** name of the exported factory `(data) => LogDensity | Promise<LogDensity>`; @defaultValue 'default' */
  export?: string;
  /** structured-clone data passed to the factory */
  data?: unknown;
}

/** A factory a module exports for {@link TargetFactorySpec}. */
export type TargetFactory = (data: unknown) => LogDensity | Promise<LogDensity>;

/** The sampler options that can cross a thread boundary (no callbacks, no signal). @internal */
export type PlainSampleOptions = Omit<SampleOptions, 'onProgress' | 'signal'> & { reportProgress: boolean };

/** Host → worker. @internal */
export interface ChainRequest {
  spec: TargetFactorySpec;
  options: PlainSampleOptions;
  chain: number;
}

/** Worker → host. @internal */
export type WorkerMessage =
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; result: ChainResult }
  | { type: 'error'; error: SerializedMmmError | { name: string; message: string; code?: undefined } };

/** The buffers of a chain result, to transfer rather than copy. @internal */
export function transferList(r: ChainResult): ArrayBuffer[] {
  const s = r.stats;
  return [r.draws, s.divergent, s.treeDepth, s.nLeapfrog, s.refinedSteps, s.acceptStat, s.energy, s.logDensity, r.inverseMetric].map(
    (a) => a.buffer as ArrayBuffer,
  );
}
