/**
 * renderReport, the public entry to the HTML report: it loads the report's code (report-html.ts and the
 * charts, checks, data packing and page script it draws with) when first called, so a page that never
 * renders a report does not load it, and a bundler puts it in a chunk of its own that a page loads then
 * (src/chunk-import.ts).
 */
import { importChunk } from '../chunk-import.js';
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
  const { renderReport: render } = await importChunk(() => import('./report-html.js'), 'renderReport', "the report's code", 'flow/report-html.js');
  return render(input);
}
