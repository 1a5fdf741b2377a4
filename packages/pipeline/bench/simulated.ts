// Data sets simulated from @mmm/model's own simulator for the benchmarks: 156 weeks × 5 channels (geometric adstock,
// Hill curves), trend, two Fourier pairs and one control; spend always-on, flighted or bursty by channel; true
// parameters drawn per data set from a seeded stream.
import { createRng } from '@mmm/bayes-nuts';
import { simulate, type ModelSpec } from '@mmm/model';

export const T = 156;
export const channels = ['tv', 'search', 'social', 'display', 'radio'];
const spec: ModelSpec = {
  channels: channels.map((name) => ({ name })),
  controls: ['price'],
  seasonality: { order: 2, period: 52 },
  trend: 'linear',
};

/** One simulated data set: rows for fitMMM and each channel's true ROAS. */
export function dataset(seed: number): {
  rows: Array<Record<string, number | string>>;
  roas: Record<string, number>;
  decay: Record<string, number>;
} {
  const rng = createRng(seed, 3);
  const spend: Record<string, Float64Array> = {};
  channels.forEach((c, k) => {
    const level = 1000 * (1 + 4 * rng.uniform());
    spend[c] = Float64Array.from({ length: T }, (_, t) => {
      if (k % 3 === 0) return level * (1 + 0.5 * Math.sin(t / 6 + k)) * (0.8 + 0.4 * rng.uniform()); // always on
      if (k % 3 === 1) return Math.floor(t / 8) % 2 === 0 ? level * (1.5 + rng.uniform()) : 0; // flighted
      return rng.uniform() < 0.25 ? level * (2 + 2 * rng.uniform()) : 0.1 * level * rng.uniform(); // bursts
    });
  });
  const price = Float64Array.from({ length: T }, () => 1 + 0.05 * rng.normal());
  const params: Record<string, number[]> = {
    intercept: [0.6 + 0.2 * rng.uniform()],
    trend: [0.05 * rng.normal()],
    fourier: [0.05 * rng.normal(), 0.05 * rng.normal(), 0.02 * rng.normal(), 0.02 * rng.normal()],
    control: [-0.02],
    sigma: [0.03],
  };
  const decay: Record<string, number> = {};
  for (const c of channels) {
    decay[c] = 0.1 + 0.7 * rng.uniform();
    params[`${c}.adstock.alpha`] = [decay[c]];
    params[`${c}.saturation.halfSaturation`] = [0.2 + 0.6 * rng.uniform()];
    params[`${c}.saturation.slope`] = [0.8 + 1.5 * rng.uniform()];
    params[`${c}.beta`] = [0.05 + 0.2 * rng.uniform()];
  }
  const sim = simulate(spec, { spend, controls: { price } }, params, { seed, yScale: 1e5 });
  const roas = Object.fromEntries(
    channels.map((c) => [c, sim.contributions[c].reduce((a, b) => a + b, 0) / spend[c].reduce((a, b) => a + b, 0)]),
  );
  const start = Date.UTC(2022, 0, 3);
  const rows = Array.from({ length: T }, (_, t) => ({
    date: new Date(start + 7 * t * 86_400_000).toISOString().slice(0, 10),
    sales: sim.y[t],
    price: price[t],
    ...Object.fromEntries(channels.map((c) => [c, spend[c][t]])),
  }));
  return { rows, roas, decay };
}

/** A channel's spend pattern in the convergence study. */
export type Archetype = 'always-on' | 'flighted' | 'sporadic' | 'bursts';
const ARCHETYPES: Archetype[] = ['always-on', 'flighted', 'sporadic', 'bursts'];

/** One periods' spend series of an archetype around `level`. */
function pattern(kind: Archetype, T: number, level: number, k: number, rng: ReturnType<typeof createRng>): Float64Array {
  const x = new Float64Array(T);
  if (kind === 'always-on') for (let t = 0; t < T; t++) x[t] = level * (1 + 0.5 * Math.sin(t / 6 + k)) * (0.8 + 0.4 * rng.uniform());
  else if (kind === 'flighted') {
    const on = 4 + Math.floor(6 * rng.uniform());
    for (let t = 0; t < T; t++) x[t] = Math.floor((t + k) / on) % 2 === 0 ? level * (1.5 + rng.uniform()) : 0;
  } else if (kind === 'sporadic') {
    // a few campaigns of 2 to 4 weeks, dark otherwise
    let t = Math.floor(8 * rng.uniform());
    while (t < T) {
      const len = 2 + Math.floor(3 * rng.uniform());
      for (let j = t; j < Math.min(T, t + len); j++) x[j] = level * (2 + 2 * rng.uniform());
      t += len + 6 + Math.floor(14 * rng.uniform());
    }
  } else for (let t = 0; t < T; t++) x[t] = rng.uniform() < 0.25 ? level * (2 + 2 * rng.uniform()) : 0.1 * level * rng.uniform();
  return x;
}

/**
 * A data set of the convergence study (docs/validation.md): 104 to 260 weekly periods, 3 to 10 channels whose spend
 * follows the four archetypes in turn, Hill or logistic saturation (the fit is told which), geometric adstock, a
 * linear trend, two Fourier pairs and one control, true parameters drawn per data set.
 */
export function studyDataset(seed: number): {
  rows: Array<Record<string, number | string>>;
  roas: Record<string, number>;
  channels: string[];
  saturation: 'hill' | 'logistic';
  T: number;
  archetypes: Archetype[];
} {
  const rng = createRng(seed, 7);
  const T = [104, 156, 208, 260][seed % 4];
  const C = 3 + (Math.floor(seed / 4) % 8);
  const saturation = Math.floor(seed / 2) % 2 === 0 ? 'hill' : 'logistic';
  const names = Array.from({ length: C }, (_, k) => `ch${k + 1}`);
  const archetypes = names.map((_, k) => ARCHETYPES[(k + seed) % 4]);
  const s: ModelSpec = {
    channels: names.map((name) => ({ name, saturation: { type: saturation } })),
    controls: ['price'],
    seasonality: { order: 2, period: 52 },
    trend: 'linear',
  };
  const spend: Record<string, Float64Array> = {};
  names.forEach((c, k) => (spend[c] = pattern(archetypes[k], T, 1000 * (1 + 4 * rng.uniform()), k, rng)));
  const price = Float64Array.from({ length: T }, () => 1 + 0.05 * rng.normal());
  const params: Record<string, number[]> = {
    intercept: [0.6 + 0.2 * rng.uniform()],
    trend: [0.05 * rng.normal()],
    fourier: [0.05 * rng.normal(), 0.05 * rng.normal(), 0.02 * rng.normal(), 0.02 * rng.normal()],
    control: [-0.02],
    sigma: [0.03],
  };
  for (const c of names) {
    params[`${c}.adstock.alpha`] = [0.1 + 0.7 * rng.uniform()];
    if (saturation === 'hill') {
      params[`${c}.saturation.halfSaturation`] = [0.2 + 0.6 * rng.uniform()];
      params[`${c}.saturation.slope`] = [0.8 + 1.5 * rng.uniform()];
    } else params[`${c}.saturation.lambda`] = [1 + 4 * rng.uniform()];
    params[`${c}.beta`] = [(0.25 + 1.0 * rng.uniform()) / C];
  }
  const sim = simulate(s, { spend, controls: { price } }, params, { seed, yScale: 1e5 });
  const roas = Object.fromEntries(
    names.map((c) => [c, sim.contributions[c].reduce((a, b) => a + b, 0) / spend[c].reduce((a, b) => a + b, 0)]),
  );
  const start = Date.UTC(2020, 0, 6);
  const rows = Array.from({ length: T }, (_, t) => ({
    date: new Date(start + 7 * t * 86_400_000).toISOString().slice(0, 10),
    sales: sim.y[t],
    price: price[t],
    ...Object.fromEntries(names.map((c) => [c, spend[c][t]])),
  }));
  return { rows, roas, channels: names, saturation, T, archetypes };
}

/**
 * A data set of the geo recovery study (docs/validation.md), drawn from the geo hierarchy of `mmm_geo.stan`: G geos
 * (6 to 12) × 104 weeks × 3 channels (always-on, flighted, sporadic or bursts), populations log-uniform over 25×;
 * spend proportional to population times a geo targeting factor (log-normal, sd 0.4) on a national pattern, the
 * third channel dark in about a quarter of the geos; curves shared, each geo's effect β_c·exp(η_c z_gc), baselines
 * τ_g ~ Normal(τ_μ, τ_σ), shared trend and seasonality, one national control; every parameter drawn per data set.
 * Returns long rows (geo, week, population, sales, spend) and the true ROAS nationally and per geo (NaN where dark).
 */
// long: one generator, its steps in the order of the model's blocks; splitting it would scatter the truth it returns
export function geoStudyDataset(seed: number): {
  rows: Array<Record<string, number | string>>;
  channels: string[];
  geos: string[];
  roas: Record<string, number>;
  geoRoas: Record<string, Record<string, number>>;
  dark: Array<[string, string]>;
  params: Record<string, number[]>;
} {
  const rng = createRng(seed, 11);
  const G = [6, 8, 10, 12][seed % 4];
  const T = 104;
  const names = ['ch1', 'ch2', 'ch3'];
  const geos = Array.from({ length: G }, (_, g) => `geo${String(g + 1).padStart(2, '0')}`);
  const kinds: Archetype[] = ['always-on', 'flighted', seed % 2 === 0 ? 'sporadic' : 'bursts'];
  const population = geos.map(() => 2e5 * Math.exp(Math.log(25) * rng.uniform()));
  const dark = new Set<number>();
  for (let g = 0; g < G; g++) if (rng.uniform() < 0.25) dark.add(g);
  if (dark.size === G) dark.delete(0);
  const spend: Record<string, Float64Array> = {};
  names.forEach((c, k) => {
    const national = pattern(kinds[k], T, 1, k, rng);
    const x = new Float64Array(G * T);
    for (let g = 0; g < G; g++) {
      if (k === 2 && dark.has(g)) continue;
      const target = 0.002 * population[g] * Math.exp(0.4 * rng.normal());
      for (let t = 0; t < T; t++) x[g * T + t] = national[t] * target * (0.85 + 0.3 * rng.uniform());
    }
    spend[c] = x;
  });
  const price = Float64Array.from({ length: G * T }, (_, i) => 1 + 0.05 * Math.sin(((i % T) / T) * 9) + 0.02 * rng.normal());
  const tauMu = 0.6 + 0.2 * rng.uniform();
  const tauSd = 0.05 + 0.15 * rng.uniform();
  const params: Record<string, number[]> = {
    'baseline.mean': [tauMu],
    'baseline.sd': [tauSd],
    baseline: geos.map(() => tauMu + tauSd * rng.normal()),
    trend: [0.05 * rng.normal()],
    fourier: [0.05 * rng.normal(), 0.05 * rng.normal(), 0.02 * rng.normal(), 0.02 * rng.normal()],
    control: [-0.02],
    sigma: [0.03 + 0.03 * rng.uniform()],
  };
  for (const c of names) {
    params[`${c}.adstock.alpha`] = [0.1 + 0.6 * rng.uniform()];
    params[`${c}.saturation.halfSaturation`] = [0.5 + rng.uniform()];
    params[`${c}.saturation.slope`] = [0.8 + 1.5 * rng.uniform()];
    params[`${c}.beta`] = [0.05 + 0.25 * rng.uniform()];
    params[`${c}.eta`] = [0.1 + 0.3 * rng.uniform()];
    params[`${c}.z`] = geos.map(() => rng.normal());
  }
  const s: ModelSpec = {
    channels: names.map((name) => ({ name })),
    controls: ['price'],
    seasonality: { order: 2, period: 52 },
    trend: 'linear',
  };
  const sim = simulate(s, { spend, controls: { price }, geo: { count: G, periods: T, population } }, params, { seed, yScale: 2 });
  const total = (a: Float64Array, g?: number) => {
    let v = 0;
    for (let i = g === undefined ? 0 : g * T; i < (g === undefined ? a.length : (g + 1) * T); i++) v += a[i];
    return v;
  };
  const roas = Object.fromEntries(names.map((c) => [c, total(sim.contributions[c]) / total(spend[c])]));
  const geoRoas = Object.fromEntries(
    geos.map((geo, g) => [
      geo,
      Object.fromEntries(names.map((c) => [c, total(spend[c], g) > 0 ? total(sim.contributions[c], g) / total(spend[c], g) : Number.NaN])),
    ]),
  );
  const start = Date.UTC(2021, 0, 4);
  const rows: Array<Record<string, number | string>> = [];
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      const i = g * T + t;
      rows.push({
        geo: geos[g],
        week: new Date(start + 7 * t * 86_400_000).toISOString().slice(0, 10),
        population: population[g],
        sales: sim.y[i],
        price: price[i],
        ...Object.fromEntries(names.map((c) => [c, spend[c][i]])),
      });
    }
  }
  return { rows, channels: names, geos, roas, geoRoas, dark: [...dark].map((g) => [geos[g], 'ch3']), params };
}
