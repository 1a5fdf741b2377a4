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
  vjp(
    x: ArrayLike<number>,
    params: ArrayLike<number>,
    g: ArrayLike<number>,
    gradParams: Float64Array,
    gradX?: Float64Array,
  ): Float64Array;
  /**
   * {@link SaturationFamily.valueInto} that also keeps, in `cache` (same length), what {@link SaturationFamily.vjpCached}
   * needs beyond the values (for Hill and power, ln x): the pair does each transcendental function once per element.
   */
  valueCacheInto(out: Float64Array, cache: Float64Array, x: ArrayLike<number>, params: ArrayLike<number>): Float64Array;
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

/** Names of the saturation families. */
export type SaturationName = 'hill' | 'logistic' | 'michaelisMenten' | 'tanh' | 'power';
