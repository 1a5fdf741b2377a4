// Which experiment next, in step 4: the candidate lift tests judged by the plan worker (designExperiments), the best
// first, with their power, expected narrowing and value of information, and a chart of narrowing against the spend a
// test moves.
import type { ExperimentDesigns, RefitExperimentResult } from '@mmm/pipeline';
import { scatterChart } from '@mmm/report';
import { compute, planner, state } from './state.js';
import { $, esc, fmt, pct, setDownload, showError, table, toCsv } from './ui.js';

let onChange: () => void = () => {};

/** The designs: the best in words, the first ten in a table, all of them on the chart and in the CSV. */
function show(e: ExperimentDesigns): void {
  const change = (d: ExperimentDesigns['designs'][number]) =>
    d.deltaX === -d.x ? 'go dark' : `${d.deltaX > 0 ? '+' : ''}${pct(d.deltaX / d.x, 0)}`;
  // geo fits: where each test runs
  const geoCount = state.fit?.panel?.geos.length;
  const where = (d: ExperimentDesigns['designs'][number]) =>
    !d.geos ? '' : d.geos.length === geoCount ? `all ${geoCount} geos` : d.geos.length <= 3 ? d.geos.join(', ') : `${d.geos.length} geos`;
  const b = e.designs[0];
  $('experiments-best').innerHTML = b
    ? `Best: <strong>${esc(b.channel)}, ${esc(change(b))}${b.geos ? ` in ${esc(where(b))}` : ''} for ${b.periods} periods</strong>: ${b.expectedNarrowing.toFixed(2)}× narrower ROAS interval ` +
      `(log scale), power ${pct(b.power, 0)}${b.valueOfInformation === undefined ? '' : `, worth ${fmt(b.valueOfInformation)} per period for the budget`}.`
    : 'No channel can be tested.';
  $('experiments-table').innerHTML = table(
    ['channel', ...(geoCount ? ['geos'] : []), 'change', 'periods', 'expected lift', 'power', 'narrowing', 'value / period'],
    e.designs
      .slice(0, 10)
      .map((d) => [
        d.channel,
        ...(geoCount ? [where(d)] : []),
        change(d),
        String(d.periods),
        `${fmt(d.expectedLift.mean)} [${fmt(d.expectedLift.lower)}, ${fmt(d.expectedLift.upper)}]`,
        pct(d.power, 0),
        `${d.expectedNarrowing.toFixed(2)}×`,
        d.valueOfInformation === undefined ? '–' : fmt(d.valueOfInformation),
      ]),
    'id="experiments-designs"',
  );
  const channels = [...new Set(e.designs.map((d) => d.channel))];
  $('experiments-chart').innerHTML = e.designs.length
    ? scatterChart(
        channels.map((c) => {
          const mine = e.designs.filter((d) => d.channel === c);
          return { name: c, x: mine.map((d) => Math.abs(d.deltaX) * d.periods), y: mine.map((d) => d.expectedNarrowing) };
        }),
        [],
        { title: 'Expected narrowing against the spend the test moves', width: 640, height: 260 },
      )
    : '';
  setDownload(
    'experiments-export',
    toCsv(
      [
        'channel',
        ...(geoCount ? ['geos'] : []),
        'x',
        'delta_x',
        'periods',
        'sd',
        'expected_lift',
        'power',
        'expected_narrowing',
        'value_of_information',
      ],
      e.designs.map((d) => [
        d.channel,
        ...(geoCount ? [(d.geos ?? []).join('+')] : []),
        d.x,
        d.deltaX,
        d.periods,
        d.sd,
        d.expectedLift.mean,
        d.power,
        d.expectedNarrowing,
        d.valueOfInformation ?? '',
      ]),
    ),
    'text/csv',
  );
}

async function run(): Promise<void> {
  showError('');
  const sdText = $<HTMLInputElement>('experiments-sd').value.trim();
  // geo fits: sets of geos as "Geo0+Geo1, Geo2+Geo3" (blank: all geos, and every other by spend)
  const setsText = $<HTMLInputElement>('experiments-geo-sets').value.trim();
  const options = {
    ...(sdText ? { sd: Number(sdText) } : {}),
    ...(setsText && state.fit?.panel ? { geoSets: setsText.split(',').map((set) => set.split('+').map((g) => g.trim())) } : {}),
  };
  try {
    const e = await planner.call<ExperimentDesigns>({ op: 'experiments', options });
    state.experiments = e;
    state.experimentRefit = undefined;
    $('experiments-refit-result').textContent = '';
    show(e);
    // refits need the data and options the fit was made with here, and a Bayesian fit (lift tests enter its likelihood)
    $<HTMLButtonElement>('experiments-refit').disabled = !(
      state.fitRun &&
      e.designs.length &&
      (state.fit?.method ?? 'bayesian') === 'bayesian'
    );
    onChange();
  } catch (err) {
    showError(err, 'Experiments: ');
  }
}

/** The best design judged by refitting with simulated results, on the compute worker. */
async function refit(): Promise<void> {
  const best = state.experiments?.designs[0];
  if (!best || !state.fitRun || !state.fit) return;
  showError('');
  const button = $<HTMLButtonElement>('experiments-refit');
  button.disabled = true;
  const out = $('experiments-refit-result');
  const outcomes = Number($<HTMLInputElement>('experiments-refits').value);
  if (!(Number.isInteger(outcomes) && outcomes >= 1)) {
    showError('Refits: give a whole number of refits, 1 or more.');
    button.disabled = false;
    return;
  }
  out.textContent = `Refitting ${outcomes} times…`;
  try {
    const r = await compute.call<RefitExperimentResult>(
      { op: 'refitExperiment', rows: state.fitRun.rows, options: state.fitRun.options, fit: state.fit, design: best, outcomes },
      (p) => {
        const { done, total } = p as { done: number; total: number };
        out.textContent = `Refitting: ${done} of ${total} done…`;
      },
    );
    state.experimentRefit = r;
    out.textContent =
      `By refitting with ${r.outcomes.length} simulated results: ${r.narrowing.toFixed(2)}× narrower (each ` +
      `${r.outcomes.map((o) => `${o.narrowing.toFixed(2)}×`).join(', ')}), against ${r.expectedNarrowing.toFixed(2)}× predicted` +
      `${r.failedGates ? `; ${r.failedGates} refits did not pass the gate` : ''}.`;
    onChange();
  } catch (err) {
    out.textContent = '';
    showError(err, 'Refit: ');
  } finally {
    button.disabled = false;
  }
}

/** A new fit: no designs yet. */
export function resetExperiments(): void {
  state.experiments = undefined;
  state.experimentRefit = undefined;
  $<HTMLButtonElement>('experiments-refit').disabled = true;
  $('experiments-refit-result').textContent = '';
  $('experiments-best').textContent = '';
  $('experiments-table').innerHTML = '';
  $('experiments-chart').innerHTML = '';
  $('experiments-geo-sets-label').hidden = !state.fit?.panel;
}

/** The button; `changed` is called when designs are made (for the report). */
export function initExperimentsTab(changed: () => void): void {
  onChange = changed;
  $('experiments-run').addEventListener('click', () => void run());
  $('experiments-refit').addEventListener('click', () => void refit());
}
