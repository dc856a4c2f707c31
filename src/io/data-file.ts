/** The data file format: { "inputs": [[...]], "targets": [[...]] }. */
import { MODEL_FILE_TAG } from '../network/model-file.js';
import { describeValue, GradscopeError } from '../errors.js';
import { notRowProblem, ROW_LABELS, valueRefusal } from '../data/matrix.js';
import { checkFileFields } from '../model-limits.js';
import { jsonValueSpan, overflowSaid, textPlace } from '../json-syntax.js';

/** What a data file holds, as the rows flags' help and a refusal of a file that is not JSON say it. */
export const DATA_FILE_SHAPE = '{ "inputs": [[…]], "targets": [[…]] }';

/** The fields a data file holds: any other is refused, not dropped (checkFileFields). */
const DATA_FILE_KEYS = ['inputs', 'targets'];

export interface DataFile {
  inputs: number[][];
  targets: number[][];
}

/**
 * The rows of a parsed data file; `where` names it in a refusal (a path as its shell word), `text` gives the text it was parsed
 * from (read only to say where a refused value is written).
 */
export function dataFromJSON(json: unknown, where = 'data', text?: () => string): DataFile {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new GradscopeError('BAD_DATA_FILE', `${where}: expected an object with "inputs" and "targets"`);
  }
  const { inputs, targets } = json as Record<string, unknown>;
  const file = json as Record<string, unknown>;
  // The reverse of a data file given as a model (model-file.ts says that one): a model given as data.
  if (inputs === undefined && targets === undefined && (file.format === MODEL_FILE_TAG || 'layers' in file || 'modelTopology' in file)) {
    throw new GradscopeError('BAD_DATA_FILE', `${where}: this is a model file, not data ({ "inputs": [[…]], "targets": [[…]] })`);
  }
  // Other keys than ours (`{ "x": …, "y": … }`): named, so the user sees which to rename.
  if (inputs === undefined && targets === undefined && Object.keys(file).length > 0) {
    throw new GradscopeError('BAD_DATA_FILE', `${where}: expected "inputs" and "targets", found ${Object.keys(file).slice(0, 5).map((key) => JSON.stringify(key)).join(', ')}${Object.keys(file).length > 5 ? ', …' : ''}: rename them (${DATA_FILE_SHAPE})`);
  }
  // As a model file's: a "validation" or "test" block beside the rows was dropped without a word (edges47 #6).
  checkFileFields(file, DATA_FILE_KEYS, where, (at, message) => new GradscopeError('BAD_DATA_FILE', `${at}: ${message}`));
  for (const [name, rows] of [['inputs', inputs], ['targets', targets]] as const) {
    if (!Array.isArray(rows) || rows.length === 0) throw new GradscopeError('BAD_DATA_FILE', `${where}: "${name}" must be a non-empty array of rows`);
    rows.forEach((row, r) => {
      // The API's words for the same rows (notRowProblem), class labels given as numbers told the one-hot row they take.
      if (!Array.isArray(row)) throw new GradscopeError('BAD_DATA_FILE', `${where}: ${notRowProblem(ROW_LABELS[name], r, row, name === 'targets' ? labelClasses(rows) : undefined)}`);
      // Rows of no values made train build a network of 0 units ('sizes[0]: expected a whole number of units …', an option no flag gives).
      if (row.length === 0) throw new GradscopeError('BAD_DATA_FILE', `${where}: ${name}[${r}] is empty; each row holds at least one number`);
    });
  }
  checkValues(file as Record<keyof DataFile, unknown[][]>, where, text);
  return { inputs: inputs as number[][], targets: targets as number[][] };
}

/** What a null in a data file most likely was: JSON has no NaN or Infinity, and JSON.stringify writes them as null. */
const NULL_WRITTEN = 'JSON.stringify writes NaN and ±Infinity as null';

/**
 * Refuses the first value of the rows, in the file's order (JSON.parse keeps its keys' order: the first fault the text writes is
 * the one refused, review51 #4), that is no number, or ±Infinity. No number (a string, null, a boolean): BAD_DATA_FILE, the file
 * holds something else than rows of numbers (it was refused as a non-finite number, edges52's 5), where the text writes it.
 * ±Infinity: JSON.parse reads a number beyond float64's range (1e400) so, and 'Infinity' is a word the file never holds (edges47
 * #9): NON_FINITE_INPUT as the rows' readers say it, with what the text wrote (overflowSaid). One pass over the values, before any
 * flag or model is read against the rows (a value beyond float32's range, finite here, is the rows' readers' to refuse: toMatrix).
 */
function checkValues(file: Record<keyof DataFile, unknown[][]>, where: string, text?: () => string): void {
  for (const name of Object.keys(file) as (keyof DataFile)[]) {
    const rows = file[name];
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      const c = row.findIndex((value) => typeof value !== 'number' || value === Infinity || value === -Infinity);
      if (c < 0) continue;
      const value = row[c];
      const written = text?.();
      if (typeof value === 'number') {
        const refusal = valueRefusal(`${where}: ${name}`, r, c, value);
        throw written === undefined ? refusal : overflowSaid(refusal, written, [name, r, c]);
      }
      const start = written === undefined ? undefined : jsonValueSpan(written, [name, r, c])?.start;
      const said = [value === null ? NULL_WRITTEN : undefined, start === undefined ? undefined : `at ${textPlace(written!, start)}`].filter(Boolean).join('; ');
      throw new GradscopeError('BAD_DATA_FILE', `${where}: ${name}: row ${r}, column ${c} is ${describeValue(value)}, not a number${said === '' ? '' : ` (${said})`}`);
    }
  }
}

/** The classes targets given as class labels (whole numbers from 0) imply, the largest label + 1 (at least 2), for the one-hot hint; undefined for other targets. */
function labelClasses(rows: unknown[]): number | undefined {
  if (!rows.every((row) => Number.isInteger(row) && (row as number) >= 0)) return undefined;
  return (rows as number[]).reduce((classes, label) => Math.max(classes, label + 1), 2);
}
