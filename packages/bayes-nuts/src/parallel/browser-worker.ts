// The worker side of sampleParallel in browsers (a module Web Worker): builds the target from its factory spec and
// runs one chain per request. Shares the message protocol with the Node worker.
import { isMmmError } from '@mmm/core';
import { runChain } from '../sample.js';
import type { ChainRequest, TargetFactory, WorkerMessage } from './protocol.js';
import { transferList } from './protocol.js';

interface WorkerScope {
  onmessage: ((e: { data: ChainRequest }) => void) | null;
  postMessage(message: WorkerMessage, transfer?: ArrayBuffer[]): void;
}
const scope = globalThis as unknown as WorkerScope;

scope.onmessage = async (e) => {
  const req = e.data;
  try {
    const mod = (await import(/* @vite-ignore */ req.spec.module)) as Record<string, unknown>;
    const factory = mod[req.spec.export ?? 'default'] as TargetFactory | undefined;
    if (typeof factory !== 'function') throw new Error(`${req.spec.module} has no exported function "${req.spec.export ?? 'default'}"`);
    const target = await factory(req.spec.data);
    const { reportProgress, ...options } = req.options;
    const result = runChain(target, { ...options, onProgress: reportProgress ? (progress) => scope.postMessage({ type: 'progress', progress }) : undefined }, req.chain);
    scope.postMessage({ type: 'done', result }, transferList(result));
  } catch (err) {
    const error = isMmmError(err) ? err.toJSON() : { name: (err as Error)?.name ?? 'Error', message: String((err as Error)?.message ?? err) };
    scope.postMessage({ type: 'error', error });
  }
};
