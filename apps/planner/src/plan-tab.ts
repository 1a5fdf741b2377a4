// Step 4: plan a budget. One slider per channel with bounds, the predicted response and its interval updating as
// they move (computed by the plan worker, latest request wins), "optimise" under the bounds, the split as a bar
// chart, scenarios saved and compared side by side, exported as CSV and in the HTML report; and the calendar of the
// coming periods (schedule-tab.ts).
import type { AllocationResult } from '@mmm/optimize';
import { spendPerPeriod, type MMMFit } from '@mmm/pipeline';
import { barChart, renderMMMReport } from '@mmm/report';
import { renderCurves } from './results-tab.js';
import { initScheduleForFit, initScheduleTab } from './schedule-tab.js';
import { initExperimentsTab, resetExperiments } from './experiments-tab.js';
import { planner, state, type Scenario } from './state.js';
import { $, esc, fmt, setDownload, showError, table, toCsv } from './ui.js';

let current: Record<string, number> = {};
let names: string[] = [];

interface Evaluation {
  expectedResponse: number;
  responseInterval?: { lower: number; upper: number };
}

const allocation = (): Record<string, number> =>
  Object.fromEntries(names.map((n) => [n, Number($<HTMLInputElement>(`amount-${n}`).value)]));
const total = (a: Record<string, number>) => Object.values(a).reduce((s, v) => s + v, 0);
const bounds = () => [Number($<HTMLInputElement>('bound-lo').value), Number($<HTMLInputElement>('bound-hi').value)] as const;

let inFlight = false;
let dirty = false;
let baseline: Evaluation | undefined;

/** Asks the plan worker for the response of the sliders' allocation; while one is computing, the latest waits. */
async function evaluate(): Promise<void> {
  if (inFlight) {
    dirty = true;
    return;
  }
  inFlight = true;
  const a = allocation();
  try {
    const r = await planner.call<Evaluation>({ op: 'evaluate', allocation: a });
    const iv = r.responseInterval;
    const vs = baseline
      ? ` · ${r.expectedResponse >= baseline.expectedResponse ? '+' : ''}${(100 * (r.expectedResponse / baseline.expectedResponse - 1)).toFixed(1)}% vs the current mix`
      : '';
    $('prediction').textContent =
      `Expected media response per period: ${fmt(r.expectedResponse)}${iv ? ` (90% interval ${fmt(iv.lower)} to ${fmt(iv.upper)})` : ''}${vs}`;
    $('prediction').dataset.value = String(r.expectedResponse);
  } catch (e) {
    showError(e, 'Plan: ');
  } finally {
    inFlight = false;
    if (dirty) {
      dirty = false;
      void evaluate();
    }
  }
  const b = Number($<HTMLInputElement>('total-budget').value);
  $('allocated').textContent = `Allocated ${fmt(total(a))} of a ${fmt(b)} budget per period (current mix: ${fmt(total(current))}).`;
}

function setSliders(a: Record<string, number>): void {
  for (const n of names) {
    const range = $<HTMLInputElement>(`slider-${n}`);
    const v = a[n] ?? 0;
    if (v > Number(range.max)) range.max = String(Math.ceil(v * 1.5));
    range.value = String(v);
    $<HTMLInputElement>(`amount-${n}`).value = v.toFixed(0);
    $(`change-${n}`).textContent = current[n] > 0 ? `${v >= current[n] ? '+' : ''}${(100 * (v / current[n] - 1)).toFixed(0)}%` : '';
  }
  void evaluate();
}

function renderSplit(plan: AllocationResult): void {
  $('split-chart').innerHTML = barChart(
    names,
    [
      { name: 'current', values: names.map((n) => current[n]), colour: '#9e9e9e' },
      { name: 'suggested', values: names.map((n) => plan.allocation[n]) },
    ],
    { title: 'Spend per period: current and suggested', width: 900 },
  );
}

async function optimise(budgetFactor?: number): Promise<AllocationResult | undefined> {
  showError('');
  const [lo, hi] = bounds();
  if (budgetFactor !== undefined) $<HTMLInputElement>('total-budget').value = (total(current) * budgetFactor).toFixed(0);
  const totalBudget = Number($<HTMLInputElement>('total-budget').value);
  try {
    const plan = await planner.call<AllocationResult>({
      op: 'optimize',
      options: {
        totalBudget,
        current,
        bounds: Object.fromEntries(names.map((n) => [n, [lo * current[n], hi * current[n]] as [number, number]])),
      },
    });
    state.plan = plan;
    setSliders(plan.allocation);
    renderSplit(plan);
    if (state.fit && state.fit.method !== 'gbdt') renderCurves(state.fit);
    refreshReport();
    return plan;
  } catch (e) {
    showError(e, 'Optimise: ');
    return undefined;
  }
}

function renderScenarios(): void {
  const s = state.scenarios;
  if (s.length === 0) {
    $('scenarios').innerHTML = '<p class="muted">No scenarios yet.</p>';
    $('export-scenarios').hidden = true;
    return;
  }
  const rows: Array<Array<string | number>> = [
    ...names.map((n) => [n, ...s.map((x) => x.allocation[n])]),
    ['total spend', ...s.map((x) => total(x.allocation))],
    ['expected response', ...s.map((x) => x.expected)],
    ['interval low', ...s.map((x) => x.lower)],
    ['interval high', ...s.map((x) => x.upper)],
    ['response per unit spent', ...s.map((x) => x.expected / Math.max(1e-12, total(x.allocation)))],
  ];
  $('scenarios').innerHTML = table(
    ['per period', ...s.map((x) => x.name)],
    rows.map((r) => [String(r[0]), ...r.slice(1).map((v) => fmt(v as number))]),
    'id="scenario-table"',
  );
  setDownload('export-scenarios', toCsv(['item', ...s.map((x) => x.name)], rows), 'text/csv');
  refreshReport();
}

async function saveScenario(name: string): Promise<void> {
  const a = allocation();
  const r = await planner.call<Evaluation>({ op: 'evaluate', allocation: a });
  const sc: Scenario = {
    name,
    budget: total(a),
    allocation: a,
    expected: r.expectedResponse,
    lower: r.responseInterval?.lower ?? Number.NaN,
    upper: r.responseInterval?.upper ?? Number.NaN,
  };
  state.scenarios = [...state.scenarios.filter((x) => x.name !== name), sc];
  renderScenarios();
}

/** The HTML report with the last optimised plan and the scenarios. */
function refreshReport(): void {
  if (!state.fit || state.fit.method === 'gbdt') return;
  let html = renderMMMReport(state.fit, {
    ...(state.plan ? { budget: state.plan } : {}),
    ...(state.schedule ? { schedule: state.schedule } : {}),
    ...(state.experiments ? { experiments: state.experiments } : {}),
    ...(state.experimentRefit ? { experimentRefit: state.experimentRefit } : {}),
  });
  if (state.scenarios.length) {
    const s = state.scenarios;
    const sec = `<section class="card" id="scenarios"><h2>Scenarios</h2>${table(['per period', ...s.map((x) => x.name)], [...names.map((n) => [n, ...s.map((x) => fmt(x.allocation[n]))]), ['expected response', ...s.map((x) => `${fmt(x.expected)} [${fmt(x.lower)}, ${fmt(x.upper)}]`)]])}</section>`;
    html = html.replace('</body>', `${sec}</body>`);
  }
  setDownload('plan-report', html, 'text/html');
}

export async function initPlanForFit(fit: MMMFit): Promise<void> {
  await planner.call({ op: 'setFit', fit });
  state.plan = undefined;
  state.scenarios = [];
  names = fit.spec.channels.map((c) => c.name);
  current = spendPerPeriod(fit);
  $('no-plan').hidden = true;
  $('plan').hidden = false;
  // a fit whose effects change over time plans with the last fitted period's effect (optimizeBudget's default)
  const changing = names.filter((n) => fit.channels[n].effectOverTime);
  const note = $('plan-effects');
  const synergies = (fit.spec.interactions ?? []).filter((it) => it.with !== 'season').map((it) => `${it.channel}:${it.with}`);
  note.hidden = changing.length === 0 && synergies.length === 0;
  note.textContent = [
    changing.length
      ? `The effects of ${changing.join(', ')} change over time: plans use their effect in the last fitted period (${fit.data.dates[fit.data.dates.length - 1]}).`
      : '',
    synergies.length ? `Plans add up each channel's own response: they leave out the synergies ${synergies.join(', ')}.` : '',
  ]
    .filter((s) => s)
    .join(' ');
  $<HTMLInputElement>('total-budget').value = total(current).toFixed(0);
  $('sliders').innerHTML =
    `<div class="slider-row head"><strong>channel</strong><strong>spend per period</strong><strong>amount</strong><strong>vs current</strong><strong>bounds</strong></div>` +
    names
      .map((n) => {
        const max = Math.max(1, Math.ceil(current[n] * 3));
        return `<div class="slider-row"><label for="slider-${esc(n)}">${esc(n)}</label><input type="range" id="slider-${esc(n)}" min="0" max="${max}" step="${Math.max(1, Math.round(max / 300))}" value="${current[n]}"><input type="number" id="amount-${esc(n)}" min="0" value="${current[n].toFixed(0)}" aria-label="${esc(n)} amount per period"><span id="change-${esc(n)}">+0%</span><span class="muted" id="bounds-${esc(n)}"></span></div>`;
      })
      .join('');
  for (const n of names) {
    $<HTMLInputElement>(`slider-${n}`).addEventListener('input', (e) => {
      $<HTMLInputElement>(`amount-${n}`).value = (e.target as HTMLInputElement).value;
      $(`change-${n}`).textContent =
        current[n] > 0 ? `${(100 * (Number((e.target as HTMLInputElement).value) / current[n] - 1)).toFixed(0)}%` : '';
      void evaluate();
    });
    $<HTMLInputElement>(`amount-${n}`).addEventListener('change', () => setSliders(allocation()));
  }
  showBounds();
  baseline = await planner.call<Evaluation>({ op: 'evaluate', allocation: current });
  setSliders(current);
  $('split-chart').innerHTML = '';
  await initScheduleForFit(fit);
  resetExperiments();
  renderScenarios();
  refreshReport();
}

function showBounds(): void {
  const [lo, hi] = bounds();
  for (const n of names) $(`bounds-${n}`).textContent = `${fmt(lo * current[n])} – ${fmt(hi * current[n])}`;
}

export function initPlanTab(): void {
  initScheduleTab(refreshReport);
  initExperimentsTab(refreshReport);
  $('optimize').addEventListener('click', () => void optimise());
  $('reset').addEventListener('click', () => {
    $<HTMLInputElement>('total-budget').value = total(current).toFixed(0);
    setSliders(current);
  });
  $('bound-lo').addEventListener('change', showBounds);
  $('bound-hi').addEventListener('change', showBounds);
  const preset = (name: string, factor: number) => async () => {
    if (await optimise(factor)) await saveScenario(name);
  };
  $('preset-conservative').addEventListener('click', () => void preset('conservative', 0.8)());
  $('preset-base').addEventListener('click', () => void preset('base', 1)());
  $('preset-aggressive').addEventListener('click', () => void preset('aggressive', 1.2)());
  $('save-scenario').addEventListener('click', () => {
    const name = $<HTMLInputElement>('scenario-name').value.trim() || `scenario ${state.scenarios.length + 1}`;
    void saveScenario(name).catch((e: unknown) => showError(e, 'Scenario: '));
  });
}
