/**
 * The paragraphs a diagnosis is shown in, by the HTML report and the visualizer's panel alike (one rule, so the two never differ).
 * Imports nothing: the page takes it beside the library's public entry point (test/demo/public-api's PROSE_MODULES).
 */

/**
 * The paragraphs shown for `d`: its paragraphs where they are its summary (joined by single spaces), else the summary in one, so
 * that what the terminal prints (the summary) and what the report or the page shows never differ: a diagnosis saved before it had
 * paragraphs, or whose summary was edited after diagnose() made it (review50 #2), shows its summary.
 */
export function shownParagraphs(d: { summary: string; paragraphs?: unknown }): string[] {
  const p = d.paragraphs;
  const strings = Array.isArray(p) && p.length > 0 && p.every((v) => typeof v === 'string');
  return strings && (p as string[]).join(' ') === d.summary ? (p as string[]) : [d.summary];
}
