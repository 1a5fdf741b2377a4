import { DimensionMismatchError, assertAllFinite, assertFinite, assertInRange, assertInteger } from '@mmm/core';

/** Parameters of a piecewise-linear trend. */
export interface PiecewiseLinearTrend {
  /** initial slope k, per unit of time */
  slope: number;
  /** value at time 0, m */
  intercept: number;
  /** changepoint times s_j (sorted or not) */
  changepoints?: ArrayLike<number>;
  /** slope changes δ_j at each changepoint */
  deltas?: ArrayLike<number>;
}

/**
 * Continuous piecewise-linear trend (Prophet's linear trend with changepoints), into `out`.
 * @remarks
 * τ(t) = m + k·t + Σ_j δ_j·(t − s_j)₊.  A plain linear trend has no changepoints.
 * Gradient: ∂τ/∂m = 1, ∂τ/∂k = t, ∂τ/∂δ_j = (t − s_j)₊, ∂τ/∂s_j = −δ_j·[t > s_j], ∂τ/∂t = k + Σ_{s_j < t} δ_j.
 * Source: Taylor & Letham (2018), "Forecasting at scale", §3.1.2 (written in its continuous form).
 * @example
 * piecewiseLinearTrendInto(new Float64Array(3), [0, 1, 2], { slope: 1, intercept: 0, changepoints: [1], deltas: [-1] }); // [0, 1, 1]
 */
export function piecewiseLinearTrendInto(out: Float64Array, time: ArrayLike<number>, trend: PiecewiseLinearTrend): Float64Array {
  const { slope, intercept } = trend;
  const cps = trend.changepoints ?? [];
  const deltas = trend.deltas ?? [];
  assertFinite('slope', slope);
  assertFinite('intercept', intercept);
  if (cps.length !== deltas.length) throw new DimensionMismatchError('deltas', cps.length, deltas.length);
  assertAllFinite('changepoints', cps);
  assertAllFinite('deltas', deltas);
  if (out.length !== time.length) throw new DimensionMismatchError('out', time.length, out.length);
  for (let t = 0; t < time.length; t++) {
    const x = time[t];
    let v = intercept + slope * x;
    for (let j = 0; j < cps.length; j++) if (x > cps[j]) v += deltas[j] * (x - cps[j]);
    out[t] = v;
  }
  return out;
}

/** Allocating form of {@link piecewiseLinearTrendInto}. */
export function piecewiseLinearTrend(time: ArrayLike<number>, trend: PiecewiseLinearTrend): Float64Array {
  return piecewiseLinearTrendInto(new Float64Array(time.length), time, trend);
}

/** Outputs of {@link piecewiseLinearTrendVjp}, each overwritten. */
export interface PiecewiseLinearTrendGradient {
  /** length 2: [∂f/∂k, ∂f/∂m] */
  slopeIntercept: Float64Array;
  /** length J: ∂f/∂δ_j */
  deltas?: Float64Array;
  /** length J: ∂f/∂s_j */
  changepoints?: Float64Array;
  /** length n: ∂f/∂t */
  time?: Float64Array;
}

/**
 * Vector-Jacobian product of {@link piecewiseLinearTrendInto}: given g = ∂f/∂τ, the gradient of f with respect to
 * the slope, intercept, deltas, changepoints and time points (each output optional but the first). Allocates nothing.
 */
export function piecewiseLinearTrendVjp(
  time: ArrayLike<number>,
  trend: PiecewiseLinearTrend,
  g: ArrayLike<number>,
  out: PiecewiseLinearTrendGradient,
): PiecewiseLinearTrendGradient {
  const n = time.length;
  if (g.length !== n) throw new DimensionMismatchError('g', n, g.length);
  const cps = trend.changepoints ?? [];
  const deltas = trend.deltas ?? [];
  const J = cps.length;
  if (out.deltas) out.deltas.fill(0);
  if (out.changepoints) out.changepoints.fill(0);
  let gk = 0;
  let gm = 0;
  for (let t = 0; t < n; t++) {
    const x = time[t];
    const gt = g[t];
    gk += gt * x;
    gm += gt;
    let slopeHere = trend.slope;
    for (let j = 0; j < J; j++) {
      if (x > cps[j]) {
        if (out.deltas) out.deltas[j] += gt * (x - cps[j]);
        if (out.changepoints) out.changepoints[j] -= gt * deltas[j];
        slopeHere += deltas[j];
      }
    }
    if (out.time) out.time[t] = gt * slopeHere;
  }
  out.slopeIntercept[0] = gk;
  out.slopeIntercept[1] = gm;
  return out;
}

/**
 * Evenly spaced changepoint times over the first `range` share of the time span (Prophet's default grid).
 * @param time - time points (their min and max set the span)
 * @param count - number of changepoints, ≥ 0
 * @param range - share of the span that holds changepoints, in (0, 1]; default 0.8
 * @example
 * changepointGrid([0, 10], 4, 0.8); // [1.6, 3.2, 4.8, 6.4]
 */
export function changepointGrid(time: ArrayLike<number>, count: number, range = 0.8): Float64Array {
  assertInteger('count', count, 0);
  assertInRange('range', range, { lower: 0, upper: 1, lowerOpen: true });
  assertAllFinite('time', time);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < time.length; i++) {
    if (time[i] < lo) lo = time[i];
    if (time[i] > hi) hi = time[i];
  }
  const out = new Float64Array(count);
  const span = (hi - lo) * range;
  for (let j = 0; j < count; j++) out[j] = lo + (span * (j + 1)) / (count + 1);
  return out;
}
