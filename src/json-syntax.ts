/**
 * Where and why a text is not JSON (RFC 8259), for the one refusal every reader of a JSON file
 * gives (notJsonMessage, below). JSON.parse says why in words that change with the engine
 * and often without a place ("Unexpected token 'o', "not json"... is not valid JSON"); this scan,
 * run only once JSON.parse has failed, names the line and column of the first character that
 * cannot continue a JSON text, and what could have. It keeps its own stack (a file of 100,000 `[`
 * is data, not a reason to overflow the call stack).
 */
import { cutText, GradscopeError, quoted, shorten, SHOWN_CHARACTERS } from './errors.js';
import type { Fail } from './model-limits.js';

/** The first place `text` stops being JSON: 1-based line and column (UTF-16 units), and what was expected there. */
export interface JsonSyntaxProblem {
  line: number;
  column: number;
  /** `expected ',' or '}', got 'x'`. */
  problem: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];

/** What the scan expects next. */
type Expecting = 'value' | 'value or ]' | 'key' | 'key or }' | 'colon' | 'after value';

/**
 * Why a NaN or an Infinity at `where` is refused, and where it comes from: Python's json.dump writes float('nan') and
 * float('inf') so, though JSON has no such values (newuser43 #10 got only "got 'N'"). Empty for anything else.
 */
function notJsonNumberHint(text: string, where: number): string {
  const word = /^-?(NaN|Infinity)/.exec(text.slice(where, where + 9))?.[0];
  return word === undefined ? '' : ` (${word}: JSON has no ${word.replace('-', '')}, though Python's json.dump writes it for a float('${word.includes('NaN') ? 'nan' : 'inf'}'): give a number, or leave the row out)`;
}

/** The problem of `text` as JSON, or undefined when it is JSON. */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  const open: string[] = [];
  let at = 0;
  let expecting: Expecting = 'value';
  const fail = (wanted: string, where = at): JsonSyntaxProblem => {
    const before = text.slice(0, where);
    const line = before.split('\n').length;
    const got = where >= text.length ? 'the end of the text' : describeChar(String.fromCodePoint(text.codePointAt(where)!));
    return { line, column: where - before.lastIndexOf('\n'), problem: `expected ${wanted}, got ${got}${notJsonNumberHint(text, where)}` };
  };
  for (;;) {
    while (WHITESPACE.has(text[at])) at++;
    const char = text[at];
    switch (expecting) {
      case 'colon':
        if (char !== ':') return fail("':' after the property name");
        at++;
        expecting = 'value';
        continue;
      case 'key or }':
      case 'key':
        if (char === '}' && expecting === 'key or }') {
          open.pop();
          at++;
          expecting = 'after value';
          continue;
        }
        if (char !== '"') return fail(expecting === 'key' ? 'a property name in double quotes' : "a property name in double quotes or '}'");
        {
          const end = stringEnd(text, at);
          if (typeof end !== 'number') return fail(end.wanted, end.at);
          at = end;
        }
        expecting = 'colon';
        continue;
      case 'after value':
        if (open.length === 0) {
          if (at < text.length) return fail('nothing after the JSON value');
          return undefined;
        }
        {
          const close = open[open.length - 1] === '{' ? '}' : ']';
          if (char === ',') {
            at++;
            expecting = close === '}' ? 'key' : 'value';
          } else if (char === close) {
            open.pop();
            at++;
          } else {
            return fail(`',' or '${close}'`);
          }
        }
        continue;
      case 'value or ]':
      case 'value':
        if (char === ']' && expecting === 'value or ]') {
          open.pop();
          at++;
          expecting = 'after value';
          continue;
        }
        if (char === '{' || char === '[') {
          open.push(char);
          at++;
          expecting = char === '{' ? 'key or }' : 'value or ]';
          continue;
        }
        if (char === '"') {
          const end = stringEnd(text, at);
          if (typeof end !== 'number') return fail(end.wanted, end.at);
          at = end;
        } else if (char === '-' || (char >= '0' && char <= '9')) {
          NUMBER.lastIndex = at;
          const match = NUMBER.exec(text);
          if (match === null) return fail('a digit', at + 1);
          at += match[0].length;
          if (text[at] === '.' || text[at] === 'e' || text[at] === 'E') return fail('a digit', at + 1);
        } else {
          const literal = LITERALS.find((word) => text.startsWith(word, at));
          if (literal === undefined) return fail(expecting === 'value or ]' ? "a value or ']'" : 'a value (an object, array, string, number, true, false or null)');
          at += literal.length;
        }
        expecting = 'after value';
        continue;
    }
  }
}

/** The index after the string that starts at `start` (a `"`), or where and what it lacks. */
function stringEnd(text: string, start: number): number | { at: number; wanted: string } {
  for (let at = start + 1; at < text.length; at++) {
    const char = text[at];
    if (char === '"') return at + 1;
    if (char < ' ') return { at, wanted: "the string's closing '\"' (a control character must be escaped, e.g. \\n)" };
    if (char === '\\') {
      const next = text[at + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) return { at: at + 2, wanted: 'four hexadecimal digits after \\u' };
        at += 5;
      } else if (ESCAPES.has(next)) {
        at++;
      } else {
        return { at: at + 1, wanted: 'an escape (one of " \\ / b f n r t u) after \\' };
      }
    }
  }
  return { at: text.length, wanted: "the string's closing '\"'" };
}

/**
 * Characters a message cannot show as themselves: the unsafe ones (unsafe-characters.ts), and more,
 * since here one character is named alone as what the text held: every invisible formatting
 * character (a soft hyphen, a byte order mark, which Node's readFileSync(path, 'utf8') keeps at the
 * start of a text), lone surrogates, private-use and unassigned code points, U+00A0 (it reads as a
 * space) and U+FFFD (a byte that was not UTF-8). In running text those others are left as they are
 * (a terminal shows them as text, not as a command), so only this naming of one character reads them.
 * Every unsafe character is a control (Cc), a format character (Cf) or a line or paragraph separator
 * (Zl, Zp), so the categories hold UNSAFE_CLASS whole (test/io/not-json checks each of its characters).
 */
const UNSHOWABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u00a0\ufffd]$/u;

/** A character as a message shows it: `'x'`, or its code point when it does not show (UNSHOWABLE). */
function describeChar(char: string): string {
  const code = char.codePointAt(0)!;
  return UNSHOWABLE.test(char) ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${char}'`;
}

/**
 * What every reader of JSON says of a text that is not JSON, after the file or field it names:
 * `not valid JSON at line 1, column 31: expected ',' or '}', got the end of the text`. `text`
 * undefined: the bytes were not UTF-8. `parserMessage` (JSON.parse's) stands in should the scan
 * find nothing wrong.
 */
export function notJsonMessage(text: string | undefined, parserMessage?: string): string {
  if (text === undefined) return 'not valid JSON: not UTF-8 text';
  const found = jsonSyntaxProblem(text);
  if (found === undefined) return `not valid JSON (${parserMessage ?? 'the parser refused it'})`;
  return `not valid JSON at line ${found.line}, column ${found.column}: ${found.problem}`;
}

/**
 * The value of `text`, a JSON text as every reader reads one: a file's (parseJsonBytes), a model's or checkpoint's text
 * (readModelJSON, checkpointFromJSON), a safetensors or binary checkpoint header, a string-valued metadata map's entry
 * (safetensors' `__metadata__`), a saved trace handed to Trace.fromJSON as text; or `fail` at `where` with notJsonMessage
 * where it is not JSON, or with keyWrittenTwice's refusal where one of its objects writes a key twice (one rule for them all).
 */
export function parsedJsonText(text: string, where: string, fail: Fail): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail(where, notJsonMessage(text, (error as Error).message));
  }
  const twice = keyWrittenTwice(text);
  if (twice !== undefined) throw fail(where, twice);
  return value;
}

/** A string (skipped whole: a number inside one is text), or a number as JSON writes it (its token, group 1). */
const JSON_STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/** A place in a JSON value: the keys and indices from its root. */
export type JsonPath = readonly (string | number)[];

/** The index of the first character at or after `at` that is not JSON's white space. */
function skipSpace(text: string, at: number): number {
  while (WHITESPACE.has(text[at])) at++;
  return at;
}

/** The index after the value that starts at `at` in `text`, JSON that JSON.parse has read (so every string closes). */
function valueEnd(text: string, at: number): number {
  const first = text[at];
  if (first === '"') return stringEnd(text, at) as number;
  if (first !== '{' && first !== '[') {
    while (at < text.length && !WHITESPACE.has(text[at]) && text[at] !== ',' && text[at] !== ']' && text[at] !== '}') at++;
    return at;
  }
  // Counted, not recursed: a file of 100,000 nested arrays is data, not a reason to overflow the call stack.
  let depth = 0;
  for (; at < text.length; at++) {
    const char = text[at];
    if (char === '"') at = (stringEnd(text, at) as number) - 1;
    else if (char === '{' || char === '[') depth++;
    else if ((char === '}' || char === ']') && --depth === 0) return at + 1;
  }
  return text.length;
}

/**
 * Where the value at `path` is written in `text`, JSON that JSON.parse has read: its first index and the one after it, or
 * undefined where the text holds nothing there. A key written twice in one object is read at its last copy, the one
 * JSON.parse keeps (`{"inputs": [[1e400]], "inputs": [[1, 2e400]]}`: inputs[0][1] is the 2e400). Scanned on a refusal's
 * path only.
 */
export function jsonValueSpan(text: string, path: JsonPath): { start: number; end: number } | undefined {
  let at = skipSpace(text, 0);
  for (const step of path) {
    if (text[at] === '{') {
      let found: number | undefined;
      at = skipSpace(text, at + 1);
      while (text[at] === '"') {
        const keyEnd = stringEnd(text, at) as number;
        const key = JSON.parse(text.slice(at, keyEnd)) as string;
        at = skipSpace(text, skipSpace(text, keyEnd) + 1);
        if (key === String(step)) found = at;
        at = skipSpace(text, valueEnd(text, at));
        if (text[at] === ',') at = skipSpace(text, at + 1);
      }
      if (found === undefined) return undefined;
      at = found;
    } else if (text[at] === '[') {
      const index = typeof step === 'number' ? step : /^\d+$/.test(step) ? Number(step) : -1;
      at = skipSpace(text, at + 1);
      for (let i = 0; i < index && text[at] !== ']'; i++) {
        at = skipSpace(text, valueEnd(text, at));
        if (text[at] === ',') at = skipSpace(text, at + 1);
      }
      if (index < 0 || text[at] === ']' || at >= text.length) return undefined;
    } else {
      return undefined;
    }
  }
  return { start: at, end: valueEnd(text, at) };
}

/** The index of the first `char` at or after `from` in `text`, or the text's length where there is none. */
function nextOf(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at < 0 ? text.length : at;
}

/** The index after the string that opens at `start` in `text`, JSON that JSON.parse has read: its next `"` no backslash escapes. */
function closedAt(text: string, start: number): number {
  for (let end = text.indexOf('"', start + 1); ; end = text.indexOf('"', end + 1)) {
    let slashes = 0;
    while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return end + 1;
  }
}

/** How many keys of one object keyWrittenTwice compares one by one before it keeps them in a Set. */
const LISTED_KEYS = 16;

/**
 * Why `text` (JSON that JSON.parse has read) cannot be read as written, where one of its objects writes a key twice:
 * `"weights" is written 2 times in layers[0] (at line 3, column 5 and line 9, column 5); JSON keeps the last and drops the
 * others without a word: keep one`, the first such key in the text's order (an escaped spelling, `"in\u0070uts"`, is the key
 * it spells, and said as written); undefined where no object does. JSON.parse, Python's json and most readers keep the last
 * copy without a word, so a model file with "weights" twice lost a whole matrix silently; RFC 8259 leaves the outcome to the
 * reader and safetensors' format disallows it. Every reader of a JSON text refuses it (parsedJsonText).
 *
 * Run on every text read, so it allocates nothing per key and reads no number: only `"`, `{` and `}` decide which object a
 * key belongs to, each found by indexOf (memchr speed), and a key is compared by a hash of its characters, its copies
 * looked for (and the hash's rare false match let go) only where two hashes agree. A model file of 100 layers 256 wide
 * (138 MB): about 40 ms beside about 3 s of JSON.parse; 10⁶ objects of five keys each (93 MB): about 0.6 s beside 3–5 s.
 */
export function keyWrittenTwice(text: string): string | undefined {
  // By depth, for the object open there: where its `{` is, the hashes of its keys so far (the first LISTED_KEYS in a
  // list, all of them in a Set past that), reused by the next object at that depth.
  const opened: number[] = [];
  const listed: Int32Array[] = [];
  const counts: number[] = [];
  const hashed: Set<number>[] = [];
  let depth = 0;
  let quote = nextOf(text, '"', 0);
  let open = nextOf(text, '{', 0);
  let close = nextOf(text, '}', 0);
  for (;;) {
    const at = Math.min(quote, open, close);
    if (at === text.length) return undefined;
    if (at === open) {
      opened[depth] = at;
      listed[depth] ??= new Int32Array(LISTED_KEYS);
      counts[depth] = 0;
      hashed[depth]?.clear();
      depth++;
      open = nextOf(text, '{', at + 1);
    } else if (at === close) {
      depth--;
      close = nextOf(text, '}', at + 1);
    } else {
      const end = closedAt(text, at);
      if (text[skipSpace(text, end)] === ':') {
        const hash = keyHash(text, at, end);
        const d = depth - 1;
        const n = counts[d]++;
        let seen = false;
        if (n < LISTED_KEYS) {
          for (let i = 0; i < n && !seen; i++) seen = listed[d][i] === hash;
          listed[d][n] = hash;
        } else {
          const set = (hashed[d] ??= new Set());
          if (n === LISTED_KEYS) for (const h of listed[d]) set.add(h);
          seen = set.has(hash);
          set.add(hash);
        }
        const twice = seen ? writtenTwice(text, opened[d], JSON.parse(text.slice(at, end)) as string) : undefined;
        if (twice !== undefined) return twice;
      }
      // A `{` or `}` inside the string is text: look again past it.
      quote = nextOf(text, '"', end);
      if (open < end) open = nextOf(text, '{', end);
      if (close < end) close = nextOf(text, '}', end);
    }
  }
}

/** A 32-bit hash of the key written from `start` to `end` (its quotes included), of the characters it spells: an escaped spelling hashes as the key. */
function keyHash(text: string, start: number, end: number): number {
  const written = charsHash(text, start + 1, end - 1, true);
  if (written !== undefined) return written;
  const key = JSON.parse(text.slice(start, end)) as string;
  return charsHash(key, 0, key.length, false)!;
}

/** A 32-bit hash of `chars` from `from` to `to`; undefined at a backslash where `escapes` says one would spell another character. */
function charsHash(chars: string, from: number, to: number, escapes: boolean): number | undefined {
  let hash = 0;
  for (let i = from; i < to; i++) {
    const code = chars.charCodeAt(i);
    if (code === 0x5c && escapes) return undefined;
    hash = (Math.imul(hash, 31) + code) | 0;
  }
  return hash;
}

/** keyWrittenTwice's refusal of `key`, written in the object that opens at `start`, where it is written more than once there: its place and each copy's. */
function writtenTwice(text: string, start: number, key: string): string | undefined {
  const copies: string[] = [];
  let at = skipSpace(text, start + 1);
  while (text[at] === '"') {
    const keyEnd = stringEnd(text, at) as number;
    const written = text.slice(at, keyEnd);
    if (JSON.parse(written) === key) copies.push(`${textPlace(text, at)}${written === JSON.stringify(key) ? '' : ` as ${shorten(written)}`}`);
    at = skipSpace(text, valueEnd(text, skipSpace(text, skipSpace(text, keyEnd) + 1)));
    if (text[at] === ',') at = skipSpace(text, at + 1);
  }
  if (copies.length < 2) return undefined; // two keys' hashes agreed
  const place = cutText(placeText(pathTo(text, start)), SHOWN_CHARACTERS, '…');
  const at2 = copies.length > 2 ? `${copies.slice(0, -1).join('; ')} and ${copies[copies.length - 1]}` : copies.join(' and ');
  return `${quoted(key)} is written ${copies.length} times${place === '' ? '' : ` in ${place}`} (at ${at2}); JSON keeps the last and drops the others without a word: keep one`;
}

/**
 * The path from the root of `text` (JSON that JSON.parse has read) to the value that starts at index `target`: one pass
 * up to it, each open container's key or index kept (a path 100,000 deep is found in one pass, not one a level).
 */
function pathTo(text: string, target: number): (string | number)[] {
  const path: (string | number)[] = [];
  const inObject: boolean[] = [];
  for (let at = 0; at < target; at++) {
    const char = text[at];
    if (char === '"') {
      const end = stringEnd(text, at) as number;
      if (inObject[inObject.length - 1] && text[skipSpace(text, end)] === ':') path[path.length - 1] = JSON.parse(text.slice(at, end)) as string;
      at = end - 1;
    } else if (char === '{' || char === '[') {
      inObject.push(char === '{');
      path.push(0);
    } else if (char === '}' || char === ']') {
      inObject.pop();
      path.pop();
    } else if (char === ',' && !inObject[inObject.length - 1]) {
      (path[path.length - 1] as number)++;
    }
  }
  return path;
}

/** A path as the readers write a place: `layers[0]`, `modelTopology.config.layers[2].config`, `["0.weight"]`; '' for the root. */
function placeText(path: readonly (string | number)[]): string {
  return path
    .map((step, i) => (typeof step === 'number' ? `[${step}]` : /^[A-Za-z_$][\w$]*$/.test(step) ? `${i === 0 ? '' : '.'}${step}` : `[${JSON.stringify(shorten(step))}]`))
    .join('');
}

/** Index `at` of `text` as a message names it: `line 2, column 2` (1-based; columns in UTF-16 units, as jsonSyntaxProblem counts them). */
export function textPlace(text: string, at: number): string {
  const before = text.slice(0, at);
  return `line ${before.split('\n').length}, column ${at - before.lastIndexOf('\n')}`;
}

/** A place as the readers write it: `layers[0].weights[0][1]`, `training.step`, `model.tensors["0.weight"].values[3]`. */
const PLACE = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*$/;

/** A place as the readers write it (`layers[0].weights[0][1]`, `tensors["0.weight"]`) as a path, or undefined where `place` is not one. */
export function placePath(place: string): JsonPath | undefined {
  if (!PLACE.test(place)) return undefined;
  return [...place.matchAll(/^([A-Za-z_$][\w$]*)|\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)].map(
    ([, first, key, index, quoted]) => (index !== undefined ? Number(index) : quoted !== undefined ? (JSON.parse(quoted) as string) : (first ?? key)),
  );
}

/**
 * Where in `text` the place a reader's refusal opens with is written: `layers[0].weights[0][1]: …`, `training.step: …`,
 * `model.tensors["0.weight"].values[3]: …` (`model`: the model readers' name for the file's root, where the file has no
 * such key), `modelTopology.config.layers[0] (dense_1).config.units: …` (a name in parentheses is the reader's, not a step), after
 * any such opening the text holds nothing at (`model.json: …`, the file's name); undefined where there is none.
 */
function placeSpan(message: string, text: string): { start: number; end: number } | undefined {
  for (const opening of message.split(': ').slice(0, -1).map((part) => part.replace(/ \([^()]*\)/g, ''))) {
    const steps = placePath(opening);
    if (steps === undefined) return undefined;
    const span = jsonValueSpan(text, steps) ?? (steps[0] === 'model' ? jsonValueSpan(text, steps.slice(1)) : undefined);
    if (span !== undefined) return span;
  }
  return undefined;
}

/** A string as messages quote one (JSON's spelling: quoted, shown, describeValue), escapes and all. */
const QUOTED_IN_MESSAGE = /"(?:[^"\\]|\\.)*"/g;

/**
 * Where a refusal of `message` names an Infinity the text `text` never wrote, what it wrote: JSON.parse reads a number
 * beyond float64's range (`1e400`) as ±Infinity, and 'weights[0][0]: Infinity is not a finite number' quoted nothing in
 * the file (edges47 #9). The first such number written at `path` (default: the place the message opens with, placeSpan),
 * with its line and column, after the message; the message itself where it names no Infinity, or nothing such is written
 * there. Never another place's number: the text's first one was quoted beside a refusal of another (a key written twice,
 * keys in another order than the reader's: review51).
 */
function withOverflowWritten(message: string, text: string, path?: JsonPath, textName = 'the text'): string {
  // A word in quotes is a name or a string the caller wrote (a key "Infinity" written twice, the string "Infinity" in a cell), not a number read as one.
  if (!/\bInfinity\b/.test(message.replace(QUOTED_IN_MESSAGE, '""'))) return message;
  const span = path ? jsonValueSpan(text, path) : placeSpan(message, text);
  if (span === undefined) return message;
  for (const match of text.slice(span.start, span.end).matchAll(JSON_STRING_OR_NUMBER)) {
    if (match[1] === undefined || Number.isFinite(Number(match[1]))) continue;
    const index = span.start + match.index;
    return `${message} (${textName} writes ${shorten(match[1])} at ${textPlace(text, index)}: beyond float64's range, which JSON reads as ${Number(match[1]) < 0 ? '-Infinity' : 'Infinity'})`;
  }
  return message;
}

/**
 * `error` with what `text` wrote where its message names an Infinity JSON.parse made of it (withOverflowWritten), at `path`
 * (default: the place the message opens with); any other error as it is. `textName`: what the message calls the text
 * (default 'the text': a JSON file's; 'the header' of a safetensors file, whose lines and columns are its header's).
 */
export function overflowSaid(error: unknown, text: string, path?: JsonPath, textName?: string): unknown {
  if (!(error instanceof GradscopeError)) return error;
  const message = withOverflowWritten(error.message, text, path, textName);
  return message === error.message ? error : new GradscopeError(error.code, message);
}
