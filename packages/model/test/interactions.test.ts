// Interaction terms (terms/interaction.ts): the gradient against central differences in both coordinates, national and
// geo, fused and reverse-mode curves, with time-varying effects; the log density and the contribution against an
// independent computation from the plain model's curves; the spec's checks.
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '@mmm/core';
import { buildModel, prepareModelData, type ModelSpec } from '../src/index.js';
import { geoRaw, geoSpec, subset } from './geo-reference.js';
import { expectGradient, randomPoints, simulatedRaw } from './helpers.js';

const base: ModelSpec = {
  channels: [{ name: 'tv' }, { name: 'search', saturation: { type: 'logistic' } }, { name: 'radio', adstock: { type: 'weibullPdf' } }],
  controls: ['price'],
  seasonality: { order: 2 },
};
const both = [
  { channel: 'tv', with: 'season' },
  { channel: 'tv', with: 'search' },
  { channel: 'radio', with: 'season' },
  { channel: 'search', with: 'radio' },
];

describe('interactions: the gradient against central differences', () => {
  const raw = simulatedRaw(60, ['tv', 'search', 'radio'], 5);
  const cases: Array<[string, ModelSpec]> = [
    ['centred', { ...base, interactions: both }],
    ['natural', { ...base, parameterization: 'natural', interactions: both }],
    [
      'with ROAS priors and time-varying effects',
      { ...base, roasPrior: { mean: 1, sd: 0.5 }, timeVaryingEffects: ['tv'], interactions: both },
    ],
  ];
  for (const [label, spec] of cases)
    it(label, () => {
      const model = buildModel(spec, prepareModelData(spec, raw).data);
      for (const theta of randomPoints(model.density.dim, 3, 9)) expectGradient(model.density, theta);
    });

  it('a geo panel', () => {
    const small = subset(3, 30);
    const spec0 = geoSpec(small);
    const [a, b] = spec0.channels.map((c) => c.name);
    const spec: ModelSpec = {
      ...spec0,
      seasonality: { order: 1 },
      interactions: [
        { channel: a, with: 'season' },
        { channel: a, with: b },
      ],
    };
    const model = buildModel(spec, prepareModelData(spec, geoRaw(small)).data);
    for (const theta of randomPoints(model.density.dim, 2, 13)) expectGradient(model.density, theta);
  });
});

describe('interactions: the log density against an independent computation', () => {
  it('adds the coefficients’ Normal priors and the likelihood of μ plus s_tv·Σδ_k F_k and δ·s_tv·s_search', () => {
    const raw = simulatedRaw(50, ['tv', 'search', 'radio'], 21);
    const plainSpec: ModelSpec = { ...base, parameterization: 'natural' };
    const withSpec: ModelSpec = { ...plainSpec, interactions: both.slice(0, 2) };
    const { data } = prepareModelData(plainSpec, raw);
    const plain = buildModel(plainSpec, data);
    const model = buildModel(withSpec, data);
    const values = model.density.constrain(randomPoints(model.density.dim, 1, 4)[0]);
    const lp = model.density.logDensityGradient(model.density.unconstrain(values), new Float64Array(model.density.dim));
    const lpPlain = plain.density.logDensityGradient(plain.density.unconstrain(values), new Float64Array(plain.density.dim));
    // the saturated curves from the plain model: contribution / β
    const parts = plain.evaluate(values);
    const s = (c: number, ch: string) => parts.contributions[c].map((v) => v / values[`${ch}.beta`][0]);
    const [sTv, sSearch] = [s(0, 'tv'), s(1, 'search')];
    const dSeason = values['interaction.tv.season'];
    const dSyn = values['interaction.tv.search'][0];
    const n = data.n;
    const K = data.fourierColumns;
    const season = Float64Array.from({ length: n }, (_, t) => {
      let m = 0;
      for (let k = 0; k < K; k++) m += dSeason[k] * data.fourier[t * K + k];
      return sTv[t] * m;
    });
    const synergy = Float64Array.from({ length: n }, (_, t) => dSyn * sTv[t] * sSearch[t]);
    const sigma = values.sigma[0];
    let dLik = 0;
    for (let t = 0; t < n; t++) {
      const mu = parts.mu[t] + season[t] + synergy[t];
      dLik += (-0.5 * (data.y[t] - mu) ** 2 + 0.5 * (data.y[t] - parts.mu[t]) ** 2) / sigma ** 2;
    }
    let dPrior = 0;
    for (const d of [...dSeason, dSyn]) dPrior += -0.5 * (d / 0.1) ** 2 - Math.log(0.1) - 0.5 * Math.log(2 * Math.PI);
    expect(lp - lpPlain).toBeCloseTo(dLik + dPrior, 8);
    // each interaction is its own term in the decomposition, and μ includes it
    const withParts = model.evaluate(values);
    for (let t = 0; t < n; t++) {
      expect(withParts.terms['tv:season'][t]).toBeCloseTo(season[t], 12);
      expect(withParts.terms['tv:search'][t]).toBeCloseTo(synergy[t], 12);
      expect(withParts.mu[t]).toBeCloseTo(parts.mu[t] + season[t] + synergy[t], 12);
    }
  });

  it('the centred coordinates give the same intercept and log density at the same natural values', () => {
    const raw = simulatedRaw(40, ['tv', 'search', 'radio'], 8);
    const spec: ModelSpec = { ...base, interactions: both };
    const { data } = prepareModelData(spec, raw);
    const centred = buildModel(spec, data);
    const natural = buildModel({ ...spec, parameterization: 'natural' }, data);
    const values = natural.density.constrain(randomPoints(natural.density.dim, 1, 6)[0]);
    const back = centred.density.constrain(centred.density.unconstrain(values));
    for (const [k, v] of Object.entries(values)) v.forEach((x, i) => expect(back[k][i]).toBeCloseTo(x, 10));
    const g = new Float64Array(centred.density.dim);
    const lpC = centred.density.logDensityGradient(centred.density.unconstrain(values), g);
    const lpN = natural.density.logDensityGradient(natural.density.unconstrain(values), new Float64Array(natural.density.dim));
    // the two differ by the log-Jacobians of the coordinates only, which do not involve δ: compare their change in δ
    const shifted = { ...values, 'interaction.tv.search': Float64Array.of(values['interaction.tv.search'][0] + 0.05) };
    const lpC2 = centred.density.logDensityGradient(centred.density.unconstrain(shifted), g);
    const lpN2 = natural.density.logDensityGradient(natural.density.unconstrain(shifted), new Float64Array(natural.density.dim));
    expect(lpC2 - lpC).toBeCloseTo(lpN2 - lpN, 8);
  });
});

describe('interactions: the spec is checked', () => {
  const raw = simulatedRaw(30, ['tv', 'search', 'radio'], 3);
  const bad: Array<[unknown, RegExp]> = [
    [[{ channel: 'tvv', with: 'season' }], /interactions\[0\]\.channel/],
    [[{ channel: 'tv', with: 'seasons' }], /interactions\[0\]\.with/],
    [[{ channel: 'tv', with: 'tv' }], /the channel itself/],
    [
      [
        { channel: 'tv', with: 'search' },
        { channel: 'search', with: 'tv' },
      ],
      /repeats/,
    ],
    [[{ channel: 'tv', with: 'season', prior: { dist: 'normal', mu: 0, sigma: 1 }, extra: 1 }], /extra/],
  ];
  for (const [interactions, message] of bad)
    it(`refuses ${JSON.stringify(interactions)}`, () => {
      const spec = { ...base, interactions } as ModelSpec;
      const build = () => buildModel(spec, prepareModelData(spec, raw).data);
      expect(build).toThrow(InvalidInputError);
      expect(build).toThrow(message);
    });
  it('refuses the season in a model without seasonality', () => {
    const spec: ModelSpec = { ...base, seasonality: null, interactions: [{ channel: 'tv', with: 'season' }] };
    expect(() => buildModel(spec, prepareModelData(spec, raw).data)).toThrow(/without seasonality/);
  });
});
