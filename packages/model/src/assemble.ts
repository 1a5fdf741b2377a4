// Adds a list of terms and an observation model up into one log density (see terms/term.ts for the contract).
import { InvalidInputError } from '@mmm/core';
import { createBlockModel, type BlockModel } from '@mmm/bayes-nuts';
import type { ModelData } from './data.js';
import type { ObservationModel } from './likelihood.js';
import type { MediaTerm } from './terms/media.js';
import {
  independentDraws,
  type BlockValues,
  type BlockViews,
  type LevelState,
  type ModelTerm,
  type PriorRng,
  type TermFactory,
  type TermParameter,
} from './terms/term.js';

/** The components of μ (see {@link AssembledModel.evaluate}), in units of mean y. */
export interface Decomposition {
  mu: Float64Array;
  /** intercept, trend and changepoints ('baseline' terms) */
  trend: Float64Array;
  seasonality: Float64Array;
  controls: Float64Array;
  /** each media term's contribution, in the model's channel order */
  contributions: Float64Array[];
  /** each channel's adstocked (scaled) input, for marginal effects */
  adstocked: Float64Array[];
  /** each channel's coefficient per period (β, or a geo's β_g): contribution = coefficient·s(adstocked) */
  coefficients: Float64Array[];
  /** the sum of any other terms (zero for the built-in model) */
  other: Float64Array;
  /** each term of the 'other' component on its own, by term name (the terms a user added) */
  terms: Record<string, Float64Array>;
}

/** A model made of terms: its log density in the sampler's coordinates, reported in the natural parameters. */
export interface AssembledModel {
  /** the log density on ℝ^dim, with names, blocks, constrain and unconstrain in the natural parameters */
  readonly density: BlockModel;
  /** the natural parameter names of every scalar, in θ order (e.g. `tv.adstock.alpha`, `fourier[2]`, `sigma`) */
  readonly names: readonly string[];
  readonly terms: readonly ModelTerm[];
  /** the media terms, in order */
  readonly media: readonly MediaTerm[];
  /** the decomposition of μ at natural values (fresh arrays) */
  evaluate(values: BlockValues): Decomposition;
  /**
   * every reported parameter block (the terms', then the observation model's) with what the pipeline needs of it: its
   * prior, its scope (shared, per geo, or the geo hierarchy's) and whether it is a hierarchical scale
   */
  readonly parameters: readonly TermParameter[];
  /** one draw of every natural parameter from the prior (each term's `drawPrior`, else each block's prior) */
  drawPrior(rng: PriorRng): Record<string, Float64Array>;
}

/**
 * Builds the log density Σ block priors + log p(y | μ) + Σ_k (term k's extra terms), μ = Σ_k term_k, from terms
 * made on `data` in the given coordinates. Blocks are laid out in the order of `factories`, then the observation
 * model's. One evaluation allocates nothing.
 */
export function assembleModel(
  factories: readonly TermFactory[],
  observation: ObservationModel,
  data: ModelData,
  centred: boolean,
): AssembledModel {
  const terms = factories.map((make) => make({ data, centred }));
  const levels = terms.filter((t) => t.level);
  if (levels.length > 1)
    throw new InvalidInputError('terms', `has ${levels.length} level terms`, 'Give the model one intercept (level) term.');
  for (const t of terms) {
    if (t.parameters.length !== t.blocks.length)
      throw new InvalidInputError(
        `terms.${t.name}.parameters`,
        `has ${t.parameters.length} entries for ${t.blocks.length} blocks`,
        'Report one parameter per sampled block, in the same order.',
      );
  }
  const ordered = [...levels, ...terms.filter((t) => !t.level)];
  const n = data.n;
  const mu = new Float64Array(n);
  const g = new Float64Array(n);
  const level = levelState(data);
  const inner = createBlockModel([...terms.flatMap((t) => t.blocks), ...observation.blocks], {
    bind(values: BlockViews, grads: Record<string, Float64Array>) {
      for (const t of terms) t.bind(values, grads);
      observation.bind(values, grads);
      const K = ordered.length;
      return () => {
        level.offset = 0;
        level.gradient = 0;
        level.geoOffset.fill(0);
        for (let k = 0; k < K; k++) ordered[k].prepare(level);
        if (levels.length === 0) mu.fill(0);
        for (let k = 0; k < K; k++) ordered[k].addMean(mu, level);
        const lp = observation.logLikelihood(data.y, mu, g);
        let extra = 0;
        for (let k = 0; k < K; k++) extra += ordered[k].backward(g, level);
        return lp + extra;
      };
    },
  });
  const density = naturalView(inner, terms, observation, data);
  // media terms carry their channel and adstocked input (a custom term must not claim the 'media' component otherwise)
  const media = terms.filter((t): t is MediaTerm => t.component === 'media' && 'decomposeInto' in t);
  return {
    density,
    names: density.names,
    terms,
    media,
    evaluate: (values) => decompose(terms, media, n, values),
    parameters: [...terms.flatMap((t) => t.parameters), ...observation.parameters],
    drawPrior(rng) {
      const drawn: Record<string, Float64Array> = {};
      for (const t of terms) {
        if (t.drawPrior) t.drawPrior(rng, drawn);
        else for (const p of t.parameters) drawn[p.name] = independentDraws(p, rng);
      }
      for (const p of observation.parameters) drawn[p.name] = independentDraws(p, rng);
      return drawn;
    },
  };
}

/** The decomposition of μ at natural values, term by term (fresh arrays). @internal */
function decompose(terms: readonly ModelTerm[], media: readonly MediaTerm[], n: number, values: BlockValues): Decomposition {
  const parts = {
    baseline: new Float64Array(n),
    seasonality: new Float64Array(n),
    controls: new Float64Array(n),
    other: new Float64Array(n),
  };
  const buf = new Float64Array(n);
  const contributions: Float64Array[] = [];
  const adstocked: Float64Array[] = [];
  const coefficients: Float64Array[] = [];
  const others: Record<string, Float64Array> = {};
  for (const t of terms) {
    if (t.component === 'media' && media.includes(t as MediaTerm)) {
      // one pass of the channel's transforms gives its contribution, input and coefficient
      const [c, a, b] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
      (t as MediaTerm).decomposeInto(c, a, b, values);
      contributions.push(c);
      adstocked.push(a);
      coefficients.push(b);
      continue;
    }
    const other = t.component === 'media' || t.component === 'other';
    const part = parts[other ? 'other' : t.component];
    t.contributionInto(buf, values);
    for (let i = 0; i < n; i++) part[i] += buf[i];
    if (other) others[t.name] = Float64Array.from(buf);
  }
  const total = new Float64Array(n);
  for (let i = 0; i < n; i++) total[i] = parts.baseline[i] + parts.seasonality[i] + parts.controls[i] + parts.other[i];
  for (const c of contributions) for (let i = 0; i < n; i++) total[i] += c[i];
  const { baseline: trend, seasonality, controls, other } = parts;
  return { mu: total, trend, seasonality, controls, contributions, adstocked, coefficients, other, terms: others };
}

/**
 * The block model seen in the natural parameters: same θ and log density, blocks and names renamed, and constrain /
 * unconstrain through the terms' maps (the level term last, once the others' offsets are known). @internal
 */
function naturalView(inner: BlockModel, terms: readonly ModelTerm[], observation: ObservationModel, data: ModelData): BlockModel {
  const renamed = new Map<string, string>();
  terms.forEach((t) => t.blocks.forEach((b, k) => renamed.set(b.name, t.parameters[k].name)));
  const natural = (nm: string) => renamed.get(nm) ?? nm;
  const observed = observation.blocks.map((b) => b.name);
  const natNames = inner.names.map((nm) => {
    const m = /^(.*?)(\[\d+\])?$/.exec(nm)!;
    return natural(m[1]) + (m[2] ?? '');
  });
  // the level term's map needs every other term's offset first
  const mapped = [...terms.filter((t) => !t.level), ...terms.filter((t) => t.level)];
  return {
    dim: inner.dim,
    names: natNames,
    blocks: inner.blocks.map((b) => ({ ...b, name: natural(b.name) })),
    logDensityGradient: (theta, grad) => inner.logDensityGradient(theta, grad),
    constrain(theta) {
      const sampled = inner.constrain(theta);
      const out: Record<string, Float64Array> = {};
      const level = levelState(data);
      for (const t of mapped) t.toNatural(sampled, out, level);
      for (const nm of observed) out[nm] = sampled[nm];
      return out;
    },
    unconstrain(values) {
      for (const t of terms) {
        for (const p of t.parameters)
          if (!values[p.name]) throw new InvalidInputError(`values.${p.name}`, 'is missing', 'Give a value for every parameter block.');
      }
      const out: Record<string, Float64Array> = {};
      const level = levelState(data);
      for (const t of mapped) t.toSampled(values, out, level);
      for (const nm of observed) if (values[nm]) out[nm] = Float64Array.from(values[nm]);
      return inner.unconstrain(out);
    },
  };
}

/** A fresh level state: per-geo arrays sized by the data's geos (none for national data). @internal */
function levelState(data: ModelData): LevelState {
  const G = data.geos?.count ?? 0;
  return { offset: 0, gradient: 0, geoOffset: new Float64Array(G), geoGradient: new Float64Array(G) };
}
