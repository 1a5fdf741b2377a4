// A long table with a geo column (one row per geo and period) read into a balanced geo-major panel, with every
// problem named by geo, row and column.
import { InvalidInputError, isoDate } from '@mmm/core';
import { checkDates, readColumns, readLabels, type TableInput } from './table.js';

/** A balanced geo panel: G geos × T common periods, numeric columns flattened geo-major (index g·T + t). */
export interface GeoPanel {
  geos: string[];
  /** the T periods, ms since epoch (UTC) */
  dates: number[];
  periodDays: number;
  population: number[];
  /** where the populations came from: a column, a record, or each geo's mean target (no population given) */
  populationSource: 'column' | 'record' | 'mean target';
  numeric: Record<string, Float64Array>;
}

/** How a geo fit names its geo column and populations (`FitMMMOptions.geo`, `.population`). */
export interface GeoColumns {
  date: string;
  geo: string;
  /** the target (checked: no geo without it throughout); omit for rows without one (a plan to predict) */
  target?: string;
  population?: string | Readonly<Record<string, number>>;
}

/**
 * Reads a long table into a balanced panel: geos in order of first appearance, each with one row per common period.
 * Refused with the fix: a duplicate (geo, period), a geo missing a period the others have, irregular periods, a
 * population that is missing, not positive or not constant within a geo, a geo whose target is zero throughout.
 * @internal
 */
export function readGeoPanel(data: TableInput, o: GeoColumns, columns: readonly string[]): GeoPanel {
  const labels = readLabels(data, o.geo);
  const popColumn = typeof o.population === 'string' ? o.population : undefined;
  const table = readColumns(data, o.date, [...new Set([...columns, ...(popColumn ? [popColumn] : [])])]);
  const geos = [...new Set(labels)];
  const allDates = [...new Set(table.dates)].sort((a, b) => a - b);
  const T = allDates.length;
  const periodOf = new Map(allDates.map((d, t) => [d, t]));
  const G = geos.length;
  const geoIndex = new Map(geos.map((g, k) => [g, k]));
  const rowAt = new Int32Array(G * T).fill(-1);
  for (let i = 0; i < table.rows; i++) {
    const k = geoIndex.get(labels[i])! * T + periodOf.get(table.dates[i])!;
    if (rowAt[k] >= 0)
      throw new InvalidInputError(
        `rows[${i}].${o.date}`,
        `repeats geo ${labels[i]} on ${isoDate(table.dates[i])} (rows[${rowAt[k]}])`,
        'Give each geo one row per period: aggregate duplicate rows first.',
      );
    rowAt[k] = i;
  }
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      if (rowAt[g * T + t] < 0) {
        throw new InvalidInputError(
          `rows.${o.geo}=${geos[g]}`,
          `has no row for ${isoDate(allDates[t])}, which other geos have`,
          'The geo model needs every geo in every period: add the missing rows (0 spend, the observed target), or drop the geo, or cut ' +
            'the data to the periods all geos share.',
        );
      }
    }
  }
  const periodDays = checkDates(allDates, o.date);
  const numeric: Record<string, Float64Array> = {};
  for (const name of columns) numeric[name] = Float64Array.from(rowAt, (i) => table.numeric[name][i]);
  const target = o.target ? numeric[o.target] : undefined;
  for (let g = 0; g < G && target; g++) {
    let any = false;
    for (let t = 0; t < T; t++) any ||= target[g * T + t] !== 0;
    if (!any)
      throw new InvalidInputError(
        `rows.${o.geo}=${geos[g]}`,
        `has ${o.target} 0 in every period`,
        'A geo without sales carries no information on media: drop it.',
      );
  }
  const { population, source } = populations(o, geos, T, rowAt, table.numeric, target, popColumn);
  return { geos, dates: allDates, periodDays, population, populationSource: source, numeric };
}

/** Each geo's population from a column (constant within the geo), a record, or its mean target. @internal */
function populations(
  o: GeoColumns,
  geos: string[],
  T: number,
  rowAt: Int32Array,
  numeric: Record<string, Float64Array>,
  target: Float64Array | undefined,
  popColumn: string | undefined,
) {
  const check = (g: number, p: number, where: string) => {
    if (!(p > 0 && Number.isFinite(p)))
      throw new InvalidInputError(
        where,
        `is ${p} for geo ${geos[g]}`,
        'Populations must be finite and > 0 (people, households or any size measure of the geo).',
      );
    return p;
  };
  if (popColumn) {
    const col = numeric[popColumn];
    const population = geos.map((_, g) => {
      const p = col[rowAt[g * T]];
      for (let t = 1; t < T; t++) {
        const i = rowAt[g * T + t];
        if (col[i] !== p)
          throw new InvalidInputError(
            `rows[${i}].${popColumn}`,
            `is ${col[i]} where geo ${geos[g]} has ${p} elsewhere`,
            'Give each geo one population (a size measure that does not change over the data).',
          );
      }
      return check(g, p, `rows[${rowAt[g * T]}].${popColumn}`);
    });
    return { population, source: 'column' as const };
  }
  if (o.population && typeof o.population === 'object') {
    const rec = o.population;
    return { population: geos.map((g, k) => check(k, rec[g] as number, `population.${g}`)), source: 'record' as const };
  }
  // no population: each geo on the scale of its own mean target (the fit says so)
  if (!target) throw new InvalidInputError('population', 'is not given', 'Give each geo a population (a column or a record).');
  const population = geos.map((_, g) => {
    let m = 0;
    for (let t = 0; t < T; t++) m += target[g * T + t];
    return check(g, m / T, `${o.target} (mean of geo ${geos[g]})`);
  });
  return { population, source: 'mean target' as const };
}
