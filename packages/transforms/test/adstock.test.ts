import { describe, expect, it } from 'vitest';
import {
  adstockFamilies,
  adstockInto,
  adstockParamsVjpPrepared,
  adstockPreparedInto,
  adstockTangentsPrepared,
  adstockVjp,
  adstockVjpPrepared,
  adstockWeights,
  createAdstockWorkspace,
  delayedAdstock,
  delayedAdstockWeights,
  geometricAdstock,
  geometricAdstockInto,
  geometricAdstockWeights,
  weibullAdstock,
  weibullAdstockWeights,
  type AdstockFamily,
} from '../src/index.js';
import { InvalidParameterError, NonFiniteError, DimensionMismatchError } from '@mmm/core';
import { centralDifference, dot, expectDerivative, randomArray, seeded } from './helpers.js';

describe('geometric adstock: closed forms', () => {
  it('weights are α^l, and normalised weights divide by the geometric sum', () => {
    expect(Array.from(geometricAdstockWeights(0.5, 4, false))).toEqual([1, 0.5, 0.25, 0.125]);
    const w = geometricAdstockWeights(0.5, 4, true);
    const s = 1 + 0.5 + 0.25 + 0.125;
    expect(Array.from(w)).toEqual([1 / s, 0.5 / s, 0.25 / s, 0.125 / s]);
  });

  it('an impulse returns the weights; a hand-worked series', () => {
    const y = geometricAdstock([1, 0, 0, 0], 0.5, { maxLag: 4, normalize: false });
    expect(Array.from(y)).toEqual([1, 0.5, 0.25, 0.125]);
    // x = [2, 1, 0], α = 0.5, L = 2: y = [2, 1 + 1, 0 + 0.5]
    expect(Array.from(geometricAdstock([2, 1, 0], 0.5, { maxLag: 2, normalize: false }))).toEqual([2, 2, 0.5]);
  });

  it('with a window as long as the series it equals the recursion y_t = x_t + α·y_{t−1}', () => {
    const rand = seeded(1);
    const x = randomArray(rand, 30, 0, 5);
    const y = geometricAdstock(x, 0.7, { maxLag: 30, normalize: false });
    let carry = 0;
    for (let t = 0; t < 30; t++) {
      carry = x[t] + 0.7 * carry;
      expect(y[t]).toBeCloseTo(carry, 12);
    }
  });

  it('α = 0 is the identity', () => {
    expect(Array.from(geometricAdstock([3, 1, 4], 0, { maxLag: 3 }))).toEqual([3, 1, 4]);
  });
});

describe('every adstock family: properties', () => {
  const cases: Array<[AdstockFamily, number[]]> = [
    [adstockFamilies.geometric, [0.6]],
    [adstockFamilies.delayed, [0.5, 2.3]],
    [adstockFamilies.weibullCdf, [1.7, 3.2]],
    [adstockFamilies.weibullPdf, [2.1, 2.5]],
  ];
  for (const [family, params] of cases) {
    it(`${family.name}: normalised weights sum to 1 and conserve total spend`, () => {
      const L = 10;
      const w = adstockWeights(family, params, L, true);
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
      for (const v of w) expect(v).toBeGreaterThanOrEqual(0);
      // spend followed by L − 1 empty periods: every unit of spend is fully carried within the series
      const rand = seeded(7);
      const x = new Float64Array(40);
      for (let t = 0; t < 30; t++) x[t] = rand() * 100;
      const y = adstockInto(new Float64Array(40), x, w);
      const sx = x.reduce((a, b) => a + b, 0);
      const sy = y.reduce((a, b) => a + b, 0);
      expect(Math.abs(sy - sx) / sx).toBeLessThan(1e-13);
    });

    it(`${family.name}: does not mutate its input`, () => {
      const x = Float64Array.from([1, 2, 3, 4]);
      const copy = Float64Array.from(x);
      adstockInto(new Float64Array(4), x, adstockWeights(family, params, 4, true));
      expect(x).toEqual(copy);
    });
  }

  it('delayed adstock peaks at lag θ', () => {
    const w = delayedAdstockWeights(0.5, 3, 8, true);
    let argmax = 0;
    for (let l = 1; l < 8; l++) if (w[l] > w[argmax]) argmax = l;
    expect(argmax).toBe(3);
    expect(w[2]).toBeCloseTo(w[4], 15); // symmetric around θ
  });

  it('delayed adstock with θ = 0 equals geometric adstock with α^(l²)', () => {
    const w = delayedAdstockWeights(0.8, 0, 4, false);
    expect(Array.from(w).map((v) => Math.log(v) / Math.log(0.8))).toEqual([0, 1, 4, 9].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(delayedAdstock([1, 0, 0, 0], 0.8, 0, { maxLag: 4, normalize: false }))).toEqual(Array.from(w));
  });

  it('Weibull-CDF weights: w_0 = 1 and w_l = Π_{j≤l} exp(−(j/λ)^k); shape 1 gives exp(−l(l+1)/(2λ))', () => {
    const w = weibullAdstockWeights('cdf', 1, 2, 5, false);
    for (let l = 0; l < 5; l++) expect(w[l]).toBeCloseTo(Math.exp(-(l * (l + 1)) / 4), 14);
  });

  it('Weibull-PDF weights are the Weibull density at lags 1 … L', () => {
    const k = 2;
    const lam = 3;
    const w = weibullAdstockWeights('pdf', k, lam, 6, false);
    for (let l = 0; l < 6; l++) {
      const u = (l + 1) / lam;
      expect(w[l]).toBeCloseTo((k / lam) * u ** (k - 1) * Math.exp(-(u ** k)), 14);
    }
    expect(weibullAdstock([1, 0, 0], 'pdf', k, lam, { maxLag: 3, normalize: false })[2]).toBeCloseTo(w[2], 15);
  });
});

describe('adstock derivatives against central differences', () => {
  const rand = seeded(2024);
  const families = Object.values(adstockFamilies);
  const paramDraw: Record<string, () => number[]> = {
    geometric: () => [0.05 + 0.9 * rand()],
    delayed: () => [0.1 + 0.8 * rand(), 0.2 + 5 * rand()],
    weibullCdf: () => [0.3 + 3 * rand(), 0.5 + 6 * rand()],
    weibullPdf: () => [0.3 + 3 * rand(), 0.5 + 6 * rand()],
  };
  for (const family of families) {
    for (const normalize of [true, false]) {
      it(`${family.name} (normalize ${normalize}): ∂/∂θ and ∂/∂x of Σ g·y`, () => {
        const L = 8;
        const ws = createAdstockWorkspace(family, L);
        for (let trial = 0; trial < 20; trial++) {
          const n = 25;
          const x = randomArray(rand, n, 0, 3);
          const g = randomArray(rand, n, -1, 1);
          const params = paramDraw[family.name]();
          const gradParams = new Float64Array(family.paramNames.length);
          const gradX = new Float64Array(n);
          adstockVjp(family, x, params, normalize, g, gradParams, ws, gradX);
          const f = (p: number[], xs: ArrayLike<number>) =>
            dot(g, adstockInto(new Float64Array(n), xs, family.weightsInto(new Float64Array(L), p, normalize)));
          for (let p = 0; p < params.length; p++) {
            const numeric = centralDifference((v) => {
              const q = params.slice();
              q[p] = v;
              return f(q, x);
            }, params[p]);
            expectDerivative(gradParams[p], numeric, `${family.name} ∂/∂${family.paramNames[p]} at ${params}`);
          }
          for (const s of [0, 7, n - 1]) {
            const numeric = centralDifference((v) => {
              const xs = Float64Array.from(x);
              xs[s] = v;
              return f(params, xs);
            }, x[s]);
            expectDerivative(gradX[s], numeric, `${family.name} ∂/∂x[${s}]`);
          }
          // the Jacobian path writes the same weights as the value path
          const w = family.weightsInto(new Float64Array(L), params, normalize);
          for (let l = 0; l < L; l++) expect(ws.weights[l]).toBeCloseTo(w[l], 14);
          // with the weights and Jacobian already in the workspace, the prepared VJP gives the same, bit for bit
          const gp2 = new Float64Array(family.paramNames.length);
          const gx2 = new Float64Array(n);
          adstockVjpPrepared(family.paramNames.length, x, g, gp2, ws, gx2);
          expect(gp2).toEqual(gradParams);
          expect(gx2).toEqual(gradX);
        }
      });
    }
  }
});

describe('the geometric recurrence (O(n)) against the convolution', () => {
  const family = adstockFamilies.geometric;
  /** spend-like inputs: bursts with gaps longer than the window, and magnitudes over twelve orders */
  const series = (rand: () => number, n: number) =>
    Float64Array.from({ length: n }, (_, t) => (Math.floor(t / 11) % 3 === 2 ? 0 : rand() < 0.2 ? 0 : 10 ** (12 * rand() - 6)));
  it('gives the values of the convolution (to rounding of its memory), exact zeros on empty windows, and its α-gradient', () => {
    const rand = seeded(77);
    let checked = 0;
    for (const L of [1, 2, 8, 13]) {
      const ws = createAdstockWorkspace(family, L);
      for (const normalize of [true, false]) {
        for (const a of [0, 1e-3, 0.3, 0.7, 0.97]) {
          const n = 300;
          const x = series(rand, n);
          const g = randomArray(rand, n, -1, 1);
          family.weightsJacobianInto(ws.jacobian, ws.weights, [a], normalize);
          const direct = adstockInto(new Float64Array(n), x, ws.weights);
          const fast = adstockPreparedInto(family, new Float64Array(n), x, [a], ws);
          // the recursion adds each input and subtracts it L periods later, so its rounding is relative to the whole
          // geometric memory m_t = Σ_{j≤t} αʲ·x_{t−j}, not to the window's sum: |error| ≤ c·ε·m_t (c = 64 here; the
          // worst seen over cases like these was 4.3)
          let memory = 0;
          const norm = normalize ? ws.weights[0] ** -1 : 1;
          for (let t = 0; t < n; t++) {
            memory = a * memory + x[t];
            if (direct[t] === 0) expect(fast[t], `L ${L} α ${a} t ${t}`).toBe(0);
            else expect(Math.abs(fast[t] - direct[t]), `L ${L} α ${a} t ${t}`).toBeLessThanOrEqual((64 * Number.EPSILON * memory) / norm);
          }
          // the α-gradient equals the convolution's Jacobian path (relative 1e-10 of Σ|g·∂y/∂α|)
          const viaWeights = adstockVjpPrepared(1, x, g, new Float64Array(1), ws)[0];
          const viaRecurrence = adstockParamsVjpPrepared(family, x, fast, g, [a], new Float64Array(1), ws)[0];
          const scale = adstockVjpPrepared(1, x, g.map(Math.abs), new Float64Array(1), ws)[0];
          expect(Math.abs(viaRecurrence - viaWeights), `L ${L} α ${a} normalize ${normalize}`).toBeLessThanOrEqual(
            1e-10 * Math.abs(scale) + 1e-300,
          );
          checked++;
        }
      }
    }
    expect(checked).toBe(40);
  });
  it('its α-gradient matches central differences of its own values', () => {
    const rand = seeded(78);
    for (const normalize of [true, false]) {
      for (let trial = 0; trial < 20; trial++) {
        const L = 1 + Math.floor(rand() * 12);
        const ws = createAdstockWorkspace(family, L);
        const n = 60;
        const x = randomArray(rand, n, 0, 3).map((v) => (v < 0.6 ? 0 : v));
        const g = randomArray(rand, n, -1, 1);
        const a = 0.05 + 0.9 * rand();
        // the recurrence reads the window from the workspace's weights: fill them at each α
        const at = (v: number) => family.weightsJacobianInto(ws.jacobian, ws.weights, [v], normalize);
        const f = (v: number) => {
          at(v);
          return dot(g, adstockPreparedInto(family, new Float64Array(n), x, [v], ws));
        };
        const numeric = centralDifference(f, a);
        at(a);
        const y = adstockPreparedInto(family, new Float64Array(n), x, [a], ws);
        const analytic = adstockParamsVjpPrepared(family, x, y, g, [a], new Float64Array(1), ws)[0];
        expectDerivative(analytic, numeric, `L ${L} α ${a} normalize ${normalize}`);
      }
    }
  });
  it('a negative input (no spend series, but the function accepts it) still matches the convolution', () => {
    const x = Float64Array.of(1, -2, 0.5, -0.25, 0, 0, 3, -3, 1e-9);
    const ws = createAdstockWorkspace(family, 3);
    family.weightsJacobianInto(ws.jacobian, ws.weights, [0.6], true);
    const direct = adstockInto(new Float64Array(x.length), x, ws.weights);
    const fast = adstockPreparedInto(family, new Float64Array(x.length), x, [0.6], ws);
    for (let t = 0; t < x.length; t++) expect(fast[t]).toBeCloseTo(direct[t], 14);
  });
});

describe('adstock tangents (forward mode)', () => {
  /** input with gaps longer than any window here, so empty windows occur */
  const spend = (rand: () => number, n: number) =>
    Float64Array.from({ length: n }, (_, t) => (Math.floor(t / 9) % 4 === 3 ? 0 : rand() < 0.25 ? 0 : 3 * rand()));
  const paramsOf: Record<string, (rand: () => number, L: number) => number[]> = {
    geometric: (r) => [0.05 + 0.9 * r()],
    delayed: (r, L) => [0.1 + 0.8 * r(), 0.2 + (L - 1.4) * r()],
    weibullCdf: (r) => [0.5 + 2 * r(), 0.5 + 3 * r()],
    weibullPdf: (r) => [1.2 + 2 * r(), 0.5 + 3 * r()],
  };
  for (const family of Object.values(adstockFamilies) as AdstockFamily[]) {
    it(`${family.name}: ∂y_t/∂θ equals central differences of every y_t, and Σ g·tangent equals the VJP`, () => {
      const rand = seeded(91);
      const P = family.paramNames.length;
      for (const normalize of [true, false]) {
        for (let trial = 0; trial < 8; trial++) {
          const L = 2 + Math.floor(rand() * 10);
          const ws = createAdstockWorkspace(family, L);
          const n = 50;
          const x = spend(rand, n);
          const p = paramsOf[family.name](rand, L);
          const at = (q: number[]) => family.weightsJacobianInto(ws.jacobian, ws.weights, q, normalize);
          at(p);
          const y = adstockPreparedInto(family, new Float64Array(n), x, p, ws);
          const tangents = Array.from({ length: P }, () => new Float64Array(n));
          adstockTangentsPrepared(family, tangents, x, y, p, ws);
          const g = randomArray(rand, n, -1, 1);
          const vjp = adstockParamsVjpPrepared(family, x, y, g, p, new Float64Array(P), ws);
          for (let k = 0; k < P; k++) {
            const label = `${family.name} L ${L} ${normalize ? 'normalised' : 'raw'} θ ${p}`;
            expectDerivative(dot(g, tangents[k]), vjp[k], `${label}: Σ g·∂y/∂${family.paramNames[k]} against the VJP`);
            for (const t of [0, 1, 7, 20, 33, n - 1]) {
              const numeric = centralDifference((v) => {
                const q = p.slice();
                q[k] = v;
                at(q);
                return adstockPreparedInto(family, new Float64Array(n), x, q, ws)[t];
              }, p[k]);
              at(p);
              expectDerivative(tangents[k][t], numeric, `${label}: ∂y_${t}/∂${family.paramNames[k]}`);
              // an empty window: y and its tangent are exactly 0
              if (y[t] === 0) expect(tangents[k][t]).toBe(0);
            }
          }
        }
      }
    });
  }
  it('the geometric recurrence and the convolution with the Jacobian give the same tangent', () => {
    const family = adstockFamilies.geometric;
    const { recurrence: _, ...convolutionOnly } = family;
    const rand = seeded(92);
    for (const a of [0, 0.2, 0.8, 0.97]) {
      const ws = createAdstockWorkspace(family, 8);
      const x = spend(rand, 120);
      family.weightsJacobianInto(ws.jacobian, ws.weights, [a], true);
      const y = adstockPreparedInto(family, new Float64Array(120), x, [a], ws);
      const viaRecurrence = adstockTangentsPrepared(family, [new Float64Array(120)], x, y, [a], ws)[0];
      const viaConvolution = adstockTangentsPrepared(convolutionOnly as AdstockFamily, [new Float64Array(120)], x, y, [a], ws)[0];
      for (let t = 0; t < 120; t++)
        expect(Math.abs(viaRecurrence[t] - viaConvolution[t]), `α ${a} t ${t}`).toBeLessThanOrEqual(
          1e-12 * (1 + Math.abs(viaConvolution[t])),
        );
    }
  });
  it('wrong lengths raise DimensionMismatchError', () => {
    const family = adstockFamilies.geometric;
    const ws = createAdstockWorkspace(family, 4);
    family.weightsJacobianInto(ws.jacobian, ws.weights, [0.5], true);
    expect(() => adstockTangentsPrepared(family, [new Float64Array(3)], [1, 2], [1, 2], [0.5], ws)).toThrow(DimensionMismatchError);
    expect(() => adstockTangentsPrepared(family, [], [1, 2], [1, 2], [0.5], ws)).toThrow(DimensionMismatchError);
  });
});

describe('adstock: bad input', () => {
  it('decay outside [0, 1) names alpha and its range', () => {
    expect(() => geometricAdstock([1, 2], 1)).toThrow(InvalidParameterError);
    expect(() => geometricAdstock([1, 2], -0.1)).toThrow(/alpha: got -0\.1, must be in \[0, 1\)/);
    expect(() => geometricAdstock([1, 2], Number.NaN)).toThrow(/alpha: got NaN/);
  });
  it('a window below 1 or not an integer names maxLag', () => {
    expect(() => geometricAdstock([1, 2], 0.5, { maxLag: 0 })).toThrow(/maxLag: got 0, must be in the integers ≥ 1/);
    expect(() => geometricAdstockWeights(0.5, 2.5)).toThrow(/maxLag/);
  });
  it('delayed θ outside the window, Weibull non-positive shape or scale', () => {
    expect(() => delayedAdstock([1], 0.5, 9, { maxLag: 8 })).toThrow(/theta: got 9, must be in \[0, 7\]/);
    expect(() => weibullAdstock([1], 'cdf', 0, 1)).toThrow(/shape: got 0, must be in \(0, ∞\)/);
    expect(() => weibullAdstock([1], 'pdf', 1, -2)).toThrow(/scale/);
  });
  it('NaN in the series and mismatched output length', () => {
    expect(() => geometricAdstock([1, Number.NaN], 0.5)).toThrow(NonFiniteError);
    expect(() => geometricAdstockInto(new Float64Array(3), [1, 2], 0.5)).toThrow(DimensionMismatchError);
  });
});
