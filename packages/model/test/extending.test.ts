// The newcomer's test: what docs/architecture.md ("Adding a saturation curve", "Adding a model term") says to do,
// done here in the test file alone, without touching any package's code.
import { holidayTerm } from './holiday.js';
import { describe, expect, it } from 'vitest';
import { priorLogDensity, priorLogDensityGradient, type PriorSpec } from '@mmm/bayes-nuts';
import type { SaturationFamily } from '@mmm/transforms';
import { buildModel, prepareModelData, type ModelSpec } from '../src/index.js';
import { expectGradient, randomPoints, simulatedRaw } from './helpers.js';

// 1. A saturation curve of our own: s(x; λ) = 1 − e^(−λx), with ∂s/∂x = λe^(−λx) and ∂s/∂λ = x·e^(−λx). The cache
//    keeps e^(−λx), so the gradient needs no second exp.
const exponentialSaturation: SaturationFamily = {
  name: 'exponential',
  paramNames: ['lambda'],
  check(params) {
    if (!(params[0] > 0)) throw new Error('lambda must be > 0');
  },
  value: (x, p) => 1 - Math.exp(-p[0] * x),
  derivative: (x, p) => p[0] * Math.exp(-p[0] * x),
  valueInto(out, x, p) {
    for (let t = 0; t < x.length; t++) out[t] = 1 - Math.exp(-p[0] * x[t]);
    return out;
  },
  valueCacheInto(out, cache, x, p) {
    for (let t = 0; t < x.length; t++) {
      cache[t] = Math.exp(-p[0] * x[t]);
      out[t] = 1 - cache[t];
    }
    return out;
  },
  vjpCached(x, p, _values, cache, g, gradParams, gradX) {
    let gl = 0;
    for (let t = 0; t < x.length; t++) {
      gl += g[t] * x[t] * cache[t];
      if (gradX) gradX[t] = g[t] * p[0] * cache[t];
    }
    gradParams[0] = gl;
    return gradParams;
  },
  vjp(x, p, g, gradParams, gradX) {
    const cache = Float64Array.from(x, (v) => Math.exp(-p[0] * v));
    return this.vjpCached(x, p, cache, cache, g, gradParams, gradX);
  },
};

// 2. A term of our own: a holiday effect h·d_t on a known 0/1 indicator (./holiday.ts, also fitted through fitMMM by
//    @mmm/pipeline's tests).

describe('a saturation curve of your own', () => {
  it('value, derivative and gradient agree with central differences', () => {
    const x = Float64Array.from([0, 0.1, 0.4, 0.9, 2]);
    const g = Float64Array.from([1, -0.5, 2, 0.3, 1.1]);
    const gp = new Float64Array(1);
    const gx = new Float64Array(5);
    exponentialSaturation.vjp(x, [1.7], g, gp, gx);
    const h = 1e-6;
    let num = 0;
    for (let t = 0; t < 5; t++)
      num += (g[t] * (exponentialSaturation.value(x[t], [1.7 + h]) - exponentialSaturation.value(x[t], [1.7 - h]))) / (2 * h);
    expect(gp[0]).toBeCloseTo(num, 7);
    for (let t = 0; t < 5; t++) {
      const dx = (exponentialSaturation.value(x[t] + h, [1.7]) - exponentialSaturation.value(x[t] - h, [1.7])) / (2 * h);
      expect(gx[t]).toBeCloseTo(g[t] * dx, 7);
    }
  });
  for (const parameterization of ['centered', 'natural'] as const) {
    it(`works in the model: names, priors and gradient (${parameterization} coordinates)`, () => {
      const spec: ModelSpec = {
        parameterization,
        channels: [{ name: 'tv', saturation: { priors: { lambda: { dist: 'gamma', alpha: 2, beta: 1 } } } }, { name: 'search' }],
        controls: ['price'],
      };
      const { data } = prepareModelData(spec, simulatedRaw(40, ['tv', 'search'], 5));
      const model = buildModel(spec, data, { saturation: { tv: exponentialSaturation } });
      expect(model.names.slice(0, 3)).toEqual(['tv.adstock.alpha', 'tv.saturation.lambda', 'tv.beta']);
      for (const theta of randomPoints(model.density.dim, 3, 9)) expectGradient(model.density, theta);
    });
  }
  it('asks for a prior when the spec gives none', () => {
    const spec: ModelSpec = { channels: [{ name: 'tv' }] };
    const { data } = prepareModelData(spec, simulatedRaw(30, ['tv'], 5));
    expect(() => buildModel(spec, data, { saturation: { tv: exponentialSaturation } })).toThrow(
      /spec\.channels\.tv\.saturation\.priors\.lambda: is missing/,
    );
  });
});

describe('a model term of your own', () => {
  const spec: ModelSpec = { channels: [{ name: 'tv' }], controls: ['price'], seasonality: { order: 1 } };
  const raw = simulatedRaw(52, ['tv'], 8);
  const { data } = prepareModelData(spec, raw);
  const indicator = Float64Array.from({ length: 52 }, (_, t) => (t % 13 === 12 ? 1 : 0));
  const prior: PriorSpec = { dist: 'normal', mu: 0, sigma: 0.5 };
  for (const parameterization of ['centered', 'natural'] as const) {
    it(`adds its block, its prior and its gradient (${parameterization} coordinates)`, () => {
      const s = { ...spec, parameterization };
      const base = buildModel(s, data);
      const model = buildModel(s, data, { terms: [holidayTerm(indicator, prior)] });
      // the term's block comes after the spec's terms, before the observation model's σ
      expect(model.names).toEqual([...base.names.slice(0, -1), 'holiday', 'sigma']);
      const withZero = (theta: Float64Array) => Float64Array.of(...theta.subarray(0, -1), 0, theta[theta.length - 1]);
      for (const theta of randomPoints(model.density.dim, 3, 4)) expectGradient(model.density, theta);
      // at h = 0 the term adds nothing to μ: the log density is the base model's plus the prior of h at 0
      const theta = randomPoints(base.density.dim, 1, 6)[0];
      const lpBase = base.density.logDensityGradient(theta, new Float64Array(base.density.dim));
      const lp = model.density.logDensityGradient(withZero(theta), new Float64Array(model.density.dim));
      expect(lp).toBeCloseTo(lpBase + priorLogDensity(prior, 0), 9);
      // and ∂/∂h there is Σ_t d_t·∂ℓ/∂μ_t + p'(0) = Σ over holiday weeks of the Normal's (y_t − μ_t)/σ²
      const values = model.density.constrain(withZero(theta));
      const mu = model.evaluate(values).mu;
      const pg = new Float64Array(1);
      priorLogDensityGradient(prior, 0, pg);
      let expected = pg[0];
      for (let t = 0; t < 52; t++) expected += (indicator[t] * (data.y[t] - mu[t])) / values.sigma[0] ** 2;
      const grad = new Float64Array(model.density.dim);
      model.density.logDensityGradient(withZero(theta), grad);
      expect(grad[model.density.dim - 2]).toBeCloseTo(expected, 8);
    });
  }
  it('shows in the decomposition as "other"', () => {
    const model = buildModel(spec, data, { terms: [holidayTerm(indicator, prior)] });
    const values = model.density.constrain(randomPoints(model.density.dim, 1, 2)[0]);
    const d = model.evaluate(values);
    for (let t = 0; t < 52; t++) {
      expect(d.other[t]).toBe(values.holiday[0] * indicator[t]);
      expect(d.mu[t]).toBeCloseTo(d.trend[t] + d.seasonality[t] + d.controls[t] + d.contributions[0][t] + d.other[t], 12);
    }
  });
});
