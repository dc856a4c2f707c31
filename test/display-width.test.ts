// cutToWidth keeps the longest prefix that fits beside its mark, measured as displayWidth measures a line: one running
// width of the kept prefix (it measured the prefix again for every character, quadratic in a line's length). Checked
// against that rule read literally (a prefix kept while its width and the mark's fit) on lines of every kind of character.
import { describe, expect, it } from 'vitest';
import { cutToWidth, displayWidth } from '../src/display-width.js';
import { Rng } from '../src/init/rng.js';

/** The rule as the comment states it: the longest prefix of whole characters whose width, with the mark's, is at most `width`. */
function literalCut(text: string, width: number, mark: string): string {
  if (displayWidth(text) <= width) return text;
  const characters = Array.from(text);
  let keep = 0;
  while (keep < characters.length && displayWidth(characters.slice(0, keep + 1).join('')) + displayWidth(mark) <= width) keep++;
  return characters.slice(0, keep).join('') + mark;
}

/** One column, none (a combining accent, a zero-width joiner, a variation selector) and two (CJK, an emoji beyond U+FFFF). */
const CHARACTERS = ['a', 'Z', ' ', '\u0301', '\u200d', '\ufe0f', '語', '한', '🙂', '🧠'];

describe('cutToWidth', () => {
  it('keeps a line that fits whole, and cuts one that does not beside the mark', () => {
    expect(cutToWidth('abc', 3, '…')).toBe('abc');
    expect(cutToWidth('abcd', 3, '…')).toBe('ab…');
    // A wide character that would pass the room is left out whole, never halved.
    expect(cutToWidth('a🙂b', 3, '…')).toBe('a…');
    expect(cutToWidth('語語語', 4, '…')).toBe('語…');
    // A zero-width mark after the last kept character stays with it.
    expect(cutToWidth('ae\u0301bcd', 3, '…')).toBe('ae\u0301…');
    expect(cutToWidth('abc', 0, '…')).toBe('…');
  });

  it('cuts as the rule says on random lines of narrow, zero-width and wide characters', () => {
    const rng = new Rng(39);
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: Math.floor(rng.uniform() * 30) }, () => CHARACTERS[Math.floor(rng.uniform() * CHARACTERS.length)]).join('');
      const width = Math.floor(rng.uniform() * 25);
      const cut = cutToWidth(text, width, '…');
      expect(cut, JSON.stringify([text, width])).toBe(literalCut(text, width, '…'));
      if (cut !== text) expect(displayWidth(cut)).toBeLessThanOrEqual(Math.max(width, 1));
    }
  });
});
