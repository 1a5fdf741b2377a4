// The default media curve in one pass (geometric adstock then Hill, with its forward-mode Jacobian) against the
// generic pieces it fuses and against central differences.
import { describe, expect, it } from 'vitest';
import { InvalidParameterError, DimensionMismatchError } from '@mmm/core';
import {
  adstockFamilies,
  adstockPreparedInto,
  adstockTangentsPrepared,
  createAdstockWorkspace,
  geometricHillJacobianInto,
  hillSaturation,
  saturationJacobianInto,
} from '../src/index.js';
import { centralDifference, expectDerivative, seeded } from './helpers.js';

const geometric = adstockFamilies.geometric;

/** bursts of spend with gaps longer than the window, over six orders of magnitude */
const spend = (rand: () => number, n: number) =>
  Float64Array.from({ length: n }, (_, t) => (Math.floor(t / 10) % 4 === 3 || rand() < 0.2 ? 0 : 10 ** (3 * rand() - 1.5)));

/** the fused pass at (α, K, S): values, adstocked series, Jacobian columns, sums */
function fused(x: Float64Array, a: number, K: number, S: number, L: number, normalize: boolean) {
  const n = x.length;
  const ws = createAdstockWorkspace(geometric, L);
  geometric.weightsJacobianInto(ws.jacobian, ws.weights, [a], normalize);
  const r = {
    s: new Float64Array(n),
    y: new Float64Array(n),
    jA: new Float64Array(n),
    jK: new Float64Array(n),
    jS: new Float64Array(n),
    sums: new Float64Array(4),
  };
  geometricHillJacobianInto(r.s, r.y, r.jA, r.jK, r.jS, r.sums, x, a, K, S, ws);
  return r;
}

describe('geometricHillJacobianInto', () => {
  it('equals the generic composition (recurrence, tangent, Hill forward mode) and sums its columns', () => {
    const rand = seeded(301);
    let cases = 0;
    for (const L of [1, 3, 8, 13]) {
      for (const normalize of [true, false]) {
        for (const a of [0, 0.3, 0.8, 0.97]) {
          const n = 160;
          const x = spend(rand, n);
          const K = 0.2 + 2 * rand();
          const S = cases % 3 === 0 ? 0.6 : 0.5 + 3 * rand(); // S < 1 too: Hill's slope is infinite at 0
          const f = fused(x, a, K, S, L, normalize);
          const ws = createAdstockWorkspace(geometric, L);
          geometric.weightsJacobianInto(ws.jacobian, ws.weights, [a], normalize);
          const y = adstockPreparedInto(geometric, new Float64Array(n), x, [a], ws);
          const dy = adstockTangentsPrepared(geometric, [new Float64Array(n)], x, y, [a], ws)[0];
          const s = new Float64Array(n);
          const dx = new Float64Array(n);
          const [dK, dS] = [new Float64Array(n), new Float64Array(n)];
          saturationJacobianInto(hillSaturation, s, dx, [dK, dS], y, [K, S]);
          const sums = [0, 0, 0, 0];
          for (let t = 0; t < n; t++) {
            const label = `L ${L} ${normalize} α ${a} K ${K} S ${S} t ${t}`;
            expect(f.y[t], label).toBe(y[t]);
            expect(f.s[t], label).toBe(s[t]);
            expect(f.jK[t], label).toBe(dK[t]);
            expect(f.jS[t], label).toBe(dS[t]);
            const jA = y[t] === 0 ? 0 : dx[t] * dy[t];
            expect(Math.abs(f.jA[t] - jA), label).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(jA));
            if (y[t] === 0) expect([f.s[t], f.jA[t], f.jK[t], f.jS[t]]).toEqual([0, 0, 0, 0]);
            sums[0] += f.s[t];
            sums[1] += f.jA[t];
            sums[2] += f.jK[t];
            sums[3] += f.jS[t];
          }
          expect(Array.from(f.sums)).toEqual(sums);
          cases++;
        }
      }
    }
    expect(cases).toBe(32);
  });

  it('each ∂s_t/∂α, ∂s_t/∂K, ∂s_t/∂S against central differences', () => {
    const rand = seeded(302);
    for (let trial = 0; trial < 24; trial++) {
      const L = 1 + Math.floor(rand() * 12);
      const normalize = trial % 2 === 0;
      const x = spend(rand, 80);
      const p = [0.05 + 0.9 * rand(), 0.2 + 2 * rand(), 0.5 + 3 * rand()];
      const f = fused(x, p[0], p[1], p[2], L, normalize);
      const cols = [f.jA, f.jK, f.jS];
      for (let k = 0; k < 3; k++) {
        for (const t of [0, 2, 11, 25, 40, 79]) {
          const numeric = centralDifference((v) => {
            const q = p.slice();
            q[k] = v;
            return fused(x, q[0], q[1], q[2], L, normalize).s[t];
          }, p[k]);
          expectDerivative(cols[k][t], numeric, `L ${L} ${normalize} (α, K, S) ${p} ∂s_${t}/∂θ_${k}`);
        }
      }
    }
  });

  it('bad parameters and lengths raise typed errors naming them', () => {
    const ws = createAdstockWorkspace(geometric, 3);
    const b = () => new Float64Array(4);
    expect(() => geometricHillJacobianInto(b(), b(), b(), b(), b(), b(), [1, 2, 3, 4], 1, 1, 1, ws)).toThrow(InvalidParameterError);
    expect(() => geometricHillJacobianInto(b(), b(), b(), b(), b(), b(), [1, 2, 3, 4], 0.5, 0, 1, ws)).toThrow(/halfSaturation/);
    expect(() => geometricHillJacobianInto(b(), b(), b(), b(), b(), b(), [1, 2, 3, 4], 0.5, 1, -1, ws)).toThrow(/slope/);
    expect(() => geometricHillJacobianInto(b(), b(), new Float64Array(3), b(), b(), b(), [1, 2, 3, 4], 0.5, 1, 1, ws)).toThrow(
      DimensionMismatchError,
    );
    expect(() => geometricHillJacobianInto(b(), b(), b(), b(), b(), new Float64Array(3), [1, 2, 3, 4], 0.5, 1, 1, ws)).toThrow(/sums/);
  });
});
