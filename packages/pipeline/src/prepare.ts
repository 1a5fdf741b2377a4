import { DEFAULT_INTERVAL_MASS, InvalidInputError, InvalidParameterError, isoDate, parseDate } from '@mmm/core';
import {
  buildModel,
  prepareModelData,
  type ChannelSpec,
  type MMM,
  type ModelSpec,
  type RawGeoLiftTest,
  type RawLiftTest,
  type RawModelData,
  type Scaling,
  type TreatmentSpec,
} from '@mmm/model';
import { changepointGrid } from '@mmm/transforms';
import { checkDates, checkTarget, readColumns, readLabels, type TableInput } from './table.js';
import { readGeoPanel, type GeoPanel } from './panel.js';
import type { ChannelInput, FitMMMOptions, SteadyLiftTest } from './types.js';

declare const performance: { now(): number };

/**
 * The default target acceptance, national and geo: Stan's 0.8. With plain leapfrog steps about one national fit in ten
 * on fresh simulated data had a few divergent transitions at 0.8 (and at 0.95, the previous default, which took 1.4×
 * the gradients); the sampler's local step size (below) integrates those regions with smaller steps instead
 * (docs/validation.md: 75 of 75 fits passed the gate on the first attempt at 0.8). @internal
 */
const DEFAULT_TARGET_ACCEPT = 0.8;

/** Everything `fitMMM` prepares before a method fits: the roles, the data as arrays, the spec and the model, the settings. */
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
  /** reach-and-frequency channels' frequencies by channel (each as long as its reach in `input`) */
  frequency?: Record<string, Float64Array>;
  /** organic media's exposures and treatments' series by name */
  organic?: Record<string, Float64Array>;
  treatments?: Record<string, Float64Array>;
  controls: Record<string, Float64Array>;
  channelNames: string[];
  settings: { chains: number; warmup: number; draws: number; seed: number; targetAccept: number; interval: number };
  /** a geo fit's panel (every series above is then flattened geo-major, G·T long) */
  panel?: GeoPanel;
  /** each element's factor from the model's scale to target units: the mean target (national), population × mean per-capita target (geo) */
  unit: Float64Array;
  /** how many terms `options.terms` added (the model's last terms) */
  terms?: number;
  /** the lift tests as given (for the fit's report of them) */
  liftTests?: FitMMMOptions['liftTests'];
}

/** A channel with its spend column and, when modelled on exposures, its exposure column. @internal */
interface ResolvedChannelInput {
  name: string;
  spend: string;
  /** the model's input column when not the spend: exposures, or a reach-and-frequency channel's reach */
  exposure: string | undefined;
  /** a reach-and-frequency channel's frequency column */
  frequency?: string;
}

/** A channel input resolved: its spend column, its input column and a reach-and-frequency channel's frequency. @internal */
function resolveChannelInput(c: ChannelInput, k: number): ResolvedChannelInput {
  if (typeof c === 'string') return { name: c, spend: c, exposure: undefined };
  const field = `options.channels[${k}]`;
  if (!c || typeof c !== 'object' || typeof c.name !== 'string' || c.name === '')
    throw new InvalidInputError(
      `${field}.name`,
      'is missing',
      'Give a column name, or { name, spend } (with exposure, or reach and frequency).',
    );
  const o = c as { name: string; spend?: string; exposure?: string; reach?: string; frequency?: string };
  if (typeof o.spend !== 'string' || o.spend === '')
    throw new InvalidInputError(
      `options.channels.${o.name}.spend`,
      'is missing',
      o.reach !== undefined
        ? 'A reach-and-frequency channel needs its spend column, for ROAS and budgets: { name, reach, frequency, spend }.'
        : 'Give the spend column: { name, spend } or { name, spend, exposure }.',
    );
  if (o.reach !== undefined || o.frequency !== undefined) {
    for (const key of ['reach', 'frequency'] as const)
      if (typeof o[key] !== 'string' || o[key] === '')
        throw new InvalidInputError(
          `options.channels.${o.name}.${key}`,
          'is missing',
          'A reach-and-frequency channel names both columns: { name, reach, frequency, spend }.',
        );
    if (o.exposure !== undefined)
      throw new InvalidInputError(
        `options.channels.${o.name}.exposure`,
        'is given with reach and frequency',
        'A reach-and-frequency channel is modelled on reach and frequency: drop exposure.',
      );
    return { name: o.name, spend: o.spend, exposure: o.reach, frequency: o.frequency };
  }
  return { name: o.name, spend: o.spend, exposure: o.exposure };
}

/** Checks the options' columns: each column has one role (date, target, a channel, a control, the geo). @internal */
function resolveRoles(options: FitMMMOptions): {
  channels: ResolvedChannelInput[];
  controls: string[];
  organic: string[];
  treatments: TreatmentSpec[];
} {
  if (!options || typeof options.date !== 'string' || typeof options.target !== 'string') {
    throw new InvalidInputError(
      'options',
      'lacks date or target',
      "Name the date and target columns: { date: 'date', target: 'sales', channels: [...] }.",
    );
  }
  if (!options.channels || options.channels.length === 0)
    throw new InvalidInputError('options.channels', 'is empty', 'Name at least one media channel column.');
  const channels = options.channels.map(resolveChannelInput);
  const seen = new Set<string>();
  for (const c of channels) {
    if (seen.has(c.name)) throw new InvalidInputError(`options.channels.${c.name}`, 'appears twice', 'Name each channel once.');
    seen.add(c.name);
  }
  const organic = [...(options.organic ?? [])];
  const treatments = (options.treatments ?? []).map((t, k): TreatmentSpec => {
    const spec = typeof t === 'string' ? { name: t } : t;
    if (!spec || typeof spec.name !== 'string' || spec.name === '')
      throw new InvalidInputError(`options.treatments[${k}]`, 'has no name', 'Give a column name, or { name, prior }.');
    return spec.prior ? { name: spec.name, prior: spec.prior } : { name: spec.name };
  });
  for (const name of Object.keys(options.model?.channels ?? {})) {
    if (!seen.has(name) && !organic.includes(name))
      throw new InvalidInputError(
        `options.model.channels.${name}`,
        'is not a channel',
        `Channels are ${[...seen, ...organic].join(', ')} (organic media included).`,
      );
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
    if (c.exposure) claim(c.exposure, `channel ${c.name}`, `options.channels.${c.name}.${c.frequency ? 'reach' : 'exposure'}`);
    if (c.frequency) claim(c.frequency, `channel ${c.name}'s frequency`, `options.channels.${c.name}.frequency`);
  }
  for (const name of controls) claim(name, `control ${name}`, `options.controls.${name}`);
  for (const name of organic) claim(name, `organic ${name}`, `options.organic.${name}`);
  for (const t of treatments) claim(t.name, `treatment ${t.name}`, `options.treatments.${t.name}`);
  if (options.geo !== undefined) claim(options.geo, 'the geo', 'options.geo');
  if (typeof options.population === 'string') claim(options.population, 'the population', 'options.population');
  return { channels, controls, organic, treatments };
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
          `has no ${col === c.spend ? 'spend' : c.frequency ? 'reach' : 'exposure'} in any period (column ${col})`,
          'A channel that never ran carries no information: drop it from channels.',
        );
    }
  }
  return { spend, input };
}

/** Reach-and-frequency channels' frequency columns by channel, checked finite and ≥ 0 (the model checks ≥ 1 where reached). @internal */
function frequencyInputs(
  table: { numeric: Record<string, Float64Array> },
  channels: readonly ResolvedChannelInput[],
): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const c of channels) {
    if (!c.frequency) continue;
    const f = table.numeric[c.frequency];
    const reach = table.numeric[c.exposure!];
    for (let i = 0; i < f.length; i++) {
      if (!(Number.isFinite(f[i]) && f[i] >= 0))
        throw new InvalidInputError(
          `rows[${i}].${c.frequency}`,
          `is ${f[i]}`,
          'Frequencies must be finite and ≥ 0 (0 where no one was reached).',
        );
      if (reach[i] > 0 && f[i] < 1)
        throw new InvalidInputError(
          `rows[${i}].${c.frequency}`,
          `is ${f[i]} where the reach is ${reach[i]}`,
          'An average frequency (impressions / reach) is ≥ 1 wherever people were reached; check the column.',
        );
    }
    out[c.name] = f;
  }
  return out;
}

/** The model spec of the options, with changepoint counts turned into positions on the fitted time axis. @internal */
function specOf(
  options: FitMMMOptions,
  roles: { channels: readonly ResolvedChannelInput[]; controls: string[]; organic: string[]; treatments: TreatmentSpec[] },
  periodDays: number,
  rows: number,
): ModelSpec {
  const { channels, controls, organic, treatments } = roles;
  const periodsPerYear = 365.25 / periodDays;
  const spec: ModelSpec = {
    channels: channels.map(
      (c): ChannelSpec => ({
        name: c.name,
        ...(options.model?.channels?.[c.name] ?? {}),
        ...(c.frequency ? { reachFrequency: true } : {}),
      }),
    ),
    controls,
    ...(organic.length ? { organic: organic.map((name) => ({ name, ...(options.model?.channels?.[name] ?? {}) })) } : {}),
    ...(treatments.length ? { treatments } : {}),
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
    ...(options.model?.timeVaryingEffects !== undefined ? { timeVaryingEffects: options.model.timeVaryingEffects } : {}),
    ...(options.model?.interactions !== undefined ? { interactions: options.model.interactions } : {}),
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
  const roles = resolveRoles(options);
  const { channels, controls, organic, treatments } = roles;
  const geos = resolveGeo(data, options);
  const columns = [
    options.target,
    ...new Set(channels.flatMap((c) => [c.spend, ...(c.exposure ? [c.exposure] : []), ...(c.frequency ? [c.frequency] : [])])),
    ...controls,
    ...organic,
    ...treatments.map((t) => t.name),
  ];
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
  const frequency = frequencyInputs(table, channels);
  const controlData: Record<string, Float64Array> = Object.fromEntries(controls.map((name) => [name, table.numeric[name]]));
  const spec = specOf(options, roles, periodDays, table.rows);
  const organicData = Object.fromEntries(organic.map((name) => [name, table.numeric[name]]));
  const treatmentData = Object.fromEntries(treatments.map((t) => [t.name, table.numeric[t.name]]));
  const raw: RawModelData = {
    y: target,
    spend: input,
    ...(Object.keys(frequency).length ? { frequency } : {}),
    ...(organic.length ? { organic: organicData } : {}),
    ...(treatments.length ? { treatments: treatmentData } : {}),
    controls: controlData,
    spendTotals: Object.fromEntries(channels.map((c) => [c.name, sum(spend[c.name])])),
    liftTests: liftTestsOf(options, table.dates, spend, input, panel),
    ...(panel ? { geo: { count: panel.geos.length, periods: table.rows, population: panel.population, names: panel.geos } } : {}),
  };
  const { data: modelData, scaling } = prepareModelData(spec, raw);
  const model = buildModel(spec, modelData, options.terms?.length ? { terms: options.terms } : {});
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
    ...(Object.keys(frequency).length ? { frequency } : {}),
    ...(organic.length ? { organic: organicData } : {}),
    ...(treatments.length ? { treatments: treatmentData } : {}),
    controls: controlData,
    channelNames: channels.map((c) => c.name),
    settings,
    panel,
    unit,
    ...(options.terms?.length ? { terms: options.terms.length } : {}),
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
  panel?: { geos: readonly string[]; population: ArrayLike<number> },
): RawLiftTest[] {
  const geos = panel?.geos;
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
    if ('x' in t) return steadyTest(t, field, rate, panel, spend[t.channel], input[t.channel], dates.length);
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
          `is ${t[key]}, ${ms < dates[0] || ms > dates[dates.length - 1] ? 'outside the data' : 'not a date of the data'} ` +
            `(${isoDate(dates[0])} … ${isoDate(dates[dates.length - 1])})`,
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

/** A steady-state test as the model takes it: national, or in a set of geos of a panel. @internal */
function steadyTest(
  t: SteadyLiftTest,
  field: string,
  rate: number,
  panel: { geos: readonly string[]; population: ArrayLike<number> } | undefined,
  spend: Float64Array,
  input: Float64Array,
  T: number,
): RawLiftTest {
  for (const key of ['x', 'deltaX'] as const)
    if (typeof t[key] !== 'number' || !Number.isFinite(t[key]))
      throw new InvalidInputError(`${field}.${key}`, `is ${String(t[key])}`, 'Give a finite number (spend per period).');
  if (t.x < 0 || t.x + t.deltaX < 0)
    throw new InvalidInputError(`${field}.deltaX`, `takes the spend to ${t.x + t.deltaX}`, 'Give x ≥ 0 and x + deltaX ≥ 0.');
  if (t.geos !== undefined) {
    if (!panel) throw new InvalidInputError(`${field}.geos`, 'is given on a national fit', 'Drop geos, or fit the geo panel.');
    return geoSteadyTest(t, field, panel, spend, input, T);
  }
  if (panel)
    throw new InvalidInputError(
      `${field}.geos`,
      'is missing on a steady-state test of a geo fit',
      'Name the geos the test ran in (geos: [...]), or give a window in one geo: { channel, geo, start, end, spendChange, lift, sd }.',
    );
  return { channel: t.channel, x: t.x * rate, dx: t.deltaX * rate, lift: t.lift, sd: t.sd };
}

/**
 * A steady-state test in a set of geos as the model takes it: the test's total spend per period and its change split
 * over its geos by their spend on the channel in the data (by population when they had none), each geo's share turned
 * into model input at that geo's own input per unit of spend. @internal
 */
function geoSteadyTest(
  t: SteadyLiftTest,
  field: string,
  panel: { geos: readonly string[]; population: ArrayLike<number> },
  spend: Float64Array,
  input: Float64Array,
  T: number,
): RawGeoLiftTest {
  if (!Array.isArray(t.geos) || t.geos.length === 0)
    throw new InvalidInputError(`${field}.geos`, 'is empty', `Name the geos the test ran in, e.g. ["${panel.geos[0]}"].`);
  const index = t.geos.map((name, i) => {
    const g = panel.geos.indexOf(String(name));
    if (g < 0)
      throw new InvalidInputError(
        `${field}.geos[${i}]`,
        `is "${String(name)}", not a geo of the data`,
        `Geos are ${panel.geos.slice(0, 6).join(', ')}${panel.geos.length > 6 ? ', …' : ''}.`,
      );
    if (t.geos!.indexOf(name) !== i)
      throw new InvalidInputError(`${field}.geos[${i}]`, `is "${name}" a second time`, 'Name each geo once.');
    return g;
  });
  const own = index.map((g) => sum(spend.subarray(g * T, (g + 1) * T)));
  const exposures = index.map((g) => sum(input.subarray(g * T, (g + 1) * T)));
  const total = own.reduce((a, b) => a + b, 0);
  const people = index.reduce((a, g) => a + panel.population[g], 0);
  const nationalRate = sum(input) / sum(spend);
  return {
    channel: t.channel,
    geos: index.map((g, i) => {
      const share = total > 0 ? own[i] / total : panel.population[g] / people;
      const rate = own[i] > 0 ? exposures[i] / own[i] : nationalRate;
      return { geo: g, x: t.x * share * rate, dx: t.deltaX * share * rate };
    }),
    lift: t.lift,
    sd: t.sd,
  };
}

/** Enough data for the parameters: 2 observations per parameter, and in a geo panel 2 periods per shared parameter. @internal */
function checkSize(model: MMM, periods: number, panel: GeoPanel | undefined): void {
  const observations = model.data.n;
  // a time-varying effect's basis weights are a smooth Gaussian process's, held together by its prior: not counted
  const smooth = model.density.blocks.filter((b) => b.name.endsWith('tvp.z')).reduce((a, b) => a + b.size, 0);
  const dim = model.density.dim - smooth;
  if (observations < 2 * dim) {
    throw new InvalidInputError(
      'data',
      `has ${observations} ${panel ? 'geo-periods' : 'periods'} for ${dim} parameters`,
      `The model needs at least 2 × parameters = ${2 * dim}: add data, or drop channels, controls or seasonality terms.`,
    );
  }
  if (panel) {
    // the curves, trend, seasonality and controls are shared: each geo's series must be long enough to inform them;
    // not shared, as the terms declare them: blocks of one value per geo, and the hierarchy's own (τ_μ, τ_σ, each η)
    const own = new Set(model.parameters.filter((p) => p.scope === 'geo' || p.scope === 'hierarchy').map((p) => p.name));
    const perGeo = model.density.blocks.filter((b) => own.has(b.name));
    const shared = dim - perGeo.reduce((a, b) => a + b.size, 0);
    if (periods < 2 * shared)
      throw new InvalidInputError(
        'data',
        `has ${periods} periods per geo for ${shared} shared parameters`,
        `Each geo needs at least 2 × shared parameters = ${2 * shared} periods: add periods, or drop channels, controls or seasonality ` +
          `terms.`,
      );
  }
}
