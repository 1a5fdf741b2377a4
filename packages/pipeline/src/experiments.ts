// Which lift test to run next (docs/experiments.md): candidate tests per channel, each judged before it is run by
// preposterior analysis with the fit's own draws. A test's outcome is simulated from a draw; the draws are weighted by
// that outcome's likelihood (importance weights); the channel's ROAS interval under the weights is compared with the
// interval before; averaged over outcomes. Its power and its value for the budget decision come the same way.
import { InvalidInputError, InvalidParameterError, ANY, checkOptions, optionKeys } from '@mmm/core';
import { createRng } from '@mmm/bayes-nuts';
import { DEFAULT_MAX_LAG, adstockInto } from '@mmm/transforms';
import { allocateBudget, type DrawCurve } from '@mmm/optimize';
import erfc from '@stdlib/math-base-special-erfc';
import { channelDraws, estimate, spendPerPeriod, thinnedDraws } from './summaries.js';
import { nationalCurves } from './budget.js';
import { timeVaryingOf } from './time-varying.js';
import { defaultGeoSets, geoTestModel, type GeoTestModel } from './experiments-geo.js';
import type { Estimate, ModelFit, SteadyLiftTest } from './types.js';

/** A test to judge: hold `x` per period on `channel` (its current average by default) and change it by `deltaX` for `periods`. */
export interface ExperimentCandidate {
  channel: string;
  /** spend per period held during the test; @defaultValue the channel's average spend per period */
  x?: number;
  /** the change of spend per period during the test (−x: going dark) */
  deltaX: number;
  periods: number;
  /** the standard error of the measured total lift; @defaultValue σ·√periods (a test over time, read against the model's noise) */
  sd?: number;
  /**
   * geo fits: the geos the test runs in (`x` and `deltaX` are then their total, split by their spend on the channel);
   * @defaultValue every geo with spend on the channel
   */
  geos?: readonly string[];
}

/** Options of {@link designExperiments}. */
export interface DesignExperimentsOptions {
  /** channels to test; @defaultValue every channel whose effect is constant over time */
  channels?: readonly string[];
  /** spend changes as shares of the spend held: −1 is going dark; @defaultValue [−1, −0.5, 0.5, 1] */
  spendChanges?: readonly number[];
  /** durations in periods; @defaultValue [4, 8, 12] */
  durations?: readonly number[];
  /** the tests to judge, instead of the grid */
  candidates?: readonly ExperimentCandidate[];
  /**
   * geo fits: the sets of geos the grid tests each channel in; @defaultValue per channel, all its geos with spend and
   * every other one of them in the order of their spend (a treatment half matched in size to the rest)
   */
  geoSets?: ReadonlyArray<readonly string[]>;
  /**
   * the standard error of every test's measured total lift (a candidate's own `sd` wins), e.g. from a geo split's power
   * analysis; @defaultValue σ·√periods
   */
  sd?: number;
  /** simulated outcomes per test; @defaultValue 200 */
  outcomes?: number;
  /** posterior draws used (evenly thinned); @defaultValue 4000 (every draw of a default fit) */
  maxDraws?: number;
  /** the value of information for the budget decision, for this many of the best tests (0: none); @defaultValue 5 */
  valueOfInformation?: number;
  /**
   * an outcome whose importance weights' effective sample size falls below this is judged by the linear-Gaussian
   * approximation instead, and the design warns; @defaultValue 50
   */
  minEss?: number;
  /** @defaultValue 1 */
  seed?: number;
}

const DESIGN_SHAPE = optionKeys<DesignExperimentsOptions>({
  channels: ANY,
  spendChanges: ANY,
  durations: ANY,
  candidates: ANY,
  geoSets: ANY,
  sd: ANY,
  outcomes: ANY,
  maxDraws: ANY,
  valueOfInformation: ANY,
  minEss: ANY,
  seed: ANY,
});

/** One judged test. */
export interface ExperimentDesign {
  channel: string;
  /** geo fits: the geos of the test (x and deltaX are their total) */
  geos?: string[];
  /** spend per period held during the test */
  x: number;
  /** change of spend per period during the test */
  deltaX: number;
  periods: number;
  /** the standard error of the measured total lift */
  sd: number;
  /** the total lift the test should measure, under the posterior (periods × the steady-state change of response) */
  expectedLift: Estimate;
  /**
   * the expected ratio of the channel's ROAS interval's log-width before the test over after it (1: it teaches
   * nothing; 2: it halves the interval on the log scale): the geometric mean over simulated outcomes
   */
  expectedNarrowing: number;
  /** the 10% and 90% quantiles of that ratio over the outcomes: how much it depends on what the test finds */
  narrowingRange: [number, number];
  /** the arithmetic mean of that ratio over the outcomes (pulled up by the outcomes that teach most) */
  meanNarrowing: number;
  /** its median over the outcomes */
  medianNarrowing: number;
  /** the probability that the test's interval (the fit's interval mass) excludes zero lift */
  power: number;
  /**
   * how much the expected response per period of the optimised budget rises, on average, once the test's result is
   * known (target units per period; computed for the best `valueOfInformation` tests)
   */
  valueOfInformation?: number;
  /** the median over outcomes of the importance weights' effective sample size (of `draws`) */
  importanceEss: number;
  /** set when the weights are too concentrated for the figures to be trusted */
  warning?: string;
}

/** What {@link designExperiments} returns. */
export interface ExperimentDesigns {
  /** best first: by the narrowing in 9 outcomes of 10 (`narrowingRange[0]`), then the expected narrowing */
  designs: ExperimentDesign[];
  /** posterior draws used */
  draws: number;
  /** each tested channel's ROAS interval now */
  roas: Record<string, Estimate>;
  notes: string[];
}

/** Φ(z), the standard normal CDF. @internal */
function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Each draw's ROAS of a channel over the fitted data: β·Σ_t s(adstock(x)_t)·ȳ / spend. @internal */
function roasDraws(fit: ModelFit, c: number, S: number, values: (name: string) => number[]): Float64Array {
  const ch = fit.spec.channels[c];
  const d = channelDraws(ch, values);
  const L = ch.adstock?.maxLag ?? DEFAULT_MAX_LAG;
  const input = Float64Array.from(fit.data.input[ch.name], (v) => v / fit.scaling.spendScale[c]);
  const spend = fit.data.spend[ch.name].reduce((a, b) => a + b, 0);
  const w = new Float64Array(L);
  const a = new Float64Array(input.length);
  const sat = new Float64Array(input.length);
  const pa = new Float64Array(d.adstockParams.length);
  const ps = new Float64Array(d.saturationParams.length);
  return Float64Array.from({ length: S }, (_, s) => {
    for (let k = 0; k < pa.length; k++) pa[k] = d.adstockParams[k][s];
    for (let k = 0; k < ps.length; k++) ps[k] = d.saturationParams[k][s];
    adstockInto(a, input, d.adstock.weightsInto(w, pa, ch.adstock?.normalize ?? true));
    d.saturation.valueInto(sat, a, ps);
    let total = 0;
    for (let t = 0; t < sat.length; t++) total += sat[t];
    return spend > 0 ? (d.beta[s] * total * fit.scaling.yScale) / spend : 0;
  });
}

/** The central interval of `x` under normalised weights `w`, on the log scale: ln(upper) − ln(lower). @internal */
function weightedLogWidth(logX: Float64Array, order: Int32Array, w: Float64Array, mass: number): number {
  const lo = (1 - mass) / 2;
  const hi = 1 - lo;
  let cum = 0;
  let lower = Number.NaN;
  let upper = Number.NaN;
  for (let i = 0; i < order.length; i++) {
    const k = order[i];
    cum += w[k];
    if (Number.isNaN(lower) && cum >= lo) lower = logX[k];
    if (cum >= hi) {
      upper = logX[k];
      break;
    }
  }
  if (Number.isNaN(upper)) upper = logX[order[order.length - 1]];
  return upper - lower;
}

/** Geo fits: a set of geos (by default the channel's geos with spend) checked, and its spend per period now. @internal */
function geoSetOf(
  fit: ModelFit,
  geo: GeoTestModel | undefined,
  channel: string,
  geos: readonly string[] | undefined,
  field: string,
): { geos: string[]; now: number } | undefined {
  if (!geo) {
    if (geos !== undefined) throw new InvalidInputError(field, 'is given on a national fit', 'Drop geos, or design on a geo fit.');
    return undefined;
  }
  const all = fit.panel!.geos;
  const cells = geo.cells[channel];
  const set = geos ?? cells.map((cell) => all[cell.geo]);
  if (!Array.isArray(set) || set.length === 0) throw new InvalidInputError(field, 'is empty', 'Name the geos of the test.');
  set.forEach((g, i) => {
    if (!all.includes(g))
      throw new InvalidInputError(`${field}[${i}]`, `is "${g}", not a geo of the fit`, `Geos are ${all.slice(0, 6).join(', ')}, ….`);
    if (set.indexOf(g) !== i) throw new InvalidInputError(`${field}[${i}]`, `is "${g}" a second time`, 'Name each geo once.');
  });
  const now = cells.filter((cell) => set.includes(all[cell.geo])).reduce((a, cell) => a + cell.current, 0);
  return { geos: [...set], now };
}

/** The candidates given in the options, checked (channel, geos, spend, change, periods, sd). @internal */
function givenCandidates(
  candidates: readonly ExperimentCandidate[],
  current: Record<string, number>,
  known: (channel: string, field: string) => void,
  setOf: (channel: string, geos: readonly string[] | undefined, field: string) => { geos: string[]; now: number } | undefined,
): ExperimentCandidate[] {
  if (!Array.isArray(candidates) || candidates.length === 0)
    throw new InvalidInputError('options.candidates', 'is empty', 'Give at least one { channel, deltaX, periods }.');
  return candidates.map((cand, i) => {
    const field = `options.candidates[${i}]`;
    checkOptions(cand, optionKeys<ExperimentCandidate>({ channel: ANY, x: ANY, deltaX: ANY, periods: ANY, sd: ANY, geos: ANY }), field);
    known(cand.channel, `${field}.channel`);
    const set = setOf(cand.channel, cand.geos, `${field}.geos`);
    if (set && !(set.now > 0))
      throw new InvalidInputError(
        `${field}.geos`,
        `had no spend on ${cand.channel}`,
        'A test in geos changes the spend they had: choose geos with some.',
      );
    const x = cand.x ?? set?.now ?? current[cand.channel];
    if (!(Number.isFinite(x) && x >= 0)) throw new InvalidInputError(`${field}.x`, `is ${x}`, 'Give spend per period ≥ 0.');
    if (!(Number.isFinite(cand.deltaX) && x + cand.deltaX >= 0 && cand.deltaX !== 0))
      throw new InvalidInputError(`${field}.deltaX`, `is ${cand.deltaX}`, 'Give a change ≠ 0 that keeps x + deltaX ≥ 0.');
    if (!(Number.isInteger(cand.periods) && cand.periods >= 1))
      throw new InvalidInputError(`${field}.periods`, `is ${cand.periods}`, 'Give a whole number of periods ≥ 1.');
    if (cand.sd !== undefined && !(cand.sd > 0 && Number.isFinite(cand.sd)))
      throw new InvalidInputError(`${field}.sd`, `is ${cand.sd}`, 'Give the standard error of the total lift, > 0.');
    return { ...cand, x, ...(set ? { geos: set.geos } : {}) };
  });
}

/** The grid of candidate tests, or the given ones, checked. @internal */
function candidatesOf(
  fit: ModelFit,
  o: DesignExperimentsOptions,
  current: Record<string, number>,
  geo: GeoTestModel | undefined,
): ExperimentCandidate[] {
  const names = fit.spec.channels.map((c) => c.name);
  const tv = timeVaryingOf(fit);
  const rf = fit.spec.channels.filter((c) => c.reachFrequency).map((c) => c.name);
  const constant = names.filter((n) => !tv?.channels.includes(n) && !rf.includes(n));
  const known = (n: string, field: string) => {
    if (!names.includes(n)) throw new InvalidInputError(field, `is "${n}"`, `Channels are ${names.join(', ')}.`);
    if (rf.includes(n))
      throw new InvalidInputError(
        field,
        `is "${n}", a reach-and-frequency channel`,
        'Lift tests on reach-and-frequency channels are not supported yet (the model takes none): test another channel.',
      );
    if (!constant.includes(n))
      throw new InvalidInputError(
        field,
        `is "${n}", whose effect changes over time`,
        'Lift tests are not yet supported there: test another channel.',
      );
  };
  if (!geo && o.geoSets !== undefined) throw new InvalidParameterError('geoSets', 'given', 'geo fits only (this fit is national)');
  const setOf = (channel: string, geos: readonly string[] | undefined, field: string) => geoSetOf(fit, geo, channel, geos, field);
  if (o.candidates) return givenCandidates(o.candidates, current, known, setOf);
  const channels = o.channels ?? constant;
  channels.forEach((n, i) => known(n, `options.channels[${i}]`));
  const changes = o.spendChanges ?? [-1, -0.5, 0.5, 1];
  changes.forEach((r, i) => {
    if (!(Number.isFinite(r) && r >= -1 && r !== 0)) throw new InvalidParameterError(`spendChanges[${i}]`, r, '[−1, ∞) without 0');
  });
  const durations = o.durations ?? [4, 8, 12];
  durations.forEach((p, i) => {
    if (!(Number.isInteger(p) && p >= 1)) throw new InvalidParameterError(`durations[${i}]`, p, 'the integers ≥ 1');
  });
  const grid = (channel: string, x: number, geos?: string[]) =>
    changes.flatMap((r) => durations.map((periods) => ({ channel, x, deltaX: r * x, periods, ...(geos ? { geos } : {}) })));
  return channels.flatMap((channel) => {
    if (!(current[channel] > 0)) return [];
    if (!geo) return grid(channel, current[channel]);
    const sets = o.geoSets ?? defaultGeoSets(geo.cells[channel], fit.panel!);
    return sets.flatMap((geos, i) => {
      // a set without spend on this channel has nothing to change there
      const set = setOf(channel, geos, `options.geoSets[${i}]`)!;
      return set.now > 0 ? grid(channel, set.now, set.geos) : [];
    });
  });
}

/** z with Φ(z) = p, by bisection on Φ (p in (0.5, 1)). @internal */
function normalQuantileAbove(p: number): number {
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** The importance weights of an outcome y of a test whose lift under draw s is L_s (normalised), and their ESS. @internal */
function outcomeWeights(L: Float64Array, y: number, sd: number, w: Float64Array): number {
  let max = -Infinity;
  for (let s = 0; s < L.length; s++) {
    w[s] = -((y - L[s]) ** 2) / (2 * sd * sd);
    if (w[s] > max) max = w[s];
  }
  let sum = 0;
  for (let s = 0; s < L.length; s++) {
    w[s] = Math.exp(w[s] - max);
    sum += w[s];
  }
  let sq = 0;
  for (let s = 0; s < L.length; s++) {
    w[s] /= sum;
    sq += w[s] * w[s];
  }
  return 1 / sq;
}

/**
 * The narrowing of a log-ROAS interval by a test measuring L with sd, if log ROAS and L were jointly Gaussian:
 * sd before over sd after, var after = var − cov² / (var L + sd²). @internal
 */
function gaussianNarrowing(logR: Float64Array, L: Float64Array, sd: number): number {
  const n = L.length;
  let mx = 0;
  let ml = 0;
  for (let s = 0; s < n; s++) {
    mx += logR[s] / n;
    ml += L[s] / n;
  }
  let vx = 0;
  let vl = 0;
  let c = 0;
  for (let s = 0; s < n; s++) {
    vx += (logR[s] - mx) ** 2 / (n - 1);
    vl += (L[s] - ml) ** 2 / (n - 1);
    c += ((logR[s] - mx) * (L[s] - ml)) / (n - 1);
  }
  const after = Math.max(vx - (c * c) / (vl + sd * sd), 1e-12 * vx);
  return vx > 0 ? Math.sqrt(vx / after) : 1;
}

/** A channel's curves with each draw weighted (the mean over draws becomes the weighted mean). @internal */
function weighted(curve: DrawCurve, w: Float64Array): DrawCurve {
  const S = w.length;
  const scale = (out: Float64Array) => {
    for (let s = 0; s < S; s++) out[s] *= w[s] * S;
  };
  return {
    channel: curve.channel,
    draws: S,
    responseDraws: (x, out) => {
      curve.responseDraws(x, out);
      scale(out);
    },
    marginalDraws: (x, out) => {
      curve.marginalDraws(x, out);
      scale(out);
    },
  };
}

/**
 * Each tested channel's log ROAS per draw, the draws' order by it, its interval's log-width now and its ROAS
 * summary. @internal
 */
function logRoasOf(
  fit: ModelFit,
  candidates: readonly ExperimentCandidate[],
  S: number,
  roasOf: (c: number) => Float64Array,
): Record<string, { x: Float64Array; order: Int32Array; width: number; roas: Estimate }> {
  const names = fit.spec.channels.map((c) => c.name);
  const mass = fit.settings.interval;
  const uniform = new Float64Array(S).fill(1 / S);
  const out: Record<string, { x: Float64Array; order: Int32Array; width: number; roas: Estimate }> = {};
  for (const cand of candidates) {
    if (out[cand.channel]) continue;
    const r = roasOf(names.indexOf(cand.channel));
    const floor = 1e-12 * Math.max(...r.map(Math.abs), 1e-300);
    const x = r.map((v) => Math.log(Math.max(v, floor)));
    const order = Int32Array.from({ length: S }, (_, s) => s).sort((a, b) => x[a] - x[b]);
    out[cand.channel] = { x, order, width: weightedLogWidth(x, order, uniform, mass), roas: estimate(r, mass) };
  }
  return out;
}

/** The warning of a design some of whose outcomes were judged by the Gaussian approximation. @internal */
function fallbackWarning(fallbacks: number, M: number, minEss: number, medianEss: number, S: number): string {
  return (
    `${fallbacks} of ${M} simulated outcomes left fewer than ${minEss} effective draws (median ${Math.round(medianEss)} of ${S}): ` +
    'for those the narrowing is the linear-Gaussian approximation. Judge it by refitting instead (refitExperiment), or use ' +
    'more draws.'
  );
}

/** What a design's figures assume, in words. @internal */
function notesOf(sigma: number, sd: number | undefined, geo: boolean): string[] {
  const geoNote =
    "A test in a set of geos changes each geo's spend in proportion to its spend on the channel in the data; its lift is " +
    "the sum over those geos, read off each geo's curve.";
  let sdNote: string;
  if (sd !== undefined) sdNote = `Each test's standard error is the one given (${sd}) unless a candidate has its own.`;
  else if (geo)
    sdNote =
      "Unless given, a test's standard error is the model's noise in its geos over its periods, ȳ·√(periods·Σ_g (pop_g·σ_g)²) " +
      `(root mean square per geo-period ${sigma.toPrecision(3)}): a geo split read against control geos may measure more ` +
      'precisely (give its sd).';
  else
    sdNote =
      `Unless given, a test's standard error is the model's noise over its periods (σ·√periods, σ = ${sigma.toPrecision(3)}): ` +
      "a test read against the model's own forecast; a geo-split test usually measures more precisely (give its sd).";
  return [
    ...(geo ? [geoNote] : []),
    "A test's lift is read at steady state: periods × the change of the channel's response per period when spend moves " +
      'from x to x + deltaX.',
    sdNote,
    'The value of information is for the budget per period at the current total, each channel within ±50% of its current spend.',
  ];
}

/** The options of {@link designExperiments} that need more than their shape checked, with their defaults. @internal */
function checkDesign(options: DesignExperimentsOptions): { M: number; maxDraws: number; voi: number; minEss: number } {
  const M = options.outcomes ?? 200;
  if (!(Number.isInteger(M) && M >= 10)) throw new InvalidParameterError('outcomes', M, 'the integers ≥ 10');
  const maxDraws = options.maxDraws ?? 4000;
  if (!(Number.isInteger(maxDraws) && maxDraws >= 50)) throw new InvalidParameterError('maxDraws', maxDraws, 'the integers ≥ 50');
  const voi = options.valueOfInformation ?? 5;
  if (!(Number.isInteger(voi) && voi >= 0)) throw new InvalidParameterError('valueOfInformation', voi, 'the integers ≥ 0');
  if (options.sd !== undefined && !(options.sd > 0 && Number.isFinite(options.sd)))
    throw new InvalidParameterError('sd', options.sd, '(0, ∞)');
  const minEss = options.minEss ?? 50;
  if (!(minEss > 0)) throw new InvalidParameterError('minEss', minEss, '(0, ∞)');
  return { M, maxDraws, voi, minEss };
}

/**
 * Which lift test to run next: per candidate test (by default a grid per channel: going dark, −50%, +50% and +100% of
 * its average spend per period, for 4, 8 and 12 periods), the lift it should measure, its power, how much it should
 * narrow the channel's ROAS interval and (for the best few) how much it should improve the budget, all predicted from
 * the fit's draws before the test is run.
 * @remarks
 * Preposterior analysis: an outcome is simulated from a draw s* as L_{s*} + sd·ε, L_s = periods × the steady-state
 * change of the channel's response under draw s (normalised adstock: a sustained input is its own adstock, as a
 * steady-state lift test reads it); the draws are weighted by the outcome's likelihood, Normal(y; L_s, sd); the ROAS
 * interval under the weights is compared with the interval now; averaged over outcomes. The weights' effective sample
 * size is reported, and a warning when it is small (a test that would teach much more than the draws can show: refit
 * with a simulated lift test to check). The value of information is E_y[max_a E_w R(a) − E_w R(a₀)], a₀ the budget
 * optimised now (the current total per period, each channel within ±50% of its current spend), R the steady-state
 * response per period. On a geo fit every test runs in a set of geos (by default all of a channel's geos with spend, and
every other one of them by spend), its spend split over them by their spend on the channel, its lift summed over their
curves; the ROAS it narrows is the national one. Channels whose effect changes over time cannot take lift tests yet.
 * @example
 * const { designs } = designExperiments(fit);
 * designs[0];   // { channel: 'tv', deltaX: -40_000, periods: 8, expectedNarrowing: 1.6, power: 0.9, … }
 * const test = toLiftTest(designs[0], measuredLift);   // after running it: an entry for liftTests
 */
export function designExperiments(fit: ModelFit, options: DesignExperimentsOptions = {}): ExperimentDesigns {
  checkOptions(options, DESIGN_SHAPE, 'options');
  const { M, maxDraws, voi, minEss } = checkDesign(options);
  const { S, values } = thinnedDraws(fit, maxDraws);
  const current = spendPerPeriod(fit);
  const tests = testModel(fit, S, values);
  const candidates = candidatesOf(fit, options, current, tests.geo);
  const mass = fit.settings.interval;
  const z = normalQuantileAbove(1 - (1 - mass) / 2);
  const logRoas = logRoasOf(fit, candidates, S, tests.roas);
  const rng = createRng(options.seed ?? 1, 11);
  const w = new Float64Array(S);
  const { liftOf } = tests;
  const designs: ExperimentDesign[] = candidates.map((cand) => {
    const L = liftOf(cand);
    const sd = cand.sd ?? options.sd ?? tests.sdOf(cand);
    let power = 0;
    for (let s = 0; s < S; s++) power += normalCdf(L[s] / sd - z) + normalCdf(-L[s] / sd - z);
    const { x, order, width } = logRoas[cand.channel];
    // where an outcome leaves too few draws with weight, the linear-Gaussian update of log ROAS on the lift instead:
    // var after = var before − cov(log ROAS, L)² / (var L + sd²), whatever the outcome
    const gaussian = gaussianNarrowing(x, L, sd);
    const ratios = new Float64Array(M);
    const ess = new Float64Array(M);
    let fallbacks = 0;
    for (let m = 0; m < M; m++) {
      const y = L[Math.min(S - 1, Math.floor(rng.uniform() * S))] + sd * rng.normal();
      ess[m] = outcomeWeights(L, y, sd, w);
      if (ess[m] >= minEss) ratios[m] = width / weightedLogWidth(x, order, w, mass);
      else {
        ratios[m] = gaussian;
        fallbacks++;
      }
    }
    const sorted = Float64Array.from(ratios).sort();
    const medianEss = Float64Array.from(ess).sort()[Math.floor(M / 2)];
    const design: ExperimentDesign = {
      channel: cand.channel,
      ...(cand.geos ? { geos: [...cand.geos] } : {}),
      x: cand.x!,
      deltaX: cand.deltaX,
      periods: cand.periods,
      sd,
      expectedLift: estimate(L, mass),
      expectedNarrowing: Math.exp(ratios.reduce((a, b) => a + Math.log(b), 0) / M),
      meanNarrowing: ratios.reduce((a, b) => a + b, 0) / M,
      medianNarrowing: sorted[Math.floor(M / 2)],
      narrowingRange: [sorted[Math.floor(0.1 * (M - 1))], sorted[Math.ceil(0.9 * (M - 1))]],
      power: power / S,
      importanceEss: medianEss,
    };
    if (fallbacks > 0) design.warning = fallbackWarning(fallbacks, M, minEss, medianEss, S);
    return design;
  });
  // best first by the narrowing the test gives in 9 outcomes of 10 (its 10% quantile): a test whose lesson depends
  // less on what it finds ranks above one that might teach more
  designs.sort((a, b) => b.narrowingRange[0] - a.narrowingRange[0] || b.expectedNarrowing - a.expectedNarrowing);
  if (voi > 0) valueOfInformation(designs.slice(0, voi), tests.curves, current, liftOf, rng, Math.min(M, 40));
  return {
    designs,
    draws: S,
    roas: Object.fromEntries(Object.entries(logRoas).map(([c, v]) => [c, v.roas])),
    notes: notesOf(tests.sigma, options.sd, tests.geo !== undefined),
  };
}

/** How a fit's tests read, per draw: a test's lift, its default standard error, each channel's ROAS, the budget curves. @internal */
export interface TestModel {
  liftOf(cand: Pick<ExperimentCandidate, 'channel' | 'x' | 'deltaX' | 'periods' | 'geos'>): Float64Array;
  sdOf(cand: Pick<ExperimentCandidate, 'periods' | 'geos'>): number;
  roas(c: number): Float64Array;
  curves: DrawCurve[];
  /** the model's noise per period in target units (national; a geo fit's root mean square over geos of pop_g·σ_g·ȳ) */
  sigma: number;
  geo?: GeoTestModel;
}

/** A national fit's tests read off its steady-state curves; a geo fit's in the cells of their geos. @internal */
export function testModel(fit: ModelFit, S: number, values: (name: string) => number[]): TestModel {
  if (fit.panel) {
    const geo = geoTestModel(fit, fit.panel, S, values);
    const all = fit.panel.geos;
    return {
      liftOf: (cand) => geo.lift({ ...cand, x: cand.x!, geos: cand.geos ?? all }),
      sdOf: (cand) => geo.sd(cand.geos ?? all, cand.periods),
      roas: geo.roas,
      curves: geo.curves,
      sigma: geo.sd(all, 1) / Math.sqrt(all.length),
      geo,
    };
  }
  const names = fit.spec.channels.map((c) => c.name);
  const curves = nationalCurves(fit, S, values, undefined);
  const sigmaDraws = values('sigma');
  const sigma = (sigmaDraws.reduce((a, b) => a + b, 0) / sigmaDraws.length) * fit.scaling.yScale;
  const hi = new Float64Array(S);
  const lo = new Float64Array(S);
  return {
    liftOf: (cand) => {
      const c = names.indexOf(cand.channel);
      curves[c].responseDraws(cand.x! + cand.deltaX, hi);
      curves[c].responseDraws(cand.x!, lo);
      return Float64Array.from(hi, (v, s) => cand.periods * (v - lo[s]));
    },
    sdOf: (cand) => sigma * Math.sqrt(cand.periods),
    roas: (c) => roasDraws(fit, c, S, values),
    curves,
    sigma,
  };
}

/** E_y[max_a E_w R(a) − E_w R(a₀)] for each design, over `M` simulated outcomes. @internal */
function valueOfInformation(
  designs: ExperimentDesign[],
  curves: DrawCurve[],
  current: Record<string, number>,
  liftOf: (c: ExperimentCandidate) => Float64Array,
  rng: ReturnType<typeof createRng>,
  M: number,
): void {
  const S = curves[0].draws;
  const totalBudget = Object.values(current).reduce((a, b) => a + b, 0);
  const now = allocateBudget({ curves, totalBudget, current, relativeBounds: 0.5 });
  const w = new Float64Array(S);
  const buf = new Float64Array(S);
  for (const d of designs) {
    const L = liftOf(d);
    let gain = 0;
    for (let m = 0; m < M; m++) {
      const y = L[Math.min(S - 1, Math.floor(rng.uniform() * S))] + d.sd * rng.normal();
      outcomeWeights(L, y, d.sd, w);
      const cw = curves.map((c) => weighted(c, w));
      const best = allocateBudget({ curves: cw, totalBudget, current, relativeBounds: 0.5 });
      let before = 0;
      cw.forEach((c) => {
        c.responseDraws(now.allocation[c.channel], buf);
        for (let s = 0; s < S; s++) before += buf[s] / S;
      });
      gain += Math.max(0, best.expectedResponse - before);
    }
    d.valueOfInformation = gain / M;
  }
}

/** What {@link predictTestResult} returns. */
export interface TestResultPrediction {
  /** the channel's ROAS after the test, from the fit's draws weighted by the result's likelihood */
  roas: Estimate;
  /** the ROAS interval's log-width now over after */
  narrowing: number;
  /** the weights' effective sample size (of the draws used) */
  ess: number;
}

/**
 * What a test's result would do to the channel's ROAS, without refitting: the fit's draws weighted by the likelihood
 * of the measured total lift (importance weights, as {@link designExperiments} averages over outcomes). With few
 * effective draws (`ess`), check by refitting with {@link toLiftTest}.
 */
export function predictTestResult(
  fit: ModelFit,
  design: Pick<ExperimentDesign, 'channel' | 'x' | 'deltaX' | 'periods' | 'sd' | 'geos'>,
  measuredLift: number,
  options: { maxDraws?: number } = {},
): TestResultPrediction {
  checkOptions(options, optionKeys<{ maxDraws?: number }>({ maxDraws: ANY }), 'options');
  if (!Number.isFinite(measuredLift))
    throw new InvalidInputError('measuredLift', `is ${measuredLift}`, 'Give the total lift the test measured, a finite number.');
  const names = fit.spec.channels.map((c) => c.name);
  const c = names.indexOf(design.channel);
  if (c < 0) throw new InvalidInputError('design.channel', `is "${design.channel}"`, `Channels are ${names.join(', ')}.`);
  if (fit.spec.channels[c].reachFrequency)
    throw new InvalidInputError(
      'design.channel',
      `is "${design.channel}", a reach-and-frequency channel`,
      'Lift tests are not supported there yet.',
    );
  if (design.geos !== undefined && !fit.panel)
    throw new InvalidInputError('design.geos', 'is given on a national fit', 'Drop geos, or predict with the geo fit.');
  const { S, values } = thinnedDraws(fit, options.maxDraws ?? 4000);
  const tests = testModel(fit, S, values);
  const L = tests.liftOf(design);
  const w = new Float64Array(S);
  const ess = outcomeWeights(L, measuredLift, design.sd, w);
  const r = tests.roas(c);
  const mass = fit.settings.interval;
  const order = Int32Array.from({ length: S }, (_, s) => s).sort((a, b) => r[a] - r[b]);
  const q = (p: number) => {
    let cum = 0;
    for (let i = 0; i < S; i++) {
      cum += w[order[i]];
      if (cum >= p) return r[order[i]];
    }
    return r[order[S - 1]];
  };
  let mean = 0;
  for (let s = 0; s < S; s++) mean += w[s] * r[s];
  const after = { mean, median: q(0.5), lower: q((1 - mass) / 2), upper: q(1 - (1 - mass) / 2) };
  const before = estimate(r, mass);
  return { roas: after, narrowing: Math.log(before.upper / before.lower) / Math.log(after.upper / after.lower), ess };
}

/**
 * The entry for `liftTests` a design's result becomes: the measured total lift and the design's standard error, per
 * period, at the design's spend (a steady-state test).
 * @example
 * const refit = await fitMMM(rows, { ...options, liftTests: [toLiftTest(designs[0], 52_000)] });
 */
export function toLiftTest(design: ExperimentDesign, measuredLift: number): SteadyLiftTest {
  if (!Number.isFinite(measuredLift))
    throw new InvalidInputError('measuredLift', `is ${measuredLift}`, 'Give the total lift the test measured, a finite number.');
  return {
    channel: design.channel,
    x: design.x,
    deltaX: design.deltaX,
    lift: measuredLift / design.periods,
    sd: design.sd / design.periods,
    ...(design.geos ? { geos: [...design.geos] } : {}),
  };
}
