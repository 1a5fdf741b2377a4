import { describe, expect, it } from 'vitest';
import {
  hill,
  hillDerivative,
  hillGradientInto,
  hillInto,
  logistic,
  logisticInto,
  michaelisMenten,
  power,
  powerDerivative,
  saturationFamilies,
  tanhSaturation,
  hillVjp,
  saturationJacobianInto,
  type SaturationFamily,
} from '../src/index.js';
import { InvalidParameterError } from '@mmm/core';
import { centralDifference, dot, expectDerivative, randomArray, seeded } from './helpers.js';

describe('saturation: closed forms', () => {
  it('Hill: ½ at K, and x^S/(K^S + x^S) by hand', () => {
    expect(hill(2, 2, 1)).toBe(0.5);
    expect(hill(3, 3, 2.7)).toBeCloseTo(0.5, 15);
    expect(hill(1, 2, 2)).toBeCloseTo(1 / 5, 15); // 1/(4+1)
    expect(hill(0, 2, 2)).toBe(0);
  });
  it('logistic: (1 − e^(−λx))/(1 + e^(−λx))', () => {
    const x = 0.7;
    const l = 2.5;
    expect(logistic(x, l)).toBeCloseTo((1 - Math.exp(-l * x)) / (1 + Math.exp(-l * x)), 15);
  });
  it('Michaelis-Menten: α/2 at x = λ', () => {
    expect(michaelisMenten(2, 10, 2)).toBe(5);
  });
  it('tanh: slope 1/c at 0 and limit b', () => {
    expect(tanhSaturation(1e-9, 3, 2) / 1e-9).toBeCloseTo(0.5, 8);
    expect(tanhSaturation(1e6, 3, 2)).toBeCloseTo(3, 12);
  });
  it('power: square root', () => {
    expect(power(4, 0.5)).toBe(2);
    expect(powerDerivative(0, 0.5)).toBe(Infinity);
  });
  it('Hill derivative at 0 takes its limit', () => {
    expect(hillDerivative(0, 2, 1)).toBe(0.5);
    expect(hillDerivative(0, 2, 2)).toBe(0);
  });
});

const draws: Record<string, (r: () => number) => number[]> = {
  hill: (r) => [0.2 + 2 * r(), 0.5 + 3 * r()],
  logistic: (r) => [0.3 + 5 * r()],
  michaelisMenten: (r) => [0.5 + 5 * r(), 0.2 + 2 * r()],
  tanh: (r) => [0.5 + 3 * r(), 0.2 + 2 * r()],
  power: (r) => [0.1 + 0.9 * r()],
};

describe('every saturation family: properties', () => {
  for (const family of Object.values(saturationFamilies) as SaturationFamily[]) {
    it(`${family.name}: 0 at 0, increasing, concave or S-shaped but bounded where it should be`, () => {
      const rand = seeded(11);
      for (let trial = 0; trial < 10; trial++) {
        const p = draws[family.name](rand);
        expect(family.value(0, p)).toBe(0);
        let prev = 0;
        for (let i = 1; i <= 200; i++) {
          const v = family.value(i * 0.05, p);
          // strictly increasing until it meets its bound in floating point, never decreasing after
          if (i <= 20) expect(v).toBeGreaterThan(prev);
          else expect(v).toBeGreaterThanOrEqual(prev);
          prev = v;
        }
        if (family.name === 'hill' || family.name === 'logistic') expect(family.value(1e6, p)).toBeLessThanOrEqual(1);
        if (family.name === 'michaelisMenten') expect(family.value(1e9, p)).toBeLessThan(p[0]);
        if (family.name === 'tanh') expect(family.value(1e9, p)).toBeLessThanOrEqual(p[0]);
      }
    });

    it(`${family.name}: the derivative from the value equals the derivative (when the family has one)`, () => {
      const rand = seeded(6);
      let checked = 0;
      for (let trial = 0; trial < 50; trial++) {
        const p = draws[family.name](rand);
        const x = 10 ** (4 * rand() - 2);
        const direct = family.derivative(x, p);
        const fromValue = family.derivativeFromValue?.(x, family.value(x, p), p) ?? direct;
        // the same formula on the same value, up to a few ulps; where it is 1 − v² (logistic, tanh) the value's last
        // ulp costs an absolute error of about ε times the slope at 0 (the largest slope of these concave curves)
        const slope0 = family.derivative(0, p);
        const floor = Number.isFinite(slope0) ? 8 * Number.EPSILON * slope0 : 0;
        expect(Math.abs(fromValue - direct)).toBeLessThanOrEqual(1e-14 * Math.abs(direct) + floor + 1e-300);
        checked++;
      }
      expect(checked).toBe(50);
      expect(family.name === 'michaelisMenten' || family.derivativeFromValue !== undefined).toBe(true);
    });

    it(`${family.name}: valueInto matches value, may alias its input, and leaves a separate input untouched`, () => {
      const rand = seeded(5);
      const p = draws[family.name](rand);
      const x = randomArray(rand, 12, 0, 4);
      const copy = Float64Array.from(x);
      const out = family.valueInto(new Float64Array(12), x, p);
      expect(x).toEqual(copy);
      for (let i = 0; i < 12; i++) expect(out[i]).toBe(family.value(x[i], p));
      family.valueInto(x, x, p);
      expect(x).toEqual(out);
    });
  }
});

describe('saturation derivatives against central differences', () => {
  for (const family of Object.values(saturationFamilies) as SaturationFamily[]) {
    it(`${family.name}: VJP in parameters and input`, () => {
      const rand = seeded(99);
      for (let trial = 0; trial < 30; trial++) {
        const n = 20;
        const x = randomArray(rand, n, 0.01, 4);
        x[3] = 0; // a dark week
        const g = randomArray(rand, n, -1, 1);
        const p = draws[family.name](rand);
        const gp = new Float64Array(p.length);
        const gx = new Float64Array(n);
        family.vjp(x, p, g, gp, gx);
        // the cached pair gives the same values and gradient to rounding
        const values = new Float64Array(n);
        const cache = new Float64Array(n);
        family.valueCacheInto(values, cache, x, p);
        const ref = family.valueInto(new Float64Array(n), x, p);
        for (let t = 0; t < n; t++) expect(values[t]).toBeCloseTo(ref[t], 15);
        const gp2 = new Float64Array(p.length);
        const gx2 = new Float64Array(n);
        family.vjpCached(x, p, values, cache, g, gp2, gx2);
        for (let k = 0; k < p.length; k++) expectDerivative(gp2[k], gp[k], `${family.name} cached ∂/∂${family.paramNames[k]}`);
        for (let t = 0; t < n; t++) if (gx2[t] !== gx[t]) expectDerivative(gx2[t], gx[t], `${family.name} cached ∂/∂x[${t}]`);
        const f = (q: number[], xs: ArrayLike<number>) => dot(g, family.valueInto(new Float64Array(n), xs, q));
        for (let k = 0; k < p.length; k++) {
          const numeric = centralDifference((v) => {
            const q = p.slice();
            q[k] = v;
            return f(q, x);
          }, p[k]);
          expectDerivative(gp[k], numeric, `${family.name} ∂/∂${family.paramNames[k]} at ${p}`);
        }
        for (const s of [0, 5, n - 1]) {
          const numeric = centralDifference((v) => {
            const xs = Float64Array.from(x);
            xs[s] = v;
            return f(p, xs);
          }, x[s]);
          expectDerivative(gx[s], numeric, `${family.name} ∂/∂x[${s}]`);
          expectDerivative(g[s] * family.derivative(x[s], p), numeric, `${family.name} derivative at x[${s}]`);
        }
      }
    });
  }

  it('forward mode (jacobianInto) against the VJP with unit upstream, and the fallback for a family without it', () => {
    const rand = seeded(101);
    for (const family of Object.values(saturationFamilies) as SaturationFamily[]) {
      expect(family.jacobianInto, family.name).toBeTypeOf('function');
      const { jacobianInto: _, ...withoutForward } = family;
      for (let trial = 0; trial < 10; trial++) {
        const n = 25;
        const x = randomArray(rand, n, 0.01, 4);
        x[2] = 0;
        const p = draws[family.name](rand);
        const P = p.length;
        const jac = () => ({ out: new Float64Array(n), dx: new Float64Array(n), dp: Array.from({ length: P }, () => new Float64Array(n)) });
        const own = jac();
        saturationJacobianInto(family, own.out, own.dx, own.dp, x, p);
        const fallback = jac();
        saturationJacobianInto(withoutForward as SaturationFamily, fallback.out, fallback.dx, fallback.dp, x, p);
        const values = family.valueInto(new Float64Array(n), x, p);
        for (let t = 0; t < n; t++) {
          const unit = new Float64Array(n);
          unit[t] = 1;
          const gp = new Float64Array(P);
          const gx = new Float64Array(n);
          family.vjp(x, p, unit, gp, gx);
          // the same value to a few ulps (another order of the same operations)
          expect(Math.abs(own.out[t] - values[t])).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(values[t]));
          expect(fallback.out[t]).toBe(family.value(x[t], p));
          const label = `${family.name} θ ${p} x ${x[t]}`;
          if (x[t] > 0) expectDerivative(own.dx[t], gx[t], `${label} ∂/∂x`);
          else expect(own.dx[t], `${label} ∂/∂x at 0 is the derivative's limit`).toBe(family.derivative(0, p));
          expect(fallback.dx[t]).toBe(family.derivative(x[t], p));
          for (let k = 0; k < P; k++) {
            expectDerivative(own.dp[k][t], gp[k], `${label} ∂/∂${family.paramNames[k]}`);
            expectDerivative(fallback.dp[k][t], gp[k], `${label} fallback ∂/∂${family.paramNames[k]}`);
          }
        }
      }
    }
    expect(() =>
      saturationJacobianInto(saturationFamilies.hill, new Float64Array(2), new Float64Array(2), [new Float64Array(2)], [1, 2], [1, 1]),
    ).toThrow(/dParams/);
    expect(() =>
      saturationJacobianInto(
        saturationFamilies.hill,
        new Float64Array(2),
        new Float64Array(3),
        [new Float64Array(2), new Float64Array(2)],
        [1, 2],
        [1, 1],
      ),
    ).toThrow(/dx/);
  });

  it('Hill pointwise gradient agrees with its VJP and with differences', () => {
    const out = new Float64Array(2);
    for (const [x, k, s] of [
      [0.5, 1, 2],
      [3, 0.7, 0.8],
      [10, 4, 1.5],
    ]) {
      hillGradientInto(out, x, k, s);
      expectDerivative(
        out[0],
        centralDifference((v) => hill(x, v, s), k),
        'dK',
      );
      expectDerivative(
        out[1],
        centralDifference((v) => hill(x, k, v), s),
        'dS',
      );
      expectDerivative(
        hillDerivative(x, k, s),
        centralDifference((v) => hill(v, k, s), x),
        'dx',
      );
      const gp = hillVjp([x], k, s, [1], new Float64Array(2));
      expect(gp[0]).toBeCloseTo(out[0], 14);
      expect(gp[1]).toBeCloseTo(out[1], 14);
    }
  });
});

describe('saturation: bad parameters', () => {
  it('names the parameter and its range', () => {
    expect(() => hillInto(new Float64Array(1), [1], 0, 1)).toThrow(/halfSaturation: got 0, must be in \(0, ∞\)/);
    expect(() => hillInto(new Float64Array(1), [1], 1, -1)).toThrow(/slope/);
    expect(() => logisticInto(new Float64Array(1), [1], Number.NaN)).toThrow(InvalidParameterError);
    for (const family of Object.values(saturationFamilies) as SaturationFamily[]) {
      expect(() => family.check(family.paramNames.map(() => -1))).toThrow(new RegExp(family.paramNames[0]));
    }
    expect(() => saturationFamilies.power.check([1.5])).toThrow(/exponent: got 1\.5, must be in \(0, 1\]/);
  });
});
