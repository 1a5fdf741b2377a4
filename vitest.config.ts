import { defineConfig } from 'vitest/config';

// One workspace run: every package is a project with its own vitest.config.ts.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples', 'apps/*', 'scripts'],
  },
});
