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
import { escapeOf, hasUnsafe, UNSAFE_CLASS } from './unsafe-characters.js';

/** Characters a POSIX shell passes on unchanged and splits no word at. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** What $'…' escapes: the unsafe characters (unsafe-characters.ts), a backslash and a quote. */
const ESCAPED = new RegExp(`[${UNSAFE_CLASS}\\\\']`, 'g');

/** A character's escape in $'…': a backslash or quote behind a backslash, an unsafe character by escapeOf. */
const dollarEscapeOf = (c: string): string => (c === '\\' || c === "'" ? `\\${c}` : escapeOf(c));

/** `text` in $'…', each backslash, quote and control character an escape. (A NUL, which no path or argument can hold, would end the word.) */
function dollarQuoted(text: string): string {
  return `$'${text.replace(ESCAPED, dollarEscapeOf)}'`;
}

/** `text` as one shell word: unchanged if plain, $'…' with a control character, else single-quoted (a ' inside written as '\''). */
export function shellWord(text: string): string {
  if (PLAIN_WORD.test(text)) return text;
  return hasUnsafe(text) ? dollarQuoted(text) : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `words` as one command line, each a shell word (a remedy's line, printed whole to be pasted). */
export function shellLine(words: readonly string[]): string {
  return words.map(shellWord).join(' ');
}

/**
 * A word the user typed as a sentence quotes it (a refusal's `got '…'`): in single quotes as typed,
 * or, holding an unsafe character, as its $'…' word, which reads back as typed and gives the
 * terminal nothing raw. Unlike shellWord, a plain word keeps its quotes and a quote inside stays as
 * typed: the sentence shows the word, no shell reads it.
 */
export function quotedWord(text: string): string {
  return hasUnsafe(text) ? dollarQuoted(text) : `'${text}'`;
}
