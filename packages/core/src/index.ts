export {
  MmmError,
  InvalidInputError,
  InvalidParameterError,
  DimensionMismatchError,
  NonFiniteError,
  NotConvergedError,
  AbortedError,
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
} from './checks.js';
export type { Interval } from './checks.js';
