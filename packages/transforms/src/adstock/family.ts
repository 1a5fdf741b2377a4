import { DimensionMismatchError, assertInteger } from '@mmm/core';
import { adstockInputVjpInto, adstockInto, laggedCrossProductInto } from './convolve.js';

/**
 * An adstock family: lag weights w(θ) of length L and their Jacobian ∂w/∂θ. The adstocked series is the
 * causal convolution of the input with w ({@link adstockInto}), so one convolution engine serves every family.
 */
export interface AdstockFamily {
  /** Family name, e.g. `'geometric'`. */
  readonly name: AdstockName;
  /** Parameter names in the order the `params` arrays use. */
  readonly paramNames: readonly string[];
  /** Throws a typed error naming the parameter when `params` are outside their ranges. */
  check(params: ArrayLike<number>, maxLag: number): void;
  /** Writes the L = `out.length` lag weights; normalised to sum 1 when `normalize`. */
  weightsInto(out: Float64Array, params: ArrayLike<number>, normalize: boolean): Float64Array;
  /**
   * Writes the weights into `w` and their Jacobian, row-major `paramNames.length × L`, into `jac`
   * (`jac[p·L + l] = ∂w_l/∂θ_p`).
   */
  weightsJacobianInto(jac: Float64Array, w: Float64Array, params: ArrayLike<number>, normalize: boolean): Float64Array;
  /**
   * An O(n) form of the adstock and of its parameter gradient, when the family has one (the geometric family's
   * recursion); {@link adstockPreparedInto} and {@link adstockParamsVjpPrepared} use it instead of the O(n·L)
   * convolution.
   */
  readonly recurrence?: AdstockRecurrence;
}

/**
 * The O(n) form of an adstock family: the same values and gradient as the convolution with the family's weights, up to
 * rounding. Windows with no nonzero input give exactly 0, as the convolution does. It reads what it needs of the
 * window (its length, the normalisation) from the workspace's weights at `params`.
 */
export interface AdstockRecurrence {
  /** y = adstock(x) into `out` (not aliasing `x`), given `ws.weights` at `params` */
  into(out: Float64Array, x: ArrayLike<number>, params: ArrayLike<number>, ws: AdstockWorkspace): Float64Array;
  /**
   * gradParams[p] = Σ_t g_t·∂y_t/∂θ_p, given y = adstock(x) from {@link AdstockRecurrence.into} and `ws.weights`,
   * `ws.jacobian` at `params`
   */
  vjp(
    gradParams: Float64Array,
    x: ArrayLike<number>,
    y: ArrayLike<number>,
    g: ArrayLike<number>,
    params: ArrayLike<number>,
    ws: AdstockWorkspace,
  ): Float64Array;
  /**
   * The forward-mode derivatives out[p][t] = ∂y_t/∂θ_p (every series as long as `x`), given y from
   * {@link AdstockRecurrence.into} and `ws.weights`, `ws.jacobian` at `params`
   */
  tangentsInto(
    out: readonly Float64Array[],
    x: ArrayLike<number>,
    y: ArrayLike<number>,
    params: ArrayLike<number>,
    ws: AdstockWorkspace,
  ): readonly Float64Array[];
}

/** Names of the adstock families. */
export type AdstockName = 'geometric' | 'delayed' | 'weibullCdf' | 'weibullPdf';

/**
 * Turns raw weights and their Jacobian into those of the normalised weights w̃ = w / Σw, in place.
 * @remarks ∂w̃_l/∂θ = (∂w_l/∂θ − w̃_l · Σ_j ∂w_j/∂θ) / Σw.
 * @internal
 */
export function normalizeWeightsAndJacobian(w: Float64Array, jac: Float64Array | undefined, nParams: number): void {
  const L = w.length;
  let sum = 0;
  for (let l = 0; l < L; l++) sum += w[l];
  const inv = 1 / sum;
  for (let l = 0; l < L; l++) w[l] *= inv;
  if (!jac) return;
  for (let p = 0; p < nParams; p++) {
    const o = p * L;
    let dsum = 0;
    for (let l = 0; l < L; l++) dsum += jac[o + l];
    for (let l = 0; l < L; l++) jac[o + l] = (jac[o + l] - w[l] * dsum) * inv;
  }
}

/** Reusable buffers for {@link adstockVjp}; make once per model and channel. */
export interface AdstockWorkspace {
  /** lag weights, length L */
  readonly weights: Float64Array;
  /** weight Jacobian, nParams × L */
  readonly jacobian: Float64Array;
  /** lagged cross-products, length L */
  readonly cross: Float64Array;
}

/** Allocates an {@link AdstockWorkspace} for a family and a window of `maxLag` weights. */
export function createAdstockWorkspace(family: AdstockFamily, maxLag: number): AdstockWorkspace {
  return {
    weights: new Float64Array(maxLag),
    jacobian: new Float64Array(family.paramNames.length * maxLag),
    cross: new Float64Array(maxLag),
  };
}

/**
 * Vector-Jacobian product of an adstock: given the upstream gradient g = ∂f/∂y of the adstocked series y,
 * writes Σ_t g_t·∂y_t/∂θ_p into `gradParams[p]` and, when given, ∂f/∂x into `gradX`. Allocates nothing.
 * @remarks
 * ∂f/∂θ_p = Σ_l (∂w_l/∂θ_p) · c_l with c_l = Σ_t g_t x_{t−l}; ∂f/∂x_s = Σ_l w_l g_{s+l}.
 * @param family - the adstock family
 * @param x - input series (spend)
 * @param params - family parameters
 * @param normalize - whether the weights are normalised
 * @param g - upstream gradient, same length as `x`
 * @param gradParams - output, length ≥ `family.paramNames.length` (overwritten)
 * @param ws - workspace from {@link createAdstockWorkspace}; its length sets L
 * @param gradX - optional output for ∂f/∂x (overwritten)
 * @returns `gradParams`
 */
export function adstockVjp(
  family: AdstockFamily,
  x: ArrayLike<number>,
  params: ArrayLike<number>,
  normalize: boolean,
  g: ArrayLike<number>,
  gradParams: Float64Array,
  ws: AdstockWorkspace,
  gradX?: Float64Array,
): Float64Array {
  family.weightsJacobianInto(ws.jacobian, ws.weights, params, normalize);
  return adstockVjpPrepared(family.paramNames.length, x, g, gradParams, ws, gradX);
}

/**
 * {@link adstockVjp} when `ws.weights` and `ws.jacobian` already hold the weights and their Jacobian at the current
 * parameters (filled by `family.weightsJacobianInto(ws.jacobian, ws.weights, …)`, e.g. in the forward pass, whose
 * convolution can use `ws.weights`): a log density then computes the weights once per evaluation.
 * @param nParams - the family's number of parameters
 */
export function adstockVjpPrepared(
  nParams: number,
  x: ArrayLike<number>,
  g: ArrayLike<number>,
  gradParams: Float64Array,
  ws: AdstockWorkspace,
  gradX?: Float64Array,
): Float64Array {
  if (gradParams.length < nParams) throw new DimensionMismatchError('gradParams', nParams, gradParams.length);
  laggedCrossProductInto(ws.cross, g, x);
  const L = ws.weights.length;
  for (let p = 0; p < nParams; p++) {
    let acc = 0;
    const o = p * L;
    for (let l = 0; l < L; l++) acc += ws.jacobian[o + l] * ws.cross[l];
    gradParams[p] = acc;
  }
  if (gradX) adstockInputVjpInto(gradX, g, ws.weights);
  return gradParams;
}

/**
 * The adstock of `x` at `params` into `out` when `ws.weights` holds the family's weights at `params` (as for
 * {@link adstockVjpPrepared}): the family's O(n) recurrence when it has one, else the convolution with `ws.weights`.
 */
export function adstockPreparedInto(
  family: AdstockFamily,
  out: Float64Array,
  x: ArrayLike<number>,
  params: ArrayLike<number>,
  ws: AdstockWorkspace,
): Float64Array {
  if (family.recurrence) {
    if (out.length !== x.length) throw new DimensionMismatchError('out', x.length, out.length);
    return family.recurrence.into(out, x, params, ws);
  }
  return adstockInto(out, x, ws.weights);
}

/**
 * The parameter gradient Σ_t g_t·∂y_t/∂θ of y = {@link adstockPreparedInto}(x) into `gradParams`, when `ws.weights`
 * and `ws.jacobian` hold the family's weights and their Jacobian at `params` (`family.weightsJacobianInto`): by the
 * family's recurrence when it has one, else {@link adstockVjpPrepared}.
 */
export function adstockParamsVjpPrepared(
  family: AdstockFamily,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  g: ArrayLike<number>,
  params: ArrayLike<number>,
  gradParams: Float64Array,
  ws: AdstockWorkspace,
): Float64Array {
  const nParams = family.paramNames.length;
  if (!family.recurrence) return adstockVjpPrepared(nParams, x, g, gradParams, ws);
  if (gradParams.length < nParams) throw new DimensionMismatchError('gradParams', nParams, gradParams.length);
  if (g.length !== x.length) throw new DimensionMismatchError('g', x.length, g.length);
  return family.recurrence.vjp(gradParams, x, y, g, params, ws);
}

/**
 * The forward-mode derivatives of y = {@link adstockPreparedInto}(x) in the parameters, out[p][t] = ∂y_t/∂θ_p, when
 * `ws.weights` and `ws.jacobian` hold the family's weights and their Jacobian at `params`: by the family's recurrence
 * when it has one, else the convolution of x with each row of the Jacobian (O(n·L) per parameter). With them a
 * model that needs Σ_t g_t·∂y_t/∂θ for an upstream g known only later pays one dot product per parameter then.
 * Allocates nothing.
 * @param out - one series per parameter, each as long as `x` (overwritten)
 */
export function adstockTangentsPrepared(
  family: AdstockFamily,
  out: readonly Float64Array[],
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  params: ArrayLike<number>,
  ws: AdstockWorkspace,
): readonly Float64Array[] {
  const nParams = family.paramNames.length;
  const n = x.length;
  if (out.length < nParams) throw new DimensionMismatchError('out', nParams, out.length);
  for (let p = 0; p < nParams; p++) if (out[p].length !== n) throw new DimensionMismatchError(`out[${p}]`, n, out[p].length);
  if (y.length !== n) throw new DimensionMismatchError('y', n, y.length);
  if (family.recurrence) return family.recurrence.tangentsInto(out, x, y, params, ws);
  const L = ws.weights.length;
  const jac = ws.jacobian;
  for (let p = 0; p < nParams; p++) {
    const d = out[p];
    const o = p * L;
    for (let t = 0; t < n; t++) {
      const lmax = t < L - 1 ? t : L - 1;
      let acc = 0;
      for (let l = 0; l <= lmax; l++) acc += jac[o + l] * x[t - l];
      d[t] = acc;
    }
  }
  return out;
}

/**
 * Adstock of `x` by a family with given parameters and window, allocating the result.
 * @internal shared body of the per-family convenience functions
 */
export function applyAdstock(
  family: AdstockFamily,
  x: ArrayLike<number>,
  params: ArrayLike<number>,
  maxLag: number,
  normalize: boolean,
  out: Float64Array,
): Float64Array {
  return adstockInto(out, x, adstockWeights(family, params, maxLag, normalize));
}

/**
 * The checked lag weights of any adstock family: `maxLag` weights, normalised to sum 1 when `normalize`.
 * @example
 * adstockWeights(geometricAdstockFamily, [0.5], 3, false); // Float64Array [1, 0.5, 0.25]
 */
export function adstockWeights(family: AdstockFamily, params: ArrayLike<number>, maxLag: number, normalize: boolean): Float64Array {
  assertInteger('maxLag', maxLag, 1);
  family.check(params, maxLag);
  return family.weightsInto(new Float64Array(maxLag), params, normalize);
}
