import { describe, expect, it } from 'vitest';
import { decompRssd, intervalCoverage, mape, nrmse, r2, rmse } from '../src/index.js';

describe('fit metrics by hand', () => {
  const y = [1, 2, 3, 4];
  const yHat = [1.5, 2, 2.5, 4];
  it('R², RMSE, MAPE, NRMSE', () => {
    // residuals 0.5, 0, −0.5, 0 → SSres 0.5; SStot 5
    expect(r2(y, yHat)).toBeCloseTo(1 - 0.5 / 5, 15);
    expect(rmse(y, yHat)).toBeCloseTo(Math.sqrt(0.5 / 4), 15);
    expect(mape(y, yHat)).toBeCloseTo((0.5 + 0 + 0.5 / 3 + 0) / 4, 15);
    expect(nrmse(y, yHat)).toBeCloseTo(Math.sqrt(0.5 / 4) / 3, 15);
  });
  it('DECOMP.RSSD: zero when effect shares equal spend shares', () => {
    expect(decompRssd([2, 2], [5, 5])).toBe(0);
    // shares 0.75/0.25 vs 0.5/0.5 → √(0.25² + 0.25²)
    expect(decompRssd([3, 1], [1, 1])).toBeCloseTo(Math.sqrt(0.125), 15);
  });
  it('interval coverage counts observations inside the central interval', () => {
    const draws = Array.from({ length: 101 }, (_, s) => [s / 100, s / 100, s / 100]);
    // 90% interval of 0, 0.01, …, 1 is [0.05, 0.95]
    expect(intervalCoverage([0.5, 0.04, 0.96], draws, 0.9)).toBeCloseTo(1 / 3, 15);
    expect(intervalCoverage([0.05, 0.95, 0.5], draws, 0.9)).toBe(1);
  });
  it('bad input is named', () => {
    expect(() => mape([0, 1], [1, 1])).toThrow(/y\[0\]: is 0/);
    expect(() => r2([1, 2], [1])).toThrow(/yHat: expected length 2, got 1/);
    expect(() => rmse([1, Number.NaN], [1, 1])).toThrow(/y\[1\]/);
    expect(() => decompRssd([1, -1], [1, 1])).toThrow(/effect\[1\]/);
    expect(() => r2([2, 2], [1, 2])).toThrow(/constant/);
  });
});
