/**
 * An unnormalised log density on ℝ^dim (unconstrained space), with its gradient.
 * @remarks `logDensityGradient` returns log p(θ) + const and writes ∇ log p(θ) into `grad` (length `dim`). It must not
 * keep `theta` or `grad`; a non-finite value marks θ as outside the support (the sampler rejects it).
 */
export interface LogDensity {
  readonly dim: number;
  logDensityGradient(theta: Float64Array, grad: Float64Array): number;
  /**
   * Optional: a one-parameter group of maps Φ_s through θ (see {@link Orbit}) along which the sampler also moves after
   * every NUTS transition, by slice sampling s. For posteriors where a known map moves along a direction NUTS crosses
   * slowly (a hierarchical scale together with the parameters it pins).
   */
  orbit?(theta: Float64Array): Orbit;
}

/**
 * The orbit of θ under a one-parameter group of maps Φ_s (Φ_0 the identity, Φ_s∘Φ_r = Φ_{s+r}): moving θ to Φ_s(θ)
 * with s drawn from π(s) ∝ p(Φ_s(θ))·|det ∂Φ_s(θ)/∂θ| keeps p invariant (Liu and Sabatti's generalised Gibbs sampling,
 * 2000), and any update of s that keeps π invariant from s = 0 (the sampler's slice sampler) does too.
 */
export interface Orbit {
  /** log π(s) − log π(0); −Infinity where Φ_s(θ) does not exist */
  logRatio(s: number): number;
  /** writes Φ_s(θ) for the s of the last `logRatio` call */
  point(out: Float64Array): void;
  /** the log-density evaluations (or their equivalent) used so far */
  evaluations(): number;
}
