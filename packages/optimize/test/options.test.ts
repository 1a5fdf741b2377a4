import { describe, expect, it } from 'vitest';
import { allocateBudget, budgetForResponse, minimize } from '../src/index.js';

describe('option keys', () => {
  const curve = { channel: 'tv', response: (x: number) => Math.sqrt(x), marginal: (x: number) => 0.5 / Math.sqrt(Math.max(x, 1e-9)) };
  it('allocateBudget, the inverse questions and minimize refuse a misspelt key with the nearest valid one', () => {
    expect(() => allocateBudget({ curves: [curve], totalBudget: 1, boundz: {} } as never)).toThrow(
      /options\.boundz: is not an option\. Did you mean options\.bounds\?/,
    );
    expect(() => allocateBudget({ curves: [curve], totalBudget: 1, objective: { quantil: 0.1 } } as never)).toThrow(
      /options\.objective\.quantil: .*Did you mean options\.objective\.quantile\?/,
    );
    expect(() => budgetForResponse({ curves: [curve], budgetRang: [0, 1] } as never, 0.5)).toThrow(
      /options\.budgetRang: .*Did you mean options\.budgetRange\?/,
    );
    expect(() =>
      minimize(
        (x, g) => {
          g[0] = 2 * x[0];
          return x[0] * x[0];
        },
        [1],
        { maxIteration: 5 } as never,
      ),
    ).toThrow(/options\.maxIteration: .*Did you mean options\.maxIterations\?/);
  });
});
