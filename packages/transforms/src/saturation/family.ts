import { DimensionMismatchError } from '@mmm/core';

/**
 * A saturation family: an elementwise curve s(x; θ) with its derivative in x and its gradient in θ.
 * Its `vjp` lets a model's gradient accumulate Σ_t g_t·∂s(x_t)/∂θ without allocating.
 */
export interface SaturationFamily {
  /** Family name, e.g. `'hill'` (a {@link SaturationName} for the built-in families; any name for one of your own). */
  readonly name: string;
  /** Parameter names in the order the `params` arrays use. */
  readonly paramNames: readonly string[];
  /** Throws a typed error naming the parameter when `params` are outside their ranges. */
  check(params: ArrayLike<number>): void;
  /** s(x; θ) at one point. */
  value(x: number, params: ArrayLike<number>): number;
  /** ∂s/∂x at one point (its limit at x = 0). */
  derivative(x: number, params: ArrayLike<number>): number;
  /**
   * ∂s/∂x at x > 0 given the value s(x; θ) there, without recomputing it (for Hill S·s·(1 − s)/x: no transcendental
   * function); optional, {@link SaturationFamily.derivative} otherwise.
   */
  derivativeFromValue?(x: number, value: number, params: ArrayLike<number>): number;
  /** Elementwise s(x_t; θ) into `out` (which may alias `x`). */
  valueInto(out: Float64Array, x: ArrayLike<number>, params: ArrayLike<number>): Float64Array;
  /**
   * Given the upstream gradient g = ∂f/∂s, writes Σ_t g_t·∂s(x_t)/∂θ_p into `gradParams[p]` (overwritten) and,
   * when given, g_t·∂s/∂x_t into `gradX` (which may alias `g`). Returns `gradParams`.
   */
  vjp(x: ArrayLike<number>, params: ArrayLike<number>, g: ArrayLike<number>, gradParams: Float64Array, gradX?: Float64Array): Float64Array;
  /**
   * {@link SaturationFamily.valueInto} that also keeps, in `cache` (same length), what {@link SaturationFamily.vjpCached}
   * needs beyond the values (for Hill and power, ln x): the pair does each transcendental function once per element.
   */
  valueCacheInto(out: Float64Array, cache: Float64Array, x: ArrayLike<number>, params: ArrayLike<number>): Float64Array;
  /**
   * Forward mode: s(x_t; θ) into `out`, ∂s/∂x_t into `dx` (its limit at x = 0, as {@link SaturationFamily.derivative})
   * and ∂s(x_t)/∂θ_p into `dParams[p]`, every array as long as `x`; optional (a family of your own without it gets
   * {@link saturationJacobianInto}'s element-by-element fallback). Returns `out`.
   */
  jacobianInto?(
    out: Float64Array,
    dx: Float64Array,
    dParams: readonly Float64Array[],
    x: ArrayLike<number>,
    params: ArrayLike<number>,
  ): Float64Array;
  /** {@link SaturationFamily.vjp} from the values and cache of {@link SaturationFamily.valueCacheInto} at the same x and params. */
  vjpCached(
    x: ArrayLike<number>,
    params: ArrayLike<number>,
    values: ArrayLike<number>,
    cache: ArrayLike<number>,
    g: ArrayLike<number>,
    gradParams: Float64Array,
    gradX?: Float64Array,
  ): Float64Array;
}

/**
 * {@link SaturationFamily.jacobianInto} for any family: the family's own when it has one, else element by element
 * from `value`, `derivative` and `vjp` with a unit upstream gradient (slower; allocates only its scratch). Checks the
 * lengths. Returns `out`.
 */
export function saturationJacobianInto(
  family: SaturationFamily,
  out: Float64Array,
  dx: Float64Array,
  dParams: readonly Float64Array[],
  x: ArrayLike<number>,
  params: ArrayLike<number>,
): Float64Array {
  const n = x.length;
  const nParams = family.paramNames.length;
  if (out.length !== n) throw new DimensionMismatchError('out', n, out.length);
  if (dx.length !== n) throw new DimensionMismatchError('dx', n, dx.length);
  if (dParams.length < nParams) throw new DimensionMismatchError('dParams', nParams, dParams.length);
  for (let p = 0; p < nParams; p++) if (dParams[p].length !== n) throw new DimensionMismatchError(`dParams[${p}]`, n, dParams[p].length);
  if (family.jacobianInto) return family.jacobianInto(out, dx, dParams, x, params);
  family.check(params);
  const xs = new Float64Array(1);
  const one = Float64Array.of(1);
  const gp = new Float64Array(nParams);
  for (let t = 0; t < n; t++) {
    xs[0] = x[t];
    out[t] = family.value(x[t], params);
    dx[t] = family.derivative(x[t], params);
    family.vjp(xs, params, one, gp);
    for (let p = 0; p < nParams; p++) dParams[p][t] = gp[p];
  }
  return out;
}

/** Names of the saturation families. */
export type SaturationName = 'hill' | 'logistic' | 'michaelisMenten' | 'tanh' | 'power';
