// Media effects that change over time: a channel's coefficient times a multiplier m_t = exp(f_t), f a Gaussian process
// over the periods by the Hilbert-space approximation (PyMC-Marketing's HSGP multiplier; Solin & Särkkä 2020), its
// amplitude and lengthscale sampled. The media term owns the multiplier (./media.ts): its curve s_gt becomes m_t·s_gt,
// so the coefficient models, the centred coordinates and ROAS priors work on the modulated curve unchanged.
import { InvalidInputError } from '@mmm/core';
import { priorQuantile, type ParameterBlock, type PriorSpec } from '@mmm/bayes-nuts';
import type { GpKernel, ModelSpec, TimeVaryingSpec } from '../spec.js';
import { hsgpEigen, spectralWeight } from './hsgp.js';
import type { BlockValues, BlockViews, TermParameter } from './term.js';
import type { PeriodFrame } from '../data.js';

/** The default prior of the multiplier's amplitude η (the sd of f = ln m): HalfNormal(0.3). */
export const DEFAULT_TVP_AMPLITUDE: PriorSpec = { dist: 'halfNormal', sigma: 0.3 };

/** The default prior of the multiplier's lengthscale, in periods: LogNormal(ln(periodsPerYear/2), 0.5), median half a year. */
export function defaultTvpLengthscale(periodsPerYear: number): PriorSpec {
  return { dist: 'logNormal', mu: Math.log(periodsPerYear / 2), sigma: 0.5 };
}

/** The time-varying effects of a spec, resolved: which channels, one multiplier shared or one each, and its priors. */
export interface ResolvedTimeVarying {
  /** 'shared': one multiplier for every channel listed (PyMC-Marketing's); 'perChannel': one each */
  mode: 'shared' | 'perChannel';
  channels: string[];
  /** number of basis functions */
  basis: number;
  amplitude: PriorSpec;
  lengthscale: PriorSpec;
  kernel: GpKernel;
}

/** The kernels, with the factor of Riutort-Mayol et al.'s (2023) rule for the number of basis functions, m ≥ k·c·S/ℓ. */
const KERNELS: Record<GpKernel, number> = { expQuad: 1.75, matern52: 2.65, matern32: 3.42 };

/** The parameter names of a multiplier: `tv.tvp.z` (the basis weights), `tv.tvp.amplitude`, `tv.tvp.lengthscale`; shared: `tvp.*`. */
export interface MultiplierNames {
  z: string;
  amplitude: string;
  lengthscale: string;
}

/** The names of the multiplier of `channel` under `tv` (the shared one's in shared mode). */
export function multiplierNames(tv: ResolvedTimeVarying, channel: string): MultiplierNames {
  const prefix = tv.mode === 'shared' ? 'tvp' : `${channel}.tvp`;
  return { z: `${prefix}.z`, amplitude: `${prefix}.amplitude`, lengthscale: `${prefix}.lengthscale` };
}

/**
 * `spec.timeVaryingEffects` checked and resolved for data of `periods` periods (per geo), or undefined when off. The
 * number of basis functions by default follows Riutort-Mayol et al. (2023): m ≥ 1.75·c·S/ℓ with c = 1.5 the boundary
 * factor, S half the span and ℓ the lengthscale prior's 5% quantile, from 8 to 40.
 */
export function resolveTimeVarying(spec: ModelSpec, periods: number): ResolvedTimeVarying | undefined {
  const raw = spec.timeVaryingEffects;
  if (raw === undefined) return undefined;
  const field = 'spec.timeVaryingEffects';
  const how = "Use 'perChannel', 'shared', a list of channel names, or { channels, basis, amplitude, lengthscale, kernel }.";
  const obj: TimeVaryingSpec = typeof raw === 'object' && !Array.isArray(raw) ? raw : { channels: raw as TimeVaryingSpec['channels'] };
  const known = spec.channels.map((c) => c.name);
  const which = obj.channels ?? 'perChannel';
  let mode: 'shared' | 'perChannel';
  let channels: string[];
  if (which === 'perChannel' || which === 'shared') {
    mode = which;
    channels = known;
  } else if (Array.isArray(which)) {
    mode = 'perChannel';
    which.forEach((c, k) => {
      if (!known.includes(c))
        throw new InvalidInputError(`${field}[${k}]`, `is "${String(c)}", not a channel of the model`, `Name one of ${known.join(', ')}.`);
    });
    if (which.length === 0) throw new InvalidInputError(field, 'is an empty list', how);
    channels = known.filter((c) => which.includes(c));
  } else throw new InvalidInputError(field, `is ${JSON.stringify(raw)}`, how);
  const kernel = obj.kernel ?? 'expQuad';
  if (!Object.hasOwn(KERNELS, kernel))
    throw new InvalidInputError(`${field}.kernel`, `is ${JSON.stringify(kernel)}`, `Use one of ${Object.keys(KERNELS).join(', ')}.`);
  const periodsPerYear = spec.periodsPerYear ?? 52;
  const amplitude = obj.amplitude ?? DEFAULT_TVP_AMPLITUDE;
  const lengthscale = obj.lengthscale ?? defaultTvpLengthscale(periodsPerYear);
  if (periods < 8)
    throw new InvalidInputError(field, `is set for ${periods} periods`, 'An effect that changes over time needs at least 8 periods.');
  const half = Math.max((periods - 1) / 2, 1);
  const low = priorQuantile(lengthscale, 0.05);
  const auto = Math.min(60, Math.max(8, Math.ceil((KERNELS[kernel] * 1.5 * half) / Math.max(low, 1e-9))));
  const basis = obj.basis ?? auto;
  if (!(Number.isInteger(basis) && basis >= 2 && basis <= 200))
    throw new InvalidInputError(`${field}.basis`, `is ${String(basis)}`, 'Give a whole number of basis functions from 2 to 200.');
  return { mode, channels, basis, amplitude, lengthscale, kernel };
}

/**
 * f_t = η·Σ_j c_j(ℓ)·z_j·φ̃_j(t) on T periods: φ_j(x) = sin(jπ(x + L)/(2L))/√L on the centred period index x, L = 1.5·max|x|,
 * demeaned over the periods (φ̃_j = φ_j − mean φ_j, so that mean_t f_t = 0 and β stays the effect at the periods'
 * geometric-mean multiplier), c_j = √S(√λ_j), λ_j = (jπ/(2L))², S the kernel's spectral density (unit variance):
 * squared exponential √(2π)·ℓ·exp(−ℓ²ω²/2), Matérn 5/2 (400√5/3)·ℓ/(5 + ℓ²ω²)³, Matérn 3/2 12√3·ℓ/(3 + ℓ²ω²)². With
 * w_j = η c_j z_j and V_t = ∂ log p/∂f_t, W_j = Σ_t V_t φ̃_jt: ∂/∂z_j = η c_j W_j, ∂/∂η = Σ_j c_j z_j W_j,
 * ∂/∂ℓ = Σ_j w_j W_j ½ ∂ln S/∂ℓ (1/ℓ − ℓλ_j; 1/ℓ − 6ℓλ_j/(5 + ℓ²λ_j); 1/ℓ − 4ℓλ_j/(3 + ℓ²λ_j)).
 * Buffers are made once; `update` and `gradient` allocate nothing.
 */
export class HsgpMultiplier {
  readonly T: number;
  readonly m: number;
  readonly kernel: GpKernel;
  /** the demeaned basis functions, each of length T */
  readonly phi: Float64Array[];
  readonly lambda: Float64Array;
  /** at the last `update`: c_j, ∂ln c_j/∂ℓ, w_j, f_t and m_t = exp(f_t) */
  readonly c: Float64Array;
  readonly dlogc: Float64Array;
  readonly w: Float64Array;
  readonly f: Float64Array;
  readonly multiplier: Float64Array;
  private readonly W: Float64Array;
  private readonly pair = new Float64Array(2);

  /**
   * @param T - the rows' periods
   * @param frame - rows that are not the fitted periods: the basis stays the fit's (its periods, centred and demeaned
   *   as in the fit) and row t reads fitted period start + t, held at the first or last fitted period outside them
   */
  constructor(T: number, m: number, kernel: GpKernel = 'expQuad', frame?: PeriodFrame) {
    this.T = T;
    this.m = m;
    this.kernel = kernel;
    const F = frame?.periods ?? T;
    const start = frame?.start ?? 0;
    const eigen = hsgpEigen(F, m);
    this.lambda = eigen.lambda;
    this.phi = Array.from({ length: m }, (_, k) => {
      let mean = 0;
      for (let t = 0; t < F; t++) mean += eigen.phi(k, t);
      mean /= F;
      return Float64Array.from({ length: T }, (_, t) => eigen.phi(k, Math.min(F - 1, Math.max(0, start + t))) - mean);
    });
    [this.c, this.dlogc, this.w, this.W] = [0, 1, 2, 3].map(() => new Float64Array(m));
    this.f = new Float64Array(T);
    this.multiplier = new Float64Array(T);
  }

  /** f and m at (z, η, ℓ), with c_j(ℓ) and ∂ln c_j/∂ℓ for the gradient at the same point */
  update(z: ArrayLike<number>, eta: number, ell: number): void {
    const { m, T, c, dlogc, w, f, phi, lambda, kernel, pair } = this;
    f.fill(0);
    for (let k = 0; k < m; k++) {
      spectralWeight(kernel, ell, lambda[k], pair);
      c[k] = pair[0];
      dlogc[k] = pair[1];
      w[k] = eta * c[k] * z[k];
      const wk = w[k];
      const p = phi[k];
      for (let t = 0; t < T; t++) f[t] += wk * p[t];
    }
    for (let t = 0; t < T; t++) this.multiplier[t] = Math.exp(f[t]);
  }

  /**
   * given V = ∂ log p/∂f at the last `update`'s point (z, η and its ℓ), adds the gradient in z, η and ℓ to gz, geta[0],
   * gell[0]
   */
  gradient(V: Float64Array, z: ArrayLike<number>, eta: number, gz: Float64Array, geta: Float64Array, gell: Float64Array): void {
    const { m, T, c, dlogc, w, W, phi } = this;
    let ge = 0;
    let gl = 0;
    for (let k = 0; k < m; k++) {
      const p = phi[k];
      let s = 0;
      for (let t = 0; t < T; t++) s += V[t] * p[t];
      W[k] = s;
      gz[k] += eta * c[k] * s;
      ge += c[k] * z[k] * s;
      gl += w[k] * s * dlogc[k];
    }
    geta[0] += ge;
    gell[0] += gl;
  }
}

/**
 * One multiplier inside the model: its blocks (declared by its owner, the first channel using it), its value at the
 * bound parameters, and the gradient collected from every channel that uses it. Per evaluation the owner calls
 * `prepare`; each user adds its V_t = ∂ log p/∂f_t with `collect`, and the last one to do so turns them into the
 * gradient of the blocks. @internal
 */
export class Modulation {
  readonly names: MultiplierNames;
  readonly hsgp: HsgpMultiplier;
  readonly blocks: ParameterBlock[];
  readonly parameters: TermParameter[];
  /** V_t summed over the users so far */
  readonly V: Float64Array;
  private users = 0;
  private pending = 0;
  private z: Float64Array = new Float64Array(0);
  private eta: Float64Array = new Float64Array(1);
  private ell: Float64Array = new Float64Array(1);
  private gz: Float64Array = new Float64Array(0);
  private geta: Float64Array = new Float64Array(1);
  private gell: Float64Array = new Float64Array(1);

  constructor(tv: ResolvedTimeVarying, channel: string, T: number, frame?: PeriodFrame) {
    this.names = multiplierNames(tv, channel);
    this.hsgp = new HsgpMultiplier(T, tv.basis, tv.kernel, frame);
    const normal: PriorSpec = { dist: 'normal', mu: 0, sigma: 1 };
    const { z, amplitude, lengthscale } = this.names;
    this.blocks = [
      { name: z, size: tv.basis, prior: normal },
      { name: amplitude, prior: tv.amplitude, constraint: 'positive' },
      { name: lengthscale, prior: tv.lengthscale, constraint: 'positive' },
    ];
    this.parameters = [
      { name: z, size: tv.basis, prior: normal },
      { name: amplitude, size: 1, prior: tv.amplitude, hierarchicalScale: true },
      { name: lengthscale, size: 1, prior: tv.lengthscale },
    ];
    this.V = new Float64Array(T);
  }

  /** one more channel uses it */
  addUser(): void {
    this.users++;
  }

  bind(values: BlockViews, grads: BlockViews): void {
    const { z, amplitude, lengthscale } = this.names;
    this.z = values[z];
    this.eta = values[amplitude];
    this.ell = values[lengthscale];
    this.gz = grads[z];
    this.geta = grads[amplitude];
    this.gell = grads[lengthscale];
  }

  /** m_t at the bound values (the owner calls it first in each evaluation) */
  prepare(): void {
    this.hsgp.update(this.z, this.eta[0], this.ell[0]);
    this.V.fill(0);
    this.pending = this.users;
  }

  /** after a user added its part to `V`: the last one turns V into the blocks' gradient */
  collect(): void {
    if (--this.pending > 0) return;
    this.hsgp.gradient(this.V, this.z, this.eta[0], this.gz, this.geta, this.gell);
  }

  /** m_t at natural values (reports, prior draws) */
  at(values: BlockValues): Float64Array {
    const { z, amplitude, lengthscale } = this.names;
    this.hsgp.update(values[z], values[amplitude][0], values[lengthscale][0]);
    return this.hsgp.multiplier;
  }
}

/**
 * Each channel's multiplier m_t at one draw's values (`value(name)` its block), for the pipeline's reports and budgets:
 * by channel name, for the channels of `tv` (the shared multiplier under each of them).
 */
export function multipliersAt(
  tv: ResolvedTimeVarying,
  T: number,
  value: (name: string) => ArrayLike<number>,
): Record<string, Float64Array> {
  const hsgp = new HsgpMultiplier(T, tv.basis, tv.kernel);
  const out: Record<string, Float64Array> = {};
  let shared: Float64Array | undefined;
  for (const ch of tv.channels) {
    // a shared multiplier is computed once and found under each of its channels
    if (shared) {
      out[ch] = shared;
      continue;
    }
    const nm = multiplierNames(tv, ch);
    hsgp.update(value(nm.z), value(nm.amplitude)[0], value(nm.lengthscale)[0]);
    out[ch] = Float64Array.from(hsgp.multiplier);
    if (tv.mode === 'shared') shared = out[ch];
  }
  return out;
}
