/**
 * The columns a line of text takes on a terminal: a character (code point) a column, none for a combining
 * mark, a variation selector or a zero-width joiner, two for a wide East Asian character or an emoji, as
 * wcwidth counts them; never the string's UTF-16 length, which counts an emoji twice and an accent once.
 */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufe00-\ufe0f]$/u;
const WIDE = /^[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]$/u;

/** The columns `line` takes on a terminal (the file's rule). */
export function displayWidth(line: string): number {
  let width = 0;
  for (const character of line) width += columnsOf(character);
  return width;
}

/** The columns one character (code point) takes: the file's rule. */
function columnsOf(character: string): number {
  return ZERO_WIDTH.test(character) ? 0 : WIDE.test(character) ? 2 : 1;
}

/** `text` padded with spaces to `width` columns (displayWidth), after it ('end': a left-aligned cell) or before it ('start'). */
export function padTo(text: string, width: number, side: 'start' | 'end'): string {
  const pad = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return side === 'end' ? text + pad : pad + text;
}

/**
 * `text` whole where it takes at most `width` columns (displayWidth), else its first characters (code points: never half
 * an emoji) that take at most `width` − 1 with `mark` (one column, '…') after them: a cut to fit a line, where cutText
 * (errors.ts) cuts to a count of characters.
 */
export function cutToWidth(text: string, width: number, mark: string): string {
  if (displayWidth(text) <= width) return text;
  const room = width - displayWidth(mark);
  // One running width of the kept prefix, and where it ends (in UTF-16 units): each character measured once.
  let used = 0;
  let end = 0;
  for (const character of text) {
    used += columnsOf(character);
    if (used > room) break;
    end += character.length;
  }
  return text.slice(0, end) + mark;
}
