/**
 * The HTML report on disk (Node only): renderReport() is browser-safe and lives in src/flow; writing
 * it to a file is here, so no browser bundle of gradscope reaches node:fs.
 */
import { resolve } from 'node:path';
import { renderReport, type ReportInput } from '../flow/report-html.js';
import { checkPath, writeFileAtomic } from './file-access.js';

/** Writes the report to `path` (atomically; its folder must exist, as for every file gradscope writes; IO_ERROR on failure); returns the absolute path. */
export async function writeReport(path: string, input: ReportInput): Promise<string> {
  checkPath(path, 'writeReport');
  const file = resolve(path);
  await writeFileAtomic(file, await renderReport(input));
  return file;
}
