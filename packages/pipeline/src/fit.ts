import { AbortedError, DEFAULT_INTERVAL_MASS, InvalidInputError, InvalidParameterError, isoDate, parseDate } from '@mmm/core';
import {
  continueFrom,
  createRng,
  joinRuns,
  sample,
  samplePrior,
  type ChainResume,
  type Progress,
  type SampleOptions,
  type SampleResult,
} from '@mmm/bayes-nuts';
import { convergenceGate, mape, nrmse, r2, samplerDiagnostics, summary } from '@mmm/diagnostics';
import {
  buildModel,
  impliedLifts,
  prepareModelData,
  priorFor,
  resolveChannel,
  type ChannelSpec,
  type MMM,
  type ModelSpec,
  type RawLiftTest,
  type RawModelData,
  type Scaling,
} from '@mmm/model';
import { changepointGrid } from '@mmm/transforms';
import { checkDates, checkTarget, readColumns, readLabels, type TableInput } from './table.js';
import { readGeoPanel, type GeoPanel } from './panel.js';
import { estimate, seriesEstimate } from './summaries.js';
import { conditionalLaplaceVariances, laplaceVariances } from './laplace.js';
import { fitClassical } from './classical.js';
import { fitGbdt } from './gbdt.js';
import type { Attempt, FitMMMOptions, FitProgress, MMMFit } from './types.js';

declare const performance: { now(): number };

/**
 * Fits the Bayesian MMM to rows (as a CSV parser gives them) or columns: validates the data, scales it, samples the
 * posterior with NUTS (chains on worker threads in Node), applies the convergence gate, and summarises ROAS,
 * marginal ROAS, contributions over time and fit, all as plain JSON.
 * @example
 * const fit = await fitMMM(rows, { date: 'date', target: 'sales', channels: ['tv', 'search'], controls: ['price'], seed: 1 });
 * fit.channels.tv.roas.mean; fit.diagnostics.passed;
 */
export async function fitMMM(data: TableInput, options: FitMMMOptions): Promise<MMMFit> {
  const method = options?.method ?? 'bayesian';
  if (!['bayesian', 'ridge', 'lasso', 'elasticnet', 'linear', 'gbdt'].includes(method))
    throw new InvalidInputError(
      'options.method',
      `is "${String(method)}"`,
      "Use 'bayesian' (the default), 'ridge', 'lasso', 'elasticnet', 'linear' or 'gbdt'.",
    );
  if (method === 'gbdt') return fitGbdt(data, options);
  if (method !== 'bayesian') return fitClassical(data, options);
  const t0 = performance.now();
  const prepared = prepareFit(data, options);
  // remedies: on by default unless the run lengths were chosen by the caller (short runs asked for are respected)
  const maxAttempts =
    options.remedy === false
      ? 0
      : (options.remedy?.maxAttempts ??
        (options.remedy === undefined && (options.warmup !== undefined || options.draws !== undefined) ? 0 : 2));
  const attempts: Attempt[] = [];
  let run = await runSampler(prepared, options, prepared.settings, 1);
  let fit = summariseRun(prepared, options, prepared.settings, run, t0);
  attempts.push(attemptOf(fit, 'as asked'));
  for (let k = 1; k <= maxAttempts && !fit.diagnostics.passed; k++) {
    if (options.signal?.aborted) throw new AbortedError('fitMMM was cancelled.');
    const d = fit.diagnostics;
    const s = fit.settings;
    const seed = prepared.settings.seed + k;
    const t1 = performance.now();
    let reason: string;
    if (d.divergences > 0) {
      // divergences: a smaller step (higher target acceptance) and a longer warmup to adapt it, from scratch
      const next = { ...s, targetAccept: s.targetAccept < 0.9 ? 0.95 : 0.99, warmup: Math.round(s.warmup * 1.5), seed };
      run = await runSampler(prepared, options, next, k + 1);
      fit = summariseRun(prepared, options, next, run, t1);
      reason = `${d.divergences} divergent transitions: target acceptance ${next.targetAccept}, warmup ${next.warmup}`;
    } else {
      // R-hat or ESS: the chains continue where they stopped, with their adapted step sizes and metrics, for as many
      // draws again. Chains that mix slowly need more draws, not a new warmup (on the 8-geo reference data a warmup costs
      // 2–3 times 1,000 draws, and restarting twice as long passed no more often: docs/validation.md)
      const more = run.draws;
      const next = { ...s, draws: s.draws + more, seed };
      const extra = await runSampler(prepared, options, { ...next, draws: more }, k + 1, continueFrom(run));
      run = { ...joinRuns(run, extra), laplaceEvaluations: run.laplaceEvaluations };
      fit = summariseRun(prepared, options, next, run, t1);
      reason = `${d.failures.length} parameters failed R-hat or ESS: the chains continued for ${more} more draws`;
    }
    attempts.push(attemptOf(fit, reason));
  }
  fit.diagnostics.attempts = attempts;
  if (attempts.length > 1) {
    fit.timing.totalSeconds = (performance.now() - t0) / 1000;
    fit.diagnostics.messages.push(
      fit.diagnostics.passed
        ? `The gate passed on attempt ${attempts.length} of ${attempts.length} (remedies: ${attempts
            .slice(1)
            .map((a) => a.reason)
            .join('; ')}).`
        : `The gate still failed after ${attempts.length - 1} remedies (${attempts
            .slice(1)
            .map((a) => a.reason)
            .join('; ')}): see docs/validation.md on convergence, or simplify the model.`,
    );
  }
  return fit;
}

/** One attempt of a Bayesian fit, for `fit.diagnostics.attempts`. @internal */
function attemptOf(fit: MMMFit, reason: string): Attempt {
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
 * The default target acceptance, national and geo: Stan's 0.8. With plain leapfrog steps about one national fit in ten
 * on fresh simulated data had a few divergent transitions at 0.8 (and at 0.95, the previous default, which took 1.4×
 * the gradients); the sampler's local step size (below) integrates those regions with smaller steps instead
 * (docs/validation.md: 75 of 75 fits passed the gate on the first attempt at 0.8). @internal
 */
const DEFAULT_TARGET_ACCEPT = 0.8;
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
    ...(options.earlyStop ? { earlyStop: { ess: earlyStopEss(options) } } : {}),
    localStepSize: options.localStepSize ?? LOCAL_STEP_SIZE,
  };
  let result: SampleResult;
  const inNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
  // chains on worker threads in Node, or on Web Workers in a browser when the caller gives a worker factory (the
  // subpath resolves to the Web Worker runner under the "browser" condition); otherwise one after another here. A geo
  // fit runs every chain at once even on fewer cores: its chains take minutes and end at different times, and the
  // system sharing the cores beats queueing chains behind each other (Meridian's 40 geos on 2 cores: 329 s with 4
  // workers, 373 s with 2)
  if ((options.parallel ?? true) && settings.chains > 1 && (inNode || options.createWorker)) {
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
function summariseRun(prepared: PreparedFit, options: FitMMMOptions, settings: PreparedFit['settings'], result: Run, t0: number): MMMFit {
  const { draws, values } = drawsByName(prepared.model, result);
  const fit = summarise({ ...prepared, settings }, { draws, values }, diagnose(draws, result, options, settings.interval), {
    warmupSeconds: Math.max(...result.chains.map((c) => c.warmupSeconds)),
    samplingSeconds: Math.max(...result.chains.map((c) => c.samplingSeconds)),
    totalSeconds: (performance.now() - t0) / 1000,
    gradientEvaluations: result.chains.reduce((a, c) => a + c.gradientEvaluations, 0),
  });
  // the mode search and the Hessian count as gradient evaluations too
  fit.timing.gradientEvaluations += result.laplaceEvaluations ?? 0;
  return fit;
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
 * The sampler coordinates of a geo model's group-level scales (τ_σ, each channel's η, the geo slopes' sd), each held
 * at the log of its prior median for the conditional Laplace start. @internal
 */
function hierarchicalScales(model: MMM): { indices: number[]; values: number[]; variance: number } {
  const scales = new Set(['baseline.sd', 'trend.sd', ...model.media.map((m) => m.channel.names.scatter)]);
  const rng = createRng(1, 0);
  const indices: number[] = [];
  const values: number[] = [];
  for (const b of model.density.blocks) {
    const prior = scales.has(b.name) ? priorFor(model.spec, b.name) : undefined;
    if (!prior) continue;
    const draws = Array.from({ length: 201 }, () => samplePrior(prior, rng)).sort((x, y) => x - y);
    indices.push(b.offset);
    values.push(Math.log(draws[100]));
  }
  // their posterior sd on the log scale is 0.1 to 0.5: variance 1 (the identity) leaves the first window to find it
  return { indices, values, variance: 1 };
}

/** @internal everything `fitMMM` needs before sampling */
export interface PreparedFit {
  spec: ModelSpec;
  geo: string;
  raw: RawModelData;
  model: MMM;
  scaling: Scaling;
  dates: number[];
  periodDays: number;
  target: Float64Array;
  input: Record<string, Float64Array>;
  spend: Record<string, Float64Array>;
  controls: Record<string, Float64Array>;
  channelNames: string[];
  settings: { chains: number; warmup: number; draws: number; seed: number; targetAccept: number; interval: number };
  /** a geo fit's panel (every series above is then flattened geo-major, G·T long) */
  panel?: GeoPanel;
  /** each element's factor from the model's scale to target units: the mean target (national), population × mean per-capita target (geo) */
  unit: Float64Array;
  /** the lift tests as given (for the fit's report of them) */
  liftTests?: FitMMMOptions['liftTests'];
}

/** A channel with its spend column and, when modelled on exposures, its exposure column. @internal */
interface ResolvedChannelInput {
  name: string;
  spend: string;
  exposure: string | undefined;
}

/** Checks the options' columns: each column has one role (date, target, a channel, a control, the geo). @internal */
function resolveRoles(options: FitMMMOptions): { channels: ResolvedChannelInput[]; controls: string[] } {
  if (!options || typeof options.date !== 'string' || typeof options.target !== 'string') {
    throw new InvalidInputError(
      'options',
      'lacks date or target',
      "Name the date and target columns: { date: 'date', target: 'sales', channels: [...] }.",
    );
  }
  if (!options.channels || options.channels.length === 0)
    throw new InvalidInputError('options.channels', 'is empty', 'Name at least one media channel column.');
  const channels = options.channels.map((c) =>
    typeof c === 'string' ? { name: c, spend: c, exposure: undefined } : { name: c.name, spend: c.spend, exposure: c.exposure },
  );
  const seen = new Set<string>();
  for (const c of channels) {
    if (seen.has(c.name)) throw new InvalidInputError(`options.channels.${c.name}`, 'appears twice', 'Name each channel once.');
    seen.add(c.name);
  }
  for (const name of Object.keys(options.model?.channels ?? {})) {
    if (!seen.has(name))
      throw new InvalidInputError(`options.model.channels.${name}`, 'is not a channel', `Channels are ${[...seen].join(', ')}.`);
  }
  const controls = [...(options.controls ?? [])];
  const roles = new Map<string, string>([
    [options.date, 'the date'],
    [options.target, 'the target'],
  ]);
  const claim = (col: string, role: string, field: string) => {
    const other = roles.get(col);
    if (other && other !== role)
      throw new InvalidInputError(
        field,
        `uses column "${col}", which is already ${other}`,
        'Give each column one role: date, target, a channel, or a control.',
      );
    roles.set(col, role);
  };
  for (const c of channels) {
    claim(c.spend, `channel ${c.name}`, `options.channels.${c.name}`);
    if (c.exposure) claim(c.exposure, `channel ${c.name}`, `options.channels.${c.name}.exposure`);
  }
  for (const name of controls) claim(name, `control ${name}`, `options.controls.${name}`);
  if (options.geo !== undefined) claim(options.geo, 'the geo', 'options.geo');
  if (typeof options.population === 'string') claim(options.population, 'the population', 'options.population');
  return { channels, controls };
}

/** The geos of the data: 'national' without a geo column, the one geo's label, or several (the geo model). @internal */
function resolveGeo(data: TableInput, options: FitMMMOptions): string[] {
  if (options.geo === undefined) return ['national'];
  return [...new Set(readLabels(data, options.geo))];
}

/** Each channel's spend and model input (exposures where given), checked ≥ 0 and not all zero. @internal */
function channelInputs(
  table: { numeric: Record<string, Float64Array> },
  channels: readonly ResolvedChannelInput[],
): { spend: Record<string, Float64Array>; input: Record<string, Float64Array> } {
  const input: Record<string, Float64Array> = {};
  const spend: Record<string, Float64Array> = {};
  for (const c of channels) {
    spend[c.name] = table.numeric[c.spend];
    input[c.name] = table.numeric[c.exposure ?? c.spend];
    for (const [col, values] of [
      [c.spend, spend[c.name]],
      [c.exposure ?? c.spend, input[c.name]],
    ] as const) {
      for (let i = 0; i < values.length; i++) {
        if (values[i] < 0)
          throw new InvalidInputError(
            `rows[${i}].${col}`,
            `is ${values[i]}`,
            'Spend and exposures must be ≥ 0; look for refunds or corrections booked as spend.',
          );
      }
      if (values.every((v) => v === 0))
        throw new InvalidInputError(
          `channels.${c.name}`,
          `has no ${col === c.spend ? 'spend' : 'exposure'} in any period (column ${col})`,
          'A channel that never ran carries no information: drop it from channels.',
        );
    }
  }
  return { spend, input };
}

/** The model spec of the options, with changepoint counts turned into positions on the fitted time axis. @internal */
function specOf(
  options: FitMMMOptions,
  channels: readonly ResolvedChannelInput[],
  controls: string[],
  periodDays: number,
  rows: number,
): ModelSpec {
  const periodsPerYear = 365.25 / periodDays;
  const spec: ModelSpec = {
    channels: channels.map((c): ChannelSpec => ({ name: c.name, ...(options.model?.channels?.[c.name] ?? {}) })),
    controls,
    seasonality:
      options.model?.seasonality === null
        ? null
        : { order: options.model?.seasonality?.order ?? 2, period: options.model?.seasonality?.period ?? periodsPerYear },
    trend: options.model?.trend ?? 'linear',
    periodsPerYear: Math.abs(periodDays - 7) < 0.01 ? 52 : periodsPerYear,
    priors: options.model?.priors,
    ...(options.model?.likelihood !== undefined ? { likelihood: options.model.likelihood } : {}),
    ...(options.model?.parameterization !== undefined ? { parameterization: options.model.parameterization } : {}),
    ...(options.model?.noise !== undefined ? { noise: options.model.noise } : {}),
    ...(options.model?.roasPrior !== undefined ? { roasPrior: options.model.roasPrior } : {}),
    ...(options.model?.unpooled !== undefined ? { unpooled: options.model.unpooled } : {}),
    ...(options.model?.geoTrend !== undefined ? { geoTrend: options.model.geoTrend } : {}),
    ...(options.model?.geoOrbit !== undefined ? { geoOrbit: options.model.geoOrbit } : {}),
  };
  // a changepoint count becomes positions, stored in the spec so that predictions for later periods use the same ones
  if (typeof spec.trend === 'object' && 'changepoints' in spec.trend && !Array.isArray(spec.trend.changepoints)) {
    const count = spec.trend.changepoints;
    if (!(Number.isInteger(count) && count >= 0))
      throw new InvalidInputError(
        'options.model.trend.changepoints',
        `is ${String(count)}`,
        'Give a count (a whole number ≥ 0) or the positions in years.',
      );
    const time = Float64Array.from({ length: rows }, (_, t) => t / (spec.periodsPerYear ?? 52));
    spec.trend = { ...spec.trend, changepoints: Array.from(changepointGrid(time, count, spec.trend.range ?? 0.8)) };
  }
  return spec;
}

/**
 * A warm start from an earlier fit of the same model: each chain's initial point is the last draw of one of its chains
 * (mapped to the sampler's coordinates of this model), and the initial inverse metric the variances of up to 400 of
 * its draws there. @internal
 */
function warmStartOf(model: MMM, previous: MMMFit, chains: number): { init: Float64Array[]; variances: Float64Array } {
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
    for (const b of blocks)
      v[b.name] = Float64Array.from({ length: b.size }, (_, k) => previous.draws[b.size === 1 ? b.name : `${b.name}[${k + 1}]`][c][s]);
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

/** The sampler settings with their defaults. @internal */
function settingsOf(options: FitMMMOptions): PreparedFit['settings'] {
  const settings = {
    chains: options.chains ?? 4,
    warmup: options.warmup ?? (options.warmStart ? (options.warmStart.warmup ?? 300) : 1000),
    draws: options.draws ?? 1000,
    seed: options.seed ?? 1,
    targetAccept: options.targetAccept ?? DEFAULT_TARGET_ACCEPT,
    interval: options.interval ?? DEFAULT_INTERVAL_MASS,
  };
  if (!(settings.interval > 0 && settings.interval < 1)) throw new InvalidParameterError('interval', settings.interval, '(0, 1)');
  return settings;
}

/** Validates and builds the model (exported for tests and `priorPredictive`). @internal */
export function prepareFit(data: TableInput, options: FitMMMOptions): PreparedFit {
  const { channels, controls } = resolveRoles(options);
  const geos = resolveGeo(data, options);
  const columns = [options.target, ...new Set(channels.flatMap((c) => (c.exposure ? [c.spend, c.exposure] : [c.spend]))), ...controls];
  // one geo (or none): a time series; several: a balanced geo-major panel for the hierarchical model
  const panel =
    geos.length > 1
      ? readGeoPanel(data, { date: options.date, geo: options.geo!, target: options.target, population: options.population }, columns)
      : undefined;
  const table = panel ? { dates: panel.dates, numeric: panel.numeric, rows: panel.dates.length } : readColumns(data, options.date, columns);
  const periodDays = panel ? panel.periodDays : checkDates(table.dates, options.date);
  const target = table.numeric[options.target];
  if (!panel) checkTarget(options.target, target);
  const { spend, input } = channelInputs(table, channels);
  const controlData: Record<string, Float64Array> = Object.fromEntries(controls.map((name) => [name, table.numeric[name]]));
  const spec = specOf(options, channels, controls, periodDays, table.rows);
  const raw: RawModelData = {
    y: target,
    spend: input,
    controls: controlData,
    spendTotals: Object.fromEntries(channels.map((c) => [c.name, sum(spend[c.name])])),
    liftTests: liftTestsOf(options, table.dates, spend, input, panel?.geos),
    ...(panel ? { geo: { count: panel.geos.length, periods: table.rows, population: panel.population, names: panel.geos } } : {}),
  };
  const { data: modelData, scaling } = prepareModelData(spec, raw);
  const model = buildModel(spec, modelData);
  checkSize(model, table.rows, panel);
  const T = table.rows;
  const unit = Float64Array.from({ length: target.length }, (_, i) =>
    panel ? panel.population[Math.floor(i / T)] * scaling.yScale : scaling.yScale,
  );
  const settings = settingsOf(options);
  const geo = panel ? `${panel.geos.length} geos` : geos[0];
  return {
    spec,
    raw,
    model,
    scaling,
    geo,
    dates: table.dates,
    periodDays,
    target,
    input,
    spend,
    controls: controlData,
    channelNames: channels.map((c) => c.name),
    settings,
    panel,
    unit,
    ...(options.liftTests?.length ? { liftTests: options.liftTests.map((t) => ({ ...t })) } : {}),
  };
}

function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}

/** The options' lift tests as the model takes them: periods by index, the change in the model's input units. @internal */
function liftTestsOf(
  options: FitMMMOptions,
  dates: number[],
  spend: Record<string, Float64Array>,
  input: Record<string, Float64Array>,
  geos?: readonly string[],
): RawLiftTest[] {
  return (options.liftTests ?? []).map((t, k) => {
    const field = `options.liftTests[${k}]`;
    if (!t || typeof t !== 'object')
      throw new InvalidInputError(
        field,
        'is not a lift test',
        'Give { channel, start, end, spendChange, lift, sd } or { channel, x, deltaX, lift, sd }.',
      );
    if (!(t.channel in spend))
      throw new InvalidInputError(
        `${field}.channel`,
        `is "${String(t.channel)}", not a channel of the fit`,
        `Channels are ${Object.keys(spend).join(', ')}.`,
      );
    if (!(typeof t.lift === 'number' && Number.isFinite(t.lift)))
      throw new InvalidInputError(`${field}.lift`, `is ${String(t.lift)}`, 'Give a finite number.');
    if (!(typeof t.sd === 'number' && t.sd > 0 && Number.isFinite(t.sd)))
      throw new InvalidInputError(`${field}.sd`, `is ${String(t.sd)}`, 'Give the standard error of the measured lift, a number > 0.');
    // a channel modelled on exposures: the extra spend buys exposures at the data's average rate
    const rate = sum(input[t.channel]) / sum(spend[t.channel]);
    if ('x' in t) {
      if (geos)
        throw new InvalidInputError(
          `${field}.x`,
          'is a steady-state test on a geo fit',
          'Give geo tests as windows: { channel, geo, start, end, spendChange, lift, sd }.',
        );
      for (const key of ['x', 'deltaX'] as const)
        if (typeof t[key] !== 'number' || !Number.isFinite(t[key]))
          throw new InvalidInputError(`${field}.${key}`, `is ${String(t[key])}`, 'Give a finite number (spend per period).');
      if (t.x < 0 || t.x + t.deltaX < 0)
        throw new InvalidInputError(`${field}.deltaX`, `takes the spend to ${t.x + t.deltaX}`, 'Give x ≥ 0 and x + deltaX ≥ 0.');
      return { channel: t.channel, x: t.x * rate, dx: t.deltaX * rate, lift: t.lift, sd: t.sd };
    }
    if (!geos && t.geo !== undefined)
      throw new InvalidInputError(`${field}.geo`, `is "${t.geo}" on a national fit`, 'Drop geo, or fit the geo panel.');
    const geo = geos ? geos.indexOf(String(t.geo)) : -1;
    if (geos && geo < 0)
      throw new InvalidInputError(
        `${field}.geo`,
        t.geo === undefined ? 'is missing on a geo fit' : `is "${t.geo}", not a geo of the data`,
        `Name the geo the test ran in: ${geos.slice(0, 6).join(', ')}${geos.length > 6 ? ', …' : ''}.`,
      );
    const at = (key: 'start' | 'end') => {
      const ms = parseDate(t[key]);
      if (Number.isNaN(ms))
        throw new InvalidInputError(
          `${field}.${key}`,
          `is ${JSON.stringify(t[key])}`,
          'Give a date as in the date column, e.g. 2024-03-04.',
        );
      const i = dates.indexOf(ms);
      if (i < 0)
        throw new InvalidInputError(
          `${field}.${key}`,
          `is ${t[key]}, ${ms < dates[0] || ms > dates[dates.length - 1] ? 'outside the data' : 'not a date of the data'} (${isoDate(dates[0])} … ${isoDate(dates[dates.length - 1])})`,
          'Give the dates of the first and last periods of the test as they appear in the date column.',
        );
      return i;
    };
    const start = at('start');
    const end = at('end');
    if (end < start) throw new InvalidInputError(`${field}.end`, `is ${t.end}, before start ${t.start}`, 'Give end on or after start.');
    if (typeof t.spendChange !== 'number' || !Number.isFinite(t.spendChange))
      throw new InvalidInputError(`${field}.spendChange`, `is ${String(t.spendChange)}`, 'Give a finite number.');
    return { channel: t.channel, start, end, inputChange: t.spendChange * rate, lift: t.lift, sd: t.sd, ...(geos ? { geo } : {}) };
  });
}

/** Enough data for the parameters: 2 observations per parameter, and in a geo panel 2 periods per shared parameter. @internal */
function checkSize(model: MMM, periods: number, panel: GeoPanel | undefined): void {
  const observations = model.data.n;
  if (observations < 2 * model.density.dim) {
    throw new InvalidInputError(
      'data',
      `has ${observations} ${panel ? 'geo-periods' : 'periods'} for ${model.density.dim} parameters`,
      `The model needs at least 2 × parameters = ${2 * model.density.dim}: add data, or drop channels, controls or seasonality terms.`,
    );
  }
  if (panel) {
    // the curves, trend, seasonality and controls are shared: each geo's series must be long enough to inform them
    // not shared: blocks of one value per geo, and the hierarchy's own (τ_μ, τ_σ, each η, the slopes' sd)
    const own = new Set([
      'baseline',
      'baseline.mean',
      'baseline.sd',
      'trend.geo',
      'trend.sd',
      ...model.media.flatMap((m) => [m.channel.names.scatter, m.channel.names.geoDeviates]),
    ]);
    if (model.spec.noise === 'perGeo') own.add('sigma');
    for (const c of model.spec.unpooled?.channels ?? []) own.add(model.media.find((m) => m.channel.name === c)!.channel.names.beta);
    const perGeo = model.density.blocks.filter((b) => own.has(b.name));
    const shared = model.density.dim - perGeo.reduce((a, b) => a + b.size, 0);
    if (periods < 2 * shared)
      throw new InvalidInputError(
        'data',
        `has ${periods} periods per geo for ${shared} shared parameters`,
        `Each geo needs at least 2 × shared parameters = ${2 * shared} periods: add periods, or drop channels, controls or seasonality terms.`,
      );
  }
}

/** Constrained draws by name (one array per chain) and each draw's values by block. @internal */
function drawsByName(model: MMM, result: SampleResult): { draws: Record<string, number[][]>; values: Array<Record<string, Float64Array>> } {
  const dim = model.density.dim;
  const draws: Record<string, number[][]> = Object.fromEntries(model.names.map((nm) => [nm, []]));
  const values: Array<Record<string, Float64Array>> = [];
  for (const c of result.chains) {
    const cols: Record<string, number[]> = Object.fromEntries(model.names.map((nm) => [nm, new Array(result.draws)]));
    for (let i = 0; i < result.draws; i++) {
      const v = model.density.constrain(c.draws.subarray(i * dim, (i + 1) * dim));
      values.push(v);
      for (const b of model.density.blocks) {
        if (b.size === 1) cols[b.name][i] = v[b.name][0];
        else for (let k = 0; k < b.size; k++) cols[`${b.name}[${k + 1}]`][i] = v[b.name][k];
      }
    }
    for (const nm of model.names) draws[nm].push(cols[nm]);
  }
  return { draws, values };
}

/** The summary table, sampler diagnostics and the convergence gate's verdict. @internal */
function diagnose(
  draws: Record<string, number[][]>,
  result: SampleResult,
  options: FitMMMOptions,
  interval: number,
): MMMFit['diagnostics'] {
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
    refinedSteps: result.chains.reduce((a, c) => a + c.stats.refinedSteps.reduce((x, y) => x + y, 0), 0),
  };
}

/** The ESS `earlyStop` aims at: the user's, or 1.25 times the gate's larger ESS threshold. @internal */
function earlyStopEss(options: FitMMMOptions): number {
  const asked = typeof options.earlyStop === 'object' ? options.earlyStop.ess : undefined;
  if (asked !== undefined) {
    if (!(asked > 0 && Number.isFinite(asked))) throw new InvalidParameterError('earlyStop.ess', asked, 'a number of draws > 0, e.g. 500');
    return asked;
  }
  return 1.25 * Math.max(options.gate?.essBulkMin ?? 400, options.gate?.essTailMin ?? 400);
}

/**
 * Per draw: each channel's total contribution and marginal ROAS (and per geo in a geo fit); every ≤ 1000th draw's
 * national series, in target units. @internal
 */
interface DrawDecomposition {
  contribution: Float64Array[];
  marginal: Float64Array[];
  series: {
    fitted: Float64Array[];
    trend: Float64Array[];
    seasonality: Float64Array[];
    controls: Float64Array[];
    channels: Float64Array[][];
  };
  /** geo fits: [channel][geo] per draw, each geo's fitted series for ≤ 400 draws, and each geo-period's mean contribution */
  geo?: { contribution: Float64Array[][]; marginal: Float64Array[][]; fitted: Float64Array[][]; channelMean: Float64Array[] };
}

/** Sums a geo-major series over geos per period, in target units (national: just the units). @internal */
function nationalSeries(x: Float64Array, unit: Float64Array, T: number): Float64Array {
  const out = new Float64Array(T);
  for (let i = 0; i < x.length; i++) out[i % T] += x[i] * unit[i];
  return out;
}

/** Decomposes every draw's μ (all draws for channel totals, at most 1000 evenly spaced for series). @internal */
function decompose(p: PreparedFit, values: ReadonlyArray<Record<string, Float64Array>>, spendByGeo: number[][]): DrawDecomposition {
  const { model, unit } = p;
  const S = values.length;
  const n = p.target.length;
  const T = p.dates.length;
  const G = n / T;
  const C = model.media.length;
  const every = Math.max(1, Math.floor(S / 1000));
  const everyGeo = Math.max(1, Math.floor(S / 400));
  const out: DrawDecomposition = {
    contribution: model.media.map(() => new Float64Array(S)),
    marginal: model.media.map(() => new Float64Array(S)),
    series: { fitted: [], trend: [], seasonality: [], controls: [], channels: model.media.map(() => []) },
    ...(p.panel
      ? {
          geo: {
            contribution: model.media.map(() => Array.from({ length: G }, () => new Float64Array(S))),
            marginal: model.media.map(() => Array.from({ length: G }, () => new Float64Array(S))),
            fitted: Array.from({ length: G }, () => []),
            channelMean: model.media.map(() => new Float64Array(n)),
          },
        }
      : {}),
  };
  const byGeo = new Float64Array(G);
  const dByGeo = new Float64Array(G);
  for (let s = 0; s < S; s++) {
    const v = values[s];
    const d = model.evaluate(v);
    for (let c = 0; c < C; c++) {
      const { channel } = model.media[c];
      const satParams = channel.names.saturation.map((k) => v[k][0]);
      const contrib = d.contributions[c];
      const beta = d.coefficients[c];
      const adstocked = d.adstocked[c];
      const { saturation } = channel;
      byGeo.fill(0);
      dByGeo.fill(0);
      for (let g = 0, i = 0; g < G; g++) {
        let sum = 0;
        let dSum = 0;
        for (let t = 0; t < T; t++, i++) {
          sum += contrib[i] * unit[i];
          const a = adstocked[i];
          if (!(a > 0)) continue;
          // d/dε of β_t·s(a·(1 + ε)) at ε = 0: spend raised by the same share in every period (adstock is linear);
          // s' from the value s = contribution/β where the family allows (no transcendental function for Hill)
          const slope =
            saturation.derivativeFromValue && beta[i] > 0
              ? saturation.derivativeFromValue(a, contrib[i] / beta[i], satParams)
              : saturation.derivative(a, satParams);
          dSum += beta[i] * slope * a * unit[i];
        }
        byGeo[g] = sum;
        dByGeo[g] = dSum;
      }
      let total = 0;
      let dTotal = 0;
      for (let g = 0; g < G; g++) {
        total += byGeo[g];
        dTotal += dByGeo[g];
        if (out.geo) {
          out.geo.contribution[c][g][s] = byGeo[g];
          out.geo.marginal[c][g][s] = spendByGeo[c][g] > 0 ? dByGeo[g] / spendByGeo[c][g] : Number.NaN;
        }
      }
      out.contribution[c][s] = total;
      out.marginal[c][s] = dTotal / spendByGeo[c].reduce((a, b) => a + b, 0);
      if (out.geo) for (let i = 0; i < n; i++) out.geo.channelMean[c][i] += (contrib[i] * unit[i]) / S;
    }
    if (s % every === 0) {
      out.series.fitted.push(nationalSeries(d.mu, unit, T));
      out.series.trend.push(nationalSeries(d.trend, unit, T));
      out.series.seasonality.push(nationalSeries(d.seasonality, unit, T));
      out.series.controls.push(nationalSeries(d.controls, unit, T));
      d.contributions.forEach((x, c) => out.series.channels[c].push(nationalSeries(x, unit, T)));
    }
    if (out.geo && s % everyGeo === 0)
      for (let g = 0; g < G; g++) out.geo.fitted[g].push(Float64Array.from({ length: T }, (_, t) => d.mu[g * T + t] * unit[g * T + t]));
  }
  return out;
}

/** ROAS, marginal ROAS, contribution and shares per channel. @internal */
function channelResults(
  names: readonly string[],
  totalSpend: number[],
  contribution: readonly Float64Array[],
  marginal: readonly Float64Array[],
  interval: number,
): MMMFit['channels'] {
  const media = contribution.map((x) => x.reduce((a, b) => a + b, 0) / x.length);
  const mediaTotal = media.reduce((a, b) => a + b, 0);
  const spendTotal = totalSpend.reduce((a, b) => a + b, 0);
  return Object.fromEntries(
    names.map((nm, c) => [
      nm,
      {
        spend: totalSpend[c],
        contribution: estimate(contribution[c], interval),
        roas: estimate(
          contribution[c].map((x) => (totalSpend[c] > 0 ? x / totalSpend[c] : Number.NaN)),
          interval,
        ),
        marginalRoas: estimate(marginal[c], interval),
        effectShare: mediaTotal > 0 ? media[c] / mediaTotal : Number.NaN,
        spendShare: totalSpend[c] / spendTotal,
      },
    ]),
  );
}

/**
 * The fit as plain JSON from draws of the natural parameters (posterior draws, or bootstrap refits of a classical
 * fit): channel results, decomposition and fit metrics, with the method's diagnostics and timing. @internal
 */
export function summarise(
  p: PreparedFit,
  set: { draws: Record<string, number[][]>; values: Array<Record<string, Float64Array>> },
  diagnostics: MMMFit['diagnostics'],
  timing: MMMFit['timing'],
): MMMFit {
  const iv = p.settings.interval;
  const { draws, values } = set;
  const T = p.dates.length;
  const G = p.target.length / T;
  const perGeo = (x: Float64Array) => Array.from({ length: G }, (_, g) => Array.from(x.subarray(g * T, (g + 1) * T)));
  const spendByGeo = p.channelNames.map((nm) => perGeo(p.spend[nm]).map((r) => r.reduce((a, b) => a + b, 0)));
  const totalSpend = spendByGeo.map((r) => r.reduce((a, b) => a + b, 0));
  const d = decompose(p, values, spendByGeo);
  const fitted = seriesEstimate(d.series.fitted, iv);
  // national series per period: the sum over geos (the mean for controls)
  const national = (x: Float64Array, mean = false) =>
    Array.from({ length: T }, (_, t) => {
      let a = 0;
      for (let g = 0; g < G; g++) a += x[g * T + t];
      return mean ? a / G : a;
    });
  const nat = (r: Record<string, Float64Array>, mean = false) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, national(v, mean)]));
  const target = national(p.target);
  const fit: MMMFit = {
    version: 1,
    method: 'bayesian',
    spec: p.spec,
    data: {
      geo: p.geo,
      dates: p.dates.map(isoDate),
      target,
      input: nat(p.input),
      spend: nat(p.spend),
      controls: nat(p.controls, true),
      periodDays: p.periodDays,
    },
    scaling: p.scaling,
    settings: p.settings,
    draws,
    diagnostics,
    channels: channelResults(p.channelNames, totalSpend, d.contribution, d.marginal, iv),
    contributions: {
      fitted,
      trend: seriesEstimate(d.series.trend, iv),
      seasonality: seriesEstimate(d.series.seasonality, iv),
      controls: seriesEstimate(d.series.controls, iv),
      channels: Object.fromEntries(p.channelNames.map((nm, c) => [nm, seriesEstimate(d.series.channels[c], iv)])),
    },
    fit: { r2: r2(target, fitted.mean), mape: mape(target, fitted.mean), nrmse: nrmse(target, fitted.mean) },
    timing,
  };
  if (p.panel && d.geo) Object.assign(fit, geoSummary(p, p.panel, d.geo, draws, spendByGeo, perGeo, iv));
  const tests = p.model.data.liftTests ?? [];
  if (tests.length && p.liftTests) {
    const channels = p.spec.channels.map((ch) => resolveChannel(ch));
    const implied = tests.map(() => new Float64Array(values.length));
    // per capita of the test's geo in a geo fit
    const unitOf = (k: number) => p.scaling.yScale * (tests[k].geo !== undefined && p.panel ? p.panel.population[tests[k].geo!] : 1);
    values.forEach((v, s) =>
      impliedLifts(tests, channels, p.model.data.spend, v, p.panel ? T : undefined).forEach((x, k) => (implied[k][s] = x * unitOf(k))),
    );
    fit.liftTests = p.liftTests.map((t, k) => ({ ...t, implied: estimate(implied[k], iv) }));
  }
  return fit;
}

/** A geo fit's panel data, per-geo results and pooling parameters. @internal */
function geoSummary(
  p: PreparedFit,
  panel: GeoPanel,
  d: NonNullable<DrawDecomposition['geo']>,
  draws: Record<string, number[][]>,
  spendByGeo: number[][],
  perGeo: (x: Float64Array) => number[][],
  iv: number,
): Pick<MMMFit, 'panel' | 'geos' | 'pooling'> {
  const byGeo = (r: Record<string, Float64Array>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, perGeo(v)]));
  const targets = perGeo(p.target);
  const geos: NonNullable<MMMFit['geos']> = {};
  panel.geos.forEach((geo, g) => {
    const fitted = seriesEstimate(d.fitted[g], iv);
    geos[geo] = {
      population: panel.population[g],
      // channels the geo never spent on have no ROAS there: they are left out of the geo's results
      channels: channelResults(
        p.channelNames.filter((_, c) => spendByGeo[c][g] > 0),
        spendByGeo.filter((r) => r[g] > 0).map((r) => r[g]),
        d.contribution.filter((_, c) => spendByGeo[c][g] > 0).map((c) => c[g]),
        d.marginal.filter((_, c) => spendByGeo[c][g] > 0).map((c) => c[g]),
        iv,
      ),
      contributions: { fitted, channels: Object.fromEntries(p.channelNames.map((nm, c) => [nm, perGeo(d.channelMean[c])[g]])) },
      fit: { r2: r2(targets[g], fitted.mean), mape: mape(targets[g], fitted.mean), nrmse: nrmse(targets[g], fitted.mean) },
    };
  });
  const flat = (name: string) => draws[name].flat();
  return {
    panel: {
      geos: panel.geos,
      population: panel.population,
      populationSource: panel.populationSource,
      target: targets,
      input: byGeo(p.input),
      spend: byGeo(p.spend),
      controls: byGeo(p.controls),
    },
    geos,
    pooling: {
      baselineSd: estimate(flat('baseline.sd'), iv),
      scatter: Object.fromEntries(
        p.model.media
          .filter((m) => m.channel.names.scatter in draws)
          .map((m) => [m.channel.name, estimate(flat(m.channel.names.scatter), iv)]),
      ),
    },
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
  return (p) => {
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
    });
  };
}
