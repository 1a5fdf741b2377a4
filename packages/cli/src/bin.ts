#!/usr/bin/env node
// The `mmm` command: fit, optimize, plan, experiments, stability, clv, worker, batch. Argument parsing by commander;
// each command returns its exit
// code (see EXIT in commands.ts), errors are printed as one line that names the flag, column or file.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { FIT_METHODS } from '@mmm/pipeline';
import { EXIT, exitCodeOf, runClv, runFit, runOptimize, runStability, type Io } from './commands.js';
import { parseNumber } from './options.js';
import { runPlan } from './plan.js';
import { runExperiments } from './experiments.js';
import { runValue } from './value.js';
import { submitBatch } from './queue/batch.js';
import { readBatch } from './queue/jobs.js';
import { FolderStore } from './queue/store.js';
import { DEFAULT_QUEUE, startWorker } from './queue/worker.js';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const io: Io = { out: process.stdout, err: process.stderr };

// a reader that closes early (`mmm --help | head -5`) is no error: stop quietly, as Unix tools do
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(EXIT.ok);
  });
}

/** Wraps a command's action so that its exit code becomes the program's. */
type Runner = (f: () => number | Promise<number>) => () => Promise<void>;

async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const run = (f: () => number | Promise<number>) => async () => {
    code = await f();
  };
  const program = new Command('mmm')
    .description('Marketing mix models, budgets and customer lifetime value from CSV files (https://github.com/mmm-js/mmm)')
    .version(version)
    .option('-q, --quiet', 'no progress output')
    .exitOverride()
    .showHelpAfterError('(mmm --help for usage)')
    .addHelpText(
      'after',
      `\nExit codes: 0 done, 1 an internal fault, 2 bad input (the message names the flag, column or file), 3 the convergence\ngate ` +
        `failed (files are written), 4 some batch jobs failed, 130 interrupted.\n\nExamples:\n  mmm fit data.csv --date week --target ` +
        `sales --channels tv,search,social --controls price --out results/\n  mmm fit --config mmm.json\n  mmm optimize ` +
        `results/fit.json --budget 120000 --bounds 0.7,1.3 --out plan/\n  mmm plan results/fit.json --periods 13 --budget 1.2e6 ` +
        `--bounds 0,3 --out schedule/\n  mmm clv transactions.csv --customer id --date day --amount ` +
        `value --out clv/\n  mmm worker --redis redis://127.0.0.1:6379 --store results/ --concurrency 2\n  mmm batch jobs.json --redis ` +
        `redis://127.0.0.1:6379`,
    );
  const quiet = () => Boolean(program.opts().quiet);
  const quietIo = () => ({ ...io, quiet: quiet() });
  addFit(program, run, quietIo);
  addOptimize(program, run);
  addPlan(program, run);
  addExperiments(program, run);
  addStability(program, run);
  addClv(program, run);
  addValue(program, run);
  addQueue(program, run);

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError)
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.ok : EXIT.input;
    const c = exitCodeOf(e);
    process.stderr.write(`mmm: ${e instanceof Error ? e.message : String(e)}\n`);
    if (c === EXIT.internal && e instanceof Error && e.stack)
      process.stderr.write(`${e.stack}\nThis looks like a fault of ours: please report it with the command that gave it.\n`);
    return c;
  }
  return code;
}

/** `mmm fit`: its flags and help texts. */
function addFit(program: Command, run: Runner, io: () => Io): void {
  program
    .command('fit')
    .description('fit a marketing mix model to a CSV file; writes fit.json, report.html, contributions.csv, roas.csv and run.json')
    .argument('[data]', 'CSV file with a header row, one row per period (or per geo and period); or "data" in --config')
    .option('--config <file>', 'JSON file with fitMMM options (date, target, channels, controls, model, liftTests, …); flags override it')
    .option('--date <column>', 'date column')
    .option('--target <column>', 'target column (sales, revenue, conversions)')
    .option(
      '--channels <list>',
      'channels, comma separated: name, name=spend_column, name=spend_column:exposure_column or ' +
        'name=spend_column:reach_column:frequency_column (reach and frequency)',
    )
    .option('--controls <list>', 'control columns, comma separated')
    .option('--organic <list>', 'organic media columns (exposures without spend: a contribution, no ROAS), comma separated')
    .option('--treatments <list>', 'non-media treatment columns (price, promotions: effects, reported apart from controls)')
    .option('--geo <column>', 'geo column (several geos fit the hierarchical geo model)')
    .option('--population <column>', "each geo's population (per-capita scaling)")
    .addOption(new Option('--method <method>', 'estimator').choices(Object.keys(FIT_METHODS)))
    .option('--seed <n>', 'random seed (same seed, same result)')
    .option('--chains <n>', 'Bayesian: chains (default 4)')
    .option('--warmup <n>', 'Bayesian: warmup iterations per chain (default 1000)')
    .option('--draws <n>', 'Bayesian: draws per chain (default 1000)')
    .option('--target-accept <p>', 'Bayesian: target acceptance (default 0.8)')
    .option('--no-remedy', 'Bayesian: do not rerun automatically when the convergence gate fails')
    .option('--no-local-step-size', 'Bayesian: plain NUTS steps (no smaller steps where the step size is unstable)')
    .option(
      '--early-stop [ess]',
      "Bayesian: stop sampling once R-hat and bulk/tail ESS of every parameter meet their targets (ESS 1.25× the gate's, " +
        'or the number given); --draws is then a ceiling',
    )
    .option(
      '--time-varying <which>',
      "Bayesian: media effects that change over time: 'perChannel', 'shared' (one multiplier for all media) " +
        'or channel names, comma separated',
    )
    .option(
      '--interactions <pairs>',
      "interaction terms (Bayesian and classical), channel:with pairs, comma separated: tv:season (tv's effect modulated by " +
        'the season), tv:search (a synergy of the two channels)',
    )
    .option('--no-report', 'skip report.html')
    .option('--title <text>', 'report title')
    .option('--allow-gate-failure', 'exit 0 even when the convergence gate fails')
    .option('--strict', "exit 3 when any check of the fit's review fails (review.json)")
    .option('--out <dir>', 'output folder (default mmm-out)')
    .action(async (data: string | undefined, flags: Record<string, unknown>) => run(() => runFit(data, flags, io()))());
}

/** `mmm optimize`. */
function addOptimize(program: Command, run: Runner): void {
  program
    .command('optimize')
    .description('split a budget over channels (or geo × channel cells) with a saved fit; writes plan.json and plan.csv')
    .argument('<fit>', 'fit.json written by mmm fit')
    .option('--budget <amount>', 'budget per period of the data (default: current total spend per period)')
    .option('--periods <n>', 'the budget covers this many periods (it is divided by n)')
    .option('--bounds <lower,upper>', "each channel's spend within these multiples of its current spend, e.g. 0.7,1.3")
    .option('--by-geo', 'geo fits: split over geo × channel cells')
    .option(
      '--effect-window <from,to>',
      'fits whose effects change over time: the mean effect over these dates of the fit (default: the last fitted period)',
    )
    .option('--value <file>', 'value.json of mmm value: plan the value of the new customers each channel brings (give its fit.json)')
    .option(
      '--frequency <choice>',
      "reach-and-frequency channels: deliver spend at the 'optimal' frequency (default) or the data's 'historical' one",
    )
    .option('--out <dir>', 'output folder (default mmm-plan)')
    .action(async (fit: string, flags: Record<string, unknown>) => run(() => runOptimize(fit, flags, io))());
}

/** `mmm plan`. */
function addPlan(program: Command, run: Runner): void {
  program
    .command('plan')
    .description(
      'a spend schedule per channel and period after the data (carry-over, flighting); writes schedule.csv, plan.json, report.html',
    )
    .argument('<fit>', 'fit.json written by mmm fit')
    .option('--periods <n>', 'periods to plan, from the period after the data')
    .option('--budget <amount>', 'total spend over the periods, all channels')
    .option('--target-incremental <amount>', 'instead of a budget: the least budget whose plan causes this much response')
    .option('--target-roas <r>', 'instead of a budget: the largest budget whose plan still returns r per unit spent')
    .option('--bounds <lower,upper>', "each channel's spend per period within these multiples of its average spend per period, e.g. 0,3")
    .option('--blackout <periods>', 'dark periods (dates or indices from 0), for every channel or as channel:period, comma separated')
    .option('--min-flight <n>', 'every flight lasts at least n periods')
    .option('--start <date>', 'first planned period (default: the period after the data)')
    .option('--no-tail', "leave out what the plan's last periods do after it")
    .option('--compare <schedule>', "also report a schedule: 'current' (the average spend per period)")
    .option('--value <file>', 'value.json of mmm value: plan the value of the new customers each channel brings (give its fit.json)')
    .option('--no-report', 'skip report.html')
    .option('--out <dir>', 'output folder (default mmm-schedule)')
    .action(async (fit: string, flags: Record<string, unknown>) => run(() => runPlan(fit, flags, io))());
}

/** `mmm experiments`. */
function addExperiments(program: Command, run: Runner): void {
  program
    .command('experiments')
    .description('which lift test to run next: candidate tests judged from the fit; writes designs.csv, designs.json, report.html')
    .argument('<fit>', 'fit.json written by mmm fit')
    .option('--channels <list>', 'channels to test (default: all whose effect is constant)')
    .option('--changes <list>', 'spend changes as shares of current spend per period (default -1,-0.5,0.5,1; -1 is going dark)')
    .option('--durations <list>', 'test lengths in periods (default 4,8,12)')
    .option('--sd <amount>', "the standard error of a test's measured total lift (default: the model's noise over the test's periods)")
    .option('--geo-sets <list>', 'geo fits: sets of geos to test in, geos joined by + (default: all geos, and every other by spend)')
    .option('--outcomes <n>', 'simulated outcomes per test (default 200)')
    .option('--seed <n>', 'random seed (default 1)')
    .option('--refit <n>', 'also judge the best design by n refits with simulated results (needs run.json beside fit.json)')
    .option('--no-report', 'skip report.html')
    .option('--out <dir>', 'output folder (default mmm-experiments)')
    .action(async (fit: string, flags: Record<string, unknown>) => run(() => runExperiments(fit, flags, io))());
}

/** `mmm stability`. */
function addStability(program: Command, run: Runner): void {
  program
    .command('stability')
    .description(
      "which channel's effect changed: from a fit with --time-varying, each channel's effect after a date over before it (or the largest " +
        'change between quarters); writes stability.json and stability.csv',
    )
    .argument('<fit>', 'fit.json written by mmm fit --time-varying …')
    .option('--split <date>', 'a date of the fit where "after" begins (default: the largest change between consecutive quarters)')
    .option('--out <dir>', 'output folder (default mmm-stability)')
    .action(async (fit: string, flags: Record<string, unknown>) => run(() => runStability(fit, flags, io))());
}

/** `mmm clv`. */
function addClv(program: Command, run: Runner): void {
  program
    .command('clv')
    .description(
      'customer lifetime value from transactions: RFM summary, BG/NBD or Pareto/NBD, Gamma-Gamma; writes clv.csv, clv.json, report.html',
    )
    .argument('<transactions>', 'CSV file, one row per transaction')
    .option('--customer <column>', 'customer id column')
    .option('--date <column>', 'transaction date column')
    .option('--amount <column>', 'amount column')
    .addOption(new Option('--model <model>', 'purchase model').choices(['bgnbd', 'paretonbd']).default('bgnbd'))
    .addOption(new Option('--unit <unit>', 'time unit of recency and T').choices(['days', 'weeks', 'months']).default('weeks'))
    .option('--calibration-end <date>', 'end of the calibration period (later purchases are the holdout)')
    .option('--months <n>', 'CLV horizon in months (default 12)')
    .option('--discount <rate>', 'monthly discount rate (default 0.01)')
    .option('--out <dir>', 'output folder (default mmm-clv)')
    .action(async (path: string, flags: Record<string, unknown>) => run(() => runClv(path, flags, io))());
}

/** `mmm value`. */
function addValue(program: Command, run: Runner): void {
  program
    .command('value')
    .description(
      'channels valued by the customers they bring: an MMM of new customers joined with their lifetime value; writes value.json, ' +
        'value.csv, cohorts.csv, report.html and fit.json (the MMM of new customers)',
    )
    .option('--media <file>', 'CSV of media spend, one row per period')
    .option('--date <column>', "the media's date column")
    .option('--channels <list>', 'spend columns, comma separated')
    .option('--controls <list>', 'control columns, comma separated')
    .option('--transactions <file>', 'CSV of transactions, one row per purchase')
    .option('--customer <column>', 'customer id column of the transactions')
    .option('--transaction-date <column>', 'date column of the transactions')
    .option('--amount <column>', 'amount column of the transactions')
    .option('--acquisition-channel <column>', "the channel that acquired each customer (without it: each channel's value from the cohorts)")
    .option('--horizon-months <n>', 'value counted over this many months from the first purchase (default 12)')
    .option('--seed <n>', 'random seed (default 1)')
    .option('--chains <n>', 'MMM: chains (default 4)')
    .option('--warmup <n>', 'MMM: warmup iterations per chain (default 1000)')
    .option('--draws <n>', 'MMM: draws per chain (default 1000)')
    .option('--out <dir>', 'output folder (default mmm-value)')
    .action(async (flags: Record<string, unknown>) => run(() => runValue(flags, io))());
}

/** `mmm worker` and `mmm batch`: the job queue on Redis. */
function addQueue(program: Command, run: Runner): void {
  program
    .command('worker')
    .description('take fit jobs from the Redis queue until stopped (Ctrl-C or SIGTERM finishes the running jobs first)')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .option('--queue <name>', 'queue name', DEFAULT_QUEUE)
    .option('--store <dir>', 'folder for results (one folder per job id)', 'mmm-results')
    .option('--concurrency <n>', 'jobs at once in this process', '1')
    .option('--threads <n>', "threads per fit's chains (default: cores / concurrency)")
    .option('--timeout <seconds>', "a job's time limit unless it sets one", '3600')
    .option('--lock-duration <ms>', 'a dead worker holds its jobs this long before others retry them', '30000')
    .option('--stalled-interval <ms>', 'how often to look for jobs of dead workers', '30000')
    .action(async (flags: Record<string, string>) => run(() => runWorker(flags))());

  program
    .command('batch')
    .description('submit a batch of fits to the queue and wait for them (workers store the results)')
    .argument('<jobs>', 'JSON file: { "defaults": options, "jobs": [{ "id", "data": "file.csv" or "rows": [...], "options" }] }')
    .requiredOption('--redis <url>', 'Redis URL')
    .option('--queue <name>', 'queue name', DEFAULT_QUEUE)
    .option('--attempts <n>', 'tries per job (typed input errors are not retried)', '3')
    .option('--timeout <seconds>', "each job's time limit")
    .option('--no-wait', 'submit and return')
    .action(async (path: string, flags: Record<string, unknown>) => run(() => runBatch(path, flags))());
}

async function runWorker(flags: Record<string, string>): Promise<number> {
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const worker = await startWorker({
    redis: flags.redis,
    queue: flags.queue,
    store: new FolderStore(flags.store),
    concurrency: parseNumber('--concurrency', flags.concurrency, 'integer'),
    threadsPerJob: flags.threads === undefined ? undefined : parseNumber('--threads', flags.threads, 'integer'),
    timeoutSeconds: parseNumber('--timeout', flags.timeout, 'positive'),
    lockDurationMs: parseNumber('--lock-duration', flags.lockDuration, 'positive'),
    stalledIntervalMs: parseNumber('--stalled-interval', flags.stalledInterval, 'positive'),
    log,
  });
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) process.exit(EXIT.interrupted);
      stopping = true;
      log(`${signal}: finishing the running jobs, then stopping (again to stop now; its jobs are retried elsewhere)`);
      void worker.close().then(resolve);
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  return EXIT.ok;
}

async function runBatch(path: string, flags: Record<string, unknown>): Promise<number> {
  const jobs = readBatch(path);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`submitting ${jobs.length} jobs to ${String(flags.queue)}`);
  const outcomes = await submitBatch(jobs, {
    redis: String(flags.redis),
    queue: String(flags.queue),
    attempts: parseNumber('--attempts', String(flags.attempts), 'integer'),
    timeoutSeconds: flags.timeout === undefined ? undefined : parseNumber('--timeout', String(flags.timeout), 'positive'),
    wait: flags.wait !== false,
    onUpdate: (u) => {
      const p = u.progress as { fraction?: number; etaSeconds?: number } | undefined;
      if (u.state === 'active' && p?.fraction !== undefined)
        log(`${u.id}: ${Math.round(100 * p.fraction)}%${p.etaSeconds !== undefined ? `, ETA ${Math.round(p.etaSeconds)} s` : ''}`);
      else {
        const retried = u.attempts > 1 || (u.attempts > 0 && u.state !== 'completed' && u.state !== 'failed');
        log(`${u.id}: ${u.state}${retried ? ` (attempts so far: ${u.attempts})` : ''}`);
      }
    },
  });
  if (flags.wait === false) return EXIT.ok;
  process.stdout.write('| job | state | attempts | where / error |\n|---|---|---:|---|\n');
  for (const o of outcomes)
    process.stdout.write(`| ${o.id} | ${o.state} | ${o.attempts} | ${o.state === 'completed' ? o.result?.location : o.error} |\n`);
  const failed = outcomes.filter((o) => o.state !== 'completed').length;
  process.stdout.write(`\n${outcomes.length - failed} of ${outcomes.length} jobs completed${failed ? `, ${failed} failed` : ''}\n`);
  return failed > 0 ? EXIT.jobsFailed : EXIT.ok;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`mmm: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = EXIT.internal;
  },
);
