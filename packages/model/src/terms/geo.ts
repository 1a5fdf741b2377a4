// The two terms of the hierarchical geo model (reference: shared/reference/stan/geo/mmm_geo.stan): partially pooled
// geo baselines, and media effects shared in shape across geos and scattered log-normally in size. The data are a
// geo-major panel (ModelData.geos); trend, seasonality and controls are the national terms on the flattened panel.
import { InvalidInputError } from '@mmm/core';
import { priorLogDensityGradient, type PriorSpec } from '@mmm/bayes-nuts';
import {
  adstockParamsVjpPrepared,
  adstockPreparedInto,
  geometricAdstockFamily,
  geometricHillJacobianInto,
  hillSaturation,
} from '@mmm/transforms';
import type { ResolvedChannel } from '../channel.js';
import type { ModelData } from '../data.js';
import { curveBlocks, curveParameters, mediaWorkspace, type MediaCalibration, type MediaTerm } from './media.js';
import { liftTests as makeLiftTests } from './lift.js';
import { copyBlocks, type BlockValues, type ModelTerm, type TermFactory } from './term.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** The geo panel's shape, or a typed error when the data are national. @internal */
function panel(data: ModelData): { G: number; T: number } {
  if (!data.geos) throw new InvalidInputError('data.geos', 'is missing', 'Geo terms need geo data: pass raw.geo to prepareModelData.');
  return { G: data.geos.count, T: data.geos.periods };
}

/** Priors of the geo baselines' hierarchy. */
export interface GeoBaselinePriors {
  /** the mean of the geo baselines, τ_μ; @defaultValue Normal(0, 2) */
  mean: PriorSpec;
  /** their spread, τ_σ; @defaultValue HalfNormal(0.5) */
  sd: PriorSpec;
}

/**
 * Geo baselines τ_g ~ Normal(τ_μ, τ_σ), partially pooled: the constant of each geo's mean (blocks `baseline.mean`,
 * `baseline.sd` and `baseline`, size G). Geos held out of pooling (`pooling.free`) take τ_μ's prior instead and do
 * not inform τ_μ or τ_σ.
 *
 * In the centred coordinates the sampler moves in each geo's level m_g = τ_g + ō + ō_g (ō the shared terms'
 * offsets, ō_g the geo media terms' offsets for geo g), as the national intercept; the hierarchical prior is
 * evaluated at τ_g = m_g − ō − ō_g. It sets `level.geoGradient[g]` = G_g = ∂ log p/∂τ_g and `level.gradient` = Σ_g G_g.
 */
export function geoBaselineTerm(priors: GeoBaselinePriors, pooling: GeoPooling = {}): TermFactory {
  // long: a term is one closure whose methods share the workspace made here; backward is the hierarchy's chain rule
  return ({ data, centred }): ModelTerm => {
    const { G, T } = panel(data);
    const free = Uint8Array.from({ length: G }, (_, g) => (pooling.free?.[g] ? 1 : 0));
    const nPooled = G - free.reduce((a, b) => a + b, 0);
    if (nPooled < 2)
      throw new InvalidInputError(
        'spec.unpooled.geos',
        `leaves ${nPooled} geo${nPooled === 1 ? '' : 's'} pooled`,
        'Pool at least two geos (or fit the geos separately).',
      );
    const block = centred ? 'level' : 'baseline';
    // centred: τ_μ = τ̄ + (τ_σ/√G)·u with u sampled (block `baseline.shift`), since given the geo baselines τ_μ is about
    // Normal(τ̄, τ_σ/√G): u is about standard normal whatever τ_σ, which removes the τ_μ–τ_σ funnel (τ̄ and G over the
    // pooled geos)
    const meanBlock = centred ? 'baseline.shift' : 'baseline.mean';
    const rootG = Math.sqrt(nPooled);
    const pg = new Float64Array(1);
    const tau = new Float64Array(G);
    let value: Float64Array;
    let grad: Float64Array;
    let mean0: Float64Array;
    let sd0: Float64Array;
    let gMean: Float64Array;
    let gSd: Float64Array;
    const average = (x: ArrayLike<number>) => {
      let a = 0;
      for (let g = 0; g < G; g++) if (!free[g]) a += x[g];
      return a / nPooled;
    };
    return {
      name: 'baseline',
      component: 'baseline',
      level: true,
      blocks: [
        centred ? { name: meanBlock } : { name: meanBlock, prior: priors.mean },
        { name: 'baseline.sd', prior: priors.sd, constraint: 'positive' },
        { name: block, size: G },
      ],
      parameters: [
        { name: 'baseline.mean', size: 1, prior: priors.mean },
        { name: 'baseline.sd', size: 1, prior: priors.sd },
        { name: 'baseline', size: G },
      ],
      bind(values, grads) {
        value = values[block];
        grad = grads[block];
        mean0 = values[meanBlock];
        sd0 = values['baseline.sd'];
        gMean = grads[meanBlock];
        gSd = grads['baseline.sd'];
      },
      prepare() {},
      addMean(mu, level) {
        for (let g = 0; g < G; g++) {
          tau[g] = centred ? value[g] - level.offset - level.geoOffset[g] : value[g];
          mu.fill(tau[g], g * T, (g + 1) * T);
        }
      },
      backward(g, level) {
        const s = sd0[0];
        const inv2 = 1 / (s * s);
        const m = centred ? average(tau) + (s / rootG) * mean0[0] : mean0[0];
        // τ_g ~ Normal(τ_μ, τ_σ) over the pooled geos: value, and D_μ = ∂/∂τ_μ (with τ_μ's prior in the centred coordinates)
        let extra = 0;
        let dMu = 0;
        let dSd = 0;
        for (let k = 0; k < G; k++) {
          if (free[k]) continue;
          const r = tau[k] - m;
          extra += -HALF_LOG_2PI - Math.log(s) - 0.5 * r * r * inv2;
          dMu += r * inv2;
          dSd += -1 / s + (r * r * inv2) / s;
        }
        if (centred) {
          extra += priorLogDensityGradient(priors.mean, m, pg) + Math.log(s) - 0.5 * Math.log(nPooled);
          dMu += pg[0];
          // u → τ_μ: ∂/∂u = D_μ·τ_σ/√G; τ_σ gains D_μ·u/√G and the log-Jacobian's 1/τ_σ; each pooled τ_g gains D_μ/G through τ̄
          gMean[0] += (dMu * s) / rootG;
          dSd += (dMu * mean0[0]) / rootG + 1 / s;
        } else gMean[0] += dMu;
        gSd[0] += dSd;
        let total = 0;
        for (let k = 0; k < G; k++) {
          let Gk = 0;
          for (let t = k * T; t < (k + 1) * T; t++) Gk += g[t];
          if (free[k]) {
            // a held-out geo: τ_g ~ the prior of τ_μ
            extra += priorLogDensityGradient(priors.mean, tau[k], pg);
            Gk += pg[0];
          } else Gk += -(tau[k] - m) * inv2 + (centred ? dMu / nPooled : 0);
          level.geoGradient[k] = Gk;
          grad[k] += Gk;
          total += Gk;
        }
        level.gradient = total;
        return extra;
      },
      toNatural(sampled, out, level) {
        const t = Float64Array.from({ length: G }, (_, k) =>
          centred ? sampled.level[k] - level.offset - level.geoOffset[k] : sampled.baseline[k],
        );
        const s = sampled['baseline.sd'][0];
        out['baseline.mean'] = Float64Array.of(centred ? average(t) + (s / rootG) * sampled[meanBlock][0] : sampled[meanBlock][0]);
        out['baseline.sd'] = Float64Array.of(s);
        out.baseline = t;
      },
      toSampled(natural, out, level) {
        const s = natural['baseline.sd'][0];
        out[meanBlock] = Float64Array.of(
          centred ? ((natural['baseline.mean'][0] - average(natural.baseline)) * rootG) / s : natural['baseline.mean'][0],
        );
        out['baseline.sd'] = Float64Array.of(s);
        out[block] = Float64Array.from({ length: G }, (_, k) =>
          centred ? natural.baseline[k] + level.offset + level.geoOffset[k] : natural.baseline[k],
        );
      },
      contributionInto(natural, out) {
        for (let k = 0; k < G; k++) out.fill(natural.baseline[k], k * T, (k + 1) * T);
        return out;
      },
    };
  };
}

/**
 * A linear trend per geo, partially pooled around the national slope: k_g = k + ω·v_g, v_g ~ Normal(0, 1) (blocks
 * `trend`, `trend.sd` = ω and `trend.geo` = v, size G; non-centred, since a geo's slope is weakly measured). Geo g's
 * contribution is k_g·τ_t; in the centred coordinates its offset k_g·τ̄ goes to `level.geoOffset[g]` and ∂/∂k_g =
 * Σ_t g_gt τ_t − τ̄·G_g.
 */
export function geoTrendTerm(prior: PriorSpec, sdPrior: PriorSpec): TermFactory {
  return ({ data, centred }): ModelTerm => {
    const { G, T } = panel(data);
    const time = data.time;
    let tbar = 0;
    for (let t = 0; t < T; t++) tbar += time[t];
    tbar /= T;
    const slope = new Float64Array(G);
    let k: Float64Array;
    let w: Float64Array;
    let v: Float64Array;
    let gk: Float64Array;
    let gw: Float64Array;
    let gv: Float64Array;
    const slopes = (values: BlockValues) =>
      Float64Array.from({ length: G }, (_, g) => values.trend[0] + values['trend.sd'][0] * values['trend.geo'][g]);
    const term: ModelTerm = {
      name: 'trend',
      component: 'baseline',
      blocks: [
        { name: 'trend', prior },
        { name: 'trend.sd', prior: sdPrior, constraint: 'positive' },
        { name: 'trend.geo', size: G, prior: { dist: 'normal', mu: 0, sigma: 1 } },
      ],
      parameters: [
        { name: 'trend', size: 1, prior },
        { name: 'trend.sd', size: 1, prior: sdPrior },
        { name: 'trend.geo', size: G, prior: { dist: 'normal', mu: 0, sigma: 1 } },
      ],
      bind(values, grads) {
        [k, w, v] = [values.trend, values['trend.sd'], values['trend.geo']];
        [gk, gw, gv] = [grads.trend, grads['trend.sd'], grads['trend.geo']];
      },
      prepare(level) {
        for (let g = 0; g < G; g++) {
          slope[g] = k[0] + w[0] * v[g];
          if (centred) level.geoOffset[g] += slope[g] * tbar;
        }
      },
      addMean(mu) {
        for (let g = 0; g < G; g++) {
          const b = slope[g];
          for (let t = g * T; t < (g + 1) * T; t++) mu[t] += b * time[t];
        }
      },
      backward(grad, level) {
        for (let g = 0; g < G; g++) {
          let d = 0;
          for (let t = g * T; t < (g + 1) * T; t++) d += grad[t] * time[t];
          if (centred) d -= tbar * level.geoGradient[g];
          gk[0] += d;
          gw[0] += d * v[g];
          gv[g] += d * w[0];
        }
        return 0;
      },
      toNatural(sampled, out, level) {
        copyBlocks(term, sampled, out);
        slopes(sampled).forEach((b, g) => (level.geoOffset[g] += b * tbar));
      },
      toSampled(natural, out, level) {
        copyBlocks(term, natural, out);
        slopes(natural).forEach((b, g) => (level.geoOffset[g] += b * tbar));
      },
      contributionInto(natural, out) {
        const b = slopes(natural);
        for (let g = 0; g < G; g++) for (let t = g * T; t < (g + 1) * T; t++) out[t] = b[g] * time[t];
        return out;
      },
    };
    return term;
  };
}

/** The geo media term's extra priors: the geo scatter η of log β. */
export interface GeoMediaPriors {
  /** η_c, the sd of log β_gc around log β_c; @defaultValue HalfNormal(0.5) */
  scatter: PriorSpec;
}

/** Which geos of a geo term are held out of pooling. */
export interface GeoPooling {
  /** per geo: true where the geo is estimated on its own (length G; default none) */
  free?: readonly boolean[];
}

/**
 * One media channel in a geo panel: β_gc·s(a_gc), a_gc = adstock(x_gc; θ_a) within each geo, the adstock and
 * saturation parameters shared by every geo, and β_gc = β_c·exp(η_c·z_gc), z_gc ~ Normal(0, 1) (blocks `c.eta`,
 * `c.z` of size G).
 *
 * Centred coordinates: the sampler moves in γ_c = β_c·A_c, A_c = (1/G)·Σ_g e_gc·s̄_gc (e_gc = exp(η_c z_gc), s̄_gc
 * the mean of geo g's saturated series), the channel's mean contribution over the panel, instead of β_c; β_c = γ_c/A_c
 * carries its prior and the log-Jacobian −ln A_c. Each geo's contribution is centred on its own mean: its offset
 * β_gc·s̄_gc goes to `level.geoOffset[g]`, and its upstream gradient is g_gt − G_g/T.
 *
 * Geos held out of pooling (`pooling.free`): their β_gc has the channel's own coefficient prior, independent of β_c
 * and η_c, which then pool the other geos only (A_c averages over them). The sampler moves in ln β_gc (natural) or
 * ln(β_gc·s̄_gc) (centred, ln β_gc where the geo has no spend); the z slot of such a geo holds that coordinate, and
 * its reported z is ln(β_gc/β_c)/η_c, so β_c·exp(η_c z_gc) = β_gc holds for every geo. When every geo is held out (a
 * channel not pooled at all) there is no β_c or η_c: the channel reports `c.beta` of size G.
 */
export function geoMediaTerm(
  channel: ResolvedChannel,
  spend: Float64Array,
  priors: GeoMediaPriors,
  calibration: MediaCalibration = {},
  pooling: GeoPooling = {},
): TermFactory {
  // long: a term is one closure whose methods share the workspace made here; each method is a loop over geos
  return ({ data, centred }): MediaTerm => {
    const { G, T } = panel(data);
    const n = G * T;
    const { adstock, saturation, names, normalize } = channel;
    const free = Uint8Array.from({ length: G }, (_, g) => (pooling.free?.[g] ? 1 : 0));
    const nPooled = G - free.reduce((a, b) => a + b, 0);
    const pooled = nPooled > 0;
    const effectName = centred ? `${channel.name}.effect` : names.beta;
    const etaName = names.scatter;
    // the per-geo slot: z (pooled channel) or, for a channel pooled nowhere, each geo's own effect
    const zName = pooled ? names.geoDeviates : effectName;
    const nAd = names.adstock.length;
    const nSat = names.saturation.length;
    // the gradients of the saturated and adstocked series are made one geo at a time: T-long scratch
    const { ws, adstocked, saturated, satCache, gSat, gAd, adParams, satParams, gAdParams, gSatParams, pg } = mediaWorkspace(channel, n, T);
    // per-geo views of the panel-long buffers, made once
    const seg = (a: Float64Array) => Array.from({ length: G }, (_, g) => a.subarray(g * T, (g + 1) * T));
    const [xS, adS, satS, cacheS] = [spend, adstocked, saturated, satCache].map(seg);
    // The default curve (geometric adstock, Hill) goes forward mode, in one pass per geo (geometricHillJacobianInto):
    // J_p = ∂s_gt/∂θ_p for (α, K, S) and their sums per geo, so the backward pass is three dot products per geo. The
    // upstream of s_gt is β_gc·u_gt + c_g (c_g the chain rule's constant through s̄_g), so ∂/∂θ_p = Σ_g β_gc·Σ_t u_gt
    // J_p,gt + c_g·Σ_t J_p,gt. Other curves keep the reverse mode (values with a cache, then the VJPs per geo): composed
    // from the generic forward-mode pieces they were slower (logistic 11%, Weibull 40% on the 40-geo file).
    const fused = adstock === geometricAdstockFamily && saturation === hillSaturation;
    const jac = fused ? [0, 1, 2].map(() => seg(new Float64Array(n))) : [];
    const jacSum = new Float64Array(fused ? G * 3 : 0);
    const jacDot = new Float64Array(fused ? G * 3 : 0);
    const sums = new Float64Array(4);
    // geos without spend on this channel: s̄ = 0, so a held-out geo's coordinate there is ln β_gc
    const dark = Uint8Array.from(xS, (x) => (x.every((v) => v === 0) ? 1 : 0));
    const sbar = new Float64Array(G);
    const e = new Float64Array(G);
    const bg = new Float64Array(G);
    const dCell = new Float64Array(G);
    // the chain rule's constant per geo in the upstream of s_gt (through s̄_g)
    const sShift = new Float64Array(G);
    let ad: Float64Array[] = [];
    let sat: Float64Array[] = [];
    let effect: Float64Array;
    let eta: Float64Array;
    let z: Float64Array;
    let gAdB: Float64Array[] = [];
    let gSatB: Float64Array[] = [];
    let gEffect: Float64Array;
    let gEta: Float64Array;
    let gZ: Float64Array;
    let beta = 0;
    let A = 0;
    // calibration: the national ROAS = β·B/κ with B = Σ_g pop_g·e_g·s̄_g and κ = Λ/T; lift tests per geo
    const roas = calibration.roas;
    if (roas && nPooled < G)
      throw new InvalidInputError(
        `spec.channels.${channel.name}.roasPrior`,
        'is set on a channel with geos held out of pooling',
        'A ROAS prior is on the pooled national effect: drop the ROAS prior or pool every geo for this channel.',
      );
    const pop = data.geos?.population ?? new Float64Array(G).fill(1);
    const kappa = roas ? roas.spendPerTarget / T : 1;
    let B = 0;
    const geoLifts = Array.from({ length: G }, (_, g) =>
      makeLiftTests(
        (calibration.liftTests ?? []).filter((t) => t.geo === g),
        channel,
        xS[g],
        ws,
        adS[g],
      ),
    );
    const liftAd = new Float64Array(nAd);
    const liftSat = new Float64Array(nSat);
    /** a held-out geo's β_gc from its sampled coordinate */
    const freeBeta = (g: number, slot: number) => (centred && !dark[g] ? Math.exp(slot) / sbar[g] : Math.exp(slot));
    /** the inverse: a held-out geo's coordinate from β_gc */
    const freeSlot = (g: number, b: number) => (centred && !dark[g] ? Math.log(b * sbar[g]) : Math.log(b));

    /** adstock and saturation in every geo at the parameters in adParams / satParams (value path); fills s̄_g */
    const transform = (values: BlockValues) => {
      for (let k = 0; k < nAd; k++) adParams[k] = values[names.adstock[k]][0];
      for (let k = 0; k < nSat; k++) satParams[k] = values[names.saturation[k]][0];
      adstock.weightsInto(ws.weights, adParams, normalize);
      for (let g = 0; g < G; g++) {
        adstockPreparedInto(adstock, adS[g], xS[g], adParams, ws);
        saturation.valueInto(satS[g], adS[g], satParams);
        sbar[g] = meanOf(satS[g]);
      }
    };
    /** A = (1/G_pooled)·Σ_{pooled g} e_g·s̄_g at η and z; fills e_g (pooled geos) */
    const scatter = (etaValue: number, zValues: ArrayLike<number>) => {
      let a = 0;
      for (let g = 0; g < G; g++) {
        if (free[g]) continue;
        e[g] = Math.exp(etaValue * zValues[g]);
        a += e[g] * sbar[g];
      }
      return a / nPooled;
    };
    /** each geo's β_gc at natural values into bg (after transform) */
    const naturalCoefficients = (natural: BlockValues) => {
      if (!pooled) {
        for (let g = 0; g < G; g++) bg[g] = natural[names.beta][g];
        return;
      }
      const b = natural[names.beta][0];
      const h = natural[etaName][0];
      for (let g = 0; g < G; g++) bg[g] = b * Math.exp(h * natural[zName][g]);
    };
    const slotBlock = { name: zName, size: G };
    const term: MediaTerm = {
      name: channel.name,
      component: 'media',
      channel,
      blocks: [
        ...curveBlocks(channel),
        ...(pooled
          ? [
              centred || roas
                ? { name: effectName, constraint: 'positive' as const }
                : { name: effectName, prior: channel.betaPrior, constraint: 'positive' as const },
              { name: etaName, prior: priors.scatter, constraint: 'positive' as const },
            ]
          : []),
        // the slot's priors are the term's: Normal(0, 1) for pooled geos, the coefficient prior for held-out ones
        slotBlock,
      ],
      parameters: [
        ...curveParameters(channel),
        ...(pooled
          ? [
              { name: names.beta, size: 1, ...(roas ? {} : { prior: channel.betaPrior }) },
              { name: etaName, size: 1, prior: priors.scatter },
            ]
          : []),
        pooled
          ? { name: zName, size: G, ...(nPooled === G ? { prior: { dist: 'normal', mu: 0, sigma: 1 } as const } : {}) }
          : { name: names.beta, size: G, prior: channel.betaPrior },
      ],
      bind(values, grads) {
        ad = names.adstock.map((k) => values[k]);
        sat = names.saturation.map((k) => values[k]);
        z = values[zName];
        gAdB = names.adstock.map((k) => grads[k]);
        gSatB = names.saturation.map((k) => grads[k]);
        gZ = grads[zName];
        if (pooled) {
          effect = values[effectName];
          eta = values[etaName];
          gEffect = grads[effectName];
          gEta = grads[etaName];
        }
      },
      prepare(level) {
        for (let k = 0; k < nAd; k++) adParams[k] = ad[k][0];
        for (let k = 0; k < nSat; k++) satParams[k] = sat[k][0];
        adstock.weightsJacobianInto(ws.jacobian, ws.weights, adParams, normalize);
        for (let g = 0; g < G; g++) {
          if (fused) {
            geometricHillJacobianInto(
              satS[g],
              adS[g],
              jac[0][g],
              jac[1][g],
              jac[2][g],
              sums,
              xS[g],
              adParams[0],
              satParams[0],
              satParams[1],
              ws,
            );
            sbar[g] = sums[0] / T;
            for (let k = 0; k < 3; k++) jacSum[g * 3 + k] = sums[k + 1];
            continue;
          }
          adstockPreparedInto(adstock, adS[g], xS[g], adParams, ws);
          saturation.valueCacheInto(satS[g], cacheS[g], adS[g], satParams);
          sbar[g] = meanOf(satS[g]);
        }
        if (pooled) {
          A = scatter(eta[0], z);
          beta = centred ? effect[0] / A : effect[0];
        }
        B = 0;
        for (let g = 0; g < G; g++) {
          if (free[g]) bg[g] = freeBeta(g, z[g]);
          else {
            bg[g] = beta * e[g];
            B += pop[g] * e[g] * sbar[g];
          }
          if (centred) level.geoOffset[g] += bg[g] * sbar[g];
          if (geoLifts[g].count) geoLifts[g].prepare(satParams, satS[g]);
        }
      },
      addMean(mu) {
        for (let g = 0; g < G; g++) {
          const b = bg[g];
          const s = satS[g];
          const o = g * T;
          for (let t = 0; t < T; t++) mu[o + t] += b * s[t];
        }
      },
      backward(grad, level) {
        // long: one pass over the geos for the likelihood; the lift tests, the held-out geos and the coordinates' chain rule (ROAS prior or
        // β's) then share its accumulators
        // D_g = ∂/∂β_gc through geo g's centred contribution β_gc·(s_gt − s̄_g), upstream u_gt = g_gt − G_g/T; the
        // upstream of s_gt is then β_gc·u_gt plus a constant per geo through s̄_g (sShift, from the chain rules below)
        for (let g = 0; g < G; g++) {
          const shift = centred ? level.geoGradient[g] / T : 0;
          const s = satS[g];
          const o = g * T;
          let D = 0;
          if (fused) {
            // the default curve's three parameters in the same pass
            const j0 = jac[0][g];
            const j1 = jac[1][g];
            const j2 = jac[2][g];
            let d0 = 0;
            let d1 = 0;
            let d2 = 0;
            for (let t = 0; t < T; t++) {
              const u = grad[o + t] - shift;
              D += u * s[t];
              d0 += u * j0[t];
              d1 += u * j1[t];
              d2 += u * j2[t];
            }
            jacDot[g * 3] = d0;
            jacDot[g * 3 + 1] = d1;
            jacDot[g * 3 + 2] = d2;
          } else for (let t = 0; t < T; t++) D += (grad[o + t] - shift) * s[t];
          dCell[g] = D;
          sShift[g] = 0;
        }
        let extra = 0;
        // lift tests in geo g: their log likelihood, ∂/∂β_gc (into D_g) and ∂/∂θ (direct)
        for (let g = 0; g < G; g++) {
          const lifts = geoLifts[g];
          if (!lifts.count) continue;
          extra += lifts.backward(bg[g], satParams, liftAd, liftSat);
          for (let k = 0; k < nSat; k++) gSatB[k][0] += liftSat[k];
          for (let k = 0; k < nAd; k++) gAdB[k][0] += liftAd[k];
          dCell[g] += lifts.dBeta;
        }
        // pooled geos: β_gc = β·e_g, z_g ~ Normal(0, 1): ∂/∂β += D_g·e_g; ∂/∂η += D_g·β_gc·z_g; ∂/∂z_g += D_g·β_gc·η − z_g.
        // held-out geos: β_gc = e^slot (/ s̄_g when centred) carries the coefficient prior and ln β_gc (the Jacobian)
        let dBeta = 0;
        let dEta = 0;
        for (let g = 0; g < G; g++) {
          if (!free[g]) {
            dBeta += dCell[g] * e[g];
            dEta += dCell[g] * bg[g] * z[g];
            gZ[g] += dCell[g] * bg[g] * eta[0] - z[g];
            extra += -HALF_LOG_2PI - 0.5 * z[g] * z[g];
            continue;
          }
          extra += priorLogDensityGradient(channel.betaPrior, bg[g], pg) + Math.log(bg[g]);
          const db = dCell[g] + pg[0] + 1 / bg[g];
          gZ[g] += db * bg[g];
          // ∂β_gc/∂s̄_g = −β_gc/s̄_g, spread over the s_gt by 1/T
          if (centred && !dark[g]) sShift[g] += (-db * bg[g]) / sbar[g] / T;
        }
        if (!pooled) {
          // every geo held out: no β_c or η_c
        } else if (roas) {
          // the ROAS prior: ROAS = γ·Q/κ with Q = B/A in the centred coordinates (β·B/κ in the natural ones), whose
          // log density is log p_R(ROAS) + ln(Q/κ) (ln(B/κ)); gradients reach e_g and s̄_g through A and B
          const Q = centred ? B / A : B;
          const sampled = effect[0];
          extra += priorLogDensityGradient(roas.prior, (sampled * Q) / kappa, pg) + Math.log(Q / kappa);
          const dQ = (pg[0] * sampled) / kappa + 1 / Q;
          let dA = 0;
          let dBsum = dQ;
          if (centred) {
            // β = γ/A passes the likelihood on: ∂/∂γ = ∂ℓ/∂β / A, ∂/∂A = −∂ℓ/∂β·β/A − dQ·B/A²
            gEffect[0] += dBeta / A + (pg[0] * Q) / kappa;
            dA = (-dBeta * beta) / A - (dQ * B) / (A * A);
            dBsum = dQ / A;
          } else gEffect[0] += dBeta + (pg[0] * B) / kappa;
          for (let g = 0; g < G; g++) {
            const de = (dA * sbar[g]) / G + dBsum * pop[g] * sbar[g]; // ∂/∂e_g
            dEta += de * e[g] * z[g];
            gZ[g] += de * e[g] * eta[0];
            sShift[g] += ((dA * e[g]) / G + dBsum * pop[g] * e[g]) / T; // ∂/∂s_gt through s̄_g
          }
        } else if (centred) {
          // β = γ/A: β's prior and −ln A; ∂/∂γ = D_β/A with D_β = ∂/∂β + p'(β); dA = −(D_β·β + 1)/A flows to
          // e_g and s̄_g of the pooled geos through A = (1/G_pooled)·Σ_g e_g s̄_g
          extra += priorLogDensityGradient(channel.betaPrior, beta, pg) - Math.log(A);
          const dB = dBeta + pg[0];
          gEffect[0] += dB / A;
          const dA = -(dB * beta + 1) / A;
          for (let g = 0; g < G; g++) {
            if (free[g]) continue;
            const de = (dA * sbar[g]) / nPooled; // ∂/∂e_g
            dEta += de * e[g] * z[g];
            gZ[g] += de * e[g] * eta[0];
            sShift[g] += (dA * e[g]) / nPooled / T; // ∂/∂s_gt through s̄_g
          }
        } else gEffect[0] += dBeta;
        if (pooled) gEta[0] += dEta;
        // the curve parameters: the upstream of s_gt is β_gc·u_gt + c_g (c_g = sShift[g])
        gSatParams.fill(0);
        gAdParams.fill(0);
        for (let g = 0; g < G; g++) {
          const b = bg[g];
          const c = sShift[g];
          if (fused) {
            // (α; K, S) from the forward-mode columns
            gAdParams[0] += b * jacDot[g * 3] + c * jacSum[g * 3];
            gSatParams[0] += b * jacDot[g * 3 + 1] + c * jacSum[g * 3 + 1];
            gSatParams[1] += b * jacDot[g * 3 + 2] + c * jacSum[g * 3 + 2];
            continue;
          }
          // back through the saturation and the adstock
          const o = g * T;
          const shift = centred ? level.geoGradient[g] / T : 0;
          for (let t = 0; t < T; t++) gSat[t] = b * (grad[o + t] - shift) + c;
          saturation.vjpCached(adS[g], satParams, satS[g], cacheS[g], gSat, pgSat, gAd);
          for (let k = 0; k < nSat; k++) gSatParams[k] += pgSat[k];
          const a = adS[g];
          // no spend in the whole window: the adstocked input stays 0 whatever the adstock parameters
          for (let t = 0; t < T; t++) if (a[t] === 0) gAd[t] = 0;
          adstockParamsVjpPrepared(adstock, xS[g], a, gAd, adParams, pgAd, ws);
          for (let k = 0; k < nAd; k++) gAdParams[k] += pgAd[k];
        }
        for (let k = 0; k < nSat; k++) gSatB[k][0] += gSatParams[k];
        for (let k = 0; k < nAd; k++) gAdB[k][0] += gAdParams[k];
        return extra;
      },
      toNatural(sampled, out, level) {
        transform(sampled);
        for (const nm of [...names.adstock, ...names.saturation]) out[nm] = Float64Array.from(sampled[nm]);
        const slot = sampled[zName];
        let b = 0;
        let h = 0;
        if (pooled) {
          h = sampled[etaName][0];
          const a = scatter(h, slot);
          b = centred ? sampled[effectName][0] / a : sampled[effectName][0];
          out[names.beta] = Float64Array.of(b);
          out[etaName] = Float64Array.of(h);
        }
        const reported = new Float64Array(G);
        for (let g = 0; g < G; g++) {
          const bgv = free[g] ? freeBeta(g, slot[g]) : b * e[g];
          reported[g] = !pooled ? bgv : free[g] ? Math.log(bgv / b) / h : slot[g];
          level.geoOffset[g] += bgv * sbar[g];
        }
        out[pooled ? zName : names.beta] = reported;
      },
      toSampled(natural, out, level) {
        transform(natural);
        for (const nm of [...names.adstock, ...names.saturation]) out[nm] = Float64Array.from(natural[nm]);
        naturalCoefficients(natural);
        const slot = new Float64Array(G);
        if (pooled) {
          const b = natural[names.beta][0];
          const a = scatter(natural[etaName][0], natural[zName]);
          out[effectName] = Float64Array.of(centred ? b * a : b);
          out[etaName] = Float64Array.from(natural[etaName]);
        }
        for (let g = 0; g < G; g++) {
          slot[g] = free[g] ? freeSlot(g, bg[g]) : natural[zName][g];
          level.geoOffset[g] += bg[g] * sbar[g];
        }
        out[zName] = slot;
      },
      contributionInto(natural, out) {
        transform(natural);
        naturalCoefficients(natural);
        for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) out[g * T + t] = bg[g] * satS[g][t];
        return out;
      },
      decomposeInto(natural, contribution, adstockedOut, coefficient) {
        transform(natural);
        naturalCoefficients(natural);
        for (let g = 0; g < G; g++) {
          coefficient.fill(bg[g], g * T, (g + 1) * T);
          for (let t = 0; t < T; t++) contribution[g * T + t] = bg[g] * satS[g][t];
        }
        adstockedOut.set(adstocked);
      },
    };
    const pgSat = new Float64Array(nSat);
    const pgAd = new Float64Array(nAd);
    return term;
  };
}

/** Mean of an array. @internal */
function meanOf(x: Float64Array): number {
  let m = 0;
  for (let t = 0; t < x.length; t++) m += x[t];
  return m / x.length;
}
