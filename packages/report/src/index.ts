export { lineChart, stackedAreaChart, barChart, forestPlot, heatmap, histogram, scatterChart, waterfallChart } from './charts.js';
export type {
  LineSeries,
  ChartMarker,
  LineChartOptions,
  AreaLayer,
  BarGroup,
  BarChartOptions,
  ForestRow,
  HeatmapData,
  HistogramOptions,
  ScatterSeries,
  WaterfallStep,
} from './charts.js';
export {
  actualVsFittedChart,
  contributionsChart,
  shareChart,
  roasChart,
  responseCurvesChart,
  adstockChart,
  saturationChart,
  budgetChart,
  priorPosteriorChart,
  traceChart,
  rankChart,
  paretoChart,
  contributionWaterfallChart,
} from './mmm.js';
export { frequencyRecencyChart, clvHistogram, calibrationHoldoutChart } from './clv.js';
export { mmmReportData } from './report/mmm-data.js';
export type { MMMReportData, MMMReportOptions, ChannelRow, BudgetRow } from './report/mmm-data.js';
export { renderMMMReport } from './report/mmm-render.js';
export { renderComparisonReport } from './report/comparison-render.js';
export type { ComparisonReportOptions } from './report/comparison-render.js';
export { clvReportData } from './report/clv-data.js';
export type { CLVReportData, CLVReportInput, CLVReportOptions, ParameterTable } from './report/clv-data.js';
export { renderCLVReport } from './report/clv-render.js';
export { PALETTE } from './svg.js';
export type { ChartOptions, LegendItem } from './svg.js';
