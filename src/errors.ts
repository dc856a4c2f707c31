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

export class GradscopeError extends Error {
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
