// The worker side of sampleParallel in browsers: answers chain requests in a module Web Worker. A request names its
// target as { module, export, data }; `serveChains` looks the module up in the given registry first (so a bundled
// worker can import the model statically, e.g. `serveChains({ '@mmm/model': { createMMMTarget } })`) and otherwise
// imports it by URL.
import { InvalidInputError, isMmmError } from '@mmm/core';
import { runChain } from '../chain.js';
import type { ChainRequest, TargetFactory, WorkerMessage } from './protocol.js';
import { transferList } from './protocol.js';

interface WorkerScope {
  onmessage: ((e: { data: ChainRequest }) => void) | null;
  postMessage(message: WorkerMessage, transfer?: ArrayBuffer[]): void;
}

/** Modules a worker can build targets from without importing them by URL: module name → its exports. */
export type TargetRegistry = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/**
 * Makes the current module Web Worker answer `sampleParallel`'s chain requests. Call it once at the top of your worker
 * script; give the modules your targets come from in `registry` when the worker is bundled (Vite, webpack).
 */
export function serveChains(registry: TargetRegistry = {}): void {
  const scope = globalThis as unknown as WorkerScope;
  scope.onmessage = (e) => void answerChainRequest(e.data, (m, transfer) => scope.postMessage(m, transfer), registry);
}

/**
 * Answers one chain request, in any host: builds the target from its factory (from `registry`, or by importing the
 * module), runs the chain with progress messages when asked, and posts the result or the error (typed errors keep
 * their type across the boundary). Shared by the Node worker and the browser worker. @internal
 */
export async function answerChainRequest(
  req: ChainRequest,
  post: (message: WorkerMessage, transfer?: ArrayBuffer[]) => void,
  registry: TargetRegistry = {},
): Promise<void> {
  try {
    const mod = (registry[req.spec.module] ?? (await import(/* @vite-ignore */ req.spec.module))) as Record<string, unknown>;
    const factory = mod[req.spec.export ?? 'default'] as TargetFactory | undefined;
    if (typeof factory !== 'function')
      throw new InvalidInputError(
        'spec.export',
        `${req.spec.module} has no exported function "${req.spec.export ?? 'default'}"`,
        'Name a function the module exports that builds the target from spec.data.',
      );
    const target = await factory(req.spec.data);
    const { reportProgress, ...options } = req.options;
    const result = runChain(
      target,
      { ...options, onProgress: reportProgress ? (progress) => post({ type: 'progress', progress }) : undefined },
      req.chain,
    );
    post({ type: 'done', result }, transferList(result));
  } catch (err) {
    const error = isMmmError(err)
      ? err.toJSON()
      : { name: (err as Error)?.name ?? 'Error', message: String((err as Error)?.message ?? err) };
    post({ type: 'error', error });
  }
}
