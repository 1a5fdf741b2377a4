// `npm run example:scale -- --geos 200 --channels 10`: a geo panel simulated with @mmm/model's simulator (the geo
// hierarchy: curves shared by the geos, each geo's effect β_c·exp(η_c z_gc), a baseline per geo around a national
// one, shared trend and seasonality, two controls), fitted with fitMMM's defaults on worker threads. Prints the wall
// time, the process's peak memory (resident set, worker threads included), the convergence gate and how many channels'
// true national ROAS lie inside their 90% intervals. Options: --geos (default 8), --channels (5), --weeks (156),
// --warmup and --draws (1000 each), --seed (1). Writes out/scale.json with the figures.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@mmm/bayes-nuts';
import { simulate, type ModelSpec } from '@mmm/model';
import { fitMMM } from '@mmm/pipeline';
import { dataDir } from './data.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!(Number.isInteger(v) && v >= 1)) throw new Error(`--${name} takes a whole number ≥ 1, not ${process.argv[i + 1]}`);
  return v;
};
const G = arg('geos', 8);
const C = arg('channels', 5);
const T = arg('weeks', 156);
const seed = arg('seed', 1);
const warmup = arg('warmup', 1000);
const draws = arg('draws', 1000);

/** The panel: long rows (geo, week, population, sales, spend per channel, two controls) and each channel's true ROAS. */
function simulatePanel(): { rows: Array<Record<string, number | string>>; channels: string[]; roas: Record<string, number> } {
  const rng = createRng(seed, 17);
  const channels = Array.from({ length: C }, (_, k) => `ch${k + 1}`);
  const geos = Array.from({ length: G }, (_, g) => `geo${String(g + 1).padStart(3, '0')}`);
  // populations spread over 25× (log-uniform), spend roughly proportional to population with a geo's own tilt
  const population = geos.map(() => Math.round(2e5 * Math.exp(Math.log(25) * rng.uniform())));
  const spend: Record<string, Float64Array> = {};
  channels.forEach((c, k) => {
    // always on, flighted (8 weeks on, 8 off) or bursts, by channel
    const national = Float64Array.from({ length: T }, (_, t) => {
      if (k % 3 === 0) return (1 + 0.5 * Math.sin(t / 6 + k)) * (0.8 + 0.4 * rng.uniform());
      if (k % 3 === 1) return Math.floor((t + 4 * k) / 8) % 2 === 0 ? 1.5 + rng.uniform() : 0;
      return rng.uniform() < 0.25 ? 2 + 2 * rng.uniform() : 0.1 * rng.uniform();
    });
    const x = new Float64Array(G * T);
    for (let g = 0; g < G; g++) {
      const level = (0.2 * population[g] * Math.exp(0.4 * rng.normal())) / C;
      for (let t = 0; t < T; t++) x[g * T + t] = national[t] * level * (0.85 + 0.3 * rng.uniform());
    }
    spend[c] = x;
  });
  const controls = {
    price: Float64Array.from({ length: G * T }, (_, i) => 1 + 0.05 * Math.sin(((i % T) / T) * 9) + 0.02 * rng.normal()),
    competitor: Float64Array.from({ length: G * T }, (_, i) => Math.cos(((i % T) / T) * 5) + 0.3 * rng.normal()),
  };
  const tauMu = 0.6 + 0.2 * rng.uniform();
  const tauSd = 0.05 + 0.15 * rng.uniform();
  const params: Record<string, number[]> = {
    'baseline.mean': [tauMu],
    'baseline.sd': [tauSd],
    baseline: geos.map(() => tauMu + tauSd * rng.normal()),
    trend: [0.05 * rng.normal()],
    fourier: [0.05 * rng.normal(), 0.05 * rng.normal(), 0.02 * rng.normal(), 0.02 * rng.normal()],
    control: [-0.02, 0.01],
    sigma: [0.03 + 0.03 * rng.uniform()],
  };
  for (const c of channels) {
    params[`${c}.adstock.alpha`] = [0.1 + 0.6 * rng.uniform()];
    params[`${c}.saturation.halfSaturation`] = [0.5 + rng.uniform()];
    params[`${c}.saturation.slope`] = [0.8 + 1.5 * rng.uniform()];
    params[`${c}.beta`] = [(0.05 + 0.25 * rng.uniform()) / Math.sqrt(C / 3)];
    params[`${c}.eta`] = [0.1 + 0.3 * rng.uniform()];
    params[`${c}.z`] = geos.map(() => rng.normal());
  }
  const spec: ModelSpec = {
    channels: channels.map((name) => ({ name })),
    controls: ['price', 'competitor'],
    seasonality: { order: 2, period: 52 },
    trend: 'linear',
  };
  const sim = simulate(spec, { spend, controls, geo: { count: G, periods: T, population } }, params, { seed, yScale: 2 });
  const sum = (a: Float64Array) => a.reduce((u, v) => u + v, 0);
  const roas = Object.fromEntries(channels.map((c) => [c, sum(sim.contributions[c]) / sum(spend[c])]));
  const start = Date.UTC(2022, 0, 3);
  const rows: Array<Record<string, number | string>> = [];
  for (let g = 0; g < G; g++)
    for (let t = 0; t < T; t++) {
      const i = g * T + t;
      rows.push({
        geo: geos[g],
        week: new Date(start + 7 * t * 86_400_000).toISOString().slice(0, 10),
        population: population[g],
        sales: sim.y[i],
        price: controls.price[i],
        competitor: controls.competitor[i],
        ...Object.fromEntries(channels.map((c) => [c, spend[c][i]])),
      });
    }
  return { rows, channels, roas };
}

const panel = simulatePanel();
console.log(`Simulated ${G} geos × ${T} weeks × ${C} channels (${panel.rows.length} rows); fitting 4 chains × (${warmup} + ${draws})…`);
const t0 = performance.now();
let last = 0;
const fit = await fitMMM(panel.rows, {
  date: 'week',
  geo: 'geo',
  population: 'population',
  target: 'sales',
  channels: panel.channels,
  controls: ['price', 'competitor'],
  seed,
  warmup,
  draws,
  onProgress: (p) => {
    const now = performance.now();
    if (now - last > 30_000) {
      last = now;
      console.log(`  ${(100 * p.fraction).toFixed(0)}%, ${((now - t0) / 1000).toFixed(0)} s`);
    }
  },
});
const seconds = (performance.now() - t0) / 1000;
const peakMb = process.resourceUsage().maxRSS / 1024;
const d = fit.diagnostics;
const inside = panel.channels.filter((c) => panel.roas[c] >= fit.channels[c].roas.lower && panel.roas[c] <= fit.channels[c].roas.upper);
console.log(
  `\nFitted in ${seconds.toFixed(0)} s, peak memory ${peakMb.toFixed(0)} MB (resident, all threads). Gate ${d.passed ? 'PASSED' : 'FAILED'}: ` +
    `max R-hat ${d.rhatMax.toFixed(3)}, min ESS-bulk ${d.essBulkMin.toFixed(0)}, ${d.divergences} divergences.`,
);
console.log(`True national ROAS inside the 90% interval: ${inside.length} of ${C} channels.`);
console.log('\n| channel | true ROAS | ROAS | 90% interval |\n|---|---:|---:|---|');
for (const c of panel.channels) {
  const r = fit.channels[c].roas;
  console.log(`| ${c} | ${panel.roas[c].toFixed(2)} | ${r.mean.toFixed(2)} | [${r.lower.toFixed(2)}, ${r.upper.toFixed(2)}] |`);
}
const outDir = join(dataDir, '..', 'out');
mkdirSync(outDir, { recursive: true });
const figures = {
  geos: G,
  channels: C,
  weeks: T,
  warmup,
  draws,
  seconds,
  peakMb,
  fitJsonMb: JSON.stringify(fit).length / 2 ** 20,
  gate: { passed: d.passed, rhatMax: d.rhatMax, essBulkMin: d.essBulkMin, divergences: d.divergences },
  roasInside: inside.length,
};
writeFileSync(join(outDir, 'scale.json'), JSON.stringify(figures, null, 2));
console.log(`\nThe fit's JSON: ${figures.fitJsonMb.toFixed(1)} MB. Wrote ${join(outDir, 'scale.json')}`);
