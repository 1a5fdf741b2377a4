import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedAverageValue, fitBGBB, fitGammaGamma } from '../src/index.js';
import { cdnowHardie } from './cdnow.js';

describe('Gamma-Gamma on CDNOW repeat customers (Fader, Hardie & Lee 2005, RFM and CLV)', () => {
  const data = cdnowHardie();
  const fit = fitGammaGamma(data);
  it('p = 6.25, q = 3.74, v = 15.44, log-likelihood −4055.92', () => {
    expect(fit.converged).toBe(true);
    expect(fit.observations).toBe(946);
    expect(fit.params.p).toBeCloseTo(6.25, 2);
    expect(fit.params.q).toBeCloseTo(3.74, 2);
    expect(fit.params.v).toBeCloseTo(15.44, 1);
    expect(fit.logLikelihood).toBeCloseTo(-4055.92, 1);
  });
  it('expected average values shrink each customer’s mean toward the population mean', () => {
    const e = expectedAverageValue(fit, { frequency: [0, 1, 10], monetaryValue: [0, 100, 100] });
    const { p, q, v } = fit.params;
    expect(e[0]).toBeCloseTo((p * v) / (q - 1), 10);
    expect(e[1]).toBeGreaterThan(e[0]);
    expect(e[1]).toBeLessThan(100);
    expect(Math.abs(e[2] - 100)).toBeLessThan(Math.abs(e[1] - 100));
  });
});

describe('BG/BB on the donations data (Fader, Hardie & Shang 2010)', () => {
  it('α = 1.204, β = 0.750, γ = 0.657, δ = 2.783, log-likelihood −33,225.58', () => {
    const [head, ...lines] = readFileSync(new URL('./fixtures/donations.csv', import.meta.url), 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(head).toBe('frequency,recency,periods,weights');
    const rows = lines.map((l) => l.split(',').map(Number));
    const fit = fitBGBB({
      frequency: rows.map((r) => r[0]),
      recency: rows.map((r) => r[1]),
      periods: rows.map((r) => r[2]),
      weights: rows.map((r) => r[3]),
    });
    expect(fit.converged).toBe(true);
    expect(fit.observations).toBe(11104);
    expect(fit.params.alpha).toBeCloseTo(1.204, 3);
    expect(fit.params.beta).toBeCloseTo(0.75, 3);
    expect(fit.params.gamma).toBeCloseTo(0.657, 3);
    expect(fit.params.delta).toBeCloseTo(2.783, 2);
    expect(fit.logLikelihood).toBeCloseTo(-33225.58, 1);
  });
});
