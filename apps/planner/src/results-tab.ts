// Step 3: what the fit says: performance, contributions (stacked and as a waterfall), ROAS and marginal ROAS with
// intervals, response curves with current and suggested spend, carry-over and saturation, and geos.
import { channelStability, quarterPeriods, reviewFit, type MMMFit, type ModelFit } from '@mmm/pipeline';
import {
  actualVsFittedChart,
  adstockChart,
  contributionWaterfallChart,
  contributionsChart,
  heatmap,
  lineChart,
  responseCurvesChart,
  roasChart,
  saturationChart,
  shareChart,
} from '@mmm/report';
import { state } from './state.js';
import { $, fmt, pct, table } from './ui.js';

const W = 1100;

export function renderResults(fit: MMMFit): void {
  $('no-fit').hidden = true;
  $('results').hidden = false;
  const iv = `${Math.round(100 * fit.settings.interval)}%`;
  renderPerformance(fit);
  $('perf-charts').innerHTML = actualVsFittedChart(fit, { width: W });
  $('contrib-charts').innerHTML = contributionsChart(fit, { width: W }) + contributionWaterfallChart(fit, { width: W });
  const names = fit.spec.channels.map((c) => c.name);
  $('roas-table').innerHTML = table(
    ['channel', 'spend', 'contribution', 'ROAS', `${iv} interval`, 'marginal ROAS', `${iv} interval`, 'effect share', 'spend share'],
    names.map((n) => {
      const c = fit.channels[n];
      return [
        n,
        fmt(c.spend),
        fmt(c.contribution.mean),
        c.roas.mean.toFixed(2),
        `[${c.roas.lower.toFixed(2)}, ${c.roas.upper.toFixed(2)}]`,
        c.marginalRoas.mean.toFixed(2),
        `[${c.marginalRoas.lower.toFixed(2)}, ${c.marginalRoas.upper.toFixed(2)}]`,
        pct(c.effectShare),
        pct(c.spendShare),
      ];
    }),
    'id="roas-table-el"',
  );
  $('roas-charts').innerHTML = roasChart(fit, { width: 540 }) + shareChart(fit, { width: 540 });
  if (fit.method === 'gbdt')
    $('curve-charts').innerHTML =
      '<p class="muted">A gradient-boosted benchmark has no response, carry-over or saturation curves: its ROAS are TreeSHAP attributions of a non-causal model. Use it to compare predictive accuracy; plan with a Bayesian or classical fit.</p>';
  else renderCurves(fit);
  renderReview(fit);
  renderEffects(fit);
  renderReachFrequency(fit);
  renderOrganic(fit);
  renderInteractions(fit);
  const geo = $('geo-section');
  geo.hidden = !fit.geos || !fit.panel;
  if (fit.geos && fit.panel) {
    const geos = fit.panel.geos;
    const values = geos.map((g) => names.map((n) => fit.geos![g].channels[n]?.roas.mean ?? Number.NaN));
    $('geo-content').innerHTML =
      `<div class="chart">${heatmap({ rows: geos.map((_, k) => k + 1), columns: names.map((_, k) => k + 1), values }, { title: `ROAS by geo (rows, in the table's order) and channel (columns: ${names.join(', ')})`, xLabel: 'channel', yLabel: 'geo', width: W, format: (v) => v.toFixed(2) })}</div>` +
      table(
        ['geo', ...names.map((n) => `${n} ROAS`), 'R²'],
        geos.map((g) => [
          g,
          ...names.map((n) => {
            const c = fit.geos![g].channels[n];
            return `${c.roas.mean.toFixed(2)} [${c.roas.lower.toFixed(2)}, ${c.roas.upper.toFixed(2)}]`;
          }),
          fit.geos![g].fit.r2.toFixed(3),
        ]),
        'id="geo-table"',
      );
  }
}

/** Fits whose effects change over time: each channel's multiplier with its band, and which channel changed most between quarters. */
export function renderEffects(fit: MMMFit): void {
  const section = $('effects-section');
  const changing = fit.spec.channels.map((c) => c.name).filter((n) => fit.channels[n].effectOverTime);
  section.hidden = fit.method !== 'bayesian' || changing.length === 0;
  if (section.hidden) {
    $('effects-content').innerHTML = '';
    return;
  }
  const x = fit.data.dates.map((d) => Date.parse(`${d}T00:00:00Z`));
  const charts = changing
    .map((n, k) => {
      const m = fit.channels[n].effectOverTime!;
      return `<div class="chart">${lineChart([{ name: n, x, y: m.mean, band: { lower: m.lower, upper: m.upper }, colour: ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'][k % 5] }], [], { title: `${n}: effect multiplier`, time: true, width: 540, height: 240 })}</div>`;
    })
    .join('');
  const result = fit.data.dates.length >= 2 * quarterPeriods(fit) ? channelStability(fit, { maxDraws: 400 }) : undefined;
  $('effects-content').innerHTML =
    `<p class="muted">The effect in period t is β·m_t; m's mean log over the fitted periods is 0. Budgets use the multiplier of the last fitted period.</p><div class="charts">${charts}</div>` +
    (result
      ? table(
          ['channel', 'largest quarterly change', 'ratio', 'interval', 'P(increase)', 'verdict'],
          Object.entries(result).map(([n, r]) => [
            n,
            r.constant ? 'held constant' : `${r.before[0]} → ${r.after[0]}`,
            r.constant ? '1' : r.ratio.mean.toFixed(2),
            r.constant ? '–' : `[${r.ratio.lower.toFixed(2)}, ${r.ratio.upper.toFixed(2)}]`,
            r.constant ? '–' : pct(r.probabilityIncrease),
            r.label,
          ]),
          'id="stability-table"',
        )
      : '');
}

/**
 * Fits with reach-and-frequency channels: each one's steady-state ROAS by frequency with its band, and the optimal
 * frequency (with its interval) beside the data's average.
 */
export function renderReachFrequency(fit: MMMFit): void {
  const section = $('rf-section');
  const list = Object.entries(fit.channels).filter(([, c]) => c.reachFrequency && c.optimalFrequency);
  section.hidden = list.length === 0;
  if (section.hidden) {
    $('rf-content').innerHTML = '';
    return;
  }
  const charts = list
    .map(([n, c]) => {
      const r = c.reachFrequency!.responseByFrequency;
      return `<div class="chart">${lineChart(
        [
          {
            name: 'ROAS',
            x: r.frequency,
            y: r.roas.map((e) => e.mean),
            band: { lower: r.roas.map((e) => e.lower), upper: r.roas.map((e) => e.upper) },
          },
        ],
        [],
        {
          title: `${n}: ROAS by frequency`,
          xLabel: 'frequency (exposures per person reached)',
          // one chart takes the row (the grid would stretch a narrow one and its lettering with it)
          width: list.length === 1 ? W : 540,
          height: list.length === 1 ? 320 : 240,
        },
      )}</div>`;
    })
    .join('');
  $('rf-content').innerHTML =
    '<p class="muted">The effect is β·adstock(reach·Hill(frequency)). The optimal frequency maximises the response per impression; budgets deliver spend at it (within the data\'s range).</p>' +
    `<div class="charts">${charts}</div>` +
    table(
      ['channel', 'optimal frequency', 'interval', "the data's average frequency", 'largest frequency', 'cost per 1,000 impressions'],
      list.map(([n, c]) => {
        const o = c.optimalFrequency!;
        const rf = c.reachFrequency!;
        return [
          n,
          o.mean.toFixed(2),
          `[${o.lower.toFixed(2)}, ${o.upper.toFixed(2)}]`,
          rf.averageFrequency.toFixed(2),
          rf.maxFrequency.toFixed(2),
          fmt(1000 * rf.costPerImpression),
        ];
      }),
      'id="rf-table"',
    );
}

/** Fits with organic media or treatments: each one's total contribution with its interval, and a treatment's effect. */
export function renderOrganic(fit: MMMFit): void {
  const section = $('organic-section');
  const organic = Object.entries(fit.method === 'gbdt' ? {} : (fit.organic ?? {}));
  const treatments = Object.entries(fit.method === 'gbdt' ? {} : (fit.treatments ?? {}));
  section.hidden = organic.length + treatments.length === 0;
  if (section.hidden) {
    $('organic-content').innerHTML = '';
    return;
  }
  const range = (e: { mean: number; lower: number; upper: number }) => `${fmt(e.mean)} [${fmt(e.lower)}, ${fmt(e.upper)}]`;
  $('organic-content').innerHTML =
    '<p class="muted">Organic media have their own carry-over and saturation, a contribution and no ROAS; budgets leave them as they are. A treatment\'s contribution is relative to its smallest value.</p>' +
    table(
      ['name', 'kind', 'total contribution', 'effect per period, smallest to largest value'],
      [
        ...organic.map(([n, o]) => [n, 'organic media', range(o.contribution), '–']),
        ...treatments.map(([n, t]) => [n, 'treatment', range(t.contribution), range(t.effect)]),
      ],
      'id="organic-table"',
    );
}

/** The fit's review (reviewFit): its verdict and each check that is not a pass, with what to do. */
export function renderReview(fit: MMMFit): void {
  const section = $('review-section');
  section.hidden = fit.method === 'gbdt';
  if (fit.method === 'gbdt') return;
  const review = reviewFit(fit);
  const open = review.checks.filter((c) => c.status !== 'pass');
  const verdict = $('review-verdict');
  verdict.className = `verdict ${review.status === 'pass' ? 'pass' : 'fail'}`;
  verdict.textContent =
    review.status === 'pass'
      ? `Every check passes (${review.checks.length} checks).`
      : review.status === 'review'
        ? `${open.length} of ${review.checks.length} checks need a look before acting on this fit.`
        : 'Do not act on this fit yet: some checks fail.';
  $('review-content').innerHTML = open.length
    ? table(
        ['check', 'status', 'what it means'],
        open.map((c) => [c.id, c.status, c.message]),
        'id="review-table"',
      )
    : '';
}

/** Fits with interaction terms: each one's contribution over time with its band, and its totals. */
export function renderInteractions(fit: MMMFit): void {
  const section = $('interactions-section');
  const list = Object.entries(fit.interactions ?? {});
  section.hidden = list.length === 0;
  if (section.hidden) {
    $('interactions-content').innerHTML = '';
    return;
  }
  const x = fit.data.dates.map((d) => Date.parse(`${d}T00:00:00Z`));
  const colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];
  const charts = list
    .map(([name], k) => {
      const c = fit.contributions.terms?.[name];
      if (!c) return '';
      const series = [{ name, x, y: c.mean, band: { lower: c.lower, upper: c.upper }, colour: colours[k % 5] }];
      return `<div class="chart">${lineChart(series, [], { title: `${name}: contribution`, time: true, width: 540, height: 240 })}</div>`;
    })
    .join('');
  $('interactions-content').innerHTML =
    '<p class="muted">With the season: the channel\'s saturated curve times the Fourier terms; with another channel: a synergy ' +
    "on the two saturated curves. Not in the channels' own ROAS; budgets add up each channel's own response and leave synergies " +
    `out.</p><div class="charts">${charts}</div>` +
    table(
      ['interaction', 'total contribution', 'interval', "over the channel's own"],
      list.map(([name, it]) => [
        name,
        fmt(it.contribution.mean),
        `[${fmt(it.contribution.lower)}, ${fmt(it.contribution.upper)}]`,
        `${pct(it.relative.mean)} [${pct(it.relative.lower)}, ${pct(it.relative.upper)}]`,
      ]),
      'id="interactions-table"',
    );
}

/** The fit metrics, and the method comparison on held-out periods when one was run. */
export function renderPerformance(fit: MMMFit): void {
  $('performance').innerHTML =
    table(
      ['measure', 'value'],
      [
        ['R² (in sample)', fit.fit.r2.toFixed(3)],
        ['MAPE', pct(fit.fit.mape)],
        ['NRMSE', fit.fit.nrmse.toFixed(3)],
        ['periods', String(fit.data.dates.length)],
        ['method', fit.method],
      ],
      'id="metrics-table"',
    ) +
    (state.comparison
      ? `<h3>Methods on held-out periods</h3>${$('comparison').innerHTML.replace('id="comparison-table"', 'id="comparison-table-results"')}`
      : '');
}

/** Response curves (with the current and, once optimised, the suggested spend), adstock and saturation. */
export function renderCurves(fit: ModelFit): void {
  $('curve-charts').innerHTML =
    `<div class="chart">${responseCurvesChart(fit, { width: W, height: 420, ...(state.plan ? { plan: state.plan } : {}) })}</div><div class="charts">${adstockChart(fit, { width: 540 })}${saturationChart(fit, { width: 540 })}</div>`;
}
