import { DimensionMismatchError, InvalidInputError, InvalidParameterError, NonFiniteError } from './errors.js';

/**
 * Argument checks used at the public boundary of every package (STYLE.md §3.5). Each throws a typed error
 * that names the field; inner kernels trust their inputs.
 * @packageDocumentation
 */

/** Throws {@link NonFiniteError} unless `value` is a finite number. */
export function assertFinite(field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new NonFiniteError(field, value as number);
}

/** Throws unless every entry of `x` is finite, naming the first bad index (`field[i]`). */
export function assertAllFinite(field: string, x: ArrayLike<number>): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) throw new NonFiniteError(`${field}[${i}]`, v);
  }
}

/** Throws unless every entry of `x` is finite and ≥ 0, naming the first bad index. */
export function assertNonNegativeArray(field: string, x: ArrayLike<number>, fix = 'Values must be ≥ 0.'): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) throw new NonFiniteError(`${field}[${i}]`, v);
    if (v < 0) throw new InvalidInputError(`${field}[${i}]`, `is ${v}`, fix);
  }
}

/** Interval bounds for {@link assertInRange}; open ends exclude the bound. */
export interface Interval {
  lower?: number;
  upper?: number;
  lowerOpen?: boolean;
  upperOpen?: boolean;
}

/** Throws {@link InvalidParameterError} unless `value` is finite and inside `interval`. */
export function assertInRange(field: string, value: number, interval: Interval): void {
  const { lower = -Infinity, upper = Infinity, lowerOpen = false, upperOpen = false } = interval;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (lowerOpen ? value > lower : value >= lower) &&
    (upperOpen ? value < upper : value <= upper);
  if (!ok) throw new InvalidParameterError(field, value, formatInterval(interval));
}

/** Throws unless `value` is finite and > 0. */
export function assertPositive(field: string, value: number): void {
  assertInRange(field, value, { lower: 0, lowerOpen: true });
}

/** Throws unless `value` is an integer ≥ `min`. */
export function assertInteger(field: string, value: number, min = -Infinity): void {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidParameterError(field, value, min === -Infinity ? 'the integers' : `the integers ≥ ${min}`);
  }
}

/** Throws {@link DimensionMismatchError} unless `found === expected`. */
export function assertLength(field: string, expected: number, found: number): void {
  if (expected !== found) throw new DimensionMismatchError(field, expected, found);
}

/** Writes an interval as `[a, b)`, `(0, ∞)` and so on. */
export function formatInterval(interval: Interval): string {
  const { lower = -Infinity, upper = Infinity, lowerOpen = false, upperOpen = false } = interval;
  const lo = lower === -Infinity ? '(−∞' : `${lowerOpen ? '(' : '['}${lower}`;
  const hi = upper === Infinity ? '∞)' : `${upper}${upperOpen ? ')' : ']'}`;
  return `${lo}, ${hi}`;
}

/** A credible (or any two-sided) interval: the one interval shape of the public API. */
export interface CredibleInterval {
  lower: number;
  upper: number;
}

/**
 * The default mass of every credible interval the packages report (central intervals of ROAS, contributions,
 * predictions, budgets, CLV, and the summary's HDI): 0.9, Meridian's and Robyn's choice. Each function that reports
 * one takes an `interval` option to change it.
 */
export const DEFAULT_INTERVAL_MASS = 0.9;
