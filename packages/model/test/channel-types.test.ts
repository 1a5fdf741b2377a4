// The channel types beyond spend: reach-and-frequency channels (Meridian's form, β·adstock(reach·Hill(frequency))),
// organic media and non-media treatments: the gradient against central differences in every configuration, the
// contributions against an independent computation, and the typed errors.
import { InvalidInputError } from '@mmm/core';
import { describe, expect, it } from 'vitest';
import { buildModel, DEFAULT_RF_SATURATION_PRIORS, prepareModelData, priorFor, type ModelSpec, type RawModelData } from '../src/index.js';
import { geoRaw, geoSpec, subset } from './geo-reference.js';
import { expectGradient, randomPoints, simulatedRaw } from './helpers.js';

const base: ModelSpec = {
  channels: [
    { name: 'tv' },
    { name: 'video', reachFrequency: true },
    { name: 'social', reachFrequency: true, adstock: { type: 'weibullPdf' } },
  ],
  controls: ['price'],
  seasonality: { order: 2 },
};

/** Seeded frequencies in [1, 6) where the reach is positive, 0 where it is 0. */
function frequencies(reach: ArrayLike<number>, seed: number): Float64Array {
  let s = seed;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  return Float64Array.from(reach, (r) => (r > 0 ? 1 + 5 * u() : 0));
}

function rfRaw(n: number, seed: number): RawModelData {
  const raw = simulatedRaw(n, ['tv', 'video', 'social'], seed);
  return { ...raw, frequency: { video: frequencies(raw.spend.video, seed + 1), social: frequencies(raw.spend.social, seed + 2) } };
}

describe('reach and frequency: the gradient against central differences', () => {
  const raw = rfRaw(60, 5);
  const cases: Array<[string, ModelSpec]> = [
    ['centred', base],
    ['natural', { ...base, parameterization: 'natural' }],
    ['with ROAS priors', { ...base, roasPrior: { mean: 1, sd: 0.5 } }],
    ['with ROAS priors, natural', { ...base, parameterization: 'natural', roasPrior: { mean: 1, sd: 0.5 } }],
  ];
  for (const [label, spec] of cases)
    it(label, () => {
      const model = buildModel(spec, prepareModelData(spec, raw).data);
      for (const theta of randomPoints(model.density.dim, 3, 9)) expectGradient(model.density, theta);
    });

  it('a geo panel, centred and natural', () => {
    const small = subset(3, 30);
    const g = geoRaw(small);
    const first = small.channels[0];
    const raw: RawModelData = { ...g, frequency: { [first]: frequencies(g.spend[first], 3) } };
    for (const parameterization of ['centered', 'natural'] as const) {
      const s = geoSpec(small);
      const spec: ModelSpec = {
        ...s,
        parameterization,
        channels: s.channels.map((c, k) => (k === 0 ? { name: c.name, reachFrequency: true } : c)),
      };
      const model = buildModel(spec, prepareModelData(spec, raw).data);
      for (const theta of randomPoints(model.density.dim, 2, 13)) expectGradient(model.density, theta);
    }
  });
});

describe('reach and frequency: the contribution against an independent computation', () => {
  it('β·adstock(reach·Hill(frequency)) with the normalised geometric and Weibull weights written out', () => {
    const raw = rfRaw(40, 11);
    const spec: ModelSpec = { ...base, parameterization: 'natural' };
    const { data, scaling } = prepareModelData(spec, raw);
    const model = buildModel(spec, data);
    const values = model.density.constrain(randomPoints(model.density.dim, 1, 4)[0].map((x) => 0.7 * x));
    const parts = model.evaluate(values);
    const hill = (f: number, K: number, S: number) => (f > 0 ? f ** S / (f ** S + K ** S) : 0);
    for (const [c, name] of [
      [1, 'video'],
      [2, 'social'],
    ] as const) {
      const K = values[`${name}.saturation.halfSaturation`][0];
      const S = values[`${name}.saturation.slope`][0];
      const beta = values[`${name}.beta`][0];
      let w: number[];
      if (name === 'video') {
        const a = values['video.adstock.alpha'][0];
        w = Array.from({ length: 8 }, (_, l) => a ** l);
      } else {
        // Weibull PDF weights: k/λ·(l/λ)^(k−1)·e^(−(l/λ)^k) at l = 1 … L (normalised below)
        const k = values['social.adstock.shape'][0];
        const lambda = values['social.adstock.scale'][0];
        w = Array.from({ length: 8 }, (_, l) => (k / lambda) * ((l + 1) / lambda) ** (k - 1) * Math.exp(-(((l + 1) / lambda) ** k)));
      }
      const sw = w.reduce((x, y) => x + y, 0);
      const reach = Array.from(raw.spend[name], (r) => r / scaling.spendScale[c]);
      const z = reach.map((r, t) => r * hill(raw.frequency![name][t], K, S));
      for (let t = 0; t < data.n; t++) {
        let acc = 0;
        for (let l = 0; l < 8 && l <= t; l++) acc += (w[l] / sw) * z[t - l];
        expect(parts.contributions[c][t]).toBeCloseTo(beta * acc, 10);
      }
    }
  });

  it('the Hill curve on frequency has the reach-and-frequency priors (Meridian’s ec_rf and slope_rf)', () => {
    expect(priorFor(base, 'video.saturation.halfSaturation')).toEqual(DEFAULT_RF_SATURATION_PRIORS.halfSaturation);
    expect(priorFor(base, 'video.saturation.slope')).toEqual(DEFAULT_RF_SATURATION_PRIORS.slope);
    const model = buildModel(base, prepareModelData(base, rfRaw(30, 2)).data);
    const block = model.parameters.find((b) => b.name === 'video.saturation.slope');
    expect(block?.prior).toEqual(DEFAULT_RF_SATURATION_PRIORS.slope);
  });
});

describe('reach and frequency: typed errors', () => {
  const raw = rfRaw(30, 7);
  const fails = (spec: ModelSpec, r: RawModelData, field: RegExp) => {
    let error: unknown;
    try {
      buildModel(spec, prepareModelData(spec, r).data);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(field);
  };
  it('frequency missing, NaN, negative, below 1 where the reach is positive, or given for another channel', () => {
    fails(base, { ...raw, frequency: { video: raw.frequency!.video } }, /frequency\.social.*missing/);
    const at = Array.from(raw.spend.video).findIndex((r) => r > 0);
    const withValue = (v: number) => ({
      ...raw,
      frequency: { ...raw.frequency, video: Array.from(raw.frequency!.video, (f, t) => (t === at ? v : f)) },
    });
    fails(base, withValue(Number.NaN), new RegExp(`frequency\\.video\\[${at}\\]`));
    fails(base, withValue(-1), new RegExp(`frequency\\.video\\[${at}\\]`));
    fails(base, withValue(0.5), /where the reach is positive/);
    fails(base, { ...raw, frequency: { ...raw.frequency, tv: raw.frequency!.video } }, /frequency\.tv.*not reach-and-frequency/);
  });
  it('a saturation other than Hill, lift tests, or a time-varying effect on a reach-and-frequency channel', () => {
    const logistic: ModelSpec = {
      ...base,
      channels: [{ name: 'tv' }, { name: 'video', reachFrequency: true, saturation: { type: 'logistic' } }],
    };
    fails(logistic, { ...raw, frequency: { video: raw.frequency!.video } }, /video\.saturation\.type/);
    const lift = { channel: 'video', start: 2, end: 5, inputChange: 10, lift: 5, sd: 1 };
    fails(base, { ...raw, liftTests: [lift] }, /video\.reachFrequency.*lift tests/);
    fails({ ...base, timeVaryingEffects: ['video'] }, raw, /video\.reachFrequency.*changes over time/);
  });
});

describe('organic media and non-media treatments', () => {
  const raw = simulatedRaw(60, ['tv', 'search'], 8);
  const extra = simulatedRaw(60, ['newsletter', 'price', 'promo'], 9).spend;
  const withBoth: RawModelData = {
    ...raw,
    organic: { newsletter: extra.newsletter },
    treatments: { price: extra.price, promo: extra.promo },
  };
  const spec: ModelSpec = {
    channels: [{ name: 'tv' }, { name: 'search' }],
    controls: ['price_index'],
    organic: [{ name: 'newsletter' }],
    treatments: [{ name: 'price' }, { name: 'promo', prior: { dist: 'normal', mu: 0, sigma: 1 } }],
    seasonality: { order: 1 },
  };
  const rawWith = { ...withBoth, controls: { price_index: raw.controls.price } };
  it('the gradient against central differences (centred and natural)', () => {
    for (const parameterization of ['centered', 'natural'] as const) {
      const s = { ...spec, parameterization };
      const model = buildModel(s, prepareModelData(s, rawWith).data);
      for (const theta of randomPoints(model.density.dim, 2, 17)) expectGradient(model.density, theta);
    }
  });
  it('a geo panel with an organic channel and a treatment: the gradient', () => {
    const small = subset(3, 30);
    const g = geoRaw(small);
    const [first, second] = small.channels;
    const s = geoSpec(small);
    const geoSpec2: ModelSpec = {
      ...s,
      channels: s.channels.slice(1),
      organic: [{ name: first }],
      treatments: [{ name: 'promo' }],
    };
    const { [first]: exposures, ...spend } = g.spend;
    const raw: RawModelData = { ...g, spend, organic: { [first]: exposures }, treatments: { promo: g.spend[second] } };
    const model = buildModel(geoSpec2, prepareModelData(geoSpec2, raw).data);
    for (const theta of randomPoints(model.density.dim, 2, 19)) expectGradient(model.density, theta);
  });

  it('organic media are terms of their own (not media channels); a treatment adds τ·(x − min)/(max − min)', () => {
    const s: ModelSpec = { ...spec, parameterization: 'natural' };
    const { data, scaling } = prepareModelData(s, rawWith);
    const model = buildModel(s, data);
    expect(model.media.map((m) => m.channel.name)).toEqual(['tv', 'search']);
    const values = model.density.constrain(randomPoints(model.density.dim, 1, 3)[0]);
    const parts = model.evaluate(values);
    expect(Object.keys(parts.terms).sort()).toEqual(['newsletter', 'price', 'promo']);
    const x = Array.from(extra.price);
    const [lo, hi] = [Math.min(...x), Math.max(...x)];
    expect(scaling.treatmentMin).toEqual([lo, Math.min(...Array.from(extra.promo))]);
    const tau = values['price.treatment'][0];
    x.forEach((v, t) => expect(parts.terms.price[t]).toBeCloseTo((tau * (v - lo)) / (hi - lo), 12));
    expect(priorFor(s, 'promo.treatment')).toEqual({ dist: 'normal', mu: 0, sigma: 1 });
    expect(priorFor(s, 'newsletter.beta')).toBeDefined();
    // the μ of the model is the sum of every part
    const total = parts.mu.map(
      (_, t) =>
        parts.trend[t] + parts.seasonality[t] + parts.controls[t] + parts.other[t] + parts.contributions[0][t] + parts.contributions[1][t],
    );
    total.forEach((v, t) => expect(parts.mu[t]).toBeCloseTo(v, 10));
  });
  it('typed errors: a series missing or not declared, a constant treatment, an organic ROAS prior', () => {
    expect(() => prepareModelData(spec, { ...rawWith, organic: {} })).toThrow(/organic\.newsletter: is missing/);
    expect(() => prepareModelData(spec, { ...rawWith, treatments: { ...rawWith.treatments, extra: extra.price } })).toThrow(
      /treatments\.extra: is not in spec\.treatments/,
    );
    expect(() => prepareModelData(spec, { ...rawWith, treatments: { price: new Float64Array(60).fill(2), promo: extra.promo } })).toThrow(
      /treatments\.price: is constant/,
    );
    const roas: ModelSpec = { ...spec, organic: [{ name: 'newsletter', roasPrior: { mean: 1, sd: 1 } }] };
    expect(() => buildModel(roas, prepareModelData(roas, rawWith).data)).toThrow(/spec\.organic\.newsletter: has a ROAS prior/);
  });
});
