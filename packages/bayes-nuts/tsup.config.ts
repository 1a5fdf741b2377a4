import { defineConfig } from 'tsup';
import { baseOptions } from '../../tsup.shared.js';

// The main entry, plus the Node worker-thread runner (`@mmm/bayes-nuts/parallel`) and its worker script.
export default defineConfig({
  ...baseOptions,
  entry: { index: 'src/index.ts', 'parallel/index': 'src/parallel/index.ts', 'parallel/node-worker': 'src/parallel/node-worker.ts' },
  shims: true,
});
