// Reading example CSVs into columns. csv-parse (from the node-csv project) handles quoting, BOMs and line
// endings; we only turn its records into typed columns.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

export const dataDir = fileURLToPath(new URL('../data/', import.meta.url));

/** A table read from CSV: the date column as strings, every other column as numbers. */
export interface Table {
  dates: string[];
  columns: Record<string, Float64Array>;
  rows: number;
}

export function readCsvTable(path: string, dateColumn = 'date'): Table {
  const records: Record<string, string>[] = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true });
  if (records.length === 0) throw new Error(`${path}: no rows`);
  const names = Object.keys(records[0]);
  if (!names.includes(dateColumn)) throw new Error(`${path}: no column "${dateColumn}" (columns: ${names.join(', ')})`);
  const columns: Record<string, Float64Array> = {};
  for (const name of names) {
    if (name === dateColumn) continue;
    columns[name] = Float64Array.from(records, (r, i) => {
      const v = Number(r[name]);
      if (!Number.isFinite(v)) throw new Error(`${path}: row ${i + 2}, column "${name}": "${r[name]}" is not a number`);
      return v;
    });
  }
  return { dates: records.map((r) => r[dateColumn]), columns, rows: records.length };
}

/** The bundled weekly national data set and its generating truth. */
export function readWeeklyNational(): { table: Table; truth: Truth } {
  const table = readCsvTable(`${dataDir}weekly_national.csv`);
  const truth = JSON.parse(readFileSync(`${dataDir}weekly_national.truth.json`, 'utf8')) as Truth;
  return { table, truth };
}

export interface Truth {
  channels: string[];
  /** 1 = Hill, 2 = logistic, per channel */
  sat_type: number[];
  params: Record<string, number>;
  derived: Record<string, number>;
}
