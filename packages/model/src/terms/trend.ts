import type { PriorSpec } from '@mmm/bayes-nuts';
import { copyBlocks, dot, type ModelTerm, type TermFactory } from './term.js';

/**
 * A linear trend k·τ_t, τ in years from the first period (`data.time`). Centred offset k·τ̄: in the centred
 * coordinates ∂/∂k = Σ_t g_t τ_t − τ̄·G.
 */
export function linearTrendTerm(prior: PriorSpec): TermFactory {
  return ({ data, centred }): ModelTerm => {
    const { n, time } = data;
    let tbar = 0;
    for (let t = 0; t < n; t++) tbar += time[t];
    tbar /= n;
    let k: Float64Array;
    let gk: Float64Array;
    const term: ModelTerm = {
      name: 'trend',
      component: 'baseline',
      blocks: [{ name: 'trend', prior }],
      parameters: [{ name: 'trend', size: 1, prior }],
      bind(values, grads) {
        k = values.trend;
        gk = grads.trend;
      },
      prepare(level) {
        if (centred) level.offset += k[0] * tbar;
      },
      addMean(mu) {
        const b = k[0];
        for (let t = 0; t < n; t++) mu[t] += b * time[t];
      },
      backward(g, level) {
        gk[0] += dot(g, time, n) - (centred ? tbar * level.gradient : 0);
        return 0;
      },
      toNatural(sampled, out, level) {
        copyBlocks(term, sampled, out);
        level.offset += sampled.trend[0] * tbar;
      },
      toSampled(natural, out, level) {
        copyBlocks(term, natural, out);
        level.offset += natural.trend[0] * tbar;
      },
      contributionInto(natural, out) {
        const b = natural.trend[0];
        for (let t = 0; t < n; t++) out[t] = b * time[t];
        return out;
      },
    };
    return term;
  };
}

/**
 * The changes of slope of a piecewise-linear trend (as Prophet's): Σ_j δ_j·h_jt with hinges h_jt = max(0, τ_t − s_j)
 * at changepoints s_j (years). Centred offset Σ_j δ_j·h̄_j; ∂/∂δ_j = Σ_t g_t h_jt − h̄_j·G.
 */
export function changepointTerm(changepoints: Float64Array, prior: PriorSpec): TermFactory {
  return ({ data, centred }): ModelTerm => {
    const { n, time } = data;
    const P = changepoints.length;
    const hinges = Array.from(changepoints, (sj) => Float64Array.from(time, (tau) => Math.max(0, tau - sj)));
    const hbar = Float64Array.from(hinges, (h) => h.reduce((a, b) => a + b, 0) / n);
    const meanOf = (delta: ArrayLike<number>) => {
      let a = 0;
      for (let j = 0; j < P; j++) a += delta[j] * hbar[j];
      return a;
    };
    let delta: Float64Array;
    let gd: Float64Array;
    const term: ModelTerm = {
      name: 'changepoint',
      component: 'baseline',
      blocks: [{ name: 'changepoint', size: P, prior }],
      parameters: [{ name: 'changepoint', size: P, prior }],
      bind(values, grads) {
        delta = values.changepoint;
        gd = grads.changepoint;
      },
      prepare(level) {
        if (centred) level.offset += meanOf(delta);
      },
      addMean(mu) {
        for (let j = 0; j < P; j++) {
          const dj = delta[j];
          const h = hinges[j];
          for (let t = 0; t < n; t++) mu[t] += dj * h[t];
        }
      },
      backward(g, level) {
        for (let j = 0; j < P; j++) gd[j] += dot(g, hinges[j], n) - (centred ? hbar[j] * level.gradient : 0);
        return 0;
      },
      toNatural(sampled, out, level) {
        copyBlocks(term, sampled, out);
        level.offset += meanOf(sampled.changepoint);
      },
      toSampled(natural, out, level) {
        copyBlocks(term, natural, out);
        level.offset += meanOf(natural.changepoint);
      },
      contributionInto(natural, out) {
        out.fill(0);
        for (let j = 0; j < P; j++) for (let t = 0; t < n; t++) out[t] += natural.changepoint[j] * hinges[j][t];
        return out;
      },
    };
    return term;
  };
}
