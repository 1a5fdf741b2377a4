import { defineConfig } from 'tsup';
import { baseOptions } from '../../tsup.shared.js';

// The main entry; the Node worker-thread runner (`@mmm/bayes-nuts/parallel`) and its worker; the browser runner
// (the same subpath under the "browser" condition) and its module worker, ESM only.
export default defineConfig([
  {
    ...baseOptions,
    entry: { index: 'src/index.ts', 'parallel/index': 'src/parallel/index.ts', 'parallel/node-worker': 'src/parallel/node-worker.ts' },
    shims: true,
  },
  {
    ...baseOptions,
    clean: false,
    format: ['esm'],
    entry: { 'parallel/browser-index': 'src/parallel/browser-index.ts', 'parallel/browser-worker': 'src/parallel/browser-worker.ts' },
    platform: 'browser',
  },
]);
