// Data sets simulated from @mmm/model's own simulator for the benchmarks: 156 weeks × 5 channels (geometric adstock,
// Hill curves), trend, two Fourier pairs and one control; spend always-on, flighted or bursty by channel; true
// parameters drawn per data set from a seeded stream.
import { createRng } from '@mmm/bayes-nuts';
import { simulate, type ModelSpec } from '@mmm/model';

export const T = 156;
export const channels = ['tv', 'search', 'social', 'display', 'radio'];
const spec: ModelSpec = { channels: channels.map((name) => ({ name })), controls: ['price'], seasonality: { order: 2, period: 52 }, trend: 'linear' };

/** One simulated data set: rows for fitMMM and each channel's true ROAS. */
export function dataset(seed: number): { rows: Array<Record<string, number | string>>; roas: Record<string, number>; decay: Record<string, number> } {
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
  const params: Record<string, number[]> = { intercept: [0.6 + 0.2 * rng.uniform()], trend: [0.05 * rng.normal()], fourier: [0.05 * rng.normal(), 0.05 * rng.normal(), 0.02 * rng.normal(), 0.02 * rng.normal()], control: [-0.02], sigma: [0.03] };
  const decay: Record<string, number> = {};
  for (const c of channels) {
    decay[c] = 0.1 + 0.7 * rng.uniform();
    params[`${c}.adstock.alpha`] = [decay[c]];
    params[`${c}.saturation.halfSaturation`] = [0.2 + 0.6 * rng.uniform()];
    params[`${c}.saturation.slope`] = [0.8 + 1.5 * rng.uniform()];
    params[`${c}.beta`] = [0.05 + 0.2 * rng.uniform()];
  }
  const sim = simulate(spec, { spend, controls: { price } }, params, { seed, yScale: 1e5 });
  const roas = Object.fromEntries(channels.map((c) => [c, sim.contributions[c].reduce((a, b) => a + b, 0) / spend[c].reduce((a, b) => a + b, 0)]));
  const start = Date.UTC(2022, 0, 3);
  const rows = Array.from({ length: T }, (_, t) => ({ date: new Date(start + 7 * t * 86_400_000).toISOString().slice(0, 10), sales: sim.y[t], price: price[t], ...Object.fromEntries(channels.map((c) => [c, spend[c][t]])) }));
  return { rows, roas, decay };
}

