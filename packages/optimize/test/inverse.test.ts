import { describe, expect, it } from 'vitest';
import { budgetForMarginalRoas, budgetForResponse, compareScenarios, efficientFrontier, type PointCurve } from '../src/index.js';

const logCurve = (channel: string, a: number, b: number): PointCurve => ({
  channel,
  response: (x) => a * Math.log1p(x / b),
  marginal: (x) => a / (b + x),
});
const a = [30, 50, 20];
const b = [10, 40, 5];
const curves = a.map((ai, c) => logCurve(`ch${c}`, ai, b[c]));
const A = a.reduce((s, v) => s + v, 0);
const Bsum = b.reduce((s, v) => s + v, 0);
// with every channel inside its bounds, λ = A/(B + Σb) and the optimal response is Σ a_c log(a_c/(λ b_c))
const optimalResponse = (B: number) => {
  const l = A / (B + Bsum);
  return a.reduce((s, ai, c) => s + ai * Math.log(ai / (l * b[c])), 0);
};
const range = [100, 5000] as const;

describe('inverse questions (logarithmic curves, closed forms)', () => {
  it('the least budget reaching a target response', () => {
    const target = optimalResponse(1000);
    const r = budgetForResponse({ curves, budgetRange: range }, target);
    const B = Object.values(r.allocation).reduce((s, v) => s + v, 0);
    expect(Math.abs(B - 1000) / 1000).toBeLessThan(1e-6);
  });
  it('the budget at which marginal ROAS falls to a value: B = A/λ − Σb', () => {
    const r = budgetForMarginalRoas({ curves, budgetRange: range }, 0.05);
    const B = Object.values(r.allocation).reduce((s, v) => s + v, 0);
    expect(Math.abs(B - (A / 0.05 - Bsum)) / (A / 0.05 - Bsum)).toBeLessThan(1e-6);
    expect(() => budgetForMarginalRoas({ curves, budgetRange: range }, 1e-6)).toThrow(/not reached/);
  });
  it('the efficient frontier rises and flattens; scenarios carry their names', () => {
    const f = efficientFrontier({ curves }, [200, 400, 800, 1600]);
    for (let i = 0; i < f.length; i++)
      expect(Math.abs(f[i].expectedResponse - optimalResponse(f[i].totalBudget)) / optimalResponse(f[i].totalBudget)).toBeLessThan(1e-9);
    const gains = f.slice(1).map((r, i) => (r.expectedResponse - f[i].expectedResponse) / (r.totalBudget - f[i].totalBudget));
    expect(gains[0]).toBeGreaterThan(gains[1]);
    expect(gains[1]).toBeGreaterThan(gains[2]);
    const s = compareScenarios({ curves }, [
      { name: 'conservative', totalBudget: 300 },
      { name: 'aggressive', totalBudget: 900, bounds: { ch1: [0, 100] } },
    ]);
    expect(s.map((r) => r.name)).toEqual(['conservative', 'aggressive']);
    expect(s[1].allocation.ch1).toBeCloseTo(100, 8);
  });
});
