// Files in and out: CSV and JSON reading with typed errors that name the file, and atomic writes.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InvalidInputError } from '@mmm/core';
import type { MMMFit, ModelFit } from '@mmm/pipeline';
import { parse } from 'csv-parse/sync';

/** Reads a CSV file with a header row into one record per row (values as strings, as `fitMMM` accepts them). */
export function readCsv(path: string, field = 'data'): Array<Record<string, string>> {
  const text = readText(path, field);
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Array<Record<string, string>>;
  } catch (e) {
    throw new InvalidInputError(
      field,
      `${path} is not a readable CSV file (${(e as Error).message})`,
      'Pass a comma-separated file with a header row.',
    );
  }
  if (rows.length === 0)
    throw new InvalidInputError(field, `${path} has a header but no rows`, 'Pass a file with one row per period (or per geo and period).');
  return rows;
}

/** Reads a JSON file. */
export function readJson(path: string, field: string): unknown {
  const text = readText(path, field);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InvalidInputError(
      field,
      `${path} is not valid JSON (${(e as Error).message})`,
      'Fix the file, or write it again with the command that made it.',
    );
  }
}

function readText(path: string, field: string): string {
  if (!existsSync(path))
    throw new InvalidInputError(field, `${path} does not exist`, 'Check the path (relative paths are read from the current directory).');
  if (statSync(path).isDirectory()) throw new InvalidInputError(field, `${path} is a directory`, 'Pass a file.');
  return readFileSync(path, 'utf8');
}

/** Writes each file into `dir` (created if needed); each file is written to a temporary name and renamed. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(files).map(([name, content]) => {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, content);
    renameSync(tmp, path);
    return path;
  });
}

/**
 * Reads a fit that `mmm fit` saved; with `curves` (what the command needs them for, e.g. 'optimize'), refuses the
 * gradient-boosted benchmark, which has no posterior draws or response curves.
 */
export function readSavedFit(path: string): MMMFit;
export function readSavedFit(path: string, curves: string): ModelFit;
export function readSavedFit(path: string, curves?: string): MMMFit {
  const fit = readJson(path, 'fit') as MMMFit;
  if (!fit || typeof fit !== 'object' || fit.version !== 1 || !fit.spec || !fit.channels)
    throw new InvalidInputError('fit', `${path} is not a saved fit`, 'Pass the fit.json that mmm fit wrote.');
  if (curves !== undefined && fit.method === 'gbdt')
    throw new InvalidInputError(
      'fit',
      `${path} is a gradient-boosted benchmark`,
      `It has no posterior draws or response curves: ${curves} with a Bayesian or classical fit.`,
    );
  return fit;
}

/** `--value value.json` (written by `mmm value`): each channel's value per new customer, for plans on value. */
export function readChannelValue(path: string, field = '--value'): Record<string, number> {
  const v = readJson(path, field) as { channelValue?: unknown } | null;
  const cv = v?.channelValue;
  if (typeof cv !== 'object' || cv === null || Array.isArray(cv))
    throw new InvalidInputError(
      field,
      `${path} has no channelValue`,
      'Pass the value.json that mmm value wrote (and its fit.json as the fit).',
    );
  return cv as Record<string, number>;
}
