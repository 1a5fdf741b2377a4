import { isoDate } from '@mmm/core';
import { mape, nrmse, r2 } from '@mmm/diagnostics';
import {
  impliedLifts,
  multipliersAt,
  resolveChannel,
  resolveInteractions,
  resolveTimeVarying,
  type ResolvedChannel,
  type ResolvedTimeVarying,
} from '@mmm/model';
import type { GeoPanel } from './panel.js';
import { estimate, seriesEstimate } from './summaries.js';
import type { BayesianFit, FitCommon } from './types.js';
import type { PreparedFit } from './prepare.js';
import { frequencySums, optimalFrequency } from './reach-frequency.js';
import { hill } from '@mmm/transforms';

declare const performance: { now(): number };

/**
 * Per draw: each channel's total contribution and marginal ROAS (and per geo in a geo fit); every ≤ 1000th draw's
 * national series, in target units. @internal
 */
interface DrawDecomposition {
  contribution: Float64Array[];
  marginal: Float64Array[];
  series: {
    fitted: Float64Array[];
    trend: Float64Array[];
    seasonality: Float64Array[];
    controls: Float64Array[];
    channels: Float64Array[][];
    /** the terms a user added and the interactions, by name */
    terms: Record<string, Float64Array[]>;
  };
  /** each of those terms' total contribution per draw (every draw), in target units */
  termTotals: Record<string, Float64Array>;
  /**
   * reach-and-frequency channels (undefined for the others): per draw Σ_i β_i·unit_i·r_i·f_i, the contribution per unit
   * of Hill(f)/f when every period's impressions are delivered at frequency f (adstock weights sum to 1)
   */
  impressionValue: Array<Float64Array | undefined>;
  /** time-varying fits: each channel's national contribution per draw summed over each window of `windows` ([channel][window]) */
  windowed?: Float64Array[][];
  /** geo fits: [channel][geo] per draw, each geo's fitted series for ≤ 400 draws, and each geo-period's mean contribution */
  geo?: { contribution: Float64Array[][]; marginal: Float64Array[][]; fitted: Float64Array[][]; channelMean: Float64Array[] };
}

/** Sums a geo-major series over geos per period, in target units (national: just the units). @internal */
function nationalSeries(x: Float64Array, unit: Float64Array, T: number): Float64Array {
  const out = new Float64Array(T);
  for (let i = 0; i < x.length; i++) out[i % T] += x[i] * unit[i];
  return out;
}

/**
 * One draw of one channel, per geo: its total contribution and d/dε of it when spend rises by the share ε in every
 * period (adstock is linear, so the adstocked input a_t rises by a_t·ε): Σ_t β_t·s'(a_t)·a_t, in target units. s' comes
 * from the value s = contribution/β where the family allows (no transcendental function for Hill). @internal
 */
function geoTotalsInto(
  byGeo: Float64Array,
  dByGeo: Float64Array,
  channel: ResolvedChannel,
  v: Record<string, Float64Array>,
  contrib: Float64Array,
  beta: Float64Array,
  adstocked: Float64Array,
  unit: Float64Array,
  T: number,
): void {
  const satParams = channel.names.saturation.map((k) => v[k][0]);
  const { saturation } = channel;
  for (let g = 0, i = 0; g < byGeo.length; g++) {
    let sum = 0;
    let dSum = 0;
    for (let t = 0; t < T; t++, i++) {
      sum += contrib[i] * unit[i];
      // reach and frequency: at a fixed frequency the contribution is linear in reach, so the derivative is the value
      if (channel.reachFrequency) {
        dSum += contrib[i] * unit[i];
        continue;
      }
      const a = adstocked[i];
      if (!(a > 0)) continue;
      const slope =
        saturation.derivativeFromValue && beta[i] > 0
          ? saturation.derivativeFromValue(a, contrib[i] / beta[i], satParams)
          : saturation.derivative(a, satParams);
      dSum += beta[i] * slope * a * unit[i];
    }
    byGeo[g] = sum;
    dByGeo[g] = dSum;
  }
}

/** A reach-and-frequency channel's Σ_i β_i·unit_i·r_i·f_i at one draw (see `DrawDecomposition.impressionValue`). @internal */
function impressionValue(data: PreparedFit['model']['data'], c: number, coefficient: Float64Array, unit: Float64Array): number {
  const r = data.spend[c];
  const f = data.frequency![c]!;
  let a = 0;
  for (let i = 0; i < r.length; i++) a += coefficient[i] * unit[i] * r[i] * f[i];
  return a;
}

/** Decomposes every draw's μ (all draws for channel totals, at most 1000 evenly spaced for series). @internal */
function decompose(
  p: PreparedFit,
  values: ReadonlyArray<Record<string, Float64Array>>,
  spendByGeo: number[][],
  windows: ReadonlyArray<[number, number]> = [],
): DrawDecomposition {
  const { model, unit } = p;
  const S = values.length;
  const n = p.target.length;
  const T = p.dates.length;
  const G = n / T;
  const C = model.media.length;
  const every = Math.max(1, Math.floor(S / 1000));
  const everyGeo = Math.max(1, Math.floor(S / 400));
  const out: DrawDecomposition = {
    contribution: model.media.map(() => new Float64Array(S)),
    marginal: model.media.map(() => new Float64Array(S)),
    series: { fitted: [], trend: [], seasonality: [], controls: [], channels: model.media.map(() => []), terms: {} },
    termTotals: {},
    impressionValue: model.media.map((m) => (m.channel.reachFrequency ? new Float64Array(S) : undefined)),
    ...(p.panel
      ? {
          geo: {
            contribution: model.media.map(() => Array.from({ length: G }, () => new Float64Array(S))),
            marginal: model.media.map(() => Array.from({ length: G }, () => new Float64Array(S))),
            fitted: Array.from({ length: G }, () => []),
            channelMean: model.media.map(() => new Float64Array(n)),
          },
        }
      : {}),
    ...(windows.length ? { windowed: model.media.map(() => windows.map(() => new Float64Array(S))) } : {}),
  };
  const byGeo = new Float64Array(G);
  const dByGeo = new Float64Array(G);
  for (let s = 0; s < S; s++) {
    const v = values[s];
    const d = model.evaluate(v);
    for (let c = 0; c < C; c++) {
      const contrib = d.contributions[c];
      geoTotalsInto(byGeo, dByGeo, model.media[c].channel, v, contrib, d.coefficients[c], d.adstocked[c], unit, T);
      let total = 0;
      let dTotal = 0;
      for (let g = 0; g < G; g++) {
        total += byGeo[g];
        dTotal += dByGeo[g];
        if (out.geo) {
          out.geo.contribution[c][g][s] = byGeo[g];
          out.geo.marginal[c][g][s] = spendByGeo[c][g] > 0 ? dByGeo[g] / spendByGeo[c][g] : Number.NaN;
        }
      }
      out.contribution[c][s] = total;
      const iv = out.impressionValue[c];
      if (iv) iv[s] = impressionValue(model.data, c, d.coefficients[c], unit);
      out.marginal[c][s] = dTotal / spendByGeo[c].reduce((a, b) => a + b, 0);
      if (out.geo) for (let i = 0; i < n; i++) out.geo.channelMean[c][i] += (contrib[i] * unit[i]) / S;
      if (out.windowed)
        windows.forEach(([from, to], w) => {
          let a = 0;
          for (let g = 0; g < G; g++) for (let t = from; t < to; t++) a += contrib[g * T + t] * unit[g * T + t];
          out.windowed![c][w][s] = a;
        });
    }
    for (const [name, x] of Object.entries(d.terms)) {
      let a = 0;
      for (let i = 0; i < n; i++) a += x[i] * unit[i];
      (out.termTotals[name] ??= new Float64Array(S))[s] = a;
    }
    if (s % every === 0) {
      out.series.fitted.push(nationalSeries(d.mu, unit, T));
      out.series.trend.push(nationalSeries(d.trend, unit, T));
      out.series.seasonality.push(nationalSeries(d.seasonality, unit, T));
      out.series.controls.push(nationalSeries(d.controls, unit, T));
      d.contributions.forEach((x, c) => out.series.channels[c].push(nationalSeries(x, unit, T)));
      for (const [name, x] of Object.entries(d.terms)) (out.series.terms[name] ??= []).push(nationalSeries(x, unit, T));
    }
    if (out.geo && s % everyGeo === 0)
      for (let g = 0; g < G; g++) out.geo.fitted[g].push(Float64Array.from({ length: T }, (_, t) => d.mu[g * T + t] * unit[g * T + t]));
  }
  return out;
}

/** ROAS, marginal ROAS, contribution and shares per channel. @internal */
function channelResults(
  names: readonly string[],
  totalSpend: number[],
  contribution: readonly Float64Array[],
  marginal: readonly Float64Array[],
  interval: number,
): FitCommon['channels'] {
  const media = contribution.map((x) => x.reduce((a, b) => a + b, 0) / x.length);
  const mediaTotal = media.reduce((a, b) => a + b, 0);
  const spendTotal = totalSpend.reduce((a, b) => a + b, 0);
  return Object.fromEntries(
    names.map((nm, c) => [
      nm,
      {
        spend: totalSpend[c],
        contribution: estimate(contribution[c], interval),
        roas: estimate(
          contribution[c].map((x) => (totalSpend[c] > 0 ? x / totalSpend[c] : Number.NaN)),
          interval,
        ),
        marginalRoas: estimate(marginal[c], interval),
        effectShare: mediaTotal > 0 ? media[c] / mediaTotal : Number.NaN,
        spendShare: totalSpend[c] / spendTotal,
      },
    ]),
  );
}

/** What a summary of draws gives: the common parts of a fit but its timing, and a geo fit's and lift tests' parts. */
export type DrawSummary = Omit<FitCommon, 'timing'> & Pick<BayesianFit, 'panel' | 'geos' | 'pooling' | 'liftTests'>;

/** National frequencies per period: total impressions over total reach across geos (0 where no one was reached). @internal */
function reachWeighted(frequency: Record<string, Float64Array>, reach: Record<string, Float64Array>, T: number, G: number) {
  return Object.fromEntries(
    Object.entries(frequency).map(([name, f]) => {
      const r = reach[name];
      return [
        name,
        Array.from({ length: T }, (_, t) => {
          let imp = 0;
          let rr = 0;
          for (let g = 0; g < G; g++) {
            imp += r[g * T + t] * f[g * T + t];
            rr += r[g * T + t];
          }
          return rr > 0 ? imp / rr : 0;
        }),
      ];
    }),
  );
}

/** The data as fitted, in original units: national totals per period (controls averaged over geos). @internal */
export function fittedData(p: PreparedFit): FitCommon['data'] {
  const T = p.dates.length;
  const G = p.target.length / T;
  // national series per period: the sum over geos (the mean for controls)
  const national = (x: Float64Array, mean = false) =>
    Array.from({ length: T }, (_, t) => {
      let a = 0;
      for (let g = 0; g < G; g++) a += x[g * T + t];
      return mean ? a / G : a;
    });
  const nat = (r: Record<string, Float64Array>, mean = false) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, national(v, mean)]));
  return {
    geo: p.geo,
    dates: p.dates.map(isoDate),
    target: national(p.target),
    input: nat(p.input),
    ...(p.frequency ? { frequency: reachWeighted(p.frequency, p.input, T, G) } : {}),
    ...(p.organic ? { organic: nat(p.organic) } : {}),
    ...(p.treatments ? { treatments: nat(p.treatments, true) } : {}),
    spend: nat(p.spend),
    controls: nat(p.controls, true),
    periodDays: p.periodDays,
  };
}

/**
 * What draws of the natural parameters say (posterior draws, or bootstrap refits of a classical fit): channel results,
 * the decomposition over time and fit metrics, a geo fit's per-geo results and pooling, and each lift test's implied
 * lift. @internal
 */
export function summariseDraws(
  p: PreparedFit,
  set: { draws: Record<string, number[][]>; values: Array<Record<string, Float64Array>> },
  iv: number,
): DrawSummary {
  const { draws, values } = set;
  const T = p.dates.length;
  const G = p.target.length / T;
  const perGeo = (x: Float64Array) => Array.from({ length: G }, (_, g) => Array.from(x.subarray(g * T, (g + 1) * T)));
  const spendByGeo = p.channelNames.map((nm) => perGeo(p.spend[nm]).map((r) => r.reduce((a, b) => a + b, 0)));
  const totalSpend = spendByGeo.map((r) => r.reduce((a, b) => a + b, 0));
  const tv = resolveTimeVarying(p.spec, T);
  const windows = tv ? periodWindows(T, p.spec.periodsPerYear ?? 52) : { quarters: [], years: [] };
  const d = decompose(p, values, spendByGeo, [...windows.quarters, ...windows.years]);
  const fitted = seriesEstimate(d.series.fitted, iv);
  const data = fittedData(p);
  const out: DrawSummary = {
    version: 1,
    spec: p.spec,
    data,
    scaling: p.scaling,
    channels: channelResults(p.channelNames, totalSpend, d.contribution, d.marginal, iv),
    contributions: {
      fitted,
      trend: seriesEstimate(d.series.trend, iv),
      seasonality: seriesEstimate(d.series.seasonality, iv),
      controls: seriesEstimate(d.series.controls, iv),
      channels: Object.fromEntries(p.channelNames.map((nm, c) => [nm, seriesEstimate(d.series.channels[c], iv)])),
      ...(Object.keys(d.series.terms).length
        ? { terms: Object.fromEntries(Object.entries(d.series.terms).map(([nm, x]) => [nm, seriesEstimate(x, iv)])) }
        : {}),
    },
    fit: { r2: r2(data.target, fitted.mean), mape: mape(data.target, fitted.mean), nrmse: nrmse(data.target, fitted.mean) },
  };
  if (tv) addTimeVarying(p, tv, values, d, windows, out, iv);
  addReachFrequency(p, values, d, totalSpend, out, iv);
  const interactions = resolveInteractions(p.spec.interactions, p.channelNames, p.model.data.fourierColumns > 0);
  if (interactions.length)
    out.interactions = Object.fromEntries(
      interactions.map((it) => {
        const total = d.termTotals[it.name];
        const own = d.contribution[p.channelNames.indexOf(it.channel)];
        const relative = Float64Array.from(total, (x, s) => (own[s] !== 0 ? x / own[s] : 0));
        return [it.name, { channel: it.channel, with: it.with, contribution: estimate(total, iv), relative: estimate(relative, iv) }];
      }),
    );
  addOrganicAndTreatments(p, values, d, out, iv);
  if (p.panel && d.geo) Object.assign(out, geoSummary(p, p.panel, d.geo, draws, spendByGeo, perGeo, iv));
  const tests = p.model.data.liftTests ?? [];
  if (tests.length && p.liftTests) {
    const channels = p.spec.channels.map((ch) => resolveChannel(ch));
    const implied = tests.map(() => new Float64Array(values.length));
    // per capita of the test's geo in a geo fit
    const unitOf = (k: number) => p.scaling.yScale * (tests[k].geo !== undefined && p.panel ? p.panel.population[tests[k].geo!] : 1);
    values.forEach((v, s) =>
      impliedLifts(tests, channels, p.model.data.spend, v, p.panel ? T : undefined).forEach((x, k) => (implied[k][s] = x * unitOf(k))),
    );
    out.liftTests = p.liftTests.map((t, k) => ({ ...t, implied: estimate(implied[k], iv) }));
  }
  return out;
}

/** A time-varying fit's channels: each multiplier per period (≤ 1000 evenly spaced draws), ROAS per quarter and year. @internal */
function addTimeVarying(
  p: PreparedFit,
  tv: ResolvedTimeVarying,
  values: Array<Record<string, Float64Array>>,
  d: DrawDecomposition,
  windows: { quarters: Array<[number, number]>; years: Array<[number, number]> },
  out: DrawSummary,
  iv: number,
): void {
  const T = p.dates.length;
  const G = p.target.length / T;
  const data = out.data;
  const every = Math.max(1, Math.floor(values.length / 1000));
  const byChannel: Record<string, Float64Array[]> = {};
  for (let s = 0; s < values.length; s += every) {
    const m = multipliersAt(tv, T, (nm) => values[s][nm]);
    for (const c of tv.channels) (byChannel[c] ??= []).push(m[c]);
  }
  const spendIn = (c: number, [from, to]: [number, number]) => {
    let a = 0;
    for (let g = 0; g < G; g++) for (let t = from; t < to; t++) a += p.spend[p.channelNames[c]][g * T + t];
    return a;
  };
  const table = (c: number, list: ReadonlyArray<[number, number]>, offset: number) =>
    list.map((w, k) => {
      const spend = spendIn(c, w);
      const contribution = d.windowed![c][offset + k];
      return {
        start: data.dates[w[0]],
        end: data.dates[w[1] - 1],
        spend,
        contribution: estimate(contribution, iv),
        roas: estimate(
          contribution.map((x) => (spend > 0 ? x / spend : Number.NaN)),
          iv,
        ),
      };
    });
  p.channelNames.forEach((nm, c) => {
    const ch = out.channels[nm];
    if (byChannel[nm]) ch.effectOverTime = seriesEstimate(byChannel[nm], iv);
    ch.roasByPeriod = { quarters: table(c, windows.quarters, 0), years: table(c, windows.years, windows.quarters.length) };
  });
}

/**
 * Organic media and treatments: each one's total contribution per draw (its term's, in target units) and a treatment's
 * effect from its smallest to its largest value per period, τ·(mean target unit summed over geos). @internal
 */
function addOrganicAndTreatments(
  p: PreparedFit,
  values: ReadonlyArray<Record<string, Float64Array>>,
  d: DrawDecomposition,
  out: DrawSummary,
  iv: number,
): void {
  const organic = p.spec.organic ?? [];
  const treatments = p.spec.treatments ?? [];
  if (organic.length)
    out.organic = Object.fromEntries(organic.map((ch) => [ch.name, { contribution: estimate(d.termTotals[ch.name], iv) }]));
  if (!treatments.length) return;
  const unit = p.scaling.yScale * (p.panel ? p.panel.population.reduce((a, b) => a + b, 0) : 1);
  out.treatments = Object.fromEntries(
    treatments.map((tr) => [
      tr.name,
      {
        contribution: estimate(d.termTotals[tr.name], iv),
        effect: estimate(
          Float64Array.from(values, (v) => v[`${tr.name}.treatment`][0] * unit),
          iv,
        ),
      },
    ]),
  );
}

/**
 * Reach-and-frequency channels: the optimal frequency per draw (the maximiser of Hill(f)/f, K·(S − 1)^(1/S), 0 when
 * S ≤ 1), the data's frequencies and cost per impression, and the steady-state ROAS by frequency,
 * ROAS(f) = A·H(f)/f / spend with A = Σ_i β_i·unit_i·r_i·f_i per draw. @internal
 */
function addReachFrequency(
  p: PreparedFit,
  values: ReadonlyArray<Record<string, Float64Array>>,
  d: DrawDecomposition,
  totalSpend: number[],
  out: DrawSummary,
  iv: number,
): void {
  p.channelNames.forEach((name, c) => {
    const value = d.impressionValue[c];
    const frequency = p.frequency?.[name];
    if (!value || !frequency) return;
    const { impressions, reached, max: maxFrequency } = frequencySums(p.input[name], frequency);
    const K = values.map((v) => v[`${name}.saturation.halfSaturation`][0]);
    const S = values.map((v) => v[`${name}.saturation.slope`][0]);
    const optimal = Float64Array.from(K, (k, s) => optimalFrequency(k, S[s]));
    const top = Math.max(3, 1.5 * maxFrequency);
    const grid = Array.from({ length: 41 }, (_, j) => Math.round((1 + ((top - 1) * j) / 40) * 100) / 100);
    const roas = grid.map((f) =>
      estimate(
        Float64Array.from(value, (a, s) => (a * hill(f, K[s], S[s])) / f / totalSpend[c]),
        iv,
      ),
    );
    const ch = out.channels[name];
    ch.optimalFrequency = estimate(optimal, iv);
    ch.reachFrequency = {
      averageFrequency: impressions / reached,
      maxFrequency,
      costPerImpression: totalSpend[c] / impressions,
      responseByFrequency: { frequency: grid, roas },
    };
  });
}

/** A geo fit's panel data, per-geo results and pooling parameters. @internal */
function geoSummary(
  p: PreparedFit,
  panel: GeoPanel,
  d: NonNullable<DrawDecomposition['geo']>,
  draws: Record<string, number[][]>,
  spendByGeo: number[][],
  perGeo: (x: Float64Array) => number[][],
  iv: number,
): Pick<BayesianFit, 'panel' | 'geos' | 'pooling'> {
  const byGeo = (r: Record<string, Float64Array>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, perGeo(v)]));
  const targets = perGeo(p.target);
  const geos: NonNullable<BayesianFit['geos']> = {};
  panel.geos.forEach((geo, g) => {
    const fitted = seriesEstimate(d.fitted[g], iv);
    geos[geo] = {
      population: panel.population[g],
      // channels the geo never spent on have no ROAS there: they are left out of the geo's results
      channels: channelResults(
        p.channelNames.filter((_, c) => spendByGeo[c][g] > 0),
        spendByGeo.filter((r) => r[g] > 0).map((r) => r[g]),
        d.contribution.filter((_, c) => spendByGeo[c][g] > 0).map((c) => c[g]),
        d.marginal.filter((_, c) => spendByGeo[c][g] > 0).map((c) => c[g]),
        iv,
      ),
      contributions: { fitted, channels: Object.fromEntries(p.channelNames.map((nm, c) => [nm, perGeo(d.channelMean[c])[g]])) },
      fit: { r2: r2(targets[g], fitted.mean), mape: mape(targets[g], fitted.mean), nrmse: nrmse(targets[g], fitted.mean) },
    };
  });
  const flat = (name: string) => draws[name].flat();
  return {
    panel: {
      geos: panel.geos,
      population: panel.population,
      populationSource: panel.populationSource,
      target: targets,
      input: byGeo(p.input),
      ...(p.frequency ? { frequency: byGeo(p.frequency) } : {}),
      ...(p.organic ? { organic: byGeo(p.organic) } : {}),
      ...(p.treatments ? { treatments: byGeo(p.treatments) } : {}),
      spend: byGeo(p.spend),
      controls: byGeo(p.controls),
    },
    geos,
    pooling: {
      baselineSd: estimate(flat('baseline.sd'), iv),
      scatter: Object.fromEntries(
        p.model.media
          .filter((m) => m.channel.names.scatter in draws)
          .map((m) => [m.channel.name, estimate(flat(m.channel.names.scatter), iv)]),
      ),
    },
  };
}

/**
 * The fitted periods cut into quarters and years from the first period (⌊periodsPerYear/4⌉ and periodsPerYear periods;
 * a last partial window is kept when it holds at least half a window). @internal
 */
function periodWindows(T: number, periodsPerYear: number): { quarters: Array<[number, number]>; years: Array<[number, number]> } {
  const cut = (len: number) => {
    const out: Array<[number, number]> = [];
    for (let from = 0; from < T; from += len) if (T - from >= len / 2) out.push([from, Math.min(T, from + len)]);
    return out;
  };
  return { quarters: cut(Math.max(1, Math.round(periodsPerYear / 4))), years: cut(Math.max(1, Math.round(periodsPerYear))) };
}
