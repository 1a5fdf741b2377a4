export {
  MmmError,
  InvalidInputError,
  InvalidParameterError,
  DimensionMismatchError,
  NonFiniteError,
  NotConvergedError,
  AbortedError,
  WorkerError,
  isMmmError,
  reviveError,
} from './errors.js';
export type { MmmErrorCode, SerializedMmmError, AbortSignalLike } from './errors.js';
export {
  assertFinite,
  assertAllFinite,
  assertNonNegativeArray,
  assertInRange,
  assertPositive,
  assertInteger,
  assertLength,
  formatInterval,
  DEFAULT_INTERVAL_MASS,
} from './checks.js';
export type { Interval, CredibleInterval } from './checks.js';
export { parseDate, dayNumber, isoDate, MS_PER_DAY } from './dates.js';
export { checkOptions, optionKeys, recordOf, listOf, oneOf, customShape, nearestName, ANY } from './options.js';
export type { OptionShape } from './options.js';
