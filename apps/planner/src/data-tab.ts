// Step 1: load a CSV (or a bundled example), guess the columns' roles, and look at the data before fitting.
import { parse } from 'csv-parse/browser/esm/sync';
import { aggregateGeos, dataReport } from '@mmm/pipeline';
import { lineChart } from '@mmm/report';
import geoUrl from '../../../examples/data/public/meridian_geo_all_channels.csv?url';
import meridianUrl from '../../../examples/data/public/meridian_national_all_channels.csv?url';
import meridianRfUrl from '../../../examples/data/public/meridian_national_media_rf.csv?url';
import robynUrl from '../../../examples/data/public/robyn_dt_simulated_weekly.csv?url';
import nationalUrl from '../../../examples/data/weekly_national.csv?url';
import { state, type Mapping } from './state.js';
import { $, esc, pct, showError, table } from './ui.js';

export const EXAMPLES: Record<string, { url: string; name: string }> = {
  national: { url: nationalUrl, name: 'weekly_national.csv' },
  robyn: { url: robynUrl, name: 'robyn_dt_simulated_weekly.csv' },
  meridian: { url: meridianUrl, name: 'meridian_national_all_channels.csv' },
  'meridian-rf': { url: meridianRfUrl, name: 'meridian_national_media_rf.csv' },
  geo: { url: geoUrl, name: 'meridian_geo_all_channels.csv' },
};

/** Parses CSV text; a readable error for anything that is not a table with a header and rows. */
export function parseCsv(text: string, name: string): Array<Record<string, string>> {
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Array<Record<string, string>>;
  } catch (e) {
    throw new Error(`Could not read ${name} as CSV: ${(e as Error).message}. Expected comma-separated values with a header row.`);
  }
  if (rows.length === 0) throw new Error(`${name} has a header but no rows.`);
  if (Object.keys(rows[0]).length < 3)
    throw new Error(
      `${name} has ${Object.keys(rows[0]).length} column(s): a model needs a date, a target and at least one channel. Is the file comma-separated?`,
    );
  return rows;
}

const isDateLike = (v: string) => /^\d{4}-\d{2}-\d{2}/.test(v) || /^\d{8}$/.test(v);

/** Loads a table and fills the column pickers with guesses. */
export function loadData(text: string, name: string): void {
  showError('');
  const rows = parseCsv(text, name);
  state.rows = rows;
  state.dataName = name;
  state.comparison = undefined;
  $('comparison').innerHTML = '';
  const cols = Object.keys(rows[0]).filter((c) => c !== '');
  const sample = rows.slice(0, 30);
  const isDate = (c: string) => sample.every((r) => isDateLike(r[c]));
  const numeric = cols.filter((c) => !isDate(c) && sample.every((r) => r[c] !== '' && Number.isFinite(Number(r[c]))));
  const text_ = cols.filter((c) => !isDate(c) && !numeric.includes(c));
  const date = cols.find(isDate) ?? cols[0];
  const target =
    numeric.find((c) => /^(sales|revenue|conversions|target|kpi|y)$/i.test(c)) ??
    numeric.find((c) => /sales|revenue|conversion|kpi/i.test(c)) ??
    numeric[numeric.length - 1];
  const geo = text_.find((c) => /geo|region|dma|state|market|division/i.test(c)) ?? '';
  const population = geo ? (numeric.find((c) => /pop/i.test(c)) ?? '') : '';
  const controlLike = (c: string) => /control|price|index|competitor|promo|holiday|event|temp|sentiment|newsletter/i.test(c);
  const spendCols = numeric.filter((c) => /spend|cost|_s$/i.test(c) && c !== target);
  const others = new Set([target, population]);
  const channels =
    spendCols.length > 0
      ? spendCols
      : numeric.filter((c) => !others.has(c) && !controlLike(c) && !/index|^unnamed|^id$|revenue_per|impression|organic/i.test(c));
  // organic media (Meridian's Organic_… columns) and treatments (promotions) have roles of their own
  const organic = numeric.filter((c) => /organic/i.test(c) && !others.has(c) && !channels.includes(c));
  const treatments = numeric.filter((c) => /promo/i.test(c) && !others.has(c) && !channels.includes(c) && !organic.includes(c));
  const controls = numeric.filter(
    (c) => !others.has(c) && !channels.includes(c) && !organic.includes(c) && !treatments.includes(c) && controlLike(c),
  );
  const fill = (id: string, options: string[], value: string, optional = false) =>
    $<HTMLSelectElement>(id).replaceChildren(
      ...(optional ? [new Option('(none)', '', value === '', value === '')] : []),
      ...options.map((o) => new Option(o, o, o === value, o === value)),
    );
  fill('date-col', cols, date);
  fill('target-col', numeric, target);
  fill('geo-col', text_, geo, true);
  fill('pop-col', numeric, population, true);
  const boxes = (id: string, kind: string, on: string[]) =>
    $(id).replaceChildren(
      ...numeric.map((c) => {
        const label = document.createElement('label');
        label.className = 'inline';
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.value = c;
        box.name = kind;
        box.checked = on.includes(c);
        label.append(box, c);
        return label;
      }),
    );
  // reach and frequency: <p>_reach beside <p>_frequency and a spend column <p>_spend (Meridian's naming)
  const rf = numeric.flatMap((c) => {
    const m = /^(.*)_reach$/i.exec(c);
    if (!m) return [];
    const frequency = numeric.find((x) => x.toLowerCase() === `${m[1]}_frequency`.toLowerCase());
    const spend = numeric.find((x) => x.toLowerCase() === `${m[1]}_spend`.toLowerCase());
    return frequency && spend ? [{ name: m[1], reach: c, frequency, spend }] : [];
  });
  state.rfCandidates = rf;
  boxes('channel-cols', 'channel', channels);
  boxes('control-cols', 'control', controls);
  boxes('organic-cols', 'organic', organic);
  boxes('treatment-cols', 'treatment', treatments);
  $('rf-fieldset').hidden = rf.length === 0;
  $('rf-cols').replaceChildren(
    ...rf.map((c) => {
      const label = document.createElement('label');
      label.className = 'inline';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = c.name;
      box.name = 'rf';
      box.checked = true;
      label.append(box, `${c.name} (reach ${c.reach}, frequency ${c.frequency}, spend ${c.spend})`);
      return label;
    }),
  );
  const geos = geo ? new Set(rows.map((r) => r[geo])).size : 0;
  $('data-info').textContent =
    `${name}: ${rows.length} rows, ${cols.length} columns${geos > 1 ? `, ${geos} geos` : ''}. Check the guessed roles below.`;
  $('mapping').hidden = false;
  refreshDataView();
}

/** The roles as chosen in the pickers. */
export function readMapping(): Mapping {
  const checked = (name: string) => Array.from(document.querySelectorAll<HTMLInputElement>(`input[name=${name}]:checked`), (b) => b.value);
  return {
    date: $<HTMLSelectElement>('date-col').value,
    target: $<HTMLSelectElement>('target-col').value,
    geo: $<HTMLSelectElement>('geo-col').value,
    population: $<HTMLSelectElement>('pop-col').value,
    channels: checked('channel'),
    controls: checked('control'),
    organic: checked('organic'),
    treatments: checked('treatment'),
    reachFrequency: state.rfCandidates.filter((c) => checked('rf').includes(c.name)),
  };
}

/** The data report and the series over time, for the current mapping (geo data summed over geos). */
export function refreshDataView(): void {
  const m = readMapping();
  state.mapping = m;
  const out = $('data-report');
  const chart = $('data-chart');
  if (m.channels.length === 0) {
    out.innerHTML = '<p class="muted">Tick at least one channel.</p>';
    chart.innerHTML = '';
    return;
  }
  try {
    const rows = m.geo
      ? aggregateGeos(state.rows, { date: m.date, geo: m.geo, sum: [m.target, ...m.channels], mean: m.controls })
      : state.rows;
    const r = dataReport(rows, { date: m.date, target: m.target, channels: m.channels, controls: m.controls });
    const warnings = r.warnings.length
      ? `<ul class="warnings">${r.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`
      : '<p>No warnings: the channels vary independently enough to be told apart.</p>';
    const strongest = [...r.correlations].sort((a, b) => Math.abs(b.r) - Math.abs(a.r)).slice(0, 3);
    const corr = strongest.length
      ? `<p>Strongest correlations between channels: ${strongest.map((c) => `${esc(c.a)} and ${esc(c.b)} ${c.r.toFixed(2)}`).join('; ')}.</p>`
      : '';
    out.innerHTML = `<p>${r.periods} periods${m.geo ? ' (summed over geos)' : ''}, ${r.parameters} parameters with the default model: ${r.periodsPerParameter.toFixed(1)} periods per parameter.</p>${warnings}${corr}${table(
      ['channel', 'VIF', 'periods with zero spend'],
      m.channels.map((c) => [c, r.vif[c].toFixed(2), pct(r.zeroShare[c])]),
      'id="vif-table"',
    )}`;
    const x = (rows as Array<Record<string, unknown>>).map((row) =>
      Date.parse(String(row[m.date]).length === 8 ? String(row[m.date]).replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3') : String(row[m.date])),
    );
    const col = (c: string) => (rows as Array<Record<string, unknown>>).map((row) => Number(row[c]));
    chart.innerHTML =
      lineChart([{ name: m.target, x, y: col(m.target), colour: '#222' }], [], {
        title: `${m.target} over time`,
        time: true,
        width: 1100,
        height: 260,
      }) +
      lineChart(
        m.channels.map((c) => ({ name: c, x, y: col(c) })),
        [],
        { title: 'Spend over time', time: true, width: 1100, height: 300 },
      );
    showError('');
  } catch (e) {
    out.innerHTML = '';
    chart.innerHTML = '';
    showError(e, 'Data check: ');
  }
}

export function initDataTab(): void {
  $<HTMLInputElement>('file').addEventListener('change', async (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (!f) return;
    try {
      loadData(await f.text(), f.name);
    } catch (err) {
      $('mapping').hidden = true;
      showError(err);
    }
  });
  $<HTMLSelectElement>('example').addEventListener('change', async (e) => {
    const key = (e.target as HTMLSelectElement).value;
    if (!key) return;
    const ex = EXAMPLES[key];
    $('data-info').textContent = `Loading ${ex.name}…`;
    const text = await (await fetch(ex.url)).text();
    loadData(text, ex.name);
  });
  $('mapping').addEventListener('change', () => refreshDataView());
}
