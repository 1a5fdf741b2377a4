/**
 * Welford's running mean and (co)variance of the warmup draws, with Stan's regularisation toward a small multiple
 * of the identity: Σ̂ = (n/(n + 5))·S + 10⁻³·(5/(n + 5))·I, S the sample (co)variance.
 */
export interface Welford {
  readonly dim: number;
  readonly dense: boolean;
  n: number;
  readonly mean: Float64Array;
  /** Σ (x − x̄)² per coordinate, or the full co-moment matrix (row-major) when dense */
  readonly m2: Float64Array;
  readonly delta: Float64Array;
}

/** A fresh estimator. */
export function welfordInit(dim: number, dense: boolean): Welford {
  return { dim, dense, n: 0, mean: new Float64Array(dim), m2: new Float64Array(dense ? dim * dim : dim), delta: new Float64Array(dim) };
}

/** Forgets all samples (start of a new window). */
export function welfordRestart(w: Welford): void {
  w.n = 0;
  w.mean.fill(0);
  w.m2.fill(0);
}

/** Adds one draw. */
export function welfordUpdate(w: Welford, x: ArrayLike<number>): void {
  w.n += 1;
  const d = w.dim;
  for (let i = 0; i < d; i++) {
    w.delta[i] = x[i] - w.mean[i];
    w.mean[i] += w.delta[i] / w.n;
  }
  if (w.dense) {
    for (let i = 0; i < d; i++) {
      const a = x[i] - w.mean[i];
      const o = i * d;
      for (let j = 0; j < d; j++) w.m2[o + j] += w.delta[j] * a;
    }
  } else {
    for (let i = 0; i < d; i++) w.m2[i] += w.delta[i] * (x[i] - w.mean[i]);
  }
}

/** The regularised (co)variance estimate; needs n ≥ 2. */
export function welfordFinal(w: Welford): Float64Array {
  const n = w.n;
  const d = w.dim;
  const out = new Float64Array(w.m2.length);
  const a = n / (n + 5);
  const b = 1e-3 * (5 / (n + 5));
  for (let k = 0; k < out.length; k++) out[k] = a * (w.m2[k] / (n - 1));
  if (w.dense) {
    for (let i = 0; i < d; i++) out[i * d + i] += b;
    // symmetrise the rounding
    for (let i = 0; i < d; i++) {
      for (let j = i + 1; j < d; j++) {
        const v = 0.5 * (out[i * d + j] + out[j * d + i]);
        out[i * d + j] = v;
        out[j * d + i] = v;
      }
    }
  } else {
    for (let i = 0; i < d; i++) out[i] += b;
  }
  return out;
}
