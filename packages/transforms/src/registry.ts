import type { AdstockFamily, AdstockName } from './adstock/family.js';
import { geometricAdstockFamily } from './adstock/geometric.js';
import { delayedAdstockFamily } from './adstock/delayed.js';
import { weibullCdfAdstockFamily, weibullPdfAdstockFamily } from './adstock/weibull.js';
import type { SaturationFamily, SaturationName } from './saturation/family.js';
import { hillSaturation } from './saturation/hill.js';
import { logisticSaturation } from './saturation/logistic.js';
import { michaelisMentenSaturation } from './saturation/michaelis-menten.js';
import { tanhSaturationFamily } from './saturation/tanh.js';
import { powerSaturation } from './saturation/power.js';

/** Every adstock family by name, for models that choose a transform from a spec. */
export const adstockFamilies: Readonly<Record<AdstockName, AdstockFamily>> = {
  geometric: geometricAdstockFamily,
  delayed: delayedAdstockFamily,
  weibullCdf: weibullCdfAdstockFamily,
  weibullPdf: weibullPdfAdstockFamily,
};

/** Every saturation family by name, for models that choose a transform from a spec. */
export const saturationFamilies: Readonly<Record<SaturationName, SaturationFamily>> = {
  hill: hillSaturation,
  logistic: logisticSaturation,
  michaelisMenten: michaelisMentenSaturation,
  tanh: tanhSaturationFamily,
  power: powerSaturation,
};
