// Interaction terms (docs/interactions.md): a channel's effect modulated by the seasonality, Σ_k δ_k·s_t·F_tk, and the
// synergy of two channels, δ·s_at·s_bt, on the channels' saturated curves s (adstock, then saturation, with the media
// terms' own parameters: the interaction term declares only δ and adds its gradient to the curves' blocks).
import { InvalidInputError } from '@mmm/core';
import type { PriorSpec } from '@mmm/bayes-nuts';
import type { ResolvedChannel } from '../channel.js';
import type { InteractionSpec } from '../spec.js';
import { ChannelCurve } from './curve.js';
import { copyBlocks, type BlockValues, type BlockViews, type LevelState, type ModelTerm, type TermFactory } from './term.js';

/** The default prior of an interaction's coefficients, in units of mean y per unit of the product: Normal(0, 0.1). */
export const DEFAULT_INTERACTION_PRIOR: PriorSpec = { dist: 'normal', mu: 0, sigma: 0.1 };

/** One interaction as resolved: its term name (`tv:season`, `tv:search`), block name and partner. */
export interface ResolvedInteraction {
  /** `<channel>:<with>`, the name of its contribution */
  name: string;
  /** the coefficients' block: `interaction.<channel>.<with>` (one per Fourier column with the season, else one) */
  block: string;
  channel: string;
  /** 'season' or the other channel's name */
  with: string;
  prior: PriorSpec;
}

/**
 * `spec.interactions` checked against the model's channels and seasonality: each names a channel, and 'season' (which
 * needs seasonality) or another channel; a pair is given once (tv with search is search with tv).
 */
export function resolveInteractions(
  interactions: readonly InteractionSpec[] | undefined,
  channels: readonly string[],
  seasonal: boolean,
): ResolvedInteraction[] {
  if (interactions === undefined) return [];
  if (!Array.isArray(interactions))
    throw new InvalidInputError(
      'spec.interactions',
      `is ${JSON.stringify(interactions)}`,
      "Give a list: [{ channel: 'tv', with: 'season' }].",
    );
  const seen = new Set<string>();
  return interactions.map((it, k) => {
    const field = `spec.interactions[${k}]`;
    if (it === null || typeof it !== 'object')
      throw new InvalidInputError(
        field,
        `is ${JSON.stringify(it)}`,
        "Give { channel: 'tv', with: 'season' } or { channel: 'tv', with: 'search' }.",
      );
    if (!channels.includes(it.channel))
      throw new InvalidInputError(
        `${field}.channel`,
        `is ${JSON.stringify(it.channel)}`,
        `Name one of the channels: ${channels.join(', ')}.`,
      );
    const partner = it.with;
    if (partner !== 'season' && !channels.includes(partner))
      throw new InvalidInputError(
        `${field}.with`,
        `is ${JSON.stringify(partner)}`,
        `Use 'season' or another channel: ${channels.join(', ')}.`,
      );
    if (partner === it.channel)
      throw new InvalidInputError(`${field}.with`, `is the channel itself (${partner})`, 'Name another channel, or season.');
    if (partner === 'season' && !seasonal)
      throw new InvalidInputError(
        `${field}.with`,
        "is 'season' in a model without seasonality",
        'Turn seasonality on, or drop the interaction.',
      );
    const key = partner === 'season' ? `${it.channel}:season` : [it.channel, partner].sort().join(':');
    if (seen.has(key)) throw new InvalidInputError(field, `repeats the interaction ${key}`, 'Give each pair once.');
    seen.add(key);
    return {
      name: `${it.channel}:${partner}`,
      block: `interaction.${it.channel}.${partner}`,
      channel: it.channel,
      with: partner,
      prior: it.prior ?? DEFAULT_INTERACTION_PRIOR,
    };
  });
}

/** A channel's curve and spend for an interaction term. */
export interface InteractionChannel {
  channel: ResolvedChannel;
  spend: Float64Array;
}

/**
 * The term of one interaction: c_t = s_at·Σ_k δ_k F_tk (with the season) or δ·s_at·s_bt (two channels), on the
 * channels' saturated curves without any time-varying multiplier, over the whole panel (geo data: per geo, δ shared).
 * Centred coordinates: its mean ō goes to the shared level offset, so the upstream of c_t is u_t = g_t − G/n.
 * ∂/∂δ_k = Σ_t u_t s_at F_tk (or Σ_t u_t s_at s_bt); the curves receive the upstream u_t·h_t of s_at, h the other factor.
 */
export function interactionTerm(it: ResolvedInteraction, a: InteractionChannel, b?: InteractionChannel): TermFactory {
  return ({ data, centred }) => new InteractionTerm(it, a, b, data.geos?.count ?? 1, data.geos?.periods ?? data.n, data, centred);
}

/** @internal */
class InteractionTerm implements ModelTerm {
  readonly component = 'other' as const;
  readonly name: string;
  readonly blocks: ModelTerm['blocks'];
  readonly parameters: ModelTerm['parameters'];
  private readonly n: number;
  private readonly K: number;
  private readonly F: Float64Array;
  private readonly curveA: ChannelCurve;
  private readonly curveB: ChannelCurve | undefined;
  /** the contribution c, the other factor h of s_a (Σ_k δ_k F_tk, or δ·s_b) and the upstream buffer */
  private readonly c: Float64Array;
  private readonly h: Float64Array;
  private readonly up: Float64Array;
  /** per segment: zero shift, coefficient 1, constant 0, and a dot-product buffer for the curves' passes */
  private readonly zero: Float64Array;
  private readonly one: Float64Array;
  private readonly dots: Float64Array;
  private delta: Float64Array = new Float64Array(0);
  private gDelta: Float64Array = new Float64Array(0);

  constructor(
    private readonly it: ResolvedInteraction,
    a: InteractionChannel,
    b: InteractionChannel | undefined,
    G: number,
    T: number,
    data: { n: number; fourier: Float64Array; fourierColumns: number },
    private readonly centred: boolean,
  ) {
    if ((it.with === 'season') === (b !== undefined))
      throw new InvalidInputError(`interactions.${it.name}`, 'has the wrong partner', "Give a second channel unless it is with 'season'.");
    this.name = it.name;
    this.n = data.n;
    this.K = it.with === 'season' ? data.fourierColumns : 1;
    this.F = data.fourier;
    this.curveA = new ChannelCurve(a.channel, a.spend, G, T);
    this.curveB = b ? new ChannelCurve(b.channel, b.spend, G, T) : undefined;
    this.blocks = [{ name: it.block, size: this.K, prior: it.prior }];
    this.parameters = [{ name: it.block, size: this.K, prior: it.prior }];
    [this.c, this.h, this.up] = [0, 1, 2].map(() => new Float64Array(this.n));
    this.zero = new Float64Array(G);
    this.one = new Float64Array(G).fill(1);
    this.dots = new Float64Array(G);
  }

  bind(values: BlockViews, grads: BlockViews): void {
    this.curveA.bind(values, grads);
    this.curveB?.bind(values, grads);
    this.delta = values[this.it.block];
    this.gDelta = grads[this.it.block];
  }

  prepare(level: LevelState): void {
    this.curveA.prepare();
    this.curveB?.prepare();
    const ob = this.fill(this.delta);
    if (this.centred) level.offset += ob;
  }

  addMean(mu: Float64Array): void {
    const c = this.c;
    for (let t = 0; t < this.n; t++) mu[t] += c[t];
  }

  backward(g: Float64Array, level: LevelState): number {
    const { n, K, F, h, up, gDelta } = this;
    const shift = this.centred ? level.gradient / n : 0;
    const sa = this.curveA.saturated;
    if (this.curveB) {
      const sb = this.curveB.saturated;
      const d = this.delta[0];
      let gd = 0;
      for (let t = 0; t < n; t++) {
        const u = g[t] - shift;
        gd += u * sa[t] * sb[t];
        up[t] = u * d * sa[t];
      }
      gDelta[0] += gd;
      this.pull(this.curveB, up);
    } else
      for (let t = 0; t < n; t++) {
        const us = (g[t] - shift) * sa[t];
        const o = t * K;
        for (let k = 0; k < K; k++) gDelta[k] += us * F[o + k];
      }
    for (let t = 0; t < n; t++) up[t] = (g[t] - shift) * h[t];
    this.pull(this.curveA, up);
    return 0;
  }

  toNatural(sampled: BlockValues, out: Record<string, Float64Array>, level: LevelState): void {
    copyBlocks(this, sampled, out);
    if (this.centred) level.offset += this.at(sampled);
  }

  toSampled(natural: BlockValues, out: Record<string, Float64Array>, level: LevelState): void {
    copyBlocks(this, natural, out);
    if (this.centred) level.offset += this.at(natural);
  }

  contributionInto(out: Float64Array, natural: BlockValues): Float64Array {
    this.at(natural);
    out.set(this.c);
    return out;
  }

  /** the curves and the contribution at `values` (not the bound views); returns the contribution's mean */
  private at(values: BlockValues): number {
    this.curveA.transform(values);
    this.curveB?.transform(values);
    return this.fill(values[this.it.block]);
  }

  /** c and h from the curves' current values and δ; returns mean c */
  private fill(delta: ArrayLike<number>): number {
    const { n, K, F, c, h } = this;
    const sa = this.curveA.saturated;
    let total = 0;
    if (this.curveB) {
      const sb = this.curveB.saturated;
      const d = delta[0];
      for (let t = 0; t < n; t++) {
        h[t] = d * sb[t];
        total += c[t] = sa[t] * h[t];
      }
    } else
      for (let t = 0; t < n; t++) {
        let m = 0;
        const o = t * K;
        for (let k = 0; k < K; k++) m += delta[k] * F[o + k];
        h[t] = m;
        total += c[t] = sa[t] * m;
      }
    return total / n;
  }

  /** the gradient of Σ_t up_t·s_t in a curve's parameters, added to their blocks */
  private pull(curve: ChannelCurve, up: Float64Array): void {
    curve.likelihoodPass(up, this.zero, this.dots);
    curve.backward(up, this.zero, this.one, this.zero);
  }
}
