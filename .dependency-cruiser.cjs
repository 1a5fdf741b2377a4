// Import rules checked by `npm run lint` (dependency-cruiser: it resolves TypeScript and the packages' export maps, so
// it follows `@mmm/*` imports into each package's sources and sees cycles across packages as well as inside one, and
// the same file states the layering of docs/architecture.md).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circle anywhere: each module can be read, tested and replaced on its own.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'library-not-on-pipeline',
      severity: 'error',
      comment: 'Library packages do not depend on @mmm/pipeline (only @mmm/report and the applications do).',
      from: { path: '^packages/(core|transforms|bayes-nuts|diagnostics|optimize|clv|model|regression)/src' },
      to: { path: '^packages/pipeline/' },
    },
    {
      name: 'no-io-in-libraries',
      severity: 'error',
      comment: 'Library packages do no I/O: files, networks and terminals belong to the CLI, the planner and the examples.',
      from: { path: '^packages/(?!cli/)[^/]+/src', pathNot: '/parallel/node' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|net|http|https|child_process|readline|tty|dgram)(/|$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['@mmm/source', 'import', 'require', 'node', 'default'] },
    tsConfig: { fileName: 'tsconfig.base.json' },
  },
};
