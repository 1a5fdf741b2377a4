import { InvalidParameterError, ANY, checkOptions, optionKeys } from '@mmm/core';
import { DEFAULT_MAX_LAG } from '@mmm/transforms';
import { channelDraws, pointEstimates, thinnedDraws } from './summaries.js';
import { geoCells, nationalCurve } from './budget.js';
import { effectScales, type EffectWindow } from './time-varying.js';
import { frequencyStats, type FrequencyChoice } from './reach-frequency.js';
import type { GeoPanelData, ModelFit, SeriesEstimate } from './types.js';

/** A curve per channel: x values and the posterior mean with its interval at each. */
export interface ChannelCurve {
  x: number[];
  y: SeriesEstimate;
}

/** Options shared by the curve functions. */
export interface CurveOptions {
  /** points per curve; @defaultValue 50 */
  points?: number;
  /** posterior draws used (evenly thinned); @defaultValue 500 */
  maxDraws?: number;
}

function curveSettings(o: CurveOptions): { points: number; maxDraws: number } {
  const points = o.points ?? 50;
  const maxDraws = o.maxDraws ?? 500;
  if (!(Number.isInteger(points) && points >= 2)) throw new InvalidParameterError('points', points, 'the integers ≥ 2');
  if (!(Number.isInteger(maxDraws) && maxDraws >= 1)) throw new InvalidParameterError('maxDraws', maxDraws, 'the integers ≥ 1');
  return { points, maxDraws };
}

/**
 * Steady-state response per period to spend per period, per channel: y = β·sat(x / scale)·(mean y), from 0 to
 * `maxMultiple` × the largest spend per period seen (the adstock weights are normalised, so a constant spend x
 * reaches an adstocked x / scale). On a fit whose effects change over time β is scaled by the multiplier at the end of
 * the data (`effectWindow` picks another window). A reach-and-frequency channel's response is linear in spend: its spend
 * buys impressions at the data's average cost, delivered at the optimal frequency (`frequency: 'historical'`: the data's).
 */
export function responseCurves(
  fit: ModelFit,
  options: CurveOptions & { maxMultiple?: number; effectWindow?: EffectWindow; frequency?: FrequencyChoice } = {},
): Record<string, ChannelCurve> {
  checkOptions(
    options,
    optionKeys<CurveOptions & { maxMultiple?: number; effectWindow?: EffectWindow; frequency?: FrequencyChoice }>({
      points: ANY,
      maxDraws: ANY,
      maxMultiple: ANY,
      effectWindow: ANY,
      frequency: ANY,
    }),
    'options',
  );
  const { points, maxDraws } = curveSettings(options);
  const maxMultiple = options.maxMultiple ?? 1.5;
  if (!(maxMultiple > 0)) throw new InvalidParameterError('maxMultiple', maxMultiple, '(0, ∞)');
  const out: Record<string, ChannelCurve> = {};
  const { S, values } = thinnedDraws(fit, maxDraws);
  if (fit.panel) return geoResponseCurves(fit, fit.panel, S, values, points, maxMultiple, options.effectWindow, options.frequency);
  const scales = effectScales(fit, S, values, options.effectWindow);
  fit.spec.channels.forEach((ch, c) => {
    const { saturation: fam, saturationParams: params, beta } = channelDraws(ch, values, { fit, frequency: options.frequency });
    const scale = scales[ch.name];
    const spend = fit.data.spend[ch.name];
    const input = fit.data.input[ch.name];
    const perSpend = input.reduce((a, b) => a + b, 0) / spend.reduce((a, b) => a + b, 0) / fit.scaling.spendScale[c];
    const xMax = maxMultiple * Math.max(...spend);
    const x = Array.from({ length: points }, (_, i) => (xMax * i) / (points - 1));
    const p = new Float64Array(params.length);
    const cols = x.map((xi) =>
      Float64Array.from({ length: S }, (_, s) => {
        for (let k = 0; k < params.length; k++) p[k] = params[k][s];
        return beta[s] * scale[s] * fam.value(xi * perSpend, p) * fit.scaling.yScale;
      }),
    );
    out[ch.name] = { x, y: pointEstimates(cols, fit.settings.interval) };
  });
  return out;
}

/** Geo fits: each channel's national response, its spend split over its geos in their current shares. @internal */
function geoResponseCurves(
  fit: ModelFit,
  panel: GeoPanelData,
  S: number,
  values: (name: string) => number[],
  points: number,
  maxMultiple: number,
  window: EffectWindow | undefined,
  frequency: FrequencyChoice | undefined,
): Record<string, ChannelCurve> {
  const cells = geoCells(fit, panel, S, values, window, frequency);
  const buf = new Float64Array(S);
  return Object.fromEntries(
    fit.spec.channels.map((ch, c) => {
      const curve = nationalCurve(cells, c, S);
      const xMax = maxMultiple * Math.max(...fit.data.spend[ch.name]);
      const x = Array.from({ length: points }, (_, i) => (xMax * i) / (points - 1));
      const cols = x.map((xi) => {
        curve.response(xi, buf);
        return Float64Array.from(buf);
      });
      return [ch.name, { x, y: pointEstimates(cols, fit.settings.interval) }];
    }),
  );
}

/** Each channel's saturation curve on its scaled input (0 to `maxInput`, 1 = the channel's largest input). */
export function saturationCurves(fit: ModelFit, options: CurveOptions & { maxInput?: number } = {}): Record<string, ChannelCurve> {
  checkOptions(options, optionKeys<CurveOptions & { maxInput?: number }>({ points: ANY, maxDraws: ANY, maxInput: ANY }), 'options');
  const { points, maxDraws } = curveSettings(options);
  const maxInput = options.maxInput ?? 1.5;
  const out: Record<string, ChannelCurve> = {};
  const { S, values } = thinnedDraws(fit, maxDraws);
  for (const ch of fit.spec.channels) {
    // a reach-and-frequency channel's curve is its Hill curve on frequency, from 0 to `maxInput` × its largest frequency
    const top = ch.reachFrequency ? maxInput * frequencyStats(fit, ch.name).max : maxInput;
    const { saturation: fam, saturationParams: params } = ch.reachFrequency
      ? channelDraws({ ...ch, reachFrequency: false }, values, { beta: false })
      : channelDraws(ch, values, { beta: false });
    const x = Array.from({ length: points }, (_, i) => (top * i) / (points - 1));
    const p = new Float64Array(params.length);
    const cols = x.map((xi) =>
      Float64Array.from({ length: S }, (_, s) => {
        for (let k = 0; k < params.length; k++) p[k] = params[k][s];
        return fam.value(xi, p);
      }),
    );
    out[ch.name] = { x, y: pointEstimates(cols, fit.settings.interval) };
  }
  return out;
}

/** Each channel's adstock lag weights w_0 … w_{L−1} (x = lag in periods). */
export function adstockCurves(fit: ModelFit, options: Omit<CurveOptions, 'points'> = {}): Record<string, ChannelCurve> {
  checkOptions(options, optionKeys<Omit<CurveOptions, 'points'>>({ maxDraws: ANY }), 'options');
  const { maxDraws } = curveSettings({ ...options, points: 2 });
  const out: Record<string, ChannelCurve> = {};
  const { S, values } = thinnedDraws(fit, maxDraws);
  for (const ch of fit.spec.channels) {
    const { adstock: fam, adstockParams: params } = channelDraws({ ...ch, reachFrequency: false }, values, { beta: false });
    const L = ch.adstock?.maxLag ?? DEFAULT_MAX_LAG;
    const normalize = ch.adstock?.normalize ?? true;
    const w = new Float64Array(L);
    const p = new Float64Array(params.length);
    const byDraw = Array.from({ length: S }, (_, s) => {
      for (let k = 0; k < params.length; k++) p[k] = params[k][s];
      return Float64Array.from(fam.weightsInto(w, p, normalize));
    });
    const cols = Array.from({ length: L }, (_, l) => Float64Array.from(byDraw, (d) => d[l]));
    out[ch.name] = { x: Array.from({ length: L }, (_, l) => l), y: pointEstimates(cols, fit.settings.interval) };
  }
  return out;
}
