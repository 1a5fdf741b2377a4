import { DimensionMismatchError, InvalidInputError, assertInteger } from '@mmm/core';
import { mean } from './internal/stats.js';

/** Per-draw sampler statistics, one array per chain (as a NUTS sampler reports them). */
export interface SamplerStats {
  /** 1 (or true) where the transition diverged */
  divergent: ReadonlyArray<ArrayLike<number | boolean>>;
  /** tree depth of each transition */
  treeDepth?: ReadonlyArray<ArrayLike<number>>;
  /** Hamiltonian energy at each draw */
  energy?: ReadonlyArray<ArrayLike<number>>;
}

/** What {@link samplerDiagnostics} reports. */
export interface SamplerReport {
  /** divergent transitions per chain */
  divergencesPerChain: number[];
  /** total divergent transitions */
  divergences: number;
  /** share of transitions that diverged */
  divergenceRate: number;
  /** per chain, the share of transitions that hit the maximum tree depth (when tree depths are given) */
  treeDepthSaturation?: number[];
  /** per chain, the energy Bayesian fraction of missing information (when energies are given) */
  ebfmi?: number[];
  /** plain-language warnings with their fix */
  warnings: string[];
}

/**
 * Energy Bayesian fraction of missing information of one chain (Betancourt 2016), as ArviZ's `bfmi`:
 * mean((E_t − E_{t−1})²) / var(E) with the population variance. Values below 0.3 indicate that the momentum
 * resampling explores the energy distribution poorly (heavy tails, a poorly adapted metric).
 * @example
 * ebfmi([1, 2, 1, 2]); // 4
 */
export function ebfmi(energy: ArrayLike<number>): number {
  const n = energy.length;
  if (n < 2) throw new InvalidInputError('energy', `has ${n} value`, 'E-BFMI needs at least 2 draws.');
  let num = 0;
  for (let t = 1; t < n; t++) num += (energy[t] - energy[t - 1]) ** 2;
  num /= n - 1;
  const m = mean(energy);
  let den = 0;
  for (let t = 0; t < n; t++) den += (energy[t] - m) ** 2;
  den /= n;
  return num / den;
}

/**
 * Divergences, tree-depth saturation and E-BFMI per chain, with warnings that say what to do.
 * @param stats - per-draw sampler statistics, one array per chain
 * @param options - `maxTreeDepth` (default 10), `ebfmiThreshold` (default 0.3)
 */
export function samplerDiagnostics(stats: SamplerStats, options: { maxTreeDepth?: number; ebfmiThreshold?: number } = {}): SamplerReport {
  const maxTreeDepth = options.maxTreeDepth ?? 10;
  const threshold = options.ebfmiThreshold ?? 0.3;
  assertInteger('maxTreeDepth', maxTreeDepth, 1);
  const chains = stats.divergent.length;
  if (chains === 0) throw new InvalidInputError('stats.divergent', 'has no chains', 'Pass one array per chain.');
  const divergencesPerChain = stats.divergent.map((c) => {
    let k = 0;
    for (let i = 0; i < c.length; i++) if (c[i]) k++;
    return k;
  });
  const draws = stats.divergent.reduce((a, c) => a + c.length, 0);
  const divergences = divergencesPerChain.reduce((a, b) => a + b, 0);
  const warnings: string[] = [];
  if (divergences > 0) {
    warnings.push(
      `${divergences} of ${draws} transitions diverged: the posterior has regions the sampler cannot integrate. Raise targetAccept ` +
        `(e.g. 0.95) or reparameterise (non-centred).`,
    );
  }
  const report: SamplerReport = { divergencesPerChain, divergences, divergenceRate: divergences / draws, warnings };
  if (stats.treeDepth) {
    if (stats.treeDepth.length !== chains) throw new DimensionMismatchError('stats.treeDepth', chains, stats.treeDepth.length);
    report.treeDepthSaturation = stats.treeDepth.map((c) => {
      let k = 0;
      for (let i = 0; i < c.length; i++) if (c[i] >= maxTreeDepth) k++;
      return k / c.length;
    });
    const worst = Math.max(...report.treeDepthSaturation);
    if (worst > 0) {
      warnings.push(
        `${(worst * 100).toFixed(1)}% of transitions in a chain hit the maximum tree depth ${maxTreeDepth}: sampling is inefficient. ` +
          `Raise maxTreeDepth or rescale parameters.`,
      );
    }
  }
  if (stats.energy) {
    if (stats.energy.length !== chains) throw new DimensionMismatchError('stats.energy', chains, stats.energy.length);
    report.ebfmi = stats.energy.map(ebfmi);
    report.ebfmi.forEach((v, c) => {
      if (v < threshold)
        warnings.push(
          `Chain ${c + 1} has E-BFMI ${v.toFixed(3)} < ${threshold}: the sampler explores the energy poorly. Reparameterise or use a ` +
            `dense metric.`,
        );
    });
  }
  return report;
}
