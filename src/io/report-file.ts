/**
 * The HTML report on disk (Node only): renderReport() is browser-safe and lives in src/flow; writing
 * it to a file is here, so no browser bundle of gradscope reaches node:fs.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ioError } from '../errors.js';
import { renderReport, type ReportInput } from '../flow/report-html.js';
import { writeFileAtomic } from './file-access.js';

/** Writes the report to `path` (creating its folder; atomically, IO_ERROR on failure); returns the absolute path. */
export async function writeReport(path: string, input: ReportInput): Promise<string> {
  const file = resolve(path);
  try {
    await mkdir(dirname(file), { recursive: true });
  } catch (error) {
    throw ioError(dirname(file), 'write', error);
  }
  await writeFileAtomic(file, await renderReport(input));
  return file;
}
