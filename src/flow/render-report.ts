/**
 * renderReport, the public entry to the HTML report: it loads the report's code (report-html.ts and the
 * charts, checks, data packing and page script it draws with) when first called, so a page that never
 * renders a report does not load it, and a bundler puts it in a chunk of its own that a page loads then.
 */
import { GradscopeError } from '../errors.js';
import type { ReportInput } from './report-html.js';

/**
 * The report as one HTML page. Refuses (INVALID_OPTION, nothing drawn) an input that is not an
 * object, or is a Trace (give { runs: [{ label, trace, diagnosis }] }); a field of the input, a section,
 * run, chart, series, bar chart, bar or table that the page does not read (a typo, with "did you
 * mean"); sections or runs (or a section's runs) not an array; a section or run not an object; a
 * run whose label is not a string, whose trace is a saved trace's JSON or not a Trace, whose
 * diagnosis is not diagnose()'s, whose warnings are not strings or whose detail is not 'full' or
 * 'summary' (report-input-check.ts); and an id that is empty, held already (by a section, run,
 * chart or the data block), or, for a run's, holds whitespace or "'<>& (a chart's, whitespace).
 * The report's code is loaded on the first call (in a bundled page, a chunk of its own): where it
 * cannot be, IO_ERROR with the import's own message, and what to do where it says the file was not
 * there (the chunk was not served: serve every file the build wrote); where the file came but failed
 * as it ran (a bundle's fault, not the server's), IO_ERROR saying so.
 */
export async function renderReport(input: ReportInput): Promise<string> {
  const { renderReport: render } = await import('./report-html.js').catch((cause: unknown) => {
    const code = "the report's code (gradscope's flow/report-html.js, in a bundled page a chunk of its own";
    throw new GradscopeError(
      'IO_ERROR',
      notFound(cause) ? `renderReport: could not load ${code}; serve every file the build wrote): ${String(cause)}` : `renderReport: ${code}) was fetched but failed as it ran: ${String(cause)}`,
    );
  });
  return render(input);
}

/** The words a dynamic import's TypeError says a module's file was not there with: Chromium's and Node's, Firefox's, Safari's. */
const NOT_FOUND_WORDS = /Failed to fetch dynamically imported module|Cannot find module|error loading dynamically imported module|Importing a module script failed/;

/**
 * Whether a dynamic import failed for want of the module's file (not served, not found: Node's
 * ERR_MODULE_NOT_FOUND, a browser's TypeError in its words) rather than in the module as it ran
 * (a ReferenceError of a minified bundle); its causes are read too (a bundler or runner may wrap it).
 */
function notFound(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if ((e as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' || (e.name === 'TypeError' && NOT_FOUND_WORDS.test(e.message))) return true;
  }
  return false;
}
