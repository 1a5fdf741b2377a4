// The SVG building blocks every chart shares: escaping, number formatting, the frame (size and margins), axes from
// d3 scales, legends, the palette, and the input checks that keep NaN out of every attribute.
import { NonFiniteError, InvalidInputError } from '@mmm/core';
import type { ScaleLinear, ScaleTime, ScaleBand } from 'd3-scale';

/** Options every chart takes. */
export interface ChartOptions {
  /** drawn above the plot and used as the SVG's accessible title */
  title?: string;
  /** @defaultValue 720 */
  width?: number;
  /** @defaultValue 360 */
  height?: number;
  xLabel?: string;
  yLabel?: string;
}

/**
 * Okabe & Ito's colour-blind-safe palette (Color Universal Design, 2008) with black left out, followed by darker
 * variants for charts with more than seven series.
 */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#004C77',
  '#8F6400',
  '#006B4E',
  '#8C4F74',
];

/** The palette colour of series `i`. */
export function colour(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/** Escapes text for XML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A coordinate with two decimals (enough for screen pixels). */
export function px(v: number): string {
  return (Math.round(v * 100) / 100).toString();
}

/** A human number: 1.23M, 45.6k, 0.123. */
export function human(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${trim((v / 1e9).toFixed(2))}B`;
  if (a >= 1e6) return `${trim((v / 1e6).toFixed(2))}M`;
  if (a >= 1e4) return `${trim((v / 1e3).toFixed(1))}k`;
  if (a >= 100) return v.toFixed(0);
  if (a >= 1) return trim(v.toFixed(2));
  if (a === 0) return '0';
  return trim(v.toPrecision(2));
}
function trim(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Checks that every value is finite: charts never draw NaN. */
export function checkFinite(field: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) throw new NonFiniteError(`${field}[${i}]`, values[i]);
}

/** Checks that two series have the same length. */
export function checkSameLength(field: string, a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) throw new InvalidInputError(field, `has ${b.length} values for ${a.length} x values`, 'Give one value per x.');
}

/** Size and margins of a chart, and its plot area. */
export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The frame of a chart with the given options; `legendRows` lines of legend go below the plot. */
export function frame(o: ChartOptions, extra: { left?: number; legendRows?: number } = {}): Frame {
  const width = o.width ?? 720;
  const height = o.height ?? 360;
  if (!(width >= 120 && height >= 100))
    throw new InvalidInputError('width/height', `is ${width} × ${height}`, 'Use at least 120 × 100 pixels.');
  const top = o.title ? 34 : 14;
  const rows = extra.legendRows ?? 0;
  // below the plot: tick labels (baseline +16), the x label (+34), then legend rows of 18 px
  const below = (o.xLabel ? 40 : 24) + (rows > 0 ? (o.xLabel ? 20 : 18) + 18 * (rows - 1) + 6 : 0);
  const bottom = height - below;
  const left = (extra.left ?? 58) + (o.yLabel ? 14 : 0);
  return { width, height, left, right: width - 16, top, bottom };
}

/** Opens the `<svg>` with its accessible title; close with `</svg>`. */
export function open(f: Frame, o: ChartOptions, kind: string): string {
  const title = o.title ?? kind;
  let s =
    `<svg xmlns="http://www.w3.org/2000/svg" class="mmm-chart" data-kind="${esc(kind)}" width="${f.width}" height="${f.height}" ` +
    `viewBox="0 0 ${f.width} ${f.height}" role="img" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="11">`;
  s += `<title>${esc(title)}</title>`;
  s += `<rect class="background" x="0" y="0" width="${f.width}" height="${f.height}" fill="#ffffff"/>`;
  if (o.title)
    s += `<text class="chart-title" x="${px(f.left)}" y="20" font-size="14" font-weight="600" fill="#222">${esc(o.title)}</text>`;
  return s;
}

/** Axis labels (x below, y rotated on the left). */
export function axisLabels(f: Frame, o: ChartOptions): string {
  let s = '';
  if (o.xLabel)
    s +=
      `<text class="axis-label x" x="${px((f.left + f.right) / 2)}" y="${px(f.bottom + 34)}" text-anchor="middle" ` +
      `fill="#444">${esc(o.xLabel)}</text>`;
  if (o.yLabel)
    s +=
      `<text class="axis-label y" transform="translate(14 ${px((f.top + f.bottom) / 2)}) rotate(-90)" text-anchor="middle" ` +
      `fill="#444">${esc(o.yLabel)}</text>`;
  return s;
}

/** Tick counts of the axes; scales are made `.nice()` with the same count, so the end ticks bracket the data. */
export function xTickCount(f: Frame): number {
  return Math.max(2, Math.floor((f.right - f.left) / 90));
}
/** @see {@link xTickCount} */
export function yTickCount(f: Frame): number {
  return Math.max(2, Math.floor((f.bottom - f.top) / 50));
}

type Continuous = ScaleLinear<number, number> | ScaleTime<number, number>;

/**
 * A bottom axis from a continuous scale: d3's ticks and tick format, light grid lines when `grid`; each tick carries
 * its value in `data-value` (milliseconds for time scales).
 */
export function xAxis(
  f: Frame,
  scale: Continuous,
  options: { ticks?: number; format?: (v: number) => string; grid?: boolean } = {},
): string {
  const n = options.ticks ?? xTickCount(f);
  const ticks = scale.ticks(n) as Array<number | Date>;
  const fmt = options.format ?? (scale.tickFormat(n) as (v: number | Date) => string);
  let s = `<g class="axis x">`;
  s += `<line x1="${px(f.left)}" x2="${px(f.right)}" y1="${px(f.bottom)}" y2="${px(f.bottom)}" stroke="#888"/>`;
  for (const t of ticks) {
    const x = (scale as (v: number | Date) => number)(t);
    const v = typeof t === 'number' ? t : t.getTime();
    s += `<g class="tick" data-value="${v}">`;
    if (options.grid) s += `<line x1="${px(x)}" x2="${px(x)}" y1="${px(f.top)}" y2="${px(f.bottom)}" stroke="#eee"/>`;
    s += `<line x1="${px(x)}" x2="${px(x)}" y1="${px(f.bottom)}" y2="${px(f.bottom + 4)}" stroke="#888"/>`;
    s +=
      `<text x="${px(x)}" y="${px(f.bottom + 16)}" text-anchor="middle" ` +
      `fill="#555">${esc((fmt as (v: number | Date) => string)(t))}</text></g>`;
  }
  return `${s}</g>`;
}

/** A left axis from a linear scale, with grid lines across the plot. */
export function yAxis(
  f: Frame,
  scale: ScaleLinear<number, number>,
  options: { ticks?: number; format?: (v: number) => string } = {},
): string {
  const n = options.ticks ?? yTickCount(f);
  const ticks = scale.ticks(n);
  const fmt = options.format ?? human;
  let s = `<g class="axis y">`;
  for (const t of ticks) {
    const y = scale(t);
    s +=
      `<g class="tick" data-value="${t}"><line x1="${px(f.left)}" x2="${px(f.right)}" y1="${px(y)}" y2="${px(y)}" ` +
      `stroke="${t === 0 ? '#aaa' : '#eee'}"/>`;
    s += `<text x="${px(f.left - 6)}" y="${px(y + 4)}" text-anchor="end" fill="#555">${esc(fmt(t))}</text></g>`;
  }
  s += `<line x1="${px(f.left)}" x2="${px(f.left)}" y1="${px(f.top)}" y2="${px(f.bottom)}" stroke="#888"/>`;
  return `${s}</g>`;
}

/** A left axis of category labels from a band scale. */
export function bandAxis(f: Frame, scale: ScaleBand<string>): string {
  let s = `<g class="axis y band">`;
  for (const d of scale.domain()) {
    const y = (scale(d) ?? 0) + scale.bandwidth() / 2;
    s +=
      `<g class="tick" data-category="${esc(d)}"><text x="${px(f.left - 6)}" y="${px(y + 4)}" text-anchor="end" ` +
      `fill="#333">${esc(d)}</text></g>`;
  }
  return `${s}<line x1="${px(f.left)}" x2="${px(f.left)}" y1="${px(f.top)}" y2="${px(f.bottom)}" stroke="#888"/></g>`;
}

/** One legend entry. */
export interface LegendItem {
  label: string;
  colour: string;
  /** a line (default), a filled box, or a marker symbol */
  shape?: 'line' | 'box' | 'dash' | 'circle' | 'diamond';
}

/** The number of legend rows `items` need in a frame of this width. */
export function legendRows(items: ReadonlyArray<LegendItem>, width: number): number {
  return layoutLegend(items, width).rows;
}

function itemWidth(it: LegendItem): number {
  return 26 + 6.2 * it.label.length + 14;
}

function layoutLegend(items: ReadonlyArray<LegendItem>, width: number): { rows: number; at: Array<[number, number]> } {
  const at: Array<[number, number]> = [];
  let x = 0;
  let row = 0;
  for (const it of items) {
    const w = itemWidth(it);
    if (x > 0 && x + w > width - 70) {
      row++;
      x = 0;
    }
    at.push([x, row]);
    x += w;
  }
  return { rows: items.length ? row + 1 : 0, at };
}

/** The legend under the plot. */
export function legend(f: Frame, o: ChartOptions, items: ReadonlyArray<LegendItem>): string {
  if (items.length === 0) return '';
  const { at } = layoutLegend(items, f.width);
  const y0 = f.bottom + (o.xLabel ? 54 : 36);
  let s = `<g class="legend">`;
  items.forEach((it, i) => {
    const x = f.left + at[i][0];
    const y = y0 + 18 * at[i][1];
    s += `<g class="legend-item" data-label="${esc(it.label)}">`;
    const shape = it.shape ?? 'line';
    if (shape === 'box') s += `<rect x="${px(x)}" y="${px(y - 9)}" width="18" height="10" fill="${it.colour}"/>`;
    else if (shape === 'circle') s += `<circle cx="${px(x + 9)}" cy="${px(y - 4)}" r="4" fill="${it.colour}" stroke="#fff"/>`;
    else if (shape === 'diamond') s += `<path d="${diamond(x + 9, y - 4, 5)}" fill="${it.colour}" stroke="#fff"/>`;
    else
      s +=
        `<line x1="${px(x)}" x2="${px(x + 18)}" y1="${px(y - 4)}" y2="${px(y - 4)}" stroke="${it.colour}" ` +
        `stroke-width="2"${shape === 'dash' ? ' stroke-dasharray="4 3"' : ''}/>`;
    s += `<text x="${px(x + 24)}" y="${px(y)}" fill="#333">${esc(it.label)}</text></g>`;
  });
  return `${s}</g>`;
}

/** Path data of a diamond marker centred at (x, y). */
export function diamond(x: number, y: number, r: number): string {
  return `M${px(x)},${px(y - r)}L${px(x + r)},${px(y)}L${px(x)},${px(y + r)}L${px(x - r)},${px(y)}Z`;
}

/** [min, max] over several arrays. */
export function extent(...arrays: ReadonlyArray<ArrayLike<number>>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays)
    for (let i = 0; i < a.length; i++) {
      if (a[i] < lo) lo = a[i];
      if (a[i] > hi) hi = a[i];
    }
  if (lo > hi) return [0, 1];
  if (lo === hi) return lo === 0 ? [0, 1] : [Math.min(0, lo), Math.max(0, hi)];
  return [lo, hi];
}
