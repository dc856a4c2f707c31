/**
 * The HTML report on disk (Node only): renderReport() is browser-safe and lives in src/flow; writing
 * it to a file is here, so no browser bundle of gradscope reaches node:fs.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { renderReport, type ReportInput } from '../flow/report-html.js';
import { writeFileAtomic } from './files.js';

/** Writes the report to `path` (creating its folder, replacing any file there atomically); returns the absolute path. */
export async function writeReport(path: string, input: ReportInput): Promise<string> {
  const file = resolve(path);
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, new TextEncoder().encode(await renderReport(input)));
  return file;
}
