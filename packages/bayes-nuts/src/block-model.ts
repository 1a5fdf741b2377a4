import { InvalidInputError, assertInteger } from '@mmm/core';
import { constrainInto, constrainVjp, insideSupport, unconstrain, type Constraint } from './bijectors.js';
import type { LogDensity } from './log-density.js';
import { checkPrior, priorLogDensityGradient, priorSupport, type PriorSpec } from './priors.js';

/** One named block of parameters: its size, constraint and (optional) prior on each element. */
export interface ParameterBlock {
  name: string;
  /** number of scalars; @defaultValue 1 */
  size?: number;
  /** @defaultValue 'real' (or the prior's support: positive for halfNormal, unit for beta, …) */
  constraint?: Constraint;
  /** independent prior on every element; omit for a flat prior (the likelihood may add its own terms) */
  prior?: PriorSpec;
}

/**
 * The likelihood (and any extra prior terms) on constrained values: returns its log value and writes its gradient
 * with respect to each block's constrained values into `grads[name]` (pre-zeroed). Must not keep the arrays.
 */
export type BlockLogLikelihood = (values: Readonly<Record<string, Float64Array>>, grads: Record<string, Float64Array>) => number;

/**
 * The factory form of a block likelihood, for models that keep per-block views in their own workspace: `bind` is
 * called once, when the model is made, with the arrays that hold each block's constrained values and gradient for
 * the model's whole life (the same arrays at every evaluation, `grads` pre-zeroed before each call); it returns the
 * function evaluated at every point. It is stdlib's factory pattern: buffers are handed over once, not kept by
 * accident.
 */
export interface BoundLogLikelihood {
  bind(values: Readonly<Record<string, Float64Array>>, grads: Record<string, Float64Array>): () => number;
}

/** A {@link LogDensity} built by {@link createBlockModel}, with the maps between spaces. */
export interface BlockModel extends LogDensity {
  /** scalar names in θ order, e.g. `['alpha[1]', 'alpha[2]', 'sigma']` */
  readonly names: readonly string[];
  readonly blocks: ReadonlyArray<Required<Pick<ParameterBlock, 'name' | 'size'>> & { constraint: Constraint; offset: number }>;
  /** constrained values of an unconstrained point, by block (new arrays) */
  constrain(theta: ArrayLike<number>): Record<string, Float64Array>;
  /** unconstrained point of constrained values by block */
  unconstrain(values: Readonly<Record<string, ArrayLike<number>>>): Float64Array;
}

/** Each block's offset in θ, size, constraint (given, or the prior's support) and checked prior. @internal */
function layoutOf(blocks: ReadonlyArray<ParameterBlock>) {
  if (blocks.length === 0) throw new InvalidInputError('blocks', 'is empty', 'Declare at least one parameter block.');
  const seen = new Set<string>();
  let dim = 0;
  const layout = blocks.map((b, k) => {
    if (!b.name || seen.has(b.name))
      throw new InvalidInputError(`blocks[${k}].name`, b.name ? `repeats "${b.name}"` : 'is empty', 'Give every block a unique name.');
    seen.add(b.name);
    const size = b.size ?? 1;
    assertInteger(`blocks.${b.name}.size`, size, 1);
    if (b.prior) checkPrior(b.prior, `blocks.${b.name}.prior`);
    const support = b.prior ? priorSupport(b.prior) : 'real';
    const constraint: Constraint = b.constraint ?? support;
    const out = { name: b.name, size, constraint, offset: dim, prior: b.prior };
    dim += size;
    return out;
  });
  return { layout, dim };
}

/**
 * The names of a block's scalars as draws report them: the block's own name when it holds one value, else
 * `name[1]`, `name[2]`, … (1-based, as Stan and ArviZ).
 * @example
 * scalarNames({ name: 'fourier', size: 2 }); // ['fourier[1]', 'fourier[2]']
 */
export function scalarNames(block: { name: string; size: number }): string[] {
  return block.size === 1 ? [block.name] : Array.from({ length: block.size }, (_, k) => `${block.name}[${k + 1}]`);
}

/**
 * Assembles a log density on ℝ^dim from named, constrained parameter blocks: it maps θ to constrained values,
 * adds each block's prior and the log-Jacobian of its constraint, calls the likelihood once, and applies the chain
 * rule. The model writes its likelihood and its gradient on the natural scale only: as a function of the values
 * (which must not keep the arrays) or as a {@link BoundLogLikelihood} (which is handed them once). One evaluation allocates
 * nothing. A point whose constrained values underflow or overflow onto a bound (e.g. eᵘ = 0) has log density −∞
 * (the sampler rejects it), so the likelihood only ever sees values inside the support.
 * @example
 * const m = createBlockModel([{ name: 'mu', prior: { dist: 'normal', mu: 0, sigma: 5 } }, { name: 'sigma', prior: { dist: 'halfNormal',
 * sigma: 1 } }],
 * (v, g) => { const r = (1.3 - v.mu[0]) / v.sigma[0]; g.mu[0] = r / v.sigma[0]; g.sigma[0] = (r *r - 1) / v.sigma[0]; return -0.5 *r *r -
 * Math.log(v.sigma[0]); });
 * m.names; // ['mu', 'sigma']
 */
export function createBlockModel(blocks: ReadonlyArray<ParameterBlock>, logLikelihood: BlockLogLikelihood): BlockModel;
export function createBlockModel(blocks: ReadonlyArray<ParameterBlock>, logLikelihood: BoundLogLikelihood): BlockModel;
export function createBlockModel(
  blocks: ReadonlyArray<ParameterBlock>,
  logLikelihood: BlockLogLikelihood | BoundLogLikelihood,
): BlockModel {
  const { layout, dim } = layoutOf(blocks);
  const names: string[] = [];
  for (const b of layout) {
    names.push(...scalarNames(b));
  }
  // buffers, made once
  const x = new Float64Array(dim);
  const gx = new Float64Array(dim);
  const priorGrad = new Float64Array(dim); // stays 0 for blocks without a prior
  const dLogJac = new Float64Array(dim);
  const dxdu = new Float64Array(dim);
  const pg = new Float64Array(1);
  const values: Record<string, Float64Array> = {};
  const grads: Record<string, Float64Array> = {};
  for (const b of layout) {
    values[b.name] = x.subarray(b.offset, b.offset + b.size);
    grads[b.name] = gx.subarray(b.offset, b.offset + b.size);
  }
  const evaluate = typeof logLikelihood === 'function' ? () => logLikelihood(values, grads) : logLikelihood.bind(values, grads);

  return {
    dim,
    names,
    blocks: layout.map(({ name, size, constraint, offset }) => ({ name, size, constraint, offset })),
    logDensityGradient(theta, grad) {
      let lp = 0;
      for (const b of layout) {
        lp += constrainInto(x, dLogJac, dxdu, b.constraint, theta, b.offset, b.size);
        // a value pushed onto a bound by underflow or overflow is outside the support: reject the point, as Stan does
        if (!insideSupport(b.constraint, x, b.offset, b.size)) {
          grad.fill(0);
          return -Infinity;
        }
      }
      for (const b of layout) {
        if (!b.prior) continue;
        for (let i = b.offset; i < b.offset + b.size; i++) {
          lp += priorLogDensityGradient(b.prior, x[i], pg);
          priorGrad[i] = pg[0];
        }
      }
      gx.fill(0);
      lp += evaluate();
      for (let i = 0; i < dim; i++) gx[i] += priorGrad[i];
      grad.fill(0);
      for (const b of layout) constrainVjp(b.constraint, gx, dxdu, grad, b.offset, b.size);
      for (let i = 0; i < dim; i++) grad[i] += dLogJac[i];
      return Number.isNaN(lp) ? -Infinity : lp;
    },
    constrain(theta) {
      const u = Float64Array.from(theta);
      const out = new Float64Array(dim);
      const a = new Float64Array(dim);
      const b2 = new Float64Array(dim);
      const res: Record<string, Float64Array> = {};
      for (const b of layout) {
        constrainInto(out, a, b2, b.constraint, u, b.offset, b.size);
        res[b.name] = out.slice(b.offset, b.offset + b.size);
      }
      return res;
    },
    unconstrain(vals) {
      const u = new Float64Array(dim);
      for (const b of layout) {
        const v = vals[b.name];
        if (!v) throw new InvalidInputError(`values.${b.name}`, 'is missing', `Give ${b.size} value(s) for every block.`);
        if (v.length !== b.size)
          throw new InvalidInputError(`values.${b.name}`, `has length ${v.length}`, `Block ${b.name} has size ${b.size}.`);
        u.set(unconstrain(b.constraint, v, `values.${b.name}`), b.offset);
      }
      return u;
    },
  };
}
