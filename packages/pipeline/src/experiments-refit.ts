// A designed lift test judged by refitting (docs/experiments.md): outcomes simulated as designExperiments simulates them
// (a posterior draw's lift plus the test's noise), each added to the fit's data as a lift test and the model refitted;
// the realised narrowing of the channel's ROAS interval per outcome. The check, and the fallback, where importance
// weights run out of effective draws.
import { ANY, InvalidInputError, InvalidParameterError, checkOptions, optionKeys } from '@mmm/core';
import { createRng } from '@mmm/bayes-nuts';
import { predictTestResult, testModel, toLiftTest, type ExperimentDesign } from './experiments.js';
import { fitMMM } from './fit.js';
import { thinnedDraws } from './summaries.js';
import type { TableInput } from './table.js';
import type { BayesianFit, Estimate, FitMMMOptions, ModelFit } from './types.js';

/** Options of {@link refitExperiment}. */
export interface RefitExperimentOptions {
  /** simulated outcomes, one refit each; @defaultValue 5 */
  outcomes?: number;
  /** @defaultValue 1 */
  seed?: number;
  /** called after each refit with the number done */
  onOutcome?: (done: number, total: number) => void;
}

/** One simulated outcome and its refit. */
export interface RefitOutcome {
  /** the simulated measured total lift */
  measuredLift: number;
  /** the channel's ROAS interval's log-width before over after the refit */
  narrowing: number;
  /** the same predicted from the fit's draws by importance weights (predictTestResult), and their effective sample size */
  predicted: number;
  ess: number;
  /** the channel's ROAS after the refit */
  roas: Estimate;
  /** the refit's convergence gate */
  passed: boolean;
}

/** What {@link refitExperiment} returns. */
export interface RefitExperimentResult {
  channel: string;
  /** the geometric mean over outcomes of the realised narrowing: the refit-based `expectedNarrowing` */
  narrowing: number;
  /** the design's own prediction, beside it */
  expectedNarrowing: number;
  outcomes: RefitOutcome[];
  /** refits that did not pass the gate (their figures are kept, and said so) */
  failedGates: number;
}

/**
 * A design judged by refitting instead of by importance weights: `outcomes` results simulated as
 * {@link designExperiments} simulates them (a random posterior draw's lift plus Normal noise with the design's `sd`),
 * each added to `options.liftTests` as {@link toLiftTest} makes it, and the model refitted on `rows` with `options`
 * (those the fit was made with); per outcome the realised narrowing of the channel's ROAS interval (log scale) and the
 * importance-weighted prediction for the same outcome. Slow (a full fit per outcome) but exact where the weights run
 * out of effective draws (a design's `warning`).
 * @example
 * const check = await refitExperiment(rows, options, fit, designs[0], { outcomes: 5 });
 * check.narrowing;              // realised, geometric mean over the outcomes
 * designs[0].expectedNarrowing; // predicted
 */
export async function refitExperiment(
  rows: TableInput,
  options: FitMMMOptions,
  fit: ModelFit,
  design: ExperimentDesign,
  refit: RefitExperimentOptions = {},
): Promise<RefitExperimentResult> {
  checkOptions(refit, optionKeys<RefitExperimentOptions>({ outcomes: ANY, seed: ANY, onOutcome: ANY }), 'refit');
  const M = refit.outcomes ?? 5;
  if (!(Number.isInteger(M) && M >= 1)) throw new InvalidParameterError('outcomes', M, 'the integers ≥ 1');
  if (fit.method !== 'bayesian' || (options.method !== undefined && options.method !== 'bayesian'))
    throw new InvalidInputError(
      'fit.method',
      `is '${options.method ?? fit.method}'`,
      'Lift tests enter only the Bayesian likelihood: refit a Bayesian fit (the classical path takes no lift tests).',
    );
  const names = fit.spec.channels.map((c) => c.name);
  const given = (options.channels ?? []).map((c) => (typeof c === 'string' ? c : c.name));
  if (given.length !== names.length || given.some((c, i) => c !== names[i]))
    throw new InvalidInputError(
      'options.channels',
      `are ${given.join(', ')} where the fit has ${names.join(', ')}`,
      'Pass the options the fit was made with.',
    );
  if (!names.includes(design.channel))
    throw new InvalidInputError('design.channel', `is "${design.channel}"`, `Channels are ${names.join(', ')}.`);
  // the outcomes: as designExperiments draws them, from the same thinned draws
  const { S, values } = thinnedDraws(fit, 4000);
  const lift = testModel(fit, S, values).liftOf(design);
  const rng = createRng(refit.seed ?? 1, 13);
  const before = fit.channels[design.channel].roas;
  const logWidth = (r: { lower: number; upper: number }) => Math.log(r.upper / r.lower);
  const outcomes: RefitOutcome[] = [];
  for (let m = 0; m < M; m++) {
    const measuredLift = lift[Math.min(S - 1, Math.floor(rng.uniform() * S))] + design.sd * rng.normal();
    const predicted = predictTestResult(fit, design, measuredLift);
    const after = (await fitMMM(rows, {
      ...options,
      liftTests: [...(options.liftTests ?? []), toLiftTest(design, measuredLift)],
    })) as BayesianFit;
    const roas = after.channels[design.channel].roas;
    outcomes.push({
      measuredLift,
      narrowing: logWidth(before) / logWidth(roas),
      predicted: predicted.narrowing,
      ess: predicted.ess,
      roas,
      passed: after.diagnostics.passed,
    });
    refit.onOutcome?.(m + 1, M);
  }
  return {
    channel: design.channel,
    narrowing: Math.exp(outcomes.reduce((a, o) => a + Math.log(o.narrowing), 0) / M),
    expectedNarrowing: design.expectedNarrowing,
    outcomes,
    failedGates: outcomes.filter((o) => !o.passed).length,
  };
}
