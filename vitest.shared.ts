// Shared by every package's vitest.config.ts: resolve `@mmm/*` to their TypeScript sources through the
// `@mmm/source` export condition, so tests need no build (STYLE.md §2). Vite replaces its default
// conditions when `conditions` is set, so the defaults are kept alongside.
import { defaultClientConditions, defaultServerConditions } from 'vite';

export const sourceConditions = {
  resolve: { conditions: ['@mmm/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@mmm/source', ...defaultServerConditions] } },
};
