import { InvalidParameterError, assertFinite } from '@mmm/core';

/**
 * How a parameter block is constrained: real, positive (x = lower + eᵘ), positive by softplus (x = ln(1 + eᵘ):
 * like eᵘ near 0 and like u far from it, so a prior's light tail, e^(−x) or e^(−x²), is not the wall e^(−eᵘ) it becomes
 * on the log scale), in (lower, upper) (scaled logistic), in (0, 1), or an increasing vector (x₀ = u₀,
 * x_k = x_{k−1} + e^{u_k}).
 */
export type Constraint =
  | 'real'
  | 'positive'
  | 'softplus'
  | 'unit'
  | 'ordered'
  | { lower: number; upper?: number }
  | { lower?: number; upper: number };

/**
 * Maps unconstrained `u` (length n) to constrained `x`, returns log |det ∂x/∂u|, and writes d(log-Jacobian)/du into
 * `dLogJac` and the diagonal ∂x_i/∂u_i into `dxdu` (for `ordered` the chain rule is done by {@link constrainVjp}).
 * @remarks
 * positive: x = l + eᵘ, log J = u.  softplus: x = ln(1 + eᵘ), log J = ln logistic(u) = −softplus(−u), d log J/du =
 * 1 − logistic(u).  (l, h): x = l + (h − l)·s, s = logistic(u), log J = log(h − l) + log s + log(1 − s),
 * d log J/du = 1 − 2s.  upper only: x = h − eᵘ.  ordered: log J = Σ_{k≥1} u_k.
 */
export function constrainInto(
  x: Float64Array,
  dLogJac: Float64Array,
  dxdu: Float64Array,
  c: Constraint,
  u: Float64Array,
  offset: number,
  n: number,
): number {
  let lj = 0;
  if (c === 'real') {
    for (let i = offset; i < offset + n; i++) {
      x[i] = u[i];
      dLogJac[i] = 0;
      dxdu[i] = 1;
    }
    return 0;
  }
  if (c === 'positive') return lowerInto(x, dLogJac, dxdu, 0, u, offset, n);
  if (c === 'softplus') {
    for (let i = offset; i < offset + n; i++) {
      const v = u[i];
      const s = logistic(v);
      x[i] = softplus(v);
      lj += -softplus(-v);
      dLogJac[i] = 1 - s;
      dxdu[i] = s;
    }
    return lj;
  }
  if (c === 'unit') return boundedInto(x, dLogJac, dxdu, 0, 1, u, offset, n);
  if (c === 'ordered') {
    let prev = 0;
    for (let k = 0; k < n; k++) {
      const i = offset + k;
      if (k === 0) {
        x[i] = u[i];
        dLogJac[i] = 0;
        dxdu[i] = 1;
      } else {
        const e = Math.exp(u[i]);
        x[i] = prev + e;
        lj += u[i];
        dLogJac[i] = 1;
        dxdu[i] = e;
      }
      prev = x[i];
    }
    return lj;
  }
  const lo = c.lower;
  const hi = c.upper;
  if (lo !== undefined && hi !== undefined) return boundedInto(x, dLogJac, dxdu, lo, hi, u, offset, n);
  if (lo !== undefined) return lowerInto(x, dLogJac, dxdu, lo, u, offset, n);
  // upper only: x = h − eᵘ
  for (let i = offset; i < offset + n; i++) {
    const e = Math.exp(u[i]);
    x[i] = (hi as number) - e;
    lj += u[i];
    dLogJac[i] = 1;
    dxdu[i] = -e;
  }
  return lj;
}

function lowerInto(
  x: Float64Array,
  dLogJac: Float64Array,
  dxdu: Float64Array,
  lo: number,
  u: Float64Array,
  offset: number,
  n: number,
): number {
  let lj = 0;
  for (let i = offset; i < offset + n; i++) {
    const e = Math.exp(u[i]);
    x[i] = lo + e;
    lj += u[i];
    dLogJac[i] = 1;
    dxdu[i] = e;
  }
  return lj;
}

function boundedInto(
  x: Float64Array,
  dLogJac: Float64Array,
  dxdu: Float64Array,
  lo: number,
  hi: number,
  u: Float64Array,
  offset: number,
  n: number,
): number {
  const w = hi - lo;
  const logW = Math.log(w);
  let lj = 0;
  for (let i = offset; i < offset + n; i++) {
    const v = u[i];
    // log s = −softplus(−v), log(1 − s) = −softplus(v), computed stably
    const s = logistic(v);
    const logS = -softplus(-v);
    const log1mS = -softplus(v);
    x[i] = lo + w * s;
    lj += logW + logS + log1mS;
    dLogJac[i] = 1 - 2 * s;
    dxdu[i] = w * s * (1 - s);
  }
  return lj;
}

/** 1/(1 + e^(−v)) without overflow. */
function logistic(v: number): number {
  return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
}

function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

/**
 * Chain rule from ∂f/∂x (in `gx`, overwritten) to ∂f/∂u added into `gu`, for one block; for `ordered`,
 * ∂f/∂u_k = e^{u_k}·Σ_{j≥k} ∂f/∂x_j (k ≥ 1) and ∂f/∂u₀ = Σ_j ∂f/∂x_j.
 */
export function constrainVjp(c: Constraint, gx: Float64Array, dxdu: Float64Array, gu: Float64Array, offset: number, n: number): void {
  if (c === 'ordered') {
    let tail = 0;
    for (let k = n - 1; k >= 0; k--) {
      const i = offset + k;
      tail += gx[i];
      gu[i] += k === 0 ? tail : dxdu[i] * tail;
    }
    return;
  }
  for (let i = offset; i < offset + n; i++) gu[i] += gx[i] * dxdu[i];
}

/** Maps constrained values back to unconstrained ones (inverse of {@link constrainInto}), e.g. for initial values. */
export function unconstrain(c: Constraint, x: ArrayLike<number>, field = 'value'): Float64Array {
  const n = x.length;
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) assertFinite(`${field}[${i}]`, x[i]);
  const bad = (i: number, range: string) => {
    throw new InvalidParameterError(`${field}[${i}]`, x[i], range);
  };
  if (c === 'real') return Float64Array.from(x);
  if (c === 'positive') {
    for (let i = 0; i < n; i++) x[i] > 0 ? (u[i] = Math.log(x[i])) : bad(i, '(0, ∞)');
    return u;
  }
  if (c === 'softplus') {
    // u = ln(eˣ − 1) = x + ln(1 − e^(−x))
    for (let i = 0; i < n; i++) x[i] > 0 ? (u[i] = x[i] + Math.log(-Math.expm1(-x[i]))) : bad(i, '(0, ∞)');
    return u;
  }
  if (c === 'unit') c = { lower: 0, upper: 1 };
  if (c === 'ordered') {
    for (let i = 0; i < n; i++) {
      if (i === 0) u[0] = x[0];
      else if (x[i] > x[i - 1]) u[i] = Math.log(x[i] - x[i - 1]);
      else bad(i, `(${x[i - 1]}, ∞): ordered values must increase`);
    }
    return u;
  }
  const { lower, upper } = c;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (lower !== undefined && upper !== undefined) {
      if (!(v > lower && v < upper)) bad(i, `(${lower}, ${upper})`);
      const s = (v - lower) / (upper - lower);
      u[i] = Math.log(s) - Math.log1p(-s);
    } else if (lower !== undefined) {
      if (!(v > lower)) bad(i, `(${lower}, ∞)`);
      u[i] = Math.log(v - lower);
    } else {
      if (!(v < (upper as number))) bad(i, `(−∞, ${upper})`);
      u[i] = Math.log((upper as number) - v);
    }
  }
  return u;
}

/**
 * True when every constrained value of a block lies strictly inside its support: finite, and off the bounds that
 * exp/logistic can only reach by underflow or overflow (e.g. eᵘ = 0 for u < −745).
 */
export function insideSupport(c: Constraint, x: Float64Array, offset: number, n: number): boolean {
  let lo = -Infinity;
  let hi = Infinity;
  if (c === 'positive' || c === 'softplus') lo = 0;
  else if (c === 'unit') {
    lo = 0;
    hi = 1;
  } else if (typeof c === 'object') {
    lo = c.lower ?? -Infinity;
    hi = c.upper ?? Infinity;
  }
  for (let i = offset; i < offset + n; i++) {
    const v = x[i];
    if (!Number.isFinite(v) || v <= lo || v >= hi) return false;
    if (c === 'ordered' && i > offset && !(v > x[i - 1])) return false;
  }
  return true;
}
