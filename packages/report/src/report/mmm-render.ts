// The MMM report's HTML, one function per section, from mmmReportData's figures and the fit's charts.
import type { ClassicalFit, ModelFit } from '@mmm/pipeline';
import {
  actualVsFittedChart,
  adstockChart,
  budgetChart,
  contributionsChart,
  paretoChart,
  priorPosteriorChart,
  rankChart,
  responseCurvesChart,
  roasChart,
  saturationChart,
  shareChart,
  traceChart,
} from '../mmm.js';
import { colour, esc, human } from '../svg.js';
import { forestPlot, heatmap, lineChart, scatterChart, stackedAreaChart } from '../charts.js';
import { parseDate } from '@mmm/core';
import { figure, fix, page, pct, table } from './layout.js';
import { mmmReportData, type MMMReportData, type MMMReportOptions } from './mmm-data.js';

const percent = (mass: number) => `${Math.round(mass * 100)}%`;

/** @internal */
function verdict(passed: boolean, text: string): string {
  return `<p class="verdict ${passed ? 'pass' : 'fail'}">${text}</p>`;
}

/** The fit's review first: its verdict and every check that is not a pass, with what to do. @internal */
export function reviewSection(r: MMMReportData): string {
  const v = r.review;
  if (!v) return '';
  const open = v.checks.filter((c) => c.status !== 'pass');
  const failing = open.filter((c) => c.status === 'fail').length;
  const words = {
    pass: `Review: every check passes (${v.checks.length} checks).`,
    review: `Review: ${open.length} of ${v.checks.length} checks need a look before acting on this fit.`,
    fail: `Review: do not act on this fit yet: ${failing} ${failing === 1 ? 'check fails' : 'checks fail'}.`,
  };
  let h = `<section class="card" id="review"><h2>Review</h2>`;
  h += `<p class="verdict ${v.status === 'pass' ? 'pass' : 'fail'}">${words[v.status]}</p>`;
  if (open.length)
    h += table(
      ['check', 'status', 'value', 'what it means'],
      open.map((c) => [c.id, c.status, Number.isFinite(c.value) ? fix(c.value, 3) : '–', c.message]),
    );
  h += `<p>Passed: ${v.checks
    .filter((c) => c.status === 'pass')
    .map((c) => esc(c.id))
    .join(', ')}.</p>`;
  return `${h}</section>`;
}

/** Executive summary: the gate, key figures, drivers, which channels pay back, the reallocation. @internal */
export function summarySection(r: MMMReportData): string {
  const s = r.summary;
  const iv = percent(r.interval);
  const target = esc(r.targetName);
  const share = s.media / s.totalTarget;
  let h = `<section class="card" id="summary"><h2>Executive summary</h2>`;
  if (r.gate)
    h += verdict(
      r.gate.passed,
      `Convergence gate ${r.gate.passed ? 'passed' : 'FAILED'}: ${
        r.gate.passed
          ? 'the figures below are reliable draws from the ' + 'posterior.'
          : 'treat the figures below with caution (see Diagnostics).'
      }`,
    );
  else
    h +=
      `<p>A classical ${esc(r.method)} MMM, chosen by a hyperparameter search (see Search and bootstrap); its intervals come from a ` +
      `block bootstrap, which on simulated data held the true ROAS less often than their nominal mass says (docs/classical.md).</p>`;
  h +=
    `<ul class="kpis"><li>Media share of ${target}<b>${pct(share)}</b></li><li>Largest ` +
    `driver<b>${esc(s.ranked[0])}</b></li><li>In-sample R²<b>${fix(s.r2, 3)}</b></li><li>MAPE<b>${pct(s.mape)}</b></li>`;
  if (s.uplift) h += `<li>Uplift from reallocation<b>${pct(s.uplift.relative)}</b></li>`;
  h += `</ul>`;
  const byContribution = s.ranked.map((c) => {
    const row = r.channelTable.find((x) => x.channel === c)!;
    return `${esc(c)} ${human(row.contribution)} (${pct(row.effectShare)} of the media effect on ${pct(row.spendShare)} of the spend)`;
  });
  h +=
    `<h3>What drove ${target}</h3><p>Over ${r.period.periods} periods media contributed ${human(s.media)} of ` +
    `${human(s.totalTarget)} ${target} (${pct(share)}); the rest is baseline, trend, seasonality and controls. By contribution: ` +
    `${byContribution.join('; ')}.</p>`;
  h += `<h3>Which channels pay back</h3><p>`;
  const prob = r.gate ? `with ${iv} posterior probability` : `by the ${iv} bootstrap interval`;
  h += s.payBack.length
    ? `${s.payBack.map(esc).join(', ')} return more than they cost ${prob} (ROAS interval above 1). `
    : `No channel returns more than it costs ${prob}. `;
  if (s.unsure.length)
    h += `For ${s.unsure.map(esc).join(', ')} the ${iv} ROAS interval contains 1: the data cannot tell whether they pay back. `;
  if (s.loss.length) h += `${s.loss.map(esc).join(', ')} return less than they cost (ROAS interval below 1). `;
  h += `</p>`;
  if (r.plan) {
    const into = s.increases.map((m) => `into ${esc(m.channel)} (+${pct(m.change)})`).join(', ') || 'nowhere';
    const outOf = s.decreases.map((m) => `out of ${esc(m.channel)} (${pct(m.change)})`).join(', ') || 'nowhere';
    h += `<h3>Recommended reallocation</h3><p>For the same budget per period, move spend ${into} and ${outOf}.`;
    if (s.uplift) h += ` Expected media response rises by ${human(s.uplift.absolute)} per period (${pct(s.uplift.relative)}).`;
    h += `</p>`;
  }
  return `${h}</section>`;
}

/** The channel table and the channel charts. @internal */
export function channelsSection(fit: ModelFit, r: MMMReportData): string {
  const rows = r.channelTable.map((c) => [
    c.channel,
    human(c.spend),
    human(c.contribution),
    `${fix(c.roas.mean)} [${fix(c.roas.lower)}, ${fix(c.roas.upper)}]`,
    fix(c.marginalRoas),
    pct(c.spendShare),
    pct(c.effectShare),
  ]);
  let h = `<section class="card" id="channels"><h2>Channels</h2>`;
  h += table(['channel', 'spend', 'contribution', `ROAS (${percent(r.interval)})`, 'marginal ROAS', 'spend share', 'effect share'], rows);
  h += `<div class="charts">${figure(roasChart(fit, { width: 560 }))}${figure(shareChart(fit, { width: 560 }))}</div>`;
  h += figure(actualVsFittedChart(fit, { width: 1100 }));
  h += figure(contributionsChart(fit, { width: 1100, height: 400 }));
  h += figure(
    responseCurvesChart(fit, { width: 1100, height: 420, plan: r.plan }),
    'Circles: current average spend; diamonds: suggested spend.',
  );
  h += `<div class="charts">${figure(adstockChart(fit, { width: 560 }))}${figure(saturationChart(fit, { width: 560 }))}</div>`;
  return `${h}</section>`;
}

/** The budget table, expected response and KKT verdict (empty without a plan). @internal */
export function budgetSection(fit: ModelFit, r: MMMReportData): string {
  const plan = r.plan;
  if (!plan || !r.budgetTable) return '';
  let h = `<section class="card" id="budget"><h2>Budget</h2>`;
  h += table(
    ['channel', 'current / period', 'suggested / period', 'change', 'marginal ROAS at suggestion', 'bound'],
    r.budgetTable.map((b) => [b.channel, human(b.current), human(b.suggested), pct(b.change), fix(b.marginalRoas), b.bound]),
  );
  const iv = plan.responseInterval
    ? ` (${percent(r.interval)} interval ${human(plan.responseInterval.lower)} to ${human(plan.responseInterval.upper)})`
    : '';
  const current = r.currentResponse !== undefined ? `, against ${human(r.currentResponse)} for the current mix` : '';
  const kkt = plan.kkt.satisfied
    ? 'Marginal returns are equal across the channels inside their bounds (KKT conditions hold).'
    : 'The optimality (KKT) check did not pass.';
  const w = plan.effectWindow;
  const window = w
    ? w.start === w.end
      ? ` The effects change over time: the plan uses each channel's effect in the last fitted period (${w.start}).`
      : ` The effects change over time: the plan uses each channel's mean effect from ${w.start} to ${w.end}.`
    : '';
  const left = plan.synergiesLeftOut;
  const synergies = left
    ? ` The plan adds up each channel's own response: it leaves out the synergies ${left.join(', ')} (see Interactions).`
    : '';
  h += `<p>Expected media response per period ${human(plan.expectedResponse)}${iv}${current}. ${kkt}${window}${synergies}</p>`;
  h += figure(budgetChart(fit, plan, { width: 800 }));
  return `${h}</section>`;
}

/** The gate, the posterior summary table, trace, rank and prior-vs-posterior plots. @internal */
export function diagnosticsSection(fit: ModelFit, r: MMMReportData): string {
  const g = r.gate;
  if (fit.method !== 'bayesian' || !g) return fit.method === 'bayesian' ? '' : searchSection(fit, r);
  let h = `<section class="card" id="diagnostics"><h2>Diagnostics</h2>`;
  h += verdict(
    g.passed,
    `Gate ${g.passed ? 'passed' : 'failed'}: max R-hat ${fix(g.rhatMax, 4)}, min ESS-bulk ${fix(g.essBulkMin, 0)}, min ESS-tail ` +
      `${fix(g.essTailMin, 0)}, ${g.divergences} divergent transitions, E-BFMI ${g.ebfmi.map((v) => fix(v)).join(' / ')}.`,
  );
  const e = g.earlyStop;
  if (e)
    h +=
      e.reason === 'targets met'
        ? `<p id="early-stop">Sampling stopped early at ${e.draws} of ${e.ceiling} draws per chain: at check ${e.checks} the R-hat and ` +
          'bulk and tail ESS of every sampled parameter and of the log density met their targets (the kept draws are the first ' +
          'ones of the same run without stopping).</p>'
        : `<p id="early-stop">Sampling ran to the ceiling of ${e.ceiling} draws per chain: none of ${e.checks} checks found every ` +
          'parameter at its targets.</p>';
  if (g.failures.length) h += `<ul>${g.failures.map((f) => `<li>${esc(f.name)}: ${esc(f.reasons.join('; '))}</li>`).join('')}</ul>`;
  if (g.messages.length) h += `<ul>${g.messages.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>`;
  const failing = new Set(r.failing);
  const tail = (1 - r.interval) / 2;
  h += table(
    ['parameter', 'mean', 'sd', `hdi ${percent(tail)}`, `hdi ${percent(1 - tail)}`, 'mcse mean', 'ess bulk', 'ess tail', 'r-hat'],
    r.parameters.map((p) => [
      p.name,
      human(p.mean),
      human(p.sd),
      human(p.hdi.lower),
      human(p.hdi.upper),
      human(p.mcseMean),
      fix(p.essBulk, 0),
      fix(p.essTail, 0),
      fix(p.rhat, 3),
    ]),
    (i) => (failing.has(r.parameters[i].name) ? 'bad' : undefined),
  );
  if (r.worstConverged.length)
    h +=
      `<h3>Trace and rank plots (least converged parameters)</h3><div ` +
      `class="charts">${r.worstConverged.map((nm) => figure(traceChart(fit, nm)) + figure(rankChart(fit, nm))).join('')}</div>`;
  h +=
    `<h3>Prior vs posterior</h3><div ` +
    `class="charts">${r.channelParameters.map((nm) => figure(priorPosteriorChart(fit, nm))).join('')}</div>`;
  return `${h}</section>`;
}

/** ROAS priors and lift tests the fit was calibrated with: what went in, and what the fit says back. @internal */
export function calibrationSection(r: MMMReportData): string {
  const c = r.calibration;
  if (!c) return '';
  let h = `<section class="card" id="calibration"><h2>Calibration</h2>`;
  if (c.roasPriors.length) {
    h +=
      `<p>ROAS priors: the prior is on each channel's ROAS instead of its coefficient (the coefficient follows from the ROAS and ` +
      `the curve).</p>`;
    h += table(
      ['channel', 'ROAS prior', `posterior ROAS (${percent(r.interval)})`],
      c.roasPriors.map((p) => [p.channel, p.prior, `${fix(p.posterior.mean)} [${fix(p.posterior.lower)}, ${fix(p.posterior.upper)}]`]),
    );
  }
  if (c.liftTests.length) {
    h +=
      `<p>Lift tests: each measured lift enters the likelihood with its standard error; the fitted model's implied lift for the ` +
      `same change is shown beside it.</p>`;
    h += table(
      ['channel', 'window', 'spend change', 'measured lift ± sd', `implied lift (${percent(r.interval)})`],
      c.liftTests.map((t) => [
        t.channel,
        'x' in t
          ? `steady state at ${human(t.x)} per period${t.geos ? ` in ${t.geos.length === 1 ? t.geos[0] : `${t.geos.length} geos`}` : ''}`
          : `${t.start} to ${t.end}${t.geo ? ` in ${t.geo}` : ''}`,
        'x' in t ? `${human(t.deltaX)} per period` : human(t.spendChange),
        `${human(t.lift)} ± ${human(t.sd)}`,
        `${human(t.implied.mean)} [${human(t.implied.lower)}, ${human(t.implied.upper)}]`,
      ]),
    );
  }
  return `${h}</section>`;
}

/** Classical fits: the hyperparameter search (Pareto front, chosen candidate) and the bootstrap behind the intervals. @internal */
export function searchSection(fit: ClassicalFit, r: MMMReportData): string {
  const sr = fit.search;
  const best = sr.candidates[sr.chosen];
  const validation =
    'holdout' in sr.validation
      ? `a final holdout of ${sr.validation.holdout} periods`
      : `${sr.validation.folds}-fold time-series cross-validation`;
  let h = `<section class="card" id="search"><h2>Search and bootstrap</h2>`;
  h +=
    `<p>${esc(r.method)} regression on the channels' adstocked and saturated spend, trend, seasonality and controls. A ` +
    `${esc(sr.strategy)} search evaluated ${sr.candidates.length.toLocaleString('en')} candidates (each channel's curve parameters and ` +
    `the penalty), each scored by ${validation} (NRMSE over the test periods) and by DECOMP.RSSD (the distance between the channels' ` +
    `effect and spend shares, Robyn's second objective). ${sr.front.length} candidates are Pareto-optimal; the chosen one (rule: ` +
    `${esc(sr.select)}) has validation NRMSE ${fix(best.nrmse, 4)}, DECOMP.RSSD ${fix(best.decompRssd, 3)}, in-sample R² ` +
    `${fix(best.r2, 3)} and penalty ${human(best.penalty)}.</p>`;
  h += figure(paretoChart(fit, { width: 760 }));
  h += table(
    ['parameter', 'chosen', 'searched range'],
    sr.parameterNames.map((n, k) => [n, fix(best.curves[k], 3), `${fix(sr.ranges[k][0], 2)} – ${fix(sr.ranges[k][1], 2)}`]),
  );
  h +=
    `<p>Intervals: ${percent(r.interval)} percentile intervals of ${fit.bootstrap.resamples} moving-block bootstrap refits (blocks ` +
    `of ${fit.bootstrap.blockLength} periods), each choosing its curves among the candidates of least validation error. ` +
    (fit.diagnostics.coverage
      ? `On simulated data with known truth this method's ${percent(fit.diagnostics.coverage.nominal)} intervals held the true ` +
        `ROAS ${percent(fit.diagnostics.coverage.measured)} of the time (${fit.diagnostics.coverage.count} channel ROAS; ` +
        'docs/classical.md).</p>'
      : 'How often these intervals hold the truth was not measured for this setting (docs/classical.md).</p>');
  return `${h}</section>`;
}

/** Geo fits: ROAS by geo × channel (heat map and table), the geos that differ most, small multiples, pooling. @internal */
export function geoSection(fit: ModelFit, r: MMMReportData): string {
  const g = r.geo;
  if (!g || !fit.geos || !fit.panel) return '';
  const channels = r.channels;
  let h = `<section class="card" id="geos"><h2>Geos</h2>`;
  const pooled = channels.filter((c) => g.pooling.scatter[c]);
  const unpooled = channels.filter((c) => !g.pooling.scatter[c]);
  const heldOut = fit.spec.unpooled?.geos ?? [];
  const scatter = (c: string) => g.pooling.scatter[c];
  const scatters = pooled.map((c) => `${esc(c)} η ${fix(scatter(c).mean, 3)} [${fix(scatter(c).lower, 3)}, ${fix(scatter(c).upper, 3)}]`);
  const populations =
    g.populationSource === 'mean target' ? 'none given, each geo scaled by its mean target' : `from the ${g.populationSource}`;
  h +=
    `<p>${g.geos.length} geos, partially pooled: the geo baselines spread with sd ${fix(g.pooling.baselineSd.mean, 3)} ` +
    `[${fix(g.pooling.baselineSd.lower, 3)}, ${fix(g.pooling.baselineSd.upper, 3)}] (units of the mean per-capita ` +
    `target)${pooled.length ? `; each channel's geo effects scatter around the national one by a factor exp(±η): ` : ''}` +
    `${scatters.join('; ')}` +
    `${unpooled.length ? `; not pooled (each geo its own effect): ${unpooled.map(esc).join(', ')}` : ''}` +
    `${heldOut.length ? `; held out of pooling: ${heldOut.map(esc).join(', ')}` : ''}` +
    `${fit.spec.geoTrend ? '; a trend per geo, pooled around the national slope' : ''}. Populations: ${esc(populations)}.</p>`;
  const values = g.geos.map((geo) => channels.map((c) => fit.geos![geo].channels[c]?.roas.mean ?? Number.NaN));
  h += figure(
    heatmap(
      { rows: g.geos.map((_, k) => k + 1), columns: channels.map((_, k) => k + 1), values },
      {
        title: 'ROAS by geo (rows) and channel (columns), in the table order',
        xLabel: 'channel',
        yLabel: 'geo',
        width: 760,
        format: (v) => fix(v),
      },
    ),
  );
  h += table(
    ['geo', ...channels.map((c) => `${c} ROAS (${percent(r.interval)})`), 'R²', 'MAPE'],
    g.geos.map((geo, k) => [
      geo,
      ...channels.map((c) => {
        const x = fit.geos![geo].channels[c];
        return x ? `${fix(x.roas.mean)} [${fix(x.roas.lower)}, ${fix(x.roas.upper)}]` : '–';
      }),
      fix(g.fit[k].r2, 3),
      pct(g.fit[k].mape),
    ]),
  );
  const different = g.mostDifferent.map((m) => `${esc(m.geo)}: ${esc(m.channel)} at ${fix(m.ratio)}× the national ROAS`);
  if (different.length) h += `<h3>Geos whose effects differ most from the national ones</h3><p>${different.join('; ')}.</p>`;
  const x = fit.data.dates.map(parseDate);
  h += `<h3>Actual vs fitted, largest geos</h3><div class="charts">${g.largest
    .map((geo) => {
      const k = fit.panel!.geos.indexOf(geo);
      const f = fit.geos![geo].contributions.fitted;
      return figure(
        lineChart(
          [
            { name: 'fitted', x, y: f.mean, band: { lower: f.lower, upper: f.upper }, colour: colour(0) },
            { name: 'actual', x, y: fit.panel!.target[k], colour: '#222' },
          ],
          [],
          { title: geo, time: true, width: 360, height: 240 },
        ),
      );
    })
    .join('')}</div>`;
  return `${h}</section>`;
}

/** Fits whose effects change over time: each channel's multiplier over time, its largest change, its ROAS per year. @internal */
export function effectsOverTimeSection(fit: ModelFit, r: MMMReportData): string {
  const e = r.effectsOverTime;
  if (!e) return '';
  let h = `<section class="card" id="effects-over-time"><h2>Effects over time</h2>`;
  const lead =
    e.mode === 'shared' ? "One multiplier moves every channel's effect together" : "Each channel's effect moves with its own multiplier";
  h +=
    `<p>${lead}: ` +
    `the effect in period t is β·m_t, m a smooth Gaussian process whose mean log over the fitted periods is 0 (so 1.5 means 50% ` +
    `above the channel's typical effect). Budgets, response curves and plans use the multiplier of the last fitted period.</p>`;
  const x = fit.data.dates.map(parseDate);
  const charted = e.changes.filter((c) => fit.channels[c.channel].effectOverTime);
  h += `<div class="charts">${charted
    .map((c, k) => {
      const m = fit.channels[c.channel].effectOverTime!;
      return figure(
        lineChart([{ name: 'multiplier', x, y: m.mean, band: { lower: m.lower, upper: m.upper }, colour: colour(k) }], [], {
          title: `${c.channel}: effect multiplier (${percent(r.interval)} band)`,
          time: true,
          width: 360,
          height: 220,
        }),
      );
    })
    .join('')}</div>`;
  h += table(
    ['channel', 'largest quarterly change', `ratio (${percent(r.interval)})`, 'P(increase)', 'verdict'],
    e.changes.map((c) => [
      c.channel,
      c.constant ? 'held constant by the model' : `${c.before[0]} → ${c.after[0]}`,
      c.constant ? '–' : `${fix(c.ratio.mean)} [${fix(c.ratio.lower)}, ${fix(c.ratio.upper)}]`,
      c.constant ? '–' : pct(c.probabilityIncrease),
      c.label,
    ]),
  );
  const years = e.roasByYear[0]?.years ?? [];
  if (years.length)
    h += table(
      ['channel', ...years.map((y) => `ROAS ${y.start} – ${y.end}`)],
      e.roasByYear.map((c) => [c.channel, ...c.years.map((y) => `${fix(y.roas.mean)} [${fix(y.roas.lower)}, ${fix(y.roas.upper)}]`)]),
    );
  return `${h}</section>`;
}

/**
 * Fits with reach-and-frequency channels: each one's steady-state ROAS by frequency (its band, the optimal frequency
 * and the data's average marked) and a table of the data's frequencies, cost per thousand impressions and the optimal
 * frequency with its interval. @internal
 */
export function reachFrequencySection(fit: ModelFit, r: MMMReportData): string {
  const list = Object.entries(fit.channels).filter(([, c]) => c.reachFrequency && c.optimalFrequency);
  if (!list.length) return '';
  const iv = percent(r.interval);
  let h = `<section class="card" id="reach-frequency"><h2>Reach and frequency</h2>`;
  h +=
    `<p>A reach-and-frequency channel's effect is β·adstock(reach·Hill(frequency)): each person reached adds less with each ` +
    `further exposure. The optimal frequency maximises the response per impression (Hill(f)/f); a draw whose curve is ` +
    `concave in frequency counts 0. The charts show the steady-state ROAS if the channel's average spend bought impressions at ` +
    `its average cost, delivered at each frequency. Budgets and plans deliver at the optimal frequency within the data's range.</p>`;
  h += `<div class="charts">${list
    .map(([name, c], k) => {
      const rf = c.reachFrequency!;
      const roas = rf.responseByFrequency.roas;
      const at = (f: number) => {
        const grid = rf.responseByFrequency.frequency;
        let j = 0;
        for (let i = 1; i < grid.length; i++) if (Math.abs(grid[i] - f) < Math.abs(grid[j] - f)) j = i;
        return roas[j].mean;
      };
      const opt = Math.max(1, Math.min(c.optimalFrequency!.mean, rf.responseByFrequency.frequency.at(-1)!));
      return figure(
        lineChart(
          [
            {
              name: 'ROAS',
              x: rf.responseByFrequency.frequency,
              y: roas.map((e) => e.mean),
              band: { lower: roas.map((e) => e.lower), upper: roas.map((e) => e.upper) },
              colour: colour(k),
            },
          ],
          [
            { label: 'optimal frequency (mean)', x: opt, y: at(opt), shape: 'diamond' },
            { label: "the data's average frequency", x: rf.averageFrequency, y: at(rf.averageFrequency) },
          ],
          {
            title: `${name}: ROAS by frequency (${iv} band)`,
            xLabel: 'frequency (exposures per person reached)',
            width: 360,
            height: 240,
            markerLegend: [
              { label: 'optimal frequency (mean)', colour: colour(k), shape: 'diamond' },
              { label: 'average frequency in the data', colour: colour(k), shape: 'circle' },
            ],
          },
        ),
      );
    })
    .join('')}</div>`;
  h += table(
    ['channel', 'average frequency', 'largest frequency', 'cost per 1,000 impressions', `optimal frequency (${iv})`],
    list.map(([name, c]) => {
      const rf = c.reachFrequency!;
      const o = c.optimalFrequency!;
      return [
        name,
        fix(rf.averageFrequency),
        fix(rf.maxFrequency),
        human(1000 * rf.costPerImpression),
        `${fix(o.mean)} [${fix(o.lower)}, ${fix(o.upper)}]`,
      ];
    }),
  );
  return `${h}</section>`;
}

/**
 * Fits with organic media or non-media treatments: each one's contribution over time (with its band) and its total,
 * and a treatment's effect from its smallest to its largest value; organic media have no ROAS. @internal
 */
export function organicSection(fit: ModelFit, r: MMMReportData): string {
  const organic = Object.entries(fit.organic ?? {});
  const treatments = Object.entries(fit.treatments ?? {});
  if (!organic.length && !treatments.length) return '';
  const iv = percent(r.interval);
  let h = `<section class="card" id="organic-treatments"><h2>Organic media and treatments</h2>`;
  h +=
    `<p>Organic media (exposures without spend) have their own carry-over and saturation; their contribution is measured, ` +
    `but they have no ROAS and budgets leave them as they are. Treatments (price, promotions) are effects, unlike ` +
    `controls, which only adjust: each contribution is relative to the treatment's smallest value.</p>`;
  const x = fit.data.dates.map(parseDate);
  const names = [...organic, ...treatments].map(([n]) => n);
  h += `<div class="charts">${names
    .map((n, k) => {
      const c = fit.contributions.terms?.[n];
      if (!c) return '';
      return figure(
        lineChart([{ name: n, x, y: c.mean, band: { lower: c.lower, upper: c.upper }, colour: colour(k) }], [], {
          title: `${n}: contribution (${iv} band)`,
          time: true,
          width: 360,
          height: 220,
        }),
      );
    })
    .join('')}</div>`;
  const range = (e: { mean: number; lower: number; upper: number }) => `${human(e.mean)} [${human(e.lower)}, ${human(e.upper)}]`;
  h += table(
    ['name', 'kind', `total contribution (${iv})`, `effect per period, smallest to largest value (${iv})`],
    [
      ...organic.map(([n, o]) => [n, 'organic media', range(o.contribution), '–']),
      ...treatments.map(([n, t]) => [n, 'treatment', range(t.contribution), range(t.effect)]),
    ],
  );
  return `${h}</section>`;
}

/** Fits with interaction terms: each one's contribution over time and its totals. @internal */
export function interactionsSection(fit: ModelFit, r: MMMReportData): string {
  const list = r.interactions;
  if (!list?.length) return '';
  let h = `<section class="card" id="interactions"><h2>Interactions</h2>`;
  h +=
    `<p>Each interaction is its own term: with the season, the channel's saturated curve times the Fourier terms (its effect ` +
    `rising in some weeks of the year and falling in others); with another channel, a synergy δ·s_a·s_b on the two saturated ` +
    `curves (positive when the channels work better together). Their contributions are not in the channels' own ROAS.</p>`;
  const x = fit.data.dates.map(parseDate);
  h += `<div class="charts">${list
    .map((it, k) => {
      const c = fit.contributions.terms?.[it.name];
      if (!c) return '';
      return figure(
        lineChart([{ name: it.name, x, y: c.mean, band: { lower: c.lower, upper: c.upper }, colour: colour(k) }], [], {
          title: `${it.name}: contribution (${percent(r.interval)} band)`,
          time: true,
          width: 360,
          height: 220,
        }),
      );
    })
    .join('')}</div>`;
  h += table(
    ['interaction', `total contribution (${percent(r.interval)})`, "over the channel's own contribution"],
    list.map((it) => [
      it.name,
      `${human(it.contribution.mean)} [${human(it.contribution.lower)}, ${human(it.contribution.upper)}]`,
      `${pct(it.relative.mean)} [${pct(it.relative.lower)}, ${pct(it.relative.upper)}]`,
    ]),
  );
  return `${h}</section>`;
}

/**
 * A plan over time (`planSchedule`): the spend per period stacked by channel, the response the plan causes per period
 * with its band beside the data's carry-over, and per channel its spend, response and ROAS. @internal
 */
export function scheduleSection(r: MMMReportData): string {
  const p = r.schedule;
  if (!p) return '';
  const iv = percent(r.interval);
  const names = Object.keys(p.spend);
  const x = p.dates.map(parseDate);
  const all = [...p.dates, ...p.tailDates].map(parseDate);
  const H = p.dates.length;
  let h = `<section class="card" id="schedule"><h2>Plan over time</h2>`;
  const cmp = p.compare ? `, ${pct(p.compare.uplift.relative)} over the compared schedule (${human(p.compare.incremental.mean)})` : '';
  h +=
    `<p>${human(p.budget)} over ${H} periods (${esc(p.dates[0])} to ${esc(p.dates[H - 1])}): the plan causes ` +
    `${human(p.incremental.mean)} of ${esc(r.targetName)} [${human(p.incremental.lower)}, ${human(p.incremental.upper)}] ` +
    `(${iv}), a return of ${fix(p.roas.mean, 2)} per unit spent${cmp}. Optimality conditions ` +
    `${p.kkt.satisfied ? 'met' : 'NOT met'} (largest relative gap between marginal returns ` +
    `${p.kkt.maxRelativeDeviation.toExponential(1)}).</p>`;
  h += `<div class="charts">`;
  h += figure(
    stackedAreaChart(
      x,
      names.map((c, k) => ({ name: c, values: p.spend[c], colour: colour(k) })),
      undefined,
      { title: 'Spend per period by channel', width: 420, height: 240 },
    ),
  );
  h += figure(
    lineChart(
      [
        {
          name: 'caused by the plan',
          x: all,
          y: p.byPeriod.mean,
          band: { lower: p.byPeriod.lower, upper: p.byPeriod.upper },
          colour: colour(0),
        },
        { name: "the data's carry-over", x, y: p.carryOver.mean, colour: colour(1), dashed: true },
      ],
      [],
      { title: `Response per period (${iv} band; the tail after the plan included)`, time: true, yZero: true, width: 420, height: 240 },
    ),
  );
  h += `</div>`;
  h += table(
    ['channel', 'spend', `response caused (${iv})`, `ROAS (${iv})`],
    names.map((c) => {
      const ch = p.channels[c];
      return [
        c,
        human(ch.spend),
        `${human(ch.incremental.mean)} [${human(ch.incremental.lower)}, ${human(ch.incremental.upper)}]`,
        ch.spend > 0 ? `${fix(ch.roas.mean, 2)} [${fix(ch.roas.lower, 2)}, ${fix(ch.roas.upper, 2)}]` : '–',
      ];
    }),
  );
  h += `<ul>${p.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`;
  return `${h}</section>`;
}

/**
 * The lift tests to run next (`designExperiments`): the best designs with their expected lift, power, narrowing of the
 * channel's ROAS interval and value of information, and the narrowing against the spend each test moves. @internal
 */
export function experimentsSection(r: MMMReportData): string {
  const e = r.experiments;
  if (!e || e.designs.length === 0) return '';
  const iv = percent(r.interval);
  const top = e.designs.slice(0, 10);
  const change = (d: (typeof top)[number]) => (d.deltaX === -d.x ? 'go dark' : `${d.deltaX > 0 ? '+' : ''}${pct(d.deltaX / d.x)}`);
  // geo fits: where each test runs (all geos, or a set named in the table's title attribute)
  const geoCount = r.geo?.geos.length;
  const where = (d: (typeof top)[number]) =>
    !d.geos ? '' : d.geos.length === geoCount ? `all ${geoCount} geos` : d.geos.length <= 3 ? d.geos.join(', ') : `${d.geos.length} geos`;
  let h = `<section class="card" id="experiments"><h2>Which experiment next</h2>`;
  const b = top[0];
  h +=
    `<p>Of ${e.designs.length} candidate lift tests, the one expected to teach most: ${esc(b.channel)}, ${change(b)} ` +
    (b.geos ? `in ${esc(where(b))}${b.geos.length < (geoCount ?? 0) ? ` (${esc(b.geos.join(', '))})` : ''} ` : '') +
    `(${human(b.deltaX)} per period) for ${b.periods} periods. It should narrow ${esc(b.channel)}'s ${iv} ROAS interval ` +
    `${fix(b.expectedNarrowing, 2)}× on the log scale (${fix(b.narrowingRange[0], 2)}× to ${fix(b.narrowingRange[1], 2)}× ` +
    `depending on what it finds) and detect a lift with probability ${pct(b.power)}. Predicted from the fit's ${e.draws} draws, ` +
    `weighted by each simulated outcome's likelihood.</p>`;
  const refit = r.experimentRefit;
  if (refit)
    h +=
      `<p>Checked by refitting: with ${refit.outcomes.length} simulated results of ${esc(refit.channel)}'s test, each added as a ` +
      `lift test and the model refitted, the ROAS interval narrowed ${fix(refit.narrowing, 2)}× (geometric mean; each ` +
      `${refit.outcomes.map((o) => `${fix(o.narrowing, 2)}×`).join(', ')}) against the ${fix(refit.expectedNarrowing, 2)}× ` +
      `predicted${refit.failedGates ? `; ${refit.failedGates} of the refits did not pass the convergence gate` : ''}.</p>`;
  h += figure(
    scatterChart(
      [...new Set(e.designs.map((d) => d.channel))].map((c, k) => {
        const mine = e.designs.filter((d) => d.channel === c);
        return { name: c, x: mine.map((d) => Math.abs(d.deltaX) * d.periods), y: mine.map((d) => d.expectedNarrowing), colour: colour(k) };
      }),
      [],
      { title: 'Expected narrowing of the ROAS interval against the spend the test moves', width: 520, height: 260 },
    ),
  );
  h += table(
    [
      'channel',
      ...(geoCount ? ['geos'] : []),
      'change',
      'periods',
      `expected lift (${iv})`,
      'sd',
      'power',
      'narrowing',
      'value of information / period',
      '',
    ],
    top.map((d) => [
      d.channel,
      ...(geoCount ? [where(d)] : []),
      change(d),
      String(d.periods),
      `${human(d.expectedLift.mean)} [${human(d.expectedLift.lower)}, ${human(d.expectedLift.upper)}]`,
      human(d.sd),
      pct(d.power),
      `${fix(d.expectedNarrowing, 2)}×`,
      d.valueOfInformation === undefined ? '–' : human(d.valueOfInformation),
      d.warning ? 'few effective draws: check by refitting' : '',
    ]),
  );
  h += `<ul>${e.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`;
  return `${h}</section>`;
}

/**
 * Customer value (`fitCustomerValue`): per channel the incremental new customers, the cost per new customer, the value
 * of a new customer over the horizon, and LTV-ROAS beside the first-purchase ROAS a sales MMM would credit; the cohorts'
 * value over time. @internal
 */
export function customerValueSection(r: MMMReportData): string {
  const v = r.customerValue;
  if (!v) return '';
  const iv = percent(r.interval);
  const names = Object.keys(v.channels);
  const e = (x: { mean: number; lower: number; upper: number }) => `${human(x.mean)} [${human(x.lower)}, ${human(x.upper)}]`;
  let h = `<section class="card" id="customer-value"><h2>Customer value</h2>`;
  const how =
    v.method === 'acquisition'
      ? "each channel's customers have their own BG/NBD and Gamma-Gamma fits (the acquisition channel was given)"
      : "each channel's value per customer comes from a regression of the weekly cohorts' value on the MMM's shares of their new customers";
  h +=
    `<p>Channels valued by the customers they bring over ${v.horizonMonths} months, first purchase included: an MMM of new ` +
    `customers says how many each channel added; ${how}. LTV-ROAS is incremental customers × value per customer / spend; ` +
    `first-purchase ROAS counts only the first order, as a sales MMM would in the week of the spend.</p>`;
  const rows = names.flatMap((c) => [
    { label: `${c} · LTV`, ...v.channels[c].ltvRoas },
    { label: `${c} · first purchase`, ...v.channels[c].firstPurchaseRoas },
  ]);
  if (rows.every((x) => [x.mean, x.lower, x.upper].every(Number.isFinite)))
    h += figure(forestPlot(rows, { title: `LTV-ROAS and first-purchase ROAS, ${iv}`, reference: 1, width: 560 }));
  h += table(
    ['channel', 'spend', `new customers (${iv})`, 'cost per new customer', 'value per customer', 'LTV-ROAS', 'first-purchase ROAS'],
    names.map((c) => {
      const x = v.channels[c];
      return [c, human(x.spend), e(x.newCustomers), e(x.costPerAcquisition), e(x.valuePerCustomer), e(x.ltvRoas), e(x.firstPurchaseRoas)];
    }),
  );
  const seen = v.dates.map((d, t) => ({ x: parseDate(d), y: v.cohorts.value[t] })).filter((p) => Number.isFinite(p.y));
  if (seen.length > 1)
    h += figure(
      lineChart([{ name: 'cohort value', x: seen.map((p) => p.x), y: seen.map((p) => p.y), colour: colour(0) }], [], {
        title: `Mean value of each period's new customers over ${v.horizonMonths} months (cohorts observed in full)`,
        width: 560,
        height: 220,
        time: true,
      }),
    );
  if (v.warnings.length) h += `<ul>${v.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`;
  return `${h}</section>`;
}

/** The data report on the fitted data: periods per parameter, warnings, VIF and dark periods. @internal */
export function dataChecksSection(r: MMMReportData): string {
  const c = r.dataChecks;
  let h = `<section class="card" id="data-checks"><h2>Data checks</h2>`;
  h += `<p>${c.periods} periods for ${c.parameters} parameters (${fix(c.periods / c.parameters, 1)} per parameter).</p>`;
  h += c.warnings.length
    ? `<ul>${c.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`
    : '<p>No warnings: no strongly correlated channels, no near-constant columns, no channel dark most of the time.</p>';
  h += table(
    ['channel', 'VIF', 'share of periods without spend'],
    c.channels.map((x) => [x.channel, fix(x.vif, 1), pct(x.zeroShare)]),
  );
  return `${h}</section>`;
}

/** The model and sampler settings. @internal */
export function settingsSection(r: MMMReportData): string {
  const s = r.settings;
  let h = `<section class="card" id="settings"><h2>Model settings</h2>`;
  h += table(
    ['channel', 'adstock', 'max lag', 'saturation', 'coefficient prior'],
    s.channels.map((c) => [c.channel, c.adstock, String(c.maxLag), c.saturation, c.coefficientPrior]),
  );
  h +=
    `<p>Geo: ${esc(s.geo)}. Controls: ${esc(s.controls.join(', ') || 'none')}. Seasonality: ${esc(s.seasonality)}. Trend: ` +
    `${esc(s.trend)}. Likelihood: ${esc(s.likelihood)}. Target scaled by its mean (${human(s.yScale)}), media by each channel's ` +
    `maximum.</p>`;
  const p = s.sampler;
  const t = s.timing;
  if (!('chains' in p))
    return (
      `${h}<p>Estimated by ${esc(r.method)} regression with a hyperparameter search and a block bootstrap (seed ${p.seed}). Wall ` +
      `time ${fix(t.totalSeconds, 1)} s (search ${fix(t.warmupSeconds, 1)} s, bootstrap and summaries ${fix(t.samplingSeconds, 1)} ` +
      `s).</p></section>`
    );
  h +=
    `<p>Sampler: NUTS, ${p.chains} chains × (${p.warmup} warmup + ${p.draws} draws), seed ${p.seed}, target acceptance ` +
    `${p.targetAccept}. Wall time ${fix(t.totalSeconds, 1)} s (warmup ${fix(t.warmupSeconds, 1)} s, sampling ` +
    `${fix(t.samplingSeconds, 1)} s), ${t.gradientEvaluations.toLocaleString('en')} gradient evaluations.</p>`;
  return `${h}</section>`;
}

/**
 * One self-contained HTML page for a fitted MMM: an executive summary (what drove the target, which channels pay back,
 * the suggested reallocation and its expected uplift), the channels, the budget, the convergence gate and diagnostics
 * table, data checks and the model settings, with every chart (actual vs fitted, contributions, shares, ROAS, response,
 * adstock and saturation curves, budget, prior vs posterior, trace and rank plots). The figures come from
 * {@link mmmReportData}.
 */
export function renderMMMReport(fit: ModelFit, options: MMMReportOptions = {}): string {
  const r = mmmReportData(fit, options);
  const header =
    `<h1>${esc(r.title)}</h1><p class="sub">${esc(r.period.from)} to ${esc(r.period.to)} · ${r.period.periods} periods · ` +
    `${r.channels.length} channels · ${percent(r.interval)} ${r.method === 'bayesian' ? 'credible' : 'bootstrap'} intervals</p>`;
  return page(
    r.title,
    header +
      reviewSection(r) +
      summarySection(r) +
      channelsSection(fit, r) +
      calibrationSection(r) +
      geoSection(fit, r) +
      effectsOverTimeSection(fit, r) +
      reachFrequencySection(fit, r) +
      organicSection(fit, r) +
      interactionsSection(fit, r) +
      budgetSection(fit, r) +
      scheduleSection(r) +
      experimentsSection(r) +
      customerValueSection(r) +
      diagnosticsSection(fit, r) +
      dataChecksSection(r) +
      settingsSection(r),
  );
}
