/**
 * An unnormalised log density on ℝ^dim (unconstrained space), with its gradient.
 * @remarks `logDensityGradient` returns log p(θ) + const and writes ∇ log p(θ) into `grad` (length `dim`). It must not
 * keep `theta` or `grad`; a non-finite value marks θ as outside the support (the sampler rejects it).
 */
export interface LogDensity {
  readonly dim: number;
  logDensityGradient(theta: Float64Array, grad: Float64Array): number;
}
