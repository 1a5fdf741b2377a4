import { InvalidInputError, isoDate, parseDate } from '@mmm/core';
import { createRng } from '@mmm/bayes-nuts';
import { mape } from '@mmm/diagnostics';
import { applyScaling, buildModel, noiseOf } from '@mmm/model';
import { checkDates, readColumns, type TableInput } from './table.js';
import { blockValues, seriesEstimate, thinnedDraws } from './summaries.js';
import type { MMMFit, SeriesEstimate } from './types.js';

/** What {@link predict} returns. */
export interface Prediction {
  dates: string[];
  /** posterior predictive of the target: mean and interval (parameter uncertainty and noise) */
  predictive: SeriesEstimate;
  /** posterior of the mean μ alone */
  mean: SeriesEstimate;
  /** when the rows hold the target: its values, the share inside the predictive interval, and MAPE */
  actual?: { values: number[]; coverage: number; mape: number };
}

/**
 * Posterior predictive for new periods (a holdout, or a plan): the fit's draws applied to the new rows on the fit's
 * scales. When the new rows continue the fitted data, its last spend carries over through the adstock; otherwise
 * spend before the first new row is taken as 0.
 * @param newRows - rows or columns with the fit's date, channel (spend or exposure) and control columns
 * @param options - `seed` for the noise draws (default 1), `maxDraws` (default 1000)
 */
export function predict(fit: MMMFit, newRows: TableInput, options: { date?: string; target?: string; seed?: number; maxDraws?: number } = {}): Prediction {
  if (fit.panel) throw new InvalidInputError('fit', 'is a geo fit', 'predict is not available for geo fits yet: use a national fit (aggregateGeos) for it, or the geo fit\'s per-geo results.');
  const dateCol = options.date ?? 'date';
  const channelCols = fit.spec.channels.map((ch) => ch.name);
  const controls = fit.spec.controls ?? [];
  const table = readColumns(newRows, dateCol, [...channelCols, ...controls, ...(options.target ? [options.target] : [])]);
  if (table.rows > 1) checkDates(table.dates, dateCol);
  const dayMs = 86_400_000;
  const fitDates = fit.data.dates.map(parseDate);
  const stepMs = fit.data.periodDays * dayMs;
  const startIndex = Math.round((table.dates[0] - fitDates[0]) / stepMs);
  if (!(startIndex >= 0)) throw new InvalidInputError(`rows[0].${dateCol}`, 'is before the fitted data', 'Predict periods after the start of the fitted data.');
  // carry-over: prepend the fit's last periods when the new rows continue it
  const maxLag = Math.max(...fit.spec.channels.map((ch) => ch.adstock?.maxLag ?? 8));
  const contiguous = startIndex === fitDates.length;
  const history = contiguous ? Math.min(maxLag - 1, fitDates.length) : 0;
  const spend: Record<string, Float64Array> = {};
  for (const ch of fit.spec.channels) {
    const past = fit.data.input[ch.name].slice(fitDates.length - history);
    spend[ch.name] = Float64Array.from([...past, ...table.numeric[ch.name]]);
  }
  const ctrl: Record<string, Float64Array> = {};
  for (const name of controls) ctrl[name] = Float64Array.from([...fit.data.controls[name].slice(fitDates.length - history), ...table.numeric[name]]);
  const data = applyScaling(fit.spec, { spend, controls: ctrl }, fit.scaling, startIndex - history);
  const model = buildModel(fit.spec, data);
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
