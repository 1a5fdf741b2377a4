import { describe, expect, it } from 'vitest';
import { sample, type LogDensity, type Orbit, type SampleResult } from '../src/index.js';
import { funnel } from './targets.js';
import { coordinate, expectReplicates, mapDraws, meanOf } from './helpers.js';

/**
 * Neal's funnel with the orbit of its scale: Φ_s(v, x) = (v + s, x·e^{s/2}), a one-parameter group whose Jacobian
 * determinant is e^{(d−1)s/2}. `jacobian: false` leaves that factor out (a wrong orbit, which the checks must catch).
 */
function funnelWithOrbit(d: number, jacobian = true): LogDensity & { calls: number } {
  const base = funnel(d);
  const grad = new Float64Array(d);
  const target = {
    dim: d,
    calls: 0,
    logDensityGradient: (x: Float64Array, g: Float64Array) => base.logDensityGradient(x, g),
    orbit(theta: Float64Array): Orbit {
      const lp0 = base.logDensityGradient(theta, grad);
      const y = new Float64Array(d);
      let n = 1;
      target.calls++;
      return {
        logRatio(s) {
          n++;
          y[0] = theta[0] + s;
          for (let i = 1; i < d; i++) y[i] = theta[i] * Math.exp(s / 2);
          return base.logDensityGradient(y, grad) - lp0 + (jacobian ? ((d - 1) * s) / 2 : 0);
        },
        point(out) {
          out.set(y);
        },
        evaluations: () => n,
      };
    },
  };
  return target;
}

describe("the orbit update: Neal's funnel (10-d), v ~ N(0, 3)", () => {
  const pNeck = 0.0477903522728147; // P(v < −5) = Φ(−5/3)
  const options = { chains: 2, warmup: 500, draws: 4000 };
  const seeds = [1, 2, 3, 4, 5, 6];
  const estimate = (fits: SampleResult[], f: (v: number) => number) => fits.map((fit) => meanOf(mapDraws(coordinate(fit, 0), f)));

  it('keeps the posterior: over 6 independent runs v has the mean, variance and lower tail of N(0, 3)', { timeout: 60_000 }, () => {
    const runs = seeds.map((seed) => sample(funnelWithOrbit(10), { ...options, seed }));
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
    // the orbit reaches the neck that plain NUTS misses (its share below −5 is under half the truth: local-step-size.test.ts)
    const below = estimate(runs, (x) => (x < -5 ? 1 : 0));
    expect(below.reduce((a, b) => a + b, 0) / below.length).toBeGreaterThan(0.75 * pNeck);
  });

  it('a wrong orbit (its Jacobian left out) fails the same check', { timeout: 60_000 }, () => {
    const runs = seeds.map((seed) => sample(funnelWithOrbit(10, false), { ...options, seed }));
    expect(() =>
      expectReplicates(
        estimate(runs, (x) => x),
        0,
        'E[v]',
      ),
    ).toThrow();
  });

  it('runs once per iteration, warmup included, with its evaluations counted and the same draws for the same seed', () => {
    const target = funnelWithOrbit(5);
    const a = sample(target, { chains: 1, warmup: 100, draws: 200, seed: 3 });
    expect(target.calls).toBe(300);
    const c = a.chains[0];
    const nuts = c.leapfrogWarmup + c.stats.nLeapfrog.reduce((x, y) => x + y, 0);
    // each orbit update: its own evaluations (at least 3: θ, the bracket's ends) and the new point's gradient
    expect(c.gradientEvaluations).toBeGreaterThan(nuts + 300 * 4);
    const b = sample(funnelWithOrbit(5), { chains: 1, warmup: 100, draws: 200, seed: 3 });
    expect(b.chains[0].draws).toEqual(c.draws);
  });
});
