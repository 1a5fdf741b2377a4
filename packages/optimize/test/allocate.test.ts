import { describe, expect, it } from 'vitest';
import { hill, hillDerivative } from '@mmm/transforms';
import { allocateBudget, mediaResponseCurve, type PointCurve } from '../src/index.js';

const logCurve = (channel: string, a: number, b: number): PointCurve => ({
  channel,
  response: (x) => a * Math.log1p(x / b),
  marginal: (x) => a / (b + x),
});

const hillCurve = (channel: string, beta: number, K: number, S: number): PointCurve => ({
  channel,
  response: (x) => beta * hill(x, K, S),
  marginal: (x) => beta * hillDerivative(x, K, S),
});

function rel(a: number, b: number) {
  return Math.abs(a - b) / Math.abs(b);
}

describe('allocateBudget: closed forms', () => {
  it('logarithmic responses: x_c = a_c/λ − b_c with λ = Σa/(B + Σb)', () => {
    const a = [3, 5, 2, 7];
    const b = [10, 40, 5, 25];
    const B = 300;
    const curves = a.map((ai, c) => logCurve(`ch${c}`, ai, b[c]));
    const r = allocateBudget({ curves, totalBudget: B });
    const lambda = a.reduce((s, v) => s + v, 0) / (B + b.reduce((s, v) => s + v, 0));
    curves.forEach((c, k) => expect(rel(r.allocation[c.channel], a[k] / lambda - b[k]), c.channel).toBeLessThan(1e-6));
    expect(rel(r.kkt.multiplier, lambda)).toBeLessThan(1e-6);
    expect(r.kkt.satisfied).toBe(true);
    expect(Object.values(r.allocation).reduce((s, v) => s + v, 0)).toBeCloseTo(B, 9);
  });

  it('a channel whose marginal at 0 is below the others’ stays at its lower bound, and the KKT check says so', () => {
    const curves = [logCurve('big', 10, 1), logCurve('tiny', 0.01, 100)];
    const r = allocateBudget({ curves, totalBudget: 50 });
    expect(r.allocation.tiny).toBe(0);
    expect(r.binding.tiny).toBe('lower');
    expect(r.allocation.big).toBeCloseTo(50, 9);
    expect(r.kkt.satisfied).toBe(true);
  });
});

describe('allocateBudget: against brute force with S-shaped Hill curves', () => {
  it('2 channels: matches a 200,000-point search', () => {
    const curves = [hillCurve('tv', 100, 40, 2.5), hillCurve('search', 60, 15, 1.2)];
    const B = 90;
    const r = allocateBudget({ curves, totalBudget: B });
    let best = -Infinity;
    let arg = 0;
    const N = 200_000;
    for (let i = 0; i <= N; i++) {
      const x = (B * i) / N;
      const v = curves[0].response(x) + curves[1].response(B - x);
      if (v > best) {
        best = v;
        arg = x;
      }
    }
    expect(r.expectedResponse).toBeGreaterThanOrEqual(best - 1e-9 * best);
    expect(Math.abs(r.allocation.tv - arg)).toBeLessThan((2 * B) / N);
    expect(r.kkt.satisfied).toBe(true);
  });

  it('3 channels: matches a 1000 × 1000 grid and satisfies KKT to 1e-6', () => {
    const curves = [hillCurve('tv', 100, 40, 3), hillCurve('social', 50, 10, 1.5), hillCurve('radio', 30, 25, 2)];
    const B = 120;
    const r = allocateBudget({ curves, totalBudget: B });
    let best = -Infinity;
    const N = 1000;
    for (let i = 0; i <= N; i++) {
      for (let j = 0; i + j <= N; j++) {
        const x = (B * i) / N;
        const y = (B * j) / N;
        const v = curves[0].response(x) + curves[1].response(y) + curves[2].response(B - x - y);
        if (v > best) best = v;
      }
    }
    // the continuous optimum is at least as good as the best grid point
    expect(r.expectedResponse).toBeGreaterThanOrEqual(best - 1e-9 * best);
    expect(r.kkt.satisfied).toBe(true);
    expect(r.kkt.maxRelativeDeviation).toBeLessThan(1e-6);
  });
});

describe('allocateBudget: constraints', () => {
  const curves = [logCurve('tv', 3, 10), logCurve('search', 5, 40), logCurve('radio', 2, 5)];
  it('absolute bounds bind and are reported; KKT holds on the rest', () => {
    const r = allocateBudget({ curves, totalBudget: 300, bounds: { search: [0, 50] } });
    expect(r.allocation.search).toBeCloseTo(50, 9);
    expect(r.binding.search).toBe('upper');
    expect(r.kkt.satisfied).toBe(true);
    expect(r.marginalRoas.search).toBeGreaterThan(r.kkt.multiplier);
  });
  it('relative bounds around current spend, fixed channels, minimum shares, and the uplift', () => {
    const current = { tv: 100, search: 100, radio: 100 };
    const r = allocateBudget({ curves, totalBudget: 300, current, relativeBounds: 0.3, fixed: ['radio'] });
    expect(r.allocation.radio).toBe(100);
    expect(r.binding.radio).toBe('fixed');
    for (const n of ['tv', 'search']) {
      expect(r.allocation[n]).toBeGreaterThanOrEqual(70 - 1e-9);
      expect(r.allocation[n]).toBeLessThanOrEqual(130 + 1e-9);
    }
    expect(r.uplift!.absolute).toBeGreaterThanOrEqual(0);
    expect(r.current!.expectedResponse).toBeCloseTo(
      curves.reduce((s, c) => s + c.response(100), 0),
      12,
    );
    const m = allocateBudget({ curves, totalBudget: 300, minShare: { radio: 0.5 } });
    expect(m.allocation.radio).toBeGreaterThanOrEqual(150 - 1e-9);
  });
  it('infeasible or bad input names the constraint', () => {
    expect(() => allocateBudget({ curves, totalBudget: -1 })).toThrow(/totalBudget: is -1/);
    expect(() => allocateBudget({ curves, totalBudget: 100, bounds: { tv: [50, 60], search: [50, 60], radio: [10, 20] } })).toThrow(
      /below the sum of lower bounds 110/,
    );
    expect(() => allocateBudget({ curves, totalBudget: 100, bounds: { tv: [0, 10], search: [0, 10], radio: [0, 10] } })).toThrow(
      /above the sum of upper bounds 30/,
    );
    expect(() => allocateBudget({ curves, totalBudget: 100, bounds: { print: [0, 1] } })).toThrow(/bounds\.print: is not a channel/);
    expect(() => allocateBudget({ curves, totalBudget: 100, relativeBounds: 0.2 })).toThrow(/current\.tv: is missing/);
    const nan: PointCurve = { channel: 'bad', response: () => Number.NaN, marginal: () => 0 };
    expect(() => allocateBudget({ curves: [...curves, nan], totalBudget: 100 })).toThrow(/curves\.bad/);
    expect(() => mediaResponseCurve({ channel: 'x', saturation: 'hill', params: [Number.NaN, 1], beta: 1, spendScale: 1 })).toThrow(
      /halfSaturation/,
    );
  });
});

describe('allocateBudget: posterior draws and risk', () => {
  // two channels with the same mean curve; 'risky' has uncertain β, 'safe' a certain one
  const S = 400;
  const betaRisky = Float64Array.from({ length: S }, (_, s) => 100 * (0.4 + (1.2 * (s + 0.5)) / S)); // mean 100, wide
  const risky = mediaResponseCurve({
    channel: 'risky',
    saturation: 'hill',
    params: Array.from({ length: S }, () => [1, 1.5]),
    beta: betaRisky,
    spendScale: 10,
  });
  const safe = mediaResponseCurve({
    channel: 'safe',
    saturation: 'hill',
    params: Array.from({ length: S }, () => [1, 1.5]),
    beta: 100,
    spendScale: 10,
  });
  it('the mean objective splits evenly between curves with the same mean; mean − λ·sd moves budget to the safe channel', () => {
    const m = allocateBudget({ curves: [risky, safe], totalBudget: 20 });
    expect(m.allocation.risky).toBeCloseTo(10, 6);
    expect(m.kkt.satisfied).toBe(true);
    expect(m.responseInterval!.lower).toBeLessThan(m.expectedResponse);
    const r = allocateBudget({ curves: [risky, safe], totalBudget: 20, objective: { meanMinusSd: 1 } });
    expect(r.allocation.safe).toBeGreaterThan(r.allocation.risky + 1);
    expect(r.kkt.satisfied).toBe(true);
    const q = allocateBudget({ curves: [risky, safe], totalBudget: 20, objective: { quantile: 0.1 } });
    expect(q.allocation.safe).toBeGreaterThan(q.allocation.risky);
  });

  it('carryover-aware curves: with a horizon and adstock, the response counts the spill past the horizon', () => {
    const w = [0.5, 0.3, 0.2];
    const c = mediaResponseCurve({
      channel: 'tv',
      saturation: 'hill',
      params: [0.5, 1.2],
      beta: 10,
      spendScale: 4,
      adstockWeights: w,
      horizon: 4,
    });
    if ('responseDraws' in c) throw new Error('expected a point curve');
    // by hand: spend 8 over 4 periods = 2 per period, scaled 0.5; adstocked inputs over 6 periods
    const xs = [0.5, 0.5, 0.5, 0.5, 0, 0];
    const a = xs.map((_, t) => w.reduce((s, wl, l) => s + (t - l >= 0 ? wl * xs[t - l] : 0), 0));
    expect(c.response(8)).toBeCloseTo(10 * a.reduce((s, v) => s + hill(v, 0.5, 1.2), 0), 12);
    const h = 1e-5;
    expect(c.marginal(8)).toBeCloseTo((c.response(8 + h) - c.response(8 - h)) / (2 * h), 7);
  });
});
