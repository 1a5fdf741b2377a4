import { describe, expect, it } from 'vitest';
import { AbortedError, InvalidInputError, InvalidParameterError, NonFiniteError } from '@mmm/core';
import {
  createRng,
  dualAveragingFinal,
  dualAveragingInit,
  dualAveragingUpdate,
  runChain,
  sample,
  warmupSchedule,
  welfordFinal,
  welfordInit,
  welfordUpdate,
  type LogDensity,
} from '../src/index.js';
import { eightSchools, gaussian } from './targets.js';

const small = { warmup: 150, draws: 100 };

describe('reproducibility', () => {
  const target = eightSchools(false);
  it('the same seed gives bit-identical draws and statistics', () => {
    const a = sample(target, { seed: 42, chains: 2, ...small });
    const b = sample(target, { seed: 42, chains: 2, ...small });
    for (let c = 0; c < 2; c++) {
      expect(b.chains[c].draws).toEqual(a.chains[c].draws);
      expect(b.chains[c].stats.energy).toEqual(a.chains[c].stats.energy);
      expect(b.chains[c].stepSize).toBe(a.chains[c].stepSize);
    }
  });
  it('chain c depends on (seed, c) alone: running it alone gives the same draws', () => {
    const all = sample(target, { seed: 42, chains: 3, ...small });
    const alone = runChain(target, { seed: 42, ...small }, 2);
    expect(alone.draws).toEqual(all.chains[2].draws);
  });
  it('different seeds and different chains differ', () => {
    const a = sample(target, { seed: 1, chains: 2, ...small });
    const b = sample(target, { seed: 2, chains: 2, ...small });
    expect(b.chains[0].draws).not.toEqual(a.chains[0].draws);
    expect(a.chains[1].draws).not.toEqual(a.chains[0].draws);
  });
  it('the generator is uniform and normal in its first two moments', () => {
    const rng = createRng(9, 3);
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    const N = 200_000;
    for (let i = 0; i < N; i++) {
      su += rng.uniform();
      const z = rng.normal();
      sn += z;
      sn2 += z * z;
    }
    // 4 standard errors: sd(U) = 1/√12, sd(Z) = 1, sd(Z²) = √2
    expect(Math.abs(su / N - 0.5)).toBeLessThan(4 / Math.sqrt(12 * N));
    expect(Math.abs(sn / N)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(sn2 / N - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
  });
});

describe('progress and cancellation', () => {
  it('reports progress per chain and stops on an aborted signal', () => {
    const target = gaussian(Float64Array.from([0, 1]), Float64Array.from([1, 2]));
    const seen: number[] = [];
    sample(target, {
      seed: 1,
      chains: 2,
      warmup: 100,
      draws: 100,
      progressEvery: 50,
      onProgress: (p) => seen.push(p.chain * 1000 + p.iteration),
    });
    expect(seen).toEqual([50, 100, 150, 200, 1050, 1100, 1150, 1200]);
    const signal = { aborted: false };
    expect(() =>
      sample(target, {
        seed: 1,
        chains: 1,
        warmup: 100,
        draws: 100,
        progressEvery: 10,
        signal,
        onProgress: (p) => {
          if (p.iteration === 30) signal.aborted = true;
        },
      }),
    ).toThrow(AbortedError);
  });
});

describe('bad input', () => {
  const ok = gaussian(Float64Array.from([0]), Float64Array.from([1]));
  it('a dim of 0, negative draws, a bad target acceptance', () => {
    expect(() => sample({ dim: 0, logDensityGradient: () => 0 }, { seed: 1 })).toThrow(/target\.dim: got 0/);
    expect(() => sample(ok, { seed: 1, draws: -5 })).toThrow(InvalidParameterError);
    expect(() => sample(ok, { seed: 1, draws: -5 })).toThrow(/draws: got -5, must be in the integers ≥ 1/);
    expect(() => sample(ok, { seed: 1, targetAccept: 1 })).toThrow(/targetAccept/);
    expect(() => sample(ok, { seed: 1.5 })).toThrow(/seed/);
  });
  it('a density that is never finite', () => {
    const never: LogDensity = { dim: 2, logDensityGradient: () => Number.NaN };
    expect(() => sample(never, { seed: 1, chains: 1 })).toThrow(InvalidInputError);
    expect(() => sample(never, { seed: 1, chains: 1 })).toThrow(/no finite log density and gradient at 100 random initial points/);
  });
  it('a gradient left unwritten (the wrong length) is named at the initial point', () => {
    const short: LogDensity = {
      dim: 3,
      logDensityGradient(t, g) {
        g[0] = -t[0]; // forgets g[1] and g[2]
        return -0.5 * t[0] * t[0];
      },
    };
    expect(() => sample(short, { seed: 1, chains: 1, init: [0, 0, 0] })).toThrow(NonFiniteError);
    expect(() => sample(short, { seed: 1, chains: 1, init: [0, 0, 0] })).toThrow(/gradient\[1\] at init/);
    expect(() => sample(ok, { seed: 1, chains: 1, init: [0, 0] })).toThrow(/init: has length 2/);
  });
});

describe('adaptation pieces', () => {
  it("the warmup schedule is Stan's: 75 / 25, 50, 100, 200, 500 / 50 for 1000", () => {
    expect(warmupSchedule(1000)).toEqual([
      { start: 75, end: 99 },
      { start: 100, end: 149 },
      { start: 150, end: 249 },
      { start: 250, end: 449 },
      { start: 450, end: 949 },
    ]);
    // short warmups fall back to 15% / 75% / 10%
    expect(warmupSchedule(100)).toEqual([{ start: 15, end: 89 }]);
    expect(warmupSchedule(19)).toEqual([]);
  });
  it("Welford's covariance equals the two-pass sample covariance, shrunk as Stan does", () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 200 }, () => [rng.normal(), rng.normal() * 2 + 1]);
    const w = welfordInit(2, true);
    for (const x of xs) welfordUpdate(w, x);
    const est = welfordFinal(w);
    const mean = [0, 1].map((k) => xs.reduce((a, x) => a + x[k], 0) / 200);
    const n = 200;
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const s = xs.reduce((a, x) => a + (x[i] - mean[i]) * (x[j] - mean[j]), 0) / (n - 1);
        const expected = (n / (n + 5)) * s + (i === j ? 1e-3 * (5 / (n + 5)) : 0);
        expect(est[i * 2 + j]).toBeCloseTo(expected, 12);
      }
    }
  });
  it('dual averaging drives the acceptance statistic to its target', () => {
    // acceptance falls with step size as exp(−ε²): the fixed point is ε* = √(−ln 0.8)
    const da = dualAveragingInit(1);
    let eps = 1;
    for (let i = 0; i < 2000; i++) eps = dualAveragingUpdate(da, Math.exp(-eps * eps));
    expect(dualAveragingFinal(da)).toBeCloseTo(Math.sqrt(-Math.log(0.8)), 2);
  });
});

describe('initialInverseMetric', () => {
  const target = {
    dim: 2,
    logDensityGradient: (x: Float64Array, g: Float64Array) => {
      g[0] = -x[0];
      g[1] = -x[1];
      return -0.5 * (x[0] * x[0] + x[1] * x[1]);
    },
  };
  it('refuses a wrong length, a non-positive or a non-finite variance, naming the field', () => {
    expect(() => sample(target, { seed: 1, chains: 1, warmup: 10, draws: 10, initialInverseMetric: [1] })).toThrow(
      /initialInverseMetric: has 1 values/,
    );
    expect(() => sample(target, { seed: 1, chains: 1, warmup: 10, draws: 10, initialInverseMetric: [1, 0] })).toThrow(
      /initialInverseMetric\[1\]: is 0/,
    );
    expect(() => sample(target, { seed: 1, chains: 1, warmup: 10, draws: 10, initialInverseMetric: [1, Number.NaN] })).toThrow(
      /initialInverseMetric\[1\]/,
    );
    expect(() => sample(target, { seed: 1, chains: 1, warmup: 10, draws: 10, metric: 'dense', initialInverseMetric: [1, 0] })).toThrow(
      /2² = 4 values/,
    );
  });
  it('the identity given explicitly reproduces the default draws bit for bit', () => {
    const a = sample(target, { seed: 9, chains: 1, warmup: 50, draws: 50 });
    const b = sample(target, { seed: 9, chains: 1, warmup: 50, draws: 50, initialInverseMetric: [1, 1] });
    expect(Array.from(b.chains[0].draws)).toEqual(Array.from(a.chains[0].draws));
  });
});
