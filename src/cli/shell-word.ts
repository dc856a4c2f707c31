/**
 * A file path or flag value as one word of a command line gradscope prints for the user to run
 * (train's closing `gradscope study --model …`): as it is where a POSIX shell reads it as one word
 * unchanged, else in single quotes, so a path with a space or a quote still runs as printed.
 */

/** Characters a POSIX shell passes on unchanged and splits no word at. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** `text` as one shell word: unchanged if plain, else single-quoted (a ' inside written as '\''). */
export function shellWord(text: string): string {
  return PLAIN_WORD.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `words` as one command line, each a shell word (a remedy's line, printed whole to be pasted). */
export function shellLine(words: readonly string[]): string {
  return words.map(shellWord).join(' ');
}
