// The MMM charts: each takes a fitted model (`MMMFit`, plain JSON) and returns an SVG string.
import { InvalidInputError, parseDate } from '@mmm/core';
import { priorLogDensity } from '@mmm/bayes-nuts';
import { priorFor } from '@mmm/model';
import type { AllocationResult } from '@mmm/optimize';
import {
  adstockCurves,
  responseCurves,
  saturationCurves,
  spendPerPeriod,
  type ChannelCurve,
  type ClassicalFit,
  type MMMFit,
  type ModelFit,
} from '@mmm/pipeline';
import {
  barChart,
  forestPlot,
  histogram,
  lineChart,
  scatterChart,
  stackedAreaChart,
  waterfallChart,
  type AreaLayer,
  type ChartMarker,
  type LineSeries,
  type WaterfallStep,
} from './charts.js';
import { colour, human, type ChartOptions } from './svg.js';

const ms = (fit: MMMFit) => fit.data.dates.map(parseDate);
const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;

/** Actual target against the posterior mean fit with its credible band, over time. */
export function actualVsFittedChart(fit: MMMFit, o: ChartOptions = {}): string {
  const x = ms(fit);
  const c = fit.contributions.fitted;
  return lineChart(
    [
      {
        name: `fitted (${pct(fit.settings.interval)} interval)`,
        x,
        y: c.mean,
        band: { lower: c.lower, upper: c.upper },
        colour: colour(0),
      },
      { name: 'actual', x, y: fit.data.target, colour: '#222' },
    ],
    [],
    { title: 'Actual vs fitted', yLabel: 'target', time: true, ...o },
  );
}

/**
 * Posterior mean contributions over time, stacked: baseline (intercept + trend), seasonality, controls and each
 * channel, with the actual target drawn over them.
 */
export function contributionsChart(fit: MMMFit, o: ChartOptions = {}): string {
  const x = ms(fit);
  const c = fit.contributions;
  const layers: AreaLayer[] = [{ name: 'baseline', values: c.trend.mean, colour: '#bdbdbd' }];
  if (c.seasonality.mean.some((v) => v !== 0)) layers.push({ name: 'seasonality', values: c.seasonality.mean, colour: '#9ecae1' });
  if (c.controls.mean.some((v) => v !== 0)) layers.push({ name: 'controls', values: c.controls.mean, colour: '#d9d9a0' });
  fit.spec.channels.forEach((ch, i) => layers.push({ name: ch.name, values: c.channels[ch.name].mean, colour: colour(i) }));
  // terms the user added to the model (FitMMMOptions.terms)
  Object.entries(c.terms ?? {}).forEach(([name, e], k) =>
    layers.push({ name, values: e.mean, colour: colour(fit.spec.channels.length + k) }),
  );
  return stackedAreaChart(
    x,
    layers,
    { name: 'actual', x, y: fit.data.target, colour: '#222' },
    { title: 'Contributions over time', yLabel: 'target', ...o },
  );
}

/** Each channel's share of the media effect next to its share of media spend. */
export function shareChart(fit: MMMFit, o: ChartOptions = {}): string {
  const names = fit.spec.channels.map((c) => c.name);
  return barChart(
    names,
    [
      { name: 'share of spend', values: names.map((n) => fit.channels[n].spendShare), colour: '#9e9e9e' },
      { name: 'share of effect', values: names.map((n) => fit.channels[n].effectShare), colour: colour(0) },
    ],
    { title: 'Share of effect vs share of spend', xLabel: 'share', format: pct, ...o },
  );
}

/** ROAS per channel: posterior mean with its credible interval, and the break-even line at 1. */
export function roasChart(fit: MMMFit, o: ChartOptions = {}): string {
  const rows = fit.spec.channels.map((c) => ({ label: c.name, ...fit.channels[c.name].roas }));
  return forestPlot(rows, {
    title: `Return on ad spend (${pct(fit.settings.interval)} interval)`,
    xLabel: 'ROAS (target per unit spend)',
    reference: 1,
    ...o,
  });
}

function interpolate(curve: ChannelCurve, x: number): number {
  const xs = curve.x;
  if (x <= xs[0]) return curve.y.mean[0];
  for (let i = 1; i < xs.length; i++)
    if (x <= xs[i]) {
      const w = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
      return (1 - w) * curve.y.mean[i - 1] + w * curve.y.mean[i];
    }
  return curve.y.mean[xs.length - 1];
}

/**
 * Steady-state response per period against spend per period for every channel, with credible bands; the current
 * average spend is marked with a circle and, given a budget `plan` from `optimizeBudget`, the suggested spend with a
 * diamond.
 */
export function responseCurvesChart(fit: ModelFit, o: ChartOptions & { plan?: AllocationResult; points?: number } = {}): string {
  const { plan, points, ...co } = o;
  const maxSpend = Math.max(...fit.spec.channels.map((c) => Math.max(...fit.data.spend[c.name])));
  const planMax = plan ? Math.max(...Object.values(plan.allocation)) : 0;
  const curves = responseCurves(fit, { points: points ?? 60, maxMultiple: Math.max(1.5, (1.2 * planMax) / maxSpend) });
  const currentSpend = spendPerPeriod(fit);
  const series: LineSeries[] = [];
  const markers: ChartMarker[] = [];
  fit.spec.channels.forEach((ch, i) => {
    const cv = curves[ch.name];
    series.push({ name: ch.name, x: cv.x, y: cv.y.mean, band: { lower: cv.y.lower, upper: cv.y.upper }, colour: colour(i) });
    const current = currentSpend[ch.name];
    markers.push({
      label: `${ch.name} current`,
      x: current,
      y: plan?.current?.responseByChannel[ch.name] ?? interpolate(cv, current),
      colour: colour(i),
      shape: 'circle',
    });
    if (plan && plan.allocation[ch.name] !== undefined)
      markers.push({
        label: `${ch.name} suggested`,
        x: plan.allocation[ch.name],
        y: plan.responseByChannel[ch.name],
        colour: colour(i),
        shape: 'diamond',
      });
  });
  const markerLegend = [
    { label: 'current spend', colour: '#555', shape: 'circle' as const },
    ...(plan ? [{ label: 'suggested spend', colour: '#555', shape: 'diamond' as const }] : []),
  ];
  return lineChart(series, markers, {
    title: 'Response curves (per period, steady state)',
    xLabel: 'spend per period',
    yLabel: 'response per period',
    yZero: true,
    markerLegend,
    ...co,
  });
}

/** Adstock weights by lag for every channel (posterior mean with band). */
export function adstockChart(fit: ModelFit, o: ChartOptions = {}): string {
  const curves = adstockCurves(fit);
  const series = fit.spec.channels.map((ch, i) => {
    const cv = curves[ch.name];
    return { name: ch.name, x: cv.x, y: cv.y.mean, band: { lower: cv.y.lower, upper: cv.y.upper }, colour: colour(i) };
  });
  return lineChart(series, [], {
    title: 'Adstock: share of the effect by lag',
    xLabel: 'lag (periods)',
    yLabel: 'weight',
    yZero: true,
    yFormat: pct,
    ...o,
  });
}

/** Saturation curves on each channel's scaled input (1 = the channel's largest input). */
export function saturationChart(fit: ModelFit, o: ChartOptions = {}): string {
  const curves = saturationCurves(fit, { points: 60 });
  // reach-and-frequency channels saturate in frequency, not in their scaled input: the report's "Reach and frequency"
  // section shows them (unless every channel is one)
  const own = fit.spec.channels.filter((ch) => !ch.reachFrequency);
  const series = (own.length ? own : fit.spec.channels).map((ch) => {
    const i = fit.spec.channels.indexOf(ch);
    const cv = curves[ch.name];
    return { name: ch.name, x: cv.x, y: cv.y.mean, band: { lower: cv.y.lower, upper: cv.y.upper }, colour: colour(i) };
  });
  return lineChart(series, [], {
    title: 'Saturation',
    xLabel: 'adstocked input / channel maximum',
    yLabel: 'saturation',
    yZero: true,
    ...o,
  });
}

/** Current average spend per period against the suggested allocation of `plan`. */
export function budgetChart(fit: ModelFit, plan: AllocationResult, o: ChartOptions = {}): string {
  const names = fit.spec.channels.map((c) => c.name).filter((n) => plan.allocation[n] !== undefined);
  const current = spendPerPeriod(fit);
  return barChart(
    names,
    [
      { name: 'current', values: names.map((c) => current[c]), colour: '#9e9e9e' },
      { name: 'suggested', values: names.map((c) => plan.allocation[c]), colour: colour(2) },
    ],
    { title: 'Budget per period: current vs suggested', xLabel: 'spend per period', ...o },
  );
}

function chainsOf(fit: ModelFit, name: string): number[][] {
  const chains = fit.draws[name];
  if (!chains)
    throw new InvalidInputError(
      'parameter',
      `is "${name}", which the fit does not have`,
      `Use one of ${Object.keys(fit.draws).slice(0, 8).join(', ')}, ….`,
    );
  return chains;
}

/** The posterior draws of one parameter as a density histogram, with its prior density drawn over them. */
export function priorPosteriorChart(fit: ModelFit, parameter: string, o: ChartOptions = {}): string {
  const draws = chainsOf(fit, parameter).flat();
  const prior = priorFor(fit.spec, parameter);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of draws) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const pad = 0.25 * (hi - lo || Math.abs(hi) || 1);
  const overlays: LineSeries[] = [];
  if (prior) {
    const px: number[] = [];
    const py: number[] = [];
    for (let i = 0; i <= 120; i++) {
      const x = lo - pad + ((hi - lo + 2 * pad) * i) / 120;
      const d = Math.exp(priorLogDensity(prior, x));
      if (Number.isFinite(d)) {
        px.push(x);
        py.push(d);
      }
    }
    if (px.length > 1) overlays.push({ name: `prior ${describePrior(prior)}`, x: px, y: py, colour: colour(5), dashed: true });
  }
  return histogram(draws, { title: parameter, density: true, bins: 30, overlays, height: 220, width: 360, ...o });
}

function describePrior(p: NonNullable<ReturnType<typeof priorFor>>): string {
  const { dist, ...args } = p;
  return `${dist}(${Object.values(args)
    .map((v) => human(v as number))
    .join(', ')})`;
}

/** Draws of one parameter by iteration, one line per chain (thinned to `maxPoints` per chain). */
export function traceChart(fit: ModelFit, parameter: string, o: ChartOptions & { maxPoints?: number } = {}): string {
  const { maxPoints, ...co } = o;
  const chains = chainsOf(fit, parameter);
  const m = maxPoints ?? 400;
  const series = chains.map((d, c) => {
    const step = Math.max(1, Math.ceil(d.length / m));
    const idx = Array.from({ length: Math.ceil(d.length / step) }, (_, k) => k * step);
    return { name: `chain ${c + 1}`, x: idx, y: idx.map((k) => d[k]), colour: colour(c) };
  });
  return lineChart(series, [], { title: `${parameter}: trace`, xLabel: 'draw', height: 220, width: 360, ...co });
}

/**
 * Rank plot of one parameter (Vehtari et al. 2021): the draws of all chains ranked together, and each chain's
 * histogram of ranks in `bins` bins against the uniform count expected when the chains mix (dashed).
 */
export function rankChart(fit: ModelFit, parameter: string, o: ChartOptions & { bins?: number } = {}): string {
  const { bins, ...co } = o;
  const chains = chainsOf(fit, parameter);
  const all = chains.flatMap((d, c) => d.map((v, i) => ({ v, c, i })));
  all.sort((a, b) => a.v - b.v);
  const B = bins ?? 20;
  const N = all.length;
  const counts = chains.map(() => new Array<number>(B).fill(0));
  all.forEach((d, r) => counts[d.c][Math.min(B - 1, Math.floor((r * B) / N))]++);
  const x = Array.from({ length: B }, (_, b) => ((b + 0.5) * N) / B);
  const series: LineSeries[] = counts.map((cnt, c) => ({ name: `chain ${c + 1}`, x, y: cnt, colour: colour(c) }));
  const expected = chains.map((d) => d.length / B).reduce((a, b) => a + b, 0) / chains.length;
  series.push({ name: 'uniform', x: [0, N], y: [expected, expected], colour: '#777', dashed: true });
  return lineChart(series, [], {
    title: `${parameter}: rank plot`,
    xLabel: 'rank (all chains)',
    yLabel: 'draws per bin',
    yZero: true,
    height: 220,
    width: 360,
    ...co,
  });
}

/**
 * A classical fit's hyperparameter search: candidates' validation NRMSE against their DECOMP.RSSD (at most 3000
 * shown, evenly thinned; the view stops at 2.5 times the front's largest NRMSE and the 95th percentile of DECOMP.RSSD,
 * so that a few wild candidates do not squeeze the front into a corner), the Pareto front joined, and the chosen
 * candidate marked.
 */
export function paretoChart(fit: ClassicalFit, o: ChartOptions = {}): string {
  // a fit read from JSON is not checked by the compiler
  const sr = (fit as Partial<ClassicalFit>).search;
  if (!sr) throw new InvalidInputError('fit.search', 'is missing', 'Pass a classical fit (method ridge, lasso, elasticnet or linear).');
  const front = sr.front.map((i) => sr.candidates[i]);
  const rssd = sr.candidates
    .map((c) => c.decompRssd)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const xMax = 2.5 * Math.max(...front.map((c) => c.nrmse));
  const yMax = Math.max(rssd[Math.floor(0.95 * (rssd.length - 1))], ...front.map((c) => c.decompRssd));
  const inView = sr.candidates.filter((c) => c.nrmse <= xMax && c.decompRssd <= yMax);
  const step = Math.max(1, Math.ceil(inView.length / 3000));
  const shown = inView.filter((_, i) => i % step === 0);
  const chosen = sr.candidates[sr.chosen];
  return scatterChart(
    [
      { name: 'candidates', x: shown.map((c) => c.nrmse), y: shown.map((c) => c.decompRssd), colour: '#9aa3ad', radius: 2, opacity: 0.5 },
      {
        name: 'Pareto front',
        x: front.map((c) => c.nrmse),
        y: front.map((c) => c.decompRssd),
        colour: colour(0),
        radius: 3.5,
        connect: true,
      },
    ],
    [{ label: 'chosen', x: chosen.nrmse, y: chosen.decompRssd, colour: colour(3) }],
    { title: 'Search: validation NRMSE against DECOMP.RSSD', xLabel: 'validation NRMSE', yLabel: 'DECOMP.RSSD', ...o },
  );
}

/**
 * The fitted target over the whole period as a waterfall: the baseline (intercept, trend, seasonality), the controls,
 * each channel's contribution and each other term's (interactions, terms of your own; posterior means) adding up to the
 * fitted total.
 */
export function contributionWaterfallChart(fit: MMMFit, o: ChartOptions = {}): string {
  const c = fit.contributions;
  const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
  const names = fit.spec.channels.map((ch) => ch.name);
  const channels = names.map((n) => sum(c.channels[n].mean));
  const controls = sum(c.controls.mean);
  const terms = Object.entries(c.terms ?? {}).map(([label, e]) => ({ label, value: sum(e.mean) }));
  const fitted = sum(c.fitted.mean);
  const baseline = fitted - controls - channels.reduce((a, v) => a + v, 0) - terms.reduce((a, t) => a + t.value, 0);
  const steps: WaterfallStep[] = [
    { label: 'baseline', value: baseline },
    ...(fit.spec.controls?.length ? [{ label: 'controls', value: controls }] : []),
    ...names.map((n, i) => ({ label: n, value: channels[i] })),
    ...terms,
    { label: 'fitted total', value: 0, total: true },
  ];
  return waterfallChart(steps, { title: 'What the fitted target is made of (whole period)', xLabel: 'target units', ...o });
}
