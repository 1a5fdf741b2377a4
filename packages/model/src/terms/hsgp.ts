// The Hilbert-space approximation of a stationary Gaussian process on the period index (Solin & Särkkä 2020;
// Riutort-Mayol et al. 2023), shared by the Gaussian-process baseline (./trend.ts) and the time-varying multiplier
// (./modulation.ts): the Laplacian's eigenpairs on [−L, L] around the centred index, and the kernels' spectral densities.
import type { GpKernel } from '../spec.js';

/**
 * The first m eigenpairs on T periods: φ_j(x) = sin(jπ(x + L)/(2L))/√L at the centred index x = t − (T − 1)/2, with
 * L = 1.5·max|x| (the boundary factor 1.5), and λ_j = (jπ/(2L))². `phi(j, t)` for j = 0 … m − 1.
 */
export function hsgpEigen(T: number, m: number): { lambda: Float64Array; phi: (j: number, t: number) => number } {
  const half = (T - 1) / 2;
  const L = 1.5 * Math.max(half, 1);
  const root = Math.sqrt(L);
  return {
    lambda: Float64Array.from({ length: m }, (_, j) => (((j + 1) * Math.PI) / (2 * L)) ** 2),
    phi: (j, t) => Math.sin(((j + 1) * Math.PI * (t - half + L)) / (2 * L)) / root,
  };
}

/**
 * √S(√λ) and ½ ∂ln S/∂ℓ for a kernel of unit amplitude and lengthscale ℓ at eigenvalue λ: S is √(2π)·ℓ·exp(−ℓ²λ/2)
 * (squared exponential), (400√5/3)·ℓ/(5 + ℓ²λ)³ (Matérn 5/2) or 12√3·ℓ/(3 + ℓ²λ)² (Matérn 3/2), each integrating to 2π.
 * Writes the pair into `out` (no allocation).
 */
export function spectralWeight(kernel: GpKernel, ell: number, lambda: number, out: Float64Array): void {
  const x = ell * ell * lambda;
  if (kernel === 'expQuad') {
    out[0] = Math.sqrt(Math.sqrt(2 * Math.PI) * ell * Math.exp(-0.5 * x));
    out[1] = 0.5 * (1 / ell - ell * lambda);
  } else if (kernel === 'matern52') {
    out[0] = Math.sqrt(((400 * Math.sqrt(5)) / 3) * (ell / (5 + x) ** 3));
    out[1] = 0.5 * (1 / ell - (6 * ell * lambda) / (5 + x));
  } else {
    out[0] = Math.sqrt(12 * Math.sqrt(3) * (ell / (3 + x) ** 2));
    out[1] = 0.5 * (1 / ell - (4 * ell * lambda) / (3 + x));
  }
}
