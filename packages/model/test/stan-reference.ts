// The reference data set and the map from Stan's parameter names to ours (shared by tests and benchmarks).
import { readFileSync } from 'node:fs';
import type { ModelSpec, RawModelData } from '../src/index.js';

export interface StanData {
  N: number;
  channels: string[];
  control_names: string[];
  sat_type: number[];
  period: number;
  L: number;
  F: number;
  spend: number[][];
  controls: number[][];
  y: number[];
  dates: string[];
}

export const stanData = JSON.parse(readFileSync(new URL('./fixtures/stan-data.json', import.meta.url), 'utf8')) as StanData;
export const stanResults = JSON.parse(readFileSync(new URL('./fixtures/stan-results.json', import.meta.url), 'utf8')) as {
  parameters: Array<{ name: string; truth: number; mean: number; sd: number; ess_bulk: number }>;
  channels: Array<{ name: string; roas: { truth: number; mean: number } }>;
};

/** mmm.stan as a spec: geometric adstock (8 lags, normalised), Hill or logistic per channel, 2 Fourier pairs. */
export function stanSpec(d: StanData = stanData): ModelSpec {
  return {
    channels: d.channels.map((name, c) => ({
      name,
      adstock: { type: 'geometric', maxLag: d.L },
      saturation: { type: d.sat_type[c] === 1 ? 'hill' : 'logistic' },
    })),
    controls: d.control_names,
    seasonality: { order: d.F, period: d.period },
    trend: 'linear',
    periodsPerYear: 52,
  };
}

export function stanRaw(d: StanData = stanData): RawModelData {
  const spend: Record<string, number[]> = {};
  d.channels.forEach((name, c) => (spend[name] = d.spend.map((row) => row[c])));
  const controls: Record<string, number[]> = {};
  d.control_names.forEach((name, j) => (controls[name] = d.controls.map((row) => row[j])));
  return { y: d.y, spend, controls };
}

/** Our name for a Stan parameter name. */
export function ourName(stanName: string, d: StanData = stanData): string {
  const m = /^(\w+)\[(\d+)\]$/.exec(stanName);
  if (!m) return stanName;
  const [, base, idx] = m;
  const i = Number(idx);
  const hill = d.channels.filter((_, c) => d.sat_type[c] === 1);
  const logistic = d.channels.filter((_, c) => d.sat_type[c] === 2);
  switch (base) {
    case 'alpha':
      return `${d.channels[i - 1]}.adstock.alpha`;
    case 'beta':
      return `${d.channels[i - 1]}.beta`;
    case 'K':
      return `${hill[i - 1]}.saturation.halfSaturation`;
    case 'S':
      return `${hill[i - 1]}.saturation.slope`;
    case 'lam':
      return `${logistic[i - 1]}.saturation.lambda`;
    case 'gamma_fourier':
      return `fourier[${i}]`;
    case 'gamma_control':
      return `control[${i}]`;
    default:
      return stanName;
  }
}
