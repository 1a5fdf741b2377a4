// The contract every part of the model's mean follows. A model is a list of terms plus an observation model
// (likelihood.ts); assemble.ts adds them up. docs/architecture.md ("Adding a model term") walks through a new one.
import { InvalidInputError } from '@mmm/core';
import { samplePrior, type ParameterBlock, type PriorSpec } from '@mmm/bayes-nuts';
import type { ModelData } from '../data.js';

/** Parameter values by block name (one draw's values, or a point's). */
export type BlockValues = Readonly<Record<string, ArrayLike<number>>>;

/** The model's own value and gradient arrays by block name, handed to {@link ModelTerm.bind} once. */
export type BlockViews = Readonly<Record<string, Float64Array>>;

/**
 * What the terms share while the log density is evaluated: the centred level. In the centred coordinates the
 * sampler moves in the level m = intercept + Σ_k ō_k, where ō_k is term k's mean contribution over the periods (its
 * *offset*); the intercept term turns m back into the intercept, and every other term's gradient gains −G·∂ō_k/∂θ_k,
 * G = ∂ log p/∂intercept. In the natural coordinates offsets are not used and G is still Σ_t ∂ℓ/∂μ_t.
 */
export interface LevelState {
  /** Σ_k ō_k, accumulated by the terms in `prepare` (or in `toNatural` / `toSampled`) */
  offset: number;
  /** G, the full derivative of the log density in the intercept: set by the level term's `backward` */
  gradient: number;
  /**
   * In a geo model (one baseline per geo): each geo's own offsets (geo-specific terms add theirs here; the shared
   * `offset` applies to every geo) and each geo's G_g, with `gradient` = Σ_g G_g. Length G; empty in a national model.
   */
  geoOffset: Float64Array;
  geoGradient: Float64Array;
}

/** A reported (natural) parameter of a term: its block name, size and prior. */
export interface TermParameter {
  name: string;
  size: number;
  /** its prior, when its elements are independent draws from one (none: drawn by the term's `drawPrior`) */
  prior?: PriorSpec;
  /**
   * 'geo': one value per geo of a panel (indexed by geo); 'hierarchy': a group-level parameter of a geo hierarchy (a
   * mean or spread over the geos); 'shared' (the default): the same for every geo
   */
  scope?: 'shared' | 'geo' | 'hierarchy';
  /** a group-level scale (the spread of geo baselines, a channel's geo scatter): its posterior mode may sit at 0 */
  hierarchicalScale?: boolean;
}

/** A seeded source of uniform and standard normal draws (bayes-nuts' `Rng`). */
export interface PriorRng {
  uniform(): number;
  normal(): number;
}

/** What a term factory is given: the model's data and coordinates. */
export interface TermContext {
  readonly data: ModelData;
  /** the centred coordinates (the spec's default) or the natural ones */
  readonly centred: boolean;
}

/** Which component of the decomposition a term's contribution belongs to. */
export type TermComponent = 'baseline' | 'seasonality' | 'controls' | 'media' | 'other';

/**
 * One additive part of the mean μ_t, owning its parameters. Hot methods (`prepare`, `addMean`, `backward`) read
 * and write the block views handed to `bind` once and allocate nothing; the others take value records and may
 * allocate (they run once per draw or per report).
 *
 * Per evaluation of the log density, the assembler calls, in this order: `prepare` on every term; `addMean` on
 * the level term (which fills μ) and then on the others in list order; the observation model, which writes
 * g_t = ∂ℓ/∂μ_t; `backward` on the level term (which sets G) and then on the others. The log density is the
 * block priors + the observation model + Σ of what `backward` returns.
 */
export interface ModelTerm {
  /** e.g. `'intercept'`, `'trend'`, `'tv'` */
  readonly name: string;
  readonly component: TermComponent;
  /** the blocks the sampler moves in, with their priors where those are independent per element */
  readonly blocks: readonly ParameterBlock[];
  /** the blocks as reported in draws, in the same order (differ from `blocks` in the centred coordinates) */
  readonly parameters: readonly TermParameter[];
  /** true for the one term that turns the centred level into the intercept (it runs first in `addMean` and `backward`) */
  readonly level?: boolean;
  /** receives the block views once; they hold the current values and gradients for the model's whole life */
  bind(values: BlockViews, grads: BlockViews): void;
  /** computes what `addMean` and `backward` need at the current values; adds the term's offset to `level.offset` */
  prepare(level: LevelState): void;
  /** adds the term's contribution to μ (the level term writes every element first) */
  addMean(mu: Float64Array, level: LevelState): void;
  /**
   * Given g = ∂ℓ/∂μ, adds the gradient of the log density in the term's blocks to their gradient views; returns
   * what the term adds to the log density beyond its blocks' priors (priors on derived quantities, log-Jacobians).
   */
  backward(g: Float64Array, level: LevelState): number;
  /** writes the term's natural parameters from sampled values into `out`; adds its offset to `level.offset` */
  toNatural(sampled: BlockValues, out: Record<string, Float64Array>, level: LevelState): void;
  /** the inverse map: sampled values from natural ones into `out`; adds its offset to `level.offset` */
  toSampled(natural: BlockValues, out: Record<string, Float64Array>, level: LevelState): void;
  /** the contribution to μ at natural values, into `out` (length n) */
  contributionInto(out: Float64Array, natural: BlockValues): Float64Array;
  /**
   * One draw of the term's natural parameters from their prior into `drawn`, which holds the earlier terms' draws (for
   * prior predictive checks). Without it each parameter is drawn from its `prior`, element by element.
   */
  drawPrior?(rng: PriorRng, drawn: Record<string, Float64Array>): void;
  /**
   * A term linear in its parameters, Σ_k w_k·X_tk, gives its columns X_k by the scalar name of w_k (`fourier[2]`), for
   * the classical path's design matrix; a term without them cannot be fitted by a classical method.
   */
  designColumns?(): Array<{ name: string; values: Float64Array }>;
}

/** Makes a term for a model's data; the model calls it once. */
export type TermFactory = (context: TermContext) => ModelTerm;

/** Copies a term's blocks from one record to another (the map of a term whose sampled and natural parameters agree). @internal */
export function copyBlocks(term: Pick<ModelTerm, 'parameters'>, from: BlockValues, out: Record<string, Float64Array>): void {
  for (const p of term.parameters) out[p.name] = Float64Array.from(from[p.name]);
}

/** Σ_t a_t·b_t. @internal */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let t = 0; t < n; t++) s += a[t] * b[t];
  return s;
}

/** A parameter block's elements drawn from its prior, one by one; a typed error for a block without a prior. @internal */
export function independentDraws(p: TermParameter, rng: PriorRng): Float64Array {
  const prior = p.prior;
  if (!prior)
    throw new InvalidInputError(
      `terms.${p.name}.prior`,
      'is missing',
      'A parameter without an independent prior needs its term to draw it (drawPrior).',
    );
  return Float64Array.from({ length: p.size }, () => samplePrior(prior, rng));
}
