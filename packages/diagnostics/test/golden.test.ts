// Agreement with R's posterior 1.4.0 on the golden cases of shared/reference/diagnostics (copied to
// test/fixtures/golden.json with its README): every statistic to 1e-8 relative.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  convergence,
  essBasic,
  essBulk,
  essMean,
  essQuantile,
  essSd,
  essTail,
  mcseMean,
  mcseQuantile,
  mcseSd,
  rhat,
  rhatBasic,
} from '../src/index.js';

interface GoldenCase {
  name: string;
  chains: number[][];
  [stat: string]: unknown;
}
const golden = JSON.parse(readFileSync(new URL('./fixtures/golden.json', import.meta.url), 'utf8')) as { cases: GoldenCase[] };

const stats: Record<string, (c: number[][]) => number> = {
  rhat,
  rhat_basic: (c) => rhatBasic(c),
  ess_bulk: essBulk,
  ess_tail: essTail,
  ess_basic: (c) => essBasic(c),
  ess_mean: essMean,
  ess_sd: essSd,
  ess_q05: (c) => essQuantile(c, 0.05),
  ess_q95: (c) => essQuantile(c, 0.95),
  mcse_mean: mcseMean,
  mcse_sd: mcseSd,
  mcse_q05: (c) => mcseQuantile(c, 0.05),
};

function expectRelative(actual: number, expected: number, tol: number, label: string): void {
  const rel = Math.abs(actual - expected) / Math.abs(expected);
  expect(rel, `${label}: ours ${actual}, posterior ${expected}, relative difference ${rel.toExponential(2)}`).toBeLessThanOrEqual(tol);
}

describe('agreement with posterior 1.4.0', () => {
  for (const c of golden.cases) {
    describe(c.name, () => {
      for (const [stat, f] of Object.entries(stats)) {
        it(stat, () => {
          const expected = c[stat];
          expect(typeof expected).toBe('number');
          expectRelative(f(c.chains), expected as number, 1e-8, `${c.name} ${stat}`);
        });
      }
    });
  }
});

describe('convergence: R-hat, bulk and tail ESS from one sort', () => {
  it("agrees with posterior's rhat, ess_bulk and ess_tail on every golden case", () => {
    for (const c of golden.cases) {
      const got = convergence(c.chains);
      expectRelative(got.rhat, c.rhat as number, 1e-8, `${c.name} rhat`);
      expectRelative(got.essBulk, c.ess_bulk as number, 1e-8, `${c.name} ess_bulk`);
      expectRelative(got.essTail, c.ess_tail as number, 1e-8, `${c.name} ess_tail`);
    }
  });
});
