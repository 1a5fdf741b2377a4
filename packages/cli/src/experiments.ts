// `mmm experiments fit.json`: which lift test to run next (designExperiments), written as designs.csv, designs.json and
// a report with the designs' section; with --refit n the best design is also judged by refitting (refitExperiment) on
// the data and options of the run that made the fit (run.json beside fit.json).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InvalidInputError } from '@mmm/core';
import {
  designExperiments,
  refitExperiment,
  type DesignExperimentsOptions,
  type FitMMMOptions,
  type ModelFit,
  type RefitExperimentResult,
  type ExperimentDesign,
} from '@mmm/pipeline';
import { renderMMMReport } from '@mmm/report';
import { stringify } from 'csv-stringify/sync';
import { readCsv, readJson, readSavedFit, writeFiles } from './io.js';
import { parseList, parseNumber } from './options.js';
import { EXIT, type Io } from './commands.js';

/** The flags of `mmm experiments`. */
export interface ExperimentFlags {
  channels?: string;
  changes?: string;
  durations?: string;
  sd?: string;
  geoSets?: string;
  outcomes?: string;
  seed?: string;
  /** judge the best design by this many refits with simulated outcomes */
  refit?: string;
  report?: boolean;
  out?: string;
}

/** The best design judged by refitting on the data and options of the run that made the fit (its run.json). @internal */
async function refitBest(fitPath: string, fit: ModelFit, best: ExperimentDesign, outcomes: number, io: Io): Promise<RefitExperimentResult> {
  const runPath = join(dirname(resolve(fitPath)), 'run.json');
  if (!existsSync(runPath))
    throw new InvalidInputError(
      '--refit',
      `needs ${runPath}`,
      'Refit a fit that mmm fit wrote: its folder holds run.json with the data and options.',
    );
  const run = readJson(runPath, 'run.json') as { data?: string; options?: FitMMMOptions };
  if (typeof run?.data !== 'string' || !run.options)
    throw new InvalidInputError('run.json', 'has no data or options', 'Refit a fit that mmm fit wrote (mmm fit writes run.json).');
  const rows = readCsv(run.data, 'run.json data');
  io.err.write(`refitting with ${outcomes} simulated results of the best design (${best.channel}) …\n`);
  return refitExperiment(rows, run.options, fit, best, {
    outcomes,
    onOutcome: (done, total) => io.err.write(`refit ${done} of ${total}\n`),
  });
}

/** designs.csv: one row per design, best first. @internal */
function designsCsv(designs: readonly ExperimentDesign[]): string {
  const rows = designs.map((d, k) => [
    k + 1,
    d.channel,
    (d.geos ?? []).join('+'),
    d.x,
    d.deltaX,
    d.periods,
    d.sd,
    d.expectedLift.mean,
    d.expectedLift.lower,
    d.expectedLift.upper,
    d.power,
    d.expectedNarrowing,
    d.narrowingRange[0],
    d.narrowingRange[1],
    d.valueOfInformation ?? '',
    d.importanceEss,
    d.warning ?? '',
  ]);
  return stringify(rows, {
    header: true,
    columns: [
      'rank',
      'channel',
      'geos',
      'x',
      'delta_x',
      'periods',
      'sd',
      'expected_lift',
      'expected_lift_lower',
      'expected_lift_upper',
      'power',
      'expected_narrowing',
      'narrowing_p10',
      'narrowing_p90',
      'value_of_information',
      'importance_ess',
      'warning',
    ],
  });
}

/** The best designs as a table on the terminal; on a geo fit, where each runs. @internal */
function writeTable(designs: readonly ExperimentDesign[], geoCount: number | undefined, io: Io): void {
  const where = (geos: string[] | undefined) =>
    geos === undefined ? '' : geos.length === geoCount ? `all ${geoCount} geos` : `${geos.length} geos`;
  const n = (v: number) => (Math.abs(v) >= 1e5 ? v.toExponential(3) : v.toFixed(2));
  io.out.write(
    `| rank | channel |${geoCount ? ' where |' : ''} change per period | periods | power | narrowing | value of information |\n` +
      `|---:|---|${geoCount ? '---|' : ''}---:|---:|---:|---:|---:|\n`,
  );
  designs.forEach((d, k) =>
    io.out.write(
      `| ${k + 1} | ${d.channel} |${geoCount ? ` ${where(d.geos)} |` : ''} ${n(d.deltaX)} | ${d.periods} | ` +
        `${(100 * d.power).toFixed(0)}% | ` +
        `${d.expectedNarrowing.toFixed(2)}× | ` +
        `${d.valueOfInformation === undefined ? '' : n(d.valueOfInformation)} |\n`,
    ),
  );
}

/** `mmm experiments fit.json`: the designs, best first, their files and the best few on the terminal. */
export async function runExperiments(fitPath: string, flags: ExperimentFlags, io: Io): Promise<number> {
  const fit = readSavedFit(fitPath, 'design tests');
  const o: DesignExperimentsOptions = {};
  if (flags.channels !== undefined) o.channels = parseList(flags.channels);
  if (flags.changes !== undefined) o.spendChanges = parseList(flags.changes).map((v) => parseNumber('--changes', v));
  if (flags.durations !== undefined) o.durations = parseList(flags.durations).map((v) => parseNumber('--durations', v, 'integer'));
  if (flags.outcomes !== undefined) o.outcomes = parseNumber('--outcomes', flags.outcomes, 'integer');
  if (flags.seed !== undefined) o.seed = parseNumber('--seed', flags.seed, 'integer');
  if (flags.sd !== undefined) o.sd = parseNumber('--sd', flags.sd, 'positive');
  if (flags.geoSets !== undefined) o.geoSets = parseList(flags.geoSets).map((set) => set.split('+').map((g) => g.trim()));
  const refitCount = flags.refit === undefined ? 0 : parseNumber('--refit', flags.refit, 'integer');
  const result = designExperiments(fit, o);
  const refit = refitCount > 0 && result.designs.length ? await refitBest(fitPath, fit, result.designs[0], refitCount, io) : undefined;
  const geoCount = fit.panel?.geos.length;
  const out = resolve(flags.out ?? 'mmm-experiments');
  const files: Record<string, string> = {
    'designs.json': JSON.stringify(result, null, 2),
    'designs.csv': designsCsv(result.designs),
  };
  if (refit) files['refit.json'] = JSON.stringify(refit, null, 2);
  if (flags.report !== false)
    files['report.html'] = renderMMMReport(fit, { experiments: result, ...(refit ? { experimentRefit: refit } : {}), budget: false });
  writeFiles(out, files);
  writeTable(result.designs.slice(0, 10), geoCount, io);
  if (refit)
    io.out.write(
      `\nbest design by refitting with ${refit.outcomes.length} simulated results: narrowing ${refit.narrowing.toFixed(2)}× ` +
        `(predicted ${refit.expectedNarrowing.toFixed(2)}×; each: ${refit.outcomes.map((x) => x.narrowing.toFixed(2)).join(', ')})` +
        `${refit.failedGates ? `; ${refit.failedGates} refits did not pass the gate` : ''}\n`,
    );
  io.out.write(
    `\n${result.notes.join('\n')}\nwrote designs.json, designs.csv${refit ? ', refit.json' : ''}` +
      `${files['report.html'] ? ' and report.html' : ''} to ${out}\n`,
  );
  return EXIT.ok;
}
