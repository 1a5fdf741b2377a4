// The geo model's baselines orbit (moves.ts): a one-parameter group of maps whose log π(s) is the log density ratio
// plus the log-determinant of the map, checked against the determinant of its Jacobian by central differences in the
// sampler's own coordinates.
import { describe, expect, it } from 'vitest';
import type { BlockModel } from '@mmm/bayes-nuts';
import { buildModel, prepareModelData, type ModelSpec } from '../src/index.js';
import { solveShift } from '../src/moves.js';
import { geoRaw, geoSpec, subset } from './geo-reference.js';
import { randomPoints } from './helpers.js';

/** log |det A| by Gaussian elimination with partial pivoting (A row-major n × n, overwritten). */
function logAbsDet(A: Float64Array, n: number): number {
  let acc = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(A[i * n + k]) > Math.abs(A[p * n + k])) p = i;
    if (p !== k) for (let j = 0; j < n; j++) [A[k * n + j], A[p * n + j]] = [A[p * n + j], A[k * n + j]];
    const piv = A[k * n + k];
    acc += Math.log(Math.abs(piv));
    for (let i = k + 1; i < n; i++) {
      const f = A[i * n + k] / piv;
      for (let j = k; j < n; j++) A[i * n + j] -= f * A[k * n + j];
    }
  }
  return acc;
}

const small = subset(4, 40);
const cases: Array<[string, ModelSpec]> = [
  ['the default model', geoSpec(small)],
  [
    'a channel not pooled, a geo held out, a trend per geo',
    { ...geoSpec(small), unpooled: { channels: ['search'], geos: ['3'] }, geoTrend: true },
  ],
  ['the natural coordinates', { ...geoSpec(small), parameterization: 'natural' }],
];

/** Φ_s(θ) and log π_θ(s) of the model's orbit. */
function orbitAt(density: BlockModel, theta: Float64Array, s: number): { point: Float64Array; logRatio: number } {
  const o = density.orbit!(theta);
  const logRatio = o.logRatio(s);
  const point = new Float64Array(density.dim);
  o.point(point);
  return { point, logRatio };
}

describe('the baselines orbit of a geo model', () => {
  for (const [label, spec] of cases) {
    it(`${label}: a group of maps, with the log-determinant of each map's Jacobian (central differences)`, () => {
      const m = buildModel(spec, prepareModelData(spec, geoRaw(small)).data);
      expect(m.density.orbit).toBeTypeOf('function');
      const dim = m.density.dim;
      const grad = new Float64Array(dim);
      let checked = 0;
      for (const [k, theta] of randomPoints(dim, 6, 11).entries()) {
        const s = [0.35, -0.65, 0.1, 0.95, -0.2, 0.55][k];
        const r = 0.3;
        const { point, logRatio } = orbitAt(m.density, theta, s);
        if (!Number.isFinite(logRatio)) continue;
        checked++;
        // Φ_0 = identity, Φ_{−s}(Φ_s(θ)) = θ, Φ_r(Φ_s(θ)) = Φ_{s+r}(θ), and log π_θ(s + r) = log π_θ(s) + log π_{Φ_s θ}(r)
        const zero = orbitAt(m.density, theta, 0);
        expect(zero.logRatio).toBe(0);
        for (let i = 0; i < dim; i++) expect(zero.point[i]).toBeCloseTo(theta[i], 10);
        const back = orbitAt(m.density, point, -s);
        for (let i = 0; i < dim; i++) expect(back.point[i]).toBeCloseTo(theta[i], 8);
        expect(back.logRatio).toBeCloseTo(-logRatio, 7);
        const both = orbitAt(m.density, theta, s + r);
        const then = orbitAt(m.density, point, r);
        if (Number.isFinite(both.logRatio)) {
          for (let i = 0; i < dim; i++) expect(then.point[i]).toBeCloseTo(both.point[i], 8);
          expect(logRatio + then.logRatio).toBeCloseTo(both.logRatio, 7);
        }
        // log π_θ(s) = log p(Φ_s θ) − log p(θ) + log |det ∂Φ_s(θ)/∂θ|, the determinant from central differences
        const lpDiff = m.density.logDensityGradient(point, grad) - m.density.logDensityGradient(theta, grad);
        const J = new Float64Array(dim * dim);
        const h = 1e-6;
        for (let j = 0; j < dim; j++) {
          const tp = Float64Array.from(theta);
          tp[j] += h;
          const tm = Float64Array.from(theta);
          tm[j] -= h;
          const [plus, minus] = [orbitAt(m.density, tp, s).point, orbitAt(m.density, tm, s).point];
          for (let i = 0; i < dim; i++) J[i * dim + j] = (plus[i] - minus[i]) / (2 * h);
        }
        expect(logRatio - lpDiff).toBeCloseTo(logAbsDet(J, dim), 4);
      }
      expect(checked).toBeGreaterThanOrEqual(3);
    });
  }

  it('moves τ_σ, the pooled baselines around τ_μ, and keeps every geo’s fitted mean', () => {
    const spec = geoSpec(small);
    const m = buildModel(spec, prepareModelData(spec, geoRaw(small)).data);
    const theta = randomPoints(m.density.dim, 1, 5)[0];
    const s = 0.4;
    const { point, logRatio } = orbitAt(m.density, theta, s);
    expect(Number.isFinite(logRatio)).toBe(true);
    const v0 = m.density.constrain(theta);
    const v1 = m.density.constrain(point);
    expect(v1['baseline.sd'][0]).toBeCloseTo(v0['baseline.sd'][0] * Math.exp(s), 10);
    expect(v1['baseline.mean'][0]).toBeCloseTo(v0['baseline.mean'][0], 10);
    const T = 40;
    const [d0, d1] = [m.evaluate(v0), m.evaluate(v1)];
    for (let g = 0; g < 4; g++) {
      expect((v1.baseline[g] - v1['baseline.mean'][0]) / v1['baseline.sd'][0]).toBeCloseTo(
        (v0.baseline[g] - v0['baseline.mean'][0]) / v0['baseline.sd'][0],
        9,
      );
      let mean0 = 0;
      let mean1 = 0;
      for (let t = 0; t < T; t++) {
        mean0 += d0.mu[g * T + t] / T;
        mean1 += d1.mu[g * T + t] / T;
      }
      expect(mean1).toBeCloseTo(mean0, 10);
    }
  });

  it('is off with geoOrbit: false', () => {
    const spec = { ...geoSpec(small), geoOrbit: false };
    expect(buildModel(spec, prepareModelData(spec, geoRaw(small)).data).density.orbit).toBeUndefined();
  });

  it('solveShift finds the root of Σ h_c e^{a_c t} = target, and NaN out of reach', () => {
    const h = Float64Array.of(0.3, 0.1, 0.05);
    const a = Float64Array.of(0.5, 2, 0);
    for (const target of [0.051, 0.2, 0.45, 3, 100]) {
      const t = solveShift(h, a, target);
      const f = h.reduce((acc, hc, c) => acc + hc * Math.exp(a[c] * t), 0);
      expect(f).toBeCloseTo(target, 12);
    }
    expect(solveShift(h, a, 0.05)).toBeNaN();
    expect(solveShift(h, a, -1)).toBeNaN();
  });
});
