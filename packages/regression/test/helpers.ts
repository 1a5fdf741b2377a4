import { createRng } from '@mmm/bayes-nuts';

/** A seeded random design: n rows, p columns; `illConditioned` makes columns nearly collinear and of very different scales. */
export function randomProblem(seed: number, n: number, p: number, illConditioned = false): { X: number[][]; y: number[]; truth: number[] } {
  const rng = createRng(seed, 7);
  const base = Array.from({ length: n }, () => rng.normal());
  const X = Array.from({ length: n }, (_, i) =>
    Array.from({ length: p }, (_, j) => {
      if (!illConditioned) return rng.normal() + 0.3 * base[i];
      // columns share most of one factor (correlation ≈ 0.9999) and span six orders of magnitude
      return (base[i] + 0.01 * rng.normal()) * 10 ** ((j % 4) - 2);
    }),
  );
  const truth = Array.from({ length: p }, (_, j) => (j % 3 === 0 ? 0 : rng.normal()));
  const y = X.map((row) => 2 + row.reduce((a, x, j) => a + x * truth[j], 0) + rng.normal());
  return { X, y, truth };
}

/**
 * The largest violation of the elastic net's optimality conditions on the (1/(2n))-scaled objective, computed from
 * the data directly (not from the solver's normal equations): with r = y − Xw − b and s_j = −x_jᵀr/n + α(1−ρ)w_j,
 * an interior non-zero coefficient has s_j + αρ·sign(w_j) = 0, an interior zero |s_j| ≤ αρ, one at its lower bound
 * s_j + αρ·σ ≥ 0; the intercept, unpenalised, has Σr = 0.
 */
export function elasticNetKkt(
  X: number[][],
  y: number[],
  w: ArrayLike<number>,
  b: number,
  alpha: number,
  l1Ratio: number,
  lb?: ArrayLike<number>,
): number {
  const n = X.length;
  const p = w.length;
  const r = y.map((v, i) => v - b - X[i].reduce((a, x, j) => a + x * w[j], 0));
  let worst = Math.abs(r.reduce((a, v) => a + v, 0) / n);
  for (let j = 0; j < p; j++) {
    const s = -X.reduce((a, row, i) => a + row[j] * r[i], 0) / n + alpha * (1 - l1Ratio) * w[j];
    const l1 = alpha * l1Ratio;
    let v: number;
    if (lb && w[j] <= lb[j]) v = Math.max(0, -(s + l1 * (w[j] < 0 ? -1 : 1)));
    else if (w[j] === 0) v = Math.max(0, Math.abs(s) - l1);
    else v = Math.abs(s + l1 * Math.sign(w[j]));
    worst = Math.max(worst, v);
  }
  return worst;
}

/** Column j of rows X. */
export function column(X: number[][], j: number): number[] {
  return X.map((r) => r[j]);
}
