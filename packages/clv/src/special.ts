import gammaln from '@stdlib/math-base-special-gammaln';
import digamma from '@stdlib/math-base-special-digamma';
import betaln from '@stdlib/math-base-special-betaln';

/** ln Γ(x). @internal */
export const lgamma: (x: number) => number = gammaln;
/** ψ(x). @internal */
export const psi: (x: number) => number = digamma;

/** ln B(a, b), by stdlib's betaln (the sum of three ln Γ loses digits when a or b is large). @internal */
export const lbeta: (a: number, b: number) => number = betaln;

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

/** ₂F₁ and its partial derivatives. @internal */
export interface Hyp2f1Gradient {
  f: number;
  da: number;
  db: number;
  dc: number;
  dz: number;
}

/**
 * ₂F₁(a, b; c; z) for 0 ≤ z < 1 with its derivatives in a, b, c and z, summed termwise from the same series:
 * ∂t_k/∂a = t_k·Σ_{j<k} 1/(a+j), ∂t_k/∂b likewise, ∂t_k/∂c = −t_k·Σ_{j<k} 1/(c+j), ∂t_k/∂z = k·t_k/z.
 * @internal
 */
export function hyp2f1WithGradient(a: number, b: number, c: number, z: number): Hyp2f1Gradient {
  let t = 1;
  let f = 1;
  let sa = 0;
  let sb = 0;
  let sc = 0;
  let da = 0;
  let db = 0;
  let dc = 0;
  let dz = 0;
  for (let k = 1; k < 100_000; k++) {
    const j = k - 1;
    t *= ((a + j) * (b + j) * z) / ((c + j) * k);
    sa += 1 / (a + j);
    sb += 1 / (b + j);
    sc += 1 / (c + j);
    f += t;
    da += t * sa;
    db += t * sb;
    dc -= t * sc;
    dz += (k * t) / (z === 0 ? 1 : z);
    if (Math.abs(t) * Math.max(1, k * sa, k * sb) <= 1e-17 * Math.abs(f)) break;
  }
  if (z === 0) dz = (a * b) / c;
  return { f, da, db, dc, dz };
}
