// The general charts on plain data: each SVG parses as XML, has one series per input and one point per value, its
// axes cover the data, no attribute holds NaN, and the drawn coordinates map back (through the axis ticks) to the
// input values within the 0.01 px rounding of the coordinates.
import { describe, expect, it } from 'vitest';
import { isMmmError } from '@mmm/core';
import { barChart, forestPlot, heatmap, histogram, lineChart, scatterChart, stackedAreaChart, waterfallChart } from '../src/index.js';
import { all, attributeValues, axisMap, byClass, parseSvg, pathPoints, tickValues } from './helpers.js';
import type { Element } from '@xmldom/xmldom';

function noNaN(svgText: string, svg: Element) {
  expect(svgText).not.toMatch(/NaN|Infinity|undefined/);
  for (const v of attributeValues(svg)) expect(v).not.toMatch(/NaN|Infinity/);
}

const xs = Array.from({ length: 40 }, (_, i) => i * 2.5);
const ya = xs.map((x) => 100 + 30 * Math.sin(x / 7));
const yb = xs.map((x) => 50 + x);

describe('lineChart', () => {
  const text = lineChart(
    [
      { name: 'a', x: xs, y: ya, band: { lower: ya.map((v) => v - 10), upper: ya.map((v) => v + 12) } },
      { name: 'b & <c>', x: xs, y: yb, dashed: true },
    ],
    [{ label: 'mark', x: 50, y: 120, shape: 'diamond' }],
    { title: 'Test "chart"', xLabel: 'x', yLabel: 'y' },
  );
  const svg = parseSvg(text);

  it('draws one series per input, one point per value, with escaped labels', () => {
    const series = byClass(svg, 'g', 'series');
    expect(series.map((s) => s.getAttribute('data-name'))).toEqual(['a', 'b & <c>']);
    const lines = byClass(svg, 'path', 'line');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(pathPoints(l.getAttribute('d')!)).toHaveLength(xs.length);
    expect(byClass(svg, 'path', 'band')).toHaveLength(1);
    expect(pathPoints(byClass(svg, 'path', 'band')[0].getAttribute('d')!)).toHaveLength(2 * xs.length);
    expect(all(svg, 'title')[0].textContent).toBe('Test "chart"');
    noNaN(text, svg);
  });

  it('has axes that contain the data, and coordinates that map back to the values', () => {
    const yt = tickValues(svg, 'y');
    expect(Math.min(...yt)).toBeLessThanOrEqual(Math.min(...ya.map((v) => v - 10), ...yb));
    expect(Math.max(...yt)).toBeGreaterThanOrEqual(Math.max(...ya.map((v) => v + 12), ...yb));
    const xt = tickValues(svg, 'x');
    expect(Math.min(...xt)).toBeLessThanOrEqual(0);
    expect(Math.max(...xt)).toBeGreaterThanOrEqual(xs.at(-1)!);
    const fx = axisMap(svg, 'x');
    const fy = axisMap(svg, 'y');
    const pts = pathPoints(byClass(svg, 'path', 'line')[0].getAttribute('d')!);
    // 0.01 px of rounding is at most 0.01 × (data per pixel)
    const dy = Math.abs(fy(0) - fy(1));
    const dx = Math.abs(fx(0) - fx(1));
    pts.forEach(([px, py], i) => {
      expect(Math.abs(fx(px) - xs[i])).toBeLessThanOrEqual(0.02 * dx);
      expect(Math.abs(fy(py) - ya[i])).toBeLessThanOrEqual(0.02 * dy);
    });
  });

  it('refuses NaN, mismatched lengths and no series with typed errors', () => {
    const bad = (f: () => unknown, field: RegExp) => {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(isMmmError(e)).toBe(true);
        expect((e as { field?: string }).field).toMatch(field);
      }
    };
    bad(() => lineChart([{ name: 'a', x: [1, 2], y: [1, Number.NaN] }]), /series\[0\]\.y\[1\]/);
    bad(() => lineChart([{ name: 'a', x: [1, 2], y: [1] }]), /series\[0\]\.y/);
    bad(() => lineChart([]), /series/);
    bad(() => lineChart([{ name: 'a', x: [1, 2], y: [1, 2], band: { lower: [0, 1], upper: [2, Infinity] } }]), /band\.upper\[1\]/);
  });
});

describe('scatterChart', () => {
  const px = [0.1, 0.4, 0.25, 0.9];
  const py = [3, 1, 2, 0.5];
  const text = scatterChart(
    [
      { name: 'all', x: px, y: py },
      { name: 'front', x: [0.1, 0.4], y: [3, 1], connect: true },
    ],
    [{ label: 'chosen', x: 0.4, y: 1 }],
    { title: 'scatter' },
  );
  const svg = parseSvg(text);
  it('draws a circle per point at the point’s coordinates, the joined set as a line, and the marker', () => {
    const series = byClass(svg, 'g', 'series');
    expect(series.map((g) => g.getAttribute('data-name'))).toEqual(['all', 'front']);
    const circles = all(series[0], 'circle');
    expect(circles).toHaveLength(4);
    const fx = axisMap(svg, 'x');
    const fy = axisMap(svg, 'y');
    circles.forEach((c, k) => {
      expect(fx(Number(c.getAttribute('cx')))).toBeCloseTo(px[k], 2);
      expect(fy(Number(c.getAttribute('cy')))).toBeCloseTo(py[k], 2);
    });
    expect(pathPoints(byClass(series[1], 'path', 'line')[0].getAttribute('d')!)).toHaveLength(2);
    expect(byClass(svg, 'g', 'marker')[0].getAttribute('data-label')).toBe('chosen');
    noNaN(text, svg);
    expect(() => scatterChart([{ name: 'a', x: [1, 2], y: [1, Number.NaN] }])).toThrow(/series\[0\]\.y\[1\]/);
    expect(() => scatterChart([])).toThrow(/series/);
  });
});

describe('stackedAreaChart', () => {
  const t = Array.from({ length: 30 }, (_, i) => Date.UTC(2024, 0, 1) + i * 7 * 86_400_000);
  const base = t.map(() => 100);
  const season = t.map((_, i) => 20 * Math.sin(i / 3));
  const media = t.map((_, i) => 10 + i);
  const actual = t.map((_, i) => base[i] + season[i] + media[i]);
  const text = stackedAreaChart(
    t,
    [
      { name: 'baseline', values: base },
      { name: 'seasonality', values: season },
      { name: 'media', values: media },
    ],
    { name: 'actual', x: t, y: actual },
  );
  const svg = parseSvg(text);

  it('stacks positive parts up and negative parts down, and overlays the actual', () => {
    expect(byClass(svg, 'g', 'series')).toHaveLength(4);
    const areas = byClass(svg, 'path', 'area');
    expect(areas).toHaveLength(3);
    for (const a of areas) expect(pathPoints(a.getAttribute('d')!)).toHaveLength(2 * t.length);
    const fy = axisMap(svg, 'y');
    const dy = Math.abs(fy(0) - fy(1));
    // media sits on top of baseline + positive seasonality: its upper edge is the sum of the positive parts
    const mediaTop = pathPoints(areas[2].getAttribute('d')!).slice(0, t.length);
    mediaTop.forEach(([, py], i) =>
      expect(Math.abs(fy(py) - (base[i] + Math.max(0, season[i]) + media[i]))).toBeLessThanOrEqual(0.02 * dy),
    );
    // negative seasonality is drawn below zero (d3 puts a zero value at zero)
    const seasonTop = pathPoints(areas[1].getAttribute('d')!).slice(0, t.length);
    seasonTop.forEach(([, py], i) => expect(Math.abs(fy(py) - (season[i] <= 0 ? 0 : base[i] + season[i]))).toBeLessThanOrEqual(0.02 * dy));
    expect(Math.min(...tickValues(svg, 'y'))).toBeLessThanOrEqual(Math.min(...season));
    noNaN(text, svg);
  });
});

describe('barChart and forestPlot', () => {
  it('draws one bar per category and group, with lengths proportional to the values', () => {
    const text = barChart(
      ['tv', 'search', 'radio'],
      [
        { name: 'spend', values: [0.5, 0.3, 0.2] },
        { name: 'effect', values: [0.4, 0.45, 0.15] },
      ],
    );
    const svg = parseSvg(text);
    const bars = byClass(svg, 'rect', 'bar');
    expect(bars).toHaveLength(6);
    const w = bars.map((b) => Number(b.getAttribute('width')));
    const v = bars.map((b) => Number(b.getAttribute('data-value')));
    expect(v).toEqual([0.5, 0.3, 0.2, 0.4, 0.45, 0.15]);
    for (let i = 1; i < 6; i++) expect(w[i] / w[0]).toBeCloseTo(v[i] / v[0], 2);
    noNaN(text, svg);
  });

  it('places each estimate and interval where the axis says', () => {
    const rows = [
      { label: 'tv', mean: 1.8, lower: 1.2, upper: 2.5 },
      { label: 'radio', mean: 0.6, lower: 0.2, upper: 1.1 },
    ];
    const text = forestPlot(rows, { reference: 1 });
    const svg = parseSvg(text);
    const fx = axisMap(svg, 'x');
    const groups = byClass(svg, 'g', 'row');
    expect(groups).toHaveLength(2);
    groups.forEach((g, i) => {
      const cx = Number(all(g, 'circle')[0].getAttribute('cx'));
      const ln = all(g, 'line')[0];
      expect(fx(cx)).toBeCloseTo(rows[i].mean, 2);
      expect(fx(Number(ln.getAttribute('x1')))).toBeCloseTo(rows[i].lower, 2);
      expect(fx(Number(ln.getAttribute('x2')))).toBeCloseTo(rows[i].upper, 2);
    });
    expect(fx(Number(byClass(svg, 'line', 'reference')[0].getAttribute('x1')))).toBeCloseTo(1, 2);
    noNaN(text, svg);
  });
});

describe('heatmap and histogram', () => {
  it('draws a cell per finite value and leaves the others blank', () => {
    const values = [
      [0.1, Number.NaN, Number.NaN],
      [Number.NaN, 0.5, 0.9],
    ];
    const text = heatmap({ rows: [0, 1], columns: [0, 10, 20], values });
    const svg = parseSvg(text);
    const cells = byClass(svg, 'rect', 'cell');
    expect(cells.map((c) => Number(c.getAttribute('data-value')))).toEqual([0.1, 0.5, 0.9]);
    expect(byClass(svg, 'g', 'series')[0].getAttribute('data-blank')).toBe('3');
    // darker is higher: the red channel falls with the value
    const red = cells.map((c) =>
      parseInt(
        /rgb\((\d+)/.exec(c.getAttribute('fill')!)?.[1] ?? c.getAttribute('fill')!.slice(1, 3),
        c.getAttribute('fill')!.startsWith('#') ? 16 : 10,
      ),
    );
    expect(red[0]).toBeGreaterThan(red[1]);
    expect(red[1]).toBeGreaterThan(red[2]);
    noNaN(text, svg);
  });

  it('bins every value once, and a density histogram has area 1', () => {
    const v = Array.from({ length: 1000 }, (_, i) => Math.sqrt(i));
    const text = histogram(v, { density: true, bins: 20 });
    const svg = parseSvg(text);
    const bars = byClass(svg, 'rect', 'bar');
    const counts = bars.map((b) => Number(b.getAttribute('data-count')));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
    const fy = axisMap(svg, 'y');
    let areaSum = 0;
    for (const b of bars) {
      const h = fy(Number(b.getAttribute('y'))) - fy(Number(b.getAttribute('y')) + Number(b.getAttribute('height')));
      areaSum += h * (Number(b.getAttribute('data-x1')) - Number(b.getAttribute('data-x0')));
    }
    expect(areaSum).toBeCloseTo(1, 2);
    noNaN(text, svg);
  });
});

describe('waterfallChart', () => {
  const steps = [
    { label: 'baseline', value: 500 },
    { label: 'controls', value: -40 },
    { label: 'tv', value: 120 },
    { label: 'radio & <print>', value: 35 },
    { label: 'total', value: 0, total: true },
  ];
  const text = waterfallChart(steps, { title: 'w' });
  const svg = parseSvg(text);
  it('draws each step from the running sum before it to the one after, totals from 0, in pixels that map back', () => {
    const bars = byClass(svg, 'rect', 'bar');
    expect(bars.map((b) => b.getAttribute('class'))).toEqual(['bar up', 'bar down', 'bar up', 'bar up', 'bar total']);
    const fx = axisMap(svg, 'x');
    const expected = [
      [0, 500],
      [460, 500],
      [460, 580],
      [580, 615],
      [0, 615],
    ];
    const dx = Math.abs(fx(0) - fx(1));
    bars.forEach((b, i) => {
      const x0 = Number(b.getAttribute('x'));
      const x1 = x0 + Number(b.getAttribute('width'));
      expect(Math.abs(fx(x0) - expected[i][0])).toBeLessThanOrEqual(0.02 * dx);
      expect(Math.abs(fx(x1) - expected[i][1])).toBeLessThanOrEqual(0.02 * dx);
    });
    expect(bars[3].getAttribute('data-category')).toBe('radio & <print>');
    noNaN(text, svg);
  });
  it('refuses an empty or non-finite list with a typed error', () => {
    expect(() => waterfallChart([])).toThrow(/steps: is empty/);
    expect(() => waterfallChart([{ label: 'a', value: Number.NaN }])).toThrow(/steps\.value/);
  });
});
