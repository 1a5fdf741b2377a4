import type { AbortSignalLike } from '@mmm/core';
import type { GateResult, GateThresholds, SummaryRow } from '@mmm/diagnostics';
import type { ChannelSpec, ModelSpec, Scaling } from '@mmm/model';

/** A channel: a spend column name, or a channel modelled on exposures with its spend column for ROAS. */
export type ChannelInput = string | { name: string; spend: string; exposure?: string };

/** Options of `fitMMM`. */
export interface FitMMMOptions {
  /** date column */
  date: string;
  /** target column (sales, revenue, conversions) */
  target: string;
  channels: ReadonlyArray<ChannelInput>;
  /**
   * geo column: the model has a geo dimension from the start, and national data is one geo (the default, labelled
   * 'national'). Data with several geos are refused with the fix (one geo at a time, or `aggregateGeos`) until the
   * hierarchical model lands.
   */
  geo?: string;
  /** control columns (price, competitor activity, …) */
  controls?: ReadonlyArray<string>;
  /**
   * model overrides: seasonality, trend, baseline priors, the likelihood (`{ studentT: { nu: 4 } }` for outliers), the
   * sampler's coordinates, and per-channel adstock, saturation and coefficient prior
   */
  model?: Pick<ModelSpec, 'seasonality' | 'trend' | 'priors' | 'likelihood' | 'parameterization'> & { channels?: Readonly<Record<string, Omit<ChannelSpec, 'name'>>> };
  /** @defaultValue 4 */
  chains?: number;
  /** @defaultValue 1000 */
  warmup?: number;
  /** @defaultValue 1000 */
  draws?: number;
  /** @defaultValue 1 */
  seed?: number;
  /** @defaultValue 0.8 */
  targetAccept?: number;
  /** the sampler's inverse metric: 'diag' (default) or 'dense' (adapts to correlations between parameters) */
  metric?: 'diag' | 'dense';
  /**
   * the inverse metric warmup starts from: 'laplace' (the default) uses the variances of the Laplace approximation at
   * the posterior mode on the unconstrained scale (about 0.1 s), 'identity' starts as Stan does. The metric is
   * re-estimated from the draws at the end of each adaptation window either way; 'laplace' halves the warmup's
   * gradient evaluations on the reference data.
   */
  initialMetric?: 'laplace' | 'identity';
  /** run chains on worker threads (Node); @defaultValue true */
  parallel?: boolean;
  /** worker threads (Node) or Web Workers (browsers); @defaultValue the available cores */
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
  onProgress?: (p: { chain: number; iteration: number; total: number; warmup: boolean; divergences: number }) => void;
  /** cancels the fit (an `AbortSignal`) */
  signal?: AbortSignalLike;
  /** mass of the reported credible intervals; @defaultValue 0.9 */
  interval?: number;
  /** thresholds of the convergence gate; defaults R-hat < 1.01, ESS > 400, no divergences */
  gate?: GateThresholds;
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
}

/** A fitted MMM as plain JSON (round-trips through `JSON.stringify`). */
export interface MMMFit {
  version: 1;
  spec: ModelSpec;
  /** the data as fitted, in original units */
  data: {
    /** the geo the data belong to ('national' when none was named) */
    geo: string;
    dates: string[];
    target: number[];
    /** what the model saw per channel (spend, or exposures) */
    input: Record<string, number[]>;
    /** spend per channel, for ROAS and budgets */
    spend: Record<string, number[]>;
    controls: Record<string, number[]>;
    periodDays: number;
  };
  scaling: Scaling;
  settings: { chains: number; warmup: number; draws: number; seed: number; targetAccept: number; interval: number };
  /** constrained draws by parameter name, one array per chain */
  draws: Record<string, number[][]>;
  /** the convergence gate's verdict, with E-BFMI per chain and the summary table */
  diagnostics: GateResult & { ebfmi: number[]; summary: SummaryRow[] };
  channels: Record<string, ChannelResult>;
  /** decomposition of the fitted target over time, in target units */
  contributions: {
    fitted: SeriesEstimate;
    trend: SeriesEstimate;
    seasonality: SeriesEstimate;
    controls: SeriesEstimate;
    channels: Record<string, SeriesEstimate>;
  };
  /** in-sample fit of the posterior mean */
  fit: { r2: number; mape: number; nrmse: number };
  timing: { warmupSeconds: number; samplingSeconds: number; totalSeconds: number; gradientEvaluations: number };
}
