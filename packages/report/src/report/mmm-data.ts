// Everything the MMM report shows, computed once as plain JSON (testable without parsing HTML); mmm-render.ts draws it.
import { InvalidInputError } from '@mmm/core';
import type { GateResult, SummaryRow } from '@mmm/diagnostics';
import { channelParameterNames, resolveChannel, resolveTimeVarying, type RoasPrior } from '@mmm/model';
import type { AllocationResult } from '@mmm/optimize';
import {
  channelStability,
  dataReport,
  optimizeBudget,
  quarterPeriods,
  reviewFit,
  spendPerPeriod,
  type BayesianDiagnostics,
  type FitReview,
  type BudgetPlan,
  type EffectChange,
  type Estimate,
  type MMMFit,
  type ModelFit,
  type OptimizeBudgetOptions,
  type SchedulePlan,
  type ExperimentDesigns,
  type RefitExperimentResult,
  type CustomerValue,
} from '@mmm/pipeline';

/** Options of {@link mmmReportData} and `renderMMMReport`. */
export interface MMMReportOptions {
  /** @defaultValue 'Marketing mix model report' */
  title?: string;
  /**
   * The budget plan to report: an `optimizeBudget` result, options for `optimizeBudget` (default: same total,
   * each channel within ±30% of its current spend), or `false` for none.
   */
  budget?: BudgetPlan | AllocationResult | OptimizeBudgetOptions | false;
  /** trace and rank plots for this many parameters, the worst converged first; @defaultValue 4 */
  diagnosticPlots?: number;
  /** name of the target in sentences; @defaultValue 'sales' */
  targetName?: string;
  /** the fit's review (`reviewFit`), if already made; `false` for none; @defaultValue reviewFit(fit) */
  review?: FitReview | false;
  /** a plan over time (`planSchedule`) to report in its own section */
  schedule?: SchedulePlan;
  /** the lift tests to run next (`designExperiments`), for their own section */
  experiments?: ExperimentDesigns;
  /** the best design judged by refitting (`refitExperiment`), shown in the experiments' section */
  experimentRefit?: RefitExperimentResult;
  /** channels valued by the customers they bring (`fitCustomerValue`; the report's fit is then its `mmm`) */
  customerValue?: CustomerValue;
}

/** One channel's row of the report. */
export interface ChannelRow {
  channel: string;
  spend: number;
  contribution: number;
  roas: Estimate;
  marginalRoas: number;
  spendShare: number;
  effectShare: number;
}

/** One channel's row of the budget table (amounts per period). */
export interface BudgetRow {
  channel: string;
  current: number;
  suggested: number;
  /** suggested / current − 1 */
  change: number;
  marginalRoas: number;
  bound: string;
}

/** What the MMM report shows, as plain data. */
export interface MMMReportData {
  title: string;
  targetName: string;
  /** how the fit was estimated ('bayesian', or a classical method whose intervals come from a bootstrap) */
  method: NonNullable<MMMFit['method']>;
  /** the fit's credible-interval mass */
  interval: number;
  period: { from: string; to: string; periods: number };
  channels: string[];
  /** Bayesian fits: the convergence gate's verdict (classical fits have no sampler and no gate) */
  gate?: Pick<GateResult, 'passed' | 'rhatMax' | 'essBulkMin' | 'essTailMin' | 'divergences' | 'failures' | 'messages'> & {
    ebfmi: number[];
    /** with `earlyStop`: the draws kept per chain, the ceiling, why sampling stopped and the checks made */
    earlyStop?: { draws: number; ceiling: number; reason: 'targets met' | 'ceiling'; checks: number };
  };
  /** the executive summary's figures */
  summary: {
    totalTarget: number;
    media: number;
    /** channels by mean contribution, largest first */
    ranked: string[];
    /** ROAS interval above 1, containing 1, below 1 */
    payBack: string[];
    unsure: string[];
    loss: string[];
    r2: number;
    mape: number;
    /** channels the plan moves spend into and out of (more than ±0.5%), largest move first */
    increases: Array<{ channel: string; change: number }>;
    decreases: Array<{ channel: string; change: number }>;
    uplift?: { absolute: number; relative: number };
  };
  channelTable: ChannelRow[];
  plan?: BudgetPlan;
  budgetTable?: BudgetRow[];
  currentResponse?: number;
  /** the posterior summary table, the parameters failing the gate, the worst converged (for trace and rank plots) and the channel
   * parameters (for prior vs posterior) */
  parameters: SummaryRow[];
  failing: string[];
  worstConverged: string[];
  channelParameters: string[];
  dataChecks: {
    periods: number;
    parameters: number;
    warnings: string[];
    channels: Array<{ channel: string; vif: number; zeroShare: number }>;
  };
  /** what the fit was calibrated with: ROAS priors (in words, next to the posterior ROAS) and lift tests (measured and implied) */
  calibration?: {
    roasPriors: Array<{ channel: string; prior: string; posterior: Estimate }>;
    liftTests: NonNullable<MMMFit['liftTests']>;
  };
  /** geo fits: ROAS per geo × channel, the geos whose effects differ most from the national ones, the pooling */
  geo?: {
    geos: string[];
    /** ROAS by geo and channel (absent where the geo did not spend on the channel) */
    roas: Array<{ geo: string; channel: string; mean: number; lower: number; upper: number }>;
    /** per geo, the largest |log(geo ROAS / national ROAS)| over channels, largest first (at most 10) */
    mostDifferent: Array<{ geo: string; channel: string; ratio: number }>;
    /** the largest geos by population (at most 6), for actual-vs-fitted small multiples */
    largest: string[];
    pooling: NonNullable<MMMFit['pooling']>;
    populationSource: string;
    fit: Array<{ geo: string; r2: number; mape: number }>;
  };
  /**
   * fits whose effects change over time: per channel its largest quarter-to-quarter change (channelStability without a
   * split; constant channels flagged) and its ROAS per year
   */
  effectsOverTime?: {
    mode: 'shared' | 'perChannel';
    changes: Array<{ channel: string } & EffectChange>;
    roasByYear: Array<{ channel: string; years: Array<{ start: string; end: string; roas: Estimate }> }>;
  };
  /** the fit's review (`reviewFit`): shown first */
  review?: FitReview;
  /** a plan over time (`planSchedule`), when given */
  schedule?: SchedulePlan;
  /** the lift tests to run next (`designExperiments`), when given */
  experiments?: ExperimentDesigns;
  /** the best design judged by refitting (`refitExperiment`), when given */
  experimentRefit?: RefitExperimentResult;
  /** customer value (`fitCustomerValue`), when given: the MMM's figures are then new customers */
  customerValue?: Omit<CustomerValue, 'mmm'>;
  /** fits with interaction terms: each one's total contribution and its ratio to the channel's own (with intervals) */
  interactions?: Array<{ name: string; channel: string; with: string; contribution: Estimate; relative: Estimate }>;
  settings: {
    channels: Array<{ channel: string; adstock: string; maxLag: number; saturation: string; coefficientPrior: string }>;
    geo: string;
    controls: string[];
    seasonality: string;
    trend: string;
    likelihood: string;
    yScale: number;
    sampler: ModelFit['settings'];
    timing: MMMFit['timing'];
  };
}

/** Channels sorted by the plan's relative change, split into increases and decreases beyond ±0.5%. @internal */
function moves(names: readonly string[], current: Record<string, number>, plan: AllocationResult | undefined) {
  if (!plan) return { increases: [], decreases: [] };
  const all = names
    .filter((c) => plan.allocation[c] !== undefined)
    .map((c) => ({ channel: c, cur: current[c], sug: plan.allocation[c] }))
    .sort((a, b) => b.sug - b.cur - (a.sug - a.cur));
  return {
    increases: all.filter((m) => m.sug > m.cur * 1.005).map((m) => ({ channel: m.channel, change: m.sug / m.cur - 1 })),
    decreases: all.filter((m) => m.sug < m.cur * 0.995).map((m) => ({ channel: m.channel, change: m.sug / m.cur - 1 })),
  };
}

/** The gate's verdict as the report shows it. @internal */
function gateOf(d: BayesianDiagnostics): NonNullable<MMMReportData['gate']> {
  const { passed, rhatMax, essBulkMin, essTailMin, divergences, failures, messages, ebfmi } = d;
  const e = d.earlyStop;
  return {
    passed,
    rhatMax,
    essBulkMin,
    essTailMin,
    divergences,
    failures,
    messages,
    ebfmi,
    ...(e ? { earlyStop: { draws: e.draws, ceiling: e.ceiling, reason: e.reason, checks: e.checks } } : {}),
  };
}

/** The model settings in words. @internal */
function settingsOf(fit: ModelFit): MMMReportData['settings'] {
  const tr = fit.spec.trend ?? 'linear';
  const lik = fit.spec.likelihood;
  return {
    channels: fit.spec.channels.map((c) => {
      const r = resolveChannel(c);
      return {
        channel: c.name,
        adstock: r.adstock.name,
        maxLag: r.maxLag,
        saturation: r.saturation.name,
        coefficientPrior: c.coefficientPrior ? JSON.stringify(c.coefficientPrior) : 'default',
      };
    }),
    geo: fit.data.geo ?? 'national',
    controls: fit.spec.controls ?? [],
    seasonality: fit.spec.seasonality === null ? 'none' : `Fourier order ${fit.spec.seasonality?.order ?? 2}`,
    trend:
      typeof tr === 'object'
        ? 'gp' in tr
          ? `a Gaussian-process baseline (lengthscale ${tr.gp.lengthscale} periods, ${tr.gp.basis ?? 20} basis functions)`
          : 'knots' in tr
            ? `a baseline through ${tr.knots} knots (random walk, step sd ${tr.sd ?? 0.1})`
            : `piecewise-linear, changepoints at ` +
              `${Array.isArray(tr.changepoints) ? tr.changepoints.map((c) => c.toFixed(2)).join(', ') : String(tr.changepoints)} years`
        : tr,
    likelihood: typeof lik === 'object' && lik !== null ? `Student-t (ν = ${lik.studentT.nu})` : 'normal',
    yScale: fit.scaling.yScale,
    sampler: fit.settings,
    timing: fit.timing,
  };
}

/** The executive summary's figures. @internal */
function summaryOf(
  fit: ModelFit,
  names: string[],
  current: Record<string, number>,
  plan: AllocationResult | undefined,
): MMMReportData['summary'] {
  const ch = (c: string) => fit.channels[c];
  return {
    totalTarget: fit.data.target.reduce((a, v) => a + v, 0),
    media: names.reduce((a, c) => a + ch(c).contribution.mean, 0),
    ranked: [...names].sort((a, c) => ch(c).contribution.mean - ch(a).contribution.mean),
    payBack: names.filter((c) => ch(c).roas.lower > 1),
    unsure: names.filter((c) => ch(c).roas.lower <= 1 && ch(c).roas.upper >= 1),
    loss: names.filter((c) => ch(c).roas.upper < 1),
    r2: fit.fit.r2,
    mape: fit.fit.mape,
    ...moves(names, current, plan),
    ...(plan?.uplift ? { uplift: plan.uplift } : {}),
  };
}

/** The budget section's table: current and suggested spend per channel. @internal */
function budgetOf(
  names: string[],
  current: Record<string, number>,
  plan: BudgetPlan,
): Pick<MMMReportData, 'plan' | 'budgetTable' | 'currentResponse'> {
  return {
    plan,
    budgetTable: names
      .filter((c) => plan.allocation[c] !== undefined)
      .map((c) => ({
        channel: c,
        current: current[c],
        suggested: plan.allocation[c],
        change: plan.allocation[c] / current[c] - 1,
        marginalRoas: plan.marginalRoas[c],
        bound: plan.binding[c] ?? '',
      })),
    ...(plan.current ? { currentResponse: plan.current.expectedResponse } : {}),
  };
}

/** The posterior summary, the parameters failing the gate, the worst converged and the channels' own parameters. @internal */
function diagnosticsOf(
  fit: ModelFit,
  names: string[],
  plots: number,
): Pick<MMMReportData, 'parameters' | 'failing' | 'worstConverged' | 'channelParameters'> {
  // the posterior summary table (a classical fit's bootstrap refits have none)
  const rows = fit.method === 'bayesian' ? fit.diagnostics.summary : [];
  return {
    parameters: rows,
    failing: fit.method === 'bayesian' ? fit.diagnostics.failures.map((f) => f.name) : [],
    worstConverged: [...rows]
      .sort((a, c) => c.rhat - a.rhat || a.essBulk - c.essBulk)
      .slice(0, plots)
      .map((r) => r.name),
    // per-geo draws (scatter c.z[g], an unpooled channel's c.beta[g]) are many: their prior-vs-posterior plots are left out
    channelParameters: Object.keys(fit.draws).filter(
      (k) =>
        names.some((c) => k.startsWith(`${c}.`)) &&
        !fit.spec.channels.some(
          (c) => k.startsWith(`${channelParameterNames(c).geoDeviates}[`) || k.startsWith(`${channelParameterNames(c).beta}[`),
        ),
    ),
  };
}

/**
 * Everything `renderMMMReport` shows, as plain JSON: the executive summary's figures, the channel and budget tables,
 * the gate and posterior summary, the data checks and the settings. Runs `optimizeBudget` (unless given a plan or
 * `budget: false`) and `dataReport`; the renderer does no analysis of its own.
 */
export function mmmReportData(fit: ModelFit, options: MMMReportOptions = {}): MMMReportData {
  if (fit?.version !== 1 || !fit.spec || !fit.draws)
    throw new InvalidInputError('fit', 'is not an MMMFit', 'Pass the result of fitMMM (or its JSON).');
  // a fit read from JSON is not checked by the compiler
  if ((fit as MMMFit).method === 'gbdt')
    throw new InvalidInputError(
      'fit.method',
      "is 'gbdt'",
      'A gradient-boosted benchmark has no curves or budget to report: show it with renderComparisonReport (compareMethods, ' +
        'rollingWindows).',
    );
  const names = fit.spec.channels.map((c) => c.name);
  const n = fit.data.dates.length;
  const b = options.budget;
  const plan =
    b === false
      ? undefined
      : typeof b === 'object' && b !== null && 'allocation' in b && 'kkt' in b
        ? b
        : optimizeBudget(fit, { relativeBounds: 0.3, ...(b ?? {}) });
  const current = spendPerPeriod(fit);
  const dr = dataReport(
    { date: fit.data.dates, __target: fit.data.target, ...fit.data.input, ...fit.data.controls },
    { date: 'date', target: '__target', channels: names, controls: fit.spec.controls ?? [] },
  );
  return {
    title: options.title ?? 'Marketing mix model report',
    targetName: options.targetName ?? 'sales',
    method: fit.method,
    interval: fit.settings.interval,
    period: { from: fit.data.dates[0], to: fit.data.dates[n - 1], periods: n },
    channels: names,
    ...(fit.method === 'bayesian' ? { gate: gateOf(fit.diagnostics) } : {}),
    summary: summaryOf(fit, names, current, plan),
    channelTable: names.map((c) => ({
      channel: c,
      spend: fit.channels[c].spend,
      contribution: fit.channels[c].contribution.mean,
      roas: fit.channels[c].roas,
      marginalRoas: fit.channels[c].marginalRoas.mean,
      spendShare: fit.channels[c].spendShare,
      effectShare: fit.channels[c].effectShare,
    })),
    ...(plan ? budgetOf(names, current, plan) : {}),
    ...diagnosticsOf(fit, names, options.diagnosticPlots ?? 4),
    dataChecks: {
      periods: dr.periods,
      parameters: Object.keys(fit.draws).length,
      warnings: dr.warnings,
      channels: names.map((c) => ({ channel: c, vif: dr.vif[c], zeroShare: dr.zeroShare[c] })),
    },
    ...(fit.panel && fit.geos && fit.pooling ? { geo: geoData(fit, fit.panel, fit.geos, fit.pooling) } : {}),
    settings: settingsOf(fit),
    ...calibrationOf(fit),
    ...effectsOverTimeOf(fit, names),
    ...(options.review === false ? {} : { review: options.review ?? reviewFit(fit) }),
    ...(options.schedule ? { schedule: options.schedule } : {}),
    ...(options.experiments ? { experiments: options.experiments } : {}),
    ...(options.experimentRefit ? { experimentRefit: options.experimentRefit } : {}),
    ...(options.customerValue ? { customerValue: withoutFit(options.customerValue) } : {}),
    ...(fit.interactions ? { interactions: Object.entries(fit.interactions).map(([name, it]) => ({ name, ...it })) } : {}),
  };
}

/** A time-varying fit's section: each channel's largest quarterly change and its ROAS per year. @internal */
function effectsOverTimeOf(fit: ModelFit, names: readonly string[]): Pick<MMMReportData, 'effectsOverTime'> {
  const T = fit.data.dates.length;
  const tv = resolveTimeVarying(fit.spec, T);
  if (!tv || fit.method !== 'bayesian' || T < 2 * quarterPeriods(fit)) return {};
  const changes = channelStability(fit, { maxDraws: 400 });
  const mode = tv.mode;
  return {
    effectsOverTime: {
      mode,
      changes: names.map((c) => ({ channel: c, ...changes[c] })),
      roasByYear: names.map((c) => ({
        channel: c,
        years: (fit.channels[c].roasByPeriod?.years ?? []).map((y) => ({ start: y.start, end: y.end, roas: y.roas })),
      })),
    },
  };
}

/** A geo fit's section: ROAS per geo × channel, the most different geos, the largest geos, the pooling. @internal */
function geoData(
  fit: ModelFit,
  panel: NonNullable<MMMFit['panel']>,
  geos: NonNullable<MMMFit['geos']>,
  pooling: NonNullable<MMMFit['pooling']>,
): NonNullable<MMMReportData['geo']> {
  const names = fit.spec.channels.map((c) => c.name);
  const roas = panel.geos.flatMap((g) =>
    names.filter((c) => geos[g].channels[c]).map((c) => ({ geo: g, channel: c, ...pick(geos[g].channels[c].roas) })),
  );
  const mostDifferent = panel.geos
    .map((g) => {
      const worst = names
        .filter((c) => geos[g].channels[c] && fit.channels[c].roas.mean > 0 && geos[g].channels[c].roas.mean > 0)
        .map((c) => ({ geo: g, channel: c, ratio: geos[g].channels[c].roas.mean / fit.channels[c].roas.mean }))
        .sort((a, b) => Math.abs(Math.log(b.ratio)) - Math.abs(Math.log(a.ratio)))[0];
      return worst;
    })
    .filter((x) => x !== undefined)
    .sort((a, b) => Math.abs(Math.log(b.ratio)) - Math.abs(Math.log(a.ratio)))
    .slice(0, 10);
  const largest = panel.geos
    .map((g, k) => ({ g, p: panel.population[k] }))
    .sort((a, b) => b.p - a.p)
    .slice(0, 6)
    .map((x) => x.g);
  return {
    geos: panel.geos,
    roas,
    mostDifferent,
    largest,
    pooling,
    populationSource: panel.populationSource,
    fit: panel.geos.map((g) => ({ geo: g, r2: geos[g].fit.r2, mape: geos[g].fit.mape })),
  };
}

const pick = (e: Estimate) => ({ mean: e.mean, lower: e.lower, upper: e.upper });

/** The fit's calibration in words and figures, when it has any. @internal */
function calibrationOf(fit: ModelFit): Pick<MMMReportData, 'calibration'> {
  const words = (p: RoasPrior) => ('dist' in p ? JSON.stringify(p) : `mean ${p.mean}, sd ${p.sd} (log-normal)`);
  const roasPriors = fit.spec.channels.flatMap((c) => {
    const p = c.roasPrior ?? fit.spec.roasPrior;
    return p ? [{ channel: c.name, prior: words(p), posterior: fit.channels[c.name].roas }] : [];
  });
  const liftTests = fit.liftTests ?? [];
  return roasPriors.length || liftTests.length ? { calibration: { roasPriors, liftTests } } : {};
}

/** A customer-value result without its MMM fit (the report's own fit). @internal */
function withoutFit(v: CustomerValue): Omit<CustomerValue, 'mmm'> {
  const { mmm: _fit, ...rest } = v;
  void _fit;
  return rest;
}
