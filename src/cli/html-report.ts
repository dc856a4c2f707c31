/**
 * A study command's --html report, one rule for all of them: written to its file before the command prints anything,
 * so that with --json too the JSON goes to stdout and the report to its file. study depth, activations and plateau
 * returned after their JSON and wrote no report, saying nothing (newuser50 #2).
 */
import { writeReport } from '../io/report-file.js';
import type { ReportInput } from '../flow/report-html.js';

/** The report `input()` makes, written to `html` (its absolute path returned); undefined, and nothing made, without --html. */
export async function htmlReport(html: string | undefined, input: () => ReportInput): Promise<string | undefined> {
  return html === undefined ? undefined : writeReport(html, input());
}
