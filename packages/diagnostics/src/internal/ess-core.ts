import { shouldReturnNaN } from './chains.js';
import { mean, variance } from './stats.js';

/**
 * Effective sample size of equal-length chains, `posterior`'s `.ess` (Vehtari et al. 2021, eqs. 10–11 with
 * Geyer's initial positive and monotone sequences): τ = −1 + 2·Σ ρ̂_t + ρ̂_{max+1}, capped below at 1/log₁₀(MN).
 * @remarks
 * Autocovariances are the "biased" estimates ĉ_k = (1/N) Σ_t y_t y_{t+k} (y centred per chain), computed lazily
 * lag by lag: Geyer's truncation usually stops after a few lags, so this costs O(N·lags) instead of an FFT's
 * O(N log N) for every lag. The values equal `posterior`'s FFT ones up to rounding.
 * Returns NaN where `posterior` gives NA: fewer than 3 draws per chain, non-finite or constant draws.
 * @internal
 */
export function essCore(chains: ReadonlyArray<ArrayLike<number>>): number {
  const m = chains.length;
  const n = chains[0].length;
  if (n < 3 || shouldReturnNaN(chains)) return Number.NaN;
  const centred: Float64Array[] = [];
  const chainMeans = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    const x = chains[c];
    const mu = mean(x);
    chainMeans[c] = mu;
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = x[i] - mu;
    centred.push(y);
  }
  // mean over chains of the lag-k autocovariance; a constant chain has all-zero autocovariances
  const acovMean = (k: number): number => {
    let s = 0;
    for (let c = 0; c < m; c++) {
      const y = centred[c];
      let a = 0;
      for (let t = 0; t + k < n; t++) a += y[t] * y[t + k];
      s += a / n;
    }
    return s / m;
  };
  const acov0 = acovMean(0);
  const meanVar = (acov0 * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) varPlus += variance(chainMeans);

  const rho = new Float64Array(n);
  let t = 0;
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = 1 - (meanVar - acovMean(1)) / varPlus;
  rho[1] = rhoOdd;
  while (t < n - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = 1 - (meanVar - acovMean(t)) / varPlus;
    rhoOdd = 1 - (meanVar - acovMean(t + 1)) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t] = rhoEven;
      rho[t + 1] = rhoOdd;
    }
  }
  const maxT = t;
  if (rhoEven > 0) rho[maxT] = rhoEven;
  // Geyer's initial monotone sequence
  t = 0;
  while (t <= maxT - 4) {
    t += 2;
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
      rho[t + 1] = rho[t];
    }
  }
  const total = m * n;
  // R's rho_hat_t[1:max_t] with max_t = 0 is rho_hat_t[1] (1:0 counts down): when the chains are too short
  // for Geyer's sequence to start (fewer than 6 draws per split chain), τ = 2 and the ESS is half the draws.
  let sum = maxT === 0 ? rho[0] : 0;
  for (let k = 0; k < maxT; k++) sum += rho[k];
  let tau = -1 + 2 * sum + rho[maxT];
  const bound = 1 / Math.log10(total);
  if (tau < bound) tau = bound;
  return total / tau;
}

/**
 * Split-free potential scale reduction of equal-length chains, `posterior`'s `.rhat` (Gelman et al. BDA3):
 * √((B/W + N − 1)/N) with B/N the variance of chain means and W the mean within-chain variance.
 * @internal
 */
export function rhatCore(chains: ReadonlyArray<ArrayLike<number>>): number {
  if (shouldReturnNaN(chains)) return Number.NaN;
  const m = chains.length;
  const n = chains[0].length;
  const means = new Float64Array(m);
  let w = 0;
  for (let c = 0; c < m; c++) {
    means[c] = mean(chains[c]);
    w += variance(chains[c], means[c]);
  }
  w /= m;
  const b = n * variance(means);
  return Math.sqrt((b / w + n - 1) / n);
}
