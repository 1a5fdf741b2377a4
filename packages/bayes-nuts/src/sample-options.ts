// The sampler's options, results and their checks.
import {
  ANY,
  listOf,
  optionKeys,
  type OptionShape,
  InvalidInputError,
  type AbortSignalLike,
  InvalidParameterError,
  assertInRange,
  assertInteger,
} from '@mmm/core';
import type { LogDensity } from './log-density.js';
import { LOCAL_STEP_SIZE_SHAPE, type LocalStepSize } from './nuts.js';

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
  /**
   * a run-level report of the stopping rule (`earlyStop`): then `chain` is −1 and `iteration` of `total` are the draws
   * per chain judged of the ceiling
   */
  check?: StopCheck;
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
   * `continueFrom`), each chain starting at its point with its adapted step size and metric and running no warmup
   * (`warmup` must then be 0 or absent). Draw from a new `seed` and join the runs with `joinRuns`.
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
 * Stopping a run's sampling once the answer is known. At fixed draw counts (`minDraws`, then every `every` draws) the
 * run judges all its chains' draws so far: the multi-chain rank-normalised R-hat and the bulk and tail ESS of every
 * coordinate and of the log density (as `@mmm/diagnostics`); it stops at the first count where every R-hat is at most
 * `rhat` and every ESS at least `ess`, and keeps that many draws in every chain. The draws kept are the first ones of
 * the same run without stopping, bit for bit: the rule reads the chains' own convergence statistics and consumes no
 * randomness, so stopping selects a length, not draws (as a user who looks at the diagnostics and stops by hand).
 * Chains on worker threads send their draws to the coordinating thread at each count and learn its verdict one step
 * later; where a run stops depends on the seed and the target alone, not on threads or timing.
 * `runChain` alone judges its one chain against `ess / chains`.
 */
export interface EarlyStop {
  /** the ESS wanted over all chains (bulk and tail) */
  ess: number;
  /** the largest R-hat accepted; @defaultValue 1.01 */
  rhat?: number;
  /** draws between checks; @defaultValue 100 */
  every?: number;
  /** draws before the first check; @defaultValue 200 */
  minDraws?: number;
}

/**
 * One check of the rule: the draws per chain it judged, and the figures of the first parameter that failed (or the
 * worst, when all met).
 */
export interface StopCheck {
  /** draws per chain judged */
  draws: number;
  /** whether every parameter met the targets */
  met: boolean;
  /** the parameter the figures are of: its coordinate, or -1 for the log density */
  parameter: number;
  essBulk: number;
  essTail: number;
  rhat: number;
  /** the targets: ESS (bulk and tail) and R-hat */
  targetEss: number;
  targetRhat: number;
}

/** When and why a run stopped sampling (see {@link EarlyStop}). */
export interface EarlyStopReport {
  /** draws kept per chain */
  draws: number;
  /** the draws asked for (the ceiling) */
  ceiling: number;
  /** 'targets met' at `draws`, or 'ceiling' when no check met them */
  reason: 'targets met' | 'ceiling';
  /** checks made */
  checks: number;
  /** the last check */
  last?: StopCheck;
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
  /** with `earlyStop`: when and why sampling stopped */
  earlyStop?: EarlyStopReport;
}

/** The options with their defaults. @internal */
export interface Settings {
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
  const earlyStop = resolveEarlyStop(options.earlyStop);
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

/** `SampleOptions.earlyStop` checked, with its defaults. @internal */
export function resolveEarlyStop(e: EarlyStop | undefined): Required<EarlyStop> | undefined {
  if (!e) return undefined;
  const { ess, rhat = 1.01, every = 100, minDraws = 200 } = e;
  assertInRange('earlyStop.ess', ess, { lower: 0, lowerOpen: true });
  assertInRange('earlyStop.rhat', rhat, { lower: 1, lowerOpen: true });
  assertInteger('earlyStop.every', every, 1);
  assertInteger('earlyStop.minDraws', minDraws, 4);
  return { ess, rhat, every, minDraws };
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
  earlyStop: optionKeys<EarlyStop>({ ess: ANY, rhat: ANY, every: ANY, minDraws: ANY }),
  localStepSize: LOCAL_STEP_SIZE_SHAPE,
  resume: listOf(optionKeys<ChainResume>({ position: ANY, stepSize: ANY, inverseMetric: ANY })),
} satisfies { readonly [K in keyof Required<SampleOptions>]: OptionShape };
