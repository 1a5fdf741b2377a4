// The geo model's baselines orbit: a one-parameter group of maps along the funnel between the baselines' spread τ_σ
// and the geo media deviations z_gc, which NUTS crosses slowly on small panels (docs/model-math.md). The sampler
// slice-samples along it after every transition (`LogDensity.orbit` in @mmm/bayes-nuts).
import type { Orbit } from '@mmm/bayes-nuts';
import type { AssembledModel } from './assemble.js';
import type { ModelData } from './data.js';

/**
 * The baselines' orbit of a geo model, in the natural parameters: Φ_s sets τ_σ → e^s·τ_σ, each pooled geo's baseline
 * τ_g → τ_μ + e^s(τ_g − τ_μ) (its standardised deviation kept), and moves each pooled geo's deviations z_g along a
 * direction d_g (d_gc ∝ η_c·β_c·s̄_gc, which Φ_s leaves unchanged) by the t_g that keeps the geo's mean media
 * contribution h_g(z) = Σ_c β_c e^{η_c z_gc} s̄_gc plus its baseline, so the geo's fitted mean stays where the data put
 * it. Φ_s∘Φ_r = Φ_{s+r}; the log-Jacobian is s per pooled geo (the baselines) plus Σ_g ln(D_g(z)/D_g(z′)), D_g = Σ_c
 * d_gc·η_c·h_gc (the matrix determinant lemma on z ↦ z + t(z)·d). π(s) is taken in the natural coordinates
 * (`natural`, the same model with `parameterization: 'natural'`), where the map is written: the Jacobians of the
 * sampler's coordinates cancel from the ratio. Channels not pooled, geos held out and channels dark in a geo do not
 * move. Returns undefined when fewer than two geos are pooled.
 */
export function baselineOrbit(
  model: AssembledModel,
  natural: AssembledModel,
  data: ModelData,
  pooling: { heldOut: readonly boolean[]; pooledChannels: readonly boolean[] },
  channelNames: readonly string[],
): ((theta: Float64Array) => Orbit) | undefined {
  // long: the orbit's set-up (natural coordinates, offsets) and its closure over them, which the sampler calls per transition
  const G = data.geos?.count ?? 0;
  const T = data.geos?.periods ?? 0;
  const geos = Array.from({ length: G }, (_, g) => g).filter((g) => !pooling.heldOut[g]);
  if (geos.length < 2) return undefined;
  const C = channelNames.length;
  const moving = channelNames.map((_, c) => pooling.pooledChannels[c]);
  const zName = model.media.map((m) => m.channel.names.geoDeviates);
  const etaName = model.media.map((m) => m.channel.names.scatter);
  const grad = new Float64Array(natural.density.dim);
  const x = new Float64Array(natural.density.dim);
  const contributions = channelNames.map(() => new Float64Array(data.n));
  const adstocked = new Float64Array(data.n);
  const coefficient = new Float64Array(data.n);
  // where Φ_s writes in the natural coordinates: ln τ_σ, the baselines, each pooled channel's deviations
  const offset = (name: string) => natural.density.blocks.find((b) => b.name === name)!.offset;
  const sdAt = offset('baseline.sd');
  const baseAt = offset('baseline');
  const zAt = channelNames.map((_, c) => (pooling.pooledChannels[c] ? offset(zName[c]) : -1));
  return (theta) => {
    // what Φ_s needs of θ, once per orbit: the natural values, each pooled geo's mean contributions and direction
    const v = model.density.constrain(theta);
    const x0 = natural.density.unconstrain(v);
    const lp0 = natural.density.logDensityGradient(x0, grad);
    const tauMu = v['baseline.mean'][0];
    // the moving channels' contributions alone (not the whole decomposition), into buffers made once
    for (let c = 0; c < C; c++) if (moving[c]) model.media[c].decomposeInto(contributions[c], adstocked, coefficient, v);
    const { h, a, d, frozen } = geoDirections(contributions, v, geos, T, moving, zName, etaName);
    let evaluations = 3;
    let last: Record<string, Float64Array> = v;
    return {
      logRatio(s) {
        evaluations += 1;
        if (s === 0) {
          last = v;
          return 0;
        }
        const es = Math.exp(s);
        const next: Record<string, Float64Array> = {
          ...v,
          baseline: Float64Array.from(v.baseline),
          'baseline.sd': Float64Array.of(v['baseline.sd'][0] * es),
        };
        for (let c = 0; c < C; c++) if (moving[c]) next[zName[c]] = Float64Array.from(v[zName[c]]);
        x.set(x0);
        x[sdAt] += s;
        let logJ = 0;
        for (let k = 0; k < geos.length; k++) {
          const g = geos[k];
          if (frozen[k]) return -Infinity;
          let H = 0;
          for (let c = 0; c < C; c++) H += h[k][c];
          const t = solveShift(h[k], a[k], H - (es - 1) * (v.baseline[g] - tauMu));
          if (!Number.isFinite(t)) return -Infinity;
          let D0 = 0;
          let D1 = 0;
          for (let c = 0; c < C; c++) {
            if (a[k][c] === 0) continue;
            next[zName[c]][g] += t * d[k][c];
            D0 += a[k][c] * h[k][c];
            D1 += a[k][c] * h[k][c] * Math.exp(a[k][c] * t);
          }
          next.baseline[g] = tauMu + es * (v.baseline[g] - tauMu);
          x[baseAt + g] = next.baseline[g];
          for (let c = 0; c < C; c++) if (a[k][c] !== 0) x[zAt[c] + g] = next[zName[c]][g];
          logJ += s + Math.log(D0) - Math.log(D1);
        }
        last = next;
        const lp = natural.density.logDensityGradient(x, grad);
        return Number.isFinite(lp) ? lp - lp0 + logJ : -Infinity;
      },
      point(out) {
        out.set(model.density.unconstrain(last));
      },
      evaluations: () => evaluations,
    };
  };
}

/**
 * Per pooled geo: each moving channel's mean contribution h_gc, the direction d_gc = η_c β_c s̄_gc = η_c h_gc e^{−η_c
 * z_gc} scaled to a largest entry of 1, the rates a_gc = η_c d_gc, and whether the geo has no moving channel with
 * spend (then its mean cannot be kept and the orbit is s = 0 alone). @internal
 */
function geoDirections(
  contributions: readonly Float64Array[],
  v: Record<string, Float64Array>,
  geos: readonly number[],
  T: number,
  moving: readonly boolean[],
  zName: readonly string[],
  etaName: readonly string[],
) {
  const C = moving.length;
  const h = geos.map(() => new Float64Array(C));
  const a = geos.map(() => new Float64Array(C));
  const d = geos.map(() => new Float64Array(C));
  const frozen = geos.map(() => false);
  geos.forEach((g, k) => {
    let dMax = 0;
    for (let c = 0; c < C; c++) {
      if (!moving[c]) continue;
      let sum = 0;
      for (let t = 0; t < T; t++) sum += contributions[c][g * T + t];
      h[k][c] = sum / T;
      const eta = v[etaName[c]][0];
      d[k][c] = eta * h[k][c] * Math.exp(-eta * v[zName[c]][g]);
      dMax = Math.max(dMax, d[k][c]);
    }
    frozen[k] = !(dMax > 0);
    for (let c = 0; c < C; c++) {
      d[k][c] = dMax > 0 ? d[k][c] / dMax : 0;
      a[k][c] = moving[c] ? v[etaName[c]][0] * d[k][c] : 0;
    }
  });
  return { h, a, d, frozen };
}

/**
 * The t with Σ_c h_c e^{a_c t} = target (a_c ≥ 0, h_c ≥ 0, some a_c h_c > 0): Newton's method on the logarithm, which
 * is convex and increasing in t; NaN when the target is out of reach (≤ the contributions that do not move). @internal
 */
export function solveShift(h: Float64Array, a: Float64Array, target: number): number {
  let fixed = 0;
  for (let c = 0; c < h.length; c++) if (a[c] === 0) fixed += h[c];
  if (!(target > fixed)) return Number.NaN;
  const lnTarget = Math.log(target);
  let t = 0;
  for (let it = 0; it < 200; it++) {
    let f = 0;
    let df = 0;
    for (let c = 0; c < h.length; c++) {
      const e = h[c] * Math.exp(a[c] * t);
      f += e;
      df += a[c] * e;
    }
    const step = ((Math.log(f) - lnTarget) * f) / df;
    t -= step;
    if (Math.abs(step) <= 1e-14 * (1 + Math.abs(t))) return t;
  }
  return Number.NaN;
}
