// General charts on plain data: lines with credible bands, stacked areas, grouped bars, forest plots, heatmaps and
// histograms. The MMM and CLV charts are these with the data taken from a fit. Scales, ticks, bins and paths are
// d3's (d3-scale, d3-shape, d3-array); the SVG is assembled as a string, so no DOM is needed.
import { InvalidInputError } from '@mmm/core';
import { bin } from 'd3-array';
import { scaleBand, scaleLinear, scaleUtc } from 'd3-scale';
import { area, line, stack, stackOffsetDiverging, stackOrderNone } from 'd3-shape';
import {
  axisLabels,
  bandAxis,
  checkFinite,
  checkSameLength,
  colour,
  diamond,
  esc,
  extent,
  frame,
  human,
  legend,
  legendRows,
  open,
  px,
  xAxis,
  xTickCount,
  yTickCount,
  yAxis,
  type ChartOptions,
  type LegendItem,
} from './svg.js';

/** One line of a {@link lineChart}, with an optional credible band. */
export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  band?: { lower: ArrayLike<number>; upper: ArrayLike<number> };
  colour?: string;
  dashed?: boolean;
  /** leave out of the legend */
  hideInLegend?: boolean;
}

/** A marked point on a chart (e.g. current and optimal spend on a response curve). */
export interface ChartMarker {
  label: string;
  x: number;
  y: number;
  colour?: string;
  shape?: 'circle' | 'diamond';
}

/** Options of {@link lineChart}. */
export interface LineChartOptions extends ChartOptions {
  /** x values are milliseconds since the epoch: a UTC time axis */
  time?: boolean;
  /** include 0 in the y range; @defaultValue false */
  yZero?: boolean;
  /** legend entries for the marker shapes */
  markerLegend?: LegendItem[];
  /** y tick format; @defaultValue 1.2k / 3.4M style */
  yFormat?: (v: number) => string;
}

/**
 * Lines over x with shaded credible bands and optional markers. Each series is a `<g class="series">` holding its
 * band (`path.band`) and line (`path.line`, one `M`/`L` command per point).
 */
export function lineChart(series: ReadonlyArray<LineSeries>, markers: ReadonlyArray<ChartMarker> = [], o: LineChartOptions = {}): string {
  if (series.length === 0) throw new InvalidInputError('series', 'is empty', 'Give at least one series.');
  series.forEach((sr, i) => {
    checkSameLength(`series[${i}].y`, sr.x, sr.y);
    checkFinite(`series[${i}].x`, sr.x);
    checkFinite(`series[${i}].y`, sr.y);
    if (sr.band) {
      checkSameLength(`series[${i}].band.lower`, sr.x, sr.band.lower);
      checkSameLength(`series[${i}].band.upper`, sr.x, sr.band.upper);
      checkFinite(`series[${i}].band.lower`, sr.band.lower);
      checkFinite(`series[${i}].band.upper`, sr.band.upper);
    }
  });
  markers.forEach((m, i) => checkFinite(`markers[${i}]`, [m.x, m.y]));
  const items: LegendItem[] = series.flatMap((sr, i) =>
    sr.hideInLegend ? [] : [{ label: sr.name, colour: sr.colour ?? colour(i), shape: sr.dashed ? ('dash' as const) : ('line' as const) }],
  );
  items.push(...(o.markerLegend ?? []));
  const f = frame(o, { legendRows: items.length > 1 ? legendRows(items, o.width ?? 720) : 0 });
  const xs = series.map((s) => s.x).concat([markers.map((m) => m.x)]);
  const ys = series.flatMap((s) => (s.band ? [s.y, s.band.lower, s.band.upper] : [s.y])).concat([markers.map((m) => m.y)]);
  if (o.yZero) ys.push([0]);
  const [x0, x1] = extent(...xs);
  const [y0, y1] = extent(...ys);
  const y = scaleLinear().domain([y0, y1]).range([f.bottom, f.top]).nice(yTickCount(f));
  const xTime = scaleUtc()
    .domain([new Date(x0), new Date(x1)])
    .range([f.left, f.right]);
  const xLin = scaleLinear().domain([x0, x1]).range([f.left, f.right]).nice(xTickCount(f));
  const xf = (v: number): number => (o.time ? xTime(new Date(v)) : xLin(v));
  let s = open(f, o, 'line');
  s += yAxis(f, y, { format: o.yFormat });
  s += o.time ? xAxis(f, xTime) : xAxis(f, xLin, { format: human });
  s += axisLabels(f, o);
  series.forEach((sr, i) => {
    const c = sr.colour ?? colour(i);
    const idx = Array.from({ length: sr.x.length }, (_, k) => k);
    s += `<g class="series" data-name="${esc(sr.name)}" data-points="${sr.x.length}">`;
    if (sr.band) {
      const { lower, upper } = sr.band;
      const d = area<number>()
        .x((k) => xf(sr.x[k]))
        .y0((k) => y(lower[k]))
        .y1((k) => y(upper[k]))
        .digits(2)(idx);
      s += `<path class="band" d="${d}" fill="${c}" fill-opacity="0.18" stroke="none"/>`;
    }
    const d = line<number>()
      .x((k) => xf(sr.x[k]))
      .y((k) => y(sr.y[k]))
      .digits(2)(idx);
    s += `<path class="line" d="${d}" fill="none" stroke="${c}" stroke-width="${sr.dashed ? 1.5 : 2}"${
      sr.dashed ? ' ' + 'stroke-dasharray="5 4"' : ''
    }/></g>`;
  });
  if (markers.length) {
    s += `<g class="markers">`;
    for (const m of markers) {
      const c = m.colour ?? '#222';
      s += `<g class="marker" data-label="${esc(m.label)}"><title>${esc(`${m.label}: ${human(m.x)}, ${human(m.y)}`)}</title>`;
      s +=
        m.shape === 'diamond'
          ? `<path d="${diamond(xf(m.x), y(m.y), 6)}" fill="${c}" stroke="#fff"/>`
          : `<circle cx="${px(xf(m.x))}" cy="${px(y(m.y))}" r="4.5" fill="${c}" stroke="#fff"/>`;
      s += `</g>`;
    }
    s += `</g>`;
  }
  if (items.length > 1) s += legend(f, o, items);
  return `${s}</svg>`;
}

/** One set of points of a {@link scatterChart}. */
export interface ScatterSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  colour?: string;
  /** @defaultValue 3 */
  radius?: number;
  /** @defaultValue 0.8 */
  opacity?: number;
  /** join the points in the order given (e.g. a Pareto front) */
  connect?: boolean;
}

/**
 * Points in the plane, one `<g class="series">` per set (a `circle` per point, and a `path.line` when `connect`),
 * with optional labelled markers on top: candidates of a search against two objectives, and the like.
 */
export function scatterChart(
  series: ReadonlyArray<ScatterSeries>,
  markers: ReadonlyArray<ChartMarker> = [],
  o: ChartOptions & { xFormat?: (v: number) => string; yFormat?: (v: number) => string } = {},
): string {
  if (series.length === 0) throw new InvalidInputError('series', 'is empty', 'Give at least one series.');
  series.forEach((sr, i) => {
    checkSameLength(`series[${i}].y`, sr.x, sr.y);
    checkFinite(`series[${i}].x`, sr.x);
    checkFinite(`series[${i}].y`, sr.y);
  });
  markers.forEach((m, i) => checkFinite(`markers[${i}]`, [m.x, m.y]));
  const items: LegendItem[] = series.map((sr, i) => ({ label: sr.name, colour: sr.colour ?? colour(i), shape: 'line' as const }));
  const f = frame(o, { legendRows: items.length > 1 ? legendRows(items, o.width ?? 720) : 0 });
  const [x0, x1] = extent(
    ...series.map((s) => s.x),
    markers.map((m) => m.x),
  );
  const [y0, y1] = extent(
    ...series.map((s) => s.y),
    markers.map((m) => m.y),
  );
  const x = scaleLinear().domain([x0, x1]).range([f.left, f.right]).nice(xTickCount(f));
  const y = scaleLinear().domain([y0, y1]).range([f.bottom, f.top]).nice(yTickCount(f));
  let s = open(f, o, 'scatter');
  s += yAxis(f, y, { format: o.yFormat });
  s += xAxis(f, x, { format: o.xFormat ?? human });
  s += axisLabels(f, o);
  series.forEach((sr, i) => {
    const c = sr.colour ?? colour(i);
    s += `<g class="series" data-name="${esc(sr.name)}" data-points="${sr.x.length}" fill="${c}" fill-opacity="${sr.opacity ?? 0.8}">`;
    if (sr.connect && sr.x.length > 1) {
      const idx = Array.from({ length: sr.x.length }, (_, k) => k);
      s += `<path class="line" d="${line<number>()
        .x((k) => x(sr.x[k]))
        .y((k) => y(sr.y[k]))
        .digits(2)(idx)}" fill="none" stroke="${c}" stroke-width="1.5"/>`;
    }
    for (let k = 0; k < sr.x.length; k++) s += `<circle cx="${px(x(sr.x[k]))}" cy="${px(y(sr.y[k]))}" r="${sr.radius ?? 3}"/>`;
    s += `</g>`;
  });
  if (markers.length) {
    s += `<g class="markers">`;
    for (const m of markers) {
      s +=
        `<g class="marker" data-label="${esc(m.label)}"><title>${esc(`${m.label}: ${human(m.x)}, ${human(m.y)}`)}</title><path ` +
        `d="${diamond(x(m.x), y(m.y), 7)}" fill="${m.colour ?? '#222'}" stroke="#fff"/></g>`;
    }
    s += `</g>`;
  }
  if (items.length > 1) s += legend(f, o, items);
  return `${s}</svg>`;
}

/** One layer of a {@link stackedAreaChart}. */
export interface AreaLayer {
  name: string;
  values: ArrayLike<number>;
  colour?: string;
}

/**
 * Layers stacked over time: positive parts stack up from zero and negative parts down (d3's diverging offset), so a
 * negative seasonality or control effect is drawn below the axis rather than hidden. An optional overlay line (e.g.
 * the actual target) is drawn on top. x values are milliseconds since the epoch.
 */
export function stackedAreaChart(
  x: ArrayLike<number>,
  layers: ReadonlyArray<AreaLayer>,
  overlay?: LineSeries,
  o: ChartOptions = {},
): string {
  if (layers.length === 0) throw new InvalidInputError('layers', 'is empty', 'Give at least one layer.');
  checkFinite('x', x);
  layers.forEach((l, i) => {
    checkSameLength(`layers[${i}].values`, x, l.values);
    checkFinite(`layers[${i}].values`, l.values);
  });
  if (overlay) {
    checkSameLength('overlay.y', x, overlay.y);
    checkFinite('overlay.y', overlay.y);
  }
  const n = x.length;
  const rows = Array.from({ length: n }, (_, t) => Object.fromEntries(layers.map((l, i) => [String(i), l.values[t]])));
  const stacked = stack<Record<string, number>>()
    .keys(layers.map((_, i) => String(i)))
    .order(stackOrderNone)
    .offset(stackOffsetDiverging)(rows);
  const items: LegendItem[] = layers.map((l, i) => ({ label: l.name, colour: l.colour ?? colour(i), shape: 'box' as const }));
  if (overlay) items.push({ label: overlay.name, colour: overlay.colour ?? '#222' });
  const f = frame(o, { legendRows: legendRows(items, o.width ?? 720) });
  const lows = stacked.map((sr) => sr.map((p) => p[0]));
  const highs = stacked.map((sr) => sr.map((p) => p[1]));
  const [y0, y1] = extent(...lows, ...highs, overlay ? overlay.y : [], [0]);
  const [x0, x1] = extent(x);
  const xs = scaleUtc()
    .domain([new Date(x0), new Date(x1)])
    .range([f.left, f.right]);
  const y = scaleLinear().domain([y0, y1]).range([f.bottom, f.top]).nice(yTickCount(f));
  let s = open(f, o, 'stacked-area') + yAxis(f, y) + xAxis(f, xs) + axisLabels(f, o);
  const idx = Array.from({ length: n }, (_, k) => k);
  stacked.forEach((sr, i) => {
    const d = area<number>()
      .x((k) => xs(new Date(x[k])))
      .y0((k) => y(sr[k][0]))
      .y1((k) => y(sr[k][1]))
      .digits(2)(idx);
    s +=
      `<g class="series" data-name="${esc(layers[i].name)}" data-points="${n}"><path class="area" d="${d}" ` +
      `fill="${layers[i].colour ?? colour(i)}" fill-opacity="0.85" stroke="none"/></g>`;
  });
  if (overlay) {
    const d = line<number>()
      .x((k) => xs(new Date(x[k])))
      .y((k) => y(overlay.y[k]))
      .digits(2)(idx);
    s +=
      `<g class="series overlay" data-name="${esc(overlay.name)}" data-points="${n}"><path class="line" d="${d}" fill="none" ` +
      `stroke="${overlay.colour ?? '#222'}" stroke-width="1.5"/></g>`;
  }
  return `${s}${legend(f, o, items)}</svg>`;
}

/** One group of bars of a {@link barChart} (one bar per category). */
export interface BarGroup {
  name: string;
  values: ArrayLike<number>;
  colour?: string;
}

/** Options of {@link barChart}. */
export interface BarChartOptions extends ChartOptions {
  /** value axis format; @defaultValue 1.2k style */
  format?: (v: number) => string;
}

/** Horizontal grouped bars: one row per category, one bar per group (e.g. spend share and effect share per channel). */
export function barChart(categories: ReadonlyArray<string>, groups: ReadonlyArray<BarGroup>, o: BarChartOptions = {}): string {
  if (categories.length === 0 || groups.length === 0)
    throw new InvalidInputError(categories.length ? 'groups' : 'categories', 'is empty', 'Give at least one category and one group.');
  groups.forEach((g, i) => {
    checkSameLength(`groups[${i}].values`, categories, g.values);
    checkFinite(`groups[${i}].values`, g.values);
  });
  const items: LegendItem[] = groups.map((g, i) => ({ label: g.name, colour: g.colour ?? colour(i), shape: 'box' as const }));
  const labelWidth = Math.min(200, 12 + 6.5 * Math.max(...categories.map((c) => c.length)));
  const height = o.height ?? Math.max(160, 60 + categories.length * (14 * groups.length + 16) + (groups.length > 1 ? 24 : 0));
  const oo = { ...o, height };
  const f = frame(oo, { left: labelWidth, legendRows: groups.length > 1 ? legendRows(items, oo.width ?? 720) : 0 });
  const [v0, v1] = extent(...groups.map((g) => g.values), [0]);
  const x = scaleLinear().domain([v0, v1]).range([f.left, f.right]).nice(xTickCount(f));
  const band = scaleBand<string>().domain(categories).range([f.top, f.bottom]).paddingInner(0.25).paddingOuter(0.1);
  const inner = scaleBand<string>()
    .domain(groups.map((_, i) => String(i)))
    .range([0, band.bandwidth()])
    .padding(0.08);
  let s = open(f, oo, 'bar') + xAxis(f, x, { format: o.format ?? human, grid: true }) + bandAxis(f, band) + axisLabels(f, oo);
  groups.forEach((g, i) => {
    s += `<g class="series" data-name="${esc(g.name)}" data-points="${categories.length}">`;
    categories.forEach((cat, k) => {
      const v = g.values[k];
      const a = x(Math.min(0, v));
      const b = x(Math.max(0, v));
      const yy = (band(cat) ?? 0) + (inner(String(i)) ?? 0);
      s +=
        `<rect class="bar" data-category="${esc(cat)}" data-value="${v}" x="${px(a)}" y="${px(yy)}" ` +
        `width="${px(Math.max(0.5, b - a))}" height="${px(inner.bandwidth())}" ` +
        `fill="${g.colour ?? colour(i)}"><title>${esc(`${cat}, ${g.name}: ${(o.format ?? human)(v)}`)}</title></rect>`;
    });
    s += `</g>`;
  });
  return `${s}${groups.length > 1 ? legend(f, oo, items) : ''}</svg>`;
}

/** One step of a {@link waterfallChart}: a signed amount, or (`total`) a bar from 0 to the running sum. */
export interface WaterfallStep {
  label: string;
  value: number;
  /** draw the running total so far instead of a step (its `value` is ignored) */
  total?: boolean;
}

/**
 * A horizontal waterfall: each step a floating bar from the running sum before it to the sum after it (rising steps
 * in blue, falling in vermillion), totals grey from 0; e.g. the baseline, controls and each channel adding up to the
 * fitted total.
 */
export function waterfallChart(steps: ReadonlyArray<WaterfallStep>, o: BarChartOptions = {}): string {
  if (steps.length === 0) throw new InvalidInputError('steps', 'is empty', 'Give at least one step.');
  checkFinite(
    'steps.value',
    steps.map((st) => (st.total ? 0 : st.value)),
  );
  const labels = steps.map((st, i) => `${i + 1}. ${st.label}`);
  const bars: Array<{ from: number; to: number; kind: 'up' | 'down' | 'total' }> = [];
  let run = 0;
  for (const st of steps) {
    if (st.total) bars.push({ from: 0, to: run, kind: 'total' });
    else {
      bars.push({ from: run, to: run + st.value, kind: st.value >= 0 ? 'up' : 'down' });
      run += st.value;
    }
  }
  const labelWidth = Math.min(220, 12 + 6.5 * Math.max(...labels.map((c) => c.length)));
  const height = o.height ?? Math.max(160, 70 + steps.length * 26);
  const oo = { ...o, height };
  const f = frame(oo, { left: labelWidth });
  const [v0, v1] = extent(
    bars.map((b) => b.from),
    bars.map((b) => b.to),
    [0],
  );
  const x = scaleLinear().domain([v0, v1]).range([f.left, f.right]).nice(xTickCount(f));
  const band = scaleBand<string>().domain(labels).range([f.top, f.bottom]).padding(0.25);
  const fill = { up: colour(0), down: '#D55E00', total: '#9e9e9e' };
  let svg = open(f, oo, 'waterfall') + xAxis(f, x, { format: o.format ?? human, grid: true }) + bandAxis(f, band) + axisLabels(f, oo);
  svg += `<g class="series" data-name="steps" data-points="${steps.length}">`;
  bars.forEach((b, i) => {
    const a = x(Math.min(b.from, b.to));
    const e = x(Math.max(b.from, b.to));
    const value = b.to - b.from;
    svg +=
      `<rect class="bar ${b.kind}" data-category="${esc(steps[i].label)}" data-value="${value}" data-from="${b.from}" ` +
      `data-to="${b.to}" x="${px(a)}" y="${px(band(labels[i]) ?? 0)}" width="${px(Math.max(0.5, e - a))}" ` +
      `height="${px(band.bandwidth())}" ` +
      `fill="${fill[b.kind]}"><title>${esc(`${steps[i].label}: ${(o.format ?? human)(b.kind === 'total' ? b.to : value)}`)}</title></rect>`;
  });
  return `${svg}</g></svg>`;
}

/** One row of a {@link forestPlot}. */
export interface ForestRow {
  label: string;
  mean: number;
  lower: number;
  upper: number;
}

/** Point estimates with interval whiskers, one row per item, and an optional reference line (e.g. ROAS = 1). */
export function forestPlot(
  rows: ReadonlyArray<ForestRow>,
  o: ChartOptions & { reference?: number; format?: (v: number) => string } = {},
): string {
  if (rows.length === 0) throw new InvalidInputError('rows', 'is empty', 'Give at least one row.');
  rows.forEach((r, i) => checkFinite(`rows[${i}]`, [r.mean, r.lower, r.upper]));
  const labelWidth = Math.min(200, 12 + 6.5 * Math.max(...rows.map((r) => r.label.length)));
  const oo = { ...o, height: o.height ?? Math.max(140, 70 + 28 * rows.length) };
  const f = frame(oo, { left: labelWidth });
  const ref = o.reference;
  const [v0, v1] = extent(
    rows.map((r) => r.lower),
    rows.map((r) => r.upper),
    ref === undefined ? [] : [ref],
  );
  const x = scaleLinear().domain([v0, v1]).range([f.left, f.right]).nice(xTickCount(f));
  const band = scaleBand<string>()
    .domain(rows.map((r) => r.label))
    .range([f.top, f.bottom])
    .padding(0.3);
  let s = open(f, oo, 'forest') + xAxis(f, x, { format: o.format ?? human, grid: true }) + bandAxis(f, band) + axisLabels(f, oo);
  if (ref !== undefined)
    s +=
      `<line class="reference" x1="${px(x(ref))}" x2="${px(x(ref))}" y1="${px(f.top)}" y2="${px(f.bottom)}" stroke="#999" ` +
      `stroke-dasharray="4 3"/>`;
  s += `<g class="series" data-name="estimates" data-points="${rows.length}">`;
  rows.forEach((r, i) => {
    const yy = (band(r.label) ?? 0) + band.bandwidth() / 2;
    const c = colour(i);
    s +=
      `<g class="row" data-label="${esc(r.label)}" data-mean="${r.mean}" data-lower="${r.lower}" ` +
      `data-upper="${r.upper}"><title>${esc(`${r.label}: ${human(r.mean)} [${human(r.lower)}, ${human(r.upper)}]`)}</title>`;
    s += `<line x1="${px(x(r.lower))}" x2="${px(x(r.upper))}" y1="${px(yy)}" y2="${px(yy)}" stroke="${c}" stroke-width="2.5"/>`;
    s += `<circle cx="${px(x(r.mean))}" cy="${px(yy)}" r="5" fill="${c}" stroke="#fff"/></g>`;
  });
  return `${s}</g></svg>`;
}

/** A value grid for a {@link heatmap}: `values[i][j]` at row `rows[i]` and column `columns[j]` (NaN cells stay blank). */
export interface HeatmapData {
  rows: ReadonlyArray<number>;
  columns: ReadonlyArray<number>;
  values: ReadonlyArray<ReadonlyArray<number>>;
}

/**
 * A heatmap of a grid, light (low) to dark blue (high), with a colour bar. Cells that are not finite (impossible
 * combinations, e.g. recency 0 with repeat purchases) are left blank and counted in `data-blank`.
 */
export function heatmap(data: HeatmapData, o: ChartOptions & { format?: (v: number) => string } = {}): string {
  const { rows, columns, values } = data;
  if (rows.length === 0 || columns.length === 0)
    throw new InvalidInputError('rows/columns', 'is empty', 'Give a grid with at least one row and column.');
  if (values.length !== rows.length)
    throw new InvalidInputError('values', `has ${values.length} rows for ${rows.length}`, 'Give one row of values per row.');
  values.forEach((r, i) => checkSameLength(`values[${i}]`, columns, r));
  checkFinite('rows', rows);
  checkFinite('columns', columns);
  const finite = values.flatMap((r) => r.filter((v) => Number.isFinite(v)));
  if (finite.length === 0) throw new InvalidInputError('values', 'has no finite value', 'Give a grid with finite values.');
  const oo = { ...o, height: o.height ?? 420 };
  const f = frame(oo);
  f.right -= 70; // colour bar
  const fmt = o.format ?? human;
  const [v0, v1] = extent(finite);
  const col = scaleLinear<string>().domain([v0, v1]).range(['#f0f6fc', '#08306b']);
  const cx = scaleBand<string>()
    .domain(columns.map((_, j) => String(j)))
    .range([f.left, f.right]);
  const cy = scaleBand<string>()
    .domain(rows.map((_, i) => String(i)))
    .range([f.bottom, f.top]);
  let blank = 0;
  let cells = '';
  rows.forEach((rv, i) =>
    columns.forEach((cv, j) => {
      const v = values[i][j];
      if (!Number.isFinite(v)) {
        blank++;
        return;
      }
      cells +=
        `<rect class="cell" data-row="${rv}" data-column="${cv}" data-value="${v}" x="${px(cx(String(j)) ?? 0)}" ` +
        `y="${px(cy(String(i)) ?? 0)}" width="${px(cx.bandwidth() + 0.3)}" height="${px(cy.bandwidth() + 0.3)}" ` +
        `fill="${col(v)}"><title>${esc(`${human(rv)}, ${human(cv)}: ${fmt(v)}`)}</title></rect>`;
    }),
  );
  let s = open(f, oo, 'heatmap');
  s += `<g class="series" data-name="grid" data-points="${finite.length}" data-blank="${blank}">${cells}</g>`;
  // axes: label about eight rows and columns
  const every = (n: number) => Math.max(1, Math.ceil(n / 8));
  s += `<g class="axis x">`;
  columns.forEach((cv, j) => {
    if (j % every(columns.length) === 0)
      s +=
        `<g class="tick" data-value="${cv}"><text x="${px((cx(String(j)) ?? 0) + cx.bandwidth() / 2)}" y="${px(f.bottom + 16)}" ` +
        `text-anchor="middle" fill="#555">${esc(human(cv))}</text></g>`;
  });
  s += `</g><g class="axis y">`;
  rows.forEach((rv, i) => {
    if (i % every(rows.length) === 0)
      s +=
        `<g class="tick" data-value="${rv}"><text x="${px(f.left - 6)}" y="${px((cy(String(i)) ?? 0) + cy.bandwidth() / 2 + 4)}" ` +
        `text-anchor="end" fill="#555">${esc(human(rv))}</text></g>`;
  });
  s += `</g>`;
  s += axisLabels(f, oo);
  // colour bar (the gradient's id is derived from the chart's content, so two heatmaps in one page do not clash)
  const gid = `heat-${hash(`${o.title ?? ''}|${v0}|${v1}|${rows.length}|${columns.length}`)}`;
  const bar = scaleLinear().domain([v0, v1]).range([f.bottom, f.top]).nice(yTickCount(f));
  const bx = f.right + 20;
  s +=
    `<g class="colour-bar"><defs><linearGradient id="${gid}" x1="0" y1="1" x2="0" y2="0"><stop offset="0" ` +
    `stop-color="${col(v0)}"/><stop offset="1" stop-color="${col(v1)}"/></linearGradient></defs>`;
  s += `<rect x="${px(bx)}" y="${px(bar(v1))}" width="12" height="${px(bar(v0) - bar(v1))}" fill="url(#${gid})"/>`;
  for (const t of bar.ticks(5))
    if (t >= v0 && t <= v1) s += `<text x="${px(bx + 16)}" y="${px(bar(t) + 4)}" fill="#555">${esc(fmt(t))}</text>`;
  return `${s}</g></svg>`;
}

/** Options of {@link histogram}. */
export interface HistogramOptions extends ChartOptions {
  /** approximate number of bins (d3's nice thresholds); @defaultValue 30 */
  bins?: number;
  /** scale the bars to a probability density (area 1) instead of counts */
  density?: boolean;
  /** lines drawn over the bars on the same x axis (e.g. a prior density) */
  overlays?: ReadonlyArray<LineSeries>;
  colour?: string;
}

/** A histogram of `values` with d3-array's binning, optional density scaling and overlaid lines. */
export function histogram(values: ArrayLike<number>, o: HistogramOptions = {}): string {
  if (values.length === 0) throw new InvalidInputError('values', 'is empty', 'Give at least one value.');
  checkFinite('values', values);
  (o.overlays ?? []).forEach((sr, i) => {
    checkSameLength(`overlays[${i}].y`, sr.x, sr.y);
    checkFinite(`overlays[${i}].x`, sr.x);
    checkFinite(`overlays[${i}].y`, sr.y);
  });
  const arr = Array.from(values);
  const [lo, hi] = extent(arr, ...(o.overlays ?? []).map((s) => s.x));
  const x = scaleLinear()
    .domain([lo, hi])
    .nice(o.bins ?? 30);
  const bins = bin()
    .domain(x.domain() as [number, number])
    .thresholds(x.ticks(o.bins ?? 30))(arr);
  const total = arr.length;
  const heights = bins.map((b) => (o.density ? b.length / total / Math.max(1e-300, (b.x1 ?? 0) - (b.x0 ?? 0)) : b.length));
  const items: LegendItem[] = o.overlays?.length
    ? [
        { label: o.density ? 'posterior' : 'count', colour: o.colour ?? colour(0), shape: 'box' },
        ...o.overlays.map((sr, i) => ({ label: sr.name, colour: sr.colour ?? colour(i + 1) })),
      ]
    : [];
  const f = frame(o, { legendRows: items.length ? legendRows(items, o.width ?? 720) : 0 });
  x.range([f.left, f.right]);
  const y = scaleLinear()
    .domain(extent(heights, ...(o.overlays ?? []).map((s) => s.y), [0]))
    .range([f.bottom, f.top])
    .nice(yTickCount(f));
  let s = open(f, o, 'histogram') + yAxis(f, y) + xAxis(f, x, { format: human }) + axisLabels(f, o);
  s += `<g class="series" data-name="bins" data-points="${bins.length}" data-total="${total}">`;
  bins.forEach((b, i) => {
    const a = x(b.x0 ?? 0);
    const w = Math.max(0.5, x(b.x1 ?? 0) - a - 1);
    s +=
      `<rect class="bar" data-x0="${b.x0}" data-x1="${b.x1}" data-count="${b.length}" x="${px(a + 0.5)}" y="${px(y(heights[i]))}" ` +
      `width="${px(w)}" height="${px(y(0) - y(heights[i]))}" fill="${o.colour ?? colour(0)}" fill-opacity="0.75"/>`;
  });
  s += `</g>`;
  (o.overlays ?? []).forEach((sr, i) => {
    const idx = Array.from({ length: sr.x.length }, (_, k) => k);
    const d = line<number>()
      .x((k) => x(sr.x[k]))
      .y((k) => y(sr.y[k]))
      .digits(2)(idx);
    s +=
      `<g class="series" data-name="${esc(sr.name)}" data-points="${sr.x.length}"><path class="line" d="${d}" fill="none" ` +
      `stroke="${sr.colour ?? colour(i + 1)}" stroke-width="2"${sr.dashed ? ' stroke-dasharray="5 4"' : ''}/></g>`;
  });
  return `${s}${legend(f, o, items)}</svg>`;
}

/** FNV-1a hash of a string, in base 36. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}
