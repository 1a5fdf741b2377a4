// Operations on whole runs: the result of a run's chains, continuing a run, joining a run with its continuation.
import { InvalidInputError } from '@mmm/core';
import type { ChainResult, ChainResume, ChainStats, SampleResult } from './sample-options.js';

/**
 * The result of a run from its chains: with early stopping, every chain cut to the shortest one's draws. @internal
 */
export function sampleResult(dim: number, warmup: number, seed: number, chains: ChainResult[]): SampleResult {
  const draws = Math.min(...chains.map((c) => c.stats.divergent.length));
  const cut = chains.map((c) => (c.stats.divergent.length === draws ? c : truncateChain(c, draws, dim)));
  return { dim, draws, warmup, seed, chains: cut };
}

/** A chain's first `n` draws and their statistics. @internal */
export function truncateChain(c: ChainResult, n: number, dim: number): ChainResult {
  return { ...c, draws: c.draws.slice(0, n * dim), stats: mapStats(<A extends StatArray>(a: A) => a.slice(0, n) as A, c.stats) };
}

/** A per-draw statistic's array, whatever its element type. @internal */
type StatArray = Float64Array | Uint8Array | Uint32Array;

/** Applies `f` to every per-draw statistic of a chain, or of two chains pairwise (the one place that lists them). @internal */
function mapStats(f: <A extends StatArray>(a: A, b: A) => A, a: ChainStats, b: ChainStats = a): ChainStats {
  return {
    divergent: f(a.divergent, b.divergent),
    treeDepth: f(a.treeDepth, b.treeDepth),
    nLeapfrog: f(a.nLeapfrog, b.nLeapfrog),
    refinedSteps: f(a.refinedSteps, b.refinedSteps),
    acceptStat: f(a.acceptStat, b.acceptStat),
    energy: f(a.energy, b.energy),
    logDensity: f(a.logDensity, b.logDensity),
  };
}

/** What each chain of a run had reached and adapted, to continue it with `SampleOptions.resume`. */
export function continueFrom(result: SampleResult): ChainResume[] {
  const dim = result.dim;
  return result.chains.map((c) => {
    const n = c.stats.divergent.length;
    return { position: c.draws.slice((n - 1) * dim, n * dim), stepSize: c.stepSize, inverseMetric: Float64Array.from(c.inverseMetric) };
  });
}

/**
 * One run from a run and its continuation (`SampleOptions.resume`): each chain's draws and statistics one after the
 * other, times and gradient counts added; the warmup and seed are the first run's.
 */
export function joinRuns(first: SampleResult, next: SampleResult): SampleResult {
  if (first.dim !== next.dim || first.chains.length !== next.chains.length) {
    throw new InvalidInputError(
      'next',
      `has ${next.chains.length} chains of dimension ${next.dim}`,
      `Join a run with its own continuation: ${first.chains.length} chains of dimension ${first.dim}.`,
    );
  }
  const cat = <A extends StatArray>(a: A, b: A): A => {
    const out = new (a.constructor as new (n: number) => A)(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  const chains = first.chains.map((a, c): ChainResult => {
    const b = next.chains[c];
    return {
      ...b,
      chain: a.chain,
      draws: cat(a.draws, b.draws),
      stats: mapStats(cat, a.stats, b.stats),
      warmupSeconds: a.warmupSeconds + b.warmupSeconds,
      samplingSeconds: a.samplingSeconds + b.samplingSeconds,
      gradientEvaluations: a.gradientEvaluations + b.gradientEvaluations,
      leapfrogWarmup: a.leapfrogWarmup + b.leapfrogWarmup,
    };
  });
  return { dim: first.dim, draws: first.draws + next.draws, warmup: first.warmup, seed: first.seed, chains };
}
