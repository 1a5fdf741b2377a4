import { DimensionMismatchError, InvalidInputError, NonFiniteError } from '@mmm/core';

/** A scaled series and the constants that undo it: x = scaled·scale + center. */
export interface Scaled {
  scaled: Float64Array;
  scale: number;
  center: number;
}

function checkFinite(field: string, x: ArrayLike<number>): void {
  if (x.length === 0) throw new InvalidInputError(field, 'is empty', 'Pass at least one value.');
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new NonFiniteError(`${field}[${i}]`, x[i]);
}

function scaleBy(x: ArrayLike<number>, scale: number, center: number): Float64Array {
  const out = new Float64Array(x.length);
  const inv = 1 / scale;
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - center) * inv;
  return out;
}

/**
 * Max-abs scaling, as for media: x / max|x|, so each channel lies in [−1, 1] ([0, 1] for spend).
 * @param field - the name used in errors, e.g. `'spend.tv'`
 * @throws InvalidInputError when every value is 0 (a channel with no spend cannot be scaled or estimated)
 * @example
 * maxAbsScale([2, 4]).scaled; // [0.5, 1]
 */
export function maxAbsScale(x: ArrayLike<number>, field = 'x'): Scaled {
  checkFinite(field, x);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  if (m === 0)
    throw new InvalidInputError(
      field,
      'is 0 in every period',
      'A channel with no spend carries no information: drop it or merge it into another channel.',
    );
  return { scaled: scaleBy(x, m, 0), scale: m, center: 0 };
}

/**
 * Mean scaling, as for the target: y / mean(y), so the scaled target averages 1.
 * @throws InvalidInputError when the mean is not > 0
 * @example
 * meanScale([1, 3]).scaled; // [0.5, 1.5]
 */
export function meanScale(y: ArrayLike<number>, field = 'y'): Scaled {
  checkFinite(field, y);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i];
  const mean = s / y.length;
  if (!(mean > 0))
    throw new InvalidInputError(
      field,
      `has mean ${mean}`,
      'Mean scaling needs a target with a positive mean (sales, conversions); shift or choose another scaler.',
    );
  return { scaled: scaleBy(y, mean, 0), scale: mean, center: 0 };
}

/**
 * Standardisation, as for controls: (x − mean) / sd, with the sample sd (n − 1).
 * @throws InvalidInputError when the column is constant or has fewer than 2 values
 * @example
 * standardize([1, 3]).scaled; // [−0.7071…, 0.7071…]
 */
export function standardize(x: ArrayLike<number>, field = 'x'): Scaled {
  checkFinite(field, x);
  const n = x.length;
  if (n < 2) throw new InvalidInputError(field, `has ${n} value`, 'Standardising needs at least 2 values.');
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
  const sd = Math.sqrt(ss / (n - 1));
  if (!(sd > 0))
    throw new InvalidInputError(field, 'is constant', 'A constant control carries no information beyond the intercept: drop it.');
  return { scaled: scaleBy(x, sd, mean), scale: sd, center: mean };
}

/**
 * Undoes a scaling into `out` (which may alias `scaled`): x = scaled·scale + center.
 * @example
 * unscaleInto(new Float64Array(2), [0.5, 1], 4); // [2, 4]
 */
export function unscaleInto(out: Float64Array, scaled: ArrayLike<number>, scale: number, center = 0): Float64Array {
  if (out.length !== scaled.length) throw new DimensionMismatchError('out', scaled.length, out.length);
  for (let i = 0; i < scaled.length; i++) out[i] = scaled[i] * scale + center;
  return out;
}

/** Allocating form of {@link unscaleInto}. */
export function unscale(scaled: ArrayLike<number>, scale: number, center = 0): Float64Array {
  return unscaleInto(new Float64Array(scaled.length), scaled, scale, center);
}

/**
 * Max-abs scaling of named columns (e.g. every media channel), naming the column in errors as `prefix.name`.
 * @example
 * maxAbsScaleColumns({ tv: [1, 2] }, 'spend').scales; // { tv: 2 }
 */
export function maxAbsScaleColumns(
  columns: Readonly<Record<string, ArrayLike<number>>>,
  prefix = 'columns',
): { scaled: Record<string, Float64Array>; scales: Record<string, number> } {
  const scaled: Record<string, Float64Array> = {};
  const scales: Record<string, number> = {};
  for (const [name, x] of Object.entries(columns)) {
    const r = maxAbsScale(x, `${prefix}.${name}`);
    scaled[name] = r.scaled;
    scales[name] = r.scale;
  }
  return { scaled, scales };
}
