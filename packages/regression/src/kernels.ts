/**
 * Small dense kernels on row-major Float64Arrays, allocation-free, for the inner loops of searches and paths where
 * ml-matrix's objects would cost more than the arithmetic (p is a dozen or two there). The public solvers use
 * ml-matrix; the tests hold these kernels to it.
 * @packageDocumentation
 */

/**
 * Solves A_FF x_F = r_F for the index set `F` (`idx[0..m)`) of a symmetric positive definite p × p matrix A by
 * Cholesky, in place: `L` (≥ m² entries) is scratch, `x` receives the solution at the positions in `idx`.
 * Returns false when A_FF is not numerically positive definite (then `x` is unspecified). @internal
 */
export function choleskySolveSubset(
  A: Float64Array,
  p: number,
  idx: Int32Array,
  m: number,
  r: Float64Array,
  x: Float64Array,
  L: Float64Array,
): boolean {
  let maxDiag = 0;
  for (let a = 0; a < m; a++) maxDiag = Math.max(maxDiag, A[idx[a] * p + idx[a]]);
  const eps = 1e-13 * maxDiag;
  for (let a = 0; a < m; a++) {
    const ia = idx[a];
    for (let c = 0; c <= a; c++) {
      let s = A[ia * p + idx[c]];
      for (let k = 0; k < c; k++) s -= L[a * m + k] * L[c * m + k];
      if (a === c) {
        if (!(s > eps)) return false;
        L[a * m + a] = Math.sqrt(s);
      } else {
        L[a * m + c] = s / L[c * m + c];
      }
    }
  }
  // forward then back substitution; x[idx[a]] holds the intermediate values
  for (let a = 0; a < m; a++) {
    let s = r[idx[a]];
    for (let k = 0; k < a; k++) s -= L[a * m + k] * x[idx[k]];
    x[idx[a]] = s / L[a * m + a];
  }
  for (let a = m - 1; a >= 0; a--) {
    let s = x[idx[a]];
    for (let k = a + 1; k < m; k++) s -= L[k * m + a] * x[idx[k]];
    x[idx[a]] = s / L[a * m + a];
  }
  return true;
}

/** Scratch buffers of {@link boundedQuadratic} for dimension p. @internal */
export interface QuadraticWorkspace {
  p: number;
  idx: Int32Array;
  L: Float64Array;
  z: Float64Array;
  r: Float64Array;
  active: Uint8Array;
}

/** @internal */
export function quadraticWorkspace(p: number): QuadraticWorkspace {
  return {
    p,
    idx: new Int32Array(p),
    L: new Float64Array(p * p),
    z: new Float64Array(p),
    r: new Float64Array(p),
    active: new Uint8Array(p),
  };
}

/**
 * Minimises ½ wᵀAw − bᵀw subject to w_j ≥ lb_j (no bound where lb_j = −∞ or `lb` is undefined) for a symmetric
 * positive definite A, by a primal active-set method (Lawson–Hanson's, with free variables): solve on the free set,
 * step back to the first bound crossed and fix it, or release the bound whose multiplier is most negative. Finite
 * for positive definite A. Writes the solution into `w`; returns the number of subproblem solves, or −1 when a
 * subproblem is singular (A only positive semi-definite). @internal
 */
export function boundedQuadratic(
  A: Float64Array,
  b: Float64Array,
  lb: Float64Array | undefined,
  w: Float64Array,
  ws: QuadraticWorkspace,
): number {
  // long: the active-set iteration keeps its state (free set, multipliers, step) in locals of one loop, as the kernel it is
  const { p, idx, L, z, r, active } = ws;
  if (!lb) {
    for (let j = 0; j < p; j++) idx[j] = j;
    return choleskySolveSubset(A, p, idx, p, b, w, L) ? 1 : -1;
  }
  for (let j = 0; j < p; j++) {
    w[j] = lb[j] > 0 ? lb[j] : 0;
    active[j] = lb[j] > -Infinity && w[j] === lb[j] ? 1 : 0;
  }
  let scale = 0;
  for (let j = 0; j < p; j++) scale = Math.max(scale, Math.abs(b[j]), A[j * p + j]);
  const tol = 1e-12 * scale;
  const maxSolves = 20 * p + 100;
  for (let solves = 1; solves <= maxSolves; solves++) {
    // the free set's solution with the active bounds held
    let m = 0;
    for (let j = 0; j < p; j++) {
      if (active[j]) {
        z[j] = lb[j];
        continue;
      }
      idx[m++] = j;
    }
    for (let a = 0; a < m; a++) {
      const j = idx[a];
      let s = b[j];
      for (let k = 0; k < p; k++) if (active[k]) s -= A[j * p + k] * lb[k];
      r[j] = s;
    }
    if (m > 0 && !choleskySolveSubset(A, p, idx, m, r, z, L)) return -1;
    // a step toward z until the first bound is crossed
    let t = 1;
    let blocking = -1;
    for (let a = 0; a < m; a++) {
      const j = idx[a];
      if (z[j] < lb[j] && w[j] > z[j]) {
        const tj = (w[j] - lb[j]) / (w[j] - z[j]);
        if (tj < t) {
          t = tj;
          blocking = j;
        }
      }
    }
    for (let a = 0; a < m; a++) {
      const j = idx[a];
      w[j] += t * (z[j] - w[j]);
    }
    for (let j = 0; j < p; j++) if (active[j]) w[j] = lb[j];
    if (blocking >= 0) {
      for (let a = 0; a < m; a++) {
        const j = idx[a];
        if (j === blocking || w[j] <= lb[j]) {
          w[j] = lb[j];
          active[j] = 1;
        }
      }
      continue;
    }
    // optimal on this active set: release the bound with the most negative multiplier (gradient), if any
    let worst = -tol;
    let release = -1;
    for (let j = 0; j < p; j++) {
      if (!active[j]) continue;
      let g = -b[j];
      for (let k = 0; k < p; k++) g += A[j * p + k] * w[k];
      if (g < worst) {
        worst = g;
        release = j;
      }
    }
    if (release < 0) return solves;
    active[release] = 0;
  }
  return -1;
}

/** What {@link coordinateDescent} did. @internal */
export interface DescentResult {
  iterations: number;
  /** duality gap of the n-scaled objective, or NaN where the dual is not formed (see {@link coordinateDescent}) */
  gap: number;
  converged: boolean;
}

/** Scratch of {@link coordinateDescent}'s Newton steps for dimension p. @internal */
export interface DescentWorkspace {
  p: number;
  H: Float64Array;
  L: Float64Array;
  idx: Int32Array;
  rhs: Float64Array;
  z: Float64Array;
  sign: Float64Array;
  q: Float64Array;
}

/** @internal */
export function descentWorkspace(p: number): DescentWorkspace {
  return {
    p,
    H: new Float64Array(p * p),
    L: new Float64Array(p * p),
    idx: new Int32Array(p),
    rhs: new Float64Array(p),
    z: new Float64Array(p),
    sign: new Float64Array(p),
    q: new Float64Array(p),
  };
}

/**
 * Cyclic coordinate descent for the elastic net in its n-scaled form on the normal equations,
 * P(w) = ½‖yc − Xc w‖² + l1‖w‖₁ + ½ l2‖w‖², with w_j ≥ lb_j: G = XcᵀXc (row-major p × p), b = Xcᵀyc,
 * yy = yc·yc. Each update is the one-dimensional minimiser clipped to its bound. `w` holds the warm start and
 * receives the solution; `q` (length p) is scratch for Gw.
 *
 * Every 10 sweeps a Newton step tries to finish: with the current signs and the coordinates at 0 or at a bound held,
 * it solves the smooth problem on the others exactly, (G + l2·I)_AA w_A = b_A − l1·sign_A − G_A,held w_held; when the
 * solution keeps every sign and bound it lies on the same face with an objective no higher, and is taken. On
 * correlated columns, where plain coordinate descent creeps, this ends the descent once the signs have settled.
 *
 * Stopping follows scikit-learn's rule: once the largest update is below `tol` relative to the largest coefficient,
 * the duality gap is computed and the descent stops when gap < tol·yy. The gap needs a dual: it is formed when l1 > 0
 * and every bound is 0 or −∞ (the dual norm then takes the positive part for the bounded coordinates); otherwise the
 * largest violation of the optimality conditions, relative to ‖b‖∞, is held to `tol` instead and `gap` is NaN.
 * @internal
 */
export function coordinateDescent(
  G: Float64Array,
  b: Float64Array,
  yy: number,
  p: number,
  l1: number,
  l2: number,
  lb: Float64Array | undefined,
  w: Float64Array,
  q: Float64Array,
  tol: number,
  maxIter: number,
  ws: DescentWorkspace = descentWorkspace(p),
): DescentResult {
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let k = 0; k < p; k++) s += G[j * p + k] * w[k];
    q[j] = s;
  }
  const dualFormed = l1 > 0 && (!lb || lb.every((v) => v === 0 || v === -Infinity));
  let bMax = 0;
  for (let j = 0; j < p; j++) bMax = Math.max(bMax, Math.abs(b[j]));
  const done = (): number | false => {
    if (dualFormed) {
      const gap = dualityGap(b, yy, p, l1, l2, lb, w, q);
      return gap < tol * yy ? gap : false;
    }
    return kktViolation(b, p, l1, l2, lb, w, q) <= tol * Math.max(bMax, Number.MIN_VALUE) ? Number.NaN : false;
  };
  let gap = Number.NaN;
  for (let it = 1; it <= maxIter; it++) {
    let wMax = 0;
    let dMax = 0;
    for (let j = 0; j < p; j++) {
      const gjj = G[j * p + j];
      if (gjj === 0) continue;
      const old = w[j];
      // ρ = b_j − Σ_{k≠j} G_jk w_k
      const rho = b[j] - q[j] + gjj * old;
      let next = rho > l1 ? (rho - l1) / (gjj + l2) : rho < -l1 ? (rho + l1) / (gjj + l2) : 0;
      if (lb && next < lb[j]) next = lb[j];
      if (next !== old) {
        const d = next - old;
        for (let k = 0; k < p; k++) q[k] += G[k * p + j] * d;
        w[j] = next;
        dMax = Math.max(dMax, Math.abs(d));
      }
      wMax = Math.max(wMax, Math.abs(next));
    }
    if (wMax === 0 || dMax / wMax < tol || it === maxIter) {
      const r = done();
      if (r !== false) return { iterations: it, gap: r, converged: true };
      if (dualFormed) gap = dualityGap(b, yy, p, l1, l2, lb, w, q);
    }
    if (it % 10 === 0 && newtonStep(G, b, p, l1, l2, lb, w, q, ws)) {
      const r = done();
      if (r !== false) return { iterations: it, gap: r, converged: true };
    }
  }
  return { iterations: maxIter, gap, converged: false };
}

/** The Newton step of {@link coordinateDescent} on the current face; true when taken (w and q updated). @internal */
function newtonStep(
  G: Float64Array,
  b: Float64Array,
  p: number,
  l1: number,
  l2: number,
  lb: Float64Array | undefined,
  w: Float64Array,
  q: Float64Array,
  ws: DescentWorkspace,
): boolean {
  const { H, L, idx, rhs, z, sign } = ws;
  let m = 0;
  for (let j = 0; j < p; j++) {
    const held = w[j] === 0 || (lb !== undefined && w[j] <= lb[j]);
    sign[j] = held ? 0 : Math.sign(w[j]);
    if (!held) idx[m++] = j;
  }
  if (m === 0) return false;
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < p; k++) H[j * p + k] = G[j * p + k];
    H[j * p + j] += l2;
  }
  for (let a = 0; a < m; a++) {
    const j = idx[a];
    let r = b[j] - l1 * sign[j];
    for (let k = 0; k < p; k++) if (sign[k] === 0) r -= G[j * p + k] * w[k];
    rhs[j] = r;
  }
  if (!choleskySolveSubset(H, p, idx, m, rhs, z, L)) return false;
  for (let a = 0; a < m; a++) {
    const j = idx[a];
    if (Math.sign(z[j]) !== sign[j] || (lb !== undefined && z[j] < lb[j])) return false;
  }
  for (let a = 0; a < m; a++) {
    const j = idx[a];
    const d = z[j] - w[j];
    if (d === 0) continue;
    for (let k = 0; k < p; k++) q[k] += G[k * p + j] * d;
    w[j] = z[j];
  }
  return true;
}

/** The duality gap of the n-scaled elastic net at w, with q = Gw (see {@link coordinateDescent}). @internal */
export function dualityGap(
  b: Float64Array,
  yy: number,
  p: number,
  l1: number,
  l2: number,
  lb: Float64Array | undefined,
  w: Float64Array,
  q: Float64Array,
): number {
  let wb = 0;
  let wq = 0;
  let w1 = 0;
  let w2 = 0;
  let dualNorm = 0;
  for (let j = 0; j < p; j++) {
    wb += w[j] * b[j];
    wq += w[j] * q[j];
    w1 += Math.abs(w[j]);
    w2 += w[j] * w[j];
    // Xᵀr − l2·w
    const u = b[j] - q[j] - l2 * w[j];
    dualNorm = Math.max(dualNorm, lb && lb[j] === 0 ? u : Math.abs(u));
  }
  const r2 = Math.max(0, yy - 2 * wb + wq);
  const ry = yy - wb;
  let gap: number;
  let c: number;
  if (dualNorm > l1) {
    c = l1 / dualNorm;
    gap = 0.5 * (r2 + r2 * c * c);
  } else {
    c = 1;
    gap = r2;
  }
  return gap + l1 * w1 - c * ry + 0.5 * l2 * (1 + c * c) * w2;
}

/**
 * The largest violation of the optimality (KKT) conditions of the n-scaled elastic net at w, with q = Gw: per
 * coordinate, with s_j = (Gw − b)_j + l2·w_j the smooth part's gradient, |s_j + l1·sign(w_j)| inside its bound and
 * away from 0, max(0, |s_j| − l1) at 0 inside its bound, and max(0, −(s_j + l1·σ)) at its bound (σ = sign(w_j), +1
 * at 0): the objective may not fall by moving up from the bound. @internal
 */
export function kktViolation(
  b: Float64Array,
  p: number,
  l1: number,
  l2: number,
  lb: Float64Array | undefined,
  w: Float64Array,
  q: Float64Array,
): number {
  let worst = 0;
  for (let j = 0; j < p; j++) {
    const s = q[j] - b[j] + l2 * w[j];
    const wj = w[j];
    let v: number;
    if (lb && wj <= lb[j]) v = Math.max(0, -(s + l1 * (wj < 0 ? -1 : 1)));
    else if (wj === 0) v = Math.max(0, Math.abs(s) - l1);
    else v = Math.abs(s + l1 * Math.sign(wj));
    if (v > worst) worst = v;
  }
  return worst;
}
