// A batch of fits: what one job is, and reading a batch file.
import { dirname, resolve } from 'node:path';
import { InvalidInputError } from '@mmm/core';
import { readJson } from '../io.js';
import { checkConfig, type FitConfig } from '../options.js';

/** One fit on the queue. */
export interface FitJob {
  /** names the result (`<store>/<id>/`): letters, digits, `.`, `_`, `-`; a job id runs and stores once */
  id: string;
  /** a CSV file every worker can read (absolute, or relative to the batch file) … */
  data?: string;
  /** … or the rows themselves */
  rows?: Array<Record<string, string | number>>;
  /** fitMMM's options (as in a --config file) */
  options: FitConfig;
  /** write report.html; @defaultValue true */
  report?: boolean;
  /** seconds before the fit is stopped and the attempt counted as failed; @defaultValue the batch's */
  timeoutSeconds?: number;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Checks jobs: ids well formed and unique, data or rows, options known; data paths resolved against `base`. */
export function checkJobs(jobs: unknown, field: string, base?: string): FitJob[] {
  if (!Array.isArray(jobs) || jobs.length === 0)
    throw new InvalidInputError(
      field,
      'has no jobs',
      'Write { "defaults": { … }, "jobs": [{ "id": "brand-a", "data": "a.csv", "options": { … } }, …] }.',
    );
  const seen = new Set<string>();
  return jobs.map((j: unknown, i) => {
    const f = `${field}[${i}]`;
    if (j === null || typeof j !== 'object')
      throw new InvalidInputError(f, 'is not an object', 'Each job is { "id", "data" or "rows", "options" }.');
    const job = j as Partial<FitJob>;
    if (typeof job.id !== 'string' || !ID.test(job.id))
      throw new InvalidInputError(
        `${f}.id`,
        `is ${JSON.stringify(job.id)}`,
        'Give each job an id of letters, digits, ".", "_" and "-" (it names the result folder).',
      );
    if (seen.has(job.id)) throw new InvalidInputError(`${f}.id`, `repeats "${job.id}"`, 'Job ids must be unique within a batch.');
    seen.add(job.id);
    if ((job.data === undefined) === (job.rows === undefined))
      throw new InvalidInputError(
        `${f}`,
        job.data === undefined ? 'has neither data nor rows' : 'has both data and rows',
        'Give a CSV path in "data" or the rows in "rows".',
      );
    if (job.rows !== undefined && (!Array.isArray(job.rows) || job.rows.length === 0))
      throw new InvalidInputError(`${f}.rows`, 'is not a non-empty array', 'Give one object per row.');
    if (job.timeoutSeconds !== undefined && !(typeof job.timeoutSeconds === 'number' && job.timeoutSeconds > 0))
      throw new InvalidInputError(`${f}.timeoutSeconds`, `is ${String(job.timeoutSeconds)}`, 'Give a positive number of seconds.');
    const options = checkConfig(job.options ?? {}, `${f}.options`);
    for (const k of ['date', 'target', 'channels'] as const)
      if (!options[k])
        throw new InvalidInputError(
          `${f}.options.${k}`,
          'is missing',
          `Name the ${k === 'channels' ? 'channel columns' : `${k} column`} in the job's options or the batch's defaults.`,
        );
    return {
      ...job,
      id: job.id,
      options,
      ...(typeof job.data === 'string' ? { data: base ? resolve(base, job.data) : job.data } : {}),
    } as FitJob;
  });
}

/** Reads a batch file: `{ "defaults": options, "jobs": [ … ] }` (each job's options over the defaults) or a bare array of jobs. */
export function readBatch(path: string): FitJob[] {
  const raw = readJson(path, 'jobs');
  const base = dirname(resolve(path));
  const body = Array.isArray(raw) ? { jobs: raw } : (raw as { defaults?: unknown; jobs?: unknown });
  const defaults = body.defaults === undefined ? {} : checkConfig(body.defaults, 'jobs.defaults');
  const jobs = Array.isArray(body.jobs)
    ? body.jobs.map((j: unknown) =>
        j && typeof j === 'object' ? { ...(j as object), options: { ...defaults, ...((j as { options?: object }).options ?? {}) } } : j,
      )
    : body.jobs;
  return checkJobs(jobs, 'jobs', base);
}
