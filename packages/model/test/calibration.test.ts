// Calibration terms: ROAS priors, lift tests and the knots baseline. Gradients against central differences; each
// term's log density against an independent computation from @mmm/transforms and @mmm/bayes-nuts' priors.
import { describe, expect, it } from 'vitest';
import { priorLogDensity } from '@mmm/bayes-nuts';
import { adstockFamilies, adstockInto, saturationFamilies, type AdstockName, type SaturationName } from '@mmm/transforms';
import {
  applyScaling,
  buildModel,
  impliedLifts,
  prepareModelData,
  resolveChannel,
  roasPriorSpec,
  type ModelSpec,
  type RawGeoLiftTest,
  type RawLiftTest,
  type RawWindowLiftTest,
} from '../src/index.js';
import { geoData, geoRaw, geoSpec } from './geo-reference.js';
import { expectGradient, randomPoints, simulatedRaw } from './helpers.js';

const raw = simulatedRaw(48, ['tv', 'search'], 21);
const lifts: RawWindowLiftTest[] = [
  { channel: 'tv', start: 10, end: 15, inputChange: 600, lift: 900, sd: 150 },
  { channel: 'tv', start: 30, end: 31, inputChange: -80, lift: -100, sd: 60 },
  { channel: 'search', start: 40, end: 47, inputChange: 300, lift: 200, sd: 100 },
];

describe('roasPriorSpec', () => {
  it('turns { mean, sd } into the log-normal with exactly that mean and sd', () => {
    const p = roasPriorSpec({ mean: 1.5, sd: 0.5 }) as { dist: 'logNormal'; mu: number; sigma: number };
    expect(p.dist).toBe('logNormal');
    expect(Math.exp(p.mu + p.sigma ** 2 / 2)).toBeCloseTo(1.5, 12);
    expect(Math.sqrt((Math.exp(p.sigma ** 2) - 1) * Math.exp(2 * p.mu + p.sigma ** 2))).toBeCloseTo(0.5, 12);
    expect(roasPriorSpec({ dist: 'gamma', alpha: 2, beta: 1 })).toEqual({ dist: 'gamma', alpha: 2, beta: 1 });
    expect(() => roasPriorSpec({ dist: 'normal', mu: 1, sigma: 1 })).toThrow(expect.objectContaining({ field: 'roasPrior.dist' }));
    expect(() => roasPriorSpec({ mean: 0, sd: 1 })).toThrow(expect.objectContaining({ field: 'roasPrior.mean' }));
    expect(() => roasPriorSpec({ mean: 1, sd: -1 })).toThrow(expect.objectContaining({ field: 'roasPrior.sd' }));
  });
});

describe('gradients of the calibration terms against central differences', () => {
  const cases: Array<[AdstockName, SaturationName]> = [
    ['geometric', 'hill'],
    ['delayed', 'logistic'],
    ['weibullPdf', 'michaelisMenten'],
    ['weibullCdf', 'tanh'],
  ];
  for (const [ad, sat] of cases) {
    for (const parameterization of ['centered', 'natural'] as const) {
      it(`ROAS prior + lift tests + knots: ${ad} adstock, ${sat} saturation, ${parameterization}`, () => {
        const spec: ModelSpec = {
          parameterization,
          channels: [
            { name: 'tv', adstock: { type: ad, maxLag: 5 }, saturation: { type: sat }, roasPrior: { mean: 2, sd: 0.7 } },
            { name: 'search', saturation: { type: 'hill' } },
          ],
          roasPrior: { dist: 'gamma', alpha: 3, beta: 2 },
          controls: ['price'],
          seasonality: { order: 1 },
          trend: { knots: 5, sd: 0.2 },
        };
        // the window tests, and a steady-state one (PyMC-Marketing's convention) on tv
        const all: RawLiftTest[] = [...lifts, { channel: 'tv', x: 40, dx: 20, lift: 30, sd: 10 }];
        const { data } = prepareModelData(spec, { ...raw, liftTests: all });
        const model = buildModel(spec, data);
        expect(model.names).toContain('knot[4]');
        expect(model.names).not.toContain('trend');
        for (const theta of randomPoints(model.density.dim, 3, 17)) expectGradient(model.density, theta);
      });
    }
  }
});

describe('the default curve forward mode in one pass (geometric + Hill)', () => {
  for (const parameterization of ['centered', 'natural'] as const) {
    it(`equals the reverse-mode path: log density and gradient, with a ROAS prior and lift tests (${parameterization})`, () => {
      const priors = { halfSaturation: { dist: 'gamma', alpha: 3, beta: 6 }, slope: { dist: 'gamma', alpha: 3, beta: 2 } } as const;
      const spec: ModelSpec = {
        parameterization,
        channels: [
          { name: 'tv', saturation: { type: 'hill', priors }, roasPrior: { mean: 2, sd: 0.7 } },
          { name: 'search', saturation: { type: 'hill', priors } },
        ],
        controls: ['price'],
        seasonality: { order: 1 },
      };
      const { data } = prepareModelData(spec, { ...raw, liftTests: [...lifts, { channel: 'tv', x: 40, dx: 20, lift: 30, sd: 10 }] });
      const fused = buildModel(spec, data).density;
      // a copy of Hill is not the registry's object: the term takes the reverse mode (values, then the VJPs)
      const copy = { ...saturationFamilies.hill };
      const reverse = buildModel(spec, data, { saturation: { tv: copy, search: copy } }).density;
      for (const theta of randomPoints(fused.dim, 4, 29)) {
        const [g0, g1] = [new Float64Array(fused.dim), new Float64Array(fused.dim)];
        const lp0 = fused.logDensityGradient(theta, g0);
        expect(Math.abs(reverse.logDensityGradient(theta, g1) - lp0)).toBeLessThanOrEqual(1e-12 * Math.abs(lp0));
        for (let i = 0; i < fused.dim; i++)
          expect(Math.abs(g1[i] - g0[i]), fused.names[i]).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(g0[i])));
      }
    });
  }
});

/** μ's media part of a channel at natural values, from @mmm/transforms directly. */
/** log p₁(θ) − log p₀(θ): what a term adds to a density at θ. */
function densityDifference(
  p1: { dim: number; logDensityGradient(t: ArrayLike<number>, g: Float64Array): number },
  p0: { dim: number; logDensityGradient(t: ArrayLike<number>, g: Float64Array): number },
  theta: ArrayLike<number>,
): number {
  return p1.logDensityGradient(theta, new Float64Array(p1.dim)) - p0.logDensityGradient(theta, new Float64Array(p0.dim));
}

function channelCurve(x: Float64Array, ad: AdstockName, sat: SaturationName, adParams: number[], satParams: number[], maxLag = 8) {
  const w = adstockFamilies[ad].weightsInto(new Float64Array(maxLag), adParams, true);
  const a = adstockInto(new Float64Array(x.length), x, w);
  return { a, s: saturationFamilies[sat].valueInto(new Float64Array(x.length), a, satParams) };
}

describe('the calibration terms’ log densities, computed independently', () => {
  const spec: ModelSpec = {
    parameterization: 'natural',
    channels: [{ name: 'tv' }, { name: 'search', saturation: { type: 'logistic' } }],
    controls: ['price'],
    seasonality: { order: 1 },
  };
  const { data, scaling } = prepareModelData(spec, raw);
  const plain = buildModel(spec, data).density;

  it('a ROAS prior replaces β’s prior by p_ROAS(β·s̄·n/Λ)·s̄·n/Λ (natural coordinates)', () => {
    const roasSpec: ModelSpec = { ...spec, channels: [{ name: 'tv', roasPrior: { mean: 1.5, sd: 0.5 } }, spec.channels[1]] };
    const roas = buildModel(roasSpec, data).density;
    const prior = roasPriorSpec({ mean: 1.5, sd: 0.5 });
    const tvSpend = raw.spend.tv.reduce((a, b) => a + b, 0);
    for (const theta of randomPoints(plain.dim, 4, 8)) {
      const v = plain.constrain(theta);
      const { s } = channelCurve(
        data.spend[0],
        'geometric',
        'hill',
        [v['tv.adstock.alpha'][0]],
        [v['tv.saturation.halfSaturation'][0], v['tv.saturation.slope'][0]],
      );
      const total = s.reduce((a, b) => a + b, 0);
      const beta = v['tv.beta'][0];
      // ROAS in the data's units: contribution (β·Σs·mean y) over spend
      const r = (beta * total * scaling.yScale) / tvSpend;
      const jac = (total * scaling.yScale) / tvSpend;
      const expected = priorLogDensity(prior, r) + Math.log(jac) - priorLogDensity({ dist: 'halfNormal', sigma: 1 }, beta);
      const diff = densityDifference(roas, plain, theta);
      expect(diff).toBeCloseTo(expected, 8);
    }
  });

  it('a lift test adds log Normal(lift | implied, sd), the implied lift from adstock(x + change) − adstock(x) over the window', () => {
    const tests = [lifts[0], lifts[1]];
    const withLift = buildModel(spec, prepareModelData(spec, { ...raw, liftTests: tests }).data).density;
    for (const theta of randomPoints(plain.dim, 4, 9)) {
      const v = plain.constrain(theta);
      const ad = [v['tv.adstock.alpha'][0]];
      const sat = [v['tv.saturation.halfSaturation'][0], v['tv.saturation.slope'][0]];
      let expected = 0;
      for (const t of tests) {
        // the data's spend plus the change, spread evenly over the window, in the data's units; scaled as the model sees it
        const periods = t.end - t.start + 1;
        const changed = Float64Array.from(raw.spend.tv, (x, i) =>
          i >= t.start && i <= t.end ? Math.max(0, x + t.inputChange / periods) : x,
        );
        const base = channelCurve(data.spend[0], 'geometric', 'hill', ad, sat);
        const scaledChanged = changed.map((x) => x / scaling.spendScale[0]);
        const alt = channelCurve(scaledChanged, 'geometric', 'hill', ad, sat);
        let implied = 0;
        for (let i = t.start; i <= t.end; i++) implied += v['tv.beta'][0] * (alt.s[i] - base.s[i]) * scaling.yScale;
        expected += -0.5 * ((t.lift - implied) / t.sd) ** 2 - Math.log(t.sd / scaling.yScale) - 0.5 * Math.log(2 * Math.PI);
      }
      const diff = densityDifference(withLift, plain, theta);
      expect(diff).toBeCloseTo(expected, 8);
    }
  });

  it('a steady-state lift test (PyMC-Marketing’s convention) adds log Normal(Δy | β·(s(x + Δx) − s(x)), σ) on the curve of the per-period input', () => {
    const test = { channel: 'search', x: 50, dx: 25, lift: 40, sd: 15 };
    const withLift = buildModel(spec, prepareModelData(spec, { ...raw, liftTests: [test] }).data).density;
    for (const theta of randomPoints(plain.dim, 4, 12)) {
      const v = plain.constrain(theta);
      const lam = [v['search.saturation.lambda'][0]];
      const sat = saturationFamilies.logistic;
      const m = scaling.spendScale[1];
      const implied = v['search.beta'][0] * (sat.value((test.x + test.dx) / m, lam) - sat.value(test.x / m, lam)) * scaling.yScale;
      const expected = -0.5 * ((test.lift - implied) / test.sd) ** 2 - Math.log(test.sd / scaling.yScale) - 0.5 * Math.log(2 * Math.PI);
      const diff = densityDifference(withLift, plain, theta);
      expect(diff).toBeCloseTo(expected, 8);
    }
    expect(() => prepareModelData(spec, { ...raw, liftTests: [{ ...test, dx: -60 }] })).toThrow(
      expect.objectContaining({ field: 'liftTests[0].dx' }),
    );
  });

  it('the knots baseline interpolates the random walk linearly between knots', () => {
    const knotSpec: ModelSpec = { ...spec, trend: { knots: 4 } };
    const model = buildModel(knotSpec, data);
    const values = model.density.constrain(randomPoints(model.density.dim, 1, 3)[0]);
    const d = model.evaluate(values);
    const delta = values.knot;
    const level = [0, delta[0], delta[0] + delta[1], delta[0] + delta[1] + delta[2]];
    const T = data.n;
    for (const t of [0, 5, 15, 16, 31, 47]) {
      const u = (t * 3) / (T - 1);
      const j = Math.min(2, Math.floor(u));
      const expected = level[j] + (u - j) * (level[j + 1] - level[j]);
      expect(d.trend[t] - values.intercept[0]).toBeCloseTo(expected, 12);
    }
  });

  for (const parameterization of ['centered', 'natural'] as const) {
    it(`the Gaussian-process baseline: gradient against central differences (${parameterization}), and its basis approximates the kernel`, () => {
      const gpSpec: ModelSpec = { ...spec, parameterization, trend: { gp: { lengthscale: 10, basis: 12 } } };
      const model = buildModel(gpSpec, data);
      expect(model.names).toContain('gp.z[12]');
      for (const theta of randomPoints(model.density.dim, 3, 19)) expectGradient(model.density, theta);
    });
  }

  it('the Hilbert-space basis reproduces the squared-exponential covariance (Solin & Särkkä)', () => {
    // Cov(f_s, f_t) = η²·Σ_j c_j² φ_j(s) φ_j(t) → η²·exp(−(s − t)²/(2ℓ²)) inside the domain, with enough basis functions
    const gpSpec: ModelSpec = { ...spec, trend: { gp: { lengthscale: 8, basis: 60 } } };
    const model = buildModel(gpSpec, data);
    const term = model.terms.find((t) => t.name === 'gp')!;
    const m = 60;
    // the contributions at unit z_j pick out c_j·φ_j(t)
    const basis = Array.from({ length: m }, (_, j) =>
      term.contributionInto(new Float64Array(data.n), {
        'gp.z': Float64Array.from({ length: m }, (_, k) => (k === j ? 1 : 0)),
        'gp.amplitude': Float64Array.of(1),
      }),
    );
    for (const [s, t] of [
      [20, 20],
      [20, 24],
      [10, 26],
      [5, 40],
    ]) {
      let cov = 0;
      for (let j = 0; j < m; j++) cov += basis[j][s] * basis[j][t];
      expect(cov).toBeCloseTo(Math.exp(-((s - t) ** 2) / (2 * 64)), 2);
    }
  });

  it('refuses lift tests and ROAS priors it cannot use, naming the field', () => {
    expect(() => prepareModelData(spec, { ...raw, liftTests: [{ ...lifts[0], channel: 'radio' }] })).toThrow(
      expect.objectContaining({ field: 'liftTests[0].channel' }),
    );
    expect(() => prepareModelData(spec, { ...raw, liftTests: [{ ...lifts[0], end: 60 }] })).toThrow(
      expect.objectContaining({ field: 'liftTests[0].start' }),
    );
    expect(() => prepareModelData(spec, { ...raw, liftTests: [{ ...lifts[0], start: 20, end: 19 }] })).toThrow(
      expect.objectContaining({ field: 'liftTests[0].end' }),
    );
    expect(() => prepareModelData(spec, { ...raw, liftTests: [{ ...lifts[0], sd: 0 }] })).toThrow(
      expect.objectContaining({ field: 'liftTests[0].sd' }),
    );
    expect(() => buildModel({ ...spec, trend: { knots: 1 } }, data)).toThrow(expect.objectContaining({ field: 'spec.trend.knots' }));
    expect(() => buildModel({ ...spec, trend: { gp: { lengthscale: 0 } } }, data)).toThrow(
      expect.objectContaining({ field: 'spec.trend.gp.lengthscale' }),
    );
  });
});

describe('calibration of the geo model', () => {
  const d = {
    ...geoData,
    G: 3,
    N: 30,
    y: geoData.y.slice(0, 3).map((r) => r.slice(0, 30)),
    spend: geoData.spend.slice(0, 3).map((r) => r.slice(0, 30)),
    controls: geoData.controls.slice(0, 30),
    population: geoData.population.slice(0, 3),
  };
  const rawGeo = geoRaw(d);
  const ch = d.channels;
  const geoLifts: RawWindowLiftTest[] = [
    { channel: ch[0], geo: 1, start: 5, end: 9, inputChange: 2 * d.population[1], lift: 0.3 * d.population[1], sd: 0.1 * d.population[1] },
    {
      channel: ch[1],
      geo: 2,
      start: 20,
      end: 22,
      inputChange: -1 * d.population[2],
      lift: -0.1 * d.population[2],
      sd: 0.05 * d.population[2],
    },
  ];
  for (const parameterization of ['centered', 'natural'] as const) {
    it(`ROAS prior + per-geo lift tests + knots: gradient against central differences (${parameterization})`, () => {
      const spec: ModelSpec = { ...geoSpec(d), parameterization, roasPrior: { mean: 2, sd: 1 }, trend: { knots: 4 } };
      const m = buildModel(spec, prepareModelData(spec, { ...rawGeo, liftTests: geoLifts }).data);
      for (const theta of randomPoints(m.density.dim, 3, 5))
        expectGradient(
          m.density,
          theta.map((x) => 0.7 * x),
        );
    });
  }

  it('the geo ROAS prior is on the national ROAS: Σ_g pop_g·ȳ·Σ_t β e_g s_gt over the total spend (natural coordinates)', () => {
    const spec: ModelSpec = { ...geoSpec(d), parameterization: 'natural' };
    const { data, scaling } = prepareModelData(spec, rawGeo);
    const plain = buildModel(spec, data);
    const withPrior = buildModel(
      { ...spec, channels: spec.channels.map((c, k) => (k === 0 ? { ...c, roasPrior: { mean: 1.5, sd: 0.5 } } : c)) },
      data,
    ).density;
    const prior = roasPriorSpec({ mean: 1.5, sd: 0.5 });
    const name = ch[0];
    const totalSpend = Array.from(rawGeo.spend[name]).reduce((a, b) => a + b, 0);
    for (const theta of randomPoints(plain.density.dim, 3, 31)) {
      const v = plain.density.constrain(theta.map((x) => 0.7 * x));
      const contribution = plain.evaluate(v).contributions[0];
      let total = 0;
      for (let i = 0; i < contribution.length; i++) total += contribution[i] * d.population[Math.floor(i / d.N)] * scaling.yScale;
      const r = total / totalSpend;
      const beta = v[`${name}.beta`][0];
      const expected = priorLogDensity(prior, r) + Math.log(r / beta) - priorLogDensity({ dist: 'halfNormal', sigma: 1 }, beta);
      const diff = densityDifference(
        withPrior,
        plain.density,
        theta.map((x) => 0.7 * x),
      );
      expect(diff).toBeCloseTo(expected, 8);
    }
  });

  it('a geo lift test adds log Normal(lift | the geo’s implied lift, sd), per capita of that geo', () => {
    const spec: ModelSpec = { ...geoSpec(d), parameterization: 'natural' };
    const { data } = prepareModelData(spec, rawGeo);
    const plain = buildModel(spec, data);
    const withLift = buildModel(spec, prepareModelData(spec, { ...rawGeo, liftTests: [geoLifts[0]] }).data).density;
    const scaled = prepareModelData(spec, { ...rawGeo, liftTests: [geoLifts[0]] }).data.liftTests![0];
    for (const theta of randomPoints(plain.density.dim, 3, 41)) {
      const v = plain.density.constrain(theta.map((x) => 0.7 * x));
      // the geo's contribution with the extra spend, from the model's own mean function on changed data
      const changed = {
        ...rawGeo,
        spend: {
          ...rawGeo.spend,
          [ch[0]]: Float64Array.from(rawGeo.spend[ch[0]], (x, i) =>
            i >= d.N + 5 && i <= d.N + 9 ? Math.max(0, x + geoLifts[0].inputChange / 5) : x,
          ),
        },
      };
      const alt = buildModel(spec, applyScaling(spec, changed, prepareModelData(spec, rawGeo).scaling, 0)).evaluate(v).contributions[0];
      const base = plain.evaluate(v).contributions[0];
      let implied = 0;
      for (let t = 5; t <= 9; t++) implied += alt[d.N + t] - base[d.N + t];
      const expected = -0.5 * ((scaled.lift - implied) / scaled.sd) ** 2 - Math.log(scaled.sd) - 0.5 * Math.log(2 * Math.PI);
      const diff = densityDifference(
        withLift,
        plain.density,
        theta.map((x) => 0.7 * x),
      );
      expect(diff).toBeCloseTo(expected, 8);
    }
    expect(() => prepareModelData(spec, { ...rawGeo, liftTests: [{ ...geoLifts[0], geo: undefined }] })).toThrow(
      expect.objectContaining({ field: 'liftTests[0].geo' }),
    );
  });

  // a steady-state test in geos 0 and 2 (a geo split): their spend per period and its change, the total lift per period
  const pop = d.population;
  const geoSet: RawGeoLiftTest = {
    channel: ch[0],
    geos: [
      { geo: 0, x: 1.5 * pop[0], dx: 0.75 * pop[0] },
      { geo: 2, x: 0.8 * pop[2], dx: -0.8 * pop[2] },
    ],
    lift: 0.2 * (pop[0] + pop[2]),
    sd: 0.1 * (pop[0] + pop[2]),
  };
  const pooling: Array<[string, ModelSpec['unpooled']]> = [
    ['pooled', undefined],
    ['unpooled', { channels: [ch[0]] }],
  ];
  for (const parameterization of ['centered', 'natural'] as const)
    for (const [label, unpooled] of pooling)
      it(`a test in a set of geos: gradient against central differences (${parameterization}, ${label}, with per-geo tests)`, () => {
        const spec: ModelSpec = { ...geoSpec(d), parameterization, ...(unpooled ? { unpooled } : { roasPrior: { mean: 2, sd: 1 } }) };
        const m = buildModel(spec, prepareModelData(spec, { ...rawGeo, liftTests: [...geoLifts, geoSet] }).data);
        for (const theta of randomPoints(m.density.dim, 3, 7))
          expectGradient(
            m.density,
            theta.map((x) => 0.7 * x),
          );
      });

  for (const [label, unpooled] of pooling)
    it(`a test in a set of geos adds log Normal(lift | Σ_g pop_g × the geo's steady-state lift, sd) (${label})`, () => {
      const spec: ModelSpec = { ...geoSpec(d), parameterization: 'natural', ...(unpooled ? { unpooled } : {}) };
      const { data, scaling } = prepareModelData(spec, rawGeo);
      const plain = buildModel(spec, data);
      const withLift = buildModel(spec, prepareModelData(spec, { ...rawGeo, liftTests: [geoSet] }).data).density;
      // independently: each geo's contribution in the last period of a constant input (steady state, normalised adstock),
      // from the model's own mean function on data with the input held at x and at x + dx
      const held = (shift: boolean) => {
        const x = new Float64Array(d.G * d.N);
        for (const e of geoSet.geos) x.fill(e.x + (shift ? e.dx : 0), e.geo * d.N, (e.geo + 1) * d.N);
        return buildModel(spec, applyScaling(spec, { ...rawGeo, spend: { ...rawGeo.spend, [ch[0]]: x } }, scaling, 0));
      };
      const [base, alt] = [held(false), held(true)];
      for (const theta of randomPoints(plain.density.dim, 3, 43)) {
        const v = plain.density.constrain(theta.map((x) => 0.7 * x));
        const [b, a] = [base.evaluate(v).contributions[0], alt.evaluate(v).contributions[0]];
        let implied = 0;
        for (const e of geoSet.geos) implied += pop[e.geo] * (a[(e.geo + 1) * d.N - 1] - b[(e.geo + 1) * d.N - 1]);
        implied *= scaling.yScale;
        const expected =
          -0.5 * ((geoSet.lift - implied) / geoSet.sd) ** 2 - Math.log(geoSet.sd / scaling.yScale) - 0.5 * Math.log(2 * Math.PI);
        const diff = densityDifference(
          withLift,
          plain.density,
          theta.map((x) => 0.7 * x),
        );
        expect(diff).toBeCloseTo(expected, 8);
        // impliedLifts reports the same total (model scale)
        const scaled = prepareModelData(spec, { ...rawGeo, liftTests: [geoSet] }).data.liftTests!;
        const reported = impliedLifts(scaled, [resolveChannel(spec.channels[0])], data.spend, v, d.N)[0];
        expect(reported * scaling.yScale).toBeCloseTo(implied, 8);
      }
    });

  for (const [label, unpooled] of pooling)
    it(`a one-geo window test's reported implied lift (impliedLifts) is the model's own (${label})`, () => {
      const spec: ModelSpec = { ...geoSpec(d), parameterization: 'natural', ...(unpooled ? { unpooled } : {}) };
      const { data, scaling } = prepareModelData(spec, rawGeo);
      const plain = buildModel(spec, data);
      const scaled = prepareModelData(spec, { ...rawGeo, liftTests: [geoLifts[0]] }).data.liftTests!;
      // geo 1's contributions over the window with the test's extra spend, from the model's own mean function
      const changed = Float64Array.from(rawGeo.spend[ch[0]], (x, i) =>
        i >= d.N + 5 && i <= d.N + 9 ? Math.max(0, x + geoLifts[0].inputChange / 5) : x,
      );
      const alt = buildModel(spec, applyScaling(spec, { ...rawGeo, spend: { ...rawGeo.spend, [ch[0]]: changed } }, scaling, 0));
      for (const theta of randomPoints(plain.density.dim, 3, 45)) {
        const v = plain.density.constrain(theta.map((x) => 0.7 * x));
        const [b, a] = [plain.evaluate(v).contributions[0], alt.evaluate(v).contributions[0]];
        let implied = 0;
        for (let t = 5; t <= 9; t++) implied += a[d.N + t] - b[d.N + t];
        expect(impliedLifts(scaled, [resolveChannel(spec.channels[0])], data.spend, v, d.N)[0]).toBeCloseTo(implied, 10);
      }
    });

  it('a test in a set of geos is refused with a typed error when malformed', () => {
    const spec = geoSpec(d);
    const bad = (liftTest: RawGeoLiftTest) => () => prepareModelData(spec, { ...rawGeo, liftTests: [liftTest] });
    expect(bad({ ...geoSet, geos: [] })).toThrow(expect.objectContaining({ field: 'liftTests[0].geos' }));
    expect(bad({ ...geoSet, geos: [geoSet.geos[0], geoSet.geos[0]] })).toThrow(
      expect.objectContaining({ field: 'liftTests[0].geos[1].geo' }),
    );
    expect(bad({ ...geoSet, geos: [{ geo: 3, x: 1, dx: 1 }] })).toThrow(expect.objectContaining({ field: 'liftTests[0].geos[0].geo' }));
    expect(bad({ ...geoSet, geos: [{ geo: 0, x: -1, dx: 1 }] })).toThrow(expect.objectContaining({ field: 'liftTests[0].geos[0].x' }));
    expect(bad({ ...geoSet, geos: [{ geo: 0, x: 1, dx: -2 }] })).toThrow(expect.objectContaining({ field: 'liftTests[0].geos[0].dx' }));
    const national: ModelSpec = { channels: [{ name: 'tv' }, { name: 'search' }] };
    expect(() => prepareModelData(national, { ...raw, liftTests: [{ ...geoSet, channel: 'tv' }] })).toThrow(
      expect.objectContaining({ field: 'liftTests[0].geos' }),
    );
  });
});
