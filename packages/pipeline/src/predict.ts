import { InvalidInputError, isoDate, parseDate, ANY, checkOptions, optionKeys } from '@mmm/core';
import { DEFAULT_MAX_LAG } from '@mmm/transforms';
import { createRng, scalarNames } from '@mmm/bayes-nuts';
import { mape } from '@mmm/diagnostics';
import { applyScaling, noiseOf, type MMM, type TermFactory } from '@mmm/model';
import { checkDates, readColumns, readLabels, type TableInput } from './table.js';
import { readGeoPanel } from './panel.js';
import { blockValues, rebuildModel, seriesEstimate, thinnedDraws } from './summaries.js';
import { gbdtDesign } from './gbdt.js';
import { predictBoosted } from '@mmm/regression';
import type { GbdtFit, GeoPanelData, MMMFit, ModelFit, SeriesEstimate } from './types.js';

/** Options of {@link predict}. */
export interface PredictOptions {
  /** the rows' date column; @defaultValue 'date' */
  date?: string;
  /** the rows' target column, when they hold it (for coverage and MAPE) */
  target?: string;
  /** geo fits: the rows' geo column; @defaultValue 'geo' */
  geo?: string;
  /** seed of the noise draws; @defaultValue 1 */
  seed?: number;
  /** posterior draws used (evenly thinned); @defaultValue 1000 */
  maxDraws?: number;
  /** the fit's own terms (`FitMMMOptions.terms`) made for these rows (with the history before them when they continue the fit) */
  terms?: readonly TermFactory[];
}
const PREDICT_SHAPE = optionKeys<PredictOptions>({ date: ANY, target: ANY, geo: ANY, seed: ANY, maxDraws: ANY, terms: ANY });

/** What {@link predict} returns. */
export interface Prediction {
  dates: string[];
  /** posterior predictive of the target: mean and interval (parameter uncertainty and noise) */
  predictive: SeriesEstimate;
  /** posterior of the mean μ alone */
  mean: SeriesEstimate;
  /** when the rows hold the target: its values, the share inside the predictive interval, and MAPE */
  actual?: { values: number[]; coverage: number; mape: number };
  /** geo fits: the same per geo (the top-level figures are then the totals over geos) */
  geos?: Record<string, { predictive: SeriesEstimate; mean: SeriesEstimate }>;
}

/**
 * Geo fits: the spend, controls, frequencies, organic media and treatments of new rows, each geo's after its fitted
 * last periods (`flat` joins them). @internal
 */
function geoInputs(
  fit: ModelFit,
  panel: GeoPanelData,
  numeric: Record<string, Float64Array>,
  flat: (past: (k: number) => number[], now: Float64Array) => Float64Array,
) {
  const each = (r: Record<string, number[][]> | undefined, names: readonly string[], column = (c: string) => c) =>
    Object.fromEntries(names.map((c) => [c, flat((k) => r?.[c]?.[k] ?? [], numeric[column(c)])]));
  const rf = fit.spec.channels.filter((ch) => ch.reachFrequency).map((ch) => ch.name);
  return {
    spend: each(
      panel.input,
      fit.spec.channels.map((ch) => ch.name),
    ),
    controls: each(panel.controls, fit.spec.controls ?? []),
    ...(rf.length ? { frequency: each(panel.frequency, rf, frequencyColumn) } : {}),
    ...(panel.organic ? { organic: each(panel.organic, Object.keys(panel.organic)) } : {}),
    ...(panel.treatments ? { treatments: each(panel.treatments, Object.keys(panel.treatments)) } : {}),
  };
}

/**
 * National fits: the controls, frequencies, organic media and treatments of new rows, each after the fit's last
 * `history` periods (their carry-over). @internal
 */
function withHistory(fit: ModelFit, numeric: Record<string, Float64Array>, history: number) {
  const T = fit.data.dates.length;
  const join = (past: number[], column: string) => Float64Array.from([...past.slice(T - history), ...numeric[column]]);
  const rf = fit.spec.channels.filter((ch) => ch.reachFrequency);
  const each = (r: Record<string, number[]> | undefined) => Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, join(v, k)]));
  return {
    controls: Object.fromEntries((fit.spec.controls ?? []).map((c) => [c, join(fit.data.controls[c], c)])),
    ...(rf.length
      ? { frequency: Object.fromEntries(rf.map((ch) => [ch.name, join(fit.data.frequency?.[ch.name] ?? [], frequencyColumn(ch.name))])) }
      : {}),
    ...(fit.data.organic ? { organic: each(fit.data.organic) } : {}),
    ...(fit.data.treatments ? { treatments: each(fit.data.treatments) } : {}),
  };
}

/** The columns of organic media and treatments that new rows carry (by their names in the fit). @internal */
function otherColumns(fit: ModelFit): string[] {
  return [...(fit.spec.organic ?? []).map((c) => c.name), ...(fit.spec.treatments ?? []).map((t) => t.name)];
}

/**
 * The column of new rows that holds a reach-and-frequency channel's frequency in {@link predict} (its reach is in the
 * channel's own column): `<channel>_frequency`.
 */
export function frequencyColumn(channel: string): string {
  return `${channel}_frequency`;
}

/**
 * Posterior predictive for new periods (a holdout, or a plan): the fit's draws applied to the new rows on the fit's
 * scales. When the new rows continue the fitted data, its last spend carries over through the adstock; otherwise
 * spend before the first new row is taken as 0.
 * @param newRows - rows or columns with the fit's date, channel (spend or exposure; a reach-and-frequency channel's reach,
 * with its frequency in `<channel>_frequency`: {@link frequencyColumn}), organic media, treatment and control columns
 * @param options - `seed` for the noise draws (default 1), `maxDraws` (default 1000)
 */
export function predict(fit: MMMFit, newRows: TableInput, options: PredictOptions = {}): Prediction {
  checkOptions(options, PREDICT_SHAPE, 'options');
  if (fit.method === 'gbdt') return predictGbdt(fit, newRows, options);
  if (fit.panel) return predictGeo(fit, fit.panel, newRows, options);
  const dateCol = options.date ?? 'date';
  const channelCols = fit.spec.channels.map((ch) => ch.name);
  const frequencyCols = fit.spec.channels.filter((ch) => ch.reachFrequency).map((ch) => frequencyColumn(ch.name));
  const controls = fit.spec.controls ?? [];
  const others = otherColumns(fit);
  const table = readColumns(newRows, dateCol, [
    ...channelCols,
    ...frequencyCols,
    ...others,
    ...controls,
    ...(options.target ? [options.target] : []),
  ]);
  if (table.rows > 1) checkDates(table.dates, dateCol);
  const dayMs = 86_400_000;
  const fitDates = fit.data.dates.map(parseDate);
  const stepMs = fit.data.periodDays * dayMs;
  const startIndex = Math.round((table.dates[0] - fitDates[0]) / stepMs);
  if (!(startIndex >= 0))
    throw new InvalidInputError(`rows[0].${dateCol}`, 'is before the fitted data', 'Predict periods after the start of the fitted data.');
  // carry-over: prepend the fit's last periods when the new rows continue it
  const maxLag = Math.max(...fit.spec.channels.map((ch) => ch.adstock?.maxLag ?? DEFAULT_MAX_LAG));
  const contiguous = startIndex === fitDates.length;
  const history = contiguous ? Math.min(maxLag - 1, fitDates.length) : 0;
  const spend: Record<string, Float64Array> = {};
  for (const ch of fit.spec.channels) {
    const past = fit.data.input[ch.name].slice(fitDates.length - history);
    spend[ch.name] = Float64Array.from([...past, ...table.numeric[ch.name]]);
  }
  const data = applyScaling(
    fit.spec,
    { spend, ...withHistory(fit, table.numeric, history) },
    fit.scaling,
    startIndex - history,
    fitDates.length,
  );
  const model = rebuildModel(fit, data, options.terms);
  const { S, values } = thinnedDraws(fit, options.maxDraws ?? 1000);
  const cols = Object.fromEntries(model.names.map((nm) => [nm, values(nm)]));
  const rng = createRng(options.seed ?? 1, 0);
  const noise = noiseOf(fit.spec);
  const n = table.rows;
  const mus: Float64Array[] = [];
  const preds: Float64Array[] = [];
  for (let s = 0; s < S; s++) {
    const v = blockValues(model.density.blocks, cols, s);
    const d = model.evaluate(v);
    const mu = d.mu.slice(history).map((x) => x * fit.scaling.yScale);
    const sigma = v.sigma[0] * fit.scaling.yScale;
    mus.push(mu);
    preds.push(mu.map((m) => m + noise.draw(sigma, rng)));
  }
  const predictive = seriesEstimate(preds, fit.settings.interval);
  const result: Prediction = { dates: table.dates.map(isoDate), predictive, mean: seriesEstimate(mus, fit.settings.interval) };
  if (options.target) {
    const y = Array.from(table.numeric[options.target]);
    const inside = y.filter((v, t) => v >= predictive.lower[t] && v <= predictive.upper[t]).length;
    result.actual = { values: y, coverage: inside / n, mape: mape(y, predictive.mean) };
  }
  return result;
}

/** New rows of a geo fit read into a panel of the fitted geos, and where they start in the fit's periods. @internal */
function newGeoRows(fit: ModelFit, panel: GeoPanelData, newRows: TableInput, options: PredictOptions) {
  const dateCol = options.date ?? 'date';
  const geoCol = options.geo ?? 'geo';
  const columns = [
    ...fit.spec.channels.map((ch) => ch.name),
    ...fit.spec.channels.filter((ch) => ch.reachFrequency).map((ch) => frequencyColumn(ch.name)),
    ...otherColumns(fit),
    ...(fit.spec.controls ?? []),
    ...(options.target ? [options.target] : []),
  ];
  readLabels(newRows, geoCol).forEach((g, i) => {
    if (!panel.geos.includes(g))
      throw new InvalidInputError(
        `rows.${geoCol}=${g}`,
        `is not a geo of the fit (rows[${i}])`,
        `The fit's geos are ${panel.geos.slice(0, 8).join(', ')}${panel.geos.length > 8 ? ', …' : ''}.`,
      );
  });
  const population = Object.fromEntries(panel.geos.map((g, k) => [g, panel.population[k]]));
  const newPanel = readGeoPanel(newRows, { date: dateCol, geo: geoCol, target: options.target, population }, columns);
  const fitDates = fit.data.dates.map(parseDate);
  const startIndex = Math.round((newPanel.dates[0] - fitDates[0]) / (fit.data.periodDays * 86_400_000));
  if (!(startIndex >= 0))
    throw new InvalidInputError(`rows[0].${dateCol}`, 'is before the fitted data', 'Predict periods after the start of the fitted data.');
  const maxLag = Math.max(...fit.spec.channels.map((ch) => ch.adstock?.maxLag ?? DEFAULT_MAX_LAG));
  // carry-over: the fit's last periods go first when the new rows continue it
  const history = startIndex === fitDates.length ? Math.min(maxLag - 1, fitDates.length) : 0;
  return { newPanel, index: newPanel.geos.map((g) => panel.geos.indexOf(g)), startIndex, history, fitted: fitDates.length };
}

/**
 * The thinned draws by name for a model over the new rows' geos: blocks with one value per geo take the fitted
 * geo's value. @internal
 */
function geoDrawColumns(fit: ModelFit, model: MMM, index: readonly number[], maxDraws: number) {
  const { S, values } = thinnedDraws(fit, maxDraws);
  const cols: Record<string, number[]> = {};
  for (const p of model.parameters) {
    // a block of one value per geo (as its term declares it) takes the fitted geo's value
    scalarNames(p).forEach((name, k) => (cols[name] = p.scope === 'geo' ? values(`${p.name}[${index[k] + 1}]`) : values(name)));
  }
  return { S, cols };
}

/**
 * Geo fits: new rows for (some of) the fitted geos, one per geo and period (a long table; `options.geo` names the geo
 * column, default 'geo'), each geo's last fitted spend carried over when the rows continue the fit. Totals over the
 * geos per period, and each geo's own prediction. @internal
 */
function predictGeo(fit: ModelFit, panel: GeoPanelData, newRows: TableInput, options: PredictOptions): Prediction {
  const { newPanel, index, startIndex, history, fitted } = newGeoRows(fit, panel, newRows, options);
  const T = newPanel.dates.length;
  const P = history + T;
  const G = newPanel.geos.length;
  const flat = (past: (k: number) => number[], now: Float64Array) =>
    Float64Array.from({ length: G * P }, (_, i) => {
      const g = Math.floor(i / P);
      const t = i % P;
      return t < history ? past(index[g])[fitted - history + t] : now[g * T + t - history];
    });
  // the baseline and the scatter are the fitted geos': a model over the fit's geos in the new rows' order
  const geo = { count: G, periods: P, population: index.map((k) => panel.population[k]), names: newPanel.geos };
  const raw = { ...geoInputs(fit, panel, newPanel.numeric, flat), geo };
  const model = rebuildModel(fit, applyScaling(fit.spec, raw, fit.scaling, startIndex - history, fitted), options.terms);
  const { S, cols } = geoDrawColumns(fit, model, index, options.maxDraws ?? 1000);
  const rng = createRng(options.seed ?? 1, 0);
  const noise = noiseOf(fit.spec);
  const totals = { mu: [] as Float64Array[], pred: [] as Float64Array[] };
  const perGeo = newPanel.geos.map(() => ({ mu: [] as Float64Array[], pred: [] as Float64Array[] }));
  for (let s = 0; s < S; s++) {
    const v = blockValues(model.density.blocks, cols, s);
    const mu = model.evaluate(v).mu;
    const m = new Float64Array(T);
    const p = new Float64Array(T);
    for (let g = 0; g < G; g++) {
      const unit = geo.population[g] * fit.scaling.yScale;
      const mg = new Float64Array(T);
      const pg = new Float64Array(T);
      for (let t = 0; t < T; t++) {
        const x = mu[g * P + history + t];
        mg[t] = x * unit;
        pg[t] = (x + noise.draw(v.sigma[v.sigma.length > 1 ? g : 0], rng)) * unit;
        m[t] += mg[t];
        p[t] += pg[t];
      }
      perGeo[g].mu.push(mg);
      perGeo[g].pred.push(pg);
    }
    totals.mu.push(m);
    totals.pred.push(p);
  }
  const iv = fit.settings.interval;
  const predictive = seriesEstimate(totals.pred, iv);
  const result: Prediction = {
    dates: newPanel.dates.map(isoDate),
    predictive,
    mean: seriesEstimate(totals.mu, iv),
    geos: Object.fromEntries(
      newPanel.geos.map((g, k) => [g, { predictive: seriesEstimate(perGeo[k].pred, iv), mean: seriesEstimate(perGeo[k].mu, iv) }]),
    ),
  };
  if (options.target) {
    const y = Array.from({ length: T }, (_, t) => newPanel.geos.reduce((a, _g, k) => a + newPanel.numeric[options.target!][k * T + t], 0));
    const inside = y.filter((v, t) => v >= predictive.lower[t] && v <= predictive.upper[t]).length;
    result.actual = { values: y, coverage: inside / T, mape: mape(y, predictive.mean) };
  }
  return result;
}

/**
 * A gradient-boosted benchmark's predictions for new rows: its own features on them (the fit's last periods as the
 * lags' history when the rows continue it); a point prediction, so the interval is the prediction itself. @internal
 */
function predictGbdt(fit: GbdtFit, newRows: TableInput, options: { date?: string; target?: string }): Prediction {
  const dateCol = options.date ?? 'date';
  const channels = fit.spec.channels.map((ch) => ch.name);
  const controls = fit.spec.controls ?? [];
  const table = readColumns(newRows, dateCol, [...channels, ...controls, ...(options.target ? [options.target] : [])]);
  if (table.rows > 1) checkDates(table.dates, dateCol);
  const fitDates = fit.data.dates.map(parseDate);
  const startIndex = Math.round((table.dates[0] - fitDates[0]) / (fit.data.periodDays * 86_400_000));
  if (!(startIndex >= 0))
    throw new InvalidInputError(`rows[0].${dateCol}`, 'is before the fitted data', 'Predict periods after the start of the fitted data.');
  const contiguous = startIndex === fitDates.length;
  const history = contiguous ? Object.fromEntries(channels.map((c) => [c, fit.data.input[c]])) : {};
  const design = gbdtDesign(
    table.numeric,
    channels,
    Object.fromEntries(controls.map((z) => [z, table.numeric[z]])),
    table.rows,
    365.25 / fit.data.periodDays,
    startIndex,
    history,
  );
  const y = Array.from(predictBoosted(fit.gbdt.model, design.X));
  const point = { mean: y, lower: y, upper: y };
  const result: Prediction = { dates: table.dates.map(isoDate), predictive: point, mean: point };
  if (options.target) {
    const actual = Array.from(table.numeric[options.target]);
    result.actual = { values: actual, coverage: actual.filter((v, t) => v === y[t]).length / actual.length, mape: mape(actual, y) };
  }
  return result;
}
