import { describe, expect, it } from 'vitest';
import { sample } from '../src/index.js';

describe('option keys', () => {
  const target = {
    dim: 1,
    logDensityGradient: (x: Float64Array, g: Float64Array) => {
      g[0] = -x[0];
      return -0.5 * x[0] * x[0];
    },
  };
  it('sample refuses a misspelt key at any level, with the nearest valid one', () => {
    expect(() => sample(target, { seed: 1, draw: 10 } as never)).toThrow(/options\.draw: is not an option\. Did you mean options\.draws\?/);
    expect(() => sample(target, { seed: 1, earlyStop: { es: 100 } } as never)).toThrow(
      /options\.earlyStop\.es: .*Did you mean options\.earlyStop\.ess\?/,
    );
    expect(() => sample(target, { seed: 1, localStepSize: { maxHalving: 3 } } as never)).toThrow(
      /Did you mean options\.localStepSize\.maxHalvings\?/,
    );
  });
});
