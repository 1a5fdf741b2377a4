export { lineChart, stackedAreaChart, barChart, forestPlot, heatmap, histogram } from './charts.js';
export type { LineSeries, ChartMarker, LineChartOptions, AreaLayer, BarGroup, BarChartOptions, ForestRow, HeatmapData, HistogramOptions } from './charts.js';
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
} from './mmm.js';
export { frequencyRecencyChart, clvHistogram, calibrationHoldoutChart } from './clv.js';
export { renderMMMReport, renderCLVReport } from './html.js';
export type { MMMReportOptions, CLVReportInput, CLVReportOptions } from './html.js';
export { PALETTE } from './svg.js';
export type { ChartOptions, LegendItem } from './svg.js';
