import {
  ANY,
  AbortedError,
  InvalidInputError,
  assertInRange,
  assertInteger,
  checkOptions,
  oneOf,
  optionKeys,
  type AbortSignalLike,
  type OptionShape,
} from '@mmm/core';
import { createRng, type Rng } from '@mmm/bayes-nuts';
import { timeSeriesSplit } from '../cv.js';
import { Engine, type PenaltyOptions, type Plan, type SegmentFit } from './engine.js';
import { crowdingDistance, nondominatedFronts, paretoFront } from './pareto.js';
import { checkProblem, type CheckedProblem, type MMMProblem } from './problem.js';

/** Options of {@link searchMMM}. */
export interface SearchOptions {
  /** @defaultValue 'ridge' */
  method?: PenaltyOptions['method'];
  /** elastic net mixing; @defaultValue 0.5 */
  l1Ratio?: number;
  /** media coefficients ≥ 0, as Robyn; @defaultValue true */
  nonNegative?: boolean;
  /**
   * 'evolutionary' (the default): NSGA-II over the curve parameters and the penalty, minimising validation NRMSE and
   * DECOMP.RSSD together (Robyn's two objectives); 'random': a quasi-random (Halton, randomly shifted) sample of the
   * box; 'grid': every combination of `grid`'s values (the notebooks' GridSearchCV)
   */
  strategy?: 'evolutionary' | 'random' | 'grid';
  /** candidates to evaluate (evolutionary, random), or the most a grid may have; @defaultValue 2000 (grid: 100000) */
  candidates?: number;
  /** NSGA-II population; @defaultValue 50 */
  population?: number;
  /**
   * grid values: keys `adstock.alpha`, `saturation.halfSaturation`, … (every channel) or `tv.adstock.alpha` (one
   * channel), and `penalty`; a parameter without values is held at its range's midpoint
   */
  grid?: Readonly<Record<string, readonly number[]>>;
  /**
   * the penalty λ's range, searched on a log scale (ridge: scikit-learn's α = λ·n on standardised columns; lasso and
   * elastic net: α = λ on standardised columns); @defaultValue ridge [1e-5, 1], lasso and elastic net
   * [1e-5, 0.3]·sd(y); linear has none
   */
  penalty?: readonly [number, number];
  /** time-series CV folds (`gap` rows left out before each test block) or a final holdout of `holdout` periods; @defaultValue \{ folds: 5
   * \} */
  validation?: { folds?: number; gap?: number } | { holdout: number };
  /** which point of the Pareto front to choose: least validation NRMSE (default), 'balanced' (nearest the ideal point after scaling both
   * objectives to [0, 1] over the front), or least DECOMP.RSSD */
  select?: 'nrmse' | 'balanced' | 'decompRssd';
  /** @defaultValue 1 */
  seed?: number;
  /** lasso and elastic net: the coordinate descent's tolerance per candidate (scikit-learn's rule); @defaultValue 1e-7 */
  tol?: number;
  onProgress?: (p: { evaluated: number; total: number }) => void;
  signal?: AbortSignalLike;
}

/** One evaluated candidate. */
export interface SearchCandidate {
  /** curve parameters in {@link SearchResult.parameterNames}' order */
  curves: number[];
  /** the penalty λ (0 for linear) */
  penalty: number;
  /** validation NRMSE: RMSE over every test period / the range of the target there */
  nrmse: number;
  /** Robyn's DECOMP.RSSD of the all-data fit: distance between the channels' effect shares and spend shares */
  decompRssd: number;
  /** in-sample R² of the all-data fit */
  r2: number;
  /** lasso and elastic net: true when a fold's or the all-data fit's descent stopped before its tolerance */
  notConverged?: boolean;
}

/** What {@link searchMMM} found. */
export interface SearchResult {
  method: PenaltyOptions['method'];
  strategy: NonNullable<SearchOptions['strategy']>;
  /** names of the curve parameters, e.g. `tv.adstock.alpha` */
  parameterNames: string[];
  /** the ranges searched, per curve parameter, then the penalty's */
  ranges: Array<[number, number]>;
  validation: { folds: number; gap: number } | { holdout: number };
  candidates: SearchCandidate[];
  /** indices of the Pareto-optimal candidates (validation NRMSE × DECOMP.RSSD), by increasing NRMSE */
  front: number[];
  /** index of the chosen candidate */
  chosen: number;
  select: NonNullable<SearchOptions['select']>;
  seed: number;
  /** lasso and elastic net: how many candidates had a fit that stopped before its tolerance (scored on its last iterate) */
  notConverged: number;
}

/** The validation folds as contiguous segments. @internal */
function planOf(T: number, validation: SearchOptions['validation']): { plan: Plan; summary: SearchResult['validation'] } {
  const v = validation ?? { folds: 5 };
  if ('holdout' in v) {
    assertInteger('validation.holdout', v.holdout, 1);
    if (v.holdout > T - 8)
      throw new InvalidInputError('validation.holdout', `is ${v.holdout} of ${T} periods`, 'Leave at least 8 periods to fit on.');
    return {
      plan: { folds: [{ train: { start: 0, end: T - v.holdout }, test: { start: T - v.holdout, end: T } }] },
      summary: { holdout: v.holdout },
    };
  }
  const folds = v.folds ?? 5;
  const gap = v.gap ?? 0;
  const split = timeSeriesSplit(T, { nSplits: folds, gap });
  return {
    plan: {
      folds: split.map((f) => ({
        train: { start: f.train[0], end: f.train[f.train.length - 1] + 1 },
        test: { start: f.test[0], end: f.test[f.test.length - 1] + 1 },
      })),
    },
    summary: { folds, gap },
  };
}

/** The evaluation of candidates on one problem: validation NRMSE, DECOMP.RSSD and in-sample R². @internal */
export class Evaluator {
  readonly engine: Engine;
  readonly cp: CheckedProblem;
  private readonly plan: Plan;
  private readonly fitBuf: SegmentFit;
  private readonly contrib: Float64Array;
  private readonly spendShare: Float64Array;
  private readonly tss: number;

  private readonly tol: number;

  constructor(cp: CheckedProblem, penalty: PenaltyOptions, plan: Plan, tol = 1e-7) {
    this.cp = cp;
    this.tol = tol;
    this.plan = plan;
    this.engine = new Engine(
      cp,
      penalty,
      plan.folds.flatMap((f) => [f.train.start, f.train.end, f.test.start, f.test.end]),
    );
    this.fitBuf = { w: new Float64Array(this.engine.p), intercept: 0, ok: true };
    this.contrib = new Float64Array(cp.media.length);
    const spend = cp.media.reduce((a, m) => a + m.spend, 0);
    this.spendShare = Float64Array.from(cp.media, (m) => (spend > 0 ? m.spend / spend : 0));
    this.tss = this.engine.totalSumOfSquares({ start: 0, end: cp.T });
  }

  evaluate(curves: ArrayLike<number>, penalty: number): SearchCandidate {
    const e = this.engine;
    e.setCurves(curves);
    let sse = 0;
    let count = 0;
    const range = { lo: Infinity, hi: -Infinity };
    let ok = true;
    let stopped = false;
    for (const f of this.plan.folds) {
      if (Number.isNaN(e.fit(f.train, penalty, this.fitBuf, this.tol))) ok = false;
      if (this.fitBuf.converged === false) stopped = true;
      sse += e.testError(f.test, this.fitBuf, range);
      count += f.test.end - f.test.start;
    }
    const rss = e.fit({ start: 0, end: this.cp.T }, penalty, this.fitBuf, this.tol);
    if (Number.isNaN(rss)) ok = false;
    if (this.fitBuf.converged === false) stopped = true;
    e.contributions(this.fitBuf, this.contrib);
    let total = 0;
    for (let c = 0; c < this.contrib.length; c++) total += Math.abs(this.contrib[c]);
    let rssd = 0;
    for (let c = 0; c < this.contrib.length; c++) rssd += ((total > 0 ? this.contrib[c] / total : 0) - this.spendShare[c]) ** 2;
    const nrmse = ok && range.hi > range.lo ? Math.sqrt(sse / count) / (range.hi - range.lo) : Number.POSITIVE_INFINITY;
    return {
      curves: Array.from(curves),
      penalty,
      nrmse,
      decompRssd: ok ? Math.sqrt(rssd) : Number.POSITIVE_INFINITY,
      r2: ok ? 1 - rss / this.tss : Number.NEGATIVE_INFINITY,
      ...(stopped ? { notConverged: true } : {}),
    };
  }
}

/** The first primes, for Halton sequences. @internal */
function primes(count: number): number[] {
  const out: number[] = [];
  for (let k = 2; out.length < count; k++) if (out.every((p) => k % p !== 0)) out.push(k);
  return out;
}

/** Point i of a Halton sequence in `bases`, shifted modulo 1 by `shift` (Cranley–Patterson rotation). @internal */
function halton(i: number, bases: readonly number[], shift: readonly number[]): number[] {
  return bases.map((b, k) => {
    let f = 1;
    let r = 0;
    for (let n = i + 1; n > 0; n = Math.floor(n / b)) {
      f /= b;
      r += f * (n % b);
    }
    return (r + shift[k]) % 1;
  });
}

/** Maps a point of the unit cube to curve parameters and a penalty. @internal */
function fromUnit(
  u: readonly number[],
  ranges: ReadonlyArray<readonly [number, number]>,
  penaltyRange: readonly [number, number] | undefined,
): { curves: number[]; penalty: number } {
  const curves = ranges.map(([lo, hi], k) => lo + u[k] * (hi - lo));
  const penalty = penaltyRange
    ? Math.exp(Math.log(penaltyRange[0]) + u[ranges.length] * (Math.log(penaltyRange[1]) - Math.log(penaltyRange[0])))
    : 0;
  return { curves, penalty };
}

/** Simulated binary crossover and polynomial mutation on the unit cube (NSGA-II's operators). @internal */
function offspring(a: readonly number[], b: readonly number[], rng: Rng): [number[], number[]] {
  const D = a.length;
  const c1 = [...a];
  const c2 = [...b];
  if (rng.uniform() < 0.9) {
    const eta = 15;
    for (let k = 0; k < D; k++) {
      if (rng.uniform() > 0.5) continue;
      const u = rng.uniform();
      const beta = u <= 0.5 ? (2 * u) ** (1 / (eta + 1)) : (1 / (2 * (1 - u))) ** (1 / (eta + 1));
      c1[k] = 0.5 * ((1 + beta) * a[k] + (1 - beta) * b[k]);
      c2[k] = 0.5 * ((1 - beta) * a[k] + (1 + beta) * b[k]);
    }
  }
  const etaM = 20;
  for (const c of [c1, c2]) {
    for (let k = 0; k < D; k++) {
      if (rng.uniform() >= 1 / D) continue;
      const u = rng.uniform();
      const delta = u < 0.5 ? (2 * u) ** (1 / (etaM + 1)) - 1 : 1 - (2 * (1 - u)) ** (1 / (etaM + 1));
      c[k] += delta;
    }
    for (let k = 0; k < D; k++) c[k] = Math.min(1, Math.max(0, c[k]));
  }
  return [c1, c2];
}

/** The grid's points on the unit cube: each dimension's values, mapped into its range. @internal */
function gridPoints(
  names: readonly string[],
  ranges: ReadonlyArray<readonly [number, number]>,
  penaltyRange: readonly [number, number] | undefined,
  grid: Readonly<Record<string, readonly number[]>>,
  cap: number,
): number[][] {
  const known = new Set([...names, ...names.map((n) => n.slice(n.indexOf('.') + 1)), 'penalty']);
  for (const key of Object.keys(grid))
    if (!known.has(key)) throw new InvalidInputError(`grid.${key}`, 'is not a searched parameter', `Use one of ${[...known].join(', ')}.`);
  const axes: number[][] = names.map((name, k) => {
    const [lo, hi] = ranges[k];
    const values = grid[name] ?? grid[name.slice(name.indexOf('.') + 1)] ?? [(lo + hi) / 2];
    return values.map((v, i) => {
      if (!(v >= lo && v <= hi))
        throw new InvalidInputError(
          `grid.${name}[${i}]`,
          `is ${v}, outside [${lo}, ${hi}]`,
          'Keep grid values inside the parameter range (or widen the range).',
        );
      return hi > lo ? (v - lo) / (hi - lo) : 0;
    });
  });
  if (penaltyRange) {
    const [lo, hi] = penaltyRange;
    if (!grid.penalty) axes.push([0, 0.25, 0.5, 0.75, 1]);
    else
      axes.push(
        grid.penalty.map((v, i) => {
          if (!(v >= lo && v <= hi))
            throw new InvalidInputError(
              `grid.penalty[${i}]`,
              `is ${v}, outside [${lo}, ${hi}]`,
              'Keep penalties inside the penalty range (or widen it).',
            );
          return hi > lo ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : 0;
        }),
      );
  }
  const size = axes.reduce((a, x) => a * x.length, 1);
  if (size > cap)
    throw new InvalidInputError(
      'grid',
      `has ${size} combinations, more than candidates = ${cap}`,
      "Give fewer values, raise candidates, or use strategy 'random' or 'evolutionary', which scale to many channels.",
    );
  const points: number[][] = [];
  for (let i = 0; i < size; i++) {
    let r = i;
    points.push(
      axes.map((ax) => {
        const v = ax[r % ax.length];
        r = Math.floor(r / ax.length);
        return v;
      }),
    );
  }
  return points;
}

/** The candidate the selection rule picks from the front. @internal */
function choose(candidates: readonly SearchCandidate[], front: readonly number[], select: NonNullable<SearchOptions['select']>): number {
  if (select === 'nrmse') return front[0];
  if (select === 'decompRssd') return front[front.length - 1];
  const span = (f: (c: SearchCandidate) => number) => {
    const v = front.map((i) => f(candidates[i]));
    return [Math.min(...v), Math.max(...v)];
  };
  const [n0, n1] = span((c) => c.nrmse);
  const [d0, d1] = span((c) => c.decompRssd);
  let best = front[0];
  let bestD = Infinity;
  for (const i of front) {
    const a = n1 > n0 ? (candidates[i].nrmse - n0) / (n1 - n0) : 0;
    const b = d1 > d0 ? (candidates[i].decompRssd - d0) / (d1 - d0) : 0;
    const d = Math.hypot(a, b);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** Options checked and defaulted. @internal */
function readOptions(cp: CheckedProblem, options: SearchOptions) {
  const method = options.method ?? 'ridge';
  if (!['ridge', 'lasso', 'elasticnet', 'linear'].includes(method))
    throw new InvalidInputError('method', `is "${String(method)}"`, "Use 'ridge', 'lasso', 'elasticnet' or 'linear'.");
  const l1Ratio = options.l1Ratio ?? 0.5;
  assertInRange('l1Ratio', l1Ratio, { lower: 0, upper: 1 });
  const strategy = options.strategy ?? 'evolutionary';
  if (!['evolutionary', 'random', 'grid'].includes(strategy))
    throw new InvalidInputError('strategy', `is "${String(strategy)}"`, "Use 'evolutionary', 'random' or 'grid'.");
  const candidates = options.candidates ?? (strategy === 'grid' ? 100000 : 2000);
  assertInteger('candidates', candidates, 1);
  const population = options.population ?? 50;
  assertInteger('population', population, 4);
  const select = options.select ?? 'nrmse';
  if (!['nrmse', 'balanced', 'decompRssd'].includes(select))
    throw new InvalidInputError('select', `is "${String(select)}"`, "Use 'nrmse', 'balanced' or 'decompRssd'.");
  const seed = options.seed ?? 1;
  assertInteger('seed', seed);
  let penaltyRange: [number, number] | undefined;
  if (method !== 'linear') {
    const T = cp.T;
    const mean = cp.y.reduce((a, v) => a + v, 0) / T;
    const sdY = Math.sqrt(cp.y.reduce((a, v) => a + (v - mean) ** 2, 0) / T) || 1;
    penaltyRange = options.penalty ? [options.penalty[0], options.penalty[1]] : method === 'ridge' ? [1e-5, 1] : [1e-5 * sdY, 0.3 * sdY];
    if (!(penaltyRange[0] > 0 && penaltyRange[1] >= penaltyRange[0] && Number.isFinite(penaltyRange[1])))
      throw new InvalidInputError('penalty', `is [${penaltyRange.join(', ')}]`, 'Give 0 < lower ≤ upper < ∞.');
  }
  const tol = options.tol ?? 1e-7;
  assertInRange('tol', tol, { lower: 0, lowerOpen: true });
  return { method, l1Ratio, strategy, candidates, population, select, seed, penaltyRange, tol, nonNegative: options.nonNegative ?? true };
}

/** The keys of {@link SearchOptions}, for `checkOptions` (typos refused). */
export const SEARCH_OPTIONS_KEYS = {
  method: ANY,
  l1Ratio: ANY,
  nonNegative: ANY,
  strategy: ANY,
  candidates: ANY,
  population: ANY,
  grid: ANY,
  penalty: ANY,
  validation: oneOf(
    optionKeys<{ folds?: number; gap?: number }>({ folds: ANY, gap: ANY }),
    optionKeys<{ holdout: number }>({ holdout: ANY }),
  ),
  select: ANY,
  seed: ANY,
  tol: ANY,
  onProgress: ANY,
  signal: ANY,
} satisfies { readonly [K in keyof Required<SearchOptions>]: OptionShape };

const SEARCH_SHAPE = optionKeys<SearchOptions>(SEARCH_OPTIONS_KEYS);

/**
 * Searches a classical MMM's hyperparameters, as Robyn and the scikit-learn notebooks do: each channel's adstock
 * and saturation parameters and the penalty, each candidate scored by time-series cross-validation (NRMSE over the
 * test blocks) and by DECOMP.RSSD of its all-data fit; returns every candidate, the Pareto front of the two
 * objectives and the chosen one. Seeded: the same options give the same candidates.
 * @example
 * const s = searchMMM(problem, { method: 'ridge', strategy: 'evolutionary', candidates: 3000, seed: 1 });
 * s.candidates[s.chosen];
 */
export function searchMMM(problem: MMMProblem, options: SearchOptions = {}): SearchResult {
  checkOptions(options, SEARCH_SHAPE, 'options');
  const cp = checkProblem(problem);
  const o = readOptions(cp, options);
  const { plan, summary } = planOf(cp.T, options.validation);
  const evaluator = new Evaluator(cp, { method: o.method, l1Ratio: o.l1Ratio, nonNegative: o.nonNegative }, plan, o.tol);
  const parameterNames = cp.media.flatMap((m) => [
    ...m.adstock.paramNames.map((n) => `${m.name}.adstock.${n}`),
    ...m.saturation.paramNames.map((n) => `${m.name}.saturation.${n}`),
  ]);
  const ranges = cp.media.flatMap((m) => m.ranges.map(([lo, hi]) => [lo, hi] as [number, number]));
  const D = ranges.length + (o.penaltyRange ? 1 : 0);
  const rng = createRng(o.seed, 11);
  const shift = Array.from({ length: D }, () => rng.uniform());
  const bases = primes(D);
  const candidates: SearchCandidate[] = [];
  const total = o.strategy === 'grid' ? -1 : o.candidates;
  const run = (u: number[]) => {
    if (options.signal?.aborted) throw new AbortedError('The search was cancelled.');
    const { curves, penalty } = fromUnit(u, ranges, o.penaltyRange);
    candidates.push(evaluator.evaluate(curves, penalty));
    if (options.onProgress && (candidates.length % 100 === 0 || candidates.length === total))
      options.onProgress({ evaluated: candidates.length, total: total < 0 ? candidates.length : total });
    return candidates.length - 1;
  };
  if (o.strategy === 'grid') {
    const points = gridPoints(parameterNames, ranges, o.penaltyRange, options.grid ?? {}, o.candidates);
    points.forEach(run);
  } else if (o.strategy === 'random') {
    for (let i = 0; i < o.candidates; i++) run(halton(i, bases, shift));
  } else {
    evolve(o.candidates, Math.min(o.population, o.candidates), bases, shift, rng, run, candidates);
  }
  const points = candidates.map((c) => [c.nrmse, c.decompRssd] as [number, number]);
  const valid = candidates.some((c) => Number.isFinite(c.nrmse));
  if (!valid)
    throw new InvalidInputError(
      'problem',
      'gives no candidate a finite validation error',
      'The design is singular for every candidate (constant or collinear columns): drop such columns, or use ridge.',
    );
  const front = paretoFront(points);
  return {
    method: o.method,
    strategy: o.strategy,
    parameterNames,
    ranges: [...ranges, ...(o.penaltyRange ? [o.penaltyRange] : [])],
    validation: summary,
    candidates,
    front,
    chosen: choose(candidates, front, o.select),
    select: o.select,
    seed: o.seed,
    notConverged: candidates.filter((c) => c.notConverged).length,
  };
}

/** NSGA-II on the unit cube: `budget` evaluations in generations of `N`. @internal */
function evolve(
  budget: number,
  N: number,
  bases: readonly number[],
  shift: readonly number[],
  rng: Rng,
  run: (u: number[]) => number,
  candidates: readonly SearchCandidate[],
): void {
  const obj = (i: number) => [candidates[i].nrmse, candidates[i].decompRssd] as [number, number];
  const units = new Map<number, number[]>();
  let pop: number[] = [];
  for (let i = 0; i < N; i++) {
    const u = halton(i, bases, shift);
    const id = run(u);
    units.set(id, u);
    pop.push(id);
  }
  let evaluated = N;
  while (evaluated < budget) {
    const pts = pop.map(obj);
    const fronts = nondominatedFronts(pts);
    const rank = new Map<number, number>();
    const crowd = new Map<number, number>();
    fronts.forEach((f, r) => {
      const cd = crowdingDistance(pts, f);
      for (const k of f) {
        rank.set(k, r);
        crowd.set(k, cd.get(k)!);
      }
    });
    // binary tournament on (rank, crowding)
    const pick = () => {
      const a = Math.floor(rng.uniform() * pop.length);
      const b = Math.floor(rng.uniform() * pop.length);
      const better = rank.get(a)! < rank.get(b)! || (rank.get(a) === rank.get(b) && crowd.get(a)! > crowd.get(b)!) ? a : b;
      return units.get(pop[better])!;
    };
    const children: number[] = [];
    while (children.length < N && evaluated < budget) {
      for (const u of offspring(pick(), pick(), rng)) {
        if (children.length >= N || evaluated >= budget) break;
        const id = run(u);
        units.set(id, u);
        children.push(id);
        evaluated++;
      }
    }
    const merged = [...pop, ...children];
    const mpts = merged.map(obj);
    const next: number[] = [];
    for (const f of nondominatedFronts(mpts)) {
      if (next.length + f.length <= N) {
        next.push(...f.map((k) => merged[k]));
        continue;
      }
      const cd = crowdingDistance(mpts, f);
      next.push(
        ...[...f]
          .sort((a, b) => cd.get(b)! - cd.get(a)!)
          .slice(0, N - next.length)
          .map((k) => merged[k]),
      );
      break;
    }
    pop = next;
  }
}
