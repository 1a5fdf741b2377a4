// Lift tests in a set of geos of a geo fit (docs/experiments.md): the lift a test should measure under each draw, its
// standard error from the model's noise in those geos, each channel's national ROAS per draw, and the default sets of
// geos to test. A test's spend is split over its geos by their spend on the channel in the data, as `fitMMM` reads a
// steady-state test with `geos` (prepare.ts), so that a design and the lift test it becomes are the same test.
import { InvalidInputError } from '@mmm/core';
import { DEFAULT_MAX_LAG, adstockInto } from '@mmm/transforms';
import type { DrawCurve } from '@mmm/optimize';
import { geoCells, nationalCurve, type GeoCell } from './budget.js';
import { channelDraws } from './summaries.js';
import type { GeoPanelData, ModelFit } from './types.js';

/** A test in geos: on `channel`, `x` per period in total over `geos`, changed by `deltaX`, for `periods`. @internal */
export interface GeoTest {
  channel: string;
  geos: readonly string[];
  x: number;
  deltaX: number;
  periods: number;
}

/** What a geo fit's designs read: lifts, noise, ROAS and budget curves per draw. @internal */
export interface GeoTestModel {
  /** per channel, its cells with spend (geos by decreasing spend) */
  cells: Record<string, GeoCell[]>;
  /** the lift per draw of a test: periods × Σ_g (cell_g(x_g + dx_g) − cell_g(x_g)), the spend split by the cells' spend */
  lift(test: GeoTest): Float64Array;
  /** the standard error of a test's total lift read against the model's noise: ȳ·√(periods·Σ_g (pop_g·σ_g)²) */
  sd(geos: readonly string[], periods: number): number;
  /** each channel's national ROAS per draw */
  roas(c: number): Float64Array;
  /** each channel's national response per period, its spend spread over its geos in their current shares */
  curves: DrawCurve[];
}

/** The geo fit's test model over `S` thinned draws. @internal */
export function geoTestModel(fit: ModelFit, panel: GeoPanelData, S: number, values: (name: string) => number[]): GeoTestModel {
  const all = geoCells(fit, panel, S, values);
  const cells: Record<string, GeoCell[]> = {};
  for (const ch of fit.spec.channels)
    cells[ch.name] = all.filter((cell) => cell.channel === fit.spec.channels.indexOf(ch)).sort((a, b) => b.current - a.current);
  const sigma = noiseByGeo(fit, panel, values);
  const hi = new Float64Array(S);
  const lo = new Float64Array(S);
  return {
    cells,
    lift(test) {
      const mine = cellsIn(cells[test.channel], test, panel);
      const total = mine.reduce((a, cell) => a + cell.current, 0);
      const out = new Float64Array(S);
      for (const cell of mine) {
        const share = cell.current / total;
        cell.response(share * (test.x + test.deltaX), hi);
        cell.response(share * test.x, lo);
        for (let s = 0; s < S; s++) out[s] += test.periods * (hi[s] - lo[s]);
      }
      return out;
    },
    sd(geos, periods) {
      let v = 0;
      for (const name of geos) {
        const g = panel.geos.indexOf(name);
        v += (panel.population[g] * sigma[g]) ** 2;
      }
      return fit.scaling.yScale * Math.sqrt(periods * v);
    },
    roas: (c) => geoRoasDraws(fit, panel, c, S, values, cells[fit.spec.channels[c].name]),
    curves: fit.spec.channels.map((ch, c) => {
      const curve = nationalCurve(all, c, S);
      return { channel: ch.name, draws: S, responseDraws: curve.response, marginalDraws: curve.marginal };
    }),
  };
}

/** A test's cells: its geos with spend on the channel; refused when they had none. @internal */
function cellsIn(cells: GeoCell[], test: GeoTest, panel: GeoPanelData): GeoCell[] {
  const mine = cells.filter((cell) => test.geos.includes(panel.geos[cell.geo]));
  if (mine.length === 0)
    throw new InvalidInputError(
      'geos',
      `(${test.geos.slice(0, 4).join(', ')}${test.geos.length > 4 ? ', …' : ''}) had no spend on ${test.channel}`,
      'A test in geos changes the spend they had: choose geos with spend on the channel.',
    );
  return mine;
}

/** Each geo's posterior mean noise scale σ_g (the model's scale: per capita, in units of mean y). @internal */
function noiseByGeo(fit: ModelFit, panel: GeoPanelData, values: (name: string) => number[]): number[] {
  const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  if (fit.draws.sigma) return panel.geos.map(() => mean(values('sigma')));
  return panel.geos.map((_, g) => mean(values(`sigma[${g + 1}]`)));
}

/** Channel c's national ROAS per draw: Σ_g (its cell's coefficient)·Σ_t s(adstock(x_g)_t) over the channel's spend. @internal */
function geoRoasDraws(
  fit: ModelFit,
  panel: GeoPanelData,
  c: number,
  S: number,
  values: (name: string) => number[],
  cells: GeoCell[],
): Float64Array {
  const ch = fit.spec.channels[c];
  const d = channelDraws(ch, values, { beta: false, fit });
  const L = ch.adstock?.maxLag ?? DEFAULT_MAX_LAG;
  const T = fit.data.dates.length;
  const w = new Float64Array(L);
  const a = new Float64Array(T);
  const sat = new Float64Array(T);
  const pa = new Float64Array(d.adstockParams.length);
  const spend = fit.data.spend[ch.name].reduce((x, y) => x + y, 0);
  const out = new Float64Array(S);
  // each cell's input on the model's scale (per capita over the channel's scale)
  const inputs = cells.map((cell) =>
    Float64Array.from(panel.input[ch.name][cell.geo], (v) => v / (panel.population[cell.geo] * fit.scaling.spendScale[c])),
  );
  for (let s = 0; s < S; s++) {
    for (let k = 0; k < pa.length; k++) pa[k] = d.adstockParams[k][s];
    d.adstock.weightsInto(w, pa, ch.adstock?.normalize ?? true);
    let total = 0;
    cells.forEach((cell, i) => {
      adstockInto(a, inputs[i], w);
      d.saturation.valueInto(sat, a, cell.params[s]);
      let sum = 0;
      for (let t = 0; t < T; t++) sum += sat[t];
      total += cell.beta[s] * sum;
    });
    out[s] = spend > 0 ? total / spend : 0;
  }
  return out;
}

/**
 * The default sets of geos to test a channel in: all its geos with spend, and every other one of them in the order of
 * their spend (a treatment half matched in size to the other half, as a geo split assigns markets). @internal
 */
export function defaultGeoSets(cells: readonly GeoCell[], panel: GeoPanelData): string[][] {
  const names = cells.map((cell) => panel.geos[cell.geo]);
  if (names.length < 2) return [names];
  return [names, names.filter((_, i) => i % 2 === 0)];
}
