// One chain: Stan's warmup (windowed adaptation of the step size and the metric), then the draws.
import { AbortedError, InvalidInputError, NonFiniteError, assertInteger } from '@mmm/core';
import type { LogDensity } from './log-density.js';
import { denseMetric, diagMetric, type Metric } from './metric.js';
import { createNutsWorkspace, dot, leapfrog, nutsTransition, type ChainState, type NutsWorkspace } from './nuts.js';
import { createRng, type Rng } from './rng.js';
import { resolveOptions, type ChainResult, type ChainStats, type SampleOptions, type Settings } from './sample-options.js';
import {
  windowedAdaptationFinal,
  windowedAdaptationInit,
  windowedAdaptationRestart,
  windowedAdaptationUpdate,
} from './adaptation/windowed.js';
import { truncateChain } from './runs.js';
import { orbitSampler } from './orbit-step.js';
import { runToStop } from './early-stop.js';

declare const performance: { now(): number };

/** What a chain's warmup and sampling share: the counted target, its state, workspace and reporting. @internal */
interface ChainRun {
  counted: LogDensity;
  rng: Rng;
  state: ChainState;
  ws: NutsWorkspace;
  orbit: ReturnType<typeof orbitSampler> | undefined;
  report: (iteration: number, warmup: boolean, divergences: number) => void;
  s: Settings & { chains: number };
  options: SampleOptions;
  chain: number;
}

/**
 * One chain run in steps: `warmup()`, then `sampleTo(n)` as often as wanted (a run's stopping rule looks at the draws
 * between steps), then `result(kept)`. Its draws depend on (`options.seed`, `chain`) and the target alone, never on
 * where the steps fall. @internal
 */
export interface ChainStepper {
  readonly chain: number;
  /** capacity `draws × dim`, row-major; the first `done` rows are filled */
  readonly draws: Float64Array;
  readonly stats: ChainStats;
  /** draws taken so far */
  readonly done: number;
  warmup(): void;
  /** takes draws until `n` (at most the settings' `draws`) are done */
  sampleTo(n: number): void;
  /** the chain's result with its first `kept` draws (all done by default) */
  result(kept?: number): ChainResult;
}

/** Starts chain `chain` of a run (see {@link ChainStepper}). @internal */
export function startChain(target: LogDensity, options: SampleOptions, chain: number): ChainStepper {
  const s = resolveOptions(target, options);
  assertInteger('chain', chain, 0);
  const dim = target.dim;
  const rng = createRng(options.seed, chain);
  const { counted, counter } = countedTarget(target);
  const t0 = performance.now();
  const resume = s.resume?.[chain];
  const orbit = target.orbit ? orbitSampler(target.orbit.bind(target), counted, rng, dim) : undefined;
  const state = initialState(counted, rng, resume ? resume.position : initFor(options.init, chain, dim));
  const ws = createNutsWorkspace(dim, s.maxTreeDepth, s.localStepSize);
  const metric: Metric = initialMetric(resume ? resume.inverseMetric : options.initialInverseMetric, s.metric, dim);
  if (orbit) orbit.state = state;
  const total = s.warmup + s.draws;
  const report = (iteration: number, warmup: boolean, divergences: number) => {
    if (options.onProgress && (iteration % s.progressEvery === 0 || iteration === total)) {
      options.onProgress({ chain, iteration, total, warmup, divergences });
    }
  };
  const run: ChainRun = { counted, rng, state, ws, orbit, report, s, options, chain };
  let adapted: { metric: Metric; stepSize: number; leapfrog: number } | undefined;
  let sampling: SamplingPhase | undefined;
  let warmupSeconds = 0;
  let samplingSeconds = 0;
  const stepper: ChainStepper = {
    chain,
    draws: new Float64Array(s.draws * dim),
    stats: emptyStats(s.draws),
    get done() {
      return sampling?.done ?? 0;
    },
    warmup() {
      if (adapted) return;
      // a resumed chain keeps its adapted step size (and runs no warmup: s.warmup is 0)
      const initial = resume ? resume.stepSize : findReasonableStepSize(counted, metric, rng, state, 1, ws);
      adapted = warmupPhase(run, metric, initial);
      warmupSeconds = (performance.now() - t0) / 1000;
      sampling = {
        draws: stepper.draws,
        stats: stepper.stats,
        done: 0,
        divergences: 0,
        metric: adapted.metric,
        stepSize: adapted.stepSize,
      };
    },
    sampleTo(n) {
      stepper.warmup();
      const t = performance.now();
      samplingPhase(run, sampling!, Math.min(n, s.draws));
      samplingSeconds += (performance.now() - t) / 1000;
    },
    result(kept = stepper.done) {
      stepper.warmup();
      if (kept < s.draws) {
        // the chain's last report: it is done, so its total is the iterations kept
        let divergences = 0;
        for (let i = 0; i < kept; i++) divergences += stepper.stats.divergent[i];
        options.onProgress?.({ chain, iteration: s.warmup + kept, total: s.warmup + kept, warmup: false, divergences });
      }
      const result: ChainResult = {
        chain,
        draws: stepper.draws,
        stats: stepper.stats,
        stepSize: adapted!.stepSize,
        inverseMetric: adapted!.metric.inverseMetric(),
        metric: s.metric,
        warmupSeconds,
        samplingSeconds,
        gradientEvaluations: counter.evaluations + (orbit?.evaluations ?? 0),
        leapfrogWarmup: adapted!.leapfrog,
      };
      return kept < s.draws ? truncateChain(result, kept, dim) : result;
    },
  };
  return stepper;
}

/** Per-draw statistics for `n` draws, zeroed. @internal */
function emptyStats(n: number): ChainStats {
  return {
    divergent: new Uint8Array(n),
    treeDepth: new Uint8Array(n),
    nLeapfrog: new Uint32Array(n),
    refinedSteps: new Uint32Array(n),
    acceptStat: new Float64Array(n),
    energy: new Float64Array(n),
    logDensity: new Float64Array(n),
  };
}

/** The target with a count of its evaluations. @internal */
function countedTarget(target: LogDensity): { counted: LogDensity; counter: { evaluations: number } } {
  const counter = { evaluations: 0 };
  const counted: LogDensity = {
    dim: target.dim,
    logDensityGradient(theta, grad) {
      counter.evaluations += 1;
      return target.logDensityGradient(theta, grad);
    },
  };
  return { counted, counter };
}

/**
 * Runs chain `chain` of a run: depends on (`options.seed`, `chain`) and the target alone. With `earlyStop` the chain
 * judges its own draws against its share of the ESS (`ess / chains`), as a run judges all its chains' (see
 * {@link EarlyStop}).
 */
export function runChain(target: LogDensity, options: SampleOptions, chain: number): ChainResult {
  const stepper = startChain(target, options, chain);
  const s = resolveOptions(target, options);
  stepper.warmup();
  if (!s.earlyStop) {
    stepper.sampleTo(s.draws);
    return stepper.result();
  }
  const rule = { ...s.earlyStop, ess: s.earlyStop.ess / s.chains };
  const { kept } = runToStop([stepper], rule, s.draws, target.dim, options.onProgress);
  return stepper.result(kept);
}

/**
 * Stan's warmup: NUTS transitions with the windowed adaptation of the step size and the metric. It takes plain leapfrog
 * steps: refined steps would carry trajectories through regions where the adapted step is unstable, whose acceptance
 * statistics would shrink the step size below plain NUTS's (by a fifth on a 100-dimensional Gaussian); so ε and the
 * metric adapt as Stan's, and sampling refines where ε is too long. @internal
 */
function warmupPhase(run: ChainRun, metric: Metric, stepSize: number): { metric: Metric; stepSize: number; leapfrog: number } {
  const { counted, rng, state, ws, orbit, s, options, chain } = run;
  const adaptation = windowedAdaptationInit(counted.dim, s.metric === 'dense', s.warmup, stepSize, s.targetAccept);
  const local = ws.local;
  ws.local = null;
  let leapfrog = 0;
  for (let it = 0; it < s.warmup; it++) {
    if (options.signal?.aborted) throw new AbortedError(`Sampling was cancelled in chain ${chain} at warmup iteration ${it}.`);
    const info = nutsTransition(counted, metric, rng, state, stepSize, ws);
    leapfrog += info.nLeapfrog;
    if (orbit) orbit.step();
    const next = windowedAdaptationUpdate(adaptation, it, info.acceptStat, state.q);
    stepSize = next.stepSize;
    if (next.metric) {
      metric = next.metric;
      stepSize = findReasonableStepSize(counted, metric, rng, state, stepSize, ws);
      windowedAdaptationRestart(adaptation, stepSize);
    }
    run.report(it + 1, true, 0);
  }
  if (s.warmup > 0) stepSize = windowedAdaptationFinal(adaptation);
  ws.local = local;
  return { metric, stepSize, leapfrog };
}

/** Where a chain's sampling stands between steps. @internal */
interface SamplingPhase {
  draws: Float64Array;
  stats: ChainStats;
  done: number;
  divergences: number;
  metric: Metric;
  stepSize: number;
}

/** The draws: NUTS transitions at the adapted step size and metric, until `until` are done. @internal */
function samplingPhase(run: ChainRun, p: SamplingPhase, until: number): void {
  const { counted, rng, state, ws, orbit, s, options, chain } = run;
  const dim = counted.dim;
  const { draws, stats, metric, stepSize } = p;
  for (let i = p.done; i < until; i++) {
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
    if (info.divergent) p.divergences += 1;
    p.done = i + 1;
    run.report(s.warmup + i + 1, false, p.divergences);
  }
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
