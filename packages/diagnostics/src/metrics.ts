import { DimensionMismatchError, InvalidInputError, InvalidParameterError, assertAllFinite } from '@mmm/core';
import { quantileSorted } from './internal/stats.js';

function checkPair(y: ArrayLike<number>, yHat: ArrayLike<number>): number {
  const n = y.length;
  if (n === 0) throw new InvalidInputError('y', 'is empty', 'Pass at least one observation.');
  if (yHat.length !== n) throw new DimensionMismatchError('yHat', n, yHat.length);
  assertAllFinite('y', y);
  assertAllFinite('yHat', yHat);
  return n;
}

/**
 * Coefficient of determination R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)².
 * @example
 * r2([1, 2, 3], [1, 2, 3]); // 1
 */
export function r2(y: ArrayLike<number>, yHat: ArrayLike<number>): number {
  const n = checkPair(y, yHat);
  let m = 0;
  for (let i = 0; i < n; i++) m += y[i];
  m /= n;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    res += (y[i] - yHat[i]) ** 2;
    tot += (y[i] - m) ** 2;
  }
  if (tot === 0) throw new InvalidInputError('y', 'is constant', 'R² is undefined for a constant target.');
  return 1 - res / tot;
}

/** Root mean squared error √(mean((y − ŷ)²)). */
export function rmse(y: ArrayLike<number>, yHat: ArrayLike<number>): number {
  const n = checkPair(y, yHat);
  let s = 0;
  for (let i = 0; i < n; i++) s += (y[i] - yHat[i]) ** 2;
  return Math.sqrt(s / n);
}

/**
 * Mean absolute percentage error mean(|y − ŷ| / |y|), as a fraction (0.05 = 5%).
 * @throws InvalidInputError naming the first y that is 0
 */
export function mape(y: ArrayLike<number>, yHat: ArrayLike<number>): number {
  const n = checkPair(y, yHat);
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] === 0) throw new InvalidInputError(`y[${i}]`, 'is 0', 'MAPE divides by the target; use rmse or nrmse for targets with zeros.');
    s += Math.abs((y[i] - yHat[i]) / y[i]);
  }
  return s / n;
}

/** Normalised RMSE as Robyn reports it: RMSE / (max y − min y). */
export function nrmse(y: ArrayLike<number>, yHat: ArrayLike<number>): number {
  const e = rmse(y, yHat);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < y.length; i++) {
    lo = Math.min(lo, y[i]);
    hi = Math.max(hi, y[i]);
  }
  if (hi === lo) throw new InvalidInputError('y', 'is constant', 'NRMSE divides by the range of the target.');
  return e / (hi - lo);
}

/**
 * Robyn's DECOMP.RSSD: the distance between the channels' shares of effect and their shares of spend,
 * √Σ_c (effectShare_c − spendShare_c)². Each input is normalised to sum 1 first.
 * @param effect - per channel contribution (≥ 0)
 * @param spend - per channel spend (≥ 0)
 * @example
 * decompRssd([1, 1], [1, 1]); // 0
 */
export function decompRssd(effect: ArrayLike<number>, spend: ArrayLike<number>): number {
  const n = checkPair(effect, spend);
  let se = 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    if (effect[i] < 0) throw new InvalidInputError(`effect[${i}]`, `is ${effect[i]}`, 'Contributions must be ≥ 0 for shares.');
    if (spend[i] < 0) throw new InvalidInputError(`spend[${i}]`, `is ${spend[i]}`, 'Spend must be ≥ 0.');
    se += effect[i];
    ss += spend[i];
  }
  if (se === 0 || ss === 0) throw new InvalidInputError(se === 0 ? 'effect' : 'spend', 'sums to 0', 'Shares need a positive total.');
  let d = 0;
  for (let i = 0; i < n; i++) d += (effect[i] / se - spend[i] / ss) ** 2;
  return Math.sqrt(d);
}

/**
 * Share of observations inside their central posterior predictive interval (type-7 quantiles of the draws).
 * A well-calibrated model covers about `prob` of them.
 * @param y - observations, length T
 * @param draws - `draws[s][t]`, posterior predictive draws
 * @param prob - interval mass in (0, 1), default 0.9
 */
export function intervalCoverage(y: ArrayLike<number>, draws: ReadonlyArray<ArrayLike<number>>, prob = 0.9): number {
  if (!(prob > 0 && prob < 1)) throw new InvalidParameterError('prob', prob, '(0, 1)');
  const T = y.length;
  const S = draws.length;
  if (S === 0) throw new InvalidInputError('draws', 'is empty', 'Pass posterior predictive draws[s][t].');
  assertAllFinite('y', y);
  const col = new Float64Array(S);
  let inside = 0;
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < S; s++) {
      if (draws[s].length !== T) throw new DimensionMismatchError(`draws[${s}]`, T, draws[s].length);
      col[s] = draws[s][t];
    }
    col.sort();
    const lo = quantileSorted(col, (1 - prob) / 2);
    const hi = quantileSorted(col, 1 - (1 - prob) / 2);
    if (y[t] >= lo && y[t] <= hi) inside++;
  }
  return inside / T;
}
