// The browser example: `npm run example:browser` serves it, `npm run example:browser:build` writes browser/dist.
// The @mmm/source condition reads the workspace packages' TypeScript sources (no build needed); "browser" picks
// the Web Worker runner of @mmm/bayes-nuts/parallel.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { conditions: ['@mmm/source', 'browser', 'module', 'development|production'] },
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  server: { port: 5173 },
  preview: { port: 4173 },
  logLevel: 'warn',
});
