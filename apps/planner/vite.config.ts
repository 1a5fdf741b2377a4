// The planner: `npm run planner` serves it, `npm run planner:build` writes apps/planner/dist (static files to host
// anywhere). The @mmm/source condition reads the workspace packages' TypeScript sources; "browser" picks the Web
// Worker runner of @mmm/bayes-nuts/parallel.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { conditions: ['@mmm/source', 'browser', 'module', 'development|production'] },
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
  server: { port: 5174 },
  preview: { port: 4174 },
  logLevel: 'warn',
});
