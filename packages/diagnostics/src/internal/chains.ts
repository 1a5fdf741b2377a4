import { DimensionMismatchError, InvalidInputError } from '@mmm/core';

/** One parameter's draws: one array per chain. */
export type Chains = ReadonlyArray<ArrayLike<number>>;

/**
 * Checks that `chains` is non-empty with chains of equal length of at least 4 draws, and returns that length.
 * @internal
 */
export function checkChains(chains: Chains, field = 'chains'): number {
  if (!Array.isArray(chains) || chains.length === 0) {
    throw new InvalidInputError(field, 'has no chains', 'Pass one array of draws per chain, e.g. [[...chain 1], [...chain 2]].');
  }
  const n = chains[0].length;
  for (let c = 1; c < chains.length; c++) {
    if (chains[c].length !== n) throw new DimensionMismatchError(`${field}[${c}]`, n, chains[c].length);
  }
  if (n < 4) {
    throw new InvalidInputError(
      `${field}[0]`,
      `has ${n} draw${n === 1 ? '' : 's'}`,
      'Convergence diagnostics split each chain in two and need at least 4 draws per chain.',
    );
  }
  return n;
}

/** True when any draw is NaN or infinite, or all draws are equal (within ε): where `posterior` returns NA. @internal */
export function shouldReturnNaN(chains: Chains): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (const ch of chains) {
    for (let i = 0; i < ch.length; i++) {
      const v = ch[i];
      if (!Number.isFinite(v)) return true;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return Math.abs(hi - lo) < Number.EPSILON;
}

/**
 * Splits each chain in half (the middle draw of an odd-length chain is dropped), as `posterior` does.
 * A chain of one draw is kept whole.
 * @internal
 */
export function splitChains(chains: Chains): Float64Array[] {
  const n = chains[0].length;
  if (n === 1) return chains.map((c) => Float64Array.from(c));
  const half = Math.floor(n / 2);
  const secondStart = Math.ceil(n / 2 + 1) - 1;
  const out: Float64Array[] = [];
  for (const ch of chains) {
    const a = new Float64Array(half);
    const b = new Float64Array(n - secondStart);
    for (let i = 0; i < half; i++) a[i] = ch[i];
    for (let i = secondStart; i < n; i++) b[i - secondStart] = ch[i];
    out.push(a, b);
  }
  return out;
}

/** All draws of all chains in one array, chain after chain. @internal */
export function flatten(chains: Chains): Float64Array {
  let total = 0;
  for (const c of chains) total += c.length;
  const out = new Float64Array(total);
  let o = 0;
  for (const c of chains) for (let i = 0; i < c.length; i++) out[o++] = c[i];
  return out;
}

/** Applies `f` to every draw, keeping the chain structure. @internal */
export function mapChains(chains: Chains, f: (v: number) => number): Float64Array[] {
  return chains.map((c) => Float64Array.from(c, f));
}
