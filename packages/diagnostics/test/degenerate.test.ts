// Degenerate draws: NaN exactly where posterior 1.4.0 returns NA (fixtures/degenerate.json, made by
// fixtures/make-degenerate.R), typed errors where posterior has no meaningful answer.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DimensionMismatchError, InvalidInputError } from '@mmm/core';
import { essBulk, essMean, essTail, mcseMean, rhat, rhatBasic, summary } from '../src/index.js';

type Value = number | string | null;
const cases = JSON.parse(readFileSync(new URL('./fixtures/degenerate.json', import.meta.url), 'utf8')) as Array<{
  name: string;
  chains: Value[][];
  [stat: string]: unknown;
}>;
const toNumber = (v: Value): number => (v === 'NaN' ? Number.NaN : v === 'Infinity' ? Infinity : (v as number));
const stats: Record<string, (c: number[][]) => number> = {
  rhat,
  rhat_basic: (c) => rhatBasic(c),
  ess_bulk: essBulk,
  ess_tail: essTail,
  ess_mean: essMean,
  mcse_mean: mcseMean,
};

describe('degenerate draws agree with posterior', () => {
  for (const c of cases) {
    const chains = c.chains.map((ch) => ch.map(toNumber));
    for (const [stat, f] of Object.entries(stats)) {
      it(`${c.name}: ${stat}`, () => {
        const expected = c[stat] as number | null;
        const actual = f(chains);
        if (expected === null) expect(actual, 'posterior gives NA').toBeNaN();
        else expect(Math.abs(actual - expected) / Math.abs(expected), `ours ${actual}, posterior ${expected}`).toBeLessThan(1e-8);
      });
    }
  }
});

describe('typed errors', () => {
  it('no chains, too few draws, unequal lengths', () => {
    expect(() => rhat([])).toThrow(InvalidInputError);
    expect(() =>
      essBulk([
        [1, 2, 3],
        [1, 2, 3],
      ]),
    ).toThrow(/chains\[0\]: has 3 draws\. .*at least 4 draws per chain/);
    expect(() =>
      essBulk([
        [1, 2, 3, 4],
        [1, 2, 3],
      ]),
    ).toThrow(DimensionMismatchError);
    expect(() =>
      summary({
        beta: [
          [1, 2, 3, 4, 5],
          [1, 2],
        ],
      }),
    ).toThrow(/draws\.beta\[1\]/);
  });
  it('does not mutate its input', () => {
    const chains = [Float64Array.from([3, 1, 2, 5, 4, 0]), Float64Array.from([1, 1, 2, 3, 5, 8])];
    const copy = chains.map((c) => Float64Array.from(c));
    rhat(chains);
    essTail(chains);
    summary({ x: chains });
    expect(chains).toEqual(copy);
  });
});
