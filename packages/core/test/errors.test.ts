import { describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  InvalidParameterError,
  NonFiniteError,
  DimensionMismatchError,
  assertInRange,
  assertAllFinite,
  assertNonNegativeArray,
  isMmmError,
  reviveError,
  formatInterval,
} from '../src/index.js';

describe('errors', () => {
  it('InvalidInputError names the field, what was found and the fix', () => {
    const e = new InvalidInputError('spend.tv[12]', 'is -40', 'Spend must be ≥ 0.');
    expect(e.message).toBe('spend.tv[12]: is -40. Spend must be ≥ 0.');
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.field).toBe('spend.tv[12]');
    expect(e).toBeInstanceOf(Error);
    expect(isMmmError(e)).toBe(true);
  });

  it('survives a structured clone as plain data and is rebuilt with its code', () => {
    const e = new InvalidParameterError('alpha', 1.5, '[0, 1)');
    const copy = structuredClone(e.toJSON());
    const back = reviveError(copy);
    expect(isMmmError(back)).toBe(true);
    expect(back.code).toBe('INVALID_PARAMETER');
    expect(back.name).toBe('InvalidParameterError');
    expect(back.message).toBe('alpha: got 1.5, must be in [0, 1).');
  });

  it('isMmmError is false for ordinary errors', () => {
    expect(isMmmError(new Error('x'))).toBe(false);
    expect(isMmmError('x')).toBe(false);
  });
});

describe('checks', () => {
  it('assertInRange respects open and closed ends', () => {
    expect(() => assertInRange('a', 0, { lower: 0, upper: 1, upperOpen: true })).not.toThrow();
    expect(() => assertInRange('a', 1, { lower: 0, upper: 1, upperOpen: true })).toThrow(InvalidParameterError);
    expect(() => assertInRange('a', 0, { lower: 0, lowerOpen: true })).toThrow(/a: got 0, must be in \(0, ∞\)/);
    expect(() => assertInRange('a', Number.NaN, {})).toThrow(/a: got NaN/);
  });

  it('array checks name the first bad index', () => {
    expect(() => assertAllFinite('y', [1, 2, Number.POSITIVE_INFINITY])).toThrow(NonFiniteError);
    expect(() => assertAllFinite('y', [1, Number.NaN])).toThrow(/y\[1\]/);
    expect(() => assertNonNegativeArray('spend.tv', [1, -2])).toThrow(/spend\.tv\[1\]: is -2/);
  });

  it('formats intervals', () => {
    expect(formatInterval({ lower: 0, upper: 1, upperOpen: true })).toBe('[0, 1)');
    expect(formatInterval({ lower: 0, lowerOpen: true })).toBe('(0, ∞)');
    expect(new DimensionMismatchError('x', 3, 4).message).toMatch(/expected length 3, got 4/);
  });
});
