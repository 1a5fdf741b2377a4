import { DimensionMismatchError, InvalidInputError, NonFiniteError } from '@mmm/core';
import { fitByMaximumLikelihood, type FitOptions, type ModelFit } from './fit-core.js';
import { lbeta, logAddExp, psi } from './special.js';

/** BG/BB parameters (Fader, Hardie & Shang 2010): transaction probability ~ Beta(α, β), dropout ~ Beta(γ, δ). */
export type BgBbParams = { alpha: number; beta: number; gamma: number; delta: number };
/** A fitted BG/BB model. */
export type BgBbFit = ModelFit<'bgbb', keyof BgBbParams>;

/** Discrete-time histories: x transactions in n opportunities, the last at opportunity tₓ; optional counts. */
export interface DiscreteColumns {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  /** number of transaction opportunities n */
  periods: ArrayLike<number>;
  weights?: ArrayLike<number>;
}

/** The histories as arrays, checked: counts are whole numbers with 0 ≤ x ≤ tₓ ≤ n. @internal */
function checkHistories(histories: DiscreteColumns) {
  const n = histories.frequency?.length ?? 0;
  if (n === 0) throw new InvalidInputError('histories.frequency', 'is empty', 'Pass one row per history pattern.');
  for (const k of ['recency', 'periods'] as const)
    if (!histories[k] || histories[k].length !== n) throw new DimensionMismatchError(`histories.${k}`, n, histories[k]?.length ?? 0);
  const x = Float64Array.from(histories.frequency);
  const tx = Float64Array.from(histories.recency);
  const N = Float64Array.from(histories.periods);
  const w = histories.weights ? Float64Array.from(histories.weights) : new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    for (const [k, v] of [
      ['frequency', x[i]],
      ['recency', tx[i]],
      ['periods', N[i]],
      ['weights', w[i]],
    ] as const)
      if (!Number.isFinite(v)) throw new NonFiniteError(`histories.${k}[${i}]`, v);
    if (!(Number.isInteger(x[i]) && Number.isInteger(tx[i]) && Number.isInteger(N[i])))
      throw new InvalidInputError(
        `histories[${i}]`,
        'has a non-integer count',
        'Frequency, recency and periods count opportunities: whole numbers.',
      );
    if (!(x[i] >= 0 && x[i] <= tx[i] && tx[i] <= N[i]))
      throw new InvalidInputError(
        `histories[${i}]`,
        `has x = ${x[i]}, tₓ = ${tx[i]}, n = ${N[i]}`,
        'Need 0 ≤ x ≤ tₓ ≤ n (tₓ = 0 when x = 0).',
      );
  }
  return { n, x, tx, N, w };
}

/**
 * Fits the BG/BB model of discrete-time repeat buying (e.g. annual donations) to grouped histories.
 * @remarks
 * L = B(α+x, β+n−x)/B(α,β)·B(γ, δ+n)/B(γ,δ) + Σ_{i=0}^{n−tₓ−1} B(α+x, β+tₓ−x+i)/B(α,β)·B(γ+1, δ+tₓ+i)/B(γ,δ),
 * each term's gradient by digamma differences, combined by log-sum-exp weights.
 */
export function fitBGBB(histories: DiscreteColumns, options: FitOptions = {}): BgBbFit {
  const { n, x, tx, N, w } = checkHistories(histories);
  const weightSum = w.reduce((a, b) => a + b, 0);
  const ll = (p: Float64Array, grad: Float64Array): number => {
    const [al, be, ga, de] = p;
    const lbAB = lbeta(al, be);
    const lbGD = lbeta(ga, de);
    const psiAB = psi(al + be);
    const psiA = psi(al);
    const psiB = psi(be);
    const psiGD = psi(ga + de);
    const psiG = psi(ga);
    const psiD = psi(de);
    let s = 0;
    const g = [0, 0, 0, 0];
    const tg = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      const ni = N[i];
      const ti = tx[i];
      // first term: alive through n
      let lse = lbeta(al + xi, be + ni - xi) - lbAB + lbeta(ga, de + ni) - lbGD;
      const g0 = [
        psi(al + xi) - psi(al + be + ni) - psiA + psiAB,
        psi(be + ni - xi) - psi(al + be + ni) - psiB + psiAB,
        psi(ga) - psi(ga + de + ni) - psiG + psiGD,
        psi(de + ni) - psi(ga + de + ni) - psiD + psiGD,
      ];
      const terms: number[] = [lse];
      const grads: number[][] = [g0];
      for (let j = 0; j <= ni - ti - 1; j++) {
        const t = lbeta(al + xi, be + ti - xi + j) - lbAB + lbeta(ga + 1, de + ti + j) - lbGD;
        terms.push(t);
        grads.push([
          psi(al + xi) - psi(al + be + ti + j) - psiA + psiAB,
          psi(be + ti - xi + j) - psi(al + be + ti + j) - psiB + psiAB,
          psi(ga + 1) - psi(ga + de + ti + j + 1) - psiG + psiGD,
          psi(de + ti + j) - psi(ga + de + ti + j + 1) - psiD + psiGD,
        ]);
        lse = logAddExp(lse, t);
      }
      tg.fill(0);
      terms.forEach((t, k) => {
        const wk = Math.exp(t - lse);
        for (let c = 0; c < 4; c++) tg[c] += wk * grads[k][c];
      });
      s += w[i] * lse;
      for (let c = 0; c < 4; c++) g[c] += w[i] * tg[c];
    }
    for (let c = 0; c < 4; c++) grad[c] = g[c];
    return s;
  };
  return fitByMaximumLikelihood(
    'bgbb',
    ['alpha', 'beta', 'gamma', 'delta'] as const,
    ll,
    [
      [1, 1, 1, 1],
      [1, 0.5, 0.5, 3],
      [2, 2, 1, 5],
    ],
    weightSum,
    options,
  );
}
