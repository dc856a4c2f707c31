/**
 * A file path or flag value as one word of a command line gradscope prints for the user to run
 * (train's closing `gradscope study --model …`): as it is where a POSIX shell reads it as one word
 * unchanged, else in single quotes, so a path with a space or a quote still runs as printed. A word
 * with a control character (a line break, a tab, an escape) is written in $'…' (bash, zsh, ksh and
 * POSIX.1-2024's dollar-single-quotes) with the character as an escape: in single quotes its line
 * break would be printed as one, and a command printed on one line (error-line.ts' oneLine) turns it
 * into a space, naming another file; a raw escape would also reach the terminal as a command to it.
 * A path in a sentence gradscope prints (train's `Model: …`, its rows' "N rows of …" and "the rows
 * in …") and in an error's message (ioError's `PATH: cannot read`, the readers' and writers' refusals)
 * is the same word: the file a command would name, no control character printed raw. It lives at the
 * foundation of src/ so that the library's messages (errors.ts, io/) and the command line's say a
 * path by one rule.
 */

/** Characters a POSIX shell passes on unchanged and splits no word at. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * What single quotes would print raw and a terminal reads as other than text: the C0 controls and
 * DEL, the C1 controls (U+009B is an 8-bit CSI to xterm-family terminals), the line and paragraph
 * separators, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069), which reorder what follows them on the line.
 */
const CONTROL_CLASS = '\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const CONTROL = new RegExp(`[${CONTROL_CLASS}]`);
/** What $'…' escapes: the control characters, a backslash and a quote. */
const ESCAPED = new RegExp(`[${CONTROL_CLASS}\\\\']`, 'g');

/** The escapes $'…' reads by name. */
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\\': '\\\\', "'": "\\'" };

/**
 * A control character's escape in $'…': by name, else \xHH below U+0080 (always two digits, so a hex
 * digit after it stays itself), else \uHHHH (always four), which bash, zsh and ksh read as the
 * character in a UTF-8 locale (\xHH would be a lone byte, not the character).
 */
function escapeOf(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED_ESCAPES[c] ?? (code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** `text` in $'…', each backslash, quote and control character an escape. (A NUL, which no path or argument can hold, would end the word.) */
function dollarQuoted(text: string): string {
  return `$'${text.replace(ESCAPED, escapeOf)}'`;
}

/** `text` as one shell word: unchanged if plain, $'…' with a control character, else single-quoted (a ' inside written as '\''). */
export function shellWord(text: string): string {
  if (PLAIN_WORD.test(text)) return text;
  return CONTROL.test(text) ? dollarQuoted(text) : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `words` as one command line, each a shell word (a remedy's line, printed whole to be pasted). */
export function shellLine(words: readonly string[]): string {
  return words.map(shellWord).join(' ');
}
