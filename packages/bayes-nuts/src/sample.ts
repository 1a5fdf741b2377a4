import {
  ANY,
  AbortedError,
  checkOptions,
  listOf,
  optionKeys,
  type OptionShape,
  InvalidInputError,
  type AbortSignalLike,
  InvalidParameterError,
  NonFiniteError,
  assertInRange,
  assertInteger,
} from '@mmm/core';
import { dualAveragingFinal, dualAveragingInit, dualAveragingRestart, dualAveragingUpdate } from './adaptation/dual-averaging.js';
import { warmupSchedule } from './adaptation/schedule.js';
import { welfordFinal, welfordInit, welfordRestart, welfordUpdate } from './adaptation/welford.js';
import { essBulk, essTail } from '@mmm/diagnostics';
import type { LogDensity } from './log-density.js';
import { denseMetric, diagMetric, type Metric } from './metric.js';
import {
  createNutsWorkspace,
  dot,
  leapfrog,
  LOCAL_STEP_SIZE_SHAPE,
  nutsTransition,
  type ChainState,
  type LocalStepSize,
  type NutsWorkspace,
} from './nuts.js';
import { createRng, type Rng } from './rng.js';

declare const performance: { now(): number };

/** Progress of one chain, reported through {@link SampleOptions.onProgress}. */
export interface Progress {
  chain: number;
  /** iterations done, warmup included */
  iteration: number;
  /** warmup + draws (the iterations it ran, in the last report of a chain that stopped early: see `earlyStop`) */
  total: number;
  warmup: boolean;
  /** divergent transitions after warmup so far */
  divergences: number;
}

/** Options of {@link sample} and {@link runChain}. */
export interface SampleOptions {
  /** seed of the run; chain c draws from the stream (seed, c) */
  seed: number;
  /** @defaultValue 4 */
  chains?: number;
  /** warmup (adaptation) iterations per chain; @defaultValue 1000 */
  warmup?: number;
  /** kept draws per chain; @defaultValue 1000 */
  draws?: number;
  /** target acceptance statistic of the step-size adaptation; @defaultValue 0.8 */
  targetAccept?: number;
  /** @defaultValue 10 */
  maxTreeDepth?: number;
  /** 'diag' (default) or 'dense' inverse metric, adapted during warmup */
  metric?: 'diag' | 'dense';
  /**
   * the inverse metric warmup starts from (diagonal: `dim` variances; dense: `dim²` row-major); @defaultValue the
   * identity, as Stan. A good start (e.g. the Laplace approximation's variances) saves the deep trees of the first
   * adaptation window; the adapted metric replaces it at the end of that window as usual.
   */
  initialInverseMetric?: ArrayLike<number>;
  /** initial points in unconstrained space: one for every chain, or one per chain; default uniform on (−2, 2) */
  init?: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;
  /** called every `progressEvery` iterations and at the end of each chain */
  onProgress?: (p: Progress) => void;
  /** @defaultValue 50 */
  progressEvery?: number;
  /** cancels the run between iterations with an `AbortedError` */
  signal?: AbortSignalLike;
  /** stop sampling early once the draws reach an ESS target (see {@link EarlyStop}); `draws` is then a ceiling */
  earlyStop?: EarlyStop;
  /**
   * smaller leapfrog steps where one step of the adapted size would vary the Hamiltonian by more than a tolerance
   * (see {@link LocalStepSize}: exact, and plain NUTS wherever the step size suits); `true` for the defaults;
   * @defaultValue false
   */
  localStepSize?: boolean | LocalStepSize;
  /**
   * continue earlier chains instead of starting new ones: one {@link ChainResume} per chain (from
   * {@link continueFrom}), each chain starting at its point with its adapted step size and metric and running no warmup
   * (`warmup` must then be 0 or absent). Draw from a new `seed` and join the runs with {@link joinRuns}.
   */
  resume?: ReadonlyArray<ChainResume>;
}

/** Where a chain stopped and what it had adapted: enough to continue it (see `SampleOptions.resume`). */
export interface ChainResume {
  /** the last draw, unconstrained */
  position: ArrayLike<number>;
  /** the adapted step size */
  stepSize: number;
  /** the adapted inverse metric (dim, or dim² row-major when dense) */
  inverseMetric: ArrayLike<number>;
}

/**
 * Stopping a run's sampling once it has enough draws. Every `every` draws from `minDraws` on, each chain estimates the
 * bulk and tail ESS of each coordinate and of the log density from its own draws (split in halves, rank-normalised,
 * as `@mmm/diagnostics`), and stops when all reach `ess / chains`. A chain decides on its own draws alone, so the
 * result does not depend on how chains are scheduled on workers; the run then keeps the shortest chain's length in
 * every chain (diagnostics need equal lengths), so its multi-chain ESS can come out below `ess`: check it.
 */
export interface EarlyStop {
  /** the ESS wanted over all chains (bulk and tail) */
  ess: number;
  /** draws between checks; @defaultValue 100 */
  every?: number;
  /** draws before the first check; @defaultValue 200 */
  minDraws?: number;
}

/** Per-draw statistics of one chain. */
export interface ChainStats {
  divergent: Uint8Array;
  treeDepth: Uint8Array;
  nLeapfrog: Uint32Array;
  /** steps of the trajectory taken as several smaller leapfrog steps (all 0 without `localStepSize`) */
  refinedSteps: Uint32Array;
  acceptStat: Float64Array;
  energy: Float64Array;
  logDensity: Float64Array;
}

/** The result of one chain. */
export interface ChainResult {
  chain: number;
  /** draws × dim, row-major, unconstrained */
  draws: Float64Array;
  stats: ChainStats;
  /** adapted step size */
  stepSize: number;
  /** adapted inverse metric (dim, or dim² row-major when dense) */
  inverseMetric: Float64Array;
  metric: 'diag' | 'dense';
  warmupSeconds: number;
  samplingSeconds: number;
  /** log-density-and-gradient evaluations, warmup, initialisation and step-size search included */
  gradientEvaluations: number;
  /** leapfrog steps during warmup (sampling's are in `stats.nLeapfrog`) */
  leapfrogWarmup: number;
}

/** The result of {@link sample}: one {@link ChainResult} per chain, plus the settings used. */
export interface SampleResult {
  dim: number;
  draws: number;
  warmup: number;
  seed: number;
  chains: ChainResult[];
}

interface Settings {
  warmup: number;
  draws: number;
  targetAccept: number;
  maxTreeDepth: number;
  metric: 'diag' | 'dense';
  progressEvery: number;
  earlyStop?: Required<EarlyStop>;
  localStepSize: LocalStepSize | null;
  resume?: ReadonlyArray<ChainResume>;
}

/** Checks options and fills defaults. @internal */
export function resolveOptions(target: LogDensity, options: SampleOptions): Settings & { chains: number } {
  if (!target || typeof target.logDensityGradient !== 'function') {
    throw new InvalidInputError('target', 'has no logDensityGradient', 'Pass a LogDensity { dim, logDensityGradient(theta, grad) }.');
  }
  assertInteger('target.dim', target.dim, 1);
  assertInteger('seed', options.seed);
  const chains = options.chains ?? 4;
  if (options.resume !== undefined && options.warmup !== undefined && options.warmup !== 0) {
    throw new InvalidInputError(
      'warmup',
      `is ${options.warmup} with resume`,
      'A resumed chain keeps its adapted step size and metric and runs no warmup: leave warmup out or set it to 0.',
    );
  }
  const warmup = options.resume !== undefined ? 0 : (options.warmup ?? 1000);
  const draws = options.draws ?? 1000;
  assertInteger('chains', chains, 1);
  assertInteger('warmup', warmup, 0);
  assertInteger('draws', draws, 1);
  const targetAccept = options.targetAccept ?? 0.8;
  assertInRange('targetAccept', targetAccept, { lower: 0, upper: 1, lowerOpen: true, upperOpen: true });
  const maxTreeDepth = options.maxTreeDepth ?? 10;
  assertInteger('maxTreeDepth', maxTreeDepth, 1);
  if (maxTreeDepth > 30) throw new InvalidParameterError('maxTreeDepth', maxTreeDepth, 'the integers 1 … 30');
  const metric = options.metric ?? 'diag';
  if (metric !== 'diag' && metric !== 'dense') throw new InvalidParameterError('metric', metric, "{'diag', 'dense'}");
  const progressEvery = options.progressEvery ?? 50;
  assertInteger('progressEvery', progressEvery, 1);
  let earlyStop: Required<EarlyStop> | undefined;
  if (options.earlyStop) {
    const { ess, every = 100, minDraws = 200 } = options.earlyStop;
    assertInRange('earlyStop.ess', ess, { lower: 0, lowerOpen: true });
    assertInteger('earlyStop.every', every, 1);
    assertInteger('earlyStop.minDraws', minDraws, 4);
    earlyStop = { ess, every, minDraws };
  }
  const local = options.localStepSize === true ? {} : options.localStepSize || null;
  if (local) {
    if (local.energyTolerance !== undefined)
      assertInRange('localStepSize.energyTolerance', local.energyTolerance, { lower: 0, lowerOpen: true });
    if (local.maxHalvings !== undefined) assertInteger('localStepSize.maxHalvings', local.maxHalvings, 1);
    if ((local.maxHalvings ?? 0) > 20)
      throw new InvalidParameterError('localStepSize.maxHalvings', local.maxHalvings, 'the integers 1 … 20');
  }
  if (options.resume !== undefined) checkResume(options.resume, chains, target.dim, metric);
  return {
    chains,
    warmup,
    draws,
    targetAccept,
    maxTreeDepth,
    metric,
    progressEvery,
    earlyStop,
    localStepSize: local,
    resume: options.resume,
  };
}

/** Checks `SampleOptions.resume`: one entry per chain, each with a point, a step size and a metric of the right sizes. @internal */
function checkResume(resume: ReadonlyArray<ChainResume>, chains: number, dim: number, metric: 'diag' | 'dense'): void {
  if (!Array.isArray(resume) || resume.length !== chains)
    throw new InvalidInputError(
      'resume',
      `has ${Array.isArray(resume) ? resume.length : 'no'} entries`,
      `Give one entry per chain (${chains}), e.g. continueFrom(previousResult).`,
    );
  const metricSize = metric === 'dense' ? dim * dim : dim;
  resume.forEach((r, c) => {
    if (r?.position?.length !== dim)
      throw new InvalidInputError(
        `resume[${c}].position`,
        `has length ${r?.position?.length}`,
        `Give the chain's last point: target.dim = ${dim} values.`,
      );
    assertInRange(`resume[${c}].stepSize`, r.stepSize, { lower: 0, lowerOpen: true });
    if (r.inverseMetric?.length !== metricSize)
      throw new InvalidInputError(
        `resume[${c}].inverseMetric`,
        `has length ${r.inverseMetric?.length}`,
        `Give the chain's adapted ${metric} inverse metric: ${metricSize} values.`,
      );
  });
}

/** What each chain of a run had reached and adapted, to continue it with `SampleOptions.resume`. */
export function continueFrom(result: SampleResult): ChainResume[] {
  const dim = result.dim;
  return result.chains.map((c) => {
    const n = c.stats.divergent.length;
    return { position: c.draws.slice((n - 1) * dim, n * dim), stepSize: c.stepSize, inverseMetric: Float64Array.from(c.inverseMetric) };
  });
}

/**
 * One run from a run and its continuation (`SampleOptions.resume`): each chain's draws and statistics one after the
 * other, times and gradient counts added; the warmup and seed are the first run's.
 */
export function joinRuns(first: SampleResult, next: SampleResult): SampleResult {
  if (first.dim !== next.dim || first.chains.length !== next.chains.length) {
    throw new InvalidInputError(
      'next',
      `has ${next.chains.length} chains of dimension ${next.dim}`,
      `Join a run with its own continuation: ${first.chains.length} chains of dimension ${first.dim}.`,
    );
  }
  const cat = <A extends Float64Array | Uint8Array | Uint32Array>(a: A, b: A): A => {
    const out = new (a.constructor as new (n: number) => A)(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  const chains = first.chains.map((a, c): ChainResult => {
    const b = next.chains[c];
    const sa = a.stats;
    const sb = b.stats;
    return {
      ...b,
      chain: a.chain,
      draws: cat(a.draws, b.draws),
      stats: {
        divergent: cat(sa.divergent, sb.divergent),
        treeDepth: cat(sa.treeDepth, sb.treeDepth),
        nLeapfrog: cat(sa.nLeapfrog, sb.nLeapfrog),
        refinedSteps: cat(sa.refinedSteps, sb.refinedSteps),
        acceptStat: cat(sa.acceptStat, sb.acceptStat),
        energy: cat(sa.energy, sb.energy),
        logDensity: cat(sa.logDensity, sb.logDensity),
      },
      warmupSeconds: a.warmupSeconds + b.warmupSeconds,
      samplingSeconds: a.samplingSeconds + b.samplingSeconds,
      gradientEvaluations: a.gradientEvaluations + b.gradientEvaluations,
      leapfrogWarmup: a.leapfrogWarmup + b.leapfrogWarmup,
    };
  });
  return { dim: first.dim, draws: first.draws + next.draws, warmup: first.warmup, seed: first.seed, chains };
}

/** The keys of {@link SampleOptions}, for `checkOptions` (the parallel runners add theirs). */
export const SAMPLE_OPTION_KEYS = {
  seed: ANY,
  chains: ANY,
  warmup: ANY,
  draws: ANY,
  targetAccept: ANY,
  maxTreeDepth: ANY,
  metric: ANY,
  initialInverseMetric: ANY,
  init: ANY,
  onProgress: ANY,
  progressEvery: ANY,
  signal: ANY,
  earlyStop: optionKeys<EarlyStop>({ ess: ANY, every: ANY, minDraws: ANY }),
  localStepSize: LOCAL_STEP_SIZE_SHAPE,
  resume: listOf(optionKeys<ChainResume>({ position: ANY, stepSize: ANY, inverseMetric: ANY })),
} satisfies { readonly [K in keyof Required<SampleOptions>]: OptionShape };
const SAMPLE_SHAPE = optionKeys<SampleOptions>(SAMPLE_OPTION_KEYS);

/**
 * Draws from `target` with NUTS: `chains` independent chains, run one after another on this thread (see
 * `sampleParallel` for worker threads; both give the same draws for the same seed).
 * @example
 * const target = { dim: 1, logDensityGradient: (t: Float64Array, g: Float64Array) => { g[0] = -t[0]; return -0.5 * t[0] * t[0]; } };
 * const fit = sample(target, { seed: 1, chains: 2, warmup: 200, draws: 200 });
 * fit.chains[0].draws.length; // 200
 */
export function sample(target: LogDensity, options: SampleOptions): SampleResult {
  checkOptions(options, SAMPLE_SHAPE, 'options');
  const s = resolveOptions(target, options);
  const chains: ChainResult[] = [];
  for (let c = 0; c < s.chains; c++) chains.push(runChain(target, options, c));
  return sampleResult(target.dim, s.warmup, options.seed, chains);
}

/**
 * The result of a run from its chains: with early stopping, every chain cut to the shortest one's draws. @internal
 */
export function sampleResult(dim: number, warmup: number, seed: number, chains: ChainResult[]): SampleResult {
  const draws = Math.min(...chains.map((c) => c.stats.divergent.length));
  const cut = chains.map((c) => (c.stats.divergent.length === draws ? c : truncateChain(c, draws, dim)));
  return { dim, draws, warmup, seed, chains: cut };
}

/** A chain's first `n` draws and their statistics. @internal */
function truncateChain(c: ChainResult, n: number, dim: number): ChainResult {
  const st = c.stats;
  return {
    ...c,
    draws: c.draws.slice(0, n * dim),
    stats: {
      divergent: st.divergent.slice(0, n),
      treeDepth: st.treeDepth.slice(0, n),
      nLeapfrog: st.nLeapfrog.slice(0, n),
      refinedSteps: st.refinedSteps.slice(0, n),
      acceptStat: st.acceptStat.slice(0, n),
      energy: st.energy.slice(0, n),
      logDensity: st.logDensity.slice(0, n),
    },
  };
}

/** Runs chain `chain` of a run: depends on (`options.seed`, `chain`) and the target alone. */
// long: Stan's warmup and sampling loop in one scope, so the chain state, adapters and workspace stay in locals
// across 2,000 transitions; the pieces it composes (nuts.ts, adaptation/) are short and tested alone
export function runChain(target: LogDensity, options: SampleOptions, chain: number): ChainResult {
  const s = resolveOptions(target, options);
  assertInteger('chain', chain, 0);
  const dim = target.dim;
  const rng = createRng(options.seed, chain);
  const counter = { evaluations: 0 };
  const counted: LogDensity = {
    dim,
    logDensityGradient(theta, grad) {
      counter.evaluations += 1;
      return target.logDensityGradient(theta, grad);
    },
  };
  const t0 = performance.now();
  const resume = s.resume?.[chain];
  const orbit = target.orbit ? orbitSampler(target.orbit.bind(target), counted, rng, dim) : undefined;
  const state = initialState(counted, rng, resume ? resume.position : initFor(options.init, chain, dim));
  const ws = createNutsWorkspace(dim, s.maxTreeDepth, s.localStepSize);
  let metric: Metric = initialMetric(resume ? resume.inverseMetric : options.initialInverseMetric, s.metric, dim);
  if (orbit) orbit.state = state;
  // a resumed chain keeps its adapted step size (and runs no warmup: s.warmup is 0)
  let stepSize = resume ? resume.stepSize : findReasonableStepSize(counted, metric, rng, state, 1, ws);
  const da = dualAveragingInit(stepSize, s.targetAccept);
  const windows = warmupSchedule(s.warmup);
  const welford = welfordInit(dim, s.metric === 'dense');
  let w = 0;
  const total = s.warmup + s.draws;
  const report = (iteration: number, warmup: boolean, divergences: number) => {
    if (options.onProgress && (iteration % s.progressEvery === 0 || iteration === total)) {
      options.onProgress({ chain, iteration, total, warmup, divergences });
    }
  };

  // warmup takes plain leapfrog steps: refined steps would carry trajectories through regions where the adapted step
  // is unstable, whose acceptance statistics would shrink the step size below plain NUTS's (by a fifth on a
  // 100-dimensional Gaussian); so ε and the metric adapt as Stan's, and sampling refines where ε is too long
  const local = ws.local;
  ws.local = null;
  let nLeapfrogWarmup = 0;
  for (let it = 0; it < s.warmup; it++) {
    if (options.signal?.aborted) throw new AbortedError(`Sampling was cancelled in chain ${chain} at warmup iteration ${it}.`);
    const info = nutsTransition(counted, metric, rng, state, stepSize, ws);
    nLeapfrogWarmup += info.nLeapfrog;
    if (orbit) orbit.step();
    stepSize = dualAveragingUpdate(da, info.acceptStat);
    const win = windows[w];
    if (win && it >= win.start && it <= win.end) {
      welfordUpdate(welford, state.q);
      if (it === win.end) {
        const est = welfordFinal(welford);
        metric = s.metric === 'dense' ? denseMetric(est, dim) : diagMetric(est);
        welfordRestart(welford);
        w += 1;
        stepSize = findReasonableStepSize(counted, metric, rng, state, stepSize, ws);
        dualAveragingRestart(da, stepSize);
      }
    }
    report(it + 1, true, 0);
  }
  if (s.warmup > 0) stepSize = dualAveragingFinal(da);
  ws.local = local;
  const t1 = performance.now();

  const draws = new Float64Array(s.draws * dim);
  const stats: ChainStats = {
    divergent: new Uint8Array(s.draws),
    treeDepth: new Uint8Array(s.draws),
    nLeapfrog: new Uint32Array(s.draws),
    refinedSteps: new Uint32Array(s.draws),
    acceptStat: new Float64Array(s.draws),
    energy: new Float64Array(s.draws),
    logDensity: new Float64Array(s.draws),
  };
  let divergences = 0;
  let kept = s.draws;
  const stop = s.earlyStop;
  for (let i = 0; i < s.draws; i++) {
    if (options.signal?.aborted) throw new AbortedError(`Sampling was cancelled in chain ${chain} at draw ${i}.`);
    const info = nutsTransition(counted, metric, rng, state, stepSize, ws);
    if (orbit) orbit.step();
    draws.set(state.q, i * dim);
    stats.divergent[i] = info.divergent ? 1 : 0;
    stats.treeDepth[i] = info.treeDepth;
    stats.nLeapfrog[i] = info.nLeapfrog;
    stats.refinedSteps[i] = info.refinedSteps;
    stats.acceptStat[i] = info.acceptStat;
    stats.energy[i] = info.energy;
    stats.logDensity[i] = state.logDensity;
    if (info.divergent) divergences += 1;
    report(s.warmup + i + 1, false, divergences);
    const n = i + 1;
    if (
      stop &&
      n < s.draws &&
      n >= stop.minDraws &&
      (n - stop.minDraws) % stop.every === 0 &&
      enoughDraws(draws, stats.logDensity, n, dim, stop.ess / s.chains)
    ) {
      kept = n;
      // the chain's last report: it is done, so its total is the iterations it ran
      options.onProgress?.({ chain, iteration: s.warmup + n, total: s.warmup + n, warmup: false, divergences });
      break;
    }
  }
  const t2 = performance.now();
  const result: ChainResult = {
    chain,
    draws,
    stats,
    stepSize,
    inverseMetric: metric.inverseMetric(),
    metric: s.metric,
    warmupSeconds: (t1 - t0) / 1000,
    samplingSeconds: (t2 - t1) / 1000,
    gradientEvaluations: counter.evaluations + (orbit?.evaluations ?? 0),
    leapfrogWarmup: nLeapfrogWarmup,
  };
  return kept < s.draws ? truncateChain(result, kept, dim) : result;
}

/** The initial bracket of the orbit's slice sampler, in the orbit's parameter s, and the most steps out. @internal */
const ORBIT_WIDTH = 1;
const ORBIT_STEPS = 20;

/**
 * The target's orbit update on a chain's state (see `LogDensity.orbit`): slice sampling (Neal 2003: stepping out by
 * `ORBIT_WIDTH` up to `ORBIT_STEPS` times in all, then shrinking) of s from π(s) ∝ p(Φ_s(θ))·|det ∂Φ_s(θ)/∂θ|, starting at
 * s = 0, and the new point's log density and gradient. The orbit's own evaluations count as gradient evaluations. @internal
 */
function orbitSampler(orbitOf: NonNullable<LogDensity['orbit']>, counted: LogDensity, rng: Rng, dim: number) {
  const out = new Float64Array(dim);
  const grad = new Float64Array(dim);
  const sampler = {
    state: undefined as ChainState | undefined,
    evaluations: 0,
    step(): void {
      const st = sampler.state!;
      const orbit = orbitOf(st.q);
      const level = Math.log(rng.uniform());
      let left = -ORBIT_WIDTH * rng.uniform();
      let right = left + ORBIT_WIDTH;
      // at most ORBIT_STEPS steps out, split at random between the two ends (which the slice sampler's reversibility needs)
      let j = Math.floor(ORBIT_STEPS * rng.uniform());
      let k = ORBIT_STEPS - 1 - j;
      for (; j > 0 && orbit.logRatio(left) > level; j--) left -= ORBIT_WIDTH;
      for (; k > 0 && orbit.logRatio(right) > level; k--) right += ORBIT_WIDTH;
      for (let tries = 0; tries < 100; tries++) {
        const x = left + (right - left) * rng.uniform();
        if (orbit.logRatio(x) > level) {
          orbit.point(out);
          const lp = counted.logDensityGradient(out, grad);
          if (Number.isFinite(lp)) {
            st.q.set(out);
            st.grad.set(grad);
            st.logDensity = lp;
          }
          break;
        }
        // the bracket shrinks toward s = 0, the current point, which is always on the slice
        if (x < 0) left = x;
        else right = x;
      }
      sampler.evaluations += orbit.evaluations();
    },
  };
  return sampler;
}

/**
 * Whether one chain's first `n` draws reach `target` bulk and tail ESS in every coordinate and in the log density
 * (split in halves, rank-normalised, as `@mmm/diagnostics`). @internal
 */
export function enoughDraws(draws: Float64Array, logDensity: Float64Array, n: number, dim: number, target: number): boolean {
  const column = new Float64Array(n);
  const enough = (x: Float64Array) => essBulk([x]) >= target && essTail([x]) >= target;
  if (!enough(logDensity.subarray(0, n))) return false;
  for (let j = 0; j < dim; j++) {
    for (let i = 0; i < n; i++) column[i] = draws[i * dim + j];
    if (!enough(column)) return false;
  }
  return true;
}

function identity(d: number): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = 1;
  return m;
}

function initFor(init: SampleOptions['init'], chain: number, dim: number): ArrayLike<number> | undefined {
  if (init === undefined) return undefined;
  const perChain = Array.isArray(init) && init.length > 0 && typeof (init as ArrayLike<unknown>)[0] !== 'number';
  const x = perChain ? (init as ReadonlyArray<ArrayLike<number>>)[chain] : (init as ArrayLike<number>);
  if (x === undefined)
    throw new InvalidInputError(`init[${chain}]`, 'is missing', 'Give one initial point for every chain, or one for all.');
  if (x.length !== dim)
    throw new InvalidInputError(
      perChain ? `init[${chain}]` : 'init',
      `has length ${x.length}`,
      `Initial points need target.dim = ${dim} values.`,
    );
  return x;
}

/**
 * A first point with finite log density and gradient: the user's, or uniform on (−2, 2)ᵈ with up to 100 tries, as Stan.
 * @internal
 */
export function initialState(target: LogDensity, rng: Rng, init?: ArrayLike<number>): ChainState {
  const dim = target.dim;
  const q = new Float64Array(dim);
  const grad = new Float64Array(dim);
  const tries = init ? 1 : 100;
  for (let t = 0; t < tries; t++) {
    if (init) q.set(init);
    else for (let i = 0; i < dim; i++) q[i] = 4 * rng.uniform() - 2;
    grad.fill(Number.NaN);
    const lp = target.logDensityGradient(q, grad);
    if (Number.isFinite(lp) && grad.every(Number.isFinite)) return { q, grad, logDensity: lp };
    if (init) {
      if (!Number.isFinite(lp)) throw new NonFiniteError('log density at init', lp, 'Choose an initial point inside the support.');
      const bad = grad.findIndex((v) => !Number.isFinite(v));
      throw new NonFiniteError(
        `gradient[${bad}] at init`,
        grad[bad],
        'Check that logDensityGradient writes every entry of grad (length dim).',
      );
    }
  }
  throw new InvalidInputError(
    'target',
    'has no finite log density and gradient at 100 random initial points in (−2, 2)',
    'Check the model for errors, or pass init; a gradient left unwritten (NaN) also fails this check.',
  );
}

/**
 * Stan's step-size heuristic: from ε, double (or halve) until the acceptance probability of one leapfrog step
 * from a fresh momentum crosses 0.8. Restores `state` afterwards.
 * @internal
 */
export function findReasonableStepSize(
  target: LogDensity,
  metric: Metric,
  rng: Rng,
  state: ChainState,
  eps: number,
  ws: NutsWorkspace,
): number {
  if (eps === 0 || eps > 1e7 || Number.isNaN(eps)) return eps;
  const dim = ws.dim;
  const z = ws.z;
  const v = ws.vec.v;
  const trial = (e: number): number => {
    z.q.set(state.q);
    z.grad.set(state.grad);
    z.logp = state.logDensity;
    metric.sampleMomentumInto(rng, z.p);
    metric.velocityInto(z.p, v);
    const H0 = -z.logp + 0.5 * dot(z.p, v, dim);
    leapfrog(target, metric, z, e, v, dim);
    metric.velocityInto(z.p, v);
    let h = -z.logp + 0.5 * dot(z.p, v, dim);
    if (Number.isNaN(h)) h = Infinity;
    return H0 - h;
  };
  const logTarget = Math.log(0.8);
  const direction = trial(eps) > logTarget ? 1 : -1;
  for (;;) {
    const dH = trial(eps);
    if (direction === 1 && !(dH > logTarget)) break;
    if (direction === -1 && !(dH < logTarget)) break;
    eps = direction === 1 ? 2 * eps : 0.5 * eps;
    if (eps > 1e7)
      throw new InvalidInputError(
        'target',
        'allows step sizes above 1e7',
        'The posterior is improper: check the priors and that the density is proper.',
      );
    if (eps === 0) throw new InvalidInputError('target', 'has no acceptably small step size', 'Check the model for non-finite gradients.');
  }
  return eps;
}

function initialMetric(inv: ArrayLike<number> | undefined, kind: 'diag' | 'dense', dim: number): Metric {
  if (inv === undefined) return kind === 'dense' ? denseMetric(identity(dim), dim) : diagMetric(new Float64Array(dim).fill(1));
  if (kind === 'diag') {
    if (inv.length !== dim)
      throw new InvalidInputError('initialInverseMetric', `has ${inv.length} values`, `Give ${dim} variances for the diagonal metric.`);
    for (let i = 0; i < dim; i++)
      if (!(inv[i] > 0 && Number.isFinite(inv[i])))
        throw new InvalidInputError(`initialInverseMetric[${i}]`, `is ${inv[i]}`, 'Variances must be finite and > 0.');
    return diagMetric(Float64Array.from(inv));
  }
  if (inv.length !== dim * dim)
    throw new InvalidInputError(
      'initialInverseMetric',
      `has ${inv.length} values`,
      `Give ${dim}² = ${dim * dim} values (row-major) for the dense metric.`,
    );
  for (let i = 0; i < inv.length; i++) if (!Number.isFinite(inv[i])) throw new NonFiniteError(`initialInverseMetric[${i}]`, inv[i]);
  return denseMetric(Float64Array.from(inv), dim);
}
