import {
  ANY,
  DimensionMismatchError,
  InvalidInputError,
  InvalidParameterError,
  NonFiniteError,
  assertInteger,
  checkOptions,
  optionKeys,
} from '@mmm/core';

/** An objective: returns f(x) and writes ∇f(x) into `grad` (the convention of a sampler's log density). */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Options of {@link minimize}. */
export interface MinimizeOptions {
  /** lower bounds (−∞ allowed); one number for all or one per variable */
  lower?: number | ArrayLike<number>;
  /** upper bounds (+∞ allowed) */
  upper?: number | ArrayLike<number>;
  /** stop when ‖P(x − ∇f) − x‖∞ ≤ gradTol·max(1, |f|); @defaultValue 1e-10 */
  gradTol?: number;
  /** stop when the relative decrease of f over an iteration is ≤ relTol; @defaultValue 1e-15 */
  relTol?: number;
  /** @defaultValue 2000 */
  maxIterations?: number;
  /** L-BFGS memory (pairs kept); @defaultValue 10 */
  memory?: number;
}

/** Why {@link minimize} stopped. */
export type StopReason = 'gradient' | 'relative-change' | 'max-iterations' | 'line-search';

const MINIMIZE_OPTIONS_SHAPE = optionKeys<MinimizeOptions>({
  lower: ANY,
  upper: ANY,
  gradTol: ANY,
  relTol: ANY,
  maxIterations: ANY,
  memory: ANY,
});

/** The result of {@link minimize}. */
export interface MinimizeResult {
  x: Float64Array;
  value: number;
  /** gradient at x */
  gradient: Float64Array;
  converged: boolean;
  reason: StopReason;
  iterations: number;
  /** objective evaluations */
  evaluations: number;
  /** ‖P(x − ∇f) − x‖∞ at the end */
  projectedGradientNorm: number;
}

/**
 * Minimises a smooth function subject to simple bounds l ≤ x ≤ u by limited-memory BFGS with an active set.
 * @remarks
 * Each iteration fixes the variables that sit on a bound with the gradient pushing outward, takes the L-BFGS
 * direction (two-loop recursion, Nocedal & Wright 2006, Alg. 7.4) in the free variables, and searches along it
 * with a line search that keeps the strong Wolfe conditions (Alg. 3.5–3.6, c₁ = 10⁻⁴, c₂ = 0.9), capped at the
 * first bound the step meets; a step that reaches a bound there is accepted on sufficient decrease. Variables
 * within 10⁻¹² (relative) of a bound are put on it. Stops on the projected-gradient norm, on the relative change
 * of f, or on the iteration limit.
 * @param f - value and gradient
 * @param x0 - starting point (moved inside the bounds)
 * @example
 * const r = minimize((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, [0], { upper: 2 });
 * r.x[0]; // 2
 */
// long: the L-BFGS-B iteration (projected direction, Wolfe line search with bound capping, two-loop update) is a
// hot numeric kernel whose state lives in preallocated locals; it follows Nocedal & Wright step by step
export function minimize(f: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  checkOptions(options, MINIMIZE_OPTIONS_SHAPE, 'options');
  const n = x0.length;
  if (n === 0) throw new InvalidInputError('x0', 'is empty', 'Pass a starting point with at least one variable.');
  const lower = bounds('lower', options.lower, n, -Infinity);
  const upper = bounds('upper', options.upper, n, Infinity);
  for (let i = 0; i < n; i++) {
    if (!(lower[i] <= upper[i]))
      throw new InvalidInputError(
        `lower[${i}]`,
        `is ${lower[i]} > upper[${i}] = ${upper[i]}`,
        'Each lower bound must not exceed its upper bound.',
      );
    if (!Number.isFinite(x0[i])) throw new NonFiniteError(`x0[${i}]`, x0[i]);
  }
  const gradTol = options.gradTol ?? 1e-10;
  const relTol = options.relTol ?? 1e-15;
  const maxIterations = options.maxIterations ?? 2000;
  const m = options.memory ?? 10;
  assertInteger('maxIterations', maxIterations, 1);
  assertInteger('memory', m, 1);
  if (!(gradTol >= 0)) throw new InvalidParameterError('gradTol', gradTol, '[0, ∞)');

  const x = Float64Array.from(x0, (v, i) => Math.min(upper[i], Math.max(lower[i], v)));
  const g = new Float64Array(n);
  let evaluations = 0;
  const evaluate = (at: Float64Array, grad: Float64Array): number => {
    evaluations += 1;
    const v = f(at, grad);
    return Number.isNaN(v) ? Infinity : v;
  };
  let fx = evaluate(x, g);
  if (!Number.isFinite(fx)) throw new NonFiniteError('f(x0)', fx, 'Start where the objective is finite.');
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(g[i])) throw new NonFiniteError(`gradient[${i}] at x0`, g[i], 'The objective must write a finite gradient.');

  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rhoS: number[] = [];
  const d = new Float64Array(n);
  const free = new Uint8Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const alphaBuf = new Float64Array(m);
  let reason: StopReason = 'max-iterations';
  let iterations = 0;
  let pgNorm = projectedGradientNorm(x, g, lower, upper);

  for (; iterations < maxIterations; iterations++) {
    if (pgNorm <= gradTol * Math.max(1, Math.abs(fx))) {
      reason = 'gradient';
      break;
    }
    // active set: on a bound with the gradient pushing out
    for (let i = 0; i < n; i++) {
      const fixed = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0);
      free[i] = fixed ? 0 : 1;
    }
    twoLoop(g, free, S, Y, rhoS, d, alphaBuf);
    // a free variable on its bound cannot move outward, whatever the quasi-Newton direction says
    for (let i = 0; i < n; i++) if ((x[i] <= lower[i] && d[i] < 0) || (x[i] >= upper[i] && d[i] > 0)) d[i] = 0;
    let slope = 0;
    for (let i = 0; i < n; i++) slope += g[i] * d[i];
    if (!(slope < 0)) {
      // not a descent direction in the free space: forget the curvature pairs, go downhill
      S.length = 0;
      Y.length = 0;
      rhoS.length = 0;
      slope = 0;
      for (let i = 0; i < n; i++) {
        d[i] = free[i] ? -g[i] : 0;
        if ((x[i] <= lower[i] && d[i] < 0) || (x[i] >= upper[i] && d[i] > 0)) d[i] = 0;
        slope += g[i] * d[i];
      }
      if (!(slope < 0)) {
        reason = 'gradient';
        break;
      }
    }
    // largest step that keeps x + αd inside the bounds
    let alphaMax = Infinity;
    for (let i = 0; i < n; i++) {
      if (d[i] < 0 && lower[i] > -Infinity) alphaMax = Math.min(alphaMax, (lower[i] - x[i]) / d[i]);
      else if (d[i] > 0 && upper[i] < Infinity) alphaMax = Math.min(alphaMax, (upper[i] - x[i]) / d[i]);
    }
    let alpha0 = 1;
    if (S.length === 0) {
      let dn = 0;
      for (let i = 0; i < n; i++) dn = Math.max(dn, Math.abs(d[i]));
      alpha0 = Math.min(1, 1 / dn);
    }
    const ls = wolfeSearch(evaluate, x, fx, slope, d, Math.min(alpha0, alphaMax), alphaMax, xNew, gNew);
    if (!ls) {
      reason = 'line-search';
      break;
    }
    // snap to bounds and keep the curvature pair
    for (let i = 0; i < n; i++) {
      const span = Math.max(1, Math.abs(xNew[i]));
      if (xNew[i] - lower[i] <= 1e-12 * span) xNew[i] = lower[i];
      if (upper[i] - xNew[i] <= 1e-12 * span) xNew[i] = upper[i];
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
      sy += s[i] * y[i];
      yy += y[i] * y[i];
    }
    const fOld = fx;
    x.set(xNew);
    g.set(gNew);
    fx = ls.value;
    if (sy > 1e-10 * yy && sy > 0) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rhoS.shift();
      }
      S.push(s);
      Y.push(y);
      rhoS.push(1 / sy);
    }
    pgNorm = projectedGradientNorm(x, g, lower, upper);
    if (
      Math.abs(fOld - fx) <= relTol * Math.max(Math.abs(fOld), Math.abs(fx), Number.MIN_VALUE) &&
      pgNorm <= Math.sqrt(gradTol) * Math.max(1, Math.abs(fx))
    ) {
      reason = 'relative-change';
      iterations += 1;
      break;
    }
  }
  if (reason === 'max-iterations' && pgNorm <= gradTol * Math.max(1, Math.abs(fx))) reason = 'gradient';
  return {
    x,
    value: fx,
    gradient: g,
    converged: reason === 'gradient' || reason === 'relative-change',
    reason,
    iterations,
    evaluations,
    projectedGradientNorm: pgNorm,
  };
}

function bounds(field: string, b: number | ArrayLike<number> | undefined, n: number, fill: number): Float64Array {
  if (b === undefined) return new Float64Array(n).fill(fill);
  if (typeof b === 'number') {
    if (Number.isNaN(b)) throw new NonFiniteError(field, b, 'Bounds may be ±Infinity but not NaN.');
    return new Float64Array(n).fill(b);
  }
  if (b.length !== n) throw new DimensionMismatchError(field, n, b.length);
  const out = Float64Array.from(b);
  for (let i = 0; i < n; i++)
    if (Number.isNaN(out[i])) throw new NonFiniteError(`${field}[${i}]`, out[i], 'Bounds may be ±Infinity but not NaN.');
  return out;
}

/** ‖P(x − g) − x‖∞, the first-order optimality measure for bounds. */
function projectedGradientNorm(x: Float64Array, g: Float64Array, lower: Float64Array, upper: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const p = Math.min(upper[i], Math.max(lower[i], x[i] - g[i])) - x[i];
    m = Math.max(m, Math.abs(p));
  }
  return m;
}

/** d = −H·g over the free variables (fixed ones get 0), by the L-BFGS two-loop recursion. */
function twoLoop(
  g: Float64Array,
  free: Uint8Array,
  S: Float64Array[],
  Y: Float64Array[],
  rho: number[],
  d: Float64Array,
  alpha: Float64Array,
): void {
  const n = g.length;
  for (let i = 0; i < n; i++) d[i] = free[i] ? -g[i] : 0;
  const k = S.length;
  for (let j = k - 1; j >= 0; j--) {
    let a = 0;
    for (let i = 0; i < n; i++) if (free[i]) a += S[j][i] * d[i];
    a *= rho[j];
    alpha[j] = a;
    for (let i = 0; i < n; i++) if (free[i]) d[i] -= a * Y[j][i];
  }
  if (k > 0) {
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      if (!free[i]) continue;
      sy += S[k - 1][i] * Y[k - 1][i];
      yy += Y[k - 1][i] * Y[k - 1][i];
    }
    const gamma = yy > 0 && sy > 0 ? sy / yy : 1;
    for (let i = 0; i < n; i++) d[i] *= gamma;
  }
  for (let j = 0; j < k; j++) {
    let b = 0;
    for (let i = 0; i < n; i++) if (free[i]) b += Y[j][i] * d[i];
    b *= rho[j];
    for (let i = 0; i < n; i++) if (free[i]) d[i] += S[j][i] * (alpha[j] - b);
  }
}

/**
 * Line search along d from x for the strong Wolfe conditions (Nocedal & Wright, Alg. 3.5 with the zoom of
 * Alg. 3.6 and cubic interpolation), never stepping past `alphaMax`; at `alphaMax` (a bound) sufficient decrease
 * alone is enough. Writes the accepted point and gradient into xNew, gNew.
 */
function wolfeSearch(
  evaluate: (x: Float64Array, g: Float64Array) => number,
  x: Float64Array,
  f0: number,
  slope0: number,
  d: Float64Array,
  alphaInit: number,
  alphaMax: number,
  xNew: Float64Array,
  gNew: Float64Array,
): { value: number } | undefined {
  const c1 = 1e-4;
  const c2 = 0.9;
  const n = x.length;
  const phi = (a: number): { f: number; slope: number } => {
    for (let i = 0; i < n; i++) xNew[i] = x[i] + a * d[i];
    const fv = evaluate(xNew, gNew);
    let s = 0;
    for (let i = 0; i < n; i++) s += gNew[i] * d[i];
    return { f: fv, slope: s };
  };
  let aPrev = 0;
  let fPrev = f0;
  let sPrev = slope0;
  let a = alphaInit;
  for (let it = 0; it < 60; it++) {
    const { f: fa, slope: sa } = phi(a);
    if (fa > f0 + c1 * a * slope0 || (it > 0 && fa >= fPrev)) return zoom(aPrev, fPrev, sPrev, a, fa, sa);
    if (Math.abs(sa) <= -c2 * slope0) return { value: fa };
    if (sa >= 0) return zoom(a, fa, sa, aPrev, fPrev, sPrev);
    if (a >= alphaMax) return { value: fa }; // on a bound, still descending: accept
    aPrev = a;
    fPrev = fa;
    sPrev = sa;
    a = Math.min(alphaMax, 2 * a);
  }
  return undefined;

  function zoom(lo: number, fLo: number, sLo: number, hi: number, fHi: number, sHi: number): { value: number } | undefined {
    for (let it = 0; it < 60; it++) {
      let a2 = cubicMin(lo, fLo, sLo, hi, fHi, sHi);
      const lo2 = Math.min(lo, hi);
      const hi2 = Math.max(lo, hi);
      const w = hi2 - lo2;
      if (!(a2 > lo2 + 0.1 * w && a2 < hi2 - 0.1 * w)) a2 = 0.5 * (lo + hi);
      const { f: fa, slope: sa } = phi(a2);
      if (fa > f0 + c1 * a2 * slope0 || fa >= fLo) {
        hi = a2;
        fHi = fa;
        sHi = sa;
      } else {
        if (Math.abs(sa) <= -c2 * slope0) return { value: fa };
        if (sa * (hi - lo) >= 0) {
          hi = lo;
          fHi = fLo;
          sHi = sLo;
        }
        lo = a2;
        fLo = fa;
        sLo = sa;
      }
      if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
    }
    // interval collapsed: accept the best point if it decreased f
    if (fLo < f0) {
      const r = phi(lo);
      return { value: r.f };
    }
    return undefined;
  }
}

/** Minimiser of the cubic through (a, fa, sa) and (b, fb, sb). */
function cubicMin(a: number, fa: number, sa: number, b: number, fb: number, sb: number): number {
  const d1 = sa + sb - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - sa * sb;
  if (!(disc >= 0)) return Number.NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (sb + d2 - d1)) / (sb - sa + 2 * d2);
}
