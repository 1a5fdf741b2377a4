// Step 2: fit on the compute worker with progress and an ETA, explain the gate in plain words, save and load fits,
// and compare methods on held-out periods.
import { FIT_METHODS, type FitMethod, type FitProgress, type MMMFit, type MethodComparison } from '@mmm/pipeline';
import { readMapping } from './data-tab.js';
import { renderPerformance } from './results-tab.js';
import { compute, state } from './state.js';
import type { Rows } from './protocol.js';
import { $, esc, fmt, setDownload, showError, table } from './ui.js';

/** fitMMM's options from the mapping and the fit settings (plain data: it crosses to the worker). */
export function fitOptions(): Record<string, unknown> {
  const m = readMapping();
  if (state.rows.length === 0) throw new Error('Load data first (step 1).');
  const num = (id: string) => Number($<HTMLInputElement>(id).value);
  const method = $<HTMLSelectElement>('method').value;
  const timeVarying = $<HTMLSelectElement>('time-varying').value;
  const interactions = parseInteractions($<HTMLInputElement>('interactions').value);
  const model = {
    ...(method === 'bayesian' && timeVarying ? { timeVaryingEffects: timeVarying } : {}),
    ...(interactions.length && method !== 'gbdt' ? { interactions } : {}),
  };
  return {
    date: m.date,
    target: m.target,
    // a reach-and-frequency channel replaces its spend column as a channel
    channels: [...m.channels.filter((c) => !m.reachFrequency.some((r) => r.spend === c)), ...m.reachFrequency],
    controls: m.controls,
    ...(m.organic.length ? { organic: m.organic } : {}),
    ...(m.treatments.length ? { treatments: m.treatments } : {}),
    ...(m.geo ? { geo: m.geo } : {}),
    ...(m.geo && m.population ? { population: m.population } : {}),
    method,
    seed: num('seed'),
    ...(method === 'bayesian' ? { chains: num('chains'), warmup: num('warmup'), draws: num('draws') } : {}),
    ...(method === 'bayesian' && $<HTMLInputElement>('early-stop').checked ? { earlyStop: true } : {}),
    ...(Object.keys(model).length ? { model } : {}),
  };
}

/** "tv:season, tv:search" as fitMMM's `model.interactions` (the fit checks the names). */
export function parseInteractions(text: string): Array<{ channel: string; with: string }> {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((pair) => {
      const [channel, partner, ...rest] = pair.split(':').map((s) => s.trim());
      if (!channel || !partner || rest.length > 0)
        throw new Error(`Interactions: "${pair}" is not a channel:with pair. Write e.g. tv:season, tv:search.`);
      return { channel, with: partner };
    });
}

/** The gate in plain words. */
export function gateInWords(fit: MMMFit): { pass: boolean; text: string } {
  if (fit.method === 'gbdt')
    return { pass: true, text: 'A gradient-boosted benchmark: no sampler to check, and no intervals (its ROAS are attributions).' };
  if (fit.method !== 'bayesian')
    return {
      pass: true,
      text: `A ${fit.method} fit: no sampler to check. Its intervals come from ${fit.bootstrap.resamples} bootstrap refits, which include the choice of curves.`,
    };
  const d = fit.diagnostics;
  const e = d.earlyStop;
  const stopped = !e
    ? ''
    : e.reason === 'targets met'
      ? ` Sampling stopped early, at ${e.draws} of ${e.ceiling} draws per chain, once every parameter met its targets.`
      : ` Sampling ran to the ceiling of ${e.ceiling} draws per chain: the targets were not met before.`;
  if (d.passed)
    return {
      pass: true,
      text: `The sampler converged: the ${fit.settings.chains} chains agree (R-hat ${d.rhatMax.toFixed(3)} ≤ 1.01), there are enough independent draws (ESS ≥ ${Math.floor(d.essBulkMin)}) and no divergent transitions.${stopped} The estimates can be trusted as far as the model itself is right.`,
    };
  const why: string[] = [];
  if (d.divergences > 0)
    why.push(`${d.divergences} divergent transitions (the sampler met regions it could not explore, so the estimates may be biased)`);
  if (d.rhatMax > 1.01) why.push(`the chains disagree (R-hat ${d.rhatMax.toFixed(3)} > 1.01)`);
  if (d.essBulkMin < 400 || d.essTailMin < 400)
    why.push(`too few independent draws (ESS ${Math.floor(Math.min(d.essBulkMin, d.essTailMin))} < 400)`);
  return {
    pass: false,
    text: `The sampler did not converge: ${why.join('; ')}.${stopped} Do not act on these estimates yet: fit again with more warmup and draws, or with fewer channels and controls.`,
  };
}

function showProgress(p: FitProgress | { fraction: number; phase: 'search'; evaluated: number; total: number }): void {
  $<HTMLProgressElement>('progress').value = p.fraction;
  if (p.phase === 'search') {
    $('status').textContent = `Searching curves and penalty: ${p.evaluated} of ${p.total} candidates`;
    return;
  }
  const ess = p.earlyStop ? ` · ESS ${Math.floor(p.earlyStop.ess)} of ${Math.round(p.earlyStop.targetEss)}` : '';
  $('status').textContent =
    `${Math.round(100 * p.fraction)}% · ${p.phase}${p.attempt > 1 ? ` · rerun ${p.attempt}` : ''} · ${p.divergencesTotal} divergences${ess} · ${p.etaSeconds === undefined ? 'estimating time left…' : `about ${Math.ceil(p.etaSeconds)} s left`}`;
}

/** Shows a fit wherever it is used: gate, save link, results, plan. */
export let onFit: (fit: MMMFit) => void = () => undefined;
export function setOnFit(f: (fit: MMMFit) => void): void {
  onFit = f;
}

export function showFit(fit: MMMFit, source: string, run?: { rows: Rows; options: Record<string, unknown> }): void {
  state.fit = fit;
  state.fitRun = run;
  // a comparison belongs to the data it was run on: a fit loaded from a file drops it
  if (source !== 'Fitted') clearComparison();
  const g = gateInWords(fit);
  const gate = $('gate');
  gate.hidden = false;
  gate.className = `verdict ${g.pass ? 'pass' : 'fail'}`;
  gate.textContent = g.text;
  setDownload('save-fit', JSON.stringify(fit), 'application/json');
  $('fit-info').textContent =
    `${source}: ${fit.method ?? 'bayesian'} fit of ${fit.spec.channels.length} channels on ${fit.data.dates.length} periods (${fit.data.dates[0]} to ${fit.data.dates.at(-1)})${fit.panel ? `, ${fit.panel.geos.length} geos` : ''}.`;
  onFit(fit);
}

async function runFit(): Promise<void> {
  showError('');
  let options: Record<string, unknown>;
  try {
    options = fitOptions();
  } catch (e) {
    showError(e);
    return;
  }
  $<HTMLButtonElement>('fit').disabled = true;
  $<HTMLButtonElement>('cancel').disabled = false;
  $('progress-box').hidden = false;
  $<HTMLProgressElement>('progress').value = 0;
  $('status').textContent = 'Starting…';
  const t0 = performance.now();
  try {
    const fit = await compute.call<MMMFit>({ op: 'fit', rows: state.rows, options }, (p) => showProgress(p as FitProgress));
    $<HTMLProgressElement>('progress').value = 1;
    $('status').textContent = `Done in ${((performance.now() - t0) / 1000).toFixed(1)} s.`;
    showFit(fit, 'Fitted', { rows: state.rows, options });
  } catch (e) {
    $('status').textContent = '';
    showError(e, 'Fit: ');
  } finally {
    $<HTMLButtonElement>('fit').disabled = false;
    $<HTMLButtonElement>('cancel').disabled = true;
  }
}

/** Reads a saved fit; a readable error if the file is not one. */
export function parseSavedFit(text: string, name: string): MMMFit {
  let fit: MMMFit;
  try {
    fit = JSON.parse(text) as MMMFit;
  } catch {
    throw new Error(`${name} is not JSON: choose a fit saved by the planner or written by mmm fit (fit.json).`);
  }
  if (fit?.version !== 1 || !fit.spec || !fit.channels || (fit.method !== 'gbdt' && !fit.draws))
    throw new Error(`${name} is not a saved fit: choose a fit saved by the planner or written by mmm fit (fit.json).`);
  return fit;
}

export function clearComparison(): void {
  state.comparison = undefined;
  $('comparison').innerHTML = '';
}

function showComparison(c: MethodComparison): void {
  const channels = Object.keys(c.rows[0]?.roas ?? {});
  $('comparison').innerHTML =
    `<p class="muted">Each method fitted on the first periods and scored by its predictions of the last ${c.holdoutPeriods} (${esc(c.test.dates[0])} to ${esc(c.test.dates.at(-1) ?? '')}). Gradient boosting's ROAS are attributions of a non-causal model (TreeSHAP).</p>` +
    table(
      ['method', 'holdout R²', 'holdout MAPE', 'holdout NRMSE', 'in-sample R²', ...channels.map((ch) => `${ch} ROAS`), 'seconds'],
      c.rows.map((r) => [
        r.method,
        r.holdout.r2.toFixed(3),
        `${(100 * r.holdout.mape).toFixed(1)}%`,
        r.holdout.nrmse.toFixed(3),
        r.inSample.r2.toFixed(3),
        ...channels.map((ch) => fmt(r.roas[ch].mean)),
        r.seconds.toFixed(1),
      ]),
      'id="comparison-table"',
    );
}

async function runCompare(): Promise<void> {
  showError('');
  const methods = Array.from(document.querySelectorAll<HTMLInputElement>('input[name=cmp]:checked'), (b) => b.value);
  try {
    const options = fitOptions();
    delete options.method;
    if (!('chains' in options)) Object.assign(options, { chains: 2, warmup: 300, draws: 300 });
    $<HTMLButtonElement>('compare').disabled = true;
    $('comparison').innerHTML = '<p class="muted">Comparing…</p>';
    const c = await compute.call<MethodComparison>({
      op: 'compare',
      rows: state.rows,
      options,
      methods,
      holdout: Number($<HTMLInputElement>('holdout').value),
    });
    state.comparison = c;
    showComparison(c);
    if (state.fit) renderPerformance(state.fit);
  } catch (e) {
    $('comparison').innerHTML = '';
    showError(e, 'Comparison: ');
  } finally {
    $<HTMLButtonElement>('compare').disabled = false;
  }
}

/** The methods of fitMMM, from its one registry: the fit menu and the comparison's boxes (the fast ones ticked). */
function listMethods(): void {
  const methods = Object.entries(FIT_METHODS) as Array<[FitMethod, (typeof FIT_METHODS)[FitMethod]]>;
  $<HTMLSelectElement>('method').innerHTML = methods
    .map(([m, e]) => `<option value="${m}">${esc(m)}: ${esc(e.description)}</option>`)
    .join('');
  const ticked = new Set(['ridge', 'linear', 'gbdt']);
  $('compare-methods').innerHTML = methods
    .map(
      ([m]) => `<label class="inline"><input type="checkbox" name="cmp" value="${m}"${ticked.has(m) ? ' checked' : ''}> ${esc(m)}</label>`,
    )
    .join('');
}

export function initFitTab(): void {
  listMethods();
  $('fit').addEventListener('click', () => void runFit());
  $('cancel').addEventListener('click', () => {
    compute.reset();
    $('status').textContent = 'Cancelled.';
  });
  $('method').addEventListener('change', () => {
    const bayes = $<HTMLSelectElement>('method').value === 'bayesian';
    for (const id of ['chains', 'warmup', 'draws', 'early-stop']) $<HTMLInputElement>(id).disabled = !bayes;
  });
  $<HTMLInputElement>('load-fit').addEventListener('change', async (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (!f) return;
    try {
      showError('');
      showFit(parseSavedFit(await f.text(), f.name), `Loaded ${f.name}`);
    } catch (err) {
      showError(err);
    }
  });
  $('compare').addEventListener('click', () => void runCompare());
}
