import { DEFAULT_INTERVAL_MASS, InvalidInputError, InvalidParameterError, assertAllFinite, type CredibleInterval } from '@mmm/core';
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

export { quantileSorted };

/** Checks draws and a mass, and sorts the draws. @internal */
function sortedDraws(draws: ArrayLike<number>, mass: number): Float64Array {
  if (!(mass > 0 && mass < 1)) throw new InvalidParameterError('mass', mass, '(0, 1)');
  if (draws.length === 0) throw new InvalidInputError('draws', 'is empty', 'Pass at least one draw.');
  assertAllFinite('draws', draws);
  return sorted(draws);
}

/**
 * Central credible interval: the type-7 quantiles (1 − mass)/2 and (1 + mass)/2 of the draws.
 * @param mass - share of draws inside, in (0, 1); @defaultValue 0.9 (`DEFAULT_INTERVAL_MASS`)
 * @example
 * centralInterval([1, 2, 3, 4, 5], 0.5); // { lower: 2, upper: 4 }
 */
export function centralInterval(draws: ArrayLike<number>, mass = DEFAULT_INTERVAL_MASS): CredibleInterval {
  return centralIntervalSorted(sortedDraws(draws, mass), mass);
}

/** {@link centralInterval} of already sorted, finite draws (no checks). */
export function centralIntervalSorted(s: ArrayLike<number>, mass: number): CredibleInterval {
  return { lower: quantileSorted(s, (1 - mass) / 2), upper: quantileSorted(s, 1 - (1 - mass) / 2) };
}

/**
 * Highest-density interval: the narrowest interval holding a share `mass` of the draws (for unimodal
 * posteriors), as ArviZ's `hdi`: with draws sorted, the window of ⌊mass·n⌋ + 1 consecutive draws of least width.
 * @param mass - share of draws inside, in (0, 1); @defaultValue 0.9 (`DEFAULT_INTERVAL_MASS`; ArviZ's is 0.94)
 * @example
 * highestDensityInterval([1, 2, 3, 4, 100], 0.6); // { lower: 1, upper: 4 }
 */
export function highestDensityInterval(draws: ArrayLike<number>, mass = DEFAULT_INTERVAL_MASS): CredibleInterval {
  const [lower, upper] = hdiSorted(sortedDraws(draws, mass), mass);
  return { lower, upper };
}

/** {@link highestDensityInterval} of already sorted, finite draws, as a pair. @internal */
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
