// The coefficient models of the media term: how a channel's curve s_gt becomes its contribution β_g·s_gt. A national
// fit has one coefficient (singleCoefficient); a geo fit scatters the national one log-normally over the geos, with
// geos or channels held out of pooling (geoScatter, ./scatter.ts). ROAS priors act on a coefficient model's output; lift
// tests stay with the media term.
import { priorLogDensityGradient, samplePrior, type ParameterBlock, type PriorSpec } from '@mmm/bayes-nuts';
import type { ResolvedChannel } from '../channel.js';
import type { BlockValues, BlockViews, LevelState, PriorRng, TermParameter } from './term.js';

/**
 * How a channel's coefficient per segment (β_g, one per geo; one segment for national data) follows from its blocks,
 * in the sampler's coordinates, given each segment's mean saturated input s̄_g. The media term calls, per evaluation:
 * `prepare` after the curve's, `upstreamShift` and `backward` in its own backward pass. @internal
 */
export interface CoefficientModel {
  readonly blocks: readonly ParameterBlock[];
  readonly parameters: readonly TermParameter[];
  bind(values: BlockViews, grads: BlockViews): void;
  /** β_g at the bound values into `b`; adds the segments' offsets (mean contributions) to the centred level */
  prepare(sbar: Float64Array, level: LevelState, b: Float64Array): void;
  /** per segment, the upstream shift of the centred level (the level's gradient over the segment's periods) */
  upstreamShift(level: LevelState, shift: Float64Array): void;
  /**
   * Given D_g = ∂ log p/∂β_g (likelihood and lift tests), adds the gradient of its blocks, writes c_g, the chain
   * rule's constant in the upstream of every s_gt through s̄_g, and returns `extra` plus what it adds to the log density
   * beyond its blocks' priors.
   */
  backward(D: Float64Array, sbar: Float64Array, b: Float64Array, c: Float64Array, extra: number): number;
  /** natural parameters from sampled ones (after the curve's `transform`); adds the offsets to the level */
  toNatural(sampled: BlockValues, sbar: Float64Array, out: Record<string, Float64Array>, level: LevelState): void;
  /** the inverse map; adds the offsets to the level */
  toSampled(natural: BlockValues, sbar: Float64Array, out: Record<string, Float64Array>, level: LevelState): void;
  /** β_g at natural values into `b` (after the curve's `transform`) */
  naturalCoefficients(natural: BlockValues, sbar: Float64Array, b: Float64Array): void;
  /** one prior draw of its natural parameters into `drawn`, given the curve's s̄_g at the drawn curve (its `transform`) */
  drawPrior(rng: PriorRng, drawn: Record<string, Float64Array>, sbar: Float64Array): void;
  /** whether `drawPrior` reads s̄_g (a ROAS prior: β follows from the ROAS at the drawn curve) */
  readonly priorReadsCurve: boolean;
}

/** A ROAS prior on a channel: the prior on ROAS = contribution / spend, and Λ, the spend in units of mean y. @internal */
export interface RoasCalibration {
  prior: PriorSpec;
  spendPerTarget: number;
}

/**
 * A national channel's one coefficient β. In the centred coordinates the sampler moves in the mean contribution
 * γ = β·s̄ (s̄ the mean of s over the periods) instead of β: the data pin γ down whether the curve is nearly linear or
 * nearly flat, where β and θ_s trade off along a curved ridge. β = γ/s̄ then carries its prior and the log-Jacobian
 * −ln s̄, the offset is γ, and the upstream of the likelihood is g_t − G/n. With a ROAS prior the prior is on
 * ROAS = β·s̄/κ (κ = Λ/n), not on β: in the centred coordinates ROAS = γ/κ, so γ carries the ROAS prior (scaled by
 * κ) and β = γ/s̄ no Jacobian; in the natural ones β carries p_ROAS(β·s̄/κ)·s̄/κ. See docs/model-math.md.
 */
export function singleCoefficient(
  channel: ResolvedChannel,
  periods: number,
  centred: boolean,
  roas: RoasCalibration | undefined,
): CoefficientModel {
  return new SingleCoefficient(channel, periods, centred, roas);
}

/** @internal */
class SingleCoefficient implements CoefficientModel {
  readonly blocks: readonly ParameterBlock[];
  readonly parameters: readonly TermParameter[];
  private readonly sampled: string;
  private readonly natural: string;
  private readonly kappa: number;
  readonly priorReadsCurve: boolean;
  private readonly pg = new Float64Array(1);
  private effect: Float64Array = new Float64Array(1);
  private gEffect: Float64Array = new Float64Array(1);

  constructor(
    private readonly channel: ResolvedChannel,
    private readonly n: number,
    private readonly centred: boolean,
    private readonly roas: RoasCalibration | undefined,
  ) {
    this.natural = channel.names.beta;
    this.sampled = centred ? channel.names.effect : channel.names.beta;
    this.kappa = roas ? roas.spendPerTarget / n : 1;
    this.priorReadsCurve = roas !== undefined;
    const positive = 'positive' as const;
    this.blocks = [
      centred || roas
        ? { name: this.sampled, constraint: positive }
        : { name: this.sampled, prior: channel.betaPrior, constraint: positive },
    ];
    this.parameters = [{ name: this.natural, size: 1, ...(roas ? {} : { prior: channel.betaPrior }) }];
  }

  bind(values: BlockViews, grads: BlockViews): void {
    this.effect = values[this.sampled];
    this.gEffect = grads[this.sampled];
  }

  prepare(sbar: Float64Array, level: LevelState, b: Float64Array): void {
    const beta = this.centred ? this.effect[0] / sbar[0] : this.effect[0];
    b[0] = beta;
    if (this.centred) level.offset += beta * sbar[0];
  }

  upstreamShift(level: LevelState, shift: Float64Array): void {
    shift[0] = this.centred ? level.gradient / this.n : 0;
  }

  backward(D: Float64Array, sbar: Float64Array, b: Float64Array, c: Float64Array, extra: number): number {
    const { centred, roas, kappa, pg, n } = this;
    const gb = D[0];
    const beta = b[0];
    const s = sbar[0];
    if (centred && roas) {
      // γ = κ·ROAS carries the ROAS prior; β = γ/s̄ only passes the likelihood's gradient on
      extra += priorLogDensityGradient(roas.prior, this.effect[0] / kappa, pg) - Math.log(kappa);
      this.gEffect[0] += gb / s + pg[0] / kappa;
      c[0] = -(gb * beta) / s / n;
    } else if (centred) {
      // β = γ/s̄: β's prior and the log-Jacobian −ln s̄; ∂/∂γ = (∂ℓ/∂β + p'(β))/s̄, and every s_t gains
      // ∂/∂s̄·(1/n) with ∂/∂s̄ = −((∂ℓ/∂β + p'(β))·β + 1)/s̄
      extra += priorLogDensityGradient(this.channel.betaPrior, beta, pg) - Math.log(s);
      const db = gb + pg[0];
      this.gEffect[0] += db / s;
      c[0] = -(db * beta + 1) / s / n;
    } else if (roas) {
      // β carries p_ROAS(β·s̄/κ)·s̄/κ; ∂/∂s̄ = p'·β/κ + 1/s̄, spread over the s_t by 1/n
      extra += priorLogDensityGradient(roas.prior, (beta * s) / kappa, pg) + Math.log(s / kappa);
      this.gEffect[0] += gb + (pg[0] * s) / kappa;
      c[0] = ((pg[0] * beta) / kappa + 1 / s) / n;
    } else {
      this.gEffect[0] += gb;
      c[0] = 0;
    }
    return extra;
  }

  toNatural(sampled: BlockValues, sbar: Float64Array, out: Record<string, Float64Array>, level: LevelState): void {
    const b = this.centred ? sampled[this.sampled][0] / sbar[0] : sampled[this.sampled][0];
    out[this.natural] = Float64Array.of(b);
    // Σ_c β_c s̄_c is Σ_c γ_c
    level.offset += this.centred ? sampled[this.sampled][0] : b * sbar[0];
  }

  toSampled(natural: BlockValues, sbar: Float64Array, out: Record<string, Float64Array>, level: LevelState): void {
    const gamma = natural[this.natural][0] * sbar[0];
    out[this.sampled] = Float64Array.of(this.centred ? gamma : natural[this.natural][0]);
    level.offset += gamma;
  }

  naturalCoefficients(natural: BlockValues, _sbar: Float64Array, b: Float64Array): void {
    b[0] = natural[this.natural][0];
  }

  drawPrior(rng: PriorRng, drawn: Record<string, Float64Array>, sbar: Float64Array): void {
    // with a ROAS prior β follows from a ROAS draw at the drawn curve: β = ROAS·Λ/Σ_t s_t (Λ the spend in units of mean y)
    const beta = this.roas
      ? (samplePrior(this.roas.prior, rng) * this.roas.spendPerTarget) / (sbar[0] * this.n)
      : samplePrior(this.channel.betaPrior, rng);
    drawn[this.natural] = Float64Array.of(beta);
  }
}
