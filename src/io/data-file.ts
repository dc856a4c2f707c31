/** The data file format: { "inputs": [[...]], "targets": [[...]] }. */
import { MODEL_FILE_TAG } from '../network/model-file.js';
import { GradscopeError } from '../errors.js';

/** What a data file holds, as the rows flags' help and a refusal of a file that is not JSON say it. */
export const DATA_FILE_SHAPE = '{ "inputs": [[…]], "targets": [[…]] }';

export interface DataFile {
  inputs: number[][];
  targets: number[][];
}

/** The rows of a parsed data file; `where` names it in a refusal (a path as its shell word). */
export function dataFromJSON(json: unknown, where = 'data'): DataFile {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new GradscopeError('BAD_DATA_FILE', `${where}: expected an object with "inputs" and "targets"`);
  }
  const { inputs, targets } = json as Record<string, unknown>;
  const file = json as Record<string, unknown>;
  // The reverse of a data file given as a model (model-file.ts says that one): a model given as data.
  if (inputs === undefined && targets === undefined && (file.format === MODEL_FILE_TAG || 'layers' in file || 'modelTopology' in file)) {
    throw new GradscopeError('BAD_DATA_FILE', `${where}: this is a model file, not data ({ "inputs": [[…]], "targets": [[…]] })`);
  }
  for (const [name, rows] of [['inputs', inputs], ['targets', targets]] as const) {
    if (!Array.isArray(rows) || rows.length === 0) throw new GradscopeError('BAD_DATA_FILE', `${where}: "${name}" must be a non-empty array of rows`);
    rows.forEach((row, r) => {
      if (!Array.isArray(row)) throw new GradscopeError('BAD_DATA_FILE', `${where}: ${name}[${r}] is not an array`);
      // Rows of no values made train build a network of 0 units ('sizes[0]: expected a whole number of units …', an option no flag gives).
      if (row.length === 0) throw new GradscopeError('BAD_DATA_FILE', `${where}: ${name}[${r}] is empty; each row holds at least one number`);
    });
  }
  return { inputs: inputs as number[][], targets: targets as number[][] };
}
