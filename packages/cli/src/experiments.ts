// `mmm experiments fit.json`: which lift test to run next (designExperiments), written as designs.csv, designs.json and
// a report with the designs' section.
import { resolve } from 'node:path';
import { designExperiments, type DesignExperimentsOptions } from '@mmm/pipeline';
import { renderMMMReport } from '@mmm/report';
import { stringify } from 'csv-stringify/sync';
import { readSavedFit, writeFiles } from './io.js';
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
  report?: boolean;
  out?: string;
}

/** `mmm experiments fit.json`: the designs, best first, their files and the best few on the terminal. */
export function runExperiments(fitPath: string, flags: ExperimentFlags, io: Io): number {
  const fit = readSavedFit(fitPath, 'design tests');
  const o: DesignExperimentsOptions = {};
  if (flags.channels !== undefined) o.channels = parseList(flags.channels);
  if (flags.changes !== undefined) o.spendChanges = parseList(flags.changes).map((v) => parseNumber('--changes', v));
  if (flags.durations !== undefined) o.durations = parseList(flags.durations).map((v) => parseNumber('--durations', v, 'integer'));
  if (flags.outcomes !== undefined) o.outcomes = parseNumber('--outcomes', flags.outcomes, 'integer');
  if (flags.seed !== undefined) o.seed = parseNumber('--seed', flags.seed, 'integer');
  if (flags.sd !== undefined) o.sd = parseNumber('--sd', flags.sd, 'positive');
  if (flags.geoSets !== undefined) o.geoSets = parseList(flags.geoSets).map((set) => set.split('+').map((g) => g.trim()));
  const result = designExperiments(fit, o);
  const geoCount = fit.panel?.geos.length;
  const where = (geos: string[] | undefined) =>
    geos === undefined ? '' : geos.length === geoCount ? `all ${geoCount} geos` : `${geos.length} geos`;
  const rows = result.designs.map((d, k) => [
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
  const out = resolve(flags.out ?? 'mmm-experiments');
  const files: Record<string, string> = {
    'designs.json': JSON.stringify(result, null, 2),
    'designs.csv': stringify(rows, {
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
    }),
  };
  if (flags.report !== false) files['report.html'] = renderMMMReport(fit, { experiments: result, budget: false });
  writeFiles(out, files);
  const n = (v: number) => (Math.abs(v) >= 1e5 ? v.toExponential(3) : v.toFixed(2));
  io.out.write(
    `| rank | channel |${geoCount ? ' where |' : ''} change per period | periods | power | narrowing | value of information |\n` +
      `|---:|---|${geoCount ? '---|' : ''}---:|---:|---:|---:|---:|\n`,
  );
  result.designs
    .slice(0, 10)
    .forEach((d, k) =>
      io.out.write(
        `| ${k + 1} | ${d.channel} |${geoCount ? ` ${where(d.geos)} |` : ''} ${n(d.deltaX)} | ${d.periods} | ${(100 * d.power).toFixed(0)}% | ` +
          `${d.expectedNarrowing.toFixed(2)}× | ` +
          `${d.valueOfInformation === undefined ? '' : n(d.valueOfInformation)} |\n`,
      ),
    );
  io.out.write(
    `\n${result.notes.join('\n')}\nwrote designs.json, designs.csv${files['report.html'] ? ' and report.html' : ''} to ${out}\n`,
  );
  return EXIT.ok;
}
