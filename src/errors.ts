/**
 * Every error gradscope throws on purpose is a GradscopeError with a stable `code`, so callers can
 * branch on the code and read the message, which names what was wrong and where.
 */
import { quotedWord, shellWord } from './shell-word.js';
import { jsonString, unsafeEscaped } from './unsafe-characters.js';

/**
 * A GradscopeError's code: what went wrong, stable across versions (branch on it, not on the message).
 * Among them:
 * - `INVALID_TARGET`: a target the network's loss cannot take (outside [0, 1] for cross-entropy and
 *   binary cross-entropy; a cross-entropy row not summing to 1): src/training/target-rules.ts.
 * - `MISSING_DEPENDENCY`: an optional package a feature needs is not installed (the message names it
 *   and the install command).
 */
export type ErrorCode =
  | 'SHAPE_MISMATCH'
  | 'NON_FINITE_INPUT'
  | 'INVALID_TARGET'
  | 'INVALID_OPTION'
  | 'BAD_MODEL_FILE'
  | 'BAD_DATA_FILE'
  | 'IO_ERROR'
  | 'DIVERGED'
  | 'DISPOSED'
  | 'OUT_OF_MEMORY'
  | 'WASM_UNAVAILABLE'
  | 'MISSING_DEPENDENCY';

/**
 * The error gradscope throws on bad input or a failed run: a stable `code` and a message saying what
 * and where. The message holds no unsafe character (unsafe-characters.ts): a caller prints it to a
 * terminal, and it quotes what the caller gave (paths, names, keys) and what the system said. Each
 * such word is quoted by its own rule where the message is written (shellWord, quotedWord,
 * describeValue), which a reader reads back; the constructor makes one last pass, unsafeEscaped,
 * over the whole message, so a word some message forgot to quote, or a system's text holding a
 * path, is escaped too rather than sent to the terminal. The pass changes only unsafe characters,
 * which the words' quoting leaves none of: nothing is escaped twice.
 */
export class GradscopeError extends Error {
  /** What went wrong, stable across versions (branch on it, not on the message). */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    // As Error takes it (a user's subclass may pass anything): undefined as no message, else its text.
    super(message === undefined ? message : unsafeEscaped(String(message)));
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
 * quoted and cut at 20 characters (as JSON, unsafe characters escaped: jsonString), arrays and
 * objects named by kind.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${jsonString(cutText(value, 20, '…'))}`;
  // String(1n) is '1', which read 'column 0 is 1, not a number' as a contradiction.
  if (typeof value === 'bigint') return `the BigInt ${value}n`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return instanceName(value);
  return String(value);
}

/** An object by its kind: 'an object' when plain (or without a prototype), else its class ('a Network', 'an Int32Array', 'a Uint8Array'). */
function instanceName(value: object): string {
  const prototype: unknown = Object.getPrototypeOf(value);
  const name = prototype === Object.prototype || prototype === null ? undefined : (value.constructor as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string' || name === '') return 'an object';
  return `${SAID_WITH_A_VOWEL.test(name) ? 'an' : 'a'} ${name}`;
}

/** Names said from a vowel, which take 'an': a U said as "you" (Uint8Array; an initialism, URL) does not. */
const SAID_WITH_A_VOWEL = /^(?:[AEIO]|U(?!int|[A-Z]))/;

/**
 * `text` cut after its first `count` characters, counted and cut by code point (an emoji or another
 * character beyond U+FFFF is two UTF-16 units: a cut between them would leave half a character, which
 * a terminal shows as garbage and JSON as a lone \ud83d), with `mark` after a cut; `text` itself where
 * it has no more than `count`.
 */
export function cutText(text: string, count: number, mark: string): string {
  let end = 0;
  for (let kept = 0; kept < count && end < text.length; kept++) end += unitsAt(text, end);
  return end < text.length ? `${text.slice(0, end)}${mark}` : text;
}

/** How many characters (code points) `text` holds, as cutText counts them: an emoji is one, not its two UTF-16 units. */
export function characterCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; count++) i += unitsAt(text, i);
  return count;
}

/** The UTF-16 units of the character at `i`: 2 for one beyond U+FFFF (a surrogate pair), else 1 (a lone surrogate too). */
function unitsAt(text: string, i: number): number {
  return (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
}

/** The most characters (code points) `shorten` keeps of a word. */
const SHORTENED_CHARACTERS = 40;

/** A word of the caller's (a flag, an option's name, a command) as a message shows it: at most SHORTENED_CHARACTERS code points, then …. */
export function shorten(word: string): string {
  return cutText(word, SHORTENED_CHARACTERS, '…');
}

/** A word the caller typed as a refusal quotes it, `got 'abc'`: shortened, in quotes, unsafe characters escaped (quotedWord). */
export function typedWord(word: string): string {
  return quotedWord(shorten(word));
}

/** A name as messages print it: a string in quotes as written (cut as `shown` cuts it), anything else described. */
export function quoted(value: unknown): string {
  return typeof value === 'string' ? shown(value) : describeValue(value);
}

/** The most characters (code points) `shown` gives a value. */
export const SHOWN_CHARACTERS = 80;

/**
 * A value as an error message shows it ("got …"), whatever the caller passed: as JSON would write
 * it (jsonString, unsafe characters escaped) for strings, numbers and small plain arrays and objects (but NaN and ±Infinity by name), an
 * instance by its class ('a Network', 'a Float32Array'), and never more than SHOWN_CHARACTERS (cut
 * with …): a network passed where options go must not put megabytes into a message. Walks at most
 * a few levels and entries, so it is cheap on anything.
 */
export function shown(value: unknown): string {
  const text = render(value, 3);
  // Past SHOWN_CHARACTERS, cut to make room for the … among them.
  return characterCount(text) > SHOWN_CHARACTERS ? cutText(text, SHOWN_CHARACTERS - 1, '…') : text;
}

/**
 * A function's argument as its refusal shows it ("X: expected …, got …"): 'none' where it is
 * undefined, the argument left out (renderReport(), registerOptimizer()), where 'got undefined' named
 * nothing the caller wrote (edges47 #7); anything else as `shown` shows it. A value inside one (a
 * row, a field) stays `shown`'s: there an explicit undefined is a value.
 */
export function shownArgument(value: unknown): string {
  return value === undefined ? 'none' : shown(value);
}

/** `describeValue` for a function's argument: 'none' where it is undefined (left out), as shownArgument. */
export function describedArgument(value: unknown): string {
  return value === undefined ? 'none' : describeValue(value);
}

/** Entries of an array or object that `shown` (and shapeText) writes before '…'. */
export const SHOWN_ENTRIES = 8;

function render(value: unknown, depth: number): string {
  if (typeof value === 'string') return jsonString(cutText(value, SHOWN_CHARACTERS, ''));
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
  const entries = keys.slice(0, SHOWN_ENTRIES).map((key) => `${jsonString(key)}:${render((value as Record<string, unknown>)[key], depth - 1)}`);
  return `{${entries.join(',')}${keys.length > SHOWN_ENTRIES ? ',…' : ''}}`;
}

/** A file-system failure (missing file, no permission, disk full…) on `path`: IO_ERROR, naming the file (its shell word) and the system's reason. */
export function ioError(path: string, action: 'read' | 'write', error: unknown): GradscopeError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // Node's message reads "ENOENT: no such file or directory, open 'x'": keep the reason, not the call.
  // Without a code, the whole text, which may hold the path raw: GradscopeError's last pass escapes it.
  const reason = code ? String((error as Error).message).split(',')[0] : String(error);
  return new GradscopeError('IO_ERROR', `${shellWord(path)}: cannot ${action} (${reason})`);
}
