import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { aggregateGeos, aggregateToWeeks, dataReport, groupChannels, spreadMonthlyToWeeks } from '../src/index.js';
import { prepareFit } from '../src/prepare.js';

describe('aggregateToWeeks', () => {
  it('sums 14 days from Monday 2024-01-01 into two weeks; a Sunday start shifts the boundary', () => {
    const days = Array.from({ length: 14 }, (_, i) => ({ day: `2024-01-${String(i + 1).padStart(2, '0')}`, tv: i + 1, sales: 10 }));
    expect(aggregateToWeeks(days, { date: 'day', sum: ['tv', 'sales'] })).toEqual([
      { day: '2024-01-01', tv: 28, sales: 70 },
      { day: '2024-01-08', tv: 77, sales: 70 },
    ]);
    const sunday = aggregateToWeeks(days, { date: 'day', sum: ['tv'], weekStart: 'sunday' });
    expect(sunday.map((r) => r.day)).toEqual(['2023-12-31', '2024-01-07', '2024-01-14']);
    expect(sunday.map((r) => r.tv)).toEqual([21, 70, 14]);
    expect(() => aggregateToWeeks(days, { date: 'day', sum: ['radio'] })).toThrow(/columns\.radio/);
  });
});

describe('spreadMonthlyToWeeks', () => {
  it('splits months over the weeks they overlap, pro rata by days, keeping the totals', () => {
    // January 2024 (31 days) = 310, February 2024 (29 days) = 290: 10 per day each
    const weeks = spreadMonthlyToWeeks(
      [
        { month: '2024-01-01', tv: 310 },
        { month: '2024-02-01', tv: 290 },
      ],
      { date: 'month', columns: ['tv'] },
    );
    expect(weeks[0]).toEqual({ month: '2024-01-01', tv: expect.closeTo(70, 10) });
    // the week of Monday 2024-01-29: 3 days of January and 4 of February
    const straddle = weeks.find((w) => w.month === '2024-01-29')!;
    expect(straddle.tv).toBeCloseTo(70, 10);
    expect(weeks.reduce((a, w) => a + (w.tv as number), 0)).toBeCloseTo(600, 9);
    // unequal daily rates: 31 in January, 58 in February (1 and 2 per day): the straddling week gets 3·1 + 4·2
    const uneven = spreadMonthlyToWeeks(
      [
        { month: '2024-01-01', tv: 31 },
        { month: '2024-02-01', tv: 58 },
      ],
      { date: 'month', columns: ['tv'] },
    );
    expect(uneven.find((w) => w.month === '2024-01-29')!.tv).toBeCloseTo(11, 10);
    expect(() => spreadMonthlyToWeeks([{ month: '2024-01-15', tv: 1 }], { date: 'month', columns: ['tv'] })).toThrow(
      /first day of their month/,
    );
  });
});

describe('groupChannels', () => {
  it('adds group columns without changing the input', () => {
    const rows = [{ date: '2024-01-01', facebook: '10', instagram: 5 }];
    const out = groupChannels(rows, { social: ['facebook', 'instagram'] });
    expect(out[0]).toEqual({ date: '2024-01-01', facebook: '10', instagram: 5, social: 15 });
    expect(rows[0]).toEqual({ date: '2024-01-01', facebook: '10', instagram: 5 });
    expect(() => groupChannels(rows, { social: ['tiktok'] })).toThrow(/unknown column "tiktok"/);
  });
});

describe('dataReport', () => {
  const rows = parse(readFileSync(new URL('./fixtures/weekly_national.csv', import.meta.url), 'utf8'), { columns: true }) as Array<
    Record<string, string>
  >;
  it('on the bundled data: 156 periods, 29 parameters, dark weeks counted, no collinearity warning', () => {
    const r = dataReport(rows, {
      date: 'date',
      target: 'sales',
      channels: ['tv', 'search', 'social', 'display', 'radio'],
      controls: ['price_index', 'competitor_index'],
    });
    expect(r.periods).toBe(156);
    expect(r.parameters).toBe(29);
    expect(r.zeroShare.tv).toBeCloseTo(rows.filter((x) => Number(x.tv) === 0).length / 156, 15);
    expect(r.correlations).toHaveLength(10);
    expect(r.warnings.some((w) => w.includes('correlate'))).toBe(false);
    for (const v of Object.values(r.vif)) expect(v).toBeGreaterThanOrEqual(1);
  });
  it('flags collinear channels with the fix, an exactly collinear VIF, and a constant control', () => {
    const made = rows.map((x, i) => ({
      ...x,
      radio2: String(2 * Number(x.radio) + 1),
      flat: '1',
      tv_echo: String(Number(x.tv) * 0.5 + (i % 2)),
    }));
    const r = dataReport(made, { date: 'date', target: 'sales', channels: ['tv', 'radio', 'radio2', 'tv_echo'], controls: ['flat'] });
    expect(r.warnings.some((w) => w.startsWith('radio and radio2 correlate at 1.00') && w.includes('groupChannels'))).toBe(true);
    expect(r.vif.radio).toBeGreaterThan(1e6);
    expect(r.nearConstant).toEqual(['flat']);
    expect(r.warnings.some((w) => w.startsWith('flat is (nearly) constant'))).toBe(true);
  });
});

describe('geo', () => {
  const geoRows = [
    { week: '2024-01-01', region: 'north', tv: '10', sales: '100', price: '1.0' },
    { week: '2024-01-01', region: 'south', tv: '5', sales: '80', price: '1.2' },
    { week: '2024-01-08', region: 'north', tv: '0', sales: '90', price: '1.1' },
    { week: '2024-01-08', region: 'south', tv: '7', sales: '85', price: '1.3' },
  ];
  it('aggregateGeos sums spend and sales and averages controls per date', () => {
    const out = aggregateGeos(geoRows, { date: 'week', geo: 'region', sum: ['tv', 'sales'], mean: ['price'] });
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ week: '2024-01-01', tv: 15, sales: 180 });
    expect(out[0].price).toBeCloseTo(1.1, 12);
    expect(out[1]).toMatchObject({ week: '2024-01-08', tv: 7, sales: 175 });
    expect(() => aggregateGeos(geoRows.slice(0, 3), { date: 'week', geo: 'region', sum: ['tv'] })).toThrow(
      /no row for "south" on 2024-01-08/,
    );
    expect(() => aggregateGeos([...geoRows, geoRows[0]], { date: 'week', geo: 'region', sum: ['tv'] })).toThrow(/repeats geo "north"/);
  });
  it('fitMMM: one geo is national data; a column in two roles is refused', () => {
    const rows = Array.from({ length: 80 }, (_, i) => ({
      date: new Date(Date.UTC(2022, 0, 3) + i * 7 * 86_400_000).toISOString().slice(0, 10),
      geo: 'uk',
      tv: String(100 + (i % 7) * 10),
      sales: String(1000 + i),
    }));
    const p = prepareFit(rows, { date: 'date', target: 'sales', channels: ['tv'], geo: 'geo', model: { seasonality: null } });
    expect(p.geo).toBe('uk');
    expect(p.panel).toBeUndefined();
    expect(() => prepareFit(rows, { date: 'date', target: 'sales', channels: ['tv'], geo: 'tv' })).toThrow(
      /options\.geo: uses column "tv"/,
    );
  });
});
