export { adstockInto, adstockInputVjpInto, laggedCrossProductInto } from './adstock/convolve.js';
export {
  adstockVjp,
  adstockVjpPrepared,
  adstockPreparedInto,
  adstockParamsVjpPrepared,
  adstockTangentsPrepared,
  adstockWeights,
  createAdstockWorkspace,
} from './adstock/family.js';
export type { AdstockFamily, AdstockName, AdstockRecurrence, AdstockWorkspace } from './adstock/family.js';
export type { AdstockWindow } from './adstock/options.js';
export { DEFAULT_MAX_LAG } from './adstock/options.js';
export { geometricAdstock, geometricAdstockInto, geometricAdstockWeights, geometricAdstockFamily } from './adstock/geometric.js';
export { delayedAdstock, delayedAdstockInto, delayedAdstockWeights, delayedAdstockFamily } from './adstock/delayed.js';
export {
  weibullAdstock,
  weibullAdstockInto,
  weibullAdstockWeights,
  weibullCdfAdstockFamily,
  weibullPdfAdstockFamily,
} from './adstock/weibull.js';

export type { SaturationFamily, SaturationName } from './saturation/family.js';
export { saturationJacobianInto } from './saturation/family.js';
export {
  hill,
  hillInto,
  hillDerivative,
  hillGradientInto,
  hillVjp,
  hillCacheInto,
  hillVjpCached,
  hillJacobianInto,
  hillSaturation,
} from './saturation/hill.js';
export {
  logistic,
  logisticInto,
  logisticDerivative,
  logisticGradientInto,
  logisticVjp,
  logisticVjpCached,
  logisticJacobianInto,
  logisticSaturation,
} from './saturation/logistic.js';
export {
  michaelisMenten,
  michaelisMentenInto,
  michaelisMentenDerivative,
  michaelisMentenGradientInto,
  michaelisMentenVjp,
  michaelisMentenJacobianInto,
  michaelisMentenSaturation,
} from './saturation/michaelis-menten.js';
export {
  tanhSaturation,
  tanhSaturationInto,
  tanhSaturationDerivative,
  tanhSaturationGradientInto,
  tanhSaturationVjp,
  tanhSaturationVjpCached,
  tanhSaturationJacobianInto,
  tanhSaturationFamily,
} from './saturation/tanh.js';
export {
  power,
  powerInto,
  powerDerivative,
  powerGradientInto,
  powerVjp,
  powerCacheInto,
  powerVjpCached,
  powerJacobianInto,
  powerSaturation,
} from './saturation/power.js';

export { fourierFeatures, daysSinceEpoch } from './seasonality/fourier.js';
export type { FourierFeatures } from './seasonality/fourier.js';
export { piecewiseLinearTrend, piecewiseLinearTrendInto, piecewiseLinearTrendVjp, changepointGrid } from './trend/piecewise-linear.js';
export type { PiecewiseLinearTrend, PiecewiseLinearTrendGradient } from './trend/piecewise-linear.js';
export { maxAbsScale, meanScale, standardize, unscale, unscaleInto, maxAbsScaleColumns } from './scaling/scalers.js';
export type { Scaled } from './scaling/scalers.js';
export { adstockFamilies, saturationFamilies } from './registry.js';
export { geometricHillJacobianInto } from './curve/geometric-hill.js';
