// Plans over time (docs/schedule.md): a spend schedule per channel and period for the periods after the data, chosen
// to maximise the response it causes, with the carry-over from the fitted data into the plan and from the plan past
// its end. The model's own media curves per posterior draw: adstock over the data's last periods, the plan and a
// tail, then saturation; the schedule's gradient by the adjoint of the adstock (the transposed convolution).
import { InvalidInputError, InvalidParameterError, ANY, checkOptions, isoDate, oneOf, optionKeys, parseDate } from '@mmm/core';
import { DEFAULT_MAX_LAG, type SaturationFamily } from '@mmm/transforms';
import {
  checkObjective,
  maximizeOnBoxSums,
  newtonOnBoxSums,
  type HessianBlock,
  projectBoxSums,
  checkBoxSums,
  type BoxSums,
  type BudgetObjective,
  type SumGroup,
} from '@mmm/optimize';
import { channelDraws, estimate, pointEstimates, spendPerPeriod, thinnedDraws } from './summaries.js';
import { geoCells, optimizeBudget, planNotes } from './budget.js';
import { effectScales, type EffectWindow } from './time-varying.js';
import { channelWeights } from './channel-value.js';
import type { Estimate, ModelFit, SeriesEstimate } from './types.js';

/** Spend bounds of one channel per period: `[min, max]`, each one number for every period or one per period. */
export type ScheduleBounds = readonly [number | readonly number[], number | readonly number[]];

/** Options of {@link planSchedule}. */
export interface PlanScheduleOptions {
  /** periods to plan (the horizon) */
  periods: number;
  /** total spend over the horizon, all channels (fixed spend included); or give `target` */
  budget?: number;
  /**
   * instead of a budget: the least budget whose best plan causes `incremental` response, or the largest whose best plan
   * still returns `roas` (incremental response per unit of spend)
   */
  target?: { incremental: number } | { roas: number };
  /** date of the first planned period, on the fit's period grid; @defaultValue the period after the fit's last */
  start?: string;
  /** per channel spend per period `[min, max]` (numbers, or arrays of one per period); @defaultValue [0, budget] */
  bounds?: Readonly<Record<string, ScheduleBounds>>;
  /** per channel total spend over the horizon; the other channels share the rest of the budget */
  channelBudgets?: Readonly<Record<string, number>>;
  /** committed spend: per channel one entry per period, a number where the spend is fixed, null where it is free */
  fixed?: Readonly<Record<string, ReadonlyArray<number | null>>>;
  /** periods with no spend (indices from 0, or dates of the plan): for every channel, or per channel */
  blackout?: ReadonlyArray<number | string> | Readonly<Record<string, ReadonlyArray<number | string>>>;
  /** the shortest flight: every run of consecutive periods with spend lasts at least this many periods */
  minFlight?: number;
  /** count the response the plan's spend causes after the horizon, until the adstock has died out; @defaultValue true */
  tail?: boolean;
  /** @defaultValue 'mean' */
  objective?: BudgetObjective;
  /** posterior draws used (evenly thinned, as `predict` thins them); @defaultValue 1000 */
  maxDraws?: number;
  /** a schedule to report beside the plan (`{ tv: [...] }`, one number per period), or 'current': the average spend per period */
  compare?: Readonly<Record<string, readonly number[]>> | 'current';
  /** fits whose effects change over time: which periods' effect the plan uses; @defaultValue 'end' */
  effectWindow?: EffectWindow;
  /** value per unit of each channel's response (every channel): plan Σ value × response (`OptimizeBudgetOptions.channelValue`) */
  channelValue?: Readonly<Record<string, number>>;
}

const SCHEDULE_SHAPE = optionKeys<PlanScheduleOptions>({
  periods: ANY,
  budget: ANY,
  target: oneOf(optionKeys<{ incremental: number }>({ incremental: ANY }), optionKeys<{ roas: number }>({ roas: ANY })),
  start: ANY,
  bounds: ANY,
  channelBudgets: ANY,
  fixed: ANY,
  blackout: ANY,
  minFlight: ANY,
  tail: ANY,
  objective: ANY,
  maxDraws: ANY,
  compare: ANY,
  effectWindow: ANY,
  channelValue: ANY,
});

/** A schedule's figures: its spend, the response it causes and where. */
export interface ScheduleFigures {
  /** spend per channel and period */
  spend: Record<string, number[]>;
  /** the response over the horizon (and the tail) caused by the schedule's spend, against no spend in the plan */
  incremental: Estimate;
  /** that response per period: the horizon, then the tail periods */
  byPeriod: SeriesEstimate;
  /** incremental response per unit of spend */
  roas: Estimate;
  /** per channel: total spend, the response it causes, ROAS, and ∂(expected response)/∂(spend) per period */
  channels: Record<string, { spend: number; incremental: Estimate; roas: Estimate; marginal: number[] }>;
}

/** The optimality conditions at the plan: the cells strictly inside their bounds share each budget's marginal return. */
export interface ScheduleKkt {
  /** the common marginal return of the free cells paid from the shared budget */
  multiplier: number;
  /** channels with a budget of their own: their cells' common marginal return */
  channelMultipliers: Record<string, number>;
  /** max over free cells of |marginal − multiplier| / |multiplier| */
  maxRelativeDeviation: number;
  /** free cells within 1e-3 of their multiplier, cells at a lower bound not above it, at an upper bound not below */
  satisfied: boolean;
}

/** What {@link planSchedule} returns. */
export interface SchedulePlan extends ScheduleFigures {
  /** the planned periods' dates */
  dates: string[];
  /** the tail's dates (after the horizon; empty with `tail: false`) */
  tailDates: string[];
  /** total spend of the plan */
  budget: number;
  /** the media response per planned period from the spend before the plan (the fitted data's carry-over) */
  carryOver: SeriesEstimate;
  objectiveValue: number;
  kkt: ScheduleKkt;
  /** which start of the global search the plan came from: 'flat', 'steady-state', 'pulse-k' … */
  startedFrom: string;
  /** the `compare` schedule's figures, and the plan's gain over it */
  compare?: ScheduleFigures & { uplift: { absolute: number; relative: number } };
  /** the target asked for, and what the plan reaches */
  target?: { incremental?: number; roas?: number; reached: number };
  /** fits whose effects change over time: the first and last date of the periods whose mean effect the plan used */
  effectWindow?: { start: string; end: string };
  /** synergies between channels the plan's response leaves out */
  synergiesLeftOut?: string[];
  /** assumptions the figures rest on */
  notes: string[];
}

/**
 * One media curve of the plan: a channel (national fits) or a geo × channel cell taking `share` of the channel's spend,
 * per draw its coefficient, adstock weights and saturation parameters, and its scaled input before the plan. @internal
 */
interface Unit {
  channel: number;
  share: number;
  perSpend: number;
  L: number;
  /** the scaled input of the L − 1 periods before the plan */
  history: Float64Array;
  beta: Float64Array;
  weights: Float64Array[];
  params: Float64Array[];
  saturation: SaturationFamily;
  /** per draw: Σ_t s(adstock of the history alone)_t over the horizon and tail */
  baseSum: Float64Array;
}

/** The plan's periods: dates, the gap of periods between the data and the plan, the horizon H and the tail K. @internal */
interface Horizon {
  dates: string[];
  tailDates: string[];
  gap: number;
  H: number;
  K: number;
}

function horizonOf(fit: ModelFit, periods: number, start: string | undefined, tail: boolean): Horizon {
  const step = fit.data.periodDays * 86_400_000;
  const last = parseDate(fit.data.dates[fit.data.dates.length - 1]);
  let gap = 0;
  if (start !== undefined) {
    const k = (parseDate(start) - last) / step;
    if (!(Number.isInteger(Math.round(k * 1e6) / 1e6) && k >= 1))
      throw new InvalidInputError(
        'options.start',
        `is ${JSON.stringify(start)}`,
        `Give a date after ${fit.data.dates[fit.data.dates.length - 1]}, a whole number of periods (${fit.data.periodDays} days) later.`,
      );
    gap = Math.round(k) - 1;
  }
  const L = Math.max(...fit.spec.channels.map((ch) => ch.adstock?.maxLag ?? DEFAULT_MAX_LAG));
  const K = tail ? L - 1 : 0;
  const at = (i: number) => isoDate(last + (gap + 1 + i) * step);
  return {
    dates: Array.from({ length: periods }, (_, i) => at(i)),
    tailDates: Array.from({ length: K }, (_, i) => at(periods + i)),
    gap,
    H: periods,
    K,
  };
}

/** The scaled input of the L − 1 periods before the plan: the data's last, then zeros for the gap. @internal */
function historyOf(scaled: ArrayLike<number>, L: number, gap: number): Float64Array {
  const h = new Float64Array(L - 1);
  const n = scaled.length;
  for (let i = 0; i < L - 1; i++) {
    const t = n + gap - (L - 1) + i; // the index in the data of the i-th history period
    h[i] = t >= 0 && t < n ? scaled[t] : 0;
  }
  return h;
}

/** The media curves of a fit over thinned draws: one per channel, or per geo × channel cell in current shares. @internal */
function unitsOf(
  fit: ModelFit,
  S: number,
  values: (name: string) => number[],
  gap: number,
  window: EffectWindow | undefined,
  value?: Readonly<Record<string, number>>,
): Unit[] {
  const weights = channelWeights(fit, value);
  const units = unitsWithout(fit, S, values, gap, window);
  if (weights) for (const u of units) for (let s = 0; s < S; s++) u.beta[s] *= weights[u.channel];
  return units;
}

/** {@link unitsOf} before the channels' values. @internal */
function unitsWithout(fit: ModelFit, S: number, values: (name: string) => number[], gap: number, window: EffectWindow | undefined): Unit[] {
  const units: Unit[] = [];
  const channelCurves = fit.spec.channels.map((ch) => {
    const d = channelDraws(ch, values, { beta: !fit.panel, fit });
    const L = ch.adstock?.maxLag ?? DEFAULT_MAX_LAG;
    const normalize = ch.adstock?.normalize ?? true;
    const w = new Float64Array(L);
    const p = new Float64Array(d.adstockParams.length);
    const weights = Array.from({ length: S }, (_, s) => {
      for (let k = 0; k < p.length; k++) p[k] = d.adstockParams[k][s];
      return Float64Array.from(d.adstock.weightsInto(w, p, normalize));
    });
    const params = Array.from({ length: S }, (_, s) => Float64Array.from(d.saturationParams, (col) => col[s]));
    return { d, L, weights, params };
  });
  const panel = fit.panel;
  if (!panel) {
    const scales = effectScales(fit, S, values, window);
    fit.spec.channels.forEach((ch, c) => {
      const { d, L, weights, params } = channelCurves[c];
      const scale = fit.scaling.spendScale[c];
      const sum = (x: number[]) => x.reduce((a, b) => a + b, 0);
      const spendTotal = sum(fit.data.spend[ch.name]);
      const perSpend = spendTotal > 0 ? sum(fit.data.input[ch.name]) / spendTotal / scale : 1 / scale;
      units.push({
        channel: c,
        share: 1,
        perSpend,
        L,
        history: historyOf(
          fit.data.input[ch.name].map((v) => v / scale),
          L,
          gap,
        ),
        beta: Float64Array.from(d.beta, (b, s) => b * fit.scaling.yScale * scales[ch.name][s]),
        weights,
        params,
        saturation: d.saturation,
        baseSum: new Float64Array(S),
      });
    });
    return units;
  }
  // geo fits: each channel's national spend goes to its geos in their current shares
  const cells = geoCells(fit, panel, S, values, window);
  fit.spec.channels.forEach((ch, c) => {
    const mine = cells.filter((cell) => cell.channel === c);
    const total = mine.reduce((a, cell) => a + cell.current, 0);
    const { d, L, weights } = channelCurves[c];
    for (const cell of mine) {
      const per = panel.population[cell.geo] * fit.scaling.spendScale[c];
      units.push({
        channel: c,
        share: cell.current / total,
        perSpend: cell.perSpend,
        L,
        history: historyOf(
          panel.input[ch.name][cell.geo].map((v) => v / per),
          L,
          gap,
        ),
        beta: cell.beta,
        weights,
        params: cell.params,
        saturation: d.saturation,
        baseSum: new Float64Array(S),
      });
    }
  });
  return units;
}

/**
 * The schedule's response per draw, and its gradient: per unit the input sequence (history, the plan's scaled spend,
 * the tail's zeros), its adstock a, the saturation s(a), and the adjoint Σ_l w_l·β·s'(a_{j+l}) for each planned
 * period j. Buffers are made once. @internal
 */
class ScheduleModel {
  readonly C: number;
  readonly H: number;
  readonly N: number;
  private readonly seq: Float64Array;
  private readonly a: Float64Array;
  private readonly sat: Float64Array;
  private readonly dsat: Float64Array;
  private readonly gu: Float64Array;
  /** per draw: the last evaluation's total incremental response */
  readonly totals: Float64Array;

  constructor(
    readonly units: readonly Unit[],
    C: number,
    H: number,
    K: number,
    readonly S: number,
  ) {
    this.C = C;
    this.H = H;
    this.N = H + K;
    const Lmax = Math.max(...units.map((u) => u.L));
    this.seq = new Float64Array(Lmax - 1 + this.N);
    [this.a, this.sat, this.dsat] = [0, 1, 2].map(() => new Float64Array(this.N));
    this.gu = new Float64Array(H);
    this.totals = new Float64Array(S);
    // the response to the history alone, per draw: what the plan's response is measured against
    const zero = new Float64Array(C * H);
    for (const u of units) for (let s = 0; s < S; s++) u.baseSum[s] = this.unitDraw(u, s, zero, 0, undefined, undefined);
  }

  /**
   * One unit's Σ_t β·s(a_t) under draw s (minus its base when `base` is 1), the saturation per period added into
   * `perPeriod` (times β) when given, and with `coef` ≠ 0 coef·∂/∂x added into `grad`. @internal
   */
  unitDraw(u: Unit, s: number, x: Float64Array, base: 0 | 1, perPeriod?: Float64Array, grad?: { out: Float64Array; coef: number }): number {
    const { H, N, a, sat, dsat } = this;
    const L = u.L;
    const w = u.weights[s];
    const p = u.params[s];
    const b = u.beta[s];
    const k = u.share * u.perSpend;
    const row = u.channel * H;
    this.inputOf(u, x);
    this.convolve(u, s, a);
    u.saturation.valueInto(sat, a, p);
    let total = 0;
    for (let t = 0; t < N; t++) total += sat[t];
    total *= b;
    if (perPeriod) for (let t = 0; t < N; t++) perPeriod[t] += b * sat[t];
    if (grad && grad.coef !== 0 && b !== 0) {
      const fam = u.saturation;
      for (let t = 0; t < N; t++) {
        // a Hill slope below 1 has an infinite derivative at 0: taken at a billionth, large but finite
        const at = a[t];
        dsat[t] =
          b *
          (at >= 1e-9
            ? fam.derivativeFromValue
              ? fam.derivativeFromValue(at, sat[t], p)
              : fam.derivative(at, p)
            : fam.derivative(1e-9, p));
      }
      const gu = this.gu;
      for (let j = 0; j < H; j++) {
        let acc = 0;
        const lmax = Math.min(L - 1, N - 1 - j);
        for (let l = 0; l <= lmax; l++) acc += w[l] * dsat[j + l];
        gu[j] = acc;
      }
      const c = grad.coef * k;
      for (let j = 0; j < H; j++) grad.out[row + j] += c * gu[j];
    }
    return base ? total - u.baseSum[s] : total;
  }

  /** Unit u's adstocked input under draw s over the horizon and tail, into `out` (length N). @internal */
  adstockInto(u: Unit, s: number, x: Float64Array, out: Float64Array): void {
    this.inputOf(u, x);
    this.convolve(u, s, out);
  }

  /** Unit u's input sequence into the buffer: the L − 1 periods before the plan, the plan's scaled spend, the tail's zeros. @internal */
  private inputOf(u: Unit, x: Float64Array): void {
    const { H, N, seq } = this;
    const L = u.L;
    const k = u.share * u.perSpend;
    seq.fill(0, 0, L - 1 + N);
    seq.set(u.history);
    for (let j = 0; j < H; j++) seq[L - 1 + j] = k * x[u.channel * H + j];
  }

  /** The adstock of the buffer's input under draw s over the horizon and tail, into `out`. @internal */
  private convolve(u: Unit, s: number, out: Float64Array): void {
    const { N, seq } = this;
    const L = u.L;
    const w = u.weights[s];
    for (let t = 0; t < N; t++) {
      let acc = 0;
      for (let l = 0; l < L; l++) acc += w[l] * seq[L - 1 + t - l];
      out[t] = acc;
    }
  }

  /**
   * The Hessian of the posterior-mean response over `draws`, one H × H block per channel: per unit and draw
   * k²·β·Σ_t w_{t−j}·w_{t−j'}·s''(a_t), s'' by a central difference of the exact s' (the Newton step needs it only
   * roughly: its line search keeps every step an ascent). @internal
   */
  hessianBlocks(x: Float64Array, draws: Int32Array): HessianBlock[] {
    const { H, N, a } = this;
    const blocks = Array.from({ length: this.C }, (_, c) => ({
      cells: Array.from({ length: H }, (_, t) => c * H + t),
      matrix: new Float64Array(H * H),
    }));
    const d2 = this.dsat;
    for (const u of this.units) {
      const L = u.L;
      const k = u.share * u.perSpend;
      const M = blocks[u.channel].matrix;
      this.inputOf(u, x);
      for (let i = 0; i < draws.length; i++) {
        const s = draws[i];
        const w = u.weights[s];
        const p = u.params[s];
        const c = (u.beta[s] * k * k) / draws.length;
        if (c === 0) continue;
        this.convolve(u, s, a);
        for (let t = 0; t < N; t++) {
          const acc = a[t];
          const h = 1e-5 * Math.max(acc, 1e-6);
          const lo = Math.max(acc - h, 1e-12);
          d2[t] = (u.saturation.derivative(acc + h, p) - u.saturation.derivative(lo, p)) / (acc + h - lo);
        }
        for (let t = 0; t < N; t++) {
          const v = c * d2[t];
          if (v === 0) continue;
          for (let l = 0; l < L && l <= t; l++) {
            const j = t - l;
            if (j >= H) continue;
            const wl = v * w[l];
            for (let l2 = 0; l2 < L && l2 <= t; l2++) {
              const j2 = t - l2;
              if (j2 < H) M[j * H + j2] += wl * w[l2];
            }
          }
        }
      }
    }
    return blocks;
  }

  /** Per draw in `draws`: the total incremental response into `totals[i]`. @internal */
  responses(x: Float64Array, draws: Int32Array): void {
    for (let i = 0; i < draws.length; i++) {
      let t = 0;
      for (const u of this.units) t += this.unitDraw(u, draws[i], x, 1);
      this.totals[i] = t;
    }
  }

  /** The objective over `draws` and its gradient into `grad`. @internal */
  objective(x: Float64Array, grad: Float64Array | undefined, draws: Int32Array, objective: BudgetObjective): number {
    const n = draws.length;
    grad?.fill(0);
    if (objective === 'mean' || n === 1) {
      let m = 0;
      const g = grad ? { out: grad, coef: 1 / n } : undefined;
      for (let i = 0; i < n; i++) for (const u of this.units) m += this.unitDraw(u, draws[i], x, 1, undefined, g);
      return m / n;
    }
    this.responses(x, draws);
    const { value, coef } = riskWeights(this.totals.subarray(0, n), objective);
    if (!grad) return value;
    for (let i = 0; i < n; i++) {
      if (coef[i] === 0) continue;
      for (const u of this.units) this.unitDraw(u, draws[i], x, 1, undefined, { out: grad, coef: coef[i] });
    }
    return value;
  }
}

/** A risk objective's value over draws' totals, and the weight of each draw's gradient in its gradient. @internal */
function riskWeights(t: Float64Array, objective: Exclude<BudgetObjective, 'mean'>): { value: number; coef: Float64Array } {
  const n = t.length;
  const coef = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += t[i];
  mean /= n;
  if ('meanMinusSd' in objective) {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (t[i] - mean) ** 2;
    const sd = Math.sqrt(ss / (n - 1));
    const lam = objective.meanMinusSd;
    // ∂sd/∂x = Σ_i (t_i − mean)·∂t_i/∂x / ((n − 1)·sd)
    for (let i = 0; i < n; i++) coef[i] = 1 / n - (sd > 0 ? (lam * (t[i] - mean)) / ((n - 1) * sd) : 0);
    return { value: mean - lam * sd, coef };
  }
  // a quantile of the total (type 7): weights on the two order statistics around it
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => t[a] - t[b]);
  const h = (n - 1) * objective.quantile;
  const lo = Math.floor(h);
  const w = h - lo;
  coef[order[lo]] += 1 - w;
  coef[order[Math.min(lo + 1, n - 1)]] += w;
  return { value: (1 - w) * t[order[lo]] + w * t[order[Math.min(lo + 1, n - 1)]], coef };
}

/** Indices of every `step`-th of S draws (all of them with step 1). @internal */
function drawSubset(S: number, count: number): Int32Array {
  const step = Math.max(1, Math.floor(S / count));
  const idx: number[] = [];
  for (let s = 0; s < S && idx.length < count; s += step) idx.push(s);
  return Int32Array.from(idx);
}

/** The feasible set of a plan: per cell (channel-major, c·H + t) its bounds, and the budgets' groups. @internal */
interface Feasible extends BoxSums {
  fixed: Uint8Array;
}

/** A period of the plan by index or date, as `blackout` gives it. @internal */
function periodIndex(p: number | string, dates: readonly string[], field: string): number {
  const i = typeof p === 'number' ? p : dates.indexOf(p);
  if (!(Number.isInteger(i) && i >= 0 && i < dates.length))
    throw new InvalidInputError(
      field,
      `is ${JSON.stringify(p)}`,
      `Give a period index from 0 to ${dates.length - 1} or a date of the plan (${dates[0]} … ${dates[dates.length - 1]}).`,
    );
  return i;
}

/** Blacked-out periods (all channels, or per channel) get bounds [0, 0]. @internal */
function blackOut(
  names: readonly string[],
  H: number,
  black: PlanScheduleOptions['blackout'],
  dates: readonly string[],
  lower: Float64Array,
  upper: Float64Array,
): void {
  if (black === undefined) return;
  const lists: Array<[number[], ReadonlyArray<number | string>, string]> = Array.isArray(black)
    ? [[names.map((_, c) => c), black as ReadonlyArray<number | string>, 'options.blackout']]
    : Object.entries(black as Record<string, ReadonlyArray<number | string>>).map(([nm, ps]) => {
        if (!names.includes(nm))
          throw new InvalidInputError(`options.blackout.${nm}`, 'is not a channel of the fit', `Channels are ${names.join(', ')}.`);
        return [[names.indexOf(nm)], ps, `options.blackout.${nm}`];
      });
  for (const [cs, ps, field] of lists)
    ps.forEach((p, k) => {
      const t = periodIndex(p, dates, `${field}[${k}]`);
      for (const c of cs) {
        lower[c * H + t] = 0;
        upper[c * H + t] = 0;
      }
    });
}

/** The budgets' groups: a channel with a budget of its own is one; the others share the rest of the budget. @internal */
function budgetGroups(names: readonly string[], H: number, budget: number, own: Readonly<Record<string, number>>): SumGroup[] {
  const groups: SumGroup[] = [];
  let rest = budget;
  const shared: number[] = [];
  names.forEach((nm, c) => {
    const cells = Array.from({ length: H }, (_, t) => c * H + t);
    const b = own[nm];
    if (b === undefined) shared.push(...cells);
    else {
      if (!(typeof b === 'number' && b >= 0 && Number.isFinite(b)))
        throw new InvalidInputError(`options.channelBudgets.${nm}`, `is ${JSON.stringify(b)}`, 'Give a total ≥ 0.');
      groups.push({ cells, total: b });
      rest -= b;
    }
  });
  if (shared.length > 0) groups.unshift({ cells: shared, total: rest });
  else if (Math.abs(rest) > 1e-9 * Math.max(1, budget))
    throw new InvalidInputError(
      'options.channelBudgets',
      `add up to ${budget - rest}, not the budget ${budget}`,
      'Make them add up to the budget, or leave a channel without one.',
    );
  return groups;
}

/** The bounds of every cell from `bounds`, `blackout` and `fixed`, and the budgets' groups, checked. @internal */
function feasibleSet(names: readonly string[], H: number, budget: number, o: PlanScheduleOptions, dates: readonly string[]): Feasible {
  const C = names.length;
  const lower = new Float64Array(C * H);
  const upper = new Float64Array(C * H).fill(budget);
  const fixed = new Uint8Array(C * H);
  const known = (field: string, rec: object | undefined) => {
    for (const k of Object.keys(rec ?? {}))
      if (!names.includes(k))
        throw new InvalidInputError(`${field}.${k}`, 'is not a channel of the fit', `Channels are ${names.join(', ')}.`);
  };
  known('options.bounds', o.bounds);
  known('options.fixed', o.fixed);
  known('options.channelBudgets', o.channelBudgets);
  const perPeriod = (v: number | readonly number[], field: string): number[] => {
    const arr = typeof v === 'number' ? Array.from({ length: H }, () => v) : Array.from(v ?? []);
    if (arr.length !== H) throw new InvalidInputError(field, `has ${arr.length} entries`, `Give one number, or one per period (${H}).`);
    arr.forEach((x, t) => {
      if (!(x >= 0) || Number.isNaN(x)) throw new InvalidInputError(`${field}[${t}]`, `is ${x}`, 'Give spend ≥ 0.');
    });
    return arr;
  };
  names.forEach((nm, c) => {
    const b = o.bounds?.[nm];
    if (b === undefined) return;
    if (!Array.isArray(b) || b.length !== 2)
      throw new InvalidInputError(
        `options.bounds.${nm}`,
        `is ${JSON.stringify(b)}`,
        'Give [min, max] per period: numbers, or arrays of one per period.',
      );
    const lo = perPeriod(b[0], `options.bounds.${nm}[0]`);
    const hi = perPeriod(b[1], `options.bounds.${nm}[1]`);
    for (let t = 0; t < H; t++) {
      if (hi[t] < lo[t])
        throw new InvalidInputError(`options.bounds.${nm}`, `has max ${hi[t]} < min ${lo[t]} in period ${t}`, 'Give min ≤ max.');
      lower[c * H + t] = lo[t];
      upper[c * H + t] = Math.min(hi[t], budget);
    }
  });
  blackOut(names, H, o.blackout, dates, lower, upper);
  for (const [nm, arr] of Object.entries(o.fixed ?? {})) {
    const c = names.indexOf(nm);
    if (!Array.isArray(arr) || arr.length !== H)
      throw new InvalidInputError(
        `options.fixed.${nm}`,
        `is ${JSON.stringify(arr)}`,
        `Give one entry per period (${H}): a number, or null where free.`,
      );
    arr.forEach((v, t) => {
      if (v === null) return;
      if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v)))
        throw new InvalidInputError(`options.fixed.${nm}[${t}]`, `is ${JSON.stringify(v)}`, 'Give spend ≥ 0, or null where free.');
      lower[c * H + t] = v;
      upper[c * H + t] = v;
      fixed[c * H + t] = 1;
    });
  }
  const groups = budgetGroups(names, H, budget, o.channelBudgets ?? {});
  const set = { lower, upper, groups, fixed };
  checkBoxSums(set, 'options.budget');
  return set;
}

/** Everything one solve needs: the fit's curves over the draws and the plan's shape. @internal */
interface Context {
  fit: ModelFit;
  names: string[];
  hz: Horizon;
  model: ScheduleModel;
  all: Int32Array;
  coarse: Int32Array;
  /** the draws of the greedy start */
  greedy: Int32Array;
  objective: BudgetObjective;
  options: PlanScheduleOptions;
}

/** A schedule as cells (channel-major) from `{ [channel]: per period }`. @internal */
function cellsOf(names: readonly string[], H: number, perChannel: (c: number, t: number) => number): Float64Array {
  return Float64Array.from({ length: names.length * H }, (_, i) => perChannel(Math.floor(i / H), i % H));
}

/**
 * Starting schedules of the global search: flat in the current mix, the steady-state allocation of `optimizeBudget`
 * repeated every period, and both pulsed every k-th period (together, or staggered across channels), each projected
 * onto the feasible set. @internal
 */
function startsOf(ctx: Context, set: Feasible, budget: number): Array<{ name: string; x: Float64Array }> {
  const { names, hz, fit } = ctx;
  const H = hz.H;
  const current = spendPerPeriod(fit);
  const totalCurrent = names.reduce((a, nm) => a + (current[nm] ?? 0), 0);
  const mixes: Array<{ name: string; per: number[] }> = [
    { name: 'flat', per: names.map((nm) => (totalCurrent > 0 ? (current[nm] / totalCurrent) * budget : budget / names.length) / H) },
  ];
  try {
    const steady = optimizeBudget(fit, {
      totalBudget: budget / H,
      maxDraws: ctx.coarse.length,
      ...(ctx.options.effectWindow ? { effectWindow: ctx.options.effectWindow } : {}),
    });
    mixes.push({ name: 'steady-state', per: names.map((nm) => steady.allocation[nm]) });
  } catch (e) {
    if (!(e instanceof InvalidInputError)) throw e;
  }
  const out: Array<{ name: string; x: Float64Array }> = [];
  const project = (x: Float64Array) => projectBoxSums(set, x, new Float64Array(x.length));
  for (const mix of mixes) {
    out.push({ name: mix.name, x: project(cellsOf(names, H, (c) => mix.per[c])) });
    for (const k of [2, 3, 4, 6, 8, 13]) {
      if (k > H) break;
      out.push({ name: `${mix.name} pulse-${k}`, x: project(cellsOf(names, H, (c, t) => (t % k === 0 ? k * mix.per[c] : 0))) });
      out.push({
        name: `${mix.name} pulse-${k} staggered`,
        x: project(cellsOf(names, H, (c, t) => ((t + c) % k === 0 ? k * mix.per[c] : 0))),
      });
    }
  }
  return out;
}

/**
 * A greedy start for S-shaped curves: each budget group spent in `chunks` equal pieces, each piece going to the cell
 * whose channel's mean response (over `draws`) it raises most per unit of spend; so spend concentrates where a curve
 * is steep, as pulsing does. The adstock and saturation of every unit and draw are kept, so a trial in period t
 * re-evaluates only the L periods its spend reaches. @internal
 */
function greedyStart(ctx: Context, set: Feasible, draws: Int32Array, chunks: number): Float64Array {
  const { model } = ctx;
  const { H, N } = model;
  const n = draws.length;
  const x = Float64Array.from(set.lower);
  const byChannel = ctx.names.map((_, c) => model.units.filter((u) => u.channel === c));
  // per unit: the adstock and saturation per draw and period at x
  const state = new Map<Unit, { a: Float64Array; s: Float64Array }>();
  for (const u of model.units) {
    const a = new Float64Array(n * N);
    const sat = new Float64Array(n * N);
    for (let i = 0; i < n; i++) {
      const ai = a.subarray(i * N, (i + 1) * N);
      model.adstockInto(u, draws[i], x, ai);
      u.saturation.valueInto(sat.subarray(i * N, (i + 1) * N), ai, u.params[draws[i]]);
    }
    state.set(u, { a, s: sat });
  }
  // the gain in mean response of adding `add` in period t of a channel (apply: and keep it)
  const gain = (c: number, t: number, add: number, apply: boolean) => {
    let total = 0;
    for (const u of byChannel[c]) {
      const { a, s } = state.get(u)!;
      const k = u.share * u.perSpend * add;
      const lmax = Math.min(u.L - 1, N - 1 - t);
      for (let i = 0; i < n; i++) {
        const d = draws[i];
        const w = u.weights[d];
        const p = u.params[d];
        let acc = 0;
        for (let l = 0; l <= lmax; l++) {
          const j = i * N + t + l;
          const v = u.saturation.value(a[j] + k * w[l], p);
          acc += v - s[j];
          if (apply) {
            a[j] += k * w[l];
            s[j] = v;
          }
        }
        total += u.beta[d] * acc;
      }
    }
    return total / n;
  };
  for (const grp of set.groups) {
    const cells = Array.from(grp.cells);
    let left = grp.total - cells.reduce((a, i) => a + x[i], 0);
    const piece = left / chunks;
    for (let m = 0; m < chunks && left > 1e-12 * grp.total; m++) {
      const amount = Math.min(piece, left);
      let best = { cell: -1, rate: -Infinity, add: 0 };
      for (const i of cells) {
        const add = Math.min(amount, set.upper[i] - x[i]);
        if (!(add > 0)) continue;
        const rate = gain(Math.floor(i / H), i % H, add, false) / add;
        if (rate > best.rate) best = { cell: i, rate, add };
      }
      if (best.cell < 0) break;
      gain(Math.floor(best.cell / H), best.cell % H, best.add, true);
      x[best.cell] += best.add;
      left -= best.add;
    }
  }
  return projectBoxSums(set, x, new Float64Array(x.length));
}

/**
 * Per channel, its total spend in n equal flights evenly spaced over the horizon, n chosen per channel (1, 2, 3, 4, 6,
 * 8, 13, 26 or every period) for the channel's mean response over `draws`: the pulsing an S-shaped curve rewards at a
 * small budget. @internal
 */
function flightsStart(ctx: Context, totals: readonly number[], draws: Int32Array): Float64Array {
  const { model } = ctx;
  const H = model.H;
  const x = new Float64Array(ctx.names.length * H);
  const counts = [...new Set([1, 2, 3, 4, 6, 8, 13, 26, H].filter((n) => n <= H))];
  ctx.names.forEach((_, c) => {
    const units = model.units.filter((u) => u.channel === c);
    let best = { n: H, v: -Infinity };
    for (const n of counts) {
      x.fill(0, c * H, (c + 1) * H);
      for (let i = 0; i < n; i++) x[c * H + Math.floor((i * H) / n)] = totals[c] / n;
      let v = 0;
      for (let k = 0; k < draws.length; k++) for (const u of units) v += model.unitDraw(u, draws[k], x, 1);
      if (v > best.v) best = { n, v };
    }
    x.fill(0, c * H, (c + 1) * H);
    for (let i = 0; i < best.n; i++) x[c * H + Math.floor((i * H) / best.n)] = totals[c] / best.n;
  });
  return x;
}

/** The objective over some draws, as `maximizeOnBoxSums` takes it. @internal */
function objectiveOn(ctx: Context, draws: Int32Array) {
  return (x: Float64Array, g?: Float64Array) => ctx.model.objective(x, g, draws, ctx.objective);
}

/** Runs of consecutive periods with spend shorter than `minFlight`, of free cells, least spend first. @internal */
function shortFlights(x: Float64Array, set: Feasible, C: number, H: number, minFlight: number): number[][] {
  const out: Array<{ cells: number[]; spend: number }> = [];
  let scale = 0;
  for (let i = 0; i < x.length; i++) scale = Math.max(scale, x[i]);
  const on = (i: number) => x[i] > 1e-9 * scale;
  for (let c = 0; c < C; c++) {
    let t = 0;
    while (t < H) {
      if (!on(c * H + t)) {
        t++;
        continue;
      }
      let end = t;
      while (end < H && on(c * H + end)) end++;
      const run = Array.from({ length: end - t }, (_, k) => c * H + t + k);
      // a run held by committed spend or a positive lower bound is left as it is
      if (run.length < minFlight && run.every((i) => !set.fixed[i] && set.lower[i] === 0))
        out.push({ cells: run, spend: run.reduce((a, i) => a + x[i], 0) });
      t = end;
    }
  }
  return out.sort((a, b) => a.spend - b.spend).map((r) => r.cells);
}

/**
 * Makes a short flight long enough or drops it: dropped (its cells dark) when it holds less than half its channel's
 * spend and the budgets still fit, else extended to `minFlight` periods over the free neighbours, each holding at least a
 * tenth of the flight's mean spend. Returns false when neither is possible. @internal
 */
function fixFlight(run: number[], x: Float64Array, set: Feasible, H: number, minFlight: number): boolean {
  const c = Math.floor(run[0] / H);
  const spend = run.reduce((a, i) => a + x[i], 0);
  const channel = x.subarray(c * H, (c + 1) * H).reduce((a, b) => a + b, 0);
  // a flight holding most of its channel's spend is extended (dropped, its spend would only move to another short one)
  if (spend < 0.5 * channel) {
    const saved = run.map((i) => set.upper[i]);
    for (const i of run) set.upper[i] = 0;
    try {
      checkBoxSums(set, 'options.minFlight');
      return true;
    } catch {
      run.forEach((i, k) => (set.upper[i] = saved[k]));
    }
  }
  const floor = (0.1 * run.reduce((a, i) => a + x[i], 0)) / run.length;
  const cells = [...run];
  let lo = run[0] % H;
  let hi = run[run.length - 1] % H;
  const open = (t: number) => t >= 0 && t < H && set.upper[c * H + t] >= floor && !set.fixed[c * H + t];
  while (cells.length < minFlight) {
    if (open(hi + 1)) cells.push(c * H + ++hi);
    else if (open(lo - 1)) cells.unshift(c * H + --lo);
    else return false;
  }
  for (const i of cells) set.lower[i] = Math.max(set.lower[i], floor);
  try {
    checkBoxSums(set, 'options.minFlight');
    return true;
  } catch {
    return false;
  }
}

/** The best schedule for `budget`: the global starts on a subset of draws, the best polished on all. @internal */
function solveSchedule(ctx: Context, budget: number): { x: Float64Array; value: number; grad: Float64Array; start: string; set: Feasible } {
  const { names, hz } = ctx;
  const set = feasibleSet(names, hz.H, budget, ctx.options, hz.dates);
  const n = names.length * hz.H;
  const g = new Float64Array(n);
  const greedy = greedyStart(ctx, set, ctx.greedy, 24);
  const starts = [...startsOf(ctx, set, budget), { name: 'greedy', x: greedy }];
  // each mix's channel totals in the number of flights that suits each channel's curve
  for (const s of starts.filter((st) => st.name === 'flat' || st.name === 'steady-state' || st.name === 'greedy')) {
    const totals = names.map((_, c) => s.x.subarray(c * hz.H, (c + 1) * hz.H).reduce((a, b) => a + b, 0));
    starts.push({ name: `${s.name} flights`, x: projectBoxSums(set, flightsStart(ctx, totals, ctx.greedy), new Float64Array(n)) });
  }
  // and the whole budget on one channel, in its best number of flights (a small budget may do best concentrated)
  names.forEach((nm, c) => {
    const totals = names.map((_, k) => (k === c ? budget : 0));
    starts.push({ name: `${nm} alone, flights`, x: projectBoxSums(set, flightsStart(ctx, totals, ctx.greedy), new Float64Array(n)) });
  });
  const coarseF = objectiveOn(ctx, ctx.coarse);
  const rough = objectiveOn(ctx, ctx.greedy);
  const ranked = starts.map((s) => ({ ...s, f: rough(s.x) })).sort((a, b) => b.f - a.f);
  // polish the two best starts on the subset of draws, then the best of them on every draw
  const hessian = (x: Float64Array) => ctx.model.hessianBlocks(x, ctx.coarse);
  const polished = ranked.slice(0, 2).map((s) => {
    const first = maximizeOnBoxSums(coarseF, s.x, set, { maxIterations: 20 });
    return { name: s.name, x: newtonOnBoxSums(coarseF, hessian, first.x, set, { maxIterations: 6 }).x };
  });
  const fullF = objectiveOn(ctx, ctx.all);
  const candidates = [...polished, ...starts.filter((s) => s.name === 'flat' || s.name === 'steady-state')].map((s) => ({
    ...s,
    f: fullF(s.x, g),
  }));
  candidates.sort((a, b) => b.f - a.f);
  const best = candidates[0];
  // Newton on the free cells (its Hessian from the subset of draws, the gradient from all), then the first-order method
  let final = newtonOnBoxSums(fullF, hessian, best.x, set, { maxIterations: 20 });
  // where Newton stalls short of the optimality conditions (curves convex where the plan is), the first-order method
  // on every draw, then Newton again
  for (let round = 0; round < 3 && !kktOf(ctx, set, final.x, final.gradient).satisfied; round++) {
    const first = maximizeOnBoxSums(fullF, final.x, set, { maxIterations: 500, stall: 1e-14 });
    const again = newtonOnBoxSums(fullF, hessian, first.x, set);
    if (!(again.value > final.value)) break;
    final = again;
  }
  let result =
    final.value >= best.f
      ? { x: final.x, value: final.value, grad: final.gradient, start: best.name }
      : { x: best.x, value: fullF(best.x, g), grad: Float64Array.from(g), start: best.name };
  const minFlight = ctx.options.minFlight;
  if (minFlight !== undefined && minFlight > 1) {
    for (let round = 0; round < n; round++) {
      const runs = shortFlights(result.x, set, names.length, hz.H, minFlight);
      if (runs.length === 0) break;
      if (!fixFlight(runs[0], result.x, set, hz.H, minFlight))
        throw new InvalidInputError(
          'options.minFlight',
          `is ${minFlight}: flights that long do not fit the budget within the bounds`,
          'Shorten the minimum flight, lower the budget or widen the bounds.',
        );
      const again = newtonOnBoxSums(fullF, hessian, maximizeOnBoxSums(fullF, result.x, set, { maxIterations: 100 }).x, set);
      result = { x: again.x, value: again.value, grad: again.gradient, start: result.start };
    }
  }
  return { ...result, set };
}

/** The optimality conditions at x from the objective's gradient: per budget group, the free cells' common marginal. @internal */
function kktOf(ctx: Context, set: Feasible, x: Float64Array, grad: Float64Array): ScheduleKkt {
  const tol = 1e-3;
  let worst = 0;
  let satisfied = true;
  let multiplier = Number.NaN;
  const channelMultipliers: Record<string, number> = {};
  let scale = 0;
  for (let i = 0; i < x.length; i++) scale = Math.max(scale, Math.abs(x[i]));
  const eps = 1e-7 * Math.max(scale, 1e-300);
  set.groups.forEach((grp, k) => {
    const cells = Array.from(grp.cells);
    const free = cells.filter((i) => !set.fixed[i] && x[i] > set.lower[i] + eps && x[i] < set.upper[i] - eps);
    const lam = free.length > 0 ? free.reduce((a, i) => a + grad[i], 0) / free.length : Number.NaN;
    const ref = Math.max(Math.abs(lam), 1e-300);
    for (const i of free) worst = Math.max(worst, Math.abs(grad[i] - lam) / ref);
    if (Number.isFinite(lam))
      for (const i of cells) {
        if (set.fixed[i] || free.includes(i)) continue;
        const atLower = x[i] <= set.lower[i] + eps;
        if (atLower && set.upper[i] > set.lower[i] && grad[i] > lam + tol * ref) satisfied = false;
        if (!atLower && grad[i] < lam - tol * ref) satisfied = false;
      }
    const isShared = k === 0 && ctx.names.some((nm) => ctx.options.channelBudgets?.[nm] === undefined);
    if (isShared) multiplier = lam;
    else channelMultipliers[ctx.names[Math.floor(cells[0] / ctx.hz.H)]] = lam;
  });
  if (worst > tol) satisfied = false;
  return { multiplier: Number.isFinite(multiplier) ? multiplier : 0, channelMultipliers, maxRelativeDeviation: worst, satisfied };
}

/** A schedule's figures over every draw: the response it causes per draw, period and channel. @internal */
function figuresOf(ctx: Context, x: Float64Array, meanGradient?: Float64Array): ScheduleFigures & { carryOver: SeriesEstimate } {
  const { model, names, hz } = ctx;
  const { S, N, H } = model;
  const iv = ctx.fit.settings.interval;
  const zero = new Float64Array(x.length);
  const totals = new Float64Array(S);
  const perChannel = names.map(() => new Float64Array(S));
  const byPeriod = Array.from({ length: N }, () => new Float64Array(S));
  const carry = Array.from({ length: H }, () => new Float64Array(S));
  const pp = new Float64Array(N);
  const base = new Float64Array(N);
  for (let s = 0; s < S; s++) {
    pp.fill(0);
    base.fill(0);
    for (const u of model.units) {
      const r = model.unitDraw(u, s, x, 1, pp);
      model.unitDraw(u, s, zero, 0, base);
      perChannel[u.channel][s] += r;
      totals[s] += r;
    }
    for (let t = 0; t < N; t++) byPeriod[t][s] = pp[t] - base[t];
    for (let t = 0; t < H; t++) carry[t][s] = base[t];
  }
  const g = meanGradient ?? new Float64Array(x.length);
  if (!meanGradient) model.objective(x, g, ctx.all, 'mean');
  let spent = 0;
  for (let i = 0; i < x.length; i++) spent += x[i];
  const ratio = (draws: Float64Array, spend: number) =>
    estimate(
      draws.map((v) => (spend > 0 ? v / spend : 0)),
      iv,
    );
  return {
    spend: Object.fromEntries(names.map((nm, c) => [nm, Array.from(x.subarray(c * hz.H, (c + 1) * hz.H))])),
    incremental: estimate(totals, iv),
    byPeriod: pointEstimates(byPeriod, iv),
    roas: ratio(totals, spent),
    channels: Object.fromEntries(
      names.map((nm, c) => {
        let sc = 0;
        for (let t = 0; t < H; t++) sc += x[c * H + t];
        return [
          nm,
          {
            spend: sc,
            incremental: estimate(perChannel[c], iv),
            roas: ratio(perChannel[c], sc),
            marginal: Array.from(g.subarray(c * H, (c + 1) * H)),
          },
        ];
      }),
    ),
    carryOver: pointEstimates(carry, iv),
  };
}

/** A `compare` schedule as cells: every channel, one number ≥ 0 per period; or the current average spend. @internal */
function compareCells(ctx: Context, compare: NonNullable<PlanScheduleOptions['compare']>, field = 'options.compare'): Float64Array {
  const { names, hz } = ctx;
  if (compare === 'current') {
    const current = spendPerPeriod(ctx.fit);
    return cellsOf(names, hz.H, (c) => current[names[c]]);
  }
  if (typeof compare !== 'object' || compare === null)
    throw new InvalidInputError(field, `is ${JSON.stringify(compare)}`, "Give { [channel]: spend per period } or 'current'.");
  for (const k of Object.keys(compare))
    if (!names.includes(k))
      throw new InvalidInputError(`${field}.${k}`, 'is not a channel of the fit', `Channels are ${names.join(', ')}.`);
  return cellsOf(names, hz.H, (c, t) => {
    const arr = compare[names[c]];
    if (!Array.isArray(arr) || arr.length !== hz.H)
      throw new InvalidInputError(
        `${field}.${names[c]}`,
        `is ${JSON.stringify(arr)}`,
        `Give every channel one number per period (${hz.H}).`,
      );
    const v = arr[t];
    if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v)))
      throw new InvalidInputError(`${field}.${names[c]}[${t}]`, `is ${JSON.stringify(v)}`, 'Give spend ≥ 0.');
    return v;
  });
}

/** The least budget reaching an incremental target, or the largest keeping a ROAS target, by bisection. @internal */
function budgetForTarget(ctx: Context, target: { incremental: number } | { roas: number }, guess: number): number {
  const byIncremental = 'incremental' in target;
  const want = byIncremental ? target.incremental : target.roas;
  if (!(typeof want === 'number' && want > 0 && Number.isFinite(want)))
    throw new InvalidInputError(
      `options.target.${byIncremental ? 'incremental' : 'roas'}`,
      `is ${JSON.stringify(want)}`,
      'Give a number > 0.',
    );
  const g = new Float64Array(ctx.names.length * ctx.hz.H);
  const meanAt = (b: number) => {
    const sol = solveSchedule(ctx, b);
    return ctx.model.objective(sol.x, g, ctx.all, 'mean');
  };
  // reached(b): the plan at budget b meets the target; an incremental target is met above some budget, a ROAS one below
  const reached = (b: number) => (byIncremental ? meanAt(b) >= want : meanAt(b) / b >= want);
  let lo = guess;
  let hi = guess;
  const grow = byIncremental === reached(guess);
  for (let k = 0; ; k++) {
    if (k > 40)
      throw new InvalidInputError(
        'options.target',
        `is ${JSON.stringify(target)}: no budget from ${guess / 2 ** 40} to ${guess * 2 ** 40} reaches it within the bounds`,
        'Ask for less, or widen the bounds.',
      );
    if (grow) {
      // incremental met at guess: shrink to where it is not; ROAS not met: shrink to where it is
      lo /= 2;
      if (byIncremental ? !reached(lo) : reached(lo)) break;
      hi = lo;
    } else {
      hi *= 2;
      if (byIncremental ? reached(hi) : !reached(hi)) break;
      lo = hi;
    }
  }
  // now the target holds at one end: hi for an incremental target, lo for a ROAS one
  for (let k = 0; k < 30 && hi - lo > 1e-4 * hi; k++) {
    const mid = 0.5 * (lo + hi);
    if (reached(mid) === byIncremental) hi = mid;
    else lo = mid;
  }
  return byIncremental ? hi : lo;
}

/** The plan's options that need more than their shape checked, with their defaults. @internal */
function checkSchedule(options: PlanScheduleOptions): { periods: number; tail: boolean; maxDraws: number; objective: BudgetObjective } {
  const periods = options.periods;
  if (!(Number.isInteger(periods) && periods >= 1 && periods <= 1000))
    throw new InvalidParameterError('periods', periods, 'the integers 1 to 1000');
  const tail = options.tail ?? true;
  if (typeof tail !== 'boolean') throw new InvalidInputError('options.tail', `is ${JSON.stringify(tail)}`, 'Give true or false.');
  const maxDraws = options.maxDraws ?? 1000;
  if (!(Number.isInteger(maxDraws) && maxDraws >= 1)) throw new InvalidParameterError('maxDraws', maxDraws, 'the integers ≥ 1');
  const minFlight = options.minFlight;
  if (minFlight !== undefined && !(Number.isInteger(minFlight) && minFlight >= 1 && minFlight <= periods))
    throw new InvalidParameterError('minFlight', minFlight, `the integers 1 to ${periods}`);
  if ((options.budget === undefined) === (options.target === undefined))
    throw new InvalidInputError(
      'options.budget',
      options.budget === undefined ? 'is missing' : 'is given with a target',
      'Give a budget or a target, one of them.',
    );
  const objective = checkObjective(options.objective);
  return { periods, tail, maxDraws, objective };
}

/**
 * A spend schedule over the `periods` after the data, per channel and period, that maximises the expected incremental
 * response it causes (or a quantile, or mean − λ·sd) for a total `budget`, within per-period bounds, channel budgets,
 * committed spend, blackout periods and a minimum flight length.
 * @remarks
 * The response is the model's own: per posterior draw each channel's input (the data's last periods, the plan's
 * spend at the channel's average input per unit of spend, then the tail) is adstocked and saturated, and the plan's
 * response is the difference with no spend in the plan, over the horizon and, with `tail` (the default), the periods
 * after it until the adstock dies out. So carry-over from the data lowers what the first periods' spend adds on a
 * saturating curve, and spend late in the plan is credited with what it does after it. The schedule's gradient is
 * exact (the adjoint of the adstock). S-shaped curves make the problem non-concave: a global search over flat,
 * steady-state and pulsed starts on a subset of the draws, then a spectral projected gradient on every draw (each
 * iterate spends the budget exactly within the bounds); the optimality conditions are reported. Geo fits: each
 * channel's spend goes to its geos in their current shares. On a fit whose effects change over time the effect at
 * the end of the data is used for every planned period (`effectWindow` picks another window).
 * @example
 * const plan = planSchedule(fit, { periods: 13, budget: 1.2e6, bounds: { tv: [0, 150_000] }, blackout: { tv: [0, 1] } });
 * plan.spend.tv;          // 13 numbers
 * plan.incremental.mean;  // the response the plan causes, tail included
 */
export function planSchedule(fit: ModelFit, options: PlanScheduleOptions): SchedulePlan {
  checkOptions(options, SCHEDULE_SHAPE, 'options');
  const { periods, tail, maxDraws, objective } = checkSchedule(options);
  const hz = horizonOf(fit, periods, options.start, tail);
  const { S, values } = thinnedDraws(fit, maxDraws);
  const names = fit.spec.channels.map((ch) => ch.name);
  const units = unitsOf(fit, S, values, hz.gap, options.effectWindow, options.channelValue);
  const model = new ScheduleModel(units, names.length, hz.H, hz.K, S);
  const ctx: Context = {
    fit,
    names,
    hz,
    model,
    all: drawSubset(S, S),
    coarse: drawSubset(S, 100),
    greedy: drawSubset(S, 25),
    objective,
    options,
  };
  let budget = options.budget;
  if (budget === undefined) {
    const current = spendPerPeriod(fit);
    const guess = names.reduce((a, nm) => a + current[nm], 0) * periods;
    budget = budgetForTarget(ctx, options.target!, guess > 0 ? guess : 1);
  } else if (!(typeof budget === 'number' && budget >= 0 && Number.isFinite(budget)))
    throw new InvalidInputError('options.budget', `is ${JSON.stringify(budget)}`, 'Give the total spend over the horizon, ≥ 0.');
  const sol = solveSchedule(ctx, budget);
  const figures = figuresOf(ctx, sol.x, objective === 'mean' ? sol.grad : undefined);
  const notes = [
    tail
      ? `The response counts ${hz.K} periods after the plan, until the adstock has died out.`
      : 'The response counts the planned periods only (tail: false): what late spend does after them is left out.',
    "Spend buys each channel's input at its average rate over the fitted data.",
  ];
  if (hz.gap > 0) notes.push(`The ${hz.gap} periods between the data and the plan are taken to have no spend.`);
  if (fit.panel) notes.push("Each channel's spend goes to its geos in their current shares.");
  const seasonal = (fit.spec.interactions ?? []).filter((it) => it.with === 'season').map((it) => `${it.channel}:season`);
  if (seasonal.length)
    notes.push(`Left out: ${seasonal.join(', ')} (each channel's response is its own curve, without its change by season).`);
  const plan: SchedulePlan = {
    dates: hz.dates,
    tailDates: hz.tailDates,
    budget,
    ...figures,
    objectiveValue: sol.value,
    kkt: kktOf(ctx, sol.set, sol.x, sol.grad),
    startedFrom: sol.start,
    ...planNotes(fit, options.effectWindow),
    notes,
  };
  if (options.target) {
    const reached = 'incremental' in options.target ? figures.incremental.mean : figures.roas.mean;
    plan.target = { ...options.target, reached };
  }
  if (options.compare !== undefined) {
    const cmp = figuresOf(ctx, compareCells(ctx, options.compare));
    const { carryOver: _carry, ...rest } = cmp;
    void _carry;
    const absolute = figures.incremental.mean - cmp.incremental.mean;
    plan.compare = { ...rest, uplift: { absolute, relative: cmp.incremental.mean !== 0 ? absolute / Math.abs(cmp.incremental.mean) : 0 } };
  }
  return plan;
}

/**
 * The objective a plan maximises, as a function of the schedule's cells (channel-major: c·periods + t), with its
 * gradient: for checking the gradient against finite differences. @internal
 */
export function scheduleObjective(
  fit: ModelFit,
  o: { periods: number; tail?: boolean; maxDraws?: number; objective?: BudgetObjective },
): (x: Float64Array, grad?: Float64Array) => number {
  const hz = horizonOf(fit, o.periods, undefined, o.tail ?? true);
  const { S, values } = thinnedDraws(fit, o.maxDraws ?? 1000);
  const model = new ScheduleModel(unitsOf(fit, S, values, 0, undefined), fit.spec.channels.length, hz.H, hz.K, S);
  const all = drawSubset(S, S);
  return (x, grad) => model.objective(x, grad, all, o.objective ?? 'mean');
}

/** Options of {@link evaluateSchedule}. */
export interface EvaluateScheduleOptions {
  /** spend per channel and period (every channel, the same number of periods) */
  spend: Readonly<Record<string, readonly number[]>>;
  /** date of the first period; @defaultValue the period after the fit's last */
  start?: string;
  /** @defaultValue true */
  tail?: boolean;
  /** @defaultValue 1000 */
  maxDraws?: number;
  /** @defaultValue 'end' */
  effectWindow?: EffectWindow;
  /** value per unit of each channel's response (every channel): plan Σ value × response (`OptimizeBudgetOptions.channelValue`) */
  channelValue?: Readonly<Record<string, number>>;
}

/** What {@link evaluateSchedule} returns: a schedule's figures, its dates and the data's carry-over. */
export interface ScheduleEvaluation extends ScheduleFigures {
  dates: string[];
  tailDates: string[];
  carryOver: SeriesEstimate;
}

/**
 * The figures of a given schedule, as {@link planSchedule} reports its own: the response it causes over the periods
 * and the tail, per period and per channel, with intervals. For a calendar edited by hand.
 * @example
 * evaluateSchedule(fit, { spend: { tv: [50_000, 0, 50_000, 0], search: [20_000, 20_000, 20_000, 20_000] } }).incremental.mean;
 */
export function evaluateSchedule(fit: ModelFit, options: EvaluateScheduleOptions): ScheduleEvaluation {
  checkOptions(
    options,
    optionKeys<EvaluateScheduleOptions>({ spend: ANY, start: ANY, tail: ANY, maxDraws: ANY, effectWindow: ANY, channelValue: ANY }),
    'options',
  );
  const spend = options.spend;
  if (typeof spend !== 'object' || spend === null)
    throw new InvalidInputError('options.spend', `is ${JSON.stringify(spend)}`, 'Give { [channel]: spend per period }.');
  const first = Object.values(spend)[0];
  if (!Array.isArray(first) || first.length === 0)
    throw new InvalidInputError('options.spend', 'has no periods', 'Give every channel one number per period.');
  const { periods, tail, maxDraws } = checkSchedule({ periods: first.length, budget: 0, tail: options.tail, maxDraws: options.maxDraws });
  const hz = horizonOf(fit, periods, options.start, tail);
  const { S, values } = thinnedDraws(fit, maxDraws);
  const names = fit.spec.channels.map((ch) => ch.name);
  const model = new ScheduleModel(unitsOf(fit, S, values, hz.gap, options.effectWindow, options.channelValue), names.length, hz.H, hz.K, S);
  const all = drawSubset(S, S);
  const ctx: Context = { fit, names, hz, model, all, coarse: all, greedy: all, objective: 'mean', options: { periods } };
  const figures = figuresOf(ctx, compareCells(ctx, spend, 'options.spend'));
  return { dates: hz.dates, tailDates: hz.tailDates, ...figures };
}
