// The MMM charts and report on a real (CI-sized) fit of the bundled data, and the CLV report on CDNOW: every chart
// parses as SVG with one series per channel, the HTML passes html-validate's recommended rules, and the page is
// self-contained (no scripts, no external resources, no NaN).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { HtmlValidate } from 'html-validate';
import {
  compareMethods,
  designExperiments,
  fitMMM,
  optimizeBudget,
  planSchedule,
  reviewFit,
  rollingWindows,
  spendPerPeriod,
  type BayesianFit,
} from '@mmm/pipeline';
import { customerLifetimeValue, fitBGNBD, fitGammaGamma } from '@mmm/clv';
import {
  actualVsFittedChart,
  adstockChart,
  budgetChart,
  contributionsChart,
  priorPosteriorChart,
  rankChart,
  clvReportData,
  mmmReportData,
  renderCLVReport,
  renderMMMReport,
  renderComparisonReport,
  responseCurvesChart,
  roasChart,
  saturationChart,
  shareChart,
  contributionWaterfallChart,
  traceChart,
} from '../src/index.js';
import { all, axisMap, byClass, parseSvg, pathPoints } from './helpers.js';

const rows = parse(readFileSync(new URL('./fixtures/weekly_national.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
  Record<string, string>
>;
const channels = ['tv', 'search', 'social', 'display', 'radio'];

async function validateHtml(html: string) {
  const report = await new HtmlValidate({ extends: ['html-validate:recommended'] }).validateString(html);
  return report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} line ${m.line}: ${m.message}`));
}

function selfContained(html: string) {
  expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(\s*['"]?(https?:|\/\/)/i);
  expect(html).not.toMatch(/\b(src|href)=/);
  expect(html).not.toMatch(/NaN|Infinity|undefined|\[object/);
}

describe('MMM charts and report', () => {
  let fit: BayesianFit;
  beforeAll(async () => {
    fit = await fitMMM(rows, {
      date: 'date',
      target: 'sales',
      channels,
      controls: ['price_index', 'competitor_index'],
      seed: 11,
      chains: 2,
      warmup: 150,
      draws: 100,
      parallel: false,
    });
  }, 120_000);

  it('draws every chart with one series per channel and one point per period or grid value', () => {
    const n = rows.length;
    const avf = parseSvg(actualVsFittedChart(fit));
    expect(byClass(avf, 'g', 'series')).toHaveLength(2);
    for (const l of byClass(avf, 'path', 'line')) expect(pathPoints(l.getAttribute('d')!)).toHaveLength(n);
    const contrib = parseSvg(contributionsChart(fit));
    // baseline, seasonality, controls, 5 channels, and the actual overlay
    expect(byClass(contrib, 'g', 'series').map((g) => g.getAttribute('data-name'))).toEqual([
      'baseline',
      'seasonality',
      'controls',
      ...channels,
      'actual',
    ]);
    expect(byClass(parseSvg(shareChart(fit)), 'rect', 'bar')).toHaveLength(10);
    // the waterfall's steps are the channels' total contributions, and its total the fitted total
    const wf = byClass(parseSvg(contributionWaterfallChart(fit)), 'rect', 'bar');
    const total = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);
    expect(wf.map((b) => b.getAttribute('data-category'))).toEqual(['baseline', 'controls', ...channels, 'fitted total']);
    channels.forEach((c, i) =>
      expect(Number(wf[2 + i].getAttribute('data-value'))).toBeCloseTo(total(fit.contributions.channels[c].mean), 6),
    );
    expect(Number(wf.at(-1)!.getAttribute('data-to')) / total(fit.contributions.fitted.mean)).toBeCloseTo(1, 10);
    expect(byClass(parseSvg(roasChart(fit)), 'g', 'row').map((g) => Number(g.getAttribute('data-mean')))).toEqual(
      channels.map((c) => fit.channels[c].roas.mean),
    );
    const plan = optimizeBudget(fit, { relativeBounds: 0.3, maxDraws: 100 });
    const resp = parseSvg(responseCurvesChart(fit, { plan, points: 40 }));
    expect(byClass(resp, 'g', 'series')).toHaveLength(5);
    for (const l of byClass(resp, 'path', 'line')) expect(pathPoints(l.getAttribute('d')!)).toHaveLength(40);
    expect(byClass(resp, 'g', 'marker')).toHaveLength(10);
    const ad = parseSvg(adstockChart(fit));
    for (const l of byClass(ad, 'path', 'line')) expect(pathPoints(l.getAttribute('d')!)).toHaveLength(8);
    expect(byClass(parseSvg(saturationChart(fit)), 'g', 'series')).toHaveLength(5);
    expect(byClass(parseSvg(budgetChart(fit, plan)), 'rect', 'bar')).toHaveLength(10);
    const pp = parseSvg(priorPosteriorChart(fit, 'tv.adstock.alpha'));
    expect(byClass(pp, 'g', 'series').map((g) => g.getAttribute('data-name'))).toEqual(['bins', 'prior beta(1, 3)']);
    expect(Number(byClass(pp, 'g', 'series')[0].getAttribute('data-total'))).toBe(200);
    const tr = parseSvg(traceChart(fit, 'sigma'));
    expect(byClass(tr, 'path', 'line').map((l) => pathPoints(l.getAttribute('d')!).length)).toEqual([100, 100]);
    const rk = parseSvg(rankChart(fit, 'sigma', { bins: 10 }));
    // read back through the y axis, each chain's rank counts over the 10 bins add up to its 100 draws, and the
    // dashed reference sits at the uniform 10 per bin
    const fy = axisMap(rk, 'y');
    const lines = byClass(rk, 'path', 'line').map((l) => pathPoints(l.getAttribute('d')!).map(([, py]) => fy(py)));
    expect(lines.map((l) => l.length)).toEqual([10, 10, 2]);
    for (const chain of lines.slice(0, 2)) expect(chain.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
    for (const y of lines[2]) expect(y).toBeCloseTo(10, 1);
    expect(() => traceChart(fit, 'nope')).toThrow(/nope/);
  });

  it('draws the contribution of a term of the user’s own (FitMMMOptions.terms) as a layer of its own', () => {
    // the fit's decomposition with a term's series added (pipeline/test/terms.test.ts fits one and checks the series)
    const holiday = fit.contributions.trend.mean.map((_, t) => (t % 52 === 47 ? 100 : 0));
    const withTerm = {
      ...fit,
      contributions: { ...fit.contributions, terms: { holiday: { mean: holiday, lower: holiday, upper: holiday } } },
    };
    const names = byClass(parseSvg(contributionsChart(withTerm)), 'g', 'series').map((g) => g.getAttribute('data-name'));
    expect(names).toEqual(['baseline', 'seasonality', 'controls', ...channels, 'holiday', 'actual']);
  });

  it('renders a valid, self-contained HTML report with the summary, gate, settings and every chart', { timeout: 60_000 }, async () => {
    const html = renderMMMReport(fit, { budget: { relativeBounds: 0.3, maxDraws: 100 } });
    expect(await validateHtml(html)).toEqual([]);
    selfContained(html);
    for (const id of ['summary', 'channels', 'budget', 'diagnostics', 'data-checks', 'settings']) expect(html).toContain(`id="${id}"`);
    expect(html).toMatch(/Convergence gate (passed|FAILED)/);
    expect(html).toContain('Recommended reallocation');
    expect(html).not.toContain('id="early-stop"');
    // a fit that stopped sampling early says when and why in the diagnostics (the stop itself: pipeline's progress test)
    const stopped = {
      ...fit,
      diagnostics: { ...fit.diagnostics, earlyStop: { draws: 60, ceiling: 100, reason: 'targets met' as const, checks: 3 } },
    };
    expect(renderMMMReport(stopped, { budget: false })).toContain('Sampling stopped early at 60 of 100 draws per chain: at check 3');
    // customer value: LTV-ROAS beside first-purchase ROAS per channel, the table and the cohorts' value over time
    const est = (m: number) => ({ mean: m, median: m, lower: 0.8 * m, upper: 1.2 * m });
    const names = fit.spec.channels.map((c) => c.name);
    const value = {
      method: 'cohorts' as const,
      horizonMonths: 12,
      dates: fit.data.dates,
      newCustomers: fit.data.dates.map(() => 10),
      cohorts: { value: fit.data.dates.map((_, t) => (t < 20 ? 100 + t : Number.NaN)), size: fit.data.dates.map(() => 10) },
      channels: Object.fromEntries(
        names.map((c, k) => [
          c,
          {
            spend: 1000,
            newCustomers: est(50 + k),
            costPerAcquisition: est(20),
            valuePerCustomer: est(90 + k),
            firstPurchaseValue: est(30),
            ltvRoas: est(2 + k),
            firstPurchaseRoas: est(1 + k / 10),
          },
        ]),
      ),
      channelValue: Object.fromEntries(names.map((c, k) => [c, 90 + k])),
      baseline: { newCustomers: est(100), valuePerCustomer: est(80) },
      mmm: fit,
      warnings: ['shares vary little'],
      draws: 100,
    };
    const withValue = renderMMMReport(fit, { budget: false, customerValue: value });
    expect(await validateHtml(withValue)).toEqual([]);
    const start = withValue.indexOf('id="customer-value"');
    const section = withValue.slice(start, withValue.indexOf('</section>', start));
    expect(section).toContain("each channel's value per customer comes from a regression of the weekly cohorts' value");
    expect([...section.matchAll(/<tr>/g)].length).toBe(names.length + 1);
    expect(section).toContain('data-kind="line"');
    expect(section).toContain('data-kind="forest"');
    expect(section).toContain('shares vary little');
    const kinds = [...html.matchAll(/data-kind="([\w-]+)"/g)].map((m) => m[1]);
    expect(new Set(kinds)).toEqual(new Set(['line', 'stacked-area', 'bar', 'forest', 'histogram']));
    // prior vs posterior for every channel parameter (4 per Hill/geometric channel), trace + rank for 4
    expect(kinds.filter((k) => k === 'histogram')).toHaveLength(20);
    for (const svg of html.match(/<svg[\s\S]*?<\/svg>/g)!) parseSvg(svg);
    // the fit survives JSON (what a user stores) and renders the same
    expect(renderMMMReport(JSON.parse(JSON.stringify(fit)) as BayesianFit, { budget: { relativeBounds: 0.3, maxDraws: 100 } })).toBe(html);
    const noPlan = renderMMMReport(fit, { budget: false, diagnosticPlots: 0 });
    expect(noPlan).not.toContain('id="budget"');
    expect(await validateHtml(noPlan)).toEqual([]);
  });

  it('computes its figures as plain data first (mmmReportData), and the page shows them', { timeout: 60_000 }, () => {
    const plan = optimizeBudget(fit, { relativeBounds: 0.3, maxDraws: 100 });
    const data = mmmReportData(fit, { budget: plan });
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    // the summary's figures against the fit they come from
    const names = fit.spec.channels.map((c) => c.name);
    expect(data.summary.media).toBeCloseTo(
      names.reduce((a, c) => a + fit.channels[c].contribution.mean, 0),
      6,
    );
    expect(data.summary.totalTarget).toBeCloseTo(
      fit.data.target.reduce((a, b) => a + b, 0),
      6,
    );
    expect([...data.summary.payBack, ...data.summary.unsure, ...data.summary.loss].sort()).toEqual([...names].sort());
    for (const c of data.summary.payBack) expect(fit.channels[c].roas.lower).toBeGreaterThan(1);
    expect(data.summary.ranked.map((c) => fit.channels[c].contribution.mean)).toEqual(
      [...names.map((c) => fit.channels[c].contribution.mean)].sort((a, b) => b - a),
    );
    // the budget rows: the plan's allocation against the average spend per period
    const n = fit.data.dates.length;
    for (const row of data.budgetTable!) {
      expect(row.suggested).toBe(plan.allocation[row.channel]);
      expect(row.current).toBeCloseTo(fit.channels[row.channel].spend / n, 9);
      expect(row.change).toBeCloseTo(row.suggested / row.current - 1, 12);
    }
    const moved = [...data.summary.increases, ...data.summary.decreases].map((m) => m.channel);
    for (const m of data.summary.increases) expect(m.change).toBeGreaterThan(0.005);
    for (const m of data.summary.decreases) expect(m.change).toBeLessThan(-0.005);
    expect(new Set(moved).size).toBe(moved.length);
    // settings from the model's own defaults, not restated in the report
    expect(data.settings.channels.map((c) => [c.adstock, c.maxLag, c.saturation])).toEqual(names.map(() => ['geometric', 8, 'hill']));
    expect(data.worstConverged).toHaveLength(4);
    const html = renderMMMReport(fit, { budget: plan });
    for (const row of data.channelTable)
      expect(html).toContain(`${row.roas.mean.toFixed(2)} [${row.roas.lower.toFixed(2)}, ${row.roas.upper.toFixed(2)}]`);
    expect(html).toContain(`${data.period.periods} periods`);
  });
});

describe('MMM report of a calibrated fit', () => {
  it('shows the ROAS priors next to the posterior ROAS and each lift test’s measured and implied lift', async () => {
    const fit = await fitMMM(rows, {
      date: 'date',
      target: 'sales',
      channels,
      controls: ['price_index', 'competitor_index'],
      model: { channels: { tv: { roasPrior: { mean: 1.5, sd: 0.5 } } } },
      liftTests: [{ channel: 'search', start: rows[20].date, end: rows[27].date, spendChange: 80000, lift: 150000, sd: 40000 }],
      seed: 3,
      chains: 2,
      warmup: 150,
      draws: 100,
      parallel: false,
    });
    const data = mmmReportData(fit, { budget: false });
    expect(data.calibration!.roasPriors).toEqual([
      { channel: 'tv', prior: 'mean 1.5, sd 0.5 (log-normal)', posterior: fit.channels.tv.roas },
    ]);
    expect(data.calibration!.liftTests[0].implied).toEqual(fit.liftTests![0].implied);
    const html = renderMMMReport(fit, { budget: false, diagnosticPlots: 1 });
    expect(await validateHtml(html)).toEqual([]);
    selfContained(html);
    const section = html.slice(html.indexOf('id="calibration"'), html.indexOf('</section>', html.indexOf('id="calibration"')));
    expect(section).toContain('<th scope="row">tv</th>');
    expect(section).toContain('<th scope="row">search</th>');
    expect(section).toContain(`${rows[20].date} to ${rows[27].date}`);
  }, 120_000);
});

describe('MMM report of a fit whose effects change over time', () => {
  it("adds a section: each channel's multiplier with its band, the largest quarterly change, ROAS per year", async () => {
    const fit = await fitMMM(rows, {
      date: 'date',
      target: 'sales',
      channels: ['tv', 'search', 'social'],
      model: { timeVaryingEffects: ['tv', 'search'] },
      seed: 4,
      chains: 2,
      warmup: 150,
      draws: 100,
      parallel: false,
    });
    const data = mmmReportData(fit, { budget: false });
    const e = data.effectsOverTime!;
    expect(e.mode).toBe('perChannel');
    expect(e.changes.map((c) => c.channel)).toEqual(['tv', 'search', 'social']);
    // social is held constant: flagged, ratio exactly 1
    expect(e.changes[2]).toMatchObject({ constant: true, label: 'stable', ratio: { mean: 1 } });
    expect(e.changes[0].constant).toBeUndefined();
    expect(e.roasByYear[0].years).toEqual(fit.channels.tv.roasByPeriod!.years.map((y) => ({ start: y.start, end: y.end, roas: y.roas })));
    const html = renderMMMReport(fit, { budget: false, diagnosticPlots: 1 });
    expect(await validateHtml(html)).toEqual([]);
    selfContained(html);
    const at = html.indexOf('id="effects-over-time"');
    const section = html.slice(at, html.indexOf('</section>', at));
    // one chart per time-varying channel, each a band and a line
    expect(section.match(/<svg/g)).toHaveLength(2);
    expect(section).toContain('held constant by the model');
    expect(section).toContain(`${e.changes[0].before[0]} → ${e.changes[0].after[0]}`);
    expect(section).toContain(`ROAS ${e.roasByYear[0].years[0].start}`);
    expect(section).not.toMatch(/NaN|Infinity/);
    // the budget says which effect it planned with: by default the last fitted period's
    const planned = renderMMMReport(fit, { diagnosticPlots: 1 });
    const last = fit.data.dates[fit.data.dates.length - 1];
    expect(planned).toContain(`the plan uses each channel's effect in the last fitted period (${last})`);
    // a fit without time-varying effects has no such section
    expect(
      mmmReportData({ ...fit, spec: { ...fit.spec, timeVaryingEffects: undefined } } as BayesianFit, { budget: false }).effectsOverTime,
    ).toBeUndefined();
  }, 120_000);
});

describe('MMM report of a fit with a reach-and-frequency channel', () => {
  it('adds a section: ROAS by frequency with the optimal and the average frequency marked, and the frequency table', async () => {
    // social as a reach-and-frequency channel: a frequency cycling over 1 … 4.6, the reach its impressions over it
    const rfRows = rows.map((r, t) => {
      const frequency = 1 + (4 * ((t * 7) % 10)) / 10;
      return { ...r, social_reach: (Number(r.social) * 250) / frequency, social_frequency: Number(r.social) > 0 ? frequency : 0 };
    });
    const fit = await fitMMM(rfRows, {
      date: 'date',
      target: 'sales',
      channels: ['tv', 'search', { name: 'social', reach: 'social_reach', frequency: 'social_frequency', spend: 'social' }],
      seed: 2,
      chains: 2,
      warmup: 150,
      draws: 100,
      parallel: false,
    });
    const html = renderMMMReport(fit, { diagnosticPlots: 1 });
    expect(await validateHtml(html)).toEqual([]);
    selfContained(html);
    const at = html.indexOf('id="reach-frequency"');
    expect(at).toBeGreaterThan(0);
    const section = html.slice(at, html.indexOf('</section>', at));
    // one chart (the reach-and-frequency channel's), with its two markers, and one table row
    expect(section.match(/<svg/g)).toHaveLength(1);
    expect(section.match(/class="marker"/g)).toHaveLength(2);
    const o = fit.channels.social.optimalFrequency!;
    expect(section).toContain(`[${o.lower.toFixed(2)}, ${o.upper.toFixed(2)}]`);
    expect(section.match(/<tr>/g)).toHaveLength(2);
    // the budget section plans with it (linear at its optimal frequency)
    expect(html).toContain('id="budget"');
  }, 120_000);
});

describe('MMM report of a fit with organic media and a treatment', () => {
  it('adds a section: their contributions over time with bands, totals, and the treatment effect; no ROAS for organic', async () => {
    // radio as organic media (exposures, no spend) and price_index as a treatment
    const fit = await fitMMM(rows, {
      date: 'date',
      target: 'sales',
      channels: ['tv', 'search'],
      organic: ['radio'],
      treatments: ['price_index'],
      seed: 2,
      chains: 2,
      warmup: 150,
      draws: 100,
      parallel: false,
    });
    const html = renderMMMReport(fit, { diagnosticPlots: 1 });
    expect(await validateHtml(html)).toEqual([]);
    selfContained(html);
    const at = html.indexOf('id="organic-treatments"');
    expect(at).toBeGreaterThan(0);
    const section = html.slice(at, html.indexOf('</section>', at));
    expect(section.match(/<svg/g)).toHaveLength(2);
    expect(section).toContain('organic media');
    expect(section).toContain('treatment');
    // radio is not a channel: no ROAS row
    expect(fit.channels.radio).toBeUndefined();
  }, 120_000);
});

describe('interactions section', () => {
  it('charts each interaction with its band, tables its totals, and the budget names the synergy it leaves out', async () => {
    const fit = await fitMMM(rows, {
      date: 'date',
      target: 'sales',
      channels: ['tv', 'search', 'social'],
      model: {
        interactions: [
          { channel: 'tv', with: 'season' },
          { channel: 'tv', with: 'search' },
        ],
      },
      method: 'ridge',
      seed: 4,
    });
    const data = mmmReportData(fit, { budget: false });
    expect(data.interactions?.map((i) => i.name)).toEqual(['tv:season', 'tv:search']);
    expect(data.interactions![1].contribution).toEqual(fit.interactions!['tv:search'].contribution);
    const html = renderMMMReport(fit, { diagnosticPlots: 1 });
    expect(await validateHtml(html)).toEqual([]);
    selfContained(html);
    const at = html.indexOf('id="interactions"');
    expect(at).toBeGreaterThan(0);
    const section = html.slice(at, html.indexOf('</section>', at));
    expect(section.match(/<svg/g)).toHaveLength(2);
    expect(section).toContain('tv:search');
    expect(section).not.toMatch(/NaN|Infinity/);
    expect(html).toContain('it leaves out the synergies tv:search');
    // the waterfall of the whole period has a step per interaction, and the baseline is what is left
    const waterfall = contributionWaterfallChart(fit);
    for (const name of ['tv:season', 'tv:search']) expect(waterfall).toContain(`data-category="${name}"`);
    // a fit without interactions has no such section
    expect(renderMMMReport({ ...fit, interactions: undefined }, { budget: false })).not.toContain('id="interactions"');
    // the fit's review comes first: its verdict, and each check that is not a pass with its message
    const review = reviewFit(fit);
    expect(data.review).toEqual(review);
    const first = html.indexOf('<section');
    expect(html.indexOf('id="review"')).toBeGreaterThan(first - 1);
    expect(html.indexOf('id="review"')).toBeLessThan(html.indexOf('<section', first + 1));
    for (const c of review.checks.filter((x) => x.status !== 'pass')) expect(html).toContain(c.id);
    const failing = {
      ...review,
      status: 'fail' as const,
      checks: [{ ...review.checks[0], status: 'fail' as const, message: 'Refit it.' }],
    };
    const flagged = renderMMMReport(fit, { budget: false, review: failing });
    expect(flagged).toContain('Review: do not act on this fit yet: 1 check fails.');
    expect(flagged).toContain('Refit it.');
    expect(renderMMMReport(fit, { budget: false, review: false })).not.toContain('id="review"');
    // a plan over time: its own section with the spend by channel, the response per period and the table
    const perPeriod = Object.values(spendPerPeriod(fit)).reduce((a, b) => a + b, 0);
    const schedule = planSchedule(fit, { periods: 8, budget: 8 * perPeriod, compare: 'current' });
    const withPlan = renderMMMReport(fit, { budget: false, review: false, schedule });
    expect(await validateHtml(withPlan)).toEqual([]);
    const from = withPlan.indexOf('id="schedule"');
    expect(from).toBeGreaterThan(0);
    const planSection = withPlan.slice(from, withPlan.indexOf('</section>', from));
    expect(planSection.match(/<svg/g)).toHaveLength(2);
    expect(planSection).toContain(schedule.dates[0]);
    expect(schedule.kkt.satisfied).toBe(true);
    expect(planSection).toContain('Optimality conditions met');
    expect(planSection).toContain(schedule.notes[0]);
    expect(planSection).not.toMatch(/NaN|Infinity/);
    expect(html).not.toContain('id="schedule"');
    // the lift tests to run next: their own section, the best in words, a chart and the table
    const experiments = designExperiments(fit, { outcomes: 20, maxDraws: 100, valueOfInformation: 1 });
    const withTests = renderMMMReport(fit, { budget: false, review: false, experiments });
    expect(await validateHtml(withTests)).toEqual([]);
    const at2 = withTests.indexOf('id="experiments"');
    expect(at2).toBeGreaterThan(0);
    const testSection = withTests.slice(at2, withTests.indexOf('</section>', at2));
    expect(testSection.match(/<svg/g)).toHaveLength(1);
    expect(testSection).toContain(`Of ${experiments.designs.length} candidate lift tests`);
    expect(testSection).not.toMatch(/NaN|Infinity/);
  }, 120_000);
});

describe('comparison and stability report', () => {
  it('shows the methods table, actual against each method on the holdout, and each channel’s ROAS by window', async () => {
    const options = {
      date: 'date',
      target: 'sales',
      channels,
      controls: ['price_index', 'competitor_index'],
      search: { candidates: 200 },
      bootstrap: { resamples: 20 },
      seed: 1,
    };
    const comparison = await compareMethods(rows, options, { methods: ['ridge', 'linear', 'gbdt'], holdout: 26 });
    const rolling = await rollingWindows(rows, options, { window: 78, step: 39, method: 'ridge' });
    const html = renderComparisonReport({ comparison, rolling });
    expect(await validateHtml(html)).toEqual([]);
    selfContained(html);
    for (const m of ['ridge', 'linear', 'gbdt']) expect(html).toContain(`<th scope="row">${m}</th>`);
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g)!.map(parseSvg);
    // the holdout chart: actual and one dashed line per method, each one point per held-out period
    const holdout = byClass(svgs[0], 'path', 'line');
    expect(holdout).toHaveLength(4);
    for (const l of holdout) expect(pathPoints(l.getAttribute('d')!)).toHaveLength(26);
    // one chart per channel, one point per window
    expect(svgs).toHaveLength(1 + channels.length);
    for (const s of svgs.slice(1))
      expect(pathPoints(byClass(s, 'path', 'line')[0].getAttribute('d')!)).toHaveLength(rolling.windows.length);
  }, 120_000);
});

describe('MMM report of a classical fit', () => {
  it('replaces the sampler diagnostics with the search (Pareto front, chosen parameters); the intervals are a bootstrap', async () => {
    const fit = await fitMMM(rows, {
      date: 'date',
      target: 'sales',
      channels,
      controls: ['price_index', 'competitor_index'],
      method: 'ridge',
      search: { candidates: 300 },
      bootstrap: { resamples: 50 },
      seed: 2,
    });
    const html = renderMMMReport(fit, { budget: false });
    expect(await validateHtml(html)).toEqual([]);
    selfContained(html);
    expect(html).not.toContain('id="diagnostics"');
    expect(html).not.toContain('posterior probability');
    expect(html).toContain('bootstrap intervals');
    const section = html.slice(html.indexOf('id="search"'), html.indexOf('</section>', html.indexOf('id="search"')));
    const chart = parseSvg(section.match(/<svg[\s\S]*?<\/svg>/)![0]);
    const [, front] = byClass(chart, 'g', 'series');
    expect(all(front, 'circle')).toHaveLength(fit.search!.front.length);
    for (const name of fit.search!.parameterNames) expect(section).toContain(`<th scope="row">${name}</th>`);
    expect(section).toContain('300 candidates');
    // what the intervals are worth, measured on simulated data, in the fit and on the page
    expect(section).toContain(`ROAS ${Math.round(100 * fit.diagnostics.coverage!.measured)}% of the time`);
  });
});

describe('MMM report of a geo fit', () => {
  it('adds a geo section: ROAS by geo × channel (heat map and table), the most different geos, small multiples', {
    timeout: 240_000,
  }, async () => {
    const geoRows = parse(readFileSync(new URL('./fixtures/geo_weekly.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
      Record<string, string>
    >;
    // a short run: the report's content, not convergence, is under test here
    const fit = await fitMMM(geoRows, {
      date: 'week',
      geo: 'geo',
      population: 'population',
      target: 'sales',
      channels: ['tv', 'search', 'social'],
      controls: ['price_index', 'competitor_index'],
      seed: 2,
      chains: 2,
      warmup: 150,
      draws: 150,
    });
    const data = mmmReportData(fit, { budget: false });
    expect(data.geo!.geos).toHaveLength(8);
    expect(data.geo!.roas).toHaveLength(24);
    expect(data.geo!.largest).toHaveLength(6);
    expect(data.channelParameters.some((k) => k.includes('.z['))).toBe(false);
    expect(data.channelParameters).toContain('tv.eta');
    for (const m of data.geo!.mostDifferent)
      expect(m.ratio).toBeCloseTo(fit.geos![m.geo].channels[m.channel].roas.mean / fit.channels[m.channel].roas.mean, 12);
    const html = renderMMMReport(fit, { budget: false, diagnosticPlots: 1 });
    expect(await validateHtml(html)).toEqual([]);
    selfContained(html);
    const section = html.slice(html.indexOf('id="geos"'), html.indexOf('</section>', html.indexOf('id="geos"')));
    for (const g of data.geo!.geos) expect(section).toContain(`<th scope="row">${g}</th>`);
    expect(section).toContain('data-kind="heatmap"');
    expect((section.match(/<svg/g) ?? []).length).toBe(1 + 6);
    // lift tests in sets of geos: where each runs is a column of the designs' table
    const experiments = designExperiments(fit, { outcomes: 20, maxDraws: 100, valueOfInformation: 0, durations: [8] });
    const withTests = renderMMMReport(fit, { budget: false, review: false, experiments });
    expect(await validateHtml(withTests)).toEqual([]);
    const at = withTests.indexOf('id="experiments"');
    const tests = withTests.slice(at, withTests.indexOf('</section>', at));
    expect(tests).toContain('<th scope="col">geos</th>');
    expect(tests).toContain('all 8 geos');
    expect(tests).toContain(
      `in ${experiments.designs[0].geos!.length === 8 ? 'all 8 geos' : `${experiments.designs[0].geos!.length} geos`}`,
    );
  });
});

describe('CLV report on CDNOW', () => {
  const csv = parse(readFileSync(new URL('./fixtures/cdnow_rfm_weeks.csv', import.meta.url), 'utf8'), {
    columns: true,
    cast: true,
  }) as Array<Record<string, number>>;
  const customers = {
    frequency: csv.map((r) => r.frequency),
    recency: csv.map((r) => r.recency),
    T: csv.map((r) => r.T),
    monetaryValue: csv.map((r) => r.monetary_value),
    holdoutFrequency: csv.map((r) => r.holdout_frequency),
  };

  it('renders heatmaps, the holdout check and the CLV histogram in a valid self-contained page', async () => {
    const transactions = fitBGNBD(customers);
    const repeat = customers.frequency.map((_, i) => i).filter((i) => customers.frequency[i] > 0);
    const spend = fitGammaGamma({
      frequency: repeat.map((i) => customers.frequency[i]),
      monetaryValue: repeat.map((i) => customers.monetaryValue[i]),
    });
    const clv = customerLifetimeValue(transactions, spend, customers, { months: 12, discountRate: 0.01, periodsPerMonth: 4.345 });
    const html = renderCLVReport({ customers, transactions, spend, clv, holdoutLength: 39 }, { currency: '$' });
    expect(await validateHtml(html)).toEqual([]);
    selfContained(html);
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g)!.map(parseSvg);
    expect(svgs.map((s) => s.getAttribute('data-kind'))).toEqual(['heatmap', 'heatmap', 'line', 'histogram']);
    // P(alive) heatmap: frequency 0 … max (at most 30) × 21 recency steps, impossible cells blank
    const grid = byClass(svgs[0], 'g', 'series')[0];
    const rowsDrawn = Math.min(30, Math.max(...customers.frequency)) + 1;
    expect(Number(grid.getAttribute('data-points')) + Number(grid.getAttribute('data-blank'))).toBe(rowsDrawn * 21);
    expect(Number(grid.getAttribute('data-blank'))).toBe(rowsDrawn - 1 + 20);
    const cells = byClass(svgs[0], 'rect', 'cell').map((c) => Number(c.getAttribute('data-value')));
    for (const v of cells) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(Number(byClass(svgs[3], 'g', 'series')[0].getAttribute('data-total'))).toBe(customers.frequency.length);
    expect(all(svgs[2], 'path').length).toBeGreaterThanOrEqual(2);
    expect(html).toContain('BG/NBD parameters');
    // the figures, as plain data
    const data = clvReportData({ customers, transactions, spend, clv, holdoutLength: 39 }, { currency: '$' });
    expect(JSON.parse(JSON.stringify(data, (_k, v) => (Number.isNaN(v) ? 'NaN' : v)))).toBeTruthy();
    expect(data.customers).toBe(customers.frequency.length);
    expect(data.repeatShare).toBeCloseTo(repeat.length / customers.frequency.length, 12);
    expect(data.clv!.total).toBeCloseTo(
      Array.from(clv).reduce((a, b) => a + b, 0),
      6,
    );
    const sorted = Array.from(clv).sort((a, b) => b - a);
    expect(data.clv!.top.map((c) => c.clv)).toEqual(sorted.slice(0, 10));
    expect(data.transactions.rows.map((r) => r.name).sort()).toEqual(Object.keys(transactions.params).sort());
    expect(data.holdout!.rows.reduce((a, r) => a + r.customers, 0)).toBe(customers.frequency.length);
    expect(html).toContain(`${(100 * data.clv!.topDecileShare).toFixed(1)}%`);
  });
});
