/**
 * Options that refuse typos. Every public entry point that takes an options object declares the keys it accepts as an
 * {@link OptionShape} and calls {@link checkOptions} first: an unknown key anywhere in the object is an
 * {@link InvalidInputError} naming its path and the nearest valid name, so `fitMMM(rows, { drawz: 500 })` fails instead
 * of fitting with the default number of draws.
 * @packageDocumentation
 */
import { InvalidInputError } from './errors.js';

/**
 * What an options object (or a part of it) may hold: built with {@link optionKeys}, {@link recordOf}, {@link listOf},
 * {@link oneOf} and {@link customShape}, or {@link ANY} for a value whose keys are not checked here (a number, a
 * string, a callback, a fit, data).
 */
export type OptionShape =
  | { readonly kind: 'any' }
  | { readonly kind: 'keys'; readonly keys: Readonly<Record<string, OptionShape>> }
  | { readonly kind: 'record'; readonly values: OptionShape }
  | { readonly kind: 'list'; readonly items: OptionShape }
  | { readonly kind: 'oneOf'; readonly variants: readonly OptionShape[] }
  | { readonly kind: 'custom'; readonly check: (value: unknown, path: string) => void };

/** A value whose keys are not checked (a number, a string, a function, a fit, data). */
export const ANY: OptionShape = { kind: 'any' };

/**
 * An object with these keys, each optional; any other key is refused. Typed against the options interface `T`: every
 * key of `T` must be listed, so an option added to the interface and not here is a compile error.
 * @example
 * const SHAPE = optionKeys<{ seed?: number; draws?: number }>({ seed: ANY, draws: ANY });
 */
export function optionKeys<T>(keys: { readonly [K in keyof Required<T>]: OptionShape }): OptionShape {
  return { kind: 'keys', keys: keys as Readonly<Record<string, OptionShape>> };
}

/** An object whose keys are names of the caller's choosing (channels, geos), each value of the given shape. */
export function recordOf(values: OptionShape): OptionShape {
  return { kind: 'record', values };
}

/** An array whose elements have the given shape. */
export function listOf(items: OptionShape): OptionShape {
  return { kind: 'list', items };
}

/**
 * One of several shapes (a trend given as `'linear'` or as `{ knots }` or `{ changepoints }`): an object is checked
 * against the object variant it matches best, and refused with that variant's nearest names.
 */
export function oneOf(...variants: OptionShape[]): OptionShape {
  return { kind: 'oneOf', variants };
}

/** A shape checked by a function of the caller's (e.g. a prior, whose keys depend on its `dist`). */
export function customShape(check: (value: unknown, path: string) => void): OptionShape {
  return { kind: 'custom', check };
}

/**
 * Refuses any key of `value` (at any depth) that `shape` does not name, with an {@link InvalidInputError} whose field
 * is the key's path (`options.model.trnd`) and whose fix names the nearest valid key (`did you mean
 * options.model.trend?`). Values that are not plain objects where the shape expects keys are left to the caller's own
 * checks; `value` is not changed.
 * @param path - how the caller names `value` in messages, e.g. `'options'`
 * @example
 * checkOptions({ drawz: 500 }, optionKeys<{ draws?: number }>({ draws: ANY }), 'options');
 * // InvalidInputError: options.drawz: is not an option. Did you mean options.draws? …
 */
export function checkOptions(value: unknown, shape: OptionShape, path: string): void {
  switch (shape.kind) {
    case 'any':
      return;
    case 'custom':
      if (value !== undefined) shape.check(value, path);
      return;
    case 'list':
      if (Array.isArray(value)) value.forEach((item, i) => checkOptions(item, shape.items, `${path}[${i}]`));
      return;
    case 'record':
      if (isPlainObject(value)) for (const [key, v] of Object.entries(value)) checkOptions(v, shape.values, `${path}.${key}`);
      return;
    case 'keys':
      if (isPlainObject(value)) checkKeys(value, shape.keys, path);
      return;
    case 'oneOf':
      checkVariants(value, shape.variants, path);
      return;
  }
}

/** An object's keys against one object shape. @internal */
function checkKeys(value: Record<string, unknown>, keys: Readonly<Record<string, OptionShape>>, path: string): void {
  const valid = Object.keys(keys);
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(keys, key)) throw unknownKey(path, key, valid);
    checkOptions(value[key], keys[key], `${path}.${key}`);
  }
}

/** A value against the variants of a {@link oneOf}: objects against the object variant whose keys fit best. @internal */
function checkVariants(value: unknown, variants: readonly OptionShape[], path: string): void {
  if (!isPlainObject(value)) {
    for (const v of variants) if (v.kind !== 'keys') checkOptions(value, v, path);
    return;
  }
  const objects = variants.filter((v): v is Extract<OptionShape, { kind: 'keys' }> => v.kind === 'keys');
  if (objects.length === 0) {
    for (const v of variants) checkOptions(value, v, path);
    return;
  }
  // the variant sharing the most keys with the value, then the one whose names are nearest to the unknown keys: a typo
  // is reported against it
  const given = Object.keys(value);
  let best = objects[0];
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const v of objects) {
    const names = Object.keys(v.keys);
    let score = 0;
    for (const k of given)
      score += Object.hasOwn(v.keys, k) ? 1000 : -Math.min(...names.map((nm) => editDistance(k.toLowerCase(), nm.toLowerCase())));
    if (score > bestScore) [best, bestScore] = [v, score];
  }
  checkKeys(value, best.keys, path);
}

/** The error for an unknown key, with the nearest valid name when one is close. @internal */
function unknownKey(path: string, key: string, valid: readonly string[]): InvalidInputError {
  const near = nearestName(key, valid);
  const list = valid.length > 12 ? `${valid.slice(0, 12).join(', ')}, …` : valid.join(', ');
  const hint = near !== undefined ? `Did you mean ${path}.${near}? ` : '';
  return new InvalidInputError(`${path}.${key}`, 'is not an option', `${hint}Options here: ${list || '(none)'}.`);
}

/**
 * The valid name nearest to `name` by edit distance (Damerau–Levenshtein: insertions, deletions, substitutions and
 * swaps of neighbours, ignoring case), when it is within max(2, ⌊|name|/3⌋) edits; otherwise undefined.
 * @example
 * nearestName('trnd', ['trend', 'seasonality']); // 'trend'
 */
export function nearestName(name: string, valid: readonly string[]): string | undefined {
  const a = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const v of valid) {
    const d = editDistance(a, v.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [v, d];
  }
  return best;
}

/** Optimal-string-alignment distance between two strings. @internal */
function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[m][n];
}

/** A plain object (not null, not an array, not a typed array or a Map). @internal */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
