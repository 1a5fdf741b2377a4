import { adstockInto } from '@mmm/transforms';
import {
  boundedQuadratic,
  coordinateDescent,
  descentWorkspace,
  quadraticWorkspace,
  type DescentWorkspace,
  type QuadraticWorkspace,
} from '../kernels.js';
import type { CheckedProblem } from './problem.js';

/** The estimator of a classical MMM and how its penalty is applied. */
export interface PenaltyOptions {
  method: 'ridge' | 'lasso' | 'elasticnet' | 'linear';
  /** elastic net mixing; @defaultValue 0.5 */
  l1Ratio: number;
  /** media coefficients ≥ 0 (Robyn's constraint) */
  nonNegative: boolean;
}

/** Rows [start, end). @internal */
export interface Segment {
  start: number;
  end: number;
}

/** A validation plan: folds of contiguous training and test rows. @internal */
export interface Plan {
  folds: Array<{ train: Segment; test: Segment }>;
}

/** A fit of one candidate on one segment, on the data's scale. @internal */
export interface SegmentFit {
  /** coefficients of the base columns then the media features */
  w: Float64Array;
  intercept: number;
  ok: boolean;
  /** lasso and elastic net: whether the descent reached its tolerance (its last iterate is used either way) */
  converged?: boolean;
}

/**
 * Evaluates candidates of a classical MMM fast: the media features of a candidate are computed once, and the
 * normal equations of every contiguous row range come from prefix sums taken at the plan's boundaries (the base
 * columns' once per problem, the media's once per candidate), so k folds cost one pass over the data plus k small
 * solves. Columns are standardised by their full-data sd, so the penalty treats every column alike (as a
 * StandardScaler before the regression); the intercept is never penalised. Allocates nothing per candidate.
 * @internal
 */
export class Engine {
  readonly T: number;
  readonly q: number;
  readonly C: number;
  readonly p: number;
  /** the columns: base, media features, then interaction features (the features are rewritten per candidate) */
  readonly cols: Float64Array[];
  readonly features: Float64Array[];
  readonly sd: Float64Array;
  readonly lower: Float64Array | undefined;
  private readonly cp: CheckedProblem;
  private readonly penalty: PenaltyOptions;
  private readonly bounds: number[];
  private readonly where: Map<number, number>;
  private readonly s1: Float64Array;
  private readonly s2: Float64Array;
  private readonly sy: Float64Array;
  private readonly y1: Float64Array;
  private readonly y2: Float64Array;
  private readonly adstocked: Float64Array;
  private readonly weights: Float64Array[];
  private readonly curveParams: Array<{ adstock: Float64Array; saturation: Float64Array }>;
  private readonly acc: Float64Array;
  private readonly G: Float64Array;
  private readonly b: Float64Array;
  private readonly mean: Float64Array;
  private readonly v: Float64Array;
  private readonly q2: Float64Array;
  private readonly ws: QuadraticWorkspace;
  private readonly dws: DescentWorkspace;

  constructor(cp: CheckedProblem, penalty: PenaltyOptions, boundaries: readonly number[]) {
    this.cp = cp;
    this.penalty = penalty;
    const T = (this.T = cp.T);
    const q = (this.q = cp.base.length);
    const C = (this.C = cp.media.length);
    const p = (this.p = q + C + cp.interactions.length);
    this.features = [...cp.media, ...cp.interactions].map(() => new Float64Array(T));
    this.cols = [...cp.base, ...this.features];
    this.bounds = [...new Set([0, T, ...boundaries])].sort((a, b) => a - b);
    this.where = new Map(this.bounds.map((b, k) => [b, k]));
    const nb = this.bounds.length;
    this.s1 = new Float64Array(nb * p);
    this.s2 = new Float64Array(nb * p * p);
    this.sy = new Float64Array(nb * p);
    this.y1 = new Float64Array(nb);
    this.y2 = new Float64Array(nb);
    this.adstocked = new Float64Array(T);
    this.weights = cp.media.map((m) => new Float64Array(m.maxLag));
    this.curveParams = cp.media.map((m) => ({ adstock: new Float64Array(m.nAdstock), saturation: new Float64Array(m.nSaturation) }));
    this.acc = new Float64Array(p * p + 2 * p);
    this.G = new Float64Array(p * p);
    this.b = new Float64Array(p);
    this.mean = new Float64Array(p);
    this.v = new Float64Array(p);
    this.q2 = new Float64Array(p);
    this.sd = new Float64Array(p);
    this.ws = quadraticWorkspace(p);
    this.dws = descentWorkspace(p);
    this.lower = penalty.nonNegative ? Float64Array.from({ length: p }, (_, j) => (j >= q && j < q + C ? 0 : -Infinity)) : undefined;
    this.snapshot(0, q);
  }

  /** Writes each channel's feature s(adstock(x)) for the curve parameters `theta` (per channel: adstock then saturation). */
  setCurves(theta: ArrayLike<number>): void {
    let o = 0;
    this.cp.media.forEach((m, c) => {
      const { adstock: a, saturation: s } = this.curveParams[c];
      for (let k = 0; k < m.nAdstock; k++) a[k] = theta[o + k];
      for (let k = 0; k < m.nSaturation; k++) s[k] = theta[o + m.nAdstock + k];
      o += m.nAdstock + m.nSaturation;
      m.adstock.weightsInto(this.weights[c], a, m.normalize);
      adstockInto(this.adstocked, m.input, this.weights[c]);
      m.saturation.valueInto(this.features[c], this.adstocked, s);
    });
    // interactions: a channel's feature times another's, or times a fixed column
    this.cp.interactions.forEach((it, i) => {
      const out = this.features[this.C + i];
      const a = this.features[it.channel];
      const b = it.values ?? this.features[it.other];
      for (let t = 0; t < this.T; t++) out[t] = a[t] * b[t];
    });
    this.snapshot(this.q, this.p);
  }

  /**
   * Prefix sums at every boundary for the columns j in [from, to) against all columns (base columns are summed once,
   * in the constructor; media once per candidate), and each column's sd over all rows.
   */
  private snapshot(from: number, to: number): void {
    const { p, T, cols } = this;
    const y = this.cp.y;
    const acc = this.acc;
    acc.fill(0);
    let y1 = 0;
    let y2 = 0;
    let k = 0;
    const record = (at: number) => {
      for (let j = from; j < to; j++) {
        this.s1[at * p + j] = acc[p * p + j];
        this.sy[at * p + j] = acc[p * p + p + j];
        for (let l = 0; l < p; l++) {
          const v = acc[j * p + l];
          this.s2[at * p * p + j * p + l] = v;
          this.s2[at * p * p + l * p + j] = v;
        }
      }
      this.y1[at] = y1;
      this.y2[at] = y2;
    };
    for (let t = 0; t <= T; t++) {
      if (this.bounds[k] === t) record(k++);
      if (t === T) break;
      const yt = y[t];
      y1 += yt;
      y2 += yt * yt;
      for (let j = from; j < to; j++) {
        const xj = cols[j][t];
        acc[p * p + j] += xj;
        acc[p * p + p + j] += xj * yt;
        // column j against every column below `to` (the base block's media columns are filled by the media pass)
        const row = j * p;
        for (let l = 0; l < to; l++) acc[row + l] += xj * cols[l][t];
      }
    }
    const last = (this.bounds.length - 1) * p;
    for (let j = from; j < to; j++) {
      const m = this.s1[last + j] / T;
      const v = this.s2[last * p + j * p + j] / T - m * m;
      this.sd[j] = v > 1e-14 * Math.max(1, m * m) ? Math.sqrt(v) : 1;
    }
  }

  /** The standardised, centred normal equations of rows [start, end) into G, b; returns (yy, ȳ). */
  private normal(seg: Segment): { yy: number; ybar: number; m: number } {
    const { p, G, b, mean, sd } = this;
    const A = this.where.get(seg.start)!;
    const B = this.where.get(seg.end)!;
    const m = seg.end - seg.start;
    const ybar = (this.y1[B] - this.y1[A]) / m;
    for (let j = 0; j < p; j++) mean[j] = (this.s1[B * p + j] - this.s1[A * p + j]) / m;
    for (let j = 0; j < p; j++) {
      b[j] = (this.sy[B * p + j] - this.sy[A * p + j] - m * mean[j] * ybar) / sd[j];
      for (let l = 0; l <= j; l++) {
        const g = (this.s2[B * p * p + j * p + l] - this.s2[A * p * p + j * p + l] - m * mean[j] * mean[l]) / (sd[j] * sd[l]);
        G[j * p + l] = g;
        G[l * p + j] = g;
      }
    }
    return { yy: this.y2[B] - this.y2[A] - m * ybar * ybar, ybar, m };
  }

  /**
   * Fits rows [start, end) at penalty λ (ridge: λ·m on the standardised columns, i.e. scikit-learn's α = λ·m; lasso
   * and elastic net: scikit-learn's α = λ) into `out` on the data's scale. Returns the in-segment residual sum of
   * squares (NaN when the system is singular).
   */
  fit(seg: Segment, lambda: number, out: SegmentFit, tol = 1e-7): number {
    return this.solve(this.normal(seg), lambda, out, tol);
  }

  /**
   * {@link Engine.fit} on any rows, repeats allowed (a bootstrap resample): the normal equations are summed over
   * the rows themselves, standardised by the full data's sds as every other fit.
   */
  fitRows(rows: Int32Array, lambda: number, out: SegmentFit, tol = 1e-7): number {
    const { p, G, b, mean, sd, cols } = this;
    const y = this.cp.y;
    const m = rows.length;
    let ybar = 0;
    for (const t of rows) ybar += y[t];
    ybar /= m;
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (const t of rows) s += cols[j][t];
      mean[j] = s / m;
    }
    G.fill(0);
    b.fill(0);
    let yy = 0;
    for (const t of rows) {
      const yt = y[t] - ybar;
      yy += yt * yt;
      for (let j = 0; j < p; j++) {
        const xj = (cols[j][t] - mean[j]) / sd[j];
        b[j] += xj * yt;
        for (let l = 0; l <= j; l++) G[j * p + l] += xj * ((cols[l][t] - mean[l]) / sd[l]);
      }
    }
    for (let j = 0; j < p; j++) for (let l = 0; l < j; l++) G[l * p + j] = G[j * p + l];
    return this.solve({ yy, ybar, m }, lambda, out, tol);
  }

  /** Solves the normal equations in G, b at penalty λ into `out`; returns the residual sum of squares. */
  private solve(stats: { yy: number; ybar: number; m: number }, lambda: number, out: SegmentFit, tol: number): number {
    const { p, G, b, v, mean, sd } = this;
    const { yy, ybar, m } = stats;
    const method = this.penalty.method;
    v.fill(0);
    if (method === 'ridge' || method === 'linear') {
      const add = method === 'ridge' ? lambda * m : 0;
      for (let j = 0; j < p; j++) G[j * p + j] += add;
      out.ok = boundedQuadratic(G, b, this.lower, v, this.ws) >= 0;
      for (let j = 0; j < p; j++) G[j * p + j] -= add;
    } else {
      const r = method === 'lasso' ? 1 : this.penalty.l1Ratio;
      const res = coordinateDescent(G, b, yy, p, lambda * r * m, lambda * (1 - r) * m, this.lower, v, this.q2, tol, 100000, this.dws);
      out.ok = true;
      out.converged = res.converged;
    }
    let rss = yy;
    let intercept = ybar;
    for (let j = 0; j < p; j++) {
      let gv = 0;
      for (let l = 0; l < p; l++) gv += G[j * p + l] * v[l];
      rss += v[j] * gv - 2 * v[j] * b[j];
      out.w[j] = v[j] / sd[j];
      intercept -= out.w[j] * mean[j];
    }
    out.intercept = intercept;
    return out.ok ? Math.max(0, rss) : Number.NaN;
  }

  /** Sum of squared errors of a fit on rows [start, end); also widens `range` to the rows' target range. */
  testError(seg: Segment, f: SegmentFit, range: { lo: number; hi: number }): number {
    const { p, cols } = this;
    const y = this.cp.y;
    let sse = 0;
    for (let t = seg.start; t < seg.end; t++) {
      let yh = f.intercept;
      for (let j = 0; j < p; j++) yh += f.w[j] * cols[j][t];
      sse += (y[t] - yh) ** 2;
      if (y[t] < range.lo) range.lo = y[t];
      if (y[t] > range.hi) range.hi = y[t];
    }
    return sse;
  }

  /** Sum of squared errors of a fit over the rows where `skip[t]` is 0 (a resample's out-of-bag periods). */
  squaredError(f: SegmentFit, skip: Uint8Array): number {
    const { p, cols } = this;
    const y = this.cp.y;
    let sse = 0;
    for (let t = 0; t < this.T; t++) {
      if (skip[t]) continue;
      let yh = f.intercept;
      for (let j = 0; j < p; j++) yh += f.w[j] * cols[j][t];
      sse += (y[t] - yh) ** 2;
    }
    return sse;
  }

  /** Each channel's total contribution Σ_t β_c·s_c(t) of a fit (on the model's scale). */
  contributions(f: SegmentFit, out: Float64Array): Float64Array {
    const last = (this.bounds.length - 1) * this.p;
    for (let c = 0; c < this.C; c++) out[c] = f.w[this.q + c] * this.s1[last + this.q + c];
    return out;
  }

  /** The total sum of squares of y about its mean over rows [start, end). */
  totalSumOfSquares(seg: Segment): number {
    const A = this.where.get(seg.start)!;
    const B = this.where.get(seg.end)!;
    const m = seg.end - seg.start;
    const s = this.y1[B] - this.y1[A];
    return this.y2[B] - this.y2[A] - (s * s) / m;
  }
}
