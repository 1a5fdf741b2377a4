// Every package README lists what its index.ts exports (generated block, so it cannot go stale) and the files a
// published package needs are there.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportsOf, packageNames, updatedReadme } from '../package-readmes.js';

const root = new URL('../..', import.meta.url).pathname;

describe('package READMEs and metadata', () => {
  for (const pkg of packageNames(root)) {
    it(`${pkg}: README up to date, LICENSE, repository, homepage, bugs, keywords`, () => {
      const readme = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8');
      expect(readme, 'run `npm run readmes`').toBe(updatedReadme(root, pkg));
      for (const g of exportsOf(join(root, 'packages', pkg, 'src', 'index.ts')))
        for (const name of [...g.values, ...g.types]) expect(readme).toContain(`\`${name}\``);
      expect(existsSync(join(root, 'packages', pkg, 'LICENSE'))).toBe(true);
      const json = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'));
      expect(json.repository.directory).toBe(`packages/${pkg}`);
      expect(typeof json.homepage).toBe('string');
      expect(typeof json.bugs.url).toBe('string');
      expect(json.keywords.length).toBeGreaterThan(3);
    });
  }
  it('reads type-only and value exports apart', () => {
    const groups = exportsOf(join(root, 'packages', 'model', 'src', 'index.ts'));
    const terms = groups.find((g) => g.module === 'terms/term')!;
    expect(terms.values).toEqual([]);
    expect(terms.types).toContain('ModelTerm');
    expect(groups.find((g) => g.module === 'model')!.values).toEqual(['buildModel', 'modelTerms']);
  });
});
