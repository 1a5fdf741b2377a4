import { AbortedError, InvalidInputError, InvalidParameterError } from '@mmm/core';
import { drawsByScalar } from './summaries.js';
import {
  continueFrom,
  joinRuns,
  sample,
  type ChainResume,
  type Progress,
  type SampleOptions,
  type SampleResult,
  type StopCheck,
  scalarNames,
  priorQuantile,
} from '@mmm/bayes-nuts';
import { convergenceGate, samplerDiagnostics, summary } from '@mmm/diagnostics';
import type { MMM } from '@mmm/model';
import { conditionalLaplaceVariances, laplaceVariances } from './laplace.js';
import type { Attempt, BayesianDiagnostics, BayesianFit, FitMMMOptions, FitProgress, MMMFit } from './types.js';
import type { PreparedFit } from './prepare.js';
import { summariseDraws } from './summarise.js';

declare const performance: { now(): number };

/** The sampler settings of an attempt (see `PreparedFit.settings`). @internal */
type Settings = PreparedFit['settings'];

/**
 * What the convergence gate's failure suggests for the next attempt (`FitMMMOptions.remedy`), as a pure function of the
 * last attempt's diagnostics and settings: after divergent transitions a smaller step (target acceptance 0.95, then
 * 0.99) and 1.5× the warmup, from scratch; after R-hat or ESS failures the same chains continued for as many draws
 * again (chains that mix slowly need more draws, not a new warmup: on the 8-geo reference data a warmup costs 2–3 times
 * 1,000 draws, and restarting twice as long passed no more often, docs/validation.md). Each attempt takes the next seed.
 */
export function nextAttempt(
  diagnostics: Pick<BayesianFit['diagnostics'], 'divergences' | 'failures'>,
  settings: Settings,
  seed: number,
  drawsSoFar: number,
): { restart: boolean; settings: Settings; reason: string } {
  if (diagnostics.divergences > 0) {
    const next = { ...settings, targetAccept: settings.targetAccept < 0.9 ? 0.95 : 0.99, warmup: Math.round(settings.warmup * 1.5), seed };
    return {
      restart: true,
      settings: next,
      reason: `${diagnostics.divergences} divergent transitions: target acceptance ${next.targetAccept}, warmup ${next.warmup}`,
    };
  }
  const next = { ...settings, draws: settings.draws + drawsSoFar, seed };
  return {
    restart: false,
    settings: next,
    reason: `${diagnostics.failures.length} parameters failed R-hat or ESS: the chains continued for ${drawsSoFar} more draws`,
  };
}

/**
 * `fitMMM(rows, { method: 'bayesian' })`: samples the prepared model's posterior with NUTS (chains on worker threads in
 * Node), applies the convergence gate with its remedies (`nextAttempt`), and summarises the draws. @internal
 */
export async function fitBayesian(prepared: PreparedFit, options: FitMMMOptions, t0: number): Promise<BayesianFit> {
  // remedies: on by default unless the run lengths were chosen by the caller (short runs asked for are respected)
  const chosen = options.warmup !== undefined || options.draws !== undefined;
  const maxAttempts = options.remedy === false ? 0 : (options.remedy?.maxAttempts ?? (options.remedy === undefined && chosen ? 0 : 2));
  const attempts: Attempt[] = [];
  let run = await runSampler(prepared, options, prepared.settings, 1);
  let fit = summariseRun(prepared, options, prepared.settings, run, t0);
  attempts.push(attemptOf(fit, 'as asked'));
  for (let k = 1; k <= maxAttempts && !fit.diagnostics.passed; k++) {
    if (options.signal?.aborted) throw new AbortedError('fitMMM was cancelled.');
    const t1 = performance.now();
    const next = nextAttempt(fit.diagnostics, fit.settings, prepared.settings.seed + k, run.draws);
    if (next.restart) run = await runSampler(prepared, options, next.settings, k + 1);
    else {
      const extra = await runSampler(prepared, options, { ...next.settings, draws: run.draws }, k + 1, continueFrom(run));
      run = { ...joinRuns(run, extra), laplaceEvaluations: run.laplaceEvaluations };
    }
    fit = summariseRun(prepared, options, next.settings, run, t1);
    attempts.push(attemptOf(fit, next.reason));
  }
  fit.diagnostics.attempts = attempts;
  if (attempts.length > 1) {
    fit.timing.totalSeconds = (performance.now() - t0) / 1000;
    const remedies = attempts
      .slice(1)
      .map((a) => a.reason)
      .join('; ');
    fit.diagnostics.messages.push(
      fit.diagnostics.passed
        ? `The gate passed on attempt ${attempts.length} of ${attempts.length} (remedies: ${remedies}).`
        : `The gate still failed after ${attempts.length - 1} remedies (${remedies}): see docs/validation.md on convergence, or ` +
            `simplify the model.`,
    );
  }
  return fit;
}

/** One attempt of a Bayesian fit, for `fit.diagnostics.attempts`. @internal */
function attemptOf(fit: BayesianFit, reason: string): Attempt {
  const d = fit.diagnostics;
  return {
    reason,
    seed: fit.settings.seed,
    targetAccept: fit.settings.targetAccept,
    warmup: fit.settings.warmup,
    draws: fit.settings.draws,
    passed: d.passed,
    rhatMax: d.rhatMax,
    essBulkMin: d.essBulkMin,
    divergences: d.divergences,
    seconds: fit.timing.totalSeconds,
  };
}

/**
 * Steps refined where the adapted step is unstable (`@mmm/bayes-nuts`'s `localStepSize`: exact, plain NUTS wherever
 * the step suits): removes the divergent transitions of the geo baselines' funnel and of national curves' ridges. @internal
 */
const LOCAL_STEP_SIZE = true;

/** A run of the sampler and the gradients its start cost (the Laplace approximation's). @internal */
type Run = SampleResult & { laplaceEvaluations?: number };

/**
 * Samples the prepared model once with the given settings, or continues an earlier run's chains (`resume`: no
 * warmup). @internal
 */
async function runSampler(
  prepared: PreparedFit,
  options: FitMMMOptions,
  settings: PreparedFit['settings'],
  attempt: number,
  resume?: ChainResume[],
): Promise<Run> {
  const { spec, raw, model } = prepared;
  // warmup starts from the Laplace approximation's variances (see laplace.ts) unless the user asks for Stan's identity.
  // A geo model's posterior mode is degenerate (the geo scatter and the baselines' spread shrink to 0 there): its
  // approximation holds those scales at their prior medians. On the 40-geo demo the first 100 warmup iterations from the
  // identity took about 900 gradients each (tree depth 10), more than the rest of the fit. On the 8-geo reference data
  // this start mixed worse than the identity until the geo model had its baselines' orbit (seeds 1–4: min ESS-bulk
  // 64–194 against 38–443); with the orbit it mixes as well and warms up in half the time (docs/model-math.md)
  const warm = !resume && options.warmStart ? warmStartOf(model, options.warmStart.fit, settings.chains) : undefined;
  const wantLaplace = !warm && !resume && (options.initialMetric ?? 'laplace') === 'laplace';
  const dense = (options.metric ?? 'diag') === 'dense';
  const full = wantLaplace && !prepared.panel ? laplaceVariances(model.density) : undefined;
  const laplace = wantLaplace && prepared.panel ? conditionalLaplaceVariances(model.density, hierarchicalScales(model)) : full;
  const sampleOptions: SampleOptions = {
    seed: settings.seed,
    metric: options.metric ?? 'diag',
    initialInverseMetric: dense
      ? (full?.covariance ?? diagonalMatrix(warm?.variances ?? laplace?.variances))
      : (warm?.variances ?? laplace?.variances),
    ...(warm ? { init: warm.init } : {}),
    chains: settings.chains,
    ...(resume ? { resume } : { warmup: settings.warmup }),
    draws: settings.draws,
    targetAccept: settings.targetAccept,
    onProgress: options.onProgress ? progressTracker(settings.chains, attempt, options.onProgress) : undefined,
    ...(options.earlyStop ? { earlyStop: earlyStopRule(options) } : {}),
    localStepSize: options.localStepSize ?? LOCAL_STEP_SIZE,
  };
  let result: SampleResult;
  const inNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
  // chains on worker threads in Node, or on Web Workers in a browser when the caller gives a worker factory (the
  // subpath resolves to the Web Worker runner under the "browser" condition); otherwise one after another here. A geo
  // fit runs every chain at once even on fewer cores: its chains take minutes and end at different times, and the
  // system sharing the cores beats queueing chains behind each other (Meridian's 40 geos on 2 cores: 329 s with 4
  // workers, 373 s with 2)
  // terms added with `options.terms` are functions, which cannot cross to a worker: such a model samples here
  const custom = (options.terms?.length ?? 0) > 0;
  if (!custom && (options.parallel ?? true) && settings.chains > 1 && (inNode || options.createWorker)) {
    const { sampleParallel } = await import('@mmm/bayes-nuts/parallel');
    result = await sampleParallel({ module: '@mmm/model', export: 'createMMMTarget', data: { spec, raw } }, {
      ...sampleOptions,
      workers: options.workers ?? (prepared.panel ? settings.chains : undefined),
      signal: options.signal,
      ...(inNode ? {} : { createWorker: options.createWorker }),
    } as Parameters<typeof sampleParallel>[1]);
  } else {
    result = sample(model.density, { ...sampleOptions, signal: options.signal });
  }
  if (options.signal?.aborted) throw new AbortedError('fitMMM was cancelled.');
  return laplace ? { ...result, laplaceEvaluations: laplace.evaluations } : result;
}

/** The fit of a run: its draws by name, the gate, the summaries, and the timing from `t0`. @internal */
function summariseRun(prepared: PreparedFit, options: FitMMMOptions, settings: Settings, result: Run, t0: number): BayesianFit {
  const { draws, values } = drawsByName(prepared.model, result);
  const summary = summariseDraws(prepared, { draws, values }, settings.interval);
  return {
    ...summary,
    method: 'bayesian',
    settings,
    draws,
    ...(prepared.terms ? { terms: customTermNames(prepared) } : {}),
    diagnostics: diagnose(draws, result, options, settings.interval),
    timing: {
      warmupSeconds: Math.max(...result.chains.map((c) => c.warmupSeconds)),
      samplingSeconds: Math.max(...result.chains.map((c) => c.samplingSeconds)),
      totalSeconds: (performance.now() - t0) / 1000,
      // the mode search and the Hessian count as gradient evaluations too
      gradientEvaluations: result.chains.reduce((a, c) => a + c.gradientEvaluations, 0) + (result.laplaceEvaluations ?? 0),
    },
  };
}

/** The names of the terms added with `options.terms`. @internal */
function customTermNames(prepared: PreparedFit): string[] {
  const builtIn = prepared.model.terms.length - (prepared.terms ?? 0);
  return prepared.model.terms.slice(builtIn).map((t) => t.name);
}

/** A dense inverse metric (row-major) with these variances on its diagonal, or undefined. @internal */
function diagonalMatrix(variances: Float64Array | undefined): Float64Array | undefined {
  if (!variances) return undefined;
  const d = variances.length;
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = variances[i];
  return m;
}

/**
 * The sampler coordinates of a geo model's group-level scales (the parameters its terms declare `hierarchicalScale`: τ_σ,
 * each channel's η, the geo slopes' sd), each held at the log of its prior median for the conditional Laplace start.
 * @internal
 */
function hierarchicalScales(model: MMM): { indices: number[]; values: number[]; variance: number } {
  const scales = new Map(model.parameters.filter((p) => p.hierarchicalScale && p.prior).map((p) => [p.name, p.prior!]));
  const indices: number[] = [];
  const values: number[] = [];
  for (const b of model.density.blocks) {
    const prior = scales.get(b.name);
    if (!prior) continue;
    indices.push(b.offset);
    values.push(Math.log(priorQuantile(prior, 0.5)));
  }
  // their posterior sd on the log scale is 0.1 to 0.5: variance 1 (the identity) leaves the first window to find it
  return { indices, values, variance: 1 };
}

/**
 * A warm start from an earlier fit of the same model: each chain's initial point is the last draw of one of its chains
 * (mapped to the sampler's coordinates of this model), and the initial inverse metric the variances of up to 400 of
 * its draws there. @internal
 */
function warmStartOf(model: MMM, previous: MMMFit, chains: number): { init: Float64Array[]; variances: Float64Array } {
  if (previous?.method !== 'bayesian') {
    const what = previous?.method ? `a ${previous.method} fit` : 'not a fit';
    throw new InvalidInputError(
      'options.warmStart.fit',
      `is ${what}`,
      'Warm-start from a Bayesian fit of the same model (its draws and metric).',
    );
  }
  for (const nm of model.names) {
    if (!previous?.draws?.[nm])
      throw new InvalidInputError(
        'options.warmStart.fit',
        `has no draws of ${nm}`,
        'Warm-start from a Bayesian fit of the same model: the same channels, controls, trend and seasonality (and geos).',
      );
  }
  const first = previous.draws[model.names[0]];
  const blocks = model.density.blocks;
  const at = (c: number, s: number) => {
    const v: Record<string, Float64Array> = {};
    for (const b of blocks) v[b.name] = Float64Array.from(scalarNames(b), (name) => previous.draws[name][c][s]);
    return model.density.unconstrain(v);
  };
  const init = Array.from({ length: chains }, (_, c) => at(c % first.length, first[c % first.length].length - 1));
  const dim = model.density.dim;
  const sum = new Float64Array(dim);
  const sq = new Float64Array(dim);
  let count = 0;
  for (let c = 0; c < first.length; c++) {
    const S = first[c].length;
    const step = Math.max(1, Math.floor((S * first.length) / 400));
    for (let s = 0; s < S; s += step) {
      const u = at(c, s);
      for (let i = 0; i < dim; i++) {
        sum[i] += u[i];
        sq[i] += u[i] * u[i];
      }
      count++;
    }
  }
  const variances = Float64Array.from({ length: dim }, (_, i) => Math.max(1e-8, sq[i] / count - (sum[i] / count) ** 2));
  return { init, variances };
}

/** Constrained draws by name (one array per chain) and each draw's values by block. @internal */
function drawsByName(model: MMM, result: SampleResult): { draws: Record<string, number[][]>; values: Array<Record<string, Float64Array>> } {
  const dim = model.density.dim;
  const values: Array<Record<string, Float64Array>> = [];
  for (const c of result.chains) {
    for (let i = 0; i < result.draws; i++) values.push(model.density.constrain(c.draws.subarray(i * dim, (i + 1) * dim)));
  }
  const draws = drawsByScalar(model.density.blocks, values, result.draws);
  return { draws, values };
}

/** The summary table, sampler diagnostics and the convergence gate's verdict. @internal */
function diagnose(draws: Record<string, number[][]>, result: SampleResult, options: FitMMMOptions, interval: number): BayesianDiagnostics {
  const table = summary(draws, { interval });
  const sampler = samplerDiagnostics({
    divergent: result.chains.map((c) => c.stats.divergent),
    treeDepth: result.chains.map((c) => c.stats.treeDepth),
    energy: result.chains.map((c) => c.stats.energy),
  });
  const gate = convergenceGate(table, sampler, options.gate);
  return {
    passed: gate.passed,
    rhatMax: gate.rhatMax,
    essBulkMin: gate.essBulkMin,
    essTailMin: gate.essTailMin,
    divergences: gate.divergences,
    failures: gate.failures,
    messages: [...gate.messages, ...sampler.warnings.filter((w) => !w.includes('diverged'))],
    ebfmi: sampler.ebfmi ?? [],
    summary: table,
    drawsPerChain: result.draws,
    ...(result.earlyStop ? { earlyStop: result.earlyStop } : {}),
    refinedSteps: result.chains.reduce((a, c) => a + c.stats.refinedSteps.reduce((x, y) => x + y, 0), 0),
  };
}

/**
 * The targets `earlyStop` aims at: ESS the user's, or 1.25 times the gate's larger ESS threshold; R-hat 80% of the way
 * from 1 to the gate's (1.008 for 1.01). Checked at every 100 draws from 200 on. @internal
 */
function earlyStopRule(options: FitMMMOptions): { ess: number; rhat: number } {
  const asked = typeof options.earlyStop === 'object' ? options.earlyStop.ess : undefined;
  const rhat = 1 + 0.8 * ((options.gate?.rhatMax ?? 1.01) - 1);
  if (asked !== undefined) {
    if (!(asked > 0 && Number.isFinite(asked))) throw new InvalidParameterError('earlyStop.ess', asked, 'a number of draws > 0, e.g. 500');
    return { ess: asked, rhat };
  }
  return { ess: 1.25 * Math.max(options.gate?.essBulkMin ?? 400, options.gate?.essTailMin ?? 400), rhat };
}

/**
 * A check of the stopping rule as a fit reports it: the draws judged, the ESS so far (the smaller of bulk and tail) and
 * R-hat against their targets. @internal
 */
function earlyStopProgress(c: StopCheck): NonNullable<FitProgress['earlyStop']> {
  return {
    draws: c.draws,
    ess: Math.min(c.essBulk, c.essTail),
    targetEss: c.targetEss,
    rhat: c.rhat,
    targetRhat: c.targetRhat,
    met: c.met,
  };
}

/**
 * Turns the sampler's per-chain reports into the whole fit's progress: iterations summed over chains (a chain not yet
 * heard from counts as not started), phase, divergences, and the seconds left at the rate so far. @internal
 */
export function progressTracker(
  chains: number,
  attempt: number,
  onProgress: (p: FitProgress) => void,
  now: () => number = () => performance.now(),
): (p: Progress) => void {
  const start = now();
  const done = new Float64Array(chains);
  const totals = new Float64Array(chains);
  const warming = new Uint8Array(chains).fill(1);
  const divergent = new Float64Array(chains);
  let check: StopCheck | undefined;
  let last: Progress | undefined;
  return (p) => {
    // a run-level report of the stopping rule: the chains' state as last heard, with the check
    if (p.chain < 0) {
      check = p.check;
      if (!last) return;
      p = last;
    }
    last = p;
    done[p.chain] = p.iteration;
    totals[p.chain] = p.total;
    warming[p.chain] = p.warmup ? 1 : 0;
    divergent[p.chain] = p.divergences;
    let sumDone = 0;
    let sumTotal = 0;
    let divergencesTotal = 0;
    let warmup = false;
    for (let c = 0; c < chains; c++) {
      sumDone += done[c];
      sumTotal += totals[c] > 0 ? totals[c] : p.total;
      divergencesTotal += divergent[c];
      if (warming[c]) warmup = true;
    }
    const fraction = Math.min(1, sumDone / sumTotal);
    const elapsedSeconds = (now() - start) / 1000;
    onProgress({
      ...p,
      attempt,
      phase: warmup ? 'warmup' : 'sampling',
      fraction,
      divergencesTotal,
      elapsedSeconds,
      etaSeconds: fraction >= 0.02 ? (elapsedSeconds * (1 - fraction)) / fraction : undefined,
      ...(check ? { earlyStop: earlyStopProgress(check) } : {}),
    });
  };
}
