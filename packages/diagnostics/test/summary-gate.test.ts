import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  centralInterval,
  convergenceGate,
  ebfmi,
  highestDensityInterval,
  quantiles,
  samplerDiagnostics,
  summary,
  essBulk,
  rhat,
} from '../src/index.js';

const golden = JSON.parse(readFileSync(new URL('./fixtures/golden.json', import.meta.url), 'utf8')) as {
  cases: Array<{ name: string; chains: number[][]; mean: number; sd: number; q05: number; q95: number; rhat: number; ess_bulk: number }>;
};

describe('quantiles and summary against posterior', () => {
  for (const c of golden.cases) {
    it(`${c.name}: type-7 q05/q95, mean and sd`, () => {
      const flat = c.chains.flat();
      const [q05, q95] = quantiles(flat, [0.05, 0.95]);
      expect(Math.abs(q05 - c.q05) / Math.abs(c.q05)).toBeLessThan(1e-12);
      expect(Math.abs(q95 - c.q95) / Math.abs(c.q95)).toBeLessThan(1e-12);
      const [row] = summary({ [c.name]: c.chains });
      expect(Math.abs(row.mean - c.mean) / Math.abs(c.mean)).toBeLessThan(1e-9);
      expect(Math.abs(row.sd - c.sd) / c.sd).toBeLessThan(1e-12);
      expect(row.rhat).toBe(rhat(c.chains));
      expect(row.essBulk).toBe(essBulk(c.chains));
      // the summary's HDI is highestDensityInterval at the default 0.9
      expect(row.hdi).toEqual(highestDensityInterval(c.chains.flat(), 0.9));
    });
  }
});

describe('highestDensityInterval and centralInterval', () => {
  it('takes the narrowest window of ⌊mass·n⌋ + 1 sorted draws', () => {
    expect(highestDensityInterval([1, 2, 3, 4, 100], 0.6)).toEqual({ lower: 1, upper: 4 });
    expect(highestDensityInterval([0, 10, 11, 12, 13], 0.6)).toEqual({ lower: 10, upper: 13 });
  });
  it('covers about the mass of a skewed sample and is narrower than the central interval', () => {
    // exponential quantiles on a grid: HDI of Exp(1) at 0.9 is [0, −ln 0.1]; the central one [−ln 0.95, −ln 0.05]
    const x = Array.from({ length: 20001 }, (_, i) => -Math.log(1 - (i + 0.5) / 20001));
    const { lower: lo, upper: hi } = highestDensityInterval(x);
    expect(lo).toBeLessThan(1e-3);
    expect(hi).toBeCloseTo(-Math.log(0.1), 2);
    const central = centralInterval(x);
    // the same type-7 quantiles (the probabilities (1 − 0.9)/2 and 0.05 differ in the last bit)
    const [q05, q95] = quantiles(x, [0.05, 0.95]);
    expect(Math.abs(central.lower - q05) / q05).toBeLessThan(1e-12);
    expect(Math.abs(central.upper - q95) / q95).toBeLessThan(1e-12);
    expect(central.lower).toBeCloseTo(-Math.log(0.95), 3);
    expect(central.upper).toBeCloseTo(-Math.log(0.05), 2);
    expect(hi - lo).toBeLessThan(central.upper - central.lower);
  });
  it('rejects a mass outside (0, 1) and empty draws', () => {
    expect(() => highestDensityInterval([1, 2], 1)).toThrow(/mass: got 1/);
    expect(() => centralInterval([], 0.5)).toThrow(/draws: is empty/);
    expect(() => quantiles([], [0.5])).toThrow(/draws: is empty/);
    expect(() => quantiles([1], [1.5])).toThrow(/probs\[0\]/);
  });
});

describe('sampler diagnostics', () => {
  it('E-BFMI by hand: alternating energies give mean squared jump 1 over variance ¼', () => {
    expect(ebfmi([1, 2, 1, 2])).toBe(4);
    // a random walk in energy has small E-BFMI
    const walk = Array.from({ length: 1000 }, (_, i) => Math.sqrt(i));
    expect(ebfmi(walk)).toBeLessThan(0.3);
  });
  it('counts divergences and saturation per chain, with warnings that give the fix', () => {
    const r = samplerDiagnostics({
      divergent: [
        [0, 1, 0, 0],
        [false, false, false, false],
      ],
      treeDepth: [
        [3, 10, 4, 3],
        [2, 2, 3, 3],
      ],
      energy: [
        [1, 2, 1, 2],
        Array.from({ length: 40 }, (_, i) => i), // steady drift: E-BFMI = 1 / ((40² − 1)/12) ≈ 0.0075
      ],
    });
    expect(r.divergencesPerChain).toEqual([1, 0]);
    expect(r.divergences).toBe(1);
    expect(r.divergenceRate).toBe(1 / 8);
    expect(r.treeDepthSaturation).toEqual([0.25, 0]);
    expect(r.ebfmi?.[0]).toBe(4);
    expect(r.ebfmi?.[1]).toBeCloseTo(12 / (40 * 40 - 1), 14);
    expect(r.warnings.some((w) => w.includes('diverged') && w.includes('targetAccept'))).toBe(true);
    expect(r.warnings.some((w) => w.includes('maximum tree depth'))).toBe(true);
    expect(r.warnings.some((w) => w.startsWith('Chain 2 has E-BFMI'))).toBe(true);
  });
});

describe('convergence gate', () => {
  const good = golden.cases.find((c) => c.name === 'iid_normal')!;
  const stray = golden.cases.find((c) => c.name === 'shifted_chain')!;
  it('passes well-mixed chains and fails a stray chain with the reasons', () => {
    const ok = convergenceGate(summary({ mu: good.chains }));
    expect(ok.passed).toBe(true);
    expect(ok.failures).toEqual([]);
    const bad = convergenceGate(summary({ mu: good.chains, tau: stray.chains }));
    expect(bad.passed).toBe(false);
    expect(bad.failures.map((f) => f.name)).toEqual(['tau']);
    expect(bad.failures[0].reasons.join(' ')).toMatch(/R-hat 1\.222 ≥ 1\.01/);
    expect(bad.failures[0].reasons.join(' ')).toMatch(/bulk ESS 13 ≤ 400/);
    expect(bad.rhatMax).toBeCloseTo(stray.rhat, 8);
  });
  it('fails on divergences even when every parameter converged, and honours its thresholds', () => {
    const rows = summary({ mu: good.chains });
    const sampler = samplerDiagnostics({ divergent: [[1, 0, 0, 0]] });
    const g = convergenceGate(rows, sampler);
    expect(g.passed).toBe(false);
    expect(g.divergences).toBe(1);
    expect(g.messages[0]).toMatch(/diverged/);
    expect(convergenceGate(rows, sampler, { maxDivergences: 1 }).passed).toBe(true);
    expect(convergenceGate(rows, undefined, { essBulkMin: 1e6 }).passed).toBe(false);
  });
  it('a constant parameter fails because its statistics cannot be computed', () => {
    const g = convergenceGate(
      summary({
        c: [
          [1, 1, 1, 1],
          [1, 1, 1, 1],
        ],
      }),
    );
    expect(g.passed).toBe(false);
    expect(g.failures[0].reasons[0]).toMatch(/could not be computed/);
  });
});
