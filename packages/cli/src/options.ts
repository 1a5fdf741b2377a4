// Command-line flags and --config files turned into fitMMM's options, with typed errors that name the flag.
import { dirname, resolve } from 'node:path';
import { ANY, checkOptions, InvalidInputError, InvalidParameterError, optionKeys } from '@mmm/core';
import { FIT_OPTION_KEYS, type ChannelInput, type FitMMMOptions } from '@mmm/pipeline';
import { readJson } from './io.js';

/** fitMMM's options that a JSON config may hold, and the CLI's own: `data` (a CSV path), `out`, `report`, `title`. */
export type FitConfig = Partial<Omit<FitMMMOptions, 'onProgress' | 'signal' | 'createWorker' | 'warmStart'>> & {
  data?: string;
  out?: string;
  report?: boolean;
  title?: string;
};

/**
 * The keys a config file may hold: fitMMM's (checked at every level by the same shapes as `fitMMM` itself, so a
 * misspelt `model.trnd` names the nearest valid key) less the callbacks and the warm start, and the CLI's own.
 */
const { onProgress: _p, signal: _s, createWorker: _w, warmStart: _ws, ...fitKeys } = FIT_OPTION_KEYS;
const CONFIG_SHAPE = optionKeys<FitConfig>({ ...fitKeys, data: ANY, out: ANY, report: ANY, title: ANY });

/** Reads a --config file: a JSON object with fitMMM's option fields; `data` and `out` resolve against the file's folder. */
export function readConfig(path: string): FitConfig {
  const raw = readJson(path, '--config');
  return checkConfig(raw, '--config', dirname(resolve(path)));
}

/** Checks a config object (from a file or a batch job): known keys only, paths resolved against `base`. */
export function checkConfig(raw: unknown, field: string, base?: string): FitConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new InvalidInputError(
      field,
      'is not a JSON object',
      'Write the options as { "date": "week", "target": "sales", "channels": ["tv", "search"], … }.',
    );
  checkOptions(raw, CONFIG_SHAPE, field);
  const c = { ...(raw as FitConfig) };
  if (base && typeof c.data === 'string') c.data = resolve(base, c.data);
  if (base && typeof c.out === 'string') c.out = resolve(base, c.out);
  return c;
}

/**
 * `tv`, `tv=tv_spend`, `tv=tv_spend:tv_impressions` (name = spend column : exposure column) or
 * `video=video_spend:video_reach:video_frequency` (a reach-and-frequency channel: spend, reach and frequency columns).
 */
export function parseChannels(list: string, field = '--channels'): ChannelInput[] {
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new InvalidInputError(field, 'names no channel', 'List the channel columns: --channels tv,search,social.');
  return items.map((item) => {
    const eq = item.indexOf('=');
    if (eq < 0) return item;
    const name = item.slice(0, eq);
    const parts = item.slice(eq + 1).split(':');
    const [spend, exposure] = parts;
    if (!name || !spend || parts.length > 3 || parts.some((p) => p === ''))
      throw new InvalidInputError(
        field,
        `has "${item}"`,
        'Write a channel as name, name=spend_column, name=spend_column:exposure_column or ' +
          'name=spend_column:reach_column:frequency_column.',
      );
    if (parts.length === 3) return { name, spend, reach: parts[1], frequency: parts[2] };
    return exposure ? { name, spend, exposure } : { name, spend };
  });
}

/** A comma-separated list. */
export function parseList(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `--interactions tv:season,tv:search` as fitMMM's `model.interactions`. @internal */
function parseInteractions(list: string): Array<{ channel: string; with: string }> {
  return parseList(list).map((pair) => {
    const [channel, partner, ...rest] = pair.split(':').map((s) => s.trim());
    if (!channel || !partner || rest.length > 0)
      throw new InvalidInputError('--interactions', `has "${pair}"`, 'Give channel:with pairs, comma separated: tv:season,tv:search.');
    return { channel, with: partner };
  });
}

/** A number flag, checked. */
export function parseNumber(flag: string, value: string, kind: 'integer' | 'positive' | 'number' = 'number'): number {
  const v = Number(value);
  const ok = value.trim() !== '' && Number.isFinite(v) && (kind !== 'integer' || Number.isInteger(v)) && (kind !== 'positive' || v > 0);
  if (!ok)
    throw new InvalidParameterError(
      flag,
      value,
      kind === 'integer' ? 'the integers' : kind === 'positive' ? '(0, ∞)' : 'the finite numbers',
    );
  return v;
}

/** The flags of `mmm fit` as commander parses them. */
export interface FitFlags {
  config?: string;
  date?: string;
  target?: string;
  channels?: string;
  controls?: string;
  /** organic media columns (exposures, no spend) */
  organic?: string;
  /** non-media treatment columns (price, promotions) */
  treatments?: string;
  geo?: string;
  population?: string;
  method?: string;
  seed?: string;
  chains?: string;
  warmup?: string;
  draws?: string;
  targetAccept?: string;
  remedy?: boolean;
  localStepSize?: boolean;
  /** `--early-stop` alone is true, `--early-stop 600` the ESS */
  earlyStop?: boolean | string;
  timeVarying?: string;
  interactions?: string;
  report?: boolean;
  title?: string;
  out?: string;
}

/** Merges a config file (if any) and the flags (which win) into the data path, fitMMM's options and the CLI's own. */
export function fitSettings(
  dataArg: string | undefined,
  flags: FitFlags,
): { data: string; options: FitMMMOptions; out: string; report: boolean; title?: string } {
  const config: FitConfig = flags.config ? readConfig(flags.config) : {};
  const { data: configData, out: configOut, report: configReport, title: configTitle, ...fromConfig } = config;
  const o: Partial<FitMMMOptions> = { ...fromConfig };
  if (flags.date) o.date = flags.date;
  if (flags.target) o.target = flags.target;
  if (flags.channels) o.channels = parseChannels(flags.channels);
  if (flags.controls !== undefined) o.controls = parseList(flags.controls);
  if (flags.organic !== undefined) o.organic = parseList(flags.organic);
  if (flags.treatments !== undefined) o.treatments = parseList(flags.treatments);
  if (flags.geo) o.geo = flags.geo;
  if (flags.population) o.population = flags.population;
  if (flags.method) o.method = flags.method as FitMMMOptions['method'];
  if (flags.seed !== undefined) o.seed = parseNumber('--seed', flags.seed, 'integer');
  if (flags.chains !== undefined) o.chains = parseNumber('--chains', flags.chains, 'integer');
  if (flags.warmup !== undefined) o.warmup = parseNumber('--warmup', flags.warmup, 'integer');
  if (flags.draws !== undefined) o.draws = parseNumber('--draws', flags.draws, 'integer');
  if (flags.targetAccept !== undefined) o.targetAccept = parseNumber('--target-accept', flags.targetAccept, 'positive');
  if (flags.remedy === false) o.remedy = false;
  if (flags.localStepSize === false) o.localStepSize = false;
  if (flags.earlyStop !== undefined)
    o.earlyStop = flags.earlyStop === true ? true : { ess: parseNumber('--early-stop', String(flags.earlyStop), 'positive') };
  if (flags.timeVarying !== undefined) {
    const v = flags.timeVarying.trim();
    o.model = { ...o.model, timeVaryingEffects: v === 'perChannel' || v === 'shared' ? v : parseList(v) };
  }
  if (flags.interactions !== undefined) o.model = { ...o.model, interactions: parseInteractions(flags.interactions) };
  const data = dataArg ?? configData;
  if (!data) throw new InvalidInputError('data', 'is missing', 'Name the CSV file: mmm fit data.csv … (or "data" in the --config file).');
  if (!o.date) throw new InvalidInputError('--date', 'is missing', 'Name the date column: --date week (or "date" in the --config file).');
  if (!o.target)
    throw new InvalidInputError('--target', 'is missing', 'Name the target column: --target sales (or "target" in the --config file).');
  if (!o.channels || o.channels.length === 0)
    throw new InvalidInputError(
      '--channels',
      'is missing',
      'List the channel columns: --channels tv,search,social (or "channels" in the --config file).',
    );
  return {
    data,
    options: o as FitMMMOptions,
    out: flags.out ?? configOut ?? 'mmm-out',
    report: flags.report !== false && configReport !== false,
    title: flags.title ?? configTitle,
  };
}

/**
 * `--bounds lower,upper`: multiples of each entry of `current` (spend per period), as `[lower·v, upper·v]` per key.
 * @internal
 */
export function parseBoundMultiples(
  flag: string,
  current: Readonly<Record<string, number>>,
  example: string,
): Record<string, [number, number]> {
  const b = parseList(flag).map((v) => parseNumber('--bounds', v));
  if (b.length !== 2 || !(b[0] >= 0 && b[1] >= b[0]))
    throw new InvalidInputError(
      '--bounds',
      `is "${flag}"`,
      `Give the lower and upper multiple of current spend per period, 0 ≤ lower ≤ upper: --bounds ${example}.`,
    );
  return Object.fromEntries(Object.entries(current).map(([k, v]) => [k, [b[0] * v, b[1] * v]]));
}
