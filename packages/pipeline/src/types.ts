import type { AbortSignalLike } from '@mmm/core';
import type { EarlyStopReport } from '@mmm/bayes-nuts';
import type { GateResult, GateThresholds, SummaryRow } from '@mmm/diagnostics';
import type { ChannelSpec, ModelSpec, Scaling, TermFactory } from '@mmm/model';
import type { PriorSpec } from '@mmm/bayes-nuts';
import type { BoostedModel, BoostingOptions, SearchOptions, SearchResult } from '@mmm/regression';

/** How a fit was estimated: the Bayesian model sampled by NUTS, or a classical regression with a hyperparameter search. */
export type FitMethod = 'bayesian' | ClassicalMethod | 'gbdt';

/** Options of the classical methods' hyperparameter search (see `@mmm/regression`'s `searchMMM`). */
export type ClassicalSearchOptions = Omit<SearchOptions, 'method' | 'seed' | 'signal'> & {
  /**
   * the range each curve parameter is searched in: `'adstock.alpha'` for every channel, `'tv.adstock.alpha'` for one;
   * defaults per family (geometric decay [0, 0.9], Hill half-saturation [0.05, 1.5] and slope [0.5, 3] on the input
   * over its maximum, …: docs/classical.md)
   */
  ranges?: Readonly<Record<string, readonly [number, number]>>;
};

/**
 * A channel: a spend column name, a channel modelled on exposures with its spend column for ROAS, or a
 * reach-and-frequency channel ({@link ReachFrequencyInput}).
 */
export type ChannelInput = string | { name: string; spend: string; exposure?: string } | ReachFrequencyInput;

/**
 * A reach-and-frequency channel (Meridian's form): the columns of its reach per period (people reached), its average
 * frequency (impressions / reach, ≥ 1 where the reach is positive) and its spend. Its effect is
 * β·adstock(reach·Hill(frequency)); the fit reports its `optimalFrequency` and `responseByFrequency`.
 */
export interface ReachFrequencyInput {
  name: string;
  reach: string;
  frequency: string;
  spend: string;
}

/** Options of `fitMMM`. */
export interface FitMMMOptions {
  /** date column */
  date: string;
  /** target column (sales, revenue, conversions) */
  target: string;
  channels: ReadonlyArray<ChannelInput>;
  /**
   * geo column. One geo (or none) is a national fit; several geos (a long table, one row per geo and period) fit the
   * hierarchical geo model (`mmm_geo.stan`): per-capita scaling, curves shared by all geos, each geo's media effect
   * scattered log-normally around the national one, partially pooled geo baselines, shared trend and seasonality.
   */
  geo?: string;
  /**
   * each geo's population, for per-capita scaling: a column (constant within each geo) or `{ geo: population }`.
   * Without it each geo is scaled by its mean target, and the fit says so (`panel.populationSource`).
   */
  population?: string | Readonly<Record<string, number>>;
  /** control columns (price, competitor activity, …) */
  controls?: ReadonlyArray<string>;
  /**
   * organic media columns (exposures with no spend: newsletter sends, organic social, earned media): each with its own
   * adstock and saturation (set them in `model.channels.<name>`), reported with its contribution in `fit.organic`; no
   * ROAS, and not in budgets or plans (their carry-over and level stay as in the data).
   */
  organic?: ReadonlyArray<string>;
  /**
   * non-media treatment columns (price, promotions, distribution): effects wanted as causal, reported apart from the
   * controls in `fit.treatments`, relative to each one's smallest value; a name, or `{ name, prior }` for the prior of
   * its effect from smallest to largest value (units of mean target; default Normal(0, 0.5), signed).
   */
  treatments?: ReadonlyArray<string | { name: string; prior?: PriorSpec }>;
  /**
   * 'bayesian' (the default): the Bayesian MMM sampled by NUTS. 'gbdt': a gradient-boosted benchmark (TreeSHAP
   * attributions of a non-causal model; no curves or budgets). 'ridge', 'lasso', 'elasticnet' or 'linear': the
   * classical MMM of Robyn and the scikit-learn notebooks on the same columns, transforms, seasonality, trend and
   * controls: a search over each channel's adstock and saturation parameters and the penalty (time-series CV, Pareto
   * front of NRMSE and DECOMP.RSSD), then block-bootstrap refits of the chosen model for intervals. National data only.
   */
  method?: FitMethod;
  /** classical methods: the hyperparameter search */
  search?: ClassicalSearchOptions;
  /** 'gbdt': the boosting settings (defaults 1000 rounds at learning rate 0.05, depth 3, early stopping on the last fifth) */
  gbdt?: BoostingOptions;
  /**
   * classical methods: the moving-block bootstrap. Each resample refits the `pool` candidates of least validation
   * error and keeps the one that predicts the periods it left out best, so the intervals include the choice of curves
   * (`pool: 1` holds the curves at the search's choice). `widen` (default 4; 1 for the raw bootstrap) widens each
   * channel's intervals of ROAS, contribution and marginal ROAS about their median on the log scale by that power, as
   * measured on simulated data with known truth (docs/classical.md): the raw percentile intervals held the true ROAS
   * about half the time. The draws, and the curves and budgets computed from them, stay the bootstrap's.
   * @defaultValue \{ resamples: 200, blockLength: ⌈T^(1/3)⌉, pool: 20, widen: 4 \}
   */
  bootstrap?: { resamples?: number; blockLength?: number; pool?: number; widen?: number };
  /**
   * model overrides: seasonality, trend, baseline priors, the likelihood (`{ studentT: { nu: 4 } }` for outliers), the
   * sampler's coordinates, and per-channel adstock, saturation and coefficient prior
   */
  model?: Pick<
    ModelSpec,
    | 'seasonality'
    | 'trend'
    | 'priors'
    | 'likelihood'
    | 'parameterization'
    | 'noise'
    | 'roasPrior'
    | 'unpooled'
    | 'geoTrend'
    | 'geoOrbit'
    | 'timeVaryingEffects'
    | 'interactions'
  > & { channels?: Readonly<Record<string, Omit<ChannelSpec, 'name'>>> };
  /**
   * lift-test measurements (Bayesian fits; on a geo fit each names its `geo`): in the periods `start` … `end` (dates of the date column,
   * inclusive) spending `spendChange` more on `channel` in total, spread evenly over those periods (negative for a
   * hold-out or go-dark test; a period's spend goes at most to 0), changed the target by `lift` in total, with
   * standard error `sd`. Each adds lift ~ Normal(implied, sd) to the model, the implied lift being the modelled
   * target summed over the window with the change minus without it (carry-over inside the window counts).
   */
  liftTests?: ReadonlyArray<LiftTest | SteadyLiftTest>;
  /**
   * Bayesian fits: terms of your own added to the model's mean (`@mmm/model`'s `TermFactory`, the contract of
   * CONTRIBUTING.md's "Add a model term"), each made on the fitted data (periods in date order; a geo panel geo-major).
   * Their parameters are in the draws, their contributions in `contributions.terms`. A term is a function, which cannot
   * cross to a worker thread: such a fit runs its chains one after another here; `predict` and the other functions that
   * rebuild the model take the terms again (made for their rows) in their `terms` option.
   */
  terms?: readonly TermFactory[];
  /** @defaultValue 4 */
  chains?: number;
  /** @defaultValue 1000 */
  warmup?: number;
  /** @defaultValue 1000 */
  draws?: number;
  /** @defaultValue 1 */
  seed?: number;
  /**
   * the sampler's target acceptance statistic (step-size adaptation): higher means smaller steps, fewer divergent
   * transitions and more gradients per draw. @defaultValue 0.8 (Stan's; see docs/validation.md on convergence)
   */
  targetAccept?: number;
  /** the sampler's inverse metric: 'diag' (default) or 'dense' (adapts to correlations between parameters) */
  metric?: 'diag' | 'dense';
  /**
   * the inverse metric warmup starts from: 'laplace' (the default) uses the variances of the Laplace approximation at
   * the posterior mode on the unconstrained scale (about 0.1 s), 'identity' starts as Stan does. The metric is
   * re-estimated from the draws at the end of each adaptation window either way; 'laplace' halves the warmup's
   * gradient evaluations on the reference data. A geo model's mode is degenerate (the geo scatter and the baselines'
   * spread shrink to 0 there): its Laplace start holds those scales at their prior medians. @defaultValue 'laplace'
   */
  initialMetric?: 'laplace' | 'identity';
  /** run chains on worker threads (Node); @defaultValue true */
  parallel?: boolean;
  /** worker threads (Node) or Web Workers (browsers); @defaultValue the available cores, or one per chain for a geo panel */
  workers?: number;
  /**
   * In browsers: creates a module Web Worker that answers chain requests, so chains run in parallel off the main
   * thread. The worker script is two lines:
   * `import { serveChains } from '@mmm/bayes-nuts/parallel'; import { createMMMTarget } from '@mmm/model';
   * serveChains({ '@mmm/model': { createMMMTarget } });` and the factory, with Vite or webpack 5,
   * `() => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`. Without it, a browser fit runs
   * its chains one after another on the calling thread. Ignored in Node, which uses worker threads.
   */
  createWorker?: () => unknown;
  /**
   * Bayesian fits: called as chains advance (every few iterations per chain), with the chain's own position and the
   * whole fit's: share done over all chains, seconds left at the rate so far, divergences so far, and which attempt
   * (automatic reruns, see `remedy`, start again at 0).
   */
  onProgress?: (p: FitProgress) => void;
  /** cancels the fit (an `AbortSignal`) */
  signal?: AbortSignalLike;
  /** mass of the reported credible intervals; @defaultValue 0.9 */
  interval?: number;
  /** thresholds of the convergence gate; defaults R-hat < 1.01, ESS > 400, no divergences */
  gate?: GateThresholds;
  /**
   * Bayesian fits: start from an earlier fit of the same model (same channels, controls, trend and seasonality; e.g.
   * the previous rolling window, or the fit before new weeks arrived): each chain starts at one of its last draws and
   * the sampler's metric at the variances of its draws, so a short warmup (`warmup`, default 300) suffices. The
   * posterior is the same; the gate checks it as usual.
   */
  warmStart?: { fit: MMMFit; warmup?: number };
  /**
   * Bayesian fits: when the convergence gate fails, rerun with what the failure suggests, up to `maxAttempts` times:
   * after divergent transitions a higher target acceptance (0.95, then 0.99) and 1.5× the warmup, from scratch; after
   * R-hat or ESS failures the chains continue where they stopped (their adapted step sizes and metrics, no new warmup)
   * for as many draws again, so each such remedy doubles the draws; each attempt with the next seed. Every attempt is recorded in
   * `fit.diagnostics.attempts`. `false` turns it off. @defaultValue \{ maxAttempts: 2 \}, or off when `warmup` or
   * `draws` is given (run lengths chosen by the caller are respected)
   */
  remedy?: false | { maxAttempts?: number };
  /**
   * Bayesian fits: stop sampling once the answer is known, so `draws` becomes a ceiling. Every 100 draws from 200 on,
   * the draws of all chains so far are judged (on worker threads too: the chains send their draws to this thread): the
   * multi-chain R-hat and bulk and tail ESS of every sampled coordinate and of the log density; sampling stops at the
   * first check where every R-hat is at most 1.008 (80% of the way to the gate's 1.01) and every ESS at least `ess`.
   * The kept draws are the first ones of the same fit without stopping, and the same seed gives the same fit whatever
   * the workers. `true`: `ess` 1.25 times the gate's ESS threshold (500 by default). When and why it stopped is in
   * `fit.diagnostics.earlyStop`, the draws kept in `fit.diagnostics.drawsPerChain`; progress reports the ESS so far
   * (`FitProgress.earlyStop`). @defaultValue off
   */
  earlyStop?: boolean | { ess?: number };
  /**
   * smaller leapfrog steps where the adapted step is too long for the posterior's local scale (a funnel's neck),
   * instead of a divergent transition: `@mmm/bayes-nuts`'s `localStepSize` (within-orbit step refinement, exact).
   * `false` samples with plain NUTS, as Stan. @defaultValue true
   */
  localStepSize?: boolean | { energyTolerance?: number; maxHalvings?: number };
}

/** Progress of a Bayesian fit (see `FitMMMOptions.onProgress`). */
export interface FitProgress {
  /** the chain that reported, its iteration (warmup included) of `total`, and whether it is still warming up */
  chain: number;
  iteration: number;
  total: number;
  warmup: boolean;
  /** that chain's divergent transitions after warmup so far */
  divergences: number;
  /** 1, then 2, … for automatic reruns */
  attempt: number;
  /** 'warmup' while any chain warms up, then 'sampling' */
  phase: 'warmup' | 'sampling';
  /** share of this attempt's iterations done over all chains, 0 … 1 */
  fraction: number;
  /** divergent transitions over all chains so far */
  divergencesTotal: number;
  elapsedSeconds: number;
  /** seconds left in this attempt at the rate so far; undefined until 2% is done */
  etaSeconds: number | undefined;
  /**
   * with `earlyStop`, from its first check: the draws per chain judged, the ESS so far (the smaller of bulk and tail
   * of the parameter that fell short, or of all when met) against its target, R-hat against its target
   */
  earlyStop?: { draws: number; ess: number; targetEss: number; rhat: number; targetRhat: number; met: boolean };
}

/** One attempt of a Bayesian fit (see `FitMMMOptions.remedy`): its settings and what the gate said. */
export interface Attempt {
  /** why it ran: 'as asked', or the remedy */
  reason: string;
  seed: number;
  targetAccept: number;
  warmup: number;
  draws: number;
  passed: boolean;
  rhatMax: number;
  essBulkMin: number;
  divergences: number;
  seconds: number;
}

/** A lift-test measurement (see `FitMMMOptions.liftTests`). */
export interface LiftTest {
  channel: string;
  start: string;
  end: string;
  spendChange: number;
  lift: number;
  sd: number;
  /** geo fits: the geo the test ran in (required there; its spend and target are that geo's) */
  geo?: string;
}

/**
 * A lift test in PyMC-Marketing's convention (its `df_lift_test`: channel, x, delta_x, delta_y, sigma): at a
 * sustained spend of `x` per period, `deltaX` more per period moved the target by `lift` per period, with standard
 * error `sd`; the model's implied lift is read off the channel's curve at steady state, β·(s(x + Δx) − s(x)) (adstock
 * weights are normalised, so a sustained input is its own adstock). `liftTestsFromPyMC` converts such a table.
 */
export interface SteadyLiftTest {
  channel: string;
  x: number;
  deltaX: number;
  lift: number;
  sd: number;
  /**
   * geo fits: the geos the test ran in (a geo split's treatment geos). `x` and `deltaX` are then their total spend per
   * period, split over them in proportion to each geo's spend on the channel in the data (by population when they had
   * none), and `lift` and `sd` are for those geos together, per period.
   */
  geos?: readonly string[];
}

/** A posterior summary of one quantity. */
export interface Estimate {
  mean: number;
  median: number;
  lower: number;
  upper: number;
}

/** A posterior summary of a series: mean and interval per period. */
export interface SeriesEstimate {
  mean: number[];
  lower: number[];
  upper: number[];
}

/** Per channel results. */
export interface ChannelResult {
  /** total spend over the data */
  spend: number;
  /** total contribution in target units */
  contribution: Estimate;
  /** contribution / spend */
  roas: Estimate;
  /** extra response per extra unit of spend at the current spend pattern */
  marginalRoas: Estimate;
  /** share of the media effect */
  effectShare: number;
  /** share of the media spend */
  spendShare: number;
  /**
   * fits whose effects change over time (`model.timeVaryingEffects`): the channel's multiplier m_t per period (its effect
   * is β·m_t, the multiplier's mean log over the fitted periods 0)
   */
  effectOverTime?: SeriesEstimate;
  /** fits whose effects change over time: spend, contribution and ROAS per quarter and per year of the fitted periods */
  roasByPeriod?: { quarters: PeriodRoas[]; years: PeriodRoas[] };
  /**
   * reach-and-frequency channels: the frequency that maximises the response per impression, the maximiser of
   * Hill(f)/f, K·(S − 1)^(1/S) per draw (0 for a draw with slope S ≤ 1, whose response per impression only falls
   * with frequency)
   */
  optimalFrequency?: Estimate;
  /** reach-and-frequency channels: the data's frequencies and the steady-state ROAS by frequency */
  reachFrequency?: ReachFrequencyResult;
}

/** What a reach-and-frequency channel's fit says about frequency. */
export interface ReachFrequencyResult {
  /** the data's average frequency (total impressions / total reach) and its largest per-period frequency */
  averageFrequency: number;
  maxFrequency: number;
  /** total spend / total impressions (impressions = Σ reach·frequency) */
  costPerImpression: number;
  /**
   * the steady-state ROAS per frequency: the channel's average spend per period buys impressions at the average cost,
   * delivered at each frequency of `frequency` (reach = impressions / frequency), held every period; per frequency
   * `{ mean, lower, upper }` over the draws
   */
  responseByFrequency: { frequency: number[]; roas: Estimate[] };
}

/** A channel's results over one window of periods. */
export interface PeriodRoas {
  /** first and last date of the window */
  start: string;
  end: string;
  spend: number;
  contribution: Estimate;
  roas: Estimate;
}

/** An interaction's totals over the fitted periods (its series is in `contributions.terms`). */
export interface InteractionResult {
  channel: string;
  /** 'season' or the other channel */
  with: string;
  /** its total contribution over the fitted periods, in target units (negative when it takes away) */
  contribution: Estimate;
  /** that total over the channel's own total contribution: how much the interaction adds to or takes from its effect */
  relative: Estimate;
}

/** What a classical method's intervals are worth, measured on simulated data with known truth. */
export interface IntervalCoverage {
  /** the intervals' nominal mass (0.9) */
  nominal: number;
  /** the share of true ROAS the nominal 90% intervals held */
  measured: number;
  /** how many channel ROAS that share is over, and where it was measured */
  count: number;
  source: string;
}

/** The classical methods: a penalised (or plain) regression with a search over the curves and a bootstrap. */
export type ClassicalMethod = 'ridge' | 'lasso' | 'elasticnet' | 'linear';

/** What every fit holds, whatever its method (plain JSON; round-trips through `JSON.stringify`). */
export interface FitCommon {
  version: 1;
  spec: ModelSpec;
  /** the data as fitted, in original units */
  data: {
    /** the geo the data belong to ('national' when none was named, 'N geos' for a geo panel) */
    geo: string;
    dates: string[];
    target: number[];
    /** what the model saw per channel (spend, exposures, or a reach-and-frequency channel's reach) */
    input: Record<string, number[]>;
    /** reach-and-frequency channels: the average frequency per period (national: impressions over reach across geos) */
    frequency?: Record<string, number[]>;
    /** organic media's exposures per period (national: the sum over geos) */
    organic?: Record<string, number[]>;
    /** treatments per period (national: the mean over geos) */
    treatments?: Record<string, number[]>;
    /** spend per channel, for ROAS and budgets */
    spend: Record<string, number[]>;
    controls: Record<string, number[]>;
    periodDays: number;
  };
  scaling: Scaling;
  channels: Record<string, ChannelResult>;
  /** decomposition of the fitted target over time, in target units */
  contributions: {
    fitted: SeriesEstimate;
    trend: SeriesEstimate;
    seasonality: SeriesEstimate;
    controls: SeriesEstimate;
    channels: Record<string, SeriesEstimate>;
    /**
     * the contribution of each term added with `FitMMMOptions.terms`, by term name, and of each interaction
     * (`model.interactions`) by its name, `tv:season` or `tv:search`
     */
    terms?: Record<string, SeriesEstimate>;
  };
  /** fits with `model.interactions`: each interaction's totals, by its name (`tv:season`, `tv:search`) */
  interactions?: Record<string, InteractionResult>;
  /** fits with organic media: each one's total contribution (its series is in `contributions.terms`) */
  organic?: Record<string, { contribution: Estimate }>;
  /**
   * fits with non-media treatments: each one's total contribution relative to its smallest value, and `effect`, the
   * change in the target per period from its smallest to its largest value (its series is in `contributions.terms`)
   */
  treatments?: Record<string, { contribution: Estimate; effect: Estimate }>;
  /** in-sample fit of the mean */
  fit: { r2: number; mape: number; nrmse: number };
  timing: { warmupSeconds: number; samplingSeconds: number; totalSeconds: number; gradientEvaluations: number };
}

/** The convergence gate's verdict on a Bayesian fit, with E-BFMI per chain, the summary table and the attempts. */
export type BayesianDiagnostics = GateResult & {
  ebfmi: number[];
  summary: SummaryRow[];
  attempts?: Attempt[];
  /** draws kept per chain (below `settings.draws` when `earlyStop` stopped sampling early) */
  drawsPerChain?: number;
  /** with `earlyStop`: the draws kept, the ceiling, why it stopped ('targets met' or 'ceiling'), its checks and the last one's figures */
  earlyStop?: EarlyStopReport;
  /**
   * steps of the kept draws' trajectories the sampler took as several smaller leapfrog steps (its local step size,
   * where the adapted step was unstable: a funnel's neck, a curve's ridge); 0 with `localStepSize: false`
   */
  refinedSteps?: number;
};

/** `fitMMM` with `method: 'bayesian'` (the default): posterior draws from NUTS and the convergence gate. */
export interface BayesianFit extends FitCommon {
  method: 'bayesian';
  settings: { chains: number; warmup: number; draws: number; seed: number; targetAccept: number; interval: number };
  /** constrained draws by parameter name, one array per chain */
  draws: Record<string, number[][]>;
  diagnostics: BayesianDiagnostics;
  /** the lift tests the fit was calibrated with, each with the lift the fitted model implies (posterior mean and interval) */
  liftTests?: Array<(LiftTest | SteadyLiftTest) & { implied: Estimate }>;
  /** the names of the terms added with `FitMMMOptions.terms` (functions; give them again to rebuild the model) */
  terms?: string[];
  /**
   * a geo fit's panel as fitted (per geo, in original units; `data` then holds the national totals per period, and
   * the controls' means over geos)
   */
  panel?: GeoPanelData;
  /** a geo fit's results per geo */
  geos?: Record<string, GeoResult>;
  /** a geo fit's pooling: the spread of the geo baselines and each channel's geo scatter of log β */
  pooling?: { baselineSd: Estimate; scatter: Record<string, Estimate> };
}

/**
 * `fitMMM` with a classical method: the hyperparameter search, and bootstrap refits of the chosen model as draws (one
 * "chain" of refits; no sampler and no convergence gate).
 */
export interface ClassicalFit extends FitCommon {
  method: ClassicalMethod;
  settings: { seed: number; interval: number; resamples: number };
  /** the bootstrap refits' parameters by name, as one chain, named as the Bayesian model's */
  draws: Record<string, number[][]>;
  /** how the intervals were made, in words */
  /**
   * how the intervals were made, in words; and what they are worth: the share of simulated data sets' true ROAS their
   * 90% intervals held (`npm run bench:classical`), next to the nominal mass (for the default widening and the raw
   * bootstrap; absent for another `bootstrap.widen`)
   */
  diagnostics: { messages: string[]; coverage?: IntervalCoverage };
  /** the hyperparameter search (every candidate, the Pareto front, the choice) */
  search: SearchResult;
  /** the bootstrap behind the intervals, and the all-data fit's coefficients by parameter name */
  bootstrap: { resamples: number; blockLength: number; point: Record<string, number>; r2: number };
  /** classical fits are national and uncalibrated */
  panel?: never;
  geos?: never;
  pooling?: never;
  liftTests?: never;
}

/**
 * `fitMMM` with `method: 'gbdt'`: the gradient-boosted benchmark, whose contributions and ROAS are TreeSHAP
 * attributions of a non-causal model (no draws, no intervals, no response curves).
 */
export interface GbdtFit extends FitCommon {
  method: 'gbdt';
  settings: { seed: number; interval: number };
  /** what the attributions are, in words */
  diagnostics: { messages: string[] };
  /** the boosted model (for predictions), the input lags it sees, and its average prediction */
  gbdt: { model: BoostedModel; lags: number; expected: number };
  /** the benchmark is national and uncalibrated */
  panel?: never;
  geos?: never;
  pooling?: never;
  liftTests?: never;
}

/** A fitted MMM: one of the three shapes, told apart by `method`. */
export type MMMFit = BayesianFit | ClassicalFit | GbdtFit;

/**
 * The fit a method gives: `fitMMM(rows, { ... })` is a {@link BayesianFit}, `{ method: 'ridge' }` a {@link ClassicalFit},
 * `{ method: 'gbdt' }` a {@link GbdtFit}, and a method only known at run time an {@link MMMFit} to narrow on `method`.
 */
export type FitOf<M> = M extends 'bayesian' | undefined
  ? BayesianFit
  : M extends 'gbdt'
    ? GbdtFit
    : M extends ClassicalMethod
      ? ClassicalFit
      : MMMFit;

/** The fit `fitMMM` gives for options of type `O`: by its `method` (see {@link FitOf}), a {@link BayesianFit} without one. */
export type FitFor<O> = 'method' extends keyof O ? FitOf<O['method' & keyof O]> : BayesianFit;

/** A fit with draws of the model's parameters (posterior or bootstrap): what curves, budgets and predictions read. */
export type ModelFit = BayesianFit | ClassicalFit;

/** The per-geo data of a geo fit, in original units. */
export interface GeoPanelData {
  geos: string[];
  population: number[];
  /** where the populations came from ('mean target': none was given, each geo scaled by its mean target) */
  populationSource: 'column' | 'record' | 'mean target';
  /** [geo][period] */
  target: number[][];
  input: Record<string, number[][]>;
  /** reach-and-frequency channels: the frequency [geo][period] */
  frequency?: Record<string, number[][]>;
  /** organic media and treatments [geo][period] */
  organic?: Record<string, number[][]>;
  treatments?: Record<string, number[][]>;
  spend: Record<string, number[][]>;
  controls: Record<string, number[][]>;
}

/** One geo's results in a geo fit. */
export interface GeoResult {
  population: number;
  channels: Record<string, ChannelResult>;
  /** the fitted target over time (with interval) and each channel's contribution (posterior mean) */
  contributions: { fitted: SeriesEstimate; channels: Record<string, number[]> };
  fit: { r2: number; mape: number; nrmse: number };
}
