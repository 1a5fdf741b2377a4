// The reference geo data set as model inputs (shared by the geo tests and the benchmark), and mmm_geo.stan as a spec.
import { readFileSync } from 'node:fs';
import type { ModelSpec, RawModelData } from '../src/index.js';

export interface GeoStanData {
  G: number;
  N: number;
  C: number;
  L: number;
  J: number;
  F: number;
  period: number;
  geos: string[];
  weeks: string[];
  channels: string[];
  population: number[];
  /** [g][t] */
  y: number[][];
  /** [g][t][c] */
  spend: number[][][];
  /** [t][j], national */
  controls: number[][];
  control_names: string[];
}

export const geoData = JSON.parse(readFileSync(new URL('./fixtures/geo-data.json', import.meta.url), 'utf8')) as GeoStanData;

/** mmm_geo.stan as a spec: geometric adstock (L lags, normalised) and Hill per channel, F Fourier pairs, national controls. */
export function geoSpec(d: GeoStanData = geoData): ModelSpec {
  return {
    channels: d.channels.map((name) => ({ name, adstock: { type: 'geometric', maxLag: d.L }, saturation: { type: 'hill' } })),
    controls: d.control_names,
    seasonality: { order: d.F, period: d.period },
    trend: 'linear',
  };
}

/** The data flattened geo-major, as prepareModelData takes a panel. */
export function geoRaw(d: GeoStanData = geoData): RawModelData {
  const flat = (f: (g: number, t: number) => number) => Float64Array.from({ length: d.G * d.N }, (_, i) => f(Math.floor(i / d.N), i % d.N));
  return {
    y: flat((g, t) => d.y[g][t]),
    spend: Object.fromEntries(d.channels.map((c, k) => [c, flat((g, t) => d.spend[g][t][k])])),
    controls: Object.fromEntries(d.control_names.map((c, j) => [c, flat((_g, t) => d.controls[t][j])])),
    geo: { count: d.G, periods: d.N, population: d.population },
  };
}

/** The first `G` geos and `N` weeks of the reference data. */
export function subset(G: number, N: number): GeoStanData {
  return {
    ...geoData,
    G,
    N,
    geos: geoData.geos.slice(0, G),
    weeks: geoData.weeks.slice(0, N),
    population: geoData.population.slice(0, G),
    y: geoData.y.slice(0, G).map((r) => r.slice(0, N)),
    spend: geoData.spend.slice(0, G).map((r) => r.slice(0, N)),
    controls: geoData.controls.slice(0, N),
  };
}
