// PSIS-LOO against loo 2.5.1 on the golden case (shared/reference/diagnostics, copied to test/fixtures):
// elpd and Pareto k to 1e-6 relative, as the issue asks.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareLoo, loo } from '../src/index.js';

const golden = JSON.parse(readFileSync(new URL('./fixtures/golden.json', import.meta.url), 'utf8')) as {
  loo: {
    log_lik: number[][];
    r_eff: number[];
    elpd_loo: number;
    se_elpd_loo: number;
    p_loo: number;
    looic: number;
    pareto_k: number[];
    pointwise_elpd: number[];
  };
};
const g = golden.loo;

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

describe('loo against loo 2.5.1', () => {
  const r = loo(g.log_lik, { rEff: g.r_eff });
  it('elpd_loo, its SE, p_loo and looic', () => {
    expect(rel(r.elpdLoo, g.elpd_loo)).toBeLessThan(1e-6);
    expect(rel(r.seElpdLoo, g.se_elpd_loo)).toBeLessThan(1e-6);
    expect(rel(r.pLoo, g.p_loo)).toBeLessThan(1e-6);
    expect(rel(r.looic, g.looic)).toBeLessThan(1e-6);
  });
  it('Pareto k per observation, and the outlier flagged above 0.7', () => {
    g.pareto_k.forEach((k, i) => expect(rel(r.paretoK[i], k), `k[${i}] ours ${r.paretoK[i]} loo ${k}`).toBeLessThan(1e-6));
    const expectedHigh = g.pareto_k.flatMap((k, i) => (k > 0.7 ? [i] : []));
    expect(expectedHigh.length).toBeGreaterThan(0);
    expect(r.highParetoK).toEqual(expectedHigh);
  });
  it('pointwise elpd', () => {
    g.pointwise_elpd.forEach((v, i) => expect(rel(r.pointwise[i], v)).toBeLessThan(1e-6));
  });
});

describe('compareLoo', () => {
  it('orders by elpd; the difference and its SE follow from pointwise values', () => {
    const a = loo(g.log_lik, { rEff: g.r_eff });
    // a worse model: every observation's log-likelihood lowered by a draw-independent 0.1 plus noise-free shift
    const worse = loo(
      g.log_lik.map((row) => row.map((v, i) => v - 0.1 * (i % 3))),
      { rEff: g.r_eff },
    );
    const rows = compareLoo({ worse, base: a });
    expect(rows.map((r) => r.name)).toEqual(['base', 'worse']);
    expect(rows[0].elpdDiff).toBe(0);
    expect(rows[0].seDiff).toBe(0);
    const d = Array.from(worse.pointwise, (v, i) => v - a.pointwise[i]);
    const sum = d.reduce((x, y) => x + y, 0);
    const m = sum / d.length;
    const sd = Math.sqrt(d.reduce((x, y) => x + (y - m) ** 2, 0) / (d.length - 1));
    expect(rows[1].elpdDiff).toBeCloseTo(sum, 12);
    expect(rows[1].seDiff).toBeCloseTo(Math.sqrt(d.length) * sd, 12);
    expect(() => compareLoo({ only: a })).toThrow(/at least two/);
  });
});

describe('loo: bad input', () => {
  it('names the draw and observation', () => {
    expect(() => loo([])).toThrow(/logLik: has no draws/);
    expect(() => loo([[0, 1], [0]])).toThrow(/logLik\[1\]/);
    expect(() => loo([[0, Number.NaN]])).toThrow(/logLik\[0\]\[1\]/);
    expect(() => loo([[0, 1]], { rEff: [1] })).toThrow(/rEff/);
  });
});
