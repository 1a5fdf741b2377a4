// ESM keeps d3-scale and d3-shape as dependencies (tree-shaken by the user's bundler). d3 v7 modules are ESM only,
// which Node 20's require() cannot load, so the CommonJS build bundles the d3 modules it uses.
import { defineConfig } from 'tsup';
import { baseOptions } from '../../tsup.shared.js';

export default defineConfig([
  { ...baseOptions, format: ['esm'] },
  { ...baseOptions, format: ['cjs'], clean: false, noExternal: [/^d3-/, 'internmap'] },
]);
