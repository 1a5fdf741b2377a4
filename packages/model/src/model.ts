import { InvalidInputError } from '@mmm/core';
import { createBlockModel, priorLogDensityGradient, type BlockModel, type Constraint, type ParameterBlock, type PriorSpec } from '@mmm/bayes-nuts';
import {
  adstockFamilies,
  changepointGrid,
  adstockInto,
  adstockVjpPrepared,
  createAdstockWorkspace,
  saturationFamilies,
  type AdstockFamily,
  type AdstockWorkspace,
  type SaturationFamily,
} from '@mmm/transforms';
import type { ModelData } from './data.js';
import { priorFor, type ModelSpec } from './spec.js';
import { noiseOf } from './likelihood.js';

/** One channel's resolved transforms and buffers. @internal */
interface ChannelRuntime {
  name: string;
  adstock: AdstockFamily;
  maxLag: number;
  normalize: boolean;
  saturation: SaturationFamily;
  adstocked: Float64Array;
  saturated: Float64Array;
  /** what the saturation's cached VJP needs (ln of the adstocked input for Hill) */
  satCache: Float64Array;
  ws: AdstockWorkspace;
  gAdstockParams: Float64Array;
  gSatParams: Float64Array;
  adParams: Float64Array;
  satParams: Float64Array;
  /** block names, computed once */
  adNames: string[];
  satNames: string[];
  betaName: string;
  /** the sampled block: `.beta`, or `.effect` (γ = β·s̄) */
  effectName: string;
  betaPrior: PriorSpec;
  /** the value and gradient arrays of the blocks (resolved on the first evaluation: they never change) */
  /** `beta` is the sampled coefficient block: β, or γ = β·s̄ in the centred coordinates */
  refs?: { ad: Float64Array[]; sat: Float64Array[]; beta: Float64Array; gAd: Float64Array[]; gSat: Float64Array[]; gBeta: Float64Array };
}

/** The components of μ_t (see {@link MMM.evaluate}). */
export interface Decomposition {
  mu: Float64Array;
  trend: Float64Array;
  seasonality: Float64Array;
  controls: Float64Array;
  contributions: Float64Array[];
  /** each channel's adstocked (scaled) input, for marginal effects */
  adstocked: Float64Array[];
}

/** The MMM's log density and what is needed to read its draws. */
export interface MMM {
  /** the log density on ℝ^dim with its names, constrain and unconstrain maps */
  readonly density: BlockModel;
  readonly spec: ModelSpec;
  readonly data: ModelData;
  /** constrained parameter names, e.g. `tv.adstock.alpha`, `tv.saturation.slope`, `tv.beta`, `fourier[2]`, `sigma` */
  readonly names: readonly string[];
  /**
   * The decomposition of μ at constrained values by block, in units of mean y: trend (intercept + trend), seasonality,
   * controls, and each channel's contribution β·sat(adstock(x)). Writes into fresh arrays.
   */
  evaluate(values: Readonly<Record<string, ArrayLike<number>>>): Decomposition;
}

/**
 * Builds the MMM of `spec` on prepared data: y_t ~ Normal(μ_t, σ) with
 * μ_t = intercept + trend·τ_t + Σ_k γ_k F_tk + Σ_j δ_j z_tj + Σ_c β_c·sat_c(adstock_c(x_c))_t,
 * parameters constrained and given priors as in the reference `mmm.stan`. The gradient is derived by hand through
 * the transforms' vector-Jacobian products; one evaluation allocates nothing.
 */
export function buildModel(spec: ModelSpec, data: ModelData): MMM {
  if (!spec.channels || spec.channels.length === 0) throw new InvalidInputError('spec.channels', 'is empty', 'Declare at least one media channel.');
  const noise = noiseOf(spec);
  const nu = noise.nu;
  const studentT = Number.isFinite(nu);
  // the Normal branch leaves out −½ log 2π per period; leave the t's constant out to the same extent, so that the two
  // densities agree as ν → ∞
  const tConst = studentT ? noise.logDensity(0, 1) + 0.5 * Math.log(2 * Math.PI) : 0;
  if (spec.parameterization !== undefined && spec.parameterization !== 'centered' && spec.parameterization !== 'natural') {
    throw new InvalidInputError('spec.parameterization', `is "${String(spec.parameterization)}"`, "Use 'centered' (the default) or 'natural'.");
  }
  // centred coordinates: the level instead of the intercept, and each channel's mean contribution γ_c = β_c·s̄_c
  // instead of β_c (see docs/model-math.md): the data pin γ_c down whether the curve is nearly linear or nearly flat,
  // where β_c and the saturation parameters trade off along a curved ridge
  const centred = spec.parameterization !== 'natural';
  const n = data.n;
  const blocks: ParameterBlock[] = [];
  const channels: ChannelRuntime[] = spec.channels.map((ch) => {
    const adType = ch.adstock?.type ?? 'geometric';
    const satType = ch.saturation?.type ?? 'hill';
    const adstock = adstockFamilies[adType];
    const saturation = saturationFamilies[satType];
    if (!adstock) throw new InvalidInputError(`spec.channels.${ch.name}.adstock.type`, `is "${adType}"`, `Use one of ${Object.keys(adstockFamilies).join(', ')}.`);
    if (!saturation) throw new InvalidInputError(`spec.channels.${ch.name}.saturation.type`, `is "${satType}"`, `Use one of ${Object.keys(saturationFamilies).join(', ')}.`);
    const maxLag = ch.adstock?.maxLag ?? 8;
    for (const p of adstock.paramNames) {
      const prior = priorFor(spec, `${ch.name}.adstock.${p}`)!;
      const constraint: Constraint | undefined = adType === 'delayed' && p === 'theta' ? { lower: 0, upper: maxLag - 1 } : adType === 'geometric' || p === 'alpha' ? 'unit' : undefined;
      blocks.push({ name: `${ch.name}.adstock.${p}`, prior, constraint });
    }
    for (const p of saturation.paramNames) {
      const prior = priorFor(spec, `${ch.name}.saturation.${p}`)!;
      blocks.push({ name: `${ch.name}.saturation.${p}`, prior, constraint: satType === 'power' ? 'unit' : 'positive' });
    }
    const betaPrior = priorFor(spec, `${ch.name}.beta`)!;
    if (centred) blocks.push({ name: `${ch.name}.effect`, constraint: 'positive' });
    else blocks.push({ name: `${ch.name}.beta`, prior: betaPrior, constraint: 'positive' });
    return {
      betaPrior,
      effectName: centred ? `${ch.name}.effect` : `${ch.name}.beta`,
      name: ch.name,
      adstock,
      maxLag,
      normalize: ch.adstock?.normalize ?? true,
      saturation,
      adstocked: new Float64Array(n),
      saturated: new Float64Array(n),
      satCache: new Float64Array(n),
      ws: createAdstockWorkspace(adstock, maxLag),
      gAdstockParams: new Float64Array(adstock.paramNames.length),
      gSatParams: new Float64Array(saturation.paramNames.length),
      adParams: new Float64Array(adstock.paramNames.length),
      satParams: new Float64Array(saturation.paramNames.length),
      adNames: adstock.paramNames.map((p) => `${ch.name}.adstock.${p}`),
      satNames: saturation.paramNames.map((p) => `${ch.name}.saturation.${p}`),
      betaName: `${ch.name}.beta`,
    };
  });
  const pri = (k: keyof NonNullable<ModelSpec['priors']>): PriorSpec => priorFor(spec, k)!;
  const trendSpec = spec.trend ?? 'linear';
  const trend = trendSpec !== 'none';
  if (trendSpec !== 'linear' && trendSpec !== 'none' && (typeof trendSpec !== 'object' || trendSpec === null || !('changepoints' in trendSpec))) {
    throw new InvalidInputError('spec.trend', `is ${JSON.stringify(trendSpec)}`, "Use 'linear', 'none' or { changepoints: count or positions in years }.");
  }
  const changepoints = typeof trendSpec === 'object' ? resolveChangepoints(trendSpec, data.time) : new Float64Array(0);
  const P = changepoints.length;
  // hinge features h_jt = max(0, τ_t − s_j) and their means
  const hinges = Array.from(changepoints, (sj) => Float64Array.from(data.time, (tau) => Math.max(0, tau - sj)));
  const hbar = Float64Array.from(hinges, (h) => h.reduce((a, b) => a + b, 0) / n);
  const F = data.fourierColumns;
  const J = data.controls.length;
  // centred: sample the level m = intercept + trend·t̄ + Σ_c β_c·s̄_c (s̄_c the mean of channel c's saturated
  // series) instead of the intercept: μ_t = m + trend·(τ_t − t̄) + Σ_c β_c·(s_ct − s̄_c) + …, so the level no longer
  // trades off against the trend and the media (see docs/model-math.md). The intercept's prior goes in the likelihood.
  let tbar = 0;
  for (let t = 0; t < n; t++) tbar += data.time[t];
  tbar = trend ? tbar / n : 0;
  const interceptPrior = pri('intercept');
  blocks.push(centred ? { name: 'level' } : { name: 'intercept', prior: interceptPrior });
  if (trend) blocks.push({ name: 'trend', prior: pri('trend') });
  if (P > 0) blocks.push({ name: 'changepoint', size: P, prior: pri('changepoint') });
  if (F > 0) blocks.push({ name: 'fourier', size: F, prior: pri('fourier') });
  if (J > 0) blocks.push({ name: 'control', size: J, prior: pri('control') });
  blocks.push({ name: 'sigma', prior: pri('sigma'), constraint: 'positive' });

  const mu = new Float64Array(n);
  const g = new Float64Array(n);
  const gSat = new Float64Array(n);
  const gAd = new Float64Array(n);
  const y = data.y;

  const fillMu = (v: Readonly<Record<string, ArrayLike<number>>>, out: Float64Array, b0: number) => {
    const b1 = trend ? v.trend[0] : 0;
    for (let t = 0; t < n; t++) out[t] = b0 + b1 * data.time[t];
    for (let j = 0; j < P; j++) {
      const dj = v.changepoint[j];
      const h = hinges[j];
      for (let t = 0; t < n; t++) out[t] += dj * h[t];
    }
    if (F > 0) {
      const gf = v.fourier;
      for (let t = 0; t < n; t++) {
        let s = 0;
        const o = t * F;
        for (let k = 0; k < F; k++) s += gf[k] * data.fourier[o + k];
        out[t] += s;
      }
    }
    for (let j = 0; j < J; j++) {
      const dj = v.control[j];
      const z = data.controls[j];
      for (let t = 0; t < n; t++) out[t] += dj * z[t];
    }
  };

  const transformChannel = (c: number, v: Readonly<Record<string, ArrayLike<number>>>) => {
    const ch = channels[c];
    for (let k = 0; k < ch.adNames.length; k++) ch.adParams[k] = v[ch.adNames[k]][0];
    for (let k = 0; k < ch.satNames.length; k++) ch.satParams[k] = v[ch.satNames[k]][0];
    ch.adstock.weightsInto(ch.ws.weights, ch.adParams, ch.normalize);
    adstockInto(ch.adstocked, data.spend[c], ch.ws.weights);
    ch.saturation.valueInto(ch.saturated, ch.adstocked, ch.satParams);
  };

  /** Σ_j δ_j·h̄_j at constrained values */
  const changepointMean = (v: Readonly<Record<string, ArrayLike<number>>>) => {
    let a = 0;
    for (let j = 0; j < P; j++) a += v.changepoint[j] * hbar[j];
    return a;
  };
  const pg = new Float64Array(1);
  const sbar = new Float64Array(channels.length);
  const betas = new Float64Array(channels.length);
  let refs: { intercept: Float64Array; trend?: Float64Array; fourier?: Float64Array; control?: Float64Array; sigma: Float64Array; gIntercept: Float64Array; gTrend?: Float64Array; gFourier?: Float64Array; gControl?: Float64Array; gSigma: Float64Array } | undefined;
  const density = createBlockModel(blocks, (v, grads) => {
    if (!refs) {
      const lv = centred ? 'level' : 'intercept';
      refs = { intercept: v[lv], trend: v.trend, fourier: v.fourier, control: v.control, sigma: v.sigma, gIntercept: grads[lv], gTrend: grads.trend, gFourier: grads.fourier, gControl: grads.control, gSigma: grads.sigma };
      for (const ch of channels) {
        ch.refs = {
          ad: ch.adNames.map((k) => v[k]),
          sat: ch.satNames.map((k) => v[k]),
          beta: v[ch.effectName],
          gAd: ch.adNames.map((k) => grads[k]),
          gSat: ch.satNames.map((k) => grads[k]),
          gBeta: grads[ch.effectName],
        };
      }
    }
    const R = refs;
    // channels first: the centred level needs each channel's mean saturation s̄_c
    let media = 0;
    for (let c = 0; c < channels.length; c++) {
      const ch = channels[c];
      const cr = ch.refs!;
      for (let k = 0; k < cr.ad.length; k++) ch.adParams[k] = cr.ad[k][0];
      for (let k = 0; k < cr.sat.length; k++) ch.satParams[k] = cr.sat[k][0];
      // weights and their Jacobian once per evaluation: the convolution uses the weights, the VJP the Jacobian
      ch.adstock.weightsJacobianInto(ch.ws.jacobian, ch.ws.weights, ch.adParams, ch.normalize);
      adstockInto(ch.adstocked, data.spend[c], ch.ws.weights);
      ch.saturation.valueCacheInto(ch.saturated, ch.satCache, ch.adstocked, ch.satParams);
      let m = 0;
      for (let t = 0; t < n; t++) m += ch.saturated[t];
      sbar[c] = m / n;
      // centred coordinates: β = γ / s̄ and β·s̄ = γ
      betas[c] = centred ? cr.beta[0] / sbar[c] : cr.beta[0];
      media += betas[c] * sbar[c];
    }
    // natural: refs.intercept is the intercept; centred: the level m, and intercept = m − trend·t̄ − Σ β_c s̄_c
    const b0 = centred ? R.intercept[0] - (trend ? R.trend![0] : 0) * tbar - changepointMean(v) - media : R.intercept[0];
    fillMu(v, mu, b0);
    for (let c = 0; c < channels.length; c++) {
      const beta = betas[c];
      const s = channels[c].saturated;
      for (let t = 0; t < n; t++) mu[t] += beta * s[t];
    }
    const sigma = R.sigma[0];
    const inv2 = 1 / (sigma * sigma);
    let ss = 0;
    let gi = 0;
    let gt = 0;
    // Normal: ss = Σ r², g_t = r/σ²; Student-t: ss = Σ (ν+1)/2·log1p(r²/(νσ²)), g_t = (ν+1) r/(νσ² + r²), and
    // gs accumulates Σ (ν+1) r²/(νσ² + r²) for ∂/∂σ
    let gs = 0;
    if (studentT) {
      const nus2 = nu * sigma * sigma;
      for (let t = 0; t < n; t++) {
        const r = y[t] - mu[t];
        const q = nus2 + r * r;
        ss += ((nu + 1) / 2) * Math.log1p((r * r) / nus2);
        const gg = ((nu + 1) * r) / q;
        gs += ((nu + 1) * r * r) / q;
        g[t] = gg;
        gi += gg;
        gt += gg * data.time[t];
      }
    } else {
      for (let t = 0; t < n; t++) {
        const r = y[t] - mu[t];
        ss += r * r;
        const gg = r * inv2;
        g[t] = gg;
        gi += gg;
        gt += gg * data.time[t];
      }
    }
    let extra = 0;
    // centred: G = ∂/∂intercept in full (likelihood and prior); ∂/∂trend gains −t̄·G, and each channel sees the
    // upstream gradient g_t − G/n, the derivative through its centred contribution β_c·(s_ct − s̄_c)
    let gShift = 0;
    if (centred) {
      extra += priorLogDensityGradient(interceptPrior, b0, pg);
      gi += pg[0];
      gt -= tbar * gi;
      gShift = gi / n;
    }
    R.gIntercept[0] += gi;
    if (R.gTrend) R.gTrend[0] += gt;
    if (P > 0) {
      // ∂/∂δ_j = Σ_t g_t h_jt, and in centred coordinates −h̄_j·G through the intercept
      const gc = grads.changepoint;
      for (let j = 0; j < P; j++) {
        const h = hinges[j];
        let a = 0;
        for (let t = 0; t < n; t++) a += g[t] * h[t];
        gc[j] += a - (centred ? hbar[j] * gi : 0);
      }
    }
    if (R.gFourier) {
      const gf = R.gFourier;
      for (let t = 0; t < n; t++) {
        const o = t * F;
        const gg = g[t];
        for (let k = 0; k < F; k++) gf[k] += gg * data.fourier[o + k];
      }
    }
    if (R.gControl) {
      for (let j = 0; j < J; j++) {
        const z = data.controls[j];
        let a = 0;
        for (let t = 0; t < n; t++) a += g[t] * z[t];
        R.gControl[j] += a;
      }
    }
    R.gSigma[0] += studentT ? -n / sigma + gs / sigma : -n / sigma + ss / (sigma * sigma * sigma);
    // channels: β, saturation (VJP), adstock (VJP)
    for (let c = 0; c < channels.length; c++) {
      const ch = channels[c];
      const cr = ch.refs!;
      const beta = betas[c];
      let gb = 0;
      for (let t = 0; t < n; t++) {
        const gc = g[t] - gShift;
        gb += gc * ch.saturated[t];
        gSat[t] = beta * gc;
      }
      if (centred) {
        // β = γ/s̄: β's prior and the log-Jacobian −ln s̄; ∂/∂γ = (∂ℓ/∂β + p'(β))/s̄, and every s_t gains
        // ∂/∂s̄·(1/n) with ∂/∂s̄ = −((∂ℓ/∂β + p'(β))·β + 1)/s̄
        const sb = sbar[c];
        extra += priorLogDensityGradient(ch.betaPrior, beta, pg) - Math.log(sb);
        const db = gb + pg[0];
        cr.gBeta[0] += db / sb;
        const shift = -(db * beta + 1) / sb / n;
        for (let t = 0; t < n; t++) gSat[t] += shift;
      } else cr.gBeta[0] += gb;
      ch.saturation.vjpCached(ch.adstocked, ch.satParams, ch.saturated, ch.satCache, gSat, ch.gSatParams, gAd);
      for (let k = 0; k < cr.gSat.length; k++) cr.gSat[k][0] += ch.gSatParams[k];
      // where the adstocked input is exactly 0 there was no spend in the whole window: it stays 0 whatever the adstock
      // parameters, so it adds nothing to their gradient (the saturation's slope at 0 may be infinite, as for Hill
      // with S < 1; mmm.stan likewise saturates only the positive weeks)
      for (let t = 0; t < n; t++) if (ch.adstocked[t] === 0) gAd[t] = 0;
      adstockVjpPrepared(ch.adParams.length, data.spend[c], gAd, ch.gAdstockParams, ch.ws);
      for (let k = 0; k < cr.gAd.length; k++) cr.gAd[k][0] += ch.gAdstockParams[k];
    }
    return studentT ? n * tConst - n * Math.log(sigma) - ss + extra : -n * Math.log(sigma) - 0.5 * ss * inv2 + extra;
  });

  /** s̄_c of every channel at constrained values */
  const meanSaturations = (v: Readonly<Record<string, ArrayLike<number>>>) =>
    channels.map((ch, c) => {
      transformChannel(c, v);
      let m = 0;
      for (let t = 0; t < n; t++) m += ch.saturated[t];
      return m / n;
    });
  const rename = (nm: string) => (nm === 'level' ? 'intercept' : nm.endsWith('.effect') ? `${nm.slice(0, -'.effect'.length)}.beta` : nm);
  // the natural parameters outside: intercept = m − trend·t̄ − Σ_j δ_j h̄_j − Σ_c γ_c and β_c = γ_c / s̄_c (one pass of
  // the transforms per channel for the s̄_c; Σ_c β_c s̄_c is Σ_c γ_c)
  const outer: BlockModel = centred
    ? {
        dim: density.dim,
        names: density.names.map(rename),
        blocks: density.blocks.map((b) => ({ ...b, name: rename(b.name) })),
        logDensityGradient: (theta, grad) => density.logDensityGradient(theta, grad),
        constrain(theta) {
          const { level, ...rest } = density.constrain(theta);
          const sb = meanSaturations(rest);
          let media = 0;
          channels.forEach((ch, c) => {
            media += rest[ch.effectName][0];
            rest[ch.betaName] = Float64Array.of(rest[ch.effectName][0] / sb[c]);
            delete rest[ch.effectName];
          });
          return { ...rest, intercept: Float64Array.of(level[0] - (trend ? rest.trend[0] : 0) * tbar - changepointMean(rest) - media) };
        },
        unconstrain(values) {
          const { intercept, ...rest0 } = values;
          const rest: Record<string, ArrayLike<number>> = { ...rest0 };
          for (const name of ['intercept', ...channels.map((ch) => ch.betaName)]) {
            if (!values[name]) throw new InvalidInputError(`values.${name}`, 'is missing', 'Give a value for every parameter block.');
          }
          const sb = meanSaturations(rest);
          let media = 0;
          channels.forEach((ch, c) => {
            const gamma = rest[ch.betaName][0] * sb[c];
            rest[ch.effectName] = [gamma];
            media += gamma;
          });
          return density.unconstrain({ ...rest, level: [intercept[0] + (trend && rest.trend ? rest.trend[0] : 0) * tbar + changepointMean(rest) + media] });
        },
      }
    : density;
  return {
    density: outer,
    spec,
    data,
    names: outer.names,
    evaluate(v) {
      const trendPart = new Float64Array(n);
      const seasonality = new Float64Array(n);
      const controlPart = new Float64Array(n);
      const b1 = trend ? v.trend[0] : 0;
      for (let t = 0; t < n; t++) {
        trendPart[t] = v.intercept[0] + b1 * data.time[t];
        for (let j = 0; j < P; j++) trendPart[t] += v.changepoint[j] * hinges[j][t];
        for (let k = 0; k < F; k++) seasonality[t] += v.fourier[k] * data.fourier[t * F + k];
        for (let j = 0; j < J; j++) controlPart[t] += v.control[j] * data.controls[j][t];
      }
      const out = new Float64Array(n);
      for (let t = 0; t < n; t++) out[t] = trendPart[t] + seasonality[t] + controlPart[t];
      const adstocked: Float64Array[] = [];
      const contributions = channels.map((ch, c) => {
        transformChannel(c, v);
        adstocked.push(Float64Array.from(ch.adstocked));
        const beta = v[ch.betaName][0];
        const contrib = ch.saturated.map((s) => beta * s);
        for (let t = 0; t < n; t++) out[t] += contrib[t];
        return contrib;
      });
      return { mu: out, trend: trendPart, seasonality, controls: controlPart, contributions, adstocked };
    },
  };
}

/** Changepoint positions in years: given, or `count` spread evenly over the first `range` of the time axis. @internal */
function resolveChangepoints(spec: { changepoints: number | number[]; range?: number }, time: Float64Array): Float64Array {
  const cp = spec.changepoints;
  if (Array.isArray(cp)) {
    cp.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new InvalidInputError(`spec.trend.changepoints[${j}]`, `is ${v}`, 'Give changepoint positions in years from the first period.');
    });
    return Float64Array.from(cp);
  }
  if (!(Number.isInteger(cp) && cp >= 0)) throw new InvalidInputError('spec.trend.changepoints', `is ${String(cp)}`, 'Give a count (a whole number ≥ 0) or the positions in years.');
  return changepointGrid(time, cp, spec.range ?? 0.8);
}
