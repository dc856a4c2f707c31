/**
 * The characters no text gradscope prints may hold raw, and how each is written instead: one rule
 * for a shell word's $'…' (shell-word.ts), a caller's string in a message (errors.ts' JSON form) and
 * the last pass over a whole message (GradscopeError, the command line's error line). They are what
 * a terminal reads as other than text: the C0 controls and DEL, the C1 controls (U+009B is an 8-bit
 * CSI to xterm-family terminals), the line and paragraph separators, and the bidirectional
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what follows them
 * on the line, and the marks and invisible characters that reorder or hide text as they do: the
 * Arabic letter mark (U+061C), the zero-width space, non-joiner and joiner, the left-to-right and
 * right-to-left marks (U+200B–U+200F) and the byte order mark (U+FEFF). Each is written as an
 * escape, so the word stays readable and nothing reaches the terminal as a command to it.
 */

/** The unsafe characters, as a regular expression's character class (without its brackets). */
export const UNSAFE_CLASS = '\\x00-\\x1f\\x7f-\\x9f\\u061c\\u200b-\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ufeff';
const UNSAFE = new RegExp(`[${UNSAFE_CLASS}]`);
const EVERY_UNSAFE = new RegExp(`[${UNSAFE_CLASS}]`, 'g');

/** Whether `text` holds an unsafe character. */
export function hasUnsafe(text: string): boolean {
  return UNSAFE.test(text);
}

/** The escapes read by name (by $'…', and the C-family escapes a reader knows). */
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };

/** `c` as \uHHHH, always four digits (so a hex digit after it stays itself): JSON's escape, and $'…''s above U+007F. */
export function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * An unsafe character's escape as $'…' reads it: by name, else \xHH below U+0080 (always two digits),
 * else \uHHHH, which bash, zsh and ksh read as the character in a UTF-8 locale (\xHH would be a lone
 * byte, not the character).
 */
export function escapeOf(c: string): string {
  return NAMED_ESCAPES[c] ?? (c.charCodeAt(0) < 0x80 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : unicodeEscape(c));
}

/**
 * `text` with every unsafe character written as its escape (escapeOf) and nothing else changed: the
 * last pass over a whole message, after each word in it was quoted by its own rule (shellWord,
 * quotedWord, jsonString). It is idempotent, what it writes holding no unsafe character, so a
 * message passed through it twice (a refusal rethrown with a prefix) is escaped once; and it leaves
 * backslashes alone, so what a word's quoting escaped stays as written, not \\x1b. An unsafe
 * character it meets was missed by the word's own quoting: escaped here it is readable, though not
 * told apart from a backslash the caller typed, which only the word's quoting can say.
 */
export function unsafeEscaped(text: string): string {
  return text.replace(EVERY_UNSAFE, escapeOf);
}

/**
 * `text` as a JSON string (a caller's string in a message, "got \"…\""): JSON.stringify escapes the
 * C0 controls, but not DEL, the C1 controls, the separators, the bidi controls or marks, written here as
 * \uHHHH, which JSON reads back as the character.
 */
export function jsonString(text: string): string {
  return JSON.stringify(text).replace(EVERY_UNSAFE, unicodeEscape);
}
