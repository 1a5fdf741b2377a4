import { DimensionMismatchError, InvalidInputError, assertAllFinite } from '@mmm/core';
import { fourierFeatures, maxAbsScale, meanScale, standardize } from '@mmm/transforms';
import type { ModelSpec } from './spec.js';

/** The model's inputs on its own scales (see `prepareModelData`). */
/**
 * Where a model's rows sit in the periods a time-varying fit was fitted on: the first row is fitted period `start`
 * (0-based; may lie past the fit) of `periods` fitted periods per geo. Absent, the rows are the fitted periods.
 */
export interface PeriodFrame {
  start: number;
  periods: number;
}

export interface ModelData {
  /** periods */
  n: number;
  /** per channel, spend / max spend (a reach-and-frequency channel's reach, scaled the same way) */
  spend: Float64Array[];
  /**
   * per channel: a reach-and-frequency channel's average frequency per period (impressions / reach, not scaled; 0 where
   * the reach is 0), undefined for the others; absent when the model has no such channel
   */
  frequency?: Array<Float64Array | undefined>;
  /** per control, standardised */
  controls: Float64Array[];
  /** per organic channel of `spec.organic`, its exposures scaled as spend is (absent without organic media) */
  organic?: Float64Array[];
  /** per treatment of `spec.treatments`, (x − min)/(max − min) over the fitted rows (absent without treatments) */
  treatments?: Float64Array[];
  /** y / mean(y) */
  y: Float64Array;
  /** (t − 1)/periodsPerYear */
  time: Float64Array;
  /** n × fourierColumns, row-major: sin₁, cos₁, … */
  fourier: Float64Array;
  fourierColumns: number;
  /**
   * A geo panel, flattened geo-major (index g·periods + t): every series above has n = count × periods elements. A
   * national model has none.
   */
  geos?: { count: number; periods: number; population?: Float64Array; names?: string[] };
  /**
   * each channel's total spend over the periods (all geos) in units of the target's scale (ROAS = contribution in
   * those units / this); a geo panel's contribution is per capita, weighted by `geos.population`
   */
  spendPerTarget?: Float64Array;
  /** lift-test measurements on the model's scales (per capita in a geo panel) */
  liftTests?: LiftTestData[];
  /**
   * rows other than the fitted periods (a prediction): where they sit in the fit's periods, so that effects that change
   * over time read the fit's multiplier of those periods (held at its last value past the fit)
   */
  frame?: PeriodFrame;
}

/**
 * A lift test on the model's scales: in periods [start, end] (inclusive indices) the channel's input was raised by
 * `delta` per period (scaled input units) on top of the data, and the target moved by `lift` in total (units of
 * mean y), with standard error `sd`.
 */
export interface LiftTestData {
  channel: number;
  start: number;
  end: number;
  delta: number;
  lift: number;
  sd: number;
  /**
   * a steady-state test instead (PyMC-Marketing's convention): at input `x` per period (scaled) a change of `dx` per
   * period moved the target by `lift` per period; the window fields are unused
   */
  steady?: { x: number; dx: number };
  /** geo panels: the geo the test ran in (index); its window is that geo's periods */
  geo?: number;
  /**
   * geo panels, a steady-state test in a set of geos: per geo its index, its input per period and change (per capita,
   * scaled) and its population; `lift` and `sd` are then the total over the geos per period (units of mean per-capita
   * y times people), implied Σ_g pop_g·β_g·(s(x_g + dx_g) − s(x_g))
   */
  geoSet?: { geo: readonly number[]; x: readonly number[]; dx: readonly number[]; population: readonly number[] };
}

/**
 * A lift test in the data's units: in periods `start` … `end` (inclusive indices of the series) the channel's model
 * input was raised by `inputChange` in total, spread evenly (negative for a hold-out), which changed the target by
 * `lift` in total, with standard error `sd`.
 */
export type RawLiftTest = RawWindowLiftTest | RawSteadyLiftTest | RawGeoLiftTest;

/** A lift test over a window of the data (see {@link RawLiftTest}). */
export interface RawWindowLiftTest {
  channel: string;
  start: number;
  end: number;
  inputChange: number;
  lift: number;
  sd: number;
  /** geo panels: the index of the geo the test ran in (required there); periods are that geo's */
  geo?: number;
}

/**
 * A steady-state lift test, PyMC-Marketing's convention (`add_lift_test_measurements`): at a sustained input of `x` per
 * period, `dx` more per period moved the target by `lift` per period (sd `sd`), read off the saturation curve of the
 * per-period input (with normalised adstock weights the steady-state adstocked input is the input itself).
 */
export interface RawSteadyLiftTest {
  channel: string;
  x: number;
  dx: number;
  lift: number;
  sd: number;
}

/**
 * A steady-state lift test in a set of geos of a panel (a geo-split test): each geo of the test held `x` per period of
 * the channel's input (the geo's own, not per capita) and changed it by `dx` per period; the target of those geos
 * together moved by `lift` per period, with standard error `sd`.
 */
export interface RawGeoLiftTest {
  channel: string;
  geos: ReadonlyArray<{ geo: number; x: number; dx: number }>;
  lift: number;
  sd: number;
}

/** The constants that map the model's scales back to the data's. */
export interface Scaling {
  /** national: mean y; geo: mean per-capita y over all geo-periods */
  yScale: number;
  /** national: each channel's maximum; geo: its mean per-capita spend over the geo-periods with spend */
  spendScale: number[];
  controlCenter: number[];
  controlScale: number[];
  /** organic media: each one's scale, as `spendScale` */
  organicScale?: number[];
  /** treatments: each one's smallest value and range (max − min) over the fitted rows */
  treatmentMin?: number[];
  treatmentScale?: number[];
  /** geo: each geo's population (per-capita scaling; all 1 when none was given) */
  population?: number[];
}

/**
 * Raw model inputs: the target, spend per channel and controls per name, all of the same length. For a geo panel,
 * `geo` gives its shape and populations and every series is flattened geo-major (index g·periods + t).
 */
export interface RawModelData {
  y: ArrayLike<number>;
  spend: Readonly<Record<string, ArrayLike<number>>>;
  controls?: Readonly<Record<string, ArrayLike<number>>>;
  /** the panel's shape, populations and (optionally) geo names, which `spec.unpooled.geos` refers to */
  geo?: { count: number; periods: number; population: ArrayLike<number>; names?: readonly string[] };
  /**
   * reach-and-frequency channels (`ChannelSpec.reachFrequency`): each one's average frequency per period, as long as
   * its reach in `spend`; ≥ 1 where the reach is positive
   */
  frequency?: Readonly<Record<string, ArrayLike<number>>>;
  /** organic media's exposures by name (`spec.organic`) */
  organic?: Readonly<Record<string, ArrayLike<number>>>;
  /** non-media treatments' series by name (`spec.treatments`) */
  treatments?: Readonly<Record<string, ArrayLike<number>>>;
  /** each channel's total spend, when the model's input is exposures (ROAS priors are on spend); default Σ of `spend` */
  spendTotals?: Readonly<Record<string, number>>;
  /** lift-test measurements (national data) */
  liftTests?: ReadonlyArray<RawLiftTest>;
}

/**
 * Scales raw data as the reference model does: y by its mean, each channel by its maximum, controls standardised;
 * builds the trend's time axis and the Fourier features.
 */
export function prepareModelData(spec: ModelSpec, raw: RawModelData): { data: ModelData; scaling: Scaling } {
  if (raw.geo) return prepareGeoData(spec, raw, raw.geo);
  const n = raw.y.length;
  if (n === 0) throw new InvalidInputError('y', 'is empty', 'Pass at least one period.');
  assertAllFinite('y', raw.y);
  const y = meanScale(raw.y, 'y');
  const spend: Float64Array[] = [];
  const spendScale: number[] = [];
  for (const ch of spec.channels) {
    const x = raw.spend[ch.name];
    if (!x) throw new InvalidInputError(`spend.${ch.name}`, 'is missing', `Give a spend series for every channel of the spec.`);
    if (x.length !== n) throw new DimensionMismatchError(`spend.${ch.name}`, n, x.length);
    for (let i = 0; i < n; i++)
      if (x[i] < 0)
        throw new InvalidInputError(`spend.${ch.name}[${i}]`, `is ${x[i]}`, 'Spend must be ≥ 0; look for refunds booked as spend.');
    const s = maxAbsScale(x, `spend.${ch.name}`);
    spend.push(s.scaled);
    spendScale.push(s.scale);
  }
  const { controls, controlCenter, controlScale } = standardizedControls(spec, raw, n);
  const ppy = spec.periodsPerYear ?? 52;
  const time = Float64Array.from({ length: n }, (_, t) => t / ppy);
  const season = spec.seasonality === null ? null : { order: spec.seasonality?.order ?? 2, period: spec.seasonality?.period ?? 365.25 / 7 };
  const f = season
    ? fourierFeatures(
        Float64Array.from({ length: n }, (_, t) => t),
        season,
      )
    : { values: new Float64Array(0), columns: 0 };
  const spendPerTarget = Float64Array.from(spec.channels, (ch) => {
    let total = raw.spendTotals?.[ch.name] ?? 0;
    if (raw.spendTotals?.[ch.name] === undefined) for (let i = 0; i < n; i++) total += raw.spend[ch.name][i];
    if (!(total >= 0 && Number.isFinite(total)))
      throw new InvalidInputError(`spendTotals.${ch.name}`, `is ${total}`, 'Give each channel its total spend, a number ≥ 0.');
    return total / y.scale;
  });
  const liftTests = (raw.liftTests ?? []).map((lt, k) => scaleLiftTest(spec, lt, k, n, spendScale, y.scale));
  const frequency = frequenciesOf(spec, raw, spend);
  const extra = organicAndTreatments(spec, raw, n);
  return {
    data: {
      n,
      spend,
      ...(frequency ? { frequency } : {}),
      ...extra.data,
      controls,
      y: y.scaled,
      time,
      fourier: f.values,
      fourierColumns: f.columns,
      spendPerTarget,
      ...(liftTests.length ? { liftTests } : {}),
    },
    scaling: { yScale: y.scale, spendScale, controlCenter, controlScale, ...extra.scaling },
  };
}

/** A lift test checked and put on the model's scales. @internal */
function scaleLiftTest(
  spec: ModelSpec,
  lt: RawLiftTest,
  k: number,
  n: number,
  spendScale: number[],
  yScale: number,
  geo?: { count: number; population: number[] },
): LiftTestData {
  const field = `liftTests[${k}]`;
  const channel = spec.channels.findIndex((c) => c.name === lt.channel);
  if (channel < 0)
    throw new InvalidInputError(
      `${field}.channel`,
      `is "${lt.channel}", not a channel of the model`,
      `Channels are ${spec.channels.map((c) => c.name).join(', ')}.`,
    );
  if (!(lt.sd > 0 && Number.isFinite(lt.sd)))
    throw new InvalidInputError(`${field}.sd`, `is ${lt.sd}`, 'Give the standard error of the measured lift, a number > 0.');
  if ('geos' in lt) return scaleGeoLiftTest(lt, field, channel, spendScale[channel], yScale, geo);
  if (geo) {
    if ('x' in lt)
      throw new InvalidInputError(
        `${field}.x`,
        'is a steady-state test on a geo panel',
        'Give geo tests as windows ({ channel, geo, start, end, inputChange, lift, sd }) or in a set of geos ' +
          '({ channel, geos, lift, sd }).',
      );
    if (!(Number.isInteger(lt.geo) && lt.geo! >= 0 && lt.geo! < geo.count))
      throw new InvalidInputError(`${field}.geo`, `is ${String(lt.geo)}`, `Name the geo the test ran in (0 … ${geo.count - 1}).`);
    const pop = geo.population[lt.geo!];
    const w = scaleLiftTest(spec, { ...lt, geo: undefined }, k, n, spendScale, yScale);
    // per capita of the test's geo
    return { ...w, delta: w.delta / pop, lift: w.lift / pop, sd: w.sd / pop, geo: lt.geo };
  }
  if ('x' in lt) {
    if (!(lt.x >= 0 && Number.isFinite(lt.x)))
      throw new InvalidInputError(`${field}.x`, `is ${lt.x}`, 'Give the input per period at which the test ran, a number ≥ 0.');
    if (!(Number.isFinite(lt.dx) && lt.x + lt.dx >= 0))
      throw new InvalidInputError(`${field}.dx`, `is ${lt.dx}`, 'Give the change per period, with x + dx ≥ 0.');
    if (!Number.isFinite(lt.lift)) throw new InvalidInputError(`${field}.lift`, `is ${lt.lift}`, 'Give a finite number.');
    return {
      channel,
      start: 0,
      end: 0,
      delta: 0,
      lift: lt.lift / yScale,
      sd: lt.sd / yScale,
      steady: { x: lt.x / spendScale[channel], dx: lt.dx / spendScale[channel] },
    };
  }
  if (!(Number.isInteger(lt.start) && Number.isInteger(lt.end) && lt.start >= 0 && lt.end < n))
    throw new InvalidInputError(`${field}.start`, `is periods ${lt.start} … ${lt.end} of 0 … ${n - 1}`, 'Give a window inside the data.');
  if (lt.end < lt.start) throw new InvalidInputError(`${field}.end`, `is before start (${lt.end} < ${lt.start})`, 'Give end ≥ start.');
  for (const key of ['inputChange', 'lift'] as const)
    if (!Number.isFinite(lt[key])) throw new InvalidInputError(`${field}.${key}`, `is ${lt[key]}`, 'Give a finite number.');
  const periods = lt.end - lt.start + 1;
  return {
    channel,
    start: lt.start,
    end: lt.end,
    delta: lt.inputChange / periods / spendScale[channel],
    lift: lt.lift / yScale,
    sd: lt.sd / yScale,
  };
}

/** A steady-state test in a set of geos, checked and put on the model's scales (per capita of each geo). @internal */
function scaleGeoLiftTest(
  lt: RawGeoLiftTest,
  field: string,
  channel: number,
  spendScale: number,
  yScale: number,
  geo?: { count: number; population: number[] },
): LiftTestData {
  if (!geo) throw new InvalidInputError(`${field}.geos`, 'is given on a national model', 'Drop geos, or fit the geo panel.');
  if (!Array.isArray(lt.geos) || lt.geos.length === 0)
    throw new InvalidInputError(`${field}.geos`, 'is empty', 'Give each geo of the test as { geo, x, dx }.');
  if (!Number.isFinite(lt.lift)) throw new InvalidInputError(`${field}.lift`, `is ${lt.lift}`, 'Give a finite number.');
  const seen = new Set<number>();
  const set = { geo: [] as number[], x: [] as number[], dx: [] as number[], population: [] as number[] };
  lt.geos.forEach((e, i) => {
    const at = `${field}.geos[${i}]`;
    if (!(Number.isInteger(e?.geo) && e.geo >= 0 && e.geo < geo.count))
      throw new InvalidInputError(`${at}.geo`, `is ${String(e?.geo)}`, `Name a geo of the panel (0 … ${geo.count - 1}).`);
    if (seen.has(e.geo)) throw new InvalidInputError(`${at}.geo`, `is ${e.geo} a second time`, 'Name each geo of the test once.');
    seen.add(e.geo);
    if (!(Number.isFinite(e.x) && e.x >= 0))
      throw new InvalidInputError(`${at}.x`, `is ${e.x}`, "Give the geo's input per period during the test, a number ≥ 0.");
    if (!(Number.isFinite(e.dx) && e.x + e.dx >= 0))
      throw new InvalidInputError(`${at}.dx`, `is ${e.dx}`, 'Give the change per period, with x + dx ≥ 0.');
    const pop = geo.population[e.geo];
    set.geo.push(e.geo);
    set.x.push(e.x / pop / spendScale);
    set.dx.push(e.dx / pop / spendScale);
    set.population.push(pop);
  });
  return { channel, start: 0, end: 0, delta: 0, lift: lt.lift / yScale, sd: lt.sd / yScale, geoSet: set };
}

/**
 * Puts new data on a fitted model's scales (spend by the fit's channel maxima, controls by its centres and sds),
 * with the time axis continuing from period `startIndex` of the fit, so that predictions use the fit's units. With
 * `raw.geo` the data are a geo panel (flattened geo-major) and spend is divided by each geo's population first. Give
 * `fittedPeriods` (the fit's periods per geo) when the rows are not the fitted periods, so that time-varying effects
 * read the fit's multiplier (`ModelData.frame`).
 */
export function applyScaling(
  spec: ModelSpec,
  raw: Omit<RawModelData, 'y'>,
  scaling: Scaling,
  startIndex: number,
  fittedPeriods?: number,
): ModelData {
  const first = spec.channels[0];
  const n = raw.spend[first?.name ?? '']?.length ?? 0;
  if (n === 0) throw new InvalidInputError('spend', 'is empty', 'Pass at least one period.');
  // a geo panel: spend per capita of its geo, periods counted within each geo
  const geo = raw.geo;
  if (geo && (geo.count * geo.periods !== n || geo.population.length !== geo.count))
    throw new DimensionMismatchError('geo', `${geo.count} geos × ${geo.periods} periods`, n);
  const T = geo ? geo.periods : n;
  const perCapita = (i: number) => (geo ? geo.population[Math.floor(i / T)] : 1);
  const spend = spec.channels.map((ch, c) => {
    const x = raw.spend[ch.name];
    if (!x) throw new InvalidInputError(`spend.${ch.name}`, 'is missing', 'Give a spend series for every channel of the spec.');
    if (x.length !== n) throw new DimensionMismatchError(`spend.${ch.name}`, n, x.length);
    assertAllFinite(`spend.${ch.name}`, x);
    return Float64Array.from(x, (v, i) => v / perCapita(i) / scaling.spendScale[c]);
  });
  const controls = (spec.controls ?? []).map((name, j) => {
    const z = raw.controls?.[name];
    if (!z) throw new InvalidInputError(`controls.${name}`, 'is missing', 'Give a series for every control of the spec.');
    if (z.length !== n) throw new DimensionMismatchError(`controls.${name}`, n, z.length);
    assertAllFinite(`controls.${name}`, z);
    return Float64Array.from(z, (v) => (v - scaling.controlCenter[j]) / scaling.controlScale[j]);
  });
  const ppy = spec.periodsPerYear ?? 52;
  const period = Float64Array.from({ length: n }, (_, i) => startIndex + (i % T));
  const time = period.map((t) => t / ppy);
  const season = spec.seasonality === null ? null : { order: spec.seasonality?.order ?? 2, period: spec.seasonality?.period ?? 365.25 / 7 };
  const f = season ? fourierFeatures(period, season) : { values: new Float64Array(0), columns: 0 };
  const frequency = frequenciesOf(spec, raw, spend);
  const extra = organicAndTreatments(spec, raw, n, geo ? { T, pop: Array.from(geo.population) } : undefined, scaling);
  return {
    n,
    spend,
    ...(frequency ? { frequency } : {}),
    ...extra.data,
    controls,
    y: new Float64Array(n),
    time,
    fourier: f.values,
    fourierColumns: f.columns,
    ...(geo ? { geos: { count: geo.count, periods: T, ...(geo.names ? { names: [...geo.names] } : {}) } } : {}),
    ...(fittedPeriods !== undefined ? { frame: { start: startIndex, periods: fittedPeriods } } : {}),
  };
}

/**
 * A geo panel on the geo model's scales (as `mmm_geo.stan`): per-capita target over its mean across all
 * geo-periods; per-capita spend over each channel's mean per-capita spend in the geo-periods with spend; controls
 * standardised over all geo-periods; the time axis and Fourier features of the period index, repeated per geo. @internal
 */
function prepareGeoData(spec: ModelSpec, raw: RawModelData, geo: NonNullable<RawModelData['geo']>): { data: ModelData; scaling: Scaling } {
  const { count: G, periods: T } = geo;
  const n = G * T;
  if (!(Number.isInteger(G) && G >= 1 && Number.isInteger(T) && T >= 1))
    throw new InvalidInputError('geo', `is ${G} geos × ${T} periods`, 'Give whole numbers ≥ 1.');
  if (raw.y.length !== n) throw new DimensionMismatchError('y', n, raw.y.length);
  if (geo.population.length !== G) throw new DimensionMismatchError('geo.population', G, geo.population.length);
  if (geo.names && geo.names.length !== G) throw new DimensionMismatchError('geo.names', G, geo.names.length);
  assertAllFinite('y', raw.y);
  const pop = Array.from(geo.population);
  pop.forEach((p, g) => {
    if (!(p > 0 && Number.isFinite(p)))
      throw new InvalidInputError(`geo.population[${g}]`, `is ${p}`, 'Populations must be finite and > 0.');
  });
  let yScale = 0;
  for (let i = 0; i < n; i++) yScale += raw.y[i] / pop[Math.floor(i / T)];
  yScale /= n;
  if (!(yScale > 0)) throw new InvalidInputError('y', 'has no positive mean', 'The target must be positive on average.');
  const y = Float64Array.from(raw.y, (v, i) => v / pop[Math.floor(i / T)] / yScale);
  const spend: Float64Array[] = [];
  const spendScale: number[] = [];
  for (const ch of spec.channels) {
    const x = raw.spend[ch.name];
    if (!x) throw new InvalidInputError(`spend.${ch.name}`, 'is missing', 'Give a spend series for every channel of the spec.');
    if (x.length !== n) throw new DimensionMismatchError(`spend.${ch.name}`, n, x.length);
    let acc = 0;
    let on = 0;
    for (let i = 0; i < n; i++) {
      if (!(x[i] >= 0))
        throw new InvalidInputError(`spend.${ch.name}[${i}]`, `is ${x[i]}`, 'Spend must be ≥ 0; look for refunds booked as spend.');
      if (x[i] > 0) {
        acc += x[i] / pop[Math.floor(i / T)];
        on++;
      }
    }
    const m = on > 0 ? acc / on : 1;
    spend.push(Float64Array.from(x, (v, i) => v / pop[Math.floor(i / T)] / m));
    spendScale.push(m);
  }
  const { controls, controlCenter, controlScale } = standardizedControls(spec, raw, n);
  const ppy = spec.periodsPerYear ?? 52;
  const period = Float64Array.from({ length: n }, (_, i) => i % T);
  const time = period.map((t) => t / ppy);
  const season = spec.seasonality === null ? null : { order: spec.seasonality?.order ?? 2, period: spec.seasonality?.period ?? 365.25 / 7 };
  const f = season ? fourierFeatures(period, season) : { values: new Float64Array(0), columns: 0 };
  const frequency = frequenciesOf(spec, raw, spend);
  const extra = organicAndTreatments(spec, raw, n, { T, pop });
  return {
    data: {
      n,
      spend,
      ...(frequency ? { frequency } : {}),
      ...extra.data,
      controls,
      y,
      time,
      fourier: f.values,
      fourierColumns: f.columns,
      geos: { count: G, periods: T, population: Float64Array.from(pop), ...(geo.names ? { names: [...geo.names] } : {}) },
      spendPerTarget: Float64Array.from(spec.channels, (ch) => {
        let total = raw.spendTotals?.[ch.name] ?? 0;
        if (raw.spendTotals?.[ch.name] === undefined) for (let i = 0; i < n; i++) total += raw.spend[ch.name][i];
        return total / yScale;
      }),
      ...(raw.liftTests?.length
        ? { liftTests: raw.liftTests.map((lt, k) => scaleLiftTest(spec, lt, k, T, spendScale, yScale, { count: G, population: pop })) }
        : {}),
    },
    scaling: { yScale, spendScale, controlCenter, controlScale, population: pop, ...extra.scaling },
  };
}

/**
 * The reach-and-frequency channels' frequencies, checked against their (scaled) reach: given for exactly those channels,
 * as long as the reach, finite and ≥ 0, at least 1 where the reach is positive (an average frequency is impressions
 * over people reached), set to 0 where it is 0. Undefined when the spec has no such channel. @internal
 */
function frequenciesOf(
  spec: ModelSpec,
  raw: Pick<RawModelData, 'frequency'>,
  reach: readonly Float64Array[],
): Array<Float64Array | undefined> | undefined {
  for (const name of Object.keys(raw.frequency ?? {}))
    if (!spec.channels.some((ch) => ch.name === name && ch.reachFrequency))
      throw new InvalidInputError(
        `frequency.${name}`,
        'is given for a channel that is not reach-and-frequency',
        'Give frequencies only for channels with reachFrequency: true (their spend series is the reach).',
      );
  if (!spec.channels.some((ch) => ch.reachFrequency)) return undefined;
  return spec.channels.map((ch, c) => {
    if (!ch.reachFrequency) return undefined;
    const f = raw.frequency?.[ch.name];
    const r = reach[c];
    if (!f)
      throw new InvalidInputError(
        `frequency.${ch.name}`,
        'is missing',
        'Give the average frequency per period of every reach-and-frequency channel.',
      );
    if (f.length !== r.length) throw new DimensionMismatchError(`frequency.${ch.name}`, r.length, f.length);
    return Float64Array.from({ length: r.length }, (_, i) => {
      const v = f[i];
      if (!(Number.isFinite(v) && v >= 0))
        throw new InvalidInputError(
          `frequency.${ch.name}[${i}]`,
          `is ${v}`,
          'Frequencies must be finite and ≥ 0 (0 where no one was reached).',
        );
      if (r[i] === 0) return 0;
      if (v < 1)
        throw new InvalidInputError(
          `frequency.${ch.name}[${i}]`,
          `is ${v} where the reach is positive`,
          'An average frequency (impressions / reach) is ≥ 1 wherever people were reached; check the column.',
        );
      return v;
    });
  });
}

/**
 * Organic media's exposures (scaled as spend: national by their maximum, a geo panel per capita over the mean of the
 * geo-periods with exposures) and treatments ((x − min)/(max − min) over all rows), checked; with `fitted` the fit's
 * scales instead of the rows' own (new rows for a prediction). @internal
 */
function organicAndTreatments(
  spec: ModelSpec,
  raw: Pick<RawModelData, 'organic' | 'treatments'>,
  n: number,
  geo?: { T: number; pop: number[] },
  fitted?: Scaling,
): { data: Pick<ModelData, 'organic' | 'treatments'>; scaling: Pick<Scaling, 'organicScale' | 'treatmentMin' | 'treatmentScale'> } {
  const organic = spec.organic ?? [];
  const treatments = spec.treatments ?? [];
  for (const [kind, given, declared] of [
    ['organic', raw.organic, organic],
    ['treatments', raw.treatments, treatments],
  ] as const)
    for (const name of Object.keys(given ?? {}))
      if (!declared.some((d) => d.name === name))
        throw new InvalidInputError(`${kind}.${name}`, `is not in spec.${kind}`, `Declare it in spec.${kind}, or drop the series.`);
  const series = (kind: 'organic' | 'treatments', name: string) => {
    const x = raw[kind]?.[name];
    if (!x) throw new InvalidInputError(`${kind}.${name}`, 'is missing', `Give a series for every entry of spec.${kind}.`);
    if (x.length !== n) throw new DimensionMismatchError(`${kind}.${name}`, n, x.length);
    assertAllFinite(`${kind}.${name}`, x);
    return x;
  };
  const perCapita = (i: number) => (geo ? geo.pop[Math.floor(i / geo.T)] : 1);
  const organicScale: number[] = [];
  const scaledOrganic = organic.map((ch, k) => {
    const x = series('organic', ch.name);
    let acc = 0;
    let on = 0;
    let max = 0;
    for (let i = 0; i < n; i++) {
      if (x[i] < 0) throw new InvalidInputError(`organic.${ch.name}[${i}]`, `is ${x[i]}`, 'Exposures must be ≥ 0.');
      const v = x[i] / perCapita(i);
      if (v > 0) {
        acc += v;
        on++;
      }
      max = Math.max(max, v);
    }
    const scale = fitted?.organicScale?.[k] ?? (geo ? (on > 0 ? acc / on : 1) : max);
    if (!(scale > 0))
      throw new InvalidInputError(`organic.${ch.name}`, 'has no exposures in any period', 'Drop an organic channel that never ran.');
    organicScale.push(scale);
    return Float64Array.from(x, (v, i) => v / perCapita(i) / scale);
  });
  const treatmentMin: number[] = [];
  const treatmentScale: number[] = [];
  const scaledTreatments = treatments.map((tr, k) => {
    const x = series('treatments', tr.name);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, x[i]);
      hi = Math.max(hi, x[i]);
    }
    const min = fitted?.treatmentMin?.[k] ?? lo;
    const range = fitted?.treatmentScale?.[k] ?? hi - lo;
    if (!(range > 0))
      throw new InvalidInputError(
        `treatments.${tr.name}`,
        `is constant (${lo})`,
        'A treatment that never changes has no effect to measure: drop it.',
      );
    treatmentMin.push(min);
    treatmentScale.push(range);
    return Float64Array.from(x, (v) => (v - min) / range);
  });
  return {
    data: {
      ...(organic.length ? { organic: scaledOrganic } : {}),
      ...(treatments.length ? { treatments: scaledTreatments } : {}),
    },
    scaling: {
      ...(organic.length ? { organicScale } : {}),
      ...(treatments.length ? { treatmentMin, treatmentScale } : {}),
    },
  };
}

/** Each control of the spec standardised over all its values (periods, or geo-periods), checked. @internal */
function standardizedControls(spec: ModelSpec, raw: RawModelData, n: number) {
  const controls: Float64Array[] = [];
  const controlCenter: number[] = [];
  const controlScale: number[] = [];
  for (const name of spec.controls ?? []) {
    const z = raw.controls?.[name];
    if (!z) throw new InvalidInputError(`controls.${name}`, 'is missing', 'Give a series for every control of the spec.');
    if (z.length !== n) throw new DimensionMismatchError(`controls.${name}`, n, z.length);
    const s = standardize(z, `controls.${name}`);
    controls.push(s.scaled);
    controlCenter.push(s.center);
    controlScale.push(s.scale);
  }
  return { controls, controlCenter, controlScale };
}
