/**
 * Diagnosis prose on the page as the report shows it (src/flow/report-html.ts's proseHtml): each
 * `backticked` span (an option or a command, as diagnose writes them for the terminal too) set as
 * code instead of showing its backticks. Built as DOM nodes, so no text is ever parsed as HTML.
 */

/** The text's runs in order, each plain or code (the backticks dropped). */
export function proseParts(text: string): { text: string; code: boolean }[] {
  // split with a capture group: the captured (code) runs sit at the odd indexes.
  return text.split(/`([^`]+)`/).map((run, i) => ({ text: run, code: i % 2 === 1 })).filter((part) => part.text !== '');
}

/** The text as nodes: text nodes and <code> elements. */
export function proseNodes(text: string): Node[] {
  return proseParts(text).map(({ text: run, code }) => {
    if (!code) return document.createTextNode(run);
    const element = document.createElement('code');
    element.textContent = run;
    return element;
  });
}
