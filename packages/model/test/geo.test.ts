// The hierarchical geo model (terms/geo.ts) against mmm_geo.stan written out independently here, central
// differences for every block, and the centred coordinates as a change of variables of the same posterior.
import { describe, expect, it } from 'vitest';
import { hillSaturation, type SaturationFamily } from '@mmm/transforms';
import { buildModel, prepareModelData, simulate, type ModelSpec } from '../src/index.js';
import { geoRaw, geoSpec, subset, type GeoStanData } from './geo-reference.js';
import { expectGradient, randomPoints } from './helpers.js';

/**
 * mmm_geo.stan's log density on its unconstrained scale (lp__ with every constant), from the raw data, written from
 * the Stan file without the library: transformed data, model block, priors and the Jacobians of the constraints.
 */
function stanLogDensity(d: GeoStanData, v: Record<string, ArrayLike<number>>, o: Options = {}): number {
  const { G, N, C, L, J, F } = d;
  let yScale = 0;
  for (let g = 0; g < G; g++) for (let t = 0; t < N; t++) yScale += d.y[g][t] / d.population[g];
  yScale /= G * N;
  const m = Array.from({ length: C }, (_, c) => {
    let acc = 0;
    let on = 0;
    for (let g = 0; g < G; g++)
      for (let t = 0; t < N; t++)
        if (d.spend[g][t][c] > 0) {
          acc += d.spend[g][t][c] / d.population[g];
          on++;
        }
    return on > 0 ? acc / on : 1;
  });
  const zc = Array.from({ length: J }, (_, j) => {
    let mj = 0;
    for (let g = 0; g < G; g++) for (let t = 0; t < N; t++) mj += d.controls[t][j];
    mj /= G * N;
    let vj = 0;
    for (let g = 0; g < G; g++) for (let t = 0; t < N; t++) vj += (d.controls[t][j] - mj) ** 2;
    vj = Math.sqrt(vj / (G * N - 1));
    return (t: number) => (d.controls[t][j] - mj) / vj;
  });
  const lnorm = (x: number, mu: number, s: number) => -0.5 * Math.log(2 * Math.PI) - Math.log(s) - (0.5 * (x - mu) ** 2) / (s * s);
  const lgammaPdf = (x: number, a: number, b: number) => a * Math.log(b) - lgamma(a) + (a - 1) * Math.log(x) - b * x;
  const lbetaPdf = (x: number, a: number, b: number) =>
    lgamma(a + b) - lgamma(a) - lgamma(b) + (a - 1) * Math.log(x) + (b - 1) * Math.log(1 - x);
  const halfNormal = (x: number, s: number) => Math.log(2) + lnorm(x, 0, s);
  const sigmaOf = (g: number) => (v.sigma.length > 1 ? v.sigma[g] : v.sigma[0]);
  let lp = 0;
  for (let g = 0; g < G; g++) {
    const sigma = sigmaOf(g);
    for (let t = 0; t < N; t++) {
      let mu = v.baseline[g] + (v.trend[0] + (o.geoTrend ? v['trend.sd'][0] * v['trend.geo'][g] : 0)) * (t / 52);
      for (let k = 1; k <= F; k++)
        mu +=
          v.fourier[2 * k - 2] * Math.sin((2 * Math.PI * k * t) / d.period) +
          v.fourier[2 * k - 1] * Math.cos((2 * Math.PI * k * t) / d.period);
      for (let j = 0; j < J; j++) mu += v.control[j] * zc[j](t);
      d.channels.forEach((ch, c) => {
        const alpha = v[`${ch}.adstock.alpha`][0];
        let wsum = 0;
        let a = 0;
        for (let l = 0; l < L; l++) {
          wsum += alpha ** l;
          if (t - l >= 0) a += alpha ** l * (d.spend[g][t - l][c] / d.population[g] / m[c]);
        }
        a /= wsum;
        const K = v[`${ch}.saturation.halfSaturation`][0];
        const S = v[`${ch}.saturation.slope`][0];
        const s = a > 0 ? 1 / (1 + Math.exp(-S * (Math.log(a) - Math.log(K)))) : 0;
        mu += coefficient(v, ch, g, o) * s;
      });
      lp += lnorm(d.y[g][t] / d.population[g] / yScale, mu, sigma);
    }
  }
  for (const ch of d.channels) {
    const alpha = v[`${ch}.adstock.alpha`][0];
    const K = v[`${ch}.saturation.halfSaturation`][0];
    const S = v[`${ch}.saturation.slope`][0];
    lp += lbetaPdf(alpha, 1, 3) + Math.log(alpha * (1 - alpha));
    lp += lgammaPdf(K, 3, 3) + Math.log(K) + lgammaPdf(S, 3, 2) + Math.log(S);
    // a geo held out of pooling, or a channel pooled nowhere: β_gc ~ HalfNormal(1) on its log scale
    if (!o.unpooled?.includes(ch)) {
      const beta = v[`${ch}.beta`][0];
      const eta = v[`${ch}.eta`][0];
      lp += halfNormal(beta, 1) + Math.log(beta) + halfNormal(eta, 0.5) + Math.log(eta);
    }
    for (let g = 0; g < G; g++) {
      if (o.unpooled?.includes(ch) || o.heldOut?.includes(g))
        lp += halfNormal(coefficient(v, ch, g, o), 1) + Math.log(coefficient(v, ch, g, o));
      else lp += lnorm(v[`${ch}.z`][g], 0, 1);
    }
  }
  const tauMu = v['baseline.mean'][0];
  const tauSd = v['baseline.sd'][0];
  lp += lnorm(tauMu, 0, 2) + halfNormal(tauSd, 0.5) + Math.log(tauSd);
  for (let g = 0; g < G; g++) lp += o.heldOut?.includes(g) ? lnorm(v.baseline[g], 0, 2) : lnorm(v.baseline[g], tauMu, tauSd);
  lp += lnorm(v.trend[0], 0, 0.5);
  if (o.geoTrend) {
    lp += halfNormal(v['trend.sd'][0], 0.1) + Math.log(v['trend.sd'][0]);
    for (let g = 0; g < G; g++) lp += lnorm(v['trend.geo'][g], 0, 1);
  }
  for (const x of v.fourier as ArrayLike<number> & Iterable<number>) lp += lnorm(x, 0, 0.5);
  for (const x of v.control as ArrayLike<number> & Iterable<number>) lp += lnorm(x, 0, 0.5);
  for (let k = 0; k < v.sigma.length; k++) lp += halfNormal(v.sigma[k], 0.5) + Math.log(v.sigma[k]);
  return lp;
}

/** Options of the geo model beyond mmm_geo.stan: a pooled trend per geo, geos held out of pooling, unpooled channels. */
interface Options {
  geoTrend?: boolean;
  heldOut?: number[];
  unpooled?: string[];
}

/** β_gc: each geo's own for an unpooled channel, else β_c·exp(η_c z_gc) (reported so for held-out geos too). */
function coefficient(v: Record<string, ArrayLike<number>>, ch: string, g: number, o: Options): number {
  return o.unpooled?.includes(ch) ? v[`${ch}.beta`][g] : v[`${ch}.beta`][0] * Math.exp(v[`${ch}.eta`][0] * v[`${ch}.z`][g]);
}

/** ln Γ by Lanczos (g = 7, 9 terms): independent of the library's stdlib special functions. */
function lgamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

describe('the geo model', () => {
  const small = subset(3, 40);
  const spec = geoSpec(small);
  const { data } = prepareModelData(spec, geoRaw(small));

  it('lays out the panel and names the geo blocks', () => {
    expect(data.geos).toMatchObject({ count: 3, periods: 40 });
    const m = buildModel(spec, data);
    expect(m.names).toContain('tv.eta');
    expect(m.names).toContain('tv.z[3]');
    expect(m.names).toContain('baseline[3]');
    expect(m.names).toContain('baseline.sd');
    // 3 channels × (α, K, S, β, η, 3 z) + τ_μ, τ_σ, 3 τ + trend + 4 Fourier + 2 controls + σ
    expect(m.density.dim).toBe(3 * 8 + 5 + 1 + 4 + 2 + 1);
  });

  it('equals mmm_geo.stan written out independently (differences of the log density between points, natural coordinates)', () => {
    const m = buildModel({ ...spec, parameterization: 'natural' }, data);
    const points = randomPoints(m.density.dim, 4, 17).map((p) => p.map((x) => 0.5 * x));
    const ours = points.map((p) => m.density.logDensityGradient(p, new Float64Array(m.density.dim)));
    const stan = points.map((p) => stanLogDensity(small, m.density.constrain(p)));
    for (let k = 1; k < points.length; k++)
      expect(Math.abs(ours[k] - ours[0] - (stan[k] - stan[0]))).toBeLessThan(1e-8 * Math.max(1, Math.abs(stan[k])));
  });

  it('one noise scale per geo: σ_g in the likelihood of each geo (against the independent mmm_geo.stan, σ per geo)', () => {
    const s: ModelSpec = { ...spec, parameterization: 'natural', noise: 'perGeo' };
    const m = buildModel(s, data);
    expect(m.names.filter((n) => n.startsWith('sigma'))).toEqual(['sigma[1]', 'sigma[2]', 'sigma[3]']);
    const points = randomPoints(m.density.dim, 4, 19).map((p) => p.map((x) => 0.5 * x));
    const ours = points.map((p) => m.density.logDensityGradient(p, new Float64Array(m.density.dim)));
    const stan = points.map((p) => stanLogDensity(small, m.density.constrain(p)));
    for (let k = 1; k < points.length; k++)
      expect(Math.abs(ours[k] - ours[0] - (stan[k] - stan[0]))).toBeLessThan(1e-8 * Math.max(1, Math.abs(stan[k])));
    for (const theta of randomPoints(m.density.dim, 2, 7))
      expectGradient(
        m.density,
        theta.map((x) => 0.7 * x),
      );
    expect(() =>
      buildModel(
        { channels: [{ name: 'tv' }], noise: 'perGeo' },
        prepareModelData({ channels: [{ name: 'tv' }] }, { y: [1, 2, 3, 4], spend: { tv: [1, 0, 2, 1] } }).data,
      ),
    ).toThrow(/spec\.noise: is 'perGeo' for national data/);
  });

  for (const parameterization of ['centered', 'natural'] as const) {
    it(`gradient against central differences (${parameterization} coordinates, with changepoints)`, () => {
      const s: ModelSpec = { ...spec, parameterization, trend: { changepoints: [0.3] } };
      const m = buildModel(s, prepareModelData(s, geoRaw(small)).data);
      for (const theta of randomPoints(m.density.dim, 3, 5))
        expectGradient(
          m.density,
          theta.map((x) => 0.7 * x),
        );
    });
  }

  it('the default curve in one forward-mode pass (geometric + Hill) equals the reverse-mode path; other curves pass central differences', () => {
    // the geo model's Hill priors, given by hand to a curve of one's own
    const hillPriors = { halfSaturation: { dist: 'gamma', alpha: 3, beta: 3 }, slope: { dist: 'gamma', alpha: 3, beta: 2 } } as const;
    for (const parameterization of ['centered', 'natural'] as const) {
      const s: ModelSpec = {
        ...spec,
        parameterization,
        channels: spec.channels.map((c) => ({ ...c, saturation: { type: 'hill', priors: hillPriors } })),
      };
      const fused = buildModel(s, data);
      // a copy of Hill is not the registry's object, so the term takes the reverse-mode path (values, then the VJPs)
      const reverse = buildModel(s, data, {
        saturation: Object.fromEntries(small.channels.map((c) => [c, { ...hillSaturation } as SaturationFamily])),
      });
      for (const theta of randomPoints(fused.density.dim, 3, 11)) {
        const g0 = new Float64Array(fused.density.dim);
        const lp0 = fused.density.logDensityGradient(theta, g0);
        const g1 = new Float64Array(fused.density.dim);
        const lp1 = reverse.density.logDensityGradient(theta, g1);
        expect(Math.abs(lp1 - lp0)).toBeLessThanOrEqual(1e-12 * Math.abs(lp0));
        for (let i = 0; i < g0.length; i++)
          expect(Math.abs(g1[i] - g0[i]), `${parameterization} ${fused.density.names[i]}`).toBeLessThanOrEqual(
            1e-9 * (1 + Math.abs(g0[i])),
          );
      }
    }
    const curves: ModelSpec['channels'][number][] = [
      { name: '', adstock: { type: 'delayed', maxLag: 6 }, saturation: { type: 'tanh' } },
      { name: '', adstock: { type: 'weibullPdf', maxLag: 6 }, saturation: { type: 'logistic' } },
      { name: '', adstock: { type: 'weibullCdf', maxLag: 6 }, saturation: { type: 'michaelisMenten' } },
    ];
    for (const parameterization of ['centered', 'natural'] as const) {
      const s: ModelSpec = {
        ...spec,
        parameterization,
        channels: spec.channels.map((c, i) => ({ ...curves[i % curves.length], name: c.name })),
      };
      const m = buildModel(s, prepareModelData(s, geoRaw(small)).data);
      for (const theta of randomPoints(m.density.dim, 2, 13))
        expectGradient(
          m.density,
          theta.map((x) => 0.7 * x),
        );
    }
  });

  it('the centred coordinates are a change of variables of the same posterior (the densities differ by the log-Jacobian)', () => {
    const centred = buildModel(spec, data).density;
    const natural = buildModel({ ...spec, parameterization: 'natural' }, data).density;
    expect(centred.names).toEqual(natural.names);
    for (const theta of randomPoints(centred.dim, 4, 23)) {
      const values = centred.constrain(theta);
      const back = centred.unconstrain(values);
      for (let i = 0; i < theta.length; i++) expect(back[i]).toBeCloseTo(theta[i], 9);
      const lpC = centred.logDensityGradient(theta, new Float64Array(centred.dim));
      const lpN = natural.logDensityGradient(natural.unconstrain(values), new Float64Array(natural.dim));
      // the levels and mean contributions are shears (Jacobian 1); τ_μ = τ̄ + (τ_σ/√G)·u has Jacobian τ_σ/√G
      const logJacobian = Math.log(values['baseline.sd'][0]) - 0.5 * Math.log(3);
      expect(Math.abs(lpC - lpN - logJacobian)).toBeLessThan(1e-8 * Math.max(1, Math.abs(lpN)));
    }
  });

  it('decomposes μ into per-geo baselines, shared terms and per-geo media contributions', () => {
    const m = buildModel(spec, data);
    const values = m.density.constrain(randomPoints(m.density.dim, 1, 3)[0]);
    const d = m.evaluate(values);
    const T = 40;
    // the baseline component starts each geo at its own τ_g (plus the trend, 0 in the first week)
    for (let g = 0; g < 3; g++) expect(d.trend[g * T]).toBeCloseTo(values.baseline[g], 12);
    // each channel's contribution is its per-geo coefficient β·e^(η z_g) times the Hill curve of its adstocked input
    m.media.forEach(({ channel }, c) => {
      const K = values[channel.names.saturation[0]][0];
      const S = values[channel.names.saturation[1]][0];
      for (let i = 0; i < 3 * T; i += 7) {
        const g = Math.floor(i / T);
        expect(d.coefficients[c][i]).toBeCloseTo(
          values[channel.names.beta][0] * Math.exp(values[channel.names.scatter][0] * values[channel.names.geoDeviates][g]),
          12,
        );
        const a = d.adstocked[c][i];
        const hill = a > 0 ? a ** S / (K ** S + a ** S) : 0;
        expect(d.contributions[c][i]).toBeCloseTo(d.coefficients[c][i] * hill, 12);
      }
    });
    for (let i = 0; i < 3 * T; i++)
      expect(d.mu[i]).toBeCloseTo(d.trend[i] + d.seasonality[i] + d.controls[i] + d.contributions.reduce((a, c) => a + c[i], 0), 12);
  });
});

describe('simulate on a geo panel', () => {
  it('gives each geo-period population × yScale × the geo model’s mean, and noise of sd σ in those units', () => {
    const small = subset(3, 40);
    const spec = geoSpec(small);
    const raw = geoRaw(small);
    const m = buildModel(spec, prepareModelData(spec, raw).data);
    const params = m.density.constrain(randomPoints(m.density.dim, 1, 41)[0].map((x) => 0.5 * x));
    const sim = simulate(spec, { spend: raw.spend, controls: raw.controls, geo: raw.geo }, params, { seed: 3, yScale: 2 });
    // independent: geo 2's tv contribution at week 20, β·e^(η z_2)·Hill(adstock of per-capita spend / m_tv)
    const g = 1;
    const t = 20;
    let m0 = 0;
    let on = 0;
    for (let k = 0; k < 3; k++)
      for (let s = 0; s < 40; s++)
        if (small.spend[k][s][0] > 0) {
          m0 += small.spend[k][s][0] / small.population[k];
          on++;
        }
    m0 /= on;
    const alpha = params['tv.adstock.alpha'][0];
    let a = 0;
    let w = 0;
    for (let l = 0; l < 8; l++) {
      w += alpha ** l;
      if (t - l >= 0) a += alpha ** l * (small.spend[g][t - l][0] / small.population[g] / m0);
    }
    a /= w;
    const K = params['tv.saturation.halfSaturation'][0];
    const S = params['tv.saturation.slope'][0];
    const hill = a > 0 ? a ** S / (K ** S + a ** S) : 0;
    const expected = small.population[g] * 2 * params['tv.beta'][0] * Math.exp(params['tv.eta'][0] * params['tv.z'][g]) * hill;
    expect(sim.contributions.tv[g * 40 + t]).toBeCloseTo(expected, 8);
    // the noise, in each geo-period's units, has sd σ (4 standard errors of an sd from 120 draws)
    const z = Array.from(sim.y, (y, i) => (y - sim.mu[i]) / (small.population[Math.floor(i / 40)] * 2));
    const sd = Math.sqrt(z.reduce((acc, v) => acc + v * v, 0) / z.length);
    expect(Math.abs(sd - params.sigma[0])).toBeLessThan((4 * params.sigma[0]) / Math.sqrt(2 * z.length));
  });
});

describe('geo model options: a trend per geo, geos held out of pooling, unpooled channels', () => {
  // 4 geos; tv dark in geo 1 (held out) and search (unpooled) dark in geo 0, so a held-out or unpooled geo without
  // spend is covered too
  const d = subset(4, 40);
  const dark = {
    ...d,
    spend: d.spend.map((rows, g) => rows.map((x) => x.map((v, c) => ((g === 1 && c === 0) || (g === 0 && c === 1) ? 0 : v)))),
  };
  const raw = geoRaw(dark);
  const options: Options = { geoTrend: true, heldOut: [1], unpooled: ['search'] };
  const spec: ModelSpec = { ...geoSpec(dark), geoTrend: true, unpooled: { channels: ['search'], geos: ['north'] } };
  const named = { ...raw, geo: { ...raw.geo!, names: ['south', 'north', 'east', 'west'] } };
  const { data } = prepareModelData(spec, named);

  it('names the blocks: per-geo slopes, a held-out geo, per-geo β for an unpooled channel', () => {
    const m = buildModel(spec, data);
    expect(m.names).toEqual(
      expect.arrayContaining(['trend', 'trend.sd', 'trend.geo[4]', 'search.beta[4]', 'tv.z[4]', 'tv.eta', 'baseline[4]']),
    );
    expect(m.names).not.toContain('search.eta');
    expect(m.names).not.toContain('search.z[1]');
  });

  it('equals the extended mmm_geo.stan written out independently (natural coordinates)', () => {
    const m = buildModel({ ...spec, parameterization: 'natural' }, data);
    const points = randomPoints(m.density.dim, 5, 29).map((p) => p.map((x) => 0.5 * x));
    const ours = points.map((p) => m.density.logDensityGradient(p, new Float64Array(m.density.dim)));
    const stan = points.map((p) => stanLogDensity(dark, m.density.constrain(p), options));
    for (let k = 1; k < points.length; k++)
      expect(Math.abs(ours[k] - ours[0] - (stan[k] - stan[0]))).toBeLessThan(1e-8 * Math.max(1, Math.abs(stan[k])));
  });

  for (const parameterization of ['centered', 'natural'] as const) {
    it(`gradient against central differences (${parameterization} coordinates)`, () => {
      const m = buildModel({ ...spec, parameterization }, data);
      for (const theta of randomPoints(m.density.dim, 3, 31))
        expectGradient(
          m.density,
          theta.map((x) => 0.7 * x),
        );
    });
  }

  it('the centred coordinates are a change of variables of the same posterior', () => {
    const centred = buildModel(spec, data).density;
    const natural = buildModel({ ...spec, parameterization: 'natural' }, data).density;
    for (const theta of randomPoints(centred.dim, 4, 37)) {
      const values = centred.constrain(theta);
      const back = centred.unconstrain(values);
      for (let i = 0; i < theta.length; i++) expect(back[i]).toBeCloseTo(theta[i], 9);
      const lpC = centred.logDensityGradient(theta, new Float64Array(centred.dim));
      const lpN = natural.logDensityGradient(natural.unconstrain(values), new Float64Array(natural.dim));
      // τ_μ = τ̄ + (τ_σ/√G)·u over the 3 pooled geos; the held-out geos' ln(β·s̄) is a shift of ln β (Jacobian 1)
      expect(Math.abs(lpC - lpN - (Math.log(values['baseline.sd'][0]) - 0.5 * Math.log(3)))).toBeLessThan(
        1e-8 * Math.max(1, Math.abs(lpN)),
      );
    }
  });

  it('a held-out geo is free of the hierarchy: its baseline and effects do not move τ_μ, τ_σ or η', () => {
    const m = buildModel({ ...spec, parameterization: 'natural' }, data);
    const v = m.density.constrain(randomPoints(m.density.dim, 1, 41)[0]);
    const lp = (w: Record<string, ArrayLike<number>>) =>
      m.density.logDensityGradient(m.density.unconstrain(w), new Float64Array(m.density.dim));
    // moving the held-out geo's baseline far away changes the density by its own prior and likelihood only: the same
    // change with τ_σ doubled
    const shift = (w: Record<string, Float64Array>, tauSd: number, tau: number) => ({
      ...w,
      'baseline.sd': Float64Array.of(tauSd),
      baseline: Float64Array.from(w.baseline, (x, g) => (g === 1 ? x + tau : x)),
    });
    const s0 = v['baseline.sd'][0];
    const a = lp(shift(v, s0, 3)) - lp(shift(v, s0, 0));
    const b = lp(shift(v, 2 * s0, 3)) - lp(shift(v, 2 * s0, 0));
    expect(Math.abs(a - b)).toBeLessThan(1e-9 * Math.max(1, Math.abs(a)));
  });

  it('refuses what it cannot do, naming the field', () => {
    const national = prepareModelData({ channels: [{ name: 'tv' }] }, { y: [1, 2, 3, 4], spend: { tv: [1, 0, 2, 1] } }).data;
    expect(() => buildModel({ channels: [{ name: 'tv' }], geoTrend: true }, national)).toThrow(/spec\.geoTrend: is true for national data/);
    expect(() => buildModel({ channels: [{ name: 'tv' }], unpooled: { channels: ['tv'] } }, national)).toThrow(
      /spec\.unpooled: is set for national data/,
    );
    expect(() => buildModel({ ...spec, unpooled: { channels: ['radio'] } }, data)).toThrow(/spec\.unpooled\.channels\[0\]: is "radio"/);
    expect(() => buildModel({ ...spec, unpooled: { geos: ['mars'] } }, data)).toThrow(/spec\.unpooled\.geos\[0\]: is "mars"/);
    expect(() => buildModel({ ...spec, unpooled: { geos: ['north', 'south', 'east'] } }, data)).toThrow(/leaves 1 geo pooled/);
    expect(() => buildModel({ ...spec, trend: { changepoints: 2 } }, data)).toThrow(/spec\.geoTrend: is true with trend/);
    expect(() => buildModel({ ...spec, unpooled: { geos: ['north'] }, roasPrior: { mean: 2, sd: 1 } }, data)).toThrow(
      /roasPrior: is set on a channel with geos held out/,
    );
  });

  it('simulates from the options and decomposes μ with each geo its own slope and coefficients', () => {
    const m = buildModel(spec, data);
    const values = m.density.constrain(randomPoints(m.density.dim, 1, 43)[0]);
    const dd = m.evaluate(values);
    const T = 40;
    for (let g = 0; g < 4; g++) {
      const slope = values.trend[0] + values['trend.sd'][0] * values['trend.geo'][g];
      expect(dd.trend[g * T + 10] - dd.trend[g * T]).toBeCloseTo(slope * (10 / 52), 12);
    }
    const search = m.media.findIndex((x) => x.channel.name === 'search');
    for (let g = 0; g < 4; g++) expect(dd.coefficients[search][g * T + 5]).toBeCloseTo(values['search.beta'][g], 12);
  });
});
