import { ANY, oneOf, optionKeys, type OptionShape } from '@mmm/core';
import type { LogDensity } from './log-density.js';
import type { Metric } from './metric.js';
import type { Rng } from './rng.js';

/** Where a chain is: position, gradient of the log density there, and the log density. */
export interface ChainState {
  readonly q: Float64Array;
  readonly grad: Float64Array;
  logDensity: number;
}

/** What one transition reports (sampler diagnostics read these). */
export interface TransitionInfo {
  acceptStat: number;
  divergent: boolean;
  treeDepth: number;
  /** leapfrog steps (gradients), refined steps' included */
  nLeapfrog: number;
  /** trajectory steps taken as several leapfrog steps (see {@link LocalStepSize}) */
  refinedSteps: number;
  /** Hamiltonian at the selected draw */
  energy: number;
}

/** A phase-space point with its momentum and velocity. @internal */
type Point = Proposal;

/** A candidate draw: position, momentum (for the energy), gradient and log density. @internal */
interface Proposal {
  q: Float64Array;
  p: Float64Array;
  grad: Float64Array;
  logp: number;
}

/** Per-depth buffers of the recursive tree builder. @internal */
interface Level {
  pInitEnd: Float64Array;
  pSharpInitEnd: Float64Array;
  rhoInit: Float64Array;
  pFinalBeg: Float64Array;
  pSharpFinalBeg: Float64Array;
  rhoFinal: Float64Array;
  rhoSubtree: Float64Array;
  proposeFinal: Proposal;
}

/**
 * Buffers for one chain's NUTS transitions, made once: a transition and its leapfrog steps allocate nothing.
 */
export interface NutsWorkspace {
  readonly dim: number;
  readonly maxTreeDepth: number;
  /** @internal */ z: Point;
  /** @internal */ zFwd: Point;
  /** @internal */ zBck: Point;
  /** @internal */ sample: Proposal;
  /** @internal */ propose: Proposal;
  /** @internal */ vec: Record<
    | 'pFwdFwd'
    | 'pFwdBck'
    | 'pBckFwd'
    | 'pBckBck'
    | 'sFwdFwd'
    | 'sFwdBck'
    | 'sBckFwd'
    | 'sBckBck'
    | 'rho'
    | 'rhoFwd'
    | 'rhoBck'
    | 'rhoExt'
    | 'v',
    Float64Array
  >;
  /** @internal */ levels: Level[];
  /** the steps' refinement (see {@link LocalStepSize}), or null for plain leapfrog steps; can be switched between transitions */
  local: Required<LocalStepSize> | null;
  /** @internal */ start: Point;
  /** @internal */ probe: Point;
}

/**
 * Refining the step where the leapfrog is unstable (the within-orbit adaptation of WALNUTS, Bou-Rabee, Carpenter,
 * Kleppe and Liu 2025): each step of the trajectory is taken as 2^ℓ leapfrog steps of size ε/2^ℓ with the smallest
 * ℓ ≤ `maxHalvings` whose Hamiltonian varies by at most `energyTolerance` over the step, and a step is kept only if
 * the same rule, applied from its end backward, picks the same ℓ (otherwise the trajectory stops there, as at a
 * U-turn), so the transition stays reversible and the draws exact. Where one leapfrog step of size ε varies the
 * Hamiltonian by less than the tolerance (almost everywhere in a posterior the step size was adapted to) the
 * trajectory is plain NUTS's, bit for bit; in a funnel's neck it takes smaller steps instead of diverging.
 */
export interface LocalStepSize {
  /** largest variation of the Hamiltonian over one step; @defaultValue 1 */
  energyTolerance?: number;
  /**
   * at most 2^maxHalvings leapfrog steps per step; @defaultValue 14 (costs nothing where no step needs it; 10 left one
   * divergent transition in 4,000 deep in the geo baselines' funnel on two seeds of four)
   */
  maxHalvings?: number;
}

/** `localStepSize`: true, false or its settings (for `checkOptions`). */
export const LOCAL_STEP_SIZE_SHAPE: OptionShape = oneOf(ANY, optionKeys<LocalStepSize>({ energyTolerance: ANY, maxHalvings: ANY }));

/** Allocates a {@link NutsWorkspace}; `local` turns on the step refinement of {@link LocalStepSize}. */
export function createNutsWorkspace(dim: number, maxTreeDepth: number, local?: LocalStepSize | null): NutsWorkspace {
  const v = () => new Float64Array(dim);
  const point = (): Point => ({ q: v(), p: v(), grad: v(), logp: 0 });
  const names = [
    'pFwdFwd',
    'pFwdBck',
    'pBckFwd',
    'pBckBck',
    'sFwdFwd',
    'sFwdBck',
    'sBckFwd',
    'sBckBck',
    'rho',
    'rhoFwd',
    'rhoBck',
    'rhoExt',
    'v',
  ] as const;
  const vec = Object.fromEntries(names.map((n) => [n, v()])) as NutsWorkspace['vec'];
  const levels: Level[] = [];
  for (let d = 0; d <= maxTreeDepth; d++) {
    levels.push({
      pInitEnd: v(),
      pSharpInitEnd: v(),
      rhoInit: v(),
      pFinalBeg: v(),
      pSharpFinalBeg: v(),
      rhoFinal: v(),
      rhoSubtree: v(),
      proposeFinal: point(),
    });
  }
  return {
    dim,
    maxTreeDepth,
    z: point(),
    zFwd: point(),
    zBck: point(),
    sample: point(),
    propose: point(),
    vec,
    levels,
    local: local ? { energyTolerance: local.energyTolerance ?? 1, maxHalvings: local.maxHalvings ?? 14 } : null,
    start: point(),
    probe: point(),
  };
}

/** Energy error beyond which a trajectory is divergent (Stan's max_deltaH). */
export const MAX_DELTA_H = 1000;

/** Mutable counters of one transition. @internal */
interface Tally {
  nLeapfrog: number;
  /** trajectory points so far (the acceptance statistic's denominator) */
  nSteps: number;
  /** steps taken as several leapfrog steps */
  refined: number;
  /** the Hamiltonian where {@link withinTolerance} stopped */
  lastH: number;
  sumMetroProb: number;
  divergent: boolean;
  /** log-sum-weight of the subtree the last buildTree call built */
  subtreeLogWeight: number;
}

/**
 * One multinomial NUTS transition (Betancourt 2017; Stan's `base_nuts`): a trajectory doubled in random directions
 * until the generalised no-U-turn criterion fails (checked across the merged tree and across both subtree
 * boundaries) or `maxTreeDepth` is reached or the energy error exceeds {@link MAX_DELTA_H}; the draw is chosen by
 * biased progressive sampling between subtrees and uniform multinomial sampling within them. Updates `state` in place.
 */
export function nutsTransition(
  target: LogDensity,
  metric: Metric,
  rng: Rng,
  state: ChainState,
  stepSize: number,
  ws: NutsWorkspace,
): TransitionInfo {
  const dim = ws.dim;
  const { z, zFwd, zBck, sample, vec } = ws;
  copy(state.q, z.q);
  copy(state.grad, z.grad);
  z.logp = state.logDensity;
  metric.sampleMomentumInto(rng, z.p);
  metric.velocityInto(z.p, vec.v);
  const H0 = -z.logp + 0.5 * dot(z.p, vec.v, dim);

  copyPoint(z, zFwd);
  copyPoint(z, zBck);
  copyPoint(z, sample);
  copy(z.p, vec.pFwdFwd);
  copy(z.p, vec.pFwdBck);
  copy(z.p, vec.pBckFwd);
  copy(z.p, vec.pBckBck);
  copy(vec.v, vec.sFwdFwd);
  copy(vec.v, vec.sFwdBck);
  copy(vec.v, vec.sBckFwd);
  copy(vec.v, vec.sBckBck);
  copy(z.p, vec.rho);

  let logSumWeight = 0;
  let depth = 0;
  const tally: Tally = { nLeapfrog: 0, nSteps: 0, refined: 0, lastH: 0, sumMetroProb: 0, divergent: false, subtreeLogWeight: -Infinity };
  const ctx: BuildContext = { target, metric, rng, stepSize, H0, ws, tally };

  while (depth < ws.maxTreeDepth) {
    vec.rhoFwd.fill(0);
    vec.rhoBck.fill(0);
    let valid: boolean;
    if (rng.uniform() > 0.5) {
      copyPoint(zFwd, z);
      copy(vec.rho, vec.rhoBck);
      copy(vec.pFwdBck, vec.pBckFwd);
      copy(vec.sFwdBck, vec.sBckFwd);
      valid = buildTree(ctx, depth, 1, vec.sFwdBck, vec.sFwdFwd, vec.rhoFwd, vec.pFwdBck, vec.pFwdFwd, ws.propose);
      copyPoint(z, zFwd);
    } else {
      copyPoint(zBck, z);
      copy(vec.rho, vec.rhoFwd);
      copy(vec.pBckFwd, vec.pFwdBck);
      copy(vec.sBckFwd, vec.sFwdBck);
      valid = buildTree(ctx, depth, -1, vec.sBckFwd, vec.sBckBck, vec.rhoBck, vec.pBckFwd, vec.pBckBck, ws.propose);
      copyPoint(z, zBck);
    }
    if (!valid) break;
    depth += 1;
    const lswSubtree = tally.subtreeLogWeight;
    if (lswSubtree > logSumWeight || rng.uniform() < Math.exp(lswSubtree - logSumWeight)) copyPoint(ws.propose, sample);
    logSumWeight = logAddExp(logSumWeight, lswSubtree);
    add(vec.rhoBck, vec.rhoFwd, vec.rho, dim);
    let persist = criterion(vec.sBckBck, vec.sFwdFwd, vec.rho, dim);
    add(vec.rhoBck, vec.pFwdBck, vec.rhoExt, dim);
    persist = persist && criterion(vec.sBckBck, vec.sFwdBck, vec.rhoExt, dim);
    add(vec.rhoFwd, vec.pBckFwd, vec.rhoExt, dim);
    persist = persist && criterion(vec.sBckFwd, vec.sFwdFwd, vec.rhoExt, dim);
    if (!persist) break;
  }
  copy(sample.q, state.q);
  copy(sample.grad, state.grad);
  state.logDensity = sample.logp;
  metric.velocityInto(sample.p, vec.v);
  return {
    acceptStat: tally.nSteps > 0 ? tally.sumMetroProb / tally.nSteps : 0,
    divergent: tally.divergent,
    refinedSteps: tally.refined,
    treeDepth: depth,
    nLeapfrog: tally.nLeapfrog,
    energy: -sample.logp + 0.5 * dot(sample.p, vec.v, dim),
  };
}

/** @internal */
interface BuildContext {
  target: LogDensity;
  metric: Metric;
  rng: Rng;
  stepSize: number;
  H0: number;
  ws: NutsWorkspace;
  tally: Tally;
}

/**
 * Builds a subtree of 2^depth leapfrog steps from the current point `ws.z` in direction `sign`, writing its
 * proposal into `propose`, its end momenta and velocities, and adding its momentum sum into `rho`. Returns false
 * for a divergent subtree or one that made a U-turn; its log-sum-weight is left in `tally.subtreeLogWeight`.
 * @internal
 */
function buildTree(
  ctx: BuildContext,
  depth: number,
  sign: number,
  pSharpBeg: Float64Array,
  pSharpEnd: Float64Array,
  rho: Float64Array,
  pBeg: Float64Array,
  pEnd: Float64Array,
  propose: Proposal,
): boolean {
  const { ws, tally } = ctx;
  const dim = ws.dim;
  const z = ws.z;
  if (depth === 0) {
    // with refinement, the acceptance statistic is the plain leapfrog step's (`coarse`), so that ε adapts as without it
    let coarse = NaN;
    if (ws.local === null) {
      leapfrog(ctx.target, ctx.metric, z, sign * ctx.stepSize, ws.vec.v, dim);
      tally.nLeapfrog += 1;
    } else {
      coarse = refinedStep(ctx, sign);
      if (coarse === IRREVERSIBLE || tally.divergent) return false;
    }
    tally.nSteps += 1;
    ctx.metric.velocityInto(z.p, pSharpBeg);
    let h = -z.logp + 0.5 * dot(z.p, pSharpBeg, dim);
    if (Number.isNaN(h)) h = Infinity;
    if (h - ctx.H0 > MAX_DELTA_H) tally.divergent = true;
    const lw = ctx.H0 - h;
    tally.subtreeLogWeight = lw;
    const lwa = ws.local === null ? lw : ctx.H0 - coarse;
    tally.sumMetroProb += lwa > 0 ? 1 : Math.exp(lwa);
    copyPoint(z, propose);
    copy(pSharpBeg, pSharpEnd);
    for (let i = 0; i < dim; i++) rho[i] += z.p[i];
    copy(z.p, pBeg);
    copy(z.p, pEnd);
    return !tally.divergent;
  }
  const lv = ws.levels[depth];
  lv.rhoInit.fill(0);
  if (!buildTree(ctx, depth - 1, sign, pSharpBeg, lv.pSharpInitEnd, lv.rhoInit, pBeg, lv.pInitEnd, propose)) return false;
  const lswInit = tally.subtreeLogWeight;
  lv.rhoFinal.fill(0);
  const pf = lv.proposeFinal;
  if (!buildTree(ctx, depth - 1, sign, lv.pSharpFinalBeg, pSharpEnd, lv.rhoFinal, lv.pFinalBeg, pEnd, pf)) return false;
  const lswFinal = tally.subtreeLogWeight;
  const lswSubtree = logAddExp(lswInit, lswFinal);
  tally.subtreeLogWeight = lswSubtree;
  if (lswFinal > lswSubtree || ctx.rng.uniform() < Math.exp(lswFinal - lswSubtree)) copyPoint(pf, propose);
  add(lv.rhoInit, lv.rhoFinal, lv.rhoSubtree, dim);
  for (let i = 0; i < dim; i++) rho[i] += lv.rhoSubtree[i];
  const ext = ws.vec.rhoExt;
  let persist = criterion(pSharpBeg, pSharpEnd, lv.rhoSubtree, dim);
  add(lv.rhoInit, lv.pFinalBeg, ext, dim);
  persist = persist && criterion(pSharpBeg, lv.pSharpFinalBeg, ext, dim);
  add(lv.rhoFinal, lv.pInitEnd, ext, dim);
  persist = persist && criterion(lv.pSharpInitEnd, pSharpEnd, ext, dim);
  return persist;
}

/** {@link refinedStep}'s answer for a step whose refinement is not the same backward. @internal */
const IRREVERSIBLE = -Infinity;

/**
 * One trajectory step from `ws.z` in direction `sign` with the refinement of {@link LocalStepSize}: leaves the step's
 * end in `ws.z` and returns the Hamiltonian one plain leapfrog step would have reached, or {@link IRREVERSIBLE}; a
 * step that no refinement level keeps within the tolerance marks the transition divergent.
 * @internal
 */
function refinedStep(ctx: BuildContext, sign: number): number {
  const { ws, tally } = ctx;
  const { energyTolerance: tol, maxHalvings } = ws.local as Required<LocalStepSize>;
  const z = ws.z;
  const h0 = hamiltonian(ctx, z);
  copyPoint(z, ws.start);
  let coarse = Infinity;
  let level = -1;
  for (let l = 0; l <= maxHalvings; l++) {
    if (l > 0) copyPoint(ws.start, z);
    const ok = withinTolerance(ctx, z, h0, sign, l, tol);
    if (l === 0) coarse = tally.lastH;
    if (ok) {
      level = l;
      break;
    }
  }
  if (level < 0) {
    tally.divergent = true;
    return Infinity;
  }
  if (level === 0) return coarse;
  tally.refined += 1;
  // reversibility: from the end, backward, no coarser level may be within the tolerance
  const hEnd = hamiltonian(ctx, z);
  for (let l = 0; l < level; l++) {
    copyPoint(z, ws.probe);
    if (withinTolerance(ctx, ws.probe, hEnd, -sign, l, tol)) return IRREVERSIBLE;
  }
  return coarse;
}

/**
 * 2^level leapfrog steps of size ε/2^level from `z` (Hamiltonian `h0`) in direction `sign`, stopping as soon as the
 * Hamiltonian has varied by more than `tol`: whether it stayed within (the last Hamiltonian in `tally.lastH`). @internal
 */
function withinTolerance(ctx: BuildContext, z: Point, h0: number, sign: number, level: number, tol: number): boolean {
  const n = 2 ** level;
  const eps = (sign * ctx.stepSize) / n;
  let lo = h0;
  let hi = h0;
  let h = h0;
  for (let k = 0; k < n; k++) {
    leapfrog(ctx.target, ctx.metric, z, eps, ctx.ws.vec.v, ctx.ws.dim);
    ctx.tally.nLeapfrog += 1;
    h = hamiltonian(ctx, z);
    if (h < lo) lo = h;
    if (h > hi) hi = h;
    if (!(hi - lo <= tol)) {
      ctx.tally.lastH = h;
      return false;
    }
  }
  ctx.tally.lastH = h;
  return true;
}

function hamiltonian(ctx: BuildContext, z: Point): number {
  const v = ctx.ws.vec.v;
  ctx.metric.velocityInto(z.p, v);
  const h = -z.logp + 0.5 * dot(z.p, v, ctx.ws.dim);
  return Number.isNaN(h) ? Infinity : h;
}

/**
 * One leapfrog step of size `eps` (negative goes backward): half-step in momentum, full step in position,
 * gradient, half-step in momentum. A non-finite log density leaves it non-finite; the caller sees H = ∞.
 * @internal
 */
export function leapfrog(target: LogDensity, metric: Metric, z: Point, eps: number, v: Float64Array, dim: number): void {
  const half = 0.5 * eps;
  for (let i = 0; i < dim; i++) z.p[i] += half * z.grad[i];
  metric.velocityInto(z.p, v);
  for (let i = 0; i < dim; i++) z.q[i] += eps * v[i];
  z.logp = target.logDensityGradient(z.q, z.grad);
  for (let i = 0; i < dim; i++) z.p[i] += half * z.grad[i];
}

function criterion(pSharpMinus: Float64Array, pSharpPlus: Float64Array, rho: Float64Array, dim: number): boolean {
  return dot(pSharpPlus, rho, dim) > 0 && dot(pSharpMinus, rho, dim) > 0;
}

/** Σ aᵢbᵢ over the first n entries. @internal */
export function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

function add(a: Float64Array, b: Float64Array, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
}

function copy(from: Float64Array, to: Float64Array): void {
  to.set(from);
}

function copyPoint(from: Proposal, to: Proposal): void {
  to.q.set(from.q);
  to.p.set(from.p);
  to.grad.set(from.grad);
  to.logp = from.logp;
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}
