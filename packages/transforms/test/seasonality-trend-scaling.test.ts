import { describe, expect, it } from 'vitest';
import {
  changepointGrid,
  daysSinceEpoch,
  fourierFeatures,
  maxAbsScale,
  maxAbsScaleColumns,
  meanScale,
  piecewiseLinearTrend,
  piecewiseLinearTrendVjp,
  standardize,
  unscale,
} from '../src/index.js';
import { InvalidInputError } from '@mmm/core';
import { centralDifference, dot, expectDerivative, randomArray, seeded } from './helpers.js';

describe('Fourier features', () => {
  it('sin/cos pairs at multiples of the base frequency, in mmm.stan column order', () => {
    const f = fourierFeatures([0, 1, 2, 3], { period: 4, order: 2 });
    expect(f.names).toEqual(['sin_1', 'cos_1', 'sin_2', 'cos_2']);
    expect(f.columns).toBe(4);
    // t = 1: sin(π/2) = 1, cos(π/2) = 0, sin(π) = 0, cos(π) = −1
    const row1 = Array.from(f.values.subarray(4, 8));
    [1, 0, 0, -1].forEach((v, i) => expect(row1[i]).toBeCloseTo(v, 15));
  });
  it('each column has period P: features repeat after one period', () => {
    const t = Float64Array.from({ length: 200 }, (_, i) => i * 1.3);
    const a = fourierFeatures(t, { period: 52.18, order: 3 }).values;
    const b = fourierFeatures(
      t.map((v) => v + 52.18),
      { period: 52.18, order: 3 },
    ).values;
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 10);
  });
  it('days since epoch from ISO strings, Dates and milliseconds; unparsable dates are named', () => {
    expect(Array.from(daysSinceEpoch(['1970-01-02', new Date(Date.UTC(1970, 0, 11)), 86_400_000 * 3]))).toEqual([1, 10, 3]);
    expect(() => daysSinceEpoch(['2024-01-01', 'not a date'])).toThrow(/dates\[1\]/);
  });
  it('rejects bad order and period', () => {
    expect(() => fourierFeatures([0], { order: 0 })).toThrow(/order/);
    expect(() => fourierFeatures([0], { period: -1 })).toThrow(/period/);
  });
});

describe('piecewise-linear trend', () => {
  it('hand-worked values: slope 1 bending to 0 at t = 1', () => {
    expect(Array.from(piecewiseLinearTrend([0, 1, 2, 3], { slope: 1, intercept: 0, changepoints: [1], deltas: [-1] }))).toEqual([
      0, 1, 1, 1,
    ]);
    expect(Array.from(piecewiseLinearTrend([0, 2], { slope: 0.5, intercept: 3 }))).toEqual([3, 4]);
  });
  it('VJP against central differences in slope, intercept, deltas, changepoints and time', () => {
    const rand = seeded(3);
    const time = Float64Array.from({ length: 30 }, (_, i) => i / 4 + 0.013);
    const cps = changepointGrid(time, 4);
    const deltas = randomArray(rand, 4, -1, 1);
    const g = randomArray(rand, 30, -1, 1);
    const trend = { slope: 0.3, intercept: -0.2, changepoints: cps, deltas };
    const out = {
      slopeIntercept: new Float64Array(2),
      deltas: new Float64Array(4),
      changepoints: new Float64Array(4),
      time: new Float64Array(30),
    };
    piecewiseLinearTrendVjp(time, trend, g, out);
    const f = (tr: typeof trend, t: ArrayLike<number> = time) => dot(g, piecewiseLinearTrend(t, tr));
    expectDerivative(
      out.slopeIntercept[0],
      centralDifference((v) => f({ ...trend, slope: v }), 0.3),
      'slope',
    );
    expectDerivative(
      out.slopeIntercept[1],
      centralDifference((v) => f({ ...trend, intercept: v }), -0.2),
      'intercept',
    );
    for (let j = 0; j < 4; j++) {
      expectDerivative(
        out.deltas[j],
        centralDifference((v) => f({ ...trend, deltas: deltas.map((d, i) => (i === j ? v : d)) }), deltas[j]),
        `delta ${j}`,
      );
      expectDerivative(
        out.changepoints[j],
        centralDifference((v) => f({ ...trend, changepoints: cps.map((c, i) => (i === j ? v : c)) }), cps[j]),
        `changepoint ${j}`,
      );
    }
    for (const s of [0, 13, 29]) {
      expectDerivative(
        out.time[s],
        centralDifference(
          (v) =>
            f(
              trend,
              time.map((t, i) => (i === s ? v : t)),
            ),
          time[s],
        ),
        `time ${s}`,
      );
    }
  });
  it('changepoint grid covers the first 80% of the span', () => {
    expect(Array.from(changepointGrid([0, 10], 4)).map((v) => +v.toFixed(12))).toEqual([1.6, 3.2, 4.8, 6.4]);
    expect(() => changepointGrid([0, 1], 2, 0)).toThrow(/range/);
  });
  it('mismatched deltas are named', () => {
    expect(() => piecewiseLinearTrend([0], { slope: 1, intercept: 0, changepoints: [1, 2], deltas: [1] })).toThrow(/deltas/);
  });
});

describe('scalers', () => {
  it('max-abs, mean and standard scaling invert exactly', () => {
    const x = [3, 0, 6, 1.5];
    const m = maxAbsScale(x);
    expect(Array.from(m.scaled)).toEqual([0.5, 0, 1, 0.25]);
    expect(Array.from(unscale(m.scaled, m.scale, m.center))).toEqual(x);
    const y = meanScale([1, 3]);
    expect(Array.from(y.scaled)).toEqual([0.5, 1.5]);
    const z = standardize([1, 2, 3, 4]);
    expect(z.center).toBe(2.5);
    expect(z.scale).toBeCloseTo(Math.sqrt(5 / 3), 15);
    const back = unscale(z.scaled, z.scale, z.center);
    [1, 2, 3, 4].forEach((v, i) => expect(back[i]).toBeCloseTo(v, 14));
  });
  it('an all-zero channel is named with the fix; an empty or NaN column too', () => {
    expect(() => maxAbsScaleColumns({ tv: [1, 2], radio: [0, 0] }, 'spend')).toThrow(
      /spend\.radio: is 0 in every period\. A channel with no spend/,
    );
    expect(() => maxAbsScale([], 'spend.tv')).toThrow(InvalidInputError);
    expect(() => meanScale([1, Number.NaN], 'sales')).toThrow(/sales\[1\]/);
    expect(() => standardize([2, 2, 2], 'price')).toThrow(/price: is constant/);
    expect(() => meanScale([-1, 0], 'sales')).toThrow(/positive mean/);
  });
  it('does not mutate its input', () => {
    const x = Float64Array.from([1, 2, 4]);
    maxAbsScale(x);
    standardize(x);
    expect(Array.from(x)).toEqual([1, 2, 4]);
  });
});
