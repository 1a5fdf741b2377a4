// Maximisation over boxes with fixed sums: the feasible set of a spend schedule (each cell within its bounds, each
// group of cells adding up to its budget). A spectral projected gradient (Birgin, Martínez & Raydan 2000) with the
// exact projection onto that set, so every iterate is feasible and the answer spends the budgets exactly.
import { InvalidInputError, NonFiniteError } from '@mmm/core';

/** Cells that must add up to `total` (their indices into x). */
export interface SumGroup {
  cells: ArrayLike<number>;
  total: number;
}

/** The feasible set: l ≤ x ≤ u and, per group, Σ x = total; every cell in exactly one group. */
export interface BoxSums {
  lower: Float64Array;
  upper: Float64Array;
  groups: readonly SumGroup[];
}

/**
 * Checks that every cell is in exactly one group and that each group's total lies between the sums of its cells'
 * bounds; `field` names the option a contradiction comes from.
 */
export function checkBoxSums(set: BoxSums, field: string): void {
  const n = set.lower.length;
  const seen = new Uint8Array(n);
  set.groups.forEach((grp, k) => {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < grp.cells.length; i++) {
      const c = grp.cells[i];
      if (seen[c]) throw new InvalidInputError(`${field}.groups[${k}]`, `has cell ${c} twice`, 'Put each cell in one group.');
      seen[c] = 1;
      lo += set.lower[c];
      hi += set.upper[c];
    }
    const tol = 1e-9 * Math.max(1, Math.abs(grp.total));
    if (grp.total < lo - tol || grp.total > hi + tol)
      throw new InvalidInputError(
        field,
        `needs ${grp.total} spent where the bounds allow ${lo} to ${hi}`,
        'Change the budget or the bounds (fixed and blacked-out periods count as bounds).',
      );
  });
  const missing = seen.indexOf(0);
  if (missing >= 0) throw new InvalidInputError(`${field}.groups`, `leave cell ${missing} out`, 'Put every cell in a group.');
}

/**
 * The Euclidean projection of v onto the set, into `out`: per group x_i = clip(v_i − τ, l_i, u_i) with τ found by
 * bisection so that the group adds up to its total (Σ clip is monotone in τ), the last rounding put on cells with room.
 */
export function projectBoxSums(set: BoxSums, v: ArrayLike<number>, out: Float64Array): Float64Array {
  const { lower: l, upper: u } = set;
  for (const grp of set.groups) {
    const cells = grp.cells;
    const m = cells.length;
    if (m === 0) continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < m; i++) {
      const c = cells[i];
      lo = Math.min(lo, v[c] - u[c]);
      hi = Math.max(hi, v[c] - l[c]);
    }
    const sumAt = (tau: number) => {
      let s = 0;
      for (let i = 0; i < m; i++) {
        const c = cells[i];
        s += Math.min(u[c], Math.max(l[c], v[c] - tau));
      }
      return s;
    };
    // Σ clip(v − τ) falls from Σu at τ = lo to Σl at τ = hi
    for (let it = 0; it < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo), Math.abs(hi)); it++) {
      const mid = 0.5 * (lo + hi);
      if (sumAt(mid) > grp.total) lo = mid;
      else hi = mid;
    }
    const tau = 0.5 * (lo + hi);
    let s = 0;
    for (let i = 0; i < m; i++) {
      const c = cells[i];
      out[c] = Math.min(u[c], Math.max(l[c], v[c] - tau));
      s += out[c];
    }
    // the rounding left by the bisection goes to the cells with room, in turn
    let r = grp.total - s;
    for (let i = 0; i < m && r !== 0; i++) {
      const c = cells[i];
      const room = r > 0 ? u[c] - out[c] : l[c] - out[c];
      const step = r > 0 ? Math.min(r, room) : Math.max(r, room);
      out[c] += step;
      r -= step;
    }
  }
  return out;
}

/** The objective's value, refused in words when not finite. @internal */
function finite(v: number): number {
  if (!Number.isFinite(v)) throw new NonFiniteError('objective', v, 'Check the curves for NaN or infinite values.');
  return v;
}

/**
 * The non-monotone Armijo search along d from x: accepts f(x + λd) ≥ ref + 10⁻⁴·λ·gᵀd, λ from 1 down by safeguarded
 * quadratic interpolation (the maximiser of the quadratic through f(x), its slope and the last trial, within [0.1λ,
 * 0.5λ]); the accepted point in `xt` with its gradient in `gt`. @internal
 */
function nonmonotoneSearch(
  f: (x: Float64Array, grad?: Float64Array) => number,
  x: Float64Array,
  d: Float64Array,
  gd: number,
  fx: number,
  ref: number,
  xt: Float64Array,
  gt: Float64Array,
): { accepted: boolean; value: number; evaluations: number } {
  const n = x.length;
  let lambda = 1;
  let evaluations = 0;
  for (let k = 0; k < 30; k++) {
    for (let i = 0; i < n; i++) xt[i] = x[i] + lambda * d[i];
    // the first trial usually passes: its gradient is computed with it; later trials ask for the value alone
    const ft = finite(k === 0 ? f(xt, gt) : f(xt));
    evaluations++;
    if (ft >= ref + 1e-4 * lambda * gd) {
      if (k > 0) {
        f(xt, gt);
        evaluations++;
      }
      return { accepted: true, value: ft, evaluations };
    }
    const q = (lambda * lambda * gd) / (2 * (lambda * gd - (ft - fx)));
    lambda = Number.isFinite(q) && q > 0 ? Math.min(0.5 * lambda, Math.max(0.1 * lambda, q)) : 0.5 * lambda;
  }
  return { accepted: false, value: fx, evaluations };
}

/** Options of {@link maximizeOnBoxSums}. */
export interface BoxSumsOptions {
  /** @defaultValue 500 */
  maxIterations?: number;
  /** stop when the projected step ‖P(x + α∇f) − x‖∞ is below `tolerance` × the typical cell size; @defaultValue 1e-9 */
  tolerance?: number;
  /** stop when five iterations in a row each gain less than `stall` × |f|; @defaultValue 1e-9 */
  stall?: number;
}

/** What {@link maximizeOnBoxSums} returns. */
export interface BoxSumsResult {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

/**
 * Maximises a smooth f over the set from `x0` (projected first) by the spectral projected gradient method: steps
 * P(x + α∇f) − x with Barzilai–Borwein α, a non-monotone line search over the last 10 values (Grippo, Lampariello &
 * Lucidi 1986) by safeguarded quadratic interpolation, every iterate feasible; stops when the step, or the gain of five
 * iterations in a row, is negligible. Returns the best point seen.
 * @param f - value, and the gradient written into `grad` when it is given (the line search's trials ask for the value)
 */
export function maximizeOnBoxSums(
  f: (x: Float64Array, grad?: Float64Array) => number,
  x0: ArrayLike<number>,
  set: BoxSums,
  options: BoxSumsOptions = {},
): BoxSumsResult {
  const n = set.lower.length;
  const maxIt = options.maxIterations ?? 500;
  const tol = options.tolerance ?? 1e-9;
  const stall = options.stall ?? 1e-9;
  const x = projectBoxSums(set, x0, new Float64Array(n));
  const g = new Float64Array(n);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  const d = new Float64Array(n);
  const trial = new Float64Array(n);
  let evaluations = 1;
  let fx = finite(f(x, g));
  // the typical cell: the step tolerance and the first step's size are relative to it
  let typical = 0;
  for (const grp of set.groups) typical = Math.max(typical, Math.abs(grp.total) / Math.max(1, grp.cells.length));
  for (let i = 0; i < n; i++) typical = Math.max(typical, Math.abs(x[i]));
  if (!(typical > 0)) typical = 1;
  let gmax = 0;
  for (let i = 0; i < n; i++) gmax = Math.max(gmax, Math.abs(g[i]));
  const alpha0 = gmax > 0 ? typical / gmax : 1;
  let alpha = alpha0;
  const recent: number[] = [fx];
  const best = { x: Float64Array.from(x), g: Float64Array.from(g), f: fx };
  let iterations = 0;
  let converged = false;
  let stalled = 0;
  for (; iterations < maxIt; iterations++) {
    for (let i = 0; i < n; i++) trial[i] = x[i] + alpha * g[i];
    projectBoxSums(set, trial, d);
    let dmax = 0;
    let gd = 0;
    for (let i = 0; i < n; i++) {
      d[i] -= x[i];
      dmax = Math.max(dmax, Math.abs(d[i]));
      gd += g[i] * d[i];
    }
    if (dmax <= tol * typical || gd <= 0) {
      converged = true;
      break;
    }
    const search = nonmonotoneSearch(f, x, d, gd, fx, Math.max(...recent), xt, gt);
    evaluations += search.evaluations;
    if (!search.accepted) {
      converged = true; // no ascent along a direction of ascent at machine precision: a stationary point
      break;
    }
    const ft = search.value;
    stalled = ft - best.f <= stall * Math.abs(best.f) ? stalled + 1 : 0;
    // Barzilai–Borwein: α = sᵀs / (−sᵀy) with s the step and y the change of the gradient (ascent)
    let ss = 0;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      const s = xt[i] - x[i];
      ss += s * s;
      sy -= s * (gt[i] - g[i]);
    }
    alpha = sy > 0 ? Math.min(1e6 * alpha0, Math.max(1e-12 * alpha0, ss / sy)) : 1e3 * alpha0;
    x.set(xt);
    g.set(gt);
    fx = ft;
    if (fx > best.f) {
      best.f = fx;
      best.x.set(x);
      best.g.set(g);
    }
    recent.push(fx);
    if (recent.length > 10) recent.shift();
    if (stalled >= 5) {
      converged = true;
      break;
    }
  }
  return { x: best.x, value: best.f, gradient: best.g, iterations, evaluations, converged };
}

/** A block of the Hessian: the cells it covers and their m × m matrix (row-major). */
export interface HessianBlock {
  cells: readonly number[];
  matrix: Float64Array;
}

/**
 * Cholesky factor (lower, row-major) of the m × m matrix M restricted to `idx`, plus μ·I; null when not positive
 * definite. @internal
 */
function cholesky(M: Float64Array, m: number, idx: readonly number[], mu: number): Float64Array | null {
  const k = idx.length;
  const Lf = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = M[idx[i] * m + idx[j]] + (i === j ? mu : 0);
      for (let p = 0; p < j; p++) s -= Lf[i * k + p] * Lf[j * k + p];
      if (i === j) {
        if (!(s > 0)) return null;
        Lf[i * k + i] = Math.sqrt(s);
      } else Lf[i * k + j] = s / Lf[j * k + j];
    }
  }
  return Lf;
}

/** Solves (L Lᵀ) z = b in place. @internal */
function cholSolve(Lf: Float64Array, b: Float64Array): Float64Array {
  const k = b.length;
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let p = 0; p < i; p++) s -= Lf[i * k + p] * b[p];
    b[i] = s / Lf[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i];
    for (let p = i + 1; p < k; p++) s -= Lf[p * k + i] * b[p];
    b[i] = s / Lf[i * k + i];
  }
  return b;
}

/**
 * The Newton step d (into `d`) at x for the cells free to move: inside their bounds, or at one with the gradient
 * pointing inside relative to their group's mean marginal; per Hessian block M = −H on its free cells (regularised
 * until positive definite), d = M⁻¹(g − ν_k·1) with ν_k keeping each group's sum. Returns gᵀd. @internal
 */
function newtonDirection(
  set: BoxSums,
  groupOf: Int32Array,
  blocks: readonly HessianBlock[],
  x: Float64Array,
  g: Float64Array,
  eps: number,
  d: Float64Array,
): number {
  const n = x.length;
  const G = set.groups.length;
  const inside = (i: number) => x[i] > set.lower[i] + eps && x[i] < set.upper[i] - eps;
  // each group's marginal over its interior cells, for deciding which cells at a bound may move
  const lam = new Float64Array(G);
  const cnt = new Float64Array(G);
  for (let i = 0; i < n; i++)
    if (inside(i)) {
      lam[groupOf[i]] += g[i];
      cnt[groupOf[i]]++;
    }
  for (let k = 0; k < G; k++) lam[k] = cnt[k] > 0 ? lam[k] / cnt[k] : Number.NaN;
  const free = (i: number) => {
    if (set.upper[i] - set.lower[i] <= eps) return false;
    if (inside(i)) return true;
    const k = groupOf[i];
    return Number.isFinite(lam[k]) && (x[i] <= set.lower[i] + eps ? g[i] > lam[k] : g[i] < lam[k]);
  };
  const eY = new Float64Array(G);
  const eZ = new Float64Array(G);
  const solved: Array<{ cells: number[]; y: Float64Array; z: Float64Array; k: number }> = [];
  for (const b of blocks) {
    const m = b.cells.length;
    const idx = Array.from({ length: m }, (_, j) => j).filter((j) => free(b.cells[j]));
    if (idx.length === 0) continue;
    const negH = Float64Array.from(b.matrix, (v) => -v);
    let diag = 0;
    for (const j of idx) diag = Math.max(diag, Math.abs(negH[j * m + j]));
    let mu = 0;
    let Lf = cholesky(negH, m, idx, mu);
    for (let t = 0; !Lf && t < 30; t++) {
      mu = mu === 0 ? 1e-10 * Math.max(diag, 1e-300) : mu * 10;
      Lf = cholesky(negH, m, idx, mu);
    }
    if (!Lf) continue;
    const cells = idx.map((j) => b.cells[j]);
    const y = cholSolve(
      Lf,
      Float64Array.from(cells, (c) => g[c]),
    );
    const z = cholSolve(Lf, new Float64Array(cells.length).fill(1));
    const k = groupOf[cells[0]];
    for (let j = 0; j < cells.length; j++) {
      eY[k] += y[j];
      eZ[k] += z[j];
    }
    solved.push({ cells, y, z, k });
  }
  d.fill(0);
  let gd = 0;
  for (const s of solved) {
    const nu = eZ[s.k] > 0 ? eY[s.k] / eZ[s.k] : 0;
    for (let j = 0; j < s.cells.length; j++) {
      d[s.cells[j]] = s.y[j] - nu * s.z[j];
      gd += g[s.cells[j]] * d[s.cells[j]];
    }
  }
  return gd;
}

/**
 * Newton refinement of a maximiser over the set: the Newton step on the free cells with the Hessian in blocks (each
 * block's cells within one budget group), projected onto the set and halved until the value rises. Stops when it no
 * longer rises by more than 1e-11 of the value.
 * @param hessian - the Hessian's blocks at x (negative semi-definite where f is concave)
 */
export function newtonOnBoxSums(
  f: (x: Float64Array, grad?: Float64Array) => number,
  hessian: (x: Float64Array) => readonly HessianBlock[],
  x0: ArrayLike<number>,
  set: BoxSums,
  options: { maxIterations?: number } = {},
): BoxSumsResult {
  const n = set.lower.length;
  const x = projectBoxSums(set, x0, new Float64Array(n));
  const g = new Float64Array(n);
  let fx = finite(f(x, g));
  let evaluations = 1;
  const groupOf = new Int32Array(n);
  set.groups.forEach((grp, k) => {
    for (let i = 0; i < grp.cells.length; i++) groupOf[grp.cells[i]] = k;
  });
  const [xt, gt, d] = [0, 1, 2].map(() => new Float64Array(n));
  let scale = 0;
  for (const grp of set.groups) scale = Math.max(scale, Math.abs(grp.total) / Math.max(1, grp.cells.length));
  const eps = 1e-9 * Math.max(scale, 1e-300);
  let iterations = 0;
  let converged = false;
  for (; iterations < (options.maxIterations ?? 30); iterations++) {
    const gd = newtonDirection(set, groupOf, hessian(x), x, g, eps, d);
    if (!(gd > 1e-15 * Math.max(1, Math.abs(fx)))) {
      converged = true;
      break;
    }
    // the full step usually passes: its gradient is computed with it; shorter ones ask for the value alone
    let lambda = 1;
    let ft = fx;
    let trial = 0;
    for (; trial < 30; trial++) {
      for (let i = 0; i < n; i++) xt[i] = x[i] + lambda * d[i];
      projectBoxSums(set, xt, xt);
      ft = finite(trial === 0 ? f(xt, gt) : f(xt));
      evaluations++;
      if (ft > fx) break;
      lambda *= 0.5;
    }
    if (!(ft > fx)) {
      converged = true;
      break;
    }
    const gain = ft - fx;
    x.set(xt);
    fx = ft;
    if (trial === 0) g.set(gt);
    else {
      f(x, g);
      evaluations++;
    }
    if (gain <= 1e-11 * Math.abs(fx)) {
      converged = true;
      break;
    }
  }
  return { x, value: fx, gradient: g, iterations, evaluations, converged };
}
