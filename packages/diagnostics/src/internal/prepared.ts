import { argsort } from './argsort.js';
import { checkChains, type Chains } from './chains.js';
import { normalQuantile } from './normal-quantile.js';

/**
 * One parameter's draws, validated and sorted once, so that R-hat, ESS and quantiles share the work.
 * Draws are indexed chain-major: draw i of chain c is `c·n + i`.
 * @internal
 */
export interface PreparedDraws {
  chains: Chains;
  /** draws per chain */
  n: number;
  /** all draws, chain-major */
  flat: Float64Array;
  /** all draws sorted ascending */
  sorted: Float64Array;
  /** indices of `flat` in ascending order */
  order: Uint32Array;
  /** true when a draw is NaN */
  hasNaN: boolean;
}

/** Validates and sorts a parameter's draws. @internal */
export function prepareDraws(chains: Chains, field = 'chains'): PreparedDraws {
  const n = checkChains(chains, field);
  const m = chains.length;
  const flat = new Float64Array(m * n);
  let hasNaN = false;
  for (let c = 0; c < m; c++) {
    const ch = chains[c];
    for (let i = 0; i < n; i++) {
      const v = ch[i];
      if (Number.isNaN(v)) hasNaN = true;
      flat[c * n + i] = v;
    }
  }
  const order = hasNaN ? new Uint32Array(0) : argsort(flat);
  const sorted = new Float64Array(order.length);
  for (let k = 0; k < order.length; k++) sorted[k] = flat[order[k]];
  return { chains, n, flat, sorted, order, hasNaN };
}

/** Split-chain layout: the first ⌊n/2⌋ draws and the last ones from ⌈n/2 + 1⌉ (1-based); the middle draw of an odd n is dropped. @internal
 * */
export function splitLayout(n: number): { half: number; secondStart: number } {
  if (n === 1) return { half: 1, secondStart: 1 };
  return { half: Math.floor(n / 2), secondStart: Math.ceil(n / 2 + 1) - 1 };
}

/**
 * Rank-normalised split chains from an ascending order of the draws (`order`, over all draws) and the values
 * in that order (`keys`, for tie detection): ranks over the split draws only (ties averaged), mapped through
 * Φ⁻¹((r − 3/8)/(S + 1/4)). Returns 2m split chains of length ⌊n/2⌋.
 * @internal
 */
export function rankNormalisedSplit(order: Uint32Array, keys: ArrayLike<number>, m: number, n: number): Float64Array[] {
  const { half, secondStart } = splitLayout(n);
  const inSplit = (j: number): boolean => {
    const i = j % n;
    return i < half || i >= secondStart;
  };
  const S = 2 * m * half;
  const out: Float64Array[] = [];
  for (let c = 0; c < 2 * m; c++) out.push(new Float64Array(half));
  const place = (j: number, z: number) => {
    const c = Math.floor(j / n);
    const i = j % n;
    if (i < half) out[2 * c][i] = z;
    else out[2 * c + 1][i - secondStart] = z;
  };
  const denom = S - 2 * (3 / 8) + 1;
  const table = blomScores(S);
  let rank = 0; // ranks assigned so far among split draws
  let k = 0;
  const N = order.length;
  while (k < N) {
    // a run of equal keys
    let e = k;
    while (e + 1 < N && keys[e + 1] === keys[k]) e++;
    let count = 0;
    for (let q = k; q <= e; q++) if (inSplit(order[q])) count++;
    if (count > 0) {
      const r = rank + (count + 1) / 2; // average of rank+1 … rank+count
      const z = Number.isInteger(r) ? table[r - 1] : normalQuantile((r - 3 / 8) / denom);
      for (let q = k; q <= e; q++) if (inSplit(order[q])) place(order[q], z);
      rank += count;
    }
    k = e + 1;
  }
  return out;
}

let blomCache: { S: number; z: Float64Array } | undefined;

/** Φ⁻¹((r − 3/8)/(S + 1/4)) for integer ranks r = 1 … S, kept for the last S (all parameters of a fit share it). */
function blomScores(S: number): Float64Array {
  if (blomCache?.S !== S) {
    const z = new Float64Array(S);
    const denom = S - 2 * (3 / 8) + 1;
    for (let r = 1; r <= S; r++) z[r - 1] = normalQuantile((r - 3 / 8) / denom);
    blomCache = { S, z };
  }
  return blomCache.z;
}

/**
 * The draws folded around their median, |x − median|, in ascending order, with the indices that produce it:
 * a two-pointer merge outward from the median over the sorted draws (O(n), no new sort). With an even count
 * the two middle draws get the exact common value (b − a)/2 (see `rhat`).
 * @internal
 */
export function foldedOrder(p: PreparedDraws): { order: Uint32Array; keys: Float64Array } {
  const s = p.sorted;
  const N = s.length;
  const h = N >> 1;
  const even = N % 2 === 0;
  const a = even ? s[h - 1] : s[h];
  const b = s[h];
  const med = even ? (a + b) / 2 : a;
  const mid = (b - a) / 2;
  const fold = (v: number) => (even && (v === a || v === b) ? mid : Math.abs(v - med));
  const order = new Uint32Array(N);
  const keys = new Float64Array(N);
  // left pointer walks down from the lower middle, right pointer up from the upper middle
  let l = even ? h - 1 : h;
  let r = even ? h : h + 1;
  let k = 0;
  if (!even) {
    order[k] = p.order[h];
    keys[k++] = fold(s[h]);
    l = h - 1;
  }
  while (l >= 0 || r < N) {
    const fl = l >= 0 ? fold(s[l]) : 0;
    const fr = r < N ? fold(s[r]) : 0;
    if (r >= N || (l >= 0 && fl <= fr)) {
      order[k] = p.order[l];
      keys[k++] = fl;
      l--;
    } else {
      order[k] = p.order[r];
      keys[k++] = fr;
      r++;
    }
  }
  return { order, keys };
}

/** True where `posterior`'s should_return_NA is: a NaN or infinite draw, or all draws equal within ε. @internal */
export function isDegenerate(p: PreparedDraws): boolean {
  if (p.hasNaN) return true;
  const lo = p.sorted[0];
  const hi = p.sorted[p.sorted.length - 1];
  return !Number.isFinite(lo) || !Number.isFinite(hi) || Math.abs(hi - lo) < Number.EPSILON;
}
