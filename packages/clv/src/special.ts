import gammaln from '@stdlib/math-base-special-gammaln';
import digamma from '@stdlib/math-base-special-digamma';

/** ln Γ(x). @internal */
export const lgamma: (x: number) => number = gammaln;
/** ψ(x). @internal */
export const psi: (x: number) => number = digamma;

/** ln B(a, b). @internal */
export function lbeta(a: number, b: number): number {
  return gammaln(a) + gammaln(b) - gammaln(a + b);
}

/** log(eᵃ + eᵇ). @internal */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * Gauss hypergeometric ₂F₁(a, b; c; z) for 0 ≤ z < 1 by its power series, summed until a term no longer changes
 * the sum (relative 1e-16) or 100,000 terms.
 * @internal
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 100_000; k++) {
    term *= ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    sum += term;
    if (Math.abs(term) <= 1e-16 * Math.abs(sum)) break;
  }
  return sum;
}
