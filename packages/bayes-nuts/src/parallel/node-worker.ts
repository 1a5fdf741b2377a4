/// <reference types="node" />
// The worker side of sampleParallel on Node: builds the target from its factory spec and runs one chain per request.
import { parentPort } from 'node:worker_threads';
import { isMmmError } from '@mmm/core';
import { runChain } from '../sample.js';
import type { ChainRequest, TargetFactory, WorkerMessage } from './protocol.js';
import { transferList } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('node-worker must run in a worker thread');

port.on('message', async (req: ChainRequest) => {
  try {
    const mod = (await import(req.spec.module)) as Record<string, unknown>;
    const factory = mod[req.spec.export ?? 'default'] as TargetFactory | undefined;
    if (typeof factory !== 'function') throw new Error(`${req.spec.module} has no exported function "${req.spec.export ?? 'default'}"`);
    const target = await factory(req.spec.data);
    const { reportProgress, ...options } = req.options;
    const result = runChain(
      target,
      { ...options, onProgress: reportProgress ? (progress) => port.postMessage({ type: 'progress', progress } satisfies WorkerMessage) : undefined },
      req.chain,
    );
    port.postMessage({ type: 'done', result } satisfies WorkerMessage, transferList(result));
  } catch (e) {
    const error = isMmmError(e) ? e.toJSON() : { name: (e as Error)?.name ?? 'Error', message: String((e as Error)?.message ?? e) };
    port.postMessage({ type: 'error', error } satisfies WorkerMessage);
  }
});
