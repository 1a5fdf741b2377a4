import { InvalidInputError, InvalidParameterError, NonFiniteError, assertFinite, ANY, checkOptions, optionKeys } from '@mmm/core';
import { minimize } from '@mmm/optimize';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';

/** A model's log-likelihood on natural parameters: returns Σ wᵢ·ℓᵢ and writes its gradient. @internal */
export type LogLikelihood = (params: Float64Array, grad: Float64Array) => number;

/** Options shared by the fits. */
export interface FitOptions {
  /** L2 penalty λ·Σθ² on the natural parameters, as lifetimes' `penalizer_coef`; @defaultValue 0 */
  penalizer?: number;
  /** starting points (natural parameters); several are tried and the best converged one kept */
  starts?: ReadonlyArray<ReadonlyArray<number>>;
  /** @defaultValue 1000 */
  maxIterations?: number;
}

const FIT_OPTIONS_SHAPE = optionKeys<FitOptions>({ penalizer: ANY, starts: ANY, maxIterations: ANY });

/** A fitted model: its name and parameters, and how the fit went. */
export interface ModelFit<M extends string = string, P extends string = string> {
  model: M;
  params: Record<P, number>;
  /** Σ wᵢ·log-likelihood at the estimate (penalty excluded) */
  logLikelihood: number;
  /** asymptotic standard errors from the inverse Hessian of −log-likelihood (NaN if it is not positive definite) */
  standardErrors: Record<P, number>;
  converged: boolean;
  iterations: number;
  /** number of observations (customers, or weighted patterns) */
  observations: number;
}

/**
 * Maximum likelihood on the log scale of positive parameters with @mmm/optimize, from several starts.
 * @internal
 */
export function fitByMaximumLikelihood<M extends string, P extends string>(
  model: M,
  paramNames: readonly P[],
  logLik: LogLikelihood,
  defaultStarts: ReadonlyArray<ReadonlyArray<number>>,
  observations: number,
  options: FitOptions = {},
  coarse?: { logLik: LogLikelihood; observations: number },
): ModelFit<M, P> {
  // large data: the search from several starts runs on a weighted subsample, and its best optimum is polished on all
  // the data (the subsample's likelihood has the same shape, and its optimum lies within sampling error of the full
  // one)
  checkOptions(options, FIT_OPTIONS_SHAPE, 'options');
  const k = paramNames.length;
  const lambda = options.penalizer ?? 0;
  if (!(lambda >= 0)) throw new InvalidParameterError('penalizer', lambda, '[0, ∞)');
  if (coarse && !options.starts) {
    const pre = fitByMaximumLikelihood(model, paramNames, coarse.logLik, defaultStarts, coarse.observations, options);
    if (pre.converged) {
      // Newton steps on all the data with the subsample's Hessian (the same shape within sampling error): each step
      // costs one pass over the data and shrinks the gradient by that error, a few passes instead of a quasi-Newton
      // run's dozens. If it stalls, a full quasi-Newton run from the subsample's optimum takes over.
      const u0 = Float64Array.from(paramNames, (nm) => Math.log(pre.params[nm]));
      const chord = newtonChord(
        objectiveOf(logLik, observations, lambda, k),
        objectiveOf(coarse.logLik, coarse.observations, lambda, k),
        u0,
      );
      const start = chord ? [Array.from(chord.u, Math.exp)] : [paramNames.map((nm) => pre.params[nm])];
      if (chord?.converged) return resultAt(model, paramNames, logLik, chord.u, observations, true, pre.iterations + chord.iterations);
      const polished = fitByMaximumLikelihood(model, paramNames, logLik, start, observations, options);
      if (polished.converged) return polished;
    }
  }
  const starts = options.starts ?? defaultStarts;
  starts.forEach((s, i) => {
    if (s.length !== k)
      throw new InvalidInputError(`starts[${i}]`, `has ${s.length} values`, `Give ${k} values: ${paramNames.join(', ')}.`);
    s.forEach((v, j) => {
      assertFinite(`starts[${i}][${j}]`, v);
      if (!(v > 0)) throw new InvalidParameterError(`starts[${i}].${paramNames[j]}`, v, '(0, ∞)');
    });
  });
  const objective = objectiveOf(logLik, observations, lambda, k);
  let best: { x: Float64Array; value: number; converged: boolean; iterations: number } | undefined;
  // starts in order; once two converged runs reach the same maximum (1e-10 relative), the rest cannot do better
  // than that shared optimum unless the likelihood has another, rarer mode: we stop there
  let agreeing = 0;
  for (const s of starts) {
    const u0 = Float64Array.from(s, Math.log);
    const probe = new Float64Array(k);
    if (!Number.isFinite(objective(u0, probe))) continue;
    const r0 = minimize(objective, u0, { lower: -30, upper: 30, gradTol: 1e-9, maxIterations: options.maxIterations ?? 1000 });
    // a line search that cannot improve at a point whose gradient is at rounding level (the objective is an average
    // over customers) has found the optimum as well as floating point allows
    const r = { ...r0, converged: r0.converged || (r0.reason === 'line-search' && r0.projectedGradientNorm <= 1e-7) };
    if (best && r.converged && best.converged && Math.abs(r.value - best.value) <= 1e-10 * Math.max(1, Math.abs(best.value))) agreeing++;
    if (!best || (r.converged && !best.converged) || (r.converged === best.converged && r.value < best.value)) {
      best = { x: r.x, value: r.value, converged: r.converged, iterations: r.iterations };
    }
    if (agreeing >= 1) break;
  }
  if (!best)
    throw new NonFiniteError('log-likelihood at every start', Number.NaN, 'Check the data (frequency ≤ recency ≤ T) or pass starts.');
  return resultAt(model, paramNames, logLik, best.x, observations, best.converged, best.iterations);
}

/** The fit at the log-scale optimum u: parameters, log-likelihood, standard errors. */
function resultAt<M extends string, P extends string>(
  model: M,
  paramNames: readonly P[],
  logLik: LogLikelihood,
  u: Float64Array,
  observations: number,
  converged: boolean,
  iterations: number,
): ModelFit<M, P> {
  const est = Float64Array.from(u, Math.exp);
  const g0 = new Float64Array(est.length);
  const ll = logLik(est, g0);
  const se = standardErrors(logLik, est, g0);
  return {
    model,
    params: Object.fromEntries(paramNames.map((nm, j) => [nm, est[j]])) as Record<P, number>,
    logLikelihood: ll,
    standardErrors: Object.fromEntries(paramNames.map((nm, j) => [nm, se[j]])) as Record<P, number>,
    converged,
    iterations,
    observations,
  };
}

type Objective = (u: Float64Array, gu: Float64Array) => number;

/** −(ℓ − λ·Σθ²)/observations on the log scale u = ln θ, with its gradient (scaled so tolerances do not depend on the data size). */
function objectiveOf(logLik: LogLikelihood, observations: number, lambda: number, k: number): Objective {
  const p = new Float64Array(k);
  const gp = new Float64Array(k);
  return (u, gu) => {
    for (let j = 0; j < k; j++) p[j] = Math.exp(u[j]);
    const ll = logLik(p, gp);
    let pen = 0;
    for (let j = 0; j < k; j++) {
      pen += p[j] * p[j];
      gu[j] = (-(gp[j] - 2 * lambda * p[j]) * p[j]) / observations;
    }
    const v = -(ll - lambda * pen) / observations;
    return Number.isFinite(v) ? v : Infinity;
  };
}

/**
 * Minimises `f` from u0 by Newton steps with one fixed Hessian, that of `approx` at u0 (central differences of its
 * gradient), halving a step that does not decrease f. Converged when every gradient component is ≤ 1e-9 (the
 * quasi-Newton runs' tolerance); stopped, not converged, when a step does not halve the gradient; undefined when the
 * Hessian is not positive definite.
 */
function newtonChord(
  f: Objective,
  approx: Objective,
  u0: Float64Array,
): { u: Float64Array; converged: boolean; iterations: number } | undefined {
  const k = u0.length;
  const H = new Matrix(k, k);
  const gp = new Float64Array(k);
  const gm = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const h = 1e-5 * Math.max(1, Math.abs(u0[j]));
    const up = Float64Array.from(u0);
    const dn = Float64Array.from(u0);
    up[j] += h;
    dn[j] -= h;
    approx(up, gp);
    approx(dn, gm);
    for (let i = 0; i < k; i++) H.set(i, j, (gp[i] - gm[i]) / (2 * h));
  }
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      H.set(i, j, 0.5 * (H.get(i, j) + H.get(j, i)));
      H.set(j, i, H.get(i, j));
    }
  }
  const chol = new CholeskyDecomposition(H);
  if (!chol.isPositiveDefinite()) return undefined;
  let u = Float64Array.from(u0);
  const g = new Float64Array(k);
  const gTry = new Float64Array(k);
  let value = f(u, g);
  const norm = (x: Float64Array) => x.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  for (let it = 1; it <= 20; it++) {
    const before = norm(g);
    if (before <= 1e-9) return { u, converged: true, iterations: it - 1 };
    const step = chol.solve(Matrix.columnVector(Array.from(g))).getColumn(0);
    let t = 1;
    let accepted = false;
    for (let half = 0; half < 10 && !accepted; half++, t /= 2) {
      const next = Float64Array.from(u, (v, j) => Math.min(30, Math.max(-30, v - t * step[j])));
      const vNext = f(next, gTry);
      if (vNext <= value) {
        u = next;
        value = vNext;
        g.set(gTry);
        accepted = true;
      }
    }
    if (!accepted) return { u, converged: norm(g) <= 1e-7, iterations: it };
    // a good Hessian shrinks the gradient by the subsample's sampling error each step; one that does not halve it is
    // too far off, and the quasi-Newton run takes over now rather than after twenty passes
    if (norm(g) > 0.5 * before && norm(g) > 1e-9) return { u, converged: false, iterations: it };
  }
  return { u, converged: norm(g) <= 1e-9, iterations: 20 };
}

/**
 * √diag of the inverse Hessian of −ℓ, the Hessian by forward differences of the analytic gradient from the gradient
 * at the estimate `g0` (one pass over the data per parameter; step 1e-6 relative, so the Hessian is good to about
 * 1e-6, far below the standard errors' own sampling error).
 */
function standardErrors(logLik: LogLikelihood, est: Float64Array, g0: Float64Array): Float64Array {
  const k = est.length;
  const H = new Float64Array(k * k);
  const gPlus = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const up = Float64Array.from(est);
    up[j] += 1e-6 * est[j];
    const h = up[j] - est[j];
    logLik(up, gPlus);
    for (let i = 0; i < k; i++) H[i * k + j] = -(gPlus[i] - g0[i]) / h;
  }
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) H[i * k + j] = H[j * k + i] = 0.5 * (H[i * k + j] + H[j * k + i]);
  // positive definite (a maximum) or no standard errors: the inverse by ml-matrix's Cholesky decomposition
  const chol = new CholeskyDecomposition(new Matrix(Array.from({ length: k }, (_, i) => Array.from(H.subarray(i * k, (i + 1) * k)))));
  if (!chol.isPositiveDefinite()) return new Float64Array(k).fill(Number.NaN);
  const inv = chol.solve(Matrix.eye(k));
  return Float64Array.from({ length: k }, (_, i) => Math.sqrt(inv.get(i, i)));
}
