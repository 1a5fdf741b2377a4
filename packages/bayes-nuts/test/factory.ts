// Target factories for the worker-thread tests: a worker imports this module and calls a factory with plain data.
import { eightSchools, gaussian } from './targets.js';

export function eightSchoolsTarget(data: { centred: boolean }) {
  return eightSchools(data.centred);
}

export function gaussianTarget(data: { means: number[]; sds: number[] }) {
  return gaussian(Float64Array.from(data.means), Float64Array.from(data.sds));
}

export function brokenTarget() {
  return { dim: 2, logDensityGradient: () => Number.NaN };
}
