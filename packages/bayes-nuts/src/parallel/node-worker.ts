/// <reference types="node" />
// The worker side of sampleParallel on Node: answers chain requests from the parent thread (see serve.ts).
import { parentPort } from 'node:worker_threads';
import { WorkerError } from '@mmm/core';
import type { HostMessage } from './protocol.js';
import { answerHostMessage } from './serve.js';

const port = parentPort;
if (!port) throw new WorkerError('node-worker was loaded outside a worker thread', 'Load it only through sampleParallel.');

port.on('message', (m: HostMessage) => answerHostMessage(m, (message, transfer) => port.postMessage(message, transfer)));
