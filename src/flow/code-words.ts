/**
 * How a command or an option set as code breaks across lines, in the HTML report and in the
 * visualizer alike: only between its words (at its spaces). A browser also breaks after a hyphen or
 * a slash inside a word, which showed `--init` as '--' at a line's end and 'init' under it ('he-' and
 * 'normal', 'learning-rate-' and '0.002.json'): each word with one is a box of its own
 * (CODE_WORD_CLASS; the others need none, and the report stays small); a word wider than the line
 * still wraps inside its box (max-width), so nothing sticks out on a phone.
 */
import { invalidOption, shownArgument } from '../errors.js';

/** One word of a command set as code, and whether it needs a box of its own (CODE_WORD_CLASS) to stay on one line. */
export interface CodeWord {
  /** The word, without spaces. */
  text: string;
  /** Whether a browser could break the line inside it: after a hyphen or a slash. */
  boxed: boolean;
}

/** Where a browser may break a line inside a word of a command: after a hyphen or a slash. */
const BREAKS_INSIDE_A_WORD = /[-/]./;

/** The words of `code` in order (joined by single spaces they are `code` again), each boxed where a browser could break it. */
export function codeWords(code: string): CodeWord[] {
  if (typeof code !== 'string') throw invalidOption(`codeWords(code): expected a string, got ${shownArgument(code)}`);
  return code.split(' ').map((text) => ({ text, boxed: BREAKS_INSIDE_A_WORD.test(text) }));
}

/** The class of a boxed word (CodeWord.boxed) inside a <code>: kept on one line unless it is wider than the line. */
export const CODE_WORD_CLASS = 'w';

/** The style rule for CODE_WORD_CLASS, on a page that sets code by codeWords. */
export const CODE_WORD_STYLE = `code .${CODE_WORD_CLASS}{display:inline-block;max-width:100%;overflow-wrap:anywhere}`;
