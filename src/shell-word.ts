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

/** The C0 control characters and DEL: what single quotes would print raw. */
const CONTROL = /[\x00-\x1f\x7f]/;

/** The escapes $'…' reads by name; any other control character is \xHH (always two digits, so a hex digit after it stays itself). */
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\\': '\\\\', "'": "\\'" };

/** `text` in $'…', each backslash, quote and control character an escape. (A NUL, which no path or argument can hold, would end the word.) */
function dollarQuoted(text: string): string {
  const escaped = text.replace(/[\x00-\x1f\x7f\\']/g, (c) => NAMED_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `$'${escaped}'`;
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
