import { describe, expect, it } from 'vitest';
import { buildModel, prepareModelData, priorFor, DEFAULT_BASELINE_PRIORS, type ModelSpec } from '../src/index.js';

describe('priorFor', () => {
  const spec: ModelSpec = {
    channels: [
      { name: 'tv', coefficientPrior: { dist: 'halfNormal', sigma: 2 }, saturation: { type: 'logistic' } },
      { name: 'tv.radio', adstock: { type: 'delayed', priors: { theta: { dist: 'halfNormal', sigma: 1 } } } },
    ],
    controls: ['price'],
    priors: { sigma: { dist: 'halfNormal', sigma: 0.2 } },
  };
  it('gives every parameter of the model its prior, with the overrides applied', () => {
    expect(priorFor(spec, 'tv.beta')).toEqual({ dist: 'halfNormal', sigma: 2 });
    expect(priorFor(spec, 'tv.saturation.lambda')).toEqual({ dist: 'gamma', alpha: 3, beta: 1 });
    expect(priorFor(spec, 'tv.adstock.alpha')).toEqual({ dist: 'beta', alpha: 1, beta: 3 });
    expect(priorFor(spec, 'tv.radio.adstock.theta')).toEqual({ dist: 'halfNormal', sigma: 1 });
    expect(priorFor(spec, 'tv.radio.beta')).toEqual(DEFAULT_BASELINE_PRIORS.coefficient);
    expect(priorFor(spec, 'fourier[3]')).toEqual(DEFAULT_BASELINE_PRIORS.fourier);
    expect(priorFor(spec, 'sigma')).toEqual({ dist: 'halfNormal', sigma: 0.2 });
    expect(priorFor(spec, 'radio.beta')).toBeUndefined();
  });
  it('knows every parameter the built model has', () => {
    const n = 60;
    const { data } = prepareModelData(spec, {
      y: Array.from({ length: n }, (_, i) => 100 + (i % 5)),
      spend: { tv: Array.from({ length: n }, (_, i) => 1 + (i % 3)), 'tv.radio': Array.from({ length: n }, (_, i) => 2 + (i % 4)) },
      controls: { price: Array.from({ length: n }, (_, i) => Math.sin(i)) },
    });
    const model = buildModel(spec, data);
    expect(model.names.length).toBeGreaterThan(10);
    for (const name of model.names) expect(priorFor(spec, name), name).toBeDefined();
  });
});
