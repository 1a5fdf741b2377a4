#!/usr/bin/env bash
# Scaffold packages/<name> with the house layout (docs/architecture.md, CONTRIBUTING.md). Usage: scripts/new-package.sh name "description" [dep ...]
set -euo pipefail
name=$1; desc=$2; shift 2
dir=packages/$name
mkdir -p "$dir/src" "$dir/test" "$dir/bench"
deps=""
for d in "$@"; do deps="$deps\"$d\": \"^0.0.0\","; done
deps=${deps%,}
cat > "$dir/package.json" <<JSON
{
  "name": "@mmm/$name",
  "version": "0.0.0",
  "description": "$desc",
  "license": "MIT",
  "author": "the mmm authors",
  "repository": { "type": "git", "url": "git+https://github.com/mmm-js/mmm.git", "directory": "packages/$name" },
  "homepage": "https://github.com/mmm-js/mmm/tree/main/packages/$name#readme",
  "bugs": { "url": "https://github.com/mmm-js/mmm/issues" },
  "keywords": ["marketing-mix-modeling", "mmm", "marketing", "typescript"],
  "type": "module",
  "sideEffects": false,
  "engines": { "node": ">=20" },
  "files": ["dist", "src"],
  "main": "./dist/index.cjs",
  "module": "./dist/index.js",
  "types": "./dist/index.d.cts",
  "exports": {
    ".": {
      "@mmm/source": "./src/index.ts",
      "import": { "types": "./dist/index.d.ts", "default": "./dist/index.js" },
      "require": { "types": "./dist/index.d.cts", "default": "./dist/index.cjs" }
    },
    "./package.json": "./package.json"
  },
  "scripts": {
    "build": "tsup",
    "typecheck": "tsc -p tsconfig.json --noEmit",
    "lint": "bash ../../scripts/check-package.sh",
    "bench": "tsx --conditions=@mmm/source bench/index.ts"
  },
  "dependencies": { $deps },
  "publishConfig": { "access": "public" }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "noEmit": true, "types": ["node"] },
  "include": ["src", "test", "bench", "*.config.ts"]
}
JSON
cat > "$dir/tsconfig.build.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "customConditions": [], "rootDir": "src" },
  "include": ["src"]
}
JSON
printf "export { default } from '../../tsup.shared.js';\n" > "$dir/tsup.config.ts"
cat > "$dir/vitest.config.ts" <<TS
import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.js';

export default defineProject({
  ...sourceConditions,
  test: { name: '$name', include: ['test/**/*.test.ts'] },
});
TS
cat > "$dir/typedoc.json" <<JSON
{
  "\$schema": "https://typedoc.org/schema.json",
  "entryPoints": ["src/index.ts"],
  "tsconfig": "tsconfig.build.json",
  "readme": "README.md"
}
JSON
cp LICENSE "$dir/LICENSE"
[ -f "$dir/README.md" ] || printf '# @mmm/%s\n\n%s\n' "$name" "$desc" > "$dir/README.md"
[ -f "$dir/src/index.ts" ] || printf '// explicit named re-exports only (docs/architecture.md)\nexport {};\n' > "$dir/src/index.ts"
echo "Now: write src/, add the package to docs/architecture.md's graph, then npm install && npm run readmes"
