import { describe, expect, it } from 'vitest';
import { simulate } from '../src/index.js';
import { ourName, stanData, stanRaw, stanResults, stanSpec } from './stan-reference.js';

// the generator's true parameters (in the model's units), by our block names
function truthParams(): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const p of stanResults.parameters) {
    const name = ourName(p.name);
    const m = /^(\w+)\[(\d+)\]$/.exec(name);
    if (m) (out[m[1]] ??= [])[Number(m[2]) - 1] = p.truth;
    else out[name] = [p.truth];
  }
  return out;
}

describe('simulate', () => {
  const raw = stanRaw();
  const yMean = stanData.y.reduce((a, b) => a + b, 0) / stanData.y.length;
  const params = truthParams();
  it('with the true parameters, its mean function explains the independent generator’s sales to the noise level σ', () => {
    const sim = simulate(stanSpec(), raw, params, { seed: 1, yScale: yMean });
    const resid = stanData.y.map((y, t) => (y - sim.mu[t]) / yMean);
    const n = resid.length;
    const m = resid.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(resid.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
    const sigma = params.sigma[0];
    // residuals are the generator's own noise: mean 0 and sd σ, within 4 standard errors (σ/√n and σ/√(2n))
    expect(Math.abs(m)).toBeLessThan((4 * sigma) / Math.sqrt(n));
    expect(Math.abs(sd - sigma)).toBeLessThan((4 * sigma) / Math.sqrt(2 * n));
  });
  it('is reproducible by seed and its noise has sd σ', () => {
    const a = simulate(stanSpec(), raw, params, { seed: 7, yScale: 1 });
    const b = simulate(stanSpec(), raw, params, { seed: 7, yScale: 1 });
    expect(b.y).toEqual(a.y);
    expect(simulate(stanSpec(), raw, params, { seed: 8, yScale: 1 }).y).not.toEqual(a.y);
    expect(a.contributions.tv).toHaveLength(156);
    expect(() => simulate(stanSpec(), raw, { ...params, sigma: [] }, { seed: 1 })).toThrow(/params\.sigma/);
  });
});
