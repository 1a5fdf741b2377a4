import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { InvalidInputError, NonFiniteError } from '@mmm/core';
import { fitMMM } from '../src/index.js';
import { prepareFit } from '../src/prepare.js';

const rows = parse(readFileSync(new URL('./fixtures/weekly_national.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
  Record<string, string>
>;
const options = {
  date: 'date',
  target: 'sales',
  channels: ['tv', 'search', 'social', 'display', 'radio'],
  controls: ['price_index', 'competitor_index'],
};
const edit = (i: number, col: string, v: string) => rows.map((r, k) => (k === i ? { ...r, [col]: v } : r));

describe('fitMMM validates its input, naming the row, the column and the fix', () => {
  it('accepts the bundled data as rows and as columns, without mutating them', () => {
    const before = JSON.stringify(rows);
    // every channel defaults to geometric adstock + Hill (3 parameters) + β: 5 × 4 + intercept, trend, 4 Fourier, 2 controls, σ
    expect(prepareFit(rows, options).model.density.dim).toBe(29);
    const columns = Object.fromEntries(Object.keys(rows[0]).map((k) => [k, rows.map((r) => r[k])]));
    expect(prepareFit(columns, options).target.length).toBe(156);
    expect(JSON.stringify(rows)).toBe(before);
  });
  it('reads dates as UTC in every time zone (date-times without a zone included)', () => {
    const original = process.env.TZ;
    const withTime = rows.map((r) => ({ ...r, date: `${r.date}T00:00` }));
    try {
      const seen = ['UTC', 'Asia/Tokyo', 'America/Los_Angeles'].map((tz) => {
        process.env.TZ = tz;
        const p = prepareFit(withTime, options);
        expect(p.dates[0]).toBe(Date.parse(`${rows[0].date}T00:00:00Z`));
        return p.dates;
      });
      expect(seen[1]).toEqual(seen[0]);
      expect(seen[2]).toEqual(seen[0]);
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });
  it('data that is not a table, and a target that is constant or not positive, are typed errors naming what is wrong', async () => {
    for (const method of ['bayesian', 'ridge', 'gbdt'] as const) {
      await expect(fitMMM(null as never, { ...options, method })).rejects.toThrow(/^data: is null\. Pass rows/);
      await expect(fitMMM('a,b' as never, { ...options, method })).rejects.toBeInstanceOf(InvalidInputError);
    }
    expect(() => prepareFit([rows[0], 5] as never, options)).toThrow(/^data\[1\]: is 5\./);
    const constant = rows.map((r) => ({ ...r, sales: '1200' }));
    for (const method of ['bayesian', 'ridge'] as const)
      await expect(fitMMM(constant, { ...options, method })).rejects.toThrow(/^columns\.sales: is constant \(1200 in every period\)/);
    const negative = rows.map((r, i) => ({ ...r, sales: String(i % 2 ? -2 : 1) }));
    expect(() => prepareFit(negative, options)).toThrow(/^columns\.sales: has mean -0\.5/);
  });
  it('unknown columns list the available ones', () => {
    expect(() => prepareFit(rows, { ...options, channels: ['tv', 'podcast'] })).toThrow(
      /columns\.podcast: is not in the data\. Available columns: date, tv/,
    );
    expect(() => prepareFit(rows, { ...options, date: 'week' })).toThrow(/columns\.week/);
  });
  it('unsorted, duplicated or irregular dates', () => {
    const swapped = rows.slice();
    [swapped[5], swapped[6]] = [swapped[6], swapped[5]];
    expect(() => prepareFit(swapped, options)).toThrow(/rows\[6\]\.date: is before rows\[5\]\. Sort the rows by date/);
    expect(() => prepareFit(edit(10, 'date', rows[9].date), options)).toThrow(/rows\[10\]\.date: repeats the date of rows\[9\]/);
    const gap = rows.filter((_, i) => i !== 20);
    expect(() => prepareFit(gap, options)).toThrow(/rows\[20\]\.date: is 14\.00 days after rows\[19\].*add the missing periods/);
    expect(() => prepareFit(edit(3, 'date', 'not a date'), options)).toThrow(/rows\[3\]\.date: is "not a date"/);
  });
  it('NaN, Infinity, text in numbers, negative spend, a channel that never ran', () => {
    expect(() => prepareFit(edit(12, 'tv', 'NaN'), options)).toThrow(NonFiniteError);
    expect(() => prepareFit(edit(12, 'tv', 'NaN'), options)).toThrow(/rows\[12\]\.tv/);
    expect(() => prepareFit(edit(7, 'sales', 'Infinity'), options)).toThrow(/rows\[7\]\.sales/);
    expect(() => prepareFit(edit(7, 'search', '$1,200'), options)).toThrow(/rows\[7\]\.search: is "\$1,200"\. Give a number/);
    expect(() => prepareFit(edit(40, 'radio', '-40'), options)).toThrow(/rows\[40\]\.radio: is -40\. Spend and exposures must be ≥ 0/);
    const dark = rows.map((r) => ({ ...r, radio: '0' }));
    expect(() => prepareFit(dark, options)).toThrow(/channels\.radio: has no spend in any period.*drop it/);
  });
  it('a column in two roles (the target as a channel, a channel as a control)', () => {
    expect(() => prepareFit(rows, { ...options, channels: ['tv', 'sales'] })).toThrow(
      /options\.channels\.sales: uses column "sales", which is already the target\. Give each column one role/,
    );
    expect(() => prepareFit(rows, { ...options, controls: ['price_index', 'tv'] })).toThrow(
      /options\.controls\.tv: uses column "tv", which is already channel tv/,
    );
    expect(() => prepareFit(rows, { ...options, channels: [{ name: 'tv', spend: 'tv', exposure: 'date' }] })).toThrow(
      /exposure: uses column "date", which is already the date/,
    );
  });
  it('too few periods for the parameters, empty data, no channels', () => {
    expect(() => prepareFit(rows.slice(0, 40), options)).toThrow(
      /data: has 40 periods for 29 parameters\. The model needs at least 2 × parameters = 58/,
    );
    expect(() => prepareFit([], options)).toThrow(/data: has no rows/);
    expect(() => prepareFit(rows, { ...options, channels: [] })).toThrow(InvalidInputError);
    expect(() => prepareFit(rows, { ...options, model: { channels: { print: {} } } })).toThrow(
      /options\.model\.channels\.print: is not a channel/,
    );
  });
  it('errors surface from fitMMM itself as typed errors', async () => {
    await expect(fitMMM(edit(12, 'tv', '-1'), { ...options, chains: 1, warmup: 10, draws: 10 })).rejects.toThrow(/rows\[12\]\.tv/);
  });
});
