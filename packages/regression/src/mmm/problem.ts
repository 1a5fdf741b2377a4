import { DimensionMismatchError, InvalidInputError, assertAllFinite } from '@mmm/core';
import type { AdstockFamily, SaturationFamily } from '@mmm/transforms';

/** One media channel of a classical MMM: its input, its curves, and the ranges its curve parameters are searched in. */
export interface MMMMediaInput {
  name: string;
  /** the channel's input on the model's scale (spend or exposures over its maximum) */
  input: ArrayLike<number>;
  /** total spend over the data (for DECOMP.RSSD) */
  spend: number;
  adstock: AdstockFamily;
  maxLag: number;
  normalize: boolean;
  saturation: SaturationFamily;
  /** [lower, upper] per adstock parameter, then per saturation parameter, in the families' order */
  ranges: ReadonlyArray<readonly [number, number]>;
}

/**
 * A classical MMM to search: y = b + Σ_j w_j·x_j + Σ_c β_c·s_c(adstock_c(x_c)) + ε, where the base columns x_j
 * (trend, seasonality, controls) are fixed and each channel's curve parameters are searched.
 */
export interface MMMProblem {
  /** the target on the model's scale */
  y: ArrayLike<number>;
  /** the linear columns: trend, Fourier terms, controls */
  base: ReadonlyArray<{ name: string; values: ArrayLike<number> }>;
  media: ReadonlyArray<MMMMediaInput>;
  /**
   * interaction columns, after the media's: channel `channel`'s feature s_c(t) times another channel's feature or a
   * fixed column (a Fourier term); their coefficients are penalised as the others' and never held ≥ 0
   */
  interactions?: ReadonlyArray<MMMInteractionInput>;
}

/** One interaction column: s_channel(t)·s_times(t) (another channel, by index) or s_channel(t)·z_t (a fixed column). */
export interface MMMInteractionInput {
  name: string;
  /** the index of the channel in `media` */
  channel: number;
  times: { channel: number } | { values: ArrayLike<number> };
}

/** A checked problem with its columns as Float64Arrays. @internal */
export interface CheckedProblem {
  T: number;
  y: Float64Array;
  base: Float64Array[];
  baseNames: string[];
  media: Array<Omit<MMMMediaInput, 'input'> & { input: Float64Array; nAdstock: number; nSaturation: number }>;
  interactions: Array<{ name: string; channel: number; other: number; values: Float64Array | undefined }>;
  /** search dimensions before the penalty: Σ_c (adstock + saturation parameters) */
  curveDims: number;
}

/** Checks a problem: lengths, finite values, ranges inside each family's domain. @internal */
export function checkProblem(problem: MMMProblem): CheckedProblem {
  if (!problem?.y) throw new InvalidInputError('problem.y', 'is missing', 'Give the target.');
  const T = problem.y.length;
  if (T < 8) throw new InvalidInputError('problem.y', `has ${T} periods`, 'A classical MMM needs at least 8 periods.');
  assertAllFinite('problem.y', problem.y);
  const base = problem.base.map((b) => {
    if (b.values.length !== T) throw new DimensionMismatchError(`problem.base.${b.name}`, T, b.values.length);
    assertAllFinite(`problem.base.${b.name}`, b.values);
    return Float64Array.from(b.values);
  });
  if (problem.media.length === 0) throw new InvalidInputError('problem.media', 'is empty', 'Give at least one media channel.');
  let curveDims = 0;
  const media = problem.media.map((m) => {
    if (m.input.length !== T) throw new DimensionMismatchError(`problem.media.${m.name}.input`, T, m.input.length);
    assertAllFinite(`problem.media.${m.name}.input`, m.input);
    const nAdstock = m.adstock.paramNames.length;
    const nSaturation = m.saturation.paramNames.length;
    if (m.ranges.length !== nAdstock + nSaturation)
      throw new DimensionMismatchError(`problem.media.${m.name}.ranges`, nAdstock + nSaturation, m.ranges.length);
    m.ranges.forEach(([lo, hi], k) => {
      const name = k < nAdstock ? `adstock.${m.adstock.paramNames[k]}` : `saturation.${m.saturation.paramNames[k - nAdstock]}`;
      if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi))
        throw new InvalidInputError(`ranges.${m.name}.${name}`, `is [${lo}, ${hi}]`, 'Give finite bounds with lower ≤ upper.');
    });
    // both ends of every range must be valid parameters of the family
    for (const end of [0, 1]) {
      m.adstock.check(
        m.ranges.slice(0, nAdstock).map((r) => r[end]),
        m.maxLag,
      );
      m.saturation.check(m.ranges.slice(nAdstock).map((r) => r[end]));
    }
    curveDims += nAdstock + nSaturation;
    return { ...m, input: Float64Array.from(m.input), nAdstock, nSaturation };
  });
  const C = media.length;
  const channelIndex = (c: number, field: string) => {
    if (!(Number.isInteger(c) && c >= 0 && c < C))
      throw new InvalidInputError(field, `is ${String(c)}`, `Give the index of a media channel, 0 to ${C - 1}.`);
    return c;
  };
  const interactions = (problem.interactions ?? []).map((it, k) => {
    const field = `problem.interactions[${k}]`;
    const channel = channelIndex(it.channel, `${field}.channel`);
    if ('channel' in it.times)
      return { name: it.name, channel, other: channelIndex(it.times.channel, `${field}.times.channel`), values: undefined };
    if (it.times.values.length !== T) throw new DimensionMismatchError(`${field}.times.values`, T, it.times.values.length);
    assertAllFinite(`${field}.times.values`, it.times.values);
    return { name: it.name, channel, other: -1, values: Float64Array.from(it.times.values) };
  });
  return { T, y: Float64Array.from(problem.y), base, baseNames: problem.base.map((b) => b.name), media, interactions, curveDims };
}
