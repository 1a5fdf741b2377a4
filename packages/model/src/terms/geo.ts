// The geo model's own terms (reference: shared/reference/stan/geo/mmm_geo.stan): partially pooled geo baselines and a
// trend per geo. Its media terms are the national media term on the panel's segments with the geo scatter
// (./media.ts, ./scatter.ts). The data are a geo-major panel (ModelData.geos); trend, seasonality and controls are the
// national terms on the flattened panel.
import { InvalidInputError } from '@mmm/core';
import { priorLogDensityGradient, samplePrior, type PriorSpec } from '@mmm/bayes-nuts';
import type { ModelData } from '../data.js';
import type { GeoPooling } from './scatter.js';
import { copyBlocks, type BlockValues, type BlockViews, type LevelState, type ModelTerm, type PriorRng, type TermFactory } from './term.js';

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
    return new GeoBaseline(priors, centred, free, nPooled, G, T);
  };
}

/** The geo baselines' term (see {@link geoBaselineTerm}). @internal */
class GeoBaseline implements ModelTerm {
  readonly name = 'baseline';
  readonly component = 'baseline' as const;
  readonly level = true;
  readonly blocks: ModelTerm['blocks'];
  readonly parameters: ModelTerm['parameters'];
  /** the per-geo block: each geo's level (centred) or baseline */
  private readonly block: string;
  /**
   * centred: τ_μ = τ̄ + (τ_σ/√G)·u with u sampled (block `baseline.shift`), since given the geo baselines τ_μ is about
   * Normal(τ̄, τ_σ/√G): u is about standard normal whatever τ_σ, which removes the τ_μ–τ_σ funnel (τ̄ and G over the
   * pooled geos)
   */
  private readonly meanBlock: string;
  private readonly rootG: number;
  private readonly pg = new Float64Array(1);
  private readonly tau: Float64Array;
  private value: Float64Array = new Float64Array(0);
  private grad: Float64Array = new Float64Array(0);
  private mean0: Float64Array = new Float64Array(1);
  private sd0: Float64Array = new Float64Array(1);
  private gMean: Float64Array = new Float64Array(1);
  private gSd: Float64Array = new Float64Array(1);

  constructor(
    private readonly priors: GeoBaselinePriors,
    private readonly centred: boolean,
    private readonly free: Uint8Array,
    private readonly nPooled: number,
    private readonly G: number,
    private readonly T: number,
  ) {
    this.block = centred ? 'level' : 'baseline';
    this.meanBlock = centred ? 'baseline.shift' : 'baseline.mean';
    this.rootG = Math.sqrt(nPooled);
    this.tau = new Float64Array(G);
    this.blocks = [
      centred ? { name: this.meanBlock } : { name: this.meanBlock, prior: priors.mean },
      { name: 'baseline.sd', prior: priors.sd, constraint: 'positive' },
      { name: this.block, size: G },
    ];
    this.parameters = [
      { name: 'baseline.mean', size: 1, prior: priors.mean, scope: 'hierarchy' },
      { name: 'baseline.sd', size: 1, prior: priors.sd, scope: 'hierarchy', hierarchicalScale: true },
      { name: 'baseline', size: G, scope: 'geo' },
    ];
  }

  /** the mean of the pooled geos' values */
  private average(x: ArrayLike<number>): number {
    let a = 0;
    for (let g = 0; g < this.G; g++) if (!this.free[g]) a += x[g];
    return a / this.nPooled;
  }

  bind(values: BlockViews, grads: BlockViews): void {
    this.value = values[this.block];
    this.grad = grads[this.block];
    this.mean0 = values[this.meanBlock];
    this.sd0 = values['baseline.sd'];
    this.gMean = grads[this.meanBlock];
    this.gSd = grads['baseline.sd'];
  }

  prepare(): void {}

  addMean(mu: Float64Array, level: LevelState): void {
    const { tau, value, T } = this;
    for (let g = 0; g < this.G; g++) {
      tau[g] = this.centred ? value[g] - level.offset - level.geoOffset[g] : value[g];
      mu.fill(tau[g], g * T, (g + 1) * T);
    }
  }

  backward(g: Float64Array, level: LevelState): number {
    const { tau, free, G, T, nPooled, centred, priors, pg, rootG } = this;
    const s = this.sd0[0];
    const inv2 = 1 / (s * s);
    const m = centred ? this.average(tau) + (s / rootG) * this.mean0[0] : this.mean0[0];
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
      this.gMean[0] += (dMu * s) / rootG;
      dSd += (dMu * this.mean0[0]) / rootG + 1 / s;
    } else this.gMean[0] += dMu;
    this.gSd[0] += dSd;
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
      this.grad[k] += Gk;
      total += Gk;
    }
    level.gradient = total;
    return extra;
  }

  toNatural(sampled: BlockValues, out: Record<string, Float64Array>, level: LevelState): void {
    const { centred, rootG } = this;
    const t = Float64Array.from({ length: this.G }, (_, k) =>
      centred ? sampled.level[k] - level.offset - level.geoOffset[k] : sampled.baseline[k],
    );
    const s = sampled['baseline.sd'][0];
    out['baseline.mean'] = Float64Array.of(
      centred ? this.average(t) + (s / rootG) * sampled[this.meanBlock][0] : sampled[this.meanBlock][0],
    );
    out['baseline.sd'] = Float64Array.of(s);
    out.baseline = t;
  }

  toSampled(natural: BlockValues, out: Record<string, Float64Array>, level: LevelState): void {
    const { centred, rootG } = this;
    const s = natural['baseline.sd'][0];
    out[this.meanBlock] = Float64Array.of(
      centred ? ((natural['baseline.mean'][0] - this.average(natural.baseline)) * rootG) / s : natural['baseline.mean'][0],
    );
    out['baseline.sd'] = Float64Array.of(s);
    out[this.block] = Float64Array.from({ length: this.G }, (_, k) =>
      centred ? natural.baseline[k] + level.offset + level.geoOffset[k] : natural.baseline[k],
    );
  }

  contributionInto(out: Float64Array, natural: BlockValues): Float64Array {
    for (let k = 0; k < this.G; k++) out.fill(natural.baseline[k], k * this.T, (k + 1) * this.T);
    return out;
  }

  /** τ_μ and τ_σ from their priors, each pooled geo's baseline from Normal(τ_μ, τ_σ), a held-out one from τ_μ's prior */
  drawPrior(rng: PriorRng, drawn: Record<string, Float64Array>): void {
    const mean = samplePrior(this.priors.mean, rng);
    const sd = samplePrior(this.priors.sd, rng);
    drawn['baseline.mean'] = Float64Array.of(mean);
    drawn['baseline.sd'] = Float64Array.of(sd);
    drawn.baseline = Float64Array.from(this.free, (f) => (f ? samplePrior(this.priors.mean, rng) : mean + sd * rng.normal()));
  }
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
        { name: 'trend.sd', size: 1, prior: sdPrior, scope: 'hierarchy', hierarchicalScale: true },
        { name: 'trend.geo', size: G, prior: { dist: 'normal', mu: 0, sigma: 1 }, scope: 'geo' },
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
      contributionInto(out, natural) {
        const b = slopes(natural);
        for (let g = 0; g < G; g++) for (let t = g * T; t < (g + 1) * T; t++) out[t] = b[g] * time[t];
        return out;
      },
    };
    return term;
  };
}
