/**
 * Every error gradscope throws on purpose is a GradscopeError with a stable `code`, so callers can
 * branch on the code and read the message, which names what was wrong and where.
 */
export type ErrorCode =
  | 'SHAPE_MISMATCH'
  | 'NON_FINITE_INPUT'
  | 'INVALID_OPTION'
  | 'BAD_MODEL_FILE'
  | 'BAD_DATA_FILE'
  | 'DIVERGED'
  | 'DISPOSED'
  | 'OUT_OF_MEMORY'
  | 'WASM_UNAVAILABLE';

/** The error gradscope throws on bad input or a failed run: a stable `code` and a message saying what and where. */
export class GradscopeError extends Error {
  /** What went wrong, stable across versions (branch on it, not on the message). */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'GradscopeError';
    this.code = code;
  }
}

export function invalidOption(message: string): GradscopeError {
  return new GradscopeError('INVALID_OPTION', message);
}

/**
 * A value as an error message shows it, safely for anything a caller may pass (JSON.stringify
 * throws on BigInt and on cycles, and recurses without bound): numbers as they print, strings
 * quoted and cut at 20 characters, arrays and objects named by kind.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return `a ${value.constructor?.name ?? 'null-prototype object'}`;
  return String(value);
}
