import {
  InvalidInputError,
  InvalidParameterError,
  NonFiniteError,
  assertFinite,
  checkOptions,
  oneOf,
  optionKeys,
  ANY,
  type CredibleInterval,
  type OptionShape,
  DEFAULT_INTERVAL_MASS,
} from '@mmm/core';
import { centralInterval } from '@mmm/diagnostics';
import { isDrawCurve, type BudgetCurve } from './curves.js';
import { minimize } from './minimize.js';

/** What to maximise: the posterior mean response, a quantile of it (risk-averse), or mean − λ·sd. */
export type BudgetObjective = 'mean' | { quantile: number } | { meanMinusSd: number };

/** Options of {@link allocateBudget}. */
export interface AllocateOptions {
  curves: ReadonlyArray<BudgetCurve>;
  /** total budget B to split over the channels (fixed channels included) */
  totalBudget: number;
  /** absolute bounds per channel, `[lower, upper]`; default [0, B] */
  bounds?: Readonly<Record<string, readonly [number, number]>>;
  /** the current allocation: for relative bounds, fixed channels and the uplift */
  current?: Readonly<Record<string, number>>;
  /** bounds relative to `current`: r allows current·(1 ± r) (one r or one per channel) */
  relativeBounds?: number | Readonly<Record<string, number>>;
  /** channels held fixed: names (at `current`) or amounts */
  fixed?: ReadonlyArray<string> | Readonly<Record<string, number>>;
  /** minimum share of B per channel */
  minShare?: Readonly<Record<string, number>>;
  /** @defaultValue 'mean' */
  objective?: BudgetObjective;
  /** mass of the reported credible interval of total response; @defaultValue 0.9 */
  interval?: number;
}

/** The keys of {@link AllocateOptions}, for `checkOptions` (typos refused). */
export const ALLOCATE_OPTION_KEYS = {
  curves: ANY,
  totalBudget: ANY,
  bounds: ANY,
  current: ANY,
  relativeBounds: ANY,
  fixed: ANY,
  minShare: ANY,
  objective: oneOf(ANY, optionKeys<{ quantile: number }>({ quantile: ANY }), optionKeys<{ meanMinusSd: number }>({ meanMinusSd: ANY })),
  interval: ANY,
} satisfies { readonly [K in keyof Required<AllocateOptions>]: OptionShape };
const ALLOCATE_SHAPE = optionKeys<AllocateOptions>(ALLOCATE_OPTION_KEYS);

/** The KKT check at the returned allocation. */
export interface KktReport {
  /** the common marginal return of the channels strictly inside their bounds */
  multiplier: number;
  /** max over those channels of |marginal − multiplier| / |multiplier| */
  maxRelativeDeviation: number;
  /** every inside channel within 1e-6 of the multiplier, channels at lower bounds not above it, at upper not below */
  satisfied: boolean;
}

/** The result of {@link allocateBudget}. */
export interface AllocationResult {
  allocation: Record<string, number>;
  /** expected (posterior mean) total response */
  expectedResponse: number;
  /** central credible interval of total response (curves with draws) */
  responseInterval?: CredibleInterval;
  /** value of the objective maximised */
  objectiveValue: number;
  responseByChannel: Record<string, number>;
  roas: Record<string, number>;
  /** ∂ expected response / ∂ spend per channel */
  marginalRoas: Record<string, number>;
  /** which bound binds per channel */
  binding: Record<string, 'lower' | 'upper' | 'fixed' | null>;
  kkt: KktReport;
  /** the current allocation's figures, when `current` is given */
  current?: { expectedResponse: number; responseInterval?: CredibleInterval; responseByChannel: Record<string, number> };
  /** expected response gained over the current allocation */
  uplift?: { absolute: number; relative: number };
}

/**
 * Splits a budget over channels to maximise total response Σ_c f_c(x_c) subject to Σ_c x_c = B, per-channel bounds
 * (absolute, relative to current spend, minimum shares), and channels held fixed; with posterior draws the objective
 * is the posterior mean, a quantile, or mean − λ·sd of total response.
 * @remarks
 * Saturating S-shaped curves make the problem non-concave, so a dynamic-programming search on a grid of the budget
 * finds the basin of the global optimum first; an augmented Lagrangian for Σx = B over the bounded L-BFGS of
 * {@link minimize} then converges to the optimum, and the KKT conditions (equal marginal returns across channels
 * inside their bounds) are checked and reported.
 */
export function allocateBudget(options: AllocateOptions): AllocationResult {
  checkOptions(options, ALLOCATE_SHAPE, 'options');
  const problem = buildProblem(options);
  const x = solve(problem);
  return report(problem, x, options);
}

/** @internal the validated problem */
interface Problem {
  curves: ReadonlyArray<BudgetCurve>;
  names: string[];
  lower: Float64Array;
  upper: Float64Array;
  fixed: Uint8Array;
  budget: number;
  S: number;
  objective: BudgetObjective;
  interval: number;
  eval: Evaluator;
}

/**
 * Each channel's lower and upper spend from its bounds, relative bounds around current spend, minimum share of the
 * budget and fixed amount, whichever binds; checked for contradictions. @internal
 */
function channelBounds(o: AllocateOptions, names: readonly string[], B: number) {
  const C = names.length;
  const lower = new Float64Array(C);
  const upper = new Float64Array(C).fill(B);
  const fixed = new Uint8Array(C);
  names.forEach((n, c) => {
    const b = o.bounds?.[n];
    if (b) {
      assertFinite(`bounds.${n}[0]`, b[0]);
      if (!(b[1] === Infinity)) assertFinite(`bounds.${n}[1]`, b[1]);
      if (b[0] < 0 || b[1] < b[0])
        throw new InvalidInputError(`bounds.${n}`, `is [${b[0]}, ${b[1]}]`, 'Bounds must satisfy 0 ≤ lower ≤ upper.');
      lower[c] = b[0];
      upper[c] = Math.min(B, b[1]);
    }
    const r = typeof o.relativeBounds === 'number' ? o.relativeBounds : o.relativeBounds?.[n];
    if (r !== undefined) {
      if (!(r >= 0)) throw new InvalidParameterError(`relativeBounds.${n}`, r, '[0, ∞)');
      const cur = o.current?.[n];
      if (cur === undefined)
        throw new InvalidInputError(`current.${n}`, 'is missing', 'Relative bounds need the current spend of the channel.');
      lower[c] = Math.max(lower[c], cur * (1 - r));
      upper[c] = Math.min(upper[c], cur * (1 + r));
    }
    const share = o.minShare?.[n];
    if (share !== undefined) {
      if (!(share >= 0 && share <= 1)) throw new InvalidParameterError(`minShare.${n}`, share, '[0, 1]');
      lower[c] = Math.max(lower[c], share * B);
    }
    const fixedAt = Array.isArray(o.fixed)
      ? o.fixed.includes(n)
        ? (o.current?.[n] ?? Number.NaN)
        : undefined
      : (o.fixed as Record<string, number> | undefined)?.[n];
    if (Array.isArray(o.fixed) && o.fixed.includes(n) && o.current?.[n] === undefined)
      throw new InvalidInputError(`current.${n}`, 'is missing', 'A channel fixed by name is held at its current spend.');
    if (fixedAt !== undefined) {
      assertFinite(`fixed.${n}`, fixedAt);
      lower[c] = fixedAt;
      upper[c] = fixedAt;
      fixed[c] = 1;
    }
    if (lower[c] > upper[c])
      throw new InvalidInputError(
        `bounds.${n}`,
        `give lower ${lower[c]} > upper ${upper[c]}`,
        'The bounds, relative bounds and minimum share of this channel contradict each other.',
      );
  });
  return { lower, upper, fixed };
}

function buildProblem(o: AllocateOptions): Problem {
  const curves = o.curves;
  if (!Array.isArray(curves) || curves.length === 0)
    throw new InvalidInputError('curves', 'is empty', 'Pass one response curve per channel.');
  const names = curves.map((c) => c.channel);
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new InvalidInputError('curves', `has channel "${n}" twice`, 'Give each channel one curve.');
    seen.add(n);
  }
  const B = o.totalBudget;
  assertFinite('totalBudget', B);
  if (B < 0) throw new InvalidInputError('totalBudget', `is ${B}`, 'The budget must be ≥ 0.');
  const known = (field: string, rec: object | undefined) => {
    for (const k of Object.keys(rec ?? {}))
      if (!seen.has(k)) throw new InvalidInputError(`${field}.${k}`, 'is not a channel of the curves', `Channels are ${names.join(', ')}.`);
  };
  known('bounds', o.bounds);
  known('current', o.current);
  known('minShare', o.minShare);
  if (o.relativeBounds !== undefined && typeof o.relativeBounds === 'object') known('relativeBounds', o.relativeBounds);
  if (o.fixed && !Array.isArray(o.fixed)) known('fixed', o.fixed);
  const { lower, upper, fixed } = channelBounds(o, names, B);
  const sumL = lower.reduce((a, b) => a + b, 0);
  const sumU = upper.reduce((a, b) => a + b, 0);
  if (sumL > B * (1 + 1e-12))
    throw new InvalidInputError(
      'totalBudget',
      `is ${B}, below the sum of lower bounds ${sumL}`,
      'Raise the budget or relax the lower bounds, minimum shares or fixed channels.',
    );
  if (sumU < B * (1 - 1e-12))
    throw new InvalidInputError(
      'totalBudget',
      `is ${B}, above the sum of upper bounds ${sumU}`,
      'Lower the budget or relax the upper bounds.',
    );
  const objective = checkObjective(o.objective);
  const interval = o.interval ?? DEFAULT_INTERVAL_MASS;
  if (!(interval > 0 && interval < 1)) throw new InvalidParameterError('interval', interval, '(0, 1)');
  let S = 1;
  for (const c of curves) if (isDrawCurve(c)) S = Math.max(S, c.draws);
  for (const c of curves)
    if (isDrawCurve(c) && c.draws !== S)
      throw new InvalidInputError(
        `curves.${c.channel}.draws`,
        `is ${c.draws}`,
        `Every curve with draws needs the same number of draws (${S}).`,
      );
  return { curves, names, lower, upper, fixed, budget: B, S, objective, interval, eval: makeEvaluator(curves, S) };
}

/** A budget objective checked, 'mean' when not given: a quantile in (0, 1), a λ ≥ 0. */
export function checkObjective(objective: BudgetObjective | undefined, field = 'options.objective'): BudgetObjective {
  const o = objective ?? 'mean';
  if (typeof o === 'object' && o !== null && 'quantile' in o && !(o.quantile > 0 && o.quantile < 1))
    throw new InvalidParameterError('objective.quantile', o.quantile, '(0, 1)');
  if (typeof o === 'object' && o !== null && 'meanMinusSd' in o && !(o.meanMinusSd >= 0))
    throw new InvalidParameterError('objective.meanMinusSd', o.meanMinusSd, '[0, ∞)');
  if ((typeof o !== 'object' || o === null) && o !== 'mean')
    throw new InvalidInputError(field, `is ${JSON.stringify(o)}`, "Give 'mean', { quantile } or { meanMinusSd }.");
  return o;
}

/** Per-draw responses and marginals of every channel at an allocation. @internal */
interface Evaluator {
  /** resp[c][s], marg[c][s] after `at(x)` */
  resp: Float64Array[];
  marg: Float64Array[];
  total: Float64Array;
  at(x: ArrayLike<number>, withMarginal: boolean): void;
  /** posterior-mean response (or marginal) of channel c alone at spend v */
  channelMean(c: number, v: number, marginal: boolean): number;
}

function check(channel: string, v: number, value: number): number {
  if (!Number.isFinite(value))
    throw new NonFiniteError(`curves.${channel} at spend ${v}`, value, 'Check the curve parameters for NaN or infinite values.');
  return value;
}

function makeEvaluator(curves: ReadonlyArray<BudgetCurve>, S: number): Evaluator {
  const resp = curves.map(() => new Float64Array(S));
  const marg = curves.map(() => new Float64Array(S));
  const total = new Float64Array(S);
  return {
    resp,
    marg,
    total,
    channelMean(k, v, marginal) {
      const c = curves[k];
      if (!isDrawCurve(c)) return check(c.channel, v, marginal ? c.marginal(v) : c.response(v));
      const out = marginal ? marg[k] : resp[k];
      if (marginal) c.marginalDraws(v, out);
      else c.responseDraws(v, out);
      let m = 0;
      for (let s = 0; s < out.length; s++) m += out[s];
      return check(c.channel, v, m / out.length);
    },
    at(x, withMarginal) {
      total.fill(0);
      curves.forEach((c, k) => {
        if (isDrawCurve(c)) {
          c.responseDraws(x[k], resp[k]);
          if (withMarginal) c.marginalDraws(x[k], marg[k]);
        } else {
          resp[k].fill(c.response(x[k]));
          if (withMarginal) marg[k].fill(c.marginal(x[k]));
        }
        const r = resp[k];
        for (let s = 0; s < S; s++) {
          if (!Number.isFinite(r[s]) || (withMarginal && !Number.isFinite(marg[k][s]))) {
            throw new NonFiniteError(
              `curves.${c.channel} at spend ${x[k]}`,
              Number.isFinite(r[s]) ? marg[k][s] : r[s],
              'Check the curve parameters for NaN or infinite values.',
            );
          }
          total[s] += r[s];
        }
      });
    },
  };
}

/** Objective value and gradient (to maximise) from the evaluator's buffers. @internal */
function objectiveOf(p: Problem, grad?: Float64Array): number {
  const { S, eval: ev } = p;
  const C = p.names.length;
  const t = ev.total;
  let mean = 0;
  for (let s = 0; s < S; s++) mean += t[s];
  mean /= S;
  const obj = p.objective;
  if (obj === 'mean' || S === 1) {
    if (grad) for (let c = 0; c < C; c++) grad[c] = average(ev.marg[c]);
    return mean;
  }
  if ('meanMinusSd' in obj) {
    let ss = 0;
    for (let s = 0; s < S; s++) ss += (t[s] - mean) ** 2;
    const sd = Math.sqrt(ss / (S - 1));
    if (grad) {
      for (let c = 0; c < C; c++) {
        const m = ev.marg[c];
        const mBar = average(m);
        let cov = 0;
        for (let s = 0; s < S; s++) cov += (t[s] - mean) * (m[s] - mBar);
        grad[c] = mBar - (sd > 0 ? (obj.meanMinusSd * cov) / ((S - 1) * sd) : 0);
      }
    }
    return mean - obj.meanMinusSd * sd;
  }
  // quantile of total response (type 7): weights on the two order statistics around it
  const order = Array.from({ length: S }, (_, s) => s).sort((a, b) => t[a] - t[b]);
  const h = (S - 1) * obj.quantile;
  const lo = Math.floor(h);
  const w = h - lo;
  const sLo = order[lo];
  const sHi = order[Math.min(lo + 1, S - 1)];
  if (grad) for (let c = 0; c < C; c++) grad[c] = (1 - w) * ev.marg[c][sLo] + w * ev.marg[c][sHi];
  return (1 - w) * t[sLo] + w * t[sHi];
}

function average(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Global grid search (dynamic programming over budget units) then an augmented Lagrangian polish. @internal */
// long: the two stages share the problem's bounds and the grid's best point; each stage is a loop over budget units
// or multiplier updates that reads best as one piece
function solve(p: Problem): Float64Array {
  const C = p.names.length;
  const { lower, upper } = p;
  const sumL = lower.reduce((a, b) => a + b, 0);
  const R = p.budget - sumL; // discretionary budget
  const x = Float64Array.from(lower);
  if (R <= 0) return x;
  const freeIdx = Array.from({ length: C }, (_, c) => c).filter((c) => !p.fixed[c] && upper[c] > lower[c]);
  if (freeIdx.length === 0) return x;
  // 1. a global start: dynamic programming on a grid of the discretionary budget (S-shaped curves are not concave)
  gridStart(p, x, freeIdx, R);
  fixSum(x, p, freeIdx);
  // 2a. the posterior-mean optimum by Newton on the KKT system: the answer for the separable objective (posterior
  // mean, or point curves), and the starting point for the risk objectives
  const separable = p.objective === 'mean' || p.S === 1;
  if (newtonKkt(p, x, freeIdx)) {
    fixSum(x, p, freeIdx);
    if (separable) return x;
  }
  // 2b. otherwise an augmented Lagrangian for Σ x = B on the free channels
  augmentedLagrangian(p, x, freeIdx, R);
  fixSum(x, p, freeIdx);
  return x;
}

/**
 * The global start: dynamic programming on K = 64 units of R/K over the mean objective (separable), each free channel
 * taking a whole number of units above its lower bound; writes the best allocation into `x`. @internal
 */
function gridStart(p: Problem, x: Float64Array, freeIdx: readonly number[], R: number): void {
  const { lower, upper } = p;
  const K = 64;
  const unit = R / K;
  const value = freeIdx.map((c) => {
    const kMax = Math.min(K, Math.floor((upper[c] - lower[c]) / unit + 1e-9));
    const v = new Float64Array(kMax + 1);
    for (let k = 0; k <= kMax; k++) v[k] = p.eval.channelMean(c, lower[c] + k * unit, false);
    return v;
  });
  let best = new Float64Array(K + 1).fill(-Infinity);
  best[0] = 0;
  const choice: Int32Array[] = [];
  for (const v of value) {
    const next = new Float64Array(K + 1).fill(-Infinity);
    const ch = new Int32Array(K + 1).fill(-1);
    for (let b = 0; b <= K; b++) {
      for (let k = 0; k < v.length && k <= b; k++) {
        const cand = best[b - k] + v[k];
        if (cand > next[b]) {
          next[b] = cand;
          ch[b] = k;
        }
      }
    }
    choice.push(ch);
    best = next;
  }
  // the grid may not reach exactly K units when upper bounds are tight: take the largest reachable total
  let b = K;
  while (b > 0 && best[b] === -Infinity) b--;
  for (let j = freeIdx.length - 1; j >= 0; j--) {
    const k = Math.max(0, choice[j][b]);
    x[freeIdx[j]] = lower[freeIdx[j]] + k * unit;
    b -= k;
  }
}

/**
 * The risk objectives (a quantile, mean − λ·sd): an augmented Lagrangian for Σ x = B on the free channels, in units of
 * the discretionary budget R, each inner problem solved by bounded L-BFGS from `x`; writes the solution into `x`. @internal
 */
function augmentedLagrangian(p: Problem, x: Float64Array, freeIdx: readonly number[], R: number): void {
  const { lower, upper } = p;
  const n = freeIdx.length;
  const z = Float64Array.from(freeIdx, (c) => (x[c] - lower[c]) / R);
  const zl = new Float64Array(n);
  const zu = Float64Array.from(freeIdx, (c) => (upper[c] - lower[c]) / R);
  const xs = Float64Array.from(x);
  const g = new Float64Array(p.names.length);
  p.eval.at(xs, true);
  const scale = Math.max(Math.abs(objectiveOf(p)), 1e-300);
  let nu = 0;
  let rho = 1e3;
  let hPrev = Infinity;
  let fPrev = Infinity;
  for (let outer = 0; outer < 40; outer++) {
    const r = minimize(
      (zz, gz) => {
        for (let j = 0; j < n; j++) xs[freeIdx[j]] = lower[freeIdx[j]] + zz[j] * R;
        p.eval.at(xs, true);
        const F = objectiveOf(p, g) / scale;
        let h = -1;
        for (let j = 0; j < n; j++) h += zz[j];
        for (let j = 0; j < n; j++) gz[j] = (-g[freeIdx[j]] * R) / scale + nu + rho * h;
        return -F + nu * h + 0.5 * rho * h * h;
      },
      z,
      { lower: zl, upper: zu, gradTol: 1e-13, maxIterations: 500 },
    );
    z.set(r.x);
    let h = -1;
    for (let j = 0; j < n; j++) h += z[j];
    nu += rho * h;
    // Σz = 1 to 1e-9 (in units of the discretionary budget): fixSum moves the rest onto channels with room, which
    // changes the objective by about 1e-9 of its marginal value; tightening further only makes the inner solves stall
    // on rounding (each stalled line search costs ~50 evaluations of every draw)
    if (Math.abs(h) < 1e-9) break;
    // a non-smooth objective (a quantile) stalls at its kinks: stop once an outer round changes it by less than 1e-9
    // (far below the Monte Carlo error of a quantile of the draws) with the budget met to 1e-6
    if (Math.abs(r.value - fPrev) <= 1e-9 * Math.abs(r.value) && Math.abs(h) < 1e-6) break;
    fPrev = r.value;
    if (Math.abs(h) > 0.25 * Math.abs(hPrev)) rho *= 10;
    hPrev = h;
  }
  for (let j = 0; j < n; j++) x[freeIdx[j]] = lower[freeIdx[j]] + z[j] * R;
}

/**
 * Solves f'_c(x_c) = λ on the channels inside their bounds and Σx = B by Newton's method (f'' by central differences
 * of f'), moving channels onto or off their bounds until the KKT conditions hold. Returns false when it cannot
 * (a free channel in a convex stretch, or no convergence), leaving `x` unchanged.
 * @internal
 */
function newtonKkt(p: Problem, x0: Float64Array, freeIdx: number[]): boolean {
  const { lower, upper } = p;
  const x = Float64Array.from(x0);
  const R = p.budget - lower.reduce((a, b) => a + b, 0);
  const state = new Int8Array(x.length); // 0 inside, −1 on lower, +1 on upper
  const tolB = 1e-12 * Math.max(1, p.budget);
  for (const c of freeIdx) state[c] = x[c] <= lower[c] + tolB ? -1 : x[c] >= upper[c] - tolB ? 1 : 0;
  const m = new Float64Array(x.length);
  const h = new Float64Array(x.length);
  for (let outer = 0; outer < 20; outer++) {
    let converged = false;
    for (let it = 0; it < 50; it++) {
      const inside = freeIdx.filter((c) => state[c] === 0);
      if (inside.length === 0) break;
      let lambda = 0;
      for (const c of inside) {
        const d = 1e-6 * Math.max(R, 1e-12);
        m[c] = p.eval.channelMean(c, x[c], true);
        h[c] =
          (p.eval.channelMean(c, x[c] + d, true) - p.eval.channelMean(c, Math.max(lower[c], x[c] - d), true)) /
          (x[c] + d - Math.max(lower[c], x[c] - d));
        if (!(h[c] < 0)) return false;
        lambda += m[c];
      }
      lambda /= inside.length;
      let e = -p.budget;
      for (let c = 0; c < x.length; c++) e += x[c];
      let num = -e;
      let den = 0;
      for (const c of inside) {
        num += (m[c] - lambda) / h[c];
        den += 1 / h[c];
      }
      const dl = num / den;
      let worst = 0;
      for (const c of inside) {
        const dx = (dl - (m[c] - lambda)) / h[c];
        let nx = x[c] + dx;
        if (nx <= lower[c]) {
          nx = lower[c];
          state[c] = -1;
        } else if (nx >= upper[c]) {
          nx = upper[c];
          state[c] = 1;
        }
        worst = Math.max(worst, Math.abs(nx - x[c]) / Math.max(R, 1e-300));
        x[c] = nx;
      }
      if (worst < 1e-13) {
        converged = true;
        break;
      }
    }
    if (!converged && freeIdx.some((c) => state[c] === 0)) return false;
    fixSum(x, p, freeIdx);
    // release bound channels whose marginal return says they should move inside
    const inside = freeIdx.filter((c) => state[c] === 0);
    const lambda = inside.length > 0 ? inside.reduce((a, c) => a + p.eval.channelMean(c, x[c], true), 0) / inside.length : Number.NaN;
    let released = false;
    for (const c of freeIdx) {
      if (state[c] === 0) continue;
      const mc = p.eval.channelMean(c, x[c], true);
      if (Number.isNaN(lambda) || (state[c] === -1 && mc > lambda * (1 + 1e-9)) || (state[c] === 1 && mc < lambda * (1 - 1e-9))) {
        if (Number.isNaN(lambda) && inside.length === 0 && state[c] !== 0 && released) continue;
        state[c] = 0;
        released = true;
      }
    }
    if (!released) {
      x0.set(x);
      return true;
    }
  }
  return false;
}

/**
 * Puts values within 10⁻¹⁰·B of a bound on it, then moves the rounding residual of Σx − B onto channels with
 * room, so the budget holds to the last unit.
 */
function fixSum(x: Float64Array, p: Problem, freeIdx: number[]): void {
  const snap = 1e-10 * Math.max(1, p.budget);
  for (const c of freeIdx) {
    if (x[c] - p.lower[c] < snap) x[c] = p.lower[c];
    else if (p.upper[c] - x[c] < snap) x[c] = p.upper[c];
  }
  for (let pass = 0; pass < 3; pass++) {
    let resid = p.budget;
    for (let c = 0; c < x.length; c++) resid -= x[c];
    if (resid === 0) return;
    for (const c of freeIdx) {
      const room = resid > 0 ? p.upper[c] - x[c] : p.lower[c] - x[c];
      const move = resid > 0 ? Math.min(resid, room) : Math.max(resid, room);
      x[c] += move;
      resid -= move;
      if (resid === 0) break;
    }
  }
}

function report(p: Problem, x: Float64Array, o: AllocateOptions): AllocationResult {
  const C = p.names.length;
  const ev = p.eval;
  ev.at(x, true);
  const objectiveValue = objectiveOf(p);
  const allocation: Record<string, number> = {};
  const responseByChannel: Record<string, number> = {};
  const roas: Record<string, number> = {};
  const marginalRoas: Record<string, number> = {};
  const binding: AllocationResult['binding'] = {};
  const totalMean = average(ev.total);
  const tol = 1e-9 * Math.max(1, p.budget);
  const inside: number[] = [];
  p.names.forEach((n, c) => {
    allocation[n] = x[c];
    responseByChannel[n] = average(ev.resp[c]);
    roas[n] = x[c] > 0 ? responseByChannel[n] / x[c] : Number.NaN;
    marginalRoas[n] = average(ev.marg[c]);
    binding[n] = p.fixed[c] ? 'fixed' : x[c] <= p.lower[c] + tol ? 'lower' : x[c] >= p.upper[c] - tol ? 'upper' : null;
    if (binding[n] === null) inside.push(c);
  });
  const grad = new Float64Array(C);
  objectiveOf(p, grad);
  const kkt = kktCheck(p, x, grad, inside);
  const result: AllocationResult = {
    allocation,
    expectedResponse: totalMean,
    objectiveValue,
    responseByChannel,
    roas,
    marginalRoas,
    binding,
    kkt,
  };
  if (p.S > 1) result.responseInterval = centralInterval(ev.total, p.interval);
  if (o.current) {
    const cur = Float64Array.from(p.names, (n) => o.current?.[n] ?? 0);
    ev.at(cur, false);
    const byChannel: Record<string, number> = {};
    p.names.forEach((n, c) => (byChannel[n] = average(ev.resp[c])));
    const curMean = average(ev.total);
    result.current = { expectedResponse: curMean, responseByChannel: byChannel };
    if (p.S > 1) result.current.responseInterval = centralInterval(ev.total, p.interval);
    result.uplift = { absolute: totalMean - curMean, relative: curMean !== 0 ? totalMean / curMean - 1 : Number.NaN };
  }
  return result;
}

function kktCheck(p: Problem, x: Float64Array, grad: Float64Array, inside: number[]): KktReport {
  if (inside.length === 0) return { multiplier: Number.NaN, maxRelativeDeviation: 0, satisfied: true };
  const ms = inside.map((c) => grad[c]).sort((a, b) => a - b);
  const mu = ms[ms.length >> 1];
  let dev = 0;
  for (const c of inside) dev = Math.max(dev, Math.abs(grad[c] - mu) / Math.abs(mu));
  let ok = dev <= 1e-6;
  const tol = 1e-6 * Math.abs(mu);
  const btol = 1e-9 * Math.max(1, p.budget);
  for (let c = 0; c < x.length; c++) {
    if (p.fixed[c] || inside.includes(c)) continue;
    if (x[c] <= p.lower[c] + btol && grad[c] > mu + tol) ok = false;
    if (x[c] >= p.upper[c] - btol && grad[c] < mu - tol) ok = false;
  }
  return { multiplier: mu, maxRelativeDeviation: dev, satisfied: ok };
}
