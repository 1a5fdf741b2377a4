// Plans over time, in step 4: a calendar of the coming periods × channels. Each cell can be edited (the response of
// the calendar as it stands is recomputed by the plan worker), locked (kept as it is when optimising) or filled by
// planSchedule within the bounds; the result shows the response per period with its band beside the data's
// carry-over, and the gain over the current calendar (the average spend per period, every period).
import { parseDate } from '@mmm/core';
import { spendPerPeriod, type MMMFit, type ScheduleEvaluation, type SchedulePlan } from '@mmm/pipeline';
import { lineChart, stackedAreaChart } from '@mmm/report';
import { planner, state } from './state.js';
import { $, esc, fmt, setDownload, showError, toCsv } from './ui.js';

let names: string[] = [];
let current: Record<string, number> = {};
let dates: string[] = [];
let onChange: () => void = () => {};
/** requests to the plan worker so far: a reply to an earlier one than the last is dropped */
let requests = 0;

const periods = () => Math.max(1, Math.round(Number($<HTMLInputElement>('calendar-periods').value)));
const cellId = (c: number, t: number) => `cal-${c}-${t}`;
const lockId = (c: number, t: number) => `cal-lock-${c}-${t}`;

/** The calendar's spend per channel and period as the inputs hold it. */
function readCalendar(): Record<string, number[]> {
  return Object.fromEntries(
    names.map((n, c) => [n, dates.map((_, t) => Math.max(0, Number($<HTMLInputElement>(cellId(c, t)).value) || 0))]),
  );
}

/** The locked cells, as planSchedule's `fixed` (null where free); channels without a lock left out. */
function lockedCells(): Record<string, Array<number | null>> {
  const spend = readCalendar();
  const out: Record<string, Array<number | null>> = {};
  names.forEach((n, c) => {
    const row = dates.map((_, t) => ($<HTMLInputElement>(lockId(c, t)).checked ? spend[n][t] : null));
    if (row.some((v) => v !== null)) out[n] = row;
  });
  return out;
}

/** The table: a row per channel, a column per period, each cell an amount and a lock (locks kept when they still fit). */
function renderCalendar(spend: Record<string, number[]>, newDates: string[]): void {
  const keep = dates.length === newDates.length ? names.map((_, c) => dates.map((_, t) => $<HTMLInputElement>(lockId(c, t)).checked)) : [];
  dates = newDates;
  const head = `<tr><th scope="col">channel</th>${dates.map((d) => `<th scope="col">${esc(d)}</th>`).join('')}</tr>`;
  const rows = names
    .map(
      (n, c) =>
        `<tr><th scope="row">${esc(n)}</th>${dates
          .map((d, t) => {
            const lock = keep[c]?.[t] ?? false;
            return (
              `<td${lock ? ' class="locked"' : ''}><input type="number" min="0" step="100" id="${cellId(c, t)}" value="${spend[n][t].toFixed(0)}" ` +
              `aria-label="${esc(n)} spend on ${esc(d)}"><label><input type="checkbox" id="${lockId(c, t)}"${lock ? ' checked' : ''} ` +
              `aria-label="lock ${esc(n)} on ${esc(d)}">lock</label></td>`
            );
          })
          .join('')}</tr>`,
    )
    .join('');
  $('calendar').innerHTML = `<table id="calendar-table"><thead>${head}</thead><tbody>${rows}</tbody></table>`;
  names.forEach((_, c) =>
    dates.forEach((_, t) => {
      $<HTMLInputElement>(cellId(c, t)).addEventListener('change', () => void evaluateCalendar());
      $<HTMLInputElement>(lockId(c, t)).addEventListener('change', (e) => {
        const cell = $<HTMLInputElement>(cellId(c, t)).parentElement!;
        cell.classList.toggle('locked', (e.target as HTMLInputElement).checked);
      });
    }),
  );
}

/** The response of a calendar: the sentence, the charts and the CSV. */
function showResult(r: ScheduleEvaluation | SchedulePlan, compared?: { incremental: { mean: number } }): void {
  const spent = names.reduce((a, n) => a + r.channels[n].spend, 0);
  const vs = compared
    ? ` · ${r.incremental.mean >= compared.incremental.mean ? '+' : ''}${(100 * (r.incremental.mean / compared.incremental.mean - 1)).toFixed(1)}% vs the current calendar`
    : '';
  const kkt = 'kkt' in r ? ` · optimality conditions ${r.kkt.satisfied ? 'met' : 'not met'}` : '';
  $('calendar-result').textContent =
    `${fmt(spent)} over ${r.dates.length} periods causes ${fmt(r.incremental.mean)} (90% interval ${fmt(r.incremental.lower)} to ` +
    `${fmt(r.incremental.upper)}), ${fmt(r.roas.mean)} per unit spent${vs}${kkt}`;
  $('calendar-result').dataset.value = String(r.incremental.mean);
  const x = r.dates.map(parseDate);
  const all = [...r.dates, ...r.tailDates].map(parseDate);
  $('calendar-charts').innerHTML =
    `<div class="chart">${stackedAreaChart(
      x,
      names.map((n) => ({ name: n, values: r.spend[n] })),
      undefined,
      { title: 'Spend per period by channel', width: 440, height: 240 },
    )}</div>` +
    `<div class="chart">${lineChart(
      [
        { name: 'caused by the calendar', x: all, y: r.byPeriod.mean, band: { lower: r.byPeriod.lower, upper: r.byPeriod.upper } },
        { name: "the data's carry-over", x, y: r.carryOver.mean, dashed: true },
      ],
      [],
      { title: 'Response per period (90% band; the tail after the plan included)', time: true, yZero: true, width: 440, height: 240 },
    )}</div>`;
  setDownload(
    'calendar-export',
    toCsv(
      ['date', ...names, 'response', 'response_lower', 'response_upper'],
      [...r.dates, ...r.tailDates].map((d, t) => [
        d,
        ...names.map((n) => (t < r.dates.length ? r.spend[n][t] : 0)),
        r.byPeriod.mean[t],
        r.byPeriod.lower[t],
        r.byPeriod.upper[t],
      ]),
    ),
    'text/csv',
  );
}

/** The calendar as it stands, evaluated by the plan worker. */
async function evaluateCalendar(): Promise<void> {
  const mine = ++requests;
  try {
    const r = await planner.call<ScheduleEvaluation>({ op: 'evaluateSchedule', options: { spend: readCalendar() } });
    if (mine !== requests) return;
    showResult(r);
  } catch (e) {
    showError(e, 'Calendar: ');
  }
}

/** The current spend per period in every period of the horizon, evaluated (a later request supersedes an earlier one). */
async function currentCalendar(): Promise<void> {
  const H = periods();
  const spend = Object.fromEntries(names.map((n) => [n, new Array<number>(H).fill(current[n])]));
  const mine = ++requests;
  try {
    const r = await planner.call<ScheduleEvaluation>({ op: 'evaluateSchedule', options: { spend } });
    if (mine !== requests) return;
    renderCalendar(spend, r.dates);
    showResult(r);
  } catch (e) {
    showError(e, 'Calendar: ');
  }
}

/** planSchedule within the bounds (multiples of current spend per period), the locked cells kept, against the current calendar. */
async function optimiseCalendar(): Promise<void> {
  showError('');
  const H = periods();
  const lo = Number($<HTMLInputElement>('bound-lo').value);
  const hi = Number($<HTMLInputElement>('bound-hi').value);
  const fixed = dates.length === H ? lockedCells() : {};
  const mine = ++requests;
  try {
    const plan = await planner.call<SchedulePlan>({
      op: 'schedule',
      options: {
        periods: H,
        budget: Number($<HTMLInputElement>('calendar-budget').value),
        bounds: Object.fromEntries(names.map((n) => [n, [lo * current[n], hi * current[n]] as const])),
        ...(Object.keys(fixed).length ? { fixed } : {}),
        compare: 'current',
      },
    });
    if (mine !== requests) return;
    state.schedule = plan;
    renderCalendar(plan.spend, plan.dates);
    showResult(plan, plan.compare);
    onChange();
  } catch (e) {
    showError(e, 'Calendar: ');
  }
}

/** A new fit: the current calendar over 13 periods, its budget the current spend per period times 13. */
export async function initScheduleForFit(fit: MMMFit): Promise<void> {
  names = fit.spec.channels.map((c) => c.name);
  current = spendPerPeriod(fit);
  dates = [];
  state.schedule = undefined;
  $<HTMLInputElement>('calendar-budget').value = (periods() * names.reduce((a, n) => a + current[n], 0)).toFixed(0);
  await currentCalendar();
}

/** The calendar's buttons; `changed` is called when a new plan is made (for the report). */
export function initScheduleTab(changed: () => void): void {
  onChange = changed;
  $('calendar-optimize').addEventListener('click', () => void optimiseCalendar());
  $('calendar-current').addEventListener('click', () => void currentCalendar());
  $('calendar-periods').addEventListener('change', () => {
    $<HTMLInputElement>('calendar-budget').value = (periods() * names.reduce((a, n) => a + current[n], 0)).toFixed(0);
    void currentCalendar();
  });
}
