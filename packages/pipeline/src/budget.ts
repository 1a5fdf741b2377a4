import { InvalidParameterError, ANY, checkOptions, optionKeys } from '@mmm/core';
import { channelParameterNames } from '@mmm/model';
import { channelDraws, spendPerPeriod, thinnedDraws } from './summaries.js';
import { ALLOCATE_OPTION_KEYS, allocateBudget, type AllocateOptions, type AllocationResult, type DrawCurve } from '@mmm/optimize';
import { effectScales, timeVaryingOf, windowPeriods, type EffectWindow } from './time-varying.js';
import type { GeoPanelData, ModelFit } from './types.js';
import { channelWeights, weightedCurves } from './channel-value.js';
import type { FrequencyChoice } from './reach-frequency.js';

/** Options of {@link optimizeBudget}. */
export interface OptimizeBudgetOptions extends Omit<AllocateOptions, 'curves' | 'totalBudget' | 'current'> {
  /** budget per period to split; @defaultValue the current average spend per period */
  totalBudget?: number;
  /** current spend per period; @defaultValue the average over the fitted data */
  current?: Record<string, number>;
  /** posterior draws used (evenly thinned); @defaultValue 500 */
  maxDraws?: number;
  /**
   * geo fits: split the budget over geo × channel cells (named `geo/channel`, e.g. `geo_01/tv`) instead of over
   * channels (each channel's national spend then goes to the geos in their current shares). @defaultValue false
   */
  byGeo?: boolean;
  /**
   * fits whose effects change over time: which periods' effect the response uses. @defaultValue 'end' (the last fitted
   * period's multiplier; see {@link EffectWindow})
   */
  effectWindow?: EffectWindow;
  /**
   * value per unit of each channel's response (every channel): the plan maximises Σ value × response, e.g. with an MMM
   * of new customers (`fitCustomerValue`'s `mmm`) and the value of each channel's new customer (its `channelValue`).
   * Responses and ROAS are then in value units. Risk-aware objectives read the response's draws times these fixed values.
   */
  channelValue?: Readonly<Record<string, number>>;
  /**
   * reach-and-frequency channels: spend buys impressions at the data's average cost, delivered at each draw's optimal
   * frequency within the data's range ('optimal') or at the data's average frequency ('historical'); the response is
   * then linear in spend (docs/channel-types.md). @defaultValue 'optimal'
   */
  frequency?: FrequencyChoice;
}

/** What {@link optimizeBudget} returns: the allocation, and on a fit whose effects change over time the dates whose effect it used. */
export interface BudgetPlan extends AllocationResult {
  /** fits with time-varying effects: the first and last date of the periods whose mean effect the plan used */
  effectWindow?: { start: string; end: string };
  /**
   * fits with synergies between channels (`model.interactions` with another channel): their names. The plan's response
   * is each channel's own steady-state curve, so it leaves them out (an interaction with the season averages to 0 over
   * a year at steady state and needs no such note).
   */
  synergiesLeftOut?: string[];
}

/**
 * What a plan of a fit should say beside its figures: on a fit whose effects change over time the dates whose effect it
 * used, and the synergies between channels its separable response leaves out. @internal
 */
export function planNotes(fit: ModelFit, window: EffectWindow = 'end'): Pick<BudgetPlan, 'effectWindow' | 'synergiesLeftOut'> {
  const synergies = (fit.spec.interactions ?? []).filter((it) => it.with !== 'season').map((it) => `${it.channel}:${it.with}`);
  const out: Pick<BudgetPlan, 'effectWindow' | 'synergiesLeftOut'> = synergies.length ? { synergiesLeftOut: synergies } : {};
  if (!timeVaryingOf(fit)) return out;
  const [from, to] = windowPeriods(fit, window);
  return { ...out, effectWindow: { start: fit.data.dates[from], end: fit.data.dates[to - 1] } };
}

/** The plan with the effect window it used (fits whose effects change over time) and the synergies it leaves out. @internal */
function withWindow(fit: ModelFit, plan: AllocationResult, window: EffectWindow = 'end'): BudgetPlan {
  return { ...plan, ...planNotes(fit, window) };
}

const { curves: _c, ...allocateKeys } = ALLOCATE_OPTION_KEYS;
const OPTIMIZE_BUDGET_SHAPE = optionKeys<OptimizeBudgetOptions>({
  ...allocateKeys,
  maxDraws: ANY,
  byGeo: ANY,
  effectWindow: ANY,
  channelValue: ANY,
  frequency: ANY,
});

/**
 * The budget allocation a fitted MMM suggests: steady-state response per period of each channel
 * (β·sat(x / scale), the adstock weights being normalised) with its posterior draws, optimised by `allocateBudget`
 * with bounds, fixed channels and risk-aware objectives. Amounts are per period, in the spend's units. On a fit whose
 * effects change over time β is scaled by the multiplier at the end of the data (`effectWindow` picks another window).
 */
export function optimizeBudget(fit: ModelFit, options: OptimizeBudgetOptions = {}): BudgetPlan {
  checkOptions(options, OPTIMIZE_BUDGET_SHAPE, 'options');
  if (fit.panel) return optimizeGeoBudget(fit, fit.panel, options);
  if (options.byGeo) throw new InvalidParameterError('byGeo', true, 'geo fits only (this fit is national)');
  const names = fit.spec.channels.map((c) => c.name);
  const current = options.current ?? spendPerPeriod(fit);
  const totalBudget = options.totalBudget ?? names.reduce((a, nm) => a + (current[nm] ?? 0), 0);
  const maxDraws = options.maxDraws ?? 500;
  if (!(Number.isInteger(maxDraws) && maxDraws >= 1)) throw new InvalidParameterError('maxDraws', maxDraws, 'the integers ≥ 1');
  const { S, values } = thinnedDraws(fit, maxDraws);
  const weights = channelWeights(fit, options.channelValue);
  const curves = weightedCurves(nationalCurves(fit, S, values, options.effectWindow, options.frequency), weights, (c) =>
    names.indexOf(c.channel),
  );
  const { maxDraws: _m, totalBudget: _t, current: _c, byGeo: _g, effectWindow: _w, channelValue: _v, frequency: _f, ...rest } = options;
  void _v;
  void _f;
  void _m;
  void _t;
  void _c;
  void _g;
  void _w;
  return withWindow(fit, allocateBudget({ ...rest, curves, totalBudget, current }), options.effectWindow);
}

/**
 * Each channel's steady-state response per period of a national fit over `S` thinned draws, β·sat(x·r/scale) in target
 * units (r the channel's input per unit of spend), as `allocateBudget` takes it. @internal
 */
export function nationalCurves(
  fit: ModelFit,
  S: number,
  values: (name: string) => number[],
  window: EffectWindow | undefined,
  frequency?: FrequencyChoice,
): DrawCurve[] {
  const yScale = fit.scaling.yScale;
  const scales = effectScales(fit, S, values, window);
  return fit.spec.channels.map((ch, c) => {
    const draws = channelDraws(ch, values, { fit, frequency });
    const fam = draws.saturation;
    const beta = Float64Array.from(draws.beta, (b, s) => b * yScale * scales[ch.name][s]);
    const params = draws.saturationParams;
    const p = Array.from({ length: S }, (_, s) => Float64Array.from(params, (col) => col[s]));
    const inputScale = fit.scaling.spendScale[c];
    // the model saw exposures for exposure channels: assume exposures proportional to spend at the average rate
    const spendTotal = fit.data.spend[ch.name].reduce((a, b) => a + b, 0);
    const inputTotal = fit.data.input[ch.name].reduce((a, b) => a + b, 0);
    const perSpend = inputTotal / spendTotal / inputScale;
    return {
      channel: ch.name,
      draws: S,
      responseDraws(x, out) {
        for (let s = 0; s < S; s++) out[s] = beta[s] * fam.value(x * perSpend, p[s]);
      },
      marginalDraws(x, out) {
        // a Hill slope below 1 has an infinite derivative at 0: the marginal at 0 spend is taken at a billionth of the
        // channel's largest input, large but finite, which tells the optimiser to move off that bound
        const at = Math.max(x * perSpend, 1e-9);
        for (let s = 0; s < S; s++) out[s] = beta[s] === 0 ? 0 : beta[s] * perSpend * fam.derivative(at, p[s]);
      },
    };
  });
}

/** One geo × channel cell of a geo fit: its current spend per period and its response draws at spend x. @internal */
export interface GeoCell {
  name: string;
  channel: number;
  geo: number;
  current: number;
  /** per draw: the cell's coefficient in units of the target (β_c·e_gc·pop_g·ȳ, with the effect window's multiplier) */
  beta: Float64Array;
  /** the cell's input on the model's scale per unit of spend */
  perSpend: number;
  /** per draw: the channel's saturation parameters */
  params: Float64Array[];
  response: (x: number, out: Float64Array) => void;
  marginal: (x: number, out: Float64Array) => void;
}

/**
 * Each geo × channel cell's steady-state response per period of a geo fit, pop_g·ȳ·β_c·e_gc·s(x·r_gc/(pop_g·m_c)) at
 * spend x per period (r_gc the cell's exposures per unit of spend), over `S` thinned draws of (β, η, z, curve); cells
 * with no spend are left out. @internal
 */
export function geoCells(
  fit: ModelFit,
  panel: GeoPanelData,
  S: number,
  values: (name: string) => number[],
  window: EffectWindow = 'end',
  frequency?: FrequencyChoice,
): GeoCell[] {
  const sum = (x: number[]) => x.reduce((a, b) => a + b, 0);
  const scales = effectScales(fit, S, values, window);
  // the cells with spend, and their current spend per period
  const current = spendPerPeriod(fit, { byGeo: true });
  const cells: GeoCell[] = [];
  fit.spec.channels.forEach((ch, c) => {
    const names = channelParameterNames(ch);
    // a channel pooled nowhere has each geo's β (names.beta[g]) and no national β or scatter
    const unpooled = fit.spec.unpooled?.channels?.includes(ch.name) ?? false;
    const draws = channelDraws(ch, values, { beta: !unpooled, fit, frequency });
    const fam = draws.saturation;
    const params = Array.from({ length: S }, (_, s) => Float64Array.from(draws.saturationParams, (col) => col[s]));
    const eta = unpooled ? [] : values(names.scatter);
    panel.geos.forEach((geo, g) => {
      const name = `${geo}/${ch.name}`;
      if (!(name in current)) return;
      const spendTotal = sum(panel.spend[ch.name][g]);
      const unit = panel.population[g] * fit.scaling.yScale;
      const own = unpooled ? values(`${names.beta}[${g + 1}]`) : [];
      const z = unpooled ? [] : values(`${names.geoDeviates}[${g + 1}]`);
      // β_gc = β_c·exp(η_c z_gc) (held-out geos report z so that this holds), or the geo's own β
      const beta = Float64Array.from(
        { length: S },
        (_, s) => (unpooled ? own[s] : draws.beta[s] * Math.exp(eta[s] * z[s])) * unit * scales[ch.name][s],
      );
      const perSpend = sum(panel.input[ch.name][g]) / spendTotal / (panel.population[g] * fit.scaling.spendScale[c]);
      cells.push({
        name,
        channel: c,
        geo: g,
        current: current[name],
        beta,
        perSpend,
        params,
        response: (x, out) => {
          for (let s = 0; s < S; s++) out[s] = beta[s] * fam.value(x * perSpend, params[s]);
        },
        marginal: (x, out) => {
          // as nationalCurves: a Hill slope below 1 has an infinite derivative at 0, taken at a billionth instead
          const at = Math.max(x * perSpend, 1e-9);
          for (let s = 0; s < S; s++) out[s] = beta[s] === 0 ? 0 : beta[s] * perSpend * fam.derivative(at, params[s]);
        },
      });
    });
  });
  return cells;
}

/**
 * Channel c's national response to spend x per period, spread over its geos in their current shares w_g:
 * Σ_g cell_g(w_g·x), marginal Σ_g w_g·cell_g'(w_g·x). @internal
 */
export function nationalCurve(
  cells: readonly GeoCell[],
  c: number,
  S: number,
): { response: (x: number, out: Float64Array) => void; marginal: (x: number, out: Float64Array) => void } {
  const mine = cells.filter((cell) => cell.channel === c);
  const total = mine.reduce((a, cell) => a + cell.current, 0);
  const buf = new Float64Array(S);
  const add = (pick: 'response' | 'marginal') => (x: number, out: Float64Array) => {
    out.fill(0);
    for (const cell of mine) {
      const w = cell.current / total;
      cell[pick](x * w, buf);
      for (let s = 0; s < S; s++) out[s] += pick === 'response' ? buf[s] : w * buf[s];
    }
  };
  return { response: add('response'), marginal: add('marginal') };
}

/** Geo fits: the cells themselves (`byGeo`) or each channel's national spend split over its geos. @internal */
function optimizeGeoBudget(fit: ModelFit, panel: GeoPanelData, options: OptimizeBudgetOptions): BudgetPlan {
  const maxDraws = options.maxDraws ?? 500;
  if (!(Number.isInteger(maxDraws) && maxDraws >= 1)) throw new InvalidParameterError('maxDraws', maxDraws, 'the integers ≥ 1');
  const { S, values } = thinnedDraws(fit, maxDraws);
  const sum = (x: number[]) => x.reduce((a, b) => a + b, 0);
  const cells = geoCells(fit, panel, S, values, options.effectWindow, options.frequency);
  const curveOf = (cell: GeoCell): DrawCurve => ({
    channel: cell.name,
    draws: S,
    responseDraws: cell.response,
    marginalDraws: cell.marginal,
  });
  const { maxDraws: _m, totalBudget, current: given, byGeo, effectWindow: _w, channelValue: _v, ...rest } = options;
  void _m;
  void _w;
  void _v;
  const weights = channelWeights(fit, options.channelValue);
  if (byGeo) {
    const current = given ?? spendPerPeriod(fit, { byGeo: true });
    const channelOf = new Map(cells.map((cell) => [cell.name, cell.channel]));
    const curves = weightedCurves(cells.map(curveOf), weights, (c) => channelOf.get(c.channel)!);
    return withWindow(
      fit,
      allocateBudget({ ...rest, curves, totalBudget: totalBudget ?? sum(Object.values(current)), current }),
      options.effectWindow,
    );
  }
  // national: channel c's spend x goes to its geos in their current shares
  const names = fit.spec.channels.map((ch) => ch.name);
  const unweighted: DrawCurve[] = fit.spec.channels.map((ch, c) => {
    const curve = nationalCurve(cells, c, S);
    return { channel: ch.name, draws: S, responseDraws: curve.response, marginalDraws: curve.marginal };
  });
  const curves = weightedCurves(unweighted, weights, (c) => names.indexOf(c.channel));
  const current = given ?? spendPerPeriod(fit);
  return withWindow(
    fit,
    allocateBudget({
      ...rest,
      curves,
      totalBudget: totalBudget ?? sum(fit.spec.channels.map((ch) => current[ch.name] ?? 0)),
      current,
    }),
    options.effectWindow,
  );
}
