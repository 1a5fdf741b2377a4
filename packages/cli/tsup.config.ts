// The CLI is an application (it reads and writes files, talks to Redis): ESM only, three entry points (the library
// API, the `mmm` binary, and the worker-thread script each queued fit runs in).
import { defineConfig } from 'tsup';
import { baseOptions } from '../../tsup.shared.js';

export default defineConfig({ ...baseOptions, entry: ['src/index.ts', 'src/bin.ts', 'src/job-thread.ts'], format: ['esm'] });
