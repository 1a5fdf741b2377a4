// The repository's own rule (docs/architecture.md, "Conventions"): no function in packages/*/src longer than 150 lines,
// at most 5 longer than 80, and none of those without a "long:" comment saying why. Checked over the whole tree; the
// checker itself is checked on a made-up tree.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { longFunctions } from '../function-lengths.js';

const root = new URL('../..', import.meta.url).pathname;

describe('function lengths', () => {
  it('every function over 80 lines in packages/*/src says why', () => {
    const bad = longFunctions(root).filter((f) => !f.justified);
    expect(bad.map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`)).toEqual([]);
  });

  it('no function in packages/*/src is over 150 lines, and at most 5 are over 80 (closures counted)', () => {
    const long = longFunctions(root);
    expect(long.filter((f) => f.lines > 150).map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`)).toEqual([]);
    expect(long.length, long.map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`).join('\n')).toBeLessThanOrEqual(5);
  });

  it('finds long functions, named or not, and reads the "long:" comment before them or at the top of the body', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fnlen-'));
    try {
      mkdirSync(join(dir, 'packages', 'a', 'src'), { recursive: true });
      const body = (k: number) => Array.from({ length: k }, (_, i) => `  x += ${i};`).join('\n');
      writeFileSync(
        join(dir, 'packages', 'a', 'src', 'f.ts'),
        [
          `export function short() {\n  let x = 0;\n${body(3)}\n  return x;\n}`,
          `export function tooLong() {\n  let x = 0;\n${body(85)}\n  return x;\n}`,
          `// long: a kernel\nexport function justified() {\n  let x = 0;\n${body(85)}\n  return x;\n}`,
          `export const arrow = () => {\n  // long: one loop\n  let x = 0;\n${body(85)}\n  return x;\n};`,
          `export function outer() {\n  return () => {\n    let x = 0;\n${body(85)}\n    return x;\n  };\n}`,
        ].join('\n'),
      );
      const found = longFunctions(dir);
      expect(found.map((f) => [f.name, f.justified])).toEqual([
        ['tooLong', false],
        ['justified', true],
        ['arrow', true],
        ['outer', false],
        ['(anonymous)', false],
      ]);
      expect(found[0].lines).toBe(89);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
