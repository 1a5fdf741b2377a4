// reviewFit: is a fit fit to act on? Convergence, posterior predictive checks, goodness of fit in sample and out of it,
// ROAS against the priors, how far the data moved them, implausible ROAS, the probability of a negative baseline, and
// the data report's guardrails, each as a check in plain words with what to do (Meridian's model review, extended).
import { ANY, checkOptions, InvalidParameterError, optionKeys } from '@mmm/core';
import { createRng } from '@mmm/bayes-nuts';
import { quantileSorted } from '@mmm/diagnostics';
import { noiseOf, type TermFactory } from '@mmm/model';
import { fittedModel } from './evaluation.js';
import { dataReport } from './helpers.js';
import { predict } from './predict.js';
import { blockValues, thinnedDraws } from './summaries.js';
import type { TableInput } from './table.js';
import type { ModelFit } from './types.js';

/** A check's verdict: fine, worth a look before acting, or not to be acted on. */
export type ReviewStatus = 'pass' | 'review' | 'fail';

/** One check of {@link reviewFit}. */
export interface ReviewCheck {
  /** e.g. `convergence.rhat`, `ppc.autocorrelation`, `roas.plausible:tv` */
  id: string;
  status: ReviewStatus;
  /** the measured value (a p-value, R², a probability, a ratio, …; 1 for each of the data report's warnings) */
  value: number;
  /** the value at which the status changes (for two-sided checks, the lower one; the message gives both) */
  threshold: number;
  /** what was found and what to do, in plain words */
  message: string;
}

/** What {@link reviewFit} returns: the worst status over the checks, and every check. */
export interface FitReview {
  status: ReviewStatus;
  checks: ReviewCheck[];
}

/** Options of {@link reviewFit}. */
export interface ReviewOptions {
  /** later periods with the target, not fitted (the same columns as the fit's data): out-of-sample goodness of fit */
  holdout?: TableInput;
  /** the holdout's date column; @defaultValue 'date' */
  date?: string;
  /** the holdout's target column; @defaultValue the fit's target name, 'sales' */
  target?: string;
  /** the ROAS range you consider plausible; @defaultValue [0.05, 20] */
  roasRange?: [number, number];
  /** draws used (evenly thinned); @defaultValue 500 */
  maxDraws?: number;
  /** prior draws for the prior checks; @defaultValue 500 */
  priorDraws?: number;
  /** seed of the replicated noise and the prior draws; @defaultValue 1 */
  seed?: number;
  /** the fit's own terms (`FitMMMOptions.terms`), when it has any */
  terms?: readonly TermFactory[];
}

const REVIEW_SHAPE = optionKeys<ReviewOptions>({
  holdout: ANY,
  date: ANY,
  target: ANY,
  roasRange: ANY,
  maxDraws: ANY,
  priorDraws: ANY,
  seed: ANY,
  terms: ANY,
});

/** Posterior predictive p-values beyond these (two-sided) are 'review'; beyond the second pair 'fail'. */
const PPC_REVIEW = 0.05;
const PPC_FAIL = 0.005;

/**
 * A review of a fit before anyone acts on it: `{ status, checks }`, each check `{ id, status, value, threshold, message }`
 * ('pass', 'review' or 'fail', the worst one the review's status). Checks: the convergence gate's parts (Bayesian);
 * posterior predictive p-values of the target's mean and sd and of the residuals' lag-1 autocorrelation (replicated data
 * from the draws, parameters and noise; a missing driver leaves autocorrelated residuals); in-sample R²; out of sample,
 * the predictive interval's coverage of `holdout` (or, for classical fits, the search's time-series CV error against the
 * in-sample one); per channel, where the posterior ROAS sits in its prior and how much the data narrowed it (Bayesian),
 * and whether it is plausible (`roasRange`); the probability that the baseline (trend, seasonality, controls) is
 * negative over the fitted periods; periods far from the fit (outliers); and the data report's warnings (collinearity,
 * dark channels, near-constant columns, few periods per parameter) with the cost per unit of channels modelled on
 * exposures. Bayesian, classical and geo fits.
 * @example
 * const review = reviewFit(fit);
 * const failing = review.checks.filter((c) => c.status === 'fail').map((c) => c.message); // what to fix first
 */
export function reviewFit(fit: ModelFit, options: ReviewOptions = {}): FitReview {
  checkOptions(options, REVIEW_SHAPE, 'options');
  const [lo, hi] = options.roasRange ?? [0.05, 20];
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi))
    throw new InvalidParameterError('roasRange', JSON.stringify(options.roasRange), 'two numbers, lower < upper');
  const checks: ReviewCheck[] = [
    ...convergenceChecks(fit),
    ...coverageChecks(fit),
    ...drawChecks(fit, options, [lo, hi]),
    ...fitChecks(fit, options),
    ...dataChecks(fit),
  ];
  const status: ReviewStatus = checks.some((c) => c.status === 'fail')
    ? 'fail'
    : checks.some((c) => c.status === 'review')
      ? 'review'
      : 'pass';
  return { status, checks };
}

/** The convergence gate's parts, for a Bayesian fit. @internal */
function convergenceChecks(fit: ModelFit): ReviewCheck[] {
  if (fit.method !== 'bayesian') return [];
  const d = fit.diagnostics;
  const rerun = 'Do not act on it yet: fit again with more warmup and draws (or let remedy run), or simplify the model.';
  const ess = Math.min(d.essBulkMin, d.essTailMin);
  const ebfmi = Math.min(...d.ebfmi);
  return [
    {
      id: 'convergence.rhat',
      status: d.rhatMax <= 1.01 ? 'pass' : 'fail',
      value: d.rhatMax,
      threshold: 1.01,
      message:
        d.rhatMax <= 1.01
          ? `The chains agree (largest R-hat ${d.rhatMax.toFixed(3)} ≤ 1.01).`
          : `The chains disagree (largest R-hat ${d.rhatMax.toFixed(3)} > 1.01). ${rerun}`,
    },
    {
      id: 'convergence.ess',
      status: ess >= 400 ? 'pass' : 'fail',
      value: ess,
      threshold: 400,
      message:
        ess >= 400
          ? `Enough independent draws (smallest bulk and tail ESS ${Math.floor(ess)} ≥ 400).`
          : `Too few independent draws (smallest ESS ${Math.floor(ess)} < 400): the intervals are not reliable. ${rerun}`,
    },
    {
      id: 'convergence.divergences',
      status: d.divergences === 0 ? 'pass' : 'fail',
      value: d.divergences,
      threshold: 0,
      message:
        d.divergences === 0
          ? 'No divergent transitions.'
          : `${d.divergences} divergent transitions: the sampler met regions it could not explore and the estimates may be biased. ` +
            'Raise targetAccept, or give the channels involved more informative priors.',
    },
    {
      id: 'convergence.ebfmi',
      status: ebfmi >= 0.3 ? 'pass' : 'review',
      value: ebfmi,
      threshold: 0.3,
      message:
        ebfmi >= 0.3
          ? `The sampler moved well in energy (smallest E-BFMI ${ebfmi.toFixed(2)} ≥ 0.3).`
          : `Low E-BFMI (${ebfmi.toFixed(2)} < 0.3): the chains explored the posterior's tails slowly; ` +
            'check the trace plots of the scales.',
    },
  ];
}

/** Classical fits: what their intervals are worth, as measured on simulated data (fit.diagnostics.coverage). @internal */
function coverageChecks(fit: ModelFit): ReviewCheck[] {
  if (fit.method === 'bayesian' || !fit.diagnostics.coverage) return [];
  const c = fit.diagnostics.coverage;
  const short = c.measured < c.nominal - 0.1;
  return [
    {
      id: 'intervals.coverage',
      status: short ? 'review' : 'pass',
      value: c.measured,
      threshold: c.nominal - 0.1,
      message: short
        ? `This method's ${(100 * c.nominal).toFixed(0)}% intervals held the true ROAS only ${(100 * c.measured).toFixed(0)}% of ` +
          `the time on simulated data (${c.count} channel ROAS): the uncertainty is larger than they show. Base decisions on the ` +
          "Bayesian fit's intervals, or read these as the least uncertainty there is."
        : `This method's intervals held the true ROAS ${(100 * c.measured).toFixed(0)}% of the time on simulated data.`,
    },
  ];
}

/** A posterior predictive p-value's status: two-sided, 'review' beyond 5%/95%, 'fail' beyond 0.5%/99.5%. @internal */
function ppcStatus(p: number): ReviewStatus {
  if (!Number.isFinite(p)) return 'review';
  const tail = Math.min(p, 1 - p);
  return tail < PPC_FAIL ? 'fail' : tail < PPC_REVIEW ? 'review' : 'pass';
}

/** Lag-1 autocorrelation of x within each of its segments of length T (geo series one after another). @internal */
function lag1(x: Float64Array, T: number): number {
  let num = 0;
  let den = 0;
  for (let o = 0; o < x.length; o += T) {
    let m = 0;
    for (let t = 0; t < T; t++) m += x[o + t];
    m /= T;
    for (let t = 0; t < T; t++) {
      const a = x[o + t] - m;
      den += a * a;
      if (t > 0) num += a * (x[o + t - 1] - m);
    }
  }
  return den > 0 ? num / den : 0;
}

/** Mean and sd of an array. @internal */
function moments(x: ArrayLike<number>): [number, number] {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - m) ** 2;
  return [m, Math.sqrt(v / Math.max(1, x.length - 1))];
}

/**
 * The checks that need the draws pushed through the model: posterior predictive p-values, ROAS against the prior and
 * the plausible range, the negative baseline. @internal
 */
function drawChecks(fit: ModelFit, options: ReviewOptions, range: [number, number]): ReviewCheck[] {
  const { model, unit, T, y } = fittedModel(fit, options.terms);
  const names = fit.spec.channels.map((c) => c.name);
  const spend = names.map((c) => fit.data.spend[c].reduce((a, b) => a + b, 0));
  const st = drawStatistics(fit, options, model, unit, T, y, spend);
  const ppc = (id: string, what: string, p: number, fix: string): ReviewCheck => {
    const status = ppcStatus(p);
    return {
      id,
      status,
      value: p,
      threshold: PPC_REVIEW,
      message:
        status === 'pass'
          ? `The model reproduces the ${what} (posterior predictive p = ${p.toFixed(2)}, inside 0.05–0.95).`
          : `The model does not reproduce the ${what} (posterior predictive p = ${p.toFixed(3)}, outside 0.05–0.95). ${fix}`,
    };
  };
  const pNeg = st.negative;
  const checks: ReviewCheck[] = [
    ppc('ppc.mean', "target's mean", st.pMean, 'Check the baseline: the trend, the seasonality and the controls.'),
    ppc('ppc.sd', "target's spread", st.pSd, 'A missing driver, outliers (try likelihood: { studentT: { nu: 4 } }) or noise that varies.'),
    ppc(
      'ppc.autocorrelation',
      "residuals' lag-1 autocorrelation",
      st.pAc,
      'Something that moves the target over weeks is missing: a channel, a control, a holiday, or a more flexible trend.',
    ),
    outliers(fit, y, st.meanMu, T),
    {
      id: 'baseline.negative',
      status: pNeg > 0.8 ? 'fail' : pNeg > 0.2 ? 'review' : 'pass',
      value: pNeg,
      threshold: 0.2,
      message:
        pNeg <= 0.2
          ? 'The baseline (trend, seasonality, controls) is positive over the fitted periods ' +
            `(probability of a negative total ${(100 * pNeg).toFixed(0)}%).`
          : `The baseline's total over the fitted periods is negative with probability ${(100 * pNeg).toFixed(0)}%: media are ` +
            'credited with more than the whole target. Give the channels tighter ROAS priors or lift tests, or add the controls ' +
            'that drive the baseline.',
    },
  ];
  // channels without spend (organic exposures) have no ROAS to check
  const paid = names.map((_, k) => k).filter((k) => spend[k] > 0);
  for (const k of paid) checks.push(plausible(names[k], st.roas[k], range));
  if (fit.method === 'bayesian') {
    const pick = <X>(xs: X[]) => paid.map((k) => xs[k]);
    checks.push(...priorChecks(model, unit, pick(names), pick(spend), pick(st.roas), paid, options));
  }
  return checks;
}

/**
 * One pass over the draws: the posterior predictive p-values (P(T(replicated) ≥ T(observed)) for the mean, the sd and
 * the residuals' lag-1 autocorrelation), the probability of a negative baseline total, each channel's ROAS per draw
 * and the posterior mean of μ. @internal
 */
function drawStatistics(
  fit: ModelFit,
  options: ReviewOptions,
  model: ReturnType<typeof fittedModel>['model'],
  unit: Float64Array,
  T: number,
  y: Float64Array,
  spend: number[],
) {
  const { S, values } = thinnedDraws(fit, options.maxDraws ?? 500);
  const cols = Object.fromEntries(model.names.map((nm) => [nm, values(nm)]));
  const rng = createRng(options.seed ?? 1, 3);
  const noise = noiseOf(fit.spec);
  const n = y.length;
  const [yMean, ySd] = moments(y);
  const [rep, resid, repResid, meanMu] = [0, 1, 2, 3].map(() => new Float64Array(n));
  const above = { mean: 0, sd: 0, ac: 0 };
  const roas = spend.map(() => new Float64Array(S));
  let negative = 0;
  for (let s = 0; s < S; s++) {
    const v = blockValues(model.density.blocks, cols, s);
    const d = model.evaluate(v);
    let baseline = 0;
    for (let i = 0; i < n; i++) {
      const e = noise.draw(v.sigma[v.sigma.length > 1 ? Math.floor(i / T) : 0], rng);
      rep[i] = d.mu[i] + e;
      resid[i] = y[i] - d.mu[i];
      repResid[i] = e;
      meanMu[i] += d.mu[i] / S;
      baseline += (d.trend[i] + d.seasonality[i] + d.controls[i]) * unit[i];
    }
    const [rMean, rSd] = moments(rep);
    if (rMean >= yMean) above.mean++;
    if (rSd >= ySd) above.sd++;
    if (lag1(repResid, T) >= lag1(resid, T)) above.ac++;
    if (baseline < 0) negative++;
    spend.forEach((total, c) => {
      let contribution = 0;
      for (let i = 0; i < n; i++) contribution += d.contributions[c][i] * unit[i];
      roas[c][s] = total > 0 ? contribution / total : 0;
    });
  }
  return { pMean: above.mean / S, pSd: above.sd / S, pAc: above.ac / S, negative: negative / S, roas, meanMu };
}

/**
 * Periods whose residual from the posterior mean is more than 4 robust sds (1.4826 × the median absolute deviation)
 * from the median residual: 'review' when there is any (under Normal noise about 1 in 16,000 periods is). @internal
 */
function outliers(fit: ModelFit, y: Float64Array, mu: Float64Array, T: number): ReviewCheck {
  const r = Float64Array.from(y, (v, i) => v - mu[i]);
  const median = (x: Float64Array) => quantileSorted(Float64Array.from(x).sort(), 0.5);
  const m = median(r);
  const scale = 1.4826 * median(r.map((v) => Math.abs(v - m)));
  const at: string[] = [];
  r.forEach((v, i) => {
    if (scale > 0 && Math.abs(v - m) > 4 * scale) {
      const date = fit.data.dates[i % T];
      at.push(fit.panel ? `${fit.panel.geos[Math.floor(i / T)]} ${date}` : date);
    }
  });
  return {
    id: 'data.outliers',
    status: at.length ? 'review' : 'pass',
    value: at.length,
    threshold: 0,
    message: at.length
      ? `${at.length} period${at.length === 1 ? '' : 's'} far from the fit (more than 4 robust sds): ${at.slice(0, 5).join(', ')}` +
        `${at.length > 5 ? ', …' : ''}. Check them for data errors or events (a control or holiday for them), or use ` +
        'likelihood: { studentT: { nu: 4 } } so they weigh less.'
      : 'No period lies more than 4 robust sds from the fit.',
  };
}

/**
 * Channels modelled on exposures: the cost per unit (spend / exposures, or impressions for reach and frequency) over the
 * periods with both; 'review' when its coefficient of variation exceeds 0.5 (a unit of one period is not a unit of
 * another: check the columns). @internal
 */
function costPerUnit(fit: ModelFit): ReviewCheck[] {
  return fit.spec.channels.flatMap((ch): ReviewCheck[] => {
    // a reach-and-frequency channel buys impressions: reach × frequency
    const f = ch.reachFrequency ? fit.data.frequency?.[ch.name] : undefined;
    const x = f ? fit.data.input[ch.name].map((r, t) => r * f[t]) : fit.data.input[ch.name];
    const s = fit.data.spend[ch.name];
    if (!x || !s || x.every((v, t) => v === s[t])) return [];
    const cost = x.map((v, t) => (v > 0 && s[t] > 0 ? s[t] / v : Number.NaN)).filter((v) => Number.isFinite(v));
    if (cost.length < 2) return [];
    const [m, sd] = moments(cost);
    const cv = sd / m;
    return [
      {
        id: `data.costPerUnit:${ch.name}`,
        status: cv > 0.5 ? 'review' : 'pass',
        value: cv,
        threshold: 0.5,
        message:
          cv > 0.5
            ? `${ch.name}'s cost per unit of exposure varies a lot over the periods (coefficient of variation ${cv.toFixed(2)}): ` +
              'check that spend and exposures are the same units in every period (impressions, not clicks in some).'
            : `${ch.name}'s cost per unit of exposure is steady (coefficient of variation ${cv.toFixed(2)}).`,
      },
    ];
  });
}

/**
 * Whether a channel's ROAS is in the plausible range: 'review' when its mean is outside, 'fail' when its whole 90%
 * interval is. @internal
 */
function plausible(channel: string, draws: Float64Array, [lo, hi]: [number, number]): ReviewCheck {
  const sorted = Float64Array.from(draws).sort();
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))];
  const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
  const [l, u] = [q(0.05), q(0.95)];
  const status: ReviewStatus = u < lo || l > hi ? 'fail' : mean < lo || mean > hi ? 'review' : 'pass';
  return {
    id: `roas.plausible:${channel}`,
    status,
    value: mean,
    threshold: mean > hi ? hi : lo,
    message:
      status === 'pass'
        ? `${channel}'s ROAS ${mean.toFixed(2)} is inside the plausible range ${lo}–${hi}.`
        : `${channel}'s ROAS ${mean.toFixed(2)} (90% ${l.toFixed(2)}–${u.toFixed(2)}) is outside the plausible range ${lo}–${hi}: ` +
          'check its spend column and units, or calibrate it with a lift test or a ROAS prior (roasRange sets the range).',
  };
}

/**
 * Per channel, the ROAS prior (drawn through the model) against the posterior: where the posterior mean sits in the
 * prior (a prior–data conflict when in its outer 1%), and the posterior sd over the prior's (the data hardly informed
 * the channel when above 0.8). @internal
 */
function priorChecks(
  model: ReturnType<typeof fittedModel>['model'],
  unit: Float64Array,
  names: string[],
  spend: number[],
  posterior: Float64Array[],
  index: number[],
  options: ReviewOptions,
): ReviewCheck[] {
  const P = options.priorDraws ?? 500;
  if (!(Number.isInteger(P) && P >= 20)) throw new InvalidParameterError('priorDraws', P, 'the integers ≥ 20');
  const rng = createRng(options.seed ?? 1, 4);
  const prior = names.map(() => new Float64Array(P));
  const n = unit.length;
  for (let s = 0; s < P; s++) {
    const d = model.evaluate(model.drawPrior(rng));
    names.forEach((_, c) => {
      let total = 0;
      const x = d.contributions[index[c]];
      for (let i = 0; i < n; i++) total += x[i] * unit[i];
      prior[c][s] = total / spend[c];
    });
  }
  return names.flatMap((c, k): ReviewCheck[] => {
    const [pm, psd] = moments(prior[k]);
    const [qm, qsd] = moments(posterior[k]);
    let below = 0;
    for (const x of prior[k]) if (x < qm) below++;
    const where = below / P;
    const conflict = where < 0.01 || where > 0.99;
    const ratio = psd > 0 ? qsd / psd : Number.NaN;
    const informed = ratio <= 0.8;
    return [
      {
        id: `roas.prior:${c}`,
        status: conflict ? 'review' : 'pass',
        value: where,
        threshold: 0.01,
        message: conflict
          ? `${c}'s posterior ROAS ${qm.toFixed(2)} sits at quantile ${where.toFixed(3)} of its prior (mean ${pm.toFixed(2)}): ` +
            'the data and the prior disagree. Check the prior (coefficientPrior, roasPrior) against what you know.'
          : `${c}'s posterior ROAS sits inside its prior (at its quantile ${where.toFixed(2)}).`,
      },
      {
        id: `roas.shift:${c}`,
        status: informed ? 'pass' : 'review',
        value: ratio,
        threshold: 0.8,
        message: informed
          ? `The data narrowed ${c}'s ROAS to ${(100 * ratio).toFixed(0)}% of its prior sd.`
          : `The data hardly moved ${c}'s ROAS (posterior sd ${(100 * ratio).toFixed(0)}% of the prior's): its estimate is mostly the ` +
            'prior. Vary its spend (an experiment), or calibrate it with a lift test.',
      },
    ];
  });
}

/** In-sample R², and out of sample: the holdout's coverage, or a classical fit's CV error. @internal */
function fitChecks(fit: ModelFit, options: ReviewOptions): ReviewCheck[] {
  const r2 = fit.fit.r2;
  const checks: ReviewCheck[] = [
    {
      id: 'fit.r2',
      status: r2 < 0 ? 'fail' : r2 < 0.5 ? 'review' : 'pass',
      value: r2,
      threshold: 0.5,
      message:
        r2 >= 0.5
          ? `The fit explains ${(100 * r2).toFixed(0)}% of the target's variance in sample.`
          : `The fit explains only ${(100 * Math.max(0, r2)).toFixed(0)}% of the target's variance in sample: a driver is missing, ` +
            'or the target is mostly noise at this grain.',
    },
  ];
  if (options.holdout) {
    const p = predict(fit, options.holdout, { date: options.date ?? 'date', target: options.target ?? 'sales', terms: options.terms });
    const coverage = p.actual!.coverage;
    const iv = fit.settings.interval;
    const status: ReviewStatus = coverage < iv - 0.4 ? 'fail' : coverage < iv - 0.2 ? 'review' : 'pass';
    checks.push({
      id: 'fit.holdout',
      status,
      value: coverage,
      threshold: iv - 0.2,
      message:
        status === 'pass'
          ? `On the ${p.dates.length} held-out periods the predictive interval held ${(100 * coverage).toFixed(0)}% of the target ` +
            `(MAPE ${(100 * p.actual!.mape).toFixed(1)}%).`
          : `On the ${p.dates.length} held-out periods the ${(100 * iv).toFixed(0)}% predictive interval held only ` +
            `${(100 * coverage).toFixed(0)}% ` +
            `of the target (MAPE ${(100 * p.actual!.mape).toFixed(1)}%): the model does not carry over to new periods. Look for a change ` +
            'after the fitted data (a new channel, a price change) or refit with the recent periods.',
    });
  } else if (fit.method !== 'bayesian') {
    const chosen = fit.search.candidates[fit.search.chosen];
    const ratio = chosen.nrmse / fit.fit.nrmse;
    checks.push({
      id: 'fit.cv',
      status: ratio > 2 ? 'review' : 'pass',
      value: ratio,
      threshold: 2,
      message:
        ratio <= 2
          ? `The time-series cross-validation error is ${ratio.toFixed(2)}× the in-sample error.`
          : `The time-series cross-validation error is ${ratio.toFixed(2)}× the in-sample error: the chosen model overfits. ` +
            'Use a larger penalty, fewer channels or controls, or more data.',
    });
  }
  return checks;
}

/** The data report's warnings as checks, and the periods per parameter. @internal */
function dataChecks(fit: ModelFit): ReviewCheck[] {
  const names = fit.spec.channels.map((c) => c.name);
  const dr = dataReport(
    { date: fit.data.dates, __target: fit.data.target, ...fit.data.input, ...fit.data.controls },
    { date: 'date', target: '__target', channels: names, controls: fit.spec.controls ?? [] },
  );
  return [
    {
      id: 'data.periodsPerParameter',
      status: dr.periodsPerParameter < 3 ? 'review' : 'pass',
      value: dr.periodsPerParameter,
      threshold: 3,
      message:
        dr.periodsPerParameter >= 3
          ? `${dr.periods} periods for ${dr.parameters} parameters (${dr.periodsPerParameter.toFixed(1)} each).`
          : `Only ${dr.periodsPerParameter.toFixed(1)} periods per parameter: the estimates lean on the priors. ` +
            'Group channels, drop controls, or add history.',
    },
    ...dr.warnings.map((w, k): ReviewCheck => ({ id: `data.warning:${k + 1}`, status: 'review', value: 1, threshold: 0, message: w })),
    ...costPerUnit(fit),
  ];
}
