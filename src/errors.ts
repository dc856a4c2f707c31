/**
 * Every error gradscope throws on purpose is a GradscopeError with a stable `code`, so callers can
 * branch on the code and read the message, which names what was wrong and where.
 */
export type ErrorCode =
  | 'SHAPE_MISMATCH'
  | 'NON_FINITE_INPUT'
  /** A target the network's loss cannot take (outside [0, 1] for cross-entropy and binary cross-entropy). */
  | 'INVALID_TARGET'
  | 'INVALID_OPTION'
  | 'BAD_MODEL_FILE'
  | 'BAD_DATA_FILE'
  | 'IO_ERROR'
  | 'DIVERGED'
  | 'DISPOSED'
  | 'OUT_OF_MEMORY'
  | 'WASM_UNAVAILABLE'
  /** An optional package a feature needs is not installed (the message names it and the install command). */
  | 'MISSING_DEPENDENCY';

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

/** A name as messages print it: a string in quotes as written, anything else described (never JSON.stringify'd whole). */
export function quoted(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : describeValue(value);
}

/** A file-system failure (missing file, no permission, disk full…) on `path`: IO_ERROR, naming the file and the system's reason. */
export function ioError(path: string, action: 'read' | 'write', error: unknown): GradscopeError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // Node's message reads "ENOENT: no such file or directory, open 'x'": keep the reason, not the call.
  const reason = code ? String((error as Error).message).split(',')[0] : String(error);
  return new GradscopeError('IO_ERROR', `${path}: cannot ${action} (${reason})`);
}
