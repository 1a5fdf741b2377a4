import { InvalidInputError, InvalidParameterError, assertAllFinite } from '@mmm/core';
import { quantileSorted, sorted } from './internal/stats.js';

/**
 * Sample quantiles of type 7 (R's default, NumPy's `linear`): q(p) = (1 − h)·x₍ₗₒ₎ + h·x₍ₕᵢ₎ at index 1 + (n − 1)p.
 * @param draws - values (finite)
 * @param probs - probabilities in [0, 1]
 * @returns one quantile per probability
 * @example
 * quantiles([1, 2, 3, 4], [0.5]); // Float64Array [2.5]
 */
export function quantiles(draws: ArrayLike<number>, probs: ArrayLike<number>): Float64Array {
  if (draws.length === 0) throw new InvalidInputError('draws', 'is empty', 'Pass at least one draw.');
  assertAllFinite('draws', draws);
  const s = sorted(draws);
  return Float64Array.from(probs, (p, i) => {
    if (!(p >= 0 && p <= 1)) throw new InvalidParameterError(`probs[${i}]`, p, '[0, 1]');
    return quantileSorted(s, p);
  });
}

/**
 * Highest-density interval: the narrowest interval holding a share `prob` of the draws (for unimodal
 * posteriors), as ArviZ's `hdi`: with draws sorted, the window of ⌊prob·n⌋ + 1 consecutive draws of least width.
 * @param prob - share of draws inside, in (0, 1); ArviZ's default is 0.94
 * @returns `[lower, upper]`
 * @example
 * hdi([1, 2, 3, 4, 100], 0.6); // [1, 4]
 */
export function hdi(draws: ArrayLike<number>, prob = 0.94): [number, number] {
  if (!(prob > 0 && prob < 1)) throw new InvalidParameterError('prob', prob, '(0, 1)');
  if (draws.length === 0) throw new InvalidInputError('draws', 'is empty', 'Pass at least one draw.');
  assertAllFinite('draws', draws);
  return hdiSorted(sorted(draws), prob);
}

/** {@link hdi} of already sorted, finite draws. @internal */
export function hdiSorted(s: ArrayLike<number>, prob: number): [number, number] {
  if (!(prob > 0 && prob < 1)) throw new InvalidParameterError('prob', prob, '(0, 1)');
  const n = s.length;
  const inc = Math.floor(prob * n);
  const count = n - inc;
  if (count <= 0) return [s[0], s[n - 1]];
  let best = 0;
  let width = Infinity;
  for (let i = 0; i < count; i++) {
    const w = s[i + inc] - s[i];
    if (w < width) {
      width = w;
      best = i;
    }
  }
  return [s[best], s[best + inc]];
}
