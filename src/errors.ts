/**
 * Every error gradscope throws on purpose is a GradscopeError with a stable `code`, so callers can
 * branch on the code and read the message, which names what was wrong and where.
 */
import { shellWord } from './shell-word.js';

/** A GradscopeError's code: what went wrong, stable across versions (branch on it, not on the message). */
export type ErrorCode =
  | 'SHAPE_MISMATCH'
  | 'NON_FINITE_INPUT'
  /** A target the network's loss cannot take (outside [0, 1] for cross-entropy and binary cross-entropy; a cross-entropy row not summing to 1): src/training/target-rules.ts. */
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
  if (typeof value === 'object' && value !== null) return instanceName(value);
  return String(value);
}

/** An object by its kind: 'an object' when plain (or without a prototype), else its class ('a Network', 'an Int32Array'). */
function instanceName(value: object): string {
  const prototype: unknown = Object.getPrototypeOf(value);
  const name = prototype === Object.prototype || prototype === null ? undefined : (value.constructor as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string' || name === '') return 'an object';
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** The most characters `shorten` keeps of a word. */
const SHORTENED_CHARACTERS = 40;

/** A word of the caller's (a flag, an option's name, a command) as a message shows it: at most SHORTENED_CHARACTERS, then …. */
export function shorten(word: string): string {
  return word.length > SHORTENED_CHARACTERS ? `${word.slice(0, SHORTENED_CHARACTERS)}…` : word;
}

/** A name as messages print it: a string in quotes as written (cut as `shown` cuts it), anything else described. */
export function quoted(value: unknown): string {
  return typeof value === 'string' ? shown(value) : describeValue(value);
}

/** The most characters `shown` gives a value. */
export const SHOWN_CHARACTERS = 80;

/**
 * A value as an error message shows it ("got …"), whatever the caller passed: as JSON would write
 * it for strings, numbers and small plain arrays and objects (but NaN and ±Infinity by name), an
 * instance by its class ('a Network', 'a Float32Array'), and never more than SHOWN_CHARACTERS (cut
 * with …): a network passed where options go must not put megabytes into a message. Walks at most
 * a few levels and entries, so it is cheap on anything.
 */
export function shown(value: unknown): string {
  const text = render(value, 3);
  return text.length > SHOWN_CHARACTERS ? `${text.slice(0, SHOWN_CHARACTERS - 1)}…` : text;
}

/** Entries of an array or object that `shown` (and shapeText) writes before '…'. */
export const SHOWN_ENTRIES = 8;

function render(value: unknown, depth: number): string {
  if (typeof value === 'string') return JSON.stringify(value.length > SHOWN_CHARACTERS ? value.slice(0, SHOWN_CHARACTERS) : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object' || value === null) return String(value);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return describeValue(value);
  if (depth === 0) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value)) {
    const items = Array.from(value.slice(0, SHOWN_ENTRIES), (item) => render(item, depth - 1));
    return `[${items.join(',')}${value.length > SHOWN_ENTRIES ? ',…' : ''}]`;
  }
  const keys = Object.keys(value);
  const entries = keys.slice(0, SHOWN_ENTRIES).map((key) => `${JSON.stringify(key)}:${render((value as Record<string, unknown>)[key], depth - 1)}`);
  return `{${entries.join(',')}${keys.length > SHOWN_ENTRIES ? ',…' : ''}}`;
}

/** A file-system failure (missing file, no permission, disk full…) on `path`: IO_ERROR, naming the file (its shell word) and the system's reason. */
export function ioError(path: string, action: 'read' | 'write', error: unknown): GradscopeError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // Node's message reads "ENOENT: no such file or directory, open 'x'": keep the reason, not the call.
  const reason = code ? String((error as Error).message).split(',')[0] : String(error);
  return new GradscopeError('IO_ERROR', `${shellWord(path)}: cannot ${action} (${reason})`);
}
