import { describe, expect, it } from 'vitest';
import { createRng } from '@mmm/bayes-nuts';
import { r2 } from '@mmm/diagnostics';
import { gradientBoosting, linearRegression, predictBoosted, shapValues, treeShapInto, type Tree } from '../src/index.js';

/**
 * Brute-force Shapley values of the path-dependent game v(S) = E[f(x) | x_S] (cover-weighted over the features outside
 * S): every subset, the Shapley weights |S|!(M − |S| − 1)!/M!.
 */
function bruteForceShap(tree: Tree, x: number[], M: number): number[] {
  const v = (S: Set<number>, node = 0): number => {
    const f = tree.feature[node];
    if (f < 0) return tree.value[node];
    if (S.has(f)) return v(S, x[f] <= tree.threshold[node] ? tree.left[node] : tree.right[node]);
    const l = tree.left[node];
    const r = tree.right[node];
    return (tree.cover[l] * v(S, l) + tree.cover[r] * v(S, r)) / tree.cover[node];
  };
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const phi = new Array(M).fill(0);
  for (let i = 0; i < M; i++) {
    const others = [...Array(M).keys()].filter((j) => j !== i);
    for (let mask = 0; mask < 1 << others.length; mask++) {
      const S = new Set(others.filter((_, k) => mask & (1 << k)));
      const weight = (fact(S.size) * fact(M - S.size - 1)) / fact(M);
      phi[i] += weight * (v(new Set([...S, i])) - v(S));
    }
  }
  return phi;
}

/** A random tree of the given depth over M features, splits repeated on some features, random covers. */
function randomTree(seed: number, depth: number, M: number): Tree {
  const rng = createRng(seed, 3);
  const t: Tree = { feature: [], threshold: [], left: [], right: [], value: [], cover: [] };
  const grow = (d: number, cover: number): number => {
    const k = t.feature.length;
    t.feature.push(-1);
    t.threshold.push(0);
    t.left.push(-1);
    t.right.push(-1);
    t.value.push(rng.normal());
    t.cover.push(cover);
    if (d === depth) return k;
    t.feature[k] = Math.floor(rng.uniform() * M);
    t.threshold[k] = rng.normal();
    const leftCover = Math.max(1, Math.min(cover - 1, Math.round(cover * (0.2 + 0.6 * rng.uniform()))));
    t.left[k] = grow(d + 1, leftCover);
    t.right[k] = grow(d + 1, cover - leftCover);
    return k;
  };
  grow(0, 1000);
  return t;
}

describe('TreeSHAP', () => {
  it('equals brute-force Shapley values on small trees (features split more than once included)', () => {
    for (const [seed, depth, M] of [
      [1, 2, 3],
      [2, 3, 3],
      [3, 4, 4],
      [4, 5, 5],
      [5, 4, 2],
    ] as const) {
      const tree = randomTree(seed, depth, M);
      const rng = createRng(seed, 9);
      for (let r = 0; r < 5; r++) {
        const x = Array.from({ length: M }, () => rng.normal());
        const phi = new Float64Array(M);
        treeShapInto(phi, tree, (j) => x[j]);
        const ref = bruteForceShap(tree, x, M);
        ref.forEach((v, j) => expect(Math.abs(phi[j] - v)).toBeLessThan(1e-12 * Math.max(1, Math.abs(v))));
      }
    }
  });

  it('is locally accurate on fitted ensembles: the attributions plus the expected value are the prediction', () => {
    const rng = createRng(7, 1);
    const X = Array.from({ length: 200 }, () => Array.from({ length: 5 }, () => rng.normal()));
    const y = X.map((r) => r[0] * r[1] + Math.sin(r[2]) + 0.1 * rng.normal());
    const model = gradientBoosting(X, y, { nEstimators: 80, maxDepth: 4, minSamplesLeaf: 5 });
    const pred = predictBoosted(model, X);
    const { values, expected } = shapValues(model, X);
    values.forEach((row, i) => expect(Math.abs(row.reduce((a, b) => a + b, 0) + expected - pred[i])).toBeLessThan(1e-9));
  });
});

describe('gradientBoosting', () => {
  it('beats a linear model on holdout when the data carry an interaction the linear model lacks, not when they are linear', () => {
    const rng = createRng(11, 1);
    const n = 400;
    const X = Array.from({ length: n }, () => Array.from({ length: 4 }, () => rng.uniform()));
    const noise = Array.from({ length: n }, () => 0.05 * rng.normal());
    const linear = X.map((r, i) => 1 + 0.8 * r[0] + 0.5 * r[1] - 0.3 * r[2] + noise[i]);
    const interaction = X.map((r, i) => 1 + 2 * r[0] * r[1] + noise[i]);
    const holdout = (y: number[]) => {
      const cut = 300;
      const gb = gradientBoosting(X.slice(0, cut), y.slice(0, cut), {
        nEstimators: 400,
        learningRate: 0.05,
        maxDepth: 3,
        validation: 0.2,
        seed: 1,
      });
      const lm = linearRegression(X.slice(0, cut), y.slice(0, cut));
      const test = X.slice(cut);
      const actual = y.slice(cut);
      const gbPred = Array.from(predictBoosted(gb, test));
      const lmPred = test.map((r) => lm.intercept + r.reduce((a, v, j) => a + v * lm.coefficients[j], 0));
      return { gb: r2(actual, gbPred), lm: r2(actual, lmPred) };
    };
    const inter = holdout(interaction);
    expect(inter.gb).toBeGreaterThan(inter.lm + 0.05);
    const lin = holdout(linear);
    expect(lin.lm).toBeGreaterThanOrEqual(lin.gb);
  });

  it('is seeded, stops early on the time-ordered tail, and refuses bad options', () => {
    const rng = createRng(12, 1);
    const X = Array.from({ length: 120 }, () => [rng.uniform(), rng.uniform()]);
    const y = X.map((r) => r[0] + 0.1 * rng.normal());
    const a = gradientBoosting(X, y, { subsample: 0.7, seed: 3, nEstimators: 50 });
    expect(gradientBoosting(X, y, { subsample: 0.7, seed: 3, nEstimators: 50 })).toEqual(a);
    const stopped = gradientBoosting(X, y, { nEstimators: 2000, learningRate: 0.3, validation: 0.25, patience: 10 });
    expect(stopped.rounds).toBeLessThan(2000);
    expect(stopped.trees).toHaveLength(stopped.rounds);
    expect(stopped.validationLoss[stopped.rounds - 1]).toBe(Math.min(...stopped.validationLoss));
    expect(() => gradientBoosting(X, y, { learningRate: 0 })).toThrow(expect.objectContaining({ field: 'learningRate' }));
    expect(() => gradientBoosting(X, y, { maxDepth: 0 })).toThrow(expect.objectContaining({ field: 'maxDepth' }));
    expect(() => gradientBoosting(X, y, { validation: 0.9 })).toThrow(expect.objectContaining({ field: 'validation' }));
    expect(() => predictBoosted(a, [[1, 2, 3]])).toThrow(expect.objectContaining({ field: 'X' }));
  });
});
