// The browser example: read a CSV the user picks, map its columns, fit the MMM with chains on Web Workers while a
// progress bar moves, then show the gate, the charts, the suggested budget and a downloadable HTML report.
import { parse } from 'csv-parse/browser/esm/sync';
import { fitMMM, optimizeBudget, spendPerPeriod, type BayesianFit } from '@mmm/pipeline';
import { actualVsFittedChart, budgetChart, contributionsChart, renderMMMReport, responseCurvesChart, roasChart } from '@mmm/report';
import exampleCsv from '../data/weekly_national.csv?raw';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let rows: Array<Record<string, string>> = [];
let controller: AbortController | undefined;

function load(text: string, name: string): void {
  $('error').textContent = '';
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Array<Record<string, string>>;
  } catch (e) {
    $('error').textContent = `Could not read ${name}: ${(e as Error).message}`;
    return;
  }
  if (rows.length === 0) {
    $('error').textContent = `${name} has no rows.`;
    return;
  }
  const cols = Object.keys(rows[0]);
  $('data-info').textContent = `${name}: ${rows.length} rows, ${cols.length} columns`;
  const isDate = (c: string) => rows.slice(0, 5).every((r) => /^\d{4}-\d{2}-\d{2}/.test(r[c]));
  const numeric = cols.filter((c) => !isDate(c) && rows.slice(0, 20).every((r) => r[c] !== '' && Number.isFinite(Number(r[c]))));
  const date = cols.find(isDate) ?? cols[0];
  const target = numeric.find((c) => /sales|revenue|conversions|target|kpi/i.test(c)) ?? numeric[numeric.length - 1];
  const controlLike = (c: string) => /price|index|competitor|temp|holiday|promo|event|control/i.test(c);
  const fill = (sel: HTMLSelectElement, options: string[], value: string) => {
    sel.replaceChildren(...options.map((o) => new Option(o, o, o === value, o === value)));
  };
  fill($<HTMLSelectElement>('date-col'), cols, date);
  fill($<HTMLSelectElement>('target-col'), numeric, target);
  const boxes = (id: string, kind: string, checked: (c: string) => boolean) =>
    $(id).replaceChildren(
      ...numeric.map((c) => {
        const label = document.createElement('label');
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.value = c;
        box.name = kind;
        box.checked = checked(c);
        label.append(box, ` ${c}`);
        return label;
      }),
    );
  boxes('channel-cols', 'channel', (c) => c !== target && !controlLike(c));
  boxes('control-cols', 'control', (c) => c !== target && controlLike(c));
  $('mapping').hidden = false;
}

const checked = (name: string) => Array.from(document.querySelectorAll<HTMLInputElement>(`input[name=${name}]:checked`), (b) => b.value);
const num = (id: string) => Number($<HTMLInputElement>(id).value);

async function fit(): Promise<void> {
  $('error').textContent = '';
  $('results').hidden = true;
  $('progress-section').hidden = false;
  $<HTMLButtonElement>('fit').disabled = true;
  $<HTMLButtonElement>('cancel').disabled = false;
  controller = new AbortController();
  const chains = num('chains');
  const done = new Array<number>(chains).fill(0);
  const t0 = performance.now();
  try {
    const result: BayesianFit = await fitMMM(rows, {
      date: $<HTMLSelectElement>('date-col').value,
      target: $<HTMLSelectElement>('target-col').value,
      channels: checked('channel'),
      controls: checked('control'),
      chains,
      warmup: num('warmup'),
      draws: num('draws'),
      seed: num('seed'),
      signal: controller.signal,
      createWorker: () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }),
      onProgress: (p) => {
        done[p.chain] = p.iteration;
        const total = done.reduce((a, b) => a + b, 0);
        $<HTMLProgressElement>('progress').value = total / (chains * p.total);
        $('status').textContent =
          `${done.map((d, c) => `chain ${c + 1}: ${d}/${p.total}`).join(' · ')} (${p.warmup ? 'warmup' : 'sampling'}), ${p.divergences} divergences`;
      },
    });
    $<HTMLProgressElement>('progress').value = 1;
    $('status').textContent = `Done in ${((performance.now() - t0) / 1000).toFixed(1)} s.`;
    show(result);
  } catch (e) {
    $('error').textContent = (e as Error).message;
  } finally {
    $<HTMLButtonElement>('fit').disabled = false;
    $<HTMLButtonElement>('cancel').disabled = true;
  }
}

function show(fit: BayesianFit): void {
  const d = fit.diagnostics;
  const gate = $('gate');
  gate.className = `verdict ${d.passed ? 'pass' : 'fail'}`;
  gate.textContent = `Convergence gate ${d.passed ? 'passed' : 'failed'}: max R-hat ${d.rhatMax.toFixed(3)}, min ESS-bulk ${d.essBulkMin.toFixed(0)}, ${d.divergences} divergences.`;
  const rowsHtml = Object.entries(fit.channels)
    .map(
      ([c, r]) =>
        `<tr><td>${c}</td><td>${r.roas.mean.toFixed(2)}</td><td>[${r.roas.lower.toFixed(2)}, ${r.roas.upper.toFixed(2)}]</td><td>${(100 * r.effectShare).toFixed(1)}%</td><td>${(100 * r.spendShare).toFixed(1)}%</td></tr>`,
    )
    .join('');
  $('summary').innerHTML =
    `<table><thead><tr><th>channel</th><th>ROAS</th><th>90% interval</th><th>effect share</th><th>spend share</th></tr></thead><tbody>${rowsHtml}</tbody></table><p>In-sample R² ${fit.fit.r2.toFixed(3)}, MAPE ${(100 * fit.fit.mape).toFixed(1)}%.</p>`;
  const plan = optimizeBudget(fit, { relativeBounds: 0.3 });
  $('charts').innerHTML = [
    roasChart(fit, { width: 560 }),
    actualVsFittedChart(fit, { width: 560 }),
    contributionsChart(fit, { width: 1120 }),
    responseCurvesChart(fit, { width: 1120, plan }),
  ].join('');
  const current = spendPerPeriod(fit);
  const budgetRows = fit.spec.channels
    .map(({ name }) => {
      const cur = current[name];
      return `<tr><td>${name}</td><td>${cur.toFixed(0)}</td><td>${plan.allocation[name].toFixed(0)}</td><td>${(100 * (plan.allocation[name] / cur - 1)).toFixed(0)}%</td></tr>`;
    })
    .join('');
  $('budget').innerHTML =
    `<table><thead><tr><th>channel</th><th>current / period</th><th>suggested / period</th><th>change</th></tr></thead><tbody>${budgetRows}</tbody></table><p>Expected uplift ${plan.uplift ? `${(100 * plan.uplift.relative).toFixed(1)}%` : '–'} of the media response.</p>${budgetChart(fit, plan, { width: 700 })}`;
  const url = URL.createObjectURL(new Blob([renderMMMReport(fit, { budget: plan })], { type: 'text/html' }));
  $<HTMLAnchorElement>('download').href = url;
  $('results').hidden = false;
}

$<HTMLInputElement>('file').addEventListener('change', async (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f) load(await f.text(), f.name);
});
$('use-example').addEventListener('click', () => load(exampleCsv, 'weekly_national.csv'));
// biome-ignore lint/suspicious/noFocusedTests: `fit` is this page's fit function, not a focused test
$('fit').addEventListener('click', () => void fit());
$('cancel').addEventListener('click', () => controller?.abort());
