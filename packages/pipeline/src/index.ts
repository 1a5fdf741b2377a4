export { fitMMM } from './fit.js';
export { optimizeBudget } from './budget.js';
export type { OptimizeBudgetOptions } from './budget.js';
export type { TableInput } from './table.js';
export type { FitMMMOptions, MMMFit, ChannelInput, ChannelResult, Estimate, SeriesEstimate } from './types.js';
export { responseCurves, saturationCurves, adstockCurves } from './curves.js';
export type { ChannelCurve, CurveOptions } from './curves.js';
export { predict } from './predict.js';
export type { Prediction } from './predict.js';
