// `mmm plan fit.json --periods 13 --budget 1.2e6`: a spend schedule per channel and period after the data
// (planSchedule), written as schedule.csv (a row per period), plan.json and a report with the plan's section.
import { resolve } from 'node:path';
import { InvalidInputError } from '@mmm/core';
import { planSchedule, spendPerPeriod, type MMMFit, type PlanScheduleOptions, type SchedulePlan } from '@mmm/pipeline';
import { renderMMMReport } from '@mmm/report';
import { stringify } from 'csv-stringify/sync';
import { readChannelValue, readSavedFit, writeFiles } from './io.js';
import { parseBoundMultiples, parseList, parseNumber } from './options.js';
import { EXIT, type Io } from './commands.js';

/** The flags of `mmm plan`. */
export interface PlanFlags {
  periods?: string;
  budget?: string;
  targetIncremental?: string;
  targetRoas?: string;
  bounds?: string;
  blackout?: string;
  minFlight?: string;
  start?: string;
  tail?: boolean;
  compare?: string;
  /** value.json of `mmm value`: plan the value of new customers (with its fit.json) */
  value?: string;
  report?: boolean;
  out?: string;
}

/** `--blackout 2024-01-08,tv:2024-01-15,3`: periods (dates or indices) dark for every channel, or `channel:period`. @internal */
function parseBlackout(flag: string, channels: readonly string[]): PlanScheduleOptions['blackout'] {
  const all: Array<string | number> = [];
  const per: Record<string, Array<string | number>> = {};
  const period = (p: string) => (/^\d+$/.test(p) ? Number(p) : p);
  for (const item of parseList(flag)) {
    const at = item.indexOf(':');
    if (at < 0) {
      all.push(period(item));
      continue;
    }
    const channel = item.slice(0, at);
    if (!channels.includes(channel))
      throw new InvalidInputError(
        '--blackout',
        `names "${channel}"`,
        `Use a channel of the fit (${channels.join(', ')}) before the colon.`,
      );
    (per[channel] ??= []).push(period(item.slice(at + 1)));
  }
  if (all.length && Object.keys(per).length)
    throw new InvalidInputError('--blackout', `is "${flag}"`, 'Give periods for every channel, or channel:period pairs, not both.');
  return all.length ? all : per;
}

/** The options of planSchedule from the flags; bounds are multiples of each channel's average spend per period. @internal */
function planOptions(fit: MMMFit, flags: PlanFlags): PlanScheduleOptions {
  if (flags.periods === undefined) throw new InvalidInputError('--periods', 'is missing', 'Give the periods to plan: --periods 13.');
  const periods = parseNumber('--periods', flags.periods, 'integer');
  const goals = [flags.budget, flags.targetIncremental, flags.targetRoas].filter((v) => v !== undefined).length;
  if (goals !== 1)
    throw new InvalidInputError(
      '--budget',
      goals === 0 ? 'is missing' : 'is given with a target',
      'Give one of --budget (the total over the periods), --target-incremental or --target-roas.',
    );
  const channels = fit.spec.channels.map((c) => c.name);
  const current = spendPerPeriod(fit);
  const o: PlanScheduleOptions = { periods };
  if (flags.budget !== undefined) o.budget = parseNumber('--budget', flags.budget, 'positive');
  if (flags.targetIncremental !== undefined)
    o.target = { incremental: parseNumber('--target-incremental', flags.targetIncremental, 'positive') };
  if (flags.targetRoas !== undefined) o.target = { roas: parseNumber('--target-roas', flags.targetRoas, 'positive') };
  if (flags.bounds !== undefined) o.bounds = parseBoundMultiples(flags.bounds, current, '0,3');
  if (flags.blackout !== undefined) o.blackout = parseBlackout(flags.blackout, channels);
  if (flags.minFlight !== undefined) o.minFlight = parseNumber('--min-flight', flags.minFlight, 'integer');
  if (flags.start !== undefined) o.start = flags.start;
  if (flags.tail === false) o.tail = false;
  if (flags.compare !== undefined) {
    if (flags.compare !== 'current')
      throw new InvalidInputError('--compare', `is "${flags.compare}"`, "Give 'current' (the average spend per period, every period).");
    o.compare = 'current';
  }
  if (flags.value !== undefined) o.channelValue = readChannelValue(flags.value);
  return o;
}

/** schedule.csv: a row per planned period (and per tail period), spend per channel and the response with its band. @internal */
function scheduleCsv(plan: SchedulePlan): string {
  const channels = Object.keys(plan.spend);
  const H = plan.dates.length;
  const rows = [...plan.dates, ...plan.tailDates].map((date, t) => [
    date,
    t < H ? 'plan' : 'tail',
    ...channels.map((c) => (t < H ? plan.spend[c][t] : 0)),
    plan.byPeriod.mean[t],
    plan.byPeriod.lower[t],
    plan.byPeriod.upper[t],
    t < H ? plan.carryOver.mean[t] : '',
  ]);
  return stringify(rows, {
    header: true,
    columns: ['date', 'part', ...channels, 'response', 'response_lower', 'response_upper', 'carry_over'],
  });
}

/** `mmm plan fit.json`: the schedule, its files and a summary on the terminal. */
export function runPlan(fitPath: string, flags: PlanFlags, io: Io): number {
  const fit = readSavedFit(fitPath, 'plan');
  const plan = planSchedule(fit, planOptions(fit, flags));
  const out = resolve(flags.out ?? 'mmm-schedule');
  const files: Record<string, string> = { 'plan.json': JSON.stringify(plan, null, 2), 'schedule.csv': scheduleCsv(plan) };
  if (flags.report !== false) files['report.html'] = renderMMMReport(fit, { schedule: plan, budget: false });
  writeFiles(out, files);
  const n = (v: number) => (Math.abs(v) >= 1e5 ? v.toExponential(3) : v.toFixed(2));
  const pct = Math.round(100 * fit.settings.interval);
  io.out.write(`| channel | spend | response caused | ROAS |\n|---|---:|---:|---:|\n`);
  for (const [c, ch] of Object.entries(plan.channels))
    io.out.write(`| ${c} | ${n(ch.spend)} | ${n(ch.incremental.mean)} | ${ch.spend > 0 ? n(ch.roas.mean) : ''} |\n`);
  const cmp = plan.compare ? `; ${(100 * plan.compare.uplift.relative).toFixed(1)}% over the current spend` : '';
  io.out.write(
    `\n${plan.dates.length} periods from ${plan.dates[0]}, budget ${n(plan.budget)}: response caused ${n(plan.incremental.mean)} ` +
      `(${pct}% interval ${n(plan.incremental.lower)} to ${n(plan.incremental.upper)})${cmp}; KKT ` +
      `${plan.kkt.satisfied ? 'satisfied' : 'NOT satisfied'}\n${plan.notes.join('\n')}\n` +
      `wrote plan.json, schedule.csv${files['report.html'] ? ' and report.html' : ''} to ${out}\n`,
  );
  return EXIT.ok;
}
