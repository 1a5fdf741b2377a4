import { scalarNames, type PriorSpec } from '@mmm/bayes-nuts';
import { hsgpEigen, spectralWeight } from './hsgp.js';
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
      contributionInto(out, natural) {
        const b = natural.trend[0];
        for (let t = 0; t < n; t++) out[t] = b * time[t];
        return out;
      },
      designColumns: () => [{ name: 'trend', values: time }],
    };
    return term;
  };
}

/**
 * The changes of slope of a piecewise-linear trend (as Prophet's): Σ_j δ_j·h_jt with hinges h_jt = max(0, τ_t − s_j)
 * at changepoints s_j (years). Centred offset Σ_j δ_j·h̄_j; ∂/∂δ_j = Σ_t g_t h_jt − h̄_j·G.
 */
export function changepointTerm(changepoints: Float64Array, prior: PriorSpec): TermFactory {
  return (context) =>
    basisTerm(
      'changepoint',
      Array.from(changepoints, (sj) => Float64Array.from(context.data.time, (tau) => Math.max(0, tau - sj))),
      prior,
    )(context);
}

/**
 * A baseline through K knots spread evenly over the periods (Meridian's time-varying intercept), joined linearly, as
 * a random walk that starts at the intercept: with φ_k the hat functions of the knots (linear interpolation weights),
 * the level at period t is Σ_{k≥2} δ_k·ψ_kt, ψ_kt = Σ_{j≥k} φ_jt (knot k sits δ_2 + … + δ_k above the first), and
 * δ ~ Normal(0, sd). A linear term like the changepoints: centred offset Σ δ_k ψ̄_k, ∂/∂δ_k = Σ_t g_t ψ_kt − ψ̄_k·G.
 * In a geo panel every geo shares the path (period t of each geo).
 */
export function knotsTerm(grid: { K: number; periods: number }, prior: PriorSpec): TermFactory {
  return (context) => {
    const { n } = context.data;
    const { K, periods: T } = grid;
    const columns = Array.from({ length: K - 1 }, () => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      // position of period t on the knot axis: knots at 0, (T − 1)/(K − 1), …, T − 1
      const u = ((i % T) * (K - 1)) / Math.max(1, T - 1);
      const j = Math.min(K - 2, Math.floor(u));
      const f = u - j;
      // hat weights: 1 − f on knot j, f on knot j + 1; ψ_k = Σ_{m ≥ k} φ_m, so ψ_k is 1 for k ≤ j, f for k = j + 1
      for (let k = 1; k < K; k++) columns[k - 1][i] = k <= j ? 1 : k === j + 1 ? f : 0;
    }
    return basisTerm('knot', columns, prior)(context);
  };
}

/**
 * The Hilbert-space basis of a squared-exponential GP on the centred period index x (each geo's periods in a panel):
 * φ_j(x) = sin(jπ(x + L)/(2L))/√L on [−L, L], L = 1.5·max|x|, its weights c_j = √S(√λ_j) (λ_j = (jπ/(2L))², S the
 * kernel's spectral density at unit amplitude, lengthscale ℓ), and each φ_j's mean over the n elements. @internal
 */
function hsgpBasis(n: number, T: number, m: number, lengthscale: number) {
  const { lambda, phi: at } = hsgpEigen(T, m);
  const pair = new Float64Array(2);
  const c = Float64Array.from(lambda, (l) => {
    spectralWeight('expQuad', lengthscale, l, pair);
    return pair[0];
  });
  const phi = Array.from({ length: m }, (_, k) => Float64Array.from({ length: n }, (_, i) => at(k, i % T)));
  const phibar = Float64Array.from(phi, (p) => p.reduce((a, b) => a + b, 0) / n);
  return { c, phi, phibar };
}

/**
 * A baseline that moves as a Gaussian process (PyMC-Marketing's HSGP, Solin & Särkkä 2020): f_t = η·Σ_j c_j z_j φ_j(x_t)
 * on the centred period index x (each geo's periods in a panel), with φ_j(x) = sin(jπ(x + L)/(2L))/√L on [−L, L],
 * L = 1.5·max|x|, c_j = √S(√λ_j), λ_j = (jπ/(2L))², S(ω) = √(2π)·ℓ·exp(−ℓ²ω²/2) the squared-exponential kernel's
 * spectral density at unit amplitude, z_j ~ Normal(0, 1) and the amplitude η ~ HalfNormal(a). Non-centred: the
 * sampler moves in z and η. Centred offset η Σ_j c_j z_j φ̄_j; ∂/∂z_j = η c_j (Σ_t g_t φ_jt − φ̄_j G),
 * ∂/∂η = Σ_j c_j z_j (Σ_t g_t φ_jt − φ̄_j G).
 */
export function gpTerm(gp: { lengthscale: number; basis: number; amplitude: number }): TermFactory {
  return ({ data, centred }): ModelTerm => {
    const { n } = data;
    const m = gp.basis;
    const { c, phi, phibar } = hsgpBasis(n, data.geos?.periods ?? n, gp.basis, gp.lengthscale);
    const dots = new Float64Array(m);
    let z: Float64Array;
    let eta: Float64Array;
    let gz: Float64Array;
    let geta: Float64Array;
    const meanOf = (zv: ArrayLike<number>, e: number) => {
      let a = 0;
      for (let k = 0; k < m; k++) a += c[k] * zv[k] * phibar[k];
      return e * a;
    };
    const term: ModelTerm = {
      name: 'gp',
      component: 'baseline',
      blocks: [
        { name: 'gp.z', size: m, prior: { dist: 'normal', mu: 0, sigma: 1 } },
        { name: 'gp.amplitude', prior: { dist: 'halfNormal', sigma: gp.amplitude }, constraint: 'positive' },
      ],
      parameters: [
        { name: 'gp.z', size: m, prior: { dist: 'normal', mu: 0, sigma: 1 } },
        { name: 'gp.amplitude', size: 1, prior: { dist: 'halfNormal', sigma: gp.amplitude } },
      ],
      bind(values, grads) {
        z = values['gp.z'];
        eta = values['gp.amplitude'];
        gz = grads['gp.z'];
        geta = grads['gp.amplitude'];
      },
      prepare(level) {
        if (centred) level.offset += meanOf(z, eta[0]);
      },
      addMean(mu) {
        for (let k = 0; k < m; k++) {
          const w = eta[0] * c[k] * z[k];
          const p = phi[k];
          for (let t = 0; t < n; t++) mu[t] += w * p[t];
        }
      },
      backward(g, level) {
        let ge = 0;
        for (let k = 0; k < m; k++) {
          dots[k] = dot(g, phi[k], n) - (centred ? phibar[k] * level.gradient : 0);
          gz[k] += eta[0] * c[k] * dots[k];
          ge += c[k] * z[k] * dots[k];
        }
        geta[0] += ge;
        return 0;
      },
      toNatural(sampled, out, level) {
        copyBlocks(term, sampled, out);
        level.offset += meanOf(sampled['gp.z'], sampled['gp.amplitude'][0]);
      },
      toSampled(natural, out, level) {
        copyBlocks(term, natural, out);
        level.offset += meanOf(natural['gp.z'], natural['gp.amplitude'][0]);
      },
      contributionInto(out, natural) {
        out.fill(0);
        for (let k = 0; k < m; k++) {
          const w = natural['gp.amplitude'][0] * c[k] * natural['gp.z'][k];
          for (let t = 0; t < n; t++) out[t] += w * phi[k][t];
        }
        return out;
      },
    };
    return term;
  };
}

/**
 * A linear term on fixed columns: Σ_j δ_j·h_jt with an independent prior per coefficient, in block `name`. Centred
 * offset Σ_j δ_j·h̄_j; ∂/∂δ_j = Σ_t g_t h_jt − h̄_j·G. @internal
 */
function basisTerm(name: string, columns: Float64Array[], prior: PriorSpec): TermFactory {
  return ({ data, centred }): ModelTerm => {
    const { n } = data;
    const P = columns.length;
    const hbar = Float64Array.from(columns, (h) => h.reduce((a, b) => a + b, 0) / n);
    const meanOf = (delta: ArrayLike<number>) => {
      let a = 0;
      for (let j = 0; j < P; j++) a += delta[j] * hbar[j];
      return a;
    };
    let delta: Float64Array;
    let gd: Float64Array;
    const term: ModelTerm = {
      name,
      component: 'baseline',
      blocks: [{ name, size: P, prior }],
      parameters: [{ name, size: P, prior }],
      bind(values, grads) {
        delta = values[name];
        gd = grads[name];
      },
      prepare(level) {
        if (centred) level.offset += meanOf(delta);
      },
      addMean(mu) {
        for (let j = 0; j < P; j++) {
          const dj = delta[j];
          const h = columns[j];
          for (let t = 0; t < n; t++) mu[t] += dj * h[t];
        }
      },
      backward(g, level) {
        for (let j = 0; j < P; j++) gd[j] += dot(g, columns[j], n) - (centred ? hbar[j] * level.gradient : 0);
        return 0;
      },
      toNatural(sampled, out, level) {
        copyBlocks(term, sampled, out);
        level.offset += meanOf(sampled[name]);
      },
      toSampled(natural, out, level) {
        copyBlocks(term, natural, out);
        level.offset += meanOf(natural[name]);
      },
      contributionInto(out, natural) {
        out.fill(0);
        for (let j = 0; j < P; j++) for (let t = 0; t < n; t++) out[t] += natural[name][j] * columns[j][t];
        return out;
      },
      designColumns: () => scalarNames({ name, size: P }).map((nm, j) => ({ name: nm, values: columns[j] })),
    };
    return term;
  };
}
