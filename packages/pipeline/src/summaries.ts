import { InvalidInputError, InvalidParameterError, ANY, checkOptions, optionKeys } from '@mmm/core';
import { scalarNames } from '@mmm/bayes-nuts';
import { centralIntervalSorted, quantileSorted } from '@mmm/diagnostics';
import {
  buildModel,
  channelFamilies,
  channelParameterNames,
  type ChannelSpec,
  type MMM,
  type ModelData,
  type TermFactory,
} from '@mmm/model';
import type { AdstockFamily, SaturationFamily } from '@mmm/transforms';
import type { Estimate, MMMFit, ModelFit, SeriesEstimate } from './types.js';
import { linearResponse, reachFrequencyGain, type FrequencyChoice } from './reach-frequency.js';

/** Mean, median and central interval of one quantity's draws. @internal */
export function estimate(x: ArrayLike<number>, interval: number): Estimate {
  const s = Float64Array.from(x).sort();
  let m = 0;
  for (let i = 0; i < s.length; i++) m += s[i];
  return { mean: m / s.length, median: quantileSorted(s, 0.5), ...centralIntervalSorted(s, interval) };
}

/** Mean and central interval per point, from one array of draws per point. @internal */
export function pointEstimates(columns: ReadonlyArray<ArrayLike<number>>, interval: number): SeriesEstimate {
  const out: SeriesEstimate = { mean: [], lower: [], upper: [] };
  for (const col of columns) {
    const e = estimate(col, interval);
    out.mean.push(e.mean);
    out.lower.push(e.lower);
    out.upper.push(e.upper);
  }
  return out;
}

/** Mean and central interval per point of draws[s][t] (one array per draw). @internal */
export function seriesEstimate(draws: ReadonlyArray<ArrayLike<number>>, interval: number): SeriesEstimate {
  const n = draws[0]?.length ?? 0;
  return pointEstimates(
    Array.from({ length: n }, (_, t) => Float64Array.from(draws, (d) => d[t])),
    interval,
  );
}

/**
 * Evenly thinned posterior draws of a fit: at most `maxDraws` indices into the flattened chains, and a reader of
 * any parameter's draws at those indices. @internal
 */
export function thinnedDraws(fit: ModelFit, maxDraws: number): { S: number; values: (name: string) => number[] } {
  // a fit read from JSON is not checked by the compiler: refuse the benchmark, which has no draws, in words
  if ((fit as MMMFit)?.method === 'gbdt')
    throw new InvalidInputError(
      'fit.method',
      "is 'gbdt'",
      'A gradient-boosted benchmark has no posterior draws, response curves or budgets: use a Bayesian or classical fit for those ' +
        '(predict works on it).',
    );
  const any = Object.values(fit.draws)[0];
  if (!any) throw new InvalidInputError('fit.draws', 'is empty', 'Pass a fit made by fitMMM.');
  const total = any.reduce((a, c) => a + c.length, 0);
  const step = Math.max(1, Math.floor(total / maxDraws));
  const idx: number[] = [];
  for (let s = 0; s < total && idx.length < maxDraws; s += step) idx.push(s);
  return {
    S: idx.length,
    values: (name) => {
      const d = fit.draws[name];
      if (!d) throw new InvalidInputError(`fit.draws.${name}`, 'is missing', 'Pass a fit made by fitMMM.');
      const f = d.flat();
      return idx.map((s) => f[s]);
    },
  };
}

/**
 * The parameter blocks of draw `s`, as `MMM.evaluate` takes them, from per-name columns of thinned draws (vector
 * blocks are named `fourier[1]`, `fourier[2]`, …). @internal
 */
export function blockValues(
  blocks: ReadonlyArray<{ name: string; size: number }>,
  columns: Readonly<Record<string, ArrayLike<number>>>,
  s: number,
): Record<string, Float64Array> {
  const v: Record<string, Float64Array> = {};
  for (const b of blocks) v[b.name] = Float64Array.from(scalarNames(b), (name) => columns[name][s]);
  return v;
}

/**
 * Draws by scalar name (`fourier[2]`), one array per chain, from each draw's block values, the chains one after
 * another with `perChain` draws each. @internal
 */
export function drawsByScalar(
  blocks: ReadonlyArray<{ name: string; size: number }>,
  values: ReadonlyArray<Readonly<Record<string, ArrayLike<number>>>>,
  perChain: number,
): Record<string, number[][]> {
  const draws: Record<string, number[][]> = {};
  for (const b of blocks) {
    scalarNames(b).forEach((name, k) => {
      draws[name] = [];
      for (let from = 0; from < values.length; from += perChain) {
        draws[name].push(Array.from({ length: perChain }, (_, i) => values[from + i][b.name][k]));
      }
    });
  }
  return draws;
}

/**
 * Average spend per period of each channel over the fitted data: the "current" allocation of budget questions. With
 * `byGeo` (geo fits), of each geo × channel cell that had spend, named `geo/channel` as `optimizeBudget`'s cells.
 */
export function spendPerPeriod(fit: MMMFit, options: { byGeo?: boolean } = {}): Record<string, number> {
  checkOptions(options, optionKeys<{ byGeo?: boolean }>({ byGeo: ANY }), 'options');
  const n = fit.data.dates.length;
  if (!options.byGeo) return Object.fromEntries(fit.spec.channels.map((ch) => [ch.name, fit.channels[ch.name].spend / n]));
  const panel = fit.panel;
  if (!panel) throw new InvalidParameterError('byGeo', true, 'geo fits only (this fit is national)');
  const out: Record<string, number> = {};
  for (const ch of fit.spec.channels) {
    panel.geos.forEach((geo, g) => {
      const total = panel.spend[ch.name][g].reduce((a, b) => a + b, 0);
      if (total > 0) out[`${geo}/${ch.name}`] = total / n;
    });
  }
  return out;
}

/** One channel's curves and its thinned parameter draws (names from `@mmm/model`). @internal */
export interface ChannelDraws {
  adstock: AdstockFamily;
  saturation: SaturationFamily;
  /** per adstock parameter, its draws */
  adstockParams: number[][];
  /** per saturation parameter, its draws */
  saturationParams: number[][];
  /** the national β's draws (empty when not read: the curves alone, or a geo channel pooled nowhere) */
  beta: number[];
}

/**
 * Reads a channel's families and parameter draws through `values` (e.g. {@link thinnedDraws}'s); `beta: false` reads
 * the curves only (a geo channel pooled nowhere has no national β). @internal
 */
export function channelDraws(
  channel: ChannelSpec,
  values: (name: string) => number[],
  read: { beta?: boolean; fit?: ModelFit; frequency?: FrequencyChoice } = {},
): ChannelDraws {
  const { adstock, saturation } = channelFamilies(channel);
  const names = channelParameterNames(channel);
  const beta = read.beta === false ? [] : values(names.beta);
  // a reach-and-frequency channel at a fixed frequency: linear in its input (./reach-frequency.ts)
  if (channel.reachFrequency) {
    if (!read.fit)
      throw new InvalidInputError(`channels.${channel.name}`, 'is a reach-and-frequency channel', 'Read it with its fit (read.fit).');
    const [K, S] = names.saturation.map(values);
    const gain = reachFrequencyGain(read.fit, channel, K, S, read.frequency);
    return { adstock, saturation: linearResponse, adstockParams: names.adstock.map(values), saturationParams: [gain], beta };
  }
  return { adstock, saturation, adstockParams: names.adstock.map(values), saturationParams: names.saturation.map(values), beta };
}

/**
 * A fit's model rebuilt on other data (new rows, or the fitted ones), with the terms the fit was given in
 * `FitMMMOptions.terms`: they are functions, not in the fit's JSON, so the caller gives them again, made for these
 * rows. A fit with terms of its own and none given, or terms for a fit without, is refused. ROAS priors read each
 * channel's total spend over the fitted periods (in units of mean y): a property of the fit, not of the rows, so it is
 * the fit's whatever the data. @internal
 */
export function rebuildModel(fit: ModelFit, data: ModelData, terms: readonly TermFactory[] | undefined, field = 'options.terms'): MMM {
  const spendPerTarget = Float64Array.from(
    fit.spec.channels,
    (ch) => fit.data.spend[ch.name].reduce((a, b) => a + b, 0) / fit.scaling.yScale,
  );
  data = { ...data, spendPerTarget };
  const own = fit.method === 'bayesian' ? (fit.terms ?? []) : [];
  const given = terms ?? [];
  if (own.length > 0 && given.length === 0)
    throw new InvalidInputError(
      field,
      `is missing: the fit has terms of its own (${own.join(', ')})`,
      'Pass them again, made for these rows: { terms: [...] }.',
    );
  if (own.length === 0 && given.length > 0)
    throw new InvalidInputError(field, 'are given for a fit without terms of its own', 'Drop them.');
  const model = buildModel(fit.spec, data, given.length ? { terms: given } : {});
  const names = model.terms.slice(model.terms.length - given.length).map((t) => t.name);
  if (names.join('\u0000') !== own.join('\u0000'))
    throw new InvalidInputError(
      field,
      `are ${names.join(', ')}`,
      `The fit's are ${own.join(', ')}: pass the same terms, in the same order.`,
    );
  return model;
}
