/**
 * Typed errors shared by every `@mmm/*` package. Each names the field at fault and the fix, and carries a
 * stable `code` so that {@link isMmmError} recognises it across worker boundaries and duplicate installs.
 * @packageDocumentation
 */

/** Stable machine-readable error codes. */
export type MmmErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_PARAMETER'
  | 'DIMENSION_MISMATCH'
  | 'NON_FINITE'
  | 'NOT_CONVERGED'
  | 'ABORTED'
  | 'WORKER_FAILED';

/** Base class of every error thrown by the mmm packages. */
export class MmmError extends Error {
  override name = 'MmmError';
  /** Stable code, e.g. `'INVALID_INPUT'`. */
  readonly code: MmmErrorCode;
  /** The input field or parameter at fault (e.g. `'spend.tv[12]'`), when there is one. */
  readonly field: string | undefined;

  constructor(code: MmmErrorCode, message: string, field?: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.field = field;
  }

  /** A structured-clone-safe record, to send across a worker boundary and rebuild with {@link reviveError}. */
  toJSON(): SerializedMmmError {
    return { name: this.name, code: this.code, field: this.field, message: this.message };
  }
}

/** Bad input data: a wrong value, an unknown column, an empty table. */
export class InvalidInputError extends MmmError {
  override name = 'InvalidInputError';
  /**
   * @param field - what is wrong, e.g. `'spend.tv[12]'`
   * @param found - what was found, e.g. `'is -40'`
   * @param fix - what to do about it
   */
  constructor(field: string, found: string, fix: string) {
    super('INVALID_INPUT', `${field}: ${found}. ${fix}`, field);
  }
}

/** A model or transform parameter outside its allowed range. */
export class InvalidParameterError extends MmmError {
  override name = 'InvalidParameterError';
  /**
   * @param field - parameter name, e.g. `'alpha'`
   * @param value - the value given
   * @param range - allowed range in words or interval notation, e.g. `'[0, 1)'`
   */
  constructor(field: string, value: unknown, range: string) {
    super('INVALID_PARAMETER', `${field}: got ${formatValue(value)}, must be in ${range}.`, field);
  }
}

/** Two arrays that must have the same length (or shape) do not. */
export class DimensionMismatchError extends MmmError {
  override name = 'DimensionMismatchError';
  constructor(field: string, expected: number | string, found: number | string) {
    super('DIMENSION_MISMATCH', `${field}: expected length ${expected}, got ${found}. Pass arrays of matching length.`, field);
  }
}

/** A value that must be finite is NaN or infinite. */
export class NonFiniteError extends MmmError {
  override name = 'NonFiniteError';
  constructor(field: string, value: number, fix = 'Remove or impute missing and infinite values before calling.') {
    super('NON_FINITE', `${field}: is ${formatValue(value)}, must be finite. ${fix}`, field);
  }
}

/** An iterative method stopped without reaching its tolerance, where the caller asked for that to be an error. */
export class NotConvergedError extends MmmError {
  override name = 'NotConvergedError';
  constructor(field: string, message: string) {
    super('NOT_CONVERGED', `${field}: ${message}`, field);
  }
}

/** The caller cancelled the work through an `AbortSignal`. */
export class AbortedError extends MmmError {
  override name = 'AbortedError';
  constructor(message = 'The operation was aborted.') {
    super('ABORTED', message);
  }
}

/**
 * A worker thread or Web Worker failed outside the library's own checks: it could not start, exited, or threw an
 * error that is not an {@link MmmError} (its name and message are kept in the message).
 */
export class WorkerError extends MmmError {
  override name = 'WorkerError';
  /**
   * @param what - what failed, e.g. `'worker exited with code 1'`
   * @param fix - what to do about it
   */
  constructor(
    what: string,
    fix = 'Run the chains without workers (parallel: false) to see the error where it happens, and report it if it is ours.',
  ) {
    super('WORKER_FAILED', `workers: ${what}. ${fix}`, 'workers');
  }
}

/** The plain-data form of an {@link MmmError}. */
export interface SerializedMmmError {
  name: string;
  code: MmmErrorCode;
  field: string | undefined;
  message: string;
}

/** True for any mmm error, also one from another copy of this package (tests `code`, not the class). */
export function isMmmError(e: unknown): e is MmmError {
  return e instanceof Error && typeof (e as Partial<MmmError>).code === 'string' && 'field' in e;
}

/** Rebuild a typed error from its {@link SerializedMmmError} form (e.g. after a worker posted it back). */
export function reviveError(s: SerializedMmmError): MmmError {
  const e = new MmmError(s.code, s.message, s.field);
  e.name = s.name;
  return e;
}

function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

/** What the mmm packages need of an `AbortSignal` (a real one satisfies it; no DOM or Node types required). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener?(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}
