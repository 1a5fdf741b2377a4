// Sampling a target with NUTS: independent chains (./chain.ts), one after another on this thread.
import { checkOptions, optionKeys } from '@mmm/core';
import type { LogDensity } from './log-density.js';
import { runChain, startChain } from './chain.js';
import { earlyStopReport, runToStop } from './early-stop.js';
import { sampleResult } from './runs.js';
import { resolveOptions, SAMPLE_OPTION_KEYS, type SampleOptions, type SampleResult, type ChainResult } from './sample-options.js';

const SAMPLE_SHAPE = optionKeys<SampleOptions>(SAMPLE_OPTION_KEYS);

/**
 * Draws from `target` with NUTS: `chains` independent chains, run one after another on this thread (see
 * `sampleParallel` for worker threads; both give the same draws for the same seed).
 * @example
 * const target = { dim: 1, logDensityGradient: (t: Float64Array, g: Float64Array) => { g[0] = -t[0]; return -0.5 * t[0] * t[0]; } };
 * const fit = sample(target, { seed: 1, chains: 2, warmup: 200, draws: 200 });
 * fit.chains[0].draws.length; // 200
 */
export function sample(target: LogDensity, options: SampleOptions): SampleResult {
  checkOptions(options, SAMPLE_SHAPE, 'options');
  const s = resolveOptions(target, options);
  if (!s.earlyStop) {
    const chains: ChainResult[] = [];
    for (let c = 0; c < s.chains; c++) chains.push(runChain(target, options, c));
    return sampleResult(target.dim, s.warmup, options.seed, chains);
  }
  // the stopping rule judges all chains together: each warms up, then all sample in steps to the rule's checkpoints
  const steppers = Array.from({ length: s.chains }, (_, c) => startChain(target, options, c));
  for (const st of steppers) st.warmup();
  const { kept, checks } = runToStop(steppers, s.earlyStop, s.draws, target.dim, options.onProgress);
  const result = sampleResult(
    target.dim,
    s.warmup,
    options.seed,
    steppers.map((st) => st.result(kept)),
  );
  return { ...result, earlyStop: earlyStopReport(kept, s.draws, checks) };
}
