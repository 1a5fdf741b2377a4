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

/** Host → worker: run a chain, or (with `earlyStop`) a group of chains under the run's stopping rule. @internal */
export interface ChainRequest {
  type?: 'chains';
  spec: TargetFactorySpec;
  options: PlainSampleOptions;
  chain: number;
  /** with `earlyStop`: the chains this worker runs, in steps to the rule's checkpoints, sending each step's draws */
  group?: number[];
}

/** Host → worker: the verdict of the stopping rule at `draws` draws per chain. @internal */
export interface RunDecision {
  type: 'decision';
  draws: number;
  stop: boolean;
}

/** Host → worker. @internal */
export type HostMessage = ChainRequest | RunDecision;

/** Worker → host. @internal */
export type WorkerMessage =
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; result: ChainResult }
  | { type: 'block'; chain: number; from: number; to: number; draws: Float64Array; logDensity: Float64Array }
  | { type: 'error'; error: SerializedMmmError | { name: string; message: string; code?: undefined } };

/** The buffers of a chain result, to transfer rather than copy. @internal */
export function transferList(r: ChainResult): ArrayBuffer[] {
  const s = r.stats;
  return [r.draws, s.divergent, s.treeDepth, s.nLeapfrog, s.refinedSteps, s.acceptStat, s.energy, s.logDensity, r.inverseMetric].map(
    (a) => a.buffer as ArrayBuffer,
  );
}
