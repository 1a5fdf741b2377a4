// Model checking around a fit: a time-based holdout split, prior and posterior predictive draws, and PSIS-LOO
// comparison of several fits of the same data.
import { ANY, checkOptions, DEFAULT_INTERVAL_MASS, InvalidInputError, InvalidParameterError, isoDate, optionKeys } from '@mmm/core';
import { createRng, scalarNames } from '@mmm/bayes-nuts';
import { compareLoo, loo, mape, type LooResult, type ModelComparisonRow } from '@mmm/diagnostics';
import { applyScaling, noiseOf, prepareModelData, type TermFactory } from '@mmm/model';
import { prepareFit } from './prepare.js';
import { FIT_OPTIONS_SHAPE } from './shapes.js';
import { frequencyColumn, predict, type Prediction } from './predict.js';
import { blockValues, estimate, rebuildModel, seriesEstimate, thinnedDraws } from './summaries.js';
import { checkDates, readColumns, type TableInput } from './table.js';
import type { Estimate, FitMMMOptions, GeoPanelData, MMMFit, ModelFit, SeriesEstimate } from './types.js';

/**
 * Splits rows (or columns) at a date: the last `holdout` periods (a count, or a share in (0, 1)) become the test set.
 * The rows must be sorted by date; neither input is changed.
 * @example
 * const { train, test } = holdoutSplit(rows, { date: 'date', holdout: 26 });
 */
export function holdoutSplit<T extends TableInput>(data: T, options: { date: string; holdout: number }): { train: T; test: T } {
  checkOptions(options, optionKeys<{ date: string; holdout: number }>({ date: ANY, holdout: ANY }), 'options');
  const table = readColumns(data, options.date, []);
  checkDates(table.dates, options.date);
  const n = table.rows;
  const h = options.holdout;
  const k = h > 0 && h < 1 ? Math.round(h * n) : h;
  if (!(Number.isInteger(k) && k >= 1 && k < n))
    throw new InvalidParameterError('holdout', h, `a whole number of periods in 1 … ${n - 1}, or a share in (0, 1)`);
  const cut = n - k;
  if (Array.isArray(data)) return { train: data.slice(0, cut) as unknown as T, test: data.slice(cut) as unknown as T };
  const cols = data as Readonly<Record<string, ArrayLike<unknown>>>;
  const part = (a: number, b: number) =>
    Object.fromEntries(Object.entries(cols).map(([name, c]) => [name, Array.prototype.slice.call(c, a, b)])) as unknown as T;
  return { train: part(0, cut), test: part(cut, n) };
}

/** What {@link priorPredictive} returns. */
export interface PriorPredictive {
  dates: string[];
  /** the target as the priors alone predict it (with noise), in target units */
  predictive: SeriesEstimate;
  /** the prior's mean μ */
  mean: SeriesEstimate;
  /** the observed target, for comparison */
  actual: number[];
  /** the share of observed periods inside the predictive interval */
  coverage: number;
  /** each channel's ROAS under the prior */
  roas: Record<string, Estimate>;
  /** the prior draws by parameter name */
  draws: Record<string, number[]>;
}

/**
 * Draws the parameters from their priors (no data) and pushes them through the model on this data: does the prior
 * allow the sales and ROAS you consider plausible, and not much more? Takes the same data and options as `fitMMM`.
 * @param settings - `draws` (default 500) and `seed` (default 1)
 */
export function priorPredictive(
  data: TableInput,
  options: FitMMMOptions,
  settings: { draws?: number; seed?: number } = {},
): PriorPredictive {
  checkOptions(options, FIT_OPTIONS_SHAPE, 'options');
  checkOptions(settings, optionKeys<{ draws?: number; seed?: number }>({ draws: ANY, seed: ANY }), 'settings');
  const S = settings.draws ?? 500;
  if (!(Number.isInteger(S) && S >= 2)) throw new InvalidParameterError('draws', S, 'the integers ≥ 2');
  const prepared = prepareFit(data, options);
  const { model, spec, target, spend, unit } = prepared;
  const T = prepared.dates.length;
  const rng = createRng(settings.seed ?? 1, 0);
  const noise = noiseOf(spec);
  const blocks = model.density.blocks;
  const draws: Record<string, number[]> = Object.fromEntries(model.names.map((nm) => [nm, [] as number[]]));
  const mus: Float64Array[] = [];
  const preds: Float64Array[] = [];
  const roasDraws: Record<string, number[]> = Object.fromEntries(spec.channels.map((c) => [c.name, [] as number[]]));
  const n = target.length;
  const totalSpend = spec.channels.map((ch) => spend[ch.name].reduce((a, b) => a + b, 0));
  for (let s = 0; s < S; s++) {
    // each term draws its own parameters: a geo baseline from the drawn τ_μ and τ_σ, a held-out geo's effect from the
    // coefficient prior, β from a ROAS prior at the drawn curves, the others from their priors
    const v = model.drawPrior(rng);
    for (const b of blocks) scalarNames(b).forEach((nm, k) => draws[nm].push(v[b.name][k]));
    const d = model.evaluate(v);
    // per period: the sum over geos (one geo for national data) in target units
    const mu = new Float64Array(T);
    const pred = new Float64Array(T);
    for (let i = 0; i < n; i++) {
      mu[i % T] += d.mu[i] * unit[i];
      pred[i % T] += (d.mu[i] + noise.draw(v.sigma[v.sigma.length > 1 ? Math.floor(i / T) : 0], rng)) * unit[i];
    }
    mus.push(mu);
    preds.push(pred);
    spec.channels.forEach((ch, c) => {
      let contribution = 0;
      for (let i = 0; i < n; i++) contribution += d.contributions[c][i] * unit[i];
      roasDraws[ch.name].push(contribution / totalSpend[c]);
    });
  }
  const interval = options.interval ?? DEFAULT_INTERVAL_MASS;
  const predictive = seriesEstimate(preds, interval);
  const actual = Array.from({ length: T }, (_, t) => {
    let a = 0;
    for (let i = t; i < n; i += T) a += target[i];
    return a;
  });
  const inside = actual.filter((y, t) => y >= predictive.lower[t] && y <= predictive.upper[t]).length;
  return {
    dates: prepared.dates.map(isoDate),
    predictive,
    mean: seriesEstimate(mus, interval),
    actual,
    coverage: inside / T,
    roas: Object.fromEntries(Object.entries(roasDraws).map(([c, r]) => [c, estimate(r, interval)])),
    draws,
  };
}

/** Options of the functions that rebuild a fit's model on its own data. */
export interface EvaluationOptions {
  /** posterior draws used (evenly thinned); @defaultValue 1000 */
  maxDraws?: number;
  /** the fit's own terms (`FitMMMOptions.terms`), when it has any */
  terms?: readonly TermFactory[];
}

/** The fitted data of a fit as columns `predict` reads (the target under `__target`). */
function fittedColumns(fit: MMMFit): Record<string, ArrayLike<unknown>> {
  const frequency = Object.fromEntries(Object.entries(fit.data.frequency ?? {}).map(([k, v]) => [frequencyColumn(k), v]));
  return {
    date: fit.data.dates,
    ...fit.data.input,
    ...frequency,
    ...fit.data.organic,
    ...fit.data.treatments,
    ...fit.data.controls,
    __target: fit.data.target,
  };
}

/**
 * The posterior predictive on the fitted periods: replicated data from the posterior draws (parameters and noise),
 * with the observed target, its coverage by the interval and the MAPE of the predictive mean.
 * @param options - `seed` for the noise (default 1), `maxDraws` (default 1000)
 */
export function posteriorPredictive(fit: ModelFit, options: EvaluationOptions & { seed?: number } = {}): Prediction {
  checkOptions(options, optionKeys<EvaluationOptions & { seed?: number }>({ seed: ANY, maxDraws: ANY, terms: ANY }), 'options');
  if (fit.panel) return geoPosteriorPredictive(fit, fit.panel, options);
  return predict(fit, fittedColumns(fit), { ...options, date: 'date', target: '__target' });
}

/** A geo fit's model on its own panel, and each geo-period's factor from the model's scale to target units. @internal */
function geoModel(fit: ModelFit, panel: GeoPanelData, terms: readonly TermFactory[] | undefined) {
  const flat = (rows: number[][]) => Float64Array.from(rows.flat());
  const raw = {
    y: flat(panel.target),
    spend: Object.fromEntries(Object.entries(panel.input).map(([k, v]) => [k, flat(v)])),
    ...(panel.frequency ? { frequency: Object.fromEntries(Object.entries(panel.frequency).map(([k, v]) => [k, flat(v)])) } : {}),
    ...(panel.organic ? { organic: Object.fromEntries(Object.entries(panel.organic).map(([k, v]) => [k, flat(v)])) } : {}),
    ...(panel.treatments ? { treatments: Object.fromEntries(Object.entries(panel.treatments).map(([k, v]) => [k, flat(v)])) } : {}),
    controls: Object.fromEntries(Object.entries(panel.controls).map(([k, v]) => [k, flat(v)])),
    geo: { count: panel.geos.length, periods: fit.data.dates.length, population: panel.population, names: panel.geos },
  };
  const { data } = prepareModelData(fit.spec, raw);
  const T = fit.data.dates.length;
  const unit = Float64Array.from({ length: data.n }, (_, i) => panel.population[Math.floor(i / T)] * fit.scaling.yScale);
  return { model: rebuildModel(fit, data, terms), data, unit, T };
}

/**
 * A fit's model rebuilt on its own data (national or geo panel), the scaled target it was fitted to, and each
 * observation's factor from the model's scale to target units. @internal
 */
export function fittedModel(fit: ModelFit, terms: readonly TermFactory[] | undefined) {
  if (fit.panel) {
    const g = geoModel(fit, fit.panel, terms);
    const flat = fit.panel.target.flat();
    return { ...g, y: Float64Array.from(flat, (v, i) => v / g.unit[i]) };
  }
  const data = applyScaling(
    fit.spec,
    {
      spend: fit.data.input,
      controls: fit.data.controls,
      ...(fit.data.frequency ? { frequency: fit.data.frequency } : {}),
      ...(fit.data.organic ? { organic: fit.data.organic } : {}),
      ...(fit.data.treatments ? { treatments: fit.data.treatments } : {}),
    },
    fit.scaling,
    0,
  );
  const T = fit.data.dates.length;
  return {
    model: rebuildModel(fit, data, terms),
    data,
    unit: new Float64Array(T).fill(fit.scaling.yScale),
    T,
    y: Float64Array.from(fit.data.target, (v) => v / fit.scaling.yScale),
  };
}

/**
 * Geo fits: replicated data per geo-period from the posterior draws, summed over geos per period (the national
 * totals the fit's `data.target` holds), with the observed totals' coverage and MAPE. @internal
 */
function geoPosteriorPredictive(fit: ModelFit, panel: GeoPanelData, options: EvaluationOptions & { seed?: number }): Prediction {
  const { model, unit, T } = geoModel(fit, panel, options.terms);
  const { S, values } = thinnedDraws(fit, options.maxDraws ?? 1000);
  const cols = Object.fromEntries(model.names.map((nm) => [nm, values(nm)]));
  const rng = createRng(options.seed ?? 1, 0);
  const noise = noiseOf(fit.spec);
  const mus: Float64Array[] = [];
  const preds: Float64Array[] = [];
  for (let s = 0; s < S; s++) {
    const v = blockValues(model.density.blocks, cols, s);
    const mu = model.evaluate(v).mu;
    const m = new Float64Array(T);
    const p = new Float64Array(T);
    for (let i = 0; i < mu.length; i++) {
      m[i % T] += mu[i] * unit[i];
      p[i % T] += (mu[i] + noise.draw(v.sigma[v.sigma.length > 1 ? Math.floor(i / T) : 0], rng)) * unit[i];
    }
    mus.push(m);
    preds.push(p);
  }
  const predictive = seriesEstimate(preds, fit.settings.interval);
  const y = fit.data.target;
  const inside = y.filter((x, t) => x >= predictive.lower[t] && x <= predictive.upper[t]).length;
  return {
    dates: fit.data.dates,
    predictive,
    mean: seriesEstimate(mus, fit.settings.interval),
    actual: { values: y, coverage: inside / T, mape: mape(y, predictive.mean) },
  };
}

/**
 * The pointwise log-likelihood of a fit, draws × periods, in the target's units (the scaled density divided by the
 * target's scale), from at most `maxDraws` evenly thinned draws.
 */
export function pointwiseLogLikelihood(fit: ModelFit, options: EvaluationOptions = {}): Float64Array[] {
  checkOptions(options, optionKeys<EvaluationOptions>({ maxDraws: ANY, terms: ANY }), 'options');
  if (fit.panel) return geoPointwiseLogLikelihood(fit, fit.panel, options);
  const { S, values } = thinnedDraws(fit, options.maxDraws ?? 1000);
  const { model, y } = fittedModel(fit, options.terms);
  const cols = Object.fromEntries(model.names.map((nm) => [nm, values(nm)]));
  const logScale = Math.log(fit.scaling.yScale);
  const noise = noiseOf(fit.spec);
  const out: Float64Array[] = [];
  for (let s = 0; s < S; s++) {
    const v = blockValues(model.density.blocks, cols, s);
    const mu = model.evaluate(v).mu;
    const sigma = v.sigma[0];
    out.push(Float64Array.from(y, (yt, t) => noise.logDensity(yt - mu[t], sigma) - logScale));
  }
  return out;
}

/** Geo fits: draws × geo-periods (geo-major), each the scaled density divided by the geo-period's unit. @internal */
function geoPointwiseLogLikelihood(fit: ModelFit, panel: GeoPanelData, options: EvaluationOptions): Float64Array[] {
  const { model, data, unit } = geoModel(fit, panel, options.terms);
  const { S, values } = thinnedDraws(fit, options.maxDraws ?? 1000);
  const cols = Object.fromEntries(model.names.map((nm) => [nm, values(nm)]));
  const noise = noiseOf(fit.spec);
  const logUnit = unit.map(Math.log);
  const out: Float64Array[] = [];
  for (let s = 0; s < S; s++) {
    const v = blockValues(model.density.blocks, cols, s);
    const mu = model.evaluate(v).mu;
    const T = fit.data.dates.length;
    out.push(
      Float64Array.from(
        data.y,
        (y: number, i: number) => noise.logDensity(y - mu[i], v.sigma[v.sigma.length > 1 ? Math.floor(i / T) : 0]) - logUnit[i],
      ),
    );
  }
  return out;
}

/**
 * Compares fits of the same data by PSIS-LOO (expected log pointwise predictive density, Vehtari, Gelman & Gabry 2017):
 * each fit's LOO (with Pareto k per period) and the table ranked by elpd with differences and their standard errors.
 * @param fits - named fits of the same target over the same periods
 */
export function compareModels(
  fits: Readonly<Record<string, ModelFit>>,
  options: { maxDraws?: number; terms?: Readonly<Record<string, readonly TermFactory[]>> } = {},
): { loo: Record<string, LooResult>; comparison: ModelComparisonRow[] } {
  checkOptions(options, optionKeys<typeof options>({ maxDraws: ANY, terms: ANY }), 'options');
  const names = Object.keys(fits);
  if (names.length < 2) throw new InvalidInputError('fits', `has ${names.length} fit(s)`, 'Pass at least two named fits to compare.');
  const ref = fits[names[0]].data;
  for (const nm of names.slice(1)) {
    const d = fits[nm].data;
    const samePanel = JSON.stringify(fits[nm].panel?.target) === JSON.stringify(fits[names[0]].panel?.target);
    if (
      d.dates.length !== ref.dates.length ||
      d.dates.some((x, i) => x !== ref.dates[i]) ||
      d.target.some((x, i) => x !== ref.target[i]) ||
      !samePanel
    ) {
      throw new InvalidInputError(
        `fits.${nm}`,
        `was fitted to other data than fits.${names[0]}`,
        'LOO compares models of the same target over the same periods: fit each model to the same rows.',
      );
    }
  }
  const results: Record<string, LooResult> = {};
  for (const nm of names) results[nm] = loo(pointwiseLogLikelihood(fits[nm], { maxDraws: options.maxDraws, terms: options.terms?.[nm] }));
  return { loo: results, comparison: compareLoo(results) };
}
