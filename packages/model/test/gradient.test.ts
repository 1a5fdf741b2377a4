import { describe, expect, it } from 'vitest';
import type { AdstockName, SaturationName } from '@mmm/transforms';
import {
  assembleModel,
  buildModel,
  modelTerms,
  observationModel,
  prepareModelData,
  type ModelSpec,
  type TermFactory,
} from '../src/index.js';
import { expectGradient, randomPoints, simulatedRaw } from './helpers.js';

const adstocks: AdstockName[] = ['geometric', 'delayed', 'weibullCdf', 'weibullPdf'];
const saturations: SaturationName[] = ['hill', 'logistic', 'michaelisMenten', 'tanh', 'power'];

describe('the MMM log density gradient against central differences', () => {
  for (const ad of adstocks) {
    for (const sat of saturations) {
      for (const parameterization of ['centered', 'natural'] as const)
        it(`${ad} adstock + ${sat} saturation, ${parameterization} coordinates`, () => {
          const spec: ModelSpec = {
            parameterization,
            channels: [
              { name: 'tv', adstock: { type: ad, maxLag: 6 }, saturation: { type: sat } },
              { name: 'search', saturation: { type: sat === 'hill' ? 'logistic' : 'hill' } },
            ],
            controls: ['price'],
            seasonality: { order: 2 },
          };
          const { data } = prepareModelData(spec, simulatedRaw(40, ['tv', 'search'], 7));
          const model = buildModel(spec, data);
          const d = model.density.dim;
          for (const theta of randomPoints(d, 3, 3)) expectGradient(model.density, theta);
        });
    }
  }
});

describe('the centred coordinates are a change of variables of the same posterior', () => {
  it('constrain ∘ unconstrain is the identity, and the log densities differ by a constant (unit Jacobian)', () => {
    const spec: ModelSpec = {
      channels: [{ name: 'tv' }, { name: 'search', saturation: { type: 'logistic' } }],
      controls: ['price'],
      seasonality: { order: 2 },
      trend: { changepoints: 3 },
    };
    const { data } = prepareModelData(spec, simulatedRaw(60, ['tv', 'search'], 11));
    const centred = buildModel(spec, data).density;
    const natural = buildModel({ ...spec, parameterization: 'natural' }, data).density;
    expect(centred.names).toEqual(natural.names);
    let offset: number | undefined;
    for (const theta of randomPoints(centred.dim, 5, 5)) {
      const values = centred.constrain(theta);
      const back = centred.unconstrain(values);
      for (let i = 0; i < theta.length; i++) expect(back[i]).toBeCloseTo(theta[i], 10);
      // the same natural parameters through the natural coordinates: only the level ↔ intercept map differs, and it
      // is a shift with unit Jacobian, so the two log densities differ by nothing at all
      const thetaNat = natural.unconstrain(values);
      const d =
        centred.logDensityGradient(theta, new Float64Array(centred.dim)) -
        natural.logDensityGradient(thetaNat, new Float64Array(centred.dim));
      offset ??= d;
      expect(Math.abs(d - offset)).toBeLessThan(1e-8);
    }
    expect(Math.abs(offset!)).toBeLessThan(1e-8);
  });
});

describe('the Student-t likelihood and the piecewise-linear trend', () => {
  for (const parameterization of ['centered', 'natural'] as const) {
    it(`gradient against central differences (${parameterization} coordinates)`, () => {
      const spec: ModelSpec = {
        parameterization,
        likelihood: { studentT: { nu: 4 } },
        trend: { changepoints: [0.1, 0.4, 0.7] },
        channels: [{ name: 'tv' }, { name: 'search', adstock: { type: 'weibullPdf' }, saturation: { type: 'logistic' } }],
        controls: ['price'],
        seasonality: { order: 1 },
      };
      const { data } = prepareModelData(spec, simulatedRaw(50, ['tv', 'search'], 3));
      const model = buildModel(spec, data);
      expect(model.names).toContain('changepoint[3]');
      const d = model.density.dim;
      for (const theta of randomPoints(d, 3, 13)) expectGradient(model.density, theta);
    });
  }
  it('tends to the Normal likelihood as ν grows (the difference is O(1/ν))', () => {
    const spec: ModelSpec = { channels: [{ name: 'tv' }], controls: ['price'], seasonality: { order: 1 } };
    const { data } = prepareModelData(spec, simulatedRaw(50, ['tv'], 4));
    const normal = buildModel(spec, data).density;
    const theta = Float64Array.from({ length: normal.dim }, (_, i) => 0.3 * Math.sin(i + 1));
    const lpN = normal.logDensityGradient(theta, new Float64Array(normal.dim));
    const diffs = [1e4, 1e5, 1e6].map((nu) => {
      const t = buildModel({ ...spec, likelihood: { studentT: { nu } } }, data).density;
      return Math.abs(t.logDensityGradient(theta, new Float64Array(t.dim)) - lpN);
    });
    // each tenfold ν shrinks the gap about tenfold
    expect(diffs[1] / diffs[0]).toBeGreaterThan(0.08);
    expect(diffs[1] / diffs[0]).toBeLessThan(0.12);
    expect(diffs[2] / diffs[1]).toBeGreaterThan(0.08);
    expect(diffs[2] / diffs[1]).toBeLessThan(0.12);
  });
  it('refuses a non-finite or non-positive ν with the fix', () => {
    const spec: ModelSpec = { channels: [{ name: 'tv' }], likelihood: { studentT: { nu: 0 } } };
    const { data } = prepareModelData({ channels: [{ name: 'tv' }] }, simulatedRaw(30, ['tv'], 4));
    expect(() => buildModel(spec, data)).toThrow(/spec\.likelihood.*finite ν > 0/);
  });
});

describe('piecewise-linear trend', () => {
  it('adds a change of slope at each changepoint (against the transforms package)', async () => {
    const { piecewiseLinearTrend } = await import('@mmm/transforms');
    const spec: ModelSpec = { channels: [{ name: 'tv' }], seasonality: null, trend: { changepoints: [0.2, 0.5] } };
    const { data } = prepareModelData(spec, simulatedRaw(52, ['tv'], 9));
    const model = buildModel(spec, data);
    const v = {
      'tv.adstock.alpha': [0.3],
      'tv.saturation.halfSaturation': [0.5],
      'tv.saturation.slope': [1.2],
      'tv.beta': [0.2],
      intercept: [0.9],
      trend: [0.3],
      changepoint: [-0.5, 0.8],
      sigma: [0.1],
    };
    const d = model.evaluate(v);
    const expected = piecewiseLinearTrend(data.time, { slope: 0.3, intercept: 0.9, changepoints: [0.2, 0.5], deltas: [-0.5, 0.8] });
    for (let t = 0; t < 52; t++) expect(d.trend[t]).toBeCloseTo(expected[t], 12);
  });
  it('refuses a bad changepoint spec', () => {
    const { data } = prepareModelData({ channels: [{ name: 'tv' }] }, simulatedRaw(30, ['tv'], 4));
    expect(() => buildModel({ channels: [{ name: 'tv' }], trend: { changepoints: -1 } }, data)).toThrow(/spec\.trend\.changepoints/);
    expect(() => buildModel({ channels: [{ name: 'tv' }], trend: 'cubic' as never }, data)).toThrow(/spec\.trend/);
  });
});

describe('each term’s gradient alone (the term, the intercept and the Normal likelihood)', () => {
  const spec: ModelSpec = {
    channels: [{ name: 'tv', adstock: { type: 'weibullPdf' } }],
    controls: ['price'],
    seasonality: { order: 2 },
    trend: { changepoints: [0.2, 0.5] },
  };
  const { data } = prepareModelData(spec, simulatedRaw(45, ['tv'], 21));
  const terms = modelTerms(spec, data);
  const [media, intercept, ...rest] = terms;
  const observation = observationModel(spec, { dist: 'halfNormal', sigma: 0.5 });
  const cases: Array<[string, TermFactory[]]> = [
    ['intercept', [intercept]],
    ['media (Weibull PDF × Hill)', [media, intercept]],
    ['linear trend', [intercept, rest[0]]],
    ['changepoints', [intercept, rest[1]]],
    ['seasonality', [intercept, rest[2]]],
    ['controls', [intercept, rest[3]]],
  ];
  expect(rest.length).toBe(4);
  for (const [label, factories] of cases) {
    for (const centred of [true, false]) {
      it(`${label}, ${centred ? 'centred' : 'natural'} coordinates`, () => {
        const m = assembleModel(factories, observation, data, centred);
        for (const theta of randomPoints(m.density.dim, 3, 31)) expectGradient(m.density, theta);
      });
    }
  }
});
