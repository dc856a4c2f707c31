/**
 * Diagnosis prose on the page as the report shows it: each `backticked` span (an option or a
 * command, as diagnose writes them for the terminal too) set as code, by the report's own rules
 * (proseParts; codeWords: a line breaks only between a command's words, never after a hyphen inside
 * one), and each percentage kept on one line (unbrokenPercents). Built as DOM nodes, so no text is
 * ever parsed as HTML.
 */
import { CODE_WORD_CLASS, CODE_WORD_STYLE, codeWords, proseParts, unbrokenPercents } from '../../src/index.js';

/** The text as nodes: text nodes and <code> elements (codeNode). */
export function proseNodes(text: string): Node[] {
  return proseParts(text).map(({ text: run, code }) => (code ? codeNode(run) : document.createTextNode(unbrokenPercents(run))));
}

/** A command or an option as a <code> element whose words a line breaks only between (codeWords), as the report's codeHtml. */
export function codeNode(code: string): HTMLElement {
  addCodeWordStyle();
  const element = document.createElement('code');
  codeWords(code).forEach(({ text, boxed }, i) => {
    if (i > 0) element.append(' ');
    if (!boxed) return element.append(text);
    const word = document.createElement('span');
    word.className = CODE_WORD_CLASS;
    word.textContent = text;
    element.append(word);
  });
  return element;
}

/** Puts the report's rule for boxed code words (CODE_WORD_STYLE) in the page once: the style sheet has no copy of it. */
function addCodeWordStyle(): void {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CODE_WORD_STYLE;
  document.head.append(style);
}

const STYLE_ID = 'code-word-style';
