/**
 * The diagnosis's summary as the panel shows it: a paragraph to each of diagnose()'s (Diagnosis.paragraphs), where the one that
 * asks "minimum, saddle or slope?" (CURVATURE_QUESTION) points to the curvature box under it, which says once how to measure the
 * curvature (CURVATURE_HOW_TO_ON_PAGE): the how-to in the summary was some 180 words of its 400–600 (newuser49 #7).
 */
import { CURVATURE_ASKS, CURVATURE_HOW_TO, CURVATURE_QUESTION, type Diagnosis } from '../../src/index.js';
import { shownParagraphs } from '../../src/flow/shown-paragraphs.js';
import { proseNodes } from './prose.js';

/** The question's paragraph on the page: the curvature box (index.html's #curvature, shown while the run is paused) answers it. */
export const CURVATURE_POINTER = `${CURVATURE_ASKS}: while the run is paused, “Measure the curvature here” below measures it on this network, and says how to measure it in your code or at the command line.`;

/** The how-to, said once in the curvature box (#curvature-how-to) where the summary points to it. */
export const CURVATURE_HOW_TO_ON_PAGE = `In your code or at the command line: ${CURVATURE_HOW_TO}.`;

/** The summary's paragraphs as the panel shows them, by the report's rule (shownParagraphs: where they are not its summary, the summary in one). */
export const pageParagraphs = (d: Diagnosis): string[] => shownParagraphs(d).map((p) => (p === CURVATURE_QUESTION ? CURVATURE_POINTER : p));

/** The paragraphs as <p> elements, a space between them, so the box's text (textContent) reads as running prose, as the summary does. */
export function paragraphNodes(paragraphs: string[]): Node[] {
  return paragraphs.flatMap((text, i) => {
    const p = document.createElement('p');
    p.append(...proseNodes(text));
    return i === 0 ? [p] : [document.createTextNode(' '), p];
  });
}
