// The worker thread one queued fit runs in (started by the queue worker, see queue/worker.ts): reads the data, fits,
// builds the files and posts them back. A thread keeps the worker's event loop free to renew the job's lock while a
// fit computes, and lets a timeout stop the fit for good (terminate).
import { parentPort, workerData } from 'node:worker_threads';
import { isMmmError } from '@mmm/core';
import { fitMMM, type FitMMMOptions, type FitProgress } from '@mmm/pipeline';
import { readCsv } from './io.js';
import { fitFiles } from './outputs.js';
import type { FitJob } from './queue/jobs.js';

const { job, workers } = workerData as { job: FitJob; workers: number };
const port = parentPort!;

async function run(): Promise<void> {
  const rows = job.rows ?? readCsv(job.data!, `jobs.${job.id}.data`);
  const { data: _d, out: _o, report: _r, title, ...options } = job.options;
  let last = 0;
  const onProgress = (p: FitProgress) => {
    const now = performance.now();
    if (now - last < 1000 && p.fraction < 1) return;
    last = now;
    port.postMessage({
      type: 'progress',
      progress: { fraction: p.fraction, phase: p.phase, attempt: p.attempt, divergences: p.divergencesTotal, etaSeconds: p.etaSeconds },
    });
  };
  const fit = await fitMMM(rows, { workers, ...(options as FitMMMOptions), onProgress });
  const { files, summary } = fitFiles(fit, {
    report: job.report !== false && job.options.report !== false,
    title,
    run: { command: 'batch', job: { ...job, rows: job.rows ? `${job.rows.length} rows` : undefined } },
  });
  port.postMessage({ type: 'done', files, summary });
}

run().catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e));
  port.postMessage({
    type: 'error',
    error: {
      name: err.name,
      code: isMmmError(err) ? err.code : 'INTERNAL',
      field: isMmmError(err) ? err.field : undefined,
      message: err.message,
      stack: err.stack,
    },
  });
});
