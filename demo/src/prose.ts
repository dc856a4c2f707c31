/**
 * Diagnosis prose on the page as the report shows it: each `backticked` span (an option or a
 * command, as diagnose writes them for the terminal too) set as code, by the report's own rule
 * (proseParts), and each percentage kept on one line (unbrokenPercents). Built as DOM nodes, so no
 * text is ever parsed as HTML.
 */
import { proseParts, unbrokenPercents } from '../../src/index.js';

/** The text as nodes: text nodes and <code> elements. */
export function proseNodes(text: string): Node[] {
  return proseParts(text).map(({ text: run, code }) => {
    if (!code) return document.createTextNode(unbrokenPercents(run));
    const element = document.createElement('code');
    element.textContent = run;
    return element;
  });
}
