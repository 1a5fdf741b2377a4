export { linearRegression, ridge, lasso, elasticNet } from './solvers.js';
export type { RegressionResult, CommonOptions, DescentOptions } from './solvers.js';
export { timeSeriesSplit, ridgeCV, lassoCV, elasticNetCV } from './cv.js';
export type { Fold, CVResult, PathOptions } from './cv.js';
export type { DesignInput } from './design.js';
