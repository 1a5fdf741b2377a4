import { describe, expect, it } from 'vitest';
import { mcseMean } from '@mmm/diagnostics';
import { InvalidParameterError } from '@mmm/core';
import { sample, type LogDensity, type SampleResult } from '../src/index.js';
import { eightSchools, funnel } from './targets.js';
import { coordinate, expectReplicates, mapDraws, meanOf, stanEightSchools } from './helpers.js';

const stan = stanEightSchools();

/** Independent normals with standard deviations 1 … 3. */
const gaussian = (d: number): LogDensity => ({
  dim: d,
  logDensityGradient(x, g) {
    let lp = 0;
    for (let i = 0; i < d; i++) {
      const s = 1 + (2 * i) / d;
      lp -= 0.5 * (x[i] / s) ** 2;
      g[i] = -x[i] / (s * s);
    }
    return lp;
  },
});

const divergences = (fit: SampleResult) => fit.chains.reduce((a, c) => a + c.stats.divergent.reduce((x, y) => x + y, 0), 0);
const refined = (fit: SampleResult) => fit.chains.reduce((a, c) => a + c.stats.refinedSteps.reduce((x, y) => x + y, 0), 0);

describe("local step size: Neal's funnel (10-d), v ~ N(0, 3)", () => {
  // P(v < −5) = Φ(−5/3): the neck, where a step size adapted to the bulk is unstable
  const pNeck = 0.0477903522728147;
  const options = { chains: 2, warmup: 1000, draws: 10_000 };
  const seeds = [1, 2, 3, 4, 5, 6];
  const runs = seeds.map((seed) => sample(funnel(10), { ...options, seed, localStepSize: true }));
  const local = runs[0];
  const plain = seeds.map((seed) => sample(funnel(10), { ...options, seed }));
  const estimate = (fits: SampleResult[], f: (v: number) => number) => fits.map((fit) => meanOf(mapDraws(coordinate(fit, 0), f)));

  it("samples the neck: over 6 independent runs v has the mean, variance and lower tail of N(0, 3); divergences a hundredth of plain NUTS's at most", () => {
    for (const fit of runs) expect(refined(fit)).toBeGreaterThan(0);
    // a step deep in the neck (v ≈ −11) failed at 2^10 half steps (3 divergences in these runs; none at the default 2^14):
    // rare, reported, not hidden
    const total = (fits: SampleResult[]) => fits.reduce((a, f) => a + divergences(f), 0);
    expect(total(runs)).toBeLessThanOrEqual(total(plain) / 100);
    expectReplicates(
      estimate(runs, (x) => x),
      0,
      'E[v]',
    );
    expectReplicates(
      estimate(runs, (x) => x * x),
      9,
      'E[v²]',
    );
    expectReplicates(
      estimate(runs, (x) => (x < -5 ? 1 : 0)),
      pNeck,
      'P(v < −5)',
    );
  });

  it('plain NUTS with the same seeds diverges and misses the neck (the check above can fail)', () => {
    for (const fit of plain) expect(divergences(fit)).toBeGreaterThan(0);
    const below = estimate(plain, (x) => (x < -5 ? 1 : 0));
    expect(below.reduce((a, b) => a + b, 0) / below.length).toBeLessThan(pNeck / 2);
  });

  it('counts the leapfrog steps of refined steps among the gradients', () => {
    // a transition of tree depth d keeps 2^d − 1 steps; a refined step costs at least 3 more gradients (the plain step
    // that failed, at least two half steps, one plain step backward to check reversibility)
    for (const c of local.chains) {
      for (let i = 0; i < local.draws; i++) {
        expect(c.stats.nLeapfrog[i]).toBeGreaterThanOrEqual(2 ** c.stats.treeDepth[i] - 1 + 3 * c.stats.refinedSteps[i]);
      }
    }
  });
});

describe('local step size: centred eight schools (the funnel of τ)', () => {
  const fit = sample(eightSchools(true), { seed: 8, chains: 4, warmup: 1000, draws: 2000, localStepSize: true });

  it('agrees with Stan on the non-centred form (the same posterior) within 4 combined MCSE, with a tenth of plain NUTS divergences at most', () => {
    const plain = sample(eightSchools(true), { seed: 8, chains: 4, warmup: 1000, draws: 2000 });
    expect(divergences(plain)).toBeGreaterThan(0);
    expect(divergences(fit)).toBeLessThanOrEqual(divergences(plain) / 10);
    const ours: Record<string, Float64Array[]> = { mu: coordinate(fit, 0), tau: mapDraws(coordinate(fit, 1), Math.exp) };
    for (let j = 0; j < 8; j++) ours[`theta[${j + 1}]`] = coordinate(fit, 2 + j);
    for (const row of stan) {
      const x = ours[row.variable];
      const m = meanOf(x);
      const se = Math.hypot(mcseMean(x), row.sd / Math.sqrt(row.ess_bulk));
      expect(Math.abs(m - row.mean), `${row.variable}: ours ${m}, Stan ${row.mean}, 4·SE ${4 * se}`).toBeLessThan(4 * se);
    }
  });
});

describe('local step size: elsewhere plain NUTS', () => {
  it('until a step needs refining, the draws are plain NUTS draws bit for bit (warmup is plain NUTS in both)', () => {
    const target = gaussian(20);
    const a = sample(target, { seed: 3, chains: 2, warmup: 300, draws: 300, localStepSize: true });
    const b = sample(target, { seed: 3, chains: 2, warmup: 300, draws: 300 });
    for (let c = 0; c < 2; c++) {
      const ca = a.chains[c];
      const cb = b.chains[c];
      expect(ca.stepSize).toBe(cb.stepSize);
      expect(ca.inverseMetric).toEqual(cb.inverseMetric);
      let first = ca.stats.refinedSteps.findIndex((r) => r > 0);
      if (first < 0) first = 300;
      // refinement is rare where the step size suits: most of the run is compared
      expect(first).toBeGreaterThan(50);
      expect(ca.draws.subarray(0, first * 20)).toEqual(cb.draws.subarray(0, first * 20));
      expect(ca.stats.nLeapfrog.subarray(0, first)).toEqual(cb.stats.nLeapfrog.subarray(0, first));
    }
  });

  it('refuses a tolerance that is not positive and a refinement depth out of range', () => {
    const target = funnel(3);
    expect(() => sample(target, { seed: 1, localStepSize: { energyTolerance: 0 } })).toThrow(/localStepSize\.energyTolerance/);
    expect(() => sample(target, { seed: 1, localStepSize: { maxHalvings: 21 } })).toThrow(InvalidParameterError);
    expect(() => sample(target, { seed: 1, localStepSize: { maxHalvings: 0 } })).toThrow(/localStepSize\.maxHalvings/);
  });
});
